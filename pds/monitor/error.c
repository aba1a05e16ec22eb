/*
 * Set-up errors. Every kernel error while the system is being built is
 * fatal: the monitor prints what it was doing, for which PD or memory
 * region, the seL4 error and its details, and stops the whole system. It
 * never leaves a half-built system running.
 */
#include "monitor.h"
#include <stdarg.h>

const char *sel4_error_name(seL4_Error err)
{
    static const char *const names[] = {
        [seL4_NoError] = "seL4_NoError",
        [seL4_InvalidArgument] = "seL4_InvalidArgument",
        [seL4_InvalidCapability] = "seL4_InvalidCapability",
        [seL4_IllegalOperation] = "seL4_IllegalOperation",
        [seL4_RangeError] = "seL4_RangeError",
        [seL4_AlignmentError] = "seL4_AlignmentError",
        [seL4_FailedLookup] = "seL4_FailedLookup",
        [seL4_TruncatedMessage] = "seL4_TruncatedMessage",
        [seL4_DeleteFirst] = "seL4_DeleteFirst",
        [seL4_RevokeFirst] = "seL4_RevokeFirst",
        [seL4_NotEnoughMemory] = "seL4_NotEnoughMemory",
    };
    if ((unsigned)err < sizeof names / sizeof *names)
        return names[err];
    return "unknown seL4 error";
}

const char *lookup_failure_name(seL4_Word type)
{
    switch (type) {
    case seL4_InvalidRoot:
        return "seL4_InvalidRoot";
    case seL4_MissingCapability:
        return "seL4_MissingCapability";
    case seL4_DepthMismatch:
        return "seL4_DepthMismatch";
    case seL4_GuardMismatch:
        return "seL4_GuardMismatch";
    default:
        return "seL4_NoFailure";
    }
}

static void print_details(seL4_Error err, const seL4_Word mr[5])
{
    switch (err) {
    case seL4_InvalidArgument:
        rt_printf("MON|ERROR:   argument %lu\n", mr[0]);
        break;
    case seL4_InvalidCapability:
        rt_printf("MON|ERROR:   capability argument %lu\n", mr[0]);
        break;
    case seL4_RangeError:
        rt_printf("MON|ERROR:   allowed range [%lu, %lu]\n", mr[0], mr[1]);
        break;
    case seL4_FailedLookup:
        rt_printf("MON|ERROR:   %s lookup failed: %s, %lu bits left\n",
                  mr[0] ? "source" : "destination", lookup_failure_name(mr[1]), mr[2]);
        break;
    case seL4_NotEnoughMemory:
        rt_printf("MON|ERROR:   %lu bytes left in the untyped\n", mr[0]);
        break;
    default:
        break;
    }
}

void check(seL4_Error err, const char *fmt, ...)
{
    if (err == seL4_NoError)
        return;
    /* The details are in the IPC buffer: read them before anything else. */
    seL4_Word mr[5];
    for (int i = 0; i < 5; i++)
        mr[i] = seL4_GetMR(i);
    va_list ap;
    va_start(ap, fmt);
    rt_printf("MON|ERROR: ");
    rt_vprintf(fmt, ap);
    va_end(ap);
    rt_printf(": %s\n", sel4_error_name(err));
    print_details(err, mr);
    halt_system();
}

void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_printf("MON|ERROR: ");
    rt_vprintf(fmt, ap);
    va_end(ap);
    rt_printf("\n");
    halt_system();
}

void halt_system(void)
{
    rt_printf("MON|ERROR: the system was not started: stopping\n");
#ifdef CONFIG_DEBUG_BUILD
    seL4_DebugHalt();
#endif
    for (;;)
        seL4_TCB_Suspend(seL4_CapInitThreadTCB);
}
