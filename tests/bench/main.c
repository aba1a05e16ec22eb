/*
 * The benchmark root task (`make bench`, docs/bench.md).
 *
 * Boots instead of the monitor in a CONFIG_BENCHMARK kernel, where user
 * level may read PMCCNTR_EL0; under QEMU -icount shift=0 that counter
 * advances once per instruction. For every operation it creates the
 * threads and objects, runs one of the assembly loops of loops.S (warm-up
 * iterations first), subtracts the measured cost of reading the counter
 * and prints one line per figure:
 *
 *   BENCH|RESULT <key> n=<n> min= max= median_lo= median_hi= sum= sumsq=
 *
 * (instructions per operation; scripts/bench.py turns them into the
 * table). Other lines: BENCH|INFO (parameters, calibration), BENCH|BOOT
 * (the counters at the root task's first instruction), BENCH|ERROR, and
 * BENCH|DONE at the end; the run then idles (a release kernel cannot
 * power off on request), so the harness stops QEMU.
 *
 * Address spaces: "A" is the root task's VSpace; "B" is a second VSpace
 * (its own ASID) that maps the same image frames at the same addresses,
 * so a thread moved there runs the same code and shares the sample arrays
 * through memory, but every switch between A and B changes TTBR0.
 * Threads never use the IPC-buffer global of the user API (only the root
 * thread does): the loops pass everything in registers.
 */
#include <roottask.h>
#include <sel4/bootinfo.h>
#include <string.h>
#include "bench.h"
#include "bench_config.h"

#ifndef CONFIG_BENCHMARK
#error "the benchmark root task needs a kernel built with CONFIG_BENCHMARK=y"
#endif

#define N       BENCH_ITERS
#define W       BENCH_WARMUP
#define MAXS    (BENCH_ITERS + BENCH_WARMUP + 4)

#define PRIO_LOW      50      /* the spinner of the IRQ benchmark */
#define PRIO_CLIENT   100     /* clients, signallers, faulters, yielders */
#define PRIO_WAITER   110     /* the notification waiter (above the signaller) */
#define PRIO_SERVER   200     /* servers and fault handlers */
#define BUDGET_US     1000000 /* 1 s round-robin: no timer interrupt in any loop */

#define IRQ_PTIMER    30      /* EL1 physical timer (PPI), driven from EL0 */
#define IRQ_DELAY     1000    /* CNTPCT ticks from arming to firing (16000 instructions) */
#define FAULT_ADDR    0x100000000000ul    /* nothing is mapped there */

static seL4_BootInfo *bi;
static seL4_CPtr next_slot, pool;
static seL4_CPtr vs_b;          /* the second address space */
static seL4_CPtr done_ntfn;     /* a thread's loop has finished */
static seL4_CPtr park_ntfn;     /* never signalled: finished threads wait here */
static uint64_t ovh;            /* cost of one counter read */
static int64_t delta;           /* virtual time (ns = instructions) - PMCCNTR */

/* Sample arrays shared with the threads (same frames in both VSpaces). */
static uint64_t sa[MAXS], sb[MAXS], sc[MAXS], sd[MAXS], res[2 * MAXS], work[2 * MAXS];

/* ---------------------------------------------------------------- errors */

static _Noreturn void stop(void)
{
    rt_printf("BENCH|DONE (failed)\n");
    for (;;)
        seL4_Wait(park_ntfn, NULL);
}

static void check(seL4_Error err, const char *what)
{
    if (err != seL4_NoError) {
        rt_printf("BENCH|ERROR %s: seL4 error %d\n", what, (int)err);
        stop();
    }
}

/* ---------------------------------------------------------------- objects */

static seL4_CPtr slot(void)
{
    if (next_slot >= bi->empty.end) {
        rt_printf("BENCH|ERROR out of CNode slots\n");
        stop();
    }
    return next_slot++;
}

static seL4_CPtr new_object(seL4_Word type, seL4_Word bits, const char *what)
{
    seL4_CPtr s = slot();
    check(seL4_Untyped_Retype(pool, type, bits, seL4_CapInitThreadCNode, 0, 0, s, 1), what);
    return s;
}

static void pick_pool(void)
{
    seL4_Word best = 0, n = bi->untyped.end - bi->untyped.start;
    int found = 0;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && (!found || d->sizeBits > bi->untypedList[best].sizeBits)) {
            best = i;
            found = 1;
        }
    }
    if (!found) {
        rt_printf("BENCH|ERROR no RAM untyped\n");
        stop();
    }
    pool = bi->untyped.start + best;
}

/* Page_Map, creating the page tables the kernel reports missing. */
static void map_page(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr)
{
    for (int i = 0; i < 4; i++) {
        seL4_Error err = seL4_ARM_Page_Map(frame, vspace, vaddr, seL4_ReadWrite,
                                           seL4_ARM_Default_VMAttributes);
        if (err != seL4_FailedLookup) {
            check(err, "Page_Map");
            return;
        }
        seL4_CPtr pt = new_object(seL4_ARM_PageTableObject, 0, "page table");
        check(seL4_ARM_PageTable_Map(pt, vspace, vaddr, seL4_ARM_Default_VMAttributes),
              "PageTable_Map");
    }
    check(seL4_FailedLookup, "Page_Map after four page tables");
}

/* Address space B: copies of the image frames at the same addresses. */
static seL4_CPtr clone_vspace(void)
{
    extern char _start[];
    seL4_CPtr vs = new_object(seL4_ARM_VSpaceObject, 0, "VSpace");
    check(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs), "ASIDPool_Assign");
    seL4_Word base = (seL4_Word)_start & ~0xffful;
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end; f++) {
        seL4_CPtr copy = slot();
        check(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits,
                              seL4_CapInitThreadCNode, f, seL4_WordBits, seL4_AllRights),
              "CNode_Copy of an image frame");
        map_page(copy, vs, base + (f - bi->userImageFrames.start) * 4096);
    }
    return vs;
}

/* ---------------------------------------------------------------- threads */

#define REGION_SIZE  0x4000     /* page 0: IPC buffer; the rest: stack */
#define MAX_THREADS  4

static char regions[MAX_THREADS][REGION_SIZE]
    __attribute__((aligned(4096), section(".bss.bench_regions")));

struct job {
    bench_loop_fn fn;
    struct bench_args *args;
    seL4_CPtr done;             /* signalled when fn returns (0: none) */
};

struct thread {
    seL4_CPtr tcb, sc;
    struct job job;
};

static struct thread threads[MAX_THREADS];
static int nthreads;
static unsigned thread_core;    /* the core thread_new's SCs run on (SchedControl) */

static void sys_signal(seL4_CPtr ntfn)
{
    register seL4_Word x0 __asm__("x0") = ntfn;
    register seL4_Word x1 __asm__("x1") = 0;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)seL4_SysSend;
    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1) : "r"(x7) : "x2", "x3", "x4", "x5", "memory");
}

static void sys_wait(seL4_CPtr ntfn)
{
    register seL4_Word x0 __asm__("x0") = ntfn;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)seL4_SysWait;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x7) : "x1", "x2", "x3", "x4", "x5", "memory");
}

/* Every thread starts here (x0 = its job); it touches no IPC buffer. */
void bench_thread_entry(struct job *j);
void bench_thread_entry(struct job *j)
{
    j->fn(j->args);
    if (j->done)
        sys_signal(j->done);
    for (;;)
        sys_wait(park_ntfn);
}

/*
 * A thread of priority prio in vspace running fn(args), not started.
 * passive: no SchedContext. fault_ep: its fault handler (0: none).
 */
static struct thread *thread_new(int prio, seL4_CPtr vspace, int passive, seL4_CPtr fault_ep,
                                 bench_loop_fn fn, struct bench_args *args, int signal_done)
{
    if (nthreads >= MAX_THREADS) {
        rt_printf("BENCH|ERROR too many threads\n");
        stop();
    }
    int i = nthreads++;
    struct thread *t = &threads[i];
    memset(t, 0, sizeof(*t));
    t->job.fn = fn;
    t->job.args = args;
    t->job.done = signal_done ? done_ntfn : 0;
    char *region = regions[i];
    memset(region, 0, 4096);
    extern char _start[];
    seL4_Word base = (seL4_Word)_start & ~0xffful;
    seL4_CPtr ipc_frame = bi->userImageFrames.start + (((seL4_Word)region - base) >> 12);

    t->tcb = new_object(seL4_TCBObject, 0, "TCB");
    if (!passive) {
        t->sc = new_object(seL4_SchedContextObject, 8, "SchedContext");
        check(seL4_SchedControl_ConfigureFlags(bi->schedcontrol.start + thread_core, t->sc,
                                               BUDGET_US,
                                               BUDGET_US, 0, 0, 0),
              "SchedControl_ConfigureFlags");
    }
    check(seL4_TCB_Configure(t->tcb, seL4_CapInitThreadCNode, 0, vspace, 0, (seL4_Word)region,
                             ipc_frame), "TCB_Configure");
    check(seL4_TCB_SetSchedParams(t->tcb, seL4_CapInitThreadTCB, (seL4_Word)prio,
                                  (seL4_Word)prio, passive ? seL4_CapNull : t->sc, fault_ep),
          "TCB_SetSchedParams");
    seL4_UserContext regs;
    memset(&regs, 0, sizeof(regs));
    regs.pc = (seL4_Word)bench_thread_entry;
    regs.sp = (seL4_Word)region + REGION_SIZE;
    regs.x0 = (seL4_Word)&t->job;
    check(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 4, &regs), "TCB_WriteRegisters");
    return t;
}

static void thread_start(struct thread *t)
{
    check(seL4_TCB_Resume(t->tcb), "TCB_Resume");
}

/* Suspend every thread of the finished benchmark; their regions are reused. */
static void threads_reset(void)
{
    for (int i = 0; i < nthreads; i++)
        check(seL4_TCB_Suspend(threads[i].tcb), "TCB_Suspend");
    nthreads = 0;
}

/* Start a server (it signals `ready` from its first NBSendRecv) and wait for it. */
static void server_start(struct thread *t, seL4_CPtr ready, int passive)
{
    thread_start(t);
    seL4_Wait(ready, NULL);
    if (passive)
        check(seL4_SchedContext_Unbind(t->sc), "SchedContext_Unbind (passive server)");
}

static void wait_done(void)
{
    seL4_Wait(done_ntfn, NULL);
}

/* ---------------------------------------------------------------- statistics */

static void sort(uint64_t *v, unsigned n)
{
    /* Shell sort, Ciura's gaps */
    static const unsigned gaps[] = { 701, 301, 132, 57, 23, 10, 4, 1 };
    for (unsigned g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
        unsigned gap = gaps[g];
        for (unsigned i = gap; i < n; i++) {
            uint64_t x = v[i];
            unsigned j = i;
            for (; j >= gap && v[j - gap] > x; j -= gap)
                v[j] = v[j - gap];
            v[j] = x;
        }
    }
}

/* Print the statistics of res[0..n). */
static void report(const char *key, unsigned n)
{
    uint64_t sum = 0, sumsq = 0;
    for (unsigned i = 0; i < n; i++) {
        work[i] = res[i];
        sum += res[i];
        sumsq += res[i] * res[i];
    }
    sort(work, n);
    rt_printf("BENCH|RESULT %s n=%u min=%lu max=%lu median_lo=%lu median_hi=%lu sum=%lu "
              "sumsq=%lu\n", key, n, work[0], work[n - 1], work[(n - 1) / 2], work[n / 2], sum,
              sumsq);
}

/* res[i] = b[W + i] - a[W + i] - ovh for i < N, then report. */
static void report_pairs(const char *key, const uint64_t *a, const uint64_t *b)
{
    for (unsigned i = 0; i < N; i++)
        res[i] = b[W + i] - a[W + i] - ovh;
    report(key, N);
}

/* Is this figure selected? (ONLY= of tests/bench/Makefile: exact keys) */
static int want(const char *key)
{
#ifdef BENCH_ONLY
    const char *p = BENCH_ONLY;
    size_t n = strlen(key);
    while (*p) {
        const char *e = p;
        while (*e && *e != ',')
            e++;
        if ((size_t)(e - p) == n && strncmp(p, key, n) == 0)
            return 1;
        p = *e ? e + 1 : e;
    }
    return 0;
#else
    (void)key;
    return 1;
#endif
}

static seL4_Word msginfo(seL4_Word label, seL4_Word len)
{
    return seL4_MessageInfo_new(label, 0, 0, len).words[0];
}

/* ---------------------------------------------------------------- benchmarks */

static void bench_counter(void)
{
    struct bench_args a = { .count = W + N, .a = sa };
    bench_overhead(&a);
    ovh = sa[W];
    for (unsigned i = W; i < W + N; i++)
        if (sa[i] < ovh)
            ovh = sa[i];
    for (unsigned i = 0; i < N; i++)
        res[i] = sa[W + i];
    report("counter_read", N);
    rt_printf("BENCH|INFO overhead=%lu\n", ovh);
}

/* One system call in a loop, in a thread of its own at PRIO_CLIENT. */
static void bench_one_syscall(const char *key, seL4_Word number, seL4_CPtr cap)
{
    if (!want(key))
        return;
    struct bench_args a = { .cap = cap, .count = W + N, .a = sa, .arg = number };
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0, bench_syscall, &a, 1));
    wait_done();
    threads_reset();
    for (unsigned i = 0; i < N; i++)
        res[i] = sa[W + i] - ovh;
    report(key, N);
}

static void bench_syscalls(void)
{
    seL4_CPtr ntfn = new_object(seL4_NotificationObject, 0, "notification");
    bench_one_syscall("syscall_nbsend_null", (seL4_Word)seL4_SysNBSend, seL4_CapNull);
    bench_one_syscall("syscall_poll_idle", (seL4_Word)seL4_SysNBWait, ntfn);
    bench_one_syscall("syscall_yield_alone", (seL4_Word)seL4_SysYield, seL4_CapNull);
    bench_one_syscall("ntfn_signal_nowaiter", (seL4_Word)seL4_SysSend, ntfn);
}

/* Variants of the IPC round trip. */
enum ipc_variant {
    IPC_PLAIN,
    IPC_FPU,            /* client and server use the FPU every iteration */
    IPC_LOW_READY,      /* a lower-priority thread is runnable all along */
};

/*
 * Client (A) and server (B, or A when same_as) over a new endpoint.
 * timestamps: the server records t1/t2 for the one-way legs.
 */
static void run_ipc_variant(seL4_Word len, int passive, int same_as, int timestamps,
                            enum ipc_variant variant)
{
    seL4_CPtr ep = new_object(seL4_EndpointObject, 0, "endpoint");
    seL4_CPtr reply = new_object(seL4_ReplyObject, 0, "reply");
    seL4_CPtr ready = new_object(seL4_NotificationObject, 0, "notification");
    struct bench_args s = { .cap = ep, .cap2 = reply, .info = msginfo(0, len), .ready = ready,
                            .a = sc, .b = sd };
    struct bench_args c = { .cap = ep, .info = msginfo(0, len), .a = sa, .b = sb,
                            .count = W + N + (timestamps ? 1 : 0) };
    static struct bench_args spin;
    if (variant == IPC_LOW_READY)
        thread_start(thread_new(PRIO_LOW, seL4_CapInitThreadVSpace, 0, 0, bench_spin, &spin, 0));
    bench_loop_fn server = timestamps ? bench_ipc_server_ts :
                           variant == IPC_FPU ? bench_ipc_server_fpu : bench_ipc_server;
    struct thread *st = thread_new(passive ? PRIO_SERVER : PRIO_CLIENT,
                                   same_as ? seL4_CapInitThreadVSpace : vs_b, 0, 0, server, &s, 0);
    server_start(st, ready, passive);
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0,
                            variant == IPC_FPU ? bench_ipc_client_fpu : bench_ipc_client, &c, 1));
    wait_done();
    threads_reset();
}

static void run_ipc(seL4_Word len, int passive, int same_as, int timestamps)
{
    run_ipc_variant(len, passive, same_as, timestamps, IPC_PLAIN);
}

static void bench_ipc(void)
{
    static const struct {
        seL4_Word len;
        const char *roundtrip, *call, *replyrecv;
    } runs[] = {
        { 0, "ipc_roundtrip_0", "ipc_call_0", "ipc_replyrecv_0" },
        { 4, "ipc_roundtrip_4", "ipc_call_4", "ipc_replyrecv_4" },
        { 10, "ipc_roundtrip_10", "ipc_call_10", "ipc_replyrecv_10" },
    };
    for (unsigned l = 0; l < sizeof(runs) / sizeof(runs[0]); l++) {
        if (want(runs[l].roundtrip)) {
            run_ipc(runs[l].len, 1, 0, 0);
            report_pairs(runs[l].roundtrip, sa, sb);
        }
        if (want(runs[l].call) || want(runs[l].replyrecv)) {
            run_ipc(runs[l].len, 1, 0, 1);
            /* Call: client t0 (sa) -> server t1 (sc);
               ReplyRecv: server t2 (sd[k + 1]) -> client t3 (sb) */
            report_pairs(runs[l].call, sa, sc);
            report_pairs(runs[l].replyrecv, sd + 1, sb);
        }
    }
    if (want("ipc_roundtrip_0_same_as")) {
        run_ipc(0, 1, 1, 0);
        report_pairs("ipc_roundtrip_0_same_as", sa, sb);
    }
    if (want("ipc_roundtrip_0_active")) {
        run_ipc(0, 0, 0, 0);
        report_pairs("ipc_roundtrip_0_active", sa, sb);
    }
    if (want("ipc_roundtrip_0_lowready")) {
        run_ipc_variant(0, 1, 0, 0, IPC_LOW_READY);
        report_pairs("ipc_roundtrip_0_lowready", sa, sb);
    }
    if (want("ipc_roundtrip_fpu")) {
        run_ipc_variant(0, 1, 0, 0, IPC_FPU);
        report_pairs("ipc_roundtrip_fpu", sa, sb);
    }
}

/*
 * Notification round trip: the client (A) signals one notification and
 * waits on another; the server (B, the same priority) waits on the first
 * and signals the second.
 */
static void bench_ntfn_roundtrip(void)
{
    if (!want("ntfn_roundtrip"))
        return;
    seL4_CPtr to_server = new_object(seL4_NotificationObject, 0, "notification");
    seL4_CPtr to_client = new_object(seL4_NotificationObject, 0, "notification");
    struct bench_args sv = { .cap = to_server, .cap2 = to_client };
    struct bench_args cl = { .cap = to_server, .cap2 = to_client, .count = W + N, .a = sa,
                             .b = sb };
    /* The server runs first (queued first at one priority) and waits. */
    thread_start(thread_new(PRIO_CLIENT, vs_b, 0, 0, bench_ntfn_rt_server, &sv, 0));
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0, bench_ntfn_rt_client,
                            &cl, 1));
    wait_done();
    threads_reset();
    report_pairs("ntfn_roundtrip", sa, sb);
}

/*
 * Signal to a lower-priority waiter, both in A, as sel4bench's "Signal to
 * low prio thread": the signaller (one priority above) signals back to
 * back; its first Signal readies the waiter, which cannot run, so the
 * Signals measured find the notification active and the waiter ready.
 */
static void bench_ntfn_lowprio(void)
{
    if (want("ntfn_signal_lowprio")) {
        seL4_CPtr ntfn = new_object(seL4_NotificationObject, 0, "notification");
        struct bench_args w = { .cap = ntfn, .count = W + N, .a = sc };
        struct bench_args s = { .cap = ntfn, .count = W + N, .a = sa,
                                .arg = (seL4_Word)seL4_SysSend };
        thread_start(thread_new(PRIO_SERVER, seL4_CapInitThreadVSpace, 0, 0, bench_ntfn_waiter,
                                &w, 0));
        thread_start(thread_new(PRIO_SERVER + 1, seL4_CapInitThreadVSpace, 0, 0, bench_syscall,
                                &s, 1));
        wait_done();
        threads_reset();
        for (unsigned i = 0; i < N; i++)
            res[i] = sa[W + i] - ovh;
        report("ntfn_signal_lowprio", N);
    }
    if (want("ntfn_signal_lowprio_waiting")) {
        /* The waiter waits each time: every Signal measured wakes it. */
        seL4_CPtr ntfn = new_object(seL4_NotificationObject, 0, "notification");
        seL4_CPtr back = new_object(seL4_NotificationObject, 0, "notification");
        struct bench_args w = { .cap = ntfn, .cap2 = back };
        struct bench_args s = { .cap = ntfn, .cap2 = back, .count = W + N, .a = sa };
        thread_start(thread_new(PRIO_SERVER, seL4_CapInitThreadVSpace, 0, 0,
                                bench_ntfn_lowprio_waiter, &w, 0));
        thread_start(thread_new(PRIO_SERVER + 1, seL4_CapInitThreadVSpace, 0, 0,
                                bench_ntfn_lowprio_signaller, &s, 1));
        wait_done();
        threads_reset();
        for (unsigned i = 0; i < N; i++)
            res[i] = sa[W + i] - ovh;
        report("ntfn_signal_lowprio_waiting", N);
    }
}

/* Signal to a waiting higher-priority thread in the other address space. */
static void bench_notification(void)
{
    if (!want("ntfn_signal_wake"))
        return;
    seL4_CPtr ntfn = new_object(seL4_NotificationObject, 0, "notification");
    struct bench_args w = { .cap = ntfn, .count = W + N, .a = sc };
    struct bench_args s = { .cap = ntfn, .count = W + N, .a = sa };
    thread_start(thread_new(PRIO_WAITER, vs_b, 0, 0, bench_ntfn_waiter, &w, 0));
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0, bench_ntfn_signaller,
                            &s, 1));
    wait_done();
    threads_reset();
    report_pairs("ntfn_signal_wake", sa, sc);
}

/* Two threads of one priority yielding to each other. */
static void bench_yield(const char *key, seL4_CPtr vs_other)
{
    if (!want(key))
        return;
    struct bench_args x = { .count = W + N, .a = sa, .b = sb };
    struct bench_args y = { .count = W + N, .a = sc, .b = sd };
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0, bench_yield_pair, &x, 1));
    thread_start(thread_new(PRIO_CLIENT, vs_other, 0, 0, bench_yield_pair, &y, 0));
    wait_done();
    threads_reset();
    /* x runs first, so the order is x.before[0], y.before[0], x.after[0],
       x.before[1], y.after[0], y.before[1], x.after[1]...: each Yield goes
       from y.before[i] to x.after[i] or from x.before[i + 1] to y.after[i].
       y stores before[i] only once its Yield has returned, which its last
       one never does (x has finished by then): N - 1 of each kind. */
    unsigned n = 0;
    for (unsigned i = W; i + 1 < W + N; i++) {
        res[n++] = sb[i] - sc[i] - ovh;             /* y.before[i] -> x.after[i] */
        res[n++] = sd[i] - sa[i + 1] - ovh;         /* x.before[i + 1] -> y.after[i] */
    }
    report(key, n);
}

/* UserException (udf) round trip and its two legs; handler in B. */
static void run_fault(int timestamps)
{
    seL4_CPtr ep = new_object(seL4_EndpointObject, 0, "endpoint");
    seL4_CPtr reply = new_object(seL4_ReplyObject, 0, "reply");
    seL4_CPtr ready = new_object(seL4_NotificationObject, 0, "notification");
    struct bench_args h = { .cap = ep, .cap2 = reply, .ready = ready, .a = sc, .b = sd };
    struct bench_args f = { .count = W + N + (timestamps ? 1 : 0), .a = sa, .b = sb };
    server_start(thread_new(PRIO_SERVER, vs_b, 0, 0,
                            timestamps ? bench_udf_handler_ts : bench_udf_handler, &h, 0),
                 ready, 0);
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, ep, bench_udf_faulter, &f,
                            1));
    wait_done();
    threads_reset();
}

static void bench_faults(void)
{
    if (want("fault_roundtrip")) {
        run_fault(0);
        report_pairs("fault_roundtrip", sa, sb);
    }
    if (want("fault_deliver") || want("fault_reply_resume")) {
        run_fault(1);
        report_pairs("fault_deliver", sa, sc);
        report_pairs("fault_reply_resume", sd + 1, sb);
    }
    if (!want("vmfault_roundtrip"))
        return;

    /* VMFault: the handler replies without mapping anything, so the load
       faults again: the time between two arrivals is one round trip. */
    seL4_CPtr ep = new_object(seL4_EndpointObject, 0, "endpoint");
    seL4_CPtr reply = new_object(seL4_ReplyObject, 0, "reply");
    seL4_CPtr ready = new_object(seL4_NotificationObject, 0, "notification");
    struct bench_args h = { .cap = ep, .cap2 = reply, .ready = ready, .count = W + N + 1,
                            .a = sa };
    struct bench_args f = { .arg = FAULT_ADDR };
    server_start(thread_new(PRIO_SERVER, vs_b, 0, 0, bench_vm_handler, &h, 1), ready, 0);
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, ep, bench_vm_faulter, &f,
                            0));
    wait_done();
    threads_reset();
    report_pairs("vmfault_roundtrip", sa, sa + 1);
}

/*
 * delta = virtual time - PMCCNTR. Virtual time is in ns, one per
 * instruction; CNTPCT = virtual time / 16. The first CNTPCT read that
 * shows a new tick ran at exactly 16 * tick.
 */
static int calibrate(int64_t *out)
{
    uint64_t r[CALIB_READS + 1];
    bench_calibrate(r);
    for (unsigned k = 2; k <= CALIB_READS; k++) {
        if (r[k] != r[k - 1]) {
            *out = (int64_t)(16 * r[k]) - (int64_t)k - (int64_t)r[0];
            return 1;
        }
    }
    return 0;
}

static void bench_calibration(void)
{
    int64_t d1 = 0, d2 = 0;
    int ok = calibrate(&d1);
    seL4_Yield();
    ok = ok && calibrate(&d2);
    if (!ok || d1 != d2) {
        rt_printf("BENCH|ERROR counter calibration: %s (%ld, %ld)\n",
                  ok ? "two calibrations differ" : "no CNTPCT tick seen", (long)d1, (long)d2);
        stop();
    }
    delta = d1;
    rt_printf("BENCH|INFO delta=%ld\n", (long)delta);
}

/*
 * The load of irq_latency_under_load: the longest kernel operations a
 * thread can ask for, back to back. Each round retypes all of a 128 MiB
 * untyped (63 large pages and one 2 MiB CNode of 2^16 slots: 128 MiB to
 * zero), then revokes it (destroying the CNode slot by slot). It calls
 * with its own IPC buffer (its region's first page), not the root task's.
 */
#define LOAD_UNTYPED_BITS   27
#define LOAD_PAGES          63
#define LOAD_CNODE_RADIX    16

struct load {
    seL4_CPtr untyped;
    seL4_CPtr dest;                 /* LOAD_PAGES + 1 free slots from here */
    seL4_IPCBuffer *ipc;
};

static seL4_Word load_call(seL4_IPCBuffer *ipc, seL4_CPtr cap, seL4_Word label,
                           const seL4_Word *mr, seL4_Word n, int cnode_arg)
{
    for (seL4_Word i = seL4_FastMessageRegisters; i < n; i++)
        ipc->msg[i] = mr[i];
    ipc->caps_or_badges[0] = seL4_CapInitThreadCNode;
    register seL4_Word x0 __asm__("x0") = cap;
    register seL4_Word x1 __asm__("x1") =
        seL4_MessageInfo_new(label, 0, cnode_arg ? 1 : 0, n).words[0];
    register seL4_Word x2 __asm__("x2") = mr[0];
    register seL4_Word x3 __asm__("x3") = mr[1];
    register seL4_Word x4 __asm__("x4") = n > 2 ? mr[2] : 0;
    register seL4_Word x5 __asm__("x5") = n > 3 ? mr[3] : 0;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)seL4_SysCall;
    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     : "r"(x7) : "memory");
    return seL4_MessageInfo_get_label((seL4_MessageInfo_t){ { x1 } });
}

static void bench_load(struct bench_args *a)
{
    const struct load *l = (const struct load *)a->arg;
    const seL4_Word pages[] = { seL4_ARM_LargePageObject, 0, 0, 0, l->dest, LOAD_PAGES };
    const seL4_Word cnode[] = { seL4_CapTableObject, LOAD_CNODE_RADIX, 0, 0,
                                l->dest + LOAD_PAGES, 1 };
    const seL4_Word revoke[] = { l->untyped, seL4_WordBits };
    for (;;) {
        if (load_call(l->ipc, l->untyped, UntypedRetype, pages, 6, 1) ||
            load_call(l->ipc, l->untyped, UntypedRetype, cnode, 6, 1) ||
            load_call(l->ipc, seL4_CapInitThreadCNode, CNodeRevoke, revoke, 2, 0)) {
            rt_printf("BENCH|ERROR the load thread's Retype or Revoke failed\n");
            stop();
        }
    }
}

enum irq_background { IRQ_IDLE, IRQ_SPIN, IRQ_LOAD };

/* The timer interrupt to its user-level handler in B while a thread of
   lower priority spins, keeps the kernel busy (IRQ_LOAD), or nothing runs
   (the kernel idles in WFI). */
static void bench_irq(seL4_CPtr handler, seL4_CPtr ntfn, enum irq_background bg, const char *key)
{
    if (!want(key))
        return;
    struct bench_args h = { .cap = ntfn, .cap2 = handler, .count = W + N, .a = sa, .b = sb,
                            .arg = IRQ_DELAY, .info = msginfo(IRQAckIRQ, 0) };
    struct bench_args s = { 0 };
    static struct load load;
    if (bg == IRQ_SPIN)
        thread_start(thread_new(PRIO_LOW, seL4_CapInitThreadVSpace, 0, 0, bench_spin, &s, 0));
    if (bg == IRQ_LOAD) {
        load.untyped = new_object(seL4_UntypedObject, LOAD_UNTYPED_BITS, "untyped (128 MiB)");
        load.dest = slot();
        for (unsigned i = 0; i < LOAD_PAGES; i++)
            slot();
        s.arg = (seL4_Word)&load;
        struct thread *t = thread_new(PRIO_LOW, seL4_CapInitThreadVSpace, 0, 0, bench_load, &s, 0);
        load.ipc = (seL4_IPCBuffer *)regions[t - threads];
        thread_start(t);
    }
    thread_start(thread_new(PRIO_SERVER, vs_b, 0, 0, bench_irq_handler, &h, 1));
    wait_done();
    threads_reset();
    /* fired at virtual time 16 * CVAL = PMCCNTR 16 * CVAL - delta */
    for (unsigned i = 0; i < N; i++)
        res[i] = (uint64_t)((int64_t)sa[W + i] + delta - (int64_t)(16 * sb[W + i])) - ovh;
    report(key, N);
}

static void bench_irqs(void)
{
    seL4_CPtr ntfn = new_object(seL4_NotificationObject, 0, "notification");
    seL4_CPtr handler = slot();
#if CONFIG_MAX_NUM_NODES > 1
    /* A private line exists once per core: core 0's, where the handler runs. */
    check(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_PTIMER, 0,
                                         seL4_CapInitThreadCNode, handler, seL4_WordBits, 0),
          "IRQControl_GetTriggerCore (PPI 30, core 0)");
#else
    check(seL4_IRQControl_Get(seL4_CapIRQControl, IRQ_PTIMER, seL4_CapInitThreadCNode, handler,
                              seL4_WordBits), "IRQControl_Get (PPI 30)");
#endif
    check(seL4_IRQHandler_SetNotification(handler, ntfn), "IRQHandler_SetNotification");
    bench_irq(handler, ntfn, IRQ_SPIN, "irq_to_handler");
    bench_irq(handler, ntfn, IRQ_IDLE, "irq_to_handler_idle");
    bench_irq(handler, ntfn, IRQ_LOAD, "irq_latency_under_load");
}

/* ---------------------------------------------------------------- profiler */

#ifdef CONFIG_PROFILER
#include <profiler.h>

#define PROFILER_BENCH_PERIOD 5000  /* instructions between samples */

/*
 * One sample of the sampling profiler (CONFIG_PROFILER): the Yield loop of
 * syscall_yield_alone with a sample every PROFILER_BENCH_PERIOD
 * instructions, against the same loop without. An iteration that took a
 * sample costs the sample more: the PMU interrupt, the record with the
 * call chain, the return (under -icount the overflow interrupt is taken at
 * the next kernel entry; every Yield is one). The buffer is a 2 MiB frame,
 * so none is dropped.
 */
static void yield_loop(void)
{
    struct bench_args a = { .cap = seL4_CapNull, .count = W + N, .a = sa,
                            .arg = (seL4_Word)seL4_SysYield };
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0, bench_syscall, &a, 1));
    wait_done();
    threads_reset();
}

static void bench_profiler(void)
{
    if (!want("profiler_sample"))
        return;
    seL4_CPtr frame = new_object(seL4_ARM_LargePageObject, 0, "profiler buffer");
    seL4_CPtr ntfn = new_object(seL4_NotificationObject, 0, "notification");
    yield_loop();
    for (unsigned i = 0; i < N; i++)
        work[i] = sa[W + i] - ovh;
    sort(work, N);
    uint64_t base = work[N / 2];
    check(profiler_control(seL4_CapIRQControl, frame, ntfn, PROFILER_BENCH_PERIOD,
                           PROFILER_INSTRUCTIONS), "profiler_control");
    yield_loop();
    check(profiler_control(seL4_CapIRQControl, 0, 0, 0, 0), "profiler_control (stop)");
    unsigned n = 0;
    for (unsigned i = 0; i < N; i++) {
        uint64_t cost = sa[W + i] - ovh;
        if (cost > base + 50)
            res[n++] = cost - base;
    }
    rt_printf("BENCH|INFO profiler_period=%u profiler_samples=%u yield_base=%lu\n",
              PROFILER_BENCH_PERIOD, n, base);
    if (n)
        report("profiler_sample", n);
}
#endif

#if CONFIG_MAX_NUM_NODES > 1
/* ---------------------------------------------------------------- multicore */

/*
 * Across cores PMCCNTR (one core's instructions) misses the other core's
 * share, so these figures are virtual time: with -icount shift=0 one
 * nanosecond per instruction executed on any core, read from CNTPCT
 * (16 ns a tick at 62.5 MHz; medians over N samples). Each is measured
 * between two cores and, for comparison, with both threads on core 0.
 */
static uint64_t vtime(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v) :: "memory");
    return v;
}

static uint64_t vtime_hz(void)
{
    uint64_t f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    return f;
}

/* res[i] = (b[W + i] - a[W + i]) in ns of virtual time, then report. */
static void report_vtime(const char *key, const uint64_t *a, const uint64_t *b)
{
    uint64_t hz = vtime_hz();
    for (unsigned i = 0; i < N; i++)
        res[i] = (b[W + i] - a[W + i]) * 1000000000ull / hz;
    report(key, N);
}

/* Pinger: signal cap, wait cap2; a[i] before, b[i] after. */
static void smp_pinger(struct bench_args *x)
{
    for (seL4_Word i = 0; i < x->count; i++) {
        x->a[i] = vtime();
        sys_signal(x->cap);
        sys_wait(x->cap2);
        x->b[i] = vtime();
    }
}

/* Ponger: wait cap, signal cap2, forever. */
static void smp_ponger(struct bench_args *x)
{
    for (;;) {
        sys_wait(x->cap);
        sys_signal(x->cap2);
    }
}

static void sys_call0(seL4_CPtr ep)
{
    register seL4_Word x0 __asm__("x0") = ep;
    register seL4_Word x1 __asm__("x1") = 0;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)seL4_SysCall;
    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1) : "r"(x7) : "x2", "x3", "x4", "x5", "memory");
}

/* Caller: Call cap with an empty message; a[i] before, b[i] after. */
static void smp_caller(struct bench_args *x)
{
    for (seL4_Word i = 0; i < x->count; i++) {
        x->a[i] = vtime();
        sys_call0(x->cap);
        x->b[i] = vtime();
    }
}

/* Poller: count Polls (NBWait) of cap, a[i] before, b[i] after each (if a). */
static void smp_poller(struct bench_args *x)
{
    for (seL4_Word i = 0; x->count == 0 || i < x->count; i++) {
        uint64_t t0 = vtime();
        register seL4_Word x0 __asm__("x0") = x->cap;
        register seL4_Word x7 __asm__("x7") = (seL4_Word)seL4_SysNBWait;
        __asm__ volatile("svc #0" : "+r"(x0) : "r"(x7) : "x1", "x2", "x3", "x4", "x5", "memory");
        if (x->a) {
            x->a[i] = t0;
            x->b[i] = vtime();
        }
    }
}

static void bench_smp_pingpong(const char *key, unsigned core)
{
    if (!want(key))
        return;
    seL4_CPtr ping = new_object(seL4_NotificationObject, 0, "notification");
    seL4_CPtr pong = new_object(seL4_NotificationObject, 0, "notification");
    struct bench_args w = { .cap = ping, .cap2 = pong };
    struct bench_args s = { .cap = ping, .cap2 = pong, .count = W + N, .a = sa, .b = sb };
    thread_core = core;
    thread_start(thread_new(PRIO_WAITER, seL4_CapInitThreadVSpace, 0, 0, smp_ponger, &w, 0));
    thread_core = 0;
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0, smp_pinger, &s, 1));
    wait_done();
    threads_reset();
    report_vtime(key, sa, sb);
}

static void bench_smp_ipc(const char *key, unsigned core)
{
    if (!want(key))
        return;
    seL4_CPtr ep = new_object(seL4_EndpointObject, 0, "endpoint");
    seL4_CPtr reply = new_object(seL4_ReplyObject, 0, "reply");
    seL4_CPtr ready = new_object(seL4_NotificationObject, 0, "notification");
    struct bench_args srv = { .cap = ep, .cap2 = reply, .info = msginfo(0, 0), .ready = ready };
    struct bench_args cl = { .cap = ep, .count = W + N, .a = sa, .b = sb };
    /* An active server (its own SC on `core`): a passive one would follow
       the caller's SC to core 0. */
    thread_core = core;
    server_start(thread_new(PRIO_SERVER, seL4_CapInitThreadVSpace, 0, 0, bench_ipc_server, &srv,
                            0), ready, 0);
    thread_core = 0;
    thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0, smp_caller, &cl, 1));
    wait_done();
    threads_reset();
    report_vtime(key, sa, sb);
}

static void bench_smp(void)
{
    bench_smp_pingpong("smp_ntfn_roundtrip_local", 0);
    bench_smp_pingpong("smp_ntfn_roundtrip_remote", 1);
    bench_smp_ipc("smp_ipc_roundtrip_local", 0);
    bench_smp_ipc("smp_ipc_roundtrip_remote", 1);
    {
        /* The same Poll alone (no other core in the kernel). */
        if (want("smp_syscall_uncontended")) {
            seL4_CPtr ntfn = new_object(seL4_NotificationObject, 0, "notification");
            struct bench_args mine = { .cap = ntfn, .count = W + N, .a = sa, .b = sb };
            thread_start(thread_new(PRIO_CLIENT, seL4_CapInitThreadVSpace, 0, 0, smp_poller,
                                    &mine, 1));
            wait_done();
            threads_reset();
            report_vtime("smp_syscall_uncontended", sa, sb);
        }
    }
}
#endif

/* ---------------------------------------------------------------- main */

void roottask_main(seL4_BootInfo *bootinfo)
{
    bi = bootinfo;
    seL4_InitBootInfo(bi);
    rt_printf("BENCH|INFO benchmark root task: iters=%u warmup=%u\n", (unsigned)N, (unsigned)W);
    next_slot = bi->empty.start;
    pick_pool();
    done_ntfn = new_object(seL4_NotificationObject, 0, "notification");
    park_ntfn = new_object(seL4_NotificationObject, 0, "notification");
    vs_b = clone_vspace();

    bench_counter();
    bench_calibration();
    rt_printf("BENCH|BOOT pmccntr=%lu cntpct=%lu\n", bench_boot_pmccntr, bench_boot_cntpct);
    bench_syscalls();
    bench_ipc();
    bench_notification();
    bench_ntfn_roundtrip();
    bench_ntfn_lowprio();
    bench_yield("yield_thread", seL4_CapInitThreadVSpace);
    bench_yield("yield_process", vs_b);
    bench_faults();
    bench_irqs();
#if CONFIG_MAX_NUM_NODES > 1
    bench_smp();
#endif
#ifdef CONFIG_PROFILER
    bench_profiler();
#endif
    rt_printf("BENCH|DONE\n");
    for (;;)
        seL4_Wait(park_ntfn, NULL);
}
