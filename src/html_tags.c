/* html_tags - what an element says about itself: the kind of its tag
 * (block, paragraph, heading, dropped ..., or custom), its attributes, and
 * whether its tag, class, id, role, itemprop or style mark it as site
 * furniture (navigation, share bars, comments, related links, ads) or as the
 * article. It counts no text and weighs nothing: that is html_score.c's,
 * which also decides what a custom element is. No word names a site. */
#include <stdlib.h>
#include <string.h>

#include "html_int.h"

typedef struct tagdef {
    const char *name;
    uint8_t kind;
} tagdef;

/* HTML's vocabulary, old and new, sorted by name for bsearch. A name not
 * here is a custom element or an unknown tag: K_CUSTOM, judged by what it
 * holds (html_score.c). */
static const tagdef tags[] = {
    {"a", K_INLINE}, {"abbr", K_INLINE}, {"acronym", K_INLINE}, {"address", K_BLOCK},
    {"applet", K_DROP}, {"area", K_VOID}, {"article", K_BLOCK}, {"aside", K_SOFTDROP},
    {"audio", K_DROP}, {"b", K_INLINE}, {"basefont", K_INLINE}, {"bdi", K_INLINE},
    {"bdo", K_INLINE}, {"big", K_INLINE}, {"blink", K_INLINE}, {"blockquote", K_QUOTE},
    {"body", K_BLOCK}, {"br", K_BR}, {"button", K_DROP}, {"canvas", K_DROP},
    {"caption", K_PARA}, {"center", K_BLOCK}, {"cite", K_INLINE}, {"code", K_INLINE},
    {"data", K_INLINE}, {"datalist", K_DROP}, {"dd", K_PARA}, {"del", K_INLINE},
    {"details", K_BLOCK}, {"dfn", K_INLINE}, {"dialog", K_SOFTDROP}, {"dir", K_BLOCK},
    {"div", K_BLOCK}, {"dl", K_BLOCK}, {"dt", K_PARA}, {"em", K_INLINE}, {"embed", K_DROP},
    {"fieldset", K_BLOCK}, {"figcaption", K_DROP}, {"figure", K_BLOCK}, {"font", K_INLINE},
    {"footer", K_SOFTDROP}, {"form", K_SOFTDROP}, {"frame", K_DROP}, {"frameset", K_DROP},
    {"h1", K_HEAD}, {"h2", K_HEAD}, {"h3", K_HEAD}, {"h4", K_HEAD}, {"h5", K_HEAD},
    {"h6", K_HEAD}, {"head", K_BLOCK}, {"header", K_SOFTDROP}, {"hgroup", K_BLOCK},
    {"hr", K_BLOCK}, {"html", K_BLOCK}, {"i", K_INLINE}, {"iframe", K_DROP}, {"img", K_VOID},
    {"input", K_VOID}, {"ins", K_INLINE}, {"kbd", K_INLINE}, {"label", K_DROP},
    {"legend", K_PARA}, {"li", K_PARA}, {"link", K_VOID}, {"main", K_BLOCK}, {"map", K_DROP},
    {"mark", K_INLINE}, {"marquee", K_INLINE}, {"math", K_DROP}, {"menu", K_SOFTDROP},
    {"meta", K_VOID}, {"nav", K_SOFTDROP}, {"nobr", K_INLINE}, {"noframes", K_RAW},
    {"noscript", K_RAW}, {"object", K_DROP}, {"ol", K_BLOCK}, {"optgroup", K_DROP},
    {"option", K_DROP}, {"output", K_DROP}, {"p", K_PARA}, {"picture", K_DROP}, {"pre", K_PARA},
    {"progress", K_DROP}, {"q", K_INLINE}, {"rb", K_INLINE}, {"rp", K_INLINE}, {"rt", K_INLINE},
    {"rtc", K_INLINE}, {"ruby", K_INLINE}, {"s", K_INLINE}, {"samp", K_INLINE},
    {"script", K_RAW}, {"section", K_BLOCK}, {"select", K_DROP}, {"slot", K_INLINE},
    {"small", K_INLINE}, {"source", K_VOID}, {"span", K_INLINE}, {"strike", K_INLINE},
    {"strong", K_INLINE}, {"style", K_RAW}, {"sub", K_INLINE}, {"summary", K_PARA},
    {"sup", K_INLINE}, {"svg", K_DROP}, {"table", K_BLOCK}, {"tbody", K_BLOCK}, {"td", K_CELL},
    {"template", K_RAW}, {"textarea", K_RAW}, {"tfoot", K_BLOCK}, {"th", K_CELL},
    {"thead", K_BLOCK}, {"time", K_INLINE}, {"title", K_RAW}, {"tr", K_PARA}, {"track", K_VOID},
    {"tt", K_INLINE}, {"u", K_INLINE}, {"ul", K_BLOCK}, {"var", K_INLINE}, {"video", K_DROP},
    {"wbr", K_INLINE},
};

static int tag_cmp(const void *k, const void *e)
{
    return strcmp(k, ((const tagdef *)e)->name);
}

int html_tag_kind(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (!name)
        return K_INLINE;
    const tagdef *t = bsearch(name, tags, sizeof tags / sizeof tags[0], sizeof tags[0], tag_cmp);
    return t ? t->kind : K_CUSTOM;
}

/* The value of attribute name, without copying, or NULL. */
const char *html_attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0)
            return a->children && a->children->type == XML_TEXT_NODE && a->children->content
                       ? (const char *)a->children->content
                       : "";
    return NULL;
}

/* Lower-case copy of s (at most cap-1 bytes). */
void html_lower(char *out, size_t cap, const char *s)
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
    "mostpopular", "most-read", "mostread", "more-stories", "morestories", "also-read",
    "follow-us", "next-article", "prev-article", "donate", "inline-ad", "ad-slot", "adslot",
    "adunit", "ad-unit", "ad-container", "ad-wrapper", "gpt-ad", "dfp-", "tag-list", "taglist",
    "tags-list", "article-tags", "post-tags", "entry-tags", "jump-link", "table-of-contents",
    "reactions",
};
static const char *const junk_soft[] = {
    "header", "sidebar", "byline", "author-info", "author-bio", "authorbio", "about-author",
    "timestamp", "dateline", "publish-date", "published-date", "post-date", "post-meta",
    "entry-meta", "article-meta", "meta-data", "caption", "credit", "widget", "topics",
    "keywords", "visually-hidden", "sr-only", "screen-reader", "off-screen", "offscreen",
    "copyright", "print-", "popup", "modal", "overlay", "offcanvas", "navbar", "navigation",
    "skip-link", "tooltip", "pagination", "toolbar", "dropdown", "login", "banner", "masthead",
    "feedback", "rating", "read-more", "readmore", "gallery", "slideshow", "carousel",
};
/* Furniture words that must be a whole part of a name ("ad", not "head"). */
static const char *const junk_part[] = {
    "ad", "ads", "nav", "menu", "tags", "share", "meta", "date", "author", "aside", "rail",
    "alert", "pager", "more", "hide", "hidden", "print", "social", "related", "comments",
    "sponsored", "promoted", "partner", "partners", "shop", "store", "deal", "deals", "player",
    "audio", "podcast", "lightbox", "thumbnail", "thumb", "icon", "icons", "logo", "search",
    "form", "button", "btn", "bottom", "top", "utility", "utilities", "secondary", "extra",
};
/* Whole parts of a name that are furniture at any size: a call to action
 * (join, subscribe, donate), an author's biography. */
static const char *const soft_part[] = {"cta", "bio"};
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

enum { H_NONE = 0, H_WEAK, H_SOFT, H_HARD };

/* Whether b begins with one of the n words of list that have a hyphen in
 * them ("author-bio-box" with "author-bio"). */
static int starts_with_compound(const char *b, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == b[0] && strchr(list[i], '-') && !strncmp(b, list[i], strlen(list[i])))
            return 1;
    return 0;
}

/* The furniture level of one class or id name (lower case). */
static int name_hint(const char *b, int *good)
{
    /* "author-bio" is furniture even though "author-jane" is a taxonomy class */
    if (starts_with_compound(b, junk_hard, HTML_NELEM(junk_hard)))
        return H_HARD;
    if (starts_with_compound(b, junk_soft, HTML_NELEM(junk_soft)))
        return H_SOFT;
    for (size_t i = 0; i < HTML_NELEM(taxonomy); i++)
        if (!strncmp(b, taxonomy[i], strlen(taxonomy[i])))
            return H_NONE;
    /* the last part of a compound name says what it is: "article_date" is a
     * date of the article, not the article (a stronger furniture word in it
     * still counts: "newsletter-signup-form") */
    const char *tail = b + strlen(b);
    while (tail > b && ((tail[-1] >= 'a' && tail[-1] <= 'z') ||
                        (tail[-1] >= '0' && tail[-1] <= '9')))
        tail--;
    int weak_tail = 0;
    if (tail > b && *tail)
        for (size_t i = 0; i < HTML_NELEM(junk_part) && !weak_tail; i++)
            weak_tail = !strcmp(tail, junk_part[i]);
    for (size_t i = 0; i < HTML_NELEM(good_part) && !weak_tail; i++)
        if (has_part(b, good_part[i]))
            *good = 1;
    if (strstr(b, "embed") && !strstr(b, "embed-code"))
        return H_NONE; /* the wrapper of an embedded post or quote: its text is kept */
    for (size_t i = 0; i < HTML_NELEM(junk_hard); i++)
        if (strstr(b, junk_hard[i]))
            return H_HARD;
    for (size_t i = 0; i < HTML_NELEM(junk_soft); i++)
        if (strstr(b, junk_soft[i]))
            return H_SOFT;
    for (size_t i = 0; i < HTML_NELEM(soft_part); i++)
        if (has_part(b, soft_part[i]))
            return H_SOFT;
    if (weak_tail)
        return H_WEAK;
    for (size_t i = 0; i < HTML_NELEM(junk_part); i++)
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
        html_lower(b, sizeof b, id);
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
    if (html_attr(n, "hidden"))
        return 1;
    const char *st = html_attr(n, "style");
    if (st) {
        char b[256];
        html_lower(b, sizeof b, st);
        char *p = b, *q = b;
        for (; *p; p++)
            if (*p != ' ')
                *q++ = *p;
        *q = 0;
        if (strstr(b, "display:none") || strstr(b, "visibility:hidden"))
            return 1;
    }
    const char *ah = html_attr(n, "aria-hidden");
    return ah && strcmp(ah, "true") == 0 && !n->children;
}

void html_mark(html_nst *s, const xmlNode *n)
{
    int good = 0;
    int h = hint(html_attr(n, "class"), html_attr(n, "id"), &good);
    if (s->flags & F_CUSTOM) {
        /* <related-stories>, <article-body>: a custom tag names its part of the page */
        char b[128];
        int g = 0;
        html_lower(b, sizeof b, (const char *)n->name);
        int t = name_hint(b, &g);
        h = t > h ? t : h;
        good |= g;
    }
    const char *role = html_attr(n, "role");
    if (role && (!strcmp(role, "navigation") || !strcmp(role, "complementary") ||
                 !strcmp(role, "banner") || !strcmp(role, "contentinfo") ||
                 !strcmp(role, "dialog") || !strcmp(role, "alert")))
        h = H_HARD;
    const char *ip = html_attr(n, "itemprop");
    if (ip && strstr(ip, "articleBody")) {
        s->flags |= F_BODYPROP;
        good = 1;
        h = H_NONE;
    }
    if (good && h < H_HARD)
        h = H_NONE;
    if (good)
        s->flags |= F_POSITIVE;
    if (s->kind == K_QUOTE || html_is_tag(n, "article") || html_is_tag(n, "main") ||
        html_is_tag(n, "body") || html_is_tag(n, "html"))
        h = H_NONE; /* quotes and embedded posts stay; containers of all stay */
    if (h == H_HARD)
        s->flags |= F_JUNK | F_HARD;
    else if (h == H_SOFT || s->kind == K_SOFTDROP || hidden(n))
        s->flags |= F_JUNK;
    else if (h == H_WEAK)
        s->flags |= F_WEAK;
}

void html_mark_coarse(html_nst *s, const xmlNode *n)
{
    s->flags &= F_CUSTOM;
    if ((s->kind == K_SOFTDROP && !html_is_tag(n, "form")) || hidden(n))
        s->flags |= F_JUNK;
}

/* Words of a heading's class or id that head a list of other pages. */
static const char *const list_heads[] = {
    "related", "recommend", "more-stories", "morestories", "trending", "most-popular",
    "mostpopular", "most-read", "mostread", "also-read", "you-may", "youmay", "read-next",
};

int html_heads_list(const xmlNode *n)
{
    const char *names[] = {html_attr(n, "class"), html_attr(n, "id")};
    char b[256];
    for (size_t i = 0; i < HTML_NELEM(names); i++) {
        if (!names[i])
            continue;
        html_lower(b, sizeof b, names[i]);
        for (size_t j = 0; j < HTML_NELEM(list_heads); j++)
            if (strstr(b, list_heads[j]))
                return 1;
    }
    return 0;
}
