/*
 * Helpers of the virtual-memory, VM-fault and interrupt tests (vm.h).
 */
#include "vm.h"

seL4_CPtr vm_new_vspace_(const char *file, int line)
{
    seL4_CPtr vs = kt_new_(seL4_ARM_VSpaceObject, 0, file, line);
    if (!vs)
        return 0;
    seL4_Error err = seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs);
    if (err != seL4_NoError) {
        kt_fail(file, line, "ASIDPool_Assign of a new VSpace: %s", kt_err_name(err));
        return 0;
    }
    return vs;
}

static seL4_CPtr last_table;

seL4_CPtr vm_last_table(void)
{
    return last_table;
}

seL4_Error vm_map(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
                  seL4_Word attr, int *tables)
{
    seL4_Error err = seL4_NoError;
    if (tables)
        *tables = 0;
    /* At most three tables below the root: level 1, 2 and 3. */
    for (int i = 0; i < 4; i++) {
        err = seL4_ARM_Page_Map(frame, vspace, vaddr, rights, (seL4_ARM_VMAttributes)attr);
        if (err != seL4_FailedLookup)
            return err;
        seL4_CPtr pt = kt_new_(seL4_ARM_PageTableObject, 0, __FILE__, __LINE__);
        if (!pt)
            return seL4_NotEnoughMemory;
        err = seL4_ARM_PageTable_Map(pt, vspace, vaddr, seL4_ARM_Default_VMAttributes);
        if (err != seL4_NoError)
            return err;
        last_table = pt;
        if (tables)
            (*tables)++;
    }
    return err;
}

/* The BootInfo device untyped that contains `paddr`, or 0. */
static seL4_CPtr device_untyped_at(seL4_Word paddr, seL4_Word *base)
{
    seL4_Word n = kt_bi->untyped.end - kt_bi->untyped.start;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &kt_bi->untypedList[i];
        if (d->isDevice && paddr >= d->paddr && paddr - d->paddr < (1ul << d->sizeBits)) {
            *base = d->paddr;
            return kt_bi->untyped.start + i;
        }
    }
    return 0;
}

seL4_CPtr vm_device_frame_(seL4_Word paddr, const char *file, int line)
{
    seL4_Word base = 0;
    seL4_CPtr ut = device_untyped_at(paddr, &base);
    if (!ut) {
        kt_fail(file, line, "no device untyped covers 0x%lx", paddr);
        return 0;
    }
    /* Start from an empty untyped; teardown empties it again. */
    kt_revoke(ut);
    kt_teardown_revoke(ut);
    /* Untypeds of decreasing size use up the bytes before the page. */
    seL4_Word offset = paddr - base;
    for (int bit = 63; bit >= seL4_PageBits; bit--) {
        if (!(offset & (1ul << bit)))
            continue;
        seL4_CPtr pad = kt_slot();
        seL4_Error err = seL4_Untyped_Retype(ut, seL4_UntypedObject, (seL4_Word)bit,
                                             KT_ROOT_CNODE, 0, 0, pad, 1);
        if (!pad || err != seL4_NoError) {
            kt_fail(file, line, "padding untyped of 2^%d bytes: %s", bit, kt_err_name(err));
            return 0;
        }
    }
    seL4_CPtr frame = kt_slot();
    seL4_Error err = seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, KT_ROOT_CNODE, 0, 0,
                                         frame, 1);
    if (!frame || err != seL4_NoError) {
        kt_fail(file, line, "device frame at 0x%lx: %s", paddr, kt_err_name(err));
        return 0;
    }
    if (vm_paddr(frame) != paddr) {
        kt_fail(file, line, "device frame at 0x%lx came out at 0x%lx", paddr, vm_paddr(frame));
        return 0;
    }
    return frame;
}

seL4_Word vm_paddr(seL4_CPtr frame)
{
    seL4_ARM_Page_GetAddress_t r = seL4_ARM_Page_GetAddress(frame);
    return r.error == seL4_NoError ? r.paddr : 0;
}

/*
 * The image frames are mapped again at the same addresses: a thread moved
 * to `vs` runs the same code on the same stacks and shares the image's
 * memory with the root VSpace, while its VM_VA_* mappings are its own.
 */
seL4_Error vm_clone_image(seL4_CPtr vs)
{
    extern char _start[];
    seL4_Word base = (seL4_Word)_start & ~0xffful;
    for (seL4_CPtr f = kt_bi->userImageFrames.start; f < kt_bi->userImageFrames.end; f++) {
        seL4_CPtr copy = kt_slot();
        if (!copy)
            return seL4_NotEnoughMemory;
        seL4_Error err = seL4_CNode_Copy(KT_ROOT_CNODE, copy, KT_DEPTH, KT_ROOT_CNODE, f, KT_DEPTH,
                                         seL4_AllRights);
        if (err == seL4_NoError)
            err = vm_map(copy, vs, base + (f - kt_bi->userImageFrames.start) * 4096, VM_RW,
                         VM_CACHED, NULL);
        if (err != seL4_NoError)
            return err;
    }
    return seL4_NoError;
}

bool vm_thread_in_(kt_thread_t *t, const char *name, const struct kt_thread_opts *opts,
                   seL4_CPtr vs, kt_thread_fn fn, void *arg, const char *file, int line)
{
    if (!kt_thread_create_(t, name, opts, fn, arg, file, line))
        return false;
    /* Configure (MCS form) keeps the fault endpoint the framework chose. */
    seL4_Error err = seL4_TCB_Configure(t->tcb, KT_ROOT_CNODE, 0, vs, 0, t->ipc_vaddr,
                                        t->ipc_frame);
    if (err != seL4_NoError)
        kt_fail(file, line, "TCB_Configure into the new VSpace: %s", kt_err_name(err));
    return err == seL4_NoError;
}
