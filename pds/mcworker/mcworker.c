/* mcworker: one of the four workers of sdf/multicore.system (its index is
 * the last character of its name, worker0..worker3, and so is its core).
 * Every item that arrives on ring_in gets its visit's work and goes on
 * through ring_out to the next worker, with a notification. Worker 0 puts
 * the items in and checks them after their last visit; then a report item
 * goes round and each worker prints its throughput when it gets it, so the
 * four reports never mix on the console. */
#include <microkit.h>
#include "multicore.h"

#define NEXT 0
#define PREV 1

/* Patched by the monitor (setvar_vaddr). */
uintptr_t ring_in;
uintptr_t ring_out;

static unsigned me;
static uint32_t visits, checked, wrong;
static uint64_t first_visit, last_visit, done_mask;

static uint64_t counter(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static uint64_t counter_hz(void)
{
    uint64_t f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    return f;
}

static void push(const struct mc_item *item)
{
    struct mc_ring *r = (struct mc_ring *)ring_out;
    uint32_t head = r->head;
    /* Never full: at most MC_ITEMS + 1 items exist. */
    r->slot[head % MC_RING_SLOTS] = *item;
    __atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
}

static void print_u64(uint64_t v)
{
    char digits[21];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

static void report(void)
{
    uint64_t ticks = last_visit - first_visit, hz = counter_hz();
    uint64_t us = ticks * 1000000 / (hz ? hz : 1);
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" (core ");
    microkit_dbg_put32(me);
    microkit_dbg_puts("): ");
    print_u64(visits);
    microkit_dbg_puts(" visits in ");
    print_u64(us);
    microkit_dbg_puts(" us, ");
    print_u64(us ? (uint64_t)visits * 1000000 / us : 0);
    microkit_dbg_puts(" per second\n");
}

/* Worker 0: an item back from its last visit. */
static void check(const struct mc_item *item)
{
    uint64_t value = item->id;
    for (unsigned i = 0; i < MC_HOPS; i++)
        value = mc_work(value);
    uint64_t path = (uint64_t)MC_HOPS / MC_WORKERS * (1 + 2 + 3 + 4);
    if (item->id >= MC_ITEMS || (done_mask >> item->id) & 1 || item->value != value ||
        item->path != path)
        wrong++;
    done_mask |= 1ull << (item->id % 64);
    checked++;
}

static void visit(struct mc_item *item)
{
    uint64_t now = counter();
    if (!visits)
        first_visit = now;
    item->value = mc_work(item->value);
    item->path += me + 1;
    item->hops++;
    visits++;
    last_visit = counter();
}

/* Everything waiting on ring_in; true if something went on to the next worker. */
static bool drain(void)
{
    struct mc_ring *r = (struct mc_ring *)ring_in;
    uint32_t tail = r->tail;
    bool passed = false;
    while (tail != __atomic_load_n(&r->head, __ATOMIC_ACQUIRE)) {
        struct mc_item item = r->slot[tail % MC_RING_SLOTS];
        __atomic_store_n(&r->tail, ++tail, __ATOMIC_RELEASE);
        if (item.id == MC_REPORT) {
            if (me == 0) {
                microkit_dbg_puts("multicore: done\n");
                continue;
            }
            report();
        } else if (item.hops == MC_HOPS) {
            check(&item);
            if (checked < MC_ITEMS)
                continue;
            microkit_dbg_puts("multicore: ");
            microkit_dbg_put32(checked);
            microkit_dbg_puts(" items made ");
            microkit_dbg_put32(MC_HOPS);
            microkit_dbg_puts(" visits each on 4 cores, ");
            microkit_dbg_put32(wrong);
            microkit_dbg_puts(" wrong\n");
            report();
            item.id = MC_REPORT;
        } else {
            visit(&item);
        }
        push(&item);
        passed = true;
    }
    return passed;
}

void init(void)
{
    unsigned len = 0;
    while (len < MICROKIT_PD_NAME_LENGTH && microkit_name[len])
        len++;
    me = len ? (unsigned)(microkit_name[len - 1] - '0') % MC_WORKERS : 0;
    if (me != 0)
        return;
    microkit_dbg_puts("multicore: ");
    microkit_dbg_put32(MC_ITEMS);
    microkit_dbg_puts(" items, ");
    microkit_dbg_put32(MC_HOPS);
    microkit_dbg_puts(" visits each, around 4 workers on 4 cores\n");
    for (uint32_t id = 0; id < MC_ITEMS; id++) {
        struct mc_item item = { .id = id, .hops = 0, .value = id, .path = 0 };
        visit(&item);
        push(&item);
        microkit_notify(NEXT);
    }
}

void notified(microkit_channel ch)
{
    if (ch == PREV && drain())
        microkit_notify(NEXT);
}
