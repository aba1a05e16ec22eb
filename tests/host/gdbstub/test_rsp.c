/*
 * Unit tests of the RSP engine (pds/libgdbstub) against the simulated
 * machine: framing, every packet it answers, and bad input of each kind.
 * Prints PASS/FAIL per test and "N passed, N failed".
 */
#include "fake_target.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;
static char failure[512];

static void note_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note_failure(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(failure, sizeof failure, fmt, ap);
    va_end(ap);
}

#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            note_failure(__VA_ARGS__);                                                    \
            return false;                                                                 \
        }                                                                                 \
    } while (0)

static struct fake *f;

/* Send one packet (checksummed) and return the data of the reply packet
 * ("" if none); *acked says whether the engine acknowledged with '+'. */
static const char *send_packet(const char *data, size_t len, bool *acked)
{
    static char reply[1 << 16];
    char frame[8192];
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (unsigned char)data[i];
    int n = snprintf(frame, sizeof frame, "$%.*s#%02x", (int)len, data, sum & 0xff);
    f->out_len = 0;
    f->out[0] = '\0';
    gdbstub_input(&f->stub, frame, (size_t)n);
    const char *p = f->out;
    if (acked)
        *acked = *p == '+';
    if (*p == '+')
        p++;
    reply[0] = '\0';
    if (*p == '$') {
        const char *end = strrchr(p, '#');
        unsigned s = 0;
        for (const char *q = p + 1; end && q < end; q++)
            s += (unsigned char)*q;
        unsigned got;
        if (!end || sscanf(end + 1, "%2x", &got) != 1 || got != (s & 0xff))
            return "<bad checksum in reply>";
        snprintf(reply, sizeof reply, "%.*s", (int)(end - p - 1), p + 1);
    }
    return reply;
}

static const char *tx(const char *data)
{
    return send_packet(data, strlen(data), NULL);
}

static bool setup_multiprocess(void)
{
    const char *r = tx("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=aarch64");
    CHECK(strstr(r, "multiprocess+") && strstr(r, "PacketSize=1000"), "qSupported: %s", r);
    return true;
}

static bool test_framing_and_acks(void)
{
    bool acked;
    const char *r = send_packet("?", 1, &acked);
    CHECK(acked, "no '+' for a good packet");
    CHECK(strcmp(r, "T02thread:1;") == 0, "initial stop: %s", r);
    f->out_len = 0;
    gdbstub_input(&f->stub, "$?#00", 5);
    CHECK(strcmp(f->out, "-") == 0, "bad checksum answered '%s', not '-'", f->out);
    f->out_len = 0;
    gdbstub_input(&f->stub, "-", 1);
    CHECK(strncmp(f->out, "$T02", 4) == 0, "'-' did not resend the last reply: %s", f->out);
    f->out_len = 0;
    gdbstub_input(&f->stub, "$?#zz", 5);
    CHECK(strcmp(f->out, "-") == 0, "non-hex checksum: '%s'", f->out);
    f->out_len = 0;
    gdbstub_input(&f->stub, "+++garbage", 10);
    CHECK(f->out_len == 0, "noise between packets answered: %s", f->out);
    return true;
}

static bool test_packet_too_long(void)
{
    static char big[GDBSTUB_PACKET_SIZE + 100];
    memset(big, 'm', sizeof big);
    const char *r = send_packet(big, sizeof big, NULL);
    CHECK(strcmp(r, "E01") == 0, "oversized packet: %s", r);
    CHECK(strcmp(tx("?"), "T02thread:1;") == 0, "engine unusable after an oversized packet");
    return true;
}

static bool test_no_ack_mode(void)
{
    bool acked;
    CHECK(strcmp(tx("QStartNoAckMode"), "OK") == 0, "QStartNoAckMode refused");
    send_packet("?", 1, &acked);
    CHECK(!acked, "still acknowledging after QStartNoAckMode");
    return true;
}

static bool test_target_xml(void)
{
    char xml[8192] = "";
    for (unsigned off = 0;;) {
        char q[64];
        snprintf(q, sizeof q, "qXfer:features:read:target.xml:%x,100", off);
        const char *r = tx(q);
        CHECK(r[0] == 'm' || r[0] == 'l', "chunk at %u: %s", off, r);
        strcat(xml, r + 1);
        off += (unsigned)strlen(r + 1);
        if (r[0] == 'l')
            break;
    }
    CHECK(strstr(xml, "<architecture>aarch64</architecture>") && strstr(xml, "org.gnu.gdb.aarch64.core") &&
          strstr(xml, "name=\"cpsr\" bitsize=\"32\""), "target.xml: %s", xml);
    CHECK(strcmp(tx("qXfer:features:read:other.xml:0,100"), "E00") == 0, "unknown annex accepted");
    CHECK(strcmp(tx("qXfer:features:read:target.xml:zz,100"), "E01") == 0, "bad offset accepted");
    CHECK(strcmp(tx("qXfer:features:read:target.xml:99999,10"), "E01") == 0, "offset past the end");
    return true;
}

static bool test_registers(void)
{
    const char *r = tx("g");
    CHECK(strlen(r) == (33 * 8 + 4) * 2, "g: %zu hex digits", strlen(r));
    CHECK(strncmp(r, "0001000000000000", 16) == 0, "x0 of thread 1 (0x100): %.16s", r);
    char g[1024];
    snprintf(g, sizeof g, "G%s", r);
    memcpy(g + 1, "efbeadde00000000", 16);
    CHECK(strcmp(tx(g), "OK") == 0, "G refused");
    CHECK(f->t[1].regs.x[0] == 0xdeadbeef, "G did not set x0");
    CHECK(strcmp(tx("p20"), "0000200000000000") == 0, "p20 (pc): %s", tx("p20"));
    CHECK(strcmp(tx("p21"), "00000000") == 0, "p21 (cpsr, 4 bytes): %s", tx("p21"));
    CHECK(strcmp(tx("P1f=0080210000000000"), "OK") == 0 && f->t[1].regs.sp == 0x218000, "P sp");
    CHECK(strcmp(tx("p22"), "E01") == 0, "register 34 accepted");
    CHECK(strcmp(tx("P1=12"), "E01") == 0, "short register value accepted");
    CHECK(strcmp(tx("Gzz"), "E01") == 0, "bad G accepted");
    CHECK(strcmp(tx("g1"), "E01") == 0, "g with arguments accepted");
    return true;
}

static bool test_memory(void)
{
    CHECK(strcmp(tx("m200000,4"), "1f2003d5") == 0, "m: %s", tx("m200000,4"));
    CHECK(strcmp(tx("M210000,4:01020304"), "OK") == 0, "M refused");
    CHECK(fake_get32(f, 1, 0x210000) == 0x04030201, "M wrote %08x", fake_get32(f, 1, 0x210000));
    /* X: binary with the escaped bytes } # $ * */
    const char x[] = "X210004,4:}]}\x03}\x04}\x0a";
    CHECK(strcmp(send_packet(x, sizeof x - 1, NULL), "OK") == 0, "X refused");
    CHECK(fake_get32(f, 1, 0x210004) == 0x2a24237du, "X wrote %08x", fake_get32(f, 1, 0x210004));
    CHECK(strcmp(tx("m100000,4"), "E02") == 0, "unmapped read: %s", tx("m100000,4"));
    CHECK(strcmp(tx("M100000,1:00"), "E02") == 0, "unmapped write accepted");
    CHECK(strcmp(tx("m200000"), "E01") == 0, "m without length accepted");
    CHECK(strcmp(tx("m200000,100000"), "E01") == 0, "m longer than a packet accepted");
    CHECK(strcmp(tx("mffffffffffffffff,10"), "E01") == 0, "wrapping range accepted");
    CHECK(strcmp(tx("M210000,2:0102"), "OK") == 0 && strcmp(tx("M210000,2:01"), "E01") == 0,
          "M with too few bytes accepted");
    CHECK(strcmp(tx("X210000,3:ab"), "E01") == 0, "X with a wrong length accepted");
    CHECK(strcmp(tx("m12345678901234567,1"), "E01") == 0, "17-digit address accepted");
    return true;
}

static bool test_software_breakpoint_and_step(void)
{
    if (!setup_multiprocess())
        return false;
    CHECK(strcmp(tx("Z0,200010,4"), "OK") == 0, "Z0 refused");
    CHECK(fake_get32(f, 1, 0x200010) == GDBSTUB_BRK_INSTRUCTION, "no BRK in memory");
    CHECK(strcmp(tx("m200010,4"), "1f2003d5") == 0, "gdb sees the BRK: %s", tx("m200010,4"));
    const char *r = tx("vCont;c");
    CHECK(strcmp(r, "T05thread:p1.1;swbreak:;") == 0, "continue: %s", r);
    CHECK(f->t[1].regs.pc == 0x200010, "stopped at %llx", (unsigned long long)f->t[1].regs.pc);
    CHECK(strcmp(tx("z0,200010,4"), "OK") == 0 && fake_get32(f, 1, 0x200010) == INSN_NOP, "z0");
    r = tx("vCont;s:p1.1");
    CHECK(strcmp(r, "T05thread:p1.1;") == 0 && f->t[1].regs.pc == 0x200014, "step: %s", r);
    CHECK(strcmp(tx("Z0,200011,4"), "E02") == 0, "misaligned breakpoint accepted");
    CHECK(strcmp(tx("Z0,200010,2"), "E01") == 0, "2-byte breakpoint accepted");
    CHECK(strcmp(tx("Z0,100000,4"), "E02") == 0, "breakpoint on unmapped memory accepted");
    CHECK(strcmp(tx("Z5,200010,4"), "") == 0, "unknown breakpoint type not 'unsupported'");
    CHECK(strcmp(tx("z0,200030,4"), "OK") == 0, "removing an absent breakpoint fails");
    return true;
}

static bool test_watchpoint_and_hw_breakpoint(void)
{
    if (!setup_multiprocess())
        return false;
    CHECK(strcmp(tx("Z2,210008,8"), "OK") == 0, "Z2 refused");
    const char *r = tx("vCont;c");
    CHECK(strcmp(r, "T05thread:p1.1;watch:210008;") == 0, "watch: %s", r);
    CHECK(f->t[1].regs.pc == 0x200020, "watchpoint stop at %llx", (unsigned long long)f->t[1].regs.pc);
    CHECK(strcmp(tx("z2,210008,8"), "OK") == 0, "z2");
    CHECK(strcmp(tx("Z1,200030,4"), "OK") == 0, "Z1 refused");
    r = tx("vCont;c");
    CHECK(strcmp(r, "T05thread:p1.1;hwbreak:;") == 0 && f->t[1].regs.pc == 0x200030, "hw break: %s", r);
    for (int i = 0; i < 3; i++)
        tx("Z1,200034,4");
    CHECK(strcmp(tx("Z1,200038,4"), "E02") == 0, "a fifth hardware breakpoint accepted");
    CHECK(strcmp(tx("z1,200038,4"), "E02") == 0, "removing an absent hardware breakpoint succeeds");
    return true;
}

static bool test_threads(void)
{
    if (!setup_multiprocess())
        return false;
    CHECK(strcmp(tx("qfThreadInfo"), "mp1.1,p2.1") == 0, "thread list: %s", tx("qfThreadInfo"));
    CHECK(strcmp(tx("qsThreadInfo"), "l") == 0, "end of thread list");
    CHECK(strcmp(tx("qThreadExtraInfo,p2.1"), "647269766572") == 0, "extra info: %s",
          tx("qThreadExtraInfo,p2.1"));
    CHECK(strcmp(tx("Hgp2.1"), "OK") == 0 && strcmp(tx("qC"), "QCp2.1") == 0, "Hg / qC");
    CHECK(strncmp(tx("g"), "0002000000000000", 16) == 0, "registers of thread 2");
    CHECK(strcmp(tx("m200000,4"), "00000014") == 0, "memory of thread 2: %s", tx("m200000,4"));
    CHECK(strcmp(tx("Hgp3.1"), "E03") == 0, "unknown process accepted");
    CHECK(strcmp(tx("Hgp1.2"), "E03") == 0, "second thread of a process accepted");
    CHECK(strcmp(tx("Tp2.1"), "OK") == 0 && strcmp(tx("Tp9.1"), "E03") == 0, "thread alive");
    CHECK(strcmp(tx("Hg-1"), "OK") == 0 && strcmp(tx("Hx1"), "E01") == 0, "Hg-1 / bad H");
    CHECK(strcmp(tx("qAttached"), "1") == 0, "qAttached");
    return true;
}

static bool test_interrupt_and_running(void)
{
    if (!setup_multiprocess())
        return false;
    CHECK(strcmp(tx("P20=4000200000000000"), "OK") == 0, "pc to the spin");
    const char *r = tx("vCont;c");
    CHECK(strcmp(r, "") == 0, "spinning threads stopped: %s", r);
    CHECK(strcmp(tx("g"), "E01") == 0, "registers read while running");
    CHECK(strcmp(tx("vCont?"), "vCont;c;C;s;S;t") == 0, "vCont? while running");
    f->out_len = 0;
    gdbstub_input(&f->stub, "\x03", 1);
    CHECK(strstr(f->out, "$T02thread:p1.1;#"), "interrupt: %s", f->out);
    return true;
}

static bool test_bad_requests(void)
{
    CHECK(strcmp(tx("vCont;x"), "E01") == 0, "vCont;x accepted");
    CHECK(strcmp(tx("vCont;s:p7.1"), "E03") == 0, "step of an unknown thread accepted");
    CHECK(strcmp(tx("vCont"), "E01") == 0 || strcmp(tx("vCont"), "") == 0, "bare vCont");
    CHECK(strcmp(tx("cxyz"), "E01") == 0, "c with a bad address accepted");
    CHECK(strcmp(tx("qUnknownThing"), "") == 0, "unknown query not 'unsupported'");
    CHECK(strcmp(tx("!"), "") == 0, "unknown packet not 'unsupported'");
    CHECK(strcmp(tx(""), "") == 0, "empty packet");
    CHECK(strcmp(tx("Z0,zz,4"), "E01") == 0, "bad Z accepted");
    return true;
}

static bool test_detach_removes_breakpoints(void)
{
    CHECK(strcmp(tx("Z0,200010,4"), "OK") == 0, "Z0");
    CHECK(strcmp(tx("D"), "OK") == 0, "detach");
    CHECK(fake_get32(f, 1, 0x200010) == INSN_NOP, "breakpoint left in memory after detach");
    return true;
}

static bool test_continue_at_address(void)
{
    CHECK(strcmp(tx("Z0,200018,4"), "OK") == 0, "Z0");
    const char *r = tx("c200014");
    CHECK(strcmp(r, "T05thread:1;") == 0 && f->t[1].regs.pc == 0x200018, "c addr: %s", r);
    r = tx("s");
    CHECK(strncmp(r, "T05", 3) == 0, "s: %s", r);
    return true;
}

/* The O packets of a monitor command's output in f->out, decoded, and
   whether the final reply was OK; every packet's checksum checked. */
static bool console_output(char *text, size_t size, bool *ok, int *packets)
{
    size_t n = 0;
    *ok = false;
    *packets = 0;
    for (const char *p = f->out; (p = strchr(p, '$')) != NULL;) {
        const char *end = strchr(p, '#');
        if (!end || strlen(end) < 3)
            return false;
        unsigned sum = 0, got;
        for (const char *q = p + 1; q < end; q++)
            sum += (unsigned char)*q;
        if (sscanf(end + 1, "%2x", &got) != 1 || got != (sum & 0xff))
            return false;
        if (end - p == 3 && strncmp(p + 1, "OK", 2) == 0) {
            *ok = true;
        } else if (p[1] == 'O' && end - p > 2) {
            (*packets)++;
            for (const char *q = p + 2; q + 1 < end && n + 1 < size; q += 2) {
                unsigned byte;
                if (sscanf(q, "%2x", &byte) != 1)
                    return false;
                text[n++] = (char)byte;
            }
        }
        p = end + 3;
    }
    text[n] = '\0';
    return true;
}

static const char *monitor(const char *command)
{
    static char packet[512];
    int n = snprintf(packet, sizeof packet, "qRcmd,");
    for (const char *c = command; *c && n < (int)sizeof packet - 3; c++)
        n += snprintf(packet + n, sizeof packet - (size_t)n, "%02x", (unsigned char)*c);
    tx(packet);
    return packet;
}

static bool test_monitor_commands(void)
{
    static char text[1 << 15];
    bool ok;
    int packets;
    monitor("echo hello there");
    CHECK(console_output(text, sizeof text, &ok, &packets), "bad packets: %s", f->out);
    CHECK(ok && packets == 1 && strcmp(text, "hello there\n") == 0, "echo: %d packets, '%s', ok %d",
          packets, text, ok);
    monitor("long 100");        /* 5000 characters: five packets */
    CHECK(console_output(text, sizeof text, &ok, &packets), "bad packets: %s", f->out);
    CHECK(ok && packets == 5 && strlen(text) == 5000 && strncmp(text + 4950, "line 0099 ", 10) == 0,
          "long: %d packets, %zu characters", packets, strlen(text));
    monitor("frobnicate");
    CHECK(console_output(text, sizeof text, &ok, &packets), "bad packets: %s", f->out);
    CHECK(ok && strstr(text, "unknown monitor command 'frobnicate'"), "unknown: '%s'", text);
    CHECK(strcmp(tx("qRcmd,6"), "E01") == 0, "odd hex accepted");
    CHECK(strcmp(tx("qRcmd,zz"), "E01") == 0, "bad hex accepted");
    f->target.monitor = NULL;
    CHECK(strcmp(tx("qRcmd,6869"), "") == 0, "a target without monitor commands answered");
    return true;
}

int main(void)
{
    static const struct {
        const char *name;
        bool (*fn)(void);
    } tests[] = {
        { "framing-and-acks", test_framing_and_acks },
        { "packet-too-long", test_packet_too_long },
        { "no-ack-mode", test_no_ack_mode },
        { "target-xml", test_target_xml },
        { "registers", test_registers },
        { "memory", test_memory },
        { "software-breakpoint-and-step", test_software_breakpoint_and_step },
        { "watchpoint-and-hw-breakpoint", test_watchpoint_and_hw_breakpoint },
        { "threads", test_threads },
        { "interrupt-and-running", test_interrupt_and_running },
        { "bad-requests", test_bad_requests },
        { "detach-removes-breakpoints", test_detach_removes_breakpoints },
        { "continue-at-address", test_continue_at_address },
        { "monitor-commands", test_monitor_commands },
    };
    f = malloc(sizeof *f);
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
        fake_init(f);
        failure[0] = '\0';
        if (tests[i].fn()) {
            passed++;
            printf("PASS gdbstub/%s\n", tests[i].name);
        } else {
            failed++;
            printf("FAIL gdbstub/%s: %s\n", tests[i].name, failure);
        }
    }
    free(f);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
