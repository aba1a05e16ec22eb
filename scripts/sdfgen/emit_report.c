/* report.txt: a human-readable account of what sdfgen decided. Per PD its
 * parameters, virtual memory layout, capabilities, channels and the data
 * written into it; per memory region its size, pages and physical
 * placement; the IRQs, channels and totals. Meant for people, not parsers:
 * the format may change. */
#include <inttypes.h>
#include <stdlib.h>

#include "emit.h"
#include "numbers.h"

static const char *size_text(struct arena *arena, uint64_t size)
{
    char buf[32];
    format_size(buf, sizeof buf, size);
    return arena_strdup(arena, buf);
}

static const char *approx_size(struct arena *arena, uint64_t size)
{
    char buf[32];
    format_size_approx(buf, sizeof buf, size);
    return arena_strdup(arena, buf);
}

static const char *on_off(bool value)
{
    return value ? "on" : "off";
}

/* ------------------------------------------------------------ PD memory */

struct vm_line {
    uint64_t start, end;
    unsigned perms;
    const char *what;
};

static int compare_lines(const void *a, const void *b)
{
    const struct vm_line *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

static void report_pd_memory(const struct compilation *c, const struct pd *pd,
                             FILE *out)
{
    struct arena *arena = c->arena;
    const struct pd_layout *l = &pd->layout;
    size_t windows = 0;
    for (size_t k = 0; pd->debugger && k < c->sys.pds.len; k++)
        if (c->sys.pds.items[k].parent == pd->index)
            windows += c->sys.pds.items[k].debug_windows.len;
    size_t count = pd->image_regions.len + pd->maps.len + windows + 4;
    struct vm_line *lines = arena_alloc(arena, count * sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; i < pd->image_regions.len; i++) {
        const struct image_region *r = &pd->image_regions.items[i];
        lines[n++] = (struct vm_line){ r->vaddr, r->vaddr + r->size, r->perms,
                                       "program image" };
    }
    for (size_t i = 0; i < pd->maps.len; i++) {
        const struct map *map = &pd->maps.items[i];
        const struct mr *mr = &c->sys.mrs.items[map->mr];
        lines[n++] = (struct vm_line){
            map->vaddr, map->vaddr + mr->size, map->perms,
            arena_printf(arena, "map of '%s'%s", mr->name,
                         map->cached ? "" : ", uncached"),
        };
    }
    for (size_t k = 0; pd->debugger && k < c->sys.pds.len; k++) {
        const struct pd *child = &c->sys.pds.items[k];
        for (size_t i = 0; child->parent == pd->index && i < child->debug_windows.len; i++) {
            const struct debug_window *w = &child->debug_windows.items[i];
            lines[n++] = (struct vm_line){
                w->window, w->window + w->size, PERM_R | PERM_W,
                arena_printf(arena, "debug window: '%s' [0x%" PRIx64 "..0x%" PRIx64 ") %s",
                             child->name, w->vaddr, w->vaddr + w->size, perms_text(w->perms)),
            };
        }
    }
    lines[n++] = (struct vm_line){ l->map_limit, l->stack_bottom, 0, "guard page" };
    lines[n++] = (struct vm_line){ l->stack_bottom, l->stack_top, PERM_R | PERM_W,
                                   arena_printf(arena, "stack (%s)",
                                                size_text(arena, pd->stack_size)) };
    lines[n++] = (struct vm_line){ l->stack_top, l->ipc_buffer, 0, "guard page" };
    lines[n++] = (struct vm_line){ l->ipc_buffer, l->ipc_buffer + SMALL_PAGE,
                                   PERM_R | PERM_W, "IPC buffer" };
    qsort(lines, n, sizeof *lines, compare_lines);
    fputs("virtual memory:\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  [0x%012" PRIx64 "..0x%012" PRIx64 ") %s  %s\n",
                lines[i].start, lines[i].end, perms_text(lines[i].perms),
                lines[i].what);
}

/* ------------------------------------------------------- PD capabilities */

static void report_pd_caps(const struct compilation *c, const struct pd *pd,
                           FILE *out)
{
    const struct system *sys = &c->sys;
    bool endpoint = pd_has_endpoint(pd);
    fputs("capabilities (Microkit CNode):\n", out);
    fprintf(out, "  %3d  input: %s\n", SYS_SLOT_INPUT, endpoint ? "endpoint" : "notification");
    if (pd->parent < 0)
        fprintf(out, "  %3d  fault endpoint: monitor, badge 0x%" PRIx64 "\n",
                SYS_SLOT_FAULT_EP, pd_fault_badge(pd));
    else
        fprintf(out, "  %3d  fault endpoint: parent '%s', badge 0x%" PRIx64 "\n",
                SYS_SLOT_FAULT_EP,
                sys->pds.items[pd->parent].name, pd_fault_badge(pd));
    fprintf(out, "  %3d  own VSpace\n  %3d  reply object\n", SYS_SLOT_VSPACE,
            SYS_SLOT_REPLY);
    if (pd->passive)
        fprintf(out, "  %3d  monitor endpoint (passive), badge 0x%x\n",
                SYS_SLOT_MONITOR_EP, pd->index + 1);
    if (pd->smc)
        fprintf(out, "  %3d  SMC\n", SYS_SLOT_SMC);
    for (size_t i = 0; i < sys->channels.len; i++)
        for (int e = 0; e < 2; e++) {
            const struct channel_end *end = &sys->channels.items[i].ends[e];
            const struct channel_end *peer = &sys->channels.items[i].ends[1 - e];
            if (end->pd != pd->index)
                continue;
            const char *peer_name = sys->pds.items[peer->pd].name;
            if (end->notify)
                fprintf(out, "  %3" PRIu64 "  notification of '%s', badge 0x%" PRIx64 "\n",
                        SYS_SLOT_NOTIFY_BASE + end->id, peer_name, UINT64_C(1) << peer->id);
            if (end->pp)
                fprintf(out, "  %3" PRIu64 "  endpoint of '%s' (PPC), badge 0x%" PRIx64 "\n",
                        SYS_SLOT_PPC_BASE + end->id, peer_name, SYS_BADGE_PPC | peer->id);
        }
    for (size_t i = 0; i < pd->irqs.len; i++)
        fprintf(out, "  %3" PRIu64 "  IRQ handler, irq %" PRIu64 "\n",
                SYS_SLOT_IRQ_BASE + pd->irqs.items[i].id, pd->irqs.items[i].number);
    for (size_t i = 0; i < sys->pds.len; i++)
        if (sys->pds.items[i].parent == pd->index)
            fprintf(out, "  %3" PRIu64 "  TCB of child '%s'\n",
                    SYS_SLOT_CHILD_BASE + sys->pds.items[i].child_id, sys->pds.items[i].name);
    if (pd->vm >= 0) {
        const struct vm *vm = &sys->vms.items[pd->vm];
        for (size_t i = 0; i < vm->vcpus.len; i++)
            fprintf(out, "  %3" PRIu64 "  TCB of vCPU %" PRIu64 " of '%s'\n",
                    SYS_SLOT_VCPU_TCB_BASE + vm->vcpus.items[i].id, vm->vcpus.items[i].id, vm->name);
        for (size_t i = 0; i < vm->vcpus.len; i++)
            fprintf(out, "  %3" PRIu64 "  vCPU %" PRIu64 " of '%s'\n",
                    SYS_SLOT_VCPU_BASE + vm->vcpus.items[i].id, vm->vcpus.items[i].id, vm->name);
    }
    for (size_t i = 0; i < pd->profilers.len; i++)
        fprintf(out, "  profiler: samples in memory region '%s', notified on channel %" PRIu64
                ", every %" PRIu64 " %s\n", pd->profilers.items[i].mr_name,
                pd->profilers.items[i].id, pd->profilers.items[i].period,
                pd->profilers.items[i].event == EVENT_INSTRUCTIONS ? "instructions" : "cycles");
    static const char *const kinds[] = { "TCB", "scheduling context", "VSpace" };
    for (size_t i = 0; i < pd->caps.len; i++)
        fprintf(out, "  root slot %" PRIu64 ": %s of '%s'\n", pd->caps.items[i].slot,
                kinds[pd->caps.items[i].kind], sys->pds.items[pd->caps.items[i].pd].name);
}

static void report_pd_writes(const struct pd *pd, FILE *out)
{
    if (pd->writes.len == 0)
        return;
    fputs("data written at load:\n", out);
    for (size_t i = 0; i < pd->writes.len; i++) {
        const struct symbol_write *w = &pd->writes.items[i];
        fprintf(out, "  0x%" PRIx64 " %s (%" PRIu64 " byte%s) = ", w->vaddr, w->symbol,
                w->size, w->size == 1 ? "" : "s");
        if (w->bytes)
            write_c_string(out, w->bytes);
        else
            fprintf(out, "0x%" PRIx64, w->value);
        fputc('\n', out);
    }
}

static void report_pd(const struct compilation *c, const struct pd *pd, FILE *out)
{
    struct arena *arena = c->arena;
    fprintf(out, "\n## %s (PD %d, %s%s)\n", pd->name, pd->index,
            pd->parent < 0 ? "root" : "child of ",
            pd->parent < 0 ? "" : c->sys.pds.items[pd->parent].name);
    if (pd->parent >= 0)
        fprintf(out, "child id: %" PRIu64 "\n", pd->child_id);
    fprintf(out,
            "priority %" PRIu64 ", budget %" PRIu64 " us, period %" PRIu64
            " us, %s, cpu %" PRIu64 ", fpu %s, smc %s\n",
            pd->priority, pd->budget_us, pd->period_us,
            pd->passive ? "passive" : "active", pd->cpu, on_off(pd->fpu),
            on_off(pd->smc));
    if (pd->domain >= 0)
        fprintf(out, "domain: %s\n", pd->domain_name);
    uint64_t loaded = 0;
    for (size_t i = 0; i < pd->image_regions.len; i++)
        loaded += pd->image_regions.items[i].size;
    fprintf(out, "program image: %s (%s loaded, entry 0x%" PRIx64 ")\n",
            pd->image_path, size_text(arena, loaded), pd->image->entry);
    report_pd_memory(c, pd, out);
    report_pd_caps(c, pd, out);
    report_pd_writes(pd, out);
}

/* -------------------------------------------------------- memory regions */

static const char *placement(const struct compilation *c, const struct mr *mr)
{
    const char *memory = mr->in_device_memory ? "device memory" : "RAM";
    switch (mr->paddr_kind) {
    case PADDR_FIXED:
        return arena_printf(c->arena, "fixed at 0x%" PRIx64 " (%s)", mr->paddr, memory);
    case PADDR_PLACED:
        return arena_printf(c->arena, "placed at 0x%" PRIx64 " by sdfgen (RAM)",
                            mr->paddr);
    case PADDR_ANY:
        break;
    }
    return "any RAM (allocated by the monitor at boot)";
}

static void report_mr(const struct compilation *c, size_t index, FILE *out)
{
    const struct mr *mr = &c->sys.mrs.items[index];
    struct arena *arena = c->arena;
    fprintf(out, "\n## %s\n", mr->name);
    fprintf(out, "size 0x%" PRIx64 " (%s), %s pages (%" PRIu64 "%s)\n", mr->size,
            size_text(arena, mr->size), size_text(arena, mr->page_size),
            mr->size / mr->page_size, mr->page_size_given ? "" : ", page size chosen by sdfgen");
    fprintf(out, "physical: %s\n", placement(c, mr));
    if (mr->prefill_path)
        fprintf(out, "prefill: %s (%" PRIu64 " bytes)\n", mr->prefill_path,
                mr->prefill_size);
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->maps.len; j++)
            if (pd->maps.items[j].mr == (int)index)
                fprintf(out, "mapped by '%s' at 0x%" PRIx64 " %s%s\n", pd->name,
                        pd->maps.items[j].vaddr, perms_text(pd->maps.items[j].perms),
                        pd->maps.items[j].cached ? "" : " uncached");
    }
    for (size_t i = 0; i < c->sys.vms.len; i++) {
        const struct vm *vm = &c->sys.vms.items[i];
        for (size_t j = 0; j < vm->maps.len; j++)
            if (vm->maps.items[j].mr == (int)index)
                fprintf(out, "mapped by virtual machine '%s' at guest 0x%" PRIx64 " %s\n",
                        vm->name, vm->maps.items[j].vaddr,
                        perms_text(vm->maps.items[j].perms));
    }
}

/* ----------------------------------------------------- channels and IRQs */

static void report_channels(const struct compilation *c, FILE *out)
{
    const struct system *sys = &c->sys;
    fputs("\n# Channels\n\n", out);
    if (sys->channels.len == 0)
        fputs("none\n", out);
    for (size_t i = 0; i < sys->channels.len; i++) {
        const struct channel *ch = &sys->channels.items[i];
        const struct channel_end *a = &ch->ends[0], *b = &ch->ends[1];
        const char *na = sys->pds.items[a->pd].name, *nb = sys->pds.items[b->pd].name;
        fprintf(out, "'%s' id %" PRIu64 " <-> '%s' id %" PRIu64, na, a->id, nb, b->id);
        const char *sep = ": ";
        const struct {
            bool on;
            const char *from, *to, *what, *suffix;
        } parts[] = {
            { a->notify, na, nb, "notifies", "" },
            { b->notify, nb, na, "notifies", "" },
            { a->pp, na, nb, "calls", " (PPC)" },
            { b->pp, nb, na, "calls", " (PPC)" },
        };
        for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
            if (parts[k].on) {
                fprintf(out, "%s'%s' %s '%s'%s", sep, parts[k].from, parts[k].what,
                        parts[k].to, parts[k].suffix);
                sep = ", ";
            }
        fputc('\n', out);
    }
}

static void report_irqs(const struct compilation *c, FILE *out)
{
    fputs("\n# IRQs\n\n", out);
    bool any = false;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->irqs.len; j++) {
            const struct irq *irq = &pd->irqs.items[j];
            fprintf(out, "irq %" PRIu64 " (%s) -> '%s' channel %" PRIu64 "\n",
                    irq->number, irq->trigger == TRIGGER_EDGE ? "edge" : "level",
                    pd->name, irq->id);
            any = true;
        }
    }
    if (!any)
        fputs("none\n", out);
}

/* ---------------------------------------------------------------- totals */

static void report_vms(const struct compilation *c, FILE *out)
{
    const struct system *sys = &c->sys;
    if (sys->vms.len == 0)
        return;
    fputs("\n# Virtual machines\n", out);
    for (size_t i = 0; i < sys->vms.len; i++) {
        const struct vm *vm = &sys->vms.items[i];
        fprintf(out, "\n## %s (monitor '%s')\n", vm->name, sys->pds.items[vm->pd].name);
        fprintf(out, "priority %" PRIu64 ", budget %" PRIu64 " us, period %" PRIu64 " us\n",
                vm->priority, vm->budget_us, vm->period_us);
        for (size_t j = 0; j < vm->vcpus.len; j++)
            fprintf(out, "vcpu %" PRIu64 " on cpu %" PRIu64 ", faults to '%s' with badge 0x%" PRIx64 "\n",
                    vm->vcpus.items[j].id, vm->vcpus.items[j].cpu,
                    sys->pds.items[vm->pd].name,
                    SYS_BADGE_FAULT | vm->vcpus.items[j].id);
        for (size_t j = 0; j < vm->maps.len; j++) {
            const struct map *map = &vm->maps.items[j];
            fprintf(out, "guest [0x%" PRIx64 "..0x%" PRIx64 ") %s  '%s'%s\n", map->vaddr,
                    map->vaddr + sys->mrs.items[map->mr].size, perms_text(map->perms),
                    sys->mrs.items[map->mr].name, map->cached ? "" : ", uncached");
        }
    }
}

static void report_domains(const struct compilation *c, FILE *out)
{
    const struct domains *domains = &c->sys.domains;
    if (!domains->present)
        return;
    fputs("\n# Domain schedule\n\n", out);
    for (size_t i = 0; i < domains->list.len; i++)
        fprintf(out, "domain %" PRIu64 ": %s\n", domains->list.items[i].id,
                domains->list.items[i].name);
    fprintf(out, "schedule (start index %" PRIu64 ", index shift %" PRIu64 "):\n",
            domains->start_index, domains->index_shift);
    for (size_t i = 0; i < domains->schedule.len; i++) {
        const struct schedule_entry *entry = &domains->schedule.items[i];
        if (entry->end_marker)
            fprintf(out, "  %zu: end marker (back to the start index)\n", i);
        else
            fprintf(out, "  %zu: %s for %" PRIu64 " %s\n", i, entry->domain_name,
                    entry->duration, entry->unit == DURATION_TICKS ? "ticks" : "us");
    }
}

static void report_totals(const struct compilation *c, FILE *out)
{
    const struct totals *t = &c->totals;
    struct arena *arena = c->arena;
    fputs("\n# Totals\n\n", out);
    fprintf(out,
            "protection domains: %" PRIu64 "\nmemory regions: %zu\nchannels: %zu\n"
            "virtual machines: %zu\n",
            t->pds, c->sys.mrs.len, c->sys.channels.len, c->sys.vms.len);
    fprintf(out,
            "kernel objects: TCB %" PRIu64 ", scheduling context %" PRIu64
            ", endpoint %" PRIu64 ", notification %" PRIu64 ", reply %" PRIu64
            ", CNode %" PRIu64 ", VSpace %" PRIu64 ", page table %" PRIu64
            ", vCPU %" PRIu64 ", IRQ handler %" PRIu64 "\n",
            t->tcbs, t->scheds, t->endpoints, t->notifications, t->replies, t->cnodes,
            t->vspaces, t->page_tables, t->vcpus, t->irq_handlers);
    fprintf(out, "kernel object memory: %s\n", approx_size(arena, t->object_bytes));
    fprintf(out, "frames: %" PRIu64 " (%s from free RAM)\n", t->frames,
            approx_size(arena, t->frame_bytes));
    fprintf(out, "channel capabilities: %" PRIu64 "\n", t->channel_caps);
    fprintf(out, "embedded files: %zu (%s)\n", c->embedded.len,
            approx_size(arena, t->image_bytes));
    if (c->board) {
        fprintf(out, "RAM needed: %s (0x%" PRIx64 ") of %s (0x%" PRIx64
                     ") free on board '%s'\n",
                approx_size(arena, t->ram_needed), t->ram_needed,
                approx_size(arena, t->ram_available), t->ram_available,
                c->board->name);
        fputs("free RAM:", out);
        for (size_t i = 0; i < c->free_ram.len; i++)
            fprintf(out, " [0x%" PRIx64 "..0x%" PRIx64 ")", c->free_ram.items[i].base,
                    range_end(c->free_ram.items[i]));
        fputc('\n', out);
    }
    fprintf(out,
            "monitor capability slots: about %" PRIu64 " of %" PRIu64
            " (CONFIG_ROOT_CNODE_SIZE_BITS=%" PRIu64 ")\n",
            t->monitor_slots, t->monitor_slots_available,
            c->config->root_cnode_size_bits);
}

void emit_report(const struct compilation *c, FILE *out)
{
    fprintf(out, "sdfgen %s report for %s\n", SDFGEN_VERSION, base_name(c->sdf_file));
    if (c->board)
        fprintf(out, "board: %s\n", c->board->name);
    fputs("\n# Protection domains\n", out);
    for (size_t i = 0; i < c->sys.pds.len; i++)
        report_pd(c, &c->sys.pds.items[i], out);
    fputs("\n# Memory regions\n", out);
    if (c->sys.mrs.len == 0)
        fputs("\nnone\n", out);
    for (size_t i = 0; i < c->sys.mrs.len; i++)
        report_mr(c, i, out);
    report_vms(c, out);
    report_irqs(c, out);
    report_channels(c, out);
    report_domains(c, out);
    report_totals(c, out);
}
