/* Whole input files for mkpayload. */
#ifndef MKPAYLOAD_FILE_H
#define MKPAYLOAD_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Read all of `path` into a malloc'd buffer (free() it); prints
 * "mkpayload: <path>: <problem>" and returns -1 on any error. */
int file_read(const char *path, uint8_t **bytes, size_t *size);

#endif
