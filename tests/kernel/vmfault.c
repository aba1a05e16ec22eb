/*
 * VM faults: a thread that reads unmapped memory, writes read-only memory
 * or executes a non-executable page stops with a VMFault message to its
 * fault endpoint (IP, Addr, PrefetchFault, FSR = ESR_EL1), and its
 * handler's reply resumes it at the faulting instruction once the handler
 * has fixed the mapping.
 */
#include "vm.h"

#define FAULT_BADGE 0xfa

/* What a faulting helper does, and what it got. */
struct access {
    seL4_Word va;
    seL4_Word value;
};

static int do_load(kt_thread_t *self, void *arg)
{
    struct access *a = arg;
    self->user[0] = vm_load(a->va);
    return 0;
}

static int do_store(kt_thread_t *self, void *arg)
{
    (void)self;
    struct access *a = arg;
    vm_store(a->va, a->value);
    return 0;
}

static int do_call(kt_thread_t *self, void *arg)
{
    struct access *a = arg;
    self->user[0] = vm_call(a->va);
    return 0;
}

/* A handler endpoint; the faulting helper runs above us, so it faults at once. */
struct handler {
    seL4_CPtr ep, fep, reply;
};

static bool start_faulter(kt_thread_t *t, struct handler *h, kt_thread_fn fn, void *arg)
{
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1, .fault_ep = h->fep };
    return kt_thread_create_(t, "vm-faulter", &o, fn, arg, __FILE__, __LINE__) &&
           kt_thread_start_(t, __FILE__, __LINE__);
}

/* Receive one message: it must be a VMFault from the helper. */
static int expect_vmfault(struct handler *h, seL4_Word ip, seL4_Word addr, bool fetch,
                          seL4_Word ec, seL4_Word fsc, int wnr)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(h->ep, &badge, h->reply);
    KT_EQ(badge, FAULT_BADGE);
    KT_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KT_EQ(seL4_MessageInfo_get_length(info), seL4_VMFault_Length);
    KT_EQ(seL4_GetMR(seL4_VMFault_IP), ip);
    KT_EQ(seL4_GetMR(seL4_VMFault_Addr), addr);
    KT_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), fetch);
    seL4_Word fsr = seL4_GetMR(seL4_VMFault_FSR);
    KT_EQ(VM_ESR_EC(fsr), ec);
    KT_EQ(VM_ESR_FSC(fsr), fsc);
    if (wnr >= 0)
        KT_EQ(VM_ESR_WNR(fsr), (seL4_Word)wnr);
    return KT_PASS;
}

static int make_handler(struct handler *h)
{
    h->ep = KT_EP();
    h->fep = KT_MINT(h->ep, seL4_AllRights, FAULT_BADGE);
    h->reply = KT_REPLY();
    return KT_PASS;
}

/* Reply (empty message, label `label`) and let the helper finish. */
static int resume(struct handler *h, kt_thread_t *t, seL4_Word label)
{
    seL4_Send(h->reply, seL4_MessageInfo_new(label, 0, 0, 0));
    KT_ASSERT(kt_wait_flag(&t->finished, 100));
    return KT_PASS;
}

TEST(vmfault_read_unmapped, "Reading unmapped memory: a data-abort VMFault (translation "
                            "fault, read); mapping the page and replying resumes the load")
{
    struct handler h;
    KT_ASSERT(make_handler(&h) == KT_PASS);
    /* The level-3 table exists, the page does not: a level-3 translation fault. */
    seL4_CPtr other = KT_FRAME(), frame = KT_FRAME();
    VM_MAP(other, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED);
    static struct access a = { VM_VA_GIB + 0x18, 0 };
    kt_thread_t t;
    KT_ASSERT(start_faulter(&t, &h, do_load, &a));
    if (expect_vmfault(&h, (seL4_Word)vm_load_insn, a.va, false, VM_EC_DABT_LOWER,
                       VM_FSC_TRANSLATION(3), 0) != KT_PASS)
        return KT_FAILED;
    KT_EQ(t.finished, 0);
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    vm_poke(a.va, 0x600d);
    if (resume(&h, &t, 0) != KT_PASS)
        return KT_FAILED;
    KT_EQ(t.user[0], 0x600d);
    return KT_PASS;
}

TEST(vmfault_read_no_table, "Reading where no table exists: the fault names the level of "
                            "the missing table")
{
    struct handler h;
    KT_ASSERT(make_handler(&h) == KT_PASS);
    static struct access a = { VM_VA_512G + 0x2340, 0 };
    kt_thread_t t;
    KT_ASSERT(start_faulter(&t, &h, do_load, &a));
    if (expect_vmfault(&h, (seL4_Word)vm_load_insn, a.va, false, VM_EC_DABT_LOWER,
                       VM_FSC_TRANSLATION(VM_ROOT_LEVEL), 0) != KT_PASS)
        return KT_FAILED;
    /* A VMFault reply resumes whatever its label (seL4): it faults again. */
    seL4_Send(h.reply, seL4_MessageInfo_new(7, 0, 0, 0));
    if (expect_vmfault(&h, (seL4_Word)vm_load_insn, a.va, false, VM_EC_DABT_LOWER,
                       VM_FSC_TRANSLATION(VM_ROOT_LEVEL), 0) != KT_PASS)
        return KT_FAILED;
    VM_MAP(KT_FRAME(), KT_ROOT_VSPACE, VM_VA_512G + 0x2000, VM_RW, VM_CACHED);
    vm_poke(a.va, 31);
    if (resume(&h, &t, 0) != KT_PASS)
        return KT_FAILED;
    KT_EQ(t.user[0], 31);
    return KT_PASS;
}

TEST(vmfault_write_read_only, "Writing read-only memory: a permission fault with WnR set; "
                              "remapping read-write and replying completes the store")
{
    struct handler h;
    KT_ASSERT(make_handler(&h) == KT_PASS);
    seL4_CPtr frame = KT_FRAME();
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RO, VM_CACHED);
    static struct access a = { VM_VA_GIB + 0x40, 0x5707e };
    kt_thread_t t;
    KT_ASSERT(start_faulter(&t, &h, do_store, &a));
    if (expect_vmfault(&h, (seL4_Word)vm_store_insn, a.va, false, VM_EC_DABT_LOWER,
                       VM_FSC_PERMISSION(3), 1) != KT_PASS)
        return KT_FAILED;
    KT_EQ(vm_peek(a.va), 0);
    KT_OK(seL4_ARM_Page_Map(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED));
    if (resume(&h, &t, 0) != KT_PASS)
        return KT_FAILED;
    KT_EQ(vm_peek(a.va), 0x5707e);
    return KT_PASS;
}

TEST(vmfault_write_read_only_cap, "A read-only frame cap maps read-only even when asked for "
                                  "read-write; a downgraded mapping faults at once")
{
    struct handler h;
    KT_ASSERT(make_handler(&h) == KT_PASS);
    seL4_CPtr frame = KT_FRAME();
    seL4_CPtr ro = KT_MINT(frame, seL4_CanRead, 0);
    VM_MAP(ro, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    /* Read-write, written, then remapped read-only: the TLB must not keep write access. */
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED);
    vm_poke(VM_VA_GIB + 0x1000, 1);
    KT_OK(seL4_ARM_Page_Map(frame, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RO, VM_CACHED));
    static struct access a[2] = { { VM_VA_GIB + 8, 3 }, { VM_VA_GIB + 0x1008, 4 } };
    kt_thread_t t[2];
    for (int i = 0; i < 2; i++) {
        KT_ASSERT(start_faulter(&t[i], &h, do_store, &a[i]));
        if (expect_vmfault(&h, (seL4_Word)vm_store_insn, a[i].va, false, VM_EC_DABT_LOWER,
                           VM_FSC_PERMISSION(3), 1) != KT_PASS)
            return KT_FAILED;
        KT_OK(seL4_TCB_Suspend(t[i].tcb));
    }
    KT_EQ(vm_peek(VM_VA_GIB + 8), 0);
    return KT_PASS;
}

TEST(vmfault_exec_never, "Executing an ExecuteNever page: an instruction-abort VMFault "
                         "(PrefetchFault, Addr = IP); remapping executable resumes it")
{
    struct handler h;
    KT_ASSERT(make_handler(&h) == KT_PASS);
    seL4_CPtr frame = KT_FRAME();
    seL4_CPtr text = KT_COPY(frame, seL4_AllRights);
    const seL4_Word data = VM_VA_GIB, code = VM_VA_GIB + 0x4000;
    VM_MAP(frame, KT_ROOT_VSPACE, data, VM_RW, VM_NX);
    volatile uint32_t *insn = (volatile uint32_t *)(data + 0x80);
    insn[0] = VM_INSN_MOV_X0(1234);
    insn[1] = VM_INSN_RET;
    KT_OK(seL4_ARM_Page_Unify_Instruction(frame, 0x80, 0x88));
    VM_MAP(text, KT_ROOT_VSPACE, code, VM_RO, VM_NX);
    static struct access a = { VM_VA_GIB + 0x4080, 0 };
    kt_thread_t t;
    KT_ASSERT(start_faulter(&t, &h, do_call, &a));
    if (expect_vmfault(&h, a.va, a.va, true, VM_EC_IABT_LOWER, VM_FSC_PERMISSION(3), -1) !=
        KT_PASS)
        return KT_FAILED;
    KT_OK(seL4_ARM_Page_Map(text, KT_ROOT_VSPACE, code, VM_RO, VM_CACHED));
    if (resume(&h, &t, 0) != KT_PASS)
        return KT_FAILED;
    KT_EQ(t.user[0], 1234);
    return KT_PASS;
}

TEST(vmfault_exec_unmapped, "Jumping to unmapped memory: an instruction-abort translation "
                            "fault at the target")
{
    struct handler h;
    KT_ASSERT(make_handler(&h) == KT_PASS);
    VM_MAP(KT_FRAME(), KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    static struct access a = { VM_VA_GIB + 0x3000, 0 };
    kt_thread_t t;
    KT_ASSERT(start_faulter(&t, &h, do_call, &a));
    if (expect_vmfault(&h, a.va, a.va, true, VM_EC_IABT_LOWER, VM_FSC_TRANSLATION(3), -1) !=
        KT_PASS)
        return KT_FAILED;
    KT_OK(seL4_TCB_Suspend(t.tcb));
    return KT_PASS;
}

TEST(vmfault_unmap_then_access, "After Page_Unmap the next access faults (the TLB forgot "
                                "the page)")
{
    struct handler h;
    KT_ASSERT(make_handler(&h) == KT_PASS);
    seL4_CPtr frame = KT_FRAME();
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    vm_poke(VM_VA_GIB, 8);
    KT_EQ(vm_peek(VM_VA_GIB), 8);
    KT_OK(seL4_ARM_Page_Unmap(frame));
    static struct access a = { VM_VA_GIB, 0 };
    kt_thread_t t;
    KT_ASSERT(start_faulter(&t, &h, do_load, &a));
    if (expect_vmfault(&h, (seL4_Word)vm_load_insn, a.va, false, VM_EC_DABT_LOWER,
                       VM_FSC_TRANSLATION(3), 0) != KT_PASS)
        return KT_FAILED;
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    if (resume(&h, &t, 0) != KT_PASS)
        return KT_FAILED;
    KT_EQ(t.user[0], 8);
    return KT_PASS;
}

TEST(vmfault_no_read_right, "Mapping rights without Read (write-only is not supported) "
                            "give a mapping user level can neither read nor execute")
{
    struct handler h;
    KT_ASSERT(make_handler(&h) == KT_PASS);
    seL4_CPtr frame = KT_FRAME();
    volatile uint32_t *code = (volatile uint32_t *)(VM_VA_GIB + 0x1000);
    seL4_CPtr alias = KT_COPY(frame, seL4_AllRights);
    VM_MAP(alias, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RW, VM_NX);
    code[0] = VM_INSN_MOV_X0(7);
    code[1] = VM_INSN_RET;
    KT_OK(seL4_ARM_Page_Unify_Instruction(alias, 0, 8));
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, seL4_CanWrite, VM_CACHED);
    /* The slot is taken all the same. */
    KT_ERR(seL4_ARM_Page_Map(KT_FRAME(), KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED),
           seL4_DeleteFirst);
    static struct access a[2] = { { VM_VA_GIB, 0 }, { VM_VA_GIB, 0 } };
    kt_thread_t t[2];
    KT_ASSERT(start_faulter(&t[0], &h, do_load, &a[0]));
    if (expect_vmfault(&h, (seL4_Word)vm_load_insn, a[0].va, false, VM_EC_DABT_LOWER,
                       VM_FSC_PERMISSION(3), 0) != KT_PASS)
        return KT_FAILED;
    KT_ASSERT(start_faulter(&t[1], &h, do_call, &a[1]));
    if (expect_vmfault(&h, a[1].va, a[1].va, true, VM_EC_IABT_LOWER, VM_FSC_PERMISSION(3), -1) !=
        KT_PASS)
        return KT_FAILED;
    KT_OK(seL4_TCB_Suspend(t[0].tcb));
    KT_OK(seL4_TCB_Suspend(t[1].tcb));
    return KT_PASS;
}
