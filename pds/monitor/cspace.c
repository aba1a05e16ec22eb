/*
 * PD kernel objects and CSpaces.
 *
 * Objects are created in bulk, one retype per kind where memory allows:
 * per PD a TCB, a scheduling context, a reply object, a notification, an
 * endpoint if it receives PPCs or has children, a VSpace (given an ASID
 * from the monitor's pool), a 64-slot root CNode and the 512-slot Microkit
 * CNode. The monitor keeps the original caps; PDs get copies and badged
 * mints in the slots of include/system_tables.h (Microkit's layout):
 *
 *   root CNode   [0] Microkit CNode (guard 64 - 6 - 9 bits), [1..63] <cspace>
 *   Microkit     [1] input (endpoint or notification), [2] fault endpoint,
 *   CNode        [3] VSpace, [4] reply, [5] monitor endpoint (passive PDs),
 *                [6] own TCB (benchmark builds), [7] SMC, [10+ch] notify,
 *                [74+ch] PPC, [138+ch] IRQ handler, [202+id] child TCB,
 *                [266+id] vCPU TCB, [330+id] VCPU object (vms.c)
 */
#include "monitor.h"

struct pd_caps pd_caps[MAX_PDS];
static seL4_CPtr mon_ep, mon_reply;

seL4_CPtr monitor_endpoint(void)
{
    return mon_ep;
}

seL4_CPtr monitor_reply(void)
{
    return mon_reply;
}

void pd_objects_create(void)
{
    uint32_t n = sys->pd_count;
    char what[80];
    mon_ep = alloc_objects(seL4_EndpointObject, 0, 1, "creating the monitor's endpoint");
    mon_reply = alloc_objects(seL4_ReplyObject, 0, 1, "creating the monitor's reply object");
    if (n == 0)
        return;

    /* Largest first: less lost to alignment. */
    format_buf(what, sizeof what, "creating the Microkit CNodes of %u PDs", n);
    seL4_CPtr cnodes = alloc_objects(seL4_CapTableObject, SYS_PD_CNODE_BITS, n, what);
    format_buf(what, sizeof what, "creating the VSpaces of %u PDs", n);
    seL4_CPtr vspaces = alloc_objects(seL4_ARM_VSpaceObject, 0, n, what);
    format_buf(what, sizeof what, "creating the TCBs of %u PDs", n);
    seL4_CPtr tcbs = alloc_objects(seL4_TCBObject, 0, n, what);
    format_buf(what, sizeof what, "creating the root CNodes of %u PDs", n);
    seL4_CPtr roots = alloc_objects(seL4_CapTableObject, SYS_PD_ROOT_CNODE_BITS, n, what);
    format_buf(what, sizeof what, "creating the scheduling contexts of %u PDs", n);
    seL4_CPtr scs = alloc_objects(seL4_SchedContextObject, seL4_MinSchedContextBits, n, what);
    format_buf(what, sizeof what, "creating the notifications of %u PDs", n);
    seL4_CPtr ntfns = alloc_objects(seL4_NotificationObject, 0, n, what);
    format_buf(what, sizeof what, "creating the reply objects of %u PDs", n);
    seL4_CPtr replies = alloc_objects(seL4_ReplyObject, 0, n, what);
    uint32_t endpoints = 0;
    for (uint32_t i = 0; i < n; i++)
        endpoints += sys->pds[i].has_endpoint;
    seL4_CPtr eps = 0;
    if (endpoints) {
        format_buf(what, sizeof what, "creating the endpoints of %u PDs", endpoints);
        eps = alloc_objects(seL4_EndpointObject, 0, endpoints, what);
    }

    for (uint32_t i = 0, e = 0; i < n; i++) {
        struct pd_caps *c = &pd_caps[i];
        c->tcb = tcbs + i;
        c->sc = scs + i;
        c->reply = replies + i;
        c->notification = ntfns + i;
        c->endpoint = sys->pds[i].has_endpoint ? eps + e++ : 0;
        c->vspace = vspaces + i;
        c->root_cnode = roots + i;
        c->cnode = cnodes + i;
        check(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, c->vspace),
              "assigning an ASID to the VSpace of PD '%s'", pd_name(i));
    }
}

/* ---------------------------------------------------------------- slots */

static void copy_to(uint32_t pd, seL4_Word slot, seL4_CPtr src, const char *what)
{
    check(seL4_CNode_Copy(pd_caps[pd].cnode, slot, SYS_PD_CNODE_BITS, seL4_CapInitThreadCNode,
                          src, seL4_WordBits, seL4_AllRights),
          "copying %s into slot %lu for PD '%s'", what, (unsigned long)slot, pd_name(pd));
    stats.caps++;
}

static void mint_to(uint32_t pd, seL4_Word slot, seL4_CPtr src, seL4_CapRights_t rights,
                    seL4_Word badge, const char *what)
{
    check(seL4_CNode_Mint(pd_caps[pd].cnode, slot, SYS_PD_CNODE_BITS, seL4_CapInitThreadCNode,
                          src, seL4_WordBits, rights, badge),
          "minting %s (badge 0x%lx) into slot %lu for PD '%s'", what, (unsigned long)badge,
          (unsigned long)slot, pd_name(pd));
    stats.caps++;
}

static void fault_endpoint(uint32_t i)
{
    const struct sys_pd *pd = &sys->pds[i];
    seL4_CPtr handler_ep = mon_ep;
    if (pd->parent >= 0) {
        if ((uint32_t)pd->parent >= sys->pd_count || !pd_caps[pd->parent].endpoint)
            fail("PD '%s': its parent has no endpoint to take its faults", pd->name);
        handler_ep = pd_caps[pd->parent].endpoint;
    }
    /* The TCB's fault handler is looked up in the monitor's CSpace, so the
     * badged cap lives there; the PD gets a copy in its slot too. */
    seL4_CPtr f = slot_alloc(1);
    check(seL4_CNode_Mint(seL4_CapInitThreadCNode, f, seL4_WordBits, seL4_CapInitThreadCNode,
                          handler_ep, seL4_WordBits, call_rights(), pd->fault_badge),
          "minting the fault endpoint for PD '%s'", pd->name);
    pd_caps[i].fault_ep = f;
    copy_to(i, SYS_SLOT_FAULT_EP, f, "the fault endpoint");
}

static void fixed_slots(uint32_t i)
{
    const struct sys_pd *pd = &sys->pds[i];
    struct pd_caps *c = &pd_caps[i];
    seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - SYS_PD_ROOT_CNODE_BITS -
                                                    SYS_PD_CNODE_BITS).words[0];
    check(seL4_CNode_Mint(c->root_cnode, 0, SYS_PD_ROOT_CNODE_BITS, seL4_CapInitThreadCNode,
                          c->cnode, seL4_WordBits, seL4_AllRights, guard),
          "placing the Microkit CNode in the root CNode of PD '%s'", pd->name);
    copy_to(i, SYS_SLOT_INPUT, c->endpoint ? c->endpoint : c->notification,
            c->endpoint ? "its endpoint" : "its notification");
    fault_endpoint(i);
    copy_to(i, SYS_SLOT_VSPACE, c->vspace, "its VSpace");
    copy_to(i, SYS_SLOT_REPLY, c->reply, "its reply object");
    if (pd->passive)
        mint_to(i, SYS_SLOT_MONITOR_EP, mon_ep, call_rights(), i + 1, "the monitor's endpoint");
#ifdef CONFIG_BENCHMARK
    copy_to(i, SYS_SLOT_TCB, c->tcb, "its TCB");
#endif
    if (pd->smc)
        copy_to(i, SYS_SLOT_SMC, seL4_CapSMC, "the SMC capability");
}

static void channel_slots(uint32_t i)
{
    const struct sys_pd *pd = &sys->pds[i];
    for (uint32_t k = 0; k < pd->channel_end_count; k++) {
        const struct sys_channel_end *end = &sys->channel_ends[pd->first_channel_end + k];
        char what[96];
        if (end->id > 61 || end->peer >= sys->pd_count)
            fail("PD '%s': bad channel end (id %u, peer %u)", pd->name, end->id, end->peer);
        if (end->notify) {
            format_buf(what, sizeof what, "the notification of PD '%s' (channel %u)",
                       pd_name(end->peer), end->id);
            mint_to(i, SYS_SLOT_NOTIFY_BASE + end->id, pd_caps[end->peer].notification,
                    seL4_CanWrite, end->notify_badge, what);
        }
        if (end->pp) {
            if (!pd_caps[end->peer].endpoint)
                fail("PD '%s': channel %u calls PD '%s', which has no endpoint", pd->name,
                     end->id, pd_name(end->peer));
            format_buf(what, sizeof what, "the endpoint of PD '%s' (channel %u)",
                       pd_name(end->peer), end->id);
            mint_to(i, SYS_SLOT_PPC_BASE + end->id, pd_caps[end->peer].endpoint, call_rights(),
                    end->ppc_badge, what);
        }
    }
}

static void irq_slots(uint32_t i)
{
    const struct sys_pd *pd = &sys->pds[i];
    for (uint32_t k = 0; k < pd->irq_count; k++) {
        const struct sys_irq *irq = &sys->irqs[pd->first_irq + k];
        if (irq->channel > 61)
            fail("PD '%s': IRQ %u on bad channel %u", pd->name, irq->irq, irq->channel);
        seL4_CPtr handler = slot_alloc(1), badged = slot_alloc(1);
        seL4_Word trigger = irq->trigger == SYS_TRIGGER_EDGE ? SEL4_ARM_IRQ_TRIGGER_EDGE
                                                             : SEL4_ARM_IRQ_TRIGGER_LEVEL;
#if CONFIG_MAX_NUM_NODES > 1
        /* As Microkit: the interrupt goes to the PD's core (for a private
           line, a PPI such as a per-core timer's, that core's copy). */
        check(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, irq->irq, trigger,
                                             seL4_CapInitThreadCNode, handler, seL4_WordBits,
                                             pd->cpu),
#else
        check(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, irq->irq, trigger,
                                         seL4_CapInitThreadCNode, handler, seL4_WordBits),
#endif
              "getting the handler of IRQ %u (%s-triggered) for PD '%s'", irq->irq,
              irq->trigger == SYS_TRIGGER_EDGE ? "edge" : "level", pd->name);
        check(seL4_CNode_Mint(seL4_CapInitThreadCNode, badged, seL4_WordBits,
                              seL4_CapInitThreadCNode, pd_caps[i].notification, seL4_WordBits,
                              seL4_CanWrite, 1ull << irq->channel),
              "badging the notification for IRQ %u for PD '%s'", irq->irq, pd->name);
        check(seL4_IRQHandler_SetNotification(handler, badged),
              "binding IRQ %u to the notification of PD '%s'", irq->irq, pd->name);
        check(seL4_CNode_Move(pd_caps[i].cnode, SYS_SLOT_IRQ_BASE + irq->channel,
                              SYS_PD_CNODE_BITS, seL4_CapInitThreadCNode, handler, seL4_WordBits),
              "moving the handler of IRQ %u into slot %u for PD '%s'", irq->irq,
              SYS_SLOT_IRQ_BASE + irq->channel, pd->name);
        stats.irqs++;
        stats.caps++;
    }
}

static void child_slots(uint32_t i)
{
    for (uint32_t k = 0; k < sys->pd_count; k++) {
        const struct sys_pd *child = &sys->pds[k];
        if (child->parent != (int32_t)i)
            continue;
        if (child->child_id >= 64)
            fail("PD '%s': child id %u of '%s' is out of range", pd_name(i), child->child_id,
                 child->name);
        char what[80];
        format_buf(what, sizeof what, "the TCB of child PD '%s'", child->name);
        copy_to(i, SYS_SLOT_CHILD_BASE + child->child_id, pd_caps[k].tcb, what);
    }
}

static void shared_slots(uint32_t i)
{
    static const char *const kinds[] = { "TCB", "scheduling context", "VSpace" };
    const struct sys_pd *pd = &sys->pds[i];
    for (uint32_t k = 0; k < pd->cap_share_count; k++) {
        const struct sys_cap_share *share = &sys->cap_shares[pd->first_cap_share + k];
        if (share->source >= sys->pd_count || share->kind > SYS_CAP_VSPACE ||
            share->slot == 0 || share->slot >= (1u << SYS_PD_ROOT_CNODE_BITS))
            fail("PD '%s': bad <cspace> entry (slot %u)", pd->name, share->slot);
        const struct pd_caps *src = &pd_caps[share->source];
        seL4_CPtr cap = share->kind == SYS_CAP_TCB  ? src->tcb
                        : share->kind == SYS_CAP_SC ? src->sc
                                                    : src->vspace;
        check(seL4_CNode_Copy(pd_caps[i].root_cnode, share->slot, SYS_PD_ROOT_CNODE_BITS,
                              seL4_CapInitThreadCNode, cap, seL4_WordBits, seL4_AllRights),
              "sharing the %s of PD '%s' into root slot %u for PD '%s'", kinds[share->kind],
              pd_name(share->source), share->slot, pd->name);
        stats.caps++;
    }
}

void cspaces_build(void)
{
    for (uint32_t i = 0; i < sys->pd_count; i++) {
        fixed_slots(i);
        channel_slots(i);
        irq_slots(i);
        child_slots(i);
        vm_slots(i);
        shared_slots(i);
    }
}
