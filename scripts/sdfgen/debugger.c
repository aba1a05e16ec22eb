/* Debugger PDs (debugger="true"): the windows through which a debugger
 * sees the RAM of each of its children, and the table written into it
 * (pds/include/debug_windows.h explains both). Windows are placed from
 * the base for the kernel's level up in child order, each aligned to the page size of
 * what it shows; a debugger's own maps and image must stay clear of them. */
#include <inttypes.h>
#include <string.h>

#include "compile.h"

/* The windows' range for the configured kernel level. */
static uint64_t window_base(const struct compilation *c)
{
    return c->config->kernel_el2 ? PD_DEBUG_WINDOW_BASE_EL2 : PD_DEBUG_WINDOW_BASE_EL1;
}

static uint64_t window_limit(const struct compilation *c)
{
    return c->config->kernel_el2 ? PD_DEBUG_WINDOW_LIMIT_EL2 : PD_DEBUG_WINDOW_LIMIT_EL1;
}

static void add_window(struct compilation *c, struct pd *child, uint64_t vaddr,
                       uint64_t size, uint64_t page_size, unsigned perms,
                       uint64_t *cursor, bool *overflow)
{
    uint64_t window = align_up(*cursor, page_size, overflow);
    uint64_t limit = window_limit(c);
    if (*overflow || window > limit || size > limit - window) {
        *overflow = true;
        return;
    }
    *VEC_PUSH(c->arena, &child->debug_windows) = (struct debug_window){
        vaddr, size, window, page_size, perms,
    };
    *cursor = window + size;
}

/* Every page of RAM the child has, in a stable order. */
static void child_windows(struct compilation *c, struct pd *child,
                          uint64_t *cursor, bool *overflow)
{
    for (size_t i = 0; child->image && i < child->image_regions.len; i++) {
        const struct image_region *r = &child->image_regions.items[i];
        add_window(c, child, r->vaddr, r->size, SMALL_PAGE, r->perms, cursor, overflow);
    }
    add_window(c, child, child->layout.stack_bottom, child->stack_size, SMALL_PAGE,
               PERM_R | PERM_W, cursor, overflow);
    add_window(c, child, child->layout.ipc_buffer, SMALL_PAGE, SMALL_PAGE,
               PERM_R | PERM_W, cursor, overflow);
    for (size_t i = 0; i < child->maps.len; i++) {
        const struct map *map = &child->maps.items[i];
        if (!map->valid || map->mr < 0)
            continue;
        const struct mr *mr = &c->sys.mrs.items[map->mr];
        if (!mr_size_known(mr) || mr->in_device_memory)
            continue;
        add_window(c, child, map->vaddr, mr->size, mr->page_size, map->perms, cursor,
                   overflow);
    }
}

/* The debugger's own image and maps must not reach into its windows. */
static void check_clear_of_windows(struct compilation *c, const struct pd *pd,
                                   uint64_t end)
{
    for (size_t i = 0; pd->image && i < pd->image_regions.len; i++) {
        const struct image_region *r = &pd->image_regions.items[i];
        if (r->vaddr + r->size > window_base(c) && r->vaddr < end)
            diag_error(c->diag, pd->image_path_loc,
                       "program image '%s' of debugger '%s' overlaps its debug "
                       "windows at [0x%" PRIx64 "..0x%" PRIx64 ")",
                       pd->image_path, pd_label(pd), window_base(c), end);
    }
    for (size_t i = 0; i < pd->maps.len; i++) {
        const struct map *map = &pd->maps.items[i];
        if (!map->valid || map->mr < 0 || !mr_size_known(&c->sys.mrs.items[map->mr]))
            continue;
        uint64_t size = c->sys.mrs.items[map->mr].size;
        if (map->vaddr + size > window_base(c) && map->vaddr < end)
            diag_error(c->diag, map->vaddr_loc,
                       "map at [0x%" PRIx64 "..0x%" PRIx64 ") overlaps the debug "
                       "windows of debugger '%s' at [0x%" PRIx64 "..0x%" PRIx64 ")",
                       map->vaddr, map->vaddr + size, pd_label(pd),
                       window_base(c), end);
    }
}

static void plan_debugger(struct compilation *c, struct pd *pd)
{
    uint64_t cursor = window_base(c);
    bool overflow = false;
    size_t windows = 0;
    for (size_t k = 0; k < c->sys.pds.len; k++) {
        struct pd *child = &c->sys.pds.items[k];
        if (child->parent != pd->index)
            continue;
        child_windows(c, child, &cursor, &overflow);
        windows += child->debug_windows.len;
    }
    if (!pd->has_children)
        diag_warning(c->diag, pd->debugger_loc,
                     "debugger '%s' has no child protection domains to debug",
                     pd_label(pd));
    if (overflow)
        diag_error(c->diag, pd->debugger_loc,
                   "the memory of the children of debugger '%s' does not fit "
                   "in its debug windows [0x%" PRIx64 "..0x%" PRIx64 ")",
                   pd_label(pd), window_base(c), window_limit(c));
    else if (windows > PD_DEBUG_WINDOWS_MAX)
        diag_error(c->diag, pd->debugger_loc,
                   "the children of debugger '%s' need %zu debug windows; at "
                   "most %d are allowed",
                   pd_label(pd), windows, PD_DEBUG_WINDOWS_MAX);
    check_clear_of_windows(c, pd, cursor);
}

void plan_debug_windows(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.pds.len; i++)
        if (c->sys.pds.items[i].debugger)
            plan_debugger(c, &c->sys.pds.items[i]);
}

/* ------------------------------------------------------------------ table */

static void put_u64(char *at, uint64_t value)
{
    for (int i = 0; i < 8; i++)
        at[i] = (char)(value >> (8 * i));
}

/* struct pd_debug_info, little-endian, as the debugger's image holds it. */
static char *debug_info_bytes(struct compilation *c, const struct pd *pd)
{
    char *bytes = arena_alloc(c->arena, sizeof(struct pd_debug_info)); /* zero-filled */
    size_t debuggees = 0, windows = 0;
    for (size_t k = 0; k < c->sys.pds.len; k++) {
        const struct pd *child = &c->sys.pds.items[k];
        if (child->parent != pd->index || debuggees == PD_MAX_CHILDREN)
            continue;
        char *d = bytes + offsetof(struct pd_debug_info, debuggees) +
                  debuggees++ * sizeof(struct pd_debuggee);
        size_t len = strlen(pd_label(child));
        memcpy(d, pd_label(child), len < PD_NAME_LENGTH - 1 ? len : PD_NAME_LENGTH - 1);
        put_u64(d + offsetof(struct pd_debuggee, child), child->child_id);
        put_u64(d + offsetof(struct pd_debuggee, first_window), windows);
        put_u64(d + offsetof(struct pd_debuggee, window_count), child->debug_windows.len);
        for (size_t w = 0; w < child->debug_windows.len && windows < PD_DEBUG_WINDOWS_MAX;
             w++, windows++) {
            const struct debug_window *dw = &child->debug_windows.items[w];
            char *e = bytes + offsetof(struct pd_debug_info, windows) +
                      windows * sizeof(struct pd_debug_window);
            put_u64(e + offsetof(struct pd_debug_window, vaddr), dw->vaddr);
            put_u64(e + offsetof(struct pd_debug_window, size), dw->size);
            put_u64(e + offsetof(struct pd_debug_window, window), dw->window);
            put_u64(e + offsetof(struct pd_debug_window, rights), dw->perms);
        }
    }
    put_u64(bytes + offsetof(struct pd_debug_info, debuggee_count), debuggees);
    put_u64(bytes + offsetof(struct pd_debug_info, window_count), windows);
    return bytes;
}

bool debug_info_write(struct compilation *c, const struct pd *pd, uint64_t *vaddr,
                      const char **bytes)
{
    uint64_t size;
    if (!elf_find_symbol(pd->symbols, PD_DEBUG_INFO_SYMBOL, vaddr, &size)) {
        diag_error(c->diag, pd->debugger_loc,
                   "debugger '%s' needs the variable '%s' (struct pd_debug_info, "
                   "pds/include/debug_windows.h) in program image '%s'",
                   pd_label(pd), PD_DEBUG_INFO_SYMBOL, pd->image_path);
        return false;
    }
    if (size != sizeof(struct pd_debug_info)) {
        diag_error(c->diag, pd->debugger_loc,
                   "variable '%s' in program image '%s' is %" PRIu64 " bytes, "
                   "struct pd_debug_info is %zu",
                   PD_DEBUG_INFO_SYMBOL, pd->image_path, size,
                   sizeof(struct pd_debug_info));
        return false;
    }
    *bytes = debug_info_bytes(c, pd);
    return true;
}
