/* The simulated kernel behind include/vmm/arch.h (fake_arch.h). */
#include "fake_arch.h"

#include <string.h>

struct fake fake;

void fake_reset(void)
{
    memset(&fake, 0, sizeof fake);
    fake.num_lrs = 4;
}

bool vmm_arch_read_regs(unsigned vcpu, struct vmm_regs *regs, unsigned upto)
{
    fake.vcpu[vcpu].reads++;
    fake.vcpu[vcpu].last_read_upto = upto;
    *regs = fake.vcpu[vcpu].regs;
    /* Registers the library did not ask for must not be relied upon. */
    for (unsigned n = upto; n < 31; n++)
        regs->x[n] = 0xdeadbeefdeadbeefull;
    return true;
}

bool vmm_arch_write_regs(unsigned vcpu, const struct vmm_regs *regs, unsigned upto, bool resume)
{
    struct fake_vcpu *v = &fake.vcpu[vcpu];
    v->writes++;
    v->regs.pc = regs->pc;
    v->regs.sp = regs->sp;
    v->regs.spsr = regs->spsr;
    for (unsigned n = 0; n < upto && n < 31; n++)
        v->regs.x[n] = regs->x[n];
    if (resume) {
        v->running = true;
        v->stopped = false;
    }
    return true;
}

void vmm_arch_vcpu_stop(unsigned vcpu)
{
    fake.vcpu[vcpu].running = false;
    fake.vcpu[vcpu].stopped = true;
}

bool vmm_arch_inject(unsigned vcpu, uint16_t irq, uint8_t priority, uint8_t group, uint8_t lr)
{
    if (lr >= fake.num_lrs || fake.vcpu[vcpu].lr[lr].used)
        return false;
    fake.vcpu[vcpu].lr[lr] = (struct fake_lr){ true, irq, priority, group };
    return true;
}

void vmm_arch_ack_vppi(unsigned vcpu, uint32_t irq)
{
    (void)irq;
    fake.vcpu[vcpu].vppi_acks++;
}

void vmm_arch_irq_ack(unsigned channel)
{
    if (channel < 64)
        fake.irq_acks[channel]++;
}

uint64_t vmm_arch_read_sysreg(unsigned vcpu, unsigned reg)
{
    return reg < 32 ? fake.vcpu[vcpu].sysreg[reg] : 0;
}

void vmm_arch_write_sysreg(unsigned vcpu, unsigned reg, uint64_t value)
{
    if (reg < 32)
        fake.vcpu[vcpu].sysreg[reg] = value;
}

void vmm_arch_sync_guest_memory(void *start, uint64_t size)
{
    (void)start;
    (void)size;
    fake.syncs++;
}

uint64_t vmm_arch_counter(void)
{
    return fake.counter;
}

uint64_t vmm_arch_guest_counter(unsigned vcpu)
{
    return fake.counter - fake.vcpu[vcpu].sysreg[VMM_VCPUREG_CNTVOFF];
}

uint64_t vmm_arch_counter_hz(void)
{
    return 62500000;
}

void vmm_arch_puts(const char *s)
{
    size_t n = strlen(s);
    if (fake.out_len + n < sizeof fake.out) {
        memcpy(fake.out + fake.out_len, s, n + 1);
        fake.out_len += (unsigned)n;
    }
}

void fake_guest_eoi(unsigned vcpu, unsigned lr)
{
    fake.vcpu[vcpu].lr[lr].used = false;
}

int fake_lr_of(unsigned vcpu, unsigned irq)
{
    for (unsigned lr = 0; lr < fake.num_lrs; lr++)
        if (fake.vcpu[vcpu].lr[lr].used && fake.vcpu[vcpu].lr[lr].irq == irq)
            return (int)lr;
    return -1;
}
