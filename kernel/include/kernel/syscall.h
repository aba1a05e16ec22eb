/* System-call dispatch (the number is in x7, as seL4 numbers them). */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <object/structures.h>

void handle_syscall(tcb_t *t, long number);

#endif
