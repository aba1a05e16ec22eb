/*
 * The debug PD's monitor commands (gdb: `monitor COMMAND`): the kernel's
 * state as the kernel gives it to a debugger, kstate_read
 * (kernel/uapi/kstate.h; debug kernels only), written to gdb's console.
 *
 *   monitor help
 *   monitor threads         every thread the kernel knows: state, priority,
 *                           scheduler queue, scheduling context (budget,
 *                           period, time consumed, refills), name
 *   monitor cspace [PD]     the capabilities of a PD we debug (default: the
 *                           one gdb has selected), slot by slot, with their
 *                           types, rights, badges and objects
 *
 * The same tables as the gdb extension's `kernel threads` and `pd cspace`
 * in QEMU (scripts/pddebug), which read the kernel's memory instead.
 */
#include "kernel_state.h"

#include <format.h>
#include <kstate.h>
#include <string.h>

/* ------------------------------------------------------------ output */

static struct gdbstub *out;

static void put(char c, void *ctx)
{
    (void)ctx;
    char s[2] = { c, '\0' };
    gdbstub_print(out, s);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_va(put, NULL, fmt, ap);
    va_end(ap);
}

/* ticks of hz as microseconds, without overflowing */
static uint64_t us(uint64_t ticks, uint64_t hz)
{
    return hz ? ticks / hz * 1000000 + ticks % hz * 1000000 / hz : 0;
}

#ifdef CONFIG_DEBUG_BUILD

/* The record kstate_read wrote (the message words of our IPC buffer). */
static const void *record(void)
{
    return &seL4_GetIPCBuffer()->msg[0];
}

/* ------------------------------------------------------------ threads */

static const char *queue_name(uint64_t q)
{
    static const char *const names[] = {
        [KSTATE_QUEUE_NONE] = "none", [KSTATE_QUEUE_READY] = "ready",
        [KSTATE_QUEUE_RELEASE] = "release", [KSTATE_QUEUE_CANDIDATE] = "candidate",
    };
    return q < sizeof names / sizeof *names ? names[q] : "?";
}

static void cmd_threads(void)
{
    bool first = true;
    seL4_Word next;
    for (seL4_Word cursor = 0; kstate_read(KSTATE_THREAD, cursor, 0, 0, &next) == seL4_NoError;
         cursor = next + 1) {
        struct kstate_thread t;
        memcpy(&t, record(), sizeof t);
        if (first) {
            say("kernel clock %lu ticks (%lu us, %lu Hz); * = current thread\n",
                (unsigned long)t.now, (unsigned long)us(t.now, t.timer_hz), (unsigned long)t.timer_hz);
            say("  %-18s %-16s %-23s %4s %4s %-9s %21s %11s %7s\n", "TCB", "name", "state", "prio",
                "mcp", "queue", "budget/period us", "consumed us", "refills");
            first = false;
        }
        char sc[32] = "-", consumed[16] = "-", refills[8] = "-";
        if (t.has_sc) {
            format_buf(sc, sizeof sc, "%lu/%lu", (unsigned long)us(t.sc_budget, t.timer_hz),
                       (unsigned long)us(t.sc_period, t.timer_hz));
            format_buf(consumed, sizeof consumed, "%lu", (unsigned long)us(t.sc_consumed, t.timer_hz));
            format_buf(refills, sizeof refills, "%lu", (unsigned long)t.sc_refills);
        }
        say("%c 0x%016lx %-16s %-23s %4lu %4lu %-9s %21s %11s %7s\n", t.current ? '*' : ' ',
            (unsigned long)t.tcb, t.name[0] ? t.name : "(unnamed)", kstate_thread_state_name(t.state),
            (unsigned long)t.priority, (unsigned long)t.mcp, queue_name(t.queue), sc, consumed,
            refills);
    }
    if (first)
        say("no threads (the kernel's list is empty)\n");
}

/* ------------------------------------------------------------ CSpace */

static const char *cap_name(uint64_t type)
{
    switch (type) {
    case KSTATE_CAP_NULL: return "null";
    case KSTATE_CAP_FRAME: return "frame";
    case KSTATE_CAP_UNTYPED: return "untyped";
    case KSTATE_CAP_PAGE_TABLE: return "page_table";
    case KSTATE_CAP_ENDPOINT: return "endpoint";
    case KSTATE_CAP_NOTIFICATION: return "notification";
    case KSTATE_CAP_REPLY: return "reply";
    case KSTATE_CAP_VSPACE: return "vspace";
    case KSTATE_CAP_CNODE: return "cnode";
    case KSTATE_CAP_ASID_CONTROL: return "asid_control";
    case KSTATE_CAP_THREAD: return "thread";
    case KSTATE_CAP_ASID_POOL: return "asid_pool";
    case KSTATE_CAP_IRQ_CONTROL: return "irq_control";
    case KSTATE_CAP_VCPU: return "vcpu";
    case KSTATE_CAP_IRQ_HANDLER: return "irq_handler";
    case KSTATE_CAP_ZOMBIE: return "zombie";
    case KSTATE_CAP_DOMAIN: return "domain";
    case KSTATE_CAP_SCHED_CONTEXT: return "sched_context";
    case KSTATE_CAP_SCHED_CONTROL: return "sched_control";
    case KSTATE_CAP_SMC: return "smc";
    default: return "?";
    }
}

/* seL4_CapRights as the gdb extension writes them: R W G g (grant reply). */
static void rights_text(uint64_t r, char text[5])
{
    text[0] = r & 2 ? 'R' : '-';
    text[1] = r & 1 ? 'W' : '-';
    text[2] = r & 4 ? 'G' : '-';
    text[3] = r & 8 ? 'g' : '-';
    text[4] = '\0';
}

static void describe(const struct kstate_cap *c)
{
    char rights[5];
    say("%-13s", cap_name(c->type));
    if (c->object)
        say(" @0x%lx", (unsigned long)c->object);
    switch (c->type) {
    case KSTATE_CAP_ENDPOINT:
    case KSTATE_CAP_NOTIFICATION:
        rights_text(c->rights, rights);
        say("  rights %s  badge 0x%lx", rights, (unsigned long)c->badge);
        break;
    case KSTATE_CAP_CNODE:
        say("  radix %lu  guard_bits %lu  guard 0x%lx", (unsigned long)c->a, (unsigned long)c->b,
            (unsigned long)c->c);
        break;
    case KSTATE_CAP_FRAME:
        rights_text(c->rights, rights);
        say("  %lu KiB  rights %s%s", (unsigned long)(1ul << c->a) / 1024, rights,
            c->b & KSTATE_CAP_DEVICE ? "  device" : "");
        if (c->b & KSTATE_CAP_MAPPED)
            say("  mapped 0x%lx asid %lu", (unsigned long)c->c, (unsigned long)c->d);
        break;
    case KSTATE_CAP_PAGE_TABLE:
    case KSTATE_CAP_VSPACE:
        if (c->b & KSTATE_CAP_MAPPED)
            say("  mapped 0x%lx asid %lu", (unsigned long)c->c, (unsigned long)c->d);
        break;
    case KSTATE_CAP_UNTYPED:
        say("  2^%lu bytes  free from %lu%s", (unsigned long)c->a, (unsigned long)c->c,
            c->b & KSTATE_CAP_DEVICE ? "  device" : "");
        break;
    case KSTATE_CAP_REPLY:
        say("  can_grant %s", c->a ? "True" : "False");
        break;
    case KSTATE_CAP_IRQ_HANDLER:
        say("  irq %lu", (unsigned long)c->a);
        break;
    case KSTATE_CAP_SCHED_CONTROL:
        say("  core %lu", (unsigned long)c->a);
        break;
    case KSTATE_CAP_SMC:
        say("  badge 0x%lx", (unsigned long)c->badge);
        break;
    default:
        break;
    }
    say("\n");
}

/* A walk of one thread's CSpace: lookups are bounded, and a CNode is not
   entered again below itself (a CSpace may contain its own root). */
#define MAX_LOOKUPS 8192
#define MAX_LEVELS 8

struct walk {
    seL4_CPtr tcb;
    unsigned lookups, shown;
    uint64_t path_objects[MAX_LEVELS];
    unsigned path_slots[MAX_LEVELS];
};

static void walk_cnode(struct walk *w, const struct kstate_cap *node, uint64_t prefix,
                       unsigned prefix_bits, unsigned level)
{
    unsigned radix = (unsigned)node->a, guard_bits = (unsigned)node->b;
    unsigned depth = prefix_bits + guard_bits + radix;
    if (depth > 64 || level >= MAX_LEVELS)
        return;
    w->path_objects[level] = node->object;
    uint64_t base = guard_bits + radix >= 64 ? 0 : prefix << (guard_bits + radix);
    base |= (guard_bits ? node->c : 0) << radix;
    for (uint64_t slot = 0; slot < (1ull << radix); slot++) {
        if (w->lookups++ == MAX_LOOKUPS) {
            say("... stopped after %u lookups\n", MAX_LOOKUPS);
            return;
        }
        uint64_t value = base | slot;
        if (kstate_read(KSTATE_CAP, w->tcb, value, depth, NULL) != seL4_NoError)
            continue;
        struct kstate_cap c;
        memcpy(&c, record(), sizeof c);
        if (c.type == KSTATE_CAP_NULL)
            continue;
        w->path_slots[level] = (unsigned)slot;
        char path[64];
        size_t n = 0;
        for (unsigned i = 0; i <= level; i++)
            n += format_buf(path + n, sizeof path - n, i ? ".%u" : "%u", w->path_slots[i]);
        /* The CPtr a program of this PD uses: the path's bits at the top
           of a full 64-bit lookup. */
        uint64_t cptr = depth == 64 ? value : value << (64 - depth);
        say("  %-10s 0x%-18lx ", path, (unsigned long)cptr);
        describe(&c);
        w->shown++;
        bool again = false;
        for (unsigned i = 0; i <= level; i++)
            again |= w->path_objects[i] == c.object;
        if (c.type == KSTATE_CAP_CNODE && depth < 64 && !again)
            walk_cnode(w, &c, value, depth, level + 1);
    }
}

static void cmd_cspace(const struct kernel_state_pd *pd)
{
    if (kstate_read(KSTATE_CAP, pd->tcb, 0, 0, NULL) != seL4_NoError) {
        say("cannot read the CSpace of '%s'\n", pd->name);
        return;
    }
    struct kstate_cap root;
    memcpy(&root, record(), sizeof root);
    if (root.type != KSTATE_CAP_CNODE) {
        say("'%s' has no CSpace root (%s)\n", pd->name, cap_name(root.type));
        return;
    }
    say("CSpace of PD '%s'\n", pd->name);
    say("  root CNode @0x%lx: %lu slots, guard %lu bits = 0x%lx\n", (unsigned long)root.object,
        1ul << root.a, (unsigned long)root.b, (unsigned long)root.c);
    say("  %-10s %-20s cap\n", "slot", "CPtr");
    struct walk w = { .tcb = pd->tcb };
    walk_cnode(&w, &root, 0, 0, 0);
    say("%u capabilities\n", w.shown);
}

#endif /* CONFIG_DEBUG_BUILD */

/* ------------------------------------------------------------ commands */

static void cmd_help(void)
{
    say("monitor commands of the debug PD:\n"
        "  monitor threads       every thread: state, priority, queue, scheduling context\n"
        "  monitor cspace [PD]   a debugged PD's capabilities (default: the selected one)\n"
        "  monitor help          this\n");
}

/* The command's first word is `word` (then a space or the end). */
static const char *argument(const char *command, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(command, word, n) != 0 || (command[n] != '\0' && command[n] != ' '))
        return NULL;
    command += n;
    while (*command == ' ')
        command++;
    return command;
}

bool kernel_state_command(struct gdbstub *stub, const char *command,
                          const struct kernel_state_pd *pds, unsigned count, unsigned selected)
{
    out = stub;
    while (*command == ' ')
        command++;
    const char *arg;
    if (!*command || argument(command, "help")) {
        cmd_help();
        return true;
    }
    bool threads = argument(command, "threads") != NULL;
    arg = argument(command, "cspace");
    if (!threads && !arg)
        return false;
#ifdef CONFIG_DEBUG_BUILD
    if (threads) {
        cmd_threads();
        return true;
    }
    const struct kernel_state_pd *pd = NULL;
    for (unsigned i = 0; i < count; i++)
        if (*arg ? strcmp(pds[i].name, arg) == 0 : i + 1 == selected)
            pd = &pds[i];
    if (!pd) {
        say("no PD '%s' to debug; these are: ", arg);
        for (unsigned i = 0; i < count; i++)
            say(i ? ", %s" : "%s", pds[i].name);
        say("\n");
        return true;
    }
    cmd_cspace(pd);
#else
    (void)pds;
    (void)count;
    (void)selected;
    say("the kernel's state needs a debug kernel (CONFIG_DEBUG_BUILD=y)\n");
#endif
    return true;
}
