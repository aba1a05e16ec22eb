/* System-call dispatch (seL4's numbers) and the invocation path it routes to. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <object/structures.h>

void handle_syscall(tcb_t *t, long number);

/*
 * Handle a Call or Send on the cap `cptr` names (src/invocation.c).
 * `blocking`: the caller may wait (Call/Send) rather than drop (NBSend);
 * `donate`: the caller's scheduling context may go with the message
 * (ReplyRecv, NBSendRecv...).
 */
void handle_invocation(tcb_t *t, word_t cptr, bool call, bool blocking, bool donate);

#endif
