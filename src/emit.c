/* emit - the JSON writer: hs_doc_json writes a document as one object of
 * schema 1 (docs/schema.md), or the extraction of a page. Writing is
 * hand-rolled for speed (reading JSON elsewhere is jansson's); it reads
 * the document and its metadata and nothing else. */
#include <string.h>

#include "doc.h"

#include "jstr.h"
#include "utf8.h"

/* Writes v in decimal at p; returns the length. */
static size_t utoa(char *p, uint32_t v)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

/* [s,e] without printf: spans are the bulk of the output */
/* The id is a file name, which need not be UTF-8: invalid bytes become
 * U+FFFD so that the JSON stays valid. */
static int emit_id(buf *b, const char *s, size_t n)
{
    if (utf8_validate(s, n) == n)
        return jstr_put(b, s, n);
    buf fixed = {0};
    size_t nrep;
    int rc = utf8_repair(s, n, &fixed, &nrep) ||
             jstr_put(b, fixed.p ? fixed.p : "", fixed.len);
    buf_free(&fixed);
    return rc ? HS_ENOMEM : HS_OK;
}

static int span_json(buf *b, uint32_t s, uint32_t e)
{
    if (buf_reserve(b, 24))
        return HS_ENOMEM;
    char *p = b->p + b->len;
    size_t n = 0;
    p[n++] = '[';
    n += utoa(p + n, s);
    p[n++] = ',';
    n += utoa(p + n, e);
    p[n++] = ']';
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

/* {"spans":[[s,e],...],"text":"..."} with the fragments' texts joined by a space. */
static int spans_json(buf *b, const hs_doc *d, const hs_span *s, uint32_t n)
{
    int rc = buf_append(b, "{\"spans\":[", 10);
    for (uint32_t j = 0; j < n; j++) {
        if (j)
            rc |= buf_putc(b, ',');
        rc |= span_json(b, s[j].start, s[j].end);
    }
    rc |= buf_append(b, "],\"text\":\"", 10);
    for (uint32_t j = 0; j < n; j++) {
        if (j)
            rc |= buf_putc(b, ' ');
        rc |= jstr_chars(b, d->text + s[j].start, s[j].end - s[j].start);
    }
    return rc | buf_putc(b, '"');
}

static int attr_json(buf *b, const hs_doc *d, const hs_attribution *a, size_t i)
{
    int rc = buf_printf(b, "%s{\"id\":\"a%zu\",\"kind\":\"%s\",\"content\":", i ? "," : "",
                        i + 1, doc_attr_kind_name(a->kind));
    if (a->ncontent) {
        rc |= spans_json(b, d, a->content, a->ncontent);
        rc |= buf_putc(b, '}');
    } else {
        rc |= buf_append(b, "null", 4);
    }
    rc |= buf_printf(b, ",\"content_missing\":%s,\"cue\":",
                     a->flags & HS_ATTR_MISSING_CONTENT ? "true" : "false");
    if (a->ncue) {
        rc |= spans_json(b, d, a->cue, a->ncue);
        rc |= buf_putc(b, '}');
    } else {
        rc |= buf_append(b, "null", 4);
    }
    rc |= buf_append(b, ",\"source\":", 10);
    if (a->nsource) {
        rc |= spans_json(b, d, a->source, a->nsource);
        if (a->source_entity >= 0)
            rc |= buf_printf(b, ",\"entity\":\"e%ld\"}", a->source_entity + 1);
        else
            rc |= buf_append(b, ",\"entity\":null}", 15);
    } else {
        rc |= buf_append(b, "null", 4);
    }
    rc |= buf_append(b, ",\"via\":", 7);
    if (a->nvia || a->via_entity >= 0) {
        if (a->via_entity >= 0)
            rc |= buf_printf(b, "{\"entity\":\"e%ld\",\"text\":", a->via_entity + 1);
        else
            rc |= buf_append(b, "{\"entity\":null,\"text\":", 23);
        if (a->nvia)
            rc |= jstr_put(b, d->text + a->via[0].start, a->via[0].end - a->via[0].start);
        else
            rc |= jstr_put(b, d->ents[a->via_entity].name,
                                   strlen(d->ents[a->via_entity].name));
        if (a->nvia) {
            rc |= buf_append(b, ",\"span\":", 8);
            rc |= span_json(b, a->via[0].start, a->via[0].end);
        }
        rc |= buf_putc(b, '}');
    } else {
        rc |= buf_append(b, "null", 4);
    }
    rc |= buf_append(b, ",\"hedges\":[", 11);
    for (uint32_t j = 0; j < a->nhedges; j++) {
        rc |= buf_printf(b, "%s{\"span\":", j ? "," : "");
        rc |= span_json(b, a->hedges[j].start, a->hedges[j].end);
        rc |= buf_append(b, ",\"text\":", 8);
        rc |= jstr_put(b, d->text + a->hedges[j].start,
                               a->hedges[j].end - a->hedges[j].start);
        rc |= buf_putc(b, '}');
    }
    rc |= buf_printf(b, "],\"confidence\":%.2f}", a->confidence);
    return rc;
}

/* "key":{"spans":[[s,e]],"text":...} or null, for an optional span. */
static int opt_span_json(buf *b, const hs_doc *d, const char *key, hs_span s)
{
    int rc = buf_printf(b, ",\"%s\":", key);
    if (s.end <= s.start)
        return rc | buf_append(b, "null", 4);
    rc |= spans_json(b, d, &s, 1);
    return rc | buf_putc(b, '}');
}

static int entity_ref(buf *b, long e)
{
    return e >= 0 ? buf_printf(b, ",\"entity\":\"e%ld\"}", e + 1)
                  : buf_append(b, ",\"entity\":null}", 15);
}

static int event_json(buf *b, const hs_doc *d, const hs_event *v, size_t i)
{
    int rc = buf_printf(b, "%s{\"id\":\"v%zu\",\"type\":\"%s\",\"trigger\":", i ? "," : "",
                        i + 1, doc_event_type_name(v->type));
    rc |= spans_json(b, d, &v->trigger, 1);
    rc |= buf_append(b, "},\"participants\":[", 18);
    for (uint32_t j = 0; j < v->nparticipants; j++) {
        if (j)
            rc |= buf_putc(b, ',');
        rc |= spans_json(b, d, &v->participants[j].span, 1);
        rc |= entity_ref(b, v->participants[j].entity);
    }
    rc |= buf_printf(b, "],\"factuality\":\"%s\",\"source\":",
                     doc_factuality_name(v->factuality));
    if (v->source.end > v->source.start) {
        rc |= spans_json(b, d, &v->source, 1);
        rc |= entity_ref(b, v->source_entity);
    } else {
        rc |= buf_append(b, "null", 4);
    }
    if (v->attribution >= 0)
        rc |= buf_printf(b, ",\"attribution\":\"a%ld\"", v->attribution + 1);
    else
        rc |= buf_append(b, ",\"attribution\":null", 19);
    rc |= opt_span_json(b, d, "time", v->time);
    rc |= opt_span_json(b, d, "place", v->place);
    return rc | buf_putc(b, '}');
}

/* ,"key":"value" when the value is there. */
static int member(buf *b, const char *nl, const char *sp, const char *key, const buf *v)
{
    if (!v->len)
        return 0;
    int rc = buf_printf(b, ",%s\"%s\":%s", nl, key, sp);
    return rc | jstr_put(b, v->p, v->len);
}

/* The metadata members of an input's document (url, date ... and the
 * members passed through); extract adds "title" as a string. */
static int meta_json(const hs_doc *d, buf *b, int extract, const char *nl, const char *sp)
{
    const doc_meta *m = &d->meta;
    if (!m->active)
        return 0;
    int rc = member(b, nl, sp, "url", &m->url);
    if (extract)
        rc |= member(b, nl, sp, "title", &m->title);
    rc |= member(b, nl, sp, "date", &m->date);
    rc |= member(b, nl, sp, "published", &m->published);
    rc |= member(b, nl, sp, "byline", &m->byline);
    rc |= member(b, nl, sp, "outlet", &m->outlet);
    rc |= member(b, nl, sp, "lang", &m->lang);
    if (m->fields.len)
        rc |= buf_printf(b, ",%s", nl) | buf_append(b, m->fields.p, m->fields.len);
    return rc;
}

/* The document's messages, as the members of a JSON array. */
static int errors_json(buf *b, const hs_doc *d)
{
    int rc = 0;
    for (size_t i = 0; i < d->nerr; i++) {
        if (i)
            rc |= buf_putc(b, ',');
        rc |= jstr_put(b, d->err[i], strlen(d->err[i]));
    }
    return rc;
}

/* The extraction object of HS_JSON_EXTRACT: id, metadata, errors, body. */
static int extract_json(const hs_doc *d, unsigned flags, buf *b)
{
    const char *nl = (flags & HS_JSON_PRETTY) ? "\n  " : "";
    const char *sp = (flags & HS_JSON_PRETTY) ? " " : "";
    int rc = buf_printf(b, "{%s\"id\":%s", nl, sp);
    rc |= jstr_put(b, d->id.p ? d->id.p : "", d->id.len);
    rc |= meta_json(d, b, 1, nl, sp);
    if (d->nerr) {
        rc |= buf_printf(b, ",%s\"errors\":%s[", nl, sp);
        rc |= errors_json(b, d);
        rc |= buf_putc(b, ']');
    }
    size_t off = d->meta.active && d->meta.body_off <= d->len ? d->meta.body_off : 0;
    rc |= buf_printf(b, ",%s\"text\":%s", nl, sp);
    rc |= jstr_put(b, d->text ? d->text + off : "", d->len - off);
    rc |= buf_printf(b, "%s}", (flags & HS_JSON_PRETTY) ? "\n" : "");
    return rc;
}

static int doc_json(const hs_doc *d, unsigned flags, buf *b)
{
    if (flags & HS_JSON_EXTRACT)
        return extract_json(d, flags, b);
    const char *nl = (flags & HS_JSON_PRETTY) ? "\n  " : "";
    const char *sp = (flags & HS_JSON_PRETTY) ? " " : "";
    int rc = 0;
    rc |= buf_printf(b, "{%s\"id\":%s", nl, sp);
    rc |= emit_id(b, d->id.p ? d->id.p : "", d->id.len);
    rc |= buf_printf(b, ",%s\"schema\":%s%d", nl, sp, HS_SCHEMA_VERSION);
    rc |= meta_json(d, b, 0, nl, sp); /* url, date ... of HTML, JSON Lines, WARC input */
    rc |= buf_printf(b, ",%s\"title\":%s", nl, sp);
    if (d->has_title) {
        rc |= buf_append(b, "{\"spans\":[", 10);
        rc |= span_json(b, d->title.start, d->title.end);
        rc |= buf_append(b, "],\"text\":", 9);
        rc |= jstr_put(b, d->text + d->title.start, d->title.end - d->title.start);
        rc |= buf_putc(b, '}');
    } else {
        rc |= buf_append(b, "null", 4);
    }
    rc |= buf_printf(b, ",%s\"blocks\":%s[", nl, sp);
    for (size_t i = 0; i < d->nblk; i++) {
        const hs_block *k = &d->blk[i];
        rc |= buf_printf(b, "%s{\"kind\":\"%s\",\"spans\":[", i ? "," : "",
                         doc_block_name(k->kind));
        for (uint32_t j = 0; j < k->nspans; j++) {
            if (j)
                rc |= buf_putc(b, ',');
            rc |= span_json(b, k->spans[j].start, k->spans[j].end);
        }
        rc |= buf_append(b, "]}", 2);
    }
    rc |= buf_printf(b, "],%s\"sentences\":%s[", nl, sp);
    for (size_t i = 0; i < d->nsent; i++) {
        if (i)
            rc |= buf_putc(b, ',');
        rc |= span_json(b, d->sent[i].start, d->sent[i].end);
    }
    rc |= buf_printf(b, "],%s\"entities\":%s[", nl, sp);
    for (size_t i = 0; i < d->nents; i++) {
        const hs_entity *e = &d->ents[i];
        rc |= buf_printf(b, "%s{\"id\":\"e%zu\",\"type\":\"%s\",\"name\":", i ? "," : "", i + 1,
                         doc_entity_type_name(e->type));
        rc |= jstr_put(b, e->name, strlen(e->name));
        rc |= buf_append(b, ",\"aliases\":[", 12);
        for (uint32_t j = 0; j < e->naliases; j++) {
            if (j)
                rc |= buf_putc(b, ',');
            rc |= jstr_put(b, e->aliases[j], strlen(e->aliases[j]));
        }
        rc |= buf_append(b, "],\"role\":", 9);
        if (e->role)
            rc |= jstr_put(b, e->role, strlen(e->role));
        else
            rc |= buf_append(b, "null", 4);
        if (e->affiliation) {
            rc |= buf_append(b, ",\"affiliation\":", 15);
            rc |= jstr_put(b, e->affiliation, strlen(e->affiliation));
        }
        rc |= buf_append(b, ",\"mentions\":[", 13);
        for (uint32_t j = 0; j < e->nmentions; j++) {
            if (j)
                rc |= buf_putc(b, ',');
            rc |= span_json(b, e->mentions[j].start, e->mentions[j].end);
        }
        rc |= buf_append(b, "]}", 2);
    }
    rc |= buf_printf(b, "],%s\"attributions\":%s[", nl, sp);
    for (size_t i = 0; i < d->nattr; i++)
        rc |= attr_json(b, d, &d->attr[i], i);
    rc |= buf_printf(b, "],%s\"events\":%s[", nl, sp);
    for (size_t i = 0; i < d->nev; i++)
        rc |= event_json(b, d, &d->ev[i], i);
    rc |= buf_printf(b, "],%s\"errors\":%s[", nl, sp);
    rc |= errors_json(b, d);
    rc |= buf_putc(b, ']');
    if ((flags & HS_JSON_INCLUDE_TEXT) || (d->meta.active && d->meta.wants_text)) {
        rc |= buf_printf(b, ",%s\"text\":%s", nl, sp);
        rc |= jstr_put(b, d->text, d->len);
    }
    rc |= buf_printf(b, "%s}", (flags & HS_JSON_PRETTY) ? "\n" : "");
    return rc;
}

int hs_doc_json(hs_doc *d, unsigned flags, const char **out, size_t *len)
{
    if (!d || !out)
        return HS_EINVAL;
    uint64_t t0 = doc_clock_ns();
    buf_clear(&d->json);
    int rc = doc_json(d, flags, &d->json);
    d->json_ns += doc_clock_ns() - t0;
    if (rc)
        return HS_ENOMEM;
    *out = d->json.p;
    if (len)
        *len = d->json.len;
    return HS_OK;
}
