/*
 * sel4/syscalls.h - system-call stubs and message-register access for user
 * programs (AArch64, MCS). Not for the kernel.
 *
 * Register convention at `svc #0` (docs/uapi.md has the full contract):
 *   x0  capability to invoke / receive on; the sender's badge on return
 *   x1  message info in and out
 *   x2..x5  MR0..MR3 in and out
 *   x6  reply cap (Recv, NBRecv, ReplyRecv, NBSendRecv);
 *       the send destination for NBSendWait
 *   x7  syscall number
 *   x8  send destination for NBSendRecv
 * MR4 and up live in the IPC buffer. The stubs follow libsel4: the plain
 * forms load MR0..MR3 from IPCBuffer.msg[0..3] before the trap and store
 * what comes back there afterwards, so seL4_SetMR/seL4_GetMR work for
 * every index; the *WithMRs forms move MR0..MR3 through caller variables
 * instead and leave msg[0..3] alone.
 *
 * Every stub clobbers "memory": the kernel reads and writes the IPC buffer,
 * and the compiler must not keep MR stores or loads across the trap.
 *
 * Defining SEL4_UAPI_TRAP_HOOK (tests only) replaces each `svc #0` by a
 * call to sel4_uapi_trap_hook(regs), regs[0..8] = x0..x8 in and out, so
 * the marshalling can be exercised on any host.
 */
#ifndef SEL4_UAPI_SYSCALLS_H
#define SEL4_UAPI_SYSCALLS_H

#include <sel4/abi.h>

#if !defined(SEL4_UAPI_TRAP_HOOK) && !defined(__aarch64__)
#error "sel4/syscalls.h: the system-call stubs are AArch64 only (use <sel4/abi.h> on the host)"
#endif

SEL4_BEGIN_DECLS

/*
 * The calling thread's IPC buffer. One plain global, as libsel4 builds it
 * without thread-local storage (Microkit's libmicrokit defines it and
 * points it at the PD's IPC buffer page). kernel/uapi/src/ipc_buffer.c
 * provides a weak definition for programs whose runtime does not.
 * It is not thread-local: threads sharing an address space must arrange
 * their own per-thread IPC buffer pointers.
 */
extern seL4_IPCBuffer *__sel4_ipc_buffer;

LIBSEL4_INLINE_FUNC void seL4_SetIPCBuffer(seL4_IPCBuffer *ipc_buffer)
{
    __sel4_ipc_buffer = ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_IPCBuffer *seL4_GetIPCBuffer(void)
{
    return __sel4_ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetMR(int i)
{
    return seL4_GetIPCBuffer()->msg[i];
}

LIBSEL4_INLINE_FUNC void seL4_SetMR(int i, seL4_Word mr)
{
    seL4_GetIPCBuffer()->msg[i] = mr;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetUserData(void)
{
    return seL4_GetIPCBuffer()->userData;
}

LIBSEL4_INLINE_FUNC void seL4_SetUserData(seL4_Word data)
{
    seL4_GetIPCBuffer()->userData = data;
}

/* Badge of the i-th received cap that was unwrapped (capsUnwrapped bit i). */
LIBSEL4_INLINE_FUNC seL4_Word seL4_GetBadge(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}

LIBSEL4_INLINE_FUNC seL4_CPtr seL4_GetCap(int i)
{
    return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i];
}

/* Extra cap i of the next message sent (i < seL4_MsgMaxExtraCaps). */
LIBSEL4_INLINE_FUNC void seL4_SetCap(int i, seL4_CPtr cptr)
{
    seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr;
}

/* Where a received capability is put: slot (index, depth) under cnode. */
LIBSEL4_INLINE_FUNC void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode,
                                                seL4_CPtr *receiveIndex,
                                                seL4_Word *receiveDepth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    if (receiveCNode != seL4_Null) {
        *receiveCNode = b->receiveCNode;
    }
    if (receiveIndex != seL4_Null) {
        *receiveIndex = b->receiveIndex;
    }
    if (receiveDepth != seL4_Null) {
        *receiveDepth = b->receiveDepth;
    }
}

LIBSEL4_INLINE_FUNC void seL4_SetCapReceivePath(seL4_CPtr receiveCNode,
                                                seL4_CPtr receiveIndex,
                                                seL4_Word receiveDepth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    b->receiveCNode = receiveCNode;
    b->receiveIndex = receiveIndex;
    b->receiveDepth = receiveDepth;
}

/* ==== Trap primitives ====================================================
 *
 * One per register shape. Names start with sel4__ (not part of the API).
 * All values are computed by the caller first and bound to their registers
 * only here, right before the asm: a local register variable is only
 * guaranteed to sit in its register when used as an asm operand.
 */
#ifdef SEL4_UAPI_TRAP_HOOK

void sel4_uapi_trap_hook(seL4_Word regs[9]);

/* x0..x5 in; nothing comes back. */
LIBSEL4_INLINE_FUNC void sel4__sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info,
                                        seL4_Word mr0, seL4_Word mr1, seL4_Word mr2,
                                        seL4_Word mr3)
{
    seL4_Word r[9] = { dest, info, mr0, mr1, mr2, mr3, 0, sys, 0 };
    sel4_uapi_trap_hook(r);
}

/* x0, x1 in; x2..x5 are not touched. */
LIBSEL4_INLINE_FUNC void sel4__sys_send_null(seL4_Word sys, seL4_Word dest, seL4_Word info)
{
    seL4_Word r[9] = { dest, info, 0, 0, 0, 0, 0, sys, 0 };
    sel4_uapi_trap_hook(r);
}

/* x0 and (has_x6) x6 in; x0..x5 out. Returns x0 (the badge). */
LIBSEL4_INLINE_FUNC seL4_Word sel4__sys_recv(seL4_Word sys, seL4_Word src, int has_x6,
                                             seL4_Word x6, seL4_Word *info, seL4_Word mr[4])
{
    seL4_Word r[9] = { src, 0, 0, 0, 0, 0, has_x6 ? x6 : 0, sys, 0 };
    sel4_uapi_trap_hook(r);
    *info = r[1];
    mr[0] = r[2];
    mr[1] = r[3];
    mr[2] = r[4];
    mr[3] = r[5];
    return r[0];
}

/* x0..x5 in and out, plus x6 / x8 when the call uses them. */
LIBSEL4_INLINE_FUNC seL4_Word sel4__sys_sendrecv(seL4_Word sys, seL4_Word x0, seL4_Word *info,
                                                 seL4_Word mr[4], int has_x6, seL4_Word x6,
                                                 int has_x8, seL4_Word x8)
{
    seL4_Word r[9] = { x0, *info, mr[0], mr[1], mr[2], mr[3],
                       has_x6 ? x6 : 0, sys, has_x8 ? x8 : 0 };
    sel4_uapi_trap_hook(r);
    *info = r[1];
    mr[0] = r[2];
    mr[1] = r[3];
    mr[2] = r[4];
    mr[3] = r[5];
    return r[0];
}

/* Nothing in or out but the number. */
LIBSEL4_INLINE_FUNC void sel4__sys_null(seL4_Word sys)
{
    seL4_Word r[9] = { 0, 0, 0, 0, 0, 0, 0, sys, 0 };
    sel4_uapi_trap_hook(r);
}

/* Debug calls: x0 in and out. */
LIBSEL4_INLINE_FUNC seL4_Word sel4__sys_debug(seL4_Word sys, seL4_Word x0)
{
    seL4_Word r[9] = { x0, 0, 0, 0, 0, 0, 0, sys, 0 };
    sel4_uapi_trap_hook(r);
    return r[0];
}

#else /* real traps */

/*
 * Send, NBSend. x0..x5 are declared in/out, as libsel4 does, so a kernel
 * that reuses them on this path cannot break the caller.
 */
LIBSEL4_INLINE_FUNC void sel4__sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info,
                                        seL4_Word mr0, seL4_Word mr1, seL4_Word mr2,
                                        seL4_Word mr3)
{
    register seL4_Word x0 __asm__("x0") = dest;
    register seL4_Word x1 __asm__("x1") = info;
    register seL4_Word x2 __asm__("x2") = mr0;
    register seL4_Word x3 __asm__("x3") = mr1;
    register seL4_Word x4 __asm__("x4") = mr2;
    register seL4_Word x5 __asm__("x5") = mr3;
    register seL4_Word x7 __asm__("x7") = sys;
    __asm__ __volatile__("svc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                         : "r"(x7)
                         : "memory");
}

/* seL4_Signal: a Send with an empty message; only x0 and x1 are set. */
LIBSEL4_INLINE_FUNC void sel4__sys_send_null(seL4_Word sys, seL4_Word dest, seL4_Word info)
{
    register seL4_Word x0 __asm__("x0") = dest;
    register seL4_Word x1 __asm__("x1") = info;
    register seL4_Word x7 __asm__("x7") = sys;
    __asm__ __volatile__("svc #0"
                         : "+r"(x0), "+r"(x1)
                         : "r"(x7)
                         : "memory");
}

/*
 * Recv, NBRecv (x6 = reply), Wait, NBWait (no x6). Returns the badge;
 * stores the message info and MR0..MR3.
 */
LIBSEL4_INLINE_FUNC seL4_Word sel4__sys_recv(seL4_Word sys, seL4_Word src, int has_x6,
                                             seL4_Word reply, seL4_Word *info, seL4_Word mr[4])
{
    register seL4_Word x0 __asm__("x0") = src;
    register seL4_Word x1 __asm__("x1");
    register seL4_Word x2 __asm__("x2");
    register seL4_Word x3 __asm__("x3");
    register seL4_Word x4 __asm__("x4");
    register seL4_Word x5 __asm__("x5");
    register seL4_Word x7 __asm__("x7") = sys;
    if (has_x6) {
        register seL4_Word x6 __asm__("x6") = reply;
        __asm__ __volatile__("svc #0"
                             : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5)
                             : "r"(x6), "r"(x7)
                             : "memory");
    } else {
        __asm__ __volatile__("svc #0"
                             : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5)
                             : "r"(x7)
                             : "memory");
    }
    *info = x1;
    mr[0] = x2;
    mr[1] = x3;
    mr[2] = x4;
    mr[3] = x5;
    return x0;
}

/*
 * Call (no x6/x8), ReplyRecv and NBSendWait (x6), NBSendRecv (x6 and x8).
 * x0..x5 go in and come back. has_x6/has_x8 are constants at every call
 * site, so the untaken branches disappear.
 */
LIBSEL4_INLINE_FUNC seL4_Word sel4__sys_sendrecv(seL4_Word sys, seL4_Word dest, seL4_Word *info,
                                                 seL4_Word mr[4], int has_x6, seL4_Word reg6,
                                                 int has_x8, seL4_Word reg8)
{
    seL4_Word in_info = *info, m0 = mr[0], m1 = mr[1], m2 = mr[2], m3 = mr[3];
    register seL4_Word x0 __asm__("x0") = dest;
    register seL4_Word x1 __asm__("x1") = in_info;
    register seL4_Word x2 __asm__("x2") = m0;
    register seL4_Word x3 __asm__("x3") = m1;
    register seL4_Word x4 __asm__("x4") = m2;
    register seL4_Word x5 __asm__("x5") = m3;
    register seL4_Word x7 __asm__("x7") = sys;
    if (has_x6 && has_x8) {
        register seL4_Word x6 __asm__("x6") = reg6;
        register seL4_Word x8 __asm__("x8") = reg8;
        __asm__ __volatile__("svc #0"
                             : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                             : "r"(x6), "r"(x7), "r"(x8)
                             : "memory");
    } else if (has_x6) {
        register seL4_Word x6 __asm__("x6") = reg6;
        __asm__ __volatile__("svc #0"
                             : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                             : "r"(x6), "r"(x7)
                             : "memory");
    } else {
        __asm__ __volatile__("svc #0"
                             : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                             : "r"(x7)
                             : "memory");
    }
    *info = x1;
    mr[0] = x2;
    mr[1] = x3;
    mr[2] = x4;
    mr[3] = x5;
    return x0;
}

/*
 * Yield, DebugHalt, DebugSnapshot. The kernel preserves every register on
 * these (libsel4 relies on it); x0..x5 are still listed as clobbered so
 * that our own programs do not depend on that.
 */
LIBSEL4_INLINE_FUNC void sel4__sys_null(seL4_Word sys)
{
    register seL4_Word x7 __asm__("x7") = sys;
    __asm__ __volatile__("svc #0"
                         :
                         : "r"(x7)
                         : "x0", "x1", "x2", "x3", "x4", "x5", "memory");
}

/* DebugPutChar, DebugDumpScheduler, DebugCapIdentify, DebugNameThread. */
LIBSEL4_INLINE_FUNC seL4_Word sel4__sys_debug(seL4_Word sys, seL4_Word arg)
{
    register seL4_Word x0 __asm__("x0") = arg;
    register seL4_Word x7 __asm__("x7") = sys;
    __asm__ __volatile__("svc #0"
                         : "+r"(x0)
                         : "r"(x7)
                         : "x1", "x2", "x3", "x4", "x5", "memory");
    return x0;
}

#endif /* SEL4_UAPI_TRAP_HOOK */

/* MR0..MR3 of the outgoing message taken from the IPC buffer. */
LIBSEL4_INLINE_FUNC void sel4__load_mrs(seL4_Word mr[4])
{
    const seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    mr[0] = b->msg[0];
    mr[1] = b->msg[1];
    mr[2] = b->msg[2];
    mr[3] = b->msg[3];
}

/* MR0..MR3 of the incoming message stored to the IPC buffer. */
LIBSEL4_INLINE_FUNC void sel4__store_mrs(const seL4_Word mr[4])
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    b->msg[0] = mr[0];
    b->msg[1] = mr[1];
    b->msg[2] = mr[2];
    b->msg[3] = mr[3];
}

/*
 * *WithMRs input: register i carries *mr_i if that pointer is given and
 * the message is long enough to include MR i, else 0.
 */
LIBSEL4_INLINE_FUNC void sel4__pick_mrs(seL4_MessageInfo_t info, seL4_Word mr[4],
                                        const seL4_Word *mr0, const seL4_Word *mr1,
                                        const seL4_Word *mr2, const seL4_Word *mr3)
{
    seL4_Word len = seL4_MessageInfo_get_length(info);
    mr[0] = (mr0 != seL4_Null && len > 0) ? *mr0 : 0;
    mr[1] = (mr1 != seL4_Null && len > 1) ? *mr1 : 0;
    mr[2] = (mr2 != seL4_Null && len > 2) ? *mr2 : 0;
    mr[3] = (mr3 != seL4_Null && len > 3) ? *mr3 : 0;
}

/* *WithMRs output: each non-null pointer receives its register. */
LIBSEL4_INLINE_FUNC void sel4__give_mrs(const seL4_Word mr[4], seL4_Word *mr0, seL4_Word *mr1,
                                        seL4_Word *mr2, seL4_Word *mr3)
{
    if (mr0 != seL4_Null) {
        *mr0 = mr[0];
    }
    if (mr1 != seL4_Null) {
        *mr1 = mr[1];
    }
    if (mr2 != seL4_Null) {
        *mr2 = mr[2];
    }
    if (mr3 != seL4_Null) {
        *mr3 = mr[3];
    }
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t sel4__info(seL4_Word w)
{
    seL4_MessageInfo_t m;
    m.words[0] = w;
    return m;
}

/* ==== Send family ======================================================== */

/* Blocking send (to an endpoint, notification, reply or kernel object). */
LIBSEL4_INLINE_FUNC void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr[4];
    sel4__load_mrs(mr);
    sel4__sys_send((seL4_Word)seL4_SysSend, dest, msgInfo.words[0], mr[0], mr[1], mr[2], mr[3]);
}

LIBSEL4_INLINE_FUNC void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                          seL4_Word *mr0, seL4_Word *mr1,
                                          seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word mr[4];
    sel4__pick_mrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    sel4__sys_send((seL4_Word)seL4_SysSend, dest, msgInfo.words[0], mr[0], mr[1], mr[2], mr[3]);
}

/* Send only if a receiver is waiting; otherwise the message is dropped. */
LIBSEL4_INLINE_FUNC void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr[4];
    sel4__load_mrs(mr);
    sel4__sys_send((seL4_Word)seL4_SysNBSend, dest, msgInfo.words[0], mr[0], mr[1], mr[2], mr[3]);
}

LIBSEL4_INLINE_FUNC void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                            seL4_Word *mr0, seL4_Word *mr1,
                                            seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word mr[4];
    sel4__pick_mrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    sel4__sys_send((seL4_Word)seL4_SysNBSend, dest, msgInfo.words[0], mr[0], mr[1], mr[2], mr[3]);
}

/* Signal a notification: Send with an empty message, no MRs loaded. */
LIBSEL4_INLINE_FUNC void seL4_Signal(seL4_CPtr dest)
{
    sel4__sys_send_null((seL4_Word)seL4_SysSend, dest, 0);
}

/* ==== Receive family ===================================================== */

/* Block for a message on src; reply is the Reply object for a Call. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    seL4_Word info, mr[4];
    seL4_Word badge = sel4__sys_recv((seL4_Word)seL4_SysRecv, src, 1, reply, &info, mr);
    sel4__store_mrs(mr);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                        seL4_CPtr reply,
                                                        seL4_Word *mr0, seL4_Word *mr1,
                                                        seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word info, mr[4];
    seL4_Word badge = sel4__sys_recv((seL4_Word)seL4_SysRecv, src, 1, reply, &info, mr);
    sel4__give_mrs(mr, mr0, mr1, mr2, mr3);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

/* Poll src with a Reply object; returns at once if nothing is pending. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    seL4_Word info, mr[4];
    seL4_Word badge = sel4__sys_recv((seL4_Word)seL4_SysNBRecv, src, 1, reply, &info, mr);
    sel4__store_mrs(mr);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

/* Block on a notification or endpoint without a Reply object. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word info, mr[4];
    seL4_Word badge = sel4__sys_recv((seL4_Word)seL4_SysWait, src, 0, 0, &info, mr);
    sel4__store_mrs(mr);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_WaitWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                        seL4_Word *mr0, seL4_Word *mr1,
                                                        seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word info, mr[4];
    seL4_Word badge = sel4__sys_recv((seL4_Word)seL4_SysWait, src, 0, 0, &info, mr);
    sel4__give_mrs(mr, mr0, mr1, mr2, mr3);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

/* Non-blocking Wait. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBWait(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word info, mr[4];
    seL4_Word badge = sel4__sys_recv((seL4_Word)seL4_SysNBWait, src, 0, 0, &info, mr);
    sel4__store_mrs(mr);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

/* Poll a notification: seL4_NBWait under its conventional name. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_NBWait(src, sender);
}

/* ==== Combined send and receive ========================================= */

/* Send to dest and block for the reply; also how kernel objects are invoked. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word info = msgInfo.words[0], mr[4];
    sel4__load_mrs(mr);
    (void)sel4__sys_sendrecv((seL4_Word)seL4_SysCall, dest, &info, mr, 0, 0, 0, 0);
    sel4__store_mrs(mr);
    return sel4__info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                        seL4_Word *mr0, seL4_Word *mr1,
                                                        seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word info = msgInfo.words[0], mr[4];
    sel4__pick_mrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    (void)sel4__sys_sendrecv((seL4_Word)seL4_SysCall, dest, &info, mr, 0, 0, 0, 0);
    sel4__give_mrs(mr, mr0, mr1, mr2, mr3);
    return sel4__info(info);
}

/* Reply through the Reply object, then receive on src with the same object. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo,
                                                      seL4_Word *sender, seL4_CPtr reply)
{
    seL4_Word info = msgInfo.words[0], mr[4];
    sel4__load_mrs(mr);
    seL4_Word badge = sel4__sys_sendrecv((seL4_Word)seL4_SysReplyRecv, src, &info, mr,
                                         1, reply, 0, 0);
    sel4__store_mrs(mr);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src, seL4_MessageInfo_t msgInfo,
                                                             seL4_Word *sender,
                                                             seL4_Word *mr0, seL4_Word *mr1,
                                                             seL4_Word *mr2, seL4_Word *mr3,
                                                             seL4_CPtr reply)
{
    seL4_Word info = msgInfo.words[0], mr[4];
    sel4__pick_mrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    seL4_Word badge = sel4__sys_sendrecv((seL4_Word)seL4_SysReplyRecv, src, &info, mr,
                                         1, reply, 0, 0);
    sel4__give_mrs(mr, mr0, mr1, mr2, mr3);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

/* Non-blocking send to dest, then receive on src with a Reply object. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                       seL4_CPtr src, seL4_Word *sender,
                                                       seL4_CPtr reply)
{
    seL4_Word info = msgInfo.words[0], mr[4];
    sel4__load_mrs(mr);
    seL4_Word badge = sel4__sys_sendrecv((seL4_Word)seL4_SysNBSendRecv, src, &info, mr,
                                         1, reply, 1, dest);
    sel4__store_mrs(mr);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendRecvWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                              seL4_CPtr src, seL4_Word *sender,
                                                              seL4_Word *mr0, seL4_Word *mr1,
                                                              seL4_Word *mr2, seL4_Word *mr3,
                                                              seL4_CPtr reply)
{
    seL4_Word info = msgInfo.words[0], mr[4];
    sel4__pick_mrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    seL4_Word badge = sel4__sys_sendrecv((seL4_Word)seL4_SysNBSendRecv, src, &info, mr,
                                         1, reply, 1, dest);
    sel4__give_mrs(mr, mr0, mr1, mr2, mr3);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

/* Non-blocking send to dest (in x6), then Wait on src (no Reply object). */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendWait(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                       seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word info = msgInfo.words[0], mr[4];
    sel4__load_mrs(mr);
    seL4_Word badge = sel4__sys_sendrecv((seL4_Word)seL4_SysNBSendWait, src, &info, mr,
                                         1, dest, 0, 0);
    sel4__store_mrs(mr);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendWaitWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                              seL4_CPtr src, seL4_Word *sender,
                                                              seL4_Word *mr0, seL4_Word *mr1,
                                                              seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word info = msgInfo.words[0], mr[4];
    sel4__pick_mrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    seL4_Word badge = sel4__sys_sendrecv((seL4_Word)seL4_SysNBSendWait, src, &info, mr,
                                         1, dest, 0, 0);
    sel4__give_mrs(mr, mr0, mr1, mr2, mr3);
    if (sender != seL4_Null) {
        *sender = badge;
    }
    return sel4__info(info);
}

/* Give up the rest of the current budget. */
LIBSEL4_INLINE_FUNC void seL4_Yield(void)
{
    sel4__sys_null((seL4_Word)seL4_SysYield);
}

/* ==== Debug calls =========================================================
 * Always declared; a kernel built without them answers with an
 * UnknownSyscall fault. */

LIBSEL4_INLINE_FUNC void seL4_DebugPutChar(char c)
{
    (void)sel4__sys_debug((seL4_Word)seL4_SysDebugPutChar, (seL4_Word)(unsigned char)c);
}

LIBSEL4_INLINE_FUNC void seL4_DebugPutString(const char *str)
{
    for (const char *s = str; *s != '\0'; s++) {
        seL4_DebugPutChar(*s);
    }
}

LIBSEL4_INLINE_FUNC void seL4_DebugDumpScheduler(void)
{
    (void)sel4__sys_debug((seL4_Word)seL4_SysDebugDumpScheduler, 0);
}

LIBSEL4_INLINE_FUNC void seL4_DebugHalt(void)
{
    sel4__sys_null((seL4_Word)seL4_SysDebugHalt);
}

LIBSEL4_INLINE_FUNC void seL4_DebugSnapshot(void)
{
    sel4__sys_null((seL4_Word)seL4_SysDebugSnapshot);
}

/* The kernel's type tag of the cap at cap (0 for an empty slot). */
LIBSEL4_INLINE_FUNC seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return (seL4_Uint32)sel4__sys_debug((seL4_Word)seL4_SysDebugCapIdentify, cap);
}

/*
 * Name a thread for kernel debug output. The name goes into the IPC buffer
 * from msg[0] on as a NUL-terminated string, truncated to fit the message
 * area (seL4_MsgMaxLength words, NUL included).
 */
LIBSEL4_INLINE_FUNC void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)seL4_GetIPCBuffer()->msg;
    seL4_Word max = seL4_MsgMaxLength * sizeof(seL4_Word) - 1;
    seL4_Word i = 0;
    for (; i < max && name[i] != '\0'; i++) {
        dst[i] = name[i];
    }
    dst[i] = '\0';
    (void)sel4__sys_debug((seL4_Word)seL4_SysDebugNameThread, tcb);
}

#if CONFIG_MAX_NUM_NODES > 1
/* The core `tcb` runs on (debug builds with several cores). */
LIBSEL4_INLINE_FUNC seL4_Word seL4_DebugGetThreadAffinity(seL4_CPtr tcb)
{
    return sel4__sys_debug((seL4_Word)seL4_SysDebugGetThreadAffinity, tcb);
}

/* Raise software-generated interrupt `irq` (0-15) on core `target`. */
LIBSEL4_INLINE_FUNC void seL4_DebugSendIPI(seL4_Uint8 target, unsigned irq)
{
    sel4__sys_send((seL4_Word)seL4_SysDebugSendIPI, target, irq, 0, 0, 0, 0);
}
#endif

SEL4_END_DECLS

#endif /* SEL4_UAPI_SYSCALLS_H */
