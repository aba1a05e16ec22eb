/*
 * bootpd: the PD of tests/bench/boot.system (make bench, docs/bench.md).
 * Its init() first reads PMCCNTR_EL0 (instructions since the kernel
 * started the counter, under QEMU -icount) and CNTPCT_EL0, then ties the
 * two together as the benchmark root task does (bench_calibrate in
 * loops.S): the first of twenty CNTPCT reads that sees a new tick ran at
 * exactly 16 * tick of virtual time, i.e. instructions since power-on.
 * It needs a CONFIG_BENCHMARK kernel (EL0 may read the PMU counter).
 */
#include <microkit.h>
#include <stdint.h>

static void put_u64(uint64_t v)
{
    char buf[24];
    int i = sizeof(buf) - 1;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    microkit_dbg_puts(&buf[i]);
}

#define R(n) "mrs %" #n ", cntpct_el0\n"

void init(void)
{
    uint64_t p0, c0;
    __asm__ volatile("mrs %0, pmccntr_el0\nmrs %1, cntpct_el0" : "=&r"(p0), "=&r"(c0));

    uint64_t p, c[20];
    __asm__ volatile("mrs %0, pmccntr_el0\n"
                     R(1) R(2) R(3) R(4) R(5) R(6) R(7) R(8) R(9) R(10)
                     R(11) R(12) R(13) R(14) R(15) R(16) R(17) R(18) R(19) R(20)
                     : "=&r"(p), "=&r"(c[0]), "=&r"(c[1]), "=&r"(c[2]), "=&r"(c[3]),
                       "=&r"(c[4]), "=&r"(c[5]), "=&r"(c[6]), "=&r"(c[7]), "=&r"(c[8]),
                       "=&r"(c[9]), "=&r"(c[10]), "=&r"(c[11]), "=&r"(c[12]), "=&r"(c[13]),
                       "=&r"(c[14]), "=&r"(c[15]), "=&r"(c[16]), "=&r"(c[17]), "=&r"(c[18]),
                       "=&r"(c[19]));
    /* c[k - 1] was read k instructions after p */
    int64_t delta = 0;
    int found = 0;
    for (int k = 2; k <= 20 && !found; k++) {
        if (c[k - 1] != c[k - 2]) {
            delta = (int64_t)(16 * c[k - 1]) - k - (int64_t)p;
            found = 1;
        }
    }
    microkit_dbg_puts("BOOTPD|BOOT pmccntr=");
    put_u64(p0);
    microkit_dbg_puts(" cntpct=");
    put_u64(c0);
    microkit_dbg_puts(" delta=");
    if (found)
        put_u64((uint64_t)delta);
    else
        microkit_dbg_puts("unknown");
    microkit_dbg_puts("\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
