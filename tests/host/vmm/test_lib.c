/* lib/stdlib.c and the string functions libfdt needs (lib/string.c), on
 * the host: compiled under other names so the host's libc stays. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

unsigned long lib_strtoul(const char *s, char **end, int base);
int lib_atoi(const char *s);
void *lib_memchr(const void *s, int c, size_t n);
char *lib_strchr(const char *s, int c);
char *lib_strrchr(const char *s, int c);
char *lib_strstr(const char *h, const char *n);

static unsigned passed, failed;
#define CHECK(cond) ((cond) ? (void)passed++ : (void)(failed++, printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond)))

int main(void)
{
    char *end;
    CHECK(lib_strtoul("  42abc", &end, 10) == 42 && strcmp(end, "abc") == 0);
    CHECK(lib_strtoul("0x1fZ", &end, 0) == 0x1f && *end == 'Z');
    CHECK(lib_strtoul("0x1f", &end, 16) == 0x1f);
    CHECK(lib_strtoul("017", &end, 0) == 15);
    CHECK(lib_strtoul("0", &end, 0) == 0 && *end == '\0');
    CHECK(lib_strtoul("0x", &end, 0) == 0 && strcmp(end, "x") == 0);
    CHECK(lib_strtoul("zz", &end, 36) == 35 * 36 + 35);
    CHECK(lib_strtoul("xyz", &end, 10) == 0 && strcmp(end, "xyz") == 0);
    CHECK(lib_strtoul("99999999999999999999999", &end, 10) == ULONG_MAX && *end == '\0');
    CHECK(lib_strtoul("-1", &end, 10) == ULONG_MAX);
    CHECK(lib_strtoul("5", &end, 1) == 0 && end[0] == '5');
    CHECK(lib_atoi(" -12x") == -12 && lib_atoi("+7") == 7 && lib_atoi("q") == 0);
    const char s[] = "a/b/c";
    CHECK(lib_memchr(s, '/', sizeof s) == s + 1 && lib_memchr(s, 'z', sizeof s) == NULL);
    CHECK(lib_memchr(s, '\0', sizeof s) == s + 5);
    CHECK(lib_strchr(s, '/') == s + 1 && lib_strchr(s, 'q') == NULL && lib_strchr(s, '\0') == s + 5);
    CHECK(lib_strrchr(s, '/') == s + 3 && lib_strrchr(s, 'q') == NULL);
    CHECK(lib_strstr("Kernel panic - x", "panic") != NULL && lib_strstr("abc", "abd") == NULL);
    CHECK(lib_strstr("abc", "") != NULL && lib_strstr("", "a") == NULL && lib_strstr("aab", "ab") != NULL);
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
