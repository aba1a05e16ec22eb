/*
 * Loading Linux (include/vmm/linux.h). The Image header, little-endian:
 * code0, code1 (u32), text_offset, image_size, flags (u64), three
 * reserved u64, magic (u32) at 56, reserved u32. flags bit 0: big-endian
 * kernel. An image_size of 0 marks a kernel older than 3.17, which
 * expects text_offset 0x80000 and gives no size.
 */
#include <vmm/linux.h>

#include <string.h>

#define ALIGN_2M        0x200000ull
#define PAGE            0x1000ull
#define FLAG_BE         1u
#define OLD_TEXT_OFFSET 0x80000ull

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool linux_image_parse(const void *image, size_t size, struct linux_image_info *info,
                       const char **why)
{
    const uint8_t *h = image;
    if (!image || size < LINUX_HEADER_SIZE) {
        *why = "shorter than an arm64 Image header";
        return false;
    }
    if (le32(h + 56) != LINUX_IMAGE_MAGIC) {
        *why = "no arm64 Image magic (a compressed vmlinuz? gunzip it first)";
        return false;
    }
    info->text_offset = le64(h + 8);
    info->image_size = le64(h + 16);
    info->big_endian = le64(h + 24) & FLAG_BE;
    if (info->image_size == 0) {
        info->text_offset = OLD_TEXT_OFFSET;
        info->image_size = size;
    }
    if (info->big_endian) {
        *why = "a big-endian kernel";
        return false;
    }
    if (info->image_size < size || info->text_offset % PAGE) {
        *why = "an inconsistent header (image_size below the file size, or text_offset "
               "not page-aligned)";
        return false;
    }
    return true;
}

static uint64_t align_down(uint64_t x, uint64_t a)
{
    return x & ~(a - 1);
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
    return (x + a - 1) & ~(a - 1);
}

bool linux_layout(uint64_t ram_base, uint64_t ram_size, const struct linux_image_info *info,
                  size_t initrd_size, struct linux_layout *out, const char **why)
{
    uint64_t base = align_up(ram_base, ALIGN_2M), end = ram_base + ram_size;
    if (ram_size < 2 * ALIGN_2M || end < ram_base || base >= end) {
        *why = "guest RAM is too small (at least 4 MiB, 2 MiB-aligned)";
        return false;
    }
    out->kernel = base + info->text_offset;
    out->kernel_end = out->kernel + info->image_size;
    out->dtb = align_down(end, ALIGN_2M) - ALIGN_2M;
    uint64_t initrd_end = out->dtb;
    out->initrd = align_down(initrd_end - (initrd_size < initrd_end ? initrd_size : 0), PAGE);
    out->initrd_end = out->initrd + initrd_size;
    if (initrd_size > out->dtb - ram_base || out->kernel_end > out->initrd ||
        out->kernel_end < out->kernel) {
        *why = "the kernel, initrd and device tree do not fit in guest RAM";
        return false;
    }
    if (initrd_size == 0)
        out->initrd = out->initrd_end = 0;
    return true;
}

/* The device tree, built where the guest will find it. */
static bool write_dtb(struct vmm_guest *g, const struct vmm_linux *l,
                      const struct linux_layout *layout)
{
    struct vmm_fdt_config c = {
        .ram_base = g->config.ram_base, .ram_size = g->config.ram_size,
        .num_vcpus = g->config.num_vcpus, .gicd_base = g->config.gicd_base,
        .gicc_base = l->gicc_base, .uart_base = l->uart_base, .uart_irq = l->uart_irq,
        .bootargs = l->cmdline, .initrd_start = layout->initrd,
        .initrd_end = layout->initrd_end, .devices = l->devices,
        .device_count = l->device_count,
    };
    void *dst = vmm_guest_ram(g, layout->dtb, LINUX_DTB_MAX);
    int err = dst ? (l->dtb ? vmm_fdt_adapt(l->dtb, dst, LINUX_DTB_MAX, &c)
                            : vmm_fdt_build(dst, VMM_FDT_MAX_SIZE, &c))
                  : -1;
    if (err) {
        vmm_printf(g, "could not write the guest's device tree (libfdt error %d)\n", err);
        return false;
    }
    return true;
}

bool vmm_linux_load(struct vmm_guest *g, const struct vmm_linux *l, struct linux_layout *out)
{
    struct linux_image_info info;
    const char *why = NULL;
    if (!linux_image_parse(l->kernel, l->kernel_size, &info, &why) ||
        !linux_layout(g->config.ram_base, g->config.ram_size, &info, l->initrd_size, out,
                      &why)) {
        vmm_printf(g, "cannot boot the kernel: %s\n", why);
        return false;
    }
    void *kernel = vmm_guest_ram(g, out->kernel, info.image_size);
    void *initrd = l->initrd_size ? vmm_guest_ram(g, out->initrd, l->initrd_size) : NULL;
    if (!kernel || (l->initrd_size && !initrd))
        return false;
    memcpy(kernel, l->kernel, l->kernel_size);
    /* The kernel clears its own bss, but only from a clean state: zero
     * what a previous run left there. */
    memset((uint8_t *)kernel + l->kernel_size, 0, info.image_size - l->kernel_size);
    if (initrd)
        memcpy(initrd, l->initrd, l->initrd_size);
    if (!write_dtb(g, l, out))
        return false;
    vmm_arch_sync_guest_memory(kernel, info.image_size);
    if (initrd)
        vmm_arch_sync_guest_memory(initrd, l->initrd_size);
    vmm_arch_sync_guest_memory(vmm_guest_ram(g, out->dtb, LINUX_DTB_MAX), LINUX_DTB_MAX);
    vmm_printf(g, "Linux at 0x%lx (%lu KiB), initrd at 0x%lx (%lu KiB), device tree at 0x%lx\n",
               (unsigned long)out->kernel, (unsigned long)(l->kernel_size >> 10),
               (unsigned long)out->initrd, (unsigned long)(l->initrd_size >> 10),
               (unsigned long)out->dtb);
    return true;
}

bool vmm_linux_boot(struct vmm_guest *g, const struct vmm_linux *l)
{
    struct linux_layout layout;
    if (!vmm_linux_load(g, l, &layout))
        return false;
    vmm_vcpu_boot(g, 0, layout.kernel, layout.dtb);
    return true;
}
