/* libxml2 glue: parse a document from memory with a safe configuration,
 * report libxml2's own errors as diagnostics, and give each element (and
 * each attribute) its true line:column in the source text. */
#ifndef SDFGEN_XML_H
#define SDFGEN_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

struct xml_doc {
    struct source src;
    size_t doctype; /* offset of a <!DOCTYPE, or NO_OFFSET */
    xmlParserCtxtPtr ctxt; /* kept: it holds the element positions */
    xmlDocPtr doc;
};

/* Parses `text`. On an XML error, reports it and returns false (nothing to
 * close then). On success, call xml_close() when done with the tree. */
bool xml_parse(struct xml_doc *xml, struct arena *arena, struct diag *diag,
               const char *file, const char *text, size_t len);
void xml_close(struct xml_doc *xml);

/* Frees libxml2's global state (at exit, so leak checkers stay quiet). */
void xml_cleanup(void);

/* Offset of the element's '<' in the source, or NO_OFFSET if unknown. */
size_t xml_element_offset(const struct xml_doc *xml, xmlNodePtr node);
/* Offset just past the element's end (after its end tag or "/>"). */
size_t xml_element_end(const struct xml_doc *xml, xmlNodePtr node);

struct loc xml_element_loc(const struct xml_doc *xml, xmlNodePtr node);
/* The attribute's position; the element's if the attribute is absent. */
struct loc xml_attribute_loc(const struct xml_doc *xml, xmlNodePtr node,
                             const char *name);

#endif
