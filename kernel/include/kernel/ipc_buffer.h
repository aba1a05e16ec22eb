/*
 * Kernel access to a thread's message: message register i travels in a
 * register for i < seL4_FastMessageRegisters (arch/registers.h), the rest
 * and the caps in its IPC buffer.
 */
#ifndef KERNEL_IPC_BUFFER_H
#define KERNEL_IPC_BUFFER_H

#include <object/structures.h>
#include <arch/registers.h>
#include <sel4/abi.h>

/*
 * Kernel pointer to thread t's IPC buffer (words: tag, msg[120], ...), or
 * NULL if it has none: the buffer frame cap in the TCB must be a mapped,
 * writable frame.
 */
word_t *ipc_buffer_of(tcb_t *t);

/* Word indices in the IPC buffer (seL4_IPCBuffer). */
#define IPCBUF_MSG(i)       (1 + (i))
#define IPCBUF_CAPS         (1 + seL4_MsgMaxLength + 1)    /* caps_or_badges[0] */
#define IPCBUF_RECV_CNODE   (IPCBUF_CAPS + seL4_MsgMaxExtraCaps)
#define IPCBUF_RECV_INDEX   (IPCBUF_RECV_CNODE + 1)
#define IPCBUF_RECV_DEPTH   (IPCBUF_RECV_CNODE + 2)

/* Write message register i of t; words past the registers need `buffer`. */
static inline void set_message_register(tcb_t *t, word_t *buffer, unsigned i, word_t value)
{
    if (i < seL4_FastMessageRegisters)
        set_msg_register(t, i, value);
    else if (buffer && i < seL4_MsgMaxLength)
        buffer[IPCBUF_MSG(i)] = value;
}

static inline word_t get_message_register(tcb_t *t, word_t *buffer, unsigned i)
{
    if (i < seL4_FastMessageRegisters)
        return get_msg_register(t, i);
    return buffer && i < seL4_MsgMaxLength ? buffer[IPCBUF_MSG(i)] : 0;
}

#endif
