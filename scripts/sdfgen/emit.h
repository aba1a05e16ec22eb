/* Output writers. Each writes one output of a successful compilation to a
 * stream; the caller decides where the stream goes (a file, memory for
 * the fuzzer). Output is deterministic: same input, same bytes. */
#ifndef SDFGEN_EMIT_H
#define SDFGEN_EMIT_H

#include <stdio.h>

#include "compile.h"

#define SDFGEN_VERSION "1.0"

void emit_tables(const struct compilation *c, FILE *out);   /* system_tables.c */
void emit_images(const struct compilation *c, FILE *out);   /* system_images.S */
void emit_report(const struct compilation *c, FILE *out);   /* report.txt */
void emit_dot(const struct compilation *c, FILE *out);      /* system.dot */
/* Make dependency rule: `targets` depend on every input read. */
void emit_deps(const struct compilation *c, const char *targets, FILE *out);

/* Channel headers (include/<file>_channels.h), one per PD. */
const char *channel_header_name(const struct compilation *c, const struct pd *pd);
void emit_channel_header(const struct compilation *c, const struct pd *pd,
                         FILE *out);
/* Reports PDs whose names would give the same header file name. */
bool check_channel_header_names(struct compilation *c);

/* Helpers (emit_util.c). */
void write_c_string(FILE *out, const char *text);
/* `size` bytes as a C string literal (for a uint8_t[size] initialiser). */
void write_c_bytes(FILE *out, const char *bytes, uint64_t size);
void write_quoted_string(FILE *out, const char *text); /* graphviz ('\n': line break), GNU as */
/* Text inside a C comment: "*" "/" cannot close it, controls become ' '. */
void write_comment_text(FILE *out, const char *text);
/* Upper-case C identifier made of the name's letters, digits and '_'. */
const char *macro_name(struct arena *arena, const char *name);
const char *base_name(const char *path);
const char *perms_text(unsigned perms); /* "rwx", "r--"... */

#endif
