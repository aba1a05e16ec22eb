/*
 * Notifications: a word of badge bits. Signals OR their badge in; a waiter
 * takes the whole word and clears it. A notification bound to a thread also
 * wakes that thread while it waits on an endpoint. With MCS, a notification
 * may carry a scheduling context that it lends to the thread it wakes.
 */
#include <kernel/ipc.h>
#include <arch/registers.h>
#include <kernel/endpoint_queue.h>
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/assert.h>

static void ntfn_enqueue(notification_t *n, tcb_t *t)
{
    n->queue = tcb_queue_insert(n->queue, t);
    n->state = ntfn_waiting;
}

void notification_dequeue(notification_t *n, tcb_t *t)
{
    n->queue = tcb_queue_remove(n->queue, t);
    if (!n->queue.head)
        n->state = ntfn_idle;
}

void notification_reorder(notification_t *n, tcb_t *t)
{
    n->queue = tcb_queue_insert(tcb_queue_remove(n->queue, t), t);
}

/* A passive thread woken by a notification runs on the notification's SC. */
static void maybe_donate(tcb_t *t, notification_t *n)
{
    if (n->sc && !t->sc && !n->sc->tcb)
        sched_context_donate(n->sc, t);
}

/* ... and gives it back when it waits on that notification again. */
static void maybe_return(notification_t *n, tcb_t *t)
{
    if (n->sc && t->sc == n->sc) {
        sched_context_t *sc = t->sc;
        ready_queue_remove(t);
        t->sc = NULL;
        sc->tcb = NULL;
    }
}

static void wake(tcb_t *t, notification_t *n, word_t badge)
{
    set_register(t, REG_BADGE, badge);
    thread_set_state(t, thread_running);
    maybe_donate(t, n);
    possible_switch_to(t);
}

void notification_signal(notification_t *n, word_t badge)
{
    switch (n->state) {
    case ntfn_idle: {
        tcb_t *bound = n->bound_tcb;
        if (bound && bound->state == thread_blocked_on_receive) {
            ipc_cancel(bound);
            wake(bound, n, badge);
        } else {
            n->state = ntfn_active;
            n->word = badge;
        }
        return;
    }
    case ntfn_waiting: {
        tcb_t *t = n->queue.head;
        notification_dequeue(n, t);
        wake(t, n, badge);
        return;
    }
    case ntfn_active:
        n->word |= badge;
        return;
    }
}

void notification_complete(notification_t *n, tcb_t *t)
{
    set_register(t, REG_BADGE, n->word);
    n->word = 0;
    n->state = ntfn_idle;
    maybe_donate(t, n);
}

void notification_receive(tcb_t *t, notification_t *n, bool blocking)
{
    if (n->state == ntfn_active) {
        notification_complete(n, t);
        return;
    }
    if (!blocking) {
        set_register(t, REG_BADGE, 0);
        return;
    }
    thread_set_state(t, thread_blocked_on_notification);
    t->blocking_object = (word_t)(uintptr_t)n;
    ntfn_enqueue(n, t);
    maybe_return(n, t);
}

void notification_bind(notification_t *n, tcb_t *t)
{
    n->bound_tcb = t;
    t->bound_notification = n;
}

void notification_unbind_tcb(tcb_t *t)
{
    notification_t *n = t->bound_notification;
    if (!n)
        return;
    n->bound_tcb = NULL;
    t->bound_notification = NULL;
}

void notification_finalise(notification_t *n)
{
    if (n->bound_tcb)
        notification_unbind_tcb(n->bound_tcb);
    if (n->sc)
        sched_context_unbind_notification(n->sc);
    tcb_t *t = n->queue.head;
    n->queue = (tcb_queue_t){ NULL, NULL };
    n->state = ntfn_idle;
    while (t) {
        tcb_t *next = t->ep_next;
        t->ep_next = t->ep_prev = NULL;
        thread_set_state(t, thread_restart);
        possible_switch_to(t);
        t = next;
    }
}
