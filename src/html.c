/* html - extracts the article of a web page (see html.h), in four steps
 * over one libxml2 tree: parse (html_parse.c), metadata (html_meta.c),
 * scoring the containers of text (html_score.c, with what tags, classes
 * and ids say from html_tags.c) and writing the best one out
 * (html_write.c). This file is all of html.h: it runs the steps, sets the
 * libraries up and owns the article's buffers, with no rule of its own. */
#include "html.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <stdlib.h>

#include "hearsay.h"
#include "html_int.h"

void html_init(void)
{
    xmlInitParser();    /* idempotent; libxml2 wants it before threads parse */
    json_object_seed(0); /* jansson's hash seed (JSON-LD), set before threads need it */
}

void html_article_trim(html_article *a, size_t keep)
{
    buf *all[] = {&a->body, &a->title, &a->byline, &a->date, &a->url, &a->site, &a->lang,
                  &a->ldbody, &a->warn};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_trim(all[i], keep);
    if (a->capscratch * sizeof(html_nst) > keep) {
        free(a->scratch);
        a->scratch = NULL;
        a->capscratch = 0;
    }
}

void html_article_free(html_article *a)
{
    if (!a)
        return;
    buf *all[] = {&a->body, &a->title, &a->byline, &a->date, &a->url, &a->site, &a->lang,
                  &a->ldbody, &a->warn};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_free(all[i]);
    free(a->scratch);
    a->scratch = NULL;
    a->capscratch = 0;
}

int html_extract(html_article *a, const char *html, size_t len, const char *base_url,
                 const char **why)
{
    buf *all[] = {&a->body, &a->title, &a->byline, &a->date, &a->url, &a->site, &a->lang,
                  &a->ldbody, &a->warn};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_clear(all[i]);
    a->nparas = a->nquotes = 0;
    a->fallback = NULL;
    *why = NULL;
    if (len > (size_t)INT32_MAX) {
        *why = "page too large for the HTML parser";
        return HS_EEMPTY;
    }
    xmlDoc *doc;
    if (html_parse(a, html, len, base_url, &doc) != HS_OK)
        return HS_ENOMEM;
    if (!doc) {
        *why = "not parseable as HTML";
        return HS_EEMPTY;
    }
    html_ctx c = {.a = a, .st = a->scratch, .capst = a->capscratch};
    /* metadata first: the title it finds is left out of the text */
    int oom = html_meta(a, doc, base_url) != HS_OK;
    xmlNode *root = html_root(doc), *top = NULL;
    float score = 0;
    int rc = HS_OK;
    if (!root) {
        *why = "no elements and no text";
        rc = HS_EEMPTY;
    } else if (html_score(&c, root, &top, &score) != HS_OK ||
               html_write(&c, root, top, score) != HS_OK) {
        rc = HS_ENOMEM;
    } else if (!a->body.len) {
        *why = c.st[0].text ? "no article text (only site furniture)" : "no text in <body>";
        rc = HS_EEMPTY;
    }
    /* libxml2 frees nodes without looking at _private */
    a->scratch = c.st;
    a->capscratch = c.capst;
    xmlFreeDoc(doc);
    if (oom && rc == HS_OK)
        rc = HS_ENOMEM;
    return rc;
}
