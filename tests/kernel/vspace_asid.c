/*
 * ASIDs: ASIDControl_MakePool and ASIDPool_Assign with seL4's errors, pool
 * exhaustion, ASIDs coming back when a VSpace or pool goes, and threads
 * running in address spaces of their own: isolation between ASIDs, and a
 * thread whose ASID was freed never running in the stale address space.
 */
#include "vm.h"

/* MakePool from `ut` into a fresh slot; the slot in *pool. */
static seL4_Error make_pool(seL4_CPtr ut, seL4_CPtr *pool)
{
    *pool = kt_slot();
    return seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, KT_ROOT_CNODE, *pool,
                                         KT_DEPTH);
}

/* ------------------------------------------------------------ MakePool */

TEST(asid_make_pool, "MakePool: a pool from a 4 KiB untyped that becomes full; its ASIDs "
                     "serve VSpaces")
{
    seL4_CPtr ut = KT_UNTYPED(seL4_ASIDPoolBits), pool;
    KT_OK(make_pool(ut, &pool));
    KT_CAP_IS(pool, KT_CAP_ASID_POOL);
    /* All of the untyped went into the pool. */
    KT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, KT_ROOT_CNODE, 0, 0, kt_slot(), 1),
           seL4_NotEnoughMemory);
    seL4_CPtr again;
    KT_ERR(make_pool(ut, &again), seL4_RevokeFirst);
    seL4_CPtr vs = KT_NEW(seL4_ARM_VSpaceObject, 0);
    KT_OK(seL4_ARM_ASIDPool_Assign(pool, vs));
    VM_MAP(KT_FRAME(), vs, VM_VA_GIB, VM_RW, VM_CACHED);
    return KT_PASS;
}

TEST(asid_make_pool_errors, "MakePool: wrong untyped size, device untyped, not an untyped, "
                            "untyped with children, occupied or bad destination, truncated")
{
    seL4_CPtr big = KT_UNTYPED(13), ut = KT_UNTYPED(12), used = KT_UNTYPED(12);
    seL4_CPtr ep = KT_EP(), pool;
    KT_ERR(make_pool(big, &pool), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(make_pool(ep, &pool), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    seL4_Word paddr, bits;
    seL4_CPtr dev = kt_device_untyped(12, &paddr, &bits);
    if (dev && bits == 12) {
        KT_ERR(make_pool(dev, &pool), seL4_InvalidCapability);
        KT_MR_EQ(0, 1);
    }
    KT_OK(seL4_Untyped_Retype(used, seL4_EndpointObject, 0, KT_ROOT_CNODE, 0, 0, kt_slot(), 1));
    KT_ERR(make_pool(used, &pool), seL4_RevokeFirst);
    KT_ERR(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, KT_ROOT_CNODE, ep, KT_DEPTH),
           seL4_DeleteFirst);
    KT_ERR(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, ep, kt_slot(), KT_DEPTH),
           seL4_FailedLookup);
    /* Truncated: one extra cap, or one message word. */
    seL4_SetCap(0, ut);
    KT_ERR(kt_call_raw(seL4_CapASIDControl, ARMASIDControlMakePool, 2, 1, kt_slot(), KT_DEPTH,
                       0, 0), seL4_TruncatedMessage);
    seL4_SetCap(0, ut);
    seL4_SetCap(1, KT_ROOT_CNODE);
    KT_ERR(kt_call_raw(seL4_CapASIDControl, ARMASIDControlMakePool, 1, 2, kt_slot(), 0, 0, 0),
           seL4_TruncatedMessage);
    KT_ERR(kt_call_raw(seL4_CapASIDControl, ARMASIDPoolAssign, 0, 0, 0, 0, 0, 0),
           seL4_IllegalOperation);
    /* Nothing was taken from `ut` by the failures. */
    KT_OK(make_pool(ut, &pool));
    return KT_PASS;
}

TEST(asid_pools_run_out, "MakePool: 128 pools at most (DeleteFirst), a deleted pool's place "
                         "is reused")
{
    seL4_CPtr last = 0, pool = 0;
    int made = 0;
    seL4_Error err;
    /* The root task's pool is one; others may exist: make until refused. */
    while ((err = make_pool(KT_UNTYPED(12), &pool)) == seL4_NoError && made < 200) {
        last = pool;
        made++;
    }
    KT_ERR(err, seL4_DeleteFirst);
    KT_GE(made, 100);
    KT_LE(made, 127);
    KT_OK(kt_delete(last));
    KT_OK(make_pool(KT_UNTYPED(12), &pool));
    KT_ERR(make_pool(KT_UNTYPED(12), &pool), seL4_DeleteFirst);
    return KT_PASS;
}

/* ------------------------------------------------------------ Assign */

TEST(asid_assign_errors, "ASIDPool_Assign: assigned VSpace, not a VSpace, truncated, wrong "
                         "label")
{
    seL4_CPtr vs = KT_NEW(seL4_ARM_VSpaceObject, 0);
    seL4_CPtr pt = KT_NEW(seL4_ARM_PageTableObject, 0);
    KT_OK(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs));
    KT_ERR(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pt), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, KT_ROOT_VSPACE),
           seL4_InvalidCapability);
    KT_ERR(kt_call_raw(seL4_CapInitThreadASIDPool, ARMASIDPoolAssign, 0, 0, 0, 0, 0, 0),
           seL4_TruncatedMessage);
    seL4_SetCap(0, vs);
    KT_ERR(kt_call_raw(seL4_CapInitThreadASIDPool, ARMASIDControlMakePool, 0, 1, 0, 0, 0, 0),
           seL4_IllegalOperation);
    /* An assigned VSpace may be copied; an unassigned one may not. */
    KT_COPY(vs, seL4_AllRights);
    seL4_CPtr fresh = KT_NEW(seL4_ARM_VSpaceObject, 0);
    KT_ERR(seL4_CNode_Copy(KT_ROOT_CNODE, kt_slot(), KT_DEPTH, KT_ROOT_CNODE, fresh, KT_DEPTH,
                           seL4_AllRights), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(asid_pool_full, "ASIDPool_Assign: a pool holds 512 VSpaces, then DeleteFirst; deleting "
                     "a VSpace gives its ASID back")
{
    seL4_CPtr pool;
    KT_OK(make_pool(KT_UNTYPED(12), &pool));
    seL4_CPtr ut = KT_UNTYPED(seL4_VSpaceBits + 9), first;
    kt_slots(&first, 513);
    KT_NE(first, 0);
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_VSpaceObject, 0, KT_ROOT_CNODE, 0, 0, first, 256));
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_VSpaceObject, 0, KT_ROOT_CNODE, 0, 0, first + 256,
                              256));
    for (seL4_CPtr i = 0; i < 512; i++)
        KT_OK(seL4_ARM_ASIDPool_Assign(pool, first + i));
    seL4_CPtr extra = KT_NEW(seL4_ARM_VSpaceObject, 0);
    KT_ERR(seL4_ARM_ASIDPool_Assign(pool, extra), seL4_DeleteFirst);
    KT_OK(kt_delete(first + 100));
    KT_OK(seL4_ARM_ASIDPool_Assign(pool, extra));
    KT_ERR(seL4_ARM_ASIDPool_Assign(pool, KT_NEW(seL4_ARM_VSpaceObject, 0)), seL4_DeleteFirst);
    return KT_PASS;
}

TEST(asid_pool_deleted, "Deleting a pool frees its ASIDs: its VSpaces fail lookups "
                        "(FailedLookup, invalid root) and cannot be assigned again")
{
    seL4_CPtr pool;
    KT_OK(make_pool(KT_UNTYPED(12), &pool));
    seL4_CPtr vs = KT_NEW(seL4_ARM_VSpaceObject, 0), frame = KT_FRAME();
    KT_OK(seL4_ARM_ASIDPool_Assign(pool, vs));
    VM_MAP(frame, vs, VM_VA_GIB, VM_RW, VM_CACHED);
    KT_OK(kt_delete(pool));
    KT_ERR(seL4_ARM_Page_Map(KT_FRAME(), vs, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED),
           seL4_FailedLookup);
    KT_MR_EQ(1, seL4_InvalidRoot);
    KT_ERR(seL4_ARM_PageTable_Map(KT_NEW(seL4_ARM_PageTableObject, 0), vs, VM_VA_512G,
                                  VM_CACHED), seL4_FailedLookup);
    KT_ERR(seL4_ARM_VSpace_Clean_Data(vs, VM_VA_GIB, VM_VA_GIB + 64), seL4_FailedLookup);
    KT_ERR(seL4_ARM_Page_Clean_Data(frame, 0, 64), seL4_FailedLookup);
    KT_ERR(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs), seL4_InvalidCapability);
    /* Unmapping in a dead address space is harmless. */
    KT_OK(seL4_ARM_Page_Unmap(frame));
    return KT_PASS;
}

/* ------------------------------------------------------------ threads in their own VSpace */

static int read_gib(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = vm_peek(VM_VA_GIB);
    return 0;
}

TEST(asid_threads_isolated, "Threads in two VSpaces (two ASIDs) see their own memory at "
                            "the same address")
{
    seL4_CPtr vs = VM_VSPACE();
    KT_OK(vm_clone_image(vs));
    seL4_CPtr mine = KT_FRAME(), theirs = KT_FRAME();
    VM_MAP(mine, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    VM_MAP(theirs, vs, VM_VA_GIB, VM_RW, VM_CACHED);
    seL4_CPtr alias = KT_COPY(theirs, seL4_AllRights);
    VM_MAP(alias, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED);
    vm_poke(VM_VA_GIB, 111);
    vm_poke(VM_VA_GIB + 0x1000, 222);
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1 };
    if (!vm_thread_in(&t, "vm-other-space", &o, vs, read_gib, NULL))
        return KT_FAILED;
    KT_START(&t);
    KT_ASSERT(kt_wait_flag(&t.finished, 100));
    KT_EQ(t.user[0], 222);
    KT_EQ(vm_peek(VM_VA_GIB), 111);
    return KT_PASS;
}

TEST(asid_reused_after_delete, "A freed ASID's next VSpace sees only its own mappings")
{
    seL4_CPtr pool;
    KT_OK(make_pool(KT_UNTYPED(12), &pool));
    seL4_Word values[2] = { 0x11, 0x22 };
    for (int round = 0; round < 2; round++) {
        /* Both rounds get the pool's first ASID. */
        seL4_CPtr vs = KT_NEW(seL4_ARM_VSpaceObject, 0), frame = KT_FRAME();
        KT_OK(seL4_ARM_ASIDPool_Assign(pool, vs));
        KT_OK(vm_clone_image(vs));
        VM_MAP(frame, vs, VM_VA_GIB, VM_RW, VM_CACHED);
        seL4_CPtr alias = KT_COPY(frame, seL4_AllRights);
        VM_MAP(alias, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
        vm_poke(VM_VA_GIB, values[round]);
        KT_OK(seL4_ARM_Page_Unmap(alias));
        kt_thread_t t;
        struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1 };
        if (!vm_thread_in(&t, "vm-reuse", &o, vs, read_gib, NULL))
            return KT_FAILED;
        KT_START(&t);
        KT_ASSERT(kt_wait_flag(&t.finished, 100));
        KT_EQ(t.user[0], values[round]);
        KT_OK(kt_delete(t.tcb));
        KT_OK(kt_delete(vs));               /* the ASID is free again */
    }
    return KT_PASS;
}

struct spinner {
    seL4_CPtr started;                      /* notification: signalled once */
    volatile seL4_Word count;
};

static int spin(kt_thread_t *self, void *arg)
{
    (void)self;
    struct spinner *s = arg;
    s->count++;
    seL4_Signal(s->started);
    for (;;)
        s->count++;
    return 0;
}

TEST(asid_freed_thread_stops, "A running thread whose pool is deleted never runs in the "
                              "stale VSpace: it faults at its pc on the empty table")
{
    seL4_CPtr pool;
    KT_OK(make_pool(KT_UNTYPED(12), &pool));
    seL4_CPtr vs = KT_NEW(seL4_ARM_VSpaceObject, 0);
    KT_OK(seL4_ARM_ASIDPool_Assign(pool, vs));
    KT_OK(vm_clone_image(vs));
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    seL4_CPtr fep = KT_MINT(ep, seL4_AllRights, 0x5a);
    static struct spinner s;
    s.started = KT_NTFN();
    s.count = 0;
    kt_thread_t t;
    /* Below us: it spins only while we are blocked. */
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST - 10, .fault_ep = fep };
    if (!vm_thread_in(&t, "vm-spinner", &o, vs, spin, &s))
        return KT_FAILED;
    KT_START(&t);
    seL4_Wait(s.started, NULL);
    KT_GT(s.count, 0);
    KT_OK(kt_delete(pool));
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    KT_EQ(badge, 0x5a);
    KT_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KT_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    KT_EQ(seL4_GetMR(seL4_VMFault_Addr), seL4_GetMR(seL4_VMFault_IP));
    KT_EQ(VM_ESR_EC(seL4_GetMR(seL4_VMFault_FSR)), VM_EC_IABT_LOWER);
    KT_EQ(VM_ESR_FSC(seL4_GetMR(seL4_VMFault_FSR)), VM_FSC_TRANSLATION(VM_ROOT_LEVEL));
    seL4_Word count = s.count;
    KT_OK(seL4_TCB_Suspend(t.tcb));
    KT_EQ(s.count, count);
    return KT_PASS;
}

static int delete_own_pool(kt_thread_t *self, void *arg)
{
    seL4_CPtr pool = (seL4_CPtr)arg;
    self->user[0] = seL4_CNode_Delete(KT_ROOT_CNODE, pool, KT_DEPTH) + 1;
    self->user[1] = 1;      /* never reached: the VSpace is gone */
    return 0;
}

TEST(asid_delete_own_pool, "A thread that deletes the pool of its own VSpace does not "
                           "return into it: it faults on the empty table")
{
    seL4_CPtr pool;
    KT_OK(make_pool(KT_UNTYPED(12), &pool));
    seL4_CPtr vs = KT_NEW(seL4_ARM_VSpaceObject, 0);
    KT_OK(seL4_ARM_ASIDPool_Assign(pool, vs));
    KT_OK(vm_clone_image(vs));
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    seL4_CPtr fep = KT_MINT(ep, seL4_AllRights, 0x77);
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1, .fault_ep = fep };
    if (!vm_thread_in(&t, "vm-self-delete", &o, vs, delete_own_pool, (void *)pool))
        return KT_FAILED;
    KT_START(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &badge, reply);
    KT_EQ(badge, 0x77);
    KT_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KT_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    KT_EQ(VM_ESR_FSC(seL4_GetMR(seL4_VMFault_FSR)), VM_FSC_TRANSLATION(VM_ROOT_LEVEL));
    KT_EQ(t.user[1], 0);
    KT_ERR(kt_delete(pool), seL4_NoError);      /* already empty */
    KT_OK(seL4_TCB_Suspend(t.tcb));
    return KT_PASS;
}
