/* system_tables.c: the tables the monitor realises at boot, in the schema
 * of pds/monitor/include/system_tables.h. */
#include <inttypes.h>
#include <string.h>

#include "emit.h"

/* Running positions of each PD's slice in the per-PD tables. */
struct slices {
    uint32_t regions, copies, maps, irqs, ends, caps, writes, windows;
};

static const char *rights(unsigned perms)
{
    static const char *const texts[] = {
        "0",
        "SYS_RIGHT_READ",
        "SYS_RIGHT_WRITE",
        "SYS_RIGHT_READ | SYS_RIGHT_WRITE",
        "SYS_RIGHT_EXECUTE",
        "SYS_RIGHT_READ | SYS_RIGHT_EXECUTE",
        "SYS_RIGHT_WRITE | SYS_RIGHT_EXECUTE",
        "SYS_RIGHT_READ | SYS_RIGHT_WRITE | SYS_RIGHT_EXECUTE",
    };
    return texts[perms & 7];
}

static const char *boolean(bool value)
{
    return value ? "true" : "false";
}

/* Opens "static const struct sys_<type> <name>[] = {" or, for an empty
 * table, writes nothing: the table pointer is then NULL. */
static bool open_table(FILE *out, const char *type, const char *name, size_t count)
{
    if (count == 0)
        return false;
    fprintf(out, "\nstatic const struct %s %s[%zu] = {\n", type, name, count);
    return true;
}

static void close_table(FILE *out)
{
    fputs("};\n", out);
}

static void emit_images_table(const struct compilation *c, FILE *out)
{
    if (c->embedded.len == 0)
        return;
    fputc('\n', out);
    for (size_t i = 0; i < c->embedded.len; i++)
        fprintf(out, "extern const uint8_t sdf_image_%zu_start[], sdf_image_%zu_end[];\n",
                i, i);
    open_table(out, "sys_image", "images", c->embedded.len);
    for (size_t i = 0; i < c->embedded.len; i++)
        fprintf(out, "    { sdf_image_%zu_start, sdf_image_%zu_end },\n", i, i);
    close_table(out);
}

static uint32_t channel_end_count(const struct compilation *c, const struct pd *pd)
{
    uint32_t count = 0;
    for (size_t i = 0; i < c->sys.channels.len; i++)
        for (int e = 0; e < 2; e++)
            count += c->sys.channels.items[i].ends[e].pd == pd->index;
    return count;
}

static void emit_pd(const struct compilation *c, const struct pd *pd,
                    struct slices *at, FILE *out)
{
    fprintf(out, "    [%d] = {\n        .name = ", pd->index);
    write_c_string(out, pd->name);
    fprintf(out, ",\n        .parent = %d,\n", pd->parent);
    fprintf(out, "        .child_id = %" PRIu64 ",\n", pd->parent < 0 ? 0 : pd->child_id);
    fprintf(out, "        .priority = %" PRIu64 ",\n", pd->priority);
    fprintf(out, "        .budget_us = %" PRIu64 ",\n", pd->budget_us);
    fprintf(out, "        .period_us = %" PRIu64 ",\n", pd->period_us);
    fprintf(out, "        .passive = %s,\n", boolean(pd->passive));
    fprintf(out, "        .fpu = %s,\n", boolean(pd->fpu));
    fprintf(out, "        .smc = %s,\n", boolean(pd->smc));
    fprintf(out, "        .has_endpoint = %s,\n",
            boolean(pd_has_endpoint(pd)));
    fprintf(out, "        .cpu = %" PRIu64 ",\n", pd->cpu);
    fprintf(out, "        .domain = %" PRIu64 ",\n",
            pd->domain >= 0 ? c->sys.domains.list.items[pd->domain].id : 0);
    fprintf(out, "        .fault_badge = 0x%" PRIx64 ",\n", pd_fault_badge(pd));
    fprintf(out, "        .image = %d,\n", pd->image_index);
    fprintf(out, "        .entry = 0x%" PRIx64 ",\n", pd->image->entry);
    fprintf(out, "        .stack_bottom = 0x%" PRIx64 ",\n", pd->layout.stack_bottom);
    fprintf(out, "        .stack_top = 0x%" PRIx64 ",\n", pd->layout.stack_top);
    fprintf(out, "        .ipc_buffer = 0x%" PRIx64 ",\n", pd->layout.ipc_buffer);
    fprintf(out, "        .irq_mask = 0x%" PRIx64 ",\n", pd->irq_mask);
    fprintf(out, "        .notification_mask = 0x%" PRIx64 ",\n", pd->notification_mask);
    fprintf(out, "        .pp_mask = 0x%" PRIx64 ",\n", pd->pp_mask);
    fprintf(out, "        .vm = %d,\n", pd->vm);
    const struct {
        const char *name;
        uint32_t *first;
        size_t count;
    } slices[] = {
        { "image_region", &at->regions, pd->image_regions.len },
        { "image_copy", &at->copies, pd->image_copies.len },
        { "map", &at->maps, pd->maps.len },
        { "irq", &at->irqs, pd->irqs.len },
        { "channel_end", &at->ends, channel_end_count(c, pd) },
        { "cap_share", &at->caps, pd->caps.len },
        { "symbol_write", &at->writes, pd->writes.len },
        { "debug_window", &at->windows, pd->debug_windows.len },
    };
    for (size_t i = 0; i < sizeof slices / sizeof *slices; i++) {
        fprintf(out, "        .first_%s = %" PRIu32 ", .%s_count = %zu,\n",
                slices[i].name, *slices[i].first, slices[i].name, slices[i].count);
        *slices[i].first += (uint32_t)slices[i].count;
    }
    fputs("    },\n", out);
}

static void emit_pds(const struct compilation *c, FILE *out)
{
    struct slices at = { 0 };
    open_table(out, "sys_pd", "pds", c->sys.pds.len);
    for (size_t i = 0; i < c->sys.pds.len; i++)
        emit_pd(c, &c->sys.pds.items[i], &at, out);
    close_table(out);
}

static void emit_image_layout(const struct compilation *c, FILE *out)
{
    size_t regions = 0, copies = 0;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        regions += c->sys.pds.items[i].image_regions.len;
        copies += c->sys.pds.items[i].image_copies.len;
    }
    if (open_table(out, "sys_image_region", "image_regions", regions)) {
        for (size_t i = 0; i < c->sys.pds.len; i++) {
            const struct pd *pd = &c->sys.pds.items[i];
            for (size_t j = 0; j < pd->image_regions.len; j++) {
                const struct image_region *r = &pd->image_regions.items[j];
                fprintf(out,
                        "    { .pd = %zu, .vaddr = 0x%" PRIx64 ", .size = 0x%" PRIx64
                        ", .rights = %s },\n",
                        i, r->vaddr, r->size, rights(r->perms));
            }
        }
        close_table(out);
    }
    if (open_table(out, "sys_image_copy", "image_copies", copies)) {
        for (size_t i = 0; i < c->sys.pds.len; i++) {
            const struct pd *pd = &c->sys.pds.items[i];
            for (size_t j = 0; j < pd->image_copies.len; j++) {
                const struct image_copy *copy = &pd->image_copies.items[j];
                fprintf(out,
                        "    { .pd = %zu, .image = %d, .vaddr = 0x%" PRIx64
                        ", .offset = 0x%" PRIx64 ", .size = 0x%" PRIx64 " },\n",
                        i, pd->image_index, copy->vaddr, copy->file_offset,
                        copy->size);
            }
        }
        close_table(out);
    }
}

static const char *paddr_kind(enum paddr_kind kind)
{
    switch (kind) {
    case PADDR_FIXED:
        return "SYS_PADDR_FIXED";
    case PADDR_PLACED:
        return "SYS_PADDR_PLACED";
    case PADDR_ANY:
        break;
    }
    return "SYS_PADDR_ANY";
}

static void emit_mrs(const struct compilation *c, FILE *out)
{
    if (!open_table(out, "sys_mr", "mrs", c->sys.mrs.len))
        return;
    for (size_t i = 0; i < c->sys.mrs.len; i++) {
        const struct mr *mr = &c->sys.mrs.items[i];
        fprintf(out, "    [%zu] = {\n        .name = ", i);
        write_c_string(out, mr->name);
        fprintf(out, ",\n        .size = 0x%" PRIx64 ",\n", mr->size);
        fprintf(out, "        .page_bits = %u,\n", mr->page_size == LARGE_PAGE ? 21 : 12);
        fprintf(out, "        .paddr_kind = %s,\n", paddr_kind(mr->paddr_kind));
        fprintf(out, "        .paddr = 0x%" PRIx64 ",\n",
                mr->paddr_kind == PADDR_ANY ? 0 : mr->paddr);
        fprintf(out, "        .device = %s,\n", boolean(mr->in_device_memory));
        fprintf(out, "        .prefill = %d,\n", mr->prefill_index);
        fprintf(out, "        .prefill_size = 0x%" PRIx64 ",\n    },\n", mr->prefill_size);
    }
    close_table(out);
}

static void emit_map(FILE *out, const char *owner, size_t index,
                     const char *vaddr_field, const struct map *map)
{
    fprintf(out,
            "    { .%s = %zu, .mr = %d, .%s = 0x%" PRIx64 ", .rights = %s, "
            ".cached = %s },\n",
            owner, index, map->mr, vaddr_field, map->vaddr, rights(map->perms),
            boolean(map->cached));
}

static void emit_maps(const struct compilation *c, FILE *out)
{
    size_t count = 0;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        count += c->sys.pds.items[i].maps.len;
    if (!open_table(out, "sys_map", "maps", count))
        return;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        for (size_t j = 0; j < c->sys.pds.items[i].maps.len; j++)
            emit_map(out, "pd", i, "vaddr", &c->sys.pds.items[i].maps.items[j]);
    close_table(out);
}

static void emit_irqs(const struct compilation *c, FILE *out)
{
    size_t count = 0;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        count += c->sys.pds.items[i].irqs.len;
    if (!open_table(out, "sys_irq", "irqs", count))
        return;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->irqs.len; j++) {
            const struct irq *irq = &pd->irqs.items[j];
            fprintf(out,
                    "    { .pd = %zu, .irq = %" PRIu64 ", .channel = %" PRIu64
                    ", .trigger = %s },\n",
                    i, irq->number, irq->id,
                    irq->trigger == TRIGGER_EDGE ? "SYS_TRIGGER_EDGE"
                                                 : "SYS_TRIGGER_LEVEL");
        }
    }
    close_table(out);
}

static void emit_channel_ends(const struct compilation *c, FILE *out)
{
    size_t count = 0;
    for (size_t i = 0; i < c->sys.channels.len; i++)
        count += 2;
    if (!open_table(out, "sys_channel_end", "channel_ends", count))
        return;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        for (size_t k = 0; k < c->sys.channels.len; k++)
            for (int e = 0; e < 2; e++) {
                const struct channel_end *end = &c->sys.channels.items[k].ends[e];
                const struct channel_end *peer = &c->sys.channels.items[k].ends[1 - e];
                if (end->pd != (int)i)
                    continue;
                fprintf(out,
                        "    { .pd = %zu, .id = %" PRIu64 ", .peer = %d, .peer_id = %" PRIu64
                        ", .notify = %s, .pp = %s, .notify_badge = 0x%" PRIx64
                        ", .ppc_badge = 0x%" PRIx64 " },\n",
                        i, end->id, peer->pd, peer->id, boolean(end->notify),
                        boolean(end->pp), end->notify ? UINT64_C(1) << peer->id : 0,
                        end->pp ? SYS_BADGE_PPC | peer->id : 0);
            }
    close_table(out);
}

static void emit_cap_shares(const struct compilation *c, FILE *out)
{
    static const char *const kinds[] = { "SYS_CAP_TCB", "SYS_CAP_SC",
                                         "SYS_CAP_VSPACE" };
    size_t count = 0;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        count += c->sys.pds.items[i].caps.len;
    if (!open_table(out, "sys_cap_share", "cap_shares", count))
        return;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->caps.len; j++) {
            const struct cap_share *cap = &pd->caps.items[j];
            fprintf(out,
                    "    { .pd = %zu, .slot = %" PRIu64 ", .kind = %s, .source = %d },\n",
                    i, cap->slot, kinds[cap->kind], cap->pd);
        }
    }
    close_table(out);
}

static void emit_symbol_writes(const struct compilation *c, FILE *out)
{
    size_t count = 0;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->writes.len; j++) {
            const struct symbol_write *w = &pd->writes.items[j];
            if (!w->bytes)
                continue;
            fprintf(out, "\nstatic const uint8_t write_bytes_%zu[%" PRIu64 "] = ",
                    count + j, w->size);
            write_c_bytes(out, w->bytes, w->size);
            fputs(";\n", out);
        }
        count += pd->writes.len;
    }
    if (!open_table(out, "sys_symbol_write", "symbol_writes", count))
        return;
    size_t index = 0;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->writes.len; j++, index++) {
            const struct symbol_write *w = &pd->writes.items[j];
            fprintf(out, "    { .pd = %zu, .vaddr = 0x%" PRIx64 ", .size = %" PRIu64,
                    i, w->vaddr, w->size);
            if (w->bytes)
                fprintf(out, ", .bytes = write_bytes_%zu", index);
            else
                fprintf(out, ", .value = 0x%" PRIx64, w->value);
            fputs(" }, /* ", out);
            write_comment_text(out, w->symbol);
            fputs(" */\n", out);
        }
    }
    close_table(out);
}

static void emit_vms(const struct compilation *c, FILE *out)
{
    const struct system *sys = &c->sys;
    size_t vcpus = 0, maps = 0;
    for (size_t i = 0; i < sys->vms.len; i++) {
        vcpus += sys->vms.items[i].vcpus.len;
        maps += sys->vms.items[i].maps.len;
    }
    if (open_table(out, "sys_vm", "vms", sys->vms.len)) {
        uint32_t first_vcpu = 0, first_map = 0;
        for (size_t i = 0; i < sys->vms.len; i++) {
            const struct vm *vm = &sys->vms.items[i];
            fputs("    { .name = ", out);
            write_c_string(out, vm->name);
            fprintf(out,
                    ", .pd = %d, .priority = %" PRIu64 ", .budget_us = %" PRIu64
                    ", .period_us = %" PRIu64 ", .first_vcpu = %" PRIu32
                    ", .vcpu_count = %zu, .first_map = %" PRIu32 ", .map_count = %zu },\n",
                    vm->pd, vm->priority, vm->budget_us, vm->period_us,
                    first_vcpu, vm->vcpus.len, first_map, vm->maps.len);
            first_vcpu += (uint32_t)vm->vcpus.len;
            first_map += (uint32_t)vm->maps.len;
        }
        close_table(out);
    }
    if (open_table(out, "sys_vcpu", "vcpus", vcpus)) {
        for (size_t i = 0; i < sys->vms.len; i++)
            for (size_t j = 0; j < sys->vms.items[i].vcpus.len; j++) {
                const struct vcpu *vcpu = &sys->vms.items[i].vcpus.items[j];
                fprintf(out, "    { .vm = %zu, .id = %" PRIu64 ", .cpu = %" PRIu64 " },\n",
                        i, vcpu->id, vcpu->cpu);
            }
        close_table(out);
    }
    if (open_table(out, "sys_vm_map", "vm_maps", maps)) {
        for (size_t i = 0; i < sys->vms.len; i++)
            for (size_t j = 0; j < sys->vms.items[i].maps.len; j++)
                emit_map(out, "vm", i, "guest_paddr", &sys->vms.items[i].maps.items[j]);
        close_table(out);
    }
}

static void emit_debug_windows(const struct compilation *c, FILE *out)
{
    size_t count = 0;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        count += c->sys.pds.items[i].debug_windows.len;
    if (!open_table(out, "sys_debug_window", "debug_windows", count))
        return;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        for (size_t j = 0; j < pd->debug_windows.len; j++) {
            const struct debug_window *w = &pd->debug_windows.items[j];
            fprintf(out, "    { .pd = %zu, .vaddr = 0x%" PRIx64 ", .size = 0x%" PRIx64
                    ", .window = 0x%" PRIx64 " },\n", i, w->vaddr, w->size, w->window);
        }
    }
    close_table(out);
}

static void emit_profiler(const struct compilation *c, FILE *out)
{
    size_t count = 0;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        count += c->sys.pds.items[i].profilers.len;
    if (!open_table(out, "sys_profiler", "profiler", count))
        return;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        for (size_t j = 0; j < c->sys.pds.items[i].profilers.len; j++) {
            const struct profiler *prof = &c->sys.pds.items[i].profilers.items[j];
            fprintf(out, "    { .pd = %zu, .mr = %d, .channel = %" PRIu64 ", .event = %u, "
                    ".period = %" PRIu64 " },\n", i, prof->mr, prof->id, (unsigned)prof->event,
                    prof->period);
        }
    close_table(out);
}

static void emit_schedule(const struct compilation *c, FILE *out)
{
    const struct domains *domains = &c->sys.domains;
    if (!open_table(out, "sys_schedule_entry", "schedule", domains->schedule.len))
        return;
    for (size_t i = 0; i < domains->schedule.len; i++) {
        const struct schedule_entry *entry = &domains->schedule.items[i];
        if (entry->end_marker)
            fputs("    { .domain = 0, .ticks = true, .duration = 0 }, /* end marker */\n", out);
        else
            fprintf(out, "    { .domain = %" PRIu64 ", .ticks = %s, .duration = %" PRIu64 " },\n",
                    domains->list.items[entry->domain].id,
                    boolean(entry->unit == DURATION_TICKS), entry->duration);
    }
    close_table(out);
}

static void emit_field(FILE *out, const char *table, const char *count_field,
                       size_t count)
{
    fprintf(out, "    .%s = %s,\n    .%s = %zu,\n", table,
            count ? table : "NULL", count_field, count);
}

static void emit_root(const struct compilation *c, FILE *out)
{
    const struct system *sys = &c->sys;
    size_t regions = 0, copies = 0, maps = 0, irqs = 0, caps = 0, writes = 0,
           vcpus = 0, vm_maps = 0, windows = 0, profilers = 0;
    for (size_t i = 0; i < sys->pds.len; i++) {
        const struct pd *pd = &sys->pds.items[i];
        regions += pd->image_regions.len;
        copies += pd->image_copies.len;
        maps += pd->maps.len;
        irqs += pd->irqs.len;
        caps += pd->caps.len;
        writes += pd->writes.len;
        windows += pd->debug_windows.len;
        profilers += pd->profilers.len;
    }
    for (size_t i = 0; i < sys->vms.len; i++) {
        vcpus += sys->vms.items[i].vcpus.len;
        vm_maps += sys->vms.items[i].maps.len;
    }
    fputs("\nconst struct system_tables system_tables = {\n", out);
    fputs("    .magic = SYSTEM_TABLES_MAGIC,\n", out);
    fputs("    .version = SYSTEM_TABLES_VERSION,\n", out);
    fputs("    .system = ", out);
    write_c_string(out, base_name(c->sdf_file));
    fputs(",\n", out);
    emit_field(out, "images", "image_count", c->embedded.len);
    emit_field(out, "pds", "pd_count", sys->pds.len);
    emit_field(out, "image_regions", "image_region_count", regions);
    emit_field(out, "image_copies", "image_copy_count", copies);
    emit_field(out, "mrs", "mr_count", sys->mrs.len);
    emit_field(out, "maps", "map_count", maps);
    emit_field(out, "irqs", "irq_count", irqs);
    emit_field(out, "channel_ends", "channel_end_count", sys->channels.len * 2);
    emit_field(out, "cap_shares", "cap_share_count", caps);
    emit_field(out, "symbol_writes", "symbol_write_count", writes);
    emit_field(out, "vms", "vm_count", sys->vms.len);
    emit_field(out, "vcpus", "vcpu_count", vcpus);
    emit_field(out, "vm_maps", "vm_map_count", vm_maps);
    emit_field(out, "debug_windows", "debug_window_count", windows);
    emit_field(out, "profiler", "profiler_count", profilers);
    emit_field(out, "schedule", "schedule_count", sys->domains.schedule.len);
    fprintf(out, "    .schedule_start_index = %" PRIu64 ",\n", sys->domains.start_index);
    fprintf(out, "    .schedule_index_shift = %" PRIu64 ",\n", sys->domains.index_shift);
    const struct totals *t = &c->totals;
    fprintf(out,
            "    .totals = {\n        .ram_needed = 0x%" PRIx64
            ",\n        .ram_available = 0x%" PRIx64
            ",\n        .monitor_slots = %" PRIu64 ",\n        .frames = %" PRIu64
            ",\n        .page_tables = %" PRIu64 ",\n    },\n};\n",
            t->ram_needed, t->ram_available, t->monitor_slots, t->frames,
            t->page_tables);
}

void emit_tables(const struct compilation *c, FILE *out)
{
    fprintf(out, "/* Generated by sdfgen %s from ", SDFGEN_VERSION);
    write_comment_text(out, base_name(c->sdf_file));
    fputs(". Do not edit.\n"
          " * Schema: pds/monitor/include/system_tables.h */\n"
          "#include <system_tables.h>\n",
          out);
    emit_images_table(c, out);
    emit_pds(c, out);
    emit_image_layout(c, out);
    emit_mrs(c, out);
    emit_maps(c, out);
    emit_irqs(c, out);
    emit_channel_ends(c, out);
    emit_cap_shares(c, out);
    emit_symbol_writes(c, out);
    emit_vms(c, out);
    emit_debug_windows(c, out);
    emit_profiler(c, out);
    emit_schedule(c, out);
    emit_root(c, out);
}
