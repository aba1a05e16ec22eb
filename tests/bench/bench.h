/*
 * bench.h - the benchmark root task (tests/bench/, `make bench`).
 *
 * The measured loops are written in assembly (loops.S) so that the user
 * instructions inside every measured window are fixed and documented
 * (docs/bench.md, "What is counted"); main.c builds the threads and
 * objects, runs each loop and prints the statistics.
 *
 * Every loop takes one `struct bench_args *` in x0; its field offsets are
 * shared with the assembly below.
 */
#ifndef BENCH_H
#define BENCH_H

#define BA_CAP      0       /* endpoint / notification to use */
#define BA_CAP2     8       /* reply object / IRQ handler */
#define BA_INFO     16      /* message info of the send phase */
#define BA_COUNT    24      /* iterations */
#define BA_A        32      /* sample array A */
#define BA_B        40      /* sample array B */
#define BA_READY    48      /* notification signalled once ready (NBSendRecv) */
#define BA_ARG      56      /* extra: fault address, timer delay... */
#define BA_SIZE     64

/* Number of counter reads in bench_calibrate (after the one PMCCNTR read). */
#define CALIB_READS 20

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <sel4/sel4.h>

struct bench_args {
    seL4_Word cap;
    seL4_Word cap2;
    seL4_Word info;
    seL4_Word count;
    uint64_t *a;
    uint64_t *b;
    seL4_Word ready;
    seL4_Word arg;
};

_Static_assert(__builtin_offsetof(struct bench_args, cap2) == BA_CAP2, "BA_CAP2");
_Static_assert(__builtin_offsetof(struct bench_args, info) == BA_INFO, "BA_INFO");
_Static_assert(__builtin_offsetof(struct bench_args, count) == BA_COUNT, "BA_COUNT");
_Static_assert(__builtin_offsetof(struct bench_args, a) == BA_A, "BA_A");
_Static_assert(__builtin_offsetof(struct bench_args, b) == BA_B, "BA_B");
_Static_assert(__builtin_offsetof(struct bench_args, ready) == BA_READY, "BA_READY");
_Static_assert(__builtin_offsetof(struct bench_args, arg) == BA_ARG, "BA_ARG");
_Static_assert(sizeof(struct bench_args) == BA_SIZE, "BA_SIZE");

typedef void (*bench_loop_fn)(struct bench_args *);

/* loops.S; what each one counts is described there. */
void bench_overhead(struct bench_args *);       /* a[i] = two back-to-back reads */
void bench_syscall(struct bench_args *);        /* a[i] = one syscall (arg = number) */
void bench_ipc_client(struct bench_args *);     /* a[i] = t0, b[i] = t3 */
void bench_ipc_server(struct bench_args *);     /* plain ReplyRecv loop */
void bench_ipc_server_ts(struct bench_args *);  /* a[k] = t1, b[k+1] = t2 */
void bench_ntfn_waiter(struct bench_args *);    /* a[i] = wake time */
void bench_ntfn_signaller(struct bench_args *); /* a[i] = t0 */
void bench_ipc_client_fpu(struct bench_args *); /* a[i] = t0, b[i] = t3, FPU used */
void bench_ipc_server_fpu(struct bench_args *); /* ReplyRecv loop, FPU used */
void bench_ntfn_rt_client(struct bench_args *); /* Signal cap, Wait cap2: a[i] = t0, b[i] = t1 */
void bench_ntfn_rt_server(struct bench_args *); /* Wait cap, Signal cap2 forever */
void bench_ntfn_lowprio_signaller(struct bench_args *); /* a[i] = Signal to a waiter */
void bench_ntfn_lowprio_waiter(struct bench_args *);    /* Wait cap, then NBSendWait */
void bench_yield_pair(struct bench_args *);     /* a[i] = before, b[i] = after */
void bench_udf_faulter(struct bench_args *);    /* a[i] = t0, b[i] = t1 */
void bench_udf_handler(struct bench_args *);    /* plain: reply pc + 4 */
void bench_udf_handler_ts(struct bench_args *); /* a[k] = arrival, b[k+1] = reply */
void bench_vm_faulter(struct bench_args *);     /* loads from arg forever */
void bench_vm_handler(struct bench_args *);     /* a[i] = fault arrival */
void bench_irq_handler(struct bench_args *);    /* a[i] = wake, b[i] = CVAL */
void bench_spin(struct bench_args *);           /* never returns */
/* out[0] = PMCCNTR, out[1..CALIB_READS] = CNTPCT read right after it. */
void bench_calibrate(uint64_t *out);

/* crt0 (loops.S): the counters read by the root task's first instructions. */
extern uint64_t bench_boot_pmccntr, bench_boot_cntpct;
#endif

#endif /* BENCH_H */
