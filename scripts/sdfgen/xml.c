/* libxml2 glue.
 *
 * Positions: libxml2 keeps only a line number in each node (the line where
 * the start tag ends). To report true line:column, sdfgen wraps the SAX
 * callbacks that build elements: when an element starts, the parser's input
 * position is at the end of its start tag, and when it ends, just past its
 * end tag; both byte offsets are stored in the node's _private field (which
 * libxml2 leaves to applications). The element's '<' is then found by
 * scanning back from the end of its start tag: no '<' can occur inside a
 * start tag (attribute values must escape it), so the nearest one is the
 * tag's. Offsets are turned into line:column with the source's line
 * index. Should an offset not point at the element (an input in another
 * encoding is converted to UTF-8 before parsing, which shifts offsets), the
 * element is looked for near the line libxml2 recorded instead.
 *
 * (libxml2's own "node info" records are not used: in 2.9 the start offset
 * of an element with content is not filled in, and keeping them sorted
 * costs quadratic time on large inputs.)
 *
 * Safety: no network (XML_PARSE_NONET), entities are not substituted
 * (no XML_PARSE_NOENT), external entities are never loaded (a refusing
 * entity loader), a DTD is refused, and libxml2's default limits stay on
 * (no XML_PARSE_HUGE): the nesting depth limit turns deep nesting into an
 * ordinary error. */
#include "xml.h"

#include <stdint.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#define FALLBACK_SEARCH_BYTES 65536
/* No SDF element has more than a dozen attributes; see check_tags(). */
#define MAX_ATTRIBUTES 256

/* Stored in each element's _private. */
struct element_span {
    size_t start_tag_end; /* offset of the '>' (or "/>") of the start tag */
    size_t end;           /* offset just past the end tag, or NO_OFFSET */
    size_t start;         /* offset of the '<', once looked up */
    bool start_known;
};

struct parse_state {
    struct arena *arena;
};

struct error_sink {
    struct diag *diag;
    const char *file;
};

static void strip_newline(char *message)
{
    size_t len = strlen(message);
    while (len > 0 && (message[len - 1] == '\n' || message[len - 1] == ' '))
        message[--len] = '\0';
}

static void report_xml_error(void *ctx, xmlErrorPtr error)
{
    struct error_sink *sink = ctx;
    char message[512];
    snprintf(message, sizeof message, "%s",
             error->message ? error->message : "malformed XML");
    strip_newline(message);
    /* libxml2's advice for this one (XML_PARSE_HUGE) is not the user's to
     * take: say what is wrong instead. */
    if (strncmp(message, "Excessive depth in document", 27) == 0)
        snprintf(message, sizeof message,
                 "elements are nested too deeply (libxml2's limit is 256 levels)");
    struct loc loc = {
        .file = sink->file,
        .line = error->line > 0 ? (unsigned)error->line : 0,
        .col = error->int2 > 0 ? (unsigned)error->int2 : 0,
    };
    if (error->level == XML_ERR_WARNING)
        diag_warning(sink->diag, loc, "%s", message);
    else
        diag_error(sink->diag, loc, "%s", message);
}

static xmlParserInputPtr refuse_external_entity(const char *url,
                                                const char *id,
                                                xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

/* The parser's position in the input, in bytes of the (UTF-8) input. */
static size_t input_offset(xmlParserCtxtPtr ctxt)
{
    return (size_t)ctxt->input->consumed +
           (size_t)(ctxt->input->cur - ctxt->input->base);
}

static void start_element(void *ctx, const xmlChar *localname,
                          const xmlChar *prefix, const xmlChar *uri,
                          int nb_namespaces, const xmlChar **namespaces,
                          int nb_attributes, int nb_defaulted,
                          const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
                          namespaces, nb_attributes, nb_defaulted, attributes);
    struct parse_state *state = ctxt->_private;
    if (!ctxt->node || ctxt->node->_private)
        return;
    struct element_span *span = arena_alloc(state->arena, sizeof *span);
    span->start_tag_end = input_offset(ctxt);
    span->end = NO_OFFSET;
    span->start = NO_OFFSET;
    ctxt->node->_private = span;
}

static void end_element(void *ctx, const xmlChar *localname,
                        const xmlChar *prefix, const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    if (ctxt->node && ctxt->node->_private) {
        struct element_span *span = ctxt->node->_private;
        span->end = input_offset(ctxt);
    }
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

/* The offset just past the first `terminator` at or after `from`, or the
 * end of the text. */
static size_t skip_past(const struct source *src, size_t from,
                        const char *terminator)
{
    size_t len = strlen(terminator);
    for (size_t i = from; i + len <= src->len; i++)
        if (memcmp(src->text + i, terminator, len) == 0)
            return i + len;
    return src->len;
}

static bool starts_with(const struct source *src, size_t at, const char *prefix)
{
    size_t len = strlen(prefix);
    return src->len - at >= len && memcmp(src->text + at, prefix, len) == 0;
}

/* libxml2 2.9 checks the attributes of a start tag for duplicates in time
 * quadratic in their number, so a tag with a million attributes would
 * stall it. Before parsing, each start tag's '=' signs (outside quotes)
 * are counted, skipping comments, CDATA sections, processing instructions
 * and declarations, and a tag with too many is refused. */
static bool check_tags(struct xml_doc *xml, struct diag *diag)
{
    const struct source *src = &xml->src;
    static const char *const skipped[][2] = {
        { "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" }, { "<!", ">" },
    };
    size_t i = 0;
    while (i < src->len) {
        if (src->text[i] != '<') {
            i++;
            continue;
        }
        size_t k = 0;
        while (k < 4 && !starts_with(src, i, skipped[k][0]))
            k++;
        if (k == 3 && starts_with(src, i, "<!DOCTYPE") && xml->doctype == NO_OFFSET)
            xml->doctype = i;
        if (k < 4) {
            i = skip_past(src, i + strlen(skipped[k][0]), skipped[k][1]);
            continue;
        }
        size_t tag = i++;
        unsigned equals = 0;
        char quote = 0;
        for (; i < src->len; i++) {
            char c = src->text[i];
            if (quote) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '=') {
                equals++;
            } else if (c == '>' || c == '<') {
                break;
            }
        }
        if (equals > MAX_ATTRIBUTES) {
            diag_error(diag, source_loc(src, tag),
                       "element has more than %d attributes", MAX_ATTRIBUTES);
            return false;
        }
    }
    return true;
}

static void report_doctype(struct xml_doc *xml, struct diag *diag)
{
    struct loc loc = xml->doctype != NO_OFFSET ? source_loc(&xml->src, xml->doctype)
                                               : loc_file(xml->src.name);
    diag_error(diag, loc,
               "a document type declaration (<!DOCTYPE>) is not allowed in a "
               "system description");
}

static void run_parser(struct xml_doc *xml, struct arena *arena)
{
    struct parse_state state = { arena };
    xml->ctxt = xmlCreateMemoryParserCtxt(xml->src.text, (int)xml->src.len);
    if (!xml->ctxt)
        return;
    xmlCtxtUseOptions(xml->ctxt, XML_PARSE_NONET);
    xml->ctxt->_private = &state;
    xml->ctxt->sax->startElementNs = start_element;
    xml->ctxt->sax->endElementNs = end_element;
    xmlParseDocument(xml->ctxt);
    xml->ctxt->_private = NULL;
    xml->doc = xml->ctxt->myDoc;
}

bool xml_parse(struct xml_doc *xml, struct arena *arena, struct diag *diag,
               const char *file, const char *text, size_t len)
{
    memset(xml, 0, sizeof *xml);
    source_init(&xml->src, arena, file, text, len);
    if (len > (size_t)INT32_MAX) {
        diag_error(diag, loc_file(file), "file is too large");
        return false;
    }
    xml->doctype = NO_OFFSET;
    if (!check_tags(xml, diag))
        return false;
    struct error_sink sink = { diag, file };
    unsigned errors_before = diag->errors;
    xmlSetStructuredErrorFunc(&sink, report_xml_error);
    xmlSetExternalEntityLoader(refuse_external_entity);
    run_parser(xml, arena);
    xmlSetStructuredErrorFunc(NULL, NULL);
    bool ok = xml->ctxt && xml->ctxt->wellFormed && xml->doc &&
              diag->errors == errors_before;
    if (ok && (xml->doc->intSubset || xml->doc->extSubset)) {
        report_doctype(xml, diag);
        ok = false;
    }
    if (!ok) {
        if (diag->errors == errors_before)
            diag_error(diag, loc_file(file), "cannot parse the XML document");
        xml_close(xml);
    }
    return ok;
}

void xml_close(struct xml_doc *xml)
{
    if (xml->doc)
        xmlFreeDoc(xml->doc);
    if (xml->ctxt) {
        xml->ctxt->myDoc = NULL;
        xmlFreeParserCtxt(xml->ctxt);
    }
    xml->doc = NULL;
    xml->ctxt = NULL;
}

void xml_cleanup(void)
{
    xmlCleanupParser();
}

/* The element's name as written: prefix:name or name. */
static bool tag_at(const struct xml_doc *xml, size_t offset, xmlNodePtr node)
{
    const struct source *src = &xml->src;
    const char *prefix = node->ns && node->ns->prefix ? (const char *)node->ns->prefix
                                                      : NULL;
    const char *name = (const char *)node->name;
    if (offset >= src->len || src->text[offset] != '<')
        return false;
    size_t pos = offset + 1;
    if (prefix) {
        size_t prefix_len = strlen(prefix);
        if (src->len - pos < prefix_len + 1 ||
            memcmp(src->text + pos, prefix, prefix_len) != 0 ||
            src->text[pos + prefix_len] != ':')
            return false;
        pos += prefix_len + 1;
    }
    size_t name_len = strlen(name);
    if (src->len - pos < name_len || memcmp(src->text + pos, name, name_len) != 0)
        return false;
    pos += name_len;
    if (pos == src->len)
        return true;
    char after = src->text[pos];
    return after == ' ' || after == '\t' || after == '\n' || after == '\r' ||
           after == '/' || after == '>';
}

/* Fallback: the last start of this element's tag at or before the end of
 * the line libxml2 recorded, looking back a bounded distance. */
static size_t search_by_line(const struct xml_doc *xml, xmlNodePtr node)
{
    long line = xmlGetLineNo(node);
    if (line <= 0)
        return NO_OFFSET;
    size_t end = source_line_offset(&xml->src, (unsigned)line + 1);
    if (end == NO_OFFSET)
        end = xml->src.len;
    size_t start = end > FALLBACK_SEARCH_BYTES ? end - FALLBACK_SEARCH_BYTES : 0;
    for (size_t pos = end; pos-- > start;)
        if (tag_at(xml, pos, node))
            return pos;
    return NO_OFFSET;
}

static struct element_span *span_of(xmlNodePtr node)
{
    if (!node || node->type != XML_ELEMENT_NODE)
        return NULL;
    return node->_private;
}

static size_t find_element_start(const struct xml_doc *xml, xmlNodePtr node,
                                 const struct element_span *span)
{
    if (span && span->start_tag_end < xml->src.len) {
        size_t pos = span->start_tag_end + 1;
        while (pos-- > 0 && xml->src.text[pos] != '<')
            continue;
        if (pos != (size_t)-1 && tag_at(xml, pos, node))
            return pos;
    }
    return search_by_line(xml, node);
}

size_t xml_element_offset(const struct xml_doc *xml, xmlNodePtr node)
{
    if (!node || node->type != XML_ELEMENT_NODE)
        return NO_OFFSET;
    struct element_span *span = span_of(node);
    if (!span)
        return find_element_start(xml, node, NULL);
    if (!span->start_known) {
        span->start = find_element_start(xml, node, span);
        span->start_known = true;
    }
    return span->start;
}

size_t xml_element_end(const struct xml_doc *xml, xmlNodePtr node)
{
    const struct element_span *span = span_of(node);
    if (!span || span->end > xml->src.len ||
        xml_element_offset(xml, node) == NO_OFFSET)
        return NO_OFFSET;
    return span->end;
}

struct loc xml_element_loc(const struct xml_doc *xml, xmlNodePtr node)
{
    size_t offset = xml_element_offset(xml, node);
    if (offset != NO_OFFSET)
        return source_loc(&xml->src, offset);
    long line = node ? xmlGetLineNo(node) : 0;
    return (struct loc){ xml->src.name, line > 0 ? (unsigned)line : 0, 0 };
}

struct loc xml_attribute_loc(const struct xml_doc *xml, xmlNodePtr node,
                             const char *name)
{
    size_t offset = xml_element_offset(xml, node);
    if (offset != NO_OFFSET) {
        size_t attr = source_find_attribute(&xml->src, offset, name);
        if (attr != NO_OFFSET)
            return source_loc(&xml->src, attr);
    }
    return xml_element_loc(xml, node);
}
