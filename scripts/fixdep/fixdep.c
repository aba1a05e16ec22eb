/*
 * fixdep: rewrite a compiler dependency file so that an object depends on the
 * Kconfig symbols it uses instead of on the whole autoconf.h.
 *
 *   fixdep DEPFILE AUTOCONF_H DEPS_DIR > OUT
 *
 * DEPFILE is what `gcc -MD` wrote. Every prerequisite except AUTOCONF_H is kept;
 * every prerequisite (and the source itself) is scanned for CONFIG_<NAME>
 * tokens, and for each distinct one the output gains a dependency on
 * $(wildcard DEPS_DIR/<name>.h), the stamp file that `genconfig --sync-deps`
 * touches when that symbol's value changes (lower case, '_' becomes '/').
 * Each header also gets an empty rule, so deleting a header does not break
 * the build (like gcc -MP).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SYMBOLS 4096

static char *symbols[MAX_SYMBOLS];
static int nsymbols;

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            cap *= 2;
            char *grown = realloc(buf, cap + 1);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void remember_symbol(const char *name, size_t len)
{
    for (int i = 0; i < nsymbols; i++)
        if (strlen(symbols[i]) == len && memcmp(symbols[i], name, len) == 0)
            return;
    if (nsymbols == MAX_SYMBOLS)
        return;
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, name, len);
    copy[len] = '\0';
    symbols[nsymbols++] = copy;
}

static int is_ident(int c)
{
    return isalnum(c) || c == '_';
}

/* Collect CONFIG_<NAME> tokens that stand alone (not part of a longer word). */
static void scan_for_symbols(const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return;
    for (size_t i = 0; i + 7 < len; i++) {
        if (memcmp(text + i, "CONFIG_", 7) != 0)
            continue;
        if (i > 0 && is_ident((unsigned char)text[i - 1]))
            continue;
        size_t start = i + 7, end = start;
        while (end < len && is_ident((unsigned char)text[end]))
            end++;
        if (end > start)
            remember_symbol(text + start, end - start);
        i = end;
    }
    free(text);
}

static void print_stamp(const char *deps_dir, const char *symbol)
{
    printf("    $(wildcard %s/", deps_dir);
    for (const char *p = symbol; *p; p++)
        putchar(*p == '_' ? '/' : tolower((unsigned char)*p));
    printf(".h) \\\n");
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fixdep DEPFILE AUTOCONF_H DEPS_DIR\n");
        return 2;
    }
    const char *autoconf = argv[2], *deps_dir = argv[3];
    size_t len;
    char *text = read_file(argv[1], &len);
    if (!text) {
        perror(argv[1]);
        return 1;
    }
    /* Join continuation lines, then split into words. */
    for (size_t i = 0; i + 1 < len; i++)
        if (text[i] == '\\' && text[i + 1] == '\n')
            text[i] = text[i + 1] = ' ';
    char *colon = strchr(text, ':');
    if (!colon) {
        fprintf(stderr, "fixdep: %s: no target\n", argv[1]);
        return 1;
    }
    *colon = '\0';
    printf("%s: \\\n", strtok(text, " \t\n"));

    char *prereqs[8192];
    int nprereqs = 0;
    for (char *word = strtok(colon + 1, " \t\n"); word; word = strtok(NULL, " \t\n")) {
        if (strcmp(word, autoconf) == 0)
            continue;
        if (nprereqs < 8192)
            prereqs[nprereqs++] = word;
        printf("    %s \\\n", word);
        scan_for_symbols(word);
    }
    for (int i = 0; i < nsymbols; i++)
        print_stamp(deps_dir, symbols[i]);
    printf("\n");
    /* Empty rules for headers (not the first prerequisite, the source). */
    for (int i = 1; i < nprereqs; i++)
        printf("%s:\n", prereqs[i]);
    free(text);
    for (int i = 0; i < nsymbols; i++)
        free(symbols[i]);
    return 0;
}
