/* sdfgen: the system description compiler (docs/sdf.md).
 *
 *     sdfgen [options] FILE.system
 *
 * Reads the kernel configuration and the board's memory map, compiles the
 * system description, and writes the outputs; every problem is reported
 * as file:line:column with a summary at the end; exit status 1 on error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "options.h"
#include "output.h"
#include "xml.h"

/* Reads a whole input file, reporting failure, and records it as a
 * dependency. */
static bool read_input(struct compilation *c, const char *path, const char *what,
                       const char **text, size_t *len)
{
    const unsigned char *data;
    int error = read_file(c->arena, path, &data, len);
    if (error) {
        diag_error(c->diag, loc_none(), "cannot read %s '%s': %s", what, path,
                   strerror(error));
        return false;
    }
    *text = (const char *)data;
    *VEC_PUSH(c->arena, &c->inputs) = path;
    return true;
}

static void load_config(struct compilation *c, struct kconfig *config,
                        const char *file)
{
    kconfig_defaults(config);
    const char *text;
    size_t len;
    if (file && read_input(c, file, "kernel configuration", &text, &len))
        kconfig_parse(config, c->arena, c->diag, file, text, len);
    c->config = config;
}

static const char *board_name(struct arena *arena, const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    const char *trimmed = arena_strndup(arena, dir, len);
    return base_name(trimmed);
}

static void load_board(struct compilation *c, struct board *board, const char *dir)
{
    if (!dir)
        return;
    memset(board, 0, sizeof *board);
    board->name = board_name(c->arena, dir);
    const char *file = arena_printf(c->arena, "%s/memory.map", dir);
    const char *text;
    size_t len;
    if (read_input(c, file, "board memory map", &text, &len) &&
        board_parse(board, c->arena, c->diag, file, text, len))
        c->board = board;
}

/* ------------------------------------------------------------- outputs */

static void emit_header_output(const struct compilation *c, const void *pd, FILE *out)
{
    emit_channel_header(c, pd, out);
}

static void emit_tables_output(const struct compilation *c, const void *arg, FILE *out)
{
    (void)arg;
    emit_tables(c, out);
}

static void emit_images_output(const struct compilation *c, const void *arg, FILE *out)
{
    (void)arg;
    emit_images(c, out);
}

static void emit_report_output(const struct compilation *c, const void *arg, FILE *out)
{
    (void)arg;
    emit_report(c, out);
}

static void emit_dot_output(const struct compilation *c, const void *arg, FILE *out)
{
    (void)arg;
    emit_dot(c, out);
}

static void emit_deps_output(const struct compilation *c, const void *targets, FILE *out)
{
    emit_deps(c, targets, out);
}

static bool write_headers(struct compilation *c, const char *out_dir)
{
    const char *dir = arena_printf(c->arena, "%s/include", out_dir);
    if (!make_directories(c->diag, dir))
        return false;
    bool ok = true;
    for (size_t i = 0; i < c->sys.pds.len; i++) {
        const struct pd *pd = &c->sys.pds.items[i];
        const char *path = arena_printf(c->arena, "%s/%s", dir,
                                        channel_header_name(c, pd));
        ok &= write_output(c, path, emit_header_output, pd);
    }
    return ok;
}

static bool write_all(struct compilation *c, const char *out_dir)
{
    static const struct {
        const char *file;
        emit_fn emit;
    } outputs[] = {
        { "system_tables.c", emit_tables_output },
        { "system_images.S", emit_images_output },
        { "report.txt", emit_report_output },
        { "system.dot", emit_dot_output },
    };
    size_t count = sizeof outputs / sizeof *outputs;
    const char *targets = "";
    bool ok = write_headers(c, out_dir);
    for (size_t i = 0; ok && i < count; i++) {
        const char *path = arena_printf(c->arena, "%s/%s", out_dir, outputs[i].file);
        ok = write_output(c, path, outputs[i].emit, NULL);
        targets = arena_printf(c->arena, "%s%s%s", targets, i ? " " : "", path);
    }
    if (!ok)
        return false;
    render_svg(c->diag, arena_printf(c->arena, "%s/system.dot", out_dir),
               arena_printf(c->arena, "%s/system.svg", out_dir));
    return write_output(c, arena_printf(c->arena, "%s/sdfgen.d", out_dir),
                        emit_deps_output, targets);
}

/* ---------------------------------------------------------------- main */

static bool run(const struct options *o, struct compilation *c)
{
    struct kconfig config;
    struct board board;
    struct disk_loader loader;
    load_config(c, &config, o->config_file);
    load_board(c, &board, o->board_dir);
    if (!read_input(c, o->system_file, "system description", &c->sdf_text,
                    &c->sdf_len))
        return false;
    c->sdf_file = o->system_file;
    disk_loader_init(&loader, o->search_paths, o->search_path_count);
    c->files = o->headers_only ? NULL : &loader.base;
    /* Errors in the configuration or board files are reported, and the
     * system is still checked so that all errors show in one run. */
    unsigned setup_errors = c->diag->errors;
    if (!compile_system(c) || setup_errors)
        return false;
    if (o->check_only)
        return true;
    if (!make_directories(c->diag, o->out_dir))
        return false;
    return o->headers_only ? write_headers(c, o->out_dir) : write_all(c, o->out_dir);
}

int main(int argc, char **argv)
{
    struct arena *arena = arena_new();
    struct options options;
    if (!parse_options(&options, arena, argc, argv)) {
        arena_free(arena);
        return 1;
    }
    if (options.help || options.version) {
        if (options.help)
            print_usage();
        else
            printf("sdfgen %s\n", SDFGEN_VERSION);
        arena_free(arena);
        return 0;
    }
    struct diag diag;
    diag_init(&diag, stderr);
    struct compilation c;
    compilation_init(&c, arena, &diag);
    bool ok = run(&options, &c);
    diag_summary(&diag);
    arena_free(arena);
    xml_cleanup();
    return ok && diag.errors == 0 ? 0 : 1;
}
