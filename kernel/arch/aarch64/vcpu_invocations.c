/*
 * Invocations on VCPU caps (seL4's decodeARMVCPUInvocation): SetTCB,
 * ReadRegs, WriteRegs, InjectIRQ and AckVPPI, with seL4's checks, errors
 * and message layouts.
 */
#include <arch/vcpu.h>
#include <kernel/invocation.h>
#include <kernel/interrupt.h>

#define VIRQ_ID_MAX         1023    /* GICv2 virtual interrupt IDs */
#define VIRQ_PRIORITY_MAX   31      /* five priority bits in a list register */
#define VIRQ_GROUP_MAX      1

static seL4_Error set_tcb(invocation_t *inv, vcpu_t *v)
{
    if (inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t tcb = inv->extra[0]->cap;
    if (cap_get_type(tcb) != cap_thread)
        return inv_error(inv, seL4_IllegalOperation);
    vcpu_bind(v, cap_get_ptr(tcb));
    return seL4_NoError;
}

static seL4_Error read_reg(invocation_t *inv, vcpu_t *v)
{
    if (inv->length < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t field = inv_mr(inv, 0);
    if (field >= seL4_VCPUReg_Num)
        return inv_invalid_argument(inv, 1);
    smp_vcpu_make_local(v);
    reply_mr(inv, 0, vcpu_read_register(v, field));
    return seL4_NoError;
}

static seL4_Error write_reg(invocation_t *inv, vcpu_t *v)
{
    if (inv->length < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t field = inv_mr(inv, 0);
    if (field >= seL4_VCPUReg_Num)
        return inv_invalid_argument(inv, 1);
    smp_vcpu_make_local(v);
    vcpu_write_register(v, field, inv_mr(inv, 1));
    return seL4_NoError;
}

/*
 * MR0 packs virq (bits 0-15), priority (16-23), group (24-31) and the list
 * register index (32-39). Whether the list register is taken is judged by
 * the VCPU's saved copy, as seL4 does (a VMM tracks which ones it used).
 */
static seL4_Error inject_irq(invocation_t *inv, vcpu_t *v)
{
    if (inv->length < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t mr0 = inv_mr(inv, 0);
    word_t virq = mr0 & 0xffff, priority = (mr0 >> 16) & 0xff;
    word_t group = (mr0 >> 24) & 0xff, index = (mr0 >> 32) & 0xff;
    if (virq > VIRQ_ID_MAX) {
        inv->error.invalid_argument = 1;
        return inv_range_error(inv, 0, VIRQ_ID_MAX);
    }
    if (priority > VIRQ_PRIORITY_MAX) {
        inv->error.invalid_argument = 2;
        return inv_range_error(inv, 0, VIRQ_PRIORITY_MAX);
    }
    if (group > VIRQ_GROUP_MAX) {
        inv->error.invalid_argument = 3;
        return inv_range_error(inv, 0, VIRQ_GROUP_MAX);
    }
    if (index >= vgic_list_regs) {
        inv->error.invalid_argument = 4;
        return inv_range_error(inv, 0, vgic_list_regs - 1);
    }
    if ((v->vgic.lr[index] & VGIC_LR_STATE_MASK) == VGIC_LR_STATE_ACTIVE)
        return inv_error(inv, seL4_DeleteFirst);
    uint32_t lr = (uint32_t)virq | VGIC_LR_EOI | ((uint32_t)priority << VGIC_LR_PRIORITY_SHIFT) |
                  VGIC_LR_STATE_PENDING | (group ? VGIC_LR_GROUP1 : 0);
    smp_vcpu_set_list_register(v, (unsigned)index, lr);
    return seL4_NoError;
}

static seL4_Error ack_vppi(invocation_t *inv, vcpu_t *v)
{
    if (inv->length < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t irq = inv_mr(inv, 0);
    if (irq > irq_max())
        return inv_range_error(inv, 0, irq_max());
    if (irq != INTID_VTIMER)
        return inv_invalid_argument(inv, 0);
    /* Unmasked when the VCPU next runs (arch/aarch64/vcpu.c restore_timer). */
    v->vppi_masked[VPPI_VTIMER] = false;
    return seL4_NoError;
}

seL4_Error decode_vcpu(invocation_t *inv)
{
    vcpu_t *v = cap_get_ptr(inv->cap);
    switch (inv->label) {
    case ARMVCPUSetTCB:
        return set_tcb(inv, v);
    case ARMVCPUReadReg:
        return read_reg(inv, v);
    case ARMVCPUWriteReg:
        return write_reg(inv, v);
    case ARMVCPUInjectIRQ:
        return inject_irq(inv, v);
    case ARMVCPUAckVPPI:
        return ack_vppi(inv, v);
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
