/* Writing the outputs to the file system. */
#ifndef SDFGEN_OUTPUT_H
#define SDFGEN_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "compile.h"

/* Creates a directory and its parents; false (with a message) on error. */
bool make_directories(struct diag *diag, const char *path);

/* Runs `emit` into memory and writes the result to `path` only if it
 * differs from what is there, so that make does not rebuild what depends
 * on an output that did not change. */
typedef void (*emit_fn)(const struct compilation *c, const void *arg, FILE *out);
bool write_output(struct compilation *c, const char *path, emit_fn emit,
                  const void *arg);

/* Runs `dot -Tsvg`; warns (does not fail) if graphviz is missing. */
void render_svg(struct diag *diag, const char *dot_file, const char *svg_file);

#endif
