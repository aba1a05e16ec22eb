/*
 * IPC: endpoints (rendezvous message passing), notifications (asynchronous
 * signals) and reply objects (MCS), following seL4's semantics.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <object/structures.h>

/* blocking_flags of a thread blocked on send */
#define BLOCK_CAN_GRANT         BIT(0)
#define BLOCK_CAN_GRANT_REPLY   BIT(1)
#define BLOCK_IS_CALL           BIT(2)

/* Send the caller's message on the endpoint `cap` names. */
void ipc_send(tcb_t *t, cap_t ep_cap, bool blocking, bool call, bool donate);
/* Receive on the endpoint or notification `cptr` names (Recv, Wait, ...). */
void handle_receive(tcb_t *t, bool blocking, bool can_reply);
/* Send the caller's message through a reply object (seL4_Send on a Reply cap). */
void reply_invoke(tcb_t *t, reply_t *reply, bool can_grant);

/* Deliver t's pending fault to the handler `handler_cap` names (endpoint). */
bool send_fault_ipc(tcb_t *t, cap_t handler_cap);

void notification_signal(notification_t *n, word_t badge);
/* Wait (blocking) or poll on a notification. */
void notification_receive(tcb_t *t, notification_t *n, bool blocking);
/* Hand an active notification's word to t and reset it. */
void notification_complete(notification_t *n, tcb_t *t);
void notification_dequeue(notification_t *n, tcb_t *t);
/* t's priority changed while it waits on n: move it to its new place. */
void notification_reorder(notification_t *n, tcb_t *t);
void notification_bind(notification_t *n, tcb_t *t);
void notification_unbind_tcb(tcb_t *t);

/* t's priority changed: move it to its new place in the queue it waits in. */
void ipc_reorder(tcb_t *t);
/* Take a thread out of whatever IPC it is blocked in (it becomes inactive). */
void ipc_cancel(tcb_t *t);
/* Restart every thread queued on the endpoint (its last cap is going). */
void endpoint_cancel_all(endpoint_t *ep);
/* Restart queued senders that carry `badge` (CNode_CancelBadgedSends). */
void endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge);
void notification_finalise(notification_t *n);
void reply_finalise(reply_t *r);
/* Detach the reply object from its caller (caller becomes inactive). */
void reply_clear(reply_t *r);

/* Lookup-failure words of a cap fault or error, from MR `first`; returns count. */
struct lookup_fault;
word_t set_lookup_fault_mrs(tcb_t *t, word_t *buffer, unsigned first, const struct lookup_fault *f);

#endif
