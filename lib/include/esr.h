/*
 * Names for AArch64 exception syndrome values, shared by every fault report
 * (loader, kernel, monitor).
 */
#ifndef LIB_ESR_H
#define LIB_ESR_H

/* Exception class (ESR_ELx.EC, bits 31:26) in words. */
const char *esr_class_name(unsigned ec);
/* Data/instruction fault status code (ISS bits 5:0 of an abort) in words. */
const char *esr_fault_status_name(unsigned fsc);

#endif
