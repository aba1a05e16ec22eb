/*
 * A scheduling context's call stack: when a Call donates an SC to a passive
 * server, the caller's reply object goes on top of that SC's stack
 * (sc->reply, linked to older calls through `prev` and newer ones through
 * `next`); the reply takes it off and the SC goes back to the caller. Shared
 * by the IPC slow path (src/endpoint.c) and the fast path.
 */
#ifndef KERNEL_REPLY_STACK_H
#define KERNEL_REPLY_STACK_H

#include <object/structures.h>

static inline void reply_stack_push(sched_context_t *sc, reply_t *reply)
{
    reply->sc = sc;
    reply->next = NULL;
    reply->prev = sc->reply;
    if (sc->reply)
        sc->reply->next = reply;
    sc->reply = reply;
}

/* Take the newest call (sc->reply == reply) off. */
static inline void reply_stack_pop(sched_context_t *sc, reply_t *reply)
{
    sc->reply = reply->prev;
    if (reply->prev)
        reply->prev->next = NULL;
    reply->prev = NULL;
    reply->sc = NULL;
}

/* Take any call off (one deleted or cancelled below the top). */
static inline void reply_stack_remove(sched_context_t *sc, reply_t *reply)
{
    if (sc->reply == reply) {
        reply_stack_pop(sc, reply);
        return;
    }
    if (reply->next)
        reply->next->prev = reply->prev;
    if (reply->prev)
        reply->prev->next = reply->next;
    reply->prev = reply->next = NULL;
    reply->sc = NULL;
}

#endif
