/*
 * Memory regions. Each region's frames live in consecutive slots of the
 * monitor's CNode. Regions at a physical address (fixed by the SDF or
 * placed by sdfgen) are created first, in address order, so that the
 * untypeds holding them are still untouched; then the others, 2 MiB pages
 * before 4 KiB ones. RAM frames arrive zeroed from the kernel; prefill
 * data is copied in through the scratch window.
 *
 * A frame cap maps once: the first mapping of a region uses the region's
 * own caps, every further mapping copies of them.
 */
#include "monitor.h"
#include <string.h>

#define MAX_MRS 1024

static seL4_CPtr mr_first[MAX_MRS];
static bool mr_mapped[MAX_MRS];

seL4_CPtr mr_frames(uint32_t mr)
{
    return mr_first[mr];
}

static unsigned frame_count(const struct sys_mr *mr)
{
    return (unsigned)(mr->size >> mr->page_bits);
}

static seL4_Word frame_type(const struct sys_mr *mr)
{
    return mr->page_bits == LARGE_PAGE_BITS ? seL4_ARM_LargePageObject : seL4_ARM_SmallPageObject;
}

static void check_region(const struct sys_mr *mr)
{
    if (mr->page_bits != PAGE_BITS && mr->page_bits != LARGE_PAGE_BITS)
        fail("memory region '%s': unsupported page size 2^%u", mr->name, mr->page_bits);
    if (mr->size == 0 || (mr->size & ((1ull << mr->page_bits) - 1)))
        fail("memory region '%s': size 0x%lx is not a multiple of its page size", mr->name,
             (unsigned long)mr->size);
    if (mr->paddr_kind != SYS_PADDR_ANY && (mr->paddr & ((1ull << mr->page_bits) - 1)))
        fail("memory region '%s': physical address 0x%lx is not aligned to its page size",
             mr->name, (unsigned long)mr->paddr);
}

static void create_fixed(void)
{
    uint32_t order[MAX_MRS], n = 0;
    for (uint32_t i = 0; i < sys->mr_count; i++)
        if (sys->mrs[i].paddr_kind != SYS_PADDR_ANY) {
            /* Insertion sort by address: a handful of regions. */
            uint32_t j = n++;
            while (j > 0 && sys->mrs[order[j - 1]].paddr > sys->mrs[i].paddr) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
    for (uint32_t k = 0; k < n; k++) {
        const struct sys_mr *mr = &sys->mrs[order[k]];
        char what[128];
        format_buf(what, sizeof what, "creating the frames of memory region '%s' at 0x%lx",
                   mr->name, (unsigned long)mr->paddr);
        mr_first[order[k]] = alloc_frames_at(mr->paddr, mr->page_bits, frame_count(mr), what);
    }
}

static void create_anywhere(unsigned page_bits)
{
    for (uint32_t i = 0; i < sys->mr_count; i++) {
        const struct sys_mr *mr = &sys->mrs[i];
        if (mr->paddr_kind != SYS_PADDR_ANY || mr->page_bits != page_bits)
            continue;
        char what[128];
        format_buf(what, sizeof what, "creating the frames of memory region '%s'", mr->name);
        mr_first[i] = alloc_objects(frame_type(mr), 0, frame_count(mr), what);
    }
}

static void prefill(uint32_t index)
{
    const struct sys_mr *mr = &sys->mrs[index];
    if (mr->prefill < 0 || mr->prefill_size == 0)
        return;
    if (mr->device)
        fail("memory region '%s' is device memory and cannot be prefilled", mr->name);
    const struct sys_image *image = &sys->images[mr->prefill];
    uint64_t size = mr->prefill_size, page = 1ull << mr->page_bits;
    if (size > (uint64_t)(image->end - image->start) || size > mr->size)
        fail("memory region '%s': prefill of 0x%lx bytes is larger than its file or the "
             "region", mr->name, (unsigned long)size);
    for (uint64_t offset = 0; offset < size; offset += page) {
        seL4_CPtr frame = mr_first[index] + (offset >> mr->page_bits);
        uint8_t *p = scratch_map(frame, mr->page_bits);
        uint64_t n = size - offset < page ? size - offset : page;
        memcpy(p, image->start + offset, n);
        /* Out to memory: the region may be mapped uncached (DMA). */
        check(seL4_ARM_Page_CleanInvalidate_Data(frame, 0, page),
              "cleaning the prefill of memory region '%s' from the caches", mr->name);
        scratch_unmap(frame);
    }
}

void mrs_create(void)
{
    if (sys->mr_count > MAX_MRS)
        fail("%u memory regions: the monitor handles at most %u", sys->mr_count, MAX_MRS);
    for (uint32_t i = 0; i < sys->mr_count; i++)
        check_region(&sys->mrs[i]);
    create_fixed();
    create_anywhere(LARGE_PAGE_BITS);
    create_anywhere(PAGE_BITS);
    for (uint32_t i = 0; i < sys->mr_count; i++)
        prefill(i);
}

void mr_map(uint32_t index, int pd, seL4_CPtr vspace, uint64_t vaddr, uint32_t rights,
            bool cached, const char *owner)
{
    const struct sys_mr *mr = &sys->mrs[index];
    for (unsigned i = 0; i < frame_count(mr); i++) {
        seL4_CPtr frame = mr_first[index] + i;
        if (mr_mapped[index]) {
            seL4_CPtr copy = slot_alloc(1);
            check(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits,
                                  seL4_CapInitThreadCNode, frame, seL4_WordBits, seL4_AllRights),
                  "copying a frame cap of memory region '%s' for %s", mr->name, owner);
            stats.copies_of_frames++;
            frame = copy;
        }
        seL4_Word page_vaddr = vaddr + ((seL4_Word)i << mr->page_bits);
        if (pd >= 0)
            pd_map((uint32_t)pd, frame, page_vaddr, rights, cached, owner);
        else
            vspace_map(vspace, frame, page_vaddr, rights, cached, owner);
    }
    mr_mapped[index] = true;
}

void mrs_map(void)
{
    for (uint32_t m = 0; m < sys->map_count; m++) {
        const struct sys_map *map = &sys->maps[m];
        char owner[96];
        format_buf(owner, sizeof owner, "PD '%s' (memory region '%s')", pd_name(map->pd),
                   sys->mrs[map->mr].name);
        mr_map(map->mr, (int)map->pd, pd_caps[map->pd].vspace, map->vaddr, map->rights, map->cached,
               owner);
    }
}
