/* <protection_domain> and everything inside it: <program_image>, <map>,
 * <irq>, <setvar>, <cspace>, nested child PDs and <virtual_machine>. */
#include <string.h>

#include "numbers.h"
#include "parse.h"
#include "ranges.h"

/* The PD being parsed is referred to by index: nested PDs are appended to
 * the same array while its children are parsed, which may move it. */
struct pd_ctx {
    struct parser *p;
    int index;
    const struct element *pd_element;
    struct element first_image, first_vm, first_cspace;
};

static struct pd *pd_at(const struct pd_ctx *ctx)
{
    return &ctx->p->sys->pds.items[ctx->index];
}

static const char *const MAP_ATTRS[] = {
    "mr", "vaddr", "perms", "cached", "setvar_vaddr", "setvar_size",
    "setvar_prefill_size", NULL,
};
static const char *const VM_MAP_ATTRS[] = { "mr", "vaddr", "perms", "cached",
                                            NULL };

static bool parse_perms(const struct element *e, unsigned *perms)
{
    const char *text = attr_text(e, "perms");
    *perms = PERM_R | PERM_W;
    if (!text)
        return true;
    unsigned parsed = 0;
    for (const char *c = text; *c; c++) {
        if (*c == 'r')
            parsed |= PERM_R;
        else if (*c == 'w')
            parsed |= PERM_W;
        else if (*c == 'x')
            parsed |= PERM_X;
        else {
            diag_error(e->p->diag, attr_loc(e, "perms"),
                       "perms '%s' may only combine 'r', 'w' and 'x'", text);
            return false;
        }
    }
    if (parsed == 0) {
        diag_error(e->p->diag, attr_loc(e, "perms"),
                   "perms must not be empty (combine 'r', 'w' and 'x')");
        return false;
    }
    if (parsed == PERM_W) {
        diag_error(e->p->diag, attr_loc(e, "perms"),
                   "perms '%s' is write-only; write-only mappings are not "
                   "allowed (use 'rw')",
                   text);
        return false;
    }
    *perms = parsed;
    return true;
}

void parse_map(const struct element *e, struct map *map, bool in_pd)
{
    check_attributes(e, in_pd ? MAP_ATTRS : VM_MAP_ATTRS);
    map->loc = e->loc;
    map->mr = -1;
    map->mr_name = attr_name(e, "mr", true);
    map->mr_loc = attr_loc(e, "mr");
    map->vaddr_loc = attr_loc(e, "vaddr");
    bool ok = map->mr_name != NULL;
    ok &= attr_number(e, "vaddr", true, &map->vaddr) == ATTR_VALID;
    ok &= parse_perms(e, &map->perms);
    map->cached = true;
    ok &= attr_bool(e, "cached", &map->cached) != ATTR_INVALID;
    if (in_pd) {
        attr_setvar(e, "setvar_vaddr", &map->setvar_vaddr);
        attr_setvar(e, "setvar_size", &map->setvar_size);
        attr_setvar(e, "setvar_prefill_size", &map->setvar_prefill_size);
    }
    map->valid = ok;
}

static const char *const IRQ_ATTRS[] = { "irq", "id", "trigger", "setvar_id",
                                         NULL };

/* x86 interrupt descriptions (I/O APIC pins, MSIs) use other attributes;
 * name the feature rather than list unknown attributes. */
static bool refuse_x86_irq(const struct element *e)
{
    static const char *const ioapic[] = { "ioapic", "pin", "polarity", "vector" };
    static const char *const msi[] = { "pcidev", "handle" };
    for (size_t i = 0; i < sizeof msi / sizeof *msi; i++)
        if (attr_text(e, msi[i])) {
            diag_error(e->p->diag, e->loc,
                       "x86 MSI interrupts are not supported on AArch64 "
                       "(use irq=\"<number>\")");
            return true;
        }
    for (size_t i = 0; i < sizeof ioapic / sizeof *ioapic; i++)
        if (attr_text(e, ioapic[i])) {
            diag_error(e->p->diag, e->loc,
                       "x86 I/O APIC interrupts are not supported on AArch64 "
                       "(use irq=\"<number>\")");
            return true;
        }
    return false;
}

static void parse_trigger(const struct element *e, struct irq *irq, bool *ok)
{
    const char *trigger = attr_text(e, "trigger");
    irq->trigger = TRIGGER_LEVEL;
    if (!trigger || strcmp(trigger, "level") == 0)
        return;
    if (strcmp(trigger, "edge") == 0) {
        irq->trigger = TRIGGER_EDGE;
        return;
    }
    diag_error(e->p->diag, attr_loc(e, "trigger"),
               "trigger '%s' must be 'level' or 'edge'", trigger);
    *ok = false;
}

static void parse_irq(struct pd_ctx *ctx, const struct element *e)
{
    if (refuse_x86_irq(e))
        return;
    check_attributes(e, IRQ_ATTRS);
    struct irq *irq = VEC_PUSH(ctx->p->arena, &pd_at(ctx)->irqs);
    irq->loc = e->loc;
    irq->number_loc = attr_loc(e, "irq");
    irq->id_loc = attr_loc(e, "id");
    bool ok = attr_number_in_range(e, "irq", true, 0, MAX_IRQ_NUMBER, DECIMAL,
                                   &irq->number) == ATTR_VALID;
    ok &= attr_number_in_range(e, "id", true, 0, MAX_CHANNEL_ID, DECIMAL,
                               &irq->id) == ATTR_VALID;
    parse_trigger(e, irq, &ok);
    attr_setvar(e, "setvar_id", &irq->setvar_id);
    irq->valid = ok;
}

static void parse_setvar(struct pd_ctx *ctx, const struct element *e)
{
    static const char *const attrs[] = { "symbol", "region_paddr", NULL };
    check_attributes(e, attrs);
    const char *symbol = attr_name(e, "symbol", true);
    const char *mr = attr_name(e, "region_paddr", true);
    /* Kept without a symbol too: the region it names is still used. */
    if (!mr)
        return;
    struct setvar *setvar = VEC_PUSH(ctx->p->arena, &pd_at(ctx)->setvars);
    *setvar = (struct setvar){
        .symbol = symbol,
        .mr_name = mr,
        .mr = -1,
        .loc = e->loc,
        .symbol_loc = attr_loc(e, "symbol"),
        .mr_loc = attr_loc(e, "region_paddr"),
    };
}

static void parse_program_image(struct pd_ctx *ctx, const struct element *e)
{
    static const char *const attrs[] = { "path", "path_for_symbols", NULL };
    struct pd *pd = pd_at(ctx);
    if (pd->program_images++ > 0) {
        diag_error(ctx->p->diag, e->loc,
                   "protection domain '%s' has more than one <program_image>",
                   pd_label(pd));
        diag_note(ctx->p->diag, ctx->first_image.loc, "first defined here");
        return;
    }
    ctx->first_image = *e;
    check_attributes(e, attrs);
    pd->image_loc = e->loc;
    pd->image_path = attr_name(e, "path", true);
    pd->image_path_loc = attr_loc(e, "path");
    pd->symbols_path = attr_name(e, "path_for_symbols", false);
    pd->symbols_path_loc = attr_loc(e, "path_for_symbols");
}

static void parse_cap(const struct element *e, struct cap_share *cap)
{
    static const char *const attrs[] = { "slot", "pd", NULL };
    check_attributes(e, attrs);
    cap->loc = e->loc;
    cap->pd = -1;
    cap->slot_loc = attr_loc(e, "slot");
    cap->pd_loc = attr_loc(e, "pd");
    cap->pd_name = attr_name(e, "pd", true);
    bool ok = cap->pd_name != NULL;
    enum attr_status slot = attr_number(e, "slot", true, &cap->slot);
    if (slot == ATTR_VALID && cap->slot == 0) {
        diag_error(e->p->diag, cap->slot_loc,
                   "slot 0 is reserved for the PD's Microkit CNode (use "
                   "1..%d)",
                   MAX_CSPACE_SLOT);
        ok = false;
    } else if (slot == ATTR_VALID && cap->slot > MAX_CSPACE_SLOT) {
        diag_error(e->p->diag, cap->slot_loc, "slot %s is out of range 1..%d",
                   attr_text(e, "slot"), MAX_CSPACE_SLOT);
        ok = false;
    }
    cap->valid = ok && slot == ATTR_VALID;
}

static void visit_cspace_child(struct element *child, void *data)
{
    struct pd_ctx *ctx = data;
    static const struct {
        const char *tag;
        enum cap_kind kind;
    } kinds[] = {
        { "cap_tcb", CAP_TCB },
        { "cap_sc", CAP_SC },
        { "cap_vspace", CAP_VSPACE },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (tag_is(child, kinds[i].tag)) {
            struct cap_share *cap = VEC_PUSH(ctx->p->arena, &pd_at(ctx)->caps);
            cap->kind = kinds[i].kind;
            parse_cap(child, cap);
            return;
        }
    diag_error(ctx->p->diag, child->loc,
               "unknown capability kind <%s> in <cspace> (allowed: cap_tcb, "
               "cap_sc, cap_vspace)",
               child->tag);
}

static void parse_cspace(struct pd_ctx *ctx, const struct element *e)
{
    static const char *const no_attrs[] = { NULL };
    if (ctx->first_cspace.node) {
        diag_error(ctx->p->diag, e->loc,
                   "protection domain '%s' has more than one <cspace>",
                   pd_label(pd_at(ctx)));
        diag_note(ctx->p->diag, ctx->first_cspace.loc, "first defined here");
        return;
    }
    ctx->first_cspace = *e;
    check_attributes(e, no_attrs);
    for_each_child(e, visit_cspace_child, ctx);
}

/* ---------------------------------------------------------- virtual machines */

struct vm_ctx {
    struct parser *p;
    int index;
    const struct element *vm_element;
};

static void parse_vcpu(struct vm_ctx *ctx, const struct element *e)
{
    static const char *const attrs[] = { "id", "cpu", "setvar_id", NULL };
    check_attributes(e, attrs);
    struct vm *vm = &ctx->p->sys->vms.items[ctx->index];
    struct vcpu *vcpu = VEC_PUSH(ctx->p->arena, &vm->vcpus);
    vcpu->loc = e->loc;
    vcpu->id_loc = attr_loc(e, "id");
    vcpu->cpu_loc = attr_loc(e, "cpu");
    vcpu->cpu = ctx->p->sys->pds.items[vm->pd].cpu;
    bool ok = attr_number_in_range(e, "id", true, 0, MAX_VCPU_ID, DECIMAL,
                                   &vcpu->id) == ATTR_VALID;
    ok &= attr_number(e, "cpu", false, &vcpu->cpu) != ATTR_INVALID;
    attr_setvar(e, "setvar_id", &vcpu->setvar_id);
    vcpu->valid = ok;
}

static void visit_vm_child(struct element *child, void *data)
{
    struct vm_ctx *ctx = data;
    if (tag_is(child, "vcpu"))
        parse_vcpu(ctx, child);
    else if (tag_is(child, "map"))
        parse_map(child,
                  VEC_PUSH(ctx->p->arena, &ctx->p->sys->vms.items[ctx->index].maps),
                  false);
    else
        unexpected_element(child, ctx->vm_element, "vcpu, map");
}

/* budget and period (MCS), of a PD or a virtual machine. */
static void parse_budget_period(const struct element *e, uint64_t *budget,
                                uint64_t *period)
{
    *budget = DEFAULT_BUDGET_US;
    enum attr_status budget_status = attr_number_in_range(
        e, "budget", false, 1, UINT32_MAX, DECIMAL, budget);
    *period = *budget;
    enum attr_status period_status = attr_number_in_range(
        e, "period", false, 1, UINT32_MAX, DECIMAL, period);
    if (period_status == ATTR_VALID && budget_status == ATTR_VALID &&
        *budget > *period) {
        diag_error(e->p->diag, attr_loc(e, "budget"),
                   "budget %s is greater than period %s", attr_text(e, "budget"),
                   attr_text(e, "period"));
        *budget = *period;
    }
}

static void parse_virtual_machine(struct pd_ctx *ctx, const struct element *e)
{
    static const char *const attrs[] = { "name", "priority", "budget", "period",
                                         NULL };
    struct pd *pd = pd_at(ctx);
    if (pd->vm >= 0) {
        diag_error(ctx->p->diag, e->loc,
                   "protection domain '%s' has more than one <virtual_machine>",
                   pd_label(pd));
        diag_note(ctx->p->diag, ctx->first_vm.loc, "first defined here");
        return;
    }
    ctx->first_vm = *e;
    check_attributes(e, attrs);
    struct vm *vm = VEC_PUSH(ctx->p->arena, &ctx->p->sys->vms);
    pd->vm = (int)(ctx->p->sys->vms.len - 1);
    vm->pd = ctx->index;
    vm->loc = e->loc;
    vm->name = attr_name(e, "name", true);
    vm->name_loc = attr_loc(e, "name");
    attr_number_in_range(e, "priority", false, 0, MAX_PRIORITY, DECIMAL,
                         &vm->priority);
    parse_budget_period(e, &vm->budget_us, &vm->period_us);
    struct vm_ctx vm_ctx = { ctx->p, pd->vm, e };
    for_each_child(e, visit_vm_child, &vm_ctx);
    if (ctx->p->sys->vms.items[vm_ctx.index].vcpus.len == 0)
        diag_error(ctx->p->diag, e->loc,
                   "virtual machine '%s' has no <vcpu>",
                   vm->name ? vm->name : "(unnamed)");
}

/* ------------------------------------------------------ protection domains */

static void visit_pd_child(struct element *child, void *data)
{
    struct pd_ctx *ctx = data;
    struct parser *p = ctx->p;
    if (tag_is(child, "program_image"))
        parse_program_image(ctx, child);
    else if (tag_is(child, "map"))
        parse_map(child, VEC_PUSH(p->arena, &pd_at(ctx)->maps), true);
    else if (tag_is(child, "irq"))
        parse_irq(ctx, child);
    else if (tag_is(child, "setvar"))
        parse_setvar(ctx, child);
    else if (tag_is(child, "protection_domain"))
        parse_protection_domain(p, child, ctx->index);
    else if (tag_is(child, "virtual_machine"))
        parse_virtual_machine(ctx, child);
    else if (tag_is(child, "cspace"))
        parse_cspace(ctx, child);
    else if (tag_is(child, "profiler"))
        parse_profiler(ctx->p, child, &pd_at(ctx)->profilers);
    else if (tag_is(child, "ioport"))
        diag_error(p->diag, child->loc,
                   "I/O ports (<ioport>) are only available on x86");
    else
        unexpected_element(child, ctx->pd_element,
                           "program_image, map, irq, setvar, "
                           "protection_domain, virtual_machine, cspace, profiler");
}

static void parse_name(const struct element *e, struct pd *pd)
{
    pd->name_loc = attr_loc(e, "name");
    const char *name = attr_name(e, "name", true);
    if (!name)
        return;
    if (strlen(name) > MAX_NAME_LENGTH) {
        diag_error(e->p->diag, pd->name_loc,
                   "protection domain name '%s' is longer than %d characters",
                   name, MAX_NAME_LENGTH);
    } else if (strcmp(name, "monitor") == 0) {
        diag_error(e->p->diag, pd->name_loc,
                   "the protection domain name 'monitor' is reserved for the "
                   "monitor");
    }
    /* Kept even when refused, so references to it do not add errors. */
    pd->name = name;
}

static void parse_stack_size(const struct element *e, struct pd *pd)
{
    pd->stack_size = DEFAULT_STACK_SIZE;
    uint64_t size;
    if (attr_number_in_range(e, "stack_size", false, MIN_STACK_SIZE,
                             MAX_STACK_SIZE, HEX, &size) != ATTR_VALID)
        return;
    if (!is_aligned(size, SMALL_PAGE)) {
        diag_error(e->p->diag, attr_loc(e, "stack_size"),
                   "stack_size %s is not a multiple of the page size 0x1000",
                   attr_text(e, "stack_size"));
        return;
    }
    pd->stack_size = size;
}

/* id and setvar_id name the child to its parent, so a root PD has none. */
static void parse_child_identity(const struct element *e, struct pd *pd)
{
    pd->id_loc = attr_loc(e, "id");
    if (pd->parent < 0) {
        static const char *const child_only[] = { "id", "setvar_id" };
        for (size_t i = 0; i < 2; i++)
            if (attr_text(e, child_only[i]))
                diag_error(e->p->diag, attr_loc(e, child_only[i]),
                           "attribute '%s' is only allowed on a child "
                           "protection domain",
                           child_only[i]);
        return;
    }
    pd->has_child_id = attr_number_in_range(e, "id", true, 0, MAX_CHILD_ID,
                                            DECIMAL, &pd->child_id) ==
                       ATTR_VALID;
    attr_setvar(e, "setvar_id", &pd->setvar_id);
}

static void parse_pd_attributes(const struct element *e, struct pd *pd)
{
    static const char *const attrs[] = {
        "name", "priority", "budget", "period", "passive", "stack_size", "cpu",
        "smc", "fpu", "domain", "id", "setvar_id", "debugger", NULL,
    };
    check_attributes(e, attrs);
    parse_name(e, pd);
    pd->priority_loc = attr_loc(e, "priority");
    pd->priority_valid = attr_number_in_range(e, "priority", false, 0,
                                              MAX_PRIORITY, DECIMAL,
                                              &pd->priority) != ATTR_INVALID;
    parse_budget_period(e, &pd->budget_us, &pd->period_us);
    parse_stack_size(e, pd);
    pd->cpu_loc = attr_loc(e, "cpu");
    attr_number(e, "cpu", false, &pd->cpu);
    pd->fpu = true;
    attr_bool(e, "passive", &pd->passive);
    attr_bool(e, "smc", &pd->smc);
    pd->smc_loc = attr_loc(e, "smc");
    attr_bool(e, "fpu", &pd->fpu);
    attr_bool(e, "debugger", &pd->debugger);
    pd->debugger_loc = attr_loc(e, "debugger");
    pd->domain_name = attr_name(e, "domain", false);
    pd->domain_loc = attr_loc(e, "domain");
    parse_child_identity(e, pd);
}

void parse_protection_domain(struct parser *p, const struct element *e,
                             int parent)
{
    struct system *sys = p->sys;
    if (++sys->pd_elements == MAX_PDS + 1)
        diag_error(p->diag, e->loc,
                   "too many protection domains: at most %d are allowed",
                   MAX_PDS);
    struct pd *pd = VEC_PUSH(p->arena, &sys->pds);
    pd->index = (int)(sys->pds.len - 1);
    pd->parent = parent;
    pd->vm = -1;
    pd->domain = -1;
    pd->image_index = -1;
    pd->loc = e->loc;
    parse_pd_attributes(e, pd);
    struct pd_ctx ctx = { .p = p, .index = pd->index, .pd_element = e };
    for_each_child(e, visit_pd_child, &ctx);
    pd = pd_at(&ctx);
    if (pd->program_images == 0)
        diag_error(p->diag, e->loc,
                   "protection domain '%s' has no <program_image>",
                   pd_label(pd));
}
