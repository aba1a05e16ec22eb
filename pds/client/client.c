/* client: calls the passive server (sdf/ppc.system) with several message
 * words, more than the four that travel in registers. */
#include <microkit.h>

#define SERVER 0
#define OP_SUM 1
#define OP_REVERSE 2

static void put_words(const char *what, unsigned count)
{
    microkit_dbg_puts(what);
    for (unsigned i = 0; i < count; i++) {
        microkit_dbg_puts(i ? " " : "");
        microkit_dbg_put32((seL4_Uint32)microkit_mr_get(i));
    }
    microkit_dbg_puts("\n");
}

void init(void)
{
    static const seL4_Word values[] = { 7, 3, 12, 5, 9, 1, 20, 8 };
    unsigned n = sizeof values / sizeof *values;

    for (unsigned i = 0; i < n; i++)
        microkit_mr_set(i, values[i]);
    microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(OP_SUM, n));
    if (microkit_msginfo_get_label(reply) != OP_SUM || microkit_msginfo_get_count(reply) != 4)
        microkit_dbg_puts("client: unexpected reply to OP_SUM\n");
    put_words("client: sum, count, min, max = ", 4);

    for (unsigned i = 0; i < n; i++)
        microkit_mr_set(i, values[i]);
    reply = microkit_ppcall(SERVER, microkit_msginfo_new(OP_REVERSE, n));
    put_words("client: reversed = ", (unsigned)microkit_msginfo_get_count(reply));

    reply = microkit_ppcall(SERVER, microkit_msginfo_new(42, 0));
    microkit_dbg_puts("client: unknown operation answered with label ");
    microkit_dbg_put32((seL4_Uint32)microkit_msginfo_get_label(reply));
    microkit_dbg_puts("\n");

    microkit_notify(SERVER);
    microkit_dbg_puts("client: done\n");
}

void notified(microkit_channel ch)
{
    if (ch == SERVER)
        microkit_dbg_puts("client: the server said it was ready\n");
}
