/* Per-PD data: the values the monitor writes into each PD after loading
 * its image (docs/sdf.md, "Per-PD data"). They are libmicrokit's variables
 * (microkit_name, microkit_passive and the channel masks), which are
 * written when the image defines them, and every setvar the SDF asks for,
 * whose symbol must exist and be 8 bytes. */
#include <inttypes.h>
#include <string.h>

#include "compile.h"

#define MICROKIT_NAME_SIZE 64

/* A setvar of one PD, from whichever element asked for it. */
struct setvar_item {
    const char *symbol;
    struct loc loc;
    uint64_t value;
    bool value_known;
};

typedef VEC(struct setvar_item) setvar_list;

static const char *const LIBMICROKIT_SYMBOLS[] = {
    "microkit_name", "microkit_passive", "microkit_irqs",
    "microkit_notifications", "microkit_pps",
};
#define LIBMICROKIT_SYMBOL_COUNT \
    (sizeof LIBMICROKIT_SYMBOLS / sizeof *LIBMICROKIT_SYMBOLS)

static void add(struct compilation *c, setvar_list *list,
                const struct setvar_ref *ref, uint64_t value, bool known)
{
    if (!ref->symbol)
        return;
    *VEC_PUSH(c->arena, list) = (struct setvar_item){ ref->symbol, ref->loc,
                                                      value, known };
}

static void add_map_setvars(struct compilation *c, setvar_list *list,
                            const struct map *map)
{
    const struct mr *mr = map->mr >= 0 ? &c->sys.mrs.items[map->mr] : NULL;
    bool mr_known = mr && mr_size_known(mr);
    add(c, list, &map->setvar_vaddr, map->vaddr, map->valid);
    add(c, list, &map->setvar_size, mr_known ? mr->size : 0, mr_known);
    if (map->setvar_prefill_size.symbol && mr && !mr->prefill_path) {
        diag_error(c->diag, map->setvar_prefill_size.loc,
                   "setvar_prefill_size needs memory region '%s' to have a "
                   "prefill_path",
                   mr->name);
        return;
    }
    add(c, list, &map->setvar_prefill_size, mr ? mr->prefill_size : 0,
        mr && mr->prefill_size != 0);
}

static void collect_setvars(struct compilation *c, const struct pd *pd,
                            setvar_list *list)
{
    const struct system *sys = &c->sys;
    for (size_t i = 0; i < pd->maps.len; i++)
        add_map_setvars(c, list, &pd->maps.items[i]);
    for (size_t i = 0; i < pd->irqs.len; i++)
        add(c, list, &pd->irqs.items[i].setvar_id, pd->irqs.items[i].id,
            pd->irqs.items[i].valid);
    for (size_t i = 0; i < sys->channels.len; i++) {
        const struct channel *channel = &sys->channels.items[i];
        for (unsigned e = 0; e < 2 && e < channel->end_count; e++)
            if (channel->ends[e].pd == pd->index)
                add(c, list, &channel->ends[e].setvar_id, channel->ends[e].id,
                    channel->ends[e].valid);
    }
    for (size_t i = 0; i < sys->pds.len; i++)
        if (sys->pds.items[i].parent == pd->index)
            add(c, list, &sys->pds.items[i].setvar_id,
                sys->pds.items[i].child_id, sys->pds.items[i].has_child_id);
    if (pd->vm >= 0) {
        const struct vm *vm = &sys->vms.items[pd->vm];
        for (size_t i = 0; i < vm->vcpus.len; i++)
            add(c, list, &vm->vcpus.items[i].setvar_id, vm->vcpus.items[i].id,
                vm->vcpus.items[i].valid);
    }
    for (size_t i = 0; i < pd->profilers.len; i++)
        add(c, list, &pd->profilers.items[i].setvar_id, pd->profilers.items[i].id,
            pd->profilers.items[i].valid);
    for (size_t i = 0; i < pd->setvars.len; i++) {
        const struct setvar *setvar = &pd->setvars.items[i];
        const struct mr *mr = setvar->mr >= 0 ? &sys->mrs.items[setvar->mr] : NULL;
        struct setvar_ref ref = { setvar->symbol, setvar->symbol_loc }; /* may be NULL */
        add(c, list, &ref, mr ? mr->paddr : 0,
            mr && mr->valid && mr->paddr_kind != PADDR_ANY);
    }
}

static const char *item_name(const void *ctx, size_t i)
{
    return ((const struct setvar_item *)ctx)[i].symbol;
}

static bool is_libmicrokit_symbol(const char *symbol)
{
    for (size_t i = 0; i < LIBMICROKIT_SYMBOL_COUNT; i++)
        if (strcmp(symbol, LIBMICROKIT_SYMBOLS[i]) == 0)
            return true;
    return false;
}

/* A symbol is set once: two setvars, or a setvar of a libmicrokit
 * variable, would make the last write win silently. */
static void check_setvar_conflicts(struct compilation *c, const struct pd *pd,
                                   setvar_list *list)
{
    struct name_index index;
    name_index_build(&index, c->arena, list->len, item_name, list->items);
    size_t *first = arena_alloc(c->arena, (list->len + 1) * sizeof *first);
    name_index_first_of(&index, list->len, first);
    for (size_t i = 0; i < list->len; i++) {
        struct setvar_item *item = &list->items[i];
        if (is_libmicrokit_symbol(item->symbol)) {
            diag_error(c->diag, item->loc,
                       "symbol '%s' is set by sdfgen for libmicrokit and "
                       "cannot be a setvar",
                       item->symbol);
            item->value_known = false;
        } else if (first[i] != (size_t)-1) {
            diag_error(c->diag, item->loc,
                       "symbol '%s' of protection domain '%s' is already set "
                       "by another setvar",
                       item->symbol, pd_label(pd));
            diag_note(c->diag, list->items[first[i]].loc, "first set here");
            item->value_known = false;
        }
    }
}

/* ------------------------------------------------------------------ writes */

static bool inside_segment(const struct elf_image *image, uint64_t vaddr,
                           uint64_t size)
{
    for (size_t i = 0; i < image->segment_count; i++)
        if (range_contains((struct range){ image->segments[i].vaddr,
                                           image->segments[i].mem_size },
                           (struct range){ vaddr, size }))
            return true;
    return false;
}

static void add_write(struct compilation *c, struct pd *pd, const char *symbol,
                      uint64_t vaddr, uint64_t size, uint64_t value,
                      const char *bytes, struct loc loc)
{
    if (!inside_segment(pd->image, vaddr, size)) {
        diag_error(c->diag, loc,
                   "symbol '%s' at 0x%" PRIx64 " (%" PRIu64
                   " bytes) is not inside a loadable segment of program "
                   "image '%s'",
                   symbol, vaddr, size, pd->image_path);
        return;
    }
    *VEC_PUSH(c->arena, &pd->writes) = (struct symbol_write){
        symbol, vaddr, size, value, bytes,
    };
}

/* A libmicrokit variable of the expected size, if the image has it. A PD
 * not linked with libmicrokit has none, which is fine. */
static bool find_libmicrokit_symbol(struct compilation *c, const struct pd *pd,
                                    const char *symbol, uint64_t expected_size,
                                    uint64_t *vaddr, uint64_t *size)
{
    if (!elf_find_symbol(pd->symbols, symbol, vaddr, size))
        return false;
    if (expected_size && *size != expected_size) {
        diag_error(c->diag, pd->image_path_loc,
                   "symbol '%s' in program image '%s' is %" PRIu64
                   " bytes, but libmicrokit's is %" PRIu64 " bytes",
                   symbol, pd->image_path, *size, expected_size);
        return false;
    }
    if (*size == 0) {
        diag_error(c->diag, pd->image_path_loc,
                   "symbol '%s' in program image '%s' has size 0", symbol,
                   pd->image_path);
        return false;
    }
    return true;
}

static void write_libmicrokit_data(struct compilation *c, struct pd *pd)
{
    uint64_t vaddr, size;
    if (find_libmicrokit_symbol(c, pd, "microkit_name", 0, &vaddr, &size)) {
        size = size < MICROKIT_NAME_SIZE ? size : MICROKIT_NAME_SIZE;
        char *bytes = arena_alloc(c->arena, size); /* zero-filled */
        size_t len = strlen(pd_label(pd));
        memcpy(bytes, pd_label(pd), len < size - 1 ? len : size - 1);
        add_write(c, pd, "microkit_name", vaddr, size, 0, bytes,
                  pd->image_path_loc);
    }
    if (find_libmicrokit_symbol(c, pd, "microkit_passive", 1, &vaddr, &size))
        add_write(c, pd, "microkit_passive", vaddr, 1, pd->passive, NULL,
                  pd->image_path_loc);
    const struct {
        const char *symbol;
        uint64_t value;
    } masks[] = {
        { "microkit_irqs", pd->irq_mask },
        { "microkit_notifications", pd->notification_mask },
        { "microkit_pps", pd->pp_mask },
    };
    for (size_t i = 0; i < sizeof masks / sizeof *masks; i++)
        if (find_libmicrokit_symbol(c, pd, masks[i].symbol, 8, &vaddr, &size))
            add_write(c, pd, masks[i].symbol, vaddr, 8, masks[i].value, NULL,
                      pd->image_path_loc);
}

static void write_setvar(struct compilation *c, struct pd *pd,
                         const struct setvar_item *item)
{
    uint64_t vaddr, size;
    if (!elf_find_symbol(pd->symbols, item->symbol, &vaddr, &size)) {
        diag_error(c->diag, item->loc,
                   "symbol '%s' is not defined in program image '%s'",
                   item->symbol, pd->symbols_path ? pd->symbols_path : pd->image_path);
        return;
    }
    if (size != 8) {
        diag_error(c->diag, item->loc,
                   "symbol '%s' in program image '%s' is %" PRIu64
                   " bytes; a setvar needs an 8-byte variable",
                   item->symbol, pd->symbols_path ? pd->symbols_path : pd->image_path,
                   size);
        return;
    }
    if (item->value_known)
        add_write(c, pd, item->symbol, vaddr, 8, item->value, NULL, item->loc);
}

void resolve_symbols(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        struct pd *pd = &c->sys.pds.items[i];
        setvar_list list = { 0 };
        collect_setvars(c, pd, &list);
        check_setvar_conflicts(c, pd, &list);
        if (!pd->image || !pd->symbols)
            continue;
        write_libmicrokit_data(c, pd);
        for (size_t j = 0; j < list.len; j++)
            write_setvar(c, pd, &list.items[j]);
        uint64_t vaddr;
        const char *bytes;
        if (pd->debugger && debug_info_write(c, pd, &vaddr, &bytes))
            add_write(c, pd, PD_DEBUG_INFO_SYMBOL, vaddr, sizeof(struct pd_debug_info), 0,
                      bytes, pd->debugger_loc);
    }
}
