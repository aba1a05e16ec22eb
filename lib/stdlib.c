/*
 * <stdlib.h> for freestanding images (lib/include/stdlib.h): what
 * libraries from elsewhere expect of it. atoi for lwIP's netif_find;
 * strtoul as C specifies it (leading space, sign, 0x/0 prefixes for base 0
 * and 16, saturation at ULONG_MAX) for libfdt.
 */
#include <limits.h>
#include <stdlib.h>

static int is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

int atoi(const char *s)
{
    while (is_space(*s))
        s++;
    int sign = 1;
    if (*s == '-' || *s == '+')
        sign = *s++ == '-' ? -1 : 1;
    int v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return sign * v;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    const char *p = s;
    while (is_space(*p))
        p++;
    int negative = 0;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    if (base < 2 || base > 36) {
        if (end)
            *end = (char *)s;
        return 0;
    }
    unsigned long value = 0;
    int overflow = 0, digits = 0;
    for (;; p++, digits++) {
        int d = digit_value(*p);
        if (d >= base)
            break;
        if (value > (ULONG_MAX - (unsigned long)d) / (unsigned long)base)
            overflow = 1;
        value = value * (unsigned long)base + (unsigned long)d;
    }
    if (end)
        *end = (char *)(digits ? p : s);
    if (overflow)
        return ULONG_MAX;
    return negative ? -value : value;
}
