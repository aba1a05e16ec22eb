/* Access to the files a system description names (program images,
 * prefill files). The compiler reads them through this interface so that
 * the fuzzer can serve them from memory; the command-line tool serves them
 * from disk through the search path. */
#ifndef SDFGEN_FILES_H
#define SDFGEN_FILES_H

#include <stddef.h>

#include "arena.h"

struct file_loader {
    /* Finds `name` and reads it whole into arena memory. Returns 0, or an
     * errno value (ENOENT when no search path has it). `resolved` receives
     * the path the file was found at. */
    int (*load)(struct file_loader *self, struct arena *arena,
                const char *name, const unsigned char **data, size_t *len,
                const char **resolved);
};

/* Reads a whole file into the arena (used for the SDF, board and config
 * files too). Returns 0 or an errno value. A NUL byte is appended after the
 * data (not counted in len). */
int read_file(struct arena *arena, const char *path, const unsigned char **data,
              size_t *len);

/* A loader over the file system: an absolute name is used as is; a
 * relative one is looked for in each search directory in order, then in
 * the current directory. */
struct disk_loader {
    struct file_loader base;
    const char *const *search_paths;
    size_t search_path_count;
};

void disk_loader_init(struct disk_loader *loader,
                      const char *const *search_paths, size_t count);

#endif
