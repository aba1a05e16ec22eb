/*
 * Cache maintenance: Page_{Clean,Invalidate,CleanInvalidate}_Data and
 * Page_Unify_Instruction over offsets in a frame, the same four on a
 * VSpace over a virtual range, with seL4's errors; and what they are for:
 * code written as data runs after Unify_Instruction, and data written
 * through an uncached alias is seen through a cached one after Invalidate.
 */
#include "vm.h"

typedef seL4_Error (*page_op_fn)(seL4_ARM_Page, seL4_Word, seL4_Word);
typedef seL4_Error (*vspace_op_fn)(seL4_ARM_VSpace, seL4_Word, seL4_Word);

static const page_op_fn page_ops[] = {
    seL4_ARM_Page_Clean_Data, seL4_ARM_Page_Invalidate_Data,
    seL4_ARM_Page_CleanInvalidate_Data, seL4_ARM_Page_Unify_Instruction,
};
static const vspace_op_fn vspace_ops[] = {
    seL4_ARM_VSpace_Clean_Data, seL4_ARM_VSpace_Invalidate_Data,
    seL4_ARM_VSpace_CleanInvalidate_Data, seL4_ARM_VSpace_Unify_Instruction,
};
static const seL4_Word page_labels[] = {
    ARMPageClean_Data, ARMPageInvalidate_Data, ARMPageCleanInvalidate_Data,
    ARMPageUnify_Instruction,
};

TEST(cache_page_ops, "Page cache operations: whole frame, parts, large frames; range "
                     "errors, unmapped frame, truncated")
{
    seL4_CPtr frame = KT_FRAME(), large = KT_NEW(seL4_ARM_LargePageObject, 0);
    seL4_CPtr unmapped = KT_FRAME();
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    VM_MAP(large, KT_ROOT_VSPACE, VM_VA_GIB + 0x200000, VM_RW, VM_CACHED);
    vm_poke(VM_VA_GIB, 42);
    for (unsigned i = 0; i < 4; i++) {
        page_op_fn op = page_ops[i];
        KT_OK(op(frame, 0, 4096));
        KT_OK(op(frame, 8, 9));
        KT_OK(op(frame, 4095, 4096));
        KT_OK(op(large, 0x1000, 0x200000));
        KT_ERR(op(frame, 16, 16), seL4_InvalidArgument);
        KT_MR_EQ(0, 1);
        KT_ERR(op(frame, 32, 16), seL4_InvalidArgument);
        KT_MR_EQ(0, 1);
        KT_ERR(op(frame, 4096, 4100), seL4_InvalidArgument);
        KT_MR_EQ(0, 0);
        KT_ERR(op(frame, 0, 4097), seL4_InvalidArgument);
        KT_MR_EQ(0, 0);
        KT_ERR(op(unmapped, 0, 64), seL4_IllegalOperation);
        KT_ERR(kt_call_raw(frame, page_labels[i], 1, 0, 0, 64, 0, 0), seL4_TruncatedMessage);
    }
    /* None of it changed the data (Invalidate cleans partial lines first). */
    KT_EQ(vm_peek(VM_VA_GIB), 42);
    return KT_PASS;
}

TEST(cache_vspace_ops, "VSpace cache operations: within one frame; crossing a frame is a "
                       "RangeError; nothing mapped is a no-op; range and cap errors")
{
    seL4_CPtr frame = KT_FRAME(), large = KT_NEW(seL4_ARM_LargePageObject, 0);
    seL4_CPtr unassigned = KT_NEW(seL4_ARM_VSpaceObject, 0);
    const seL4_Word va = VM_VA_GIB, big = VM_VA_GIB + 0x200000;
    VM_MAP(frame, KT_ROOT_VSPACE, va, VM_RW, VM_CACHED);
    VM_MAP(large, KT_ROOT_VSPACE, big, VM_RW, VM_CACHED);
    for (unsigned i = 0; i < 4; i++) {
        vspace_op_fn op = vspace_ops[i];
        KT_OK(op(KT_ROOT_VSPACE, va, va + 4096));
        KT_OK(op(KT_ROOT_VSPACE, va + 100, va + 200));
        KT_OK(op(KT_ROOT_VSPACE, big + 0xff0, big + 0x1010));  /* inside the 2 MiB frame */
        KT_OK(op(KT_ROOT_VSPACE, VM_VA_512G, VM_VA_512G + 64)); /* nothing there */
        KT_ERR(op(KT_ROOT_VSPACE, va + 4000, va + 4200), seL4_RangeError);
        KT_MR_EQ(0, va + 4000);
        KT_MR_EQ(1, va + 4095);
        KT_ERR(op(KT_ROOT_VSPACE, va + 8, va + 8), seL4_InvalidArgument);
        KT_MR_EQ(0, 1);
        KT_ERR(op(KT_ROOT_VSPACE, va, seL4_UserTop + 1), seL4_IllegalOperation);
        KT_ERR(op(unassigned, va, va + 64), seL4_InvalidCapability);
        KT_MR_EQ(0, 0);
        KT_ERR(kt_call_raw(KT_ROOT_VSPACE, ARMVSpaceClean_Data + i, 1, 0, va, va + 64, 0, 0),
               seL4_TruncatedMessage);
    }
    KT_ERR(kt_call_raw(KT_ROOT_VSPACE, ARMPageMap, 3, 0, va, 0, 0, 0), seL4_IllegalOperation);
    return KT_PASS;
}

/* Write "mov x0, #value; ret" at va (a writable mapping). */
static void write_code(seL4_Word va, unsigned value)
{
    volatile uint32_t *code = (volatile uint32_t *)va;
    code[0] = VM_INSN_MOV_X0(value);
    code[1] = VM_INSN_RET;
}

TEST(cache_unify_runs_new_code, "Code written through one mapping runs through another "
                                "after Unify_Instruction (page and VSpace forms)")
{
    seL4_CPtr frame = KT_FRAME();
    seL4_CPtr exec = KT_COPY(frame, seL4_AllRights);
    const seL4_Word data = VM_VA_GIB, text = VM_VA_GIB + 0x10000;
    VM_MAP(frame, KT_ROOT_VSPACE, data, VM_RW, VM_NX);
    VM_MAP(exec, KT_ROOT_VSPACE, text, VM_RO, VM_CACHED);
    write_code(data + 64, 42);
    KT_OK(seL4_ARM_Page_Unify_Instruction(frame, 64, 72));
    KT_EQ(vm_call(text + 64), 42);
    write_code(data + 64, 4242);
    KT_OK(seL4_ARM_VSpace_Unify_Instruction(KT_ROOT_VSPACE, text + 64, text + 72));
    KT_EQ(vm_call(text + 64), 4242);
    return KT_PASS;
}

TEST(cache_uncached_alias, "Writes through an uncached mapping are seen through a cached "
                           "one after Invalidate_Data, and the other way after Clean_Data")
{
    seL4_CPtr cached = KT_FRAME();
    seL4_CPtr uncached = KT_COPY(cached, seL4_AllRights);
    const seL4_Word c = VM_VA_GIB, u = VM_VA_GIB + 0x1000;
    VM_MAP(cached, KT_ROOT_VSPACE, c, VM_RW, VM_CACHED);
    VM_MAP(uncached, KT_ROOT_VSPACE, u, VM_RW, 0);
    KT_OK(seL4_ARM_Page_CleanInvalidate_Data(cached, 0, 4096));
    vm_poke(u + 128, 0xabc);
    KT_OK(seL4_ARM_Page_Invalidate_Data(cached, 128, 136));
    KT_EQ(vm_peek(c + 128), 0xabc);
    vm_poke(c + 256, 0xdef);
    KT_OK(seL4_ARM_VSpace_Clean_Data(KT_ROOT_VSPACE, c + 256, c + 264));
    KT_EQ(vm_peek(u + 256), 0xdef);
    return KT_PASS;
}

TEST(cache_user_maintenance, "EL0 may read CTR_EL0 and clean and invalidate data cache lines "
     "and invalidate instruction cache lines by address (seL4's default: SCTLR_EL1.UCT, UCI)")
{
    static volatile seL4_Word line[8] __attribute__((aligned(64)));
    seL4_Word ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    KT_NE(ctr, 0);
    line[0] = 0x5a;
    __asm__ volatile("dc cvau, %0; dc civac, %0; ic ivau, %0; dsb ish; isb"
                     :: "r"(line) : "memory");
    KT_EQ(line[0], 0x5a);
    return KT_PASS;
}
