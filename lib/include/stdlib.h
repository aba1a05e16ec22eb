/* The few <stdlib.h> functions freestanding code here uses (lib/stdlib.c):
 * what libraries from elsewhere (lwIP, libfdt) expect of it. */
#ifndef LIB_STDLIB_H
#define LIB_STDLIB_H

#include <stddef.h>

/* Decimal, optional sign and leading white space; no overflow check. */
int atoi(const char *s);
unsigned long strtoul(const char *s, char **end, int base);

#endif
