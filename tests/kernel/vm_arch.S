/*
 * Instructions with known addresses for the VM-fault tests (vmfault.c):
 * the kernel's VMFault message must name them as the faulting pc.
 */
    .text

/* seL4_Word vm_load(seL4_Word va): one 64-bit load from va. */
    .global vm_load
    .global vm_load_insn
    .type vm_load, %function
vm_load:
vm_load_insn:
    ldr     x0, [x0]
    ret
    .size vm_load, . - vm_load

/* void vm_store(seL4_Word va, seL4_Word value): one 64-bit store to va. */
    .global vm_store
    .global vm_store_insn
    .type vm_store, %function
vm_store:
vm_store_insn:
    str     x1, [x0]
    ret
    .size vm_store, . - vm_store

/* seL4_Word vm_call(seL4_Word va): call the code at va, return its x0. */
    .global vm_call
    .type vm_call, %function
vm_call:
    stp     x29, x30, [sp, #-16]!
    blr     x0
    ldp     x29, x30, [sp], #16
    ret
    .size vm_call, . - vm_call
