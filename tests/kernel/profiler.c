/*
 * The kernel's sampling profiler (CONFIG_PROFILER, kernel/uapi/profiler.h;
 * run by make test-kernel-debug): the control system call's authority and
 * argument checks, samples of a spinning thread with its pc and call chain,
 * thread names, the notification at half full, a full buffer, stopping,
 * a revoked buffer frame ending the sampling, random intervals between
 * samples, and with several cores every core sampling its own threads.
 * Without the option the call is an unknown system call, which the last
 * test checks.
 *
 * The spinning helpers run on a short budget (kernel entries every
 * 100 us), so that the tests also see samples taken around kernel entries.
 */
#include "ktest.h"
#include "vm.h"
#include <profiler.h>

#define BUF_VA VM_VA_PT

#ifdef CONFIG_PROFILER

static volatile struct profiler_header *hdr(void)
{
    return (volatile struct profiler_header *)BUF_VA;
}

static volatile struct profiler_record *rec(seL4_Word n)
{
    return (volatile struct profiler_record *)(BUF_VA + sizeof(struct profiler_header)) +
           n % hdr()->capacity;
}

/* A frame of the pool mapped at BUF_VA, and a notification cap badged 5. */
static int buffer(seL4_CPtr *frame, seL4_CPtr *ntfn)
{
    *frame = KT_FRAME();
    *ntfn = KT_MINT(KT_NTFN(), seL4_AllRights, 5);
    VM_MAP(*frame, KT_ROOT_VSPACE, BUF_VA, VM_RW, VM_CACHED);
    return KT_PASS;
}

#define BUFFER(frame, ntfn)                                                          \
    do {                                                                             \
        if (buffer((frame), (ntfn)) != KT_PASS)                                      \
            return KT_FAILED;                                                        \
    } while (0)

/* Not a leaf (it calls kt_prof_nop), so it keeps a frame record and its
   caller shows in the call chain. */
__attribute__((noinline)) void kt_prof_nop(void);
__attribute__((noinline)) void kt_prof_nop(void)
{
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void kt_prof_spin_inner(volatile seL4_Word *count);
__attribute__((noinline)) void kt_prof_spin_inner(volatile seL4_Word *count)
{
    for (int i = 0; i < 100; i++)
        (*count)++;
    kt_prof_nop();
}

__attribute__((noinline)) void kt_prof_spin_outer(volatile seL4_Word *count);
__attribute__((noinline)) void kt_prof_spin_outer(volatile seL4_Word *count)
{
    for (;;)
        kt_prof_spin_inner(count);
}

static int spin(kt_thread_t *self, void *arg)
{
    (void)arg;
    kt_prof_spin_outer(&self->user[0]);
    return KT_PASS;
}

/* A helper below the test thread that spins with kernel entries every 100 us. */
static int start_spinner(kt_thread_t *t)
{
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST - 1, .budget = 100, .period = 100 };
    KT_THREAD(t, "kt-prof-spinner", &o, spin, NULL);
    KT_START(t);
    return KT_PASS;
}

#define START_SPINNER(t)                                                             \
    do {                                                                             \
        if (start_spinner(t) != KT_PASS)                                             \
            return KT_FAILED;                                                        \
    } while (0)

TEST(prof_authority, "profiler_control needs the IRQControl cap as its authority: anything "
     "else is IllegalOperation")
{
    seL4_CPtr frame, ntfn;
    BUFFER(&frame, &ntfn);
    KT_ERR(profiler_control(kt_self_tcb(), frame, ntfn, 100000, PROFILER_CYCLES),
           seL4_IllegalOperation);
    KT_ERR(profiler_control(kt_slot(), frame, ntfn, 100000, PROFILER_CYCLES), seL4_IllegalOperation);
    KT_ERR(profiler_control(frame, frame, ntfn, 100000, PROFILER_CYCLES), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(prof_argument_checks, "profiler_control refuses a buffer that is not a RAM frame, a "
     "notification without Write, a period below the minimum or above 32 bits, an unknown event")
{
    seL4_CPtr frame, ntfn;
    BUFFER(&frame, &ntfn);
    seL4_CPtr ep = KT_EP(), dev = VM_DEVICE_FRAME(0x0a000000);
    seL4_CPtr ro = KT_COPY(ntfn, seL4_CanRead);
    const seL4_CPtr irq = seL4_CapIRQControl;
    KT_ERR(profiler_control(irq, ntfn, ntfn, 100000, 0), seL4_InvalidCapability);
    KT_ERR(profiler_control(irq, dev, ntfn, 100000, 0), seL4_InvalidCapability);
    KT_ERR(profiler_control(irq, kt_slot(), ntfn, 100000, 0), seL4_InvalidCapability);
    KT_ERR(profiler_control(irq, frame, ep, 100000, 0), seL4_InvalidCapability);
    KT_ERR(profiler_control(irq, frame, ro, 100000, 0), seL4_InvalidCapability);
    KT_ERR(profiler_control(irq, frame, ntfn, PROFILER_MIN_PERIOD - 1, 0), seL4_InvalidArgument);
    KT_ERR(profiler_control(irq, frame, ntfn, 1ul << 32, 0), seL4_InvalidArgument);
    KT_ERR(profiler_control(irq, frame, ntfn, 100000, 2), seL4_InvalidArgument);
    KT_EQ(hdr()->magic, 0);     /* nothing was configured */
    KT_OK(profiler_control(irq, 0, 0, 0, 0));   /* stopping when stopped is fine */
    return KT_PASS;
}

TEST(prof_samples, "Samples of a spinning thread: the header, pcs in the spinning function, "
     "its caller in the call chain, its TCB and time in every record, the notification at "
     "half full; stopping freezes the buffer")
{
    seL4_CPtr frame, ntfn;
    BUFFER(&frame, &ntfn);
    kt_thread_t spinner;
    KT_OK(profiler_control(seL4_CapIRQControl, frame, ntfn, 20000, PROFILER_CYCLES));
    KT_EQ(hdr()->magic, PROFILER_MAGIC);
    KT_EQ(hdr()->version, PROFILER_VERSION);
    KT_EQ(hdr()->capacity, (4096 - sizeof(struct profiler_header)) / sizeof(struct profiler_record));
    KT_EQ(hdr()->period, 20000);
    KT_EQ(hdr()->event, PROFILER_CYCLES);
    KT_GT(hdr()->timer_hz, 0);
    KT_EQ(hdr()->cores, CONFIG_MAX_NUM_NODES);
    START_SPINNER(&spinner);
    KT_SLEEP_MS(20);
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    KT_EQ(badge, 5);    /* signalled with the cap's badge */
    KT_OK(profiler_control(seL4_CapIRQControl, 0, 0, 0, 0));
    seL4_Word head = hdr()->head;
    KT_GE(head, hdr()->capacity / 2);
    unsigned in_spin = 0, with_caller = 0, named = 0;
    seL4_Word lo = (seL4_Word)kt_prof_spin_inner, hi = (seL4_Word)kt_prof_spin_outer;
    KT_LT(lo, hi);      /* laid out in source order */
    for (seL4_Word n = 0; n < head && n < hdr()->capacity; n++) {
        volatile struct profiler_record *r = rec(n);
        if (r->kind == PROFILER_THREAD_NAME) {
            named += strcmp((const char *)r->u.name, "kt-prof-spinner") == 0;
            continue;
        }
        KT_EQ(r->kind, PROFILER_SAMPLE);
        KT_LE(r->depth, PROFILER_CHAIN_MAX);
        KT_LT(r->core, CONFIG_MAX_NUM_NODES);
        if (r->pc < lo || r->pc >= hi)
            continue;
        KT_EQ(r->core, 0);  /* the spinner's core */
        in_spin++;
        KT_NE(r->thread, 0);
        KT_GT(r->time, 0);
        if (r->depth >= 1 && r->u.chain[0] > hi && r->u.chain[0] < hi + 64)
            with_caller++;
    }
    KT_GT(in_spin, 3);
    KT_GE(with_caller * 10, in_spin * 8);  /* all but samples in a prologue or epilogue */
#ifdef CONFIG_DEBUG_BUILD
    KT_EQ(named, 1);
#else
    KT_EQ(named, 0);
#endif
    KT_SLEEP_MS(5);
    KT_EQ(hdr()->head, head);   /* stopped */
    KT_OK(seL4_TCB_Suspend(spinner.tcb));
    return KT_PASS;
}

TEST(prof_full_buffer, "A buffer nobody reads fills up and then counts dropped samples; moving "
     "the tail on lets samples in again; the notification comes once per round")
{
    seL4_CPtr frame, ntfn;
    BUFFER(&frame, &ntfn);
    kt_thread_t spinner;
    KT_OK(profiler_control(seL4_CapIRQControl, frame, ntfn, 20000, PROFILER_CYCLES));
    START_SPINNER(&spinner);
    KT_SLEEP_MS(30);
    KT_EQ(hdr()->head, hdr()->capacity);
    KT_GT(hdr()->dropped, 0);
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    KT_EQ(badge, 5);
    seL4_Poll(ntfn, &badge);
    KT_EQ(badge, 0);        /* once: the tail did not move */
    hdr()->tail = hdr()->head;
    KT_SLEEP_MS(30);
    KT_GT(hdr()->head, hdr()->capacity);
    seL4_Poll(ntfn, &badge);
    KT_EQ(badge, 5);        /* a new round */
    /* A tail the kernel cannot trust (ahead of head) stops the writing. */
    seL4_Word head = hdr()->head;
    hdr()->tail = head + 1000;
    KT_SLEEP_MS(10);
    KT_EQ(hdr()->head, head);
    KT_OK(profiler_control(seL4_CapIRQControl, 0, 0, 0, 0));
    KT_OK(seL4_TCB_Suspend(spinner.tcb));
    return KT_PASS;
}

TEST(prof_revoked_frame, "Revoking the buffer frame's original cap takes the kernel's copy "
     "with it: sampling stops instead of writing into the frame")
{
    seL4_CPtr frame, ntfn;
    BUFFER(&frame, &ntfn);
    seL4_CPtr copy = KT_COPY(frame, seL4_AllRights);
    kt_thread_t spinner;
    KT_OK(profiler_control(seL4_CapIRQControl, copy, ntfn, 20000, PROFILER_CYCLES));
    START_SPINNER(&spinner);
    KT_SLEEP_MS(5);
    KT_GT(hdr()->head, 0);
    KT_OK(kt_revoke(frame));    /* the copies (ours and the kernel's) go; the mapping stays */
    KT_SLEEP_MS(2);     /* the next sample finds the copy gone */
    seL4_Word head = hdr()->head;
    hdr()->tail = head;
    KT_SLEEP_MS(10);
    KT_EQ(hdr()->head, head);
    KT_OK(seL4_TCB_Suspend(spinner.tcb));
    return KT_PASS;
}

TEST(prof_instructions, "Counting instructions retired samples the spinning thread too")
{
    seL4_CPtr frame, ntfn;
    BUFFER(&frame, &ntfn);
    kt_thread_t spinner;
    KT_OK(profiler_control(seL4_CapIRQControl, frame, ntfn, 20000, PROFILER_INSTRUCTIONS));
    KT_EQ(hdr()->event, PROFILER_INSTRUCTIONS);
    START_SPINNER(&spinner);
    KT_SLEEP_MS(10);
    KT_OK(profiler_control(seL4_CapIRQControl, 0, 0, 0, 0));
    KT_GT(hdr()->head, 2);
    KT_OK(seL4_TCB_Suspend(spinner.tcb));
    return KT_PASS;
}

TEST(prof_random_intervals, "The intervals between samples are random (exponentially "
     "distributed: some under half the period, some over twice it) and average the period")
{
    seL4_CPtr frame, ntfn;
    BUFFER(&frame, &ntfn);
    kt_thread_t spinner;
    const seL4_Word period = 20000;
    KT_OK(profiler_control(seL4_CapIRQControl, frame, ntfn, period, PROFILER_CYCLES));
    START_SPINNER(&spinner);
    /* QEMU's cycle counter runs at a nominal 1 GHz. */
    seL4_Word ticks = period * hdr()->timer_hz / 1000000000ul;
    seL4_Word last = 0, n = 0, sum = 0, short_ones = 0, long_ones = 0;
    /* Read the buffer at each half-full signal until 40 intervals are in;
       only core 0's (other cores sample their own idle loops). */
    for (unsigned round = 0; round < 100 && n < 40; round++) {
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        seL4_Word head = hdr()->head;
        for (seL4_Word i = hdr()->tail; i != head; i++) {
            volatile struct profiler_record *r = rec(i);
            if (r->kind != PROFILER_SAMPLE || r->core != 0)
                continue;
            if (last) {
                seL4_Word d = r->time - last;
                sum += d;
                n++;
                short_ones += d < ticks / 2;
                long_ones += d > 2 * ticks;
            }
            last = r->time;
        }
        hdr()->tail = head;
        KT_EQ(hdr()->dropped, 0);   /* or an interval would span a lost sample */
    }
    KT_OK(profiler_control(seL4_CapIRQControl, 0, 0, 0, 0));
    KT_OK(seL4_TCB_Suspend(spinner.tcb));
    KT_GE(n, 40);
    KT_GT(short_ones, 0);
    KT_GT(long_ones, 0);
    KT_GT(sum / n, ticks / 2);
    KT_LT(sum / n, 2 * ticks);
    return KT_PASS;
}

#if CONFIG_MAX_NUM_NODES > 1
static int spin_on(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;)
        self->user[0]++;
    return KT_PASS;
}

TEST(prof_every_core, "Every core samples the thread it runs: a spinner on each core comes "
     "out of the samples, each only with its own core's number")
{
    seL4_CPtr frame, ntfn;
    BUFFER(&frame, &ntfn);
    kt_thread_t spinners[CONFIG_MAX_NUM_NODES];
    for (unsigned core = 1; core < CONFIG_MAX_NUM_NODES; core++) {
        struct kt_thread_opts o = { .prio = KT_PRIO_TEST - 1, .budget = 1000, .core = core };
        KT_THREAD(&spinners[core], "kt-prof-core", &o, spin_on, NULL);
        KT_START(&spinners[core]);
    }
    for (unsigned core = 1; core < CONFIG_MAX_NUM_NODES; core++)
        while (!((volatile seL4_Word *)spinners[core].user)[0])
            ;       /* it runs (the test thread spins on core 0) */
    KT_OK(profiler_control(seL4_CapIRQControl, frame, ntfn, 20000, PROFILER_CYCLES));
    /* The test thread waits on core 0 for each half-full signal (core 0
       samples its idle loop meanwhile) and reads what came in. Each
       thread's samples come from one core; every other core runs one. */
    seL4_Word thread_of[CONFIG_MAX_NUM_NODES] = { 0 };
    unsigned per_core[CONFIG_MAX_NUM_NODES] = { 0 }, missing = CONFIG_MAX_NUM_NODES - 1;
    for (unsigned round = 0; round < 40 && missing; round++) {
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        KT_EQ(badge, 5);
        seL4_Word head = hdr()->head;
        for (seL4_Word i = hdr()->tail; i != head; i++) {
            volatile struct profiler_record *r = rec(i);
            if (r->kind != PROFILER_SAMPLE)
                continue;
            KT_LT(r->core, CONFIG_MAX_NUM_NODES);
            per_core[r->core]++;
            if (!r->thread)
                continue;   /* idle */
            for (unsigned c = 0; c < CONFIG_MAX_NUM_NODES; c++)
                if (c != r->core)
                    KT_NE(thread_of[c], r->thread);
            missing -= r->core && !thread_of[r->core];
            thread_of[r->core] = r->thread;
        }
        hdr()->tail = head;
    }
    KT_OK(profiler_control(seL4_CapIRQControl, 0, 0, 0, 0));
    for (unsigned core = 1; core < CONFIG_MAX_NUM_NODES; core++)
        KT_OK(seL4_TCB_Suspend(spinners[core].tcb));
    KT_GT(per_core[0], 0);
    for (unsigned core = 1; core < CONFIG_MAX_NUM_NODES; core++) {
        KT_GT(per_core[core], 0);
        KT_NE(thread_of[core], 0);
    }
    return KT_PASS;
}
#endif

#else /* !CONFIG_PROFILER */

static int call_profiler(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = kt_syscall8(seL4_CapIRQControl, 0, 0, 0, 0, 0, 0,
                                (seL4_Word)(long)PROFILER_SYSCALL);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(prof_off_unknown_syscall, "Without CONFIG_PROFILER the profiler's system call is an "
     "UnknownSyscall fault")
{
    seL4_CPtr fep = KT_EP(), reply = KT_REPLY();
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1, .fault_ep = KT_MINT(fep, seL4_AllRights, 9) };
    kt_thread_t t;
    KT_THREAD(&t, "kt-prof-off", &o, call_profiler, NULL);
    KT_START(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(fep, &badge, reply);
    KT_EQ(badge, 9);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_UnknownSyscall);
    KT_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), (seL4_Word)(long)PROFILER_SYSCALL);
    KT_EQ(t.user[1], 0);
    return KT_PASS;
}

#endif
