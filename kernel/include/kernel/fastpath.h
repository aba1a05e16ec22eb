/*
 * IPC fast path: the common Call and ReplyRecv between a client and a
 * passive server, done without the general machinery. Each function either
 * completes the system call and enters the other thread (never returning)
 * or returns having changed nothing, and the slow path runs.
 */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include <object/structures.h>

void fastpath_call(tcb_t *caller);
void fastpath_reply_recv(tcb_t *server);

#endif
