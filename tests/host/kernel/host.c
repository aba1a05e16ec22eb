/*
 * The fake machine under the kernel sources in the host unit tests: what
 * drivers, assembly and architecture code provide on the target (see
 * host.h), plus the helpers that build objects and CSpaces by hand.
 */
#define _GNU_SOURCE
#include "host.h"
#include "harness.h"

#include <kernel/print.h>
#include <kernel/interrupt.h>
#include <arch/cache.h>
#include <arch/vspace.h>
#include <arch/machine.h>
#include <arch/mmu.h>
#include <timer.h>
#include <irqchip.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---------------------------------------------------------------- panic and console */

_Noreturn void kernel_panic(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "KERNEL PANIC: %s\n", msg);
    test_fail(NULL, 0, "kernel panic: %s", msg);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void console_init(void)
{
}

void console_putc(char c)
{
    fputc(c, stderr);
}

_Noreturn void machine_power_off(void)
{
    FAIL("the kernel powered the machine off");
}

/* ---------------------------------------------------------------- timer */

static uint64_t now_ticks;
static uint64_t deadline;
static bool armed;

uint64_t host_now(void) { return now_ticks; }
void host_set_time(uint64_t ticks) { now_ticks = ticks; }
void host_advance(uint64_t ticks) { now_ticks += ticks; }
bool host_timer_armed(void) { return armed; }
uint64_t host_timer_deadline(void) { return deadline; }
uint64_t host_us(uint64_t us) { return timer_us_to_ticks(us); }

void timer_init(void) { }
uint64_t timer_frequency(void) { return HOST_TIMER_HZ; }
uint64_t timer_now(void) { return now_ticks; }

void timer_set_deadline(uint64_t d)
{
    deadline = d;
    armed = true;
}

void timer_disarm(void)
{
    armed = false;
}

/* The same conversions as drivers/kernel/timer/generic_timer.c. */
uint64_t timer_us_to_ticks(uint64_t us)
{
    return (us / 1000000) * HOST_TIMER_HZ + (us % 1000000) * HOST_TIMER_HZ / 1000000;
}

uint64_t timer_ticks_to_us(uint64_t ticks)
{
    return (ticks / HOST_TIMER_HZ) * 1000000 + (ticks % HOST_TIMER_HZ) * 1000000 / HOST_TIMER_HZ;
}

/* ---------------------------------------------------------------- interrupt controller */

#define HOST_MAX_IRQ 159
/* Lines start masked, as after irqchip_init (the timer line is taken as
   unmasked: interrupt_init does that at boot). */
static bool irq_enabled[HOST_MAX_IRQ + 1];
static bool irq_raised[HOST_MAX_IRQ + 1];
static uint64_t irq_at[HOST_MAX_IRQ + 1];

void host_raise_irq(unsigned irq, uint64_t at)
{
    CHECK(irq <= HOST_MAX_IRQ && irq != HOST_TIMER_IRQ);
    irq_raised[irq] = true;
    irq_at[irq] = at;
}

bool host_irq_masked(unsigned irq)
{
    return !irq_enabled[irq];
}

void irqchip_init(uintptr_t dist_base, uintptr_t cpu_base)
{
    (void)dist_base;
    (void)cpu_base;
    for (unsigned i = 0; i <= HOST_MAX_IRQ; i++)
        irq_enabled[i] = false;
}

unsigned irqchip_max_irq(void) { return HOST_MAX_IRQ; }
void irqchip_end(unsigned irq) { (void)irq; }
void irqchip_mask(unsigned irq) { irq_enabled[irq] = false; }
void irqchip_unmask(unsigned irq) { irq_enabled[irq] = true; }
void irqchip_set_trigger(unsigned irq, bool edge) { (void)irq; (void)edge; }
/* One core on the host: nothing per core to set up, every line targets it. */
void irqchip_init_cpu(void) {}
void irqchip_set_target(unsigned irq, unsigned core) { (void)irq; (void)core; }

static bool timer_due(void)
{
    return armed && deadline <= now_ticks;
}

unsigned irqchip_acknowledge(void)
{
    /* The timer is a level interrupt: pending while the deadline has passed. */
    if (timer_due())
        return HOST_TIMER_IRQ;
    for (unsigned i = 0; i <= HOST_MAX_IRQ; i++) {
        if (irq_raised[i] && irq_at[i] <= now_ticks && irq_enabled[i]) {
            irq_raised[i] = false;
            return i;
        }
    }
    return IRQ_NONE;
}

/* WFI: sleep until the next interrupt, i.e. move the clock to it. */
void host_wfi(void)
{
    bool any = false;
    uint64_t next = ~0ull;
    if (armed) {
        any = true;
        next = deadline;
    }
    for (unsigned i = 0; i <= HOST_MAX_IRQ; i++) {
        if (irq_raised[i] && irq_enabled[i] && irq_at[i] < next) {
            any = true;
            next = irq_at[i];
        }
    }
    if (!any)
        FAIL("the kernel idles with no timer armed and no interrupt to come: it would sleep forever");
    if (next > now_ticks)
        now_ticks = next;
}

/* ---------------------------------------------------------------- system registers */

static word_t esr_value;

word_t host_read_sysreg(const char *name)
{
    if (strcmp(name, "esr_el1") == 0)
        return esr_value;
    return 0;
}

void host_write_sysreg(const char *name, word_t value)
{
    (void)name;
    (void)value;
}

uintptr_t kdev_address(enum kdev dev)
{
    (void)dev;
    return 0;
}

/* ---------------------------------------------------------------- caches, address spaces, FPU */

static unsigned cache_cleans;
unsigned host_cache_clean_calls(void) { return cache_cleans; }

void cache_clean_range(uintptr_t start, word_t size) { (void)start; (void)size; cache_cleans++; }
void cache_invalidate_range(uintptr_t start, word_t size) { (void)start; (void)size; }
void cache_clean_invalidate_range(uintptr_t start, word_t size) { (void)start; (void)size; cache_cleans++; }
void cache_unify_instruction_range(uintptr_t start, word_t size) { (void)start; (void)size; }
void clear_memory_to_ram(uintptr_t start, word_t size) { memset((void *)start, 0, size); cache_cleans++; }

unsigned host_vspace_activations;
void host_switch_to_thread(tcb_t *t) { (void)t; host_vspace_activations++; }
void vspace_roots_changed(void) {}
word_t vspace_idle_ttbr0(void) { return 0; }

/* The processor (arch/aarch64/cpu.c): idling waits on the fake clock. */
void arch_enter_idle(void) { }
/* Preemption points (kernel/preemption.h): an interrupt is pending when a
   test says so (host_set_interrupt_pending) or the fake timer has fired. */
static int pending_after = -1;
void host_preempt_after(int checks) { pending_after = checks; }
bool arch_interrupt_pending(void)
{
    if (pending_after < 0)
        return false;
    if (pending_after == 0) {
        pending_after = -1;
        return true;
    }
    pending_after--;
    return false;
}
void arch_wait_for_interrupt(void) { host_wfi(); }
_Noreturn void arch_halt(void) { abort(); }

bool fpu_handle_trap(tcb_t *t) { (void)t; return false; }
void fpu_release(tcb_t *t) { (void)t; }

/* Unmapping on delete (arch/aarch64/objects.c calls these): counted only. */
static unsigned unmaps;
unsigned host_unmap_calls(void) { return unmaps; }
void frame_unmap(cap_t frame) { (void)frame; unmaps++; }
void page_table_unmap(cap_t table) { (void)table; unmaps++; }
void asid_delete(unsigned asid, page_table_t *vspace) { (void)asid; (void)vspace; unmaps++; }
void asid_pool_delete(unsigned asid_base, asid_pool_t *pool) { (void)asid_base; (void)pool; unmaps++; }

/* Frame, page-table, ASID and SMC invocations are not part of these tests. */
seL4_Error decode_arch(invocation_t *inv)
{
    return inv_error(inv, seL4_IllegalOperation);
}

/* ---------------------------------------------------------------- user level */

static jmp_buf user_jmp;
static bool user_jmp_set;

_Noreturn void restore_user_context(user_context_t *ctx)
{
    CHECK_MSG(user_jmp_set, "eret with no test waiting for user level");
    CHECK_PTR_EQ(ctx, &current_thread->arch.ctx);
    longjmp(user_jmp, 1);
}

/* The trap handlers (arch/aarch64/traps.c) the vectors would call. */
_Noreturn void handle_user_sync(void);
_Noreturn void handle_user_irq(void);

tcb_t *host_exit_kernel(void)
{
    schedule();
    user_jmp_set = true;
    if (!setjmp(user_jmp))
        return_to_user();
    user_jmp_set = false;
    return current_thread;
}

tcb_t *host_syscall(long number)
{
    CHECK_MSG(current_thread, "system call with no current thread");
    tcb_t *caller = current_thread;
    for (;;) {
        word_t pc = caller->arch.ctx.elr;
        caller->arch.ctx.x[7] = (word_t)number;
        caller->arch.ctx.elr += 4;      /* the svc has executed */
        esr_value = (word_t)0x15 << 26;     /* EC = SVC64 */
        user_jmp_set = true;
        if (!setjmp(user_jmp))
            handle_user_sync();
        user_jmp_set = false;
        /* Restarted (its budget was used up at the svc, or a long operation
           was preempted): the thread makes the call again when it runs. */
        if (current_thread != caller || caller->arch.ctx.elr != pc)
            return current_thread;
    }
}

tcb_t *host_interrupt(void)
{
    CHECK_MSG(current_thread, "interrupt from user level with no current thread");
    user_jmp_set = true;
    if (!setjmp(user_jmp))
        handle_user_irq();
    user_jmp_set = false;
    return current_thread;
}

uint64_t host_run_until(uint64_t until)
{
    if (armed && deadline < until)
        until = deadline;
    if (until > now_ticks)
        now_ticks = until;
    return now_ticks;
}

/* ---------------------------------------------------------------- finalisation log */

cap_t __real_finalise_cap(cap_t cap, bool final);
cap_t __wrap_finalise_cap(cap_t cap, bool final);

#define FINALISE_LOG 65536
static struct { paddr_t base; enum cap_type type; } finalised[FINALISE_LOG];
static unsigned finalise_count, finalise_depth, finalise_max_depth;

/* Logs the finalisations of objects (last caps), not the steps of a zombie. */
cap_t __wrap_finalise_cap(cap_t cap, bool final)
{
    bool logged = final && cap_get_type(cap) != cap_zombie;
    if (logged) {
        paddr_t base = 0;
        word_t size = 0;
        cap_region(cap, &base, &size);
        if (finalise_count < FINALISE_LOG) {
            finalised[finalise_count].base = base;
            finalised[finalise_count].type = cap_get_type(cap);
        }
        finalise_count++;
    }
    finalise_depth++;
    if (finalise_depth > finalise_max_depth)
        finalise_max_depth = finalise_depth;
    cap_t rest = __real_finalise_cap(cap, final);
    finalise_depth--;
    return rest;
}

unsigned host_finalise_calls(void) { return finalise_count; }
void host_reset_finalised(void) { finalise_count = 0; }
unsigned host_finalise_max_depth(void) { return finalise_max_depth; }

unsigned host_finalised(const void *obj)
{
    unsigned n = 0;
    paddr_t p = paddr_from_ptr(obj);
    for (unsigned i = 0; i < finalise_count && i < FINALISE_LOG; i++)
        if (finalised[i].base == p && finalised[i].type != cap_untyped &&
            finalised[i].type != cap_zombie)
            n++;
    return n;
}

/* ---------------------------------------------------------------- memory */

void *host_alloc(unsigned size_bits)
{
    if (size_bits < 4)
        size_bits = 4;
    size_t size = (size_t)1 << size_bits;
    void *p = aligned_alloc(size, size);
    CHECK_MSG(p, "out of host memory (2^%u bytes)", size_bits);
    memset(p, 0, size);
    /* The physical window must reach it (see host.h). */
    CHECK((uintptr_t)p < (1ull << 48) - (1ull << PPTR_WINDOW_BITS));
    return p;
}

void *host_arena(unsigned size_bits)
{
    size_t size = (size_t)1 << size_bits;
    uint8_t *p = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                      -1, 0);
    CHECK_MSG(p != MAP_FAILED, "mmap of 2^%u bytes failed", size_bits + 1);
    uint8_t *aligned = (uint8_t *)ROUND_UP((uintptr_t)p, size_bits);
    CHECK((uintptr_t)aligned + size < (1ull << 48) - (1ull << PPTR_WINDOW_BITS));
    return aligned;
}

/* ---------------------------------------------------------------- objects */

cte_t *host_cnode(unsigned radix, unsigned guard_size, word_t guard, cap_t *cap)
{
    cte_t *slots = host_alloc(radix + seL4_SlotBits);
    *cap = cap_cnode_new(slots, radix, guard_size, guard);
    return slots;
}

endpoint_t *host_endpoint(cap_t *cap)
{
    endpoint_t *ep = host_alloc(seL4_EndpointBits);
    *cap = cap_ipc_new(cap_endpoint, ep, 0, RIGHTS_ALL);
    return ep;
}

notification_t *host_notification(cap_t *cap)
{
    notification_t *n = host_alloc(seL4_NotificationBits);
    *cap = cap_ipc_new(cap_notification, n, 0, RIGHT_READ | RIGHT_WRITE);
    return n;
}

tcb_t *host_tcb(unsigned prio)
{
    tcb_t *t = host_alloc(seL4_TCBBits);
    tcb_init(t);
    t->priority = (uint8_t)prio;
    t->mcp = 255;
    return t;
}

sched_context_t *host_sc(unsigned size_bits)
{
    return host_alloc(size_bits);  /* zeroed: an unconfigured SC */
}

unsigned host_cdt_length(cte_t *first)
{
    unsigned n = 0;
    cte_t *prev = mdb_prev(first);
    for (cte_t *c = first; c; c = mdb_next(c)) {
        CHECK_MSG(mdb_prev(c) == prev, "CDT list broken at entry %u: prev %p, expected %p",
                  n, (void *)mdb_prev(c), (void *)prev);
        CHECK_MSG(!cap_is_null(c->cap), "null cap in the CDT list at entry %u", n);
        prev = c;
        n++;
        CHECK_MSG(n < 10000000, "CDT list does not end");
    }
    return n;
}

/* ---------------------------------------------------------------- the caller's CSpace */

void env_give_ipc_buffer(tcb_t *t)
{
    void *page = host_alloc(seL4_PageBits);
    cte_delete(&t->caps[tcb_ipc_buffer_frame]);
    host_root(&t->caps[tcb_ipc_buffer_frame],
              cap_frame_new(paddr_from_ptr(page), frame_4k, vm_read_write, false));
    t->ipc_buffer = 0x7ffffffff000ull;
}

tcb_t *env_thread(env_t *e, word_t slot, unsigned prio)
{
    tcb_t *t = host_tcb(prio);
    host_root(&e->root[slot], cap_thread_new(t));
    cte_insert(e->root[ENV_CNODE].cap, &e->root[ENV_CNODE], &t->caps[tcb_cspace_root]);
    return t;
}

void env_init(env_t *e, unsigned radix)
{
    e->radix = radix;
    e->root = host_cnode(radix, seL4_WordBits - radix, 0, &e->root_cap);
    host_root(&e->root[ENV_CNODE], e->root_cap);
    e->caller = env_thread(e, ENV_TCB, 100);
    e->caller->state = thread_running;
    env_give_ipc_buffer(e->caller);
    e->ipc = ipc_buffer_of(e->caller);
    CHECK(e->ipc != NULL);
}

void *env_untyped(env_t *e, word_t slot, unsigned bits, bool device)
{
    void *mem;
    paddr_t base;
    if (device) {
        /* Never touched: device memory is not zeroed or mapped by the kernel. */
        base = ROUND_UP(0x40000000ull, bits);
        mem = ptr_from_paddr(base);
    } else {
        mem = host_arena(bits);
        base = paddr_from_ptr(mem);
    }
    host_root(&e->root[slot], cap_untyped_new(base, bits, device, 0));
    return mem;
}

word_t env_call(env_t *e, word_t cptr, word_t label, unsigned n, const word_t *mr,
                unsigned ncaps, const word_t *caps)
{
    tcb_t *t = e->caller;
    CHECK(n <= seL4_MsgMaxLength && ncaps <= seL4_MsgMaxExtraCaps);
    for (unsigned i = 0; i < n; i++) {
        if (i < seL4_FastMessageRegisters)
            t->arch.ctx.x[2 + i] = mr[i];
        else
            e->ipc[1 + i] = mr[i];
    }
    for (unsigned i = 0; i < ncaps; i++)
        e->ipc[1 + seL4_MsgMaxLength + 1 + i] = caps[i];
    t->arch.ctx.x[0] = cptr;
    t->arch.ctx.x[1] = seL4_MessageInfo_new(label, 0, ncaps, n).words[0];
    t->state = thread_running;
    handle_invocation(t, cptr, true, true, true);
    return seL4_MessageInfo_get_label((seL4_MessageInfo_t){ { t->arch.ctx.x[1] } });
}

word_t env_reply(env_t *e, unsigned i)
{
    if (i < seL4_FastMessageRegisters)
        return e->caller->arch.ctx.x[2 + i];
    return e->ipc[1 + i];
}

word_t env_reply_length(env_t *e)
{
    return seL4_MessageInfo_get_length((seL4_MessageInfo_t){ { e->caller->arch.ctx.x[1] } });
}

word_t env_retype(env_t *e, word_t ut, word_t type, word_t bits, word_t offset, word_t num)
{
    return env_call(e, ut, UntypedRetype, WORDS(type, bits, 0, 0, offset, num), 1,
                    (word_t[]){ ENV_CNODE });
}
