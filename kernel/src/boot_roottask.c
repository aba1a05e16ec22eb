/*
 * The root task, built as seL4 builds it: its image mapped from where the
 * loader put it, an IPC buffer page right after the image, the BootInfo page
 * after that, the extra BootInfo (the DTB as an FDT chunk) right after it,
 * and a CNode whose first 16 slots hold the initial caps. The remaining slot
 * regions follow in seL4's order: image page tables, extra BootInfo pages,
 * SchedControl caps, image frames, untypeds, empty.
 */
#include <kernel/boot.h>
#include <kernel/cdt.h>
#include <kernel/thread.h>
#include <kernel/debug.h>
#include <kernel/print.h>
#include <kernel/assert.h>
#include <arch/vspace.h>
#include <arch/pte.h>
#include <arch/asid.h>
#include <arch/registers.h>
#include <kernel/sched.h>
#include <timer.h>
#include <string.h>

#define ROOT_PRIORITY       seL4_MaxPrio
#define ROOT_ASID           1
#define ROOT_SC_BITS        seL4_MinSchedContextBits
#define ROOT_TIME_SLICE_US  5000    /* seL4's boot thread time slice */

struct root_task {
    cte_t *cnode;
    word_t slots;
    word_t next_slot;
    page_table_t *vspace;
    seL4_BootInfo *bi;
    vaddr_t ipc_buffer_vaddr;
    vaddr_t bootinfo_vaddr;
    word_t extra_size;          /* bytes of extra BootInfo (extraLen) */
    unsigned extra_bits;        /* its memory: one 2^extra_bits block, 0 if none */
};

static cte_t *slot(struct root_task *rt, word_t index)
{
    assert(index < rt->slots);
    return &rt->cnode[index];
}

static cte_t *next_free_slot(struct root_task *rt)
{
    if (rt->next_slot >= rt->slots)
        kernel_panic("boot: root CNode (2^%u slots) is too small", CONFIG_ROOT_CNODE_SIZE_BITS);
    return slot(rt, rt->next_slot++);
}

static void create_cnode(struct root_task *rt)
{
    unsigned radix = CONFIG_ROOT_CNODE_SIZE_BITS;
    rt->slots = BIT(radix);
    rt->cnode = boot_alloc(radix + CTE_SIZE_BITS);
    /* The guard covers the rest of the word, so a CPtr is the slot index. */
    cap_t cap = cap_cnode_new(rt->cnode, radix, seL4_WordBits - radix, 0);
    cdt_insert_root(slot(rt, seL4_CapInitThreadCNode), cap, true);
}

static void create_unique_caps(struct root_task *rt)
{
    cdt_insert_root(slot(rt, seL4_CapIRQControl), cap_simple_new(cap_irq_control, 0), true);
    cdt_insert_root(slot(rt, seL4_CapASIDControl), cap_simple_new(cap_asid_control, 0), true);
    cdt_insert_root(slot(rt, seL4_CapDomain), cap_simple_new(cap_domain, 0), true);
#ifdef CONFIG_ALLOW_SMC_CALLS
    cdt_insert_root(slot(rt, seL4_CapSMC), cap_simple_new(cap_smc, 0), true);
#endif
}

/* Map one page-table level's worth of tables over [start, end). */
static void create_page_tables(struct root_task *rt, vaddr_t start, vaddr_t end)
{
    rt->bi->userImagePaging.start = rt->next_slot;
    for (vaddr_t v = start; v < end; v += PAGE_SIZE) {
        word_t *entry;
        unsigned missing;
        while ((missing = vspace_lookup_slot(rt->vspace, v, &entry)) < 4) {
            page_table_t *pt = boot_alloc(seL4_PageTableBits);
            *entry = paddr_from_ptr(pt) | PTE_TABLE;
            cap_t cap = cap_table_new(cap_page_table, paddr_from_ptr(pt));
            cap = cap_set_mapping(cap, true, ROOT_ASID,
                                  ROUND_DOWN(v, pt_level_bits(missing - 1)));
            cdt_insert_root(next_free_slot(rt), cap, true);
        }
    }
    rt->bi->userImagePaging.end = rt->next_slot;
}

static cap_t map_root_frame(struct root_task *rt, paddr_t frame, vaddr_t vaddr, bool executable)
{
    word_t *entry;
    unsigned found = vspace_lookup_slot(rt->vspace, vaddr, &entry);
    assert(found == 4 && *entry == 0);
    (void)found;
    struct vm_attributes attrs = { .cacheable = true, .executable = executable };
    *entry = vspace_frame_pte(frame, PAGE_BITS, vm_read_write, attrs);
    cap_t cap = cap_frame_new(frame, frame_4k, vm_read_write, false);
    return cap_set_mapping(cap, true, ROOT_ASID, vaddr);
}

static void create_vspace(struct root_task *rt)
{
    rt->vspace = boot_alloc(seL4_VSpaceBits);
    asid_pool_t *pool = boot_alloc(seL4_ASIDPoolBits);
    pool->vspace[ROOT_ASID] = rt->vspace;
    asid_table_set_pool(0, pool);
    cap_t vspace = cap_set_mapping(cap_table_new(cap_vspace, paddr_from_ptr(rt->vspace)),
                                   true, ROOT_ASID, 0);
    cdt_insert_root(slot(rt, seL4_CapInitThreadVSpace), vspace, true);
    cdt_insert_root(slot(rt, seL4_CapInitThreadASIDPool),
                    cap_asid_pool_new(paddr_from_ptr(pool), 0), true);
}

static void map_user_image(struct root_task *rt, region_t phys, word_t pv_offset)
{
    rt->bi->userImageFrames.start = rt->next_slot;
    for (paddr_t p = phys.start; p < phys.end; p += PAGE_SIZE) {
        cap_t cap = map_root_frame(rt, p, p - pv_offset, true);
        cdt_insert_root(next_free_slot(rt), cap, true);
    }
    rt->bi->userImageFrames.end = rt->next_slot;
}

static tcb_t *create_thread(struct root_task *rt, vaddr_t entry)
{
    tcb_t *t = boot_alloc(seL4_TCBBits);
    cte_t *cnode_slot = slot(rt, seL4_CapInitThreadCNode);
    cte_t *vspace_slot = slot(rt, seL4_CapInitThreadVSpace);
    cte_t *ipc_slot = slot(rt, seL4_CapInitThreadIPCBuffer);
    cdt_insert_child(cnode_slot, &t->caps[tcb_cspace_root], cnode_slot->cap, false, false);
    cdt_insert_child(vspace_slot, &t->caps[tcb_vspace_root], vspace_slot->cap, false, false);
    /* The TCB's copy is derived, so unmapped: the mapping stays the slot's. */
    cdt_insert_child(ipc_slot, &t->caps[tcb_ipc_buffer_frame],
                     cap_set_mapping(ipc_slot->cap, false, 0, 0), false, false);
    t->ipc_buffer = rt->ipc_buffer_vaddr;
    t->priority = ROOT_PRIORITY;
    t->mcp = ROOT_PRIORITY;
    arch_tcb_init(t);
    set_register(t, REG_NEXT_PC, entry);
    set_register(t, REG_RESTART_PC, entry);
    set_register(t, REG_FIRST_ARG, rt->bootinfo_vaddr);
#ifdef CONFIG_DEBUG_BUILD
    memcpy(t->name, "rootserver", sizeof("rootserver"));
#endif
    cdt_insert_root(slot(rt, seL4_CapInitThreadTCB), cap_thread_new(t), true);
    debug_register_thread(t);
    return t;
}

static void create_scheduling(struct root_task *rt, tcb_t *t)
{
    sched_context_t *sc = boot_alloc(ROOT_SC_BITS);
    word_t slice = timer_us_to_ticks(ROOT_TIME_SLICE_US);
    sched_context_configure(sc, 0, slice, slice, sched_context_refills_capacity(ROOT_SC_BITS), 0, false);
    sc->tcb = t;
    t->sc = sc;
    cdt_insert_root(slot(rt, seL4_CapInitThreadSC), cap_sched_context_new(sc, ROOT_SC_BITS), true);
    rt->bi->schedcontrol.start = rt->next_slot;
    for (word_t core = 0; core < CONFIG_MAX_NUM_NODES; core++)
        cdt_insert_root(next_free_slot(rt), cap_simple_new(cap_sched_control, core), true);
    rt->bi->schedcontrol.end = rt->next_slot;
}

/* seL4's sizing: the extra BootInfo takes the smallest power-of-two number of
 * pages that holds it, and the root task's page tables cover all of them. */
static unsigned extra_bootinfo_bits(word_t size)
{
    if (size == 0)
        return 0;
    unsigned bits = PAGE_BITS;
    while (BIT(bits) < size)
        bits++;
    return bits;
}

/*
 * The extra BootInfo region after the BootInfo frame: one chunk, the DTB
 * (seL4_BootInfoHeader { FDT, header + DTB size } and the blob), in frames
 * whose caps are the extraBIPages slots. The DTB's own memory and the pages
 * of the block past the chunk then go back to free memory.
 */
static void create_extra_bootinfo(struct root_task *rt, region_t dtb)
{
    rt->bi->extraBIPages.start = rt->next_slot;
    if (rt->extra_size) {
        char *extra = boot_alloc(rt->extra_bits);
        seL4_BootInfoHeader header = { .id = SEL4_BOOTINFO_HEADER_FDT, .len = rt->extra_size };
        memcpy(extra, &header, sizeof(header));
        memcpy(extra + sizeof(header), ptr_from_paddr(dtb.start), dtb.end - dtb.start);
        word_t mapped = ROUND_UP(rt->extra_size, PAGE_BITS);
        vaddr_t vaddr = rt->bootinfo_vaddr + seL4_BootInfoFrameSize;
        for (word_t offset = 0; offset < mapped; offset += PAGE_SIZE)
            cdt_insert_root(next_free_slot(rt),
                            map_root_frame(rt, paddr_from_ptr(extra) + offset, vaddr + offset, false),
                            true);
        boot_memory_release((region_t){ paddr_from_ptr(extra) + mapped,
                                        paddr_from_ptr(extra) + BIT(rt->extra_bits) });
        boot_memory_release(dtb);
        kprintf("KERNEL|INFO: extra BootInfo at 0x%lx: device tree of 0x%lx bytes\n", vaddr,
                (unsigned long)(dtb.end - dtb.start));
    }
    rt->bi->extraBIPages.end = rt->next_slot;
}

static void fill_bootinfo_header(struct root_task *rt)
{
    seL4_BootInfo *bi = rt->bi;
    bi->nodeID = 0;
    bi->numNodes = CONFIG_MAX_NUM_NODES;
    bi->numIOPTLevels = 0;
    bi->ipcBuffer = (seL4_IPCBuffer *)(uintptr_t)rt->ipc_buffer_vaddr;
    bi->initThreadCNodeSizeBits = CONFIG_ROOT_CNODE_SIZE_BITS;
    bi->initThreadDomain = 0;
    bi->extraLen = rt->extra_size;
}

void boot_create_root_task(region_t image, word_t pv_offset, vaddr_t entry, region_t dtb)
{
    struct root_task rt = { .next_slot = seL4_NumInitialCaps };
    vaddr_t image_end = image.end - pv_offset;
    rt.ipc_buffer_vaddr = image_end;
    rt.bootinfo_vaddr = image_end + PAGE_SIZE;
    rt.extra_size = dtb.end > dtb.start ? sizeof(seL4_BootInfoHeader) + (dtb.end - dtb.start) : 0;
    rt.extra_bits = extra_bootinfo_bits(rt.extra_size);
    vaddr_t extra_end = rt.bootinfo_vaddr + seL4_BootInfoFrameSize +
                        (rt.extra_size ? BIT(rt.extra_bits) : 0);

    create_cnode(&rt);
    create_unique_caps(&rt);
    rt.bi = boot_alloc(seL4_PageBits);
    fill_bootinfo_header(&rt);
    create_vspace(&rt);
    create_page_tables(&rt, image.start - pv_offset, extra_end);
    create_extra_bootinfo(&rt, dtb);
    void *ipc_buffer = boot_alloc(seL4_PageBits);
    cdt_insert_root(slot(&rt, seL4_CapInitThreadIPCBuffer),
                    map_root_frame(&rt, paddr_from_ptr(ipc_buffer), rt.ipc_buffer_vaddr, false), true);
    cdt_insert_root(slot(&rt, seL4_CapBootInfoFrame),
                    map_root_frame(&rt, paddr_from_ptr(rt.bi), rt.bootinfo_vaddr, false), true);

    tcb_t *t = create_thread(&rt, entry);
    create_scheduling(&rt, t);
    map_user_image(&rt, image, pv_offset);

    if (!boot_create_untypeds(rt.cnode, rt.slots, &rt.next_slot, rt.bi))
        kprintf("KERNEL|WARNING: not all memory fits in the BootInfo untyped list\n");
    rt.bi->empty.start = rt.next_slot;
    rt.bi->empty.end = rt.slots;

    thread_set_state(t, thread_running);
    current_thread = t;
    kprintf("KERNEL|INFO: root task: image 0x%lx-0x%lx, entry 0x%lx, %lu untypeds, first free slot %lu\n",
            image.start - pv_offset, image_end, entry,
            (unsigned long)(rt.bi->untyped.end - rt.bi->untyped.start), (unsigned long)rt.next_slot);
}
