/*
 * Fast paths: the common Call and ReplyRecv between a client and a server,
 * and Signal and Poll on a notification when the caller goes on running, done without the general machinery. Each function either
 * completes the system call and enters the thread to run (never returning)
 * or returns having changed nothing, and the slow path runs.
 */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include <object/structures.h>

void fastpath_call(tcb_t *caller);
void fastpath_reply_recv(tcb_t *server);
/* Send or NBSend (seL4_Signal), NBWait (seL4_Poll). */
void fastpath_signal(tcb_t *t);
void fastpath_poll(tcb_t *t);
#ifdef CONFIG_PRINTING
/* DebugPutChar (the monitor's console output): without the kernel lock. */
void fastpath_debug_putchar(tcb_t *t);
#endif

/* The architecture's general system-call path from the point where the
   kernel lock is held and the restart pc set (arch traps.c): where a fast
   path goes when it had to wait for the lock. */
_Noreturn void handle_user_syscall_locked(void);
#if CONFIG_MAX_NUM_NODES > 1
_Noreturn void fastpath_lock_contended(void);
#endif

#endif
