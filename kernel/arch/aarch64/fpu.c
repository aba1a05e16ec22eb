/*
 * Lazy FPU switching. The FP/SIMD registers belong to one thread at a time
 * (the owner). Other threads run with FP access trapped; their first FP
 * instruction traps, the owner's registers are saved and theirs loaded.
 * Threads with the fpuDisabled flag get a user exception instead. Threads
 * that never touch the FPU never pay for it.
 */
#include <kernel/thread.h>
#include <kernel/tcb.h>
#include <arch/sysreg.h>
#include <arch/switch.h>
#include <sel4/abi.h>

void fpu_save(fpu_state_t *state);
void fpu_load(const fpu_state_t *state);

tcb_t *fpu_owner;

static void fpu_allow_user(bool allow)
{
    write_sysreg(FPU_TRAP_REG, allow ? FPU_USER_FREE : FPU_USER_TRAPS);
    isb();
}

bool fpu_handle_trap(tcb_t *t)
{
    if (t->flags & seL4_TCBFlag_fpuDisabled)
        return false;
    fpu_allow_user(true);   /* the kernel itself needs access to switch */
    if (fpu_owner && fpu_owner != t)
        fpu_save(&fpu_owner->fpu);
    if (fpu_owner != t)
        fpu_load(&t->fpu);
    fpu_owner = t;
    return true;
}

void fpu_release(tcb_t *t)
{
    if (fpu_owner == t)
        fpu_owner = NULL;
}
