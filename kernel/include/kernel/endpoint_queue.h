/*
 * Queues of threads waiting on an IPC object (an endpoint or a
 * notification). MCS orders them by priority, best first and FIFO among
 * equals, so the next message or signal goes to the most important waiter;
 * a waiter whose priority changes moves to its new place (ipc_reorder).
 *
 * An endpoint keeps its tail pointer in a word with its state (TCBs are
 * 2 KiB aligned). Shared by the IPC slow path (src/endpoint.c,
 * src/notification.c) and the fast path.
 */
#ifndef KERNEL_ENDPOINT_QUEUE_H
#define KERNEL_ENDPOINT_QUEUE_H

#include <object/structures.h>

/* ---------------------------------------------------------------- any queue */

/*
 * Insert t behind the last waiter of at least its priority. The walk starts
 * at the tail, so the common case (no better waiter than the last one) is
 * one comparison.
 */
static inline tcb_queue_t tcb_queue_insert(tcb_queue_t q, tcb_t *t)
{
    tcb_t *before = q.tail;
    while (before && before->priority < t->priority)
        before = before->ep_prev;
    tcb_t *after = before ? before->ep_next : q.head;
    t->ep_prev = before;
    t->ep_next = after;
    if (before)
        before->ep_next = t;
    else
        q.head = t;
    if (after)
        after->ep_prev = t;
    else
        q.tail = t;
    return q;
}

static inline tcb_queue_t tcb_queue_remove(tcb_queue_t q, tcb_t *t)
{
    if (t->ep_prev)
        t->ep_prev->ep_next = t->ep_next;
    else
        q.head = t->ep_next;
    if (t->ep_next)
        t->ep_next->ep_prev = t->ep_prev;
    else
        q.tail = t->ep_prev;
    t->ep_next = t->ep_prev = NULL;
    return q;
}

/* ---------------------------------------------------------------- endpoints */

static inline enum endpoint_state ep_state(const endpoint_t *ep)
{
    return (enum endpoint_state)(ep->tail_state & 3);
}

static inline tcb_t *ep_tail(const endpoint_t *ep)
{
    return (tcb_t *)(uintptr_t)(ep->tail_state & ~3ull);
}

static inline tcb_queue_t ep_queue(const endpoint_t *ep)
{
    return (tcb_queue_t){ ep->head, ep_tail(ep) };
}

/* An empty queue makes the endpoint idle whatever `state` says. */
static inline void ep_set_queue(endpoint_t *ep, tcb_queue_t q, enum endpoint_state state)
{
    ep->head = q.head;
    ep->tail_state = q.head ? (word_t)(uintptr_t)q.tail | state : ep_idle;
}

static inline void ep_enqueue(endpoint_t *ep, tcb_t *t, enum endpoint_state state)
{
    ep_set_queue(ep, tcb_queue_insert(ep_queue(ep), t), state);
}

static inline void ep_dequeue(endpoint_t *ep, tcb_t *t)
{
    ep_set_queue(ep, tcb_queue_remove(ep_queue(ep), t), ep_state(ep));
}

#endif
