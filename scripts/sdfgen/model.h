/* The system as sdfgen understands it: what the SDF says (filled in by the
 * parser) plus what later phases derive (ELF contents, layouts, placements,
 * symbol writes). Elements refer to each other by index into the system's
 * arrays; -1 means "none" or "unresolved". Every element keeps the locations
 * needed to report a problem with it. */
#ifndef SDFGEN_MODEL_H
#define SDFGEN_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "elf.h"
#include "names.h"
/* The table schema sdfgen writes: capability slots and badges. */
#include "system_tables.h"
/* Debugger PDs' windows on their children (debugger="true"). */
#include "debug_windows.h"

/* Limits and defaults (Microkit compatible, see docs/sdf.md). */
#define MAX_PDS PD_MAX_PDS
#define MAX_CHANNEL_ID (PD_MAX_CHANNELS - 1) /* channel and IRQ ids share one namespace */
#define MAX_CHILD_ID (PD_MAX_CHILDREN - 1)
#define MAX_VCPU_ID (PD_MAX_VCPUS - 1)
#define MAX_PRIORITY PD_MAX_PRIORITY
#define MIN_STACK_SIZE 0x1000ull
#define MAX_STACK_SIZE 0x1000000ull
#define DEFAULT_STACK_SIZE 0x2000ull
#define DEFAULT_BUDGET_US 1000ull
#define MAX_CSPACE_SLOT PD_MAX_CSPACE_SLOT /* root CNode user slots 1.. */
#define MAX_IRQ_NUMBER 1019 /* largest GIC interrupt id for a device */
#define MAX_NAME_LENGTH (PD_NAME_LENGTH - 1) /* the PD name is patched into char[64] */
#define SMALL_PAGE 0x1000ull
#define LARGE_PAGE 0x200000ull

enum perms { PERM_R = 1, PERM_W = 2, PERM_X = 4 };

/* A symbol the SDF asks sdfgen to set, such as setvar_vaddr="buffer". */
struct setvar_ref {
    const char *symbol; /* NULL: none */
    struct loc loc;     /* of the attribute */
};

struct map {
    const char *mr_name;
    int mr;
    uint64_t vaddr;
    unsigned perms;
    bool cached;
    bool valid; /* parsed without error: take part in layout checks */
    struct setvar_ref setvar_vaddr, setvar_size, setvar_prefill_size;
    struct loc loc, mr_loc, vaddr_loc;
};

enum trigger { TRIGGER_LEVEL, TRIGGER_EDGE };

struct irq {
    uint64_t number;
    uint64_t id;
    enum trigger trigger;
    bool valid;
    struct setvar_ref setvar_id;
    struct loc loc, number_loc, id_loc;
};

struct setvar {
    const char *symbol;
    const char *mr_name;
    int mr;
    struct loc loc, symbol_loc, mr_loc;
};

/* <profiler>: the kernel's sampling profiler writes into this PD's region
 * `mr` and signals it on channel `id` (kernel/uapi/profiler.h). */
enum profiler_event { EVENT_CYCLES = 0, EVENT_INSTRUCTIONS = 1 };

struct profiler {
    const char *mr_name;
    int mr;
    uint64_t id, period;
    enum profiler_event event;
    bool valid;
    struct setvar_ref setvar_id;
    struct loc loc, mr_loc, id_loc, period_loc;
};

enum cap_kind { CAP_TCB, CAP_SC, CAP_VSPACE };

struct cap_share {
    enum cap_kind kind;
    uint64_t slot;
    const char *pd_name;
    int pd;
    bool valid;
    struct loc loc, slot_loc, pd_loc;
};

struct vcpu {
    uint64_t id;
    uint64_t cpu;
    bool valid;
    struct setvar_ref setvar_id;
    struct loc loc, id_loc, cpu_loc;
};

struct vm {
    const char *name;
    int pd; /* the PD that is its monitor (parent) */
    uint64_t priority, budget_us, period_us;
    VEC(struct vcpu) vcpus;
    VEC(struct map) maps;
    struct loc loc, name_loc;
};

/* One loaded page range of a PD's program image, after rounding segments
 * out to pages and merging segments that share a page. */
struct image_region {
    uint64_t vaddr, size;
    unsigned perms;
};

/* Bytes of the image file the monitor copies into the PD at vaddr. */
struct image_copy {
    uint64_t vaddr, file_offset, size;
};

/* A value the monitor writes into a PD after loading its image: `size`
 * bytes at `vaddr`, either from `bytes` or the little-endian `value`. */
struct symbol_write {
    const char *symbol;
    uint64_t vaddr;
    uint64_t size;
    uint64_t value;
    const char *bytes; /* NULL: write `value` */
};

/* Part of a child's address space that its debugger parent also maps:
 * child [vaddr, vaddr + size) at debugger `window`. */
struct debug_window {
    uint64_t vaddr, size, window, page_size;
    unsigned perms;
};

struct pd_layout {
    uint64_t ipc_buffer;   /* vaddr of the IPC buffer page */
    uint64_t stack_top;    /* initial SP */
    uint64_t stack_bottom; /* lowest stack byte */
    uint64_t map_limit;    /* user maps must end at or below this */
};

struct pd {
    const char *name;
    int parent; /* -1: a root PD */
    int index;
    uint64_t priority, budget_us, period_us, stack_size, cpu, child_id;
    bool passive, smc, fpu;
    bool debugger; /* debugs its children (debug_windows.h) */
    bool priority_valid, has_child_id;
    const char *domain_name;
    int domain;
    struct setvar_ref setvar_id; /* in the parent's image */
    const char *image_path, *symbols_path;
    unsigned program_images;
    int vm;
    VEC(struct map) maps;
    VEC(struct irq) irqs;
    VEC(struct setvar) setvars;
    VEC(struct cap_share) caps;
    VEC(struct profiler) profilers; /* at most one in the whole system */
    struct loc loc, name_loc, priority_loc, domain_loc, cpu_loc, id_loc, smc_loc,
        image_loc, image_path_loc, symbols_path_loc, debugger_loc;

    /* Derived. */
    bool has_children;
    bool receives_ppc;
    uint64_t irq_mask, notification_mask, pp_mask;
    struct pd_layout layout;
    struct elf_image *image;   /* NULL until loaded (or when not found) */
    struct elf_image *symbols; /* the image symbols are looked up in */
    const char *image_resolved;
    int image_index; /* index into the embedded images */
    VEC(struct image_region) image_regions;
    VEC(struct image_copy) image_copies;
    VEC(struct symbol_write) writes;
    VEC(struct debug_window) debug_windows; /* in the parent, if it is a debugger */
};

enum paddr_kind {
    PADDR_ANY,    /* the monitor allocates frames anywhere at boot */
    PADDR_FIXED,  /* phys_addr in the SDF */
    PADDR_PLACED, /* chosen by sdfgen because a setvar needs the address */
};

struct mr {
    const char *name;
    uint64_t size, page_size, paddr;
    bool size_given, page_size_given, valid;
    enum paddr_kind paddr_kind;
    bool in_device_memory;
    const char *prefill_path;
    const char *prefill_resolved;
    uint64_t prefill_size; /* bytes in the prefill file */
    int prefill_index;     /* index into the embedded images, or -1 */
    unsigned uses;         /* maps (PD and VM) that name it */
    struct loc loc, name_loc, size_loc, page_size_loc, paddr_loc,
        prefill_loc;
};

struct channel_end {
    const char *pd_name;
    int pd;
    uint64_t id;
    bool pp, notify, valid;
    struct setvar_ref setvar_id;
    struct loc loc, pd_loc, id_loc, pp_loc;
};

struct channel {
    struct channel_end ends[2];
    unsigned end_count;
    bool valid;
    struct loc loc;
};

struct domain {
    const char *name;
    uint64_t id;
    bool id_given;
    struct loc loc, id_loc;
};

enum duration_unit { DURATION_US, DURATION_TICKS };

/* A <schedule_entry>, or a <schedule_end_marker> (end_marker: no domain,
 * no duration), each one slot of the kernel's domain schedule. */
struct schedule_entry {
    bool end_marker;
    const char *domain_name;
    int domain;
    uint64_t duration;
    enum duration_unit unit;
    struct loc loc, domain_loc;
};

struct domains {
    bool present;
    unsigned schedules; /* <domain_schedule> elements seen */
    uint64_t start_index, index_shift;
    VEC(struct domain) list;
    VEC(struct schedule_entry) schedule;
    struct loc loc, schedule_loc, start_index_loc, index_shift_loc;
};

struct system {
    const char *file;
    struct loc loc;
    bool parsed; /* a <system> root element was found */
    VEC(struct pd) pds;
    VEC(struct mr) mrs;
    VEC(struct channel) channels;
    VEC(struct vm) vms;
    struct domains domains;
    unsigned pd_elements; /* including those over the limit */
    /* Built by check_names(); the find_* lookups below use them. */
    struct name_index pd_names, mr_names, domain_names;
};

/* Index of the first element with that name, or -1. */
int find_pd(const struct system *sys, const char *name);
int find_mr(const struct system *sys, const char *name);
int find_domain(const struct system *sys, const char *name);

/* Names of element i, for name indexes (name_of_fn; ctx is the system). */
const char *pd_name_at(const void *sys, size_t i);
const char *mr_name_at(const void *sys, size_t i);
const char *domain_name_at(const void *sys, size_t i);
const char *vm_name_at(const void *sys, size_t i);

/* Builds the name indexes of the system. */
void index_names(struct system *sys, struct arena *arena);

/* A PD's input capability is an endpoint when it can be called or must
 * receive faults (children, virtual machine), else its notification. */
bool pd_has_endpoint(const struct pd *pd);
/* The badge of a PD's fault endpoint: a root PD's is its index + 1 on the
 * monitor's endpoint, a child's SYS_BADGE_FAULT | its id on the parent's. */
uint64_t pd_fault_badge(const struct pd *pd);

/* The PD's name for messages, "(unnamed)" when it has none. */
const char *pd_label(const struct pd *pd);

#endif
