/* warc - WARC records and the HTTP messages in them (see warc.h). Headers
 * are matched case-insensitively; values keep their case. Decompression of
 * a gzip or deflate payload is zlib's. */
#include "warc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* A record header (the lines up to the blank one) is at most this long. */
#define WARC_MAX_HEADER (1u << 20)

void warc_rec_free(warc_rec *r)
{
    buf *all[] = {&r->type, &r->uri, &r->date, &r->id, &r->ctype, &r->block, &r->line, &r->keep};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        buf_free(all[i]);
}

void http_res_free(http_res *h)
{
    buf_free(&h->ctype);
    buf_free(&h->body);
    buf_free(&h->tmp);
}

/* Reads one line (up to \n, which is consumed) into line, at most cap bytes
 * kept. Returns HS_OK, HS_EEOF at the end of the stream with nothing read,
 * or HS_ENOMEM. */
static int read_line(stream *s, buf *line, size_t cap)
{
    buf_clear(line);
    for (;;) {
        size_t have = stream_fill(s, 1);
        if (!have)
            return line->len ? HS_OK : HS_EEOF;
        const char *p = s->out + s->pos;
        const char *nl = memchr(p, '\n', have);
        size_t n = nl ? (size_t)(nl - p) + 1 : have;
        size_t keep = line->len + n > cap ? (line->len < cap ? cap - line->len : 0) : n;
        if (keep && buf_append(line, p, keep))
            return HS_ENOMEM;
        stream_skip(s, n);
        if (nl)
            return HS_OK;
    }
}

static void chomp(buf *b)
{
    while (b->len && (b->p[b->len - 1] == '\n' || b->p[b->len - 1] == '\r'))
        b->p[--b->len] = 0;
}

/* Value of "Name: value" when line starts with name (case-insensitive). */
static const char *header(const char *line, const char *name)
{
    size_t n = strlen(name);
    if (strncasecmp(line, name, n) || line[n] != ':')
        return NULL;
    const char *v = line + n + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    return v;
}

/* Skips to the next line that starts a WARC record; it stays unread. */
static void find_next(stream *s)
{
    for (;;) {
        size_t have = stream_fill(s, 8);
        if (have < 6)
            return (void)stream_skip(s, have);
        const char *p = s->out + s->pos;
        if (!memcmp(p, "WARC/", 5))
            return;
        const char *nl = memchr(p, '\n', have);
        if (!nl) {
            stream_skip(s, have - 5); /* a header may start in the last bytes */
            continue;
        }
        stream_skip(s, (size_t)(nl - p) + 1);
    }
}

/* The first "WARC/1." at the start of a line of p[0..n) after byte 0, or NULL. */
static const char *find_header(const char *p, size_t n)
{
    for (size_t i = 1; p && i + 7 <= n; i++)
        if (p[i - 1] == '\n' && !memcmp(p + i, "WARC/1.", 7))
            return p + i;
    return NULL;
}

static void set_value(buf *b, const char *v, size_t n)
{
    buf_clear(b);
    buf_append(b, v, n);
}

/* Content-Length: digits only (no sign: strtoull reads "-1" as 2^64 - 1),
 * within 64 bits. Returns HS_OK or HS_EFORMAT. */
static int parse_length(const char *v, uint64_t *out)
{
    uint64_t n = 0;
    const char *p = v;
    if (*p < '0' || *p > '9')
        return HS_EFORMAT;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (n > (UINT64_MAX - d) / 10)
            return HS_EFORMAT;
        n = n * 10 + d;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p)
        return HS_EFORMAT;
    *out = n;
    return HS_OK;
}

/* The first "WARC/1." right after a '\n' in p[0..n), or NULL. */
static const char *find_nl_header(const char *p, size_t n)
{
    const char *e = p + n;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(e - q))); q++)
        if (e - q >= 8 && !memcmp(q + 1, "WARC/1.", 7))
            return q + 1;
    return NULL;
}

/* A block over the limit is skipped, not kept. But its length may be wrong
 * (10 GB claimed in a file of 2 KB), so the bytes from the first record
 * header seen inside it are kept, at most cap of them, to be given back if
 * the input ends before the block does. When they would pass cap, the
 * oldest records among them are dropped, up to the next header in them. */
typedef struct skip {
    buf *keep;
    size_t cap;
    uint64_t at;      /* block offset of the next byte looked at */
    uint64_t first;   /* block offset of the first header seen (UINT64_MAX: none) */
    uint64_t keep_at; /* block offset of keep's first byte */
} skip;

/* Looks at the next n bytes of a skipped block (last: they end it): *used
 * gets how many may be consumed (fewer when a header may start in the last
 * few). Returns HS_OK or HS_ENOMEM. */
static int skip_chunk(skip *k, const char *p, size_t n, int last, size_t *used)
{
    const char *d = p;
    if (!k->keep->len) {
        if (!(d = find_nl_header(p, n))) {
            size_t use = !last && n > 7 ? n - 7 : n;
            k->at += use;
            *used = use;
            return HS_OK;
        }
        if (k->first == UINT64_MAX)
            k->first = k->at + (uint64_t)(d - p);
        k->keep_at = k->at + (uint64_t)(d - p);
    }
    size_t m = (size_t)(p + n - d);
    while (k->keep->len && k->keep->len + m > k->cap) {
        const char *next = find_header(k->keep->p, k->keep->len);
        size_t cut = next ? (size_t)(next - k->keep->p) : k->keep->len;
        memmove(k->keep->p, k->keep->p + cut, k->keep->len - cut);
        k->keep->len -= cut;
        k->keep->p[k->keep->len] = 0;
        k->keep_at += cut;
        if (!k->keep->len)
            return skip_chunk(k, p, n, last, used); /* this chunk continues a dropped record */
    }
    if (buf_append(k->keep, d, m))
        return HS_ENOMEM;
    k->at += n;
    *used = n;
    return HS_OK;
}

/* A length too long swallowed the next records: gives back what was read
 * from the first record header on (*next; NULL when there is none). */
static int give_back(stream *s, const warc_rec *r, int toobig, const char **next)
{
    const buf *b = toobig ? &r->keep : &r->block;
    *next = toobig ? (b->len ? b->p : NULL) : find_header(b->p, b->len);
    return *next ? stream_unread(s, *next, b->len - (size_t)(*next - b->p)) : HS_OK;
}

int warc_next(stream *s, warc_rec *r, size_t limit, buf *err)
{
    buf *hdr[] = {&r->type, &r->uri, &r->date, &r->id, &r->ctype, &r->block};
    for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++)
        buf_clear(hdr[i]);
    buf_clear(err);
    /* blank lines between records are allowed */
    do {
        r->start = s->off;
        int rc = read_line(s, &r->line, 4096);
        if (rc)
            return rc;
        chomp(&r->line);
    } while (r->line.len == 0);
    if (strncmp(r->line.p, "WARC/", 5)) {
        buf_printf(err, "not a WARC record header (\"%.40s\")", r->line.p);
        find_next(s);
        return HS_EFORMAT;
    }
    int has_len = 0;
    r->length = 0;
    for (;;) {
        uint64_t used = s->off - r->start;
        int rc = used > WARC_MAX_HEADER ? HS_EFORMAT
                 : read_line(s, &r->line, WARC_MAX_HEADER - (size_t)used + 1);
        if (rc == HS_ENOMEM)
            return rc;
        if (rc) {
            buf_printf(err, used > WARC_MAX_HEADER
                                ? "the record header is larger than %u MiB (no blank line after it?)"
                                : "the input ends inside the record header",
                       WARC_MAX_HEADER >> 20);
            if (used > WARC_MAX_HEADER)
                find_next(s);
            return HS_EFORMAT;
        }
        chomp(&r->line);
        if (r->line.len == 0)
            break;
        /* a header given twice is the last one, not the two run together */
        const char *v;
        if ((v = header(r->line.p, "WARC-Type")))
            set_value(&r->type, v, strlen(v));
        else if ((v = header(r->line.p, "WARC-Target-URI"))) {
            if (*v == '<') /* WARC 1.0 examples wrap it in angle brackets */
                v++;
            size_t n = strlen(v);
            if (n && v[n - 1] == '>')
                n--;
            set_value(&r->uri, v, n);
        } else if ((v = header(r->line.p, "WARC-Date")))
            set_value(&r->date, v, strlen(v));
        else if ((v = header(r->line.p, "WARC-Record-ID")))
            set_value(&r->id, v, strlen(v));
        else if ((v = header(r->line.p, "Content-Type")))
            set_value(&r->ctype, v, strlen(v));
        else if ((v = header(r->line.p, "Content-Length"))) {
            if (parse_length(v, &r->length)) {
                buf_printf(err, "bad Content-Length \"%.40s\"", v);
                find_next(s);
                return HS_EFORMAT;
            }
            has_len = 1;
        }
    }
    if (!has_len) {
        buf_printf(err, "no Content-Length");
        find_next(s);
        return HS_EFORMAT;
    }
    int toobig = r->length > limit;
    skip k = {.keep = &r->keep, .cap = limit > (1u << 20) ? limit : 1u << 20, .first = UINT64_MAX};
    buf_clear(&r->keep);
    uint64_t left = r->length;
    while (left) {
        size_t have = stream_fill(s, left < STREAM_CHUNK ? (size_t)left : STREAM_CHUNK);
        if (!have)
            break;
        size_t n = have < left ? have : (size_t)left;
        if (!toobig) {
            if (buf_append(&r->block, s->out + s->pos, n))
                return HS_ENOMEM;
        } else {
            if (n > STREAM_CHUNK)
                n = STREAM_CHUNK;
            if (skip_chunk(&k, s->out + s->pos, n, n == left, &n))
                return HS_ENOMEM;
        }
        stream_skip(s, n);
        left -= n;
    }
    if (left) {
        /* a length too long ran to the end: give back any record header inside */
        const char *next;
        if (give_back(s, r, toobig, &next))
            return HS_ENOMEM;
        uint64_t at = toobig ? k.first : (uint64_t)(next ? next - r->block.p : 0);
        buf_printf(err, "Content-Length says %llu bytes but %s after %llu",
                   (unsigned long long)r->length, next ? "the next record starts" : "the input ends",
                   (unsigned long long)(next ? at : r->length - left));
        if (next && toobig && k.keep_at > k.first)
            buf_printf(err, "; the %llu bytes of records after that are skipped (too many to keep)",
                       (unsigned long long)(k.keep_at - k.first));
        return HS_EFORMAT;
    }
    /* the block ends in CRLF CRLF; when it does not, the length was wrong */
    size_t have = stream_fill(s, 4);
    const char *p = s->out + s->pos;
    if (have >= 4 && !memcmp(p, "\r\n\r\n", 4)) {
        stream_skip(s, 4);
    } else if (have >= 2 && !memcmp(p, "\n\n", 2)) {
        stream_skip(s, 2);
    } else if (have > 0 || r->length > 0) {
        if (have == 0 && !toobig) {
            /* the last record of the input may lack its final CRLF CRLF */
        } else {
            /* a length too long swallowed the next header: give it back */
            const char *next;
            if (give_back(s, r, toobig, &next))
                return HS_ENOMEM;
            if (!next)
                find_next(s);
            buf_printf(err, "record length is wrong (Content-Length %llu is %s)",
                       (unsigned long long)r->length, next ? "too long" : "too short");
            return HS_EFORMAT;
        }
    }
    return toobig ? HS_ETOOBIG : HS_OK;
}

/* ---- HTTP ------------------------------------------------------------- */

/* Inflates gzip or zlib/deflate data into out, at most limit bytes.
 * Returns HS_OK, HS_EFORMAT with err saying why, or HS_ENOMEM. */
static int inflate_all(const char *p, size_t n, int raw_ok, buf *out, size_t limit, buf *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return HS_ENOMEM;
    buf_clear(out);
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    int zr = Z_OK, retried = 0;
    for (;;) {
        if (buf_reserve(out, 65536)) {
            inflateEnd(&z);
            return HS_ENOMEM;
        }
        z.next_out = (unsigned char *)out->p + out->len;
        z.avail_out = (uInt)(out->cap - out->len - 1);
        uInt before = z.avail_out;
        zr = inflate(&z, Z_NO_FLUSH);
        out->len += before - z.avail_out;
        out->p[out->len] = 0;
        if (out->len > limit) {
            buf_printf(err, "decompressed payload larger than the limit");
            break;
        }
        if (zr == Z_STREAM_END)
            break;
        if (zr == Z_OK)
            continue;
        if (zr == Z_DATA_ERROR && raw_ok && !retried && out->len == 0) {
            /* "deflate" sent as raw deflate data, without the zlib header */
            retried = 1;
            inflateEnd(&z);
            memset(&z, 0, sizeof z);
            if (inflateInit2(&z, -15) != Z_OK)
                return HS_ENOMEM;
            z.next_in = (unsigned char *)p;
            z.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
            continue;
        }
        if (zr == Z_BUF_ERROR && z.avail_in == 0) {
            buf_printf(err, "truncated %s content encoding (%zu bytes decoded)",
                       retried ? "deflate" : "gzip", out->len);
            break;
        }
        buf_printf(err, "corrupt gzip content encoding: %s", z.msg ? z.msg : "inflate failed");
        break;
    }
    inflateEnd(&z);
    return zr == Z_STREAM_END ? HS_OK : HS_EFORMAT;
}

/* Undoes chunked transfer encoding of p[0..n) into out. Returns HS_OK,
 * HS_EFORMAT with err saying why, or HS_ENOMEM. */
static int unchunk(const char *p, size_t n, buf *out, size_t limit, buf *err)
{
    buf_clear(out);
    size_t i = 0;
    for (;;) {
        const char *line = p + i;
        const char *nl = memchr(line, '\n', n - i);
        if (!nl) {
            buf_printf(err, "chunked encoding ends without its last chunk");
            return HS_EFORMAT;
        }
        char *end;
        unsigned long long sz = strtoull(line, &end, 16);
        if (end == line || (end < nl && *end != ';' && *end != '\r' && *end != ' ')) {
            buf_printf(err, "bad chunk size at byte %zu of the payload", i);
            return HS_EFORMAT;
        }
        i = (size_t)(nl - p) + 1;
        if (sz == 0)
            return HS_OK; /* trailers, if any, are not needed */
        if (sz > n - i) {
            buf_printf(err, "chunk of %llu bytes runs past the end of the record", sz);
            return HS_EFORMAT;
        }
        if (out->len + sz > limit) {
            buf_printf(err, "payload larger than the limit");
            return HS_EFORMAT;
        }
        if (buf_append(out, p + i, (size_t)sz))
            return HS_ENOMEM;
        i += (size_t)sz;
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] == '\n')
            i++;
    }
}

int http_parse(http_res *h, const char *p, size_t n, size_t limit, buf *err)
{
    buf_clear(&h->ctype);
    buf_clear(&h->body);
    buf_clear(err);
    h->status = 0;
    if (n < 12 || strncmp(p, "HTTP/", 5)) {
        buf_printf(err, "the response does not start with an HTTP status line");
        return HS_EFORMAT;
    }
    const char *sp = memchr(p, ' ', n < 20 ? n : 20);
    if (!sp || sp + 4 > p + n) {
        buf_printf(err, "bad HTTP status line");
        return HS_EFORMAT;
    }
    h->status = atoi(sp + 1);
    int chunked = 0, enc = 0; /* 1 gzip, 2 deflate, 3 unknown */
    char encname[32] = "";
    size_t i = 0;
    for (;;) {
        const char *line = p + i;
        const char *nl = memchr(line, '\n', n - i);
        if (!nl) {
            buf_printf(err, "the HTTP header has no end");
            return HS_EFORMAT;
        }
        size_t len = (size_t)(nl - line);
        if (len && line[len - 1] == '\r')
            len--;
        i = (size_t)(nl - p) + 1;
        if (len == 0)
            break;
        char hl[1024];
        size_t m = len < sizeof hl - 1 ? len : sizeof hl - 1;
        memcpy(hl, line, m);
        hl[m] = 0;
        const char *v;
        if ((v = header(hl, "Content-Type")))
            buf_append(&h->ctype, v, strlen(v));
        else if ((v = header(hl, "Transfer-Encoding")))
            chunked = strstr(v, "chunked") || strstr(v, "Chunked");
        else if ((v = header(hl, "Content-Encoding"))) {
            snprintf(encname, sizeof encname, "%s", v);
            if (!strcasecmp(v, "gzip") || !strcasecmp(v, "x-gzip"))
                enc = 1;
            else if (!strcasecmp(v, "deflate"))
                enc = 2;
            else if (strcasecmp(v, "identity") && *v)
                enc = 3;
        }
    }
    const char *body = p + i;
    size_t blen = n - i;
    if (chunked) {
        int rc = unchunk(body, blen, &h->tmp, limit, err);
        if (rc)
            return rc;
        body = h->tmp.p ? h->tmp.p : "";
        blen = h->tmp.len;
    }
    if (enc == 3) {
        buf_printf(err, "content encoding \"%s\" is not supported", encname);
        return HS_EFORMAT;
    }
    if (enc && blen) {
        return inflate_all(body, blen, enc == 2, &h->body, limit, err);
    }
    if (blen > limit) {
        buf_printf(err, "payload larger than the limit");
        return HS_EFORMAT;
    }
    return buf_append(&h->body, body, blen) ? HS_ENOMEM : HS_OK;
}
