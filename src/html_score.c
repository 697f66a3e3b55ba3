/* html_score - finds the article in the tree: gives every element a slot
 * of statistics, counts text and link text with furniture left out (undone
 * for an element that holds most of the page), lets each paragraph score
 * the blocks above it, and chooses the best container, climbed up through
 * an article cut into like sections. It reads what elements say of
 * themselves from html_tags.c and writes nothing: html_write.c does. */
#include <string.h>

#include "hearsay.h"
#include "html_int.h"

uint32_t html_text_weight(const char *s, uint32_t *commas)
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

/* Whether n holds running text of its own: a word outside any element, or
 * a known inline element (a custom element beside them is a part of it). */
static int runs_text(const html_ctx *c, const xmlNode *n)
{
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE && k->content) {
            for (const xmlChar *p = k->content; *p; p++)
                if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
                    return 1;
        } else if (k->type == XML_ELEMENT_NODE) {
            const html_nst *s = html_stat(c, k);
            if (s && !(s->flags & F_CUSTOM) && (s->kind == K_INLINE || s->kind == K_BR))
                return 1;
        }
    }
    return 0;
}

/* A custom element is judged by what it holds, as a browser's style sheet
 * would show it: a block when it holds blocks, a part of the paragraph it
 * stands in, else a paragraph of its own (<x-para>text</x-para>). runs:
 * whether its parent runs text (-1: not looked at yet; once a parent). */
static int custom_kind(const html_ctx *c, const xmlNode *k, int in_para, int *runs)
{
    for (const xmlNode *q = k->children; q; q = q->next) {
        const html_nst *s = q->type == XML_ELEMENT_NODE ? html_stat(c, q) : NULL;
        if (s && !html_flows(s->kind) && s->kind != K_DROP)
            return K_BLOCK;
    }
    if (in_para)
        return K_INLINE;
    if (*runs < 0)
        *runs = runs_text(c, k->parent);
    return *runs ? K_INLINE : K_PARA;
}

/* Pass 1: give every element a statistics slot and its tag kind (custom
 * elements' once all their siblings have slots, so that their order does
 * not matter and the parent is looked at once). in_para: inside a
 * paragraph. */
static void pass_count(html_ctx *c, xmlNode *n, int depth, int in_para)
{
    int customs = 0;
    for (xmlNode *k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (vec_reserve((void **)&c->st, &c->capst, c->nst + 1, sizeof *c->st)) {
            c->oom = 1;
            return;
        }
        html_nst *s = &c->st[c->nst++];
        memset(s, 0, sizeof *s);
        k->_private = (void *)(uintptr_t)c->nst;
        size_t slot = c->nst - 1;
        int kind = html_tag_kind(k);
        s->kind = (uint8_t)kind;
        int sub = in_para || kind == K_PARA || kind == K_HEAD || kind == K_INLINE;
        if (kind != K_DROP && depth < HTML_PASS_DEPTH)
            pass_count(c, k, depth + 1, sub);
        if (c->oom)
            return;
        if (kind == K_CUSTOM) { /* the slot array may have moved */
            c->st[slot].flags |= F_CUSTOM;
            customs = 1;
        }
    }
    int runs = -1;
    for (xmlNode *k = customs ? n->children : NULL; k; k = k->next) {
        html_nst *s = k->type == XML_ELEMENT_NODE ? html_stat(c, k) : NULL;
        if (s && (s->flags & F_CUSTOM))
            s->kind = (uint8_t)custom_kind(c, k, in_para, &runs);
    }
}

/* Pass 2: inline and link counts with furniture left out; furniture hints
 * on the way down. Returns nothing; fills the slot of n. */
static void pass_stats(html_ctx *c, xmlNode *n, int depth, int in_link, int mark)
{
    html_nst *sn = html_stat(c, n);
    int tail = 0; /* after a heading of related pages: what follows is theirs */
    for (xmlNode *k = n->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            if (!k->content || !sn || sn->kind == K_RAW)
                continue;
            uint32_t commas = 0, w = html_text_weight((const char *)k->content, &commas);
            sn->text += w;
            sn->inl += w;
            sn->commas += commas;
            if (in_link) {
                sn->link += w;
                sn->inlink += w;
            }
            continue;
        }
        html_nst *s = html_stat(c, k);
        if (!s)
            continue;
        if (mark && s->kind != K_DROP) {
            html_mark(s, k);
            if (tail)
                s->flags = (uint8_t)((s->flags & ~F_POSITIVE) | F_JUNK | F_HARD);
            else if (s->kind == K_HEAD && html_heads_list(k))
                tail = 1;
        }
        if (s->kind == K_DROP || depth >= HTML_PASS_DEPTH)
            continue;
        pass_stats(c, k, depth + 1, in_link || html_is_tag(k, "a"), mark);
        if (!sn)
            continue;
        if (s->flags & F_JUNK)
            continue;
        sn->text += s->text;
        sn->link += s->link;
        sn->paras += s->paras;
        sn->ptext += s->ptext;
        sn->commas += s->commas;
        if (html_flows(s->kind)) {
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
    if (!html_flows(sn->kind) && sn->inl >= 20 && sn->inlink * 2 < sn->inl) {
        sn->paras++;
        sn->ptext += sn->inl - sn->inlink;
    }
}

/* Undoes furniture marks on elements that hold more text than all the rest
 * of the page (a page wrapped in one <form>, a wrapper whose class says
 * "has-sidebar" or both "article" and "breadcrumb"). Returns how many were
 * undone. */
static int unjunk_big(html_ctx *c, xmlNode *n, uint32_t rest, int depth)
{
    int undone = 0;
    for (xmlNode *k = n->children; k; k = k->next) {
        html_nst *s = html_stat(c, k);
        if (!s || s->kind == K_DROP)
            continue;
        /* a hard word is believed unless the class also says article (a tag name
         * would have said so: <article class="has-breadcrumb"> as a custom element) */
        int soft = !(s->flags & F_HARD) || (s->flags & F_POSITIVE);
        if ((s->flags & F_JUNK) && soft && s->text > 2 * rest + 100 && s->link * 2 < s->text) {
            s->flags &= (uint8_t)~(F_JUNK | F_WEAK);
            undone++;
        }
        if (depth < HTML_PASS_DEPTH)
            undone += unjunk_big(c, k, rest, depth + 1);
    }
    return undone;
}

static void clear_stats(html_ctx *c)
{
    for (size_t i = 0; i < c->nst; i++) {
        html_nst *s = &c->st[i];
        s->text = s->link = s->inl = s->inlink = s->paras = s->commas = s->ptext = 0;
        s->score = 0;
    }
}

/* Pass 3: each paragraph adds its score to the blocks above it. */
static void pass_score(html_ctx *c, xmlNode *n, int depth)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        html_nst *s = html_stat(c, k);
        if (!s || s->kind == K_DROP || (s->flags & F_JUNK))
            continue;
        if (depth < HTML_PASS_DEPTH)
            pass_score(c, k, depth + 1);
        if (html_flows(s->kind))
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
            html_nst *u = html_stat(c, up);
            if (!u)
                break;
            u->score += sc * share[lvl] * (float)own / 50.0f;
            u->flags |= F_CANDIDATE;
            up = up->parent;
        }
    }
}

float html_final_score(const html_nst *s)
{
    float ld = s->text ? (float)s->link / (float)s->text : 0;
    float f = s->score * (1.0f - ld);
    if (s->flags & F_POSITIVE)
        f *= 1.25f;
    if (s->flags & F_BODYPROP)
        f *= 3.0f;
    return f;
}

static xmlNode *best_candidate(html_ctx *c, xmlNode *n, xmlNode *best, float *bs, int depth)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        html_nst *s = html_stat(c, k);
        if (!s || s->kind == K_DROP || (s->flags & F_JUNK))
            continue;
        if ((s->flags & F_CANDIDATE) && !html_flows(s->kind)) {
            float f = html_final_score(s);
            if (f > *bs) {
                *bs = f;
                best = k;
            }
        }
        if (depth < HTML_PASS_DEPTH)
            best = best_candidate(c, k, best, bs, depth + 1);
    }
    return best;
}

static int same_class(const xmlNode *a, const xmlNode *b)
{
    const char *x = html_attr(a, "class"), *y = html_attr(b, "class");
    return a->name && b->name && !strcmp((const char *)a->name, (const char *)b->name) &&
           (x ? y && !strcmp(x, y) : !y);
}

/* An article cut into sections, chunks or cards leaves its best block too
 * deep: go up to a parent that holds more blocks like the one we are in
 * (same tag, same class) with paragraph text of their own. */
static xmlNode *climb(html_ctx *c, xmlNode *top, float *score)
{
    xmlNode *cur = top;
    for (int lvl = 0; lvl < 6; lvl++) {
        xmlNode *up = cur->parent;
        html_nst *u = up && up->type == XML_ELEMENT_NODE ? html_stat(c, up) : NULL;
        if (!u || u->kind == K_DROP || (u->flags & F_JUNK) || html_is_tag(up, "body") ||
            html_is_tag(up, "html"))
            break;
        int twins = 0;
        for (xmlNode *k = up->children; k; k = k->next) {
            html_nst *ks = k != cur && k->type == XML_ELEMENT_NODE ? html_stat(c, k) : NULL;
            if (ks && !(ks->flags & F_JUNK) && ks->kind != K_DROP && ks->ptext >= 50 &&
                ks->link * 3 < ks->text && same_class(k, cur))
                twins++;
        }
        if (twins && u->link * 10 <= u->text * 3) {
            top = up;
            if (html_final_score(u) > *score)
                *score = html_final_score(u);
        }
        cur = up;
    }
    return top;
}

/* Undoes furniture that holds most of the page and counts again, until
 * nothing more is undone (four rounds at most). */
static void unjunk_rounds(html_ctx *c, xmlNode *root)
{
    for (int round = 0; round < 4; round++) {
        if (!unjunk_big(c, root, c->st[0].text, 0))
            break;
        clear_stats(c);
        pass_stats(c, root, 0, 0, 0);
    }
}

/* Sets the fallback's marks on every element below n (html_mark_coarse). */
static void mark_coarse(html_ctx *c, xmlNode *n, int depth)
{
    for (xmlNode *k = n->children; k; k = k->next) {
        html_nst *s = html_stat(c, k);
        if (!s || s->kind == K_DROP)
            continue;
        html_mark_coarse(s, k);
        if (depth < HTML_PASS_DEPTH)
            mark_coarse(c, k, depth + 1);
    }
}

void html_score_coarse(html_ctx *c, xmlNode *root)
{
    mark_coarse(c, root, 0);
    clear_stats(c);
    pass_stats(c, root, 0, 0, 0);
    unjunk_rounds(c, root);
}

int html_score(html_ctx *c, xmlNode *root, xmlNode **top, float *score)
{
    /* the root itself gets a slot too */
    if (vec_reserve((void **)&c->st, &c->capst, 1, sizeof *c->st))
        return HS_ENOMEM;
    memset(&c->st[0], 0, sizeof c->st[0]);
    c->st[0].kind = K_BLOCK;
    c->nst = 1;
    root->_private = (void *)(uintptr_t)1;
    pass_count(c, root, 0, 0);
    if (c->oom)
        return HS_ENOMEM;
    pass_stats(c, root, 0, 0, 1);
    unjunk_rounds(c, root);
    pass_score(c, root, 0);
    float bs = 0;
    xmlNode *best = best_candidate(c, root, NULL, &bs, 0);
    if (!best)
        best = root;
    *top = climb(c, best, &bs);
    *score = bs;
    return HS_OK;
}
