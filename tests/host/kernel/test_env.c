/*
 * The test environment itself: host memory reached through the kernel's
 * physical window, cap encodings of host pointers, and the fake machine.
 * Everything else relies on these.
 */
#define TEST_SUITE "env"
#include "harness.h"
#include "host.h"

#include <stdlib.h>
#include <string.h>

static void check_round_trip(void *p)
{
    paddr_t pa = paddr_from_ptr(p);
    CHECK_PTR_EQ(ptr_from_paddr(pa), p);
    /* The address fields of caps hold 48-bit physical addresses. */
    CHECK_MSG(pa < (1ull << 48), "paddr 0x%llx of %p does not fit 48 bits",
              (unsigned long long)pa, p);
}

TEST(physical_window_round_trip)
{
    int on_stack;
    void *heap = malloc(64);
    check_round_trip(heap);
    check_round_trip(&on_stack);
    check_round_trip(host_alloc(12));
    check_round_trip(host_arena(20));
    free(heap);
}

TEST(cap_pointer_fields_round_trip)
{
    cap_t c;
    endpoint_t *ep = host_endpoint(&c);
    CHECK_PTR_EQ(cap_get_ptr(c), ep);
    notification_t *n = host_notification(&c);
    CHECK_PTR_EQ(cap_get_ptr(c), n);
    tcb_t *t = host_tcb(0);
    CHECK_PTR_EQ(cap_get_ptr(cap_thread_new(t)), t);
    cte_t *slots = host_cnode(10, 7, 0x55, &c);
    CHECK_PTR_EQ(cap_get_ptr(c), slots);
    CHECK_EQ(cap_cnode_radix(c), 10);
    CHECK_EQ(cap_cnode_guard_size(c), 7);
    CHECK_EQ(cap_cnode_guard(c), 0x55);
    sched_context_t *sc = host_sc(8);
    c = cap_sched_context_new(sc, 8);
    CHECK_PTR_EQ(cap_get_ptr(c), sc);
    CHECK_EQ(cap_sched_context_size_bits(c), 8);
}

TEST(untyped_and_frame_caps_round_trip)
{
    void *mem = host_arena(21);
    paddr_t pa = paddr_from_ptr(mem);
    cap_t ut = cap_untyped_new(pa, 21, false, 0x1230);
    CHECK_EQ(cap_untyped_base(ut), pa);
    CHECK_EQ(cap_untyped_size_bits(ut), 21);
    CHECK(!cap_untyped_is_device(ut));
    CHECK_EQ(cap_untyped_free_index(ut), 0x1230);
    cap_t fr = cap_frame_new(pa, frame_2m, vm_read_write, false);
    CHECK_EQ(cap_frame_base(fr), pa);
    CHECK_PTR_EQ(ptr_from_paddr(cap_frame_base(fr)), mem);
    CHECK_EQ(cap_frame_size(fr), frame_2m);
}

TEST(host_alloc_is_aligned_and_zeroed)
{
    for (unsigned bits = 4; bits <= 16; bits++) {
        uint8_t *p = host_alloc(bits);
        CHECK_MSG(IS_ALIGNED((uintptr_t)p, bits), "2^%u object at %p", bits, (void *)p);
        /* Aligned in the physical view too (the window base is 2^39 aligned). */
        CHECK(IS_ALIGNED(paddr_from_ptr(p), bits));
        for (size_t i = 0; i < BIT(bits); i++)
            CHECK(p[i] == 0);
    }
    CHECK(IS_ALIGNED((uintptr_t)host_arena(22), 22));
}

TEST(fake_clock_converts_like_the_generic_timer)
{
    CHECK_EQ(timer_us_to_ticks(1), 62);          /* 62.5 ticks, rounded down */
    CHECK_EQ(timer_us_to_ticks(1000), 62500);
    CHECK_EQ(timer_ticks_to_us(62500), 1000);
    CHECK_EQ(timer_ticks_to_us(timer_us_to_ticks(123456788)), 123456788);
    host_set_time(1000);
    CHECK_EQ(timer_now(), 1000);
    host_advance(5);
    CHECK_EQ(timer_now(), 1005);
}

TEST(invocation_through_handle_invocation)
{
    env_t e;
    env_init(&e, 8);
    /* An invalid label on the root CNode cap comes back as IllegalOperation. */
    CHECK_EQ(env_call(&e, ENV_CNODE, 0, NO_WORDS, 0, NULL), seL4_IllegalOperation);
    /* A null slot cannot be invoked: InvalidCapability, index 0. */
    CHECK_EQ(env_call(&e, ENV_FREE, CNodeRevoke, NO_WORDS, 0, NULL), seL4_InvalidCapability);
    CHECK_EQ(env_reply(&e, 0), 0);
    CHECK_EQ(env_reply_length(&e), 1);
}
