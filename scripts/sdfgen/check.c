/* Rules that relate elements to each other: unique names, references by
 * name, child ids, and memory regions nobody maps. */
#include <inttypes.h>
#include <string.h>

#include "compile.h"

/* Reports each element whose name an earlier element already has, and
 * returns the per-element "first of" table (see name_index_first_of). */
static size_t *report_duplicates(struct compilation *c,
                                 const struct name_index *index, size_t count,
                                 const char *what, name_of_fn name_of,
                                 struct loc (*name_loc)(const struct system *, size_t),
                                 struct loc (*loc)(const struct system *, size_t))
{
    size_t *first = arena_alloc(c->arena, (count ? count : 1) * sizeof *first);
    name_index_first_of(index, count, first);
    for (size_t i = 0; i < count; i++) {
        if (first[i] == (size_t)-1)
            continue;
        diag_error(c->diag, name_loc(&c->sys, i), "duplicate %s name '%s'",
                   what, name_of(&c->sys, i));
        diag_note(c->diag, loc(&c->sys, first[i]), "first defined here");
    }
    return first;
}

static struct loc pd_name_loc(const struct system *sys, size_t i)
{
    return sys->pds.items[i].name_loc;
}

static struct loc pd_loc(const struct system *sys, size_t i)
{
    return sys->pds.items[i].loc;
}

static struct loc mr_name_loc(const struct system *sys, size_t i)
{
    return sys->mrs.items[i].name_loc;
}

static struct loc mr_loc(const struct system *sys, size_t i)
{
    return sys->mrs.items[i].loc;
}

static struct loc vm_name_loc(const struct system *sys, size_t i)
{
    return sys->vms.items[i].name_loc;
}

static struct loc vm_loc(const struct system *sys, size_t i)
{
    return sys->vms.items[i].loc;
}

static struct loc domain_name_loc(const struct system *sys, size_t i)
{
    return sys->domains.list.items[i].loc;
}

void check_names(struct compilation *c)
{
    struct system *sys = &c->sys;
    index_names(sys, c->arena);
    report_duplicates(c, &sys->pd_names, sys->pds.len, "protection domain",
                      pd_name_at, pd_name_loc, pd_loc);
    size_t *first_mr = report_duplicates(c, &sys->mr_names, sys->mrs.len,
                                         "memory region", mr_name_at,
                                         mr_name_loc, mr_loc);
    /* Maps resolve to the first region of a name; the others are dead. */
    for (size_t i = 0; i < sys->mrs.len; i++)
        if (first_mr[i] != (size_t)-1)
            sys->mrs.items[i].valid = false;
    struct name_index vm_names;
    name_index_build(&vm_names, c->arena, sys->vms.len, vm_name_at, sys);
    report_duplicates(c, &vm_names, sys->vms.len, "virtual machine",
                      vm_name_at, vm_name_loc, vm_loc);
    report_duplicates(c, &sys->domain_names, sys->domains.list.len, "domain",
                      domain_name_at, domain_name_loc, domain_name_loc);
}

/* ------------------------------------------------------------- references */

static void resolve_map(struct compilation *c, struct map *map)
{
    if (!map->mr_name)
        return;
    map->mr = find_mr(&c->sys, map->mr_name);
    if (map->mr < 0) {
        diag_error(c->diag, map->mr_loc, "unknown memory region '%s'%s",
                   map->mr_name, name_hint(c->arena, &c->sys.mr_names, map->mr_name));
        map->valid = false;
        return;
    }
    c->sys.mrs.items[map->mr].uses++;
}

static int resolve_pd(struct compilation *c, const char *name, struct loc loc)
{
    if (!name)
        return -1;
    int pd = find_pd(&c->sys, name);
    if (pd < 0)
        diag_error(c->diag, loc, "unknown protection domain '%s'%s", name,
                   name_hint(c->arena, &c->sys.pd_names, name));
    return pd;
}

static void resolve_pd_references(struct compilation *c, struct pd *pd)
{
    for (size_t i = 0; i < pd->maps.len; i++)
        resolve_map(c, &pd->maps.items[i]);
    for (size_t i = 0; i < pd->setvars.len; i++) {
        struct setvar *setvar = &pd->setvars.items[i];
        setvar->mr = find_mr(&c->sys, setvar->mr_name);
        if (setvar->mr < 0)
            diag_error(c->diag, setvar->mr_loc, "unknown memory region '%s'%s",
                       setvar->mr_name,
                       name_hint(c->arena, &c->sys.mr_names, setvar->mr_name));
        else /* a region whose address a PD gets is used, e.g. for DMA */
            c->sys.mrs.items[setvar->mr].uses++;
    }
    for (size_t i = 0; i < pd->caps.len; i++) {
        struct cap_share *cap = &pd->caps.items[i];
        cap->pd = resolve_pd(c, cap->pd_name, cap->pd_loc);
        cap->valid &= cap->pd >= 0;
    }
}

void check_references(struct compilation *c)
{
    struct system *sys = &c->sys;
    for (size_t i = 0; i < sys->pds.len; i++)
        resolve_pd_references(c, &sys->pds.items[i]);
    for (size_t i = 0; i < sys->vms.len; i++)
        for (size_t j = 0; j < sys->vms.items[i].maps.len; j++)
            resolve_map(c, &sys->vms.items[i].maps.items[j]);
    for (size_t i = 0; i < sys->channels.len; i++) {
        struct channel *channel = &sys->channels.items[i];
        for (unsigned e = 0; e < 2 && e < channel->end_count; e++) {
            struct channel_end *end = &channel->ends[e];
            end->pd = resolve_pd(c, end->pd_name, end->pd_loc);
            channel->valid &= end->pd >= 0;
        }
    }
}

/* ------------------------------------------------------------ child ids */

/* Child ids are small (0..MAX_CHILD_ID), so a table per parent finds
 * duplicates in one pass. */
static void check_child_ids(struct compilation *c)
{
    struct system *sys = &c->sys;
    size_t table_size = sys->pds.len * (MAX_CHILD_ID + 1);
    int *first = arena_alloc(c->arena, (table_size ? table_size : 1) * sizeof *first);
    for (size_t i = 0; i < table_size; i++)
        first[i] = -1;
    for (size_t i = 0; i < sys->pds.len; i++) {
        struct pd *child = &sys->pds.items[i];
        if (child->parent < 0 || !child->has_child_id)
            continue;
        int *slot = &first[(size_t)child->parent * (MAX_CHILD_ID + 1) +
                           child->child_id];
        if (*slot < 0) {
            *slot = (int)i;
            continue;
        }
        diag_error(c->diag, child->id_loc,
                   "duplicate child id %" PRIu64 " in protection domain '%s'",
                   child->child_id, pd_label(&sys->pds.items[child->parent]));
        diag_note(c->diag, sys->pds.items[*slot].loc, "first used here");
    }
}

static void report_vcpu_child_clash(struct compilation *c, const struct vm *vm,
                                    const struct vcpu *vcpu)
{
    struct system *sys = &c->sys;
    for (size_t j = 0; j < sys->pds.len; j++) {
        const struct pd *child = &sys->pds.items[j];
        if (child->parent == vm->pd && child->has_child_id &&
            child->child_id == vcpu->id) {
            diag_error(c->diag, vcpu->id_loc,
                       "vcpu id %" PRIu64 " clashes with the id of child "
                       "protection domain '%s'",
                       vcpu->id, pd_label(child));
            diag_note(c->diag, child->id_loc, "child id given here");
            return;
        }
    }
}

/* A parent tells the faults of its children and of its vCPUs apart by the
 * same id, so the two must not collide. */
static void check_vcpu_ids(struct compilation *c, const struct vm *vm)
{
    int first[MAX_VCPU_ID + 1];
    for (size_t i = 0; i <= MAX_VCPU_ID; i++)
        first[i] = -1;
    for (size_t i = 0; i < vm->vcpus.len; i++) {
        const struct vcpu *vcpu = &vm->vcpus.items[i];
        if (!vcpu->valid)
            continue;
        if (first[vcpu->id] >= 0) {
            diag_error(c->diag, vcpu->id_loc,
                       "duplicate vcpu id %" PRIu64 " in virtual machine '%s'",
                       vcpu->id, vm->name ? vm->name : "(unnamed)");
            diag_note(c->diag, vm->vcpus.items[first[vcpu->id]].loc,
                      "first used here");
            continue;
        }
        first[vcpu->id] = (int)i;
        report_vcpu_child_clash(c, vm, vcpu);
    }
}

void check_children(struct compilation *c)
{
    struct system *sys = &c->sys;
    for (size_t i = 0; i < sys->pds.len; i++) {
        struct pd *pd = &sys->pds.items[i];
        if (pd->parent >= 0)
            sys->pds.items[pd->parent].has_children = true;
    }
    check_child_ids(c);
    for (size_t i = 0; i < sys->vms.len; i++)
        check_vcpu_ids(c, &sys->vms.items[i]);
}

/* -------------------------------------------------------- unused regions */

void warn_unused_regions(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.mrs.len; i++) {
        const struct mr *mr = &c->sys.mrs.items[i];
        if (mr->uses == 0 && mr->valid)
            diag_warning(c->diag, mr->loc,
                         "memory region '%s' is not used: no map and no "
                         "setvar region_paddr names it",
                         mr->name);
    }
}
