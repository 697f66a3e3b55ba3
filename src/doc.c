/* doc - the document handle: validation of the input text, the analysis
 * pipeline (tokenize -> segment -> structure), accessors and JSON output.
 * Arrays keep their capacity between documents; the arena is reset. */
#include "doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "emit.h"
#include "gazetteer.h"
#include "html.h"
#include "ingest.h"
#include "ner.h"
#include "parser.h"
#include "tagger.h"
#include "utf8.h"

static const char *const block_names[HS_BLOCK_KIND_COUNT] = {
    "headline", "caption", "credit", "byline", "dateline",
    "body", "blockquote", "missing-embed", "boilerplate",
};

static const char *const token_names[HS_TOK_KIND_COUNT] = {
    "word", "number", "punct", "quote", "dash", "ellipsis",
    "url", "email", "handle", "hashtag", "symbol",
};

const char *hs_block_kind_name(int kind)
{
    return kind >= 0 && kind < HS_BLOCK_KIND_COUNT ? block_names[kind] : "unknown";
}

const char *hs_attr_kind_name(int kind)
{
    static const char *const names[] = {"direct", "indirect", "mixed", "blockquote"};
    return kind >= 0 && kind < HS_ATTR_KIND_COUNT ? names[kind] : "unknown";
}

const char *hs_token_kind_name(int kind)
{
    return kind >= 0 && kind < HS_TOK_KIND_COUNT ? token_names[kind] : "unknown";
}

const char *hs_errstr(int code)
{
    switch (code) {
    case HS_OK: return "ok";
    case HS_ENOMEM: return "out of memory";
    case HS_EINVAL: return "invalid argument";
    case HS_EIO: return "input/output error";
    case HS_EUTF8: return "invalid UTF-8";
    case HS_EBINARY: return "binary data";
    case HS_EEMPTY: return "empty document";
    case HS_ETOOBIG: return "document too large";
    case HS_EGZIP: return "corrupt or truncated gzip data";
    case HS_EEOF: return "end of input";
    case HS_EMODEL: return "bad model file";
    case HS_EFORMAT: return "malformed record";
    default: return "unknown error";
    }
}

const char *hs_version(void) { return HS_VERSION; }

/* Loads dir/name with load() when the file exists; an absent file is fine
 * (the layer is off), a present but bad one is an error. */
static int load_layer(hs_engine *e, const char *dir, const char *name,
                      int (*load)(void **out, const char *path, buf *err), void **slot)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return HS_OK;
    fclose(f);
    return load(slot, path, &e->errmsg) ? HS_EMODEL : HS_OK;
}

static int load_tagger(void **out, const char *path, buf *err)
{
    return tagger_load((tagger **)out, path, err);
}

static int load_parser(void **out, const char *path, buf *err)
{
    return parser_load((parser **)out, path, err);
}

static int load_ner(void **out, const char *path, buf *err)
{
    return ner_load((ner **)out, path, err);
}

static int load_attr(void **out, const char *path, buf *err)
{
    return attr_load((attr_model **)out, path, err);
}

int hs_engine_open(hs_engine **out, const hs_engine_options *opts)
{
    if (!out)
        return HS_EINVAL;
    *out = NULL;
    hs_engine *e = calloc(1, sizeof *e);
    if (!e)
        return HS_ENOMEM;
    html_init();
    e->max_doc_bytes = opts && opts->max_doc_bytes ? opts->max_doc_bytes : HS_DEFAULT_MAX_DOC;
    if (e->max_doc_bytes > UINT32_MAX - 1)
        e->max_doc_bytes = UINT32_MAX - 1; /* offsets are 32-bit */
    *out = e;
    if (opts && opts->model_dir) {
        void *pos = NULL, *par = NULL, *nr = NULL, *at = NULL;
        unsigned want = opts->layers ? opts->layers | HS_LAYER_POS
                                     : HS_LAYER_POS | HS_LAYER_PARSE | HS_LAYER_NER |
                                           HS_LAYER_ATTR;
        int rc = load_layer(e, opts->model_dir, "pos.hsm", load_tagger, &pos);
        e->pos = pos;
        if (!rc && (want & (HS_LAYER_PARSE | HS_LAYER_ATTR)))
            rc = load_layer(e, opts->model_dir, "parser.hsm", load_parser, &par);
        e->parse_all = (want & HS_LAYER_PARSE) != 0;
        e->parser = par;
        if (!rc && (want & HS_LAYER_NER))
            rc = load_layer(e, opts->model_dir, "ner.hsm", load_ner, &nr);
        e->ner = nr;
        if (!rc && (want & HS_LAYER_ATTR))
            rc = load_layer(e, opts->model_dir, "attribution.hsm", load_attr, &at);
        e->attr = at;
        if (rc)
            return rc;
        if (e->ner) {
            e->gaz = calloc(1, sizeof *e->gaz);
            if (!e->gaz || gaz_init(e->gaz)) {
                free(e->gaz);
                e->gaz = NULL;
                return HS_ENOMEM;
            }
        }
    }
    return HS_OK;
}

const char *hs_engine_errmsg(const hs_engine *eng)
{
    return eng && eng->errmsg.p ? eng->errmsg.p : "";
}

int hs_engine_has_pos(const hs_engine *eng) { return eng && eng->pos; }

void hs_engine_close(hs_engine *eng)
{
    if (!eng)
        return;
    tagger_free(eng->pos);
    parser_free(eng->parser);
    ner_free(eng->ner);
    attr_free(eng->attr);
    if (eng->gaz)
        gaz_free(eng->gaz);
    free(eng->gaz);
    buf_free(&eng->errmsg);
    free(eng);
}

int hs_doc_new(hs_doc **out, const hs_engine *eng)
{
    if (!out || !eng)
        return HS_EINVAL;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return HS_ENOMEM;
    (*out)->eng = eng;
    return HS_OK;
}

void hs_doc_free(hs_doc *d)
{
    if (!d)
        return;
    buf_free(&d->own);
    buf_free(&d->id);
    buf_free(&d->json);
    buf_free(&d->errmsg);
    free(d->tok);
    free(d->sent);
    free(d->para);
    free(d->blk);
    free(d->spans);
    free(d->err);
    buf_free(&d->formbuf);
    free(d->form);
    free(d->pos);
    buf_free(&d->conllu);
    buf_free(&d->owntext);
    free(d->posname);
    free(d->head);
    free(d->label);
    free(d->nertag);
    parser_scratch_free(d->pscratch);
    ner_scratch_free(d->nscratch);
    free(d->ents);
    free(d->entspans);
    free(d->tok_ent);
    free(d->ments);
    free(d->attr);
    free(d->attrspans);
    attr_scratch_free(d->ascratch);
    ingest_free(d->ing);
    arena_free(&d->ar);
    free(d);
}

__attribute__((format(printf, 3, 4))) static int fail(hs_doc *d, int code, const char *fmt, ...)
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

/* Arrays grown past this by one huge document are released at the next
 * reset, so that memory stays bounded by typical documents over a stream. */
#define KEEP_BYTES (16u << 20)

static void release_if_big(void **p, size_t *cap, size_t elsize)
{
    if (*cap * elsize > KEEP_BYTES) {
        free(*p);
        *p = NULL;
        *cap = 0;
    }
}

static void reset(hs_doc *d)
{
    release_if_big((void **)&d->tok, &d->captok, sizeof *d->tok);
    release_if_big((void **)&d->sent, &d->capsent, sizeof *d->sent);
    release_if_big((void **)&d->para, &d->cappara, sizeof *d->para);
    release_if_big((void **)&d->blk, &d->capblk, sizeof *d->blk);
    release_if_big((void **)&d->spans, &d->capspans, sizeof *d->spans);
    release_if_big((void **)&d->form, &d->capform, sizeof *d->form);
    release_if_big((void **)&d->pos, &d->cappos, sizeof *d->pos);
    release_if_big((void **)&d->posname, &d->capposname, sizeof *d->posname);
    release_if_big((void **)&d->head, &d->caphead, sizeof *d->head);
    release_if_big((void **)&d->label, &d->caplabel, sizeof *d->label);
    release_if_big((void **)&d->nertag, &d->capnertag, sizeof *d->nertag);
    release_if_big((void **)&d->tok_ent, &d->captokent, sizeof *d->tok_ent);
    release_if_big((void **)&d->entspans, &d->capentspans, sizeof *d->entspans);
    release_if_big((void **)&d->attr, &d->capattr, sizeof *d->attr);
    release_if_big((void **)&d->attrspans, &d->capattrspans, sizeof *d->attrspans);
    buf_trim(&d->formbuf, KEEP_BYTES);
    buf_trim(&d->conllu, KEEP_BYTES);
    d->text = NULL;
    d->len = 0;
    d->ntok = d->nsent = d->npara = d->nblk = d->nspans = d->nerr = 0;
    d->has_title = 0;
    d->has_pos = d->has_parse = d->has_ner = 0;
    d->nents = d->nentspans = 0;
    d->nattr = d->nattrspans = 0;
    buf_clear(&d->id);
    buf_trim(&d->own, KEEP_BYTES);
    buf_trim(&d->json, KEEP_BYTES);
    buf_clear(&d->errmsg);
    ingest_reset(d);
    arena_reset(&d->ar);
}

int doc_binary_offset(const char *s, size_t n, size_t *off)
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

/* After a failure a document holds nothing, so accessors never see half a result. */
static int settle(hs_doc *d, int rc)
{
    if (rc) {
        d->ntok = d->nsent = d->npara = d->nblk = d->nspans = 0;
        d->has_title = d->has_pos = d->has_parse = d->has_ner = 0;
        d->nents = d->nentspans = 0;
        d->nattr = d->nattrspans = 0;
        d->text = "";
        d->len = 0;
    }
    return rc;
}

static int analyze(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags);
static int analyze_tokens(hs_doc *d, const char *id, const char *const *tokens, size_t ntok,
                          const uint32_t *sent_len, size_t nsent);

/* Does p point into b's memory? */
static int inside(const buf *b, const char *p)
{
    return p && b->p && p >= b->p && p < b->p + b->cap;
}

int hs_doc_analyze(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags)
{
    if (!d || (!text && len))
        return HS_EINVAL;
    if (!text)
        text = "";
    /* text or id may be the document's own (hs_doc_text, hs_doc_id of the
     * last analysis): reset would clear them, so analyze a copy */
    char *tcopy = NULL, *icopy = NULL;
    if (inside(&d->own, text) || inside(&d->owntext, text)) {
        if (!(tcopy = malloc(len + 1)))
            return HS_ENOMEM;
        memcpy(tcopy, text, len);
        tcopy[len] = 0;
        text = tcopy;
    }
    if (inside(&d->id, id)) {
        if (!(icopy = strdup(id))) {
            free(tcopy);
            return HS_ENOMEM;
        }
        id = icopy;
    }
    int rc = settle(d, analyze(d, id, text, len, flags));
    if (tcopy && rc == HS_OK && d->text == tcopy) {
        /* the result must not point into the copy we are about to free */
        buf_clear(&d->own);
        if (buf_append(&d->own, tcopy, len))
            rc = settle(d, HS_ENOMEM);
        else
            d->text = d->own.p;
    }
    free(tcopy);
    free(icopy);
    return rc;
}

int doc_set_text(hs_doc *d, const char *id, const char *text, size_t len)
{
    reset(d);
    if (id && buf_append(&d->id, id, strlen(id)))
        return settle(d, HS_ENOMEM);
    d->text = text;
    d->len = len;
    return HS_OK;
}

int hs_doc_analyze_tokens(hs_doc *d, const char *id, const char *const *tokens, size_t ntok,
                          const uint32_t *sent_len, size_t nsent)
{
    if (!d || (ntok && (!tokens || !sent_len)) || (nsent && !sent_len))
        return HS_EINVAL;
    return settle(d, analyze_tokens(d, id, tokens, ntok, sent_len, nsent));
}

/* What every text goes through before it is analyzed or only extracted:
 * the size limit, binary data, UTF-8 (repaired into d->own with
 * HS_ANALYZE_LOSSY, the repair noted in d's errors). *text and *len become
 * the text to use. */
static int check_text(hs_doc *d, const char **text, size_t *len, unsigned flags)
{
    const char *t = *text;
    size_t n = *len, off = 0;
    if (n > d->eng->max_doc_bytes)
        return fail(d, HS_ETOOBIG, "%zu bytes: larger than the limit of %u MiB", n,
                    (unsigned)(d->eng->max_doc_bytes >> 20));
    if (doc_binary_offset(t, n, &off))
        return fail(d, HS_EBINARY, "byte %zu: binary data (control character 0x%02x)", off,
                    (unsigned char)t[off]);
    size_t bad = utf8_validate(t, n);
    if (bad < n) {
        if (!(flags & HS_ANALYZE_LOSSY))
            return fail(d, HS_EUTF8, "byte %zu: invalid UTF-8 (byte 0x%02x)", bad,
                        (unsigned char)t[bad]);
        long nrep = utf8_repair(t, n, &d->own);
        if (nrep < 0)
            return HS_ENOMEM;
        if (d->own.len > d->eng->max_doc_bytes)
            return fail(d, HS_ETOOBIG, "%zu bytes after repair: larger than the limit of %u MiB",
                        d->own.len, (unsigned)(d->eng->max_doc_bytes >> 20));
        char msg[128];
        snprintf(msg, sizeof msg,
                 "lossy: %ld invalid byte%s replaced with U+FFFD (first at byte %llu of the input)",
                 nrep, nrep == 1 ? "" : "s", (unsigned long long)bad);
        if (hs_doc_add_error(d, msg))
            return HS_ENOMEM;
        *text = d->own.p;
        *len = d->own.len;
    }
    return HS_OK;
}

static int extract_text(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags)
{
    reset(d);
    if (id && buf_append(&d->id, id, strlen(id)))
        return HS_ENOMEM;
    int rc = check_text(d, &text, &len, flags);
    if (rc)
        return rc;
    size_t i = 0;
    while (i < len && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r')))
        i++;
    if (i == len)
        return fail(d, HS_EEMPTY, "%zu bytes: no text (empty or white space only)", len);
    d->text = text;
    d->len = len;
    return HS_OK;
}

int doc_extract_text(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags)
{
    return settle(d, extract_text(d, id, text ? text : "", len, flags));
}

static int analyze(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags)
{
    reset(d);
    if (id && buf_append(&d->id, id, strlen(id)))
        return HS_ENOMEM;
    int rc = check_text(d, &text, &len, flags);
    if (rc)
        return rc;
    d->text = text;
    d->len = len;
    rc = tok_run(d);
    if (rc)
        return rc;
    if (d->ntok == 0)
        return fail(d, HS_EEMPTY, "%zu bytes: no text (empty or white space only)", len);
    if ((rc = seg_run(d)) || (rc = struct_run(d)) || (rc = annotate_run(d)) || (rc = attr_run(d)))
        return rc;
    return HS_OK;
}

static int analyze_tokens(hs_doc *d, const char *id, const char *const *tokens, size_t ntok,
                          const uint32_t *sent_len, size_t nsent)
{
    reset(d);
    buf_clear(&d->owntext);
    if (id && buf_append(&d->id, id, strlen(id)))
        return HS_ENOMEM;
    size_t sum = 0;
    for (size_t s = 0; s < nsent; s++)
        sum += sent_len[s];
    if (sum != ntok)
        return fail(d, HS_EINVAL, "sentence lengths add up to %zu, not %zu tokens", sum, ntok);
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
                return fail(d, HS_EINVAL, "token %zu is empty", k + 1);
            if (i && buf_putc(&d->owntext, ' '))
                return HS_ENOMEM;
            if (d->owntext.len + n > d->eng->max_doc_bytes)
                return fail(d, HS_ETOOBIG, "%zu bytes of tokens: larger than the limit",
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
        return fail(d, HS_EUTF8, "byte %zu: invalid UTF-8 (byte 0x%02x)", bad,
                    (unsigned char)d->owntext.p[bad]);
    d->text = d->owntext.p ? d->owntext.p : "";
    d->len = d->owntext.len;
    return annotate_run(d);
}

long hs_doc_token_entity(const hs_doc *d, size_t i)
{
    if (!d || !d->has_ner || i >= d->ntok || !d->tok_ent)
        return -1;
    return (long)d->tok_ent[i] - 1;
}

const char *hs_entity_type_name(int type)
{
    static const char *const names[] = {"unknown", "PERSON", "ORG", "LOC", "MISC", "OUTLET"};
    return type > 0 && type < HS_ENT_TYPE_END ? names[type] : "unknown";
}

const char *hs_doc_token_pos(const hs_doc *d, size_t i)
{
    if (!d || !d->has_pos || i >= d->ntok)
        return NULL;
    return tagger_tag_name(d->eng->pos, d->pos[i]);
}

int hs_doc_conllu(hs_doc *d, const char **out, size_t *len)
{
    if (!d || !out)
        return HS_EINVAL;
    buf *b = &d->conllu;
    buf_clear(b);
    int rc = 0;
    for (size_t s = 0; s < d->nsent && !rc; s++) {
        const hs_sentence *se = &d->sent[s];
        for (uint32_t k = se->tok_begin; k < se->tok_end && !rc; k++) {
            const hs_token *t = &d->tok[k];
            rc |= buf_printf(b, "%u\t", k - se->tok_begin + 1);
            /* a form never holds a tab or newline: tokens split at white space */
            rc |= buf_append(b, d->text + t->start, t->end - t->start);
            const char *pos = hs_doc_token_pos(d, k);
            rc |= buf_printf(b, "\t_\t_\t%s\t_\t", pos ? pos : "_");
            if (d->has_parse)
                rc |= buf_printf(b, "%d\t%s\t_\t", d->head[k],
                                 parser_label_name(d->eng->parser, d->label[k]));
            else
                rc |= buf_append(b, "_\t_\t_\t", 6);
            if (d->has_ner)
                rc |= buf_printf(b, "NER=%s\n", ner_tag_name(d->nertag[k], 1));
            else
                rc |= buf_append(b, "_\n", 2);
        }
        rc |= buf_putc(b, '\n');
    }
    if (rc)
        return HS_ENOMEM;
    *out = b->p ? b->p : "";
    if (len)
        *len = b->len;
    return HS_OK;
}

int hs_doc_add_error(hs_doc *d, const char *msg)
{
    if (!d || !msg)
        return HS_EINVAL;
    char *s = arena_strndup(&d->ar, msg, strlen(msg));
    if (!s || vec_reserve((void **)&d->err, &d->caperr, d->nerr + 1, sizeof *d->err))
        return HS_ENOMEM;
    d->err[d->nerr++] = s;
    return HS_OK;
}

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
#define VIEW(field, count)     \
    do {                       \
        if (n)                 \
            *n = d ? (count) : 0; \
        return d ? (field) : NULL; \
    } while (0)

const hs_token *hs_doc_tokens(const hs_doc *d, size_t *n) { VIEW(d->tok, d->ntok); }
const hs_sentence *hs_doc_sentences(const hs_doc *d, size_t *n) { VIEW(d->sent, d->nsent); }
const hs_paragraph *hs_doc_paragraphs(const hs_doc *d, size_t *n) { VIEW(d->para, d->npara); }
const hs_block *hs_doc_blocks(const hs_doc *d, size_t *n) { VIEW(d->blk, d->nblk); }
const char *const *hs_doc_errors(const hs_doc *d, size_t *n) { VIEW(d->err, d->nerr); }

const hs_span *hs_doc_title(const hs_doc *d) { return d && d->has_title ? &d->title : NULL; }

const hs_entity *hs_doc_entities(const hs_doc *d, size_t *n) { VIEW(d->ents, d->nents); }
const hs_attribution *hs_doc_attributions(const hs_doc *d, size_t *n)
{
    VIEW(d->attr, d->nattr);
}

int hs_doc_json(hs_doc *d, unsigned flags, const char **out, size_t *len)
{
    if (!d || !out)
        return HS_EINVAL;
    buf_clear(&d->json);
    if (emit_doc_json(d, flags, &d->json))
        return HS_ENOMEM;
    *out = d->json.p;
    if (len)
        *len = d->json.len;
    return HS_OK;
}
