/*
 * How the monitor programs seL4's domain scheduler from the tables: pure
 * arithmetic on struct system_tables, no kernel calls, so the host unit
 * tests check it (tests/host/monitor). domains.c makes the calls.
 */
#ifndef DOMAIN_PLAN_H
#define DOMAIN_PLAN_H

#include <system_tables.h>

/* seL4 keeps a schedule entry's duration in 56 bits. */
#define DOMAIN_MAX_TICKS ((UINT64_C(1) << 56) - 1)

/* The kernel schedule slot of table entry i. */
static inline uint32_t domain_slot(const struct system_tables *t, uint32_t i)
{
    return t->schedule_index_shift + i;
}

/*
 * The duration of entry e in timer ticks (DomainScheduleConfigure takes
 * ticks on MCS kernels) at `hz` ticks per second; microseconds are
 * rounded up, so a non-zero duration never becomes zero. An end marker
 * is 0. Returns false if the result does not fit in 56 bits.
 */
bool domain_entry_ticks(const struct sys_schedule_entry *e, uint64_t hz, uint64_t *ticks);

/*
 * Whether entry i must be written. The kernel starts with slot 0 as the
 * start (domain 0, longest duration) and every other slot an end marker,
 * and refuses an end marker in the start slot. Slots other than 0 that
 * the system leaves as end markers already are; an end marker in slot 0
 * is never reached once the start moves on (sdfgen refuses a start on an
 * end marker), so it is not written.
 */
bool domain_entry_written(const struct system_tables *t, uint32_t i);

#endif
