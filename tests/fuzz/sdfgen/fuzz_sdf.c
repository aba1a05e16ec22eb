/* libFuzzer target for sdfgen: runs the whole compiler in memory on each
 * input, with LeakSanitizer, AddressSanitizer and UndefinedBehaviorSanitizer
 * watching (docs/sdf.md, "Fuzzing").
 *
 * Four kinds of input:
 *  - an input starting with "\x7fELF" is a program image, compiled into a
 *    fixed system description that maps, patches and looks symbols up in
 *    it;
 *  - "MEMMAP\n" followed by a board memory map, which is parsed;
 *  - "KCONFIG\n" followed by auto.conf or autoconf.h text, which is parsed;
 *  - anything else is a system description, compiled against a built-in
 *    QEMU board and one of four kernel configurations (picked by the
 *    input's length, so that virtual machines, several cores and domains
 *    are reached too).
 * Files the description names are served from memory: names starting with
 * "missing" do not exist, "empty*" is an empty file, "*.elf" is a valid
 * program image built with tests/sdf/mkelf.c (or the input in ELF mode),
 * anything else is a 5000-byte prefill file. Successful compilations are
 * emitted to /dev/null so the output writers run too. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "emit.h"

#define MKELF_NO_MAIN
#include "../../sdf/mkelf.c"

static unsigned char *default_elf;
static size_t default_elf_len;
static const unsigned char *fuzzed_elf;
static size_t fuzzed_elf_len;
static unsigned char prefill[5000];
static FILE *sink;
static struct arena *setup_arena;
static struct board board;
static struct kconfig configs[4];

static const char BOARD_MAP[] =
    "ram    0x40000000 0x80000000 dram\n"
    "device 0x08000000 0x00020000 gic kernel\n"
    "device 0x09000000 0x00001000 pl011\n"
    "device 0x0a000000 0x00004000 virtio\n";

static const char *const CONFIG_TEXTS[4] = {
    "CONFIG_KERNEL_PHYS_BASE=0x40000000\nCONFIG_KERNEL_REGION_SIZE=0x4000000\n"
    "CONFIG_LOADER_LINK_ADDRESS=0x70000000\nCONFIG_LOADER_REGION_SIZE=0x4000000\n",
    "#define CONFIG_KERNEL_EL2 1\n#define CONFIG_NUM_DOMAINS 16\n"
    "#define CONFIG_KERNEL_PHYS_BASE 0x40000000\n",
    "CONFIG_MAX_NUM_NODES=4\nCONFIG_NUM_DOMAINS=16\nCONFIG_ROOT_CNODE_SIZE_BITS=8\n",
    "",
};

/* The fixed description ELF-mode inputs are compiled into. */
static const char ELF_SYSTEM[] =
    "<system>\n"
    "  <memory_region name=\"m\" size=\"0x1000\" />\n"
    "  <memory_region name=\"dma\" size=\"0x2000\" />\n"
    "  <protection_domain name=\"p\" priority=\"10\">\n"
    "    <program_image path=\"fuzz.elf\" />\n"
    "    <map mr=\"m\" vaddr=\"0x10000000\" setvar_vaddr=\"buffer_vaddr\" />\n"
    "    <setvar symbol=\"dma_paddr\" region_paddr=\"dma\" />\n"
    "    <irq irq=\"33\" id=\"1\" setvar_id=\"irq_ch\" />\n"
    "  </protection_domain>\n"
    "  <protection_domain name=\"q\" priority=\"20\">\n"
    "    <program_image path=\"fuzz.elf\" path_for_symbols=\"default.elf\" />\n"
    "  </protection_domain>\n"
    "  <channel><end pd=\"p\" id=\"0\" pp=\"true\" /><end pd=\"q\" id=\"0\" /></channel>\n"
    "</system>\n";

static bool has_prefix(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *text, const char *suffix)
{
    size_t len = strlen(text), suffix_len = strlen(suffix);
    return len >= suffix_len && strcmp(text + len - suffix_len, suffix) == 0;
}

static int memory_load(struct file_loader *self, struct arena *arena,
                       const char *name, const unsigned char **data, size_t *len,
                       const char **resolved)
{
    (void)self;
    (void)arena;
    *resolved = name;
    if (has_prefix(name, "missing"))
        return ENOENT;
    if (has_prefix(name, "empty")) {
        *data = prefill;
        *len = 0;
    } else if (has_suffix(name, "fuzz.elf") && fuzzed_elf) {
        *data = fuzzed_elf;
        *len = fuzzed_elf_len;
    } else if (has_suffix(name, ".elf")) {
        *data = default_elf;
        *len = default_elf_len;
    } else {
        *data = prefill;
        *len = sizeof prefill;
    }
    return 0;
}

static struct file_loader loader = { memory_load };

static void build_default_elf(void)
{
    static const struct {
        const char *name;
        uint64_t vaddr, size;
    } symbols[] = {
        { "microkit_name", 0x201000, 64 },  { "microkit_passive", 0x201040, 1 },
        { "microkit_irqs", 0x201048, 8 },   { "microkit_notifications", 0x201050, 8 },
        { "microkit_pps", 0x201058, 8 },    { "buffer_vaddr", 0x201100, 8 },
        { "buffer_size", 0x201108, 8 },     { "dma_paddr", 0x201118, 8 },
        { "irq_ch", 0x201130, 8 },          { "small_var", 0x201148, 4 },
    };
    struct mkelf_spec spec = { .entry = 0x200000 };
    spec.segments[0] = (struct mkelf_segment){ 0x200000, 0x800, 0x800, PF_R | PF_X };
    spec.segments[1] = (struct mkelf_segment){ 0x201000, 0x100, 0x2000, PF_R | PF_W };
    spec.segment_count = 2;
    for (size_t i = 0; i < sizeof symbols / sizeof *symbols; i++)
        spec.symbols[spec.symbol_count++] = (struct mkelf_symbol){
            symbols[i].name, symbols[i].vaddr, symbols[i].size, 0,
        };
    default_elf_len = mkelf_build(&spec, &default_elf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    build_default_elf();
    memset(prefill, 'p', sizeof prefill);
    sink = fopen("/dev/null", "w");
    setup_arena = arena_new();
    struct diag diag;
    diag_init(&diag, stderr);
    board.name = "fuzz_board";
    board_parse(&board, setup_arena, &diag, "memory.map", BOARD_MAP,
                sizeof BOARD_MAP - 1);
    for (int i = 0; i < 4; i++) {
        kconfig_defaults(&configs[i]);
        kconfig_parse(&configs[i], setup_arena, &diag, "auto.conf", CONFIG_TEXTS[i],
                      strlen(CONFIG_TEXTS[i]));
    }
    if (!default_elf_len || !sink || diag.errors) {
        fprintf(stderr, "fuzz_sdf: setup failed\n");
        abort();
    }
    return 0;
}

static void emit_everything(struct compilation *c)
{
    emit_tables(c, sink);
    emit_images(c, sink);
    emit_report(c, sink);
    emit_dot(c, sink);
    emit_deps(c, "out", sink);
    for (size_t i = 0; i < c->sys.pds.len; i++)
        emit_channel_header(c, &c->sys.pds.items[i], sink);
}

static bool starts_with(const uint8_t *data, size_t size, const char *prefix)
{
    size_t len = strlen(prefix);
    return size >= len && memcmp(data, prefix, len) == 0;
}

/* Board maps and configurations: parse a private copy (so that reading
 * past the end is caught) and throw the result away. */
static void fuzz_text_input(const uint8_t *data, size_t size, bool board_map)
{
    struct arena *arena = arena_new();
    struct diag diag;
    diag_init(&diag, NULL);
    char *text = malloc(size ? size : 1);
    memcpy(text, data, size);
    if (board_map) {
        struct board parsed = { .name = "fuzz" };
        board_parse(&parsed, arena, &diag, "memory.map", text, size);
    } else {
        struct kconfig parsed;
        kconfig_defaults(&parsed);
        kconfig_parse(&parsed, arena, &diag, "auto.conf", text, size);
    }
    free(text);
    arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (starts_with(data, size, "MEMMAP\n") || starts_with(data, size, "KCONFIG\n")) {
        size_t skip = data[0] == 'M' ? 7 : 8;
        fuzz_text_input(data + skip, size - skip, data[0] == 'M');
        return 0;
    }
    bool elf_mode = size >= 4 && memcmp(data, "\x7f" "ELF", 4) == 0;
    struct arena *arena = arena_new();
    struct diag diag;
    diag_init(&diag, NULL);
    struct compilation c;
    compilation_init(&c, arena, &diag);
    c.sdf_file = "fuzz.system";
    c.board = &board;
    c.files = &loader;
    if (elf_mode) {
        fuzzed_elf = data;
        fuzzed_elf_len = size;
        c.sdf_text = ELF_SYSTEM;
        c.sdf_len = sizeof ELF_SYSTEM - 1;
        c.config = &configs[0];
    } else {
        /* A private copy, so that reading past the end is caught. */
        char *text = malloc(size ? size : 1);
        memcpy(text, data, size);
        c.sdf_text = text;
        c.sdf_len = size;
        c.config = &configs[size % 4];
    }
    if (compile_system(&c))
        emit_everything(&c);
    if (!elf_mode)
        free((void *)c.sdf_text);
    fuzzed_elf = NULL;
    arena_free(arena);
    return 0;
}
