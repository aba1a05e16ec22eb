/*
 * Fault reports for exceptions taken while the loader runs (or before the
 * kernel installs its own vectors): decoded ESR, FAR, ELR and the registers,
 * then halt. Called from vectors.S on the exception stack.
 */
#include <esr.h>

#include "loader.h"
#include "sysreg.h"

struct exception_frame {
    uint64_t x[31];
    uint64_t sp;
    uint64_t pad[2];
};

struct syndrome {
    uint64_t esr, far, elr, spsr;
};

void exception_report(const struct exception_frame *frame, unsigned kind);

static const char *const kind_names[] = {
    "synchronous", "IRQ", "FIQ", "SError",
};

static const char *const origin_names[] = {
    "current EL (SP_EL0)", "current EL", "lower EL (AArch64)", "lower EL (AArch32)",
};

static struct syndrome read_syndrome(unsigned el)
{
    switch (el) {
    case 3:
        return (struct syndrome){ read_sysreg(esr_el3), read_sysreg(far_el3),
                                  read_sysreg(elr_el3), read_sysreg(spsr_el3) };
    case 2:
        return (struct syndrome){ read_sysreg(esr_el2), read_sysreg(far_el2),
                                  read_sysreg(elr_el2), read_sysreg(spsr_el2) };
    default:
        return (struct syndrome){ read_sysreg(esr_el1), read_sysreg(far_el1),
                                  read_sysreg(elr_el1), read_sysreg(spsr_el1) };
    }
}

static bool is_abort(unsigned ec)
{
    return ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
}

static void print_registers(const struct exception_frame *frame)
{
    for (unsigned i = 0; i < 28; i += 4)
        log_error("x%-2u 0x%016lx x%-2u 0x%016lx x%-2u 0x%016lx x%-2u 0x%016lx",
                  i, frame->x[i], i + 1, frame->x[i + 1], i + 2, frame->x[i + 2],
                  i + 3, frame->x[i + 3]);
    log_error("x28 0x%016lx x29 0x%016lx x30 0x%016lx sp  0x%016lx",
              frame->x[28], frame->x[29], frame->x[30], frame->sp);
}

void exception_report(const struct exception_frame *frame, unsigned kind)
{
    unsigned el = current_el();
    struct syndrome s = read_syndrome(el);
    unsigned ec = (unsigned)(s.esr >> 26) & 0x3f;

    log_error("exception at EL%u: ESR 0x%lx (EC 0x%x %s), FAR 0x%lx, ELR 0x%lx",
              el, s.esr, ec, esr_class_name(ec), s.far, s.elr);
    log_error("%s exception from the %s, SPSR 0x%lx",
              kind_names[kind & 3], origin_names[(kind >> 2) & 3], s.spsr);
    if (is_abort(ec))
        log_error("fault status 0x%x: %s", (unsigned)(s.esr & 0x3f),
                  esr_fault_status_name((unsigned)(s.esr & 0x3f)));
    print_registers(frame);
    fatal("halted after the exception");
}
