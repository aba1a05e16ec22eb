#include <stdint.h>
#include <microkit.h>

#define SERVER 3

void init(void)
{
    microkit_dbg_puts("client: hello from ");
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("\n");
    microkit_mr_set(0, 40);
    microkit_mr_set(1, 2);
    microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(1, 2));
    microkit_dbg_puts("client: the server says 40 + 2 = ");
    microkit_dbg_put32(microkit_mr_get(0));
    microkit_dbg_puts(microkit_msginfo_get_label(reply) == 0 ? "\n" : " (error)\n");
    microkit_dbg_puts("client: done\n");
}

void notified(microkit_channel ch)
{
}
