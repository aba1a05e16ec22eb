/* The compilation driver: parse, then run the checking and deriving
 * phases in dependency order. */
#include "compile.h"

#include <string.h>

#include "emit.h"
#include "parse.h"

void compilation_init(struct compilation *c, struct arena *arena,
                      struct diag *diag)
{
    memset(c, 0, sizeof *c);
    c->arena = arena;
    c->diag = diag;
}

bool compile_system(struct compilation *c)
{
    unsigned errors_before = c->diag->errors;
    if (!sdf_parse(&c->sys, c->arena, c->diag, c->sdf_file, c->sdf_text,
                   c->sdf_len))
        return false;
    /* The PD limit was reported while parsing; the checks below assume it
     * holds (some of them are quadratic in the number of PDs). */
    if (c->sys.pds.len > MAX_PDS)
        return false;
    check_names(c);
    check_channel_header_names(c);
    check_references(c);
    check_features(c);
    check_profilers(c);
    check_children(c);
    check_channels(c);
    check_cspaces(c);
    load_images(c);
    choose_page_sizes(c);
    check_virtual_layout(c);
    check_physical_layout(c);
    place_regions(c);
    check_profiler_regions(c);
    plan_debug_windows(c);
    resolve_symbols(c);
    count_resources(c);
    warn_unused_regions(c);
    return c->diag->errors == errors_before;
}

int embed_file(struct compilation *c, const char *resolved, uint64_t size)
{
    for (size_t i = 0; i < c->embedded.len; i++)
        if (strcmp(c->embedded.items[i].path, resolved) == 0)
            return (int)i;
    *VEC_PUSH(c->arena, &c->embedded) = (struct embedded_file){ resolved, size };
    return (int)(c->embedded.len - 1);
}

bool mr_size_known(const struct mr *mr)
{
    return mr->valid && mr->size != 0;
}
