/* Source text positions.
 *
 * libxml2 records, for each element, the byte offset of its '<' (the
 * parser's "node info", see xml.c). Offsets are turned into line:column here
 * with a binary search over the start offsets of all lines. Attributes have
 * no recorded position, so their start tag is scanned again with the few
 * rules of XML start-tag syntax needed to skip names and quoted values. */
#include "source.h"

#include <string.h>

static size_t count_lines(const char *text, size_t len)
{
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            lines++;
    return lines;
}

void source_init(struct source *src, struct arena *arena, const char *name,
                 const char *text, size_t len)
{
    src->name = name;
    src->text = text;
    src->len = len;
    src->lines = count_lines(text, len);
    src->line_starts = arena_alloc(arena, src->lines * sizeof(size_t));
    size_t line = 0;
    src->line_starts[line++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            src->line_starts[line++] = i + 1;
}

struct loc source_loc(const struct source *src, size_t offset)
{
    if (offset > src->len)
        offset = src->len;
    size_t low = 0, high = src->lines; /* line_starts[low] <= offset */
    while (high - low > 1) {
        size_t mid = low + (high - low) / 2;
        if (src->line_starts[mid] <= offset)
            low = mid;
        else
            high = mid;
    }
    return (struct loc){
        .file = src->name,
        .line = (unsigned)(low + 1),
        .col = (unsigned)(offset - src->line_starts[low] + 1),
    };
}

size_t source_line_offset(const struct source *src, unsigned line)
{
    if (line == 0 || line > src->lines)
        return NO_OFFSET;
    return src->line_starts[line - 1];
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int ends_name(char c)
{
    return is_space(c) || c == '=' || c == '>' || c == '/' || c == '\0';
}

static size_t skip_space(const struct source *src, size_t pos)
{
    while (pos < src->len && is_space(src->text[pos]))
        pos++;
    return pos;
}

static size_t skip_name(const struct source *src, size_t pos)
{
    while (pos < src->len && !ends_name(src->text[pos]))
        pos++;
    return pos;
}

/* Calls `visit` for each attribute name in the start tag at `tag_offset`;
 * stops when it returns nonzero. Returns the offset after the tag's '>'
 * (or NO_OFFSET if the tag is cut short or a visit stopped the scan). */
static size_t scan_start_tag(const struct source *src, size_t tag_offset,
                             int (*visit)(const char *name, size_t len,
                                          void *ctx),
                             void *ctx, size_t *stopped_at)
{
    if (tag_offset >= src->len || src->text[tag_offset] != '<')
        return NO_OFFSET;
    size_t pos = skip_name(src, tag_offset + 1);
    for (;;) {
        pos = skip_space(src, pos);
        if (pos >= src->len)
            return NO_OFFSET;
        char c = src->text[pos];
        if (c == '>')
            return pos + 1;
        if (c == '/') {
            pos++;
            continue;
        }
        size_t name_start = pos;
        pos = skip_name(src, pos);
        if (pos == name_start)
            return NO_OFFSET; /* stray '=' or NUL: not a tag we understand */
        if (visit && visit(src->text + name_start, pos - name_start, ctx)) {
            *stopped_at = name_start;
            return NO_OFFSET;
        }
        pos = skip_space(src, pos);
        if (pos >= src->len || src->text[pos] != '=')
            continue;
        pos = skip_space(src, pos + 1);
        if (pos >= src->len)
            return NO_OFFSET;
        char quote = src->text[pos];
        if (quote != '"' && quote != '\'')
            continue;
        const char *close = memchr(src->text + pos + 1, quote,
                                   src->len - pos - 1);
        if (!close)
            return NO_OFFSET;
        pos = (size_t)(close - src->text) + 1;
    }
}

struct attribute_search {
    const char *name;
};

static int matches_attribute(const char *name, size_t len, void *ctx)
{
    const struct attribute_search *search = ctx;
    return strlen(search->name) == len && memcmp(search->name, name, len) == 0;
}

size_t source_find_attribute(const struct source *src, size_t tag_offset,
                             const char *name)
{
    struct attribute_search search = { name };
    size_t found = NO_OFFSET;
    scan_start_tag(src, tag_offset, matches_attribute, &search, &found);
    return found;
}

size_t source_start_tag_end(const struct source *src, size_t tag_offset)
{
    return scan_start_tag(src, tag_offset, NULL, NULL, NULL);
}

static size_t skip_delimited(const struct source *src, size_t pos,
                             const char *open, const char *close)
{
    size_t open_len = strlen(open), close_len = strlen(close);
    if (src->len - pos < open_len || memcmp(src->text + pos, open, open_len))
        return pos;
    for (size_t i = pos + open_len; i + close_len <= src->len; i++)
        if (memcmp(src->text + i, close, close_len) == 0)
            return i + close_len;
    return src->len;
}

size_t source_skip_markup_space(const struct source *src, size_t offset)
{
    size_t pos = offset;
    while (pos < src->len) {
        size_t next = skip_space(src, pos);
        next = skip_delimited(src, next, "<!--", "-->");
        next = skip_delimited(src, next, "<?", "?>");
        if (next == pos)
            return pos;
        pos = next;
    }
    return NO_OFFSET;
}
