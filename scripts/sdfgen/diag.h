/* Diagnostics in the form compilers use:
 *
 *     file:line:column: error: message
 *     file:line:column: note: message
 *     file:line:column: warning: message
 *
 * followed at the end of a run by a summary line ("3 errors, 1 warning").
 * Every diagnostic is printed when it is found, so all errors of a run are
 * reported, not only the first.
 */
#ifndef SDFGEN_DIAG_H
#define SDFGEN_DIAG_H

#include <stdio.h>

/* A place in an input file. line 0 means "the file as a whole"; file NULL
 * means "no file" (command line, internal). Columns count bytes from 1. */
struct loc {
    const char *file;
    unsigned line, col;
};

/* Diagnostics of one kind beyond this many are counted, not printed:
 * nobody reads a million messages, and printing them is what would make a
 * pathological input slow. */
#define DIAG_PRINT_LIMIT 1000

struct diag {
    FILE *out; /* NULL: count without printing (fuzzing) */
    unsigned errors, warnings;
};

void diag_init(struct diag *diag, FILE *out);

void diag_error(struct diag *diag, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *diag, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Points at the other element of a conflict; does not count. */
void diag_note(struct diag *diag, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints "N errors, M warnings" (omitting a zero part) if anything was
 * reported. */
void diag_summary(const struct diag *diag);

static inline struct loc loc_none(void)
{
    return (struct loc){ 0 };
}

static inline struct loc loc_file(const char *file)
{
    return (struct loc){ .file = file };
}

#endif
