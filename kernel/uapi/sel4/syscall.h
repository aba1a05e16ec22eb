/*
 * sel4/syscall.h - system call numbers (the value in x7 at `svc #0`),
 * MCS numbering. Pure.
 *
 * The debug calls keep their numbers whether or not the kernel is built
 * with them; a kernel without a call turns it into an UnknownSyscall fault.
 * In C these are enum constants (libsel4's seL4_Syscall_ID); assembly
 * files get the same names as plain #defines.
 */
#ifndef SEL4_UAPI_SYSCALL_H
#define SEL4_UAPI_SYSCALL_H

#ifdef __ASSEMBLER__
#define seL4_SysCall                (-1)
#define seL4_SysReplyRecv           (-2)
#define seL4_SysNBSendRecv          (-3)
#define seL4_SysNBSendWait          (-4)
#define seL4_SysSend                (-5)
#define seL4_SysNBSend              (-6)
#define seL4_SysRecv                (-7)
#define seL4_SysNBRecv              (-8)
#define seL4_SysWait                (-9)
#define seL4_SysNBWait              (-10)
#define seL4_SysYield               (-11)
#define seL4_SysDebugPutChar        (-12)
#define seL4_SysDebugDumpScheduler  (-13)
#define seL4_SysDebugHalt           (-14)
#define seL4_SysDebugCapIdentify    (-15)
#define seL4_SysDebugSnapshot       (-16)
#define seL4_SysDebugNameThread     (-17)
#define seL4_SysDebugSendIPI        (-18)
#define seL4_SysDebugGetThreadAffinity (-19)
#else
typedef enum {
    seL4_SysCall               = -1,
    seL4_SysReplyRecv          = -2,
    seL4_SysNBSendRecv         = -3,
    seL4_SysNBSendWait         = -4,
    seL4_SysSend               = -5,
    seL4_SysNBSend             = -6,
    seL4_SysRecv               = -7,
    seL4_SysNBRecv             = -8,
    seL4_SysWait               = -9,
    seL4_SysNBWait             = -10,
    seL4_SysYield              = -11,
    seL4_SysDebugPutChar       = -12,
    seL4_SysDebugDumpScheduler = -13,
    seL4_SysDebugHalt          = -14,
    seL4_SysDebugCapIdentify   = -15,
    seL4_SysDebugSnapshot      = -16,
    seL4_SysDebugNameThread    = -17,
    /* Debug builds with several cores only. */
    seL4_SysDebugSendIPI       = -18,
    seL4_SysDebugGetThreadAffinity = -19
} seL4_Syscall_ID;
#endif

#endif /* SEL4_UAPI_SYSCALL_H */
