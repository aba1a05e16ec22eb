/*
 * Debug system calls (DebugPutChar, DebugCapIdentify, DebugNameThread,
 * DebugDumpScheduler) and the root task's boot contract (BootInfo and the
 * initial capabilities). These tests need no kernel object: they run
 * first, inline in the root thread.
 */
#include "ktest.h"

#include <stdint.h>

/* ------------------------------------------------------ DebugPutChar */

TEST_BARE(debug_putchar, "DebugPutChar prints one character and returns")
{
    const char *s = "KT|ECHO debug_putchar\n";
    for (const char *p = s; *p; p++)
        seL4_DebugPutChar(*p);
    return KT_PASS;
}

/* --------------------------------------------------- DebugCapIdentify */

TEST_BARE(debug_identify_tcb_cnode_vspace,
          "DebugCapIdentify: slots 1, 2, 3 hold the root TCB, CNode and VSpace")
{
    KT_CAP_IS(seL4_CapInitThreadTCB, KT_CAP_THREAD);
    KT_CAP_IS(seL4_CapInitThreadCNode, KT_CAP_CNODE);
    KT_CAP_IS(seL4_CapInitThreadVSpace, KT_CAP_VSPACE);
    return KT_PASS;
}

TEST_BARE(debug_identify_control_caps,
          "DebugCapIdentify: slots 4, 5, 6 hold IRQControl, ASIDControl and the ASID pool")
{
    KT_CAP_IS(seL4_CapIRQControl, KT_CAP_IRQ_CONTROL);
    KT_CAP_IS(seL4_CapASIDControl, KT_CAP_ASID_CONTROL);
    KT_CAP_IS(seL4_CapInitThreadASIDPool, KT_CAP_ASID_POOL);
    return KT_PASS;
}

TEST_BARE(debug_identify_boot_frames,
          "DebugCapIdentify: slots 9 and 10 hold the BootInfo and IPC-buffer frames")
{
    KT_CAP_IS(seL4_CapBootInfoFrame, KT_CAP_FRAME);
    KT_CAP_IS(seL4_CapInitThreadIPCBuffer, KT_CAP_FRAME);
    return KT_PASS;
}

TEST_BARE(debug_identify_domain_and_sc,
          "DebugCapIdentify: slot 11 holds the Domain cap, slot 14 the root SchedContext")
{
    KT_CAP_IS(seL4_CapDomain, KT_CAP_DOMAIN);
    KT_CAP_IS(seL4_CapInitThreadSC, KT_CAP_SCHED_CONTEXT);
    return KT_PASS;
}

TEST_BARE(debug_identify_null_slots,
          "DebugCapIdentify: slot 0 and the Arm-less slots 7, 8, 12, 13 are empty")
{
    KT_CAP_IS(seL4_CapNull, KT_CAP_NULL);
    KT_CAP_IS(seL4_CapIOPortControl, KT_CAP_NULL);
    KT_CAP_IS(seL4_CapIOSpace, KT_CAP_NULL);
    KT_CAP_IS(seL4_CapSMMUSIDControl, KT_CAP_NULL);
    KT_CAP_IS(seL4_CapSMMUCBControl, KT_CAP_NULL);
    return KT_PASS;
}

TEST_BARE(debug_identify_empty_region, "DebugCapIdentify: the BootInfo 'empty' slots are empty")
{
    /* spot checks: first, last and a few in between */
    seL4_Word s = kt_bi->empty.start, e = kt_bi->empty.end;
    KT_ASSERT(e > s);
    KT_CAP_IS(s, KT_CAP_NULL);
    KT_CAP_IS(e - 1, KT_CAP_NULL);
    for (seL4_Word i = s; i < e; i += 97)
        KT_CAP_IS(i, KT_CAP_NULL);
    return KT_PASS;
}

TEST_BARE(debug_identify_untypeds, "DebugCapIdentify: every BootInfo untyped slot is an untyped")
{
    for (seL4_Word i = kt_bi->untyped.start; i < kt_bi->untyped.end; i++)
        KT_CAP_IS(i, KT_CAP_UNTYPED);
    return KT_PASS;
}

TEST_BARE(debug_identify_schedcontrol, "DebugCapIdentify: the schedcontrol slots are SchedControl caps")
{
    KT_ASSERT(kt_bi->schedcontrol.end > kt_bi->schedcontrol.start);
    for (seL4_Word i = kt_bi->schedcontrol.start; i < kt_bi->schedcontrol.end; i++)
        KT_CAP_IS(i, KT_CAP_SCHED_CONTROL);
    return KT_PASS;
}

TEST_BARE(debug_identify_image_caps,
          "DebugCapIdentify: userImageFrames are frames, userImagePaging are page tables")
{
    KT_ASSERT(kt_bi->userImageFrames.end > kt_bi->userImageFrames.start);
    for (seL4_Word i = kt_bi->userImageFrames.start; i < kt_bi->userImageFrames.end; i++)
        KT_CAP_IS(i, KT_CAP_FRAME);
    KT_ASSERT(kt_bi->userImagePaging.end > kt_bi->userImagePaging.start);
    for (seL4_Word i = kt_bi->userImagePaging.start; i < kt_bi->userImagePaging.end; i++)
        KT_CAP_IS(i, KT_CAP_PAGE_TABLE);
    return KT_PASS;
}

TEST_BARE(debug_identify_unresolvable_cptr,
          "DebugCapIdentify: a CPtr that does not resolve (guard mismatch) reports a null cap")
{
    /* the root CNode's guard is 0, so a set top bit cannot resolve */
    KT_CAP_IS((seL4_CPtr)1 << 63, KT_CAP_NULL);
    KT_CAP_IS(~(seL4_CPtr)0, KT_CAP_NULL);
    return KT_PASS;
}

/* ---------------------------------------------------- DebugNameThread */

TEST_BARE(debug_name_thread, "DebugNameThread names the root thread and returns")
{
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "kt-driver");
    return KT_PASS;
}

TEST_BARE(debug_name_thread_long,
          "DebugNameThread with a name longer than the kernel keeps returns normally")
{
    char name[200];
    for (unsigned i = 0; i < sizeof(name) - 1; i++)
        name[i] = (char)('a' + i % 26);
    name[sizeof(name) - 1] = '\0';
    seL4_DebugNameThread(seL4_CapInitThreadTCB, name);
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "kt-driver");
    return KT_PASS;
}

TEST_BARE(debug_name_thread_keeps_message,
          "DebugNameThread only reads the IPC buffer: MR words past the name are unchanged")
{
    seL4_SetMR(100, 0x1234abcd);
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "kt-driver");
    KT_EQ(seL4_GetMR(100), 0x1234abcd);
    return KT_PASS;
}

/* ------------------------------------------------- DebugDumpScheduler */

TEST_BARE(debug_dump_scheduler, "DebugDumpScheduler lists the threads and returns")
{
    seL4_DebugDumpScheduler();
    return KT_PASS;
}

TEST_BARE(debug_calls_preserve_registers,
          "debug calls keep the caller's callee-saved state (the loop variable survives)")
{
    volatile seL4_Word canary = 0x5a5a5a5a12345678ul;
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < 8; i++) {
        sum += seL4_DebugCapIdentify(seL4_CapInitThreadTCB);
        seL4_DebugPutChar('.');
    }
    seL4_DebugPutChar('\n');
    KT_EQ(sum, 8 * KT_CAP_THREAD);
    KT_EQ(canary, 0x5a5a5a5a12345678ul);
    return KT_PASS;
}

/* --------------------------------------------------------- BootInfo */

TEST_BARE(bootinfo_node, "BootInfo: one node per configured core, nodeID 0, no IOMMU levels")
{
    KT_EQ(kt_bi->numNodes, CONFIG_MAX_NUM_NODES);
    KT_EQ(kt_bi->nodeID, 0);
    KT_EQ(kt_bi->numIOPTLevels, 0);
    return KT_PASS;
}

TEST_BARE(bootinfo_cnode_size, "BootInfo: the root CNode has 2^initThreadCNodeSizeBits slots, "
          "the empty region ends there")
{
    KT_EQ(kt_bi->initThreadCNodeSizeBits, CONFIG_ROOT_CNODE_SIZE_BITS);
    KT_EQ(kt_bi->empty.end, 1ul << kt_bi->initThreadCNodeSizeBits);
    return KT_PASS;
}

static bool region_ok(seL4_SlotRegion r)
{
    return r.start <= r.end && (r.start == r.end || r.start >= seL4_NumInitialCaps);
}

TEST_BARE(bootinfo_slot_regions,
          "BootInfo: slot regions lie after the 16 initial caps, do not overlap, and the "
          "empty region is last")
{
    seL4_SlotRegion r[] = { kt_bi->userImagePaging, kt_bi->extraBIPages, kt_bi->schedcontrol,
                            kt_bi->userImageFrames, kt_bi->untyped, kt_bi->sharedFrames,
                            kt_bi->ioSpaceCaps };
    for (unsigned i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
        KT_ASSERT(region_ok(r[i]));
        KT_LE(r[i].end, kt_bi->empty.start);
        for (unsigned j = 0; j < i; j++)
            KT_ASSERT(r[i].start == r[i].end || r[j].start == r[j].end ||
                      r[i].end <= r[j].start || r[j].end <= r[i].start);
    }
    KT_GE(kt_bi->empty.start, seL4_NumInitialCaps);
    return KT_PASS;
}

TEST_BARE(bootinfo_region_order,
          "BootInfo: regions in seL4's order: paging, extra BootInfo, schedcontrol, image "
          "frames, untypeds")
{
    KT_EQ(kt_bi->userImagePaging.start, seL4_NumInitialCaps);
    KT_EQ(kt_bi->extraBIPages.start, kt_bi->userImagePaging.end);
    KT_EQ(kt_bi->schedcontrol.start, kt_bi->extraBIPages.end);
    KT_EQ(kt_bi->userImageFrames.start, kt_bi->schedcontrol.end);
    KT_EQ(kt_bi->untyped.start, kt_bi->userImageFrames.end);
    KT_EQ(kt_bi->empty.start, kt_bi->untyped.end);
    return KT_PASS;
}

TEST_BARE(bootinfo_schedcontrol_per_node, "BootInfo: one SchedControl cap per node")
{
    KT_EQ(kt_bi->schedcontrol.end - kt_bi->schedcontrol.start, kt_bi->numNodes);
    return KT_PASS;
}

TEST_BARE(bootinfo_untyped_list,
          "BootInfo: each untyped is 2^4..2^47 bytes, naturally aligned, and RAM untypeds "
          "do not overlap")
{
    seL4_Word n = kt_bi->untyped.end - kt_bi->untyped.start;
    KT_GT(n, 0);
    KT_LE(n, CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS);
    seL4_Word ram = 0;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &kt_bi->untypedList[i];
        KT_GE(d->sizeBits, seL4_MinUntypedBits);
        KT_LE(d->sizeBits, seL4_MaxUntypedBits);
        KT_EQ(d->paddr & ((1ul << d->sizeBits) - 1), 0);
        KT_LE(d->isDevice, 1);
        if (!d->isDevice)
            ram += 1ul << d->sizeBits;
        for (seL4_Word j = 0; j < i; j++) {
            const seL4_UntypedDesc *e = &kt_bi->untypedList[j];
            seL4_Word a0 = d->paddr, a1 = d->paddr + (1ul << d->sizeBits);
            seL4_Word b0 = e->paddr, b1 = e->paddr + (1ul << e->sizeBits);
            KT_ASSERT(a1 <= b0 || b1 <= a0);
        }
    }
    KT_GT(ram, 1ul << 20);
    return KT_PASS;
}

TEST_BARE(bootinfo_ipc_buffer,
          "BootInfo: ipcBuffer is page aligned, right after the image frames, and usable")
{
    extern char _start[];
    seL4_Word ipc = (seL4_Word)kt_bi->ipcBuffer;
    seL4_Word base = (seL4_Word)_start & ~0xffful;
    seL4_Word frames = kt_bi->userImageFrames.end - kt_bi->userImageFrames.start;
    KT_EQ(ipc & 0xfff, 0);
    KT_EQ(ipc, base + (frames << seL4_PageBits));
    /* the BootInfo frame follows the IPC buffer */
    KT_EQ((seL4_Word)kt_bi, ipc + (1ul << seL4_PageBits));
    return KT_PASS;
}

TEST_BARE(bootinfo_extra_len,
          "BootInfo: extraLen bytes of chunks fill the extra BootInfo pages, which are exactly "
          "the pages they need")
{
    seL4_Word pages = kt_bi->extraBIPages.end - kt_bi->extraBIPages.start;
    KT_EQ(pages, (kt_bi->extraLen + (1ul << seL4_PageBits) - 1) >> seL4_PageBits);
    /* every chunk header lies inside extraLen */
    seL4_Word off = 0;
    const char *extra = (const char *)kt_bi + seL4_BootInfoFrameSize;
    while (off < kt_bi->extraLen) {
        const seL4_BootInfoHeader *h = (const void *)(extra + off);
        KT_GE(h->len, sizeof(*h));
        KT_LT(h->id, SEL4_BOOTINFO_HEADER_NUM);
        off += h->len;
    }
    KT_EQ(off, kt_bi->extraLen);
    return KT_PASS;
}

/* ------------------------------------------- extra BootInfo: the DTB */

/* Flattened device tree facts (Devicetree Specification, chapter 5). */
#define FDT_MAGIC       0xd00dfeedu
#define FDT_BEGIN_NODE  1u
#define FDT_END_NODE    2u
#define FDT_PROP        3u
#define FDT_NOP         4u
#define FDT_END         9u

#ifdef CONFIG_BOARD_ODROIDC4
#define BOARD_COMPATIBLE "hardkernel,odroid-c4"
#else
#define BOARD_COMPATIBLE "linux,dummy-virt"
#endif

static uint32_t fdt32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The FDT chunk of the extra BootInfo, or NULL; *size: the blob's bytes. */
static const uint8_t *extra_fdt(seL4_Word *size)
{
    const char *extra = (const char *)kt_bi + seL4_BootInfoFrameSize;
    for (seL4_Word off = 0; off + sizeof(seL4_BootInfoHeader) <= kt_bi->extraLen;) {
        const seL4_BootInfoHeader *h = (const void *)(extra + off);
        if (h->len < sizeof(*h))
            return NULL;
        if (h->id == SEL4_BOOTINFO_HEADER_FDT) {
            *size = h->len - sizeof(*h);
            return (const uint8_t *)(h + 1);
        }
        off += h->len;
    }
    return NULL;
}

/*
 * A root-node property of the tree (the properties before its first
 * child), by name; NULL if absent or if the structure block is malformed.
 */
static const char *root_property(const uint8_t *fdt, seL4_Word size, const char *name,
                                 uint32_t *len)
{
    uint32_t off = fdt32(fdt + 8), strings = fdt32(fdt + 12);
    uint32_t end = off + fdt32(fdt + 36);
    if (end > size || off % 4 || fdt32(fdt + off) != FDT_BEGIN_NODE || fdt[off + 4] != 0)
        return NULL;
    for (off += 8; off + 12 <= end;) {
        uint32_t token = fdt32(fdt + off);
        if (token == FDT_NOP) {
            off += 4;
            continue;
        }
        if (token != FDT_PROP)
            return NULL;
        uint32_t plen = fdt32(fdt + off + 4), nameoff = fdt32(fdt + off + 8);
        if (strings + nameoff >= size || off + 12 + plen > end)
            return NULL;
        if (strcmp((const char *)fdt + strings + nameoff, name) == 0) {
            *len = plen;
            return (const char *)fdt + off + 12;
        }
        off += 12 + ((plen + 3) & ~3u);
    }
    return NULL;
}

TEST_BARE(bootinfo_extra_fdt_chunk,
          "Extra BootInfo: the root task finds the DTB as an FDT chunk right after the BootInfo "
          "frame, the only chunk, with a valid header whose totalsize is the chunk's length")
{
    const seL4_BootInfoHeader *h =
        (const void *)((const char *)kt_bi + seL4_BootInfoFrameSize);
    KT_GT(kt_bi->extraLen, sizeof(*h));
    KT_EQ(h->id, SEL4_BOOTINFO_HEADER_FDT);
    KT_EQ(h->len, kt_bi->extraLen);
    const uint8_t *fdt = (const uint8_t *)(h + 1);
    seL4_Word size = h->len - sizeof(*h);
    KT_EQ(fdt32(fdt), FDT_MAGIC);
    KT_EQ(fdt32(fdt + 4), size);                        /* totalsize: compact */
    KT_EQ(fdt32(fdt + 20), 17);                         /* version */
    KT_LE(fdt32(fdt + 8) + fdt32(fdt + 36), size);      /* structure block inside */
    KT_LE(fdt32(fdt + 12) + fdt32(fdt + 32), size);     /* strings block inside */
    KT_LT(size, 1ul << 20);     /* not QEMU's 1 MiB: only the used bytes */
    return KT_PASS;
}

TEST_BARE(bootinfo_extra_fdt_board,
          "Extra BootInfo: the DTB describes this board: root compatible \"" BOARD_COMPATIBLE
          "\", a model, 2-cell addresses")
{
    seL4_Word size = 0;
    const uint8_t *fdt = extra_fdt(&size);
    KT_ASSERT(fdt != NULL);
    uint32_t len = 0;
    const char *compatible = root_property(fdt, size, "compatible", &len);
    KT_ASSERT(compatible != NULL);
    bool found = false;
    for (uint32_t at = 0; at < len; at += strnlen(compatible + at, len - at) + 1)
        found |= strcmp(compatible + at, BOARD_COMPATIBLE) == 0;
    KT_ASSERT(found);
    const char *model = root_property(fdt, size, "model", &len);
    KT_ASSERT(model != NULL && len > 1 && model[len - 1] == 0);
    const char *cells = root_property(fdt, size, "#address-cells", &len);
    KT_ASSERT(cells != NULL && len == 4);
    KT_EQ(fdt32(cells), 2);
    return KT_PASS;
}

TEST_BARE(bootinfo_extra_frames,
          "Extra BootInfo: the extraBIPages caps are frames of consecutive physical pages, "
          "writable, and no untyped covers them")
{
    seL4_Word pages = kt_bi->extraBIPages.end - kt_bi->extraBIPages.start;
    KT_GT(pages, 0);
    seL4_Word first = 0;
    for (seL4_Word i = 0; i < pages; i++) {
        seL4_CPtr frame = kt_bi->extraBIPages.start + i;
        KT_CAP_IS(frame, KT_CAP_FRAME);
        seL4_ARM_Page_GetAddress_t addr = seL4_ARM_Page_GetAddress(frame);
        KT_EQ(addr.error, seL4_NoError);
        if (i == 0)
            first = addr.paddr;
        KT_EQ(addr.paddr, first + (i << seL4_PageBits));
        for (seL4_Word u = 0; u < kt_bi->untyped.end - kt_bi->untyped.start; u++) {
            const seL4_UntypedDesc *d = &kt_bi->untypedList[u];
            KT_ASSERT(addr.paddr + (1ul << seL4_PageBits) <= d->paddr ||
                      d->paddr + (1ul << d->sizeBits) <= addr.paddr);
        }
    }
    /* mapped read-write, like seL4's: the last mapped byte can be written back */
    volatile char *last = (volatile char *)kt_bi + seL4_BootInfoFrameSize +
                          (pages << seL4_PageBits) - 1;
    char keep = *last;
    *last = (char)(keep + 1);
    KT_EQ(*last, (char)(keep + 1));
    *last = keep;
    return KT_PASS;
}
