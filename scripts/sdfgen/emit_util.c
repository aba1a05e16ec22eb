/* Helpers shared by the output writers: quoting and name mangling. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "emit.h"

/* Every byte that is not plain printable ASCII becomes an octal escape;
 * '?' is escaped too so that no trigraph can form. */
void write_c_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\' || *p == '?')
            fprintf(out, "\\%c", *p);
        else if (*p >= 0x20 && *p < 0x7f)
            fputc(*p, out);
        else
            fprintf(out, "\\%03o", *p);
    }
    fputc('"', out);
}

void write_c_bytes(FILE *out, const char *bytes, uint64_t size)
{
    /* Trailing zero bytes are left to the array's size. */
    uint64_t len = size;
    while (len > 0 && bytes[len - 1] == 0)
        len--;
    fputc('"', out);
    for (uint64_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)bytes[i];
        if (b == '"' || b == '\\' || b == '?')
            fprintf(out, "\\%c", b);
        else if (b >= 0x20 && b < 0x7f)
            fputc(b, out);
        else
            fprintf(out, "\\%03o", b);
    }
    fputc('"', out);
}

void write_quoted_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n')
            fputs("\\n", out);    /* a line break in a graphviz label */
        else if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fputc(' ', out);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void write_comment_text(FILE *out, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        bool after_star = p != (const unsigned char *)text && p[-1] == '*';
        bool after_slash = p != (const unsigned char *)text && p[-1] == '/';
        if ((*p == '/' && after_star) || (*p == '*' && after_slash))
            fprintf(out, " %c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fputc(' ', out);
        else
            fputc(*p, out);
    }
}

const char *macro_name(struct arena *arena, const char *name)
{
    char *macro = arena_strdup(arena, name);
    for (char *p = macro; *p; p++)
        *p = isalnum((unsigned char)*p) && (unsigned char)*p < 0x80
                 ? (char)toupper((unsigned char)*p)
                 : '_';
    return macro;
}

const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *perms_text(unsigned perms)
{
    static const char *const texts[] = { "---", "r--", "-w-", "rw-",
                                         "--x", "r-x", "-wx", "rwx" };
    return texts[perms & 7];
}
