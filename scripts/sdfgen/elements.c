/* Shared helpers of the element parsers. */
#include "elements.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "numbers.h"

struct element element_of(struct parser *p, xmlNodePtr node)
{
    const char *tag = (const char *)node->name;
    if (node->ns && node->ns->prefix)
        tag = arena_printf(p->arena, "%s:%s", node->ns->prefix, node->name);
    return (struct element){
        .p = p,
        .node = node,
        .tag = tag,
        .loc = xml_element_loc(p->xml, node),
    };
}

bool tag_is(const struct element *e, const char *tag)
{
    return e->node->ns == NULL && strcmp((const char *)e->node->name, tag) == 0;
}

struct loc attr_loc(const struct element *e, const char *name)
{
    return xml_attribute_loc(e->p->xml, e->node, name);
}

static bool in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

static const char *join(struct arena *arena, const char *const *list)
{
    size_t len = 1;
    for (const char *const *item = list; *item; item++)
        len += strlen(*item) + 2;
    char *text = arena_alloc(arena, len);
    for (const char *const *item = list; *item; item++) {
        if (item != list)
            strcat(text, ", ");
        strcat(text, *item);
    }
    return text;
}

void check_attributes(const struct element *e, const char *const *allowed)
{
    for (xmlAttrPtr attr = e->node->properties; attr; attr = attr->next) {
        const char *name = (const char *)attr->name;
        if (!attr->ns && in_list(name, allowed))
            continue;
        if (attr->ns && attr->ns->prefix)
            name = arena_printf(e->p->arena, "%s:%s", attr->ns->prefix, name);
        const char *list = join(e->p->arena, allowed);
        diag_error(e->p->diag, attr_loc(e, (const char *)attr->name),
                   "unknown attribute '%s' on <%s> (allowed: %s)", name,
                   e->tag, *list ? list : "none");
    }
}

const char *attr_text(const struct element *e, const char *name)
{
    xmlChar *value = xmlGetNoNsProp(e->node, (const xmlChar *)name);
    if (!value)
        return NULL;
    const char *copy = arena_strdup(e->p->arena, (const char *)value);
    xmlFree(value);
    return copy;
}

const char *attr_required(const struct element *e, const char *name)
{
    const char *value = attr_text(e, name);
    if (!value)
        diag_error(e->p->diag, e->loc, "<%s> requires attribute '%s'", e->tag,
                   name);
    return value;
}

const char *attr_name(const struct element *e, const char *name, bool required)
{
    const char *value = required ? attr_required(e, name) : attr_text(e, name);
    if (value && value[0] == '\0') {
        diag_error(e->p->diag, attr_loc(e, name), "%s must not be empty", name);
        return NULL;
    }
    return value;
}

enum attr_status attr_number(const struct element *e, const char *name,
                             bool required, uint64_t *value)
{
    const char *text = required ? attr_required(e, name) : attr_text(e, name);
    if (!text)
        return required ? ATTR_INVALID : ATTR_ABSENT;
    switch (parse_number(text, value)) {
    case NUMBER_OK:
        return ATTR_VALID;
    case NUMBER_OVERFLOW:
        diag_error(e->p->diag, attr_loc(e, name),
                   "%s '%s' does not fit in 64 bits", name, text);
        return ATTR_INVALID;
    case NUMBER_INVALID:
        break;
    }
    diag_error(e->p->diag, attr_loc(e, name),
               "%s '%s' is not a number (expected decimal or 0x-prefixed "
               "hexadecimal)",
               name, text);
    return ATTR_INVALID;
}

enum attr_status attr_number_in_range(const struct element *e,
                                      const char *name, bool required,
                                      uint64_t min, uint64_t max,
                                      enum number_style style,
                                      uint64_t *value)
{
    uint64_t parsed;
    enum attr_status status = attr_number(e, name, required, &parsed);
    if (status != ATTR_VALID)
        return status;
    if (parsed < min || parsed > max) {
        const char *fmt = style == HEX
                              ? "%s %s is out of range 0x%" PRIx64 "..0x%" PRIx64
                              : "%s %s is out of range %" PRIu64 "..%" PRIu64;
        diag_error(e->p->diag, attr_loc(e, name), fmt, name,
                   attr_text(e, name), min, max);
        return ATTR_INVALID;
    }
    *value = parsed;
    return ATTR_VALID;
}

enum attr_status attr_bool(const struct element *e, const char *name,
                           bool *value)
{
    const char *text = attr_text(e, name);
    if (!text)
        return ATTR_ABSENT;
    if (parse_bool(text, value))
        return ATTR_VALID;
    diag_error(e->p->diag, attr_loc(e, name),
               "%s '%s' must be 'true' or 'false'", name, text);
    return ATTR_INVALID;
}

void attr_setvar(const struct element *e, const char *name,
                 struct setvar_ref *ref)
{
    ref->symbol = attr_name(e, name, false);
    ref->loc = attr_loc(e, name);
}

static bool is_blank(const char *text)
{
    for (; *text; text++)
        if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r')
            return false;
    return true;
}

static bool is_space_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A short, printable excerpt of unexpected text for the message: runs of
 * whitespace become one space, control characters become spaces. */
static const char *excerpt(struct arena *arena, const char *text)
{
    enum { MAX_EXCERPT = 24 };
    char *copy = arena_alloc(arena, MAX_EXCERPT + 4);
    size_t len = 0;
    while (is_space_char(*text))
        text++;
    for (; *text && len < MAX_EXCERPT; text++) {
        if (is_space_char(*text) && (len == 0 || copy[len - 1] == ' '))
            continue;
        unsigned char c = (unsigned char)*text;
        copy[len++] = c < 0x20 || c == 0x7f || is_space_char(*text) ? ' ' : *text;
    }
    /* Do not cut a UTF-8 sequence in two. */
    if (*text)
        while (len > 0 && ((unsigned char)*text & 0xc0) == 0x80)
            text--, len--;
    while (len > 0 && copy[len - 1] == ' ')
        len--;
    copy[len] = '\0';
    bool more = false;
    for (const char *rest = text; *rest; rest++)
        more |= !is_space_char(*rest);
    return more ? arena_printf(arena, "%s...", copy) : copy;
}

/* Reports non-blank text; returns where text after it could begin. The
 * text starts at the first byte after `cursor` that is not whitespace or
 * a comment. */
static size_t report_text(const struct element *parent, xmlNodePtr text,
                          size_t cursor)
{
    struct parser *p = parent->p;
    const char *content = (const char *)text->content;
    if (text->type == XML_ENTITY_REF_NODE)
        content = arena_printf(p->arena, "&%s;", text->name);
    else if (!content || is_blank(content))
        return cursor;
    struct loc loc = parent->loc;
    const struct source *src = &p->xml->src;
    size_t at = cursor == NO_OFFSET ? NO_OFFSET
                                    : source_skip_markup_space(src, cursor);
    if (at != NO_OFFSET)
        loc = source_loc(src, at);
    diag_error(p->diag, loc, "unexpected text '%s' in <%s>",
               excerpt(p->arena, content), parent->tag);
    if (at == NO_OFFSET || at + 1 >= src->len)
        return NO_OFFSET;
    const char *next = memchr(src->text + at + 1, '<', src->len - at - 1);
    return next ? (size_t)(next - src->text) : NO_OFFSET;
}

void for_each_child(const struct element *e, child_visitor visit, void *ctx)
{
    size_t start = xml_element_offset(e->p->xml, e->node);
    /* Where the text before the next child could begin. */
    size_t cursor = start == NO_OFFSET
                        ? NO_OFFSET
                        : source_start_tag_end(&e->p->xml->src, start);
    for (xmlNodePtr node = e->node->children; node; node = node->next) {
        switch (node->type) {
        case XML_ELEMENT_NODE: {
            struct element child = element_of(e->p, node);
            visit(&child, ctx);
            cursor = xml_element_end(e->p->xml, node);
            break;
        }
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
        case XML_ENTITY_REF_NODE:
            cursor = report_text(e, node, cursor);
            break;
        default: /* comments and processing instructions */
            break;
        }
    }
}

void unexpected_element(const struct element *child,
                        const struct element *parent, const char *allowed)
{
    diag_error(child->p->diag, child->loc,
               "unexpected element <%s> in <%s> (allowed: %s)", child->tag,
               parent->tag, allowed);
}
