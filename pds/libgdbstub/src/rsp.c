/*
 * GDB's remote serial protocol: framing ($data#checksum, acknowledgements,
 * escapes) and the packets gdb needs to debug AArch64 processes: registers,
 * memory, software and hardware breakpoints, watchpoints, continue and step
 * (vCont), thread and process ids, the target description. Everything it
 * receives is checked: a malformed packet gets an error reply, never a
 * guess. See gdbstub.h for the model.
 */
#include <gdbstub.h>
#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

static const char target_xml[] =
    "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
    "<target version=\"1.0\"><architecture>aarch64</architecture>"
    "<feature name=\"org.gnu.gdb.aarch64.core\">"
    "<reg name=\"x0\" bitsize=\"64\" regnum=\"0\"/><reg name=\"x1\" bitsize=\"64\"/>"
    "<reg name=\"x2\" bitsize=\"64\"/><reg name=\"x3\" bitsize=\"64\"/>"
    "<reg name=\"x4\" bitsize=\"64\"/><reg name=\"x5\" bitsize=\"64\"/>"
    "<reg name=\"x6\" bitsize=\"64\"/><reg name=\"x7\" bitsize=\"64\"/>"
    "<reg name=\"x8\" bitsize=\"64\"/><reg name=\"x9\" bitsize=\"64\"/>"
    "<reg name=\"x10\" bitsize=\"64\"/><reg name=\"x11\" bitsize=\"64\"/>"
    "<reg name=\"x12\" bitsize=\"64\"/><reg name=\"x13\" bitsize=\"64\"/>"
    "<reg name=\"x14\" bitsize=\"64\"/><reg name=\"x15\" bitsize=\"64\"/>"
    "<reg name=\"x16\" bitsize=\"64\"/><reg name=\"x17\" bitsize=\"64\"/>"
    "<reg name=\"x18\" bitsize=\"64\"/><reg name=\"x19\" bitsize=\"64\"/>"
    "<reg name=\"x20\" bitsize=\"64\"/><reg name=\"x21\" bitsize=\"64\"/>"
    "<reg name=\"x22\" bitsize=\"64\"/><reg name=\"x23\" bitsize=\"64\"/>"
    "<reg name=\"x24\" bitsize=\"64\"/><reg name=\"x25\" bitsize=\"64\"/>"
    "<reg name=\"x26\" bitsize=\"64\"/><reg name=\"x27\" bitsize=\"64\"/>"
    "<reg name=\"x28\" bitsize=\"64\"/><reg name=\"x29\" bitsize=\"64\"/>"
    "<reg name=\"x30\" bitsize=\"64\"/>"
    "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>"
    "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>"
    "<reg name=\"cpsr\" bitsize=\"32\"/>"
    "</feature></target>";

/* ------------------------------------------------------------ replies */

static void out_byte(struct gdbstub *s, char c)
{
    if (s->reply_length < sizeof s->reply - 4)
        s->reply[s->reply_length++] = c;
}

static void out_text(struct gdbstub *s, const char *text)
{
    while (*text)
        out_byte(s, *text++);
}

static void out_hex_byte(struct gdbstub *s, uint8_t b)
{
    out_byte(s, hex_digits[b >> 4]);
    out_byte(s, hex_digits[b & 15]);
}

/* Little-endian bytes of a value, as registers travel. */
static void out_le(struct gdbstub *s, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        out_hex_byte(s, (uint8_t)(v >> (8 * i)));
}

/* A number as gdb writes them: hex, most significant first, no leading zeros. */
static void out_number(struct gdbstub *s, uint64_t v)
{
    char digits[16];
    int n = 0;
    do {
        digits[n++] = hex_digits[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        out_byte(s, digits[--n]);
}

static void begin_reply(struct gdbstub *s)
{
    s->reply_length = 0;
    out_byte(s, '$');
}

/* Close the packet ($...#cs) and send it; kept for a retransmission. */
static void send_reply(struct gdbstub *s)
{
    uint8_t sum = 0;
    for (size_t i = 1; i < s->reply_length; i++)
        sum = (uint8_t)(sum + (uint8_t)s->reply[i]);
    s->reply[s->reply_length++] = '#';
    s->reply[s->reply_length++] = hex_digits[sum >> 4];
    s->reply[s->reply_length++] = hex_digits[sum & 15];
    s->target->send(s->target->ctx, s->reply, s->reply_length);
}

static void reply_text(struct gdbstub *s, const char *text)
{
    begin_reply(s);
    out_text(s, text);
    send_reply(s);
}

/* E<nn>: gdb shows the number; 01 bad request, 02 target refused, 03 no such thread. */
#define E_REQUEST "E01"
#define E_TARGET "E02"
#define E_THREAD "E03"

/* ------------------------------------------------------------ parsing */

struct cursor {
    const char *p, *end;
};

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A hex number of 1..16 digits. */
static bool parse_number(struct cursor *c, uint64_t *out)
{
    uint64_t v = 0;
    unsigned digits = 0;
    while (c->p < c->end && hex_value(*c->p) >= 0) {
        if (++digits > 16)
            return false;
        v = (v << 4) | (uint64_t)hex_value(*c->p++);
    }
    *out = v;
    return digits > 0;
}

static bool expect(struct cursor *c, char ch)
{
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static bool at_end(const struct cursor *c)
{
    return c->p == c->end;
}

static bool starts_with(const struct cursor *c, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(c->end - c->p) >= n && memcmp(c->p, prefix, n) == 0;
}

/* Hex bytes into buf; exactly `len` of them. */
static bool parse_hex_bytes(struct cursor *c, uint8_t *buf, size_t len)
{
    if ((size_t)(c->end - c->p) < 2 * len)
        return false;
    for (size_t i = 0; i < len; i++) {
        int hi = hex_value(c->p[0]), lo = hex_value(c->p[1]);
        if (hi < 0 || lo < 0)
            return false;
        buf[i] = (uint8_t)(hi << 4 | lo);
        c->p += 2;
    }
    return true;
}

static uint64_t le_value(const uint8_t *b, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static bool valid_thread(const struct gdbstub *s, uint64_t t)
{
    return t >= 1 && t <= s->target->thread_count;
}

/*
 * A thread id: "p<pid>.<tid>", "p<pid>", "<tid>", "-1" (all) or "0" (any).
 * PD n is process n, thread 1 (or thread n without multiprocess). Returns
 * the thread number, 0 for "any", -1 for "all", -2 if malformed or unknown.
 */
static long parse_thread(struct gdbstub *s, struct cursor *c)
{
    uint64_t pid, tid;
    if (expect(c, '-')) {
        if (!expect(c, '1'))
            return -2;
        return -1;
    }
    if (expect(c, 'p')) {
        if (expect(c, '-'))
            return expect(c, '1') ? -1 : -2;
        if (!parse_number(c, &pid))
            return -2;
        if (expect(c, '.')) {
            if (expect(c, '-'))
                return expect(c, '1') && valid_thread(s, pid) ? (long)pid : -2;
            if (!parse_number(c, &tid) || (tid != 1 && tid != 0))
                return -2;
        }
        if (pid == 0)
            return 0;
        return valid_thread(s, pid) ? (long)pid : -2;
    }
    if (!parse_number(c, &tid))
        return -2;
    if (tid == 0)
        return 0;
    return valid_thread(s, tid) ? (long)tid : -2;
}

static void out_thread(struct gdbstub *s, unsigned t)
{
    if (s->multiprocess) {
        out_byte(s, 'p');
        out_number(s, t);
        out_text(s, ".1");
    } else {
        out_number(s, t);
    }
}

/* ------------------------------------------------------------ stop replies */

static void send_stop(struct gdbstub *s)
{
    static const uint8_t signal_of[] = {
        [GDBSTUB_STOP_BREAKPOINT] = 5, [GDBSTUB_STOP_STEP] = 5, [GDBSTUB_STOP_WATCHPOINT] = 5,
        [GDBSTUB_STOP_INTERRUPT] = 2, [GDBSTUB_STOP_FAULT] = 11,
    };
    begin_reply(s);
    out_byte(s, 'T');
    out_hex_byte(s, signal_of[s->stop_reason]);
    out_text(s, "thread:");
    out_thread(s, s->stop_thread);
    out_byte(s, ';');
    if (s->stop_reason == GDBSTUB_STOP_WATCHPOINT) {
        out_text(s, "watch:");
        out_number(s, s->stop_address);
        out_byte(s, ';');
    } else if (s->stop_reason == GDBSTUB_STOP_BREAKPOINT) {
        bool software = false;
        for (unsigned i = 0; i < GDBSTUB_MAX_SW_BREAKPOINTS; i++)
            if (s->sw[i].thread == s->stop_thread && s->sw[i].addr == s->stop_address)
                software = true;
        if (software && s->swbreak)
            out_text(s, "swbreak:;");
        else if (!software && s->hwbreak)
            out_text(s, "hwbreak:;");
    }
    send_reply(s);
}

void gdbstub_stopped(struct gdbstub *s, unsigned thread, enum gdbstub_stop reason,
                     uint64_t address)
{
    s->stop_thread = valid_thread(s, thread) ? thread : 1;
    s->stop_reason = reason <= GDBSTUB_STOP_FAULT ? reason : GDBSTUB_STOP_FAULT;
    s->stop_address = address;
    s->general_thread = s->stop_thread;
    if (s->running) {
        s->running = false;
        send_stop(s);
    }
}

/* ------------------------------------------------------------ registers and memory */

static uint64_t reg_get(const struct gdbstub_regs *r, unsigned n)
{
    return n < 31 ? r->x[n] : n == GDBSTUB_REG_SP ? r->sp : n == GDBSTUB_REG_PC ? r->pc : r->cpsr;
}

static void reg_set(struct gdbstub_regs *r, unsigned n, uint64_t v)
{
    if (n < 31)
        r->x[n] = v;
    else if (n == GDBSTUB_REG_SP)
        r->sp = v;
    else if (n == GDBSTUB_REG_PC)
        r->pc = v;
    else
        r->cpsr = (uint32_t)v;
}

static unsigned reg_bytes(unsigned n)
{
    return n == GDBSTUB_REG_CPSR ? 4 : 8;
}

static void cmd_read_registers(struct gdbstub *s)
{
    struct gdbstub_regs r;
    if (!s->target->get_regs(s->target->ctx, s->general_thread, &r)) {
        reply_text(s, E_TARGET);
        return;
    }
    begin_reply(s);
    for (unsigned n = 0; n < GDBSTUB_REG_COUNT; n++)
        out_le(s, reg_get(&r, n), reg_bytes(n));
    send_reply(s);
}

static void cmd_write_registers(struct gdbstub *s, struct cursor *c)
{
    struct gdbstub_regs r;
    for (unsigned n = 0; n < GDBSTUB_REG_COUNT; n++) {
        uint8_t b[8];
        if (!parse_hex_bytes(c, b, reg_bytes(n))) {
            reply_text(s, E_REQUEST);
            return;
        }
        reg_set(&r, n, le_value(b, reg_bytes(n)));
    }
    if (!at_end(c)) {
        reply_text(s, E_REQUEST);
        return;
    }
    reply_text(s, s->target->set_regs(s->target->ctx, s->general_thread, &r) ? "OK" : E_TARGET);
}

/* p<n> and P<n>=<value> */
static void cmd_register(struct gdbstub *s, struct cursor *c, bool write)
{
    uint64_t n;
    struct gdbstub_regs r;
    if (!parse_number(c, &n) || (write && !expect(c, '=')) || (!write && !at_end(c))) {
        reply_text(s, E_REQUEST);
        return;
    }
    if (n >= GDBSTUB_REG_COUNT) {
        reply_text(s, E_REQUEST);
        return;
    }
    if (!s->target->get_regs(s->target->ctx, s->general_thread, &r)) {
        reply_text(s, E_TARGET);
        return;
    }
    if (!write) {
        begin_reply(s);
        out_le(s, reg_get(&r, (unsigned)n), reg_bytes((unsigned)n));
        send_reply(s);
        return;
    }
    uint8_t b[8];
    if (!parse_hex_bytes(c, b, reg_bytes((unsigned)n)) || !at_end(c)) {
        reply_text(s, E_REQUEST);
        return;
    }
    reg_set(&r, (unsigned)n, le_value(b, reg_bytes((unsigned)n)));
    reply_text(s, s->target->set_regs(s->target->ctx, s->general_thread, &r) ? "OK" : E_TARGET);
}

/* "addr,len" with len within one reply. */
static bool parse_range(struct cursor *c, uint64_t *addr, uint64_t *len)
{
    return parse_number(c, addr) && expect(c, ',') && parse_number(c, len) &&
           *len <= GDBSTUB_PACKET_SIZE / 2 && *addr + *len >= *addr;
}

static void cmd_read_memory(struct gdbstub *s, struct cursor *c)
{
    uint64_t addr, len;
    uint8_t buf[GDBSTUB_PACKET_SIZE / 2];
    if (!parse_range(c, &addr, &len) || !at_end(c)) {
        reply_text(s, E_REQUEST);
        return;
    }
    size_t done = len ? s->target->read_mem(s->target->ctx, s->general_thread, addr, buf, len) : 0;
    if (len && done == 0) {
        reply_text(s, E_TARGET);
        return;
    }
    /* Our breakpoints are invisible to gdb: it sees the instructions it put back. */
    for (unsigned i = 0; i < GDBSTUB_MAX_SW_BREAKPOINTS; i++) {
        const struct gdbstub_sw_breakpoint *bp = &s->sw[i];
        if (bp->thread != s->general_thread)
            continue;
        for (unsigned k = 0; k < 4; k++)
            if (bp->addr + k >= addr && bp->addr + k < addr + done)
                buf[bp->addr + k - addr] = (uint8_t)(bp->saved >> (8 * k));
    }
    begin_reply(s);
    for (size_t i = 0; i < done; i++)
        out_hex_byte(s, buf[i]);
    send_reply(s);
}

/* M addr,len:hex  and  X addr,len:binary (already unescaped) */
static void cmd_write_memory(struct gdbstub *s, struct cursor *c, bool binary)
{
    uint64_t addr, len;
    uint8_t buf[GDBSTUB_PACKET_SIZE / 2];
    if (!parse_range(c, &addr, &len) || !expect(c, ':')) {
        reply_text(s, E_REQUEST);
        return;
    }
    if (binary) {
        if ((uint64_t)(c->end - c->p) != len) {
            reply_text(s, E_REQUEST);
            return;
        }
        memcpy(buf, c->p, len);
    } else if (!parse_hex_bytes(c, buf, len) || !at_end(c)) {
        reply_text(s, E_REQUEST);
        return;
    }
    if (len == 0) {
        reply_text(s, "OK");
        return;
    }
    size_t done = s->target->write_mem(s->target->ctx, s->general_thread, addr, buf, len);
    reply_text(s, done == len ? "OK" : E_TARGET);
}

/* ------------------------------------------------------------ breakpoints */

static struct gdbstub_sw_breakpoint *find_sw(struct gdbstub *s, unsigned thread, uint64_t addr)
{
    for (unsigned i = 0; i < GDBSTUB_MAX_SW_BREAKPOINTS; i++)
        if (s->sw[i].thread == thread && s->sw[i].addr == addr)
            return &s->sw[i];
    return NULL;
}

static bool insert_sw(struct gdbstub *s, unsigned thread, uint64_t addr)
{
    if (addr & 3)
        return false;
    if (find_sw(s, thread, addr))
        return true;
    struct gdbstub_sw_breakpoint *slot = find_sw(s, 0, 0);
    uint8_t old[4], brk[4];
    for (unsigned k = 0; k < 4; k++)
        brk[k] = (uint8_t)(GDBSTUB_BRK_INSTRUCTION >> (8 * k));
    if (!slot || s->target->read_mem(s->target->ctx, thread, addr, old, 4) != 4 ||
        s->target->write_mem(s->target->ctx, thread, addr, brk, 4) != 4)
        return false;
    *slot = (struct gdbstub_sw_breakpoint){ thread, addr, (uint32_t)le_value(old, 4) };
    return true;
}

static bool remove_sw(struct gdbstub *s, unsigned thread, uint64_t addr)
{
    struct gdbstub_sw_breakpoint *bp = find_sw(s, thread, addr);
    if (!bp)
        return true;    /* gdb may remove what it never managed to insert */
    uint8_t old[4];
    for (unsigned k = 0; k < 4; k++)
        old[k] = (uint8_t)(bp->saved >> (8 * k));
    bool ok = s->target->write_mem(s->target->ctx, thread, addr, old, 4) == 4;
    if (ok)
        *bp = (struct gdbstub_sw_breakpoint){ 0, 0, 0 };
    return ok;
}

/* Z<type>,<addr>,<kind> and z... */
static void cmd_breakpoint(struct gdbstub *s, struct cursor *c, bool insert)
{
    uint64_t type, addr, kind;
    if (!parse_number(c, &type) || !expect(c, ',') || !parse_number(c, &addr) ||
        !expect(c, ',') || !parse_number(c, &kind)) {
        reply_text(s, E_REQUEST);
        return;
    }
    /* Conditions and commands (";X...") are gdb's to evaluate: ignored. */
    if (!at_end(c) && *c->p != ';') {
        reply_text(s, E_REQUEST);
        return;
    }
    if (type > GDBSTUB_WATCH_ACCESS) {
        reply_text(s, "");      /* not supported: gdb falls back */
        return;
    }
    bool ok;
    if (type == 0) {
        if (kind != 4) {
            reply_text(s, E_REQUEST);
            return;
        }
        ok = insert ? insert_sw(s, s->general_thread, addr) : remove_sw(s, s->general_thread, addr);
    } else {
        bool (*op)(void *, unsigned, enum gdbstub_hw_kind, uint64_t, uint64_t) =
            insert ? s->target->set_hw : s->target->clear_hw;
        if (!op) {
            reply_text(s, "");
            return;
        }
        ok = op(s->target->ctx, s->general_thread, (enum gdbstub_hw_kind)type, addr, kind);
    }
    reply_text(s, ok ? "OK" : E_TARGET);
}

/* ------------------------------------------------------------ running */

static void run(struct gdbstub *s, unsigned step, bool others_run)
{
    s->running = true;
    s->target->resume(s->target->ctx, step, others_run);
}

/* c[addr] and s[addr]: the general thread (gdb's Hc is folded into Hg). */
static void cmd_continue(struct gdbstub *s, struct cursor *c, bool step)
{
    if (!at_end(c)) {
        uint64_t addr;
        struct gdbstub_regs r;
        if (!parse_number(c, &addr) || !at_end(c)) {
            reply_text(s, E_REQUEST);
            return;
        }
        if (!s->target->get_regs(s->target->ctx, s->general_thread, &r)) {
            reply_text(s, E_TARGET);
            return;
        }
        r.pc = addr;
        if (!s->target->set_regs(s->target->ctx, s->general_thread, &r)) {
            reply_text(s, E_TARGET);
            return;
        }
    }
    run(s, step ? s->general_thread : 0, true);
}

/* vCont;action[:thread]...: at most one thread steps; 'c' without a thread
 * lets the others run. Signals (C, S) are not delivered: PDs have none. */
static void cmd_vcont(struct gdbstub *s, struct cursor *c)
{
    unsigned step = 0;
    bool others_run = false, any = false;
    while (expect(c, ';')) {
        if (at_end(c)) {
            reply_text(s, E_REQUEST);
            return;
        }
        char action = *c->p++;
        if (action == 'C' || action == 'S') {
            uint64_t signal;
            if (!parse_number(c, &signal)) {
                reply_text(s, E_REQUEST);
                return;
            }
            action = action == 'C' ? 'c' : 's';
        }
        if (action != 'c' && action != 's' && action != 't') {
            reply_text(s, E_REQUEST);
            return;
        }
        long thread = -1;
        if (expect(c, ':')) {
            thread = parse_thread(s, c);
            if (thread == -2) {
                reply_text(s, E_THREAD);
                return;
            }
        }
        any = true;
        if (action == 's' && !step)
            step = thread > 0 ? (unsigned)thread : s->general_thread;
        else if (action == 'c')
            others_run = true;  /* all-stop: a thread that continues lets every thread run */
    }
    if (!any || !at_end(c)) {
        reply_text(s, E_REQUEST);
        return;
    }
    run(s, step, others_run || !step);
}

/* ------------------------------------------------------------ queries */

/* qXfer:features:read:target.xml:offset,length */
static void cmd_xfer_features(struct gdbstub *s, struct cursor *c)
{
    uint64_t offset, length;
    if (!starts_with(c, "target.xml:")) {
        reply_text(s, "E00");
        return;
    }
    c->p += strlen("target.xml:");
    if (!parse_number(c, &offset) || !expect(c, ',') || !parse_number(c, &length) || !at_end(c)) {
        reply_text(s, E_REQUEST);
        return;
    }
    size_t total = sizeof target_xml - 1;
    if (length > GDBSTUB_PACKET_SIZE - 1)
        length = GDBSTUB_PACKET_SIZE - 1;
    if (offset > total) {
        reply_text(s, E_REQUEST);
        return;
    }
    size_t n = total - offset < length ? total - offset : length;
    begin_reply(s);
    out_byte(s, offset + n < total ? 'm' : 'l');
    for (size_t i = 0; i < n; i++) {
        char ch = target_xml[offset + i];
        if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
            out_byte(s, '}');
            ch ^= 0x20;
        }
        out_byte(s, ch);
    }
    send_reply(s);
}

static void cmd_supported(struct gdbstub *s, struct cursor *c)
{
    /* gdb lists its features; note the ones that change our replies. */
    s->multiprocess = s->swbreak = s->hwbreak = false;
    while (!at_end(c)) {
        const char *start = c->p;
        while (c->p < c->end && *c->p != ';')
            c->p++;
        size_t n = (size_t)(c->p - start);
        if (n == 13 && memcmp(start, "multiprocess+", 13) == 0)
            s->multiprocess = true;
        if (n == 8 && memcmp(start, "swbreak+", 8) == 0)
            s->swbreak = true;
        if (n == 8 && memcmp(start, "hwbreak+", 8) == 0)
            s->hwbreak = true;
        expect(c, ';');
    }
    begin_reply(s);
    out_text(s, "PacketSize=");
    out_number(s, GDBSTUB_PACKET_SIZE);
    out_text(s, ";qXfer:features:read+;QStartNoAckMode+;vContSupported+");
    if (s->multiprocess)
        out_text(s, ";multiprocess+");
    if (s->swbreak)
        out_text(s, ";swbreak+");
    if (s->hwbreak)
        out_text(s, ";hwbreak+");
    send_reply(s);
}

static void cmd_thread_list(struct gdbstub *s)
{
    begin_reply(s);
    out_byte(s, 'm');
    for (unsigned t = 1; t <= s->target->thread_count; t++) {
        if (t > 1)
            out_byte(s, ',');
        out_thread(s, t);
    }
    send_reply(s);
}

static void cmd_extra_info(struct gdbstub *s, struct cursor *c)
{
    long t = parse_thread(s, c);
    if (t <= 0 || !at_end(c)) {
        reply_text(s, E_THREAD);
        return;
    }
    const char *name = s->target->thread_name ? s->target->thread_name(s->target->ctx, (unsigned)t) : "";
    begin_reply(s);
    for (size_t i = 0; name && name[i] && i < 64; i++)
        out_hex_byte(s, (uint8_t)name[i]);
    send_reply(s);
}

/* ------------------------------------------------------------ monitor commands */

/* Console output travels as O<hex text> packets before the command's
   final reply; gdb acknowledges each, and only the last packet sent can
   be retransmitted, so chunks are sent whole and a command's text is
   best kept short of a few packets. */
static void flush_console(struct gdbstub *s)
{
    if (!s->console_length)
        return;
    begin_reply(s);
    out_byte(s, 'O');
    for (size_t i = 0; i < s->console_length; i++)
        out_hex_byte(s, (uint8_t)s->console[i]);
    send_reply(s);
    s->console_length = 0;
}

void gdbstub_print(struct gdbstub *s, const char *text)
{
    for (; *text; text++) {
        if (s->console_length == sizeof s->console)
            flush_console(s);
        s->console[s->console_length++] = *text;
    }
}

/* qRcmd,<hex command> */
static void cmd_monitor(struct gdbstub *s, struct cursor *c)
{
    char command[GDBSTUB_PACKET_SIZE / 2 + 1];
    size_t n = (size_t)(c->end - c->p) / 2;
    if ((c->end - c->p) % 2 || !parse_hex_bytes(c, (uint8_t *)command, n)) {
        reply_text(s, E_REQUEST);
        return;
    }
    command[n] = '\0';
    if (!s->target->monitor) {
        reply_text(s, "");      /* gdb: the target does not support this command */
        return;
    }
    s->console_length = 0;
    if (!s->target->monitor(s->target->ctx, s, command)) {
        gdbstub_print(s, "unknown monitor command '");
        gdbstub_print(s, command);
        gdbstub_print(s, "' (monitor help lists them)\n");
    }
    flush_console(s);
    reply_text(s, "OK");
}

static void cmd_query(struct gdbstub *s, struct cursor *c)
{
    if (starts_with(c, "Supported")) {
        c->p += strlen("Supported");
        expect(c, ':');
        cmd_supported(s, c);
    } else if (starts_with(c, "Xfer:features:read:")) {
        c->p += strlen("Xfer:features:read:");
        cmd_xfer_features(s, c);
    } else if (starts_with(c, "Attached")) {
        reply_text(s, "1");
    } else if (starts_with(c, "C") && c->end - c->p == 1) {
        begin_reply(s);
        out_text(s, "QC");
        out_thread(s, s->general_thread);
        send_reply(s);
    } else if (starts_with(c, "fThreadInfo")) {
        cmd_thread_list(s);
    } else if (starts_with(c, "sThreadInfo")) {
        reply_text(s, "l");
    } else if (starts_with(c, "ThreadExtraInfo,")) {
        c->p += strlen("ThreadExtraInfo,");
        cmd_extra_info(s, c);
    } else if (starts_with(c, "Rcmd,")) {
        c->p += strlen("Rcmd,");
        cmd_monitor(s, c);
    } else {
        reply_text(s, "");
    }
}

/* Hg<thread> / Hc<thread>: both select the thread the next requests are about. */
static void cmd_set_thread(struct gdbstub *s, struct cursor *c)
{
    if (at_end(c) || (*c->p != 'g' && *c->p != 'c')) {
        reply_text(s, E_REQUEST);
        return;
    }
    c->p++;
    long t = parse_thread(s, c);
    if (t == -2 || !at_end(c)) {
        reply_text(s, E_THREAD);
        return;
    }
    if (t > 0)
        s->general_thread = (unsigned)t;
    reply_text(s, "OK");
}

static void detach(struct gdbstub *s)
{
    for (unsigned i = 0; i < GDBSTUB_MAX_SW_BREAKPOINTS; i++)
        if (s->sw[i].thread)
            remove_sw(s, s->sw[i].thread, s->sw[i].addr);
}

/* ------------------------------------------------------------ dispatch */

static void handle_packet(struct gdbstub *s)
{
    struct cursor c = { s->packet + 1, s->packet + s->length };
    s->packets++;
    if (s->length == 0) {
        reply_text(s, "");
        return;
    }
    if (s->running && s->packet[0] != 'v') {
        /* Only vCont? and interrupts are meaningful while the target runs. */
        reply_text(s, E_REQUEST);
        return;
    }
    switch (s->packet[0]) {
    case '?':
        send_stop(s);
        break;
    case 'g':
        at_end(&c) ? cmd_read_registers(s) : reply_text(s, E_REQUEST);
        break;
    case 'G':
        cmd_write_registers(s, &c);
        break;
    case 'p':
    case 'P':
        cmd_register(s, &c, s->packet[0] == 'P');
        break;
    case 'm':
        cmd_read_memory(s, &c);
        break;
    case 'M':
    case 'X':
        cmd_write_memory(s, &c, s->packet[0] == 'X');
        break;
    case 'Z':
    case 'z':
        cmd_breakpoint(s, &c, s->packet[0] == 'Z');
        break;
    case 'c':
    case 's':
        cmd_continue(s, &c, s->packet[0] == 's');
        break;
    case 'H':
        cmd_set_thread(s, &c);
        break;
    case 'T': {
        long t = parse_thread(s, &c);
        reply_text(s, t > 0 && at_end(&c) ? "OK" : E_THREAD);
        break;
    }
    case 'q':
        cmd_query(s, &c);
        break;
    case 'Q':
        if (starts_with(&c, "StartNoAckMode") && c.end - c.p == 14) {
            reply_text(s, "OK");
            s->no_ack = true;
        } else {
            reply_text(s, "");
        }
        break;
    case 'v':
        if (starts_with(&c, "Cont?") && c.end - c.p == 5)
            reply_text(s, "vCont;c;C;s;S;t");
        else if (s->running)
            reply_text(s, E_REQUEST);
        else if (starts_with(&c, "Cont;") || (starts_with(&c, "Cont") && c.end - c.p > 4)) {
            c.p += 4;
            cmd_vcont(s, &c);
        } else if (starts_with(&c, "MustReplyEmpty"))
            reply_text(s, "");
        else
            reply_text(s, "");
        break;
    case 'D':
        detach(s);
        reply_text(s, "OK");
        run(s, 0, true);
        s->running = false;     /* detached: no stop reply is owed */
        break;
    case 'k':
        detach(s);
        run(s, 0, true);
        s->running = false;
        break;
    default:
        reply_text(s, "");
        break;
    }
}

/* ------------------------------------------------------------ framing */

static void ack(struct gdbstub *s, char c)
{
    if (!s->no_ack)
        s->target->send(s->target->ctx, &c, 1);
}

void gdbstub_input(struct gdbstub *s, const char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = bytes[i];
        switch (s->state) {
        case GDBSTUB_IDLE:
            if (ch == '$') {
                s->state = GDBSTUB_DATA;
                s->length = 0;
                s->sum = 0;
                s->overflow = false;
            } else if (ch == 0x03 && s->running) {
                s->target->interrupt(s->target->ctx);
            } else if (ch == '-' && s->reply_length && !s->no_ack) {
                s->target->send(s->target->ctx, s->reply, s->reply_length);
            }
            break;      /* '+' and noise between packets: nothing to do */
        case GDBSTUB_DATA:
        case GDBSTUB_ESCAPE:
            if (ch == '#' && s->state == GDBSTUB_DATA) {
                s->state = GDBSTUB_CSUM1;
                break;
            }
            s->sum = (uint8_t)(s->sum + (uint8_t)ch);
            if (ch == '}' && s->state == GDBSTUB_DATA) {
                s->state = GDBSTUB_ESCAPE;
                break;
            }
            if (s->state == GDBSTUB_ESCAPE) {
                ch ^= 0x20;
                s->state = GDBSTUB_DATA;
            }
            if (s->length < GDBSTUB_PACKET_SIZE)
                s->packet[s->length++] = ch;
            else
                s->overflow = true;
            break;
        case GDBSTUB_CSUM1:
        case GDBSTUB_CSUM2: {
            int v = hex_value(ch);
            if (v < 0) {
                s->state = GDBSTUB_IDLE;
                s->bad_checksums++;
                ack(s, '-');
                break;
            }
            if (s->state == GDBSTUB_CSUM1) {
                s->received_sum = (uint8_t)(v << 4);
                s->state = GDBSTUB_CSUM2;
                break;
            }
            s->received_sum |= (uint8_t)v;
            s->state = GDBSTUB_IDLE;
            if (!s->no_ack && s->received_sum != s->sum) {
                s->bad_checksums++;
                ack(s, '-');
                break;
            }
            ack(s, '+');
            if (s->overflow) {
                reply_text(s, E_REQUEST);
                break;
            }
            s->packet[s->length] = '\0';
            handle_packet(s);
            break;
        }
        }
    }
}

void gdbstub_init(struct gdbstub *s, const struct gdbstub_target *target)
{
    memset(s, 0, sizeof *s);
    s->target = target;
    s->general_thread = 1;
    s->stop_thread = 1;
    s->stop_reason = GDBSTUB_STOP_INTERRUPT;
}
