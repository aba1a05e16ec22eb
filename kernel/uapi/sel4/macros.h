/*
 * sel4/macros.h - small compiler helpers shared by the user API headers.
 *
 * Pure: usable from the kernel, from user programs and from host tools.
 * The LIBSEL4_* / SEL4_* spellings exist so that code written against
 * libsel4 that happens to use them keeps compiling.
 */
#ifndef SEL4_UAPI_MACROS_H
#define SEL4_UAPI_MACROS_H

/* Every inline function in these headers is declared with this. */
#define LIBSEL4_INLINE_FUNC static inline
#define LIBSEL4_INLINE      static inline

#if defined(__GNUC__) || defined(__clang__)
#define LIBSEL4_UNUSED      __attribute__((unused))
#define SEL4_PACKED         __attribute__((packed))
#else
#define LIBSEL4_UNUSED
#define SEL4_PACKED
#endif

/* 1 << n as an unsigned long (the word type on every supported target). */
#define LIBSEL4_BIT(n)      (1ul << (n))

/*
 * Compile-time assertion usable at file scope in C11 and C++11.
 * SEL4_COMPILE_ASSERT(name, expr) keeps libsel4's two-argument form.
 */
#ifdef __cplusplus
#define SEL4_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define SEL4_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif
#define SEL4_COMPILE_ASSERT(name, expr) SEL4_STATIC_ASSERT(expr, #name)

#ifdef __cplusplus
#define SEL4_BEGIN_DECLS extern "C" {
#define SEL4_END_DECLS   }
#else
#define SEL4_BEGIN_DECLS
#define SEL4_END_DECLS
#endif

#endif /* SEL4_UAPI_MACROS_H */
