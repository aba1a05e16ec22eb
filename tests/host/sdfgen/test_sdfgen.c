/* Unit tests of sdfgen's pure parts: numbers, ranges, name indexes, source
 * positions, board and configuration parsing, ELF reading (including every
 * truncation of a valid image) and an in-memory compilation. Built with
 * ASan and UBSan by run.sh. Ends with "N passed, N failed". */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "compile.h"
#include "config.h"
#include "elf.h"
#include "emit.h"
#include "names.h"
#include "numbers.h"
#include "ranges.h"
#include "source.h"
#include "xml.h"

#define MKELF_NO_MAIN
#include "../../sdf/mkelf.c"

static unsigned passed, failed;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
        }                                                                  \
    } while (0)

/* ------------------------------------------------------------- numbers */

static bool number_is(const char *text, uint64_t expected)
{
    uint64_t value = ~expected;
    return parse_number(text, &value) == NUMBER_OK && value == expected;
}

static void test_numbers(void)
{
    CHECK(number_is("0", 0));
    CHECK(number_is("42", 42));
    CHECK(number_is("0x2a", 42));
    CHECK(number_is("0X2A", 42));
    CHECK(number_is("1_000", 1000));
    CHECK(number_is("0x4000_0000", 0x40000000));
    CHECK(number_is("_1_", 1));
    CHECK(number_is("0_x10", 16)); /* separators are stripped first */
    CHECK(number_is("0x_10", 16));
    CHECK(number_is("007", 7));
    CHECK(number_is("18446744073709551615", UINT64_MAX));
    CHECK(number_is("0xffff_ffff_ffff_ffff", UINT64_MAX));
    uint64_t v;
    CHECK(parse_number("18446744073709551616", &v) == NUMBER_OVERFLOW);
    CHECK(parse_number("0x1_0000_0000_0000_0000", &v) == NUMBER_OVERFLOW);
    CHECK(parse_number("99999999999999999999x", &v) == NUMBER_INVALID);
    CHECK(parse_number("", &v) == NUMBER_INVALID);
    CHECK(parse_number("_", &v) == NUMBER_INVALID);
    CHECK(parse_number("0x", &v) == NUMBER_INVALID);
    CHECK(parse_number("-1", &v) == NUMBER_INVALID);
    CHECK(parse_number("+1", &v) == NUMBER_INVALID);
    CHECK(parse_number(" 1", &v) == NUMBER_INVALID);
    CHECK(parse_number("1 ", &v) == NUMBER_INVALID);
    CHECK(parse_number("0xg", &v) == NUMBER_INVALID);
    CHECK(parse_number("12a", &v) == NUMBER_INVALID);
    CHECK(parse_number("1e3", &v) == NUMBER_INVALID);

    bool b;
    CHECK(parse_bool("true", &b) && b);
    CHECK(parse_bool("false", &b) && !b);
    CHECK(!parse_bool("True", &b));
    CHECK(!parse_bool("1", &b));
    CHECK(!parse_bool("", &b));

    char buf[32];
    format_size(buf, sizeof buf, 0x1000);
    CHECK(strcmp(buf, "4 KiB") == 0);
    format_size(buf, sizeof buf, 0x200000);
    CHECK(strcmp(buf, "2 MiB") == 0);
    format_size(buf, sizeof buf, 1000);
    CHECK(strcmp(buf, "1000 bytes") == 0);
    format_size_approx(buf, sizeof buf, 0x180000);
    CHECK(strcmp(buf, "1.5 MiB") == 0);
    format_size_approx(buf, sizeof buf, UINT64_MAX);
    CHECK(strcmp(buf, "15.9 EiB") == 0);
}

/* -------------------------------------------------------------- ranges */

static void test_ranges(void)
{
    struct range a = { 0x1000, 0x1000 }, b = { 0x1fff, 1 }, c = { 0x2000, 0x1000 };
    CHECK(ranges_overlap(a, b));
    CHECK(!ranges_overlap(a, c)); /* touching is not overlapping */
    CHECK(!ranges_overlap(a, (struct range){ 0x1000, 0 }));
    CHECK(ranges_overlap((struct range){ 0, UINT64_MAX }, (struct range){ UINT64_MAX - 1, 1 }));
    struct range top = { UINT64_MAX - 0xfff, 0x1000 }; /* ends exactly at 2^64 */
    CHECK(!range_overflows(top.base, top.size));
    CHECK(range_overflows(top.base, 0x1001));
    CHECK(range_overflows(UINT64_MAX, 2));
    CHECK(!range_overflows(0, UINT64_MAX));
    CHECK(range_end(top) == UINT64_MAX);
    CHECK(ranges_overlap(top, (struct range){ UINT64_MAX, 1 }));
    CHECK(range_contains((struct range){ 0x1000, 0x3000 }, (struct range){ 0x2000, 0x2000 }));
    CHECK(!range_contains((struct range){ 0x1000, 0x3000 }, (struct range){ 0x2000, 0x2001 }));
    CHECK(!range_contains((struct range){ 0x1000, 0x3000 }, (struct range){ 0xfff, 1 }));
    CHECK(range_contains((struct range){ 0, UINT64_MAX }, (struct range){ UINT64_MAX - 1, 1 }));
    bool overflow = false;
    CHECK(align_up(0x1001, 0x1000, &overflow) == 0x2000 && !overflow);
    CHECK(align_up(0x2000, 0x1000, &overflow) == 0x2000 && !overflow);
    align_up(UINT64_MAX, 0x1000, &overflow);
    CHECK(overflow);
    CHECK(align_down(0x1fff, 0x1000) == 0x1000);
    CHECK(is_aligned(0x200000, 0x200000) && !is_aligned(0x201000, 0x200000));
}

/* ---------------------------------------------------------------- names */

static const char *const NAMES[] = { "b", "a", "b", NULL, "c", "a", "b" };

static const char *name_at(const void *ctx, size_t i)
{
    return ((const char *const *)ctx)[i];
}

static void test_names(struct arena *arena)
{
    struct name_index index;
    size_t count = sizeof NAMES / sizeof *NAMES;
    name_index_build(&index, arena, count, name_at, NAMES);
    CHECK(index.count == 6);
    CHECK(name_index_find(&index, "a") == 1);
    CHECK(name_index_find(&index, "b") == 0);
    CHECK(name_index_find(&index, "c") == 4);
    CHECK(name_index_find(&index, "d") == -1);
    CHECK(name_index_find(&index, "") == -1);
    size_t first[7];
    name_index_first_of(&index, count, first);
    CHECK(first[0] == (size_t)-1 && first[1] == (size_t)-1);
    CHECK(first[2] == 0 && first[6] == 0 && first[5] == 1);
    CHECK(first[3] == (size_t)-1 && first[4] == (size_t)-1);
    static const char *const WORDS[] = { "server", "serial", "client", "sv" };
    struct name_index words;
    name_index_build(&words, arena, 4, name_at, WORDS);
    CHECK(strcmp(name_index_closest(&words, "sever"), "server") == 0);
    CHECK(strcmp(name_index_closest(&words, "clients"), "client") == 0);
    CHECK(name_index_closest(&words, "s") == NULL);      /* too short to guess */
    CHECK(name_index_closest(&words, "network") == NULL); /* nothing close */
    CHECK(strcmp(name_hint(arena, &words, "serval"), " (did you mean 'serial'?)") == 0);
    CHECK(strcmp(name_hint(arena, &words, "xyz"), "") == 0);
    struct name_index empty;
    name_index_build(&empty, arena, 0, name_at, NAMES);
    CHECK(name_index_find(&empty, "a") == -1);
}

/* -------------------------------------------------------------- source */

static void test_source(struct arena *arena)
{
    static const char text[] = "<a>\n  <map x=\"1>2\" mr = 'm' vaddr=\"0\"/>\n</a>";
    struct source src;
    source_init(&src, arena, "t", text, sizeof text - 1);
    CHECK(src.lines == 3);
    struct loc loc = source_loc(&src, 6);
    CHECK(loc.line == 2 && loc.col == 3);
    loc = source_loc(&src, 0);
    CHECK(loc.line == 1 && loc.col == 1);
    loc = source_loc(&src, sizeof text - 1);
    CHECK(loc.line == 3 && loc.col == 5);
    size_t tag = 6;
    CHECK(source_find_attribute(&src, tag, "x") == 11);
    CHECK(source_find_attribute(&src, tag, "mr") == 19); /* after the '>' in a value */
    CHECK(source_find_attribute(&src, tag, "vaddr") == 28);
    CHECK(source_find_attribute(&src, tag, "v") == NO_OFFSET);
    CHECK(source_start_tag_end(&src, tag) == 39);
    CHECK(source_start_tag_end(&src, 1) == NO_OFFSET); /* not at a '<' */
    static const char cut[] = "<map x=\"unterminated";
    source_init(&src, arena, "t", cut, sizeof cut - 1);
    CHECK(source_find_attribute(&src, 0, "y") == NO_OFFSET);
    CHECK(source_start_tag_end(&src, 0) == NO_OFFSET);
    static const char markup[] = "  <!-- c --> <?pi x?>\n text";
    source_init(&src, arena, "t", markup, sizeof markup - 1);
    CHECK(source_skip_markup_space(&src, 0) == 23);
}

/* ------------------------------------------------------ board, config */

static void test_board(struct arena *arena)
{
    static const char good[] = "# c\nram 0x40000000 0x80000000 dram\n"
                               "reserved 0x40000000 0x1000 fw # in RAM\n"
                               "device 0x8000000 0x10000 gic kernel\n";
    struct board board = { .name = "b" };
    struct diag diag;
    diag_init(&diag, NULL);
    CHECK(board_parse(&board, arena, &diag, "m", good, sizeof good - 1));
    CHECK(board.ranges.len == 3 && board.ranges.items[2].kernel_only);
    CHECK(board.ranges.items[0].kind == RANGE_RAM && board.ranges.items[0].size == 0x80000000);
    static const char bad[] = "rom 0 0x1000 x\nram 0x1 0x1000 r\nram 0 0x1000\n"
                              "device 0x1000 0x1000 d kernel extra\n";
    struct board broken = { .name = "b" };
    CHECK(!board_parse(&broken, arena, &diag, "m", bad, sizeof bad - 1));
    CHECK(diag.errors == 4);
    struct board empty = { .name = "e" };
    diag_init(&diag, NULL);
    CHECK(!board_parse(&empty, arena, &diag, "m", "", 0));
}

static void test_config(struct arena *arena)
{
    static const char conf[] = "CONFIG_KERNEL_EL2=y\nCONFIG_MAX_NUM_NODES=4\n"
                               "# CONFIG_X is not set\nCONFIG_KERNEL_PHYS_BASE=0x40000000\n"
                               "CONFIG_KERNEL_REGION_SIZE=\"0x1000000\"\n";
    static const char header[] = "/*\n * generated\n */\n#define CONFIG_NUM_DOMAINS 16\n"
                                 "#define CONFIG_LOADER_LINK_ADDRESS 0x70000000\n"
                                 "#define CONFIG_ROOT_CNODE_SIZE_BITS 12\r\n";
    struct diag diag;
    diag_init(&diag, NULL);
    struct kconfig config;
    kconfig_defaults(&config);
    CHECK(config.max_num_nodes == 1 && config.num_domains == 1 && !config.kernel_el2);
    CHECK(kconfig_parse(&config, arena, &diag, "auto.conf", conf, sizeof conf - 1));
    CHECK(config.kernel_el2 && config.max_num_nodes == 4);
    CHECK(config.has_kernel_region && config.kernel_base == 0x40000000 &&
          config.kernel_size == 0x1000000);
    kconfig_defaults(&config);
    CHECK(kconfig_parse(&config, arena, &diag, "autoconf.h", header, sizeof header - 1));
    CHECK(config.num_domains == 16 && config.root_cnode_size_bits == 12);
    CHECK(config.has_loader_region && config.loader_base == 0x70000000);
    static const char bad[] = "CONFIG_MAX_NUM_NODES=0\nCONFIG_KERNEL_PHYS_BASE=0xfffffffffffff000\n";
    kconfig_defaults(&config);
    CHECK(!kconfig_parse(&config, arena, &diag, "bad", bad, sizeof bad - 1));
    CHECK(diag.errors == 2); /* range, and base + default size overflows */
}

/* ------------------------------------------------------------------ ELF */

static size_t build_test_elf(unsigned char **data)
{
    struct mkelf_spec spec = { .entry = 0x200000 };
    spec.segments[0] = (struct mkelf_segment){ 0x200000, 0x80, 0x80, PF_R | PF_X };
    spec.segments[1] = (struct mkelf_segment){ 0x201000, 0x10, 0x100, PF_R | PF_W };
    spec.segment_count = 2;
    spec.symbols[0] = (struct mkelf_symbol){ "value", 0x201000, 8, 1 };
    spec.symbols[1] = (struct mkelf_symbol){ "value", 0x201008, 8, 0 };
    spec.symbols[2] = (struct mkelf_symbol){ "microkit_name", 0x201040, 64, 0 };
    spec.symbol_count = 3;
    return mkelf_build(&spec, data);
}

static void test_elf(struct arena *arena)
{
    unsigned char *data;
    size_t len = build_test_elf(&data);
    struct elf_image image;
    CHECK(elf_parse(&image, arena, data, len) == NULL);
    CHECK(image.segment_count == 2 && image.entry == 0x200000);
    CHECK(image.segments[1].perms == (PERM_R | PERM_W) && image.segments[1].mem_size == 0x100);
    uint64_t value, size;
    CHECK(elf_find_symbol(&image, "value", &value, &size) && value == 0x201008);
    CHECK(elf_find_symbol(&image, "microkit_name", &value, &size) && size == 64);
    CHECK(!elf_find_symbol(&image, "nothing", &value, &size));
    /* Every truncation is either refused or parsed without reading past
     * the end (ASan watches: each copy is exactly `cut` bytes). */
    unsigned refused = 0;
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, data, cut);
        struct elf_image partial;
        if (elf_parse(&partial, arena, copy, cut) != NULL)
            refused++;
        else
            elf_find_symbol(&partial, "value", &value, &size);
        free(copy);
    }
    CHECK(refused > 0);
    /* Corrupted fields. */
    unsigned char *bad = malloc(len);
    memcpy(bad, data, len);
    bad[18] = 62; /* e_machine = x86-64 */
    CHECK(elf_parse(&image, arena, bad, len) != NULL);
    memcpy(bad, data, len);
    memset(bad + 0x20, 0xff, 8); /* e_phoff far away */
    CHECK(elf_parse(&image, arena, bad, len) != NULL);
    memcpy(bad, data, len);
    memset(bad + 0x28, 0xff, 8); /* e_shoff far away: no symbols, still an image */
    CHECK(elf_parse(&image, arena, bad, len) == NULL && image.symbol_count == 0);
    free(bad);
    free(data);
}

/* ------------------------------------------------- in-memory compilation */

static unsigned char *compile_elf;
static size_t compile_elf_len;

static int load_from_memory(struct file_loader *self, struct arena *arena,
                            const char *name, const unsigned char **data,
                            size_t *len, const char **resolved)
{
    (void)self;
    (void)arena;
    *resolved = name;
    *data = compile_elf;
    *len = compile_elf_len;
    return 0;
}

static void test_compile(struct arena *arena)
{
    static const char sdf[] =
        "<system>\n"
        "  <memory_region name=\"m\" size=\"0x1000\" />\n"
        "  <protection_domain name=\"a\" priority=\"1\">\n"
        "    <program_image path=\"a.elf\" />\n"
        "    <map mr=\"m\" vaddr=\"0x1000000\" setvar_vaddr=\"value\" />\n"
        "  </protection_domain>\n"
        "  <protection_domain name=\"b\" priority=\"2\">\n"
        "    <program_image path=\"a.elf\" />\n"
        "  </protection_domain>\n"
        "  <channel><end pd=\"a\" id=\"3\" pp=\"true\" /><end pd=\"b\" id=\"4\" /></channel>\n"
        "</system>\n";
    static const char board_map[] = "ram 0x40000000 0x10000000 dram\n";
    compile_elf_len = build_test_elf(&compile_elf);
    struct diag diag;
    diag_init(&diag, NULL);
    struct board board = { .name = "test" };
    CHECK(board_parse(&board, arena, &diag, "m", board_map, sizeof board_map - 1));
    struct kconfig config;
    kconfig_defaults(&config);
    struct file_loader loader = { load_from_memory };
    struct compilation c;
    compilation_init(&c, arena, &diag);
    c.sdf_file = "t.system";
    c.sdf_text = sdf;
    c.sdf_len = sizeof sdf - 1;
    c.board = &board;
    c.config = &config;
    c.files = &loader;
    CHECK(compile_system(&c));
    CHECK(diag.errors == 0 && diag.warnings == 0);
    CHECK(c.sys.pds.len == 2 && c.sys.pds.items[0].pp_mask == (1u << 3));
    CHECK(c.sys.pds.items[1].receives_ppc && c.sys.pds.items[1].notification_mask == (1u << 4));
    const struct pd *a = &c.sys.pds.items[0];
    bool found = false;
    for (size_t i = 0; i < a->writes.len; i++)
        found |= strcmp(a->writes.items[i].symbol, "value") == 0 &&
                 a->writes.items[i].vaddr == 0x201008 && a->writes.items[i].value == 0x1000000;
    CHECK(found);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    emit_tables(&c, out);
    fclose(out);
    CHECK(strstr(text, ".ppc_badge = 0x8000000000000004") != NULL);
    free(text);
    free(compile_elf);
}

int main(void)
{
    struct arena *arena = arena_new();
    test_numbers();
    test_ranges();
    test_names(arena);
    test_source(arena);
    test_board(arena);
    test_config(arena);
    test_elf(arena);
    test_compile(arena);
    arena_free(arena);
    xml_cleanup();
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
