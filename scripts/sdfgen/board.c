/* memory.map parsing. */
#include "board.h"

#include <string.h>

#include "numbers.h"
#include "ranges.h"
#include "source.h"

#define MAX_FIELDS 6

struct field {
    const char *text; /* NUL-terminated copy */
    struct loc loc;
};

/* Splits one line (up to a '#') into whitespace-separated fields. Returns
 * the number of fields, which may exceed MAX_FIELDS (extra ones dropped). */
static size_t split_fields(struct arena *arena, const struct source *src,
                           size_t start, size_t end, struct field *fields)
{
    size_t count = 0, pos = start;
    for (;;) {
        while (pos < end && (src->text[pos] == ' ' || src->text[pos] == '\t' ||
                             src->text[pos] == '\r'))
            pos++;
        if (pos >= end || src->text[pos] == '#')
            return count;
        size_t word = pos;
        while (pos < end && src->text[pos] != ' ' && src->text[pos] != '\t' &&
               src->text[pos] != '\r' && src->text[pos] != '#')
            pos++;
        if (count < MAX_FIELDS)
            fields[count] = (struct field){
                arena_strndup(arena, src->text + word, pos - word),
                source_loc(src, word),
            };
        count++;
    }
}

static bool parse_kind(const char *text, enum range_kind *kind)
{
    static const char *const names[] = { "ram", "device", "reserved" };
    for (int i = 0; i < 3; i++)
        if (strcmp(text, names[i]) == 0) {
            *kind = (enum range_kind)i;
            return true;
        }
    return false;
}

static bool parse_address(struct diag *diag, const struct field *field,
                          const char *what, uint64_t *value)
{
    if (parse_number(field->text, value) != NUMBER_OK) {
        diag_error(diag, field->loc, "invalid %s '%s' (expected a number)",
                   what, field->text);
        return false;
    }
    if (!is_aligned(*value, 0x1000)) {
        diag_error(diag, field->loc, "%s %s is not a multiple of 4 KiB", what,
                   field->text);
        return false;
    }
    return true;
}

static bool parse_line(struct board *board, struct arena *arena,
                       struct diag *diag, const struct field *fields,
                       size_t count, struct loc line_loc)
{
    if (count < 4 || count > 5) {
        diag_error(diag, line_loc,
                   "expected 'kind base size name [flags]', found %zu field%s",
                   count, count == 1 ? "" : "s");
        return false;
    }
    struct board_range range = { .name = fields[3].text, .loc = line_loc };
    if (!parse_kind(fields[0].text, &range.kind)) {
        diag_error(diag, fields[0].loc,
                   "unknown range kind '%s' (allowed: ram, device, reserved)",
                   fields[0].text);
        return false;
    }
    if (!parse_address(diag, &fields[1], "base", &range.base) ||
        !parse_address(diag, &fields[2], "size", &range.size))
        return false;
    if (range.size == 0 || range_overflows(range.base, range.size)) {
        diag_error(diag, fields[2].loc,
                   "size %s is empty or runs past the end of the address space",
                   fields[2].text);
        return false;
    }
    if (count == 5) {
        if (strcmp(fields[4].text, "kernel") != 0 || range.kind != RANGE_DEVICE) {
            diag_error(diag, fields[4].loc,
                       "unknown flag '%s' (allowed: 'kernel', on a device)",
                       fields[4].text);
            return false;
        }
        range.kernel_only = true;
    }
    *VEC_PUSH(arena, &board->ranges) = range;
    return true;
}

/* Reserved ranges are holes in RAM, so they may (must) overlap RAM; any
 * other overlap is a mistake in the map. */
static bool may_overlap(const struct board_range *a, const struct board_range *b)
{
    return (a->kind == RANGE_RESERVED) != (b->kind == RANGE_RESERVED);
}

static bool check_overlaps(const struct board *board, struct diag *diag)
{
    bool ok = true;
    for (size_t i = 0; i < board->ranges.len; i++)
        for (size_t j = 0; j < i; j++) {
            const struct board_range *a = &board->ranges.items[j];
            const struct board_range *b = &board->ranges.items[i];
            struct range ra = { a->base, a->size }, rb = { b->base, b->size };
            if (!ranges_overlap(ra, rb) || may_overlap(a, b))
                continue;
            diag_error(diag, b->loc, "range '%s' overlaps range '%s'", b->name,
                       a->name);
            diag_note(diag, a->loc, "'%s' defined here", a->name);
            ok = false;
        }
    return ok;
}

bool board_parse(struct board *board, struct arena *arena, struct diag *diag,
                 const char *file, const char *text, size_t len)
{
    struct source src;
    source_init(&src, arena, file, text, len);
    board->map_file = file;
    unsigned errors_before = diag->errors;
    for (unsigned line = 1; line <= src.lines; line++) {
        size_t start = source_line_offset(&src, line);
        size_t end = line < src.lines ? source_line_offset(&src, line + 1) - 1
                                      : src.len;
        struct field fields[MAX_FIELDS];
        size_t count = split_fields(arena, &src, start, end, fields);
        if (count == 0)
            continue;
        parse_line(board, arena, diag, fields, count, source_loc(&src, start));
    }
    bool has_ram = false;
    for (size_t i = 0; i < board->ranges.len; i++)
        has_ram |= board->ranges.items[i].kind == RANGE_RAM;
    if (diag->errors == errors_before && !has_ram)
        diag_error(diag, loc_file(file), "the memory map has no 'ram' range");
    check_overlaps(board, diag);
    return diag->errors == errors_before;
}
