/* The multicore example (sdf/multicore.system): work items passed around
 * four workers, one per core, through single-producer single-consumer
 * rings in shared memory. Ring k carries items from worker k to worker
 * k + 1 (mod 4); head and tail only grow, item n sits in slot n % slots. */
#ifndef SDF_MULTICORE_H
#define SDF_MULTICORE_H

#include <stdint.h>

#define MC_WORKERS      4
#define MC_ITEMS        32      /* in flight at once: every core has work */
#define MC_HOPS         64      /* each item visits every worker 16 times */
#define MC_WORK_ROUNDS  400     /* generator steps per visit */
#define MC_RING_SLOTS   64      /* > MC_ITEMS + 1: a push never waits */
#define MC_REPORT       0xffffffffu /* the item id that asks for the reports */

struct mc_item {
    uint32_t id;
    uint32_t hops;              /* visits so far */
    uint64_t value;             /* MC_WORK_ROUNDS generator steps per visit */
    uint64_t path;              /* sum of the workers visited, plus one each */
};

struct mc_ring {
    uint32_t head;              /* written by the producer only */
    uint32_t pad0[15];
    uint32_t tail;              /* written by the consumer only (own cache line) */
    uint32_t pad1[15];
    struct mc_item slot[MC_RING_SLOTS];
};

_Static_assert(sizeof(struct mc_ring) <= 0x1000, "a ring fits its 4 KiB region");
_Static_assert(MC_HOPS % MC_WORKERS == 0, "items end where they started");

/* The work done at each visit: steps of a 64-bit linear congruential generator. */
static inline uint64_t mc_work(uint64_t v)
{
    for (unsigned i = 0; i < MC_WORK_ROUNDS; i++)
        v = v * 6364136223846793005ull + 1442695040888963407ull;
    return v;
}

#endif
