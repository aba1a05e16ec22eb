/* Number parsing and formatting. */
#include "numbers.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int digit_value(char c, unsigned base)
{
    int value;
    if (c >= '0' && c <= '9')
        value = c - '0';
    else if (c >= 'a' && c <= 'f')
        value = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        value = c - 'A' + 10;
    else
        return -1;
    return (unsigned)value < base ? value : -1;
}

/* The underscores are separators wherever they are, so they are skipped
 * before any other interpretation, including inside the "0x" prefix. */
static const char *skip_separators(const char *p)
{
    while (*p == '_')
        p++;
    return p;
}

enum number_status parse_number(const char *text, uint64_t *value)
{
    const char *p = skip_separators(text);
    unsigned base = 10;
    if (p[0] == '0') {
        const char *after_zero = skip_separators(p + 1);
        if (*after_zero == 'x' || *after_zero == 'X') {
            base = 16;
            p = after_zero + 1;
        }
    }
    uint64_t result = 0;
    bool overflow = false;
    unsigned digits = 0;
    for (;; p++) {
        p = skip_separators(p);
        if (*p == '\0')
            break;
        int digit = digit_value(*p, base);
        if (digit < 0)
            return NUMBER_INVALID;
        if (result > (UINT64_MAX - (unsigned)digit) / base)
            overflow = true;
        result = result * base + (unsigned)digit;
        digits++;
    }
    if (digits == 0)
        return NUMBER_INVALID;
    if (overflow)
        return NUMBER_OVERFLOW;
    *value = result;
    return NUMBER_OK;
}

bool parse_bool(const char *text, bool *value)
{
    if (strcmp(text, "true") == 0) {
        *value = true;
        return true;
    }
    if (strcmp(text, "false") == 0) {
        *value = false;
        return true;
    }
    return false;
}

void format_size(char *buf, size_t buf_size, uint64_t size)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    int unit = -1;
    uint64_t scaled = size;
    while (unit + 1 < 6 && scaled != 0 && scaled % 1024 == 0) {
        scaled /= 1024;
        unit++;
    }
    if (unit < 0)
        snprintf(buf, buf_size, "%" PRIu64 " bytes", size);
    else
        snprintf(buf, buf_size, "%" PRIu64 " %s", scaled, units[unit]);
}

void format_size_approx(char *buf, size_t buf_size, uint64_t size)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    if (size < 1024) {
        snprintf(buf, buf_size, "%" PRIu64 " bytes", size);
        return;
    }
    int unit = 0;
    uint64_t divisor = 1024;
    while (unit < 5 && size / divisor >= 1024) {
        divisor *= 1024;
        unit++;
    }
    uint64_t tenths = (size % divisor) * 10 / divisor;
    if (size % divisor == 0)
        snprintf(buf, buf_size, "%" PRIu64 " %s", size / divisor, units[unit]);
    else
        snprintf(buf, buf_size, "%" PRIu64 ".%" PRIu64 " %s", size / divisor,
                 tenths, units[unit]);
}
