/*
 * A simulated machine for the gdbstub tests: a few "PDs", each with its own
 * registers and 128 KiB of memory at 0x200000, running a tiny instruction
 * set: NOP, BRK #0, B . (spins until interrupted), STORE (0x5a00xxxx:
 * writes a counter to 0x210000 + xxxx, which watchpoints see) and anything
 * else faults. Execution is synchronous: resume() runs until something
 * stops a thread and reports it to the engine at once.
 */
#ifndef FAKE_TARGET_H
#define FAKE_TARGET_H

#include <gdbstub.h>

#define FAKE_BASE 0x200000u
#define FAKE_SIZE 0x20000u
#define FAKE_DATA 0x210000u
#define FAKE_THREADS 2
#define FAKE_HW 4

#define INSN_NOP 0xd503201fu
#define INSN_SPIN 0x14000000u
#define INSN_STORE(off) (0x5a000000u | (off))

struct fake_thread {
    struct gdbstub_regs regs;
    uint8_t mem[FAKE_SIZE];
    const char *name;
    struct { bool used; enum gdbstub_hw_kind kind; uint64_t addr, len; } hw[FAKE_HW];
    bool spinning;
};

struct fake {
    struct fake_thread t[FAKE_THREADS + 1];     /* 1-based */
    struct gdbstub stub;
    struct gdbstub_target target;
    char out[1 << 16];
    size_t out_len;
    uint64_t stores;
    int (*write_out)(const char *bytes, size_t len);    /* besides out[], if set */
};

void fake_init(struct fake *f);
void fake_put32(struct fake *f, unsigned thread, uint64_t addr, uint32_t value);
uint32_t fake_get32(struct fake *f, unsigned thread, uint64_t addr);

#endif
