/*
 * Instructions at known addresses for the hardware-debug API tests
 * (debug_api.c): breakpoints are set on them, watchpoints on the data they
 * touch, and single steps are counted along them.
 */
    .text

/* seL4_Word kt_dbg_seq(seL4_Word x): x + 3, one instruction per label. */
    .global kt_dbg_seq
    .global kt_dbg_seq_1
    .global kt_dbg_seq_2
    .global kt_dbg_seq_3
    .global kt_dbg_seq_ret
    .type kt_dbg_seq, %function
kt_dbg_seq:
    add     x0, x0, #1
kt_dbg_seq_1:
    add     x0, x0, #1
kt_dbg_seq_2:
    add     x0, x0, #1
kt_dbg_seq_3:
    nop
kt_dbg_seq_ret:
    ret
    .size kt_dbg_seq, . - kt_dbg_seq

/* void kt_dbg_store(seL4_Word *p, seL4_Word v): one 8-byte store. */
    .global kt_dbg_store
    .global kt_dbg_store_insn
    .type kt_dbg_store, %function
kt_dbg_store:
kt_dbg_store_insn:
    str     x1, [x0]
    ret
    .size kt_dbg_store, . - kt_dbg_store

/* void kt_dbg_store_byte(uint8_t *p, seL4_Word v): one 1-byte store. */
    .global kt_dbg_store_byte
    .global kt_dbg_store_byte_insn
    .type kt_dbg_store_byte, %function
kt_dbg_store_byte:
kt_dbg_store_byte_insn:
    strb    w1, [x0]
    ret
    .size kt_dbg_store_byte, . - kt_dbg_store_byte

/* seL4_Word kt_dbg_load(const seL4_Word *p): one 8-byte load. */
    .global kt_dbg_load
    .global kt_dbg_load_insn
    .type kt_dbg_load, %function
kt_dbg_load:
kt_dbg_load_insn:
    ldr     x0, [x0]
    ret
    .size kt_dbg_load, . - kt_dbg_load

/* seL4_Word kt_dbg_brk(seL4_Word x): BRK #0, then x + 1. */
    .global kt_dbg_brk
    .global kt_dbg_brk_insn
    .type kt_dbg_brk, %function
kt_dbg_brk:
kt_dbg_brk_insn:
    brk     #0
    add     x0, x0, #1
    ret
    .size kt_dbg_brk, . - kt_dbg_brk

/*
 * seL4_Word kt_dbg_count(seL4_Word n): counts x0 up to n (n >= 1), three
 * instructions per round (add, cmp, b.ne), and returns it.
 * A thread single-stepped through it from kt_dbg_count_loop stops where
 * the instruction count says, whatever interrupts it meanwhile.
 */
    .global kt_dbg_count
    .global kt_dbg_count_loop
    .global kt_dbg_count_end
    .type kt_dbg_count, %function
kt_dbg_count:
    mov     x1, x0
    mov     x0, #0
kt_dbg_count_loop:
    add     x0, x0, #1
    cmp     x0, x1
    b.ne    kt_dbg_count_loop
kt_dbg_count_end:
    ret
    .size kt_dbg_count, . - kt_dbg_count

/* seL4_Word kt_dbg_yield(void): seL4_Yield (svc), then the next instruction. */
    .global kt_dbg_yield
    .global kt_dbg_yield_svc
    .global kt_dbg_yield_after
    .type kt_dbg_yield, %function
kt_dbg_yield:
    mov     x7, #-11
kt_dbg_yield_svc:
    svc     #0
kt_dbg_yield_after:
    mov     x0, #42
    ret
    .size kt_dbg_yield, . - kt_dbg_yield
