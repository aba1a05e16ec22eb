/*
 * Fault backtraces. PDs keep frame pointers (CONFIG_PD_FRAME_POINTERS): x29
 * points at a frame record {caller's x29, return address} on the stack, and
 * the chain ends where libmicrokit's _start set x29 to 0. The monitor walks
 * it through the PD's stack frames: each page is read through a copy of its
 * frame capability mapped at the scratch window for a moment. The walk
 * trusts nothing it reads: a record must lie inside the PD's stack, be
 * aligned and lie above the one before, or the walk stops and says why.
 *
 * Frame #0 is the faulting pc. A function that faults before it has saved
 * its frame record (in its prologue, as a stack overflow does) leaves its
 * caller's return address only in x30: with names known, x30 is shown as
 * frame #1 when it lies in another function than the pc and is not the
 * first record's return address.
 */
#include "monitor.h"

#define MAX_FRAMES 32
#define INSTRUCTION_BYTES 4

/* One stack page mapped for reading at a time. */
struct stack_reader {
    uint32_t pd;
    seL4_CPtr copy;             /* slot for the copy of the mapped frame's cap */
    uint64_t page;              /* vaddr of the page mapped, 0: none */
    const uint64_t *words;
};

static seL4_CPtr scratch_slot(void)
{
    static seL4_CPtr slot;
    if (!slot)
        slot = slot_alloc(1);
    return slot;
}

static void reader_release(struct stack_reader *r)
{
    if (!r->page)
        return;
    seL4_ARM_Page_Unmap(r->copy);
    seL4_CNode_Delete(seL4_CapInitThreadCNode, r->copy, seL4_WordBits);
    r->page = 0;
}

/* The word at `vaddr` of the PD's stack; false if it is not in the stack or
 * cannot be mapped. */
static bool read_stack_word(struct stack_reader *r, uint64_t vaddr, uint64_t *out)
{
    const struct sys_pd *p = &sys->pds[r->pd];
    if (vaddr < p->stack_bottom || vaddr + 8 > p->stack_top || (vaddr & 7))
        return false;
    uint64_t page = vaddr & ~(PAGE_SIZE - 1);
    if (page != r->page) {
        reader_release(r);
        seL4_CPtr frame = pd_caps[r->pd].stack + ((page - p->stack_bottom) >> PAGE_BITS);
        if (seL4_CNode_Copy(seL4_CapInitThreadCNode, r->copy, seL4_WordBits,
                            seL4_CapInitThreadCNode, frame, seL4_WordBits,
                            seL4_AllRights) != seL4_NoError)
            return false;
        r->words = scratch_try_map(r->copy, PAGE_BITS);
        if (!r->words) {
            seL4_CNode_Delete(seL4_CapInitThreadCNode, r->copy, seL4_WordBits);
            return false;
        }
        r->page = page;
    }
    *out = r->words[(vaddr - page) / 8];
    return true;
}

static void print_frame(uint32_t pd, unsigned n, uint64_t address, bool return_address)
{
#ifdef CONFIG_FAULT_SYMBOLS
    /* A return address follows its call: name the call's function (the call
       may be the last instruction of a function that does not return). */
    struct symbol sym;
    uint64_t probe = return_address ? address - INSTRUCTION_BYTES : address;
    if (symbol_lookup(pd, probe, &sym)) {
        rt_printf("MON|ERROR:   #%u 0x%016lx %s+0x%lx\n", n, (unsigned long)address, sym.name,
                  (unsigned long)(address - sym.start));
        return;
    }
#else
    (void)pd;
    (void)return_address;
#endif
    rt_printf("MON|ERROR:   #%u 0x%016lx\n", n, (unsigned long)address);
}

/* Is x30 the return address of a caller missing from the record chain? */
static bool lr_is_a_frame(uint32_t pd, uint64_t pc, uint64_t lr, uint64_t first_return)
{
#ifdef CONFIG_FAULT_SYMBOLS
    struct symbol at_pc, at_lr;
    return lr && lr != first_return && symbol_lookup(pd, pc, &at_pc) &&
           symbol_lookup(pd, lr - INSTRUCTION_BYTES, &at_lr) && at_pc.start != at_lr.start;
#else
    (void)pd, (void)pc, (void)lr, (void)first_return;
    return false;
#endif
}

void print_backtrace(uint32_t pd, uint64_t pc, uint64_t fp, uint64_t lr)
{
    struct stack_reader r = { .pd = pd, .copy = scratch_slot() };
    rt_printf("MON|ERROR: backtrace (frame pointers):\n");
    unsigned n = 0;
    print_frame(pd, n++, pc, false);
    uint64_t first_return = 0;
    bool have_first = read_stack_word(&r, fp + 8, &first_return);
    if (lr_is_a_frame(pd, pc, lr, have_first ? first_return : 0))
        print_frame(pd, n++, lr, true);
    const char *end = NULL;
    while (fp && n < MAX_FRAMES) {
        uint64_t caller_fp, ret;
        if (!read_stack_word(&r, fp, &caller_fp) || !read_stack_word(&r, fp + 8, &ret)) {
            end = "frame pointer outside the stack";
            break;
        }
        if (!ret)
            break;
        print_frame(pd, n++, ret, true);
        if (caller_fp && caller_fp <= fp) {
            end = "frame records out of order";
            break;
        }
        fp = caller_fp;
    }
    if (fp && n == MAX_FRAMES)
        end = "more frames not shown";
    if (end)
        rt_printf("MON|ERROR:   (%s: 0x%016lx)\n", end, (unsigned long)fp);
    reader_release(&r);
}
