/* Kernel access to a thread's IPC buffer. */
#ifndef KERNEL_IPC_BUFFER_H
#define KERNEL_IPC_BUFFER_H

#include <object/structures.h>

/*
 * Kernel pointer to thread t's IPC buffer (words: tag, msg[120], ...), or
 * NULL if it has none: the buffer frame cap in the TCB must be a mapped,
 * writable frame.
 */
word_t *ipc_buffer_of(tcb_t *t);

#endif
