/* html_meta - the page's title, byline, date, canonical URL, site name and
 * language, and its JSON-LD articleBody: JSON-LD of an article type first,
 * then <meta> tags (Open Graph, Twitter, Dublin Core ...), <link
 * rel=canonical>, <time pubdate>, <h1>, and <title> less the site's name.
 * A JSON-LD script over the article's json_budget is not read. It writes no
 * article text: html_write.c decides whether the articleBody is used. */
#include <jansson.h>
#include <string.h>

#include "hearsay.h"
#include "html_int.h"
#include "jstr.h"

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

static const char *ld_str(json_t *o, const char *key)
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
    set_once(&a->title, ld_str(o, "headline"), oom);
    json_t *ab = json_object_get(o, "articleBody");
    if (json_is_string(ab) && !a->ldbody.len)
        *oom |= buf_append(&a->ldbody, json_string_value(ab), json_string_length(ab)) != 0;
    json_t *au = json_object_get(o, "author");
    if (au)
        authors_json(&a->byline, au, oom);
    set_once(&a->date, ld_str(o, "datePublished"), oom);
    json_t *pub = json_object_get(o, "publisher");
    if (json_is_object(pub))
        set_once(&a->site, ld_str(pub, "name"), oom);
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
            const char *p = html_attr(k, "property"), *nm = html_attr(k, "name");
            const char *v = html_attr(k, "content");
            const char *key = p ? p : nm ? nm : html_attr(k, "itemprop");
            if (!key || !v)
                continue;
            char lk[64];
            html_lower(lk, sizeof lk, key);
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
            const char *rel = html_attr(k, "rel"), *href = html_attr(k, "href");
            if (rel && href && !strcmp(rel, "canonical"))
                set_once(&m->canon, href, oom);
            continue;
        }
        if (!strcmp(name, "title")) {
            set_once(&m->doc_title, node_text(k, tmp), oom);
            continue;
        }
        if (!strcmp(name, "script")) {
            const char *t = html_attr(k, "type");
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
            const char *l = html_attr(k, "lang");
            if (l)
                set_once(&m->lang, l, oom);
        }
        if (!strcmp(name, "time") && !m->date.len) {
            const char *dt = html_attr(k, "datetime");
            if (dt && (html_attr(k, "pubdate") ||
                       (html_attr(k, "itemprop") &&
                        strstr(html_attr(k, "itemprop"), "datePublished"))))
                set_once(&m->date, dt, oom);
        }
        if (!strcmp(name, "h1") && !m->h1.len) {
            xmlChar *all = xmlNodeGetContent(k);
            if (all) {
                set_once(&m->h1, (const char *)all, oom);
                xmlFree(all);
            }
            continue;
        }
        if (depth < HTML_PASS_DEPTH && strcmp(name, "style") && strcmp(name, "svg"))
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

int html_meta(html_article *a, xmlDoc *doc, const char *base_url)
{
    int oom = 0;
    meta m;
    memset(&m, 0, sizeof m);
    buf tmp = {0};
    collect_meta(a, &m, (xmlNode *)doc, 0, &oom, &tmp);
    buf_free(&tmp);
    finish_meta(a, &m, base_url, &oom);
    meta_free(&m);
    return oom ? HS_ENOMEM : HS_OK;
}
