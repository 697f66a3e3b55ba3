/* html_meta - the page's title, byline, date, canonical URL, site name and
 * language, and its JSON-LD articleBody: JSON-LD, <meta> tags, <link
 * rel=canonical>, <time pubdate>, the dateline and byline after the <h1>,
 * <title> and the URL (html_date.c reads the dates). A date that is not
 * found stays empty, never guessed. A JSON-LD script over json_budget is not
 * read. It writes no article text: html_write.c decides about articleBody. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* A date value is taken only when it names a real day ("0001-01-01" does not). */
static void set_date(buf *b, const char *s, int *oom)
{
    html_ymd d;
    if (!b->len && s && html_date_parse(s, &d))
        set_once(b, s, oom);
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
    set_date(&a->date, ld_str(o, "datePublished"), oom);
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

/* What the page's head and <h1> say; h1node is the first <h1>, where the
 * visible dateline and byline are looked for. */
typedef struct meta {
    buf og_title, tw_title, doc_title, h1, author, date, canon, og_url, site, lang, app;
    xmlNode *h1node;
} meta;

static void meta_free(meta *m)
{
    buf *all[] = {&m->og_title, &m->tw_title, &m->doc_title, &m->h1,   &m->author, &m->date,
                  &m->canon,    &m->og_url,    &m->site,      &m->lang, &m->app};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_free(all[i]);
}

/* <meta> names of the first publication (never of a modification). */
static int is_date_key(const char *k)
{
    static const char *const keys[] = {
        "article:published_time", "datepublished", "date", "pubdate", "publishdate",
        "publish-date", "publish_date", "pub_date", "pdate", "published_at", "dc.date",
        "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.created",
        "dcterms.issued", "sailthru.date", "parsely-pub-date", "og:published_time",
        "article.published", "datecreated"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strcmp(k, keys[i]))
            return 1;
    return 0;
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
            else if (!strcmp(lk, "application-name"))
                set_once(&m->app, v, oom);
            else if ((!strcmp(lk, "author") || !strcmp(lk, "article:author") ||
                      !strcmp(lk, "byl") || !strcmp(lk, "dc.creator") ||
                      !strcmp(lk, "sailthru.author") || !strcmp(lk, "parsely-author")) &&
                     !strstr(v, "://"))
                set_once(&m->author, v, oom);
            else if (is_date_key(lk))
                set_date(&m->date, v, oom);
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
                set_date(&m->date, dt, oom);
        }
        if (!strcmp(name, "h1") && !m->h1.len) {
            m->h1node = k;
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

/* The visible text after the first <h1>, up to cap bytes, one space between
 * text nodes: where a reader finds the dateline and the byline. */
static void after_h1(xmlNode *h, buf *out, size_t cap)
{
    buf_clear(out);
    xmlNode *n = h;
    while (n && out->len < cap) {
        if (n != h && n->type == XML_ELEMENT_NODE && n->children && n->name &&
            strcmp((const char *)n->name, "script") && strcmp((const char *)n->name, "style")) {
            n = n->children;
            continue;
        }
        if ((n->type == XML_TEXT_NODE) && n->content) {
            const char *t = (const char *)n->content;
            size_t l = strlen(t), m = l < cap ? l : cap;
            while (m < l && m > 0 && ((unsigned char)t[m] & 0xC0) == 0x80)
                m--; /* whole characters: a byline may come from here */
            buf_append(out, t, m);
            buf_putc(out, ' ');
        }
        while (n && !n->next)
            n = n->parent;
        if (n)
            n = n->next;
    }
    for (size_t i = 0; i < out->len; i++)
        if (out->p[i] == '\n' || out->p[i] == '\t' || out->p[i] == '\r')
            out->p[i] = ' ';
}

static int has_ci(const char *s, size_t n, const char *w)
{
    size_t l = strlen(w);
    for (size_t i = 0; i + l <= n; i++)
        if (!strncasecmp(s + i, w, l))
            return 1;
    return 0;
}

/* A byte of a word: an ASCII letter or digit, or part of a non-ASCII character. */
static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The first date in the text after the <h1> that is not announced as an
 * update ("Updated Nov 13, 2019"). */
static int visible_date(const char *t, size_t n, char order, html_ymd *d)
{
    size_t at = 0, k;
    while (at < n && (k = html_date_find(t + at, n - at, order, d))) {
        size_t start = at + k - 1, from = start > 48 ? start - 48 : 0;
        if (!has_ci(t + from, start - from, "updated") &&
            !has_ci(t + from, start - from, "modified"))
            return 1;
        /* on past the whole word: "12 March" must not come back as "2 March" */
        at = start + 1;
        while (at < n && word_byte((unsigned char)t[at]))
            at++;
    }
    return 0;
}

/* A date in the URL's path: /2019/03/03/ or /2019/mar/03/. */
static int url_date(const char *u, html_ymd *d)
{
    for (const char *p = strchr(u, '/'); p; p = strchr(p + 1, '/')) {
        char *e;
        long y = strtol(p + 1, &e, 10);
        if (e != p + 5 || *e != '/')
            continue;
        const char *q = e + 1;
        long m = strtol(q, &e, 10);
        if (e == q) {
            static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                              "jul", "aug", "sep", "oct", "nov", "dec"};
            m = 0;
            for (int i = 0; i < 12; i++)
                if (!strncasecmp(q, mon[i], 3) && q[3] == '/')
                    m = i + 1;
            e = (char *)q + 3;
        }
        if (!m || *e != '/' || e - q > 3)
            continue;
        q = e + 1;
        long dd = strtol(q, &e, 10);
        if (e == q || e - q > 2 || (*e && *e != '/'))
            continue;
        html_ymd t = {(int)y, (int)m, (int)dd};
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", t.y, t.m, t.d);
        if (html_date_parse(iso, d))
            return 1;
    }
    return 0;
}

static void put_ymd(buf *b, html_ymd d, int *oom)
{
    buf_clear(b);
    if (buf_printf(b, "%04d-%02d-%02d", d.y, d.m, d.d))
        *oom = 1;
}

/* The date of first publication: the metadata's (kept as written when it
 * is ISO 8601, else as YYYY-MM-DD); the page's own dateline when the two are
 * a day apart (a UTC time stamp of an evening story); else the dateline
 * after the <h1>; else the URL's; else none. */
static void choose_date(html_article *a, const char *text, size_t n, char order, int *oom)
{
    html_ymd md, vd, ud;
    int hm = a->date.len && html_date_parse(a->date.p, &md);
    int hv = visible_date(text, n, order, &vd);
    if (hm && hv && labs(html_date_days(md) - html_date_days(vd)) == 1)
        put_ymd(&a->date, vd, oom);
    else if (hm) {
        html_ymd iso;
        if (!(a->date.len >= 10 && html_date_find(a->date.p, 10, 0, &iso) == 1 &&
              iso.y == md.y && iso.m == md.m && iso.d == md.d))
            put_ymd(&a->date, md, oom);
    } else if (hv)
        put_ymd(&a->date, vd, oom);
    else if (a->url.len && url_date(a->url.p, &ud))
        put_ymd(&a->date, ud, oom);
}

static const char *const title_seps[] = {" | ", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ",
                                         " :: ", " \xC2\xBB ", " \xC2\xB7 "};

/* s up to its first separator ("Autoracing | F1 | Indy" is Autoracing). */
static size_t first_part(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < sizeof title_seps / sizeof *title_seps; i++) {
        const char *p = strstr(s, title_seps[i]);
        if (p && (size_t)(p - s) < n)
            n = (size_t)(p - s);
    }
    return n;
}

/* The " | Site" tail of a <title>, when it is short and shorter than the rest. */
static int title_tail(const char *t, const char **tail, size_t *len)
{
    const char *best = NULL;
    size_t sep = 0;
    for (size_t i = 0; i < sizeof title_seps / sizeof *title_seps; i++) {
        for (const char *p = strstr(t, title_seps[i]); p; p = strstr(p + 1, title_seps[i]))
            if (!best || p > best) {
                best = p;
                sep = strlen(title_seps[i]);
            }
    }
    if (!best)
        return 0;
    *tail = best + sep;
    *len = strlen(*tail);
    return *len && *len <= 48 && *len < (size_t)(best - t);
}

static void put_n(buf *b, const char *s, size_t n, int *oom)
{
    buf_clear(b);
    if (buf_append(b, s, n))
        *oom = 1;
}

/* The outlet: og:site_name (its first part), else JSON-LD publisher.name
 * (already in a->site), else application-name, else the <title>'s tail,
 * else the URL's host less "www." and subdomains. */
static void choose_site(html_article *a, meta *m, int *oom)
{
    if (m->site.len && !strstr(m->site.p, "://")) {
        put_n(&a->site, m->site.p, first_part(m->site.p), oom);
        return;
    }
    if (a->site.len)
        return;
    const char *tail;
    size_t len;
    if (m->app.len && !strstr(m->app.p, "://"))
        put_n(&a->site, m->app.p, first_part(m->app.p), oom);
    else if (m->doc_title.len && title_tail(m->doc_title.p, &tail, &len))
        put_n(&a->site, tail, len, oom);
    else if (a->url.len && strstr(a->url.p, "://")) {
        const char *h = strstr(a->url.p, "://") + 3, *e = h + strcspn(h, "/?#");
        const char *at = memchr(h, '@', (size_t)(e - h));
        if (at)
            h = at + 1; /* user:password@host */
        e = h + strcspn(h, "/:?#");
        size_t digits = 0;
        for (const char *p = h; p < e; p++)
            digits += (*p >= '0' && *p <= '9') || *p == '.';
        if (digits == (size_t)(e - h) || *h == '[')
            return; /* an IP address names no outlet */
        /* the last two labels, three after a short second-level one (co.uk) */
        const char *dots[3] = {NULL, NULL, NULL};
        int k = 0;
        for (const char *p = e; p > h && k < 3; p--)
            if (p[-1] == '.')
                dots[k++] = p - 1;
        const char *start = h;
        if (dots[1]) {
            int short2 = dots[0] - dots[1] - 1 <= 3 && e - dots[0] - 1 == 2;
            start = short2 ? (dots[2] ? dots[2] + 1 : h) : dots[1] + 1;
        }
        if (e > start)
            put_n(&a->site, start, (size_t)(e - start), oom);
    }
}
static int alnum_eq(const char *a, size_t an, const char *b, int prefix)
{
    /* a and b compared on their letters and digits, without case */
    size_t i = 0, j = 0, bn = strlen(b);
    for (;;) {
        while (i < an && !isalnum((unsigned char)a[i]) && (unsigned char)a[i] < 0x80)
            i++;
        while (j < bn && !isalnum((unsigned char)b[j]) && (unsigned char)b[j] < 0x80)
            j++;
        if (i == an || j == bn)
            return (i == an && j == bn) || (prefix && i == an && i > 0);
        if (tolower((unsigned char)a[i++]) != tolower((unsigned char)b[j++]))
            return 0;
    }
}

/* Words that make a byline part a role or an organisation, not a name. */
static int is_role(const char *s, size_t n)
{
    static const char *const roles[] = {
        "writer", "reporter", "editor", "correspondent", "staff", "press", "news",
        "media", "columnist", "contributor", "service", "agency", "reuters", "editorial",
        "admin", "team", "desk", "wire", "associated", "afp", "pti", "ians", "bureau"};
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
        size_t l = strlen(roles[i]);
        for (size_t k = 0; k + l <= n; k++) {
            if (strncasecmp(s + k, roles[i], l) || (k && isalpha((unsigned char)s[k - 1])))
                continue;
            /* whole words or plurals: not "Tom Stafford", "Gavin Newsom" */
            size_t e = k + l;
            if (e < n && (s[e] | 32) == 's')
                e++;
            if (e == n || !isalpha((unsigned char)s[e]) || !isalpha((unsigned char)s[k + l]))
                return 1;
        }
    }
    return 0;
}

/* One name of a byline, in title case when it was written in capitals. */
static void put_name(buf *b, const char *s, size_t n, int *oom)
{
    int caps = 1;
    for (size_t i = 0; i < n; i++)
        if (islower((unsigned char)s[i]))
            caps = 0;
    if (b->len && buf_append(b, ", ", 2))
        *oom = 1;
    for (size_t i = 0; i < n; i++) {
        int first = i == 0 || !isalpha((unsigned char)s[i - 1]);
        char c = caps && !first ? (char)tolower((unsigned char)s[i]) : s[i];
        if (buf_putc(b, c))
            *oom = 1;
    }
}

/* The people of a byline: "By JANE ROE, AP Writer" is Jane Roe. Parts
 * after the first that are one word or a role ("CNN", "Staff Writer") are
 * left out; a byline that is only an organisation (the outlet itself, a news
 * agency, "Editorial", a lower-case user name) is dropped. */
static void clean_byline(buf *b, const char *site, buf *tmp, int *oom)
{
    if (!b->len)
        return;
    const char *s = b->p;
    size_t n = b->len;
    for (size_t i = 0; i + 3 <= n && i < 20; i++)
        if (!strncasecmp(s + i, "by ", 3) && (i == 0 || s[i - 1] == ' ')) {
            s += i + 3;
            n -= i + 3;
            break;
        }
    const char *bar = memchr(s, '|', n);
    if (bar)
        n = (size_t)(bar - s);
    buf_clear(tmp);
    size_t i = 0, part = 0;
    while (i < n) {
        size_t e = i, next;
        while (e < n && s[e] != ',' && s[e] != ';' && strncmp(s + e, " and ", 5) &&
               strncmp(s + e, " & ", 3))
            e++;
        next = e == n ? n : s[e] == ',' || s[e] == ';' ? e + 1 : s[e + 1] == '&' ? e + 3 : e + 5;
        while (i < e && s[i] == ' ')
            i++;
        size_t l = e - i;
        while (l && s[i + l - 1] == ' ')
            l--;
        int words = l > 0;
        for (size_t k = 0; k < l; k++)
            words += s[i + k] == ' ';
        int lower_slug = l && islower((unsigned char)s[i]) && words == 1;
        int keep = l && !is_role(s + i, l) && !lower_slug && (part == 0 || words > 1) &&
                   !(site && (alnum_eq(s + i, l, site, 1)));
        if (keep)
            put_name(tmp, s + i, l, oom);
        else if (part == 0)
            break;
        part++;
        i = next;
    }
    buf_clear(b);
    if (tmp->len && buf_append(b, tmp->p, tmp->len))
        *oom = 1;
}

/* A "By Jane Roe" (capital B: "sacked by Manchester United" is no byline)
 * in the text after the <h1>: the capitalised words after it, names joined
 * by "," or "and", up to a word that ends a byline. */
static void visible_byline(buf *out, const char *t, size_t n, int *oom)
{
    static const char *const stops[] = {
        "Published", "Updated", "Posted", "Last", "On", "In", "At", "The", "Share",
        "Follow", "Email", "Print", "Photo", "Image", "Video", "Read", "More", "January",
        "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
        "Sep", "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "Saturday", "Sunday", "View", "About", "Get", "Sign", "Subscribe"};
    for (size_t i = 0; i + 4 < n; i++) {
        if (strncmp(t + i, "By ", 3) || (i && t[i - 1] != ' '))
            continue;
        size_t j = i + 3, end = j;
        int words = 0;
        while (j < n) {
            size_t e = j;
            while (e < n && t[e] != ' ' && t[e] != ',')
                e++;
            int joiner = (e - j == 3 && !strncmp(t + j, "and", 3)) || (e - j == 1 && t[j] == '&');
            int stop = 0;
            for (size_t k = 0; k < sizeof stops / sizeof *stops; k++)
                if (strlen(stops[k]) == e - j && !strncmp(t + j, stops[k], e - j))
                    stop = 1;
            if (!joiner && (stop || !isupper((unsigned char)t[j]) || words >= 12))
                break;
            if (!joiner) {
                words++;
                end = e;
            }
            j = e;
            while (j < n && (t[j] == ' ' || t[j] == ','))
                j++;
        }
        if (words >= 2) {
            put_n(out, t + i + 3, end - i - 3, oom);
            return;
        }
    }
}

static void finish_meta(html_article *a, meta *m, const char *base_url, int *oom)
{
    buf text = {0}, tmp = {0};
    if (m->h1node)
        after_h1(m->h1node, &text, 400);
    set_once(&a->url, m->canon.len ? m->canon.p : m->og_url.len ? m->og_url.p : base_url, oom);
    set_once(&a->lang, m->lang.p, oom);
    choose_site(a, m, oom);
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
    const char *site = a->site.len ? a->site.p : NULL;
    if (m->author.len && !a->byline.len)
        set_once(&a->byline, m->author.p, oom);
    clean_byline(&a->byline, site, &tmp, oom);
    if (!a->byline.len && text.len) {
        visible_byline(&a->byline, text.p, text.len, oom);
        clean_byline(&a->byline, site, &tmp, oom);
    }
    if (m->date.len && !a->date.len)
        set_once(&a->date, m->date.p, oom);
    const char *l = m->lang.len ? m->lang.p : "";
    char order = !strncasecmp(l, "en-us", 5) ? 'm' : *l && strncasecmp(l, "en", 2) ? 'd' : 0;
    choose_date(a, text.p ? text.p : "", text.len, order, oom);
    buf_free(&text);
    buf_free(&tmp);
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
