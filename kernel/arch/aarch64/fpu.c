/*
 * FPU switching, lazy with eager switches for threads known to use it
 * (arch/switch.h). The FP/SIMD registers belong to one thread at a time
 * (the owner). Other threads run with FP access trapped; their first FP
 * instruction traps, the owner's registers are saved and theirs loaded,
 * and for the next FPU_EAGER_SWITCHES switches to them this happens on the
 * switch, without the trap. Threads with the fpuDisabled flag get a user
 * exception instead. Threads that never touch the FPU never pay for it.
 */
#include <kernel/thread.h>
#include <kernel/tcb.h>
#include <arch/sysreg.h>
#include <arch/switch.h>
#include <sel4/abi.h>

void fpu_save(fpu_state_t *state);
void fpu_load(const fpu_state_t *state);


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
    t->arch.fpu_eager = FPU_EAGER_SWITCHES;     /* it uses the FPU */
    return true;
}

void fpu_switch_to(tcb_t *t)
{
    /* An EL2 kernel's own FP accesses trap too (CPTR_EL2.TFP) while the
       last thread's are trapped. */
    fpu_allow_user(true);
    if (fpu_owner)
        fpu_save(&fpu_owner->fpu);
    fpu_load(&t->fpu);
    fpu_owner = t;
    t->arch.fpu_eager--;
}

void fpu_release(tcb_t *t)
{
    /* The core t last ran on may be another: its FPU forgets t (the
       registers themselves are not needed any more). */
    struct node *n = tcb_node(t);
    if (n->arch.fpu == t)
        n->arch.fpu = NULL;
    t->arch.fpu_eager = 0;
}

/* t leaves this core: its FPU registers go to its TCB (kernel/smp.c). */
void fpu_save_and_release(tcb_t *t)
{
    if (fpu_owner != t)
        return;
    fpu_allow_user(true);
    fpu_save(&t->fpu);
    fpu_owner = NULL;
}
