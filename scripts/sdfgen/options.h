/* The command line: sdfgen [options] FILE.system */
#ifndef SDFGEN_OPTIONS_H
#define SDFGEN_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

struct options {
    const char *system_file;
    const char *board_dir;
    const char *config_file;
    const char **search_paths;
    size_t search_path_count;
    const char *out_dir;
    bool check_only;
    bool headers_only;
    bool help, version;
};

/* Returns false after printing a usage error. */
bool parse_options(struct options *options, struct arena *arena, int argc,
                   char **argv);
void print_usage(void);

#endif
