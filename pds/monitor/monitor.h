/*
 * The monitor: the root task that realises the compiled system description
 * (include/system_tables.h) and then handles the faults nobody else does.
 *
 * One concept per file:
 *   main.c    boot sequence, boot log, then the fault loop
 *   error.c   seL4 error names, fatal set-up errors
 *   alloc.c   capability slots and untyped memory (placed objects too)
 *   vspace.c  mappings (and debuggers' windows), page tables, the scratch window
 *   mrs.c     memory regions: frames, prefill
 *   load.c    program images, stacks, IPC buffers, per-PD data
 *   cspace.c  PD objects and CSpaces (fixed slots, channels, IRQs, sharing)
 *   pds.c     TCBs and scheduling parameters; starting PDs; passive PDs
 *   domains.c scheduling domains and the domain schedule (domain_plan.c:
 *             its arithmetic, host-tested)
 *   vms.c     virtual machines: guest VSpaces, vCPUs (hypervisor kernels)
 *   faults.c  decoded fault reports
 *   backtrace.c  fault backtraces (frame pointers), symbols.c their names
 *   profiler.c   the kernel's sampling profiler, started for <profiler>
 */
#ifndef MONITOR_H
#define MONITOR_H

#include <roottask.h>
#include <system_tables.h>
#include <format.h>
#include <stdbool.h>
#include <stdint.h>

/* The monitor is the root task: it keeps seL4's highest priority, every PD runs below it. */
_Static_assert(PD_MONITOR_PRIORITY == seL4_MaxPrio, "pd_layout.h: the monitor runs at seL4_MaxPrio");

#define PAGE_BITS 12
#define PAGE_SIZE (1ul << PAGE_BITS)
#define LARGE_PAGE_BITS 21

/* The tables this monitor was linked with, and what the kernel handed over. */
extern const struct system_tables *const sys;
extern seL4_BootInfo *bootinfo;

/* Capabilities of one PD's kernel objects, in the monitor's CSpace. */
struct pd_caps {
    seL4_CPtr tcb, sc, reply, notification, endpoint; /* endpoint 0: none */
    seL4_CPtr vspace, root_cnode, cnode;
    seL4_CPtr ipc_buffer;       /* the IPC buffer's frame */
    seL4_CPtr stack;            /* the stack's first frame (consecutive slots) */
    seL4_CPtr fault_ep;         /* badged fault endpoint given to the TCB */
    bool passive_done;          /* passive PD: SC moved to its notification */
};
extern struct pd_caps pd_caps[];
#define MAX_PDS 63

/* What the monitor built, for the boot log. */
struct build_stats {
    unsigned objects[seL4_ObjectTypeCount];
    uint64_t bytes[seL4_ObjectTypeCount];
    uint64_t filler_bytes;      /* RAM lost to reach fixed addresses */
    unsigned retypes, caps, irqs, page_tables, copies_of_frames;
};
extern struct build_stats stats;

/* ------------------------------------------------------------ error.c */
const char *sel4_error_name(seL4_Error err);
const char *lookup_failure_name(seL4_Word type);   /* seL4_LookupFailureType */
/* If err is not seL4_NoError: "MON|ERROR: <what>: <error name>" (what is
 * printf-formatted), the error's details, then stop the system. */
void check(seL4_Error err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Stop with "MON|ERROR: <what>" (no kernel error). */
_Noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void halt_system(void);

/* ------------------------------------------------------------ alloc.c */
void alloc_init(void);
seL4_CPtr slot_alloc(unsigned count);          /* `count` consecutive slots */
seL4_Word slots_used(void);
seL4_Word slots_free(void);
/* Create `count` objects of `type` (size_bits for untyped, CNodes, SCs;
 * 0 otherwise) from RAM into consecutive new slots; returns the first. The
 * text names them for error messages ("TCB for PD 'x'"). */
seL4_CPtr alloc_objects(seL4_Word type, seL4_Word size_bits, unsigned count,
                        const char *what);
/* Create `count` frames of 2^page_bits bytes at physical address paddr
 * (from a device untyped or RAM, whichever holds it). All such calls come
 * first, in increasing address order. */
seL4_CPtr alloc_frames_at(uint64_t paddr, unsigned page_bits, unsigned count,
                          const char *what);
uint64_t ram_total(void);
uint64_t ram_used(void);

/* ------------------------------------------------------------ vspace.c */
/* Map a frame into a VSpace, creating page tables as needed. */
void vspace_map(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr, uint32_t rights,
                bool cached, const char *owner);
/* Map a frame into PD `index` (and into its debugger parent's window on it,
 * if sdfgen made one: struct sys_debug_window). */
void pd_map(uint32_t index, seL4_CPtr frame, seL4_Word vaddr, uint32_t rights, bool cached,
            const char *owner);
/* Map a frame (2^page_bits) at the monitor's scratch window; returns the
 * address. scratch_unmap undoes it. One frame at a time. */
void *scratch_map(seL4_CPtr frame, unsigned page_bits);
/* The same, but NULL instead of stopping the system if the kernel refuses
 * (for the fault handler, which must never stop the system). */
void *scratch_try_map(seL4_CPtr frame, unsigned page_bits);
void scratch_unmap(seL4_CPtr frame);
/* seL4 rights and attributes of SYS_RIGHT_* and cached. */
seL4_CapRights_t vm_rights(uint32_t rights);
seL4_ARM_VMAttributes vm_attributes(uint32_t rights, bool cached);

/* ------------------------------------------------------------ mrs.c */
void mrs_create(void);
void mrs_map(void);
/* First frame cap of memory region i (consecutive slots). */
seL4_CPtr mr_frames(uint32_t mr);
/* Map every frame of memory region `index` from vaddr on (the region's own
 * caps the first time, copies after): into PD `pd` with pd_map (so its
 * debugger's windows follow), or, for pd < 0 (a guest), into `vspace`. */
void mr_map(uint32_t index, int pd, seL4_CPtr vspace, uint64_t vaddr, uint32_t rights,
            bool cached, const char *owner);

/* ------------------------------------------------------------ profiler.c */
/* Hand the kernel's sampling profiler its buffer and notification (<profiler>). */
void profiler_start(void);

/* ------------------------------------------------------------ load.c */
void images_load(void);

/* ------------------------------------------------------------ cspace.c */
void pd_objects_create(void);
void cspaces_build(void);
seL4_CPtr monitor_endpoint(void);
seL4_CPtr monitor_reply(void);

/* ------------------------------------------------------------ vms.c */
void vms_create(void);              /* after pd_objects_create */
void vms_map(void);                 /* the guests' memory maps */
void vm_slots(uint32_t pd);         /* vCPU caps into the VMM's CNode */
void vms_configure(void);           /* vCPU TCBs, left suspended */

/* Send rights plus what a Call needs for its reply: fault endpoints and
 * PPC endpoints. */
static inline seL4_CapRights_t call_rights(void)
{
    return seL4_CapRights_new(1, 0, 0, 1);
}

/* ------------------------------------------------------------ pds.c */
void tcbs_configure(void);
void pds_start(void);
void make_passive(uint32_t pd);

/* ------------------------------------------------------------ domains.c */
void domains_assign(void);      /* each PD's TCB into its domain */
void domains_configure(void);   /* the schedule into the kernel's slots */
void domains_start(void);       /* start it (after every PD has started) */

/* ------------------------------------------------------------ faults.c */
_Noreturn void fault_loop(void);

/* ------------------------------------------------------------ backtrace.c */
/* "MON|ERROR: backtrace" and one line per frame, from the faulting
 * registers (pc, x29, x30) and the frame records on the PD's stack. */
void print_backtrace(uint32_t pd, uint64_t pc, uint64_t fp, uint64_t lr);

/* ------------------------------------------------------------ symbols.c */
struct symbol {
    const char *name;
    uint64_t start;
};
/* The function of the PD's program image that holds `address`. */
bool symbol_lookup(uint32_t pd, uint64_t address, struct symbol *out);

/* ------------------------------------------------------------ helpers */
static inline const char *pd_name(uint32_t pd)
{
    return pd < sys->pd_count ? sys->pds[pd].name : "?";
}

static inline uint64_t read_counter(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static inline uint64_t counter_frequency(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

#endif
