/*
 * Host unit tests of libvmm (pds/libvmm) against a simulated kernel
 * (fake_arch.c), built with ASan and UBSan by run.sh: the register order
 * of seL4's TCB calls, MMIO syndrome decoding, PSCI, the virtual GIC
 * distributor and list registers, the PL011 and console, the fault paths
 * of a guest, the Linux Image header and layout, and the device tree.
 *
 *   test_vmm [DTB-OUTPUT]   also writes the generated device tree there
 *
 * The last line is "N passed, N failed".
 */
#include "fake_arch.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmm/console.h>
#include <vmm/guest_fdt.h>
#include <vmm/linux.h>
#include <vmm/mmio.h>
#include <vmm/pl011.h>
#include <vmm/psci.h>
#include <vmm/vgic.h>
#include <vmm/vmm.h>

#include "../../../pds/libvmm/src/sel4_context.h"

static unsigned passed, failed;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (cond) {                                                                    \
            passed++;                                                                  \
        } else {                                                                       \
            failed++;                                                                  \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
        }                                                                              \
    } while (0)

#define GICD 0x08000000ull
#define UART 0x09000000ull
#define RAM 0x40000000ull
#define RAM_SIZE 0x4000000ull   /* 64 MiB */

/* ESR of a data abort: ISV, SAS, SSE, SRT, SF, WnR, IL. */
static uint64_t dabt(unsigned size_log2, unsigned reg, bool write, bool sse, bool sf)
{
    return (uint64_t)ESR_EC_DABT_LOWER << 26 | ESR_IL | 1u << 24 | size_log2 << 22 |
           (sse ? 1u << 21 : 0) | reg << 16 | (sf ? 1u << 15 : 0) | (write ? 1u << 6 : 0);
}

/* ------------------------------------------------------------ seL4 order */

static void test_context_order(void)
{
    /* seL4_UserContext: pc sp spsr x0-x8 x16-x18 x29 x30 x9-x15 x19-x28 tpidr tpidrro */
    CHECK(sel4_context_index(0) == 3);
    CHECK(sel4_context_index(8) == 11);
    CHECK(sel4_context_index(16) == 12);
    CHECK(sel4_context_index(18) == 14);
    CHECK(sel4_context_index(29) == 15);
    CHECK(sel4_context_index(30) == 16);
    CHECK(sel4_context_index(9) == 17);
    CHECK(sel4_context_index(15) == 23);
    CHECK(sel4_context_index(19) == 24);
    CHECK(sel4_context_index(28) == 33);
    bool seen[SEL4_CONTEXT_WORDS] = { false };
    bool distinct = true;
    for (unsigned n = 0; n < 31; n++) {
        unsigned i = sel4_context_index(n);
        distinct &= i >= 3 && i < 34 && !seen[i];
        seen[i] = true;
    }
    CHECK(distinct);
    CHECK(sel4_context_words(0) == 3);      /* pc, sp, spsr only */
    CHECK(sel4_context_words(4) == 7);      /* x0-x3 for PSCI */
    CHECK(sel4_context_words(10) == 18);    /* x9 comes after x30 */
    CHECK(sel4_context_words(31) == 34);
    struct vmm_regs r = { .pc = 1, .sp = 2, .spsr = 3 }, back;
    for (unsigned n = 0; n < 31; n++)
        r.x[n] = 100 + n;
    uint64_t words[SEL4_CONTEXT_WORDS] = { 0 };
    sel4_context_from_regs(&r, words);
    sel4_context_to_regs(words, SEL4_CONTEXT_WORDS, &back);
    CHECK(memcmp(&r, &back, sizeof r) == 0);
    CHECK(words[17] == 109);
}

/* ------------------------------------------------------------ MMIO */

static void test_mmio_decode(void)
{
    struct mmio_access a;
    CHECK(mmio_decode(dabt(2, 5, true, false, false), &a));
    CHECK(a.write && a.size == 4 && a.reg == 5 && !a.sign_extend);
    CHECK(mmio_decode(dabt(0, 31, false, false, false), &a));
    CHECK(!a.write && a.size == 1 && a.reg == 31);
    /* No ISV: a pair or write-back access cannot be emulated. */
    CHECK(!mmio_decode((uint64_t)ESR_EC_DABT_LOWER << 26 | ESR_IL, &a));
    /* Not a data abort. */
    CHECK(!mmio_decode((uint64_t)ESR_EC_SMC64 << 26 | 1u << 24, &a));

    struct vmm_regs regs = { 0 };
    regs.x[3] = 0x1122334455667788ull;
    CHECK(mmio_decode(dabt(1, 3, true, false, false), &a));
    CHECK(mmio_store_value(&regs, &a) == 0x7788);
    CHECK(mmio_decode(dabt(0, 31, true, false, false), &a));
    CHECK(mmio_store_value(&regs, &a) == 0);                /* xzr */
    /* ldrsb x7: sign-extended to 64 bits. */
    CHECK(mmio_decode(dabt(0, 7, false, true, true), &a));
    mmio_load_result(&regs, &a, 0x80);
    CHECK(regs.x[7] == 0xffffffffffffff80ull);
    /* ldrsh w7: sign-extended to 32, upper half zero. */
    CHECK(mmio_decode(dabt(1, 7, false, true, false), &a));
    mmio_load_result(&regs, &a, 0x8001);
    CHECK(regs.x[7] == 0xffff8001ull);
    /* ldr w2: zero-extended; extra bits from the device are cut. */
    CHECK(mmio_decode(dabt(2, 2, false, false, false), &a));
    mmio_load_result(&regs, &a, 0xabcdef0012345678ull);
    CHECK(regs.x[2] == 0x12345678ull);
    CHECK(mmio_regs_needed(&a) == 3);
    CHECK(esr_instruction_length(dabt(2, 2, false, false, false)) == 4);
}

/* ------------------------------------------------------------ PSCI */

static void test_psci(void)
{
    bool on[2] = { true, false };
    struct psci_vcpus vcpus = { 2, on };
    struct psci_call c = { PSCI_VERSION, { 0 } };
    struct psci_decision d = psci_decide(&c, 0, &vcpus);
    CHECK(d.action == PSCI_ACTION_RETURN && d.result == PSCI_VERSION_1_0);

    c = (struct psci_call){ PSCI_CPU_ON, { 1, 0x40080000, 0x1234 } };
    d = psci_decide(&c, 0, &vcpus);
    CHECK(d.action == PSCI_ACTION_CPU_ON && d.target == 1 && d.entry == 0x40080000 &&
          d.context == 0x1234 && d.result == PSCI_SUCCESS);
    c.arg[0] = 0;
    d = psci_decide(&c, 0, &vcpus);
    CHECK(d.action == PSCI_ACTION_RETURN && d.result == PSCI_ALREADY_ON);
    c.arg[0] = 2;
    d = psci_decide(&c, 0, &vcpus);
    CHECK(d.result == PSCI_INVALID_PARAMETERS);
    c.arg[0] = 0x100;                       /* Aff1 = 1: no such cluster */
    d = psci_decide(&c, 0, &vcpus);
    CHECK(d.result == PSCI_INVALID_PARAMETERS);
    /* SMC32 CPU_ON: arguments in the low halves. */
    c = (struct psci_call){ 0x84000003, { 0xffffffff00000001ull, 0x40080000, 0 } };
    d = psci_decide(&c, 0, &vcpus);
    CHECK(d.action == PSCI_ACTION_CPU_ON && d.target == 1);

    c = (struct psci_call){ PSCI_AFFINITY_INFO, { 1, 0, 0 } };
    CHECK(psci_decide(&c, 0, &vcpus).result == PSCI_AFFINITY_OFF);
    c.arg[0] = 0;
    CHECK(psci_decide(&c, 0, &vcpus).result == PSCI_AFFINITY_ON);
    c = (struct psci_call){ PSCI_SYSTEM_OFF, { 0 } };
    CHECK(psci_decide(&c, 0, &vcpus).action == PSCI_ACTION_SYSTEM_OFF);
    c = (struct psci_call){ PSCI_SYSTEM_RESET, { 0 } };
    CHECK(psci_decide(&c, 0, &vcpus).action == PSCI_ACTION_SYSTEM_RESET);
    c = (struct psci_call){ PSCI_CPU_OFF, { 0 } };
    CHECK(psci_decide(&c, 1, &vcpus).action == PSCI_ACTION_CPU_OFF);
    c = (struct psci_call){ PSCI_FEATURES, { PSCI_CPU_ON, 0, 0 } };
    CHECK(psci_decide(&c, 0, &vcpus).result == PSCI_SUCCESS);
    c.arg[0] = PSCI_SYSTEM_RESET;
    CHECK(psci_decide(&c, 0, &vcpus).result == PSCI_SUCCESS);
    c.arg[0] = PSCI_CPU_SUSPEND;
    CHECK(psci_decide(&c, 0, &vcpus).result == PSCI_NOT_SUPPORTED);
    c = (struct psci_call){ PSCI_MIGRATE_INFO_TYPE, { 0 } };
    CHECK(psci_decide(&c, 0, &vcpus).result == PSCI_TOS_NOT_PRESENT);
    c = (struct psci_call){ 0xc2000001, { 0 } };    /* a SiP call */
    CHECK(psci_decide(&c, 0, &vcpus).result == PSCI_NOT_SUPPORTED);
    c = (struct psci_call){ SMCCC_VERSION, { 0 } };
    CHECK(psci_decide(&c, 0, &vcpus).result == PSCI_NOT_SUPPORTED);
}

/* ------------------------------------------------------------ vGIC */

static unsigned acks[VGIC_NUM_IRQS];
static void count_ack(unsigned vcpu, unsigned irq, void *cookie)
{
    (void)vcpu;
    (void)cookie;
    acks[irq]++;
}

static void gic_enable(struct vgic *gic, unsigned vcpu, unsigned irq)
{
    vgic_dist_write(gic, vcpu, 0x100 + 4 * (irq / 32), 4, 1u << (irq % 32));
}

static void test_vgic_registers(void)
{
    fake_reset();
    struct vgic gic;
    vgic_init(&gic, 2);
    uint32_t typer = vgic_dist_read(&gic, 0, 0x004, 4);
    CHECK((typer & 0x1f) == VGIC_NUM_IRQS / 32 - 1);
    CHECK(((typer >> 5) & 7) == 1);                 /* two CPU interfaces */
    CHECK(vgic_dist_read(&gic, 0, 0x008, 4) == 0x0200143b);
    CHECK((vgic_dist_read(&gic, 0, 0xfe8, 4) & 0xf0) == 0x20);     /* GICv2 */
    vgic_dist_write(&gic, 0, 0x000, 4, 0xff);
    CHECK(vgic_dist_read(&gic, 0, 0x000, 4) == 3);
    /* Priorities are byte-accessible, and banked for private interrupts. */
    vgic_dist_write(&gic, 0, 0x400 + 27, 1, 0xa0);
    vgic_dist_write(&gic, 1, 0x400 + 27, 1, 0x40);
    CHECK(vgic_dist_read(&gic, 0, 0x400 + 24, 4) == 0xa0000000u);
    CHECK(vgic_dist_read(&gic, 1, 0x400 + 27, 1) == 0x40);
    vgic_dist_write(&gic, 0, 0x400 + 40, 4, 0x11223344);
    CHECK(vgic_dist_read(&gic, 1, 0x400 + 41, 1) == 0x33);
    /* Private targets read as the reading CPU and ignore writes. */
    CHECK(vgic_dist_read(&gic, 1, 0x800, 4) == 0x02020202u);
    vgic_dist_write(&gic, 0, 0x800, 4, 0xffffffff);
    CHECK(vgic_dist_read(&gic, 0, 0x800, 1) == 0x01);
    /* Shared targets: only existing CPUs. */
    vgic_dist_write(&gic, 0, 0x800 + 33, 1, 0xff);
    CHECK(vgic_dist_read(&gic, 0, 0x800 + 33, 1) == 0x03);
    /* Set/clear enable, banked for private interrupts. */
    vgic_dist_write(&gic, 0, 0x100, 4, 1u << 27);
    CHECK(vgic_dist_read(&gic, 0, 0x100, 4) == 1u << 27);
    CHECK(vgic_dist_read(&gic, 1, 0x100, 4) == 0);
    vgic_dist_write(&gic, 0, 0x104, 4, 0x6);
    CHECK(vgic_dist_read(&gic, 1, 0x184, 4) == 0x6);
    vgic_dist_write(&gic, 0, 0x184, 4, 0x2);
    CHECK(vgic_dist_read(&gic, 0, 0x104, 4) == 0x4);
    /* Configuration: SGIs stay edge; SPIs take the guest's choice. */
    vgic_dist_write(&gic, 0, 0xc00, 4, 0);
    CHECK(vgic_dist_read(&gic, 0, 0xc00, 4) == 0xaaaaaaaau);
    vgic_dist_write(&gic, 0, 0xc08, 4, 0x8);
    CHECK(vgic_dist_read(&gic, 0, 0xc08, 4) == 0x8);
    /* Groups. */
    vgic_dist_write(&gic, 0, 0x084, 4, 0xf0);
    CHECK(vgic_dist_read(&gic, 0, 0x084, 4) == 0xf0);
    /* Out of range and reserved: zero, no crash. */
    CHECK(vgic_dist_read(&gic, 0, 0x2000, 4) == 0);
    CHECK(vgic_dist_read(&gic, 5, 0x0, 4) == 0);
    vgic_dist_write(&gic, 0, 0xd00, 4, 0xffffffff);
    CHECK(vgic_dist_read(&gic, 0, 0x500, 4) == 0);  /* IPRIORITYR beyond the lines */
}

static void test_vgic_delivery(void)
{
    fake_reset();
    memset(acks, 0, sizeof acks);
    struct vgic gic;
    vgic_init(&gic, 2);
    vgic_set_ack(&gic, 0, 40, count_ack, NULL);
    /* Pending but disabled: nothing reaches a list register. */
    CHECK(vgic_raise(&gic, 0, 40));
    CHECK(fake_lr_of(0, 40) < 0);
    vgic_dist_write(&gic, 0, 0x400 + 40, 1, 0xa0);
    gic_enable(&gic, 0, 40);
    CHECK(fake_lr_of(0, 40) < 0);           /* the distributor is still off */
    vgic_dist_write(&gic, 0, 0x000, 4, 1);
    int lr = fake_lr_of(0, 40);
    CHECK(lr >= 0);
    CHECK(lr >= 0 && fake.vcpu[0].lr[lr].priority == 0xa0 >> 3);
    CHECK(vgic_dist_read(&gic, 0, 0x304, 4) & (1u << 8));       /* active: in the guest */
    /* Raised again while the guest has it: delivered after its end. */
    vgic_raise(&gic, 0, 40);
    CHECK(gic.injected == 1);
    fake_guest_eoi(0, (unsigned)lr);
    vgic_maintenance(&gic, 0, lr);
    CHECK(acks[40] == 1);
    CHECK(fake_lr_of(0, 40) >= 0 && gic.injected == 2);
    /* A shared interrupt goes to the CPU its target names. */
    gic_enable(&gic, 0, 41);
    vgic_dist_write(&gic, 0, 0x800 + 41, 1, 0x2);
    vgic_raise(&gic, 0, 41);
    CHECK(fake_lr_of(1, 41) >= 0 && fake_lr_of(0, 41) < 0);
    /* More interrupts than list registers: the rest wait, lowest id first. */
    for (unsigned irq = 50; irq < 56; irq++) {
        gic_enable(&gic, 0, irq);
        vgic_raise(&gic, 0, irq);
    }
    unsigned in_lrs = 0;
    for (unsigned irq = 50; irq < 56; irq++)
        in_lrs += fake_lr_of(0, irq) >= 0;
    CHECK(in_lrs == 3);                     /* one list register holds irq 40 */
    int lr50 = fake_lr_of(0, 50);
    fake_guest_eoi(0, (unsigned)lr50);
    vgic_maintenance(&gic, 0, lr50);
    CHECK(fake_lr_of(0, 53) >= 0 && fake_lr_of(0, 54) < 0);
    /* A maintenance fault for a free or unknown list register changes nothing. */
    uint64_t injected = gic.injected;
    vgic_maintenance(&gic, 0, -1);
    vgic_maintenance(&gic, 0, 63);
    vgic_maintenance(&gic, 7, 0);
    CHECK(gic.injected == injected && gic.lost_maintenance == 2);
    /* Clear-pending before delivery drops it. */
    gic_enable(&gic, 1, 60);
    vgic_dist_write(&gic, 1, 0x800 + 60, 1, 0x2);
    vgic_dist_write(&gic, 1, 0x000, 4, 0);          /* distributor off */
    vgic_raise(&gic, 1, 60);
    CHECK(vgic_dist_read(&gic, 1, 0x204, 4) & (1u << 28));
    vgic_dist_write(&gic, 1, 0x284, 4, 1u << 28);
    vgic_dist_write(&gic, 1, 0x000, 4, 1);
    CHECK(fake_lr_of(1, 60) < 0);
    /* Level interrupts that go quiet before delivery are dropped too. */
    vgic_dist_write(&gic, 0, 0x000, 4, 0);
    gic_enable(&gic, 0, 61);
    vgic_raise(&gic, 0, 61);
    vgic_lower(&gic, 0, 61);
    vgic_dist_write(&gic, 0, 0x000, 4, 1);
    CHECK(fake_lr_of(0, 61) < 0);
    CHECK(!vgic_raise(&gic, 0, VGIC_NUM_IRQS));
    CHECK(!vgic_raise(&gic, 2, 27));                /* no such vCPU */
}

static void test_vgic_sgi_and_limits(void)
{
    fake_reset();
    struct vgic gic;
    vgic_init(&gic, 2);
    vgic_dist_write(&gic, 0, 0x000, 4, 1);
    vgic_dist_write(&gic, 1, 0x100, 4, 0xffff);     /* SGIs on vCPU 1 */
    vgic_dist_write(&gic, 0, 0xf00, 4, (2u << 16) | 5);     /* SGI 5 to CPU 1 */
    CHECK(fake_lr_of(1, 5) >= 0 && fake_lr_of(0, 5) < 0);
    vgic_dist_write(&gic, 1, 0xf00, 4, (1u << 24) | 6);     /* to the others */
    CHECK(fake_lr_of(0, 6) < 0);                    /* disabled on vCPU 0: waits */
    CHECK(vgic_dist_read(&gic, 0, 0xf14, 4) == (0x2u << 16));  /* SGI 6 from CPU 1 */
    vgic_dist_write(&gic, 0, 0xf14, 4, 0xff << 16);
    CHECK(vgic_dist_read(&gic, 0, 0xf14, 4) == 0);
    vgic_dist_write(&gic, 1, 0xf00, 4, (2u << 24) | 7);     /* to itself */
    CHECK(fake_lr_of(1, 7) >= 0);
    vgic_dist_write(&gic, 0, 0xf00, 4, (3u << 24) | 8);     /* reserved filter */
    CHECK(fake_lr_of(0, 8) < 0 && fake_lr_of(1, 8) < 0);
    /* A kernel with only two list registers: the library learns it. */
    fake_reset();
    fake.num_lrs = 2;
    vgic_init(&gic, 1);
    vgic_dist_write(&gic, 0, 0x000, 4, 1);
    for (unsigned irq = 32; irq < 36; irq++) {
        gic_enable(&gic, 0, irq);
        vgic_raise(&gic, 0, irq);
    }
    CHECK(fake_lr_of(0, 32) >= 0 && fake_lr_of(0, 33) >= 0 && gic.num_lrs <= 3);
    fake_guest_eoi(0, 0);
    vgic_maintenance(&gic, 0, 0);
    CHECK(fake_lr_of(0, 34) == 0);
    /* Reset: interrupts left in list registers are acknowledged. */
    memset(acks, 0, sizeof acks);
    vgic_set_ack(&gic, 0, 34, count_ack, NULL);
    vgic_reset(&gic);
    CHECK(acks[34] == 1);
    CHECK(vgic_dist_read(&gic, 0, 0x104, 4) == 0 && vgic_dist_read(&gic, 0, 0, 4) == 0);
}

/* ------------------------------------------------------------ PL011 */

static char tx_text[256];
static unsigned tx_len, irq_changes;
static bool irq_level, full;
static void tx_byte(void *ctx, uint8_t c)
{
    (void)ctx;
    if (tx_len + 1 < sizeof tx_text)
        tx_text[tx_len++] = (char)c;
}
static bool tx_is_full(void *ctx)
{
    (void)ctx;
    return full;
}
static void irq_line(void *ctx, bool level)
{
    (void)ctx;
    irq_level = level;
    irq_changes++;
}

static void test_pl011(void)
{
    struct pl011 u;
    struct pl011_backend b = { .tx = tx_byte, .tx_full = tx_is_full, .irq = irq_line };
    tx_len = 0;
    full = false;
    pl011_init(&u, &b);
    /* Linux's AMBA bus identifies the device by these. */
    CHECK(pl011_read(&u, 0xfe0) == 0x11 && pl011_read(&u, 0xfe4) == 0x10);
    CHECK(pl011_read(&u, 0xff0) == 0x0d && pl011_read(&u, 0xffc) == 0xb1);
    CHECK(pl011_read(&u, 0x018) & (1u << 4));       /* RXFE */
    CHECK(pl011_read(&u, 0x018) & (1u << 7));       /* TXFE */
    pl011_write(&u, 0x000, 'h');
    pl011_write(&u, 0x000, 'i');
    CHECK(tx_len == 2 && memcmp(tx_text, "hi", 2) == 0);
    CHECK(pl011_read(&u, 0x03c) & (1u << 5));       /* TXIS raw */
    CHECK(!irq_level);                              /* masked */
    pl011_write(&u, 0x038, 1u << 5);                /* unmask TX */
    CHECK(irq_level && pl011_read(&u, 0x040) == (1u << 5));
    pl011_write(&u, 0x044, 1u << 5);                /* clear */
    CHECK(!irq_level);
    /* Receive: the FIFO, its flags and interrupt. */
    pl011_write(&u, 0x038, 3u << 4);                /* RX and TX */
    CHECK(pl011_receive(&u, 'a') && pl011_receive(&u, 'b'));
    CHECK(irq_level && !(pl011_read(&u, 0x018) & (1u << 4)));
    pl011_write(&u, 0x044, 3u << 4);                /* ICR while bytes wait */
    CHECK(irq_level);                               /* still asserted */
    CHECK(pl011_read(&u, 0x000) == 'a' && pl011_read(&u, 0x000) == 'b');
    CHECK(!irq_level && (pl011_read(&u, 0x018) & (1u << 4)));
    CHECK(pl011_read(&u, 0x000) == 0);              /* empty FIFO reads 0 */
    for (unsigned i = 0; i < PL011_RX_FIFO; i++)
        pl011_receive(&u, 'x');
    CHECK(!pl011_receive(&u, 'y') && u.rx_dropped == 1);
    CHECK(pl011_read(&u, 0x018) & (1u << 6));       /* RXFF */
    /* A full backend: TXFF, and bytes written anyway are lost. */
    full = true;
    CHECK(pl011_read(&u, 0x018) & (1u << 5));
    pl011_write(&u, 0x000, 'z');
    CHECK(tx_len == 2);
    full = false;
    pl011_tx_ready(&u);
    CHECK(pl011_read(&u, 0x03c) & (1u << 5));
    /* Registers keep what the guest writes, within their widths. */
    pl011_write(&u, 0x024, 0x1234567);
    pl011_write(&u, 0x02c, 0x70);
    pl011_write(&u, 0x030, 0x301);
    CHECK(pl011_read(&u, 0x024) == 0x4567 && pl011_read(&u, 0x02c) == 0x70 &&
          pl011_read(&u, 0x030) == 0x301);
    CHECK(pl011_read(&u, 0x800) == 0);
}

/* ------------------------------------------------------------ a guest */

static uint8_t *ram;
static struct vmm_guest guest;
static enum vmm_event last_event;
static unsigned events;

static bool record_event(struct vmm_guest *g, unsigned vcpu, enum vmm_event event,
                         const struct vmm_fault *f)
{
    (void)g;
    (void)vcpu;
    (void)f;
    last_event = event;
    events++;
    return false;
}

static void new_guest(unsigned vcpus)
{
    fake_reset();
    events = 0;
    struct vmm_guest_config config = {
        .name = "test", .num_vcpus = vcpus, .ram_base = RAM, .ram_size = RAM_SIZE, .ram = ram,
        .gicd_base = GICD, .on_event = record_event,
    };
    vmm_guest_init(&guest, &config);
}

static struct vmm_fault vm_fault(uint64_t addr, uint64_t esr)
{
    return (struct vmm_fault){ .kind = VMM_FAULT_VM, .addr = addr, .esr = esr, .ip = 0x1000 };
}

static struct vmm_fault vcpu_fault(unsigned ec)
{
    return (struct vmm_fault){ .kind = VMM_FAULT_VCPU, .esr = (uint64_t)ec << 26 | ESR_IL };
}

static void test_guest_mmio(void)
{
    new_guest(1);
    struct fake_vcpu *v = &fake.vcpu[0];
    v->regs.pc = 0x40080000;
    /* str w1, [GICD_CTLR] */
    v->regs.x[1] = 1;
    struct vmm_fault f = vm_fault(GICD, dabt(2, 1, true, false, false));
    CHECK(vmm_handle_fault(&guest, 0, &f));
    CHECK(guest.gic.ctlr == 1 && v->regs.pc == 0x40080004);
    /* ldr w20, [GICD_TYPER]: the value lands in x20, the rest untouched. */
    v->regs.x[19] = 0x1919;
    f = vm_fault(GICD + 4, dabt(2, 20, false, false, false));
    CHECK(vmm_handle_fault(&guest, 0, &f));
    CHECK(v->regs.x[20] == (VGIC_NUM_IRQS / 32 - 1) && v->regs.x[19] == 0x1919);
    CHECK(v->last_read_upto == 21 && v->regs.pc == 0x40080008);
    CHECK(guest.stats.mmio_reads == 1 && guest.stats.mmio_writes == 1);
    /* Nothing emulated there: the guest stops and the VMM hears of it. */
    f = vm_fault(0x0a000000, dabt(2, 1, true, false, false));
    CHECK(!vmm_handle_fault(&guest, 0, &f));
    CHECK(events == 1 && last_event == VMM_EVENT_UNHANDLED_FAULT);
    /* An access the syndrome does not describe (no ISV). */
    f = vm_fault(GICD, (uint64_t)ESR_EC_DABT_LOWER << 26);
    CHECK(!vmm_handle_fault(&guest, 0, &f));
    /* An instruction fetch from a device. */
    f = vm_fault(GICD, 0);
    f.instruction = true;
    CHECK(!vmm_handle_fault(&guest, 0, &f));
    /* A vCPU the guest does not have. */
    f = vm_fault(GICD, dabt(2, 1, true, false, false));
    CHECK(!vmm_handle_fault(&guest, 3, &f));
    /* Devices may not overlap; the table is bounded. */
    struct mmio_device d = { .name = "x", .base = GICD + 0x800, .size = 0x1000 };
    CHECK(!vmm_mmio_register(&guest, &d));
    d.base = 0x0a000000;
    d.size = 0;
    CHECK(!vmm_mmio_register(&guest, &d));
    unsigned added = 0;
    for (unsigned i = 0; i < 2 * VMM_MAX_MMIO; i++) {
        d.base = 0x10000000 + 0x1000ull * i;
        d.size = 0x1000;
        added += vmm_mmio_register(&guest, &d);
    }
    CHECK(added == VMM_MAX_MMIO - 1);
    CHECK(vmm_guest_ram(&guest, RAM, RAM_SIZE) == ram);
    CHECK(vmm_guest_ram(&guest, RAM + RAM_SIZE - 4, 8) == NULL);
    CHECK(vmm_guest_ram(&guest, RAM - 1, 1) == NULL);
}

static bool own_call(struct vmm_guest *g, unsigned vcpu, const uint64_t *args, uint64_t *x0)
{
    (void)g;
    (void)vcpu;
    if (args[0] != 0xc6000001)
        return false;
    *x0 = args[1] + 1;
    return true;
}

static void test_guest_psci(void)
{
    new_guest(2);
    struct fake_vcpu *v = &fake.vcpu[0];
    vmm_vcpu_boot(&guest, 0, 0x40000000, 0x43e00000);
    CHECK(v->running && v->regs.pc == 0x40000000 && v->regs.x[0] == 0x43e00000);
    CHECK(v->regs.spsr == 0x3c5);                   /* EL1h, interrupts masked */
    CHECK(v->sysreg[0] == 0x30d00800);              /* SCTLR: MMU off */
    /* SMC: PSCI_VERSION, the PC steps over the SMC. */
    v->regs.pc = 0x40001000;
    v->regs.x[0] = PSCI_VERSION;
    struct vmm_fault f = vcpu_fault(ESR_EC_SMC64);
    CHECK(vmm_handle_fault(&guest, 0, &f));
    CHECK(v->regs.x[0] == PSCI_VERSION_1_0 && v->regs.pc == 0x40001004);
    /* HVC: the PC is already past it. */
    v->regs.x[0] = PSCI_VERSION;
    f = vcpu_fault(ESR_EC_HVC64);
    CHECK(vmm_handle_fault(&guest, 0, &f));
    CHECK(v->regs.x[0] == PSCI_VERSION_1_0 && v->regs.pc == 0x40001004);
    /* CPU_ON starts vCPU 1 at its entry with its context in x0. */
    v->regs.x[0] = PSCI_CPU_ON;
    v->regs.x[1] = 1;
    v->regs.x[2] = 0x40100000;
    v->regs.x[3] = 0xc0ffee;
    f = vcpu_fault(ESR_EC_SMC64);
    CHECK(vmm_handle_fault(&guest, 0, &f));
    CHECK(v->regs.x[0] == 0);
    CHECK(fake.vcpu[1].running && fake.vcpu[1].regs.pc == 0x40100000 &&
          fake.vcpu[1].regs.x[0] == 0xc0ffee && fake.vcpu[1].sysreg[16] == 0x80000001u);
    v->regs.x[0] = PSCI_CPU_ON;
    CHECK(vmm_handle_fault(&guest, 0, &f));
    CHECK((int64_t)v->regs.x[0] == PSCI_ALREADY_ON);
    /* CPU_OFF stops the caller and does not answer. */
    fake.vcpu[1].regs.x[0] = PSCI_CPU_OFF;
    CHECK(!vmm_handle_fault(&guest, 1, &f));
    CHECK(fake.vcpu[1].stopped && !guest.vcpu_on[1]);
    /* WFI without a VMM timer: on past it. */
    uint64_t pc = v->regs.pc;
    f = vcpu_fault(ESR_EC_WFX);
    CHECK(vmm_handle_fault(&guest, 0, &f) && v->regs.pc == pc + 4);
    /* SYSTEM_RESET and SYSTEM_OFF stop the guest and ask the VMM. */
    v->regs.x[0] = PSCI_SYSTEM_RESET;
    f = vcpu_fault(ESR_EC_SMC64);
    CHECK(!vmm_handle_fault(&guest, 0, &f));
    CHECK(last_event == VMM_EVENT_SYSTEM_RESET && v->stopped);
    vmm_guest_restart(&guest, NULL);
    CHECK(v->running && v->regs.pc == 0x40000000 && v->regs.x[0] == 0x43e00000 &&
          guest.stats.resets == 1);
    v->regs.x[0] = PSCI_SYSTEM_OFF;
    CHECK(!vmm_handle_fault(&guest, 0, &f));
    CHECK(last_event == VMM_EVENT_SYSTEM_OFF);
    /* HVC as seL4 delivers it (an unknown system call): registers in the
     * message, back in the reply, the pc past the HVC. */
    struct vmm_fault hvc = { .kind = VMM_FAULT_HVC, .label = 2 };
    hvc.regs.x[0] = PSCI_VERSION;
    hvc.regs.x[5] = 55;
    hvc.regs.pc = 0x40003000;
    CHECK(vmm_handle_fault(&guest, 0, &hvc) && hvc.reply_regs);
    CHECK(hvc.regs.x[0] == PSCI_VERSION_1_0 && hvc.regs.pc == 0x40003004 && hvc.regs.x[5] == 55);
    hvc = (struct vmm_fault){ .kind = VMM_FAULT_HVC, .label = 2 };
    hvc.regs.x[0] = 0x86000000;                 /* a vendor call nobody answers */
    CHECK(vmm_handle_fault(&guest, 0, &hvc) && (int64_t)hvc.regs.x[0] == PSCI_NOT_SUPPORTED);
    hvc.regs.x[0] = PSCI_SYSTEM_OFF;
    hvc.reply_regs = false;
    CHECK(!vmm_handle_fault(&guest, 0, &hvc) && !hvc.reply_regs && last_event == VMM_EVENT_SYSTEM_OFF);
    /* The VMM's own hypercalls come first; the rest go to PSCI. */
    guest.config.hypercall = own_call;
    v->regs.x[0] = 0xc6000001;
    v->regs.x[1] = 41;
    f = vcpu_fault(ESR_EC_SMC64);
    CHECK(vmm_handle_fault(&guest, 0, &f) && v->regs.x[0] == 42);
    hvc = (struct vmm_fault){ .kind = VMM_FAULT_HVC, .label = 2 };
    hvc.regs.x[0] = 0xc6000001;
    hvc.regs.x[1] = 1;
    CHECK(vmm_handle_fault(&guest, 0, &hvc) && hvc.regs.x[0] == 2);
    v->regs.x[0] = PSCI_VERSION;
    CHECK(vmm_handle_fault(&guest, 0, &f) && v->regs.x[0] == PSCI_VERSION_1_0);
    guest.config.hypercall = NULL;
    /* Other trapped instructions are the VMM's problem. */
    f = vcpu_fault(ESR_EC_SYSREG);
    CHECK(!vmm_handle_fault(&guest, 0, &f) && last_event == VMM_EVENT_UNHANDLED_FAULT);
    struct vmm_fault other = { .kind = VMM_FAULT_OTHER, .label = 3 };
    CHECK(!vmm_handle_fault(&guest, 0, &other));
}

static void test_guest_interrupts(void)
{
    new_guest(1);
    vmm_vcpu_boot(&guest, 0, RAM, 0);
    struct fake_vcpu *v = &fake.vcpu[0];
    /* The guest enables its distributor and the virtual timer's PPI. */
    v->regs.x[1] = 1;
    struct vmm_fault f = vm_fault(GICD, dabt(2, 1, true, false, false));
    vmm_handle_fault(&guest, 0, &f);
    v->regs.x[1] = 1u << 27;
    f = vm_fault(GICD + 0x100, dabt(2, 1, true, false, false));
    vmm_handle_fault(&guest, 0, &f);
    /* Its timer fires: VPPI event -> PPI 27 in a list register. */
    struct vmm_fault vppi = { .kind = VMM_FAULT_VPPI, .irq = 27 };
    CHECK(vmm_handle_fault(&guest, 0, &vppi));
    int lr = fake_lr_of(0, 27);
    CHECK(lr >= 0 && v->vppi_acks == 0);
    /* It ends the interrupt: the kernel's maintenance fault, then AckVPPI. */
    fake_guest_eoi(0, (unsigned)lr);
    struct vmm_fault m = { .kind = VMM_FAULT_VGIC_MAINTENANCE, .lr = lr };
    CHECK(vmm_handle_fault(&guest, 0, &m));
    CHECK(v->vppi_acks == 1);
    /* A passed-through device interrupt: channel 5 -> SPI 79. */
    CHECK(vmm_passthrough_irq(&guest, 5, 79));
    CHECK(!vmm_passthrough_irq(&guest, 6, 20));     /* private ids cannot be */
    CHECK(!vmm_passthrough_irq(&guest, 6, VGIC_NUM_IRQS));
    gic_enable(&guest.gic, 0, 79);
    CHECK(vmm_notified(&guest, 5) && !vmm_notified(&guest, 4));
    lr = fake_lr_of(0, 79);
    CHECK(lr >= 0 && fake.irq_acks[5] == 0);
    fake_guest_eoi(0, (unsigned)lr);
    m.lr = lr;
    vmm_handle_fault(&guest, 0, &m);
    CHECK(fake.irq_acks[5] == 1);
    /* A restart acknowledges what the old guest left in list registers. */
    vmm_handle_fault(&guest, 0, &vppi);
    CHECK(fake_lr_of(0, 27) >= 0);
    vmm_guest_restart(&guest, NULL);
    CHECK(v->vppi_acks == 2);
}

static uint64_t wake_ns;
static unsigned wake_requests;
static void wake_after(struct vmm_guest *g, uint64_t ns)
{
    (void)g;
    wake_ns = ns;
    wake_requests++;
}

static void test_idle(void)
{
    new_guest(1);
    guest.config.wake_after = wake_after;
    wake_requests = 0;
    vmm_vcpu_boot(&guest, 0, RAM, 0);
    struct fake_vcpu *v = &fake.vcpu[0];
    v->regs.pc = 0x40001000;
    v->regs.sp = 0x40200000;
    struct vmm_fault wfi = vcpu_fault(ESR_EC_WFX);
    /* Timer off: the vCPU stops until an interrupt comes, no timeout. */
    v->sysreg[VMM_VCPUREG_CNTV_CTL] = 0;
    CHECK(!vmm_handle_fault(&guest, 0, &wfi));
    CHECK(guest.vcpu_idle[0] && wake_requests == 0);
    /* An interrupt for it: it runs again, past the WFI, its stack kept. */
    vgic_dist_write(&guest.gic, 0, 0x000, 4, 1);
    gic_enable(&guest.gic, 0, 40);
    v->running = false;
    v->regs.pc = 0;
    vgic_raise(&guest.gic, 0, 40);
    CHECK(!guest.vcpu_idle[0] && v->running && v->regs.pc == 0x40001004 &&
          v->regs.sp == 0x40200000);
    /* With that interrupt still in a list register a WFI returns at once. */
    v->regs.pc = 0x40001000;
    CHECK(vmm_handle_fault(&guest, 0, &wfi) && v->regs.pc == 0x40001004);
    fake_guest_eoi(0, (unsigned)fake_lr_of(0, 40));
    struct vmm_fault m = { .kind = VMM_FAULT_VGIC_MAINTENANCE, .lr = 0 };
    vmm_handle_fault(&guest, 0, &m);
    /* Timer armed 1 ms ahead (62500 ticks at 62.5 MHz): wake in 1 ms. */
    fake.counter = 1000000;
    v->sysreg[VMM_VCPUREG_CNTVOFF] = 400;
    v->sysreg[VMM_VCPUREG_CNTV_CTL] = 1;
    v->sysreg[VMM_VCPUREG_CNTV_CVAL] = 1000000 - 400 + 62500;
    v->regs.pc = 0x40002000;
    CHECK(!vmm_handle_fault(&guest, 0, &wfi));
    CHECK(wake_requests == 1 && wake_ns == 1000000);
    v->running = false;
    vmm_wake(&guest);
    CHECK(v->running && v->regs.pc == 0x40002004 && guest.stats.idle_wakes == 2);
    /* Masked, or already due: no waiting. */
    v->sysreg[VMM_VCPUREG_CNTV_CTL] = 3;
    CHECK(!vmm_handle_fault(&guest, 0, &wfi) && wake_requests == 1);
    vmm_wake(&guest);
    v->sysreg[VMM_VCPUREG_CNTV_CTL] = 1;
    v->sysreg[VMM_VCPUREG_CNTV_CVAL] = 10;
    CHECK(vmm_handle_fault(&guest, 0, &wfi) && !guest.vcpu_idle[0]);
    /* Stopping the guest forgets the idle vCPU. */
    v->sysreg[VMM_VCPUREG_CNTV_CVAL] = ~0ull;
    CHECK(!vmm_handle_fault(&guest, 0, &wfi) && guest.vcpu_idle[0]);
    vmm_guest_stop(&guest);
    CHECK(!guest.vcpu_idle[0]);
    unsigned writes = v->writes;
    vmm_wake(&guest);
    CHECK(v->writes == writes);
}

/* Two idle vCPUs share the VMM's one timeout: each request is for the
   earliest deadline of those idle, never a later one replacing it. */
static void test_idle_two_vcpus(void)
{
    new_guest(2);
    guest.config.wake_after = wake_after;
    wake_requests = 0;
    fake.counter = 1000000;
    vmm_vcpu_boot(&guest, 0, RAM, 0);
    vmm_vcpu_boot(&guest, 1, RAM, 0);
    struct vmm_fault wfi = vcpu_fault(ESR_EC_WFX);
    for (unsigned v = 0; v < 2; v++)
        fake.vcpu[v].sysreg[VMM_VCPUREG_CNTV_CTL] = 1;
    /* vCPU 0 due in 1 ms, then vCPU 1 in 5 ms: still 1 ms. */
    fake.vcpu[0].sysreg[VMM_VCPUREG_CNTV_CVAL] = 1000000 + 62500;
    CHECK(!vmm_handle_fault(&guest, 0, &wfi) && wake_requests == 1 && wake_ns == 1000000);
    fake.vcpu[1].sysreg[VMM_VCPUREG_CNTV_CVAL] = 1000000 + 5 * 62500;
    CHECK(!vmm_handle_fault(&guest, 1, &wfi) && wake_requests == 2 && wake_ns == 1000000);
    /* Woken: both run; vCPU 1 idles again 2 ms later, with 3 ms to go. */
    vmm_wake(&guest);
    CHECK(!guest.vcpu_idle[0] && !guest.vcpu_idle[1]);
    fake.counter += 2 * 62500;
    CHECK(!vmm_handle_fault(&guest, 1, &wfi) && wake_ns == 3000000);
    /* vCPU 0's next deadline, 2 ms away, is the earlier one now. */
    fake.vcpu[0].sysreg[VMM_VCPUREG_CNTV_CVAL] = fake.counter + 2 * 62500;
    CHECK(!vmm_handle_fault(&guest, 0, &wfi) && wake_ns == 2000000);
    /* An idle vCPU without a timer asks for nothing. */
    vmm_wake(&guest);
    fake.vcpu[1].sysreg[VMM_VCPUREG_CNTV_CTL] = 0;
    unsigned before = wake_requests;
    CHECK(!vmm_handle_fault(&guest, 1, &wfi) && wake_requests == before);
}

/* An IPI between vCPUs: vCPU 0's write of GICD_SGIR (a stage-2 fault)
   puts the SGI into a list register of vCPU 1, which idled in WFI and
   runs again; vCPU 1's end of it frees the list register. */
static void test_sgi_wakes_other_vcpu(void)
{
    new_guest(2);
    guest.config.wake_after = wake_after;
    vmm_vcpu_boot(&guest, 0, RAM, 0);
    vmm_vcpu_boot(&guest, 1, RAM, 0);
    vgic_dist_write(&guest.gic, 0, 0x000, 4, 1);
    gic_enable(&guest.gic, 1, 1);               /* SGI 1, banked: vCPU 1's */
    fake.vcpu[1].sysreg[VMM_VCPUREG_CNTV_CTL] = 0;
    struct vmm_fault wfi = vcpu_fault(ESR_EC_WFX);
    CHECK(!vmm_handle_fault(&guest, 1, &wfi) && guest.vcpu_idle[1]);
    fake.vcpu[1].running = false;
    fake.vcpu[0].regs.x[2] = (2u << 16) | 1;    /* SGI 1, target list: CPU 1 */
    struct vmm_fault sgir = vm_fault(GICD + 0xf00, dabt(2, 2, true, false, false));
    CHECK(vmm_handle_fault(&guest, 0, &sgir));
    int lr = fake_lr_of(1, 1);
    CHECK(lr >= 0 && fake_lr_of(0, 1) < 0);
    CHECK(!guest.vcpu_idle[1] && fake.vcpu[1].running);
    /* The source (CPU 0) shows in vCPU 1's SPENDSGIR until delivery. */
    CHECK(vgic_dist_read(&guest.gic, 1, 0xf20, 4) == 0);
    fake_guest_eoi(1, (unsigned)lr);
    struct vmm_fault m = { .kind = VMM_FAULT_VGIC_MAINTENANCE, .lr = lr };
    CHECK(vmm_handle_fault(&guest, 1, &m) && fake_lr_of(1, 1) < 0);
    /* Sent again while vCPU 1 runs: straight into a list register. */
    CHECK(vmm_handle_fault(&guest, 0, &sgir) && fake_lr_of(1, 1) >= 0);
}

static char console_out[1024];
static unsigned console_len, lines_seen;
static void console_write(const char *s)
{
    size_t n = strlen(s);
    if (console_len + n < sizeof console_out) {
        memcpy(console_out + console_len, s, n + 1);
        console_len += (unsigned)n;
    }
}
static void console_line(struct vmm_console *c, const char *line)
{
    (void)c;
    if (strstr(line, "Kernel panic"))
        lines_seen++;
}

static void uart_write(uint32_t offset, uint32_t value)
{
    fake.vcpu[0].regs.x[2] = value;
    struct vmm_fault f = vm_fault(UART + offset, dabt(2, 2, true, false, false));
    vmm_handle_fault(&guest, 0, &f);
}

static uint32_t uart_read(uint32_t offset)
{
    struct vmm_fault f = vm_fault(UART + offset, dabt(2, 2, false, false, false));
    vmm_handle_fault(&guest, 0, &f);
    return (uint32_t)fake.vcpu[0].regs.x[2];
}

static void test_console(void)
{
    new_guest(1);
    static struct vmm_console con;
    CHECK(vmm_console_init(&con, &guest, UART, 33, "[vm] "));
    con.write = console_write;
    con.on_line = console_line;
    console_len = 0;
    lines_seen = 0;
    vmm_vcpu_boot(&guest, 0, RAM, 0);
    for (const char *s = "Kernel panic - not syncing\r\n~ # "; *s; s++)
        uart_write(0x000, (uint8_t)*s);
    CHECK(strcmp(console_out, "[vm] Kernel panic - not syncing\n") == 0);
    CHECK(lines_seen == 1);
    /* The driver masks its transmit interrupt: the prompt comes out. */
    uart_write(0x038, 1u << 5);
    uart_write(0x038, 0);
    CHECK(strcmp(console_out, "[vm] Kernel panic - not syncing\n[vm] ~ # ") == 0);
    /* So does a vCPU going idle after a prompt (Linux writes short output
     * without the transmit interrupt). */
    uart_write(0x000, '$');
    struct vmm_fault wfi = vcpu_fault(ESR_EC_WFX);
    vmm_handle_fault(&guest, 0, &wfi);
    CHECK(strcmp(console_out, "[vm] Kernel panic - not syncing\n[vm] ~ # $") == 0);
    /* A line written out in parts (its vCPU, or another one, idled in
     * between) continues without a new prefix, and its watcher sees it
     * whole. */
    uart_write(0x000, '\n');
    console_len = 0;
    for (const char *s = "Kernel pa"; *s; s++)
        uart_write(0x000, (uint8_t)*s);
    vmm_handle_fault(&guest, 0, &wfi);
    CHECK(strcmp(console_out, "[vm] Kernel pa") == 0 && lines_seen == 1);
    for (const char *s = "nic - not syncing\n"; *s; s++)
        uart_write(0x000, (uint8_t)*s);
    CHECK(strcmp(console_out, "[vm] Kernel panic - not syncing\n") == 0 && lines_seen == 2);
    /* Input raises SPI 33 once the guest enabled it. */
    uart_write(0x038, 1u << 4);
    vgic_dist_write(&guest.gic, 0, 0x000, 4, 1);
    gic_enable(&guest.gic, 0, 33);
    CHECK(vmm_console_input(&con, 'l'));
    int lr = fake_lr_of(0, 33);
    CHECK(lr >= 0);
    /* The guest ends the interrupt before reading: still asserted, again. */
    fake_guest_eoi(0, (unsigned)lr);
    struct vmm_fault m = { .kind = VMM_FAULT_VGIC_MAINTENANCE, .lr = lr };
    vmm_handle_fault(&guest, 0, &m);
    lr = fake_lr_of(0, 33);
    CHECK(lr >= 0);
    CHECK(uart_read(0x000) == 'l');
    CHECK(uart_read(0x018) & (1u << 4));
    fake_guest_eoi(0, (unsigned)lr);
    m.lr = lr;
    vmm_handle_fault(&guest, 0, &m);
    CHECK(fake_lr_of(0, 33) < 0);               /* quiet now */
    /* A line longer than the buffer comes out in pieces, nothing lost. */
    console_len = 0;
    for (unsigned i = 0; i < VMM_CONSOLE_LINE + 10; i++)
        uart_write(0x000, 'a');
    uart_write(0x000, '\n');
    CHECK(console_len == VMM_CONSOLE_LINE + 10 + 1 + 2 * 5);
}

/* ------------------------------------------------------------ Linux */

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void make_image(uint8_t *image, size_t size, uint64_t text_offset, uint64_t image_size)
{
    memset(image, 0, size);
    put64(image + 8, text_offset);
    put64(image + 16, image_size);
    image[56] = 'A';
    image[57] = 'R';
    image[58] = 'M';
    image[59] = 0x64;
    for (size_t i = 64; i < size; i++)
        image[i] = (uint8_t)i;
}

static void test_linux(const char *dtb_path)
{
    static uint8_t image[0x20000];
    struct linux_image_info info;
    const char *why = NULL;
    make_image(image, sizeof image, 0, 0x40000);
    CHECK(linux_image_parse(image, sizeof image, &info, &why));
    CHECK(info.text_offset == 0 && info.image_size == 0x40000);
    CHECK(!linux_image_parse(image, 10, &info, &why) && why);
    image[56] = 0x1f;                               /* a gzip'd vmlinuz */
    CHECK(!linux_image_parse(image, sizeof image, &info, &why) && strstr(why, "gunzip"));
    make_image(image, sizeof image, 0, 0x1000);     /* image_size below the file */
    CHECK(!linux_image_parse(image, sizeof image, &info, &why));
    make_image(image, sizeof image, 0, 0x40000);
    image[24] = 1;                                  /* big-endian */
    CHECK(!linux_image_parse(image, sizeof image, &info, &why));
    make_image(image, sizeof image, 0, 0);          /* before 3.17 */
    CHECK(linux_image_parse(image, sizeof image, &info, &why) && info.text_offset == 0x80000);

    struct linux_layout l;
    info = (struct linux_image_info){ 0, 0x2000000, false };
    CHECK(linux_layout(RAM, RAM_SIZE, &info, 0x300000, &l, &why));
    CHECK(l.kernel == RAM && l.kernel_end == RAM + 0x2000000);
    CHECK(l.dtb == RAM + RAM_SIZE - 0x200000 && l.dtb % 0x200000 == 0);
    CHECK(l.initrd_end == l.initrd + 0x300000 && l.initrd_end <= l.dtb && l.initrd % 0x1000 == 0);
    CHECK(!linux_layout(RAM, RAM_SIZE, &info, RAM_SIZE, &l, &why));     /* no room */
    CHECK(!linux_layout(RAM, 0x200000, &info, 0, &l, &why));
    info.image_size = RAM_SIZE;
    CHECK(!linux_layout(RAM, RAM_SIZE, &info, 0x1000, &l, &why));
    info.image_size = 0x100000;
    CHECK(linux_layout(RAM + 0x1000, RAM_SIZE, &info, 0, &l, &why) && l.kernel == RAM + 0x200000);
    CHECK(l.initrd == 0 && l.initrd_end == 0);

    /* Loading and booting: the image, zeroed bss, the initrd, a tree. */
    new_guest(2);
    memset(ram, 0xee, RAM_SIZE);
    make_image(image, sizeof image, 0, 0x40000);
    static const uint8_t initrd[] = "070701 an initramfs";
    struct vmm_linux boot = {
        .kernel = image, .kernel_size = sizeof image, .initrd = initrd,
        .initrd_size = sizeof initrd, .cmdline = "console=ttyAMA0 earlycon",
        .gicc_base = 0x08010000, .uart_base = UART, .uart_irq = 33,
    };
    CHECK(vmm_linux_boot(&guest, &boot));
    CHECK(memcmp(ram, image, sizeof image) == 0);
    CHECK(ram[sizeof image] == 0 && ram[0x40000 - 1] == 0 && ram[0x40000] == 0xee);
    struct fake_vcpu *v = &fake.vcpu[0];
    CHECK(v->running && v->regs.pc == RAM);
    void *fdt = vmm_guest_ram(&guest, v->regs.x[0], 0x1000);
    CHECK(fdt && fdt_check_header(fdt) == 0);
    CHECK(fake.syncs >= 3);
    if (fdt && fdt_check_header(fdt) == 0) {
        int chosen = fdt_path_offset(fdt, "/chosen");
        const char *args = fdt_getprop(fdt, chosen, "bootargs", NULL);
        CHECK(args && strcmp(args, "console=ttyAMA0 earlycon") == 0);
        const fdt64_t *start = fdt_getprop(fdt, chosen, "linux,initrd-start", NULL);
        const fdt64_t *end = fdt_getprop(fdt, chosen, "linux,initrd-end", NULL);
        CHECK(start && end && fdt64_ld(end) - fdt64_ld(start) == sizeof initrd);
        CHECK(start && memcmp(vmm_guest_ram(&guest, fdt64_ld(start), sizeof initrd), initrd,
                              sizeof initrd) == 0);
        const char *out = fdt_getprop(fdt, chosen, "stdout-path", NULL);
        CHECK(out && strcmp(out, "/pl011@9000000") == 0);
        CHECK(fdt_path_offset(fdt, "/cpus/cpu@1") >= 0 && fdt_path_offset(fdt, "/cpus/cpu@2") < 0);
        const char *method = fdt_getprop(fdt, fdt_path_offset(fdt, "/psci"), "method", NULL);
        CHECK(method && strcmp(method, "smc") == 0);
        int gic = fdt_path_offset(fdt, "/intc@8000000");
        CHECK(gic >= 0 && fdt_getprop(fdt, gic, "interrupt-controller", NULL));
        int len = 0;
        const fdt64_t *reg = fdt_getprop(fdt, gic, "reg", &len);
        CHECK(reg && len == 32 && fdt64_ld(reg + 2) == 0x08010000);
        const fdt32_t *irq = fdt_getprop(fdt, fdt_path_offset(fdt, "/pl011@9000000"),
                                         "interrupts", &len);
        CHECK(irq && len == 12 && fdt32_to_cpu(irq[1]) == 1);      /* SPI 1 = id 33 */
        const fdt64_t *mem = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@40000000"), "reg",
                                         &len);
        CHECK(mem && fdt64_ld(mem + 1) == RAM_SIZE);
        if (dtb_path) {
            FILE *f = fopen(dtb_path, "wb");
            CHECK(f && fwrite(fdt, fdt_totalsize(fdt), 1, f) == 1);
            if (f)
                fclose(f);
        }
        /* A supplied tree keeps its nodes and gets this boot's /chosen. */
        static uint8_t adapted[0x10000], supplied[0x10000];
        memcpy(supplied, fdt, fdt_totalsize(fdt));
        struct vmm_fdt_config c = { .ram_base = RAM, .ram_size = 0x1000000,
                                    .bootargs = "root=/dev/vda", .initrd_start = 0,
                                    .initrd_end = 0 };
        CHECK(vmm_fdt_adapt(supplied, adapted, sizeof adapted, &c) == 0);
        args = fdt_getprop(adapted, fdt_path_offset(adapted, "/chosen"), "bootargs", NULL);
        CHECK(args && strcmp(args, "root=/dev/vda") == 0);
        mem = fdt_getprop(adapted, fdt_path_offset(adapted, "/memory@40000000"), "reg", NULL);
        CHECK(mem && fdt64_ld(mem + 1) == 0x1000000);
        CHECK(fdt_path_offset(adapted, "/psci") >= 0);
        memset(supplied, 0, 64);
        CHECK(vmm_fdt_adapt(supplied, adapted, sizeof adapted, &c) < 0);
    }
    /* Passed-through devices become nodes of their own. */
    static uint8_t tree[0x10000];
    static const char meson[] = "amlogic,meson-gx-uart\0amlogic,meson-ao-uart";
    static const char meson_clocks[] = "xtal\0pclk\0baud";
    struct vmm_fdt_device dev = { "serial", meson, sizeof meson, 0xff803000, 0x1000, 225, true,
                                  meson_clocks, sizeof meson_clocks, true };
    struct vmm_fdt_config c = { .ram_base = RAM, .ram_size = RAM_SIZE, .num_vcpus = 1,
                                .gicd_base = 0xffc01000, .gicc_base = 0xffc02000,
                                .devices = &dev, .device_count = 1 };
    CHECK(vmm_fdt_build(tree, sizeof tree, &c) == 0);
    int node = fdt_path_offset(tree, "/serial@ff803000");
    const fdt32_t *irq = fdt_getprop(tree, node, "interrupts", NULL);
    CHECK(node >= 0 && irq && fdt32_to_cpu(irq[1]) == 193 && fdt32_to_cpu(irq[2]) == 1);
    CHECK(fdt_path_offset(tree, "/pl011@9000000") < 0);
    /* Its clocks are the tree's fixed clock, one per name; it is the console. */
    int len = 0;
    const fdt32_t *clocks = fdt_getprop(tree, node, "clocks", &len);
    int clock = fdt_path_offset(tree, "/apb-pclk");
    CHECK(clocks && len == 12 && clock >= 0 && fdt32_to_cpu(clocks[2]) == fdt_get_phandle(tree, clock));
    const char *names = fdt_getprop(tree, node, "clock-names", &len);
    CHECK(names && len == sizeof meson_clocks && memcmp(names, meson_clocks, sizeof meson_clocks) == 0);
    const char *stdout_path = fdt_getprop(tree, fdt_path_offset(tree, "/chosen"), "stdout-path", NULL);
    CHECK(stdout_path && strcmp(stdout_path, "/serial@ff803000") == 0);
    /* Without clock names a device has no clocks, and the tree no clock. */
    dev.clock_names = NULL;
    dev.stdout_path = false;
    CHECK(vmm_fdt_build(tree, sizeof tree, &c) == 0);
    node = fdt_path_offset(tree, "/serial@ff803000");
    CHECK(!fdt_getprop(tree, node, "clocks", NULL) && fdt_path_offset(tree, "/apb-pclk") < 0);
    CHECK(!fdt_getprop(tree, fdt_path_offset(tree, "/chosen"), "stdout-path", NULL));
    CHECK(vmm_fdt_build(tree, 64, &c) < 0);     /* too small a buffer */
    /* What does not fit is refused. */
    new_guest(1);
    boot.initrd_size = RAM_SIZE;
    CHECK(!vmm_linux_boot(&guest, &boot) && strstr(fake.out, "do not fit"));
    CHECK(!fake.vcpu[0].running);
}

int main(int argc, char **argv)
{
    ram = calloc(1, RAM_SIZE);
    if (!ram)
        return 1;
    test_context_order();
    test_mmio_decode();
    test_psci();
    test_vgic_registers();
    test_vgic_delivery();
    test_vgic_sgi_and_limits();
    test_pl011();
    test_guest_mmio();
    test_guest_psci();
    test_guest_interrupts();
    test_idle();
    test_idle_two_vcpus();
    test_sgi_wakes_other_vcpu();
    test_console();
    test_linux(argc > 1 ? argv[1] : NULL);
    free(ram);
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
