/*
 * The monitor: realises the system description sdfgen compiled into
 * system_tables (objects, images, memory regions, CSpaces, threads), starts
 * every PD, then serves as the fault handler of last resort.
 */
#include "monitor.h"

const struct system_tables *const sys = &system_tables;
seL4_BootInfo *bootinfo;
struct build_stats stats;

static void check_tables(void)
{
    if (sys->magic != SYSTEM_TABLES_MAGIC || sys->version != SYSTEM_TABLES_VERSION)
        fail("the system tables are not in the format this monitor reads (magic 0x%x, version "
             "%u; expected 0x%x, version %u): rebuild them",
             sys->magic, sys->version, SYSTEM_TABLES_MAGIC, SYSTEM_TABLES_VERSION);
    if (sys->pd_count > MAX_PDS)
        fail("%u PDs: at most %u are supported", sys->pd_count, MAX_PDS);
    /* sdfgen's estimate counts the initial caps too (docs/sdf.md). */
    seL4_Word slots = 1ul << bootinfo->initThreadCNodeSizeBits;
    if (sys->totals.monitor_slots > slots)
        fail("the system needs about %lu capability slots in the monitor, whose CNode has %lu: "
             "raise CONFIG_ROOT_CNODE_SIZE_BITS",
             (unsigned long)sys->totals.monitor_slots, (unsigned long)slots);
}

static unsigned long kib(uint64_t bytes)
{
    return (unsigned long)((bytes + 1023) >> 10);
}

static void report_untypeds(void)
{
    seL4_Word ram = 0, device = 0, count = bootinfo->untyped.end - bootinfo->untyped.start;
    for (seL4_Word i = 0; i < count; i++) {
        const seL4_UntypedDesc *u = &bootinfo->untypedList[i];
        if (u->isDevice)
            device += 1ull << u->sizeBits;
        else
            ram += 1ull << u->sizeBits;
    }
    rt_printf("MON|INFO: %lu untypeds: %lu KiB of RAM, %lu MiB of device space; %lu free slots\n",
              (unsigned long)count, kib(ram), (unsigned long)(device >> 20),
              (unsigned long)(bootinfo->empty.end - bootinfo->empty.start));
}

static void report_build(uint64_t t_start, uint64_t t_end, uint64_t cycles)
{
    uint64_t frames = stats.objects[seL4_ARM_SmallPageObject] +
                      stats.objects[seL4_ARM_LargePageObject];
    uint64_t frame_bytes = stats.bytes[seL4_ARM_SmallPageObject] +
                           stats.bytes[seL4_ARM_LargePageObject];
    uint64_t object_bytes = 0;
    unsigned objects = 0;
    for (unsigned t = 0; t < seL4_ObjectTypeCount; t++) {
        if (t == seL4_ARM_SmallPageObject || t == seL4_ARM_LargePageObject ||
            t == seL4_UntypedObject)
            continue;
        objects += stats.objects[t];
        object_bytes += stats.bytes[t];
    }
    rt_printf("MON|INFO: built %u PDs, %u memory regions, %u channels, %u IRQs\n",
              sys->pd_count, sys->mr_count, sys->channel_end_count / 2, stats.irqs);
    if (sys->vm_count)
        rt_printf("MON|INFO: built %u virtual machine%s with %u vCPU%s (suspended until their "
                  "VMMs start them)\n",
                  sys->vm_count, sys->vm_count == 1 ? "" : "s", sys->vcpu_count,
                  sys->vcpu_count == 1 ? "" : "s");
    rt_printf("MON|INFO: objects: %u TCBs, %u SCs, %u endpoints, %u notifications, %u replies, "
              "%u CNodes, %u VSpaces, %u page tables (%u objects, %lu KiB)\n",
              stats.objects[seL4_TCBObject], stats.objects[seL4_SchedContextObject],
              stats.objects[seL4_EndpointObject], stats.objects[seL4_NotificationObject],
              stats.objects[seL4_ReplyObject], stats.objects[seL4_CapTableObject],
              stats.objects[seL4_ARM_VSpaceObject], stats.objects[seL4_ARM_PageTableObject],
              objects, kib(object_bytes));
    rt_printf("MON|INFO: frames: %lu (%lu KiB of RAM), %u extra mappings; %u caps given to PDs; "
              "%u retypes\n",
              (unsigned long)frames, kib(frame_bytes), stats.copies_of_frames, stats.caps,
              stats.retypes);
    rt_printf("MON|INFO: memory: %lu KiB of %lu KiB of RAM used (%lu KiB lost to reach fixed "
              "addresses); %lu capability slots used, %lu free\n",
              kib(ram_used()), kib(ram_total()), kib(stats.filler_bytes),
              (unsigned long)slots_used(), (unsigned long)slots_free());
#ifdef CONFIG_BENCHMARK
    rt_printf("MON|INFO: boot: %lu cycles from kernel start to the last PD started\n",
              (unsigned long)cycles);
#else
    (void)cycles;
#endif
    uint64_t hz = counter_frequency();
    if (hz) {
        rt_printf("MON|INFO: boot: %lu timer ticks (%lu us) from power-on to the last PD "
                  "started, %lu us of them in the monitor\n",
                  (unsigned long)t_end, (unsigned long)(t_end * 1000000 / hz),
                  (unsigned long)((t_end - t_start) * 1000000 / hz));
    }
}

/* What runs on `core` (PDs and vCPUs): how many, each printed as ", name"
   (the first without the comma) if `print`. */
static unsigned core_work(seL4_Word core, bool print)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < sys->pd_count; i++) {
        if (sys->pds[i].cpu != core)
            continue;
        if (print)
            rt_printf("%s %s", n ? "," : "", sys->pds[i].name);
        n++;
    }
    for (uint32_t i = 0; i < sys->vcpu_count; i++) {
        const struct sys_vcpu *v = &sys->vcpus[i];
        if (v->cpu != core || v->vm >= sys->vm_count)
            continue;
        if (print)
            rt_printf("%s %s/vcpu%u", n ? "," : "", sys->vms[v->vm].name, v->id);
        n++;
    }
    return n;
}

/* With several cores: which PDs (and vCPUs) run on each, a line per busy
   core, then the idle ones on one line (each character printed is a
   system call, and boot time). */
static void report_cores(void)
{
    if (bootinfo->numNodes <= 1)
        return;
    unsigned idle = 0;
    for (seL4_Word core = 0; core < bootinfo->numNodes; core++) {
        if (!core_work(core, false)) {
            idle++;
            continue;
        }
        rt_printf("MON|INFO: core %lu:", (unsigned long)core);
        core_work(core, true);
        rt_printf("\n");
    }
    if (!idle)
        return;
    rt_printf("MON|INFO: idle core%s:", idle == 1 ? "" : "s");
    for (seL4_Word core = 0, n = 0; core < bootinfo->numNodes; core++)
        if (!core_work(core, false))
            rt_printf("%s %lu", n++ ? "," : "", (unsigned long)core);
    rt_printf("\n");
}

void roottask_main(seL4_BootInfo *bi)
{
    uint64_t t_start = read_counter();
    bootinfo = bi;
    seL4_SetIPCBuffer(bi->ipcBuffer);
    rt_printf("MON|INFO: monitor started (root task), system '%s': %u PD%s\n",
              sys->system ? sys->system : "?", sys->pd_count, sys->pd_count == 1 ? "" : "s");
    report_untypeds();
    check_tables();
    alloc_init();

    mrs_create();           /* fixed-address regions must come first */
    pd_objects_create();
    vms_create();
    images_load();
    mrs_map();
    vms_map();
    cspaces_build();
    tcbs_configure();
    vms_configure();
    domains_assign();
    domains_configure();
    profiler_start();
    pds_start();

    uint64_t t_end = read_counter(), cycles = 0;
#ifdef CONFIG_BENCHMARK
    /* The kernel resets and starts the cycle counter early in its boot
       (instructions under QEMU -icount). */
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(cycles));
#endif
    report_build(t_start, t_end, cycles);
    report_cores();
    rt_printf("MON|INFO: Microkit Monitor started!\n");
    domains_start();
    fault_loop();
}
