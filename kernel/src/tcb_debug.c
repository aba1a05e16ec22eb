/*
 * seL4's hardware-debug invocations on TCBs (CONFIG_HARDWARE_DEBUG_API):
 * SetBreakpoint, GetBreakpoint, UnsetBreakpoint, ConfigureSingleStepping,
 * with seL4's argument checks, in seL4's order and with its error details.
 * The registers behind them are the architecture's (arch/debug.h).
 *
 * As in seL4: bp_num is a 16-bit argument (the upper bits of its word are
 * ignored), no invocation checks the message length, and on AArch64
 * single-stepping consumes no breakpoint (the bp_num of
 * ConfigureSingleStepping is unused). Where seL4 reads or writes past its
 * tables (GetBreakpoint, UnsetBreakpoint of an id >= seL4_NumHWBreakpoints)
 * this kernel answers the RangeError seL4's manual lists.
 */
#include <kernel/tcb.h>
#include <kernel/invocation.h>
#include <arch/debug.h>

static unsigned bp_num_arg(const invocation_t *inv)
{
    return (unsigned)(inv_mr(inv, 0) & 0xffff);
}

static seL4_Error check_id(invocation_t *inv, unsigned id)
{
    if (id >= seL4_NumHWBreakpoints)
        return inv_range_error(inv, 0, seL4_NumHWBreakpoints - 1);
    return seL4_NoError;
}

static bool valid_size(word_t size)
{
    return size == 0 || size == 1 || size == 2 || size == 4 || size == 8;
}

static seL4_Error set_breakpoint(invocation_t *inv, tcb_t *t)
{
    unsigned id = bp_num_arg(inv);
    word_t vaddr = inv_mr(inv, 1), type = inv_mr(inv, 2), size = inv_mr(inv, 3),
           rw = inv_mr(inv, 4);
    if (vaddr >= seL4_UserTop)
        return inv_invalid_argument(inv, 1);
    if (type == seL4_InstructionBreakpoint) {
        if (size != 0)
            return inv_invalid_argument(inv, 3);
        if (rw != seL4_BreakOnRead)
            return inv_invalid_argument(inv, 4);
        if (id >= seL4_FirstWatchpoint)
            return inv_invalid_argument(inv, 2);
    } else if (type == seL4_DataBreakpoint) {
        if (size == 0)
            return inv_invalid_argument(inv, 3);
        if (id < seL4_FirstWatchpoint)
            return inv_invalid_argument(inv, 2);
    } else {
        return inv_invalid_argument(inv, 2);
    }
    if (rw != seL4_BreakOnRead && rw != seL4_BreakOnWrite && rw != seL4_BreakOnReadWrite)
        return inv_invalid_argument(inv, 3);
    if (!valid_size(size))
        return inv_invalid_argument(inv, 3);
    if (size > 0 && (vaddr & (size - 1)))
        return inv_error(inv, seL4_AlignmentError);
    /* A watchpoint id past the registers: seL4 reports the range 0..5. */
    if (type == seL4_DataBreakpoint && id - seL4_FirstWatchpoint >= seL4_NumExclusiveWatchpoints)
        return inv_range_error(inv, 0, seL4_NumExclusiveBreakpoints - 1);
    arch_debug_set_breakpoint(t, id, vaddr, type, size, rw);
    return seL4_NoError;
}

static seL4_Error get_breakpoint(invocation_t *inv, tcb_t *t)
{
    unsigned id = bp_num_arg(inv);
    seL4_Error err = check_id(inv, id);
    if (err)
        return err;
    arch_breakpoint_t bp = arch_debug_get_breakpoint(t, id);
    reply_mr(inv, 0, bp.vaddr);
    reply_mr(inv, 1, bp.type);
    reply_mr(inv, 2, bp.size);
    reply_mr(inv, 3, bp.rw);
    reply_mr(inv, 4, bp.enabled);
    return seL4_NoError;
}

static seL4_Error unset_breakpoint(invocation_t *inv, tcb_t *t)
{
    unsigned id = bp_num_arg(inv);
    seL4_Error err = check_id(inv, id);
    if (err)
        return err;
    arch_debug_unset_breakpoint(t, id);
    return seL4_NoError;
}

static seL4_Error configure_single_stepping(invocation_t *inv, tcb_t *t)
{
    word_t instructions = inv_mr(inv, 1);
    bool consumed = arch_debug_configure_single_step(t, instructions);
    reply_mr(inv, 0, instructions > 0 && consumed);
    return seL4_NoError;
}

seL4_Error decode_tcb_debug(invocation_t *inv, tcb_t *t)
{
    switch (inv->label) {
    case TCBSetBreakpoint:
        return set_breakpoint(inv, t);
    case TCBGetBreakpoint:
        return get_breakpoint(inv, t);
    case TCBUnsetBreakpoint:
        return unset_breakpoint(inv, t);
    default:
        return configure_single_stepping(inv, t);
    }
}
