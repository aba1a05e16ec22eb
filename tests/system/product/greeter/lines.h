#ifndef LINES_H
#define LINES_H
#include <stdint.h>
void print_line(const char *prefix, const char *text, uint64_t size);
#endif
