/* Helpers the element parsers share: attribute access with validation and
 * diagnostics, and iteration over child elements that reports stray text.
 * Every helper reports its own errors, so the element parsers read as a
 * list of what each attribute must be. */
#ifndef SDFGEN_ELEMENTS_H
#define SDFGEN_ELEMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "diag.h"
#include "model.h"
#include "xml.h"

struct parser {
    struct xml_doc *xml;
    struct arena *arena;
    struct diag *diag;
    struct system *sys;
};

/* The element being parsed. */
struct element {
    struct parser *p;
    xmlNodePtr node;
    const char *tag;
    struct loc loc;
};

enum attr_status { ATTR_ABSENT, ATTR_VALID, ATTR_INVALID };

/* How a number is shown in messages: as the user wrote it, but ranges in
 * decimal or hexadecimal. */
enum number_style { DECIMAL, HEX };

struct element element_of(struct parser *p, xmlNodePtr node);

/* Reports every attribute not in `allowed` (a NULL-terminated list). */
void check_attributes(const struct element *e, const char *const *allowed);

struct loc attr_loc(const struct element *e, const char *name);

/* The attribute's value (arena copy), or NULL if absent. */
const char *attr_text(const struct element *e, const char *name);
/* As attr_text, but reports a missing attribute. */
const char *attr_required(const struct element *e, const char *name);
/* A name-like attribute that must not be empty. */
const char *attr_name(const struct element *e, const char *name,
                      bool required);

enum attr_status attr_number(const struct element *e, const char *name,
                             bool required, uint64_t *value);
enum attr_status attr_number_in_range(const struct element *e,
                                      const char *name, bool required,
                                      uint64_t min, uint64_t max,
                                      enum number_style style,
                                      uint64_t *value);
enum attr_status attr_bool(const struct element *e, const char *name,
                           bool *value);
/* A symbol name to set (setvar_*): any non-empty text. */
void attr_setvar(const struct element *e, const char *name,
                 struct setvar_ref *ref);

/* Child iteration: calls `visit` for each child element, and reports text
 * (other than whitespace) anywhere among the children. */
typedef void (*child_visitor)(struct element *child, void *ctx);
void for_each_child(const struct element *e, child_visitor visit, void *ctx);

bool tag_is(const struct element *e, const char *tag);
/* Reports a child element that is not allowed where it is. */
void unexpected_element(const struct element *child,
                        const struct element *parent, const char *allowed);

#endif
