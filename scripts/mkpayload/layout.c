#include "layout.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define KERNEL_BASE_ALIGN 0x200000ULL   /* docs/architecture.md: 2 MiB aligned */

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
    va_list ap;
    fputs("mkpayload: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static uint64_t align_up(uint64_t value, uint64_t align)
{
    return (value + align - 1) & ~(align - 1);
}

static bool ranges_overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return a < b_end && b < a_end;
}

static int check_limits(const struct memory_limits *m)
{
    if (m->kernel_phys % KERNEL_BASE_ALIGN != 0)
        return fail("--kernel-phys 0x%llx is not 2 MiB aligned", (unsigned long long)m->kernel_phys);
    if (m->kernel_region_size == 0 || m->kernel_phys + m->kernel_region_size < m->kernel_phys)
        return fail("--kernel-region-size 0x%llx is empty or wraps around",
                    (unsigned long long)m->kernel_region_size);
    if (m->loader_link % PAYLOAD_PAGE != 0)
        return fail("--loader-link 0x%llx is not 4 KiB aligned", (unsigned long long)m->loader_link);
    if (m->loader_region_size == 0 || m->loader_link + m->loader_region_size < m->loader_link)
        return fail("--loader-region-size 0x%llx is empty or wraps around",
                    (unsigned long long)m->loader_region_size);
    if (ranges_overlap(m->kernel_phys, m->kernel_phys + m->kernel_region_size,
                       m->loader_link, m->loader_link + m->loader_region_size))
        return fail("the kernel region [0x%llx, 0x%llx) overlaps the loader region [0x%llx, 0x%llx)",
                    (unsigned long long)m->kernel_phys,
                    (unsigned long long)(m->kernel_phys + m->kernel_region_size),
                    (unsigned long long)m->loader_link,
                    (unsigned long long)(m->loader_link + m->loader_region_size));
    return 0;
}

/* Every kernel byte must sit in the kernel region at PPTR_BASE + its paddr. */
static int check_kernel_segment(const struct elf_file *elf, const struct segment *s,
                                const struct memory_limits *m)
{
    uint64_t region_end = m->kernel_phys + m->kernel_region_size;
    if (s->paddr < m->kernel_phys || s->paddr + s->mem_size > region_end)
        return fail("%s: segment at paddr 0x%llx..0x%llx leaves the kernel region [0x%llx, 0x%llx)",
                    elf->path, (unsigned long long)s->paddr,
                    (unsigned long long)(s->paddr + s->mem_size),
                    (unsigned long long)m->kernel_phys, (unsigned long long)region_end);
    if (s->vaddr != m->pptr_base + s->paddr)
        return fail("%s: segment vaddr 0x%llx is not PPTR_BASE 0x%llx + paddr 0x%llx "
                    "(link the kernel at PPTR_BASE + KERNEL_PHYS_BASE, with AT() giving the paddr)",
                    elf->path, (unsigned long long)s->vaddr, (unsigned long long)m->pptr_base,
                    (unsigned long long)s->paddr);
    return 0;
}

static int place_kernel(struct payload_header *h, const struct elf_file *kernel,
                        const struct memory_limits *limits)
{
    /* The window base is the kernel's (EL1 and EL2 kernels differ): taken
       from its first segment unless given, then checked for every one. */
    struct memory_limits m_copy = *limits;
    const struct memory_limits *m = &m_copy;
    if (m_copy.pptr_base == PPTR_BASE_FROM_KERNEL && kernel->num_segments > 0)
        m_copy.pptr_base = kernel->segments[0].vaddr - kernel->segments[0].paddr;
    h->kernel_phys_start = UINT64_MAX;
    h->kernel_phys_end = 0;
    for (size_t i = 0; i < kernel->num_segments; i++) {
        const struct segment *s = &kernel->segments[i];
        if (check_kernel_segment(kernel, s, m) != 0)
            return -1;
        if (s->paddr < h->kernel_phys_start)
            h->kernel_phys_start = s->paddr;
        if (s->paddr + s->mem_size > h->kernel_phys_end)
            h->kernel_phys_end = s->paddr + s->mem_size;
    }
    h->kernel_entry = kernel->entry;
    return 0;
}

/* Segments are sorted by vaddr and disjoint, so the last one ends highest. */
static int place_roottask(struct payload_header *h, const struct elf_file *rt,
                          const struct memory_limits *m)
{
    const struct segment *first = &rt->segments[0];
    const struct segment *last = &rt->segments[rt->num_segments - 1];
    uint64_t vbase = first->vaddr & ~(uint64_t)(PAYLOAD_PAGE - 1);
    uint64_t vend = align_up(last->vaddr + last->mem_size, PAYLOAD_PAGE);
    if (vend < last->vaddr)
        return fail("%s: segments reach the top of the address space", rt->path);
    uint64_t region_end = m->kernel_phys + m->kernel_region_size;
    h->roottask_phys_start = align_up(h->kernel_phys_end, PAYLOAD_PAGE);
    h->roottask_phys_end = h->roottask_phys_start + (vend - vbase);
    h->roottask_pv_offset = h->roottask_phys_start - vbase;
    h->roottask_entry = rt->entry;
    if (h->roottask_phys_end > region_end || h->roottask_phys_end < h->roottask_phys_start)
        return fail("%s: the root task (0x%llx bytes) does not fit after the kernel: "
                    "it would end at 0x%llx, past the kernel region end 0x%llx "
                    "(raise CONFIG_KERNEL_REGION_SIZE)",
                    rt->path, (unsigned long long)(vend - vbase),
                    (unsigned long long)h->roottask_phys_end, (unsigned long long)region_end);
    return 0;
}

/* The DTB's page follows the root task; a boot loader's DTB may take the rest
 * of the kernel region, so the loader learns where that ends. */
static int place_dtb(struct payload_header *h, const struct dtb_file *dtb,
                     const struct memory_limits *m)
{
    uint64_t region_end = m->kernel_phys + m->kernel_region_size;
    h->dtb_phys = align_up(h->roottask_phys_end, PAYLOAD_PAGE);
    h->dtb_phys_limit = region_end;
    h->dtb_size = dtb ? dtb->size : 0;
    if (h->dtb_size > region_end - h->dtb_phys || h->dtb_phys > region_end)
        return fail("%s: the device tree (0x%llx bytes) does not fit after the root task: "
                    "it would end at 0x%llx, past the kernel region end 0x%llx "
                    "(raise CONFIG_KERNEL_REGION_SIZE)",
                    dtb->path, (unsigned long long)dtb->size,
                    (unsigned long long)(h->dtb_phys + dtb->size), (unsigned long long)region_end);
    return 0;
}

static int check_loader_clear(const struct payload_header *h, const struct memory_limits *m)
{
    uint64_t loader_end = m->loader_link + m->loader_region_size;
    if (ranges_overlap(h->kernel_phys_start, h->roottask_phys_end, m->loader_link, loader_end))
        return fail("kernel and root task [0x%llx, 0x%llx) overlap the loader region [0x%llx, 0x%llx)",
                    (unsigned long long)h->kernel_phys_start,
                    (unsigned long long)h->roottask_phys_end,
                    (unsigned long long)m->loader_link, (unsigned long long)loader_end);
    return 0;
}

static void add_region(struct layout *out, uint64_t *data_offset, uint64_t paddr,
                       const struct segment *s)
{
    uint32_t n = out->header.num_regions++;
    out->regions[n] = (struct payload_region){
        .paddr = paddr,
        .file_size = s->file_size,
        .mem_size = s->mem_size,
        .offset = *data_offset,
    };
    out->region_data[n] = s->data;
    *data_offset = align_up(*data_offset + s->file_size, PAYLOAD_ALIGN);
}

static int fill_regions(struct layout *out, const struct elf_file *kernel,
                        const struct elf_file *rt, const struct dtb_file *dtb)
{
    size_t count = kernel->num_segments + rt->num_segments;
    out->regions = calloc(count, sizeof(*out->regions));
    out->region_data = calloc(count, sizeof(*out->region_data));
    if (!out->regions || !out->region_data)
        return fail("out of memory");
    uint64_t offset = sizeof(struct payload_header) + count * sizeof(struct payload_region);
    for (size_t i = 0; i < kernel->num_segments; i++)
        add_region(out, &offset, kernel->segments[i].paddr, &kernel->segments[i]);
    for (size_t i = 0; i < rt->num_segments; i++)
        add_region(out, &offset, rt->segments[i].vaddr + out->header.roottask_pv_offset,
                   &rt->segments[i]);
    if (dtb) {
        out->header.dtb_offset = offset;
        out->dtb_data = dtb->bytes;
        offset = align_up(offset + dtb->size, PAYLOAD_ALIGN);
    }
    out->header.total_size = offset;
    return 0;
}

int layout_build(struct layout *out, const struct elf_file *kernel,
                 const struct elf_file *roottask, const struct dtb_file *dtb,
                 const struct memory_limits *limits)
{
    *out = (struct layout){ 0 };
    struct payload_header *h = &out->header;
    h->magic = PAYLOAD_MAGIC;
    h->version = PAYLOAD_VERSION;
    h->header_size = sizeof(*h);
    h->region_size = sizeof(struct payload_region);
    if (check_limits(limits) != 0 || place_kernel(h, kernel, limits) != 0 ||
        place_roottask(h, roottask, limits) != 0 || place_dtb(h, dtb, limits) != 0 ||
        check_loader_clear(h, limits) != 0)
        return -1;
    return fill_regions(out, kernel, roottask, dtb);
}

void layout_free(struct layout *layout)
{
    free(layout->regions);
    free(layout->region_data);
    *layout = (struct layout){ 0 };
}
