/*
 * vmm_linux: the example VMM (docs/vmm.md). It runs one Linux guest
 * (guests/linux: Debian's arm64 kernel, a busybox initramfs) on the
 * virtual machine its system description gives it, with:
 *   - guest RAM at GUEST_RAM_IPA, mapped into this PD too (setvars
 *     guest_ram_vaddr, guest_ram_size);
 *   - the kernel and initramfs in read-only memory regions prefilled at
 *     build time (guest_kernel_vaddr/_size, guest_initrd_vaddr/_size), so
 *     that a restart boots from clean copies;
 *   - the virtual GIC's distributor emulated at GUEST_GICD, the real GICV
 *     mapped at GUEST_GICC by the system description;
 *   - an emulated PL011 at GUEST_UART as the guest's console, connected
 *     to the system's serial port through the serial virtualisers
 *     (drivers/serial: lines prefixed with this PD's name; Ctrl-T N
 *     switches the input); or, when the system gives the guest a UART of
 *     its own by pass-through (setvar guest_uart_paddr: the region mapped
 *     into the virtual machine at its physical address, its interrupt on
 *     CH_UART_IRQ), that UART, described in the guest's device tree;
 *   - as many vCPUs as the system description gives the virtual machine
 *     (vmm_vcpus_given), each on the core of its <vcpu cpu>: vCPU 0
 *     boots, the guest starts the others with PSCI CPU_ON;
 *   - idle vCPUs stopped until an interrupt or their timer's deadline, if
 *     the system gives this PD the timer driver on CH_TIMER;
 *   - restart on a guest's reset request (its kernel panics with
 *     panic=-1, which ends in PSCI SYSTEM_RESET) or unhandled fault, at
 *     most MAX_RESTARTS times.
 * The guest gets the name of this PD on its command line (vmname=).
 */
#include <microkit.h>
#include <serial/serial.h>
#include <timer/timer.h>
#include <vmm/console.h>
#include <vmm/guest_fdt.h>
#include <vmm/linux.h>
#include <vmm/sel4.h>
#include <vmm/vmm.h>

#include <format.h>
#include <string.h>

/* The guest's machine: QEMU virt's addresses, which the system
 * description's guest maps must match. */
#define GUEST_RAM_IPA   0x40000000ul
#define GUEST_GICD      0x08000000ul
#define GUEST_GICC      0x08010000ul
#define GUEST_UART      0x09000000ul
#define GUEST_UART_IRQ  33
#define MAX_RESTARTS    5

/* Channels (the system description's ids). */
#define CH_SERIAL_TX    1
#define CH_SERIAL_RX    2
#define CH_TIMER        3       /* optional: idle vCPUs then stop (vmm.h) */
#define CH_UART_IRQ     5       /* pass-through: the guest's UART's interrupt */

/*
 * The UARTs this VMM can give a guest by pass-through, by physical address:
 * how the guest's device tree describes each and the console Linux names
 * it (both clock inputs are the tree's fixed 24 MHz clock, which is the
 * meson UART's crystal; a PL011's rate only matters to real hardware).
 */
struct passthrough_uart {
    uintptr_t paddr;
    int irq;
    const char *compatible, *clock_names;
    size_t compatible_len, clock_names_len;
    const char *console;
};
static const struct passthrough_uart known_uarts[] = {
    /* QEMU virt's PL011 */
    { 0x09000000, 33, "arm,pl011\0arm,primecell", "uartclk\0apb_pclk",
      sizeof "arm,pl011\0arm,primecell", sizeof "uartclk\0apb_pclk", "ttyAMA0" },
    /* Odroid-C4: AO UART A, the board's serial header */
    { 0xff803000, 225, "amlogic,meson-gx-uart\0amlogic,meson-ao-uart", "xtal\0pclk\0baud",
      sizeof "amlogic,meson-gx-uart\0amlogic,meson-ao-uart", sizeof "xtal\0pclk\0baud",
      "ttyAML0,115200" },
};

uintptr_t guest_ram_vaddr, guest_ram_size;
uintptr_t guest_kernel_vaddr, guest_kernel_size;
uintptr_t guest_initrd_vaddr, guest_initrd_size;
uintptr_t guest_uart_paddr;     /* 0: the emulated PL011 is the console */

static struct vmm_guest guest;
static struct vmm_console console;
static struct vmm_linux linux_boot;
static char cmdline[160];
static unsigned restarts;
static uint64_t boot_ticks, boot_idle_ticks;
static bool prompt_seen;
static struct vmm_fdt_device uart_device;

/* The guest's start (vmm_vcpu_boot follows at once). */
static void boot_started(void)
{
    prompt_seen = false;
    boot_ticks = vmm_arch_counter();
    boot_idle_ticks = guest.stats.idle_ticks;
}

/*
 * The first shell prompt since the guest started: how long it took, and
 * how much of that the guest was idle (stopped in WFI). Under QEMU -icount
 * shift=0 a nanosecond of virtual time is an instruction while the CPU
 * runs; make bench reports the time the guest was not idle as the boot's
 * instructions (docs/bench.md). (The PMU cannot count it: the guest's
 * kernel turns off EL0 access to the PMU when it sets its CPU up.)
 */
static void boot_finished(void)
{
    uint64_t hz = vmm_arch_counter_hz(), t = vmm_arch_counter() - boot_ticks;
    uint64_t idle = guest.stats.idle_ticks - boot_idle_ticks;
    prompt_seen = true;
    if (!hz)
        return;
    vmm_printf(&guest, "the guest's shell prompt came %lu ms after its start (%lu ms of it idle)\n",
               (unsigned long)(t * 1000 / hz), (unsigned long)(idle * 1000 / hz));
    char line[96];
    format_buf(line, sizeof line, "BENCH|VM linux_boot n=1 ns=%lu idle_ns=%lu\n",
               (unsigned long)(t * 1000 / hz * 1000000 + t * 1000 % hz * 1000000 / hz),
               (unsigned long)(idle * 1000 / hz * 1000000 + idle * 1000 % hz * 1000000 / hz));
    microkit_dbg_puts(line);
}

static void console_write(const char *s)
{
    serial_puts(s);
    serial_flush();
    /* The prompt is written out when the guest idles (busybox may add a
       terminal query after it). */
    if (!prompt_seen && strstr(s, ":/# "))
        boot_finished();
}

static void watch_line(struct vmm_console *c, const char *line)
{
    if (strstr(line, "Kernel panic - not syncing"))
        vmm_printf(c->guest, "the guest's kernel panicked: %s\n", line);
}

static void wake_after(struct vmm_guest *g, uint64_t ns)
{
    (void)g;
    timer_set_timeout(CH_TIMER, ns);
}

static void reload(struct vmm_guest *g)
{
    struct linux_layout layout;
    vmm_linux_load(g, &linux_boot, &layout);
    boot_started();
}

static bool on_event(struct vmm_guest *g, unsigned vcpu, enum vmm_event event,
                     const struct vmm_fault *f)
{
    switch (event) {
    case VMM_EVENT_SYSTEM_OFF:
        vmm_printf(g, "the guest powered off\n");
        return false;
    case VMM_EVENT_SYSTEM_RESET:
        vmm_printf(g, "the guest asked for a reset\n");
        break;
    case VMM_EVENT_UNHANDLED_FAULT:
        vmm_printf(g, "vcpu %u: unhandled fault (seL4 fault %lu) at ip 0x%lx, address 0x%lx, "
                   "syndrome 0x%lx\n",
                   vcpu, (unsigned long)f->label, (unsigned long)f->ip, (unsigned long)f->addr,
                   (unsigned long)f->esr);
        break;
    }
    vmm_guest_stop(g);
    if (restarts == MAX_RESTARTS) {
        vmm_printf(g, "restarted %u times already: the guest stays stopped\n", restarts);
        return false;
    }
    restarts++;
    vmm_printf(g, "restarting the guest (restart %u)\n", restarts);
    if (!guest_uart_paddr)
        vmm_console_flush(&console);
    vmm_guest_restart(g, reload);
    return false;
}

static const struct passthrough_uart *find_uart(uintptr_t paddr)
{
    for (unsigned i = 0; i < sizeof known_uarts / sizeof known_uarts[0]; i++)
        if (known_uarts[i].paddr == paddr)
            return &known_uarts[i];
    return NULL;
}

/* The guest's own UART (pass-through): its device node and interrupt;
   false (reported) if this VMM does not know it or the system left out
   its interrupt. */
static bool passthrough_console(void)
{
    const struct passthrough_uart *u = find_uart(guest_uart_paddr);
    if (!u) {
        vmm_printf(&guest, "no UART known at 0x%lx to pass through\n",
                   (unsigned long)guest_uart_paddr);
        return false;
    }
    if (!microkit_channel_valid(microkit_irqs, CH_UART_IRQ) ||
        !vmm_passthrough_irq(&guest, CH_UART_IRQ, (unsigned)u->irq)) {
        vmm_printf(&guest, "the UART's interrupt must be this PD's irq id %u\n", CH_UART_IRQ);
        return false;
    }
    uart_device = (struct vmm_fdt_device){
        .node = "serial", .compatible = u->compatible, .compatible_len = u->compatible_len,
        .base = u->paddr, .size = 0x1000, .irq = u->irq, .clock_names = u->clock_names,
        .clock_names_len = u->clock_names_len, .stdout_path = true,
    };
    linux_boot.devices = &uart_device;
    linux_boot.device_count = 1;
    format_buf(cmdline, sizeof cmdline, "console=%s quiet panic=-1 vmname=%s", u->console,
               microkit_name);
    return true;
}

/* The emulated PL011 on the system's serial port. */
static void emulated_console(void)
{
    serial_init(CH_SERIAL_TX, CH_SERIAL_RX);
    vmm_console_init(&console, &guest, GUEST_UART, GUEST_UART_IRQ, NULL);
    console.write = console_write;
    console.on_line = watch_line;
    console.read = serial_getchar;
    format_buf(cmdline, sizeof cmdline, "console=ttyAMA0 quiet panic=-1 vmname=%s",
               microkit_name);
    linux_boot.uart_base = GUEST_UART;
    linux_boot.uart_irq = GUEST_UART_IRQ;
}

void init(void)
{
    struct vmm_guest_config config = {
        .name = microkit_name, .num_vcpus = vmm_vcpus_given(), .ram_base = GUEST_RAM_IPA,
        .ram_size = guest_ram_size, .ram = (void *)guest_ram_vaddr, .gicd_base = GUEST_GICD,
        .on_event = on_event,
        .wake_after = microkit_channel_valid(microkit_pps, CH_TIMER) ? wake_after : NULL,
    };
    vmm_guest_init(&guest, &config);
    linux_boot = (struct vmm_linux){
        .kernel = (const void *)guest_kernel_vaddr, .kernel_size = guest_kernel_size,
        .initrd = (const void *)guest_initrd_vaddr, .initrd_size = guest_initrd_size,
        .cmdline = cmdline, .gicc_base = GUEST_GICC,
    };
    if (guest_uart_paddr) {
        if (!passthrough_console())
            return;
    } else {
        emulated_console();
    }
    vmm_printf(&guest, "booting Linux (%s)\n", cmdline);
    struct linux_layout layout;
    if (!vmm_linux_load(&guest, &linux_boot, &layout))
        return;
    boot_started();
    vmm_vcpu_boot(&guest, 0, layout.kernel, layout.dtb);
}

seL4_Bool fault(microkit_child vcpu, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    return vmm_fault(&guest, vcpu, msginfo, reply);
}

void notified(microkit_channel ch)
{
    if (ch == CH_SERIAL_RX && !guest_uart_paddr)
        vmm_console_pull(&console);
    else if (ch == CH_TIMER)
        vmm_wake(&guest);
    else
        vmm_notified(&guest, ch);
}
