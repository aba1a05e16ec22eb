/*
 * sel4/invocations.h - kernel-object invocation wrappers (AArch64, MCS),
 * with libsel4's names, argument orders and return conventions.
 *
 * Every wrapper is a seL4_Call on the object's capability whose message
 * is laid out the way seL4's interface generator lays it out:
 *   - capability arguments (other than the invoked one) become extra caps,
 *     in argument order, in IPCBuffer.caps_or_badges[];
 *   - the other arguments are packed, in argument order, into message
 *     words: a word-sized argument starts a new word; sub-word arguments
 *     (seL4_Bool: 1 bit, seL4_Uint8: 8 bits) share a word, each aligned
 *     to its own size;
 *   - MR0..MR3 travel in x2..x5, MR4 and up in IPCBuffer.msg[];
 *   - the reply's label is the seL4_Error; results are read from the
 *     reply's MRs only when it is seL4_NoError. On an error, MR0..MR3 are
 *     copied into the IPC buffer so seL4_GetMR() shows the error details.
 * docs/invocations.md lists label, length, MRs and caps of each one.
 */
#ifndef SEL4_UAPI_INVOCATIONS_H
#define SEL4_UAPI_INVOCATIONS_H

#include <sel4/abi.h>
#include <sel4/syscalls.h>

SEL4_BEGIN_DECLS

/* Result structures: error first, as libsel4 generates them. */
typedef struct seL4_TCB_SetFlags {
    int error;
    seL4_Word flags;
} seL4_TCB_SetFlags_t;

#ifdef CONFIG_HARDWARE_DEBUG_API
typedef struct seL4_TCB_GetBreakpoint {
    int error;
    seL4_Word vaddr;
    seL4_Word type;
    seL4_Word size;
    seL4_Word rw;
    seL4_Bool is_enabled;
} seL4_TCB_GetBreakpoint_t;

typedef struct seL4_TCB_ConfigureSingleStepping {
    int error;
    seL4_Bool bp_was_consumed;
} seL4_TCB_ConfigureSingleStepping_t;
#endif

typedef struct seL4_SchedContext_Consumed {
    int error;
    seL4_Time consumed;
} seL4_SchedContext_Consumed_t;

typedef struct seL4_SchedContext_YieldTo {
    int error;
    seL4_Time consumed;
} seL4_SchedContext_YieldTo_t;

typedef struct seL4_ARM_Page_GetAddress {
    int error;
    seL4_Word paddr;
} seL4_ARM_Page_GetAddress_t;

/*
 * Call `service` with (label, extraCaps = ncaps, length = len). MR0..MR3
 * are in mr[] and are replaced by the reply's; MR4.. and the caps must
 * already be in the IPC buffer.
 */
LIBSEL4_INLINE_FUNC seL4_Error sel4__invoke(seL4_CPtr service, seL4_Word label,
                                            seL4_Word ncaps, seL4_Word len, seL4_Word mr[4])
{
    seL4_Word info = seL4_MessageInfo_new(label, 0, ncaps, len).words[0];
    (void)sel4__sys_sendrecv((seL4_Word)seL4_SysCall, service, &info, mr, 0, 0, 0, 0);
    seL4_Error err = (seL4_Error)seL4_MessageInfo_get_label(sel4__info(info));
    if (err != seL4_NoError) {
        sel4__store_mrs(mr);
    }
    return err;
}

/* Reply MR i of a successful invocation (i < 4 from registers). */
LIBSEL4_INLINE_FUNC seL4_Word sel4__reply_mr(const seL4_Word mr[4], seL4_Word i)
{
    return i < 4 ? mr[i] : seL4_GetMR((int)i);
}

/* Word 0 of the TCB register-transfer invocations: flag bit(s), arch_flags in 15..8. */
LIBSEL4_INLINE_FUNC seL4_Word sel4__flags_word(seL4_Word bits, seL4_Uint8 arch_flags)
{
    return bits | ((seL4_Word)arch_flags << 8);
}

#define SEL4__USERCONTEXT_WORDS (sizeof(seL4_UserContext) / sizeof(seL4_Word))
SEL4_STATIC_ASSERT(sizeof(seL4_UserContext) == 36 * sizeof(seL4_Word),
                   "seL4_UserContext is 36 words");

/* ==== Untyped ============================================================ */

LIBSEL4_INLINE_FUNC seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type,
                                                   seL4_Word size_bits, seL4_CNode root,
                                                   seL4_Word node_index, seL4_Word node_depth,
                                                   seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_Word mr[4] = { type, size_bits, node_index, node_depth };
    seL4_SetCap(0, root);
    seL4_SetMR(4, node_offset);
    seL4_SetMR(5, num_objects);
    return sel4__invoke(_service, UntypedRetype, 1, 6, mr);
}

/* ==== TCB ================================================================ */

/* Reads the first count registers (seL4_UserContext order) into regs. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_ReadRegisters(seL4_TCB _service, seL4_Bool suspend_source,
                                                      seL4_Uint8 arch_flags, seL4_Word count,
                                                      seL4_UserContext *regs)
{
    seL4_Word mr[4] = { sel4__flags_word((seL4_Word)suspend_source & 1u, arch_flags), count, 0, 0 };
    seL4_Error err = sel4__invoke(_service, TCBReadRegisters, 0, 2, mr);
    if (err == seL4_NoError) {
        /* Only the count words the kernel sent are meaningful. */
        seL4_Word n = count < SEL4__USERCONTEXT_WORDS ? count : SEL4__USERCONTEXT_WORDS;
        seL4_Word *w = (seL4_Word *)(void *)regs;
        for (seL4_Word i = 0; i < n; i++) {
            w[i] = sel4__reply_mr(mr, i);
        }
    }
    return err;
}

/*
 * Sets the first count registers from regs. As in libsel4 the whole
 * context is sent (length 38); the kernel uses the first count words.
 */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_WriteRegisters(seL4_TCB _service, seL4_Bool resume_target,
                                                       seL4_Uint8 arch_flags, seL4_Word count,
                                                       seL4_UserContext *regs)
{
    const seL4_Word *w = (const seL4_Word *)(const void *)regs;
    seL4_Word mr[4] = { sel4__flags_word((seL4_Word)resume_target & 1u, arch_flags), count,
                        w[0], w[1] };
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    for (seL4_Word i = 2; i < SEL4__USERCONTEXT_WORDS; i++) {
        b->msg[i + 2] = w[i];
    }
    return sel4__invoke(_service, TCBWriteRegisters, 0, 2 + SEL4__USERCONTEXT_WORDS, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_CopyRegisters(seL4_TCB _service, seL4_TCB source,
                                                      seL4_Bool suspend_source,
                                                      seL4_Bool resume_target,
                                                      seL4_Bool transfer_frame,
                                                      seL4_Bool transfer_integer,
                                                      seL4_Uint8 arch_flags)
{
    seL4_Word bits = ((seL4_Word)suspend_source & 1u) | (((seL4_Word)resume_target & 1u) << 1) |
                     (((seL4_Word)transfer_frame & 1u) << 2) |
                     (((seL4_Word)transfer_integer & 1u) << 3);
    seL4_Word mr[4] = { sel4__flags_word(bits, arch_flags), 0, 0, 0 };
    seL4_SetCap(0, source);
    return sel4__invoke(_service, TCBCopyRegisters, 1, 1, mr);
}

/* MCS form: no fault endpoint (that is set with SetSchedParams/SetSpace). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Configure(seL4_TCB _service, seL4_CNode cspace_root,
                                                  seL4_Word cspace_root_data,
                                                  seL4_CPtr vspace_root,
                                                  seL4_Word vspace_root_data,
                                                  seL4_Word buffer, seL4_CPtr bufferFrame)
{
    seL4_Word mr[4] = { cspace_root_data, vspace_root_data, buffer, 0 };
    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    seL4_SetCap(2, bufferFrame);
    return sel4__invoke(_service, TCBConfigure, 3, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetPriority(seL4_TCB _service, seL4_TCB authority,
                                                    seL4_Word priority)
{
    seL4_Word mr[4] = { priority, 0, 0, 0 };
    seL4_SetCap(0, authority);
    return sel4__invoke(_service, TCBSetPriority, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetMCPriority(seL4_TCB _service, seL4_TCB authority,
                                                      seL4_Word mcp)
{
    seL4_Word mr[4] = { mcp, 0, 0, 0 };
    seL4_SetCap(0, authority);
    return sel4__invoke(_service, TCBSetMCPriority, 1, 1, mr);
}

/* MCS form: also binds the SchedContext and sets the fault endpoint. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetSchedParams(seL4_TCB _service, seL4_TCB authority,
                                                       seL4_Word mcp, seL4_Word priority,
                                                       seL4_CPtr sched_context,
                                                       seL4_CPtr fault_ep)
{
    seL4_Word mr[4] = { mcp, priority, 0, 0 };
    seL4_SetCap(0, authority);
    seL4_SetCap(1, sched_context);
    seL4_SetCap(2, fault_ep);
    return sel4__invoke(_service, TCBSetSchedParams, 3, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetTimeoutEndpoint(seL4_TCB _service,
                                                           seL4_CPtr timeout_fault_ep)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_SetCap(0, timeout_fault_ep);
    return sel4__invoke(_service, TCBSetTimeoutEndpoint, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB _service, seL4_Word buffer,
                                                     seL4_CPtr bufferFrame)
{
    seL4_Word mr[4] = { buffer, 0, 0, 0 };
    seL4_SetCap(0, bufferFrame);
    return sel4__invoke(_service, TCBSetIPCBuffer, 1, 1, mr);
}

/* MCS form: the fault endpoint is a cap (copied into the TCB). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetSpace(seL4_TCB _service, seL4_CPtr fault_ep,
                                                 seL4_CNode cspace_root,
                                                 seL4_Word cspace_root_data,
                                                 seL4_CPtr vspace_root,
                                                 seL4_Word vspace_root_data)
{
    seL4_Word mr[4] = { cspace_root_data, vspace_root_data, 0, 0 };
    seL4_SetCap(0, fault_ep);
    seL4_SetCap(1, cspace_root);
    seL4_SetCap(2, vspace_root);
    return sel4__invoke(_service, TCBSetSpace, 3, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Suspend(seL4_TCB _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    return sel4__invoke(_service, TCBSuspend, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Resume(seL4_TCB _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    return sel4__invoke(_service, TCBResume, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_BindNotification(seL4_TCB _service,
                                                         seL4_CPtr notification)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_SetCap(0, notification);
    return sel4__invoke(_service, TCBBindNotification, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_UnbindNotification(seL4_TCB _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    return sel4__invoke(_service, TCBUnbindNotification, 0, 0, mr);
}

#ifdef CONFIG_HARDWARE_DEBUG_API
/* Hardware debug API: bp_num 0..5 instruction breakpoints, 6..9 watchpoints
   (seL4_FirstWatchpoint); constants in sel4/constants.h. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetBreakpoint(seL4_TCB _service, seL4_Uint16 bp_num,
                                                      seL4_Word vaddr, seL4_Word type,
                                                      seL4_Word size, seL4_Word rw)
{
    seL4_Word mr[4] = { bp_num, vaddr, type, size };
    seL4_SetMR(4, rw);
    return sel4__invoke(_service, TCBSetBreakpoint, 0, 5, mr);
}

LIBSEL4_INLINE_FUNC seL4_TCB_GetBreakpoint_t seL4_TCB_GetBreakpoint(seL4_TCB _service,
                                                                    seL4_Uint16 bp_num)
{
    seL4_TCB_GetBreakpoint_t result = { 0, 0, 0, 0, 0, 0 };
    seL4_Word mr[4] = { bp_num, 0, 0, 0 };
    result.error = (int)sel4__invoke(_service, TCBGetBreakpoint, 0, 1, mr);
    if (result.error == seL4_NoError) {
        result.vaddr = mr[0];
        result.type = mr[1];
        result.size = mr[2];
        result.rw = mr[3];
        result.is_enabled = (seL4_Bool)(seL4_GetMR(4) & 1u);
    }
    return result;
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_UnsetBreakpoint(seL4_TCB _service, seL4_Uint16 bp_num)
{
    seL4_Word mr[4] = { bp_num, 0, 0, 0 };
    return sel4__invoke(_service, TCBUnsetBreakpoint, 0, 1, mr);
}

/* Fault after num_instructions instructions (0: stop stepping). bp_num is
   unused on AArch64. */
LIBSEL4_INLINE_FUNC seL4_TCB_ConfigureSingleStepping_t
seL4_TCB_ConfigureSingleStepping(seL4_TCB _service, seL4_Uint16 bp_num, seL4_Word num_instructions)
{
    seL4_TCB_ConfigureSingleStepping_t result = { 0, 0 };
    seL4_Word mr[4] = { bp_num, num_instructions, 0, 0 };
    result.error = (int)sel4__invoke(_service, TCBConfigureSingleStepping, 0, 2, mr);
    if (result.error == seL4_NoError) {
        result.bp_was_consumed = (seL4_Bool)(mr[0] & 1u);
    }
    return result;
}
#endif

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetTLSBase(seL4_TCB _service, seL4_Word tls_base)
{
    seL4_Word mr[4] = { tls_base, 0, 0, 0 };
    return sel4__invoke(_service, TCBSetTLSBase, 0, 1, mr);
}

/* Clears then sets seL4_TCBFlag bits; (0, 0) just reads them. */
LIBSEL4_INLINE_FUNC seL4_TCB_SetFlags_t seL4_TCB_SetFlags(seL4_TCB _service, seL4_Word clear,
                                                          seL4_Word set)
{
    seL4_TCB_SetFlags_t result = { 0, 0 };
    seL4_Word mr[4] = { clear, set, 0, 0 };
    result.error = (int)sel4__invoke(_service, TCBSetFlags, 0, 2, mr);
    if (result.error == seL4_NoError) {
        result.flags = mr[0];
    }
    return result;
}

/* ==== CNode ==============================================================
 * _service is the CSpace root the (index, depth) slot addresses resolve in.
 */

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Revoke(seL4_CNode _service, seL4_Word index,
                                                 seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };
    return sel4__invoke(_service, CNodeRevoke, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Delete(seL4_CNode _service, seL4_Word index,
                                                 seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };
    return sel4__invoke(_service, CNodeDelete, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode _service, seL4_Word index,
                                                            seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };
    return sel4__invoke(_service, CNodeCancelBadgedSends, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Copy(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth,
                                               seL4_CapRights_t rights)
{
    seL4_Word mr[4] = { dest_index, dest_depth, src_index, src_depth };
    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    return sel4__invoke(_service, CNodeCopy, 1, 5, mr);
}

/* badge: endpoint/notification badge, or CNode guard (seL4_CNode_CapData). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Mint(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth,
                                               seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Word mr[4] = { dest_index, dest_depth, src_index, src_depth };
    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    seL4_SetMR(5, badge);
    return sel4__invoke(_service, CNodeMint, 1, 6, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Move(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word mr[4] = { dest_index, dest_depth, src_index, src_depth };
    seL4_SetCap(0, src_root);
    return sel4__invoke(_service, CNodeMove, 1, 4, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Mutate(seL4_CNode _service, seL4_Word dest_index,
                                                 seL4_Uint8 dest_depth, seL4_CNode src_root,
                                                 seL4_Word src_index, seL4_Uint8 src_depth,
                                                 seL4_Word badge)
{
    seL4_Word mr[4] = { dest_index, dest_depth, src_index, src_depth };
    seL4_SetCap(0, src_root);
    seL4_SetMR(4, badge);
    return sel4__invoke(_service, CNodeMutate, 1, 5, mr);
}

/* pivot -> dest and src -> pivot, atomically. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Rotate(seL4_CNode _service, seL4_Word dest_index,
                                                 seL4_Uint8 dest_depth, seL4_Word dest_badge,
                                                 seL4_CNode pivot_root, seL4_Word pivot_index,
                                                 seL4_Uint8 pivot_depth, seL4_Word pivot_badge,
                                                 seL4_CNode src_root, seL4_Word src_index,
                                                 seL4_Uint8 src_depth)
{
    seL4_Word mr[4] = { dest_index, dest_depth, dest_badge, pivot_index };
    seL4_SetCap(0, pivot_root);
    seL4_SetCap(1, src_root);
    seL4_SetMR(4, pivot_depth);
    seL4_SetMR(5, pivot_badge);
    seL4_SetMR(6, src_index);
    seL4_SetMR(7, src_depth);
    return sel4__invoke(_service, CNodeRotate, 2, 8, mr);
}

/* ==== IRQ ================================================================ */

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_Get(seL4_IRQControl _service, seL4_Word irq,
                                                   seL4_CNode root, seL4_Word index,
                                                   seL4_Uint8 depth)
{
    seL4_Word mr[4] = { irq, index, depth, 0 };
    seL4_SetCap(0, root);
    return sel4__invoke(_service, IRQIssueIRQHandler, 1, 3, mr);
}

/* trigger: 0 level, 1 edge (SEL4_ARM_IRQ_TRIGGER_*). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_GetTrigger(seL4_IRQControl _service, seL4_Word irq,
                                                          seL4_Word trigger, seL4_CNode root,
                                                          seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = { irq, trigger, index, depth };
    seL4_SetCap(0, root);
    return sel4__invoke(_service, ARMIRQIssueIRQHandlerTrigger, 1, 4, mr);
}

#if CONFIG_MAX_NUM_NODES > 1
/* A handler for `irq` on core `target`: its copy of a private (PPI) line,
   or a shared line delivered there. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_GetTriggerCore(seL4_IRQControl _service,
                                                              seL4_Word irq, seL4_Word trigger,
                                                              seL4_CNode root, seL4_Word index,
                                                              seL4_Uint8 depth, seL4_Word target)
{
    seL4_Word mr[4] = { irq, trigger, index, depth };
    seL4_SetCap(0, root);
    seL4_SetMR(4, target);
    return sel4__invoke(_service, ARMIRQIssueIRQHandlerTriggerCore, 1, 5, mr);
}
#else
LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_IssueSGISignal(seL4_IRQControl _service,
                                                              seL4_Word irq, seL4_Word target,
                                                              seL4_CNode root, seL4_Word index,
                                                              seL4_Uint8 depth)
{
    seL4_Word mr[4] = { irq, target, index, depth };
    seL4_SetCap(0, root);
    return sel4__invoke(_service, ARMIRQIssueSGISignal, 1, 4, mr);
}
#endif

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    return sel4__invoke(_service, IRQAckIRQ, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler _service,
                                                               seL4_CPtr notification)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_SetCap(0, notification);
    return sel4__invoke(_service, IRQSetIRQHandler, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    return sel4__invoke(_service, IRQClearIRQHandler, 0, 0, mr);
}

/* ==== Domains ============================================================ */

LIBSEL4_INLINE_FUNC seL4_Error seL4_DomainSet_Set(seL4_DomainSet _service, seL4_Uint8 domain,
                                                  seL4_TCB thread)
{
    seL4_Word mr[4] = { domain, 0, 0, 0 };
    seL4_SetCap(0, thread);
    return sel4__invoke(_service, DomainSetSet, 1, 1, mr);
}

/*
 * Domain schedule editing (seL4 15.0): names, parameter types and message
 * layout (MR0 index, MR1 domain, MR2 duration in timer ticks on MCS) as in
 * seL4's interface definition (object-api.xml, interface seL4_DomainSet).
 */
LIBSEL4_INLINE_FUNC seL4_Error seL4_DomainSet_ScheduleConfigure(seL4_DomainSet _service,
                                                                seL4_Word index,
                                                                seL4_Uint8 domain,
                                                                seL4_Time duration)
{
    seL4_Word mr[4] = { index, domain, duration, 0 };
    return sel4__invoke(_service, DomainScheduleConfigure, 0, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_DomainSet_ScheduleSetStart(seL4_DomainSet _service,
                                                               seL4_Word index)
{
    seL4_Word mr[4] = { index, 0, 0, 0 };
    return sel4__invoke(_service, DomainScheduleSetStart, 0, 1, mr);
}

/* ==== Scheduling control and contexts (MCS) ============================== */

/* budget and period in microseconds; flags: seL4_SchedContextFlag bits. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedControl_ConfigureFlags(seL4_SchedControl _service,
                                                                seL4_SchedContext schedcontext,
                                                                seL4_Time budget,
                                                                seL4_Time period,
                                                                seL4_Word extra_refills,
                                                                seL4_Word badge,
                                                                seL4_Word flags)
{
    seL4_Word mr[4] = { budget, period, extra_refills, badge };
    seL4_SetCap(0, schedcontext);
    seL4_SetMR(4, flags);
    return sel4__invoke(_service, SchedControlConfigureFlags, 1, 5, mr);
}

/* The pre-flags name: ConfigureFlags with seL4_SchedContext_NoFlag. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedControl_Configure(seL4_SchedControl _service,
                                                           seL4_SchedContext schedcontext,
                                                           seL4_Time budget, seL4_Time period,
                                                           seL4_Word extra_refills,
                                                           seL4_Word badge)
{
    return seL4_SchedControl_ConfigureFlags(_service, schedcontext, budget, period,
                                            extra_refills, badge, seL4_SchedContext_NoFlag);
}

/* cap: a TCB or a notification. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_Bind(seL4_SchedContext _service, seL4_CPtr cap)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_SetCap(0, cap);
    return sel4__invoke(_service, SchedContextBind, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_Unbind(seL4_SchedContext _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    return sel4__invoke(_service, SchedContextUnbind, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_UnbindObject(seL4_SchedContext _service,
                                                              seL4_CPtr cap)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_SetCap(0, cap);
    return sel4__invoke(_service, SchedContextUnbindObject, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_SchedContext_Consumed_t seL4_SchedContext_Consumed(seL4_SchedContext _service)
{
    seL4_SchedContext_Consumed_t result = { 0, 0 };
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    result.error = (int)sel4__invoke(_service, SchedContextConsumed, 0, 0, mr);
    if (result.error == seL4_NoError) {
        result.consumed = mr[0];
    }
    return result;
}

LIBSEL4_INLINE_FUNC seL4_SchedContext_YieldTo_t seL4_SchedContext_YieldTo(seL4_SchedContext _service)
{
    seL4_SchedContext_YieldTo_t result = { 0, 0 };
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    result.error = (int)sel4__invoke(_service, SchedContextYieldTo, 0, 0, mr);
    if (result.error == seL4_NoError) {
        result.consumed = mr[0];
    }
    return result;
}

/* ==== ARM VSpace (cache maintenance over a virtual range) ================ */

LIBSEL4_INLINE_FUNC seL4_Error sel4__range_op(seL4_CPtr service, seL4_Word label,
                                              seL4_Word start, seL4_Word end)
{
    seL4_Word mr[4] = { start, end, 0, 0 };
    return sel4__invoke(service, label, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VSpace_Clean_Data(seL4_ARM_VSpace _service,
                                                          seL4_Word start, seL4_Word end)
{
    return sel4__range_op(_service, ARMVSpaceClean_Data, start, end);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VSpace_Invalidate_Data(seL4_ARM_VSpace _service,
                                                               seL4_Word start, seL4_Word end)
{
    return sel4__range_op(_service, ARMVSpaceInvalidate_Data, start, end);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VSpace_CleanInvalidate_Data(seL4_ARM_VSpace _service,
                                                                    seL4_Word start,
                                                                    seL4_Word end)
{
    return sel4__range_op(_service, ARMVSpaceCleanInvalidate_Data, start, end);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VSpace_Unify_Instruction(seL4_ARM_VSpace _service,
                                                                 seL4_Word start, seL4_Word end)
{
    return sel4__range_op(_service, ARMVSpaceUnify_Instruction, start, end);
}

/* ==== ARM SMC ============================================================ */

/* Forward x0..x7 to the secure monitor; the results come back in smc_response. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_SMC_Call(seL4_ARM_SMC _service,
                                                 seL4_ARM_SMCContext *smc_args,
                                                 seL4_ARM_SMCContext *smc_response)
{
    seL4_Word mr[4] = { smc_args->x0, smc_args->x1, smc_args->x2, smc_args->x3 };
    seL4_SetMR(4, smc_args->x4);
    seL4_SetMR(5, smc_args->x5);
    seL4_SetMR(6, smc_args->x6);
    seL4_SetMR(7, smc_args->x7);
    seL4_Error err = sel4__invoke(_service, ARMSMCCall, 0, 8, mr);
    if (err == seL4_NoError) {
        smc_response->x0 = mr[0];
        smc_response->x1 = mr[1];
        smc_response->x2 = mr[2];
        smc_response->x3 = mr[3];
        smc_response->x4 = seL4_GetMR(4);
        smc_response->x5 = seL4_GetMR(5);
        smc_response->x6 = seL4_GetMR(6);
        smc_response->x7 = seL4_GetMR(7);
    }
    return err;
}

/* ==== ARM page tables and pages ========================================== */

/* Installs the table at the first missing level on vaddr's path in vspace. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_PageTable_Map(seL4_ARM_PageTable _service, seL4_CPtr vspace,
                                                      seL4_Word vaddr, seL4_ARM_VMAttributes attr)
{
    seL4_Word mr[4] = { vaddr, (seL4_Word)attr, 0, 0 };
    seL4_SetCap(0, vspace);
    return sel4__invoke(_service, ARMPageTableMap, 1, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_PageTable_Unmap(seL4_ARM_PageTable _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    return sel4__invoke(_service, ARMPageTableUnmap, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Map(seL4_ARM_Page _service, seL4_CPtr vspace,
                                                 seL4_Word vaddr, seL4_CapRights_t rights,
                                                 seL4_ARM_VMAttributes attr)
{
    seL4_Word mr[4] = { vaddr, rights.words[0], (seL4_Word)attr, 0 };
    seL4_SetCap(0, vspace);
    return sel4__invoke(_service, ARMPageMap, 1, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Unmap(seL4_ARM_Page _service)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    return sel4__invoke(_service, ARMPageUnmap, 0, 0, mr);
}

/* Cache maintenance on [start_offset, end_offset) within the mapped frame. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Clean_Data(seL4_ARM_Page _service,
                                                        seL4_Word start_offset,
                                                        seL4_Word end_offset)
{
    return sel4__range_op(_service, ARMPageClean_Data, start_offset, end_offset);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Invalidate_Data(seL4_ARM_Page _service,
                                                             seL4_Word start_offset,
                                                             seL4_Word end_offset)
{
    return sel4__range_op(_service, ARMPageInvalidate_Data, start_offset, end_offset);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_CleanInvalidate_Data(seL4_ARM_Page _service,
                                                                  seL4_Word start_offset,
                                                                  seL4_Word end_offset)
{
    return sel4__range_op(_service, ARMPageCleanInvalidate_Data, start_offset, end_offset);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Unify_Instruction(seL4_ARM_Page _service,
                                                               seL4_Word start_offset,
                                                               seL4_Word end_offset)
{
    return sel4__range_op(_service, ARMPageUnify_Instruction, start_offset, end_offset);
}

LIBSEL4_INLINE_FUNC seL4_ARM_Page_GetAddress_t seL4_ARM_Page_GetAddress(seL4_ARM_Page _service)
{
    seL4_ARM_Page_GetAddress_t result = { 0, 0 };
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    result.error = (int)sel4__invoke(_service, ARMPageGetAddress, 0, 0, mr);
    if (result.error == seL4_NoError) {
        result.paddr = mr[0];
    }
    return result;
}

/* ==== ARM ASIDs ========================================================== */

/* Turns a 4 KiB untyped into an ASID pool placed at (root, index, depth). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_ASIDControl_MakePool(seL4_ARM_ASIDControl _service,
                                                             seL4_Untyped untyped,
                                                             seL4_CNode root, seL4_Word index,
                                                             seL4_Uint8 depth)
{
    seL4_Word mr[4] = { index, depth, 0, 0 };
    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return sel4__invoke(_service, ARMASIDControlMakePool, 2, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_ASIDPool_Assign(seL4_ARM_ASIDPool _service,
                                                        seL4_CPtr vspace)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_SetCap(0, vspace);
    return sel4__invoke(_service, ARMASIDPoolAssign, 1, 0, mr);
}

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/* ==== VCPU (hypervisor configuration) ===================================== */

typedef struct seL4_ARM_VCPU_ReadRegs {
    int error;
    seL4_Word value;
} seL4_ARM_VCPU_ReadRegs_t;

/* Binds the vCPU to `tcb` (1:1: either one's old partner is unbound first). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VCPU_SetTCB(seL4_ARM_VCPU _service, seL4_TCB tcb)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_SetCap(0, tcb);
    return sel4__invoke(_service, ARMVCPUSetTCB, 1, 0, mr);
}

/* Queues virtual interrupt `virq` in GIC list register `index`. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VCPU_InjectIRQ(seL4_ARM_VCPU _service, seL4_Uint16 virq,
                                                       seL4_Uint8 priority, seL4_Uint8 group,
                                                       seL4_Uint8 index)
{
    seL4_Word mr[4] = { (seL4_Word)virq | ((seL4_Word)priority << 16) |
                        ((seL4_Word)group << 24) | ((seL4_Word)index << 32), 0, 0, 0 };
    return sel4__invoke(_service, ARMVCPUInjectIRQ, 0, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_ARM_VCPU_ReadRegs_t seL4_ARM_VCPU_ReadRegs(seL4_ARM_VCPU _service,
                                                                    seL4_VCPUReg field)
{
    seL4_ARM_VCPU_ReadRegs_t r = { 0, 0 };
    seL4_Word mr[4] = { (seL4_Word)field, 0, 0, 0 };
    r.error = sel4__invoke(_service, ARMVCPUReadReg, 0, 1, mr);
    if (r.error == seL4_NoError) {
        r.value = mr[0];
    }
    return r;
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VCPU_WriteRegs(seL4_ARM_VCPU _service, seL4_VCPUReg field,
                                                       seL4_Word value)
{
    seL4_Word mr[4] = { (seL4_Word)field, value, 0, 0 };
    return sel4__invoke(_service, ARMVCPUWriteReg, 0, 2, mr);
}

/* Unmasks per-CPU interrupt `irq` after a VPPIEvent fault delivered it. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VCPU_AckVPPI(seL4_ARM_VCPU _service, seL4_Word irq)
{
    seL4_Word mr[4] = { irq, 0, 0, 0 };
    return sel4__invoke(_service, ARMVCPUAckVPPI, 0, 1, mr);
}
#endif

SEL4_END_DECLS

#endif /* SEL4_UAPI_INVOCATIONS_H */
