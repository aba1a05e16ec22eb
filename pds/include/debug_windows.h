/*
 * debug_windows.h - how a debugger PD reaches the PDs it debugs.
 *
 * A PD with debugger="true" in the system description debugs its children
 * (Microkit's parent/child relation gives it their TCBs, in slots
 * PD_SLOT_CHILD_BASE + id, and makes it their fault handler: their faults,
 * debug exceptions included, reach its fault() entry point). On top of
 * that, every page of RAM a child has (program image, stack, IPC buffer,
 * the memory regions it maps, not device memory) is also mapped,
 * read-write, into the debugger at a "window": child address `vaddr` of
 * window w is debugger address `window + (vaddr - w.vaddr)`. sdfgen places
 * the windows from PD_DEBUG_WINDOW_BASE_EL1 or _EL2 up and writes this table into the
 * debugger's variable `pd_debug_info`; the monitor maps them.
 *
 * One definition for the three programs that must agree on it: sdfgen,
 * the monitor and the debug PD (pds/debugger). Freestanding and host C.
 */
#ifndef DEBUG_WINDOWS_H
#define DEBUG_WINDOWS_H

#include <stdint.h>
#include <pd_layout.h>

/* Where the windows go, by the kernel's level: user addresses end at
   PD_USER_TOP_EL1 (128 TiB) under an EL1 kernel and at PD_USER_TOP_EL2
   (1 TiB, the 40-bit IPA) under an EL2 one. sdfgen picks by the kernel
   configuration; the debug PD reads the windows from its table. */
#define PD_DEBUG_WINDOW_BASE_EL1    UINT64_C(0x400000000000)   /* 64 TiB */
#define PD_DEBUG_WINDOW_LIMIT_EL1   UINT64_C(0x600000000000)   /* windows end below */
#define PD_DEBUG_WINDOW_BASE_EL2    UINT64_C(0x8000000000)     /* 512 GiB */
#define PD_DEBUG_WINDOW_LIMIT_EL2   UINT64_C(0xc000000000)
#define PD_DEBUG_WINDOWS_MAX    128
#define PD_DEBUG_INFO_SYMBOL    "pd_debug_info"

/* Rights of the child's own mapping (sys_map rights: 1 read, 2 write, 4 execute). */
#define PD_DEBUG_READ           1u
#define PD_DEBUG_WRITE          2u
#define PD_DEBUG_EXECUTE        4u

struct pd_debug_window {
    uint64_t vaddr, size;       /* in the child */
    uint64_t window;            /* in the debugger */
    uint64_t rights;            /* the child's: PD_DEBUG_* */
};

struct pd_debuggee {
    char name[PD_NAME_LENGTH];  /* NUL-terminated */
    uint64_t child;             /* its child id */
    uint64_t first_window, window_count;
};

struct pd_debug_info {
    uint64_t debuggee_count;
    uint64_t window_count;
    struct pd_debuggee debuggees[PD_MAX_CHILDREN];
    struct pd_debug_window windows[PD_DEBUG_WINDOWS_MAX];
};

/* The layout sdfgen writes byte by byte (little-endian). */
_Static_assert(sizeof(struct pd_debug_window) == 32, "debug window layout");
_Static_assert(sizeof(struct pd_debuggee) == PD_NAME_LENGTH + 24, "debuggee layout");
_Static_assert(sizeof(struct pd_debug_info) ==
               16 + PD_MAX_CHILDREN * (PD_NAME_LENGTH + 24) + PD_DEBUG_WINDOWS_MAX * 32,
               "debug info layout");
_Static_assert(PD_DEBUG_WINDOW_BASE_EL1 % (UINT64_C(1) << 30) == 0 &&
               PD_DEBUG_WINDOW_BASE_EL2 % (UINT64_C(1) << 30) == 0, "windows start on a 1 GiB line");
_Static_assert(PD_DEBUG_WINDOW_LIMIT_EL1 < PD_USER_TOP_EL1 - PD_STACK_TOP_FROM_TOP - (UINT64_C(1) << 30) &&
               PD_DEBUG_WINDOW_LIMIT_EL2 < PD_USER_TOP_EL2 - PD_STACK_TOP_FROM_TOP - (UINT64_C(1) << 30),
               "windows end well below the stack");

#endif
