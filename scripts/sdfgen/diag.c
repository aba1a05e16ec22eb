/* Diagnostics: formatting and counting. */
#include "diag.h"

#include <stdarg.h>

void diag_init(struct diag *diag, FILE *out)
{
    diag->out = out;
    diag->errors = 0;
    diag->warnings = 0;
}

static void print(const struct diag *diag, struct loc loc, const char *kind,
                  const char *fmt, va_list args)
{
    if (!diag->out)
        return;
    if (!loc.file)
        fputs("sdfgen", diag->out);
    else if (loc.line == 0)
        fputs(loc.file, diag->out);
    else if (loc.col == 0)
        fprintf(diag->out, "%s:%u", loc.file, loc.line);
    else
        fprintf(diag->out, "%s:%u:%u", loc.file, loc.line, loc.col);
    fprintf(diag->out, ": %s: ", kind);
    vfprintf(diag->out, fmt, args);
    fputc('\n', diag->out);
}

void diag_error(struct diag *diag, struct loc loc, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    if (diag->errors < DIAG_PRINT_LIMIT)
        print(diag, loc, "error", fmt, args);
    va_end(args);
    diag->errors++;
}

void diag_warning(struct diag *diag, struct loc loc, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    if (diag->warnings < DIAG_PRINT_LIMIT)
        print(diag, loc, "warning", fmt, args);
    va_end(args);
    diag->warnings++;
}

/* A note belongs to the error or warning just reported, so it is printed
 * when that one was. */
void diag_note(struct diag *diag, struct loc loc, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    if (diag->errors <= DIAG_PRINT_LIMIT && diag->warnings <= DIAG_PRINT_LIMIT)
        print(diag, loc, "note", fmt, args);
    va_end(args);
}

void diag_summary(const struct diag *diag)
{
    if (!diag->out || (diag->errors == 0 && diag->warnings == 0))
        return;
    if (diag->errors)
        fprintf(diag->out, "%u error%s", diag->errors,
                diag->errors == 1 ? "" : "s");
    if (diag->errors && diag->warnings)
        fputs(", ", diag->out);
    if (diag->warnings)
        fprintf(diag->out, "%u warning%s", diag->warnings,
                diag->warnings == 1 ? "" : "s");
    if (diag->errors > DIAG_PRINT_LIMIT || diag->warnings > DIAG_PRINT_LIMIT)
        fprintf(diag->out, " (only the first %d of each kind shown)",
                DIAG_PRINT_LIMIT);
    fputc('\n', diag->out);
}
