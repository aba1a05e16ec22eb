/* sdfgen.d: a make rule saying the outputs depend on every file sdfgen
 * read, with an empty rule per input (as gcc -MP does) so that a deleted
 * input does not break the build. */
#include "emit.h"

/* Make needs spaces, '#' and '$' escaped in file names. */
static void write_make_path(FILE *out, const char *path)
{
    for (const char *p = path; *p; p++) {
        if (*p == ' ' || *p == '#' || *p == '\\')
            fputc('\\', out);
        if (*p == '$')
            fputc('$', out);
        fputc(*p, out);
    }
}

static const char *input_at(const void *ctx, size_t i)
{
    return ((const char *const *)ctx)[i];
}

void emit_deps(const struct compilation *c, const char *targets, FILE *out)
{
    /* A file read twice (one image for two PDs) is listed once. */
    struct name_index index;
    name_index_build(&index, c->arena, c->inputs.len, input_at, c->inputs.items);
    size_t *first = arena_alloc(c->arena, (c->inputs.len + 1) * sizeof *first);
    name_index_first_of(&index, c->inputs.len, first);
    fprintf(out, "%s:", targets);
    for (size_t i = 0; i < c->inputs.len; i++) {
        if (first[i] != (size_t)-1)
            continue;
        fputs(" \\\n  ", out);
        write_make_path(out, c->inputs.items[i]);
    }
    fputc('\n', out);
    for (size_t i = 0; i < c->inputs.len; i++) {
        if (first[i] != (size_t)-1)
            continue;
        fputc('\n', out);
        write_make_path(out, c->inputs.items[i]);
        fputs(":\n", out);
    }
}
