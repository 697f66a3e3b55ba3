/* ingest - from a reader's document to the document's text and metadata
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
#include "utf8.h"

/* Invariant: text holds the last built text (title and body) and body_off
 * where its body starts; nbad, cs and unknown_cs describe the last page's
 * decoding, for ingest_finish. */
struct ingest {
    html_article art;
    charset_conv cv;
    buf utf8, text;
    size_t body_off, nbad;
    int unknown_cs;
    char cs[48];
};

ingest *ingest_new(void) { return calloc(1, sizeof(ingest)); }

void ingest_free(ingest *g)
{
    if (!g)
        return;
    buf_free(&g->utf8);
    buf_free(&g->text);
    html_article_free(&g->art);
    charset_close(&g->cv);
    free(g);
}

/* Binary data: a NUL byte anywhere, or many C0 control characters in the
 * first 4 KiB; 1 with *off at the first of them, else 0. */
static int binary_offset(const char *s, size_t n, size_t *off)
{
    const char *z = memchr(s, 0, n);
    if (z) {
        *off = (size_t)(z - s);
        return 1;
    }
    size_t ctl = 0, lim = n < 4096 ? n : 4096;
    for (size_t i = 0; i < lim; i++) {
        /* skip 8 bytes at a time while none is below 0x20 */
        while (i + 8 <= lim) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= lim)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v') {
            if (ctl == 0)
                *off = i;
            ctl++;
        }
    }
    return ctl * 20 > lim; /* more than 5% control characters */
}

/* The checks every text gets before it is analyzed or only extracted (see
 * ingest_text); *text and *len become the text to use. */
static int check_text(hs_doc *d, const char **text, size_t *len, unsigned flags, size_t max)
{
    const char *t = *text;
    size_t n = *len, off = 0;
    if (n > max)
        return doc_fail(d, HS_ETOOBIG, "%zu bytes: larger than the limit of %u MiB", n,
                        (unsigned)(max >> 20));
    if (binary_offset(t, n, &off))
        return doc_fail(d, HS_EBINARY, "byte %zu: binary data (control character 0x%02x)", off,
                        (unsigned char)t[off]);
    size_t bad = utf8_validate(t, n);
    if (bad < n) {
        if (!(flags & HS_ANALYZE_LOSSY))
            return doc_fail(d, HS_EUTF8, "byte %zu: invalid UTF-8 (byte 0x%02x)", bad,
                            (unsigned char)t[bad]);
        size_t nrep;
        if (utf8_repair(t, n, &d->own, &nrep))
            return HS_ENOMEM;
        if (d->own.len > max)
            return doc_fail(d, HS_ETOOBIG,
                            "%zu bytes after repair: larger than the limit of %u MiB",
                            d->own.len, (unsigned)(max >> 20));
        char msg[128];
        snprintf(msg, sizeof msg,
                 "lossy: %zu invalid byte%s replaced with U+FFFD (first at byte %llu of the input)",
                 nrep, nrep == 1 ? "" : "s", (unsigned long long)bad);
        if (doc_add_error(d, msg))
            return HS_ENOMEM;
        *text = d->own.p;
        *len = d->own.len;
    }
    return HS_OK;
}

int ingest_text(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags,
                size_t max, int nonblank)
{
    int rc = doc_reset(d, id);
    if (!rc)
        rc = check_text(d, &text, &len, flags, max);
    if (rc)
        return rc;
    if (nonblank) {
        size_t i = 0;
        while (i < len && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r')))
            i++;
        if (i == len)
            return doc_fail(d, HS_EEMPTY, "%zu bytes: no text (empty or white space only)", len);
    }
    d->text = text;
    d->len = len;
    return HS_OK;
}

int ingest_raw(hs_doc *d, const char *id, const char *text, size_t len)
{
    int rc = doc_reset(d, id);
    if (rc)
        return rc;
    d->text = text;
    d->len = len;
    return HS_OK;
}

/* A failure before the document has a text: reset, then the detail. */
static int refuse(hs_doc *d, int code, const char *id, const char *msg)
{
    ingest_raw(d, id, "", 0);
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
static int with_title(ingest *g, const char *title, const char *body, size_t n)
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
    return rc ? HS_ENOMEM : HS_OK;
}

/* The article of an HTML page into g->text. */
static int prepare_page(ingest *g, hs_doc *d, const hs_input *in, size_t max)
{
    const char *text = in->text ? in->text : "";
    size_t len = in->len;
    char msg[320];
    if (len > max) {
        snprintf(msg, sizeof msg, "%zu bytes: larger than the limit of %u MiB", len,
                 (unsigned)(max >> 20));
        return refuse(d, HS_ETOOBIG, in->id, msg);
    }
    /* binary data as for text: libxml2 would stop at a NUL, and the rest
     * of the page be lost (in UTF-16 a NUL byte is normal: U+0000 is
     * looked for once decoded) */
    charset_sniff(text, len, in->charset, g->cs, sizeof g->cs);
    size_t off;
    int wide = charset_unit(g->cs) > 1;
    if (!wide && binary_offset(text, len, &off)) {
        snprintf(msg, sizeof msg, "byte %zu: binary data (control character 0x%02x), not HTML",
                 off, (unsigned char)text[off]);
        return refuse(d, HS_EBINARY, in->id, msg);
    }
    int rc = charset_to_utf8(&g->cv, g->cs, text, len, &g->utf8, &g->nbad, &g->unknown_cs);
    if (rc)
        return rc;
    const char *nul = wide ? memchr(g->utf8.p ? g->utf8.p : "", 0, g->utf8.len) : NULL;
    if (nul) {
        snprintf(msg, sizeof msg,
                 "byte %zu of the page decoded from %s: binary data (U+0000), not HTML",
                 (size_t)(nul - g->utf8.p), g->cs);
        return refuse(d, HS_EBINARY, in->id, msg);
    }
    const char *why = NULL;
    g->art.json_budget = JSTR_BUDGET * max;
    rc = html_extract(&g->art, g->utf8.p ? g->utf8.p : "", g->utf8.len, in->url, &why);
    if (rc == HS_ENOMEM)
        return rc;
    if (rc) {
        snprintf(msg, sizeof msg, "%zu bytes of HTML: %s%s%s", len, why ? why : "no article text",
                 g->art.warn.len ? " (" : "", g->art.warn.len ? g->art.warn.p : "");
        if (g->art.warn.len && strlen(msg) + 2 <= sizeof msg)
            strcat(msg, ")");
        return refuse(d, HS_EEMPTY, in->id, msg);
    }
    const char *title = in->title ? in->title : g->art.title.p;
    return with_title(g, title, g->art.body.p, g->art.body.len);
}

int ingest_prepare(ingest *g, hs_doc *d, const hs_input *in, size_t max, const char **text,
                   size_t *len, int *built)
{
    /* a huge earlier page does not pin its buffers for the rest of a stream */
    buf_trim(&g->utf8, BUF_KEEP);
    buf_trim(&g->text, BUF_KEEP);
    html_article_trim(&g->art, BUF_KEEP);
    g->body_off = g->nbad = 0;
    g->unknown_cs = 0;
    g->cs[0] = 0;
    *text = in->text ? in->text : "";
    *len = in->len;
    *built = 0;
    int rc = HS_OK;
    if (in->format == HS_FORMAT_HTML)
        rc = prepare_page(g, d, in, max);
    else if (in->title && *in->title && !begins_with(*text, *len, in->title))
        rc = with_title(g, in->title, *text, *len);
    else
        return HS_OK;
    /* out of memory: the document may still point into g->text, just rewritten */
    if (rc == HS_ENOMEM)
        return refuse(d, rc, in->id, "out of memory preparing the input");
    if (rc)
        return rc;
    *text = g->text.p;
    *len = g->text.len;
    *built = 1;
    return HS_OK;
}

static int set(buf *b, const char *s)
{
    buf_clear(b);
    return s && buf_append(b, s, strlen(s)) ? HS_ENOMEM : HS_OK;
}

int ingest_finish(ingest *g, hs_doc *d, const hs_input *in, int built)
{
    int html = in->format == HS_FORMAT_HTML, oom = 0;
    const html_article *a = &g->art;
    doc_meta *m = &d->meta;
    oom |= set(&m->url, in->url ? in->url : html && a->url.len ? a->url.p : NULL);
    oom |= set(&m->date, in->date ? in->date : html && a->date.len ? a->date.p : NULL);
    oom |= set(&m->published,
               html && in->date && a->date.len && strcmp(a->date.p, in->date) ? a->date.p : NULL);
    oom |= set(&m->title, in->title ? in->title : html && a->title.len ? a->title.p : NULL);
    oom |= set(&m->byline, html && a->byline.len ? a->byline.p : NULL);
    oom |= set(&m->outlet, in->outlet ? in->outlet : html && a->site.len ? a->site.p : NULL);
    oom |= set(&m->lang, html && a->lang.len ? a->lang.p : NULL);
    buf_clear(&m->fields);
    if (in->fields)
        oom |= buf_append(&m->fields, in->fields, in->fields_len) != 0;
    m->body_off = g->body_off;
    m->active = 1;
    m->wants_text = built || html || in->record > 0;
    if (in->warning)
        oom |= doc_add_error(d, in->warning) != HS_OK;
    if (html && g->art.warn.len)
        oom |= doc_add_error(d, g->art.warn.p) != HS_OK;
    if (html && g->art.fallback)
        oom |= doc_add_error(d, g->art.fallback) != HS_OK;
    char msg[160];
    if (g->nbad) {
        snprintf(msg, sizeof msg, "lossy: %zu byte%s invalid in %s replaced with U+FFFD", g->nbad,
                 g->nbad == 1 ? "" : "s", g->cs);
        oom |= doc_add_error(d, msg) != HS_OK;
    }
    if (g->unknown_cs) {
        snprintf(msg, sizeof msg, "charset \"%s\" is unknown; read as UTF-8", g->cs);
        oom |= doc_add_error(d, msg) != HS_OK;
    }
    return oom ? HS_ENOMEM : HS_OK;
}

int ingest_tokens(hs_doc *d, const char *id, const char *const *tokens, size_t ntok,
                  const uint32_t *sent_len, size_t nsent, size_t max)
{
    int rc = doc_reset(d, id);
    if (rc)
        return rc;
    buf_clear(&d->owntext);
    size_t sum = 0;
    for (size_t s = 0; s < nsent; s++)
        sum += sent_len[s];
    if (sum != ntok)
        return doc_fail(d, HS_EINVAL, "sentence lengths add up to %zu, not %zu tokens", sum, ntok);
    if (vec_reserve((void **)&d->tok, &d->captok, ntok + 1, sizeof *d->tok) ||
        vec_reserve((void **)&d->sent, &d->capsent, nsent + 1, sizeof *d->sent) ||
        vec_reserve((void **)&d->para, &d->cappara, nsent + 1, sizeof *d->para))
        return HS_ENOMEM;
    size_t k = 0;
    for (size_t s = 0; s < nsent; s++) {
        if (sent_len[s] == 0)
            continue;
        hs_sentence *se = &d->sent[d->nsent];
        se->tok_begin = (uint32_t)d->ntok;
        se->start = (uint32_t)d->owntext.len;
        for (uint32_t i = 0; i < sent_len[s]; i++, k++) {
            size_t n = strlen(tokens[k]);
            if (n == 0)
                return doc_fail(d, HS_EINVAL, "token %zu is empty", k + 1);
            if (i && buf_putc(&d->owntext, ' '))
                return HS_ENOMEM;
            if (d->owntext.len + n > max)
                return doc_fail(d, HS_ETOOBIG, "%zu bytes of tokens: larger than the limit",
                                d->owntext.len + n);
            hs_token *t = &d->tok[d->ntok++];
            t->start = (uint32_t)d->owntext.len;
            if (buf_append(&d->owntext, tokens[k], n))
                return HS_ENOMEM;
            t->end = (uint32_t)d->owntext.len;
            t->kind = HS_TOK_WORD;
            t->flags = (uint8_t)(i == 0 ? HS_TF_SENT_START : HS_TF_SPACE_BEFORE);
            t->reserved = 0;
        }
        se->tok_end = (uint32_t)d->ntok;
        se->end = (uint32_t)d->owntext.len;
        hs_paragraph *p = &d->para[d->npara++];
        memset(p, 0, sizeof *p);
        p->start = se->start;
        p->end = se->end;
        p->sent_begin = p->sent_end = (uint32_t)d->nsent;
        p->sent_end++;
        d->nsent++;
        if (buf_putc(&d->owntext, '\n'))
            return HS_ENOMEM;
    }
    size_t bad = utf8_validate(d->owntext.p ? d->owntext.p : "", d->owntext.len);
    if (bad < d->owntext.len)
        return doc_fail(d, HS_EUTF8, "byte %zu: invalid UTF-8 (byte 0x%02x)", bad,
                        (unsigned char)d->owntext.p[bad]);
    d->text = d->owntext.p ? d->owntext.p : "";
    d->len = d->owntext.len;
    return HS_OK;
}
