/* Whole-machine operations. */
#ifndef ARCH_MACHINE_H
#define ARCH_MACHINE_H

/* PSCI SYSTEM_OFF: QEMU exits with status 0; a board powers down. */
_Noreturn void machine_power_off(void);

#endif
