/* The board's physical memory map, read from board/<board>/memory.map
 * (format in docs/architecture.md): one range per line,
 *
 *     kind base size name [flags]
 *
 * with kind ram, device or reserved, the flag `kernel` on devices the
 * kernel keeps for itself, and '#' comments. */
#ifndef SDFGEN_BOARD_H
#define SDFGEN_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

enum range_kind { RANGE_RAM, RANGE_DEVICE, RANGE_RESERVED };

struct board_range {
    enum range_kind kind;
    uint64_t base, size;
    const char *name;
    bool kernel_only;
    struct loc loc;
};

struct board {
    const char *name; /* directory name, e.g. "qemu_virt_aarch64" */
    const char *map_file;
    VEC(struct board_range) ranges;
};

/* Parses memory.map text; reports problems through `diag` with the file's
 * line:column. Returns false if there were errors. */
bool board_parse(struct board *board, struct arena *arena, struct diag *diag,
                 const char *file, const char *text, size_t len);

#endif
