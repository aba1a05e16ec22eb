/*
 * The driver of the kernel conformance suite (the root task).
 *
 *  1. Switch to our own stack region (per-thread IPC-buffer pointers).
 *  2. Run the KT_BARE tests inline: they need nothing but the debug calls.
 *  3. Create the infrastructure: the driver endpoint, the watchdog thread.
 *     If that fails, the remaining tests run inline in the root thread.
 *  4. For every test: create its test thread from the pool untyped, start
 *     it, wait for "done", a fault of one of its threads, or the watchdog;
 *     print PASS/FAIL; revoke the pool and clear the test's slots.
 *  5. Print "N passed, N failed[, N skipped]" and power off.
 *
 * Output lines: "KT|..." are progress and notes; "PASS name" and
 * "FAIL name: reason" (one per test) are the results; tests/kernel/run.sh
 * relies on these and on the closing line.
 */
#include "ktest.h"
#include "kt_internal.h"
#include "kt_config.h"
#include <roottask.h>

extern const struct ktest __start_ktest_table[];
extern const struct ktest __stop_ktest_table[];

/* Room for every TEST() of the suite (the run would stop with a failure
   naming the first one left out, rather than skip it silently). */
#define KT_MAX_TESTS 1024
static const struct ktest *order[KT_MAX_TESTS];
static int ntests;
static int npassed, nfailed, nskipped;

/* Infrastructure objects come from their own untyped and slots. */
static seL4_CPtr infra_slot(void)
{
    if (kt_infra.slot_infra_next >= kt_infra.slot_infra_end)
        return 0;
    return kt_infra.slot_infra_next++;
}

/* --------------------------------------------------------------- ordering */

static const char *const area_order[] = {
    "debug.c", "untyped.c", "cnode.c", "tcb.c", "ipc.c", "notification.c",
    "sched.c", "faults.c", "vspace.c", "irq.c", "vcpu.c", "smp.c", "robust.c", "stress.c",
};

static int area_rank(const char *file)
{
    const char *b = file;
    for (const char *p = file; *p; p++)
        if (*p == '/')
            b = p + 1;
    for (unsigned i = 0; i < sizeof(area_order) / sizeof(area_order[0]); i++)
        if (strcmp(b, area_order[i]) == 0)
            return (int)i;
    return 100;
}

static bool before(const struct ktest *a, const struct ktest *b)
{
    int ra = area_rank(a->file), rb = area_rank(b->file);
    if (ra != rb)
        return ra < rb;
    int c = strcmp(a->file, b->file);
    if (c != 0)
        return c < 0;
    return a->line < b->line;
}

static bool selected(const struct ktest *t)
{
#ifdef KTEST_ONLY
    /* comma-separated name prefixes */
    const char *p = KTEST_ONLY;
    while (*p) {
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t n = (size_t)(e - p);
        if (n && strncmp(t->name, p, n) == 0)
            return true;
        p = *e ? e + 1 : e;
    }
    return false;
#else
    (void)t;
    return true;
#endif
}

static void collect_tests(void)
{
    for (const struct ktest *t = __start_ktest_table; t < __stop_ktest_table; t++) {
        if (!selected(t))
            continue;
        if (ntests >= KT_MAX_TESTS) {
            kt_printf("FAIL %s: more than KT_MAX_TESTS (%d) tests; raise it in main.c\n",
                      t->name, KT_MAX_TESTS);
            continue;
        }
        /* insertion sort: bare tests first, then by area, file and line */
        int i = ntests++;
        while (i > 0) {
            const struct ktest *p = order[i - 1];
            bool p_bare = p->flags & KT_BARE, t_bare = t->flags & KT_BARE;
            bool t_first = (t_bare && !p_bare) || (t_bare == p_bare && before(t, p));
            if (!t_first)
                break;
            order[i] = p;
            i--;
        }
        order[i] = t;
    }
}

/* ---------------------------------------------------------------- results */

static void report(const struct ktest *t, int result, const char *why)
{
    if (result == KT_PASS) {
        npassed++;
        kt_printf("PASS %s\n", t->name);
    } else if (result == KT_SKIP) {
        nskipped++;
        kt_printf("SKIP %s: %s\n", t->name, why);
    } else {
        nfailed++;
        kt_printf("FAIL %s: %s\n", t->name, why);
    }
}

static void reset_state(const struct ktest *t)
{
    memset(&kt_cur, 0, sizeof(kt_cur));
    kt_cur.test = t;
    kt_cur.slot_base = kt_infra.slot_infra_end;
    kt_cur.slot_next = kt_cur.slot_base;
    kt_cur.region_next = KT_REGION_FIRST;
    kt_cur.timeout_ticks = KT_DEFAULT_TIMEOUT_TICKS;
}

/* Frees everything the test created; returns false (with a reason) on error. */
static bool teardown(char *why, size_t size)
{
    seL4_Error err;
    bool ok = true;
    if (kt_infra.pool) {
        err = kt_revoke(kt_infra.pool);
        if (err != seL4_NoError) {
            kt_format(why, size, "teardown: CNode_Revoke of the pool untyped: %s",
                      kt_err_name(err));
            ok = false;
        }
    }
    for (int i = 0; i < kt_cur.nextra; i++) {
        err = kt_revoke(kt_cur.extra[i]);
        if (err != seL4_NoError && ok) {
            kt_format(why, size, "teardown: CNode_Revoke of untyped slot %lu: %s",
                      kt_cur.extra[i], kt_err_name(err));
            ok = false;
        }
    }
    for (seL4_CPtr s = kt_cur.slot_base; s < kt_cur.slot_next; s++) {
        err = kt_delete(s);
        if (err != seL4_NoError && ok) {
            kt_format(why, size, "teardown: CNode_Delete of slot %lu: %s", s, kt_err_name(err));
            ok = false;
        }
    }
    return ok;
}

/* ------------------------------------------------------------ bare / inline */

static void run_inline(const struct ktest *t)
{
    reset_state(t);
    kt_printf("KT|RUN %s\n", t->name);
    int r = t->fn();
    if (r == KT_PASS && kt_cur.failed)
        r = KT_FAILED;
    char why[128] = "";
    if (!(t->flags & KT_BARE) && !teardown(why, sizeof(why)) && r == KT_PASS) {
        r = KT_FAILED;
        report(t, r, why);
        return;
    }
    report(t, r, r == KT_SKIP ? kt_cur.skip_msg : kt_cur.msg);
}

/* ---------------------------------------------------------------- watchdog */

static int watchdog_main(kt_thread_t *self, void *arg)
{
    (void)self;
    (void)arg;
    for (;;) {
        /* With a budget below its period, Yield waits for the next period. */
        seL4_Yield();
        kt_infra.wd_ticks++;
        if (kt_infra.wd_armed && kt_infra.wd_ticks - kt_infra.wd_start > kt_infra.wd_limit) {
            seL4_Word gen = kt_infra.wd_gen;
            seL4_NBSendWithMRs(kt_infra.dep_watchdog, seL4_MessageInfo_new(0, 0, 0, 1), &gen,
                               NULL, NULL, NULL);
        }
    }
    return 0;
}

static int spin_main(kt_thread_t *self, void *arg)
{
    (void)self;
    seL4_CPtr ntfn = (seL4_CPtr)arg;
    for (volatile unsigned long i = 0; i < 3000000ul; i++)
        ;
    seL4_Signal(ntfn);
    return 0;
}

/* ------------------------------------------------------------ infrastructure */

/* Pick the pool (largest RAM untyped) and an infrastructure untyped. */
static bool pick_untypeds(void)
{
    seL4_Word n = kt_bi->untyped.end - kt_bi->untyped.start;
    int best = -1, infra = -1;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &kt_bi->untypedList[i];
        if (d->isDevice)
            continue;
        if (best < 0 || d->sizeBits > kt_bi->untypedList[best].sizeBits)
            best = (int)i;
    }
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &kt_bi->untypedList[i];
        if (d->isDevice || (int)i == best || d->sizeBits < 16)
            continue;
        if (infra < 0 || d->sizeBits < kt_bi->untypedList[infra].sizeBits)
            infra = (int)i;
    }
    if (best < 0 || infra < 0)
        return false;
    kt_infra.pool = kt_bi->untyped.start + (seL4_Word)best;
    kt_infra.pool_bits = kt_bi->untypedList[best].sizeBits;
    kt_infra.infra_untyped = kt_bi->untyped.start + (seL4_Word)infra;
    kt_printf("KT|INFO: pool untyped: slot %lu, 2^%lu bytes at 0x%lx; framework untyped: slot %lu, "
              "2^%u bytes\n", kt_infra.pool, kt_infra.pool_bits, kt_bi->untypedList[best].paddr,
              kt_infra.infra_untyped, kt_bi->untypedList[infra].sizeBits);
    return true;
}

static seL4_Error infra_new(seL4_Word type, seL4_Word bits, seL4_CPtr *out)
{
    seL4_CPtr s = infra_slot();
    if (!s)
        return seL4_NotEnoughMemory;
    seL4_Error err = seL4_Untyped_Retype(kt_infra.infra_untyped, type, bits, KT_ROOT_CNODE, 0, 0,
                                         s, 1);
    if (err == seL4_NoError)
        *out = s;
    return err;
}

static seL4_Error infra_mint(seL4_CPtr src, seL4_Word badge, seL4_CPtr *out)
{
    seL4_CPtr s = infra_slot();
    if (!s)
        return seL4_NotEnoughMemory;
    seL4_Error err = seL4_CNode_Mint(KT_ROOT_CNODE, s, KT_DEPTH, KT_ROOT_CNODE, src, KT_DEPTH,
                                     seL4_AllRights, badge);
    if (err == seL4_NoError)
        *out = s;
    return err;
}

static kt_thread_t watchdog_thread;

#define INFRA_STEP(what, expr)                                                       \
    do {                                                                             \
        seL4_Error e_ = (expr);                                                      \
        if (e_ != seL4_NoError) {                                                    \
            kt_printf("KT|NOTE: framework setup: %s failed: %s\n", what,             \
                      kt_err_name(e_));                                              \
            return false;                                                            \
        }                                                                            \
    } while (0)

static bool create_infra(void)
{
    kt_infra.slot_infra_next = kt_bi->empty.start;
    kt_infra.slot_infra_end = kt_bi->empty.start + 64;
    if (!pick_untypeds()) {
        kt_printf("KT|NOTE: framework setup: no suitable RAM untypeds\n");
        return false;
    }
    INFRA_STEP("Untyped_Retype (driver endpoint)",
               infra_new(seL4_EndpointObject, 0, &kt_infra.dep));
    INFRA_STEP("CNode_Mint (driver endpoint, done badge)",
               infra_mint(kt_infra.dep, KT_BADGE_DONE, &kt_infra.dep_done));
    INFRA_STEP("CNode_Mint (driver endpoint, fault badge)",
               infra_mint(kt_infra.dep, KT_BADGE_TEST_FAULT, &kt_infra.dep_test_fault));
    INFRA_STEP("CNode_Mint (driver endpoint, watchdog badge)",
               infra_mint(kt_infra.dep, KT_BADGE_WATCHDOG, &kt_infra.dep_watchdog));
    for (int i = 0; i < KT_MAX_HELPERS; i++)
        INFRA_STEP("CNode_Mint (driver endpoint, helper fault badge)",
                   infra_mint(kt_infra.dep, KT_BADGE_HELPER_FAULT + (seL4_Word)i,
                              &kt_infra.dep_helper_fault[i]));
    INFRA_STEP("Untyped_Retype (notification)",
               infra_new(seL4_NotificationObject, 0, &kt_infra.never));

    /* The watchdog: a periodic thread at 254 that counts its periods. */
    kt_thread_t *w = &watchdog_thread;
    memset(w, 0, sizeof(*w));
    w->name = "kt-watchdog";
    w->fn = watchdog_main;
    w->index = -1;
    w->prio = 254;
    w->region = KT_REGION_WATCHDOG;
    struct kt_region_hdr *h = kt_region(w->region);
    memset(h, 0, sizeof(*h));
    h->ipcbuf = &h->ipc;
    h->thread = w;
    w->ipc_vaddr = (seL4_Word)&h->ipc;
    w->ipc_frame = kt_image_frame(h);
    w->stack_top = kt_region_top(w->region);
    INFRA_STEP("Untyped_Retype (watchdog TCB)", infra_new(seL4_TCBObject, 0, &w->tcb));
    INFRA_STEP("Untyped_Retype (watchdog SchedContext)",
               infra_new(seL4_SchedContextObject, 8, &w->sc));
    INFRA_STEP("SchedControl_ConfigureFlags (watchdog)",
               seL4_SchedControl_ConfigureFlags(kt_sched_control(), w->sc, KT_WD_BUDGET_US,
                                                KT_WD_PERIOD_US, 0, 0, 0));
    INFRA_STEP("TCB_Configure (watchdog)",
               seL4_TCB_Configure(w->tcb, KT_ROOT_CNODE, 0, KT_ROOT_VSPACE, 0, w->ipc_vaddr,
                                  w->ipc_frame));
    INFRA_STEP("TCB_SetSchedParams (watchdog)",
               seL4_TCB_SetSchedParams(w->tcb, KT_ROOT_TCB, 254, 254, w->sc, seL4_CapNull));
    seL4_UserContext regs;
    memset(&regs, 0, sizeof(regs));
    regs.pc = (seL4_Word)kt_thread_entry;
    regs.sp = w->stack_top;
    regs.x0 = (seL4_Word)w;
    INFRA_STEP("TCB_WriteRegisters (watchdog)", seL4_TCB_WriteRegisters(w->tcb, 0, 0, 4, &regs));
    seL4_DebugNameThread(w->tcb, w->name);
    INFRA_STEP("TCB_Resume (watchdog)", seL4_TCB_Resume(w->tcb));
    kt_infra.wd_tcb = w->tcb;
    kt_infra.wd_sc = w->sc;
    return true;
}

/*
 * The watchdog is only useful if seL4_Yield really waits for its next
 * period. Let a low-priority thread spin for ~10-20 ms of virtual time and
 * count the watchdog's ticks meanwhile.
 */
static void calibrate_watchdog(void)
{
    reset_state(NULL);
    kt_thread_t spin;
    seL4_CPtr ntfn = kt_new_(seL4_NotificationObject, 0, __FILE__, __LINE__);
    struct kt_thread_opts o = { .prio = 50 };
    unsigned long t0 = kt_infra.wd_ticks;
    if (!ntfn || !kt_thread_create_(&spin, "kt-calibrate", &o, spin_main, (void *)ntfn, __FILE__,
                                    __LINE__) || !kt_thread_start_(&spin, __FILE__, __LINE__)) {
        kt_printf("KT|NOTE: watchdog calibration: %s\n", kt_cur.msg);
        kt_infra.watchdog = false;
    } else {
        seL4_Wait(ntfn, NULL);
        unsigned long ticks = kt_infra.wd_ticks - t0;
        kt_infra.watchdog = ticks < 100;
        kt_printf("KT|INFO: watchdog: %lu ticks of %u us while a thread spun for ~3M loops%s\n",
                  ticks, KT_WD_PERIOD_US,
                  kt_infra.watchdog ? "" : ": Yield does not wait for the period, watchdog disabled");
    }
    char why[128];
    if (!teardown(why, sizeof(why)))
        kt_printf("KT|NOTE: %s\n", why);
}

/* ------------------------------------------------------------ isolated run */

static int test_thread_main(kt_thread_t *self, void *arg)
{
    (void)self;
    const struct ktest *t = arg;
    int r = t->fn();
    kt_cur.result = r;
    seL4_Send(kt_infra.dep_done, seL4_MessageInfo_new(0, 0, 0, 0));
    return r;
}

static void run_isolated(const struct ktest *t)
{
    reset_state(t);
    if (t->flags & KT_STRESS)
        kt_cur.timeout_ticks = 0;
    kt_printf("KT|RUN %s\n", t->name);

    char why[sizeof(kt_cur.msg) + 64];
    int r;
    kt_thread_t *tt = &kt_cur.test_thread;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST, .mcp = KT_PRIO_MAX };
    kt_cur.creating_test_thread = 1;
    bool made = kt_thread_create_(tt, t->name, &o, test_thread_main, (void *)t, __FILE__,
                                  __LINE__);
    kt_cur.creating_test_thread = 0;
    if (!made || !kt_thread_start_(tt, __FILE__, __LINE__)) {
        kt_format(why, sizeof(why), "could not start the test thread: %s", kt_cur.msg);
        r = KT_FAILED;
        goto done;
    }

    kt_infra.wd_gen++;
    kt_infra.wd_start = kt_infra.wd_ticks;
    kt_infra.wd_limit = kt_cur.timeout_ticks;
    kt_infra.wd_armed = kt_infra.watchdog && kt_cur.timeout_ticks != 0;

    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_Wait(kt_infra.dep, &badge);
        seL4_Word label = seL4_MessageInfo_get_label(info);
        if (badge == KT_BADGE_DONE) {
            r = kt_cur.result;
            if (r == KT_PASS && kt_cur.failed)
                r = KT_FAILED;  /* a helper failed after the test returned */
            kt_format(why, sizeof(why), "%s", r == KT_SKIP ? kt_cur.skip_msg : kt_cur.msg);
            break;
        }
        if (badge == KT_BADGE_WATCHDOG) {
            if (seL4_GetMR(0) != kt_infra.wd_gen)
                continue;   /* stale */
            r = KT_FAILED;
            kt_format(why, sizeof(why), "timeout: no result after %lu ms%s%s%s%s",
                      (unsigned long)kt_cur.timeout_ticks * (KT_WD_PERIOD_US / 1000),
                      kt_cur.step ? " (last step: " : "", kt_cur.step ? kt_cur.step : "",
                      kt_cur.step ? ")" : "",
                      kt_cur.failed ? "; earlier failure: " : "");
            if (kt_cur.failed) {
                size_t n = strlen(why);
                kt_format(why + n, sizeof(why) - n, "%s", kt_cur.msg);
            }
            break;
        }
        if (badge == KT_BADGE_TEST_FAULT || (badge >= KT_BADGE_HELPER_FAULT &&
                                             badge < KT_BADGE_HELPER_FAULT + KT_MAX_HELPERS)) {
            char desc[160];
            kt_describe_fault(desc, sizeof(desc), label);
            const char *who = t->name;
            if (badge != KT_BADGE_TEST_FAULT) {
                int i = (int)(badge - KT_BADGE_HELPER_FAULT);
                who = (i < kt_cur.nthreads && kt_cur.threads[i]) ? kt_cur.threads[i]->name : "?";
            }
            r = KT_FAILED;
            kt_format(why, sizeof(why), "%s thread '%s' faulted: %s%s%s%s%s",
                      badge == KT_BADGE_TEST_FAULT ? "test" : "helper", who, desc,
                      kt_cur.step ? " (last step: " : "", kt_cur.step ? kt_cur.step : "",
                      kt_cur.step ? ")" : "",
                      kt_cur.failed ? "" : "");
            if (kt_cur.failed) {
                size_t n = strlen(why);
                kt_format(why + n, sizeof(why) - n, "; earlier failure: %s", kt_cur.msg);
            }
            break;
        }
        kt_printf("KT|NOTE: driver: unexpected message with badge 0x%lx, label %lu\n", badge,
                  label);
    }

done:
    kt_infra.wd_armed = 0;
    {
        /* teardown problems after a failure are not reported separately */
        char tw[160];
        if (!teardown(tw, sizeof(tw)) && r == KT_PASS) {
            r = KT_FAILED;
            kt_format(why, sizeof(why), "%s", tw);
        }
    }
    report(t, r, why);
}

void kt_set_timeout_ms(unsigned ms)
{
    kt_cur.timeout_ticks = (ms + KT_WD_PERIOD_US / 1000 - 1) / (KT_WD_PERIOD_US / 1000);
    kt_infra.wd_limit = kt_cur.timeout_ticks;
}

/* ---------------------------------------------------------------- main */

static void driver_main(void *arg)
{
    kt_bi = arg;
    struct kt_region_hdr *h = kt_region(KT_REGION_DRIVER);
    h->ipcbuf = kt_bi->ipcBuffer;
    h->thread = NULL;
    seL4_DebugNameThread(KT_ROOT_TCB, "kt-driver");

    collect_tests();
    kt_printf("KT|INFO: kernel conformance suite: %d tests%s\n", ntests,
#ifdef KTEST_STRESS
              " (with stress tests)"
#else
              ""
#endif
    );
    kt_printf("KT|INFO: root CNode 2^%lu slots, free [%lu, %lu), %lu untypeds, "
              "schedcontrol [%lu, %lu)\n", kt_bi->initThreadCNodeSizeBits, kt_bi->empty.start,
              kt_bi->empty.end, kt_bi->untyped.end - kt_bi->untyped.start,
              kt_bi->schedcontrol.start, kt_bi->schedcontrol.end);

    /* the plan, so that a runner can account for tests that never report */
    char line[200];
    size_t len = 0;
    for (int k = 0; k < ntests; k++) {
        size_t n = strlen(order[k]->name);
        if (len && len + n + 1 > 160) {
            kt_printf("KT|PLAN%s\n", line);
            len = 0;
        }
        len += kt_format(line + len, sizeof(line) - len, " %s", order[k]->name);
    }
    if (len)
        kt_printf("KT|PLAN%s\n", line);

    int i = 0;
    for (; i < ntests && (order[i]->flags & KT_BARE); i++)
        run_inline(order[i]);

    if (i < ntests) {
        kt_printf("KT|INFO: creating the framework objects (driver endpoint, watchdog)\n");
        kt_infra.ok = create_infra();
        if (kt_infra.ok)
            calibrate_watchdog();
        else
            kt_printf("KT|NOTE: tests run inline in the root thread, without isolation "
                      "or watchdog\n");
        if (!kt_infra.pool)
            pick_untypeds();
        if (!kt_infra.slot_infra_end) {
            kt_infra.slot_infra_next = kt_bi->empty.start;
            kt_infra.slot_infra_end = kt_bi->empty.start + 64;
        }
    }
    for (; i < ntests; i++) {
        if (kt_infra.ok)
            run_isolated(order[i]);
        else
            run_inline(order[i]);
    }

    if (nskipped)
        kt_printf("%d passed, %d failed, %d skipped\n", npassed, nfailed, nskipped);
    else
        kt_printf("%d passed, %d failed\n", npassed, nfailed);
    seL4_DebugHalt();
    for (;;)
        ;
}

void roottask_main(seL4_BootInfo *bi)
{
    /* Nothing may touch the IPC buffer before we run on a region stack. */
    kt_switch_stack(kt_region_top(KT_REGION_DRIVER), driver_main, bi);
}
