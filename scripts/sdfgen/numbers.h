/* Numbers as the system description writes them: decimal, or hexadecimal
 * with a 0x prefix, with '_' separators allowed anywhere ("0x4000_0000",
 * "1_000"). Also the boolean spelling and a human-readable size format. */
#ifndef SDFGEN_NUMBERS_H
#define SDFGEN_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum number_status {
    NUMBER_OK,
    NUMBER_INVALID,  /* empty, a non-digit, a sign, "0x" alone */
    NUMBER_OVERFLOW, /* does not fit in 64 bits */
};

enum number_status parse_number(const char *text, uint64_t *value);

/* Parses exactly "true" or "false". */
bool parse_bool(const char *text, bool *value);

/* Writes a size in the largest binary unit that divides it exactly:
 * "4 KiB", "2 MiB", "3 GiB", "12345 bytes". */
void format_size(char *buf, size_t buf_size, uint64_t size);

/* In the largest unit the size reaches, with one decimal unless exact
 * ("4.5 MiB", "2 GiB"). */
void format_size_approx(char *buf, size_t buf_size, uint64_t size);

#endif
