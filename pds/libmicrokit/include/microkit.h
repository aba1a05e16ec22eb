/*
 * libmicrokit: the protection-domain API of seL4 Microkit (AArch64), same
 * names, types and semantics, so a PD written for Microkit builds here
 * unchanged. A PD provides init() and notified(), and protected() if it
 * receives protected procedure calls, fault() if it has children.
 *
 * Channel, IRQ and PPC ids are checked against the masks the monitor writes
 * into each PD (microkit_irqs, microkit_notifications, microkit_pps); an
 * invalid id prints a message and the call does nothing.
 */
#ifndef MICROKIT_H
#define MICROKIT_H

/* The kernel configuration (CONFIG_ALLOW_SMC_CALLS...) under seL4's header
   name: generated in the build (include/kernel/gen_config.h) and shipped
   in the SDK, so a PD sees it however it is compiled. */
#include <kernel/gen_config.h>
/* Microkit's header brings these in, and Microkit programs rely on it
   (uintptr_t setvar variables, bool). */
#include <stdbool.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <pd_layout.h>
#include "microkit_counts.h"

typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef unsigned int microkit_ioport;
typedef seL4_MessageInfo_t microkit_msginfo;

#define MICROKIT_MAX_CHANNELS       PD_MAX_CHANNELS
#define MICROKIT_MAX_CHANNEL_ID     (MICROKIT_MAX_CHANNELS - 1)
#define MICROKIT_PD_NAME_LENGTH     PD_NAME_LENGTH
#define MICROKIT_MAX_USER_CAPS      128

#define MICROKIT_MAX_IOPORT_ID      MICROKIT_MAX_CHANNELS

/* Capability slots of a PD's Microkit CNode (pd_layout.h, which the
   monitor builds it by), with Microkit's names where its header has them. */
#define MICROKIT_INPUT_CAP          PD_SLOT_INPUT
#define MICROKIT_FAULT_EP_CAP       PD_SLOT_FAULT_EP
#define MICROKIT_VSPACE_CAP         PD_SLOT_VSPACE
#define MICROKIT_REPLY_CAP          PD_SLOT_REPLY
#define MONITOR_EP                  PD_SLOT_MONITOR_EP  /* passive PDs */
#define TCB_CAP                     PD_SLOT_TCB         /* benchmark configurations */
#define ARM_SMC_CAP                 PD_SLOT_SMC         /* PDs with smc="true" */
#define BASE_OUTPUT_NOTIFICATION_CAP PD_SLOT_NOTIFY_BASE
#define BASE_ENDPOINT_CAP           PD_SLOT_PPC_BASE
#define BASE_IRQ_CAP                PD_SLOT_IRQ_BASE
#define BASE_TCB_CAP                PD_SLOT_CHILD_BASE
#define BASE_VM_TCB_CAP             PD_SLOT_VCPU_TCB_BASE
#define BASE_VCPU_CAP               PD_SLOT_VCPU_BASE
/* Microkit's names for slot ranges this platform never fills (x86 I/O
   ports; user caps live in the root CNode here), for source compatibility. */
#define BASE_IOPORT_CAP             394
#define BASE_USER_CAPS              458

/* The root CNode: slot 0 holds the CNode above, 1..63 the <cspace> shares. */
#define PD_ROOT_CAP_BITS            PD_ROOT_CNODE_BITS
#define PD_ROOT_CAP_SIZE            (1ULL << PD_ROOT_CAP_BITS)

/* Badge bits the event loop decodes. */
#define MICROKIT_PPC_BADGE          PD_BADGE_PPC
#define MICROKIT_FAULT_BADGE        PD_BADGE_FAULT

/* Entry points provided by the PD. */
void init(void);
void notified(microkit_channel ch);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

/* Written by the monitor before the PD starts. */
extern char microkit_name[MICROKIT_PD_NAME_LENGTH];
extern seL4_Bool microkit_passive;
extern seL4_Word microkit_irqs;
extern seL4_Word microkit_notifications;
extern seL4_Word microkit_pps;
extern seL4_Word microkit_ioports;

/* The one deferred operation of the current entry point (see main.c). */
extern seL4_Bool microkit_have_signal;
extern seL4_CPtr microkit_signal_cap;
extern seL4_MessageInfo_t microkit_signal_msg;

/* Debug output (nothing without a printing kernel). */
void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);
void microkit_dbg_put8(seL4_Uint8 x);
void microkit_dbg_put32(seL4_Uint32 x);

/* Report an unrecoverable error through a fault the monitor decodes. */
void microkit_internal_crash(seL4_Error err) __attribute__((noreturn));

static inline seL4_Bool microkit_channel_valid(seL4_Word mask, microkit_channel ch)
{
    return ch <= MICROKIT_MAX_CHANNEL_ID && ((mask >> ch) & 1);
}

static inline void microkit_invalid_channel(const char *fn, microkit_channel ch)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(fn);
    microkit_dbg_puts(": invalid channel given '");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("'\n");
}

static inline void microkit_notify(microkit_channel ch)
{
    if (!microkit_channel_valid(microkit_notifications, ch)) {
        microkit_invalid_channel("microkit_notify", ch);
        return;
    }
    MICROKIT_COUNT_CHANNEL(notifications_sent, ch);
    seL4_Signal(BASE_OUTPUT_NOTIFICATION_CAP + ch);
}

static inline void microkit_irq_ack(microkit_channel ch)
{
    if (!microkit_channel_valid(microkit_irqs, ch)) {
        microkit_invalid_channel("microkit_irq_ack", ch);
        return;
    }
    MICROKIT_COUNT_CHANNEL(irq_acks, ch);
    seL4_IRQHandler_Ack(BASE_IRQ_CAP + ch);
}

static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    if (!microkit_channel_valid(microkit_pps, ch)) {
        microkit_invalid_channel("microkit_ppcall", ch);
        return seL4_MessageInfo_new(0, 0, 0, 0);
    }
    MICROKIT_COUNT_CHANNEL(ppcs_sent, ch);
    return seL4_Call(BASE_ENDPOINT_CAP + ch, msginfo);
}

/* Sent when the entry point returns, folded into the next receive. Only one
   deferred operation per entry point: a later one replaces it. */
static inline void microkit_deferred_notify(microkit_channel ch)
{
    if (!microkit_channel_valid(microkit_notifications, ch)) {
        microkit_invalid_channel("microkit_deferred_notify", ch);
        return;
    }
    MICROKIT_COUNT_CHANNEL(notifications_sent, ch);
    microkit_have_signal = seL4_True;
    microkit_signal_msg = seL4_MessageInfo_new(0, 0, 0, 0);
    microkit_signal_cap = BASE_OUTPUT_NOTIFICATION_CAP + ch;
}

static inline void microkit_deferred_irq_ack(microkit_channel ch)
{
    if (!microkit_channel_valid(microkit_irqs, ch)) {
        microkit_invalid_channel("microkit_deferred_irq_ack", ch);
        return;
    }
    MICROKIT_COUNT_CHANNEL(irq_acks, ch);
    microkit_have_signal = seL4_True;
    microkit_signal_msg = seL4_MessageInfo_new(IRQAckIRQ, 0, 0, 0);
    microkit_signal_cap = BASE_IRQ_CAP + ch;
}

/* The names of Microkit 1.x, kept so that older PDs build. */
static inline void microkit_notify_delayed(microkit_channel ch)
{
    microkit_deferred_notify(ch);
}

static inline void microkit_irq_ack_delayed(microkit_channel ch)
{
    microkit_deferred_irq_ack(ch);
}

static inline microkit_msginfo microkit_msginfo_new(seL4_Word label, seL4_Uint16 count)
{
    return seL4_MessageInfo_new(label, 0, 0, count);
}

static inline seL4_Word microkit_msginfo_get_label(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_label(msginfo);
}

static inline seL4_Word microkit_msginfo_get_count(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_length(msginfo);
}

static inline void microkit_mr_set(seL4_Uint8 mr, seL4_Word value)
{
    seL4_SetMR(mr, value);
}

static inline seL4_Word microkit_mr_get(seL4_Uint8 mr)
{
    return seL4_GetMR(mr);
}

static inline void microkit_check_child(const char *fn, seL4_Error err)
{
    if (err != seL4_NoError) {
        microkit_dbg_puts(fn);
        microkit_dbg_puts(": error\n");
        microkit_internal_crash(err);
    }
}

/* Start the thread of TCB `tcb` at `pc`, only its PC written (a child PD
   or a vCPU). */
static inline void microkit_internal_restart(const char *fn, seL4_CPtr tcb, seL4_Word pc)
{
    seL4_UserContext ctxt = { 0 };
    ctxt.pc = pc;
    microkit_check_child(fn, seL4_TCB_WriteRegisters(tcb, seL4_True, 0, 1, &ctxt));
}

/* Restart child `pd` at `entry_point` (0x200000 is a PD's _start). */
static inline void microkit_pd_restart(microkit_child pd, seL4_Word entry_point)
{
    microkit_internal_restart("microkit_pd_restart", BASE_TCB_CAP + pd, entry_point);
}

static inline void microkit_pd_stop(microkit_child pd)
{
    microkit_check_child("microkit_pd_stop", seL4_TCB_Suspend(BASE_TCB_CAP + pd));
}

static inline void microkit_pd_resume(microkit_child pd)
{
    microkit_check_child("microkit_pd_resume", seL4_TCB_Resume(BASE_TCB_CAP + pd));
}

static inline seL4_CPtr microkit_cspace_root_slot_to_cptr(seL4_Word slot)
{
    if (slot == 0 || slot >= 64)
        return seL4_CapNull;
    return slot << (seL4_WordBits - 6);
}

#ifdef CONFIG_ALLOW_SMC_CALLS
/* x0..x7 to the firmware and back; the PD needs smc="true". */
static inline void microkit_arm_smc_call(seL4_ARM_SMCContext *args, seL4_ARM_SMCContext *response)
{
    seL4_Error err = seL4_ARM_SMC_Call(ARM_SMC_CAP, args, response);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_arm_smc_call: error making SMC call\n");
        microkit_internal_crash(err);
    }
}
#else
void microkit_arm_smc_call(seL4_ARM_SMCContext *args, seL4_ARM_SMCContext *response)
    __attribute__((error("SMC calls need a kernel with CONFIG_ALLOW_SMC_CALLS")));
#endif

/*
 * Virtual machines (microkit.md 1.5): a PD with a <virtual_machine> holds
 * each vCPU's TCB in BASE_VM_TCB_CAP + id and its vCPU object in
 * BASE_VCPU_CAP + id; the vCPUs start suspended, and their faults reach the
 * PD's fault() with the vCPU id as the child. They exist only with a
 * hypervisor kernel: elsewhere using these functions stops the build.
 */
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/* Start (or start again) vCPU `vcpu` at guest address `entry_point`; its
   other registers keep their values (the VMM sets them beforehand). */
static inline void microkit_vcpu_restart(microkit_child vcpu, seL4_Word entry_point)
{
    microkit_internal_restart("microkit_vcpu_restart", BASE_VM_TCB_CAP + vcpu, entry_point);
}

static inline void microkit_vcpu_stop(microkit_child vcpu)
{
    microkit_check_child("microkit_vcpu_stop", seL4_TCB_Suspend(BASE_VM_TCB_CAP + vcpu));
}

/* Queue virtual interrupt `irq` in list register `index` of the vCPU's
   GIC interface. */
static inline void microkit_vcpu_arm_inject_irq(microkit_child vcpu, seL4_Uint16 irq,
                                                seL4_Uint8 priority, seL4_Uint8 group,
                                                seL4_Uint8 index)
{
    microkit_check_child("microkit_vcpu_arm_inject_irq",
                         seL4_ARM_VCPU_InjectIRQ(BASE_VCPU_CAP + vcpu, irq, priority, group, index));
}

/* Unmask the per-CPU interrupt (the virtual timer) a VPPI event delivered. */
static inline void microkit_vcpu_arm_ack_vppi(microkit_child vcpu, seL4_Word irq)
{
    microkit_check_child("microkit_vcpu_arm_ack_vppi",
                         seL4_ARM_VCPU_AckVPPI(BASE_VCPU_CAP + vcpu, irq));
}

/* `reg` is a seL4_VCPUReg: an EL1 system register the vCPU owns. */
static inline seL4_Word microkit_vcpu_arm_read_reg(microkit_child vcpu, seL4_Word reg)
{
    seL4_ARM_VCPU_ReadRegs_t ret = seL4_ARM_VCPU_ReadRegs(BASE_VCPU_CAP + vcpu, (seL4_VCPUReg)reg);
    microkit_check_child("microkit_vcpu_arm_read_reg", (seL4_Error)ret.error);
    return ret.value;
}

static inline void microkit_vcpu_arm_write_reg(microkit_child vcpu, seL4_Word reg, seL4_Word value)
{
    microkit_check_child("microkit_vcpu_arm_write_reg",
                         seL4_ARM_VCPU_WriteRegs(BASE_VCPU_CAP + vcpu, (seL4_VCPUReg)reg, value));
}
#else
#define MICROKIT_NO_VCPU __attribute__((error( \
    "virtual machines need a hypervisor kernel: set CONFIG_KERNEL_EL2=y (make menuconfig)")))
void microkit_vcpu_restart(microkit_child vcpu, seL4_Word entry_point) MICROKIT_NO_VCPU;
void microkit_vcpu_stop(microkit_child vcpu) MICROKIT_NO_VCPU;
void microkit_vcpu_arm_inject_irq(microkit_child vcpu, seL4_Uint16 irq, seL4_Uint8 priority,
                                  seL4_Uint8 group, seL4_Uint8 index) MICROKIT_NO_VCPU;
void microkit_vcpu_arm_ack_vppi(microkit_child vcpu, seL4_Word irq) MICROKIT_NO_VCPU;
seL4_Word microkit_vcpu_arm_read_reg(microkit_child vcpu, seL4_Word reg) MICROKIT_NO_VCPU;
void microkit_vcpu_arm_write_reg(microkit_child vcpu, seL4_Word reg, seL4_Word value) MICROKIT_NO_VCPU;
#endif

#endif
