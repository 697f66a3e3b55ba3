/* html_int - what the html*.c files share and nothing else includes: the
 * kinds of tag, the statistics each element of the page gets, the context
 * of one extraction, and the steps html_extract (html.c) runs in order:
 * parse, metadata, scoring, writing. The rest of the engine uses html.h;
 * these steps call only the base modules, libxml2 and jansson. */
#ifndef HS_HTML_INT_H
#define HS_HTML_INT_H

#include <libxml/tree.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "html.h"

#define HTML_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The passes' recursion limit: above the parser's (HTML_MAX_NESTING), so
 * that no text the parser kept is left out here. */
#define HTML_PASS_DEPTH 600

/* ---- what a tag is (html_tags.c) ---------------------------------------- */

enum {
    K_INLINE = 0, /* text flows through it */
    K_BLOCK,      /* starts a new paragraph */
    K_PARA,       /* p, pre, li, dd, dt ...: holds a paragraph of text */
    K_HEAD,       /* h1 .. h6 */
    K_QUOTE,      /* blockquote */
    K_BR,
    K_CELL,       /* td, th: a space between cells */
    K_DROP,       /* never text: script, style, forms, media */
    K_VOID,       /* img, link, meta ...: no text of their own, but a broken page may
                     nest the rest of itself inside one */
    K_RAW,        /* script, style, title ...: their text is not text, but a broken
                     page may nest elements inside them */
    K_SOFTDROP,   /* furniture by tag (nav, aside, footer, header, form): dropped
                     unless it holds most of the page's text */
    K_CUSTOM      /* a custom element or unknown tag: html_score.c makes it a block,
                     a paragraph or inline by what it holds; no later pass sees it */
};

int html_tag_kind(const xmlNode *n);

/* Kinds whose text flows into the paragraph around them. (This, html_is_tag
 * and html_stat are inline: the passes call them on every node.) */
static inline int html_flows(int kind)
{
    return kind == K_INLINE || kind == K_BR || kind == K_VOID || kind == K_RAW;
}

static inline int html_is_tag(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* The value of attribute name, without copying, or NULL. */
const char *html_attr(const xmlNode *n, const char *name);
/* Lower-case copy of s (at most cap-1 bytes). */
void html_lower(char *out, size_t cap, const char *s);

/* ---- per-node statistics ------------------------------------------------ */

enum {
    F_JUNK = 1u << 0,    /* site furniture: never written */
    F_POSITIVE = 1u << 1, /* class or id says article text */
    F_WEAK = 1u << 2,    /* a weak furniture hint: dropped only when small */
    F_CANDIDATE = 1u << 3,
    F_HARD = 1u << 4,    /* furniture that no size or hint brings back */
    F_BODYPROP = 1u << 5, /* itemprop="articleBody" */
    F_CUSTOM = 1u << 6   /* a custom element: its tag name is a hint like a class */
};

/* The statistics of one element. Text counts are characters other than
 * white space; inl counts a block's own paragraph text (text outside
 * nested blocks). */
typedef struct html_nst {
    uint32_t text, link;   /* all text below, and the part inside <a> */
    uint32_t inl, inlink;  /* own inline text and its link part */
    uint32_t paras;        /* paragraphs below */
    uint32_t ptext;        /* their text, less links */
    uint32_t commas;
    float score;
    uint8_t flags, kind;
} html_nst;

/* One extraction. Invariant: an element of the tree has a statistics slot
 * when its _private is non-zero, st[_private - 1]; slot 0 is the root's. */
typedef struct html_ctx {
    html_article *a;
    html_nst *st;
    size_t nst, capst;
    int oom;
} html_ctx;

/* The statistics slot of n, or NULL. */
static inline html_nst *html_stat(const html_ctx *c, const xmlNode *n)
{
    return n->_private ? &c->st[(uintptr_t)n->_private - 1] : NULL;
}

/* Sets the furniture and article flags of element n, whose kind s holds,
 * from its tag, class, id, role, itemprop and style (html_tags.c). */
void html_mark(html_nst *s, const xmlNode *n);
/* Whether heading n's class or id says a list of other pages follows it
 * ("related-title", "you-may-like"): the rest of its parent is furniture. */
int html_heads_list(const xmlNode *n);
/* The coarse marks of a fallback: furniture only by tag (nav, header,
 * footer, aside ...) or hidden; classes and ids are not read (html_tags.c). */
void html_mark_coarse(html_nst *s, const xmlNode *n);

/* ---- the steps of html_extract ------------------------------------------ */

/* Parses len (at most INT32_MAX) bytes of UTF-8 HTML into *doc, NULL when
 * libxml2 makes nothing of them; where it stopped early goes to a->warn.
 * Returns HS_OK or HS_ENOMEM (html_parse.c). */
int html_parse(html_article *a, const char *html, size_t len, const char *base_url,
               xmlDoc **doc);
/* The root element of doc, or NULL (html_parse.c). */
xmlNode *html_root(xmlDoc *doc);

/* A calendar date (html_date.c). */
typedef struct html_ymd {
    int y, m, d;
} html_ymd;
/* The first date in s[0..n): one past its offset, or 0 (then *out is
 * untouched); order says how to read 03/04/2019: 'm' month first, 'd' day
 * first, 0 not at all. */
size_t html_date_find(const char *s, size_t n, char order, html_ymd *out);
/* The date a metadata value names (also 20191118); 1 when there is one. */
int html_date_parse(const char *s, html_ymd *out);
/* A day number: two dates' difference in days. */
long html_date_days(html_ymd d);

/* Fills the title, byline, date, url, site, lang and ldbody of a from the
 * whole document (meta tags, JSON-LD, <title>, <h1>); a JSON-LD script over
 * a->json_budget is said in a->warn. Returns HS_OK or HS_ENOMEM (html_meta.c). */
int html_meta(html_article *a, xmlDoc *doc, const char *base_url);

/* Gives every element below root a statistics slot, marks furniture, scores
 * the containers and chooses the article's: *top and its *score. Returns
 * HS_OK or HS_ENOMEM (html_score.c). */
int html_score(html_ctx *c, xmlNode *root, xmlNode **top, float *score);
/* Marks and counts the tree below root again with html_mark_coarse, for a
 * fallback when the chosen container gave almost no text (html_score.c). */
void html_score_coarse(html_ctx *c, xmlNode *root);
/* Characters of s that are not white space; *commas grows by its commas. */
uint32_t html_text_weight(const char *s, uint32_t *commas);
/* A container's score with its link density and hints applied. */
float html_final_score(const html_nst *s);

/* Writes the article text of top and its good siblings (or of the JSON-LD
 * articleBody, or of a fallback over root when that is almost nothing, said
 * in c->a->fallback) to c->a->body, with nparas and nquotes. Returns HS_OK or
 * HS_ENOMEM (html_write.c). */
int html_write(html_ctx *c, xmlNode *root, xmlNode *top, float score);

#endif
