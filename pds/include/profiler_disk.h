/*
 * profiler_disk.h - the profiler PD's samples on a block device
 * (pds/profiler/profiler.c; scripts/pddebug/samples.py reads it on the host;
 * docs/debugging.md, "Export to a disk").
 *
 * The profiler's partition, in blocks of PROFILER_DISK_BLOCK bytes:
 *
 *   block 0    struct profiler_disk_header (the rest of the block zero)
 *   block 1..  the kernel's records (struct profiler_record, kernel/uapi/
 *              profiler.h) in the order the kernel wrote them,
 *              PROFILER_DISK_RECORDS_PER_BLOCK to a block: record n at byte
 *              PROFILER_DISK_BLOCK + n * sizeof(struct profiler_record)
 *
 * All little-endian. The header is rewritten after every write of records
 * and counts only records already on the disk, so a disk taken at any
 * moment (the system still running, or stopped) reads consistently: the
 * first `records` records after block 0 are valid, whatever follows is not.
 */
#ifndef PROFILER_DISK_H
#define PROFILER_DISK_H

#include <stdint.h>
#include <profiler.h>

#define PROFILER_DISK_MAGIC     "PDPROFIL"      /* 8 bytes, no NUL */
#define PROFILER_DISK_VERSION   1u
#define PROFILER_DISK_BLOCK     4096u
#define PROFILER_DISK_RECORDS_PER_BLOCK (PROFILER_DISK_BLOCK / sizeof(struct profiler_record))

struct profiler_disk_header {
    char magic[8];              /* PROFILER_DISK_MAGIC */
    uint32_t version;           /* PROFILER_DISK_VERSION */
    uint32_t record_size;       /* sizeof(struct profiler_record) */
    uint64_t records;           /* valid records from block 1 on */
    uint64_t dropped;           /* samples the kernel could not store (buffer full) */
    uint64_t capacity;          /* records the partition has room for */
    uint64_t full;              /* 1: the partition filled up, later samples are not here */
    uint64_t writes;            /* header writes so far */
    /* The kernel's configuration (struct profiler_header's fields). */
    uint64_t period;            /* mean events between samples on each core */
    uint64_t event;             /* enum profiler_event */
    uint64_t timer_hz;          /* frequency of the records' time */
    uint64_t cores;
};

_Static_assert(sizeof(struct profiler_disk_header) == 88, "profiler disk header layout");
_Static_assert(PROFILER_DISK_BLOCK % sizeof(struct profiler_record) == 0, "whole records per block");

#endif
