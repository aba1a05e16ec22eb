/*
 * The guest console (include/vmm/console.h): the PL011 model wired to the
 * guest's MMIO, the virtual GIC and the VMM's output.
 */
#include <vmm/console.h>

#include <string.h>

static void emit(struct vmm_console *c, const char *s)
{
    if (c->write)
        c->write(s);
    else
        vmm_arch_puts(s);
}

/* Write out what of the line has not been yet; the line stays whole in
 * c->line for on_line. */
static void write_pending(struct vmm_console *c)
{
    if (c->len == c->written)
        return;
    c->line[c->len] = '\0';
    if (c->prefix && c->written == 0)
        emit(c, c->prefix);
    emit(c, c->line + c->written);
    c->written = c->len;
}

static void new_line(struct vmm_console *c)
{
    c->len = c->written = 0;
}

void vmm_console_flush(struct vmm_console *c)
{
    write_pending(c);
    new_line(c);
}

static void tx(void *ctx, uint8_t byte)
{
    struct vmm_console *c = ctx;
    if (byte == '\r')
        return;
    if (byte == '\n') {
        c->line[c->len] = '\0';
        if (c->on_line)
            c->on_line(c, c->line);
        c->line[c->len++] = '\n';
        vmm_console_flush(c);
        return;
    }
    c->line[c->len++] = (char)byte;
    if (c->len == VMM_CONSOLE_LINE)
        vmm_console_flush(c);
}

/* The guest stopped transmitting (its driver masked the transmit
 * interrupt) or went idle: write out what it left without a newline. */
static void tx_idle(void *ctx)
{
    write_pending(ctx);
}

static void irq_line(void *ctx, bool level)
{
    struct vmm_console *c = ctx;
    if (level)
        vgic_raise(&c->guest->gic, 0, c->irq);
    else
        vgic_lower(&c->guest->gic, 0, c->irq);
}

/* A level-triggered line still high when the guest ends its interrupt
 * interrupts again. */
static void irq_ack(unsigned vcpu, unsigned irq, void *cookie)
{
    struct vmm_console *c = cookie;
    if (pl011_irq_asserted(&c->uart))
        vgic_raise(&c->guest->gic, vcpu, irq);
}

void vmm_console_pull(struct vmm_console *c)
{
    if (!c->read)
        return;
    while (c->uart.rx_count < PL011_RX_FIFO) {
        int byte = c->read();
        if (byte < 0)
            return;
        pl011_receive(&c->uart, (uint8_t)byte);
    }
}

static uint64_t mmio_read(struct vmm_guest *g, unsigned vcpu, uint64_t offset, unsigned size,
                          void *cookie)
{
    (void)g;
    (void)vcpu;
    (void)size;
    struct vmm_console *c = cookie;
    uint32_t value = pl011_read(&c->uart, (uint32_t)offset);
    /* The guest made room: input that waited for it comes in. */
    if (offset == 0 && c->uart.rx_count == 0)
        vmm_console_pull(c);
    return value;
}

static void mmio_write(struct vmm_guest *g, unsigned vcpu, uint64_t offset, unsigned size,
                       uint64_t value, void *cookie)
{
    (void)g;
    (void)vcpu;
    (void)size;
    struct vmm_console *c = cookie;
    pl011_write(&c->uart, (uint32_t)offset, (uint32_t)value);
}

bool vmm_console_init(struct vmm_console *c, struct vmm_guest *g, uint64_t base, unsigned irq,
                      const char *prefix)
{
    memset(c, 0, sizeof *c);
    c->guest = g;
    c->irq = irq;
    c->prefix = prefix;
    struct pl011_backend backend = {
        .tx = tx, .irq = irq_line, .tx_idle = tx_idle, .ctx = c,
    };
    pl011_init(&c->uart, &backend);
    struct mmio_device device = {
        .name = "PL011", .base = base, .size = PL011_SIZE,
        .read = mmio_read, .write = mmio_write, .cookie = c,
    };
    return vgic_set_ack(&g->gic, 0, irq, irq_ack, c) && vmm_mmio_register(g, &device) &&
           vmm_on_idle(g, tx_idle, c);
}

bool vmm_console_input(struct vmm_console *c, uint8_t byte)
{
    return pl011_receive(&c->uart, byte);
}
