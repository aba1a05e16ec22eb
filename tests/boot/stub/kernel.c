/*
 * Stub kernel for tests/boot/loader_test.sh: checks the loader's entry
 * contract (docs/boot.md) and reports "STUB|PASS ..." or "STUB|FAIL ...",
 * then powers off with PSCI SYSTEM_OFF. The UART is reached through the
 * loader's identity map (TTBR0_EL1, or TTBR0_EL2 beside the window). Built
 * for the configured kernel EL (CONFIG_KERNEL_EL1 or CONFIG_KERNEL_EL2), so
 * the loader test covers both.
 */
#include <arch/vm_layout.h>
#include <board.h>
#include <format.h>
#include <serial.h>
#include <stdbool.h>
#include <stdint.h>

#define FDT_MAGIC       0xd00dfeedu
#define ROOTTASK_MAGIC  "ROOTTASK-STUB-MAGIC"
#define PSCI_SYSTEM_OFF 0x84000008ul

void stub_main(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, uint64_t x5);
void stub_exception(uint64_t esr, uint64_t elr, uint64_t far);

/* Must read back as zero: the loader zeroes the memsz tail of each segment. */
static volatile uint64_t zeroed_bss[512];
static int failures;

#define read_sysreg(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })

#ifdef CONFIG_KERNEL_EL2
#define KERNEL_EL       2ul
#define read_sctlr()    read_sysreg(sctlr_el2)
#else
#define KERNEL_EL       1ul
#define read_sctlr()    read_sysreg(sctlr_el1)
#endif

static void out(char c, void *ctx)
{
    (void)ctx;
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}

#define say(...) format(out, NULL, __VA_ARGS__)

static void check(bool ok, const char *what)
{
    if (!ok) {
        say("STUB|FAIL %s\n", what);
        failures++;
    }
}

static bool bss_is_zero(void)
{
    for (unsigned i = 0; i < sizeof(zeroed_bss) / sizeof(zeroed_bss[0]); i++)
        if (zeroed_bss[i])
            return false;
    return true;
}

static bool roottask_magic_ok(uint64_t entry, uint64_t pv_offset)
{
    const char *p = (const char *)(PPTR_BASE + entry + pv_offset);
    for (const char *m = ROOTTASK_MAGIC; *m; m++, p++)
        if (*p != *m)
            return false;
    return true;
}

static uint32_t be32(uint32_t v)
{
    return __builtin_bswap32(v);
}

static uint64_t psci_call(uint64_t function, bool use_smc)
{
    register uint64_t x0 __asm__("x0") = function;
    if (use_smc)
        __asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    else
        __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    return x0;
}

/* QEMU's PSCI conduit is SMC when the machine has EL2 (virtualization=on), else HVC
 * (an EL2 kernel only runs on a machine with EL2: SMC). */
static void psci_system_off(void)
{
    bool has_el2 = ((read_sysreg(id_aa64pfr0_el1) >> 8) & 0xf) != 0;
    serial_flush();
    uint64_t ret = psci_call(PSCI_SYSTEM_OFF, has_el2);
    say("STUB|PSCI SYSTEM_OFF returned 0x%lx\n", ret);
}

static void check_contract(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
                           uint64_t x5)
{
    check(((read_sysreg(CurrentEL) >> 2) & 3) == KERNEL_EL, "not at the configured kernel EL");
    check((read_sctlr() & 5) == 5, "MMU or D-cache off");
    /* Unsigned: below PPTR_BASE wraps to a huge offset (the EL1 window ends at 2^64). */
    check((uintptr_t)stub_main - PPTR_BASE < (1ul << PPTR_WINDOW_BITS),
          "not running in the kernel window");
    check((read_sysreg(daif) & 0x3c0) == 0x3c0, "interrupts not masked");
    check(x0 % 4096 == 0 && x1 % 4096 == 0 && x0 < x1, "root-task range not page aligned");
    check((x2 & 4095) == 0, "pv_offset not a multiple of 4 KiB");
    check(x3 + x2 >= x0 && x3 + x2 < x1, "root-task entry outside its physical range");
    check(roottask_magic_ok(x3, x2), "root-task bytes not found at entry + pv_offset");
    check(bss_is_zero(), "kernel .bss not zeroed");
    if (x4) {
        const uint32_t *fdt = (const uint32_t *)(PPTR_BASE + x4);
        check(be32(fdt[0]) == FDT_MAGIC, "no FDT magic at x4");
        check(be32(fdt[1]) == x5, "x5 is not the DTB size");
        check(x4 == x1, "DTB not on the page after the root task");
        /* compact: the last block (structure or strings) ends at totalsize */
        uint64_t struct_end = be32(fdt[2]) + be32(fdt[9]), strings_end = be32(fdt[3]) + be32(fdt[8]);
        check((struct_end > strings_end ? struct_end : strings_end) == x5,
              "DTB not compact: its blocks end before totalsize");
    } else {
        check(x5 == 0, "x5 set without a DTB");
    }
}

void stub_main(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, uint64_t x5)
{
    serial_init(BOARD_UART_PHYS);
    say("STUB|kernel entered at EL%lu pc 0x%lx: x0 0x%lx x1 0x%lx x2 0x%lx x3 0x%lx x4 0x%lx x5 0x%lx\n",
        (read_sysreg(CurrentEL) >> 2) & 3, (uint64_t)(uintptr_t)stub_main, x0, x1, x2, x3, x4, x5);
    check_contract(x0, x1, x2, x3, x4, x5);
    if (failures == 0)
        say("STUB|PASS dtb %s\n", x4 ? "yes" : "no");
    psci_system_off();
}

void stub_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
    say("STUB|FAIL exception ESR 0x%lx ELR 0x%lx FAR 0x%lx\n", esr, elr, far);
    serial_flush();
    for (;;)
        __asm__ volatile("wfi");
}
