/* doc - the document handle: validation of the input text, the analysis
 * pipeline (tokenize -> segment -> structure), accessors and JSON output.
 * Arrays keep their capacity between documents; the arena is reset. */
#include "doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
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
    default: return "unknown error";
    }
}

const char *hs_version(void) { return HS_VERSION; }

int hs_engine_open(hs_engine **out, const hs_engine_options *opts)
{
    if (!out)
        return HS_EINVAL;
    *out = NULL;
    hs_engine *e = calloc(1, sizeof *e);
    if (!e)
        return HS_ENOMEM;
    e->max_doc_bytes = opts && opts->max_doc_bytes ? opts->max_doc_bytes : HS_DEFAULT_MAX_DOC;
    if (e->max_doc_bytes > UINT32_MAX - 1)
        e->max_doc_bytes = UINT32_MAX - 1; /* offsets are 32-bit */
    *out = e;
    return HS_OK;
}

void hs_engine_close(hs_engine *eng) { free(eng); }

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

static void reset(hs_doc *d)
{
    d->text = NULL;
    d->len = 0;
    d->ntok = d->nsent = d->npara = d->nblk = d->nspans = d->nerr = 0;
    d->has_title = 0;
    buf_clear(&d->id);
    buf_trim(&d->own, 16u << 20);
    buf_trim(&d->json, 16u << 20);
    buf_clear(&d->errmsg);
    arena_reset(&d->ar);
}

/* Binary data: a NUL byte, or many C0 control characters early on. */
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

int hs_doc_analyze(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags)
{
    if (!d || (!text && len))
        return HS_EINVAL;
    reset(d);
    if (id && buf_append(&d->id, id, strlen(id)))
        return HS_ENOMEM;
    if (len > d->eng->max_doc_bytes)
        return fail(d, HS_ETOOBIG, "%zu bytes: larger than the limit of %u MiB", len,
                    (unsigned)(d->eng->max_doc_bytes >> 20));
    size_t off = 0;
    if (binary_offset(text, len, &off))
        return fail(d, HS_EBINARY, "byte %zu: binary data (control character 0x%02x)", off,
                    (unsigned char)text[off]);
    size_t bad = utf8_validate(text, len);
    if (bad < len) {
        if (!(flags & HS_ANALYZE_LOSSY))
            return fail(d, HS_EUTF8, "byte %zu: invalid UTF-8 (byte 0x%02x)", bad,
                        (unsigned char)text[bad]);
        long nrep = utf8_repair(text, len, &d->own);
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
        text = d->own.p;
        len = d->own.len;
    }
    d->text = text;
    d->len = len;
    int rc = tok_run(d);
    if (rc)
        return rc;
    if (d->ntok == 0)
        return fail(d, HS_EEMPTY, "%zu bytes: no text (empty or white space only)", len);
    if ((rc = seg_run(d)) || (rc = struct_run(d)))
        return rc;
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
        *len = d->len;
    return d->text;
}

const char *hs_doc_id(const hs_doc *d) { return d->id.p ? d->id.p : ""; }

const hs_token *hs_doc_tokens(const hs_doc *d, size_t *n)
{
    *n = d->ntok;
    return d->tok;
}

const hs_sentence *hs_doc_sentences(const hs_doc *d, size_t *n)
{
    *n = d->nsent;
    return d->sent;
}

const hs_paragraph *hs_doc_paragraphs(const hs_doc *d, size_t *n)
{
    *n = d->npara;
    return d->para;
}

const hs_block *hs_doc_blocks(const hs_doc *d, size_t *n)
{
    *n = d->nblk;
    return d->blk;
}

const hs_span *hs_doc_title(const hs_doc *d) { return d->has_title ? &d->title : NULL; }

const char *const *hs_doc_errors(const hs_doc *d, size_t *n)
{
    *n = d->nerr;
    return d->err;
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
