/*
 * Ready queues (kernel/src/thread.c): one FIFO per priority and a bitmap
 * of the non-empty ones, read by schedule(). Threads are popped by calling
 * schedule() with no current thread: it takes the head of the highest
 * non-empty priority off its queue and makes it current.
 */
#define TEST_SUITE "sched_queue"
#include "harness.h"
#include "host.h"

static tcb_t *thread(unsigned prio)
{
    tcb_t *t = host_tcb(prio);
    t->state = thread_running;
    return t;
}

static tcb_t *pop(void)
{
    current_thread = NULL;
    schedule();
    tcb_t *t = current_thread;
    if (t)
        CHECK_MSG(t->queued == queued_none, "the picked thread is still queued");
    current_thread = NULL;
    return t;
}

#define CHECK_POPS(...)                                                             \
    do {                                                                            \
        tcb_t *want_[] = { __VA_ARGS__ };                                           \
        for (unsigned i_ = 0; i_ < ARRAY_SIZE(want_); i_++) {                       \
            tcb_t *got_ = pop();                                                    \
            CHECK_MSG(got_ == want_[i_], "pop %u: got %p (priority %d), expected %p (priority %d)", \
                      i_, (void *)got_, got_ ? got_->priority : -1, (void *)want_[i_], \
                      want_[i_] ? want_[i_]->priority : -1);                        \
        }                                                                           \
        CHECK_MSG(pop() == NULL, "a thread is left in the ready queues");           \
    } while (0)

TEST(nothing_ready_picks_nobody)
{
    CHECK(pop() == NULL);
}

TEST(one_thread_is_picked_and_dequeued)
{
    tcb_t *t = thread(9);
    ready_queue_add(t);
    CHECK_EQ(t->queued, queued_ready);
    CHECK_POPS(t);
}

TEST(highest_priority_first)
{
    tcb_t *a = thread(5), *b = thread(200), *c = thread(17);
    ready_queue_add(a);
    ready_queue_add(b);
    ready_queue_add(c);
    CHECK_POPS(b, c, a);
}

TEST(fifo_within_a_priority)
{
    tcb_t *a = thread(30), *b = thread(30), *c = thread(30), *d = thread(31);
    ready_queue_add(a);
    ready_queue_add(b);
    ready_queue_add(d);
    ready_queue_add(c);
    CHECK_POPS(d, a, b, c);
}

TEST(bitmap_across_64_bit_word_boundaries)
{
    unsigned prios[] = { 64, 0, 255, 127, 63, 128, 191, 192, 1, 254 };
    unsigned order[] = { 255, 254, 192, 191, 128, 127, 64, 63, 1, 0 };
    tcb_t *by_prio[256] = { 0 };
    for (unsigned i = 0; i < ARRAY_SIZE(prios); i++) {
        by_prio[prios[i]] = thread(prios[i]);
        ready_queue_add(by_prio[prios[i]]);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(order); i++)
        CHECK_PTR_EQ(pop(), by_prio[order[i]]);
    CHECK(pop() == NULL);
}

TEST(each_boundary_priority_alone)
{
    unsigned prios[] = { 0, 63, 64, 127, 128, 255 };
    for (unsigned i = 0; i < ARRAY_SIZE(prios); i++) {
        tcb_t *t = thread(prios[i]);
        ready_queue_add(t);
        test_note("priority %u", prios[i]);
        CHECK_POPS(t);
    }
}

TEST(removing_head_middle_and_tail)
{
    tcb_t *t[5];
    for (unsigned i = 0; i < 5; i++) {
        t[i] = thread(64);
        ready_queue_add(t[i]);
    }
    ready_queue_remove(t[2]);       /* middle */
    CHECK_EQ(t[2]->queued, queued_none);
    CHECK(t[2]->sched_next == NULL && t[2]->sched_prev == NULL);
    ready_queue_remove(t[0]);       /* head */
    ready_queue_remove(t[4]);       /* tail */
    /* The queue still works at both ends. */
    tcb_t *late = thread(64);
    ready_queue_add(late);
    CHECK_POPS(t[1], t[3], late);
}

TEST(emptying_a_priority_clears_its_bitmap_bit)
{
    tcb_t *hi = thread(64), *lo = thread(10), *hi2 = thread(192);
    ready_queue_add(hi);
    ready_queue_add(lo);
    ready_queue_add(hi2);
    ready_queue_remove(hi);
    ready_queue_remove(hi2);
    CHECK_POPS(lo);
}

TEST(adding_twice_and_removing_unqueued_are_no_ops)
{
    tcb_t *a = thread(7), *b = thread(7);
    ready_queue_add(a);
    ready_queue_add(b);
    ready_queue_add(a);             /* already queued: stays first */
    ready_queue_remove(thread(7));  /* never queued */
    CHECK_POPS(a, b);
    ready_queue_remove(a);
    CHECK(pop() == NULL);
}

TEST(every_priority_in_random_order)
{
    tcb_t *by_prio[NUM_PRIORITIES];
    unsigned perm[NUM_PRIORITIES];
    for (unsigned i = 0; i < NUM_PRIORITIES; i++)
        perm[i] = i;
    for (unsigned i = NUM_PRIORITIES - 1; i > 0; i--) {
        unsigned j = (unsigned)test_rand_below(i + 1), x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
    }
    for (unsigned i = 0; i < NUM_PRIORITIES; i++) {
        by_prio[perm[i]] = thread(perm[i]);
        ready_queue_add(by_prio[perm[i]]);
    }
    for (int p = NUM_PRIORITIES - 1; p >= 0; p--)
        CHECK_PTR_EQ(pop(), by_prio[p]);
    CHECK(pop() == NULL);
}

TEST(random_operations_match_a_model)
{
    /* 48 threads on 6 priorities around the word boundaries; random adds
       and removes checked against a list-per-priority model. */
    enum { N = 48, OPS = 20000 };
    static const unsigned prios[] = { 0, 63, 64, 127, 128, 255 };
    tcb_t *t[N];
    tcb_t *model[ARRAY_SIZE(prios)][N];
    unsigned len[ARRAY_SIZE(prios)] = { 0 };
    for (unsigned i = 0; i < N; i++)
        t[i] = thread(prios[i % ARRAY_SIZE(prios)]);
    for (unsigned op = 0; op < OPS; op++) {
        unsigned i = (unsigned)test_rand_below(N), q = i % ARRAY_SIZE(prios);
        bool in = t[i]->queued == queued_ready;
        if (test_rand_below(2)) {
            ready_queue_add(t[i]);
            if (!in)
                model[q][len[q]++] = t[i];
        } else {
            ready_queue_remove(t[i]);
            if (in) {
                unsigned k = 0;
                while (model[q][k] != t[i])
                    k++;
                for (; k + 1 < len[q]; k++)
                    model[q][k] = model[q][k + 1];
                len[q]--;
            }
        }
        if (op % 5000 == 4999 || op == OPS - 1) {
            /* Drain and compare, then put everything back in model order. */
            test_note("after operation %u", op);
            for (int p = ARRAY_SIZE(prios) - 1; p >= 0; p--)
                for (unsigned k = 0; k < len[p]; k++)
                    CHECK_PTR_EQ(pop(), model[p][k]);
            CHECK(pop() == NULL);
            for (unsigned p = 0; p < ARRAY_SIZE(prios); p++)
                for (unsigned k = 0; k < len[p]; k++)
                    ready_queue_add(model[p][k]);
        }
    }
}

TEST(set_priority_moves_a_queued_thread)
{
    tcb_t *a = thread(5), *b = thread(70), *c = thread(5);
    ready_queue_add(a);
    ready_queue_add(b);
    ready_queue_add(c);
    tcb_set_priority(a, 70);        /* to the tail of 70 */
    CHECK_POPS(b, a, c);
}

TEST(blocking_dequeues)
{
    tcb_t *a = thread(5), *b = thread(5);
    ready_queue_add(a);
    ready_queue_add(b);
    thread_set_state(a, thread_blocked_on_receive);
    CHECK_EQ(a->queued, queued_none);
    CHECK_POPS(b);
}

static tcb_t *thread_with_sc(unsigned prio)
{
    tcb_t *t = thread(prio);
    sched_context_t *sc = host_sc(8);
    sched_context_configure(sc, 0, host_us(10000), host_us(10000), 2, 0, false);
    sched_context_bind_tcb(sc, t);      /* runnable: queued by the bind */
    return t;
}

TEST(running_thread_stays_ahead_of_its_equals)
{
    tcb_t *cur = thread_with_sc(20), *peer = thread_with_sc(20), *hi = thread_with_sc(21);
    CHECK_EQ(cur->queued, queued_ready);
    ready_queue_remove(cur);
    ready_queue_remove(hi);
    current_thread = cur;
    schedule();
    CHECK_PTR_EQ(current_thread, cur);
    CHECK_EQ(peer->queued, queued_ready);
    /* A higher priority takes over; the preempted thread keeps its place at
       the head of its priority, its time not being up (seL4 schedule():
       SCHED_ENQUEUE_CURRENT_TCB, tcbSchedEnqueue puts it first). */
    ready_queue_add(hi);
    schedule();
    CHECK_PTR_EQ(current_thread, hi);
    CHECK_EQ(cur->queued, queued_ready);
    CHECK_POPS(cur, peer);
}

TEST(thread_whose_time_is_up_goes_behind_its_equals)
{
    tcb_t *cur = thread_with_sc(20), *peer = thread_with_sc(20);
    ready_queue_remove(cur);
    current_thread = cur;
    /* A round-robin slice used up: refilled, and to the back. */
    sched_update_time();
    host_advance(host_us(10000));
    sched_update_time();
    CHECK(sched_current_exhausted());
    schedule();
    CHECK_PTR_EQ(current_thread, peer);
    CHECK_POPS(cur);
}
