/* One compilation of a system description: the inputs, the model, and the
 * phases that check it and derive what the outputs need. Everything runs
 * in memory (the fuzzer drives it without touching the file system); the
 * emitters then write the results to streams. */
#ifndef SDFGEN_COMPILE_H
#define SDFGEN_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "board.h"
#include "config.h"
#include "diag.h"
#include "files.h"
#include "model.h"
#include "ranges.h"

/* A file the monitor embeds: a program image or a prefill file. */
struct embedded_file {
    const char *path; /* as resolved */
    uint64_t size;
};

/* Kernel objects and memory the system needs (estimates where the monitor
 * has freedom; see docs/sdf.md). */
struct totals {
    uint64_t pds, tcbs, scheds, endpoints, notifications, replies, cnodes,
        vspaces, page_tables, vcpus, frames, mapping_caps, irq_handlers,
        channel_caps;
    uint64_t object_bytes;   /* kernel objects other than frames */
    uint64_t frame_bytes;    /* frames allocated by the monitor */
    uint64_t image_bytes;    /* embedded images (inside the root task) */
    uint64_t ram_needed;     /* object_bytes + frame_bytes + monitor CNode */
    uint64_t ram_available;  /* RAM left for the monitor to allocate from */
    uint64_t monitor_slots;  /* capability slots the monitor needs */
    uint64_t monitor_slots_available;
};

struct compilation {
    struct arena *arena;
    struct diag *diag;
    const char *sdf_file;
    const char *sdf_text;
    size_t sdf_len;
    const struct board *board;    /* NULL: no physical checks */
    const struct kconfig *config;
    struct file_loader *files;    /* NULL: do not read images (headers) */

    struct system sys;
    VEC(struct embedded_file) embedded;
    VEC(const char *) inputs; /* every file read, for the make dependency file */
    VEC(struct range) free_ram; /* RAM the monitor allocates from */
    struct totals totals;
};

void compilation_init(struct compilation *c, struct arena *arena,
                      struct diag *diag);

/* Runs every phase; returns false if any error was reported. */
bool compile_system(struct compilation *c);

/* Phases, in the order compile_system runs them. Each reports its errors
 * and marks what it could not resolve so later phases skip it. */
void check_names(struct compilation *c);          /* check.c */
void check_references(struct compilation *c);     /* check.c */
void check_features(struct compilation *c);       /* features.c */
void check_profilers(struct compilation *c);      /* profiler.c */
void check_children(struct compilation *c);       /* check.c */
void check_channels(struct compilation *c);       /* channels.c */
void check_cspaces(struct compilation *c);        /* channels.c */
void load_images(struct compilation *c);          /* images.c */
void choose_page_sizes(struct compilation *c);    /* layout.c */
void check_virtual_layout(struct compilation *c); /* layout.c */
void check_physical_layout(struct compilation *c);/* phys.c */
void place_regions(struct compilation *c);        /* phys.c */
void check_profiler_regions(struct compilation *c); /* profiler.c */
void plan_debug_windows(struct compilation *c);   /* debugger.c */
void resolve_symbols(struct compilation *c);      /* symbols.c */
void count_resources(struct compilation *c);      /* totals.c */
void warn_unused_regions(struct compilation *c);  /* check.c */

/* Shared by the phases and the emitters. */

/* The pd_debug_info a debugger PD gets: its address and bytes (debugger.c);
 * false (with an error) if the image lacks the variable. */
bool debug_info_write(struct compilation *c, const struct pd *pd, uint64_t *vaddr,
                      const char **bytes);
int embed_file(struct compilation *c, const char *resolved, uint64_t size);
bool mr_size_known(const struct mr *mr);

#endif
