/* html_write - writes the article text: the chosen container and its good
 * siblings, one paragraph a block; link lists, time stamps, ad labels, calls
 * to follow or subscribe, a heading that repeats the title or heads nothing
 * are left out. A page whose scripts build its text gets its JSON-LD
 * articleBody; one whose container gives almost nothing, a coarser reading.
 * It chooses no container (html_score.c) and reads no metadata (html_meta.c). */
#include <string.h>

#include "hearsay.h"
#include "html_int.h"

typedef struct out {
    buf *b;
    int pend;      /* 0 nothing, 1 space, 2 line break, 3 paragraph break */
    size_t nparas, nquotes;
    const char *skip_title; /* a heading with this text is the title: left out */
    int oom;
    /* the last paragraph written when it is a heading with nothing after it
     * yet: the heading of a link list or of nothing is left out too */
    int has_head;
    size_t head_at, head_end, head_paras;
    int all; /* the last fallback: link lists are written too */
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

static void write_node(html_ctx *c, out *o, xmlNode *n, int depth);

/* Lines a page puts between its paragraphs that are not article text: a
 * time stamp ("Updated at 1:23 p.m.", "First Published on Nov 20, 2019"),
 * an ad label. Compared case-insensitively with the start of a short
 * paragraph; a time stamp must hold a digit. */
static const char *const stamps[] = {"updated", "last updated", "published", "first published",
                                     "posted", "last modified", "modified"};
static const char *const labels[] = {"advertisement", "advertisements", "advert", "ad",
                                     "sponsored content",
                                     "story continues below advertisement"};

/* p[0..n) in ASCII lower case into b (cap bytes); 0 when it does not fit. */
static int lower_copy(char *b, size_t cap, const char *p, size_t n)
{
    if (n >= cap)
        return 0;
    for (size_t i = 0; i < n; i++)
        b[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
    b[n] = 0;
    return 1;
}

static int is_stamp(const char *p, size_t n)
{
    char b[128];
    if (!lower_copy(b, sizeof b, p, n))
        return 0;
    for (size_t i = 0; i < HTML_NELEM(labels); i++)
        if (!strcmp(b, labels[i]))
            return 1;
    if (n > 90 || !strpbrk(b, "0123456789"))
        return 0;
    for (size_t i = 0; i < HTML_NELEM(stamps); i++) {
        size_t m = strlen(stamps[i]);
        if (!strncmp(b, stamps[i], m) && (b[m] == ' ' || b[m] == ':'))
            return 1;
    }
    return 0;
}

/* A call to action the page puts under its articles: follow the writer or
 * the site on a social network, sign up for a newsletter. Only a short
 * paragraph with a sentence that opens with the first words of one of
 * these pairs and holds the second (lower case): "Investigators follow
 * every lead, he said on Twitter" is news. */
static const char *const calls[][2] = {
    {"follow ", "twitter"},   {"follow ", "facebook"}, {"follow ", "instagram"},
    {"follow ", "@"},         {"sign up", "newsletter"}, {"subscribe", "newsletter"},
    {"get our ", "newsletter"},
};

static int is_call(const char *p, size_t n)
{
    char b[300];
    if (!lower_copy(b, sizeof b, p, n))
        return 0;
    /* at the start of the paragraph (past a bullet or an icon's text) or of
     * a sentence or clause in it ("Get the news first: sign up for ...") */
    for (const char *s = b; *s; s++) {
        if (s != b && !(s[-1] == ' ' && s - b >= 2 && strchr(":.!", s[-2])))
            continue;
        while (*s && !((*s >= 'a' && *s <= 'z') || *s == '@'))
            s++;
        for (size_t i = 0; i < HTML_NELEM(calls); i++)
            if (!strncmp(s, calls[i][0], strlen(calls[i][0])) && strstr(s, calls[i][1]))
                return 1;
        if (!*s)
            break;
    }
    return 0;
}

static void write_children(html_ctx *c, out *o, xmlNode *n, int depth)
{
    html_nst *sn = html_stat(c, n);
    int raw = sn && sn->kind == K_RAW;
    for (xmlNode *k = n->children; k && !o->oom; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            if (k->content && !raw)
                put_text(o, (const char *)k->content);
        } else if (k->type == XML_ELEMENT_NODE && depth < HTML_PASS_DEPTH) {
            write_node(c, o, k, depth + 1);
        }
    }
}

/* A list of at least three short items (a line each), each with a link in
 * it, and a third of its text in links: stories to read next, not the
 * article's own list. */
static int link_list(html_ctx *c, xmlNode *n, const html_nst *s)
{
    if (!(html_is_tag(n, "ul") || html_is_tag(n, "ol")) || s->link * 10 <= s->text * 3)
        return 0;
    int items = 0;
    for (xmlNode *k = n->children; k; k = k->next) {
        const html_nst *ks = html_stat(c, k);
        if (!ks || ks->kind == K_DROP || (ks->flags & F_JUNK) || !ks->text)
            continue;
        if (!ks->link || ks->text > 150)
            return 0;
        items++;
    }
    return items >= 3;
}

static void write_node(html_ctx *c, out *o, xmlNode *n, int depth)
{
    html_nst *s = html_stat(c, n);
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
    if (k != K_QUOTE && !o->all &&
        ((s->link * 10 > s->text * 6 && s->text < 2000) || link_list(c, n, s))) {
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
            is_stamp(o->b->p + st, o->b->len - st) ||
            is_call(o->b->p + st, o->b->len - st)) {
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

/* Writes the content: the best container, and siblings of it that score
 * well or are good paragraphs themselves. */
static void write_content(html_ctx *c, out *o, xmlNode *top, float top_score)
{
    xmlNode *parent = top->parent;
    if (!parent || parent->type != XML_ELEMENT_NODE || html_is_tag(top, "body")) {
        write_node(c, o, top, 0);
        return;
    }
    float thr = top_score * 0.2f;
    if (thr < 10)
        thr = 10;
    for (xmlNode *k = parent->children; k; k = k->next) {
        html_nst *s = html_stat(c, k);
        if (!s || s->kind == K_DROP || (s->flags & F_JUNK))
            continue;
        if (k == top) {
            write_node(c, o, k, 0);
            continue;
        }
        if (html_flows(s->kind))
            continue;
        int take = (s->flags & F_CANDIDATE) && html_final_score(s) >= thr &&
                   s->link * 3 < s->text;
        if (!take && (s->kind == K_PARA || s->kind == K_QUOTE)) {
            uint32_t own = s->inl - s->inlink;
            take = own >= 80 && s->inlink * 4 < s->inl;
        }
        if (take)
            write_node(c, o, k, 0);
    }
}

/* A page that builds its text with scripts leaves little in the tree; its
 * JSON-LD articleBody, when much longer than what was found, is the text. */
static void use_ld_body(html_article *a, out *o)
{
    uint32_t commas = 0;
    const char *ld = a->ldbody.p ? a->ldbody.p : "";
    uint32_t have = html_text_weight(a->body.p ? a->body.p : "", &commas);
    uint32_t want = html_text_weight(ld, &commas);
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

/* The first fallback: every paragraph of the page, wherever it stands,
 * whose text is not mostly links (a block with running text of its own is
 * one). */
static void write_paras(html_ctx *c, out *o, xmlNode *n, int depth)
{
    for (xmlNode *k = n->children; k && !o->oom; k = k->next) {
        html_nst *s = html_stat(c, k);
        if (!s || s->kind == K_DROP || (s->flags & F_JUNK) || html_flows(s->kind))
            continue;
        int para = s->kind == K_PARA || s->kind == K_QUOTE || s->kind == K_HEAD ||
                   (s->inl >= 25 && s->inlink * 2 < s->inl);
        if (para && s->link * 2 < s->text)
            write_node(c, o, k, depth + 1);
        else if (!para && depth < HTML_PASS_DEPTH)
            write_paras(c, o, k, depth + 1);
    }
}

static uint32_t body_weight(const html_article *a)
{
    uint32_t commas = 0;
    return html_text_weight(a->body.p ? a->body.p : "", &commas);
}

/* Text under HTML_FEW_CHARS characters from the chosen container is almost
 * nothing (trafilatura's minimum extraction size is the same 250), and a
 * fallback replaces it when it gives more than twice the text, or, above
 * HTML_TINY_CHARS, five times: a short article must not take in the page. */
#define HTML_FEW_CHARS 250
#define HTML_TINY_CHARS 100

/* When the chosen container gave almost nothing, the page is marked again
 * with furniture only by tag (classes and ids can be wrong about a whole
 * page: a custom element named like a share bar wrapping it all) and read
 * by two fallbacks in order: every paragraph of low link density, then all
 * the visible text. The first that gives enough more text is kept and said
 * in a->fallback. */
static void fall_back(html_ctx *c, out *o, xmlNode *root)
{
    html_article *a = c->a;
    uint32_t have = body_weight(a);
    if (have >= HTML_FEW_CHARS)
        return;
    html_score_coarse(c, root);
    out orig = *o;
    static const char *const what[] = {
        "the article's container gave almost no text; fell back to every paragraph of "
        "low link density on the page",
        "the article's container gave almost no text; fell back to all the visible text of "
        "the page but navigation, header, footer and scripts",
    };
    buf keep = a->body;
    a->body = (buf){0};
    for (int step = 0; step < 2 && !o->oom; step++) {
        buf_clear(&a->body);
        *o = (out){.b = &a->body, .skip_title = o->skip_title, .all = step == 1};
        if (step == 0)
            write_paras(c, o, root, 0);
        else
            write_node(c, o, root, 0);
        drop_heading(o);
        if (body_weight(a) > (have < HTML_TINY_CHARS ? 2 : 5) * have) {
            a->fallback = what[step];
            buf_free(&keep);
            return;
        }
    }
    int oom = o->oom;
    buf_free(&a->body);
    a->body = keep;
    *o = orig;
    o->oom |= oom;
}

int html_write(html_ctx *c, xmlNode *root, xmlNode *top, float score)
{
    html_article *a = c->a;
    out o = {.b = &a->body, .skip_title = a->title.len ? a->title.p : NULL};
    write_content(c, &o, top, score);
    drop_heading(&o); /* a heading at the very end heads nothing */
    use_ld_body(a, &o);
    fall_back(c, &o, root);
    if (o.oom)
        return HS_ENOMEM;
    a->nparas = a->body.len ? o.nparas + 1 : 0;
    a->nquotes = o.nquotes;
    return HS_OK;
}
