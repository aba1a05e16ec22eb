/*
 * Program images. Each image region (page-aligned, with the rights of its
 * ELF segment) gets fresh frames, which the kernel zeroes: that is .bss.
 * Pages that hold file data or per-PD data (sdfgen's symbol writes:
 * microkit_name, the channel masks, setvar values) are filled through the
 * scratch window, both in one visit, so the per-PD data lands on the
 * loaded image as the tables require. Executable pages are made coherent
 * with the instruction cache before the PD can run them. Then the stack
 * and the IPC buffer page.
 */
#include "monitor.h"
#include <string.h>

struct span {
    uint64_t lo, hi;
};

static bool overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size, struct span *out)
{
    uint64_t lo = a > b ? a : b;
    uint64_t hi = a + a_size < b + b_size ? a + a_size : b + b_size;
    if (lo >= hi)
        return false;
    *out = (struct span){ lo, hi };
    return true;
}

static uint64_t written_bytes, expected_bytes;

static bool page_has_data(const struct sys_pd *pd, uint64_t vaddr)
{
    struct span s;
    for (uint32_t i = 0; i < pd->image_copy_count; i++) {
        const struct sys_image_copy *c = &sys->image_copies[pd->first_image_copy + i];
        if (overlap(c->vaddr, c->size, vaddr, PAGE_SIZE, &s))
            return true;
    }
    for (uint32_t i = 0; i < pd->symbol_write_count; i++) {
        const struct sys_symbol_write *w = &sys->symbol_writes[pd->first_symbol_write + i];
        if (overlap(w->vaddr, w->size, vaddr, PAGE_SIZE, &s))
            return true;
    }
    return false;
}

static void fill_page(uint32_t index, const struct sys_pd *pd, uint64_t vaddr, uint8_t *page)
{
    struct span s;
    for (uint32_t i = 0; i < pd->image_copy_count; i++) {
        const struct sys_image_copy *c = &sys->image_copies[pd->first_image_copy + i];
        if (!overlap(c->vaddr, c->size, vaddr, PAGE_SIZE, &s))
            continue;
        uint64_t from = c->offset + (s.lo - c->vaddr);
        const struct sys_image *image = c->image < sys->image_count ? &sys->images[c->image] : NULL;
        if (!image || from + (s.hi - s.lo) > (uint64_t)(image->end - image->start))
            fail("program image of PD '%s': segment data at file offset 0x%lx lies outside "
                 "the file", pd_name(index), (unsigned long)c->offset);
        memcpy(page + (s.lo - vaddr), image->start + from, s.hi - s.lo);
    }
    /* Per-PD data after the image data: it overrides what the file says. */
    for (uint32_t i = 0; i < pd->symbol_write_count; i++) {
        const struct sys_symbol_write *w = &sys->symbol_writes[pd->first_symbol_write + i];
        if (!overlap(w->vaddr, w->size, vaddr, PAGE_SIZE, &s))
            continue;
        for (uint64_t a = s.lo; a < s.hi; a++) {
            uint64_t k = a - w->vaddr;
            page[a - vaddr] = w->bytes ? w->bytes[k] : (k < 8 ? (uint8_t)(w->value >> (8 * k)) : 0);
        }
        written_bytes += s.hi - s.lo;
    }
}

static void load_region(uint32_t index, const struct sys_image_region *r, const char *owner)
{
    const struct sys_pd *pd = &sys->pds[index];
    if ((r->vaddr | r->size) & (PAGE_SIZE - 1))
        fail("program image of PD '%s': region 0x%lx+0x%lx is not page aligned",
             pd_name(index), (unsigned long)r->vaddr, (unsigned long)r->size);
    unsigned pages = (unsigned)(r->size >> PAGE_BITS);
    char what[96];
    format_buf(what, sizeof what, "creating program image frames for %s", owner);
    seL4_CPtr first = alloc_objects(seL4_ARM_SmallPageObject, 0, pages, what);
    for (unsigned k = 0; k < pages; k++) {
        seL4_CPtr frame = first + k;
        uint64_t vaddr = r->vaddr + ((uint64_t)k << PAGE_BITS);
        if (page_has_data(pd, vaddr)) {
            uint8_t *page = scratch_map(frame, PAGE_BITS);
            fill_page(index, pd, vaddr, page);
            if (r->rights & SYS_RIGHT_EXECUTE)
                check(seL4_ARM_Page_Unify_Instruction(frame, 0, PAGE_SIZE),
                      "making code at 0x%lx coherent for %s", (unsigned long)vaddr, owner);
            scratch_unmap(frame);
        }
        pd_map(index, frame, vaddr, r->rights, true, owner);
    }
}

static seL4_CPtr map_fresh(uint32_t index, uint64_t vaddr, uint64_t size, const char *what,
                           const char *owner)
{
    unsigned pages = (unsigned)(size >> PAGE_BITS);
    seL4_CPtr first = alloc_objects(seL4_ARM_SmallPageObject, 0, pages, what);
    for (unsigned k = 0; k < pages; k++)
        pd_map(index, first + k, vaddr + ((uint64_t)k << PAGE_BITS),
               SYS_RIGHT_READ | SYS_RIGHT_WRITE, true, owner);
    return first;
}

void images_load(void)
{
    for (uint32_t i = 0; i < sys->pd_count; i++) {
        const struct sys_pd *pd = &sys->pds[i];
        char owner[80], what[96];
        format_buf(owner, sizeof owner, "PD '%s'", pd->name);
        if (pd->image >= sys->image_count)
            fail("PD '%s': no program image", pd->name);
        for (uint32_t w = 0; w < pd->symbol_write_count; w++)
            expected_bytes += sys->symbol_writes[pd->first_symbol_write + w].size;
        for (uint32_t k = 0; k < pd->image_region_count; k++)
            load_region(i, &sys->image_regions[pd->first_image_region + k], owner);
        if (pd->stack_top <= pd->stack_bottom || ((pd->stack_bottom | pd->stack_top) & (PAGE_SIZE - 1)))
            fail("PD '%s': bad stack [0x%lx, 0x%lx)", pd->name, (unsigned long)pd->stack_bottom,
                 (unsigned long)pd->stack_top);
        format_buf(what, sizeof what, "creating the stack of %s", owner);
        pd_caps[i].stack = map_fresh(i, pd->stack_bottom, pd->stack_top - pd->stack_bottom, what,
                                     owner);
        format_buf(what, sizeof what, "creating the IPC buffer of %s", owner);
        pd_caps[i].ipc_buffer = map_fresh(i, pd->ipc_buffer, PAGE_SIZE, what, owner);
        if (written_bytes != expected_bytes)
            fail("PD '%s': per-PD data (setvar, microkit_name...) lies outside its program "
                 "image", pd->name);
    }
}
