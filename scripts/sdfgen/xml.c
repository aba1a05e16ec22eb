/* libxml2 glue.
 *
 * Positions: libxml2 stores only a line number in each node, and that is
 * the line where the start tag ends. With the parser context's record_info
 * flag set, it also records for each element the byte offset of its '<'
 * and of its end ("node info", xmlParserFindNodeInfo). sdfgen keeps the
 * context alive while it walks the tree and turns those offsets into
 * line:column with the source's line index. Should an offset not point at
 * the element's '<' (an input in another encoding is converted to UTF-8
 * before parsing, which shifts offsets), the element is looked for on the
 * line libxml2 recorded instead.
 *
 * Safety: no network (XML_PARSE_NONET), entities are not substituted
 * (no XML_PARSE_NOENT), external entities are never loaded (a refusing
 * entity loader), and libxml2's default limits stay on (no
 * XML_PARSE_HUGE): the nesting depth limit turns deep nesting into an
 * ordinary error. */
#include "xml.h"

#include <string.h>

#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

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

static void report_doctype(struct xml_doc *xml, struct diag *diag)
{
    const char *found = NULL;
    for (size_t i = 0; i + 9 <= xml->src.len; i++)
        if (memcmp(xml->src.text + i, "<!DOCTYPE", 9) == 0) {
            found = xml->src.text + i;
            break;
        }
    struct loc loc = found ? source_loc(&xml->src, (size_t)(found - xml->src.text))
                           : loc_file(xml->src.name);
    diag_error(diag, loc,
               "a document type declaration (<!DOCTYPE>) is not allowed in a "
               "system description");
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
    struct error_sink sink = { diag, file };
    unsigned errors_before = diag->errors;
    xmlSetStructuredErrorFunc(&sink, report_xml_error);
    xmlSetExternalEntityLoader(refuse_external_entity);
    xml->ctxt = xmlCreateMemoryParserCtxt(text, (int)len);
    if (xml->ctxt) {
        xmlCtxtUseOptions(xml->ctxt, XML_PARSE_NONET);
        xml->ctxt->record_info = 1;
        xmlParseDocument(xml->ctxt);
        xml->doc = xml->ctxt->myDoc;
    }
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
        /* libxml2 2.9 does not free the node info with the context. */
        xmlClearNodeInfoSeq(&xml->ctxt->node_seq);
        xmlFreeParserCtxt(xml->ctxt);
    }
    xml->doc = NULL;
    xml->ctxt = NULL;
}

static const xmlParserNodeInfo *node_info(const struct xml_doc *xml,
                                          xmlNodePtr node)
{
    if (!xml->ctxt || !node || node->type != XML_ELEMENT_NODE)
        return NULL;
    return xmlParserFindNodeInfo(xml->ctxt, node);
}

static bool tag_at(const struct xml_doc *xml, size_t offset, const char *name)
{
    size_t name_len = strlen(name);
    if (offset >= xml->src.len || xml->src.text[offset] != '<' ||
        xml->src.len - offset - 1 < name_len ||
        memcmp(xml->src.text + offset + 1, name, name_len) != 0)
        return false;
    if (offset + 1 + name_len == xml->src.len)
        return true;
    char after = xml->src.text[offset + 1 + name_len];
    return after == ' ' || after == '\t' || after == '\n' || after == '\r' ||
           after == '/' || after == '>';
}

/* Fallback: the last "<name" that starts on or before the recorded line
 * (the line where the start tag ends), searching back a few lines for
 * start tags that span several. */
static size_t search_by_line(const struct xml_doc *xml, xmlNodePtr node)
{
    long line = xmlGetLineNo(node);
    size_t end = source_line_offset(&xml->src, line > 0 ? (unsigned)line + 1 : 0);
    if (end == NO_OFFSET)
        end = xml->src.len;
    size_t start = source_line_offset(&xml->src, line > 8 ? (unsigned)line - 8 : 1);
    if (start == NO_OFFSET)
        return NO_OFFSET;
    for (size_t pos = end; pos-- > start;)
        if (tag_at(xml, pos, (const char *)node->name))
            return pos;
    return NO_OFFSET;
}

size_t xml_element_offset(const struct xml_doc *xml, xmlNodePtr node)
{
    const xmlParserNodeInfo *info = node_info(xml, node);
    if (info && tag_at(xml, info->begin_pos, (const char *)node->name))
        return info->begin_pos;
    return node && node->type == XML_ELEMENT_NODE ? search_by_line(xml, node)
                                                  : NO_OFFSET;
}

size_t xml_element_end(const struct xml_doc *xml, xmlNodePtr node)
{
    const xmlParserNodeInfo *info = node_info(xml, node);
    if (info && info->end_pos <= xml->src.len &&
        xml_element_offset(xml, node) == info->begin_pos)
        return info->end_pos;
    return NO_OFFSET;
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

void xml_cleanup(void)
{
    xmlCleanupParser();
}
