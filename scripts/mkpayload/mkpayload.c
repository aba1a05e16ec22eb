/*
 * mkpayload: pack the kernel and root-task ELF segments and the board's
 * device tree into the payload the boot loader embeds (format:
 * kernel/loader/payload_format.h, docs/boot.md).
 *
 *   mkpayload --kernel K.elf --roottask R.elf [--dtb board.dtb] --kernel-phys ADDR
 *             --kernel-region-size N --loader-link ADDR --loader-region-size N
 *             [--pptr-base ADDR] [-v] -o payload.bin
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtb_file.h"
#include "elf_file.h"
#include "layout.h"

struct options {
    const char *kernel_path;
    const char *roottask_path;
    const char *dtb_path;
    const char *output_path;
    struct memory_limits limits;
    unsigned have_limits;   /* bit per required numeric option */
    int verbose;
};

enum { OPT_KERNEL = 256, OPT_ROOTTASK, OPT_DTB, OPT_KERNEL_PHYS, OPT_KERNEL_SIZE, OPT_LOADER_LINK,
       OPT_LOADER_SIZE, OPT_PPTR_BASE };

static void usage(FILE *to)
{
    fputs("usage: mkpayload --kernel K.elf --roottask R.elf [--dtb board.dtb] --kernel-phys ADDR\n"
          "                 --kernel-region-size N --loader-link ADDR --loader-region-size N\n"
          "                 [--pptr-base ADDR] [-v] -o payload.bin\n"
          "Packs the kernel's segments (at their p_paddr), the root task's (right after\n"
          "the kernel, page aligned) and the device tree the loader hands the kernel when\n"
          "the boot loader passes none (on the page after the root task) into a payload\n"
          "for the boot loader. The kernel window base (vaddr - paddr of every kernel\n"
          "segment) is the kernel ELF's own unless --pptr-base gives it.\n", to);
}

static int parse_number(const char *option, const char *text, uint64_t *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-') {
        fprintf(stderr, "mkpayload: error: %s: '%s' is not a number\n", option, text);
        return -1;
    }
    *value = v;
    return 0;
}

static int parse_limit(struct options *o, int opt, const char *arg)
{
    static const struct { int opt; const char *name; size_t field; } limits[] = {
        { OPT_KERNEL_PHYS, "--kernel-phys", offsetof(struct memory_limits, kernel_phys) },
        { OPT_KERNEL_SIZE, "--kernel-region-size", offsetof(struct memory_limits, kernel_region_size) },
        { OPT_LOADER_LINK, "--loader-link", offsetof(struct memory_limits, loader_link) },
        { OPT_LOADER_SIZE, "--loader-region-size", offsetof(struct memory_limits, loader_region_size) },
        { OPT_PPTR_BASE, "--pptr-base", offsetof(struct memory_limits, pptr_base) },
    };
    for (unsigned i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        if (limits[i].opt != opt)
            continue;
        o->have_limits |= 1u << i;
        return parse_number(limits[i].name, arg, (uint64_t *)((char *)&o->limits + limits[i].field));
    }
    return -1;
}

static int parse_options(struct options *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "kernel", required_argument, NULL, OPT_KERNEL },
        { "roottask", required_argument, NULL, OPT_ROOTTASK },
        { "dtb", required_argument, NULL, OPT_DTB },
        { "kernel-phys", required_argument, NULL, OPT_KERNEL_PHYS },
        { "kernel-region-size", required_argument, NULL, OPT_KERNEL_SIZE },
        { "loader-link", required_argument, NULL, OPT_LOADER_LINK },
        { "loader-region-size", required_argument, NULL, OPT_LOADER_SIZE },
        { "pptr-base", required_argument, NULL, OPT_PPTR_BASE },
        { "output", required_argument, NULL, 'o' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    *o = (struct options){ .limits.pptr_base = PPTR_BASE_FROM_KERNEL };
    int opt;
    while ((opt = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_KERNEL: o->kernel_path = optarg; break;
        case OPT_ROOTTASK: o->roottask_path = optarg; break;
        case OPT_DTB: o->dtb_path = optarg; break;
        case 'o': o->output_path = optarg; break;
        case 'v': o->verbose = 1; break;
        case 'h': usage(stdout); exit(0);
        case '?': usage(stderr); return -1;
        default:
            if (parse_limit(o, opt, optarg) != 0)
                return -1;
        }
    }
    if (optind != argc || !o->kernel_path || !o->roottask_path || !o->output_path ||
        (o->have_limits & 0xf) != 0xf) {
        fputs("mkpayload: error: missing or extra arguments\n", stderr);
        usage(stderr);
        return -1;
    }
    return 0;
}

/* Writes `length` bytes then zero padding up to `padded`; returns 0 on success. */
static int write_padded(FILE *f, const void *data, uint64_t length, uint64_t padded)
{
    static const uint8_t zeros[PAYLOAD_ALIGN];
    if (length && fwrite(data, 1, length, f) != length)
        return -1;
    if (padded > length && fwrite(zeros, 1, padded - length, f) != padded - length)
        return -1;
    return 0;
}

/* The data area as it will be written, for the checksum. */
static uint64_t *build_data_area(const struct layout *l, uint64_t data_start)
{
    uint64_t size = l->header.total_size - data_start;
    uint64_t *words = calloc(size / 8 + 1, 8);
    if (!words)
        return NULL;
    for (uint32_t i = 0; i < l->header.num_regions; i++)
        if (l->regions[i].file_size)
            memcpy((uint8_t *)words + (l->regions[i].offset - data_start), l->region_data[i],
                   l->regions[i].file_size);
    if (l->header.dtb_size)
        memcpy((uint8_t *)words + (l->header.dtb_offset - data_start), l->dtb_data,
               l->header.dtb_size);
    return words;
}

static int write_payload(struct layout *l, const char *path)
{
    uint64_t table_size = (uint64_t)l->header.num_regions * sizeof(struct payload_region);
    uint64_t data_start = sizeof(l->header) + table_size;
    uint64_t *data = build_data_area(l, data_start);
    if (!data) {
        fprintf(stderr, "mkpayload: error: out of memory\n");
        return -1;
    }
    uint64_t data_size = l->header.total_size - data_start;
    l->header.checksum = payload_checksum(data, data_size / 8);

    /* Write beside the target and rename, so make never sees half a file. */
    size_t tmp_len = strlen(path) + 5;
    char *tmp = malloc(tmp_len);
    int rc = -1;
    FILE *f = NULL;
    if (!tmp)
        goto out;
    snprintf(tmp, tmp_len, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "mkpayload: error: cannot create %s: %s\n", tmp, strerror(errno));
        goto out;
    }
    if (write_padded(f, &l->header, sizeof(l->header), sizeof(l->header)) != 0 ||
        write_padded(f, l->regions, table_size, table_size) != 0 ||
        write_padded(f, data, data_size, data_size) != 0 || fclose(f) != 0) {
        f = NULL;
        fprintf(stderr, "mkpayload: error: writing %s: %s\n", tmp, strerror(errno));
        remove(tmp);
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "mkpayload: error: cannot rename %s to %s: %s\n", tmp, path, strerror(errno));
        remove(tmp);
        goto out;
    }
    rc = 0;
out:
    if (f)
        fclose(f);
    free(tmp);
    free(data);
    return rc;
}

static void print_layout(const struct layout *l)
{
    const struct payload_header *h = &l->header;
    printf("kernel:    phys 0x%llx..0x%llx entry 0x%llx\n",
           (unsigned long long)h->kernel_phys_start, (unsigned long long)h->kernel_phys_end,
           (unsigned long long)h->kernel_entry);
    printf("root task: phys 0x%llx..0x%llx pv_offset 0x%llx entry 0x%llx\n",
           (unsigned long long)h->roottask_phys_start, (unsigned long long)h->roottask_phys_end,
           (unsigned long long)h->roottask_pv_offset, (unsigned long long)h->roottask_entry);
    for (uint32_t i = 0; i < h->num_regions; i++)
        printf("region %u:  paddr 0x%llx file 0x%llx mem 0x%llx offset 0x%llx\n", i,
               (unsigned long long)l->regions[i].paddr, (unsigned long long)l->regions[i].file_size,
               (unsigned long long)l->regions[i].mem_size, (unsigned long long)l->regions[i].offset);
    printf("dtb:       phys 0x%llx size 0x%llx offset 0x%llx (room up to 0x%llx)\n",
           (unsigned long long)h->dtb_phys, (unsigned long long)h->dtb_size,
           (unsigned long long)h->dtb_offset, (unsigned long long)h->dtb_phys_limit);
    printf("payload:   0x%llx bytes\n", (unsigned long long)h->total_size);
}

int main(int argc, char **argv)
{
    struct options o;
    if (parse_options(&o, argc, argv) != 0)
        return 1;
    struct elf_file kernel, roottask = { 0 };
    struct dtb_file dtb = { 0 };
    struct layout layout = { 0 };
    int rc = 1;
    if (elf_file_load(&kernel, o.kernel_path) != 0)
        goto out;
    if (elf_file_load(&roottask, o.roottask_path) != 0)
        goto out;
    if (o.dtb_path && dtb_file_load(&dtb, o.dtb_path) != 0)
        goto out;
    if (layout_build(&layout, &kernel, &roottask, o.dtb_path ? &dtb : NULL, &o.limits) != 0)
        goto out;
    if (o.verbose)
        print_layout(&layout);
    if (write_payload(&layout, o.output_path) != 0)
        goto out;
    rc = 0;
out:
    layout_free(&layout);
    dtb_file_free(&dtb);
    elf_file_free(&roottask);
    elf_file_free(&kernel);
    return rc;
}
