/* The simulated machine of fake_target.h. */
#include "fake_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fake_thread *thread_of(struct fake *f, unsigned t)
{
    return t >= 1 && t <= FAKE_THREADS ? &f->t[t] : NULL;
}

static bool in_memory(uint64_t addr, size_t len)
{
    return addr >= FAKE_BASE && len <= FAKE_SIZE && addr - FAKE_BASE <= FAKE_SIZE - len;
}

void fake_put32(struct fake *f, unsigned thread, uint64_t addr, uint32_t value)
{
    memcpy(&f->t[thread].mem[addr - FAKE_BASE], &value, 4);
}

uint32_t fake_get32(struct fake *f, unsigned thread, uint64_t addr)
{
    uint32_t v;
    memcpy(&v, &f->t[thread].mem[addr - FAKE_BASE], 4);
    return v;
}

static const char *name(void *ctx, unsigned t)
{
    struct fake_thread *th = thread_of(ctx, t);
    return th ? th->name : NULL;
}

static bool get_regs(void *ctx, unsigned t, struct gdbstub_regs *r)
{
    struct fake_thread *th = thread_of(ctx, t);
    if (th)
        *r = th->regs;
    return th != NULL;
}

static bool set_regs(void *ctx, unsigned t, const struct gdbstub_regs *r)
{
    struct fake_thread *th = thread_of(ctx, t);
    if (th)
        th->regs = *r;
    return th != NULL;
}

static size_t read_mem(void *ctx, unsigned t, uint64_t addr, void *buf, size_t len)
{
    struct fake_thread *th = thread_of(ctx, t);
    if (!th || !in_memory(addr, len))
        return 0;
    memcpy(buf, &th->mem[addr - FAKE_BASE], len);
    return len;
}

static size_t write_mem(void *ctx, unsigned t, uint64_t addr, const void *buf, size_t len)
{
    struct fake_thread *th = thread_of(ctx, t);
    if (!th || !in_memory(addr, len))
        return 0;
    memcpy(&th->mem[addr - FAKE_BASE], buf, len);
    return len;
}

static bool set_hw(void *ctx, unsigned t, enum gdbstub_hw_kind kind, uint64_t addr, uint64_t len)
{
    struct fake_thread *th = thread_of(ctx, t);
    if (!th || len == 0 || len > 8)
        return false;
    for (unsigned i = 0; i < FAKE_HW; i++) {
        if (!th->hw[i].used) {
            th->hw[i].used = true;
            th->hw[i].kind = kind;
            th->hw[i].addr = addr;
            th->hw[i].len = len;
            return true;
        }
    }
    return false;       /* no slot: as the kernel's seL4_RangeError */
}

static bool clear_hw(void *ctx, unsigned t, enum gdbstub_hw_kind kind, uint64_t addr, uint64_t len)
{
    struct fake_thread *th = thread_of(ctx, t);
    for (unsigned i = 0; th && i < FAKE_HW; i++) {
        if (th->hw[i].used && th->hw[i].kind == kind && th->hw[i].addr == addr && th->hw[i].len == len) {
            th->hw[i].used = false;
            return true;
        }
    }
    return false;
}

/* Run one instruction; true if the thread stopped (and was reported). */
static bool execute(struct fake *f, unsigned t, bool first)
{
    struct fake_thread *th = &f->t[t];
    uint64_t pc = th->regs.pc;
    if (!in_memory(pc, 4) || (pc & 3)) {
        gdbstub_stopped(&f->stub, t, GDBSTUB_STOP_FAULT, pc);
        return true;
    }
    for (unsigned i = 0; i < FAKE_HW && !first; i++) {
        if (th->hw[i].used && th->hw[i].kind == GDBSTUB_HW_BREAKPOINT && th->hw[i].addr == pc) {
            gdbstub_stopped(&f->stub, t, GDBSTUB_STOP_BREAKPOINT, pc);
            return true;
        }
    }
    uint32_t insn = fake_get32(f, t, pc);
    if (insn == INSN_NOP) {
        th->regs.pc += 4;
    } else if (insn == GDBSTUB_BRK_INSTRUCTION) {
        gdbstub_stopped(&f->stub, t, GDBSTUB_STOP_BREAKPOINT, pc);
        return true;
    } else if (insn == INSN_SPIN) {
        th->spinning = true;
    } else if ((insn & 0xffff0000u) == 0x5a000000u) {
        uint64_t addr = FAKE_DATA + (insn & 0xffffu);
        for (unsigned i = 0; i < FAKE_HW && !first; i++) {
            if (th->hw[i].used && (th->hw[i].kind == GDBSTUB_WATCH_WRITE ||
                                   th->hw[i].kind == GDBSTUB_WATCH_ACCESS) &&
                addr < th->hw[i].addr + th->hw[i].len && th->hw[i].addr < addr + 8) {
                /* As on Arm: the watchpoint fires before the store completes. */
                gdbstub_stopped(&f->stub, t, GDBSTUB_STOP_WATCHPOINT, addr);
                return true;
            }
        }
        uint64_t value = ++f->stores;
        memcpy(&th->mem[addr - FAKE_BASE], &value, 8);
        th->regs.pc += 4;
    } else {
        gdbstub_stopped(&f->stub, t, GDBSTUB_STOP_FAULT, pc);
        return true;
    }
    return false;
}

static void resume(void *ctx, unsigned step, bool others_run)
{
    struct fake *f = ctx;
    if (step) {
        execute(f, step, true) || (gdbstub_stopped(&f->stub, step, GDBSTUB_STOP_STEP, 0), true);
        return;
    }
    for (unsigned t = 1; t <= FAKE_THREADS; t++) {
        if (!others_run)
            break;
        f->t[t].spinning = false;
        for (unsigned n = 0; n < 100000 && !f->t[t].spinning; n++)
            if (execute(f, t, n == 0))
                return;
    }
    /* Every thread spins: running until gdb interrupts. */
}

static void interrupt(void *ctx)
{
    struct fake *f = ctx;
    gdbstub_stopped(&f->stub, 1, GDBSTUB_STOP_INTERRUPT, 0);
}

static void send(void *ctx, const char *bytes, size_t len)
{
    struct fake *f = ctx;
    if (f->out_len + len < sizeof f->out) {
        memcpy(f->out + f->out_len, bytes, len);
        f->out_len += len;
        f->out[f->out_len] = '\0';
    }
    if (f->write_out)
        f->write_out(bytes, len);
}

/* monitor commands: "echo TEXT" says TEXT; "long N" says N lines of 50
   characters (several console packets); anything else is unknown. */
static bool monitor(void *ctx, struct gdbstub *stub, const char *command)
{
    (void)ctx;
    if (strncmp(command, "echo ", 5) == 0) {
        gdbstub_print(stub, command + 5);
        gdbstub_print(stub, "\n");
        return true;
    }
    if (strncmp(command, "long ", 5) == 0) {
        int lines = atoi(command + 5);
        for (int i = 0; i < lines; i++) {
            char line[64];
            snprintf(line, sizeof line, "line %04d %039d\n", i, 0);
            gdbstub_print(stub, line);
        }
        return true;
    }
    return false;
}

void fake_init(struct fake *f)
{
    memset(f, 0, sizeof *f);
    static const char *const names[] = { "", "parser", "driver" };
    for (unsigned t = 1; t <= FAKE_THREADS; t++) {
        f->t[t].name = names[t];
        f->t[t].regs.pc = FAKE_BASE;
        f->t[t].regs.sp = FAKE_DATA + 0x8000;
        for (unsigned i = 0; i < 31; i++)
            f->t[t].regs.x[i] = 0x100 * t + i;
        for (uint64_t a = FAKE_BASE; a < FAKE_DATA; a += 4)
            fake_put32(f, t, a, INSN_NOP);
    }
    /* parser: NOPs, a store to 0x210008 at 0x200020, spins at 0x200040. */
    fake_put32(f, 1, 0x200020, INSN_STORE(8));
    fake_put32(f, 1, 0x200040, INSN_SPIN);
    /* driver: spins at once. */
    fake_put32(f, 2, 0x200000, INSN_SPIN);
    f->target = (struct gdbstub_target){
        .ctx = f, .thread_count = FAKE_THREADS, .thread_name = name,
        .get_regs = get_regs, .set_regs = set_regs, .read_mem = read_mem, .write_mem = write_mem,
        .set_hw = set_hw, .clear_hw = clear_hw, .resume = resume, .interrupt = interrupt, .send = send,
        .monitor = monitor,
    };
    gdbstub_init(&f->stub, &f->target);
}
