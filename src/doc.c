/* doc - the document's data and its accessors (see doc.h): reset between
 * documents with capacity kept, failure detail, error list, the names of
 * the document's vocabularies, and the invariant check. It analyzes
 * nothing and calls no stage, reader or writer. */
#include "doc.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const block_names[HS_BLOCK_KIND_COUNT] = {
    "headline", "caption", "credit", "byline", "dateline",
    "body", "blockquote", "missing-embed", "boilerplate",
};

static const char *const token_names[HS_TOK_KIND_COUNT] = {
    "word", "number", "punct", "quote", "dash", "ellipsis",
    "url", "email", "handle", "hashtag", "symbol",
};

const char *doc_block_name(int kind)
{
    return kind >= 0 && kind < HS_BLOCK_KIND_COUNT ? block_names[kind] : "unknown";
}

const char *doc_attr_kind_name(int kind)
{
    static const char *const names[] = {"direct", "indirect", "mixed", "blockquote"};
    return kind >= 0 && kind < HS_ATTR_KIND_COUNT ? names[kind] : "unknown";
}

const char *doc_entity_type_name(int type)
{
    static const char *const names[] = {"unknown", "PERSON", "ORG", "LOC", "MISC", "OUTLET"};
    return type > 0 && type < HS_ENT_TYPE_END ? names[type] : "unknown";
}

const char *doc_factuality_name(int fact)
{
    static const char *const names[] = {"asserted", "hedged", "negated", "future",
                                        "hypothetical"};
    return fact >= 0 && fact < HS_FACT_COUNT ? names[fact] : "unknown";
}

const char *doc_event_type_name(int type) { return type == HS_EVENT_MEET ? "meet" : "unknown"; }
const char *hs_event_type_name(int type) { return doc_event_type_name(type); }
const char *hs_factuality_name(int fact) { return doc_factuality_name(fact); }
const char *hs_block_kind_name(int kind) { return doc_block_name(kind); }
const char *hs_attr_kind_name(int kind) { return doc_attr_kind_name(kind); }
const char *hs_entity_type_name(int type) { return doc_entity_type_name(type); }

const char *hs_token_kind_name(int kind)
{
    return kind >= 0 && kind < HS_TOK_KIND_COUNT ? token_names[kind] : "unknown";
}

static void meta_free(doc_meta *m)
{
    buf *all[] = {&m->url, &m->date, &m->published, &m->title,
                  &m->byline, &m->outlet, &m->lang, &m->fields};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_free(all[i]);
}

void doc_free(hs_doc *d)
{
    if (!d)
        return;
    buf *bufs[] = {&d->own, &d->owntext, &d->id, &d->formbuf, &d->errmsg, &d->json, &d->conllu};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        buf_free(bufs[i]);
    void *arrays[] = {d->tok, d->sent, d->para, d->blk, d->spans, (void *)d->form, d->pos,
                      (void *)d->posname, d->head, d->label, d->nertag, d->ents, d->entspans,
                      d->tok_ent, d->ments, d->attr, d->attrspans, (void *)d->err,
                      d->sparsed, d->ev, d->evpart};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        free(arrays[i]);
    meta_free(&d->meta);
    arena_free(&d->ar);
    free(d);
}

int doc_fail(hs_doc *d, int code, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    buf_clear(&d->errmsg);
    buf_append(&d->errmsg, msg, strlen(msg));
    return code;
}

static void release_if_big(void *p, size_t *cap, size_t elsize)
{
    vec_trim(p, cap, elsize, BUF_KEEP);
}

/* Empties every layer (the arrays stay). */
static void clear_layers(hs_doc *d)
{
    d->ntok = d->nsent = d->npara = d->nblk = d->nspans = 0;
    d->has_title = d->has_pos = d->has_parse = d->has_ner = d->parse_on_demand = 0;
    d->nents = d->nentspans = 0;
    d->nattr = d->nattrspans = 0;
    d->nev = d->nevpart = 0;
}

int doc_reset(hs_doc *d, const char *id)
{
    release_if_big(&d->tok, &d->captok, sizeof *d->tok);
    release_if_big(&d->sent, &d->capsent, sizeof *d->sent);
    release_if_big(&d->para, &d->cappara, sizeof *d->para);
    release_if_big(&d->blk, &d->capblk, sizeof *d->blk);
    release_if_big(&d->spans, &d->capspans, sizeof *d->spans);
    release_if_big(&d->form, &d->capform, sizeof *d->form);
    release_if_big(&d->pos, &d->cappos, sizeof *d->pos);
    release_if_big(&d->posname, &d->capposname, sizeof *d->posname);
    release_if_big(&d->head, &d->caphead, sizeof *d->head);
    release_if_big(&d->label, &d->caplabel, sizeof *d->label);
    release_if_big(&d->nertag, &d->capnertag, sizeof *d->nertag);
    release_if_big(&d->tok_ent, &d->captokent, sizeof *d->tok_ent);
    release_if_big(&d->entspans, &d->capentspans, sizeof *d->entspans);
    release_if_big(&d->attr, &d->capattr, sizeof *d->attr);
    release_if_big(&d->attrspans, &d->capattrspans, sizeof *d->attrspans);
    release_if_big(&d->sparsed, &d->capsparsed, sizeof *d->sparsed);
    release_if_big(&d->ev, &d->capev, sizeof *d->ev);
    release_if_big(&d->evpart, &d->capevpart, sizeof *d->evpart);
    buf_trim(&d->formbuf, BUF_KEEP);
    buf_trim(&d->conllu, BUF_KEEP);
    d->text = NULL;
    d->len = 0;
    clear_layers(d);
    d->nerr = 0;
    buf_clear(&d->id);
    buf_trim(&d->own, BUF_KEEP);
    buf_trim(&d->json, BUF_KEEP);
    buf_clear(&d->errmsg);
    d->meta.active = d->meta.wants_text = 0;
    arena_reset(&d->ar);
    if (id && buf_append(&d->id, id, strlen(id)))
        return HS_ENOMEM;
    return HS_OK;
}

int doc_settle(hs_doc *d, int rc)
{
    if (rc == HS_ENOMEM && !d->errmsg.len)
        doc_fail(d, rc, "out of memory");
    if (rc) {
        clear_layers(d);
        d->text = "";
        d->len = 0;
    }
    return rc;
}

int doc_add_error(hs_doc *d, const char *msg)
{
    char *s = arena_strndup(&d->ar, msg, strlen(msg));
    if (!s || vec_reserve((void **)&d->err, &d->caperr, d->nerr + 1, sizeof *d->err))
        return HS_ENOMEM;
    d->err[d->nerr++] = s;
    return HS_OK;
}

int hs_doc_add_error(hs_doc *d, const char *msg)
{
    if (!d || !msg)
        return HS_EINVAL;
    return doc_add_error(d, msg);
}

static int span_ok(const hs_doc *d, uint32_t s, uint32_t e)
{
    return s <= e && e <= d->len;
}

void doc_check(const hs_doc *d)
{
#ifndef NDEBUG
    for (size_t i = 0; i < d->ntok; i++) {
        assert(span_ok(d, d->tok[i].start, d->tok[i].end) && d->tok[i].start < d->tok[i].end);
        assert(i == 0 || d->tok[i - 1].end <= d->tok[i].start);
    }
    for (size_t s = 0; s < d->nsent; s++) {
        const hs_sentence *se = &d->sent[s];
        assert(span_ok(d, se->start, se->end));
        assert(se->tok_begin <= se->tok_end && se->tok_end <= d->ntok);
        assert(s == 0 || d->sent[s - 1].end <= se->start);
        assert(s == 0 || d->sent[s - 1].tok_end <= se->tok_begin);
        for (uint32_t k = se->tok_begin; k < se->tok_end; k++)
            assert(d->tok[k].start >= se->start && d->tok[k].end <= se->end);
    }
    for (size_t p = 0; p < d->npara; p++) {
        const hs_paragraph *pa = &d->para[p];
        assert(span_ok(d, pa->start, pa->end));
        assert(p == 0 || d->para[p - 1].end <= pa->start);
        assert(pa->sent_begin <= pa->sent_end && pa->sent_end <= d->nsent);
        for (uint32_t s = pa->sent_begin; s < pa->sent_end; s++)
            assert(d->sent[s].start >= pa->start && d->sent[s].end <= pa->end);
    }
    uint32_t prev = 0;
    for (size_t b = 0; b < d->nblk; b++)
        for (uint32_t j = 0; j < d->blk[b].nspans; j++) {
            const hs_span *sp = &d->blk[b].spans[j];
            assert(span_ok(d, sp->start, sp->end) && sp->start >= prev);
            prev = sp->end;
        }
    assert(!d->has_title || span_ok(d, d->title.start, d->title.end));
    assert(!d->has_pos || (d->pos && d->posname) || d->ntok == 0);
    assert(!d->has_ner || d->nertag || d->ntok == 0);
    for (size_t i = 0; i < d->nents; i++)
        for (uint32_t j = 0; j < d->ents[i].nmentions; j++)
            assert(span_ok(d, d->ents[i].mentions[j].start, d->ents[i].mentions[j].end));
    for (size_t i = 0; i < d->nattr; i++) {
        const hs_attribution *a = &d->attr[i];
        const hs_span *all[] = {a->content, a->cue, a->source, a->via, a->hedges};
        const uint32_t n[] = {a->ncontent, a->ncue, a->nsource, a->nvia, a->nhedges};
        for (size_t r = 0; r < 5; r++)
            for (uint32_t j = 0; j < n[r]; j++)
                assert(span_ok(d, all[r][j].start, all[r][j].end));
        assert(a->source_entity < (long)d->nents && a->via_entity < (long)d->nents);
    }
    /* events: spans inside the text, triggers in order, references in range,
     * the participants' records all the events' and only theirs */
    size_t np = 0;
    for (size_t i = 0; i < d->nev; i++) {
        const hs_event *v = &d->ev[i];
        assert(span_ok(d, v->trigger.start, v->trigger.end) && v->trigger.end > v->trigger.start);
        assert(!i || d->ev[i - 1].trigger.start <= v->trigger.start);
        assert(v->factuality < HS_FACT_COUNT && v->type < HS_EVENT_TYPE_COUNT);
        assert(v->attribution < (long)d->nattr && v->source_entity < (long)d->nents);
        const hs_span *opt[] = {&v->source, &v->time, &v->place};
        for (size_t r = 0; r < 3; r++)
            assert(opt[r]->end == opt[r]->start || span_ok(d, opt[r]->start, opt[r]->end));
        assert(!v->nparticipants || v->participants == d->evpart + np);
        for (uint32_t j = 0; j < v->nparticipants; j++) {
            assert(span_ok(d, v->participants[j].span.start, v->participants[j].span.end));
            assert(v->participants[j].entity < (long)d->nents);
        }
        np += v->nparticipants;
    }
    assert(np == d->nevpart);
#else
    (void)d;
    (void)span_ok;
#endif
}

/* ---- accessors (hearsay.h) ------------------------------------------------ */

const char *hs_doc_errmsg(const hs_doc *d)
{
    return d && d->errmsg.p ? d->errmsg.p : "";
}

const char *hs_doc_text(const hs_doc *d, size_t *len)
{
    if (len)
        *len = d ? d->len : 0;
    return d && d->text ? d->text : "";
}

const char *hs_doc_id(const hs_doc *d) { return d && d->id.p ? d->id.p : ""; }

/* Accessors of an empty or NULL document give a count of 0. */
#define VIEW(field, count)        \
    do {                          \
        if (n)                    \
            *n = d ? (count) : 0; \
        return d ? (field) : NULL; \
    } while (0)

const hs_token *hs_doc_tokens(const hs_doc *d, size_t *n) { VIEW(d->tok, d->ntok); }
const hs_sentence *hs_doc_sentences(const hs_doc *d, size_t *n) { VIEW(d->sent, d->nsent); }
const hs_paragraph *hs_doc_paragraphs(const hs_doc *d, size_t *n) { VIEW(d->para, d->npara); }
const hs_block *hs_doc_blocks(const hs_doc *d, size_t *n) { VIEW(d->blk, d->nblk); }
const char *const *hs_doc_errors(const hs_doc *d, size_t *n) { VIEW(d->err, d->nerr); }
const hs_entity *hs_doc_entities(const hs_doc *d, size_t *n) { VIEW(d->ents, d->nents); }
const hs_attribution *hs_doc_attributions(const hs_doc *d, size_t *n)
{
    VIEW(d->attr, d->nattr);
}

const hs_event *hs_doc_events(const hs_doc *d, size_t *n)
{
    VIEW(d->ev, d->nev);
}

const hs_span *hs_doc_title(const hs_doc *d) { return d && d->has_title ? &d->title : NULL; }

long hs_doc_token_entity(const hs_doc *d, size_t i)
{
    if (!d || !d->has_ner || i >= d->ntok || !d->tok_ent)
        return -1;
    return (long)d->tok_ent[i] - 1;
}

const char *hs_doc_token_pos(const hs_doc *d, size_t i)
{
    if (!d || !d->has_pos || i >= d->ntok)
        return NULL;
    return d->posname[i];
}

const char *hs_doc_meta(const hs_doc *d, const char *key)
{
    if (!d || !key || !d->meta.active)
        return NULL;
    const doc_meta *m = &d->meta;
    static const char *const keys[] = {"url", "date", "published", "title", "byline", "outlet",
                                       "lang"};
    const buf *all[] = {&m->url, &m->date, &m->published, &m->title, &m->byline, &m->outlet,
                        &m->lang};
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
    size_t off = d->meta.active && d->meta.body_off <= d->len ? d->meta.body_off : 0;
    if (len)
        *len = d->len - off;
    return d->text ? d->text + off : "";
}
