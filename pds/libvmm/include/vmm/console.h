/*
 * The guest's console: an emulated PL011 (pl011.h) at a guest-physical
 * address, its interrupt raised on the virtual GIC, its output written a
 * line at a time to the VMM's output (optionally prefixed, so that two
 * guests sharing one serial port stay readable), its input fed by the VMM
 * from wherever the product's input comes from (vmm_console_input).
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <vmm/pl011.h>
#include <vmm/vmm.h>

#define VMM_CONSOLE_LINE    256

struct vmm_console {
    struct pl011 uart;
    struct vmm_guest *guest;
    unsigned irq;
    const char *prefix;         /* written before each line; NULL: none */
    void (*write)(const char *s);   /* where lines go; NULL: vmm_arch_puts */
    char line[VMM_CONSOLE_LINE + 1];
    unsigned len;
    unsigned written;           /* of the line's len bytes, already written out */
    /* Called with every complete line the guest writes (without its
     * newline), e.g. to spot "Kernel panic", also when parts of it were
     * written out early (the guest idled in between: another vCPU's
     * output may have interrupted the line's); NULL: none. */
    void (*on_line)(struct vmm_console *c, const char *line);
    /* Where input comes from: the next byte, or -1 if none waits (then
     * the VMM calls vmm_console_pull when more arrives); NULL: only
     * vmm_console_input. Pulled while the receive FIFO has room, and
     * again whenever the guest has read from it. */
    int (*read)(void);
};

/* Emulate a PL011 at `base` with interrupt `irq` for guest `g`. */
bool vmm_console_init(struct vmm_console *c, struct vmm_guest *g, uint64_t base, unsigned irq,
                      const char *prefix);
/* A byte typed for the guest; false if its receive FIFO is full. */
bool vmm_console_input(struct vmm_console *c, uint8_t byte);
/* Take input from c->read while the guest's FIFO has room. */
void vmm_console_pull(struct vmm_console *c);
/* Write out a partial line now; what follows starts a new line. */
void vmm_console_flush(struct vmm_console *c);

#endif
