#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int file_read(const char *path, uint8_t **bytes, size_t *size)
{
    *bytes = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mkpayload: %s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = -1;
    long length;
    if (fseek(f, 0, SEEK_END) != 0 || (length = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "mkpayload: %s: cannot determine size: %s\n", path, strerror(errno));
        goto out;
    }
    *bytes = malloc(length ? (size_t)length : 1);
    if (!*bytes) {
        fprintf(stderr, "mkpayload: %s: out of memory (%ld bytes)\n", path, length);
        goto out;
    }
    if (fread(*bytes, 1, (size_t)length, f) != (size_t)length) {
        fprintf(stderr, "mkpayload: %s: read error\n", path);
        goto out;
    }
    *size = (size_t)length;
    rc = 0;
out:
    fclose(f);
    return rc;
}
