/*
 * An endpoint's queue of waiting threads: all senders or all receivers.
 * The tail pointer shares a word with the state (TCBs are 2 KiB aligned).
 * Shared by the IPC slow path (src/endpoint.c) and the fast path.
 */
#ifndef KERNEL_ENDPOINT_QUEUE_H
#define KERNEL_ENDPOINT_QUEUE_H

#include <object/structures.h>


static inline enum endpoint_state ep_state(const endpoint_t *ep)
{
    return (enum endpoint_state)(ep->tail_state & 3);
}

static inline tcb_t *ep_tail(const endpoint_t *ep)
{
    return (tcb_t *)(uintptr_t)(ep->tail_state & ~3ull);
}

static inline void ep_set(endpoint_t *ep, tcb_t *head, tcb_t *tail, enum endpoint_state state)
{
    ep->head = head;
    ep->tail_state = (word_t)(uintptr_t)tail | (head ? state : ep_idle);
}

static inline void ep_enqueue(endpoint_t *ep, tcb_t *t, enum endpoint_state state)
{
    tcb_t *tail = ep_tail(ep);
    t->ep_prev = tail;
    t->ep_next = NULL;
    if (tail)
        tail->ep_next = t;
    ep_set(ep, ep->head ? ep->head : t, t, state);
}

static inline void ep_dequeue(endpoint_t *ep, tcb_t *t)
{
    enum endpoint_state state = ep_state(ep);
    tcb_t *head = ep->head, *tail = ep_tail(ep);
    if (t->ep_prev)
        t->ep_prev->ep_next = t->ep_next;
    else
        head = t->ep_next;
    if (t->ep_next)
        t->ep_next->ep_prev = t->ep_prev;
    else
        tail = t->ep_prev;
    t->ep_next = t->ep_prev = NULL;
    ep_set(ep, head, head ? tail : NULL, state);
}

#endif
