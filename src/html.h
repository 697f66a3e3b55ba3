/* html - the article of a web page: libxml2's HTML parser in recovery mode
 * builds the tree; rules (text and link density, paragraph structure, tag,
 * class and id hints, <article>, JSON-LD and <meta>) pick the main text and
 * the title, byline, date, canonical URL and site name. It does not decode
 * charsets (see charset.h: input is UTF-8) and names no site. */
#ifndef HS_HTML_H
#define HS_HTML_H

#include <stddef.h>

#include "buf.h"

#define HTML_MAX_NESTING 512

/* The result of one extraction. Invariant: every buffer holds valid UTF-8
 * (or is empty); body holds the article's paragraphs separated by a blank
 * line, each paragraph on one line except where the page broke it with
 * <br>; blockquote paragraphs (quotes, embedded posts) are among them. */
typedef struct html_article {
    buf body;
    buf title, byline, date, url, site, lang;
    buf ldbody;       /* JSON-LD articleBody, if any (see html_write.c) */
    buf warn;         /* what of the page was not read, for the document's
                         errors ("" when all of it was) */
    const char *fallback; /* static text: the coarser reading body comes from when
                             the article's container gave almost nothing, or NULL */
    size_t nparas;    /* paragraphs in body */
    size_t nquotes;   /* of which block quotes or embedded posts */
    size_t json_budget; /* set by the caller: a JSON-LD script jansson would need
                           more memory for (jstr_cost) is left out; 0: none is */
    void *scratch;    /* per-node statistics, capacity kept between pages */
    size_t capscratch;
} html_article;

/* Extracts the article of len bytes of UTF-8 HTML (base_url may be NULL).
 * Returns HS_OK, HS_EEMPTY when the page has no article text (no body, or
 * nothing but boilerplate: body is empty and why says so), or HS_ENOMEM.
 * The buffers of a are cleared first and keep their capacity. The parser
 * stops at elements nested HTML_MAX_NESTING deep (or at any fatal error):
 * what it read is used, warn says where it stopped. */
int html_extract(html_article *a, const char *html, size_t len, const char *base_url,
                 const char **why);
void html_article_free(html_article *a);
/* Frees the buffers that grew past keep bytes (memory constant over a stream). */
void html_article_trim(html_article *a, size_t keep);

/* Before threads use the parser (libxml2's own setup; hs_engine_open calls it). */
void html_init(void);

#endif
