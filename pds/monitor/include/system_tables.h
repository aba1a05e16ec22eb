/*
 * system_tables.h - the compiled system description.
 *
 * sdfgen (scripts/sdfgen) turns a system description (.system file) into
 * one C file, system_tables.c, that defines `system_tables` below, and one
 * assembly file, system_images.S, that embeds every PD program image and
 * prefill file. The monitor links both and realises the system from the
 * tables alone: every decision (addresses, page sizes, badges, which
 * capability goes in which slot, values to write into PDs) has been taken
 * by sdfgen, so the monitor only executes it, in this order:
 *
 *   1. objects: per PD a TCB, a scheduling context, a reply object, a
 *      notification, an endpoint if `has_endpoint`, a VSpace with its page
 *      tables, and a CSpace (root CNode of 2^SYS_PD_ROOT_CNODE_BITS slots
 *      whose slot 0 holds the Microkit CNode of 2^SYS_PD_CNODE_BITS slots);
 *      per memory region its frames (see struct sys_mr for where);
 *   2. program images: for each sys_image_region allocate, zero and map
 *      frames; copy each sys_image_copy; map the stack
 *      [stack_bottom, stack_top) and the IPC buffer page, read-write;
 *   3. per-PD data: apply every sys_symbol_write (after 2, so they land in
 *      the loaded, zeroed image);
 *   4. maps (sys_map), then capabilities: the fixed slots below, channel
 *      ends, IRQs, children, <cspace> shares;
 *      Pages of a child of a debugger PD (sys_debug_window) are mapped
 *      into the parent too, at the same step as into the child;
 *   5. TCBs: priority, MCS parameters, CPU, FPU, fault endpoint, IPC
 *      buffer, bound notification; start every PD (PC = entry, SP =
 *      stack_top). A passive PD's scheduling context is taken away once it
 *      signals the end of its init (SYS_SLOT_MONITOR_EP).
 *
 * Tables are sorted by PD index where they have a `pd` field, and every
 * PD names its slice of each such table (first_x, x_count), so the monitor
 * never searches. Indexes are positions in the tables; -1 means none.
 *
 * Freestanding: only <stdbool.h>, <stddef.h>, <stdint.h> and pd_layout.h.
 */
#ifndef SYSTEM_TABLES_H
#define SYSTEM_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pd_layout.h>

#define SYSTEM_TABLES_MAGIC 0x53444654u /* "SDFT" */
#define SYSTEM_TABLES_VERSION 2u

/* ------------------------------------------------------------------ CSpace
 * Every PD's CSpace layout, its badges and limits: pds/include/pd_layout.h,
 * shared with sdfgen and libmicrokit. The monitor's names for them: */
#define SYS_PD_ROOT_CNODE_BITS PD_ROOT_CNODE_BITS
#define SYS_PD_CNODE_BITS PD_CNODE_BITS
#define SYS_SLOT_INPUT PD_SLOT_INPUT
#define SYS_SLOT_FAULT_EP PD_SLOT_FAULT_EP
#define SYS_SLOT_VSPACE PD_SLOT_VSPACE
#define SYS_SLOT_REPLY PD_SLOT_REPLY
#define SYS_SLOT_MONITOR_EP PD_SLOT_MONITOR_EP
#define SYS_SLOT_TCB PD_SLOT_TCB
#define SYS_SLOT_SMC PD_SLOT_SMC
#define SYS_SLOT_NOTIFY_BASE PD_SLOT_NOTIFY_BASE
#define SYS_SLOT_PPC_BASE PD_SLOT_PPC_BASE
#define SYS_SLOT_IRQ_BASE PD_SLOT_IRQ_BASE
#define SYS_SLOT_CHILD_BASE PD_SLOT_CHILD_BASE
#define SYS_SLOT_VCPU_TCB_BASE PD_SLOT_VCPU_TCB_BASE
#define SYS_SLOT_VCPU_BASE PD_SLOT_VCPU_BASE
#define SYS_BADGE_PPC PD_BADGE_PPC
#define SYS_BADGE_FAULT PD_BADGE_FAULT

/* Mapping rights, combined with |. */
#define SYS_RIGHT_READ 1u
#define SYS_RIGHT_WRITE 2u
#define SYS_RIGHT_EXECUTE 4u

/* A file embedded by system_images.S: [start, end). */
struct sys_image {
    const uint8_t *start;
    const uint8_t *end;
};

struct sys_pd {
    const char *name;
    int32_t parent;       /* PD index of the parent; -1: child of the monitor */
    uint32_t child_id;    /* id in the parent (SYS_SLOT_CHILD_BASE + id); 0 if root */
    uint32_t priority;    /* 0..254 */
    uint64_t budget_us, period_us; /* MCS scheduling parameters */
    bool passive;         /* make passive after init */
    bool fpu;             /* FPU enabled for the TCB */
    bool smc;             /* gets SYS_SLOT_SMC */
    bool has_endpoint;    /* receives PPCs, has children or a VM */
    uint32_t cpu;         /* core (affinity) */
    uint32_t domain;      /* scheduling domain id (0 without <domains>) */
    /* The fault endpoint in SYS_SLOT_FAULT_EP: a root PD's is the monitor's
     * endpoint, a child's its parent's endpoint, minted with this badge
     * (root: PD index + 1; child: SYS_BADGE_FAULT | child id). */
    uint64_t fault_badge;
    uint32_t image;       /* index into images: the program image */
    uint64_t entry;       /* initial PC */
    uint64_t stack_bottom, stack_top; /* stack frames; SP = stack_top */
    uint64_t ipc_buffer;  /* vaddr of the IPC buffer page */
    uint64_t irq_mask, notification_mask, pp_mask; /* channel ids in use */
    int32_t vm;           /* index into vms, -1: none */
    /* This PD's slices of the per-PD tables. */
    uint32_t first_image_region, image_region_count;
    uint32_t first_image_copy, image_copy_count;
    uint32_t first_map, map_count;
    uint32_t first_irq, irq_count;
    uint32_t first_channel_end, channel_end_count;
    uint32_t first_cap_share, cap_share_count;
    uint32_t first_symbol_write, symbol_write_count;
    uint32_t first_debug_window, debug_window_count;
};

/* Pages of a program image: allocate frames for [vaddr, vaddr + size),
 * zero them and map them with `rights` (page aligned, 4 KiB pages). */
struct sys_image_region {
    uint32_t pd;
    uint32_t rights;
    uint64_t vaddr, size;
};

/* Copy `size` bytes at offset `offset` of image `image` to PD vaddr. */
struct sys_image_copy {
    uint32_t pd;
    uint32_t image;
    uint64_t vaddr, offset, size;
};

enum sys_paddr_kind {
    SYS_PADDR_ANY = 0,    /* frames from any free RAM, zero-filled */
    SYS_PADDR_FIXED = 1,  /* at paddr as the SDF says (device or RAM) */
    SYS_PADDR_PLACED = 2, /* at paddr chosen by sdfgen (RAM, top down) */
};

struct sys_mr {
    const char *name;
    uint64_t size;          /* bytes, a multiple of the page size */
    uint32_t page_bits;     /* 12 (4 KiB) or 21 (2 MiB) */
    uint32_t paddr_kind;    /* enum sys_paddr_kind */
    uint64_t paddr;         /* for FIXED and PLACED */
    bool device;            /* in a device range: not RAM, not zeroed */
    int32_t prefill;        /* index into images, -1: none */
    uint64_t prefill_size;  /* bytes of the prefill copied at offset 0 */
};

struct sys_map {
    uint32_t pd;
    uint32_t mr;
    uint64_t vaddr;
    uint32_t rights;        /* SYS_RIGHT_* */
    bool cached;            /* false: device (uncached) attributes */
};

enum sys_trigger { SYS_TRIGGER_LEVEL = 0, SYS_TRIGGER_EDGE = 1 };

/* IRQ handler in SYS_SLOT_IRQ_BASE + channel, bound to the PD's
 * notification with badge 1 << channel. */
struct sys_irq {
    uint32_t pd;
    uint32_t irq;           /* interrupt number */
    uint32_t channel;       /* 0..61 */
    uint32_t trigger;       /* enum sys_trigger */
};

/* One end of a channel, seen from `pd`. If notify: mint the peer's
 * notification into SYS_SLOT_NOTIFY_BASE + id with notify_badge
 * (1 << peer_id). If pp: mint the peer's endpoint into SYS_SLOT_PPC_BASE +
 * id with ppc_badge (SYS_BADGE_PPC | peer_id). */
struct sys_channel_end {
    uint32_t pd;
    uint32_t id;
    uint32_t peer;
    uint32_t peer_id;
    bool notify;
    bool pp;
    uint64_t notify_badge;
    uint64_t ppc_badge;
};

enum sys_cap_kind { SYS_CAP_TCB = 0, SYS_CAP_SC = 1, SYS_CAP_VSPACE = 2 };

/* <cspace> share: copy `source` PD's object capability of `kind` into root
 * CNode slot `slot` (1..63) of `pd`. */
struct sys_cap_share {
    uint32_t pd;
    uint32_t slot;
    uint32_t kind;          /* enum sys_cap_kind */
    uint32_t source;
};

/* Per-PD data: write `size` bytes at PD vaddr `vaddr`: the bytes at
 * `bytes` if not NULL, else the low `size` bytes of `value`,
 * little-endian. */
struct sys_symbol_write {
    uint32_t pd;
    uint32_t size;
    uint64_t vaddr;
    uint64_t value;
    const uint8_t *bytes;
};

/* Virtual machines (hypervisor kernels only). Each vCPU is a TCB + vCPU
 * object + scheduling context, created suspended with an empty CSpace; its
 * fault endpoint is its PD's endpoint badged SYS_BADGE_FAULT | vcpu id. */
struct sys_vm {
    const char *name;
    uint32_t pd;
    uint32_t priority;
    uint64_t budget_us, period_us;
    uint32_t first_vcpu, vcpu_count;
    uint32_t first_map, map_count; /* into vm_maps */
};

struct sys_vcpu {
    uint32_t vm;
    uint32_t id;
    uint32_t cpu;
};

struct sys_vm_map {
    uint32_t vm;
    uint32_t mr;
    uint64_t guest_paddr;
    uint32_t rights;
    bool cached;
};

/* A child of a debugger PD (debugger="true", pds/include/debug_windows.h):
 * every page the monitor maps into `pd` within [vaddr, vaddr + size) is
 * also mapped, read-write with the same cacheability, into its parent at
 * `window` + (page - vaddr), through a copy of the frame capability. */
struct sys_debug_window {
    uint32_t pd;            /* the child */
    uint64_t vaddr, size;
    uint64_t window;
};

/* The kernel's sampling profiler (<profiler>, kernels with CONFIG_PROFILER):
 * after building the capabilities, the monitor hands the kernel the frame
 * of region `mr` (one page) and PD `pd`'s notification badged
 * 1 << channel (kernel/uapi/profiler.h, profiler_control). */
struct sys_profiler {
    uint32_t pd;
    uint32_t mr;
    uint32_t channel;
    uint32_t event;         /* enum profiler_event */
    uint64_t period;        /* events between samples */
};

/* Domain schedule (kernels with CONFIG_NUM_DOMAINS > 1): entry i goes
 * into the kernel's schedule slot schedule_index_shift + i; the schedule
 * starts at slot schedule_index_shift + schedule_start_index. Every PD's
 * TCB is put in its `domain` first. */
struct sys_schedule_entry {
    uint32_t domain;
    bool ticks;             /* duration in timer ticks, else microseconds */
    uint64_t duration;      /* 0 (domain 0): an end marker */
};

/* What sdfgen counted (estimates; see docs/sdf.md). */
struct sys_totals {
    uint64_t ram_needed;     /* bytes of objects and frames from free RAM */
    uint64_t ram_available;  /* free RAM after kernel, loader, reserved, fixed, placed */
    uint64_t monitor_slots;  /* capability slots the monitor needs */
    uint64_t frames;
    uint64_t page_tables;
};

struct system_tables {
    uint32_t magic;         /* SYSTEM_TABLES_MAGIC */
    uint32_t version;       /* SYSTEM_TABLES_VERSION */
    const char *system;     /* the .system file name */

    const struct sys_image *images;
    uint32_t image_count;
    const struct sys_pd *pds;
    uint32_t pd_count;
    const struct sys_image_region *image_regions;
    uint32_t image_region_count;
    const struct sys_image_copy *image_copies;
    uint32_t image_copy_count;
    const struct sys_mr *mrs;
    uint32_t mr_count;
    const struct sys_map *maps;
    uint32_t map_count;
    const struct sys_irq *irqs;
    uint32_t irq_count;
    const struct sys_channel_end *channel_ends;
    uint32_t channel_end_count;
    const struct sys_cap_share *cap_shares;
    uint32_t cap_share_count;
    const struct sys_symbol_write *symbol_writes;
    uint32_t symbol_write_count;
    const struct sys_vm *vms;
    uint32_t vm_count;
    const struct sys_vcpu *vcpus;
    uint32_t vcpu_count;
    const struct sys_vm_map *vm_maps;
    uint32_t vm_map_count;
    const struct sys_debug_window *debug_windows;
    uint32_t debug_window_count;
    const struct sys_profiler *profiler;
    uint32_t profiler_count;    /* 0 or 1 */
    const struct sys_schedule_entry *schedule;
    uint32_t schedule_count;
    uint32_t schedule_start_index;
    uint32_t schedule_index_shift;
    struct sys_totals totals;
};

extern const struct system_tables system_tables;

#endif
