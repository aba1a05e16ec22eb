/*
 * Memory reuse: build an address space (VSpace, page tables, frames, an
 * ASID, shared mappings into the root VSpace) from one untyped, use it,
 * revoke the untyped, and again, many times. Nothing may be lost: the
 * untyped is whole again after every revoke, fresh frames read as zero,
 * the ASID comes back (more rounds than a pool has ASIDs), and so do ASID
 * pools (more rounds than there are pools).
 */
#include "vm.h"
#include "kt_config.h"

#define FRAMES 8
#define UT_BITS 17

/* Slots reused by every round (emptied by the revoke that ends it). */
struct slots {
    seL4_CPtr vs, pts, frames, copies, whole;
};

static seL4_Error make(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_Word n, seL4_CPtr first)
{
    return seL4_Untyped_Retype(ut, type, bits, KT_ROOT_CNODE, 0, 0, first, n);
}

/* One round: an address space with FRAMES frames, also mapped in the root VSpace. */
static int one_round(seL4_CPtr ut, seL4_CPtr pool, const struct slots *s, seL4_Word round)
{
    KT_OK(make(ut, seL4_ARM_VSpaceObject, 0, 1, s->vs));
    KT_OK(make(ut, seL4_ARM_PageTableObject, 0, VM_TABLES_FOR_PAGE, s->pts));
    KT_OK(make(ut, seL4_ARM_SmallPageObject, 0, FRAMES, s->frames));
    KT_OK(seL4_ARM_ASIDPool_Assign(pool, s->vs));
    for (seL4_CPtr i = 0; i < VM_TABLES_FOR_PAGE; i++)
        KT_OK(seL4_ARM_PageTable_Map(s->pts + i, s->vs, VM_VA_512G, VM_CACHED));
    for (seL4_CPtr i = 0; i < FRAMES; i++) {
        seL4_Word va = VM_VA_512G + i * 4096, mine = VM_VA_GIB + i * 4096;
        KT_OK(seL4_ARM_Page_Map(s->frames + i, s->vs, va, VM_RW, VM_CACHED));
        KT_OK(seL4_CNode_Copy(KT_ROOT_CNODE, s->copies + i, KT_DEPTH, KT_ROOT_CNODE,
                              s->frames + i, KT_DEPTH, seL4_AllRights));
        /* The root VSpace's tables come from the pool, once, in the first round. */
        KT_OK(vm_map(s->copies + i, KT_ROOT_VSPACE, mine, VM_RW, VM_CACHED, NULL));
        KT_EQ(vm_peek(mine), 0);            /* reused memory comes back zeroed */
        KT_EQ(vm_peek(mine + 4088), 0);
        vm_poke(mine, round);
        vm_poke(mine + 4088, ~round);
    }
    /* Everything goes with the untyped: frames, copies, tables, VSpace, ASID. */
    KT_OK(kt_revoke(ut));
    /* Whole again: one untyped of the full size fits. */
    KT_OK(make(ut, seL4_UntypedObject, UT_BITS, 1, s->whole));
    KT_OK(kt_revoke(ut));
    return KT_PASS;
}

static int address_spaces(int rounds)
{
    seL4_CPtr ut = KT_UNTYPED(UT_BITS), pool = kt_slot();
    KT_OK(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, KT_UNTYPED(12), KT_ROOT_CNODE, pool,
                                        KT_DEPTH));
    struct slots s;
    kt_slots(&s.vs, 1);
    kt_slots(&s.pts, VM_TABLES_FOR_PAGE);
    kt_slots(&s.frames, FRAMES);
    kt_slots(&s.copies, FRAMES);
    kt_slots(&s.whole, 1);
    KT_ASSERT(s.vs && s.pts && s.frames && s.copies && s.whole);
    for (int r = 0; r < rounds; r++) {
        kt_step("address-space round");
        if (one_round(ut, pool, &s, (seL4_Word)r) != KT_PASS)
            return KT_FAILED;
    }
    return KT_PASS;
}

static int asid_pools(int rounds)
{
    seL4_CPtr ut = KT_UNTYPED(12), vs_ut = KT_UNTYPED(seL4_VSpaceBits);
    seL4_CPtr pool = kt_slot(), vs = kt_slot();
    for (int r = 0; r < rounds; r++) {
        kt_step("pool round");
        KT_OK(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, KT_ROOT_CNODE, pool,
                                            KT_DEPTH));
        KT_OK(make(vs_ut, seL4_ARM_VSpaceObject, 0, 1, vs));
        KT_OK(seL4_ARM_ASIDPool_Assign(pool, vs));
        KT_OK(kt_revoke(ut));               /* the pool and its ASIDs go */
        KT_OK(kt_revoke(vs_ut));
    }
    return KT_PASS;
}

TEST(vspace_stress_reuse, "Memory reuse: 600 address spaces built and revoked from one "
                          "untyped (more than a pool's 512 ASIDs), 200 ASID pools made and "
                          "deleted (more than the 128 pools): nothing is lost")
{
    if (address_spaces(600) != KT_PASS)
        return KT_FAILED;
    return asid_pools(200);
}

#ifdef KTEST_STRESS
TEST_STRESS(vspace_stress_reuse_long, "Memory reuse, long: 20000 address spaces, 5000 pools")
{
    if (address_spaces(20000) != KT_PASS)
        return KT_FAILED;
    return asid_pools(5000);
}
#endif
