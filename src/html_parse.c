/* html_parse - libxml2's HTML parser in recovery mode, from UTF-8 bytes to
 * a tree, stopped by our start-element handler at HTML_MAX_NESTING open
 * elements; where it stopped early (nesting, or a fatal error) goes into
 * the article's warnings. It decodes no charset (input is UTF-8: see
 * charset.h) and reads nothing of the tree but where its root element is. */
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include "hearsay.h"
#include "html_int.h"

/* Where the parser stopped early. libxml2 stops at 256 nested elements
 * unless XML_PARSE_HUGE, which lifts that limit and every other (such as
 * text nodes of 10 MB); but its end tags search the open elements, so
 * nesting without a limit makes parsing quadratic: we stop it ourselves. */
typedef struct stop {
    int depth;            /* elements open when we stopped it (0: we did not) */
    unsigned long line;   /* where */
    unsigned long long byte;
} stop;

static void start_element(void *user, const xmlChar *name, const xmlChar **atts)
{
    xmlParserCtxtPtr pc = user;
    stop *st = pc->_private;
    if (pc->nodeNr >= HTML_MAX_NESTING && st && !st->depth) {
        st->depth = pc->nodeNr;
        st->line = pc->input ? (unsigned long)pc->input->line : 0;
        st->byte = pc->input ? (unsigned long long)pc->input->consumed +
                                   (unsigned long long)(pc->input->cur - pc->input->base)
                             : 0;
        xmlStopParser(pc);
        return;
    }
    xmlSAX2StartElement(user, name, atts);
}

static void parse_stopped(html_article *a, xmlParserCtxtPtr pc, const stop *st)
{
    if (st->depth) {
        buf_printf(&a->warn, "the HTML parser stopped at line %lu (byte %llu of the page in UTF-8): "
                   "elements nested more than %d deep; the rest of the page is not read",
                   st->line, st->byte, HTML_MAX_NESTING);
        return;
    }
    const xmlError *e = xmlCtxtGetLastError(pc);
    char msg[128] = "";
    if (e && e->message) {
        size_t k = 0;
        for (const char *m = e->message; *m && *m != '\n' && k + 1 < sizeof msg; m++)
            msg[k++] = (unsigned char)*m < 0x20 ? ' ' : *m;
        msg[k] = 0;
    }
    buf_printf(&a->warn, "the HTML parser stopped at line %d: %s; the rest of the page is not read",
               e ? e->line : 0, *msg ? msg : "fatal error");
}

/* The root element. Not <body>: a page with an unclosed element in its
 * head has its text under <head> in libxml2's tree. */
xmlNode *html_root(xmlDoc *doc)
{
    for (xmlNode *k = doc->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return k;
    return NULL;
}

int html_parse(html_article *a, const char *html, size_t len, const char *base_url,
               xmlDoc **out)
{
    *out = NULL;
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc)
        return HS_ENOMEM;
    stop st = {0};
    pc->sax->startElement = start_element; /* the context's own copy of the handler */
    pc->_private = &st;
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
               HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_NODEFDTD | XML_PARSE_HUGE;
    htmlDocPtr doc = htmlCtxtReadMemory(pc, html, (int)len, base_url, "UTF-8", opts);
    if (doc && (st.depth || pc->disableSAX))
        parse_stopped(a, pc, &st);
    htmlFreeParserCtxt(pc);
    *out = doc;
    return HS_OK;
}
