/* Command-line parsing. Options take their value as the next argument or
 * after '=' (--out DIR, --out=DIR). */
#include "options.h"

#include <stdio.h>
#include <string.h>

void print_usage(void)
{
    fputs(
        "Usage: sdfgen [options] FILE.system\n"
        "\n"
        "Compile a system description into the monitor's tables.\n"
        "\n"
        "Options:\n"
        "  --board DIR         board profile directory (reads DIR/memory.map)\n"
        "  --config FILE       kernel configuration: auto.conf or autoconf.h\n"
        "  --search-path DIR   where to look for program images and prefill\n"
        "                      files (repeatable; the current directory last)\n"
        "  --out DIR           output directory\n"
        "  --check             check only, write nothing\n"
        "  --headers-only      write only DIR/include/<pd>_channels.h (no\n"
        "                      program images needed)\n"
        "  --help              show this help\n"
        "  --version           show the version\n"
        "\n"
        "A full run writes system_tables.c, system_images.S, report.txt,\n"
        "system.dot, system.svg, sdfgen.d and include/<pd>_channels.h in the\n"
        "output directory. See docs/sdf.md.\n",
        stdout);
}

static bool usage_error(const char *message, const char *arg)
{
    fprintf(stderr, "sdfgen: error: %s%s%s\n", message, arg ? " " : "",
            arg ? arg : "");
    fputs("Try 'sdfgen --help'.\n", stderr);
    return false;
}

/* Matches "--name VALUE" and "--name=VALUE"; *i advances past the value. */
static bool take_value(const char *name, int argc, char **argv, int *i,
                       const char **value, bool *error)
{
    const char *arg = argv[*i];
    size_t len = strlen(name);
    if (strncmp(arg, name, len) != 0)
        return false;
    if (arg[len] == '=') {
        *value = arg + len + 1;
    } else if (arg[len] == '\0') {
        if (*i + 1 >= argc) {
            *error = !usage_error("missing value for", name);
            return true;
        }
        *value = argv[++*i];
    } else {
        return false;
    }
    if (**value == '\0')
        *error = !usage_error("empty value for", name);
    return true;
}

static bool parse_flag(struct options *o, const char *arg)
{
    static const struct {
        const char *name;
        size_t offset;
    } flags[] = {
        { "--check", offsetof(struct options, check_only) },
        { "--headers-only", offsetof(struct options, headers_only) },
        { "--help", offsetof(struct options, help) },
        { "-h", offsetof(struct options, help) },
        { "--version", offsetof(struct options, version) },
    };
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        if (strcmp(arg, flags[i].name) == 0) {
            *(bool *)((char *)o + flags[i].offset) = true;
            return true;
        }
    return false;
}

bool parse_options(struct options *o, struct arena *arena, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->search_paths = arena_alloc(arena, (size_t)(argc + 1) * sizeof(char *));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = NULL;
        bool error = false;
        if (parse_flag(o, arg))
            continue;
        if (take_value("--board", argc, argv, &i, &value, &error))
            o->board_dir = value;
        else if (take_value("--config", argc, argv, &i, &value, &error))
            o->config_file = value;
        else if (take_value("--search-path", argc, argv, &i, &value, &error))
            o->search_paths[o->search_path_count++] = value;
        else if (take_value("--out", argc, argv, &i, &value, &error))
            o->out_dir = value;
        else if (arg[0] == '-' && arg[1] != '\0')
            return usage_error("unknown option", arg);
        else if (o->system_file)
            return usage_error("more than one system description:", arg);
        else
            o->system_file = arg;
        if (error)
            return false;
    }
    if (o->help || o->version)
        return true;
    if (!o->system_file)
        return usage_error("no system description given", NULL);
    if (o->check_only && o->headers_only)
        return usage_error("--check and --headers-only exclude each other", NULL);
    if (!o->check_only && !o->out_dir)
        return usage_error("--out DIR is required (or use --check)", NULL);
    if (!o->headers_only && !o->check_only && !o->board_dir)
        return usage_error("--board DIR is required to build a system", NULL);
    return true;
}
