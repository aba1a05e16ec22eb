/* Kernel assertions: checked in debug builds, gone in release builds. */
#ifndef KERNEL_ASSERT_H
#define KERNEL_ASSERT_H

_Noreturn void kernel_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#ifdef CONFIG_DEBUG_BUILD
#define assert(expr) \
    ((expr) ? (void)0 : kernel_panic("assertion failed: %s at %s:%d", #expr, __FILE__, __LINE__))
#else
#define assert(expr) ((void)0)
#endif

#define static_assert_size(type, size) \
    _Static_assert(sizeof(type) == (size), #type " must be " #size " bytes")

#endif
