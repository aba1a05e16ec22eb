/*
 * vm.h - helpers shared by the virtual-memory, VM-fault and interrupt
 * tests (vspace*.c, vmfault.c, irq.c): fresh VSpaces, mapping frames with
 * the page tables they need, device frames at a physical address, and
 * instructions with known addresses for the fault tests (vm_arch.S).
 */
#ifndef KT_VM_H
#define KT_VM_H

#include "ktest.h"
#include <stdint.h>

/*
 * Free virtual addresses in the root VSpace (the image is at 0x400000):
 * VM_VA_PT    needs a level-3 table (its level-2 table exists: same GiB as the image);
 * VM_VA_GIB   needs level-2 and level-3 tables (a GiB nothing uses);
 * VM_VA_512G  needs tables from level 1 down (a level-0 slot nothing uses).
 */
#define VM_VA_PT    0x10000000ul
/* (In the hypervisor configuration the root is level 1: VM_VA_512G is then
 * just another GiB, needing level-2 and level-3 tables.) */
#define VM_VA_GIB   0x40000000ul
#define VM_VA_512G  0x8000000000ul

/*
 * The level of a VSpace's root table: 0 with the kernel in EL1 (48-bit
 * addresses, four levels); 1 in the hypervisor configuration (40-bit
 * stage-2 addresses, seL4's 1024-entry root at level 1).
 */
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
#define VM_ROOT_LEVEL 1
#else
#define VM_ROOT_LEVEL 0
#endif
/* The tables a fresh VSpace needs under its root before a 4 KiB page maps. */
#define VM_TABLES_FOR_PAGE  (3 - VM_ROOT_LEVEL)

#define VM_RW       seL4_ReadWrite
#define VM_RO       seL4_CanRead
#define VM_CACHED   seL4_ARM_Default_VMAttributes
#define VM_NX       (seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever)

/* A new VSpace with an ASID from the root task's pool (0 after a failure). */
seL4_CPtr vm_new_vspace_(const char *file, int line);
#define VM_VSPACE() ({                                                               \
        seL4_CPtr vm_c_ = vm_new_vspace_(__FILE__, __LINE__);                        \
        if (!vm_c_) return KT_FAILED;                                                \
        vm_c_; })

/*
 * Page_Map, first mapping (from the pool) the page tables the kernel reports
 * missing (FailedLookup); returns the last error. `*tables`, if given,
 * counts the tables made.
 */
seL4_Error vm_map(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
                  seL4_Word attr, int *tables);
/* The last page table vm_map made (0 if none yet in this test). */
seL4_CPtr vm_last_table(void);
#define VM_MAP(frame, vspace, vaddr, rights, attr) \
    KT_OK(vm_map((frame), (vspace), (vaddr), (rights), (attr), NULL))

/* A frame cap for the device page at physical address `paddr` (0 after a failure). */
seL4_CPtr vm_device_frame_(seL4_Word paddr, const char *file, int line);
#define VM_DEVICE_FRAME(paddr) ({                                                    \
        seL4_CPtr vm_c_ = vm_device_frame_((paddr), __FILE__, __LINE__);             \
        if (!vm_c_) return KT_FAILED;                                                \
        vm_c_; })

/* Map the root task's image frames into `vs` at their addresses (see vm.c). */
seL4_Error vm_clone_image(seL4_CPtr vs);
/* Create (not start) thread t as kt_thread_create_ does, but in VSpace vs. */
bool vm_thread_in_(kt_thread_t *t, const char *name, const struct kt_thread_opts *opts,
                   seL4_CPtr vs, kt_thread_fn fn, void *arg, const char *file, int line);
#define vm_thread_in(t, name, opts, vs, fn, arg) \
    vm_thread_in_((t), (name), (opts), (vs), (fn), (arg), __FILE__, __LINE__)

/* A frame's physical address (0 if GetAddress fails). */
seL4_Word vm_paddr(seL4_CPtr frame);

/* Memory access through a plain pointer. */
static inline seL4_Word vm_peek(seL4_Word va) { return *(volatile seL4_Word *)va; }
static inline void vm_poke(seL4_Word va, seL4_Word v) { *(volatile seL4_Word *)va = v; }

/* ESR fields of a VMFault's FSR word. */
#define VM_ESR_EC(fsr)      (((fsr) >> 26) & 0x3f)
#define VM_ESR_FSC(fsr)     ((fsr) & 0x3f)
#define VM_ESR_WNR(fsr)     (((fsr) >> 6) & 1)
#define VM_EC_IABT_LOWER    0x20
#define VM_EC_DABT_LOWER    0x24
#define VM_FSC_TRANSLATION(level) (0x04 + (level))
#define VM_FSC_PERMISSION(level)  (0x0c + (level))

/* vm_arch.S: one load, one store and one call with known addresses. */
seL4_Word vm_load(seL4_Word va);
extern char vm_load_insn[];
void vm_store(seL4_Word va, seL4_Word value);
extern char vm_store_insn[];
seL4_Word vm_call(seL4_Word va);

/* Code for a page: "mov x0, #value; ret" (value < 65536). */
#define VM_INSN_MOV_X0(v)   (0xd2800000u | ((uint32_t)(v) << 5))
#define VM_INSN_RET         0xd65f03c0u

#endif /* KT_VM_H */
