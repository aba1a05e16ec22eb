/* Channels, interrupts and capability sharing: the per-PD id namespace
 * shared by channel ends and IRQs, system-wide IRQ numbers, protected
 * procedure call rules, the masks libmicrokit checks ids against, and the
 * user slots of <cspace>. */
#include <inttypes.h>

#include "compile.h"

/* Where each channel id of each PD was first used. */
struct id_table {
    struct loc *first; /* [pd * (MAX_CHANNEL_ID + 1) + id], line 0 = free */
};

static bool claim_id(struct compilation *c, struct id_table *table, int pd,
                     uint64_t id, struct loc loc)
{
    struct loc *slot = &table->first[(size_t)pd * (MAX_CHANNEL_ID + 1) + id];
    if (slot->file == NULL) {
        *slot = loc;
        return true;
    }
    diag_error(c->diag, loc,
               "duplicate channel id %" PRIu64 " in protection domain '%s'", id,
               pd_label(&c->sys.pds.items[pd]));
    diag_note(c->diag, *slot, "first used here");
    return false;
}

static void check_irqs(struct compilation *c, struct id_table *ids)
{
    struct system *sys = &c->sys;
    const struct irq **owner_irq =
        arena_alloc(c->arena, (MAX_IRQ_NUMBER + 1) * sizeof *owner_irq);
    int *owner_pd = arena_alloc(c->arena, (MAX_IRQ_NUMBER + 1) * sizeof *owner_pd);
    for (size_t i = 0; i < sys->pds.len; i++) {
        struct pd *pd = &sys->pds.items[i];
        for (size_t j = 0; j < pd->irqs.len; j++) {
            struct irq *irq = &pd->irqs.items[j];
            if (!irq->valid)
                continue;
            if (owner_irq[irq->number]) {
                diag_error(c->diag, irq->number_loc,
                           "irq %" PRIu64 " is already used by protection "
                           "domain '%s'",
                           irq->number, pd_label(&sys->pds.items[owner_pd[irq->number]]));
                diag_note(c->diag, owner_irq[irq->number]->loc,
                          "first used here");
                irq->valid = false;
                continue;
            }
            owner_irq[irq->number] = irq;
            owner_pd[irq->number] = (int)i;
            if (!claim_id(c, ids, (int)i, irq->id, irq->id_loc)) {
                irq->valid = false;
                continue;
            }
            pd->irq_mask |= UINT64_C(1) << irq->id;
        }
    }
}

/* A PPC runs the callee on the caller's budget at the callee's priority, so
 * calls may only go up in priority; that also rules out call cycles. */
static void check_ppc(struct compilation *c, const struct channel_end *caller,
                      const struct channel_end *callee)
{
    const struct pd *from = &c->sys.pds.items[caller->pd];
    const struct pd *to = &c->sys.pds.items[callee->pd];
    if (!from->priority_valid || !to->priority_valid ||
        to->priority > from->priority)
        return;
    diag_error(c->diag, caller->pp_loc,
               "protected procedure call from '%s' (priority %" PRIu64
               ") to '%s' (priority %" PRIu64
               "): the callee must have a strictly higher priority",
               pd_label(from), from->priority, pd_label(to), to->priority);
}

static void check_channel(struct compilation *c, struct channel *channel,
                          struct id_table *ids)
{
    struct channel_end *a = &channel->ends[0], *b = &channel->ends[1];
    if (a->pp && b->pp) {
        diag_error(c->diag, b->pp_loc,
                   "both ends of the channel have pp=\"true\": a protected "
                   "procedure call can only go one way");
        diag_note(c->diag, a->pp_loc, "other end here");
        channel->valid = false;
    }
    for (int e = 0; e < 2; e++) {
        struct channel_end *end = &channel->ends[e];
        channel->valid &= claim_id(c, ids, end->pd, end->id, end->id_loc);
    }
    if (!channel->valid)
        return;
    for (int e = 0; e < 2; e++) {
        const struct channel_end *end = &channel->ends[e];
        const struct channel_end *peer = &channel->ends[1 - e];
        struct pd *pd = &c->sys.pds.items[end->pd];
        if (end->notify)
            pd->notification_mask |= UINT64_C(1) << end->id;
        if (end->pp) {
            check_ppc(c, end, peer);
            pd->pp_mask |= UINT64_C(1) << end->id;
            c->sys.pds.items[peer->pd].receives_ppc = true;
        }
    }
}

void check_channels(struct compilation *c)
{
    struct system *sys = &c->sys;
    struct id_table ids = {
        arena_alloc(c->arena, (sys->pds.len + 1) * (MAX_CHANNEL_ID + 1) *
                                  sizeof(struct loc)),
    };
    check_irqs(c, &ids);
    /* The profiler's notification is a channel id of its PD too. */
    for (size_t i = 0; i < sys->pds.len; i++)
        for (size_t j = 0; j < sys->pds.items[i].profilers.len; j++) {
            struct profiler *prof = &sys->pds.items[i].profilers.items[j];
            if (prof->valid && !claim_id(c, &ids, (int)i, prof->id, prof->id_loc))
                prof->valid = false;
        }
    for (size_t i = 0; i < sys->channels.len; i++) {
        struct channel *channel = &sys->channels.items[i];
        if (channel->valid)
            check_channel(c, channel, &ids);
    }
}

void check_cspaces(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        struct pd *pd = &c->sys.pds.items[i];
        const struct cap_share *first[MAX_CSPACE_SLOT + 1] = { 0 };
        for (size_t j = 0; j < pd->caps.len; j++) {
            struct cap_share *cap = &pd->caps.items[j];
            if (!cap->valid)
                continue;
            if (first[cap->slot]) {
                diag_error(c->diag, cap->slot_loc,
                           "slot %" PRIu64 " of the cspace of protection "
                           "domain '%s' is already used",
                           cap->slot, pd_label(pd));
                diag_note(c->diag, first[cap->slot]->loc, "first used here");
                cap->valid = false;
                continue;
            }
            first[cap->slot] = cap;
        }
    }
}
