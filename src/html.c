/* html - extracts the article of a web page (see html.h). libxml2 parses in
 * recovery mode; then three passes over the tree: class, id and tag hints
 * mark site furniture (navigation, share bars, comments, related links,
 * cookie banners, ads), paragraphs score their containers by the text they
 * hold (less the text of links), and the best container with its good
 * siblings is written out block by block. No rule names a site. */
#include "html.h"

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jstr.h"

/* ---- what a tag is ----------------------------------------------------- */

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
    K_SOFTDROP    /* furniture by tag (nav, aside, footer, header, form): dropped
                     unless it holds most of the page's text */
};

typedef struct tagdef {
    const char *name;
    uint8_t kind;
} tagdef;

/* sorted by name for bsearch */
static const tagdef tags[] = {
    {"address", K_BLOCK}, {"applet", K_DROP},   {"area", K_VOID},      {"article", K_BLOCK},
    {"aside", K_SOFTDROP}, {"audio", K_DROP},   {"blockquote", K_QUOTE}, {"body", K_BLOCK},
    {"br", K_BR},          {"button", K_DROP},  {"canvas", K_DROP},    {"caption", K_PARA},
    {"center", K_BLOCK},   {"datalist", K_DROP}, {"dd", K_PARA},       {"details", K_BLOCK},
    {"dialog", K_SOFTDROP}, {"dir", K_BLOCK},   {"div", K_BLOCK},      {"dl", K_BLOCK},
    {"dt", K_PARA},        {"embed", K_DROP},   {"fieldset", K_BLOCK}, {"figcaption", K_DROP},
    {"figure", K_BLOCK},   {"footer", K_SOFTDROP}, {"form", K_SOFTDROP}, {"frame", K_DROP},
    {"frameset", K_DROP},  {"h1", K_HEAD},      {"h2", K_HEAD},        {"h3", K_HEAD},
    {"h4", K_HEAD},        {"h5", K_HEAD},      {"h6", K_HEAD},        {"head", K_BLOCK},
    {"header", K_SOFTDROP}, {"hgroup", K_BLOCK}, {"hr", K_BLOCK},      {"html", K_BLOCK},
    {"iframe", K_DROP},    {"img", K_VOID},     {"input", K_VOID},     {"label", K_DROP},
    {"legend", K_PARA},    {"li", K_PARA},      {"link", K_VOID},      {"main", K_BLOCK},
    {"map", K_DROP},       {"math", K_DROP},    {"menu", K_SOFTDROP},  {"meta", K_VOID},
    {"nav", K_SOFTDROP},   {"noframes", K_RAW}, {"noscript", K_RAW}, {"object", K_DROP},
    {"ol", K_BLOCK},       {"optgroup", K_DROP}, {"option", K_DROP},   {"output", K_DROP},
    {"p", K_PARA},         {"picture", K_DROP}, {"pre", K_PARA},       {"progress", K_DROP},
    {"script", K_RAW},    {"section", K_BLOCK}, {"select", K_DROP},   {"source", K_VOID},
    {"style", K_RAW},     {"summary", K_PARA}, {"svg", K_DROP},       {"table", K_BLOCK},
    {"tbody", K_BLOCK},    {"td", K_CELL},      {"template", K_RAW},  {"textarea", K_RAW},
    {"tfoot", K_BLOCK},    {"th", K_CELL},      {"thead", K_BLOCK},    {"title", K_RAW},
    {"tr", K_PARA},        {"track", K_VOID},   {"ul", K_BLOCK},       {"video", K_DROP},
};

static int tag_cmp(const void *k, const void *e)
{
    return strcmp(k, ((const tagdef *)e)->name);
}

static int tag_kind(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (!name)
        return K_INLINE;
    const tagdef *t = bsearch(name, tags, sizeof tags / sizeof tags[0], sizeof tags[0], tag_cmp);
    return t ? t->kind : K_INLINE;
}

/* Kinds whose text flows into the paragraph around them. */
static int flows(int kind)
{
    return kind == K_INLINE || kind == K_BR || kind == K_VOID || kind == K_RAW;
}

static int is_tag(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* The value of attribute name, without copying, or NULL. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0)
            return a->children && a->children->type == XML_TEXT_NODE && a->children->content
                       ? (const char *)a->children->content
                       : "";
    return NULL;
}

/* ---- per-node statistics ----------------------------------------------- */

enum {
    F_JUNK = 1u << 0,    /* site furniture: never written */
    F_POSITIVE = 1u << 1, /* class or id says article text */
    F_WEAK = 1u << 2,    /* a weak furniture hint: dropped only when small */
    F_CANDIDATE = 1u << 3,
    F_HARD = 1u << 4,    /* furniture that no size or hint brings back */
    F_BODYPROP = 1u << 5 /* itemprop="articleBody" */
};

/* Text counts are non-space bytes; inl counts a block's own paragraph text
 * (text outside nested blocks). */
typedef struct nst {
    uint32_t text, link;   /* all text below, and the part inside <a> */
    uint32_t inl, inlink;  /* own inline text and its link part */
    uint32_t paras;        /* paragraphs below */
    uint32_t ptext;        /* their text, less links */
    uint32_t commas;
    float score;
    uint8_t flags, kind;
} nst;

typedef struct ctx {
    html_article *a;
    nst *st;
    size_t nst, capst;
    uint32_t total; /* text of the whole body */
    int oom;
} ctx;

static nst *S(const ctx *c, const xmlNode *n)
{
    return n->_private ? &c->st[(uintptr_t)n->_private - 1] : NULL;
}

/* The passes' recursion limit: above the parser's (HTML_MAX_NESTING), so
 * that no text the parser kept is left out here. */
#define MAX_DEPTH 600

static uint32_t text_weight(const char *s, uint32_t *commas)
{
    uint32_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char ch = *p;
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f')
            continue;
        if (ch == 0xC2 && p[1] == 0xA0) { /* no-break space */
            p++;
            continue;
        }
        w += (ch & 0xC0) != 0x80; /* count characters, not bytes */
        *commas += ch == ',';
    }
    return w;
}

/* Pass 1: give every element a statistics slot, its tag kind, and raw text
 * counts (before furniture is known). */
static void pass_count(ctx *c, xmlNode *n, int depth, int in_link)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            continue;
        }
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (vec_reserve((void **)&c->st, &c->capst, c->nst + 1, sizeof *c->st)) {
            c->oom = 1;
            return;
        }
        nst *s = &c->st[c->nst++];
        memset(s, 0, sizeof *s);
        k->_private = (void *)(uintptr_t)c->nst;
        s->kind = (uint8_t)tag_kind(k);
        if (s->kind != K_DROP && depth < MAX_DEPTH)
            pass_count(c, k, depth + 1, in_link || is_tag(k, "a"));
        if (c->oom)
            return;
    }
}

/* Lower-case copy of s (at most cap-1 bytes). */
static void lower(char *out, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    out[i] = 0;
}

/* Furniture words found anywhere in a class or id name. Hard ones are never
 * overruled by an article hint or by the size of what they hold. */
static const char *const junk_hard[] = {
    "comment", "disqus", "cookie", "consent", "gdpr", "newsletter", "related", "recommend",
    "outbrain", "taboola", "sponsor", "advert", "promo", "subscri", "signup", "sign-up",
    "share", "sharing", "social", "footer", "breadcrumb", "trending", "most-popular",
    "mostpopular", "most-read", "mostread", "more-stories", "morestories", "also-read", "follow-us", "next-article", "prev-article", "donate",
    "inline-ad", "ad-slot", "adslot", "adunit", "ad-unit", "ad-container", "ad-wrapper",
    "gpt-ad", "dfp-", "tag-list", "taglist", "tags-list", "article-tags", "post-tags",
    "entry-tags", "jump-link", "table-of-contents", "reactions",
};
static const char *const junk_soft[] = {
    "header", "sidebar", "byline", "author-info", "author-bio", "authorbio", "about-author",
    "timestamp", "dateline", "publish-date", "published-date", "post-date", "post-meta",
    "entry-meta", "article-meta", "meta-data", "caption", "credit", "widget", "topics",
    "keywords", "visually-hidden", "sr-only", "screen-reader", "print-", "popup", "modal",
    "overlay", "offcanvas", "navbar", "navigation", "skip-link", "tooltip", "pagination",
    "toolbar", "dropdown", "login", "banner", "masthead", "feedback", "rating", "read-more",
    "readmore", "gallery", "slideshow", "carousel",
};
/* Furniture words that must be a whole part of a name ("ad", not "head"). */
static const char *const junk_part[] = {
    "ad",     "ads",   "nav",  "menu", "tags", "share", "meta", "date", "author",
    "aside",  "rail",  "alert", "pager", "more", "hide", "hidden", "print", "social", "related",
    "comments", "sponsored", "promoted", "partner", "partners", "shop", "store",
    "deal", "deals", "player", "audio", "podcast", "lightbox", "thumbnail", "thumb", "icon", "icons", "logo", "search", "form",
    "button", "btn", "cta", "bottom", "top", "utility", "utilities", "secondary", "extra",
};
/* Words that say: the article is here. */
static const char *const good_part[] = {
    "article", "articlebody", "article-body", "article-content", "articlecontent", "body",
    "content", "entry", "entry-content", "main", "post", "post-content", "post-body", "story",
    "story-body", "text", "blog", "page-content", "main-content",
};
/* Class prefixes that tag a post with its taxonomy, not a part of the page. */
static const char *const taxonomy[] = {"category-", "tag-", "postid-", "format-", "status-",
                                       "type-", "author-", "topic-", "section-"};

static int has_part(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; (p = strstr(p, w)); p++) {
        int l = p == s || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9'));
        char e = p[n];
        int r = !((e >= 'a' && e <= 'z') || (e >= '0' && e <= '9'));
        if (l && r)
            return 1;
    }
    return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum { H_NONE = 0, H_WEAK, H_SOFT, H_HARD };

/* The furniture level of one class or id name (lower case). */
static int name_hint(const char *b, int *good)
{
    for (size_t i = 0; i < NELEM(taxonomy); i++)
        if (!strncmp(b, taxonomy[i], strlen(taxonomy[i])))
            return H_NONE;
    for (size_t i = 0; i < NELEM(good_part); i++)
        if (has_part(b, good_part[i]))
            *good = 1;
    if (strstr(b, "embed") && !strstr(b, "embed-code"))
        return H_NONE; /* the wrapper of an embedded post or quote: its text is kept */
    for (size_t i = 0; i < NELEM(junk_hard); i++)
        if (strstr(b, junk_hard[i]))
            return H_HARD;
    for (size_t i = 0; i < NELEM(junk_soft); i++)
        if (strstr(b, junk_soft[i]))
            return H_SOFT;
    for (size_t i = 0; i < NELEM(junk_part); i++)
        if (has_part(b, junk_part[i]))
            return H_WEAK;
    return H_NONE;
}

/* The strongest furniture hint of the class names and the id; *good is set
 * when one of them says article text. */
static int hint(const char *cls, const char *id, int *good)
{
    char b[256];
    int res = H_NONE;
    *good = 0;
    if (id) {
        lower(b, sizeof b, id);
        res = name_hint(b, good);
    }
    for (const char *p = cls; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        size_t n = 0;
        while (p[n] && p[n] != ' ' && p[n] != '\t' && p[n] != '\n')
            n++;
        if (!n)
            break;
        char one[128];
        size_t m = n < sizeof one - 1 ? n : sizeof one - 1;
        for (size_t i = 0; i < m; i++)
            one[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
        one[m] = 0;
        int h = name_hint(one, good);
        if (h > res)
            res = h;
        p += n;
    }
    return res;
}

static int hidden(const xmlNode *n)
{
    if (attr(n, "hidden"))
        return 1;
    const char *st = attr(n, "style");
    if (st) {
        char b[256];
        lower(b, sizeof b, st);
        char *p = b, *q = b;
        for (; *p; p++)
            if (*p != ' ')
                *q++ = *p;
        *q = 0;
        if (strstr(b, "display:none") || strstr(b, "visibility:hidden"))
            return 1;
    }
    const char *ah = attr(n, "aria-hidden");
    return ah && strcmp(ah, "true") == 0 && !n->children;
}

/* Pass 2: inline and link counts with furniture left out; furniture hints
 * on the way down. Returns nothing; fills S(n). */
static void pass_stats(ctx *c, xmlNode *n, int depth, int in_link, int mark)
{
    nst *sn = S(c, n);
    for (xmlNode *k = n->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            if (!k->content || !sn || sn->kind == K_RAW)
                continue;
            uint32_t commas = 0, w = text_weight((const char *)k->content, &commas);
            sn->text += w;
            sn->inl += w;
            sn->commas += commas;
            if (in_link) {
                sn->link += w;
                sn->inlink += w;
            }
            continue;
        }
        nst *s = S(c, k);
        if (!s)
            continue;
        if (mark && s->kind != K_DROP) {
            int good = 0;
            int h = hint(attr(k, "class"), attr(k, "id"), &good);
            const char *role = attr(k, "role");
            if (role && (!strcmp(role, "navigation") || !strcmp(role, "complementary") ||
                         !strcmp(role, "banner") || !strcmp(role, "contentinfo") ||
                         !strcmp(role, "dialog") || !strcmp(role, "alert")))
                h = H_HARD;
            const char *ip = attr(k, "itemprop");
            if (ip && strstr(ip, "articleBody")) {
                s->flags |= F_BODYPROP;
                good = 1;
                h = H_NONE;
            }
            if (good && h < H_HARD)
                h = H_NONE;
            if (good)
                s->flags |= F_POSITIVE;
            if (s->kind == K_QUOTE || is_tag(k, "article") || is_tag(k, "main") ||
                is_tag(k, "body") || is_tag(k, "html"))
                h = H_NONE; /* quotes and embedded posts stay; containers of all stay */
            if (h == H_HARD)
                s->flags |= F_JUNK | F_HARD;
            else if (h == H_SOFT || s->kind == K_SOFTDROP || hidden(k))
                s->flags |= F_JUNK;
            else if (h == H_WEAK)
                s->flags |= F_WEAK;
        }
        if (s->kind == K_DROP || depth >= MAX_DEPTH)
            continue;
        pass_stats(c, k, depth + 1, in_link || is_tag(k, "a"), mark);
        if (!sn)
            continue;
        if (s->flags & F_JUNK)
            continue;
        sn->text += s->text;
        sn->link += s->link;
        sn->paras += s->paras;
        sn->ptext += s->ptext;
        sn->commas += s->commas;
        if (flows(s->kind)) {
            sn->inl += s->inl;
            sn->inlink += s->inlink;
        }
    }
    if (!sn)
        return;
    /* a weak hint drops only a small or link-heavy element */
    if (sn->flags & F_WEAK) {
        if (sn->text < 200 || sn->link * 2 > sn->text)
            sn->flags |= F_JUNK;
    }
    if (!flows(sn->kind) && sn->inl >= 20 && sn->inlink * 2 < sn->inl) {
        sn->paras++;
        sn->ptext += sn->inl - sn->inlink;
    }
}

/* Undoes furniture marks on elements that hold more text than all the rest
 * of the page (a page wrapped in one <form>, a wrapper whose class says
 * "has-sidebar"). Returns how many were undone. */
static int unjunk_big(ctx *c, xmlNode *n, uint32_t rest, int depth)
{
    int undone = 0;
    for (xmlNode *k = n->children; k; k = k->next) {
        nst *s = S(c, k);
        if (!s || s->kind == K_DROP)
            continue;
        if ((s->flags & F_JUNK) && !(s->flags & F_HARD) && s->text > 2 * rest + 100 &&
            s->link * 2 < s->text) {
            s->flags &= (uint8_t)~(F_JUNK | F_WEAK);
            undone++;
        }
        if (depth < MAX_DEPTH)
            undone += unjunk_big(c, k, rest, depth + 1);
    }
    return undone;
}

static void clear_stats(ctx *c)
{
    for (size_t i = 0; i < c->nst; i++) {
        nst *s = &c->st[i];
        s->text = s->link = s->inl = s->inlink = s->paras = s->commas = s->ptext = 0;
        s->score = 0;
    }
}

/* ---- scoring ------------------------------------------------------------ */

/* Pass 3: each paragraph adds its score to the blocks above it. */
static void pass_score(ctx *c, xmlNode *n, int depth)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        nst *s = S(c, k);
        if (!s || s->kind == K_DROP || (s->flags & F_JUNK))
            continue;
        if (depth < MAX_DEPTH)
            pass_score(c, k, depth + 1);
        if (flows(s->kind))
            continue;
        uint32_t own = s->inl - s->inlink;
        if (s->inl < 25 || s->inlink * 2 >= s->inl)
            continue;
        float sc = 1.0f + (float)own / 100.0f;
        sc += (float)(own > 300 ? 3 : own / 100);
        /* the paragraph itself, its parent, grandparent ... */
        xmlNode *up = k;
        static const float share[] = {1.0f, 1.0f, 0.5f, 1.0f / 3, 0.25f};
        for (int lvl = 0; lvl < 5 && up && up->type == XML_ELEMENT_NODE; lvl++) {
            nst *u = S(c, up);
            if (!u)
                break;
            u->score += sc * share[lvl] * (float)own / 50.0f;
            u->flags |= F_CANDIDATE;
            up = up->parent;
        }
    }
}

static float final_score(const nst *s)
{
    float ld = s->text ? (float)s->link / (float)s->text : 0;
    float f = s->score * (1.0f - ld);
    if (s->flags & F_POSITIVE)
        f *= 1.25f;
    if (s->flags & F_BODYPROP)
        f *= 3.0f;
    return f;
}

static xmlNode *best_candidate(ctx *c, xmlNode *n, xmlNode *best, float *bs, int depth)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        nst *s = S(c, k);
        if (!s || s->kind == K_DROP || (s->flags & F_JUNK))
            continue;
        if ((s->flags & F_CANDIDATE) && !flows(s->kind)) {
            float f = final_score(s);
            if (f > *bs) {
                *bs = f;
                best = k;
            }
        }
        if (depth < MAX_DEPTH)
            best = best_candidate(c, k, best, bs, depth + 1);
    }
    return best;
}

static int same_class(const xmlNode *a, const xmlNode *b)
{
    const char *x = attr(a, "class"), *y = attr(b, "class");
    return a->name && b->name && !strcmp((const char *)a->name, (const char *)b->name) &&
           (x ? y && !strcmp(x, y) : !y);
}

/* An article cut into sections, chunks or cards leaves its best block too
 * deep: go up to a parent that holds more blocks like the one we are in
 * (same tag, same class) with paragraph text of their own. */
static xmlNode *climb(ctx *c, xmlNode *top, float *score)
{
    xmlNode *cur = top;
    for (int lvl = 0; lvl < 6; lvl++) {
        xmlNode *up = cur->parent;
        nst *u = up && up->type == XML_ELEMENT_NODE ? S(c, up) : NULL;
        if (!u || u->kind == K_DROP || (u->flags & F_JUNK) || is_tag(up, "body") ||
            is_tag(up, "html"))
            break;
        int twins = 0;
        for (xmlNode *k = up->children; k; k = k->next) {
            nst *ks = k != cur && k->type == XML_ELEMENT_NODE ? S(c, k) : NULL;
            if (ks && !(ks->flags & F_JUNK) && ks->kind != K_DROP && ks->ptext >= 50 &&
                ks->link * 3 < ks->text && same_class(k, cur))
                twins++;
        }
        if (twins && u->link * 10 <= u->text * 3) {
            top = up;
            if (final_score(u) > *score)
                *score = final_score(u);
        }
        cur = up;
    }
    return top;
}

/* ---- writing the text --------------------------------------------------- */

typedef struct out {
    buf *b;
    int pend;      /* 0 nothing, 1 space, 2 line break, 3 paragraph break */
    size_t para_start;
    size_t nparas, nquotes;
    const char *skip_title; /* a heading with this text is the title: left out */
    int oom;
    /* the last paragraph written when it is a heading with nothing after it
     * yet: the heading of a link list or of nothing is left out too */
    int has_head;
    size_t head_at, head_end, head_paras;
} out;

static void drop_heading(out *o)
{
    if (!o->has_head || o->b->len != o->head_end)
        return;
    o->b->len = o->head_at;
    o->b->p[o->head_at] = 0;
    o->nparas = o->head_paras;
    o->pend = o->b->len ? 3 : 0;
    o->has_head = 0;
}

static void brk(out *o, int level)
{
    if (o->b->len && level > o->pend)
        o->pend = level;
}

static void put_text(out *o, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char ch = *p;
        int sp = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f';
        if (ch == 0xC2 && p[1] == 0xA0) {
            sp = 1;
            p++;
        }
        if (sp) {
            if (o->b->len)
                brk(o, 1);
            continue;
        }
        if (o->pend) {
            static const char *const seps[] = {"", " ", "\n", "\n\n"};
            if (o->pend == 3)
                o->nparas++;
            if (buf_append(o->b, seps[o->pend], strlen(seps[o->pend])))
                o->oom = 1;
            o->pend = 0;
        }
        if (buf_putc(o->b, (char)ch))
            o->oom = 1;
    }
}

static int same_text(const char *a, size_t an, const char *b)
{
    /* compares ignoring white space */
    size_t i = 0, j = 0, bn = strlen(b);
    while (1) {
        while (i < an && (a[i] == ' ' || a[i] == '\n'))
            i++;
        while (j < bn && (b[j] == ' ' || b[j] == '\n' || b[j] == '\t'))
            j++;
        if (i >= an || j >= bn)
            return i >= an && j >= bn;
        if (a[i] != b[j])
            return 0;
        i++, j++;
    }
}

static void write_node(ctx *c, out *o, xmlNode *n, int depth);

/* Lines a page puts between its paragraphs that are not article text: a
 * time stamp ("Updated at 1:23 p.m.", "First Published on Nov 20, 2019"),
 * an ad label. Compared case-insensitively with the start of a short
 * paragraph; a time stamp must hold a digit. */
static const char *const stamps[] = {"updated", "last updated", "published", "first published",
                                     "posted", "last modified", "modified"};
static const char *const labels[] = {"advertisement", "advertisements", "advert", "ad", "sponsored content",
                                     "story continues below advertisement"};

static int is_stamp(const char *p, size_t n)
{
    char b[128];
    if (n >= sizeof b)
        return 0;
    for (size_t i = 0; i < n; i++)
        b[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
    b[n] = 0;
    for (size_t i = 0; i < NELEM(labels); i++)
        if (!strcmp(b, labels[i]))
            return 1;
    if (n > 90 || !strpbrk(b, "0123456789"))
        return 0;
    for (size_t i = 0; i < NELEM(stamps); i++) {
        size_t m = strlen(stamps[i]);
        if (!strncmp(b, stamps[i], m) && (b[m] == ' ' || b[m] == ':'))
            return 1;
    }
    return 0;
}

static void write_children(ctx *c, out *o, xmlNode *n, int depth)
{
    nst *sn = S(c, n);
    int raw = sn && sn->kind == K_RAW;
    for (xmlNode *k = n->children; k && !o->oom; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            if (k->content && !raw)
                put_text(o, (const char *)k->content);
        } else if (k->type == XML_ELEMENT_NODE && depth < MAX_DEPTH) {
            write_node(c, o, k, depth + 1);
        }
    }
}

static void write_node(ctx *c, out *o, xmlNode *n, int depth)
{
    nst *s = S(c, n);
    if (!s || s->kind == K_DROP || (s->flags & F_JUNK))
        return;
    int k = s->kind;
    if (k == K_BR) {
        brk(o, o->pend == 2 ? 3 : 2);
        return;
    }
    if (k == K_INLINE || k == K_VOID || k == K_RAW) {
        write_children(c, o, n, depth);
        return;
    }
    if (k == K_CELL) {
        brk(o, 1);
        write_children(c, o, n, depth);
        brk(o, 1);
        return;
    }
    /* a block: link lists and empty furniture are left out */
    if (s->text == 0)
        return;
    if (k != K_QUOTE && s->link * 10 > s->text * 6 && s->text < 2000) {
        drop_heading(o);
        return;
    }
    if ((k == K_HEAD || ((k == K_PARA || s->inl == s->text) && o->skip_title)) &&
        s->text < 400) {
        size_t before = o->b->len, paras = o->nparas;
        int pend = o->pend;
        brk(o, 3);
        write_children(c, o, n, depth);
        /* the heading that repeats the title is not article text */
        const char *start = o->b->p + before;
        size_t st = before + (before && o->b->len > before + 2 ? 2 : 0); /* past "\n\n" */
        if ((o->skip_title && same_text(start, o->b->len - before, o->skip_title)) ||
            is_stamp(o->b->p + st, o->b->len - st)) {
            o->b->len = before;
            o->b->p[before] = 0;
            o->pend = pend;
            return;
        }
        if (k == K_HEAD && o->b->len > before) {
            o->has_head = 1;
            o->head_at = before;
            o->head_end = o->b->len;
            o->head_paras = paras;
        } else if (o->b->len > o->head_end) {
            o->has_head = 0;
        }
        brk(o, 3);
        return;
    }
    brk(o, 3);
    size_t before = o->b->len;
    write_children(c, o, n, depth);
    if (k == K_QUOTE && o->b->len > before)
        o->nquotes++;
    if (o->b->len > o->head_end)
        o->has_head = 0;
    brk(o, 3);
}

/* ---- metadata ----------------------------------------------------------- */

static void set_once(buf *b, const char *s, int *oom)
{
    if (b->len || !s)
        return;
    /* collapse white space */
    int sp = 0;
    for (const char *p = s; *p; p++) {
        int w = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (w) {
            sp = b->len > 0;
            continue;
        }
        if (sp && buf_putc(b, ' '))
            *oom = 1;
        sp = 0;
        if (buf_putc(b, *p))
            *oom = 1;
    }
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_object(v) && json_is_string(json_object_get(v, "name")))
        return json_string_value(json_object_get(v, "name"));
    if (json_is_array(v) && json_array_size(v)) {
        json_t *e = json_array_get(v, 0);
        if (json_is_string(e))
            return json_string_value(e);
        if (json_is_object(e) && json_is_string(json_object_get(e, "name")))
            return json_string_value(json_object_get(e, "name"));
    }
    return NULL;
}

static int is_article_type(json_t *o)
{
    json_t *t = json_object_get(o, "@type");
    const char *s = NULL;
    if (json_is_string(t))
        s = json_string_value(t);
    else if (json_is_array(t) && json_is_string(json_array_get(t, 0)))
        s = json_string_value(json_array_get(t, 0));
    return s && (strstr(s, "Article") || strstr(s, "Posting") || strstr(s, "Report"));
}

static void authors_json(buf *b, json_t *v, int *oom)
{
    if (b->len)
        return;
    json_t *one = v;
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    for (size_t i = 0; i < n && i < 6; i++) {
        if (json_is_array(v))
            one = json_array_get(v, i);
        const char *name = json_is_string(one) ? json_string_value(one)
                           : json_is_object(one) ? json_string_value(json_object_get(one, "name"))
                                                 : NULL;
        if (!name || !*name || strstr(name, "://"))
            continue;
        if (b->len && buf_append(b, ", ", 2))
            *oom = 1;
        if (buf_append(b, name, strlen(name)))
            *oom = 1;
    }
}

static void ld_article(html_article *a, json_t *o, int *oom, int depth)
{
    if (depth > 4)
        return;
    if (json_is_array(o)) {
        for (size_t i = 0; i < json_array_size(o); i++)
            ld_article(a, json_array_get(o, i), oom, depth + 1);
        return;
    }
    if (!json_is_object(o))
        return;
    json_t *g = json_object_get(o, "@graph");
    if (g)
        ld_article(a, g, oom, depth + 1);
    if (!is_article_type(o))
        return;
    set_once(&a->title, jstr(o, "headline"), oom);
    json_t *ab = json_object_get(o, "articleBody");
    if (json_is_string(ab) && !a->ldbody.len)
        *oom |= buf_append(&a->ldbody, json_string_value(ab), json_string_length(ab)) != 0;
    json_t *au = json_object_get(o, "author");
    if (au)
        authors_json(&a->byline, au, oom);
    set_once(&a->date, jstr(o, "datePublished"), oom);
    json_t *pub = json_object_get(o, "publisher");
    if (json_is_object(pub))
        set_once(&a->site, jstr(pub, "name"), oom);
}

static const char *node_text(xmlNode *n, buf *tmp)
{
    buf_clear(tmp);
    for (xmlNode *k = n->children; k; k = k->next)
        if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content)
            buf_append(tmp, k->content, strlen((const char *)k->content));
    return tmp->p ? tmp->p : "";
}

typedef struct meta {
    buf og_title, tw_title, doc_title, h1, author, date, canon, og_url, site, lang;
} meta;

static void meta_free(meta *m)
{
    buf *all[] = {&m->og_title, &m->tw_title, &m->doc_title, &m->h1, &m->author,
                  &m->date,     &m->canon,    &m->og_url,    &m->site, &m->lang};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_free(all[i]);
}

static void collect_meta(html_article *a, meta *m, xmlNode *n, int depth, int *oom, buf *tmp)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)k->name;
        if (!name)
            continue;
        if (!strcmp(name, "meta")) {
            const char *p = attr(k, "property"), *nm = attr(k, "name"), *v = attr(k, "content");
            const char *key = p ? p : nm ? nm : attr(k, "itemprop");
            if (!key || !v)
                continue;
            char lk[64];
            lower(lk, sizeof lk, key);
            if (!strcmp(lk, "og:title"))
                set_once(&m->og_title, v, oom);
            else if (!strcmp(lk, "twitter:title"))
                set_once(&m->tw_title, v, oom);
            else if (!strcmp(lk, "og:url"))
                set_once(&m->og_url, v, oom);
            else if (!strcmp(lk, "og:site_name"))
                set_once(&m->site, v, oom);
            else if ((!strcmp(lk, "author") || !strcmp(lk, "article:author") ||
                      !strcmp(lk, "byl") || !strcmp(lk, "dc.creator") ||
                      !strcmp(lk, "sailthru.author") || !strcmp(lk, "parsely-author")) &&
                     !strstr(v, "://"))
                set_once(&m->author, v, oom);
            else if (!strcmp(lk, "article:published_time") || !strcmp(lk, "datepublished") ||
                     !strcmp(lk, "date") || !strcmp(lk, "pubdate") ||
                     !strcmp(lk, "publishdate") || !strcmp(lk, "dc.date") ||
                     !strcmp(lk, "dc.date.issued") || !strcmp(lk, "sailthru.date") ||
                     !strcmp(lk, "parsely-pub-date") || !strcmp(lk, "og:published_time"))
                set_once(&m->date, v, oom);
            continue;
        }
        if (!strcmp(name, "link")) {
            const char *rel = attr(k, "rel"), *href = attr(k, "href");
            if (rel && href && !strcmp(rel, "canonical"))
                set_once(&m->canon, href, oom);
            continue;
        }
        if (!strcmp(name, "title")) {
            set_once(&m->doc_title, node_text(k, tmp), oom);
            continue;
        }
        if (!strcmp(name, "script")) {
            const char *t = attr(k, "type");
            if (t && !strcmp(t, "application/ld+json")) {
                const char *js = node_text(k, tmp);
                if (a->json_budget && jstr_cost(js, tmp->len) > a->json_budget) {
                    if (a->warn.len)
                        buf_append(&a->warn, "; ", 2);
                    buf_printf(&a->warn, "a JSON-LD script of %zu bytes would take more than %zu MiB "
                               "of memory to read; left out", tmp->len, a->json_budget >> 20);
                    continue;
                }
                json_t *o = json_loads(js, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
                if (o)
                    ld_article(a, o, oom, 0);
                json_decref(o);
            }
            continue;
        }
        if (!strcmp(name, "html")) {
            const char *l = attr(k, "lang");
            if (l)
                set_once(&m->lang, l, oom);
        }
        if (!strcmp(name, "time") && !m->date.len) {
            const char *dt = attr(k, "datetime");
            if (dt && (attr(k, "pubdate") || (attr(k, "itemprop") &&
                                              strstr(attr(k, "itemprop"), "datePublished"))))
                set_once(&m->date, dt, oom);
        }
        if (!strcmp(name, "h1") && !m->h1.len) {
            buf t2 = {0};
            xmlChar *all = xmlNodeGetContent(k);
            if (all) {
                set_once(&m->h1, (const char *)all, oom);
                xmlFree(all);
            }
            buf_free(&t2);
            continue;
        }
        if (depth < MAX_DEPTH && strcmp(name, "style") && strcmp(name, "svg"))
            collect_meta(a, m, k, depth + 1, oom, tmp);
    }
}

/* The <title> less a " | Site" or " - Site" tail. */
static void clean_title(buf *t)
{
    static const char *const seps[] = {" | ", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " :: ",
                                       " \xC2\xBB ", " \xC2\xB7 "};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        char *p = strstr(t->p ? t->p : "", seps[i]);
        if (!p)
            continue;
        /* keep the longest part */
        size_t head = (size_t)(p - t->p);
        char *last = p;
        char *q;
        while ((q = strstr(last + 1, seps[i])))
            last = q;
        size_t tail_start = (size_t)(last - t->p) + strlen(seps[i]);
        if (head >= t->len - tail_start) {
            t->len = (size_t)(last - t->p);
            t->p[t->len] = 0;
        } else {
            memmove(t->p, t->p + tail_start, t->len - tail_start + 1);
            t->len -= tail_start;
        }
        return;
    }
}

static void finish_meta(html_article *a, meta *m, const char *base_url, int *oom)
{
    if (!a->title.len) {
        if (m->og_title.len)
            set_once(&a->title, m->og_title.p, oom);
        else if (m->tw_title.len)
            set_once(&a->title, m->tw_title.p, oom);
        else if (m->h1.len)
            set_once(&a->title, m->h1.p, oom);
        else if (m->doc_title.len) {
            clean_title(&m->doc_title);
            set_once(&a->title, m->doc_title.p, oom);
        }
    }
    if (m->author.len && !a->byline.len)
        set_once(&a->byline, m->author.p, oom);
    if (m->date.len && !a->date.len)
        set_once(&a->date, m->date.p, oom);
    if (m->site.len && !a->site.len)
        set_once(&a->site, m->site.p, oom);
    set_once(&a->url, m->canon.len ? m->canon.p : m->og_url.len ? m->og_url.p : base_url, oom);
    set_once(&a->lang, m->lang.p, oom);
}

/* ---- the extraction ----------------------------------------------------- */

/* A page that builds its text with scripts leaves little in the tree; its
 * JSON-LD articleBody, when much longer than what was found, is the text. */
static void use_ld_body(html_article *a, out *o)
{
    uint32_t commas = 0;
    const char *ld = a->ldbody.p ? a->ldbody.p : "";
    uint32_t have = text_weight(a->body.p ? a->body.p : "", &commas);
    uint32_t want = text_weight(ld, &commas);
    if (want < 100 || want < 2 * have || strchr(ld, '<'))
        return;
    buf_clear(&a->body);
    o->pend = 0;
    o->nparas = 0;
    /* line breaks are paragraph breaks */
    buf line = {0};
    for (const char *p = ld; *p && !o->oom;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        buf_clear(&line);
        if (buf_append(&line, p, n))
            o->oom = 1;
        else
            put_text(o, line.p);
        brk(o, 3);
        p += n + (nl != NULL);
    }
    buf_free(&line);
    a->nparas = a->body.len ? o->nparas + 1 : 0;
}

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
    if (a->capscratch * sizeof(nst) > keep) {
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

/* The root element. Not <body>: a page with an unclosed element in its
 * head has its text under <head> in libxml2's tree. */
static xmlNode *find_root(xmlNode *n)
{
    for (xmlNode *k = n; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return k;
    return NULL;
}

/* Writes the content: the best container, and siblings of it that score
 * well or are good paragraphs themselves. */
static void write_content(ctx *c, out *o, xmlNode *top, float top_score)
{
    xmlNode *parent = top->parent;
    if (!parent || parent->type != XML_ELEMENT_NODE || is_tag(top, "body")) {
        write_node(c, o, top, 0);
        return;
    }
    float thr = top_score * 0.2f;
    if (thr < 10)
        thr = 10;
    for (xmlNode *k = parent->children; k; k = k->next) {
        nst *s = S(c, k);
        if (!s || s->kind == K_DROP || (s->flags & F_JUNK))
            continue;
        if (k == top) {
            write_node(c, o, k, 0);
            continue;
        }
        if (flows(s->kind))
            continue;
        int take = (s->flags & F_CANDIDATE) && final_score(s) >= thr &&
                   s->link * 3 < s->text;
        if (!take && (s->kind == K_PARA || s->kind == K_QUOTE)) {
            uint32_t own = s->inl - s->inlink;
            take = own >= 80 && s->inlink * 4 < s->inl;
        }
        if (take)
            write_node(c, o, k, 0);
    }
}

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

int html_extract(html_article *a, const char *html, size_t len, const char *base_url,
                 const char **why)
{
    buf *all[] = {&a->body, &a->title, &a->byline, &a->date, &a->url, &a->site, &a->lang,
                  &a->ldbody, &a->warn};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_clear(all[i]);
    a->nparas = a->nquotes = 0;
    *why = NULL;
    if (len > (size_t)INT32_MAX) {
        *why = "page too large for the HTML parser";
        return 1;
    }
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc)
        return -1;
    stop st = {0};
    pc->sax->startElement = start_element; /* the context's own copy of the handler */
    pc->_private = &st;
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
               HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_NODEFDTD | XML_PARSE_HUGE;
    htmlDocPtr doc = htmlCtxtReadMemory(pc, html, (int)len, base_url, "UTF-8", opts);
    if (doc && (st.depth || pc->disableSAX))
        parse_stopped(a, pc, &st);
    htmlFreeParserCtxt(pc);
    if (!doc) {
        *why = "not parseable as HTML";
        return 1;
    }
    ctx c = {.a = a, .st = a->scratch, .capst = a->capscratch};
    int oom = 0;
    meta m;
    memset(&m, 0, sizeof m);
    buf tmp = {0};
    collect_meta(a, &m, (xmlNode *)doc, 0, &oom, &tmp);
    buf_free(&tmp);
    finish_meta(a, &m, base_url, &oom);
    meta_free(&m);
    xmlNode *body = find_root(doc->children);
    int rc = 0;
    if (!body) {
        *why = "no elements and no text";
        rc = 1;
        goto done;
    }
    /* the body itself gets a slot too */
    if (vec_reserve((void **)&c.st, &c.capst, 1, sizeof *c.st)) {
        rc = -1;
        goto done;
    }
    memset(&c.st[0], 0, sizeof c.st[0]);
    c.st[0].kind = K_BLOCK;
    c.nst = 1;
    body->_private = (void *)(uintptr_t)1;
    pass_count(&c, body, 0, 0);
    if (c.oom) {
        rc = -1;
        goto done;
    }
    pass_stats(&c, body, 0, 0, 1);
    for (int round = 0; round < 4; round++) {
        if (!unjunk_big(&c, body, c.st[0].text, 0))
            break;
        clear_stats(&c);
        pass_stats(&c, body, 0, 0, 0);
    }
    pass_score(&c, body, 0);
    float bs = 0;
    xmlNode *top = best_candidate(&c, body, NULL, &bs, 0);
    if (!top)
        top = body;
    top = climb(&c, top, &bs);
    out o = {.b = &a->body, .skip_title = a->title.len ? a->title.p : NULL};
    write_content(&c, &o, top, bs);
    drop_heading(&o); /* a heading at the very end heads nothing */
    use_ld_body(a, &o);
    if (o.oom) {
        rc = -1;
        goto done;
    }
    a->nparas = a->body.len ? o.nparas + 1 : 0;
    a->nquotes = o.nquotes;
    if (!a->body.len) {
        *why = c.st[0].text ? "no article text (only site furniture)" : "no text in <body>";
        rc = 1;
    }
done:
    /* libxml2 frees nodes without looking at _private */
    a->scratch = c.st;
    a->capscratch = c.capst;
    xmlFreeDoc(doc);
    if (oom && rc == 0)
        rc = -1;
    return rc;
}
