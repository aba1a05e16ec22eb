/* Name lookups over the model, through sorted indexes (names.c). */
#include "model.h"

const char *pd_name_at(const void *ctx, size_t i)
{
    return ((const struct system *)ctx)->pds.items[i].name;
}

const char *mr_name_at(const void *ctx, size_t i)
{
    return ((const struct system *)ctx)->mrs.items[i].name;
}

const char *domain_name_at(const void *ctx, size_t i)
{
    return ((const struct system *)ctx)->domains.list.items[i].name;
}

const char *vm_name_at(const void *ctx, size_t i)
{
    return ((const struct system *)ctx)->vms.items[i].name;
}

void index_names(struct system *sys, struct arena *arena)
{
    name_index_build(&sys->pd_names, arena, sys->pds.len, pd_name_at, sys);
    name_index_build(&sys->mr_names, arena, sys->mrs.len, mr_name_at, sys);
    name_index_build(&sys->domain_names, arena, sys->domains.list.len,
                     domain_name_at, sys);
}

int find_pd(const struct system *sys, const char *name)
{
    return (int)name_index_find(&sys->pd_names, name);
}

int find_mr(const struct system *sys, const char *name)
{
    return (int)name_index_find(&sys->mr_names, name);
}

int find_domain(const struct system *sys, const char *name)
{
    return (int)name_index_find(&sys->domain_names, name);
}

const char *pd_label(const struct pd *pd)
{
    return pd->name ? pd->name : "(unnamed)";
}

bool pd_has_endpoint(const struct pd *pd)
{
    return pd->receives_ppc || pd->has_children || pd->vm >= 0;
}

uint64_t pd_fault_badge(const struct pd *pd)
{
    return pd->parent < 0 ? (uint64_t)pd->index + 1 : SYS_BADGE_FAULT | pd->child_id;
}
