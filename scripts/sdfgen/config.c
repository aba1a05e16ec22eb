/* Kconfig output parsing.
 *
 * Both forms reduce to (name, value) pairs: "CONFIG_X=y", "CONFIG_X=0x40",
 * "CONFIG_X=\"text\"" and "# CONFIG_X is not set" in auto.conf;
 * "#define CONFIG_X 1", "#define CONFIG_X 0x40" in autoconf.h. Lines of
 * neither form (comments, include guards) are ignored. */
#include "config.h"

#include <string.h>

#include "numbers.h"
#include "ranges.h"
#include "source.h"

#define DEFAULT_LOADER_REGION_SIZE 0x4000000ull
#define DEFAULT_KERNEL_REGION_SIZE 0x4000000ull

struct entry {
    const char *name, *value;
    struct loc value_loc;
};

void kconfig_defaults(struct kconfig *config)
{
    memset(config, 0, sizeof *config);
    config->max_num_nodes = 1;
    config->num_domains = 1;
    config->num_domain_schedules = 100;
    config->root_cnode_size_bits = 13;
    config->kernel_size = DEFAULT_KERNEL_REGION_SIZE;
    config->loader_size = DEFAULT_LOADER_REGION_SIZE;
}

static bool is_name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static size_t skip_blanks(const char *line, size_t pos, size_t len)
{
    while (pos < len && (line[pos] == ' ' || line[pos] == '\t'))
        pos++;
    return pos;
}

/* Splits one line into an entry; false for lines of neither form. */
static bool split_line(struct arena *arena, const struct source *src,
                       size_t start, size_t end, struct entry *entry)
{
    const char *line = src->text + start;
    size_t len = end - start;
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
                       line[len - 1] == '\t'))
        len--;
    size_t pos = skip_blanks(line, 0, len);
    bool is_define = len - pos >= 7 && memcmp(line + pos, "#define", 7) == 0;
    if (is_define)
        pos = skip_blanks(line, pos + 7, len);
    if (len - pos < 7 || memcmp(line + pos, "CONFIG_", 7) != 0)
        return false;
    size_t name_start = pos;
    while (pos < len && is_name_char(line[pos]))
        pos++;
    size_t name_end = pos;
    if (is_define) {
        if (pos == len || (line[pos] != ' ' && line[pos] != '\t'))
            return false;
        pos = skip_blanks(line, pos, len);
    } else {
        if (pos == len || line[pos] != '=')
            return false;
        pos++;
    }
    entry->name = arena_strndup(arena, line + name_start, name_end - name_start);
    entry->value = arena_strndup(arena, line + pos, len - pos);
    entry->value_loc = source_loc(src, start + pos);
    return true;
}

static bool entry_is_true(const struct entry *entry)
{
    return strcmp(entry->value, "y") == 0 || strcmp(entry->value, "1") == 0;
}

static bool entry_number(struct diag *diag, const struct entry *entry,
                         uint64_t min, uint64_t max, uint64_t *value)
{
    uint64_t parsed;
    const char *text = entry->value;
    size_t len = strlen(text);
    /* Numbers never need quotes, but tolerate them. */
    char *unquoted = NULL;
    char buf[64];
    if (len >= 2 && text[0] == '"' && text[len - 1] == '"' && len - 2 < sizeof buf) {
        memcpy(buf, text + 1, len - 2);
        buf[len - 2] = '\0';
        unquoted = buf;
    }
    if (parse_number(unquoted ? unquoted : text, &parsed) != NUMBER_OK) {
        diag_error(diag, entry->value_loc, "%s value '%s' is not a number",
                   entry->name, entry->value);
        return false;
    }
    if (parsed < min || parsed > max) {
        diag_error(diag, entry->value_loc,
                   "%s value %s is out of range %llu..%llu", entry->name,
                   entry->value, (unsigned long long)min,
                   (unsigned long long)max);
        return false;
    }
    *value = parsed;
    return true;
}

static void apply_entry(struct kconfig *config, struct diag *diag,
                        const struct entry *entry)
{
    const char *name = entry->name;
    if (strcmp(name, "CONFIG_KERNEL_EL2") == 0)
        config->kernel_el2 = entry_is_true(entry);
    else if (strcmp(name, "CONFIG_ALLOW_SMC_CALLS") == 0)
        config->allow_smc_calls = entry_is_true(entry);
    else if (strcmp(name, "CONFIG_PROFILER") == 0)
        config->profiler = entry_is_true(entry);
    else if (strcmp(name, "CONFIG_MAX_NUM_NODES") == 0)
        entry_number(diag, entry, 1, 256, &config->max_num_nodes);
    else if (strcmp(name, "CONFIG_NUM_DOMAINS") == 0)
        entry_number(diag, entry, 1, 256, &config->num_domains);
    else if (strcmp(name, "CONFIG_NUM_DOMAIN_SCHEDULES") == 0)
        entry_number(diag, entry, 1, 1u << 16, &config->num_domain_schedules);
    else if (strcmp(name, "CONFIG_ROOT_CNODE_SIZE_BITS") == 0)
        entry_number(diag, entry, 4, 30, &config->root_cnode_size_bits);
    else if (strcmp(name, "CONFIG_KERNEL_PHYS_BASE") == 0)
        config->has_kernel_region |=
            entry_number(diag, entry, 0, UINT64_MAX, &config->kernel_base);
    else if (strcmp(name, "CONFIG_KERNEL_REGION_SIZE") == 0)
        entry_number(diag, entry, 0, UINT64_MAX, &config->kernel_size);
    else if (strcmp(name, "CONFIG_LOADER_LINK_ADDRESS") == 0)
        config->has_loader_region |=
            entry_number(diag, entry, 0, UINT64_MAX, &config->loader_base);
    else if (strcmp(name, "CONFIG_LOADER_REGION_SIZE") == 0)
        entry_number(diag, entry, 0, UINT64_MAX, &config->loader_size);
}

/* "# CONFIG_X is not set" is how auto.conf spells n; it matters for a
 * key whose default is not n, which none of ours is, so it is simply a
 * comment here. */
bool kconfig_parse(struct kconfig *config, struct arena *arena,
                   struct diag *diag, const char *file, const char *text,
                   size_t len)
{
    struct source src;
    source_init(&src, arena, file, text, len);
    config->file = file;
    unsigned errors_before = diag->errors;
    for (unsigned line = 1; line <= src.lines; line++) {
        size_t start = source_line_offset(&src, line);
        size_t end = line < src.lines ? source_line_offset(&src, line + 1) - 1
                                      : src.len;
        struct entry entry;
        if (split_line(arena, &src, start, end, &entry))
            apply_entry(config, diag, &entry);
    }
    if (config->has_kernel_region &&
        range_overflows(config->kernel_base, config->kernel_size)) {
        diag_error(diag, loc_file(file),
                   "CONFIG_KERNEL_PHYS_BASE + CONFIG_KERNEL_REGION_SIZE runs "
                   "past the end of the address space");
        config->has_kernel_region = false;
    }
    if (config->has_loader_region &&
        range_overflows(config->loader_base, config->loader_size)) {
        diag_error(diag, loc_file(file),
                   "CONFIG_LOADER_LINK_ADDRESS + CONFIG_LOADER_REGION_SIZE "
                   "runs past the end of the address space");
        config->has_loader_region = false;
    }
    return diag->errors == errors_before;
}
