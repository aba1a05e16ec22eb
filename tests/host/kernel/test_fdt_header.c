/*
 * lib/fdt_header.c, the FDT header check and compact size shared by the
 * loader (compact copy of the boot loader's DTB), the kernel (the DTB it is
 * passed) and mkpayload (the built-in DTB). Trees come from dtc and QEMU
 * themselves; a compact copy must read back (dtc -O dts) exactly as the
 * original. Every blob sits in a heap buffer of exactly its size, so ASan
 * reports any read past it.
 */
#define _DEFAULT_SOURCE   /* mkstemp, popen, strdup */
#define TEST_SUITE "fdt_header"
#include "harness.h"

#include "fdt_header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct blob {
    uint8_t *bytes;
    size_t size;
};

static struct blob blob_copy(const void *bytes, size_t size)
{
    struct blob b = { malloc(size ? size : 1), size };
    CHECK(b.bytes != NULL);
    memcpy(b.bytes, bytes, size);
    return b;
}

static struct blob read_blob(const char *path)
{
    FILE *f = fopen(path, "rb");
    CHECK_MSG(f != NULL, "cannot open %s", path);
    static uint8_t buffer[4 << 20];
    size_t n = fread(buffer, 1, sizeof(buffer), f);
    fclose(f);
    return blob_copy(buffer, n);
}

static void write_blob(const char *path, const uint8_t *bytes, size_t size)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK_EQ(fwrite(bytes, 1, size, f), size);
    fclose(f);
}

static void shell(const char *command)
{
    CHECK_MSG(system(command) == 0, "failed: %s", command);
}

/* A tree compiled by dtc from `source` with extra dtc options. */
static struct blob dtc_blob(const char *source, const char *options)
{
    char dts[] = "/tmp/fdt-test-XXXXXX";
    int fd = mkstemp(dts);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, source, strlen(source)), strlen(source));
    close(fd);
    char command[512];
    snprintf(command, sizeof(command), "dtc -q -I dts -O dtb %s -o %s.dtb %s", options, dts, dts);
    shell(command);
    char dtb[64];
    snprintf(dtb, sizeof(dtb), "%s.dtb", dts);
    struct blob b = read_blob(dtb);
    unlink(dtb);
    unlink(dts);
    return b;
}

/* dtc's source rendering of a blob: what "the same tree" means. */
static char *as_source(const uint8_t *bytes, size_t size)
{
    char path[] = "/tmp/fdt-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    write_blob(path, bytes, size);
    char command[256];
    snprintf(command, sizeof(command), "dtc -q -I dtb -O dts %s", path);
    FILE *p = popen(command, "r");
    CHECK(p != NULL);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof(text) - 1, p);
    text[n] = 0;
    CHECK_EQ(pclose(p), 0);
    unlink(path);
    return strdup(text);
}

/* Compact copy as the loader makes it; checks it reads back as the original. */
static void check_compact_copy_equivalent(struct blob b, uint32_t expected_used)
{
    struct fdt_header_facts facts;
    CHECK_EQ(fdt_header_check(b.bytes, b.size, &facts), FDT_HEADER_OK);
    CHECK_EQ(facts.used, expected_used);
    struct blob copy = blob_copy(b.bytes, facts.used);
    fdt_header_set_totalsize(copy.bytes, facts.used);
    struct fdt_header_facts again;
    CHECK_EQ(fdt_header_check(copy.bytes, copy.size, &again), FDT_HEADER_OK);
    CHECK_EQ(again.totalsize, facts.used);
    CHECK_EQ(again.used, facts.used);
    char *original = as_source(b.bytes, b.size), *compact = as_source(copy.bytes, copy.size);
    CHECK_MSG(strcmp(original, compact) == 0, "the compact copy reads back differently");
    free(original);
    free(compact);
    free(copy.bytes);
}

static const char tree[] =
    "/dts-v1/;\n/memreserve/ 0x5000000 0x400000;\n"
    "/ { compatible = \"test,board\"; #address-cells = <2>; #size-cells = <2>;\n"
    "  memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x80000000>; };\n"
    "  chosen { stdout-path = \"/serial@9000000\"; };\n"
    "  serial@9000000 { compatible = \"arm,pl011\"; reg = <0 0x9000000 0 0x1000>; }; };\n";

TEST(qemu_tree_compacts_to_its_used_bytes)
{
    shell("qemu-system-aarch64 -machine virt,virtualization=on,gic-version=2,"
          "dumpdtb=/tmp/fdt-test-qemu.dtb -cpu cortex-a53 -m 2G -nic none -display none "
          ">/dev/null 2>&1");
    struct blob b = read_blob("/tmp/fdt-test-qemu.dtb");
    unlink("/tmp/fdt-test-qemu.dtb");
    CHECK_EQ(fdt_header_totalsize(b.bytes), 0x100000);
    struct fdt_header_facts facts;
    CHECK_EQ(fdt_header_check(b.bytes, b.size, &facts), FDT_HEADER_OK);
    CHECK(facts.used > FDT_HEADER_SIZE && facts.used < 0x4000);
    check_compact_copy_equivalent(b, facts.used);
    free(b.bytes);
}

TEST(padded_tree_compacts_to_the_unpadded_size)
{
    struct blob exact = dtc_blob(tree, "-R 2");
    struct blob padded = dtc_blob(tree, "-R 2 -p 8192");
    CHECK_EQ(fdt_header_totalsize(padded.bytes), exact.size + 8192);
    check_compact_copy_equivalent(padded, (uint32_t)exact.size);
    check_compact_copy_equivalent(exact, (uint32_t)exact.size);
    free(exact.bytes);
    free(padded.bytes);
}

/* Header words, big-endian, by byte offset. */
static void put32(uint8_t *b, size_t offset, uint32_t v)
{
    b[offset] = (uint8_t)(v >> 24);
    b[offset + 1] = (uint8_t)(v >> 16);
    b[offset + 2] = (uint8_t)(v >> 8);
    b[offset + 3] = (uint8_t)v;
}

/*
 * A tiny hand-made tree: header (40), then blocks in a chosen order.
 * Structure: BEGIN_NODE "" , END_NODE, END (16 bytes); strings: "x\0"
 * (2 bytes); memory reservation map: one entry and the terminator (32).
 */
static struct blob tiny_tree(int rsvmap_last, uint32_t padding)
{
    static uint8_t b[256];
    memset(b, 0, sizeof(b));
    uint32_t structure = rsvmap_last ? 40 : 72, strings = structure + 16;
    uint32_t rsvmap = rsvmap_last ? 64 : 40;   /* 8-aligned after "x\0" (58 -> 64) */
    put32(b, 0, FDT_MAGIC);
    put32(b, 8, structure);
    put32(b, 12, strings);
    put32(b, 16, rsvmap);
    put32(b, 20, 17);
    put32(b, 24, 16);
    put32(b, 32, 2);
    put32(b, 36, 16);
    put32(b, structure, 1);
    put32(b, structure + 8, 2);
    put32(b, structure + 12, 9);
    b[strings] = 'x';
    put32(b, rsvmap + 4, 0x1000);    /* address 0x1000 */
    put32(b, rsvmap + 12, 0x1000);   /* size 0x1000; then the zero entry */
    uint32_t used = rsvmap_last ? rsvmap + 32 : strings + 2;
    put32(b, 4, used + padding);
    return blob_copy(b, used + padding);
}

TEST(reservation_map_last_counts_in_the_used_size)
{
    struct blob b = tiny_tree(1, 40);
    struct fdt_header_facts facts;
    CHECK_EQ(fdt_header_check(b.bytes, b.size, &facts), FDT_HEADER_OK);
    CHECK_EQ(facts.used, 96);
    CHECK_EQ(facts.totalsize, 136);
    free(b.bytes);
    b = tiny_tree(0, 24);
    CHECK_EQ(fdt_header_check(b.bytes, b.size, &facts), FDT_HEADER_OK);
    CHECK_EQ(facts.used, 90);
    CHECK_EQ(facts.version, 17);
    free(b.bytes);
}

TEST(version_16_tree_is_kept_whole)
{
    struct blob b = tiny_tree(0, 24);
    put32(b.bytes, 20, 16);
    struct fdt_header_facts facts;
    CHECK_EQ(fdt_header_check(b.bytes, b.size, &facts), FDT_HEADER_OK);
    CHECK_EQ(facts.used, facts.totalsize);
    free(b.bytes);
}

/* One header word changed: the check must say `expected`. */
static void check_mutation(size_t offset, uint32_t value, enum fdt_header_status expected)
{
    struct blob b = tiny_tree(0, 24);
    put32(b.bytes, offset, value);
    struct fdt_header_facts facts;
    enum fdt_header_status status = fdt_header_check(b.bytes, b.size, &facts);
    CHECK_MSG(status == expected, "word at %zu = 0x%x: status %d (%s), expected %d", offset,
              value, status, fdt_header_status_text(status), expected);
    free(b.bytes);
}

TEST(malformed_headers_are_refused)
{
    check_mutation(0, 0xd00dfeee, FDT_HEADER_BAD_MAGIC);
    check_mutation(20, 15, FDT_HEADER_BAD_VERSION);           /* version */
    check_mutation(24, 18, FDT_HEADER_BAD_VERSION);           /* last compatible version */
    check_mutation(4, 39, FDT_HEADER_BAD_TOTALSIZE);
    check_mutation(4, 115, FDT_HEADER_TOO_SMALL);             /* totalsize past the buffer */
    check_mutation(16, 44, FDT_HEADER_BAD_LAYOUT);            /* reservation map misaligned */
    check_mutation(16, 32, FDT_HEADER_BAD_LAYOUT);            /* reservation map over the header */
    check_mutation(8, 74, FDT_HEADER_BAD_LAYOUT);             /* structure block misaligned */
    check_mutation(36, 0xfffffff0, FDT_HEADER_BAD_LAYOUT);    /* structure block past the end */
    check_mutation(8, 0xfffffffc, FDT_HEADER_BAD_LAYOUT);     /* offset + size would wrap 32 bits */
    check_mutation(32, 200, FDT_HEADER_BAD_LAYOUT);           /* strings block past the end */
    check_mutation(12, 0xffffffff, FDT_HEADER_BAD_LAYOUT);
    check_mutation(16, 104, FDT_HEADER_BAD_LAYOUT);           /* no room for the terminator */
}

TEST(unterminated_reservation_map_is_refused)
{
    struct blob b = tiny_tree(1, 0);
    put32(b.bytes, 64 + 28, 1);     /* the terminator is no longer all zero */
    struct fdt_header_facts facts;
    CHECK_EQ(fdt_header_check(b.bytes, b.size, &facts), FDT_HEADER_BAD_LAYOUT);
    free(b.bytes);
}

TEST(short_buffers_and_totalsize_reads)
{
    struct blob b = tiny_tree(0, 0);
    struct fdt_header_facts facts;
    for (size_t size = 0; size < b.size; size++) {
        struct blob part = blob_copy(b.bytes, size);
        CHECK_EQ(fdt_header_check(part.bytes, part.size, &facts), FDT_HEADER_TOO_SMALL);
        free(part.bytes);
    }
    CHECK_EQ(fdt_header_totalsize(b.bytes), 90);
    b.bytes[0] ^= 1;
    CHECK_EQ(fdt_header_totalsize(b.bytes), 0);
    free(b.bytes);
}

TEST(random_headers_never_read_outside_the_blob)
{
    struct blob base = dtc_blob(tree, "-R 1 -p 64");
    for (int round = 0; round < 20000; round++) {
        struct blob b = blob_copy(base.bytes, base.size);
        for (int k = 0, n = 1 + (int)test_rand_below(3); k < n; k++) {
            size_t offset = 4 * test_rand_below(10);
            uint32_t value = (uint32_t)test_rand();
            if (test_rand_below(2))
                value %= (uint32_t)base.size + 64;
            put32(b.bytes, offset, value);
        }
        struct fdt_header_facts facts;
        if (fdt_header_check(b.bytes, b.size, &facts) == FDT_HEADER_OK) {
            CHECK(facts.used <= facts.totalsize && facts.totalsize <= b.size);
            CHECK(facts.used >= FDT_HEADER_SIZE);
        }
        free(b.bytes);
    }
    free(base.bytes);
}
