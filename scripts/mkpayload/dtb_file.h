/* The board's device tree blob that mkpayload builds into the payload. */
#ifndef MKPAYLOAD_DTB_FILE_H
#define MKPAYLOAD_DTB_FILE_H

#include <stddef.h>
#include <stdint.h>

struct dtb_file {
    const char *path;
    uint8_t *bytes;
    size_t size;        /* the tree's totalsize (trailing bytes of the file dropped) */
};

/*
 * Read `path` and check it is a flattened device tree whose header holds
 * together (lib/fdt_header.c). Prints "mkpayload: <path>: <problem>" and
 * returns -1 on any error.
 */
int dtb_file_load(struct dtb_file *dtb, const char *path);
void dtb_file_free(struct dtb_file *dtb);

#endif
