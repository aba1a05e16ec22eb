/*
 * profiler.h - the kernel's sampling profiler (CONFIG_PROFILER): our
 * extension, not seL4's API. docs/debugging.md ("Sampling profiler") tells
 * the whole story.
 *
 * The kernel counts CPU cycles (or instructions) with a PMU counter on
 * every core and, after a random number of them averaging `period`, takes
 * an overflow interrupt and records a sample of the thread that core was
 * running: its pc, a short user call chain (frame records), who it is and
 * the core. Samples go into one buffer the consumer (the profiler PD) gave
 * it, one frame of RAM, written under the kernel lock by whichever core
 * took the sample; when the buffer is half full the kernel signals the
 * consumer's notification, which reads records and moves `tail` on. Why
 * this shape: a sample is taken in an interrupt, so the kernel must write
 * it somewhere without blocking or allocating; a shared ring read at
 * leisure costs one notification per half buffer rather than an IPC per
 * sample.
 *
 * Why random intervals (exponentially distributed, so that samples form a
 * Poisson process): a fixed period samples in step with anything that
 * keeps step with the samples. The consumer is the plain case: a sample
 * wakes it, and if it drains the buffer in less than one period a fixed
 * period never finds it running. With memoryless intervals every stretch
 * of time, wherever it starts, gets on average its length / period
 * samples.
 *
 * Control is one system call, outside seL4's numbers (no seL4 configuration
 * can reach -64), with IRQControl as its authority: the PMU interrupt is an
 * interrupt the kernel takes for itself. In a Microkit system the monitor
 * makes it, from the system description's <profiler> element.
 *
 * Pure: numbers, types and one inline system call; the kernel, PDs and host
 * tools include it.
 */
#ifndef PROFILER_UAPI_H
#define PROFILER_UAPI_H

#include <sel4/simple_types.h>
#include <sel4/errors.h>
#include <sel4/macros.h>

#define PROFILER_SYSCALL        (-64)

#define PROFILER_MAGIC          0x464f5250u     /* "PROF" */
#define PROFILER_VERSION        2u
#define PROFILER_MIN_PERIOD     1000u           /* mean events between samples, at least */

/* What the counter counts. */
enum profiler_event {
    PROFILER_CYCLES = 0,        /* CPU cycles (QEMU -icount: one per instruction or idle ns) */
    PROFILER_INSTRUCTIONS = 1,  /* instructions retired */
};

enum profiler_record_kind {
    PROFILER_SAMPLE = 1,        /* pc and call chain of the interrupted thread */
    PROFILER_THREAD_NAME = 2,   /* a thread's name (debug kernels), before its first sample */
};

#define PROFILER_CHAIN_MAX      11      /* return addresses per sample */
#define PROFILER_NAME_BYTES     (PROFILER_CHAIN_MAX * 8)

/* One record, 128 bytes. */
struct profiler_record {
    seL4_Uint16 kind;           /* enum profiler_record_kind */
    seL4_Uint16 core;           /* the core that took the sample (or met the thread) */
    seL4_Uint32 depth;          /* return addresses in chain[] */
    seL4_Uint64 thread;         /* the thread: the physical address of its TCB; 0: idle */
    seL4_Uint64 badge;          /* the badge of its fault-handler cap: in a Microkit
                                   system the PD (root PD index + 1; children
                                   1 << 62 | child id) */
    seL4_Uint64 time;           /* kernel clock (ticks of timer_hz) when taken */
    seL4_Uint64 pc;             /* where the thread was interrupted */
    union {
        seL4_Uint64 chain[PROFILER_CHAIN_MAX];  /* innermost caller first */
        char name[PROFILER_NAME_BYTES];         /* NUL-terminated */
    } u;
};

/* The start of the buffer; records follow, `capacity` of them. */
struct profiler_header {
    seL4_Uint32 magic, version;
    seL4_Uint64 capacity;       /* records after the header */
    seL4_Uint64 head;           /* records written (record n at n % capacity) */
    seL4_Uint64 tail;           /* records consumed: the consumer's to write */
    seL4_Uint64 dropped;        /* samples lost to a full buffer */
    seL4_Uint64 period;         /* mean events between samples, on each core */
    seL4_Uint64 event;          /* enum profiler_event */
    seL4_Uint64 timer_hz;       /* frequency of `time` */
    seL4_Uint64 cores;          /* cores sampling */
    seL4_Uint64 reserved[7];
};

SEL4_STATIC_ASSERT(sizeof(struct profiler_record) == 128, "profiler record layout");
SEL4_STATIC_ASSERT(sizeof(struct profiler_header) == 128, "profiler header layout");

/*
 * Start sampling on every core into `frame` (a 4 KiB or 2 MiB frame of
 * RAM, cleared by the kernel), signalling `notification` (its badge) when
 * half of it is unread, on each core one sample every `period` events of
 * kind `event` on average; replaces an earlier configuration. frame = 0
 * stops. Errors: IllegalOperation (the
 * authority is not IRQControl), InvalidCapability (frame is not a 4 KiB or
 * 2 MiB frame of RAM, or notification not a notification with Write),
 * InvalidArgument (period below PROFILER_MIN_PERIOD, unknown event).
 * Kernels without CONFIG_PROFILER answer with an UnknownSyscall fault.
 */
#if defined(__aarch64__) && !defined(__ASSEMBLER__)
LIBSEL4_INLINE_FUNC seL4_Error profiler_control(seL4_CPtr irq_control, seL4_CPtr frame,
                                                seL4_CPtr notification, seL4_Word period,
                                                seL4_Word event)
{
    register seL4_Word x0 __asm__("x0") = irq_control;
    register seL4_Word x1 __asm__("x1") = frame;
    register seL4_Word x2 __asm__("x2") = notification;
    register seL4_Word x3 __asm__("x3") = period;
    register seL4_Word x4 __asm__("x4") = event;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)PROFILER_SYSCALL;
    __asm__ __volatile__("svc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
                         : "r"(x7)
                         : "x5", "memory");
    return (seL4_Error)x0;
}
#endif

#endif /* PROFILER_UAPI_H */
