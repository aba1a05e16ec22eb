/* The document root <system> and the elements directly inside it other
 * than protection domains: <memory_region>, <channel>, <domains>. */
#include <string.h>

#include "numbers.h"
#include "parse.h"
#include "ranges.h"

static const char *const NO_ATTRS[] = { NULL };

/* ----------------------------------------------------------- memory regions */

static void parse_page_size(const struct element *e, struct mr *mr)
{
    mr->page_size = SMALL_PAGE;
    mr->page_size_loc = attr_loc(e, "page_size");
    uint64_t page_size;
    if (attr_number(e, "page_size", false, &page_size) != ATTR_VALID)
        return;
    if (page_size != SMALL_PAGE && page_size != LARGE_PAGE) {
        diag_error(e->p->diag, mr->page_size_loc,
                   "page_size %s is not supported (allowed: 0x1000, 0x200000)",
                   attr_text(e, "page_size"));
        mr->valid = false;
        return;
    }
    mr->page_size = page_size;
    mr->page_size_given = true;
}

static void parse_mr_size(const struct element *e, struct mr *mr)
{
    mr->size_loc = attr_loc(e, "size");
    enum attr_status status = attr_number(e, "size", false, &mr->size);
    if (status == ATTR_INVALID) {
        mr->valid = false;
        return;
    }
    if (status == ATTR_ABSENT) {
        if (!mr->prefill_path) {
            diag_error(e->p->diag, e->loc,
                       "<memory_region> requires attribute 'size' unless it "
                       "has a prefill_path");
            mr->valid = false;
        }
        return;
    }
    mr->size_given = true;
    if (mr->size == 0) {
        diag_error(e->p->diag, mr->size_loc, "size must not be zero");
        mr->valid = false;
    } else if (!is_aligned(mr->size, mr->page_size)) {
        diag_error(e->p->diag, mr->size_loc,
                   "size %s is not a multiple of the page size 0x%llx",
                   attr_text(e, "size"), (unsigned long long)mr->page_size);
        mr->valid = false;
    }
}

static void parse_phys_addr(const struct element *e, struct mr *mr)
{
    mr->paddr_loc = attr_loc(e, "phys_addr");
    enum attr_status status = attr_number(e, "phys_addr", false, &mr->paddr);
    if (status == ATTR_INVALID)
        mr->valid = false;
    if (status != ATTR_VALID)
        return;
    mr->paddr_kind = PADDR_FIXED;
    if (!is_aligned(mr->paddr, mr->page_size)) {
        diag_error(e->p->diag, mr->paddr_loc,
                   "phys_addr %s is not aligned to the page size 0x%llx",
                   attr_text(e, "phys_addr"), (unsigned long long)mr->page_size);
        mr->valid = false;
    } else if (mr->size_given && range_overflows(mr->paddr, mr->size)) {
        diag_error(e->p->diag, mr->paddr_loc,
                   "phys_addr %s + size %s runs past the end of the address "
                   "space",
                   attr_text(e, "phys_addr"), attr_text(e, "size"));
        mr->valid = false;
    }
}

static void parse_memory_region(struct parser *p, const struct element *e)
{
    static const char *const attrs[] = { "name", "size", "page_size",
                                         "phys_addr", "prefill_path", NULL };
    check_attributes(e, attrs);
    struct mr *mr = VEC_PUSH(p->arena, &p->sys->mrs);
    mr->loc = e->loc;
    mr->valid = true;
    mr->prefill_index = -1;
    mr->name = attr_name(e, "name", true);
    mr->name_loc = attr_loc(e, "name");
    mr->prefill_path = attr_name(e, "prefill_path", false);
    mr->prefill_loc = attr_loc(e, "prefill_path");
    parse_page_size(e, mr);
    parse_mr_size(e, mr);
    parse_phys_addr(e, mr);
    mr->valid &= mr->name != NULL;
}

/* ----------------------------------------------------------------- channels */

struct channel_ctx {
    struct parser *p;
    struct channel *channel;
    const struct element *element;
};

static void parse_end(const struct element *e, struct channel_end *end)
{
    static const char *const attrs[] = { "pd", "id", "pp", "notify",
                                         "setvar_id", NULL };
    check_attributes(e, attrs);
    end->loc = e->loc;
    end->pd = -1;
    end->pd_loc = attr_loc(e, "pd");
    end->id_loc = attr_loc(e, "id");
    end->pp_loc = attr_loc(e, "pp");
    end->pd_name = attr_name(e, "pd", true);
    bool ok = end->pd_name != NULL;
    ok &= attr_number_in_range(e, "id", true, 0, MAX_CHANNEL_ID, DECIMAL,
                               &end->id) == ATTR_VALID;
    end->notify = true;
    ok &= attr_bool(e, "pp", &end->pp) != ATTR_INVALID;
    ok &= attr_bool(e, "notify", &end->notify) != ATTR_INVALID;
    attr_setvar(e, "setvar_id", &end->setvar_id);
    end->valid = ok;
}

static void visit_channel_child(struct element *child, void *data)
{
    struct channel_ctx *ctx = data;
    if (!tag_is(child, "end")) {
        unexpected_element(child, ctx->element, "end");
        return;
    }
    struct channel *channel = ctx->channel;
    struct channel_end scratch;
    bool keep = channel->end_count < 2;
    parse_end(child, keep ? &channel->ends[channel->end_count] : &scratch);
    channel->end_count++;
}

static void parse_channel(struct parser *p, const struct element *e)
{
    check_attributes(e, NO_ATTRS);
    struct channel *channel = VEC_PUSH(p->arena, &p->sys->channels);
    channel->loc = e->loc;
    struct channel_ctx ctx = { p, channel, e };
    for_each_child(e, visit_channel_child, &ctx);
    channel->valid = channel->end_count == 2 && channel->ends[0].valid &&
                     channel->ends[1].valid;
    if (channel->end_count != 2)
        diag_error(p->diag, e->loc,
                   "<channel> must have exactly two <end> elements, found %u",
                   channel->end_count);
}

/* ------------------------------------------------------------------ domains */

struct domains_ctx {
    struct parser *p;
    const struct element *element;
};

static void parse_domain(struct parser *p, const struct element *e)
{
    static const char *const attrs[] = { "name", "id", NULL };
    check_attributes(e, attrs);
    const char *name = attr_name(e, "name", true);
    struct domain domain = { .name = name, .loc = e->loc,
                             .id_loc = attr_loc(e, "id") };
    enum attr_status id = attr_number(e, "id", false, &domain.id);
    domain.id_given = id == ATTR_VALID;
    if (name && id != ATTR_INVALID)
        *VEC_PUSH(p->arena, &p->sys->domains.list) = domain;
}

/* "<n> us" or "<n> ticks" (the space is optional). */
static bool parse_duration(const char *text, uint64_t *value,
                           enum duration_unit *unit)
{
    size_t digits = strcspn(text, " \tut");
    char number[32];
    if (digits == 0 || digits >= sizeof number)
        return false;
    memcpy(number, text, digits);
    number[digits] = '\0';
    const char *rest = text + digits + strspn(text + digits, " \t");
    if (strcmp(rest, "us") == 0)
        *unit = DURATION_US;
    else if (strcmp(rest, "ticks") == 0)
        *unit = DURATION_TICKS;
    else
        return false;
    return parse_number(number, value) == NUMBER_OK;
}

static void parse_schedule_entry(struct parser *p, const struct element *e)
{
    static const char *const attrs[] = { "domain", "duration", NULL };
    check_attributes(e, attrs);
    struct schedule_entry entry = {
        .domain = -1,
        .loc = e->loc,
        .domain_loc = attr_loc(e, "domain"),
        .domain_name = attr_name(e, "domain", true),
    };
    const char *duration = attr_required(e, "duration");
    if (duration && !parse_duration(duration, &entry.duration, &entry.unit))
        diag_error(p->diag, attr_loc(e, "duration"),
                   "duration '%s' must be a number followed by 'us' or "
                   "'ticks'",
                   duration);
    else if (duration && entry.duration == 0)
        diag_error(p->diag, attr_loc(e, "duration"),
                   "duration must not be zero");
    /* Kept when the duration is wrong, so the schedule is not "empty". */
    if (entry.domain_name)
        *VEC_PUSH(p->arena, &p->sys->domains.schedule) = entry;
}

static void visit_schedule_child(struct element *child, void *data)
{
    struct domains_ctx *ctx = data;
    if (tag_is(child, "schedule_entry"))
        parse_schedule_entry(ctx->p, child);
    else if (tag_is(child, "schedule_end_marker")) {
        /* A slot of its own: the kernel goes back to the start index there,
         * and entries after it form another schedule (start_index). */
        check_attributes(child, NO_ATTRS);
        *VEC_PUSH(ctx->p->arena, &ctx->p->sys->domains.schedule) =
            (struct schedule_entry){ .end_marker = true, .domain = -1, .loc = child->loc };
    }
    else
        unexpected_element(child, ctx->element,
                           "schedule_entry, schedule_end_marker");
}

static void parse_domain_schedule(struct parser *p, const struct element *e)
{
    static const char *const attrs[] = { "start_index", "index_shift", NULL };
    struct domains *domains = &p->sys->domains;
    if (domains->schedules++ > 0) {
        diag_error(p->diag, e->loc, "<domains> has more than one "
                                    "<domain_schedule>");
        diag_note(p->diag, domains->schedule_loc, "first defined here");
        return;
    }
    check_attributes(e, attrs);
    domains->schedule_loc = e->loc;
    domains->start_index_loc = attr_loc(e, "start_index");
    domains->index_shift_loc = attr_loc(e, "index_shift");
    attr_number(e, "start_index", false, &domains->start_index);
    attr_number(e, "index_shift", false, &domains->index_shift);
    struct domains_ctx ctx = { p, e };
    for_each_child(e, visit_schedule_child, &ctx);
}

static void visit_domains_child(struct element *child, void *data)
{
    struct domains_ctx *ctx = data;
    if (tag_is(child, "domain"))
        parse_domain(ctx->p, child);
    else if (tag_is(child, "domain_schedule"))
        parse_domain_schedule(ctx->p, child);
    else
        unexpected_element(child, ctx->element, "domain, domain_schedule");
}

static void parse_domains(struct parser *p, const struct element *e)
{
    struct domains *domains = &p->sys->domains;
    if (domains->present) {
        diag_error(p->diag, e->loc, "<domains> may only appear once");
        diag_note(p->diag, domains->loc, "first defined here");
        return;
    }
    check_attributes(e, NO_ATTRS);
    domains->present = true;
    domains->loc = e->loc;
    struct domains_ctx ctx = { p, e };
    for_each_child(e, visit_domains_child, &ctx);
    if (domains->list.len == 0)
        diag_error(p->diag, e->loc, "<domains> has no <domain>");
    if (domains->schedules == 0)
        diag_error(p->diag, e->loc, "<domains> has no <domain_schedule>");
}

/* ------------------------------------------------------------------- system */

struct system_ctx {
    struct parser *p;
    const struct element *element;
};

static void visit_system_child(struct element *child, void *data)
{
    struct system_ctx *ctx = data;
    struct parser *p = ctx->p;
    if (tag_is(child, "protection_domain"))
        parse_protection_domain(p, child, -1);
    else if (tag_is(child, "memory_region"))
        parse_memory_region(p, child);
    else if (tag_is(child, "channel"))
        parse_channel(p, child);
    else if (tag_is(child, "domains"))
        parse_domains(p, child);
    else if (tag_is(child, "virtual_machine"))
        diag_error(p->diag, child->loc,
                   "<virtual_machine> must be inside the <protection_domain> "
                   "that is its virtual machine monitor");
    else if (tag_is(child, "io_address_space"))
        diag_error(p->diag, child->loc,
                   "IOMMU address spaces (<io_address_space>) are only "
                   "available on x86");
    else
        unexpected_element(child, ctx->element,
                           "protection_domain, memory_region, channel, domains");
}

bool sdf_parse(struct system *sys, struct arena *arena, struct diag *diag,
               const char *file, const char *text, size_t len)
{
    memset(sys, 0, sizeof *sys);
    sys->file = file;
    struct xml_doc xml;
    if (!xml_parse(&xml, arena, diag, file, text, len))
        return false;
    struct parser p = { &xml, arena, diag, sys };
    xmlNodePtr root = xmlDocGetRootElement(xml.doc);
    bool ok = root != NULL;
    if (root) {
        struct element e = element_of(&p, root);
        sys->loc = e.loc;
        if (tag_is(&e, "system")) {
            check_attributes(&e, NO_ATTRS);
            struct system_ctx ctx = { &p, &e };
            for_each_child(&e, visit_system_child, &ctx);
            if (sys->pd_elements == 0)
                diag_error(diag, e.loc,
                           "at least one protection domain must be defined");
        } else {
            diag_error(diag, e.loc, "the root element must be <system>, not <%s>",
                       e.tag);
            ok = false;
        }
    }
    xml_close(&xml);
    sys->parsed = ok;
    return ok;
}
