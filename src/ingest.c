/* ingest - from a reader's document to the analyzed text and its metadata
 * (see ingest.h). An HTML page becomes its title, a blank line and its
 * paragraphs separated by blank lines, so the text layer sees a headline and
 * paragraphs as in any article; offsets refer to that text, which the JSON
 * then carries. */
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "html.h"
#include "jstr.h"

/* Invariant: the metadata buffers describe the document's last
 * hs_doc_analyze_input only while active; body_off <= the text's length. */
struct ingest {
    html_article art;
    charset_conv cv;
    buf utf8, text;
    buf url, date, published, title, byline, outlet, lang, fields;
    size_t body_off;
    int active, wants_text;
};

#define KEEP (16u << 20)
#define NMETA 8
static buf *meta_bufs(struct ingest *g, buf **all)
{
    buf *m[NMETA] = {&g->url, &g->date, &g->published, &g->title,
                     &g->byline, &g->outlet, &g->lang, &g->fields};
    memcpy(all, m, sizeof m);
    return all[0];
}

void ingest_reset(hs_doc *d)
{
    if (d->ing)
        d->ing->active = d->ing->wants_text = 0;
}

void ingest_free(struct ingest *g)
{
    if (!g)
        return;
    buf *all[NMETA];
    meta_bufs(g, all);
    for (int i = 0; i < NMETA; i++)
        buf_free(all[i]);
    buf_free(&g->utf8);
    buf_free(&g->text);
    html_article_free(&g->art);
    charset_close(&g->cv);
    free(g);
}

static int set(buf *b, const char *s, size_t n)
{
    buf_clear(b);
    return s ? buf_append(b, s, n) : 0;
}

static int sets(buf *b, const char *s)
{
    return set(b, s, s ? strlen(s) : 0);
}

static int doc_error(hs_doc *d, int code, const char *id, const char *msg)
{
    doc_set_text(d, id, "", 0);
    buf_clear(&d->errmsg);
    buf_append(&d->errmsg, msg, strlen(msg));
    return code;
}

/* Does text (after white space) begin with title? */
static int begins_with(const char *text, size_t len, const char *title)
{
    size_t i = 0, n = strlen(title);
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    return n && len - i >= n && !memcmp(text + i, title, n);
}

/* g->text = title, blank line, body; body_off where the body starts. */
static int with_title(struct ingest *g, const char *title, const char *body, size_t n)
{
    buf_clear(&g->text);
    int rc = 0;
    if (title && *title) {
        for (const char *p = title; *p; p++) /* the title is one line */
            rc |= buf_putc(&g->text, *p == '\n' || *p == '\r' ? ' ' : *p);
        rc |= buf_append(&g->text, "\n\n", 2);
    }
    g->body_off = g->text.len;
    rc |= buf_append(&g->text, body, n);
    return rc;
}

int hs_doc_analyze_input(hs_doc *d, const hs_input *in, unsigned flags)
{
    if (!d || !in || (!in->text && in->len))
        return HS_EINVAL;
    if (!d->ing && !(d->ing = calloc(1, sizeof *d->ing)))
        return HS_ENOMEM;
    struct ingest *g = d->ing;
    /* a huge earlier page does not pin its buffers for the rest of a stream */
    buf_trim(&g->utf8, KEEP);
    buf_trim(&g->text, KEEP);
    html_article_trim(&g->art, KEEP);
    const char *text = in->text ? in->text : "";
    size_t len = in->len, nbad = 0;
    int html = in->format == HS_FORMAT_HTML, built = 0, unknown_cs = 0;
    char cs[48] = "";
    char msg[320];
    g->body_off = 0;
    if (html) {
        if (len > d->eng->max_doc_bytes) {
            snprintf(msg, sizeof msg, "%zu bytes: larger than the limit of %u MiB", len,
                     (unsigned)(d->eng->max_doc_bytes >> 20));
            return doc_error(d, HS_ETOOBIG, in->id, msg);
        }
        /* binary data as for text: libxml2 would stop at a NUL, and the
         * rest of the page be lost (in UTF-16 a NUL byte is normal: U+0000
         * is looked for once decoded) */
        charset_sniff(text, len, in->charset, cs, sizeof cs);
        size_t off;
        int wide = charset_unit(cs) > 1;
        if (!wide && doc_binary_offset(text, len, &off)) {
            snprintf(msg, sizeof msg, "byte %zu: binary data (control character 0x%02x), not HTML",
                     off, (unsigned char)text[off]);
            return doc_error(d, HS_EBINARY, in->id, msg);
        }
        int rc = charset_to_utf8(&g->cv, cs, text, len, &g->utf8, &nbad);
        if (rc < 0)
            return HS_ENOMEM;
        unknown_cs = rc == 1;
        const char *nul = wide ? memchr(g->utf8.p ? g->utf8.p : "", 0, g->utf8.len) : NULL;
        if (nul) {
            snprintf(msg, sizeof msg, "byte %zu of the page decoded from %s: binary data (U+0000), not HTML",
                     (size_t)(nul - g->utf8.p), cs);
            return doc_error(d, HS_EBINARY, in->id, msg);
        }
        const char *why = NULL;
        g->art.json_budget = JSTR_BUDGET * d->eng->max_doc_bytes;
        rc = html_extract(&g->art, g->utf8.p ? g->utf8.p : "", g->utf8.len, in->url, &why);
        if (rc < 0)
            return HS_ENOMEM;
        if (rc) {
            snprintf(msg, sizeof msg, "%zu bytes of HTML: %s%s%s", len, why ? why : "no article text",
                     g->art.warn.len ? " (" : "", g->art.warn.len ? g->art.warn.p : "");
            if (g->art.warn.len && strlen(msg) + 2 <= sizeof msg)
                strcat(msg, ")");
            return doc_error(d, HS_EEMPTY, in->id, msg);
        }
        const char *title = in->title ? in->title : g->art.title.p;
        if (with_title(g, title, g->art.body.p, g->art.body.len))
            return HS_ENOMEM;
        built = 1;
    } else if (in->title && *in->title && !begins_with(text, len, in->title)) {
        if (with_title(g, in->title, text, len))
            return HS_ENOMEM;
        built = 1;
    }
    if (built) {
        text = g->text.p;
        len = g->text.len;
    }
    /* a page's text is UTF-8 from the charset conversion; other text is
     * checked as hs_doc_analyze checks it, extracted or not */
    unsigned lossy = flags & HS_ANALYZE_LOSSY;
    int rc = !(flags & HS_ANALYZE_EXTRACT) ? hs_doc_analyze(d, in->id, text, len, lossy)
             : html                        ? doc_set_text(d, in->id, text, len)
                                           : doc_extract_text(d, in->id, text, len, lossy);
    if (rc)
        return rc;
    /* metadata: what the input says wins over what the page says */
    int oom = 0;
    const html_article *a = &g->art;
    oom |= sets(&g->url, in->url ? in->url : html && a->url.len ? a->url.p : NULL);
    oom |= sets(&g->date, in->date ? in->date : html && a->date.len ? a->date.p : NULL);
    oom |= sets(&g->published, html && in->date && a->date.len && strcmp(a->date.p, in->date)
                                   ? a->date.p : NULL);
    oom |= sets(&g->title, in->title ? in->title : html && a->title.len ? a->title.p : NULL);
    oom |= sets(&g->byline, html && a->byline.len ? a->byline.p : NULL);
    oom |= sets(&g->outlet, in->outlet ? in->outlet : html && a->site.len ? a->site.p : NULL);
    oom |= sets(&g->lang, html && a->lang.len ? a->lang.p : NULL);
    oom |= set(&g->fields, in->fields, in->fields ? in->fields_len : 0);
    g->active = 1;
    g->wants_text = built || html || in->record > 0;
    if (in->warning)
        oom |= hs_doc_add_error(d, in->warning) != HS_OK;
    if (html && g->art.warn.len)
        oom |= hs_doc_add_error(d, g->art.warn.p) != HS_OK;
    if (nbad) {
        snprintf(msg, sizeof msg, "lossy: %zu byte%s invalid in %s replaced with U+FFFD", nbad,
                 nbad == 1 ? "" : "s", cs);
        oom |= hs_doc_add_error(d, msg) != HS_OK;
    }
    if (unknown_cs) {
        snprintf(msg, sizeof msg, "charset \"%s\" is unknown; read as UTF-8", cs);
        oom |= hs_doc_add_error(d, msg) != HS_OK;
    }
    return oom ? HS_ENOMEM : HS_OK;
}

const char *hs_doc_meta(const hs_doc *d, const char *key)
{
    if (!d || !key || !d->ing || !d->ing->active)
        return NULL;
    struct ingest *g = d->ing;
    static const char *const keys[] = {"url", "date", "published", "title", "byline", "outlet",
                                       "lang"};
    buf *all[NMETA];
    meta_bufs(g, all);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strcmp(key, keys[i]))
            return all[i]->len ? all[i]->p : NULL;
    return NULL;
}

const char *hs_doc_body(const hs_doc *d, size_t *len)
{
    if (!d) {
        if (len)
            *len = 0;
        return "";
    }
    size_t off = d->ing && d->ing->active && d->ing->body_off <= d->len ? d->ing->body_off : 0;
    if (len)
        *len = d->len - off;
    return d->text ? d->text + off : "";
}

int ingest_text_wanted(const hs_doc *d)
{
    return d->ing && d->ing->active && d->ing->wants_text;
}

static int member(buf *b, const char *nl, const char *sp, const char *key, const buf *v)
{
    if (!v->len)
        return 0;
    int rc = buf_printf(b, ",%s\"%s\":%s", nl, key, sp);
    return rc | jstr_put(b, v->p, v->len);
}

int ingest_json(const hs_doc *d, buf *b, int extract, const char *nl, const char *sp)
{
    if (!d->ing || !d->ing->active)
        return 0;
    struct ingest *g = d->ing;
    int rc = member(b, nl, sp, "url", &g->url);
    if (extract)
        rc |= member(b, nl, sp, "title", &g->title);
    rc |= member(b, nl, sp, "date", &g->date);
    rc |= member(b, nl, sp, "published", &g->published);
    rc |= member(b, nl, sp, "byline", &g->byline);
    rc |= member(b, nl, sp, "outlet", &g->outlet);
    rc |= member(b, nl, sp, "lang", &g->lang);
    if (g->fields.len)
        rc |= buf_printf(b, ",%s", nl) | buf_append(b, g->fields.p, g->fields.len);
    return rc ? -1 : 0;
}

int ingest_extract_json(const hs_doc *d, unsigned flags, buf *b)
{
    const char *nl = (flags & HS_JSON_PRETTY) ? "\n  " : "";
    const char *sp = (flags & HS_JSON_PRETTY) ? " " : "";
    int rc = buf_printf(b, "{%s\"id\":%s", nl, sp);
    rc |= jstr_put(b, d->id.p ? d->id.p : "", d->id.len);
    rc |= ingest_json(d, b, 1, nl, sp);
    if (d->nerr) {
        rc |= buf_printf(b, ",%s\"errors\":%s[", nl, sp);
        for (size_t i = 0; i < d->nerr; i++) {
            if (i)
                rc |= buf_putc(b, ',');
            rc |= jstr_put(b, d->err[i], strlen(d->err[i]));
        }
        rc |= buf_putc(b, ']');
    }
    size_t n;
    const char *body = hs_doc_body(d, &n);
    rc |= buf_printf(b, ",%s\"text\":%s", nl, sp);
    rc |= jstr_put(b, body, n);
    rc |= buf_printf(b, "%s}", (flags & HS_JSON_PRETTY) ? "\n" : "");
    return rc ? -1 : 0;
}
