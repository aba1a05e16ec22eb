/*
 * A small unit-test framework for the host tests of the kernel.
 *
 *     #define TEST_SUITE "cdt"
 *     #include "harness.h"
 *
 *     TEST(copy_goes_after_parent)
 *     {
 *         CHECK(...);
 *         CHECK_EQ(actual, expected);
 *     }
 *
 * Every test runs in a child process of its own (fork), so each one starts
 * from pristine kernel globals (ready queues, the clock, the CDT) and a
 * crash, a sanitizer report, a kernel assertion or a hang fails only that
 * test. The binary prints "PASS suite/name" or "FAIL suite/name: reason"
 * per test and ends with "N passed, N failed"; it exits 1 if any failed.
 *
 *     test_x [--no-fork] [name...]   run only the named tests (substring
 *                                    match); --no-fork runs them in this
 *                                    process (for a debugger) and stops at
 *                                    the first failure
 */
#ifndef HOST_HARNESS_H
#define HOST_HARNESS_H

#include <stdint.h>
#include <stdbool.h>

struct test_case {
    const char *suite;
    const char *name;
    void (*fn)(void);
    const char *file;
    int line;
    struct test_case *next;
};

void test_register(struct test_case *tc);

#define TEST(name)                                                              \
    static void test_##name(void);                                              \
    __attribute__((constructor)) static void register_##name(void)              \
    {                                                                           \
        static struct test_case tc = { TEST_SUITE, #name, test_##name,          \
                                       __FILE__, __LINE__, 0 };                 \
        test_register(&tc);                                                     \
    }                                                                           \
    static void test_##name(void)

/* Fail the running test with a printf-style reason (never returns); file
   may be NULL (no position in the reason). */
_Noreturn void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define FAIL(...) test_fail(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond))                                                            \
            test_fail(__FILE__, __LINE__, "check failed: %s", #cond);           \
    } while (0)

#define CHECK_MSG(cond, ...)                                                    \
    do {                                                                        \
        if (!(cond))                                                            \
            test_fail(__FILE__, __LINE__, __VA_ARGS__);                         \
    } while (0)

/* Integer equality (both sides converted to 64-bit unsigned). */
#define CHECK_EQ(actual, expected)                                              \
    do {                                                                        \
        uint64_t a_ = (uint64_t)(actual), e_ = (uint64_t)(expected);            \
        if (a_ != e_)                                                           \
            test_fail(__FILE__, __LINE__, "%s is %llu (0x%llx), expected %s = %llu (0x%llx)", \
                      #actual, (unsigned long long)a_, (unsigned long long)a_,  \
                      #expected, (unsigned long long)e_, (unsigned long long)e_); \
    } while (0)

#define CHECK_PTR_EQ(actual, expected)                                          \
    do {                                                                        \
        const void *a_ = (const void *)(actual), *e_ = (const void *)(expected); \
        if (a_ != e_)                                                           \
            test_fail(__FILE__, __LINE__, "%s is %p, expected %s = %p",         \
                      #actual, a_, #expected, e_);                              \
    } while (0)

/* Note for the failure reason if the test dies later (kept per test). */
void test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Deterministic pseudo-random numbers (xorshift), reseeded per test. */
uint64_t test_rand(void);
uint64_t test_rand_below(uint64_t n);

#endif
