/*
 * Prints capabilities built by the kernel's own constructors
 * (kernel/include/object/cap.h), one per line as
 *     <type number> <type name> <w0> <w1> <field=value>...
 * for test_pddebug.py, which decodes them with scripts/pddebug/caps.py and
 * expects the same fields: the gdb extension restates cap.h's encoding, and
 * this keeps the two in step.
 */
#include <stdio.h>
#include <object/cap.h>

_Noreturn void kernel_panic(const char *fmt, ...)
{
    (void)fmt;
    for (;;)
        ;
}

static void *obj(paddr_t p)
{
    return ptr_from_paddr(p);
}

static void show(const char *name, cap_t c, const char *fields)
{
    printf("%u %s 0x%llx 0x%llx %s\n", (unsigned)cap_get_type(c), name, (unsigned long long)c.w0,
           (unsigned long long)c.w1, fields);
}

int main(void)
{
    show("cap_endpoint", cap_ipc_new(cap_endpoint, obj(0x43fb8700), 0x1234, 0xb),
         "paddr=0x43fb8700 badge=0x1234 rights=RW-g");
    show("cap_notification", cap_ipc_new(cap_notification, obj(0x40000040), ~0ull, 0x1),
         "paddr=0x40000040 badge=0xffffffffffffffff rights=-W--");
    show("cap_reply", cap_reply_new(obj(0x40001000), true), "paddr=0x40001000 can_grant=True");
    show("cap_cnode", cap_cnode_new(obj(0x40064000), 9, 49, 0x5),
         "paddr=0x40064000 radix=9 guard_bits=49 guard=0x5");
    show("cap_thread", cap_thread_new(obj(0x40063800)), "paddr=0x40063800");
    show("cap_sched_context", cap_sched_context_new(obj(0x40070000), 8),
         "paddr=0x40070000 size_bits=8");
    show("cap_untyped", cap_untyped_new(0x80000000, 29, true, 0x1000),
         "paddr=0x80000000 size_bits=29 device=True free_index=4096 clean_limit=0");
    show("cap_untyped", cap_untyped_set_clean_limit(cap_untyped_new(0x80000000, 29, false, 0x1010),
                                                    0x3000),
         "paddr=0x80000000 size_bits=29 device=False free_index=4112 clean_limit=12288");
    cap_t frame = cap_set_mapping(cap_frame_new(0x41234000, frame_2m, vm_read_only, false), true,
                                  7, 0x4000000);
    show("cap_frame", frame, "paddr=0x41234000 size_bits=21 rights=RO mapped=0x4000000,7");
    show("cap_vspace", cap_set_mapping(cap_table_new(cap_vspace, 0x40061000), true, 2, 0),
         "paddr=0x40061000 mapped=0x0,2");
    show("cap_asid_pool", cap_asid_pool_new(0x40002000, 512), "paddr=0x40002000 asid_base=512");
    show("cap_irq_handler", cap_simple_new(cap_irq_handler, 33), "irq=33");
    show("cap_zombie", cap_zombie_new(cap_thread_new(obj(0x40063000)), 5),
         "paddr=0x40063000 of=thread slots_left=5");
    return 0;
}
