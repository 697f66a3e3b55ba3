/* input - the reader: documents from files or stdin in four formats, gzip
 * undone on the fly (stream.h). A text or HTML file is one document; a JSON
 * Lines feed gives one per line (jsonl.h), a WARC file one per HTTP response
 * record holding HTML (warc.h). The format is detected from the first bytes
 * unless named. Every failure names the file and the byte, line or record;
 * the reader then moves on and never stops a run. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "engine.h"
#include "jsonl.h"
#include "jstr.h"
#include "stream.h"
#include "warc.h"

/* Invariant: the buffers keep their capacity (bounded by the engine's
 * document limit) between documents; st is open while opened && !done. */
struct hs_reader {
    const hs_engine *eng;
    char *path;
    unsigned flags;
    int want;  /* requested format (HS_FORMAT_AUTO: detect) */
    int fmt;   /* format in use */
    int opened, done;
    FILE *f;
    stream st;
    unsigned long long lineno, recno;
    unsigned long long items;  /* lines with something on them, records (good or not) */
    int damaged;               /* gzip damage was reported */
    buf text, errmsg, warning, where, id, line, err2;
    jsonl_rec jr;
    warc_rec wr;
    http_res http;
};

const char *hs_format_name(int format)
{
    static const char *const names[] = {"auto", "text", "html", "jsonl", "warc"};
    return format >= 0 && format <= HS_FORMAT_WARC ? names[format] : "unknown";
}

int hs_reader_open_format(hs_reader **out, const hs_engine *eng, const char *path, int format,
                          unsigned flags)
{
    if (!out || !eng || !path || format < HS_FORMAT_AUTO || format > HS_FORMAT_WARC)
        return HS_EINVAL;
    *out = NULL;
    hs_reader *r = calloc(1, sizeof *r);
    if (!r)
        return HS_ENOMEM;
    r->path = strdup(path);
    if (!r->path) {
        free(r);
        return HS_ENOMEM;
    }
    r->eng = eng;
    r->flags = flags;
    r->want = format;
    *out = r;
    return HS_OK;
}

int hs_reader_open(hs_reader **out, const hs_engine *eng, const char *path, unsigned flags)
{
    return hs_reader_open_format(out, eng, path, HS_FORMAT_AUTO, flags);
}

static void finish(hs_reader *r)
{
    if (r->opened && !r->done) {
        stream_close(&r->st);
        if (r->f && r->f != stdin)
            fclose(r->f);
        r->f = NULL;
    }
    r->done = 1;
}

void hs_reader_close(hs_reader *r)
{
    if (!r)
        return;
    finish(r);
    buf *all[] = {&r->text, &r->errmsg, &r->warning, &r->where, &r->id, &r->line, &r->err2};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_free(all[i]);
    jsonl_rec_free(&r->jr);
    warc_rec_free(&r->wr);
    http_res_free(&r->http);
    free(r->path);
    free(r);
}

const char *hs_reader_errmsg(const hs_reader *r)
{
    return r && r->errmsg.p ? r->errmsg.p : "";
}

unsigned long long hs_reader_record(const hs_reader *r)
{
    if (!r)
        return 0;
    return r->fmt == HS_FORMAT_JSONL ? r->lineno : r->fmt == HS_FORMAT_WARC ? r->recno : 0;
}

unsigned long long hs_reader_tell(const hs_reader *r)
{
    return r && r->opened && !r->done ? stream_raw(&r->st) : 0;
}

int hs_reader_format(const hs_reader *r)
{
    return r ? r->fmt : HS_FORMAT_AUTO;
}

/* "path: " + what: the message of the last failure. */
static int rfail(hs_reader *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int rfail(hs_reader *r, int code, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    buf_clear(&r->errmsg);
    buf_printf(&r->errmsg, "%s: %s", r->path, tmp);
    r->damaged |= code == HS_EGZIP;
    return code;
}

/* The end of a feed or crawl: one in which nothing was found, not even
 * damage, is an error, as an empty text file is. */
static int at_end(hs_reader *r, const char *what)
{
    finish(r);
    if (r->items || r->damaged)
        return HS_EEOF;
    return rfail(r, HS_EEMPTY, "empty file: no %s in it", what);
}

/* ---- detection ----------------------------------------------------------- */

static int starts_ci(const char *p, size_t n, const char *w)
{
    size_t m = strlen(w);
    return n >= m && strncasecmp(p, w, m) == 0;
}

static int detect(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        i = 3;
    if (n - i >= 5 && !memcmp(p + i, "WARC/", 5))
        return HS_FORMAT_WARC;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i < n && p[i] == '{')
        return HS_FORMAT_JSONL;
    if (i < n && p[i] == '<') {
        static const char *const marks[] = {"<!doctype html", "<html", "<head", "<body",
                                            "<meta", "<title", "<article", "<div", "<p>",
                                            "<p ", "<!--", "<?xml"};
        for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
            if (starts_ci(p + i, n - i, marks[k]))
                return HS_FORMAT_HTML;
        /* a tag of another name, and an <html> or <body> later on */
        for (size_t k = i; k + 5 < n; k++)
            if (p[k] == '<' && (starts_ci(p + k, n - k, "<html") || starts_ci(p + k, n - k, "<body")))
                return HS_FORMAT_HTML;
    }
    return HS_FORMAT_TEXT;
}

/* The format a file name suggests (.jsonl, .ndjson, .warc, .html, .htm, each
 * also with .gz), else text. */
static int by_name(const char *path)
{
    static const struct {
        const char *ext;
        int fmt;
    } exts[] = {{".jsonl", HS_FORMAT_JSONL}, {".ndjson", HS_FORMAT_JSONL},
                {".warc", HS_FORMAT_WARC},   {".html", HS_FORMAT_HTML},
                {".htm", HS_FORMAT_HTML}};
    size_t n = strlen(path);
    if (n > 3 && !strcmp(path + n - 3, ".gz"))
        n -= 3;
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t m = strlen(exts[i].ext);
        if (n > m && !strncasecmp(path + n - m, exts[i].ext, m))
            return exts[i].fmt;
    }
    return HS_FORMAT_TEXT;
}

static int open_input(hs_reader *r)
{
    r->opened = 1;
    int is_stdin = strcmp(r->path, "-") == 0;
    r->f = is_stdin ? stdin : fopen(r->path, "rb");
    if (!r->f) {
        r->done = 1;
        return rfail(r, HS_EIO, "cannot open: %s", strerror(errno));
    }
    if (stream_open(&r->st, r->f)) {
        if (!is_stdin)
            fclose(r->f);
        r->f = NULL;
        r->done = 1;
        return rfail(r, HS_ENOMEM, "out of memory");
    }
    r->fmt = r->want;
    if (r->fmt == HS_FORMAT_AUTO) {
        size_t have = stream_fill(&r->st, 4096);
        r->fmt = detect(r->st.out + r->st.pos, have);
        if (r->fmt == HS_FORMAT_TEXT)
            r->fmt = by_name(r->path); /* a feed whose first line is damaged */
    }
    return HS_OK;
}

/* ---- one document per file: text and HTML ---------------------------------- */

static int next_whole(hs_reader *r, hs_input *doc)
{
    size_t limit = r->eng->max_doc_bytes;
    buf_clear(&r->text);
    int rc = HS_OK;
    for (;;) {
        size_t have = stream_fill(&r->st, STREAM_CHUNK);
        if (!have)
            break;
        if (r->text.len + have > limit) {
            rc = rfail(r, HS_ETOOBIG, "byte %zu: %sdocument larger than the limit: skipped",
                       limit, r->st.gz ? "decompressed " : "");
            break;
        }
        if (buf_append(&r->text, r->st.out + r->st.pos, have)) {
            rc = rfail(r, HS_ENOMEM, "out of memory");
            break;
        }
        stream_skip(&r->st, have);
    }
    if (rc == HS_OK && stream_error(&r->st)) {
        if ((r->flags & HS_READ_LOSSY) && r->st.truncated && r->text.len) {
            buf_printf(&r->warning, "%s: %s; lossy: kept the %zu bytes recovered", r->path,
                       r->st.err.p, r->text.len);
        } else {
            rc = rfail(r, HS_EGZIP, "%s", r->st.err.p);
        }
    }
    finish(r);
    if (rc)
        return rc;
    buf_append(&r->where, r->path, strlen(r->path));
    doc->id = r->path;
    doc->where = r->where.p;
    doc->text = r->text.p ? r->text.p : "";
    doc->len = r->text.len;
    doc->format = r->fmt == HS_FORMAT_HTML ? HS_FORMAT_HTML : HS_FORMAT_TEXT;
    doc->warning = r->warning.len ? r->warning.p : NULL;
    return HS_OK;
}

/* ---- JSON Lines ---------------------------------------------------------------- */

/* Reads the next line into r->line, or skips it when it is over the limit
 * (*too_long then gets its length); *whole says it ended in '\n'. Returns
 * HS_OK, HS_EEOF at the end (of the input, or of the bytes before damaged
 * data), or HS_ENOMEM. */
static int read_jsonl_line(hs_reader *r, size_t limit, unsigned long long *too_long, int *whole)
{
    buf_clear(&r->line);
    *too_long = 0;
    *whole = 0;
    int any = 0;
    for (;;) {
        size_t have = stream_fill(&r->st, 1);
        if (!have)
            return any ? HS_OK : HS_EEOF;
        any = 1;
        const char *p = r->st.out + r->st.pos;
        const char *nl = memchr(p, '\n', have);
        size_t n = nl ? (size_t)(nl - p) : have;
        if (*too_long || r->line.len + n > limit) {
            *too_long += (*too_long ? 0 : r->line.len) + n;
            buf_clear(&r->line);
        } else if (buf_append(&r->line, p, n)) {
            return HS_ENOMEM;
        }
        stream_skip(&r->st, n + (nl != NULL));
        if (nl)
            return *whole = 1, HS_OK;
    }
}

static int next_jsonl(hs_reader *r, hs_input *doc)
{
    size_t limit = r->eng->max_doc_bytes;
    for (;;) {
        unsigned long long too_long;
        int whole;
        int rc = read_jsonl_line(r, limit, &too_long, &whole);
        if (rc == HS_ENOMEM)
            return rfail(r, HS_ENOMEM, "line %llu: out of memory", r->lineno + 1);
        if (rc) {
            if (stream_error(&r->st))
                return rfail(r, HS_EGZIP, "after line %llu: %s", r->lineno, r->st.err.p);
            return at_end(r, "JSON line");
        }
        r->lineno++;
        r->items++; /* until it turns out blank */
        /* a line cut short by damaged gzip data cannot be trusted; one that
         * ends where the damage starts is whole (the damage is reported
         * after it, by the next call) */
        if (!whole && stream_error(&r->st))
            return rfail(r, HS_EGZIP, "line %llu: %s", r->lineno, r->st.err.p);
        if (too_long)
            return rfail(r, HS_ETOOBIG,
                         "line %llu: line of %llu bytes is larger than the limit (%zu MiB); skipped",
                         r->lineno, too_long, limit >> 20);
        /* jansson's memory: a small multiple of the document limit */
        rc = jsonl_parse(&r->jr, r->line.p ? r->line.p : "", r->line.len, JSTR_BUDGET * limit,
                         &r->err2);
        if (rc == HS_EEMPTY) { /* a blank line */
            r->items--;
            continue;
        }
        if (rc == HS_ENOMEM)
            return rfail(r, HS_ENOMEM, "line %llu: out of memory", r->lineno);
        if (rc)
            return rfail(r, rc, "line %llu: %s", r->lineno, r->err2.p);
        break;
    }
    jsonl_rec *j = &r->jr;
    buf_printf(&r->where, "%s: line %llu", r->path, r->lineno);
    if (j->has_id)
        buf_append(&r->id, j->id.p ? j->id.p : "", j->id.len);
    else
        buf_printf(&r->id, "%s:%llu", r->path, r->lineno);
    doc->id = r->id.p;
    doc->where = r->where.p;
    doc->text = j->text.p ? j->text.p : "";
    doc->len = j->text.len;
    doc->format = j->html ? HS_FORMAT_HTML : HS_FORMAT_TEXT;
    doc->url = j->has_url ? j->url.p : NULL;
    doc->title = j->has_title ? j->title.p : NULL;
    doc->date = j->has_date ? j->date.p : NULL;
    doc->outlet = j->has_outlet ? j->outlet.p : NULL;
    doc->fields = j->fields.len ? j->fields.p : NULL;
    doc->fields_len = j->fields.len;
    doc->record = r->lineno;
    return HS_OK;
}

/* ---- WARC ------------------------------------------------------------------------ */

static int is_html_type(const char *ct)
{
    return !*ct || !strncasecmp(ct, "text/html", 9) || !strncasecmp(ct, "application/xhtml", 17);
}

static int next_warc(hs_reader *r, hs_input *doc)
{
    size_t limit = r->eng->max_doc_bytes;
    warc_rec *w = &r->wr;
    for (;;) {
        int rc = warc_next(&r->st, w, limit, &r->err2);
        if (rc == HS_EEOF) {
            /* damaged gzip data between records: the next record starts
             * where the damage ends */
            if (stream_error(&r->st))
                return rfail(r, HS_EGZIP, "after record %llu: %s", r->recno, r->st.err.p);
            return at_end(r, "WARC record");
        }
        r->recno++;
        r->items++;
        /* a record cut short by damaged gzip data cannot be trusted; a whole
         * one that ends where the damage starts is read (the damage is
         * reported after it, by the next call) */
        if ((rc == HS_EFORMAT || rc == HS_ENOMEM) && stream_error(&r->st))
            return rfail(r, HS_EGZIP, "record %llu: %s", r->recno, r->st.err.p);
        if (rc == HS_ENOMEM)
            return rfail(r, HS_ENOMEM, "record %llu: out of memory", r->recno);
        if (rc == HS_EFORMAT)
            return rfail(r, HS_EFORMAT, "record %llu (byte %llu): %s", r->recno,
                         (unsigned long long)w->start, r->err2.p);
        if (strcasecmp(w->type.p ? w->type.p : "", "response") ||
            strncasecmp(w->ctype.p ? w->ctype.p : "", "application/http", 16))
            continue; /* requests, metadata, warcinfo, resources: not articles */
        if (rc == HS_ETOOBIG)
            return rfail(r, HS_ETOOBIG, "record %llu (byte %llu): %llu bytes: larger than the limit; skipped",
                         r->recno, (unsigned long long)w->start, (unsigned long long)w->length);
        http_res *h = &r->http;
        /* the HTTP header is looked at before the payload is decoded */
        int hrc = http_parse(h, w->block.p ? w->block.p : "", w->block.len, limit, &r->err2);
        if (hrc == HS_ENOMEM)
            return rfail(r, HS_ENOMEM, "record %llu: out of memory", r->recno);
        if (hrc) {
            /* a response that is not HTTP, or a page that cannot be decoded */
            if (h->status == 0 || (h->status >= 200 && h->status < 300 &&
                                   !(h->ctype.len && !is_html_type(h->ctype.p))))
                return rfail(r, HS_EFORMAT, "record %llu (byte %llu): %s", r->recno,
                             (unsigned long long)w->start, r->err2.p);
            continue;
        }
        if (h->status < 200 || h->status >= 300 || !is_html_type(h->ctype.p ? h->ctype.p : ""))
            continue; /* redirects, errors, images, scripts */
        break;
    }
    buf_printf(&r->where, "%s: record %llu", r->path, r->recno);
    if (w->id.len)
        buf_append(&r->id, w->id.p, w->id.len);
    else
        buf_printf(&r->id, "%s:record-%llu", r->path, r->recno);
    doc->id = r->id.p;
    doc->where = r->where.p;
    doc->text = r->http.body.p ? r->http.body.p : "";
    doc->len = r->http.body.len;
    doc->format = HS_FORMAT_HTML;
    doc->charset = r->http.ctype.len ? r->http.ctype.p : NULL;
    doc->url = w->uri.len ? w->uri.p : NULL;
    doc->date = w->date.len ? w->date.p : NULL;
    doc->record = r->recno;
    return HS_OK;
}

int hs_reader_next(hs_reader *r, hs_input *doc)
{
    if (!r || !doc)
        return HS_EINVAL;
    memset(doc, 0, sizeof *doc);
    if (r->done)
        return HS_EEOF;
    buf_clear(&r->warning);
    buf_clear(&r->where);
    buf_clear(&r->id);
    /* a huge earlier document does not pin its buffers for the rest of the run */
    buf_trim(&r->text, 16u << 20);
    buf_trim(&r->line, 16u << 20);
    buf_trim(&r->wr.block, 16u << 20);
    buf_trim(&r->wr.keep, 16u << 20);
    buf_trim(&r->http.body, 16u << 20);
    buf_trim(&r->http.tmp, 16u << 20);
    buf_trim(&r->jr.text, 16u << 20);
    if (!r->opened) {
        int rc = open_input(r);
        if (rc)
            return rc;
    }
    switch (r->fmt) {
    case HS_FORMAT_JSONL: return next_jsonl(r, doc);
    case HS_FORMAT_WARC: return next_warc(r, doc);
    default: return next_whole(r, doc);
    }
}
