#include <format.h>
#include <stdbool.h>
#include <stdint.h>

struct spec {
    bool left;          /* '-': pad on the right */
    bool zero;          /* '0': pad numbers with zeros */
    int width;
    int precision;      /* -1 when absent */
    int length;         /* number of 'l' (z counts as 2) */
};

struct out {
    format_putc_fn putc;
    void *ctx;
    size_t count;
};

static void emit(struct out *o, char c)
{
    o->putc(c, o->ctx);
    o->count++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        emit(o, c);
}

static void emit_string(struct out *o, const struct spec *sp, const char *s)
{
    if (!s)
        s = "(null)";
    int len = 0;
    while (s[len] && (sp->precision < 0 || len < sp->precision))
        len++;
    if (!sp->left)
        pad(o, ' ', sp->width - len);
    for (int i = 0; i < len; i++)
        emit(o, s[i]);
    if (sp->left)
        pad(o, ' ', sp->width - len);
}

static void emit_number(struct out *o, const struct spec *sp, uint64_t value,
                        bool negative, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;
    do {
        buf[n++] = digits[value % base];
        value /= base;
    } while (value);
    int len = n + (negative ? 1 : 0);
    if (!sp->left && !sp->zero)
        pad(o, ' ', sp->width - len);
    if (negative)
        emit(o, '-');
    if (!sp->left && sp->zero)
        pad(o, '0', sp->width - len);
    while (n)
        emit(o, buf[--n]);
    if (sp->left)
        pad(o, ' ', sp->width - len);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .precision = -1 };
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->precision = 0;
        if (*f == '*') {
            sp->precision = va_arg(*ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9')
            sp->precision = sp->precision * 10 + (*f++ - '0');
    }
    for (; *f == 'l' || *f == 'z'; f++)
        sp->length += (*f == 'z') ? 2 : 1;
    return f;
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
    return sp->length ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
    return sp->length ? va_arg(*ap, int64_t) : va_arg(*ap, int);
}

size_t format_va(format_putc_fn putc, void *ctx, const char *fmt, va_list ap_in)
{
    struct out o = { putc, ctx, 0 };
    va_list ap;
    va_copy(ap, ap_in);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            emit(&o, *f);
            continue;
        }
        struct spec sp;
        f = parse_spec(f + 1, &sp, &ap);
        switch (*f) {
        case 'c':
            emit(&o, (char)va_arg(ap, int));
            break;
        case 's':
            emit_string(&o, &sp, va_arg(ap, const char *));
            break;
        case 'd':
        case 'i': {
            int64_t v = fetch_signed(&sp, &ap);
            emit_number(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false);
            break;
        }
        case 'u':
            emit_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 10, false);
            break;
        case 'x':
        case 'X':
            emit_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 16, *f == 'X');
            break;
        case 'p':
            emit(&o, '0');
            emit(&o, 'x');
            sp.zero = true;
            sp.width = 16;
            emit_number(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false);
            break;
        case '%':
            emit(&o, '%');
            break;
        case '\0':
            f--;    /* a lone '%' at the end: stop cleanly */
            break;
        default:
            emit(&o, '%');
            emit(&o, *f);
            break;
        }
    }
    va_end(ap);
    return o.count;
}

size_t format(format_putc_fn putc, void *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = format_va(putc, ctx, fmt, ap);
    va_end(ap);
    return n;
}

struct buffer {
    char *buf;
    size_t size;
    size_t used;
};

static void buffer_putc(char c, void *ctx)
{
    struct buffer *b = ctx;
    if (b->used + 1 < b->size)
        b->buf[b->used] = c;
    b->used++;
}

size_t format_buf(char *buf, size_t size, const char *fmt, ...)
{
    struct buffer b = { buf, size, 0 };
    va_list ap;
    va_start(ap, fmt);
    size_t n = format_va(buffer_putc, &b, fmt, ap);
    va_end(ap);
    if (size)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}
