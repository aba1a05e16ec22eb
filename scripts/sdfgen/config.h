/* The kernel configuration sdfgen needs, read from either form Kconfig
 * writes: the make include `auto.conf` (CONFIG_X=value) or the C header
 * `autoconf.h` (#define CONFIG_X value). Missing keys keep their defaults. */
#ifndef SDFGEN_CONFIG_H
#define SDFGEN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

struct kconfig {
    const char *file; /* NULL: defaults only */
    bool kernel_el2;               /* CONFIG_KERNEL_EL2 */
    bool allow_smc_calls;          /* CONFIG_ALLOW_SMC_CALLS */
    uint64_t max_num_nodes;        /* CONFIG_MAX_NUM_NODES, default 1 */
    uint64_t num_domains;          /* CONFIG_NUM_DOMAINS, default 1 */
    uint64_t num_domain_schedules; /* CONFIG_NUM_DOMAIN_SCHEDULES, default 100 */
    uint64_t root_cnode_size_bits; /* CONFIG_ROOT_CNODE_SIZE_BITS, default 13 */
    bool profiler;                 /* CONFIG_PROFILER */
    /* CONFIG_KERNEL_PHYS_BASE + CONFIG_KERNEL_REGION_SIZE */
    bool has_kernel_region;
    uint64_t kernel_base, kernel_size;
    /* CONFIG_LOADER_LINK_ADDRESS + CONFIG_LOADER_REGION_SIZE */
    bool has_loader_region;
    uint64_t loader_base, loader_size;
};

void kconfig_defaults(struct kconfig *config);

/* Returns false if a known key has a malformed value (reported). */
bool kconfig_parse(struct kconfig *config, struct arena *arena,
                   struct diag *diag, const char *file, const char *text,
                   size_t len);

#endif
