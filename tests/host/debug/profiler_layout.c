/*
 * The profiler's record and disk layouts as the C headers define them
 * (kernel/uapi/profiler.h, pds/include/profiler_disk.h), printed for
 * test_pddebug.py to hold scripts/pddebug/samples.py's struct formats
 * against: "name value" lines.
 */
#include <stddef.h>
#include <stdio.h>
#include <profiler_disk.h>

#define SHOW(name, value) printf("%s %lu\n", name, (unsigned long)(value))

int main(void)
{
    printf("magic %s\n", PROFILER_DISK_MAGIC);
    SHOW("version", PROFILER_DISK_VERSION);
    SHOW("block", PROFILER_DISK_BLOCK);
    SHOW("header_size", sizeof(struct profiler_disk_header));
    SHOW("header.records", offsetof(struct profiler_disk_header, records));
    SHOW("header.period", offsetof(struct profiler_disk_header, period));
    SHOW("header.cores", offsetof(struct profiler_disk_header, cores));
    SHOW("record_size", sizeof(struct profiler_record));
    SHOW("record.core", offsetof(struct profiler_record, core));
    SHOW("record.thread", offsetof(struct profiler_record, thread));
    SHOW("record.pc", offsetof(struct profiler_record, pc));
    SHOW("record.chain", offsetof(struct profiler_record, u.chain));
    SHOW("chain_max", PROFILER_CHAIN_MAX);
    SHOW("sample", PROFILER_SAMPLE);
    SHOW("thread_name", PROFILER_THREAD_NAME);
    return 0;
}
