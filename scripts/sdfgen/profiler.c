/* <profiler mr="..." id="..." [period="..."] [event="cycles|instructions"]
 * [setvar_id="..."]/> inside a protection domain: the kernel's sampling
 * profiler (CONFIG_PROFILER, kernel/uapi/profiler.h) writes samples into
 * the PD's memory region `mr` and signals it on channel `id`. The monitor
 * sets it up at boot (struct sys_profiler). One per system: the kernel
 * writes every core's samples into one buffer. */
#include <inttypes.h>
#include <string.h>

#include "compile.h"
#include "parse.h"

#define DEFAULT_PERIOD 1000000u     /* events between samples: 1 ms at 1 GHz */
#define MIN_PERIOD 1000u            /* PROFILER_MIN_PERIOD */
#define MAX_PERIOD 0xffffffffu      /* a 32-bit counter */

void parse_profiler(struct parser *p, const struct element *e, void *list)
{
    static const char *const attrs[] = { "mr", "id", "period", "event", "setvar_id", NULL };
    check_attributes(e, attrs);
    VEC(struct profiler) *profilers = list;
    struct profiler *prof = VEC_PUSH(p->arena, profilers);
    prof->loc = e->loc;
    prof->mr = -1;
    prof->mr_name = attr_name(e, "mr", true);
    prof->mr_loc = attr_loc(e, "mr");
    prof->id_loc = attr_loc(e, "id");
    prof->period_loc = attr_loc(e, "period");
    prof->period = DEFAULT_PERIOD;
    bool ok = prof->mr_name != NULL;
    ok &= attr_number_in_range(e, "id", true, 0, MAX_CHANNEL_ID, DECIMAL, &prof->id) == ATTR_VALID;
    ok &= attr_number_in_range(e, "period", false, MIN_PERIOD, MAX_PERIOD, DECIMAL,
                               &prof->period) != ATTR_INVALID;
    const char *event = attr_text(e, "event");
    prof->event = EVENT_CYCLES;
    if (event && strcmp(event, "instructions") == 0) {
        prof->event = EVENT_INSTRUCTIONS;
    } else if (event && strcmp(event, "cycles") != 0) {
        diag_error(p->diag, attr_loc(e, "event"),
                   "event '%s' must be 'cycles' or 'instructions'", event);
        ok = false;
    }
    attr_setvar(e, "setvar_id", &prof->setvar_id);
    prof->valid = ok;
}

/* The PD's map of the region, or NULL. */
static const struct map *map_of(const struct pd *pd, int mr)
{
    for (size_t i = 0; i < pd->maps.len; i++)
        if (pd->maps.items[i].valid && pd->maps.items[i].mr == mr)
            return &pd->maps.items[i];
    return NULL;
}

static void check_one(struct compilation *c, const struct pd *pd, struct profiler *prof)
{
    if (!c->config->profiler) {
        diag_error(c->diag, prof->loc,
                   "<profiler> needs the kernel's sampling profiler: CONFIG_PROFILER is not "
                   "set in the kernel configuration");
        prof->valid = false;
    }
    if (!prof->mr_name)
        return;
    prof->mr = find_mr(&c->sys, prof->mr_name);
    if (prof->mr < 0) {
        diag_error(c->diag, prof->mr_loc, "unknown memory region '%s'", prof->mr_name);
        prof->valid = false;
        return;
    }
    c->sys.mrs.items[prof->mr].uses++;
    const struct map *map = map_of(pd, prof->mr);
    if (!map || !(map->perms & PERM_W)) {
        diag_error(c->diag, prof->mr_loc,
                   "protection domain '%s' must map memory region '%s' read-write: the "
                   "profiler's samples go there and the PD marks what it has read",
                   pd_label(pd), prof->mr_name);
        prof->valid = false;
    }
}

void check_profilers(struct compilation *c)
{
    const struct profiler *first = NULL;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->profilers.len; j++) {
            struct profiler *prof = &pd->profilers.items[j];
            if (first) {
                diag_error(c->diag, prof->loc,
                           "only one <profiler> per system: the kernel writes every "
                           "core's samples into one buffer");
                diag_note(c->diag, first->loc, "the first one is here");
                prof->valid = false;
                continue;
            }
            first = prof;
            check_one(c, pd, prof);
        }
    }
}

/* After page sizes are chosen: the region must be one frame, 4 KiB or 2 MiB. */
void check_profiler_regions(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->profilers.len; j++) {
            struct profiler *prof = &pd->profilers.items[j];
            if (!prof->valid || prof->mr < 0)
                continue;
            const struct mr *mr = &c->sys.mrs.items[prof->mr];
            if (mr_size_known(mr) && mr->size != mr->page_size) {
                diag_error(c->diag, prof->mr_loc,
                           "the profiler's memory region '%s' must be one page (0x1000 or "
                           "0x200000 bytes), not 0x%" PRIx64 " bytes",
                           mr->name, mr->size);
                prof->valid = false;
            } else if (mr->in_device_memory) {
                diag_error(c->diag, prof->mr_loc,
                           "the profiler's memory region '%s' must be RAM", mr->name);
                prof->valid = false;
            }
        }
    }
}
