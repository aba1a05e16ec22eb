/* An input file held in memory, with a line index so that byte offsets can
 * be turned into line:column positions, and a small scanner for XML start
 * tags so that a diagnostic can point at an attribute rather than only at
 * its element. */
#ifndef SDFGEN_SOURCE_H
#define SDFGEN_SOURCE_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

#define NO_OFFSET ((size_t)-1)

struct source {
    const char *name;
    const char *text;
    size_t len;
    size_t *line_starts; /* offset of the first byte of each line */
    size_t lines;
};

void source_init(struct source *src, struct arena *arena, const char *name,
                 const char *text, size_t len);

/* The line:column of a byte offset (column counted in bytes from 1). */
struct loc source_loc(const struct source *src, size_t offset);

/* The offset where line `line` (from 1) starts, or NO_OFFSET. */
size_t source_line_offset(const struct source *src, unsigned line);

/* Given the offset of an element's '<', the offset of attribute `name` in
 * its start tag, or NO_OFFSET if the tag does not have it. */
size_t source_find_attribute(const struct source *src, size_t tag_offset,
                             const char *name);

/* Given the offset of an element's '<', the offset just past its start
 * tag's '>', or NO_OFFSET if the tag is not complete. */
size_t source_start_tag_end(const struct source *src, size_t tag_offset);

/* From `offset`, skips whitespace, comments and processing instructions and
 * returns the offset of the first other byte (NO_OFFSET at end of input).
 * Used to find where unexpected text starts between elements. */
size_t source_skip_markup_space(const struct source *src, size_t offset);

#endif
