#include <stdint.h>
#include <microkit.h>

#define WORKERS 3       /* channels 1..3: one worker on each other core */
#define ADDER 4
#define ROUNDS 100

static unsigned rounds_done, answered;

static void start_round(void)
{
    answered = 0;
    for (microkit_channel ch = 1; ch <= WORKERS; ch++)
        microkit_notify(ch);
}

void init(void)
{
    microkit_dbg_puts("hub: pinging the workers on cores 1, 2 and 3\n");
    start_round();
}

void notified(microkit_channel ch)
{
    if (ch < 1 || ch > WORKERS)
        return;
    if (++answered < WORKERS)
        return;
    if (++rounds_done < ROUNDS) {
        start_round();
        return;
    }
    microkit_dbg_puts("hub: 100 rounds answered by all three workers\n");
    microkit_mr_set(0, 40);
    microkit_mr_set(1, 2);
    microkit_msginfo reply = microkit_ppcall(ADDER, microkit_msginfo_new(0, 2));
    microkit_dbg_puts("hub: the adder on core 3 says 40 + 2 = ");
    microkit_dbg_put32(microkit_mr_get(0));
    microkit_dbg_puts(microkit_msginfo_get_label(reply) == 0 ? "\n" : " (error)\n");
    microkit_dbg_puts("hub: done\n");
}
