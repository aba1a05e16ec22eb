/*
 * The AArch64 register orders of seL4's ABI: seL4_UserContext (TCB
 * ReadRegisters, WriteRegisters, CopyRegisters; the timeout-fault reply
 * uses its first 34), and the UnknownSyscall and UserException messages.
 */
#include <arch/registers.h>
#include <sel4/abi.h>

const uint8_t user_context_registers[USER_CONTEXT_WORDS] = {
    REG_FAULT_IP, REG_SP_EL0, REG_SPSR,
    REG_X(0), REG_X(1), REG_X(2), REG_X(3), REG_X(4), REG_X(5), REG_X(6), REG_X(7), REG_X(8),
    REG_X(16), REG_X(17), REG_X(18), REG_X(29), REG_X(30),
    REG_X(9), REG_X(10), REG_X(11), REG_X(12), REG_X(13), REG_X(14), REG_X(15),
    REG_X(19), REG_X(20), REG_X(21), REG_X(22), REG_X(23), REG_X(24), REG_X(25), REG_X(26),
    REG_X(27), REG_X(28),
    REG_TPIDR_EL0, REG_TPIDRRO_EL0,
};

const uint8_t syscall_message_registers[seL4_UnknownSyscall_Syscall] = {
    [seL4_UnknownSyscall_X0] = REG_X(0),
    [seL4_UnknownSyscall_X1] = REG_X(1),
    [seL4_UnknownSyscall_X2] = REG_X(2),
    [seL4_UnknownSyscall_X3] = REG_X(3),
    [seL4_UnknownSyscall_X4] = REG_X(4),
    [seL4_UnknownSyscall_X5] = REG_X(5),
    [seL4_UnknownSyscall_X6] = REG_X(6),
    [seL4_UnknownSyscall_X7] = REG_X(7),
    [seL4_UnknownSyscall_FaultIP] = REG_FAULT_IP,
    [seL4_UnknownSyscall_SP] = REG_SP_EL0,
    [seL4_UnknownSyscall_LR] = REG_ELR,     /* the pc after the svc */
    [seL4_UnknownSyscall_SPSR] = REG_SPSR,
};

const uint8_t exception_message_registers[seL4_UserException_Number] = {
    [seL4_UserException_FaultIP] = REG_FAULT_IP,
    [seL4_UserException_SP] = REG_SP_EL0,
    [seL4_UserException_SPSR] = REG_SPSR,
};

_Static_assert(seL4_TimeoutReply_Length <= USER_CONTEXT_WORDS, "timeout reply layout");
_Static_assert(FRAME_REGISTERS == 17, "seL4_UserContext frame part");
