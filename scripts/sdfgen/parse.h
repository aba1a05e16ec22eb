/* SDF parsing: XML text to the model, with every rule that concerns one
 * element and its attributes checked on the way (ranges, required and
 * unknown attributes, allowed children). Rules that relate elements to
 * each other are in check.c. */
#ifndef SDFGEN_PARSE_H
#define SDFGEN_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "elements.h"
#include "model.h"

/* Returns false when the document could not be turned into a model at
 * all (malformed XML, wrong root); errors in individual elements are
 * reported and parsing continues. */
bool sdf_parse(struct system *sys, struct arena *arena, struct diag *diag,
               const char *file, const char *text, size_t len);

/* Element parsers (parse_pd.c, parse_system.c). */
void parse_protection_domain(struct parser *p, const struct element *e,
                             int parent);
void parse_map(const struct element *e, struct map *map, bool in_pd);
/* <profiler> (profiler.c), appended to a PD's VEC(struct profiler). */
void parse_profiler(struct parser *p, const struct element *e, void *list);

#endif
