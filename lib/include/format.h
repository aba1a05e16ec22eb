/*
 * printf-style formatting for freestanding images, written against an output
 * callback so the loader, the kernel and user programs share one formatter.
 * Supports %c %s %d %i %u %x %X %p %% with flags '0' '-', width, precision
 * for strings, and the length modifiers l, ll, z.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_putc_fn)(char c, void *ctx);

/* Returns the number of characters produced. */
size_t format_va(format_putc_fn putc, void *ctx, const char *fmt, va_list ap);
size_t format(format_putc_fn putc, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Bounded formatting into a buffer; always NUL terminates when size > 0. */
size_t format_buf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
