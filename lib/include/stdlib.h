/* The freestanding stdlib pieces target code links (lib/stdlib.c): what
 * libraries from elsewhere (libfdt) expect of <stdlib.h>. */
#ifndef LIB_STDLIB_H
#define LIB_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);

#endif
