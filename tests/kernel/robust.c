/*
 * Robustness: whatever a thread sends, the kernel answers with an
 * seL4_Error (or a fault) and goes on. Garbage labels, lengths and
 * arguments on every kind of object, empty and unresolvable caps.
 */
#include "ktest.h"

#define R KT_ROOT_CNODE
#define D KT_DEPTH

static seL4_Word rng_state;

static seL4_Word rng(void)
{
    /* xorshift64 */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* An argument word that is often small and sometimes wild. */
static seL4_Word arg(void)
{
    seL4_Word r = rng();
    switch (r & 3) {
    case 0: return (r >> 8) & 0xff;
    case 1: return (r >> 8) & 0xffff;
    case 2: return ~(r >> 8) & 0xff;
    default: return r;
    }
}

TEST(robust_garbage_invocations, "Every label 0..63 with garbage arguments on fresh objects of "
     "each kind: the kernel replies with an seL4_Error each time")
{
    seL4_CPtr sc = KT_SC();
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    seL4_CPtr irq = kt_slot();
    KT_OK(seL4_IRQControl_Get(seL4_CapIRQControl, 62, R, irq, D));
    const seL4_CPtr caps[] = {
        kt_slot(),                      /* empty slot */
        KT_UNTYPED(12), KT_NTFN(), KT_CNODE(4), KT_TCB(), sc, KT_REPLY(), KT_FRAME(),
        KT_NEW(seL4_ARM_PageTableObject, 0), KT_NEW(seL4_ARM_VSpaceObject, 0), irq,
    };
    static const seL4_Word lengths[] = { 0, 1, 2, 3, 5, 8 };
    rng_state = 0x9e3779b97f4a7c15ul;
    seL4_Word calls = 0;
    for (unsigned c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
        for (seL4_Word label = 0; label < 64; label++) {
            for (unsigned l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
                for (int i = 4; i < 8; i++)
                    seL4_SetMR(i, arg());
                seL4_Word got = kt_call_raw(caps[c], label, lengths[l], 0, arg(), arg(), arg(),
                                            arg());
                calls++;
                if (got >= seL4_NumErrors)
                    KT_FAIL("cap %u (tag %u), label %lu, length %lu: reply label %lu is not an "
                            "seL4_Error", c, seL4_DebugCapIdentify(caps[c]), label, lengths[l], got);
            }
        }
    }
    KT_EQ(calls, sizeof(caps) / sizeof(caps[0]) * 64 * sizeof(lengths) / sizeof(lengths[0]));
    /* the objects are still what they were */
    KT_CAP_IS(caps[2], KT_CAP_NOTIFICATION);
    KT_CAP_IS(caps[4], KT_CAP_THREAD);
    return KT_PASS;
}

TEST(robust_empty_slot_every_label, "Any invocation of an empty slot is InvalidCapability")
{
    seL4_CPtr empty = kt_slot();
    for (seL4_Word label = 0; label < 64; label++)
        KT_EQ(kt_call_raw(empty, label, 2, 0, 1, 2, 3, 4), seL4_InvalidCapability);
    return KT_PASS;
}

TEST(robust_nbsend_unresolvable, "NBSend to a CPtr that does not resolve, and Send to an empty "
     "slot, do nothing (no fault)")
{
    seL4_NBSend((seL4_CPtr)1 << 63, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_NBSend(~(seL4_CPtr)0, seL4_MessageInfo_new(5, 0, 0, 2));
    /* and an empty slot */
    seL4_NBSend(kt_slot(), seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Send(kt_slot(), seL4_MessageInfo_new(0, 0, 0, 0));
    return KT_PASS;
}

static int send_unresolvable(kt_thread_t *self, void *arg)
{
    (void)arg;
    seL4_Send((seL4_CPtr)1 << 63, seL4_MessageInfo_new(0, 0, 0, 0));
    self->user[1] = 1;
    return KT_PASS;
}

TEST(robust_send_unresolvable_faults, "A blocking Send to a CPtr that does not resolve is a "
     "cap fault (NBSend is not)")
{
    seL4_CPtr fep = KT_EP(), reply = KT_REPLY();
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1, .fault_ep = fep };
    KT_THREAD(&t, "send-bad", &o, send_unresolvable, NULL);
    KT_START(&t);
    seL4_MessageInfo_t m = seL4_Recv(fep, NULL, reply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), (seL4_Word)1 << 63);
    KT_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 0);
    KT_EQ(t.user[1], 0);
    return KT_PASS;
}

TEST(robust_unresolvable_extra_caps, "A non-blocking send whose extra caps do not resolve "
     "is dropped; odd capsUnwrapped bits and lengths are harmless")
{
    seL4_CPtr n = KT_NTFN();
    for (seL4_Word caps = 0; caps < 4; caps++) {
        seL4_CPtr b = KT_MINT(n, seL4_AllRights, 1ul << caps);
        for (int i = 0; i < 3; i++)
            seL4_SetCap(i, (seL4_CPtr)1 << 62);
        seL4_NBSend(b, seL4_MessageInfo_new(0x123, 7, caps, 127));
    }
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 1);
    return KT_PASS;
}
