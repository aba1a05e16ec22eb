/*
 * The guest's device tree (include/vmm/guest_fdt.h), through libfdt's
 * sequential-write API for a generated tree and its read-write API for a
 * supplied one.
 */
#include <vmm/guest_fdt.h>

#include <libfdt.h>

#define PHANDLE_GIC         1
#define PHANDLE_CLOCK       2
#define GIC_SPI             0
#define GIC_PPI             1
#define IRQ_TYPE_EDGE       1
#define IRQ_TYPE_LEVEL      4
/* A PPI's flags: the CPUs it reaches (GICv2 CPU mask), level-high. */
#define TIMER_PPI_FLAGS(cpus) ((((1u << (cpus)) - 1) << 8) | IRQ_TYPE_LEVEL)
#define TIMER_SECURE_PPI    13
#define TIMER_NONSECURE_PPI 14
#define TIMER_VIRTUAL_PPI   11
#define TIMER_HYP_PPI       10
#define GICC_SIZE           0x2000
#define APB_CLOCK_HZ        24000000

/* Stop at the first libfdt error: every helper returns it. */
#define TRY(call)                                                             \
    do {                                                                      \
        int err_ = (call);                                                    \
        if (err_ < 0)                                                         \
            return err_;                                                      \
    } while (0)

static int node_name(char *buf, size_t size, const char *name, uint64_t addr)
{
    /* "<name>@<hex>" without a formatter: libvmm's nodes are few. */
    size_t n = 0;
    while (*name && n + 1 < size)
        buf[n++] = *name++;
    if (n + 2 >= size)
        return -FDT_ERR_NOSPACE;
    buf[n++] = '@';
    char digits[17];
    int d = 0;
    do {
        digits[d++] = "0123456789abcdef"[addr & 0xf];
        addr >>= 4;
    } while (addr);
    if (n + (size_t)d + 1 > size)
        return -FDT_ERR_NOSPACE;
    while (d)
        buf[n++] = digits[--d];
    buf[n] = '\0';
    return 0;
}

static int reg_property(void *fdt, uint64_t base, uint64_t size)
{
    fdt64_t cells[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
    return fdt_property(fdt, "reg", cells, sizeof cells);
}

static int irq_property(void *fdt, unsigned type, unsigned number, unsigned flags)
{
    fdt32_t cells[3] = { cpu_to_fdt32(type), cpu_to_fdt32(number), cpu_to_fdt32(flags) };
    return fdt_property(fdt, "interrupts", cells, sizeof cells);
}

static int begin_unit(void *fdt, const char *name, uint64_t addr)
{
    char full[64];
    TRY(node_name(full, sizeof full, name, addr));
    return fdt_begin_node(fdt, full);
}

static int chosen(void *fdt, const struct vmm_fdt_config *c)
{
    TRY(fdt_begin_node(fdt, "chosen"));
    if (c->bootargs)
        TRY(fdt_property_string(fdt, "bootargs", c->bootargs));
    if (c->uart_base) {
        char path[64] = "/";
        TRY(node_name(path + 1, sizeof path - 1, "pl011", c->uart_base));
        TRY(fdt_property_string(fdt, "stdout-path", path));
    }
    if (c->initrd_end > c->initrd_start) {
        TRY(fdt_property_u64(fdt, "linux,initrd-start", c->initrd_start));
        TRY(fdt_property_u64(fdt, "linux,initrd-end", c->initrd_end));
    }
    return fdt_end_node(fdt);
}

static int cpus(void *fdt, const struct vmm_fdt_config *c)
{
    TRY(fdt_begin_node(fdt, "cpus"));
    TRY(fdt_property_u32(fdt, "#address-cells", 1));
    TRY(fdt_property_u32(fdt, "#size-cells", 0));
    for (unsigned i = 0; i < c->num_vcpus; i++) {
        TRY(begin_unit(fdt, "cpu", i));
        TRY(fdt_property_string(fdt, "device_type", "cpu"));
        TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
        TRY(fdt_property_u32(fdt, "reg", i));
        TRY(fdt_property_string(fdt, "enable-method", "psci"));
        TRY(fdt_end_node(fdt));
    }
    return fdt_end_node(fdt);
}

static int psci(void *fdt)
{
    static const char compatible[] = "arm,psci-1.0\0arm,psci-0.2";
    TRY(fdt_begin_node(fdt, "psci"));
    TRY(fdt_property(fdt, "compatible", compatible, sizeof compatible));
    /* SMC: seL4 takes a guest's HVC as a system call, its SMC as a fault. */
    TRY(fdt_property_string(fdt, "method", "smc"));
    return fdt_end_node(fdt);
}

static int gic(void *fdt, const struct vmm_fdt_config *c)
{
    fdt64_t reg[4] = { cpu_to_fdt64(c->gicd_base), cpu_to_fdt64(0x1000),
                       cpu_to_fdt64(c->gicc_base), cpu_to_fdt64(GICC_SIZE) };
    TRY(begin_unit(fdt, "intc", c->gicd_base));
    TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic"));
    TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
    TRY(fdt_property_u32(fdt, "#address-cells", 0));
    TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    TRY(fdt_property(fdt, "reg", reg, sizeof reg));
    TRY(fdt_property_u32(fdt, "phandle", PHANDLE_GIC));
    return fdt_end_node(fdt);
}

static int timer(void *fdt, const struct vmm_fdt_config *c)
{
    unsigned flags = TIMER_PPI_FLAGS(c->num_vcpus);
    fdt32_t irqs[12];
    static const unsigned ppis[4] = { TIMER_SECURE_PPI, TIMER_NONSECURE_PPI, TIMER_VIRTUAL_PPI,
                                      TIMER_HYP_PPI };
    for (unsigned i = 0; i < 4; i++) {
        irqs[3 * i] = cpu_to_fdt32(GIC_PPI);
        irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
        irqs[3 * i + 2] = cpu_to_fdt32(flags);
    }
    TRY(fdt_begin_node(fdt, "timer"));
    TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
    TRY(fdt_property(fdt, "interrupts", irqs, sizeof irqs));
    TRY(fdt_property(fdt, "always-on", NULL, 0));
    return fdt_end_node(fdt);
}

static int uart(void *fdt, const struct vmm_fdt_config *c)
{
    static const char compatible[] = "arm,pl011\0arm,primecell";
    static const char clock_names[] = "uartclk\0apb_pclk";
    fdt32_t clocks[2] = { cpu_to_fdt32(PHANDLE_CLOCK), cpu_to_fdt32(PHANDLE_CLOCK) };
    TRY(fdt_begin_node(fdt, "apb-pclk"));
    TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
    TRY(fdt_property_u32(fdt, "#clock-cells", 0));
    TRY(fdt_property_u32(fdt, "clock-frequency", APB_CLOCK_HZ));
    TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
    TRY(fdt_property_u32(fdt, "phandle", PHANDLE_CLOCK));
    TRY(fdt_end_node(fdt));
    TRY(begin_unit(fdt, "pl011", c->uart_base));
    TRY(fdt_property(fdt, "compatible", compatible, sizeof compatible));
    TRY(reg_property(fdt, c->uart_base, 0x1000));
    TRY(irq_property(fdt, GIC_SPI, c->uart_irq - 32, IRQ_TYPE_LEVEL));
    TRY(fdt_property(fdt, "clocks", clocks, sizeof clocks));
    TRY(fdt_property(fdt, "clock-names", clock_names, sizeof clock_names));
    return fdt_end_node(fdt);
}

static int device(void *fdt, const struct vmm_fdt_device *d)
{
    TRY(begin_unit(fdt, d->node, d->base));
    TRY(fdt_property(fdt, "compatible", d->compatible, (int)d->compatible_len));
    TRY(reg_property(fdt, d->base, d->size));
    if (d->irq >= 32)
        TRY(irq_property(fdt, GIC_SPI, (unsigned)d->irq - 32,
                         d->edge ? IRQ_TYPE_EDGE : IRQ_TYPE_LEVEL));
    return fdt_end_node(fdt);
}

int vmm_fdt_build(void *buf, size_t size, const struct vmm_fdt_config *c)
{
    static const char compatible[] = "linux,dummy-virt";
    TRY(fdt_create(buf, (int)size));
    TRY(fdt_finish_reservemap(buf));
    TRY(fdt_begin_node(buf, ""));
    TRY(fdt_property_u32(buf, "#address-cells", 2));
    TRY(fdt_property_u32(buf, "#size-cells", 2));
    TRY(fdt_property(buf, "compatible", compatible, sizeof compatible));
    TRY(fdt_property_string(buf, "model", "libvmm guest"));
    TRY(fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC));
    TRY(chosen(buf, c));
    TRY(begin_unit(buf, "memory", c->ram_base));
    TRY(fdt_property_string(buf, "device_type", "memory"));
    TRY(reg_property(buf, c->ram_base, c->ram_size));
    TRY(fdt_end_node(buf));
    TRY(cpus(buf, c));
    TRY(psci(buf));
    TRY(gic(buf, c));
    TRY(timer(buf, c));
    if (c->uart_base)
        TRY(uart(buf, c));
    for (unsigned i = 0; i < c->device_count; i++)
        TRY(device(buf, &c->devices[i]));
    TRY(fdt_end_node(buf));
    return fdt_finish(buf);
}

static int set_chosen(void *fdt, const struct vmm_fdt_config *c)
{
    int node = fdt_path_offset(fdt, "/chosen");
    if (node == -FDT_ERR_NOTFOUND)
        node = fdt_add_subnode(fdt, 0, "chosen");
    TRY(node);
    if (c->bootargs)
        TRY(fdt_setprop_string(fdt, node, "bootargs", c->bootargs));
    if (c->initrd_end > c->initrd_start) {
        TRY(fdt_setprop_u64(fdt, node, "linux,initrd-start", c->initrd_start));
        TRY(fdt_setprop_u64(fdt, node, "linux,initrd-end", c->initrd_end));
    }
    return 0;
}

static int set_memory(void *fdt, const struct vmm_fdt_config *c)
{
    char name[32];
    TRY(node_name(name, sizeof name, "memory", c->ram_base));
    int node = fdt_subnode_offset(fdt, 0, name);
    if (node == -FDT_ERR_NOTFOUND)
        node = fdt_add_subnode(fdt, 0, name);
    TRY(node);
    TRY(fdt_setprop_string(fdt, node, "device_type", "memory"));
    fdt64_t reg[2] = { cpu_to_fdt64(c->ram_base), cpu_to_fdt64(c->ram_size) };
    return fdt_setprop(fdt, node, "reg", reg, sizeof reg);
}

int vmm_fdt_adapt(const void *dtb, void *buf, size_t size, const struct vmm_fdt_config *c)
{
    TRY(fdt_check_header(dtb));
    TRY(fdt_open_into(dtb, buf, (int)size));
    TRY(set_chosen(buf, c));
    TRY(set_memory(buf, c));
    return fdt_pack(buf);
}
