/*
 * The measured loops of the benchmark root task, and its entry point.
 *
 * Counting convention: PMCCNTR_EL0 under QEMU -icount shift=0 counts one
 * per instruction, and a read includes the reading instruction. So for two
 * reads t0 and t1, t1 - t0 - 1 (the measured read overhead, see
 * bench_overhead) is the number of instructions executed strictly between
 * the two `mrs` instructions, kernel instructions included. Every window
 * below lists the user instructions it contains; docs/bench.md repeats it.
 *
 * Each loop takes a struct bench_args * in x0 (offsets in bench.h):
 *   x19 cap   x20 cap2   x21 info   x22 count   x23 a   x24 b
 *   x25 ready   x26 arg
 * The kernel returns x0..x5 from a system call and preserves every other
 * register, so the loops keep their state in x9.. and x19...
 * System-call numbers (sel4/syscall.h): Call -1, ReplyRecv -2,
 * NBSendRecv -3, Send -5, Wait -9, Yield -11.
 *
 * The global labels at the reads (bench_*_t0...) only name those
 * instructions for `scripts/bench.py --profile`, which cuts a measured
 * window out of an instruction trace.
 */
#include "bench.h"

.macro enter
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    ldr     x19, [x0, #BA_CAP]
    ldr     x20, [x0, #BA_CAP2]
    ldr     x21, [x0, #BA_INFO]
    ldr     x22, [x0, #BA_COUNT]
    ldr     x23, [x0, #BA_A]
    ldr     x24, [x0, #BA_B]
    ldr     x25, [x0, #BA_READY]
    ldr     x26, [x0, #BA_ARG]
.endm

.macro leave
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret
.endm

.macro func name
    .global \name
    .type \name, %function
    .balign 64
\name:
.endm

/*
 * A server's first system call: NBSendRecv signals `ready` (a notification,
 * so the root task knows the server is waiting) and receives on `cap` with
 * the reply object `cap2`, atomically.
 */
.macro server_start
    mov     x0, x19
    mov     x1, xzr
    mov     x6, x20
    mov     x8, x25
    mov     x7, #-3
    svc     #0
.endm

    .text

/* a[i] = the difference of two back-to-back reads (the read overhead). */
func bench_overhead
    enter
1:  mrs     x9, pmccntr_el0
    mrs     x10, pmccntr_el0
    sub     x10, x10, x9
    str     x10, [x23], #8
    subs    x22, x22, #1
    b.ne    1b
    leave

/*
 * One system call per iteration: x0 = cap, x1 = info, x6 = cap2,
 * x7 = arg. a[i] = t1 - t0. Window: svc.
 */
func bench_syscall
    enter
1:  mov     x0, x19
    mov     x1, x21
    mov     x6, x20
    mov     x7, x26
    .global bench_syscall_t0
bench_syscall_t0:
    mrs     x9, pmccntr_el0
    svc     #0
    .global bench_syscall_t1
bench_syscall_t1:
    mrs     x10, pmccntr_el0
    sub     x10, x10, x9
    str     x10, [x23], #8
    subs    x22, x22, #1
    b.ne    1b
    leave

/*
 * IPC client: Call(cap, info) per iteration; a[i] = t0 (before the svc),
 * b[i] = t3 (after it returned). Round trip = t3 - t0; with
 * bench_ipc_server_ts the one-way legs are t1 - t0 and t3 - t2.
 * Windows: [t0, t1] svc; [t0, t3] svc + the server's instructions.
 */
func bench_ipc_client
    enter
1:  mov     x0, x19
    mov     x1, x21
    mov     x7, #-1
    .global bench_ipc_client_t0
bench_ipc_client_t0:
    mrs     x9, pmccntr_el0             /* t0 */
    svc     #0
    .global bench_ipc_client_t3
bench_ipc_client_t3:
    mrs     x10, pmccntr_el0            /* t3 */
    str     x9, [x23], #8
    str     x10, [x24], #8
    subs    x22, x22, #1
    b.ne    1b
    leave

/*
 * IPC server for round trips: ReplyRecv(cap, info, reply = cap2) forever.
 * In a round trip window: b, mov x4, svc (6 user instructions).
 */
func bench_ipc_server
    enter
    server_start
1:  mov     x0, x19
    mov     x1, x21
    mov     x6, x20
    mov     x7, #-2
    svc     #0
    b       1b

/*
 * IPC server with timestamps: a[k] = t1 (right after call k arrived),
 * b[k + 1] = t2 (right before the ReplyRecv answering call k; b[0] is a
 * dummy). t2 is stored once the next call has arrived, so the client
 * makes one call more than it evaluates.
 * Windows: [t2, t3] svc.
 */
func bench_ipc_server_ts
    enter
    server_start
    mrs     x9, pmccntr_el0             /* t1 of call 0 */
2:  str     x9, [x23], #8
    str     x10, [x24], #8
    mov     x0, x19
    mov     x1, x21
    mov     x6, x20
    mov     x7, #-2
    .global bench_ipc_server_ts_t2
bench_ipc_server_ts_t2:
    mrs     x10, pmccntr_el0            /* t2 */
    svc     #0
    .global bench_ipc_server_ts_t1
bench_ipc_server_ts_t1:
    mrs     x9, pmccntr_el0             /* t1 */
    b       2b

/* Notification waiter: Wait(cap) count times; a[i] = right after waking. */
func bench_ntfn_waiter
    enter
    mov     x0, x19
    mov     x7, #-9
1:  svc     #0
    .global bench_ntfn_waiter_t1
bench_ntfn_waiter_t1:
    mrs     x9, pmccntr_el0             /* t1 */
    str     x9, [x23], #8
    mov     x0, x19
    mov     x7, #-9
    subs    x22, x22, #1
    b.ne    1b
    leave

/* Signaller: Signal(cap) (Send, empty message); a[i] = t0. Window: svc. */
func bench_ntfn_signaller
    enter
1:  mov     x0, x19
    mov     x1, xzr
    mov     x7, #-5
    .global bench_ntfn_signaller_t0
bench_ntfn_signaller_t0:
    mrs     x9, pmccntr_el0             /* t0 */
    svc     #0
    str     x9, [x23], #8
    subs    x22, x22, #1
    b.ne    1b
    leave

/*
 * IPC client and server that both use the FPU: one FP instruction per
 * iteration on each side, inside the round-trip window, so that the FP
 * registers change hands twice per round trip.
 * Window: client fadd, svc; server b, fadd, 4 x mov, svc (9 user
 * instructions).
 */
func bench_ipc_client_fpu
    enter
1:  mov     x0, x19
    mov     x1, x21
    mov     x7, #-1
    .global bench_ipc_client_fpu_t0
bench_ipc_client_fpu_t0:
    mrs     x9, pmccntr_el0             /* t0 */
    fadd    d0, d0, d1
    svc     #0
    .global bench_ipc_client_fpu_t3
bench_ipc_client_fpu_t3:
    mrs     x10, pmccntr_el0            /* t3 */
    str     x9, [x23], #8
    str     x10, [x24], #8
    subs    x22, x22, #1
    b.ne    1b
    leave

func bench_ipc_server_fpu
    enter
    server_start
1:  fadd    d0, d0, d1
    mov     x0, x19
    mov     x1, x21
    mov     x6, x20
    mov     x7, #-2
    svc     #0
    b       1b

/*
 * Notification round trip, client side: Signal(cap) (Send, empty
 * message), then Wait(cap2). a[i] = t0, b[i] = t1.
 * Window: svc, mov, mov, svc here; the server's below.
 */
func bench_ntfn_rt_client
    enter
1:  mov     x0, x19
    mov     x1, xzr
    mov     x7, #-5
    .global bench_ntfn_rt_client_t0
bench_ntfn_rt_client_t0:
    mrs     x9, pmccntr_el0             /* t0 */
    svc     #0
    mov     x0, x20
    mov     x7, #-9
    svc     #0
    .global bench_ntfn_rt_client_t1
bench_ntfn_rt_client_t1:
    mrs     x10, pmccntr_el0            /* t1 */
    str     x9, [x23], #8
    str     x10, [x24], #8
    subs    x22, x22, #1
    b.ne    1b
    leave

/*
 * Notification round trip, server side: Wait(cap), then Signal(cap2),
 * forever. In the window: mov, mov, mov, svc, b, mov, mov, svc (8 user
 * instructions).
 */
func bench_ntfn_rt_server
    enter
1:  mov     x0, x19
    mov     x7, #-9
    svc     #0
    mov     x0, x20
    mov     x1, xzr
    mov     x7, #-5
    svc     #0
    b       1b

/*
 * Signaller to a lower-priority waiter that waits each time: Signal(cap)
 * (the waiter becomes ready, no switch), then Wait(cap2), which lets the
 * waiter run; it answers with NBSendWait (Signal cap2, Wait cap) and waits
 * again. a[i] = t1 - t0. Window: svc.
 */
func bench_ntfn_lowprio_signaller
    enter
1:  mov     x0, x19
    mov     x1, xzr
    mov     x7, #-5
    .global bench_ntfn_lowprio_signaller_t0
bench_ntfn_lowprio_signaller_t0:
    mrs     x9, pmccntr_el0             /* t0 */
    svc     #0
    .global bench_ntfn_lowprio_signaller_t1
bench_ntfn_lowprio_signaller_t1:
    mrs     x10, pmccntr_el0            /* t1 */
    sub     x10, x10, x9
    str     x10, [x23], #8
    mov     x0, x20
    mov     x7, #-9
    svc     #0
    subs    x22, x22, #1
    b.ne    1b
    leave

/* Its waiter: Wait(cap), then NBSendWait(send cap2, wait cap) forever. */
func bench_ntfn_lowprio_waiter
    enter
    mov     x0, x19
    mov     x7, #-9
    svc     #0
1:  mov     x0, x19
    mov     x1, xzr
    mov     x6, x20
    mov     x7, #-4
    svc     #0
    b       1b

/*
 * Two of these at one priority: a[i] = before Yield, b[i] = after.
 * Yield one-way = after of the one minus before of the other. Window: svc.
 */
func bench_yield_pair
    enter
1:  mov     x7, #-11
    .global bench_yield_pair_before
bench_yield_pair_before:
    mrs     x9, pmccntr_el0             /* before */
    svc     #0
    .global bench_yield_pair_after
bench_yield_pair_after:
    mrs     x10, pmccntr_el0            /* after */
    str     x9, [x23], #8
    str     x10, [x24], #8
    subs    x22, x22, #1
    b.ne    1b
    leave

/*
 * Faulter: an undefined instruction per iteration; its handler replies
 * with pc + 4. a[i] = t0, b[i] = t1. Window: udf (+ the handler's).
 */
func bench_udf_faulter
    enter
1:
    .global bench_udf_faulter_t0
bench_udf_faulter_t0:
    mrs     x9, pmccntr_el0             /* t0 */
    udf     #0
    .global bench_udf_faulter_t1
bench_udf_faulter_t1:
    mrs     x10, pmccntr_el0            /* t1 */
    str     x9, [x23], #8
    str     x10, [x24], #8
    subs    x22, x22, #1
    b.ne    1b
    leave

/*
 * UserException handler for round trips: reply (length 1: MR0 = FaultIP)
 * with the pc past the udf, receive the next fault. In a round trip
 * window: b, add, mov x4, svc (7 user instructions).
 */
func bench_udf_handler
    enter
    server_start
1:  add     x2, x2, #4                  /* MR0: FaultIP */
    mov     x0, x19
    mov     x1, #1
    mov     x6, x20
    mov     x7, #-2
    svc     #0
    b       1b

/*
 * The same with timestamps, as bench_ipc_server_ts: a[k] = fault k arrived,
 * b[k + 1] = right before the reply to it.
 */
func bench_udf_handler_ts
    enter
    server_start
    mrs     x9, pmccntr_el0
2:  str     x9, [x23], #8
    str     x10, [x24], #8
    add     x2, x2, #4
    mov     x0, x19
    mov     x1, #1
    mov     x6, x20
    mov     x7, #-2
    .global bench_udf_handler_ts_t2
bench_udf_handler_ts_t2:
    mrs     x10, pmccntr_el0
    svc     #0
    .global bench_udf_handler_ts_t1
bench_udf_handler_ts_t1:
    mrs     x9, pmccntr_el0
    b       2b

/* VM faulter: a load from the unmapped address arg, restarted forever. */
func bench_vm_faulter
    enter
1:  ldr     x9, [x26]
    b       1b

/*
 * VMFault handler: replies (length 0: restart the load) count - 1 times;
 * a[i] = when fault i arrived. Round trip = a[i + 1] - a[i]; window:
 * str, mov x4, subs, b.ne, svc (handler) + ldr (faulter): 9 user
 * instructions.
 */
func bench_vm_handler
    enter
    server_start
    mrs     x9, pmccntr_el0
    str     x9, [x23], #8
    subs    x22, x22, #1
    b.eq    2f
1:  mov     x0, x19
    mov     x1, xzr
    mov     x6, x20
    mov     x7, #-2
    svc     #0
    .global bench_vm_handler_t
bench_vm_handler_t:
    mrs     x9, pmccntr_el0
    str     x9, [x23], #8
    subs    x22, x22, #1
    b.ne    1b
2:  leave

/*
 * User-level driver of the EL1 physical timer (PPI 30): program CNTP_CVAL
 * = now + arg ticks, wait for the interrupt's notification (cap), read the
 * counter, stop the timer, Ack the IRQHandler (cap2, with message info
 * `info`). a[i] = wake time (PMCCNTR), b[i] = CVAL (CNTPCT ticks).
 */
func bench_irq_handler
    enter
1:  mrs     x9, cntpct_el0
    add     x9, x9, x26
    msr     cntp_cval_el0, x9
    mov     x10, #1
    msr     cntp_ctl_el0, x10           /* enabled, unmasked */
    isb
    str     x9, [x24], #8
    mov     x0, x19
    mov     x7, #-9
    svc     #0                          /* Wait */
    .global bench_irq_handler_wake
bench_irq_handler_wake:
    mrs     x11, pmccntr_el0            /* wake */
    str     x11, [x23], #8
    msr     cntp_ctl_el0, xzr           /* the line drops */
    isb
    mov     x0, x20
    mov     x1, x21                     /* info: IRQAckIRQ, length 0 (its label
                                           depends on the configuration) */
    mov     x7, #-1
    svc     #0                          /* IRQHandler_Ack */
    subs    x22, x22, #1
    b.ne    1b
    leave

/* A thread that only spins (user mode). */
func bench_spin
1:  b       1b

/*
 * out[0] = PMCCNTR, out[k] = CNTPCT read k instructions later
 * (k = 1..CALIB_READS). One CNTPCT tick is 16 instructions, so one of the
 * reads sees the tick change: the first read with the new value ran at
 * exactly 16 * value of virtual time.
 */
func bench_calibrate
    stp     x19, x20, [sp, #-32]!
    stp     x21, x22, [sp, #16]
    mrs     x1, pmccntr_el0
    mrs     x2, cntpct_el0
    mrs     x3, cntpct_el0
    mrs     x4, cntpct_el0
    mrs     x5, cntpct_el0
    mrs     x6, cntpct_el0
    mrs     x7, cntpct_el0
    mrs     x8, cntpct_el0
    mrs     x9, cntpct_el0
    mrs     x10, cntpct_el0
    mrs     x11, cntpct_el0
    mrs     x12, cntpct_el0
    mrs     x13, cntpct_el0
    mrs     x14, cntpct_el0
    mrs     x15, cntpct_el0
    mrs     x16, cntpct_el0
    mrs     x17, cntpct_el0
    mrs     x19, cntpct_el0
    mrs     x20, cntpct_el0
    mrs     x21, cntpct_el0
    mrs     x22, cntpct_el0
    stp     x1, x2, [x0, #0]
    stp     x3, x4, [x0, #16]
    stp     x5, x6, [x0, #32]
    stp     x7, x8, [x0, #48]
    stp     x9, x10, [x0, #64]
    stp     x11, x12, [x0, #80]
    stp     x13, x14, [x0, #96]
    stp     x15, x16, [x0, #112]
    stp     x17, x19, [x0, #128]
    stp     x20, x21, [x0, #144]
    str     x22, [x0, #160]
    ldp     x21, x22, [sp, #16]
    ldp     x19, x20, [sp], #32
    ret

/*
 * Entry of the root task (x0 = BootInfo). The first two instructions read
 * the counters for the boot figures; then as pds/runtime/crt0_roottask.S.
 */
    .section .text.start, "ax"
    .global _start
_start:
    mrs     x9, pmccntr_el0
    mrs     x10, cntpct_el0
    adrp    x11, bench_boot_pmccntr
    str     x9, [x11, :lo12:bench_boot_pmccntr]
    adrp    x11, bench_boot_cntpct
    str     x10, [x11, :lo12:bench_boot_cntpct]
    adrp    x9, bench_stack_top
    add     x9, x9, :lo12:bench_stack_top
    mov     sp, x9
    mov     x29, #0
    mov     x30, #0
    bl      roottask_main
1:  b       1b

    .section .bss.stack, "aw", %nobits
    .balign 16
    .space  65536
bench_stack_top:

    .section .bss, "aw", %nobits
    .balign 8
    .global bench_boot_pmccntr
    .global bench_boot_cntpct
bench_boot_pmccntr:
    .space  8
bench_boot_cntpct:
    .space  8
