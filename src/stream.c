/* stream - buffered reading with gzip undone on the fly (see stream.h).
 * Raw bytes come in 64 KiB chunks; zlib inflates one member at a time and
 * the next member starts where the last one ended, so `cat a.gz b.gz` and
 * WARC.gz (a member per record) read as one stream of bytes. */
#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void note(stream *s, int truncated, const char *fmt, unsigned long long at, const char *detail)
{
    if (s->nerr == 0) {
        buf_clear(&s->err);
        s->err_at = s->off + (s->len - s->pos); /* the damage is where output stops */
    } else
        buf_append(&s->err, "; ", 2);
    buf_printf(&s->err, fmt, at, detail ? detail : "");
    s->nerr++;
    s->truncated = truncated;
}

/* Makes at least k raw bytes available at in + in_pos if the file has them. */
static size_t raw_need(stream *s, size_t k)
{
    while (s->in_len - s->in_pos < k && !s->eof) {
        if (s->in_pos) {
            memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
            s->in_base += s->in_pos;
            s->in_len -= s->in_pos;
            s->in_pos = 0;
        }
        size_t got = fread(s->in + s->in_len, 1, STREAM_CHUNK - s->in_len, s->f);
        s->in_len += got;
        if (got == 0) {
            if (ferror(s->f) && !s->ferr) {
                s->ferr = 1;
                note(s, 0, "byte %llu: read error: %s", s->in_base + s->in_len, strerror(errno));
            }
            s->eof = 1;
        }
    }
    return s->in_len - s->in_pos;
}

int stream_open(stream *s, FILE *f)
{
    memset(s, 0, sizeof *s);
    s->f = f;
    if (!(s->in = malloc(STREAM_CHUNK)))
        return HS_ENOMEM;
    raw_need(s, 2);
    s->gz = s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
    return HS_OK;
}

void stream_close(stream *s)
{
    if (s->zinit)
        inflateEnd(&s->z);
    free(s->in);
    free(s->out);
    buf_free(&s->err);
    memset(s, 0, sizeof *s);
}

uint64_t stream_raw(const stream *s)
{
    return s->in_base + s->in_pos;
}

int stream_error(stream *s)
{
    if (!s->nerr || s->off < s->err_at)
        return 0;
    s->nerr = 0;
    return 1;
}

/* Skips raw bytes up to the next gzip member header (1f 8b 08). */
static void resync(stream *s)
{
    for (;;) {
        if (raw_need(s, 3) < 3) {
            s->in_pos = s->in_len; /* nothing more to find */
            return;
        }
        const unsigned char *p = s->in + s->in_pos;
        if (p[0] == 0x1f && p[1] == 0x8b && p[2] == 0x08)
            return;
        const unsigned char *q = memchr(p + 1, 0x1f, s->in_len - s->in_pos - 1);
        s->in_pos = q ? (size_t)(q - s->in) : s->in_len - 2;
    }
}

/* Room for at least want more bytes at out + len. */
static int room(stream *s, size_t want)
{
    if (s->pos && (s->pos >= s->len || s->cap - s->len < want)) {
        memmove(s->out, s->out + s->pos, s->len - s->pos);
        s->len -= s->pos;
        s->pos = 0;
    }
    if (s->cap - s->len >= want)
        return HS_OK;
    size_t ncap = s->cap ? s->cap : STREAM_CHUNK;
    while (ncap - s->len < want)
        ncap *= 2;
    char *n = realloc(s->out, ncap);
    if (!n)
        return HS_ENOMEM;
    s->out = n;
    s->cap = ncap;
    return HS_OK;
}

/* One step of decompression (or copying); returns 0 when nothing more can come. */
static int step(stream *s)
{
    if (room(s, STREAM_CHUNK))
        return 0;
    if (!s->gz) {
        size_t have = raw_need(s, 1);
        if (!have)
            return 0;
        size_t n = have < s->cap - s->len ? have : s->cap - s->len;
        memcpy(s->out + s->len, s->in + s->in_pos, n);
        s->in_pos += n;
        s->len += n;
        return 1;
    }
    if (!s->in_member) {
        size_t have = raw_need(s, 3);
        if (!have)
            return 0;
        const unsigned char *p = s->in + s->in_pos;
        if (have < 3 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 0x08) {
            unsigned long long at = stream_raw(s);
            resync(s);
            note(s, 0, "byte %llu: data that is not gzip between members%s", at,
                 raw_need(s, 1) ? "; skipped to the next member" : "; ignored");
            return raw_need(s, 1) > 0;
        }
        int zr = s->zinit ? inflateReset(&s->z) : inflateInit2(&s->z, 15 + 16);
        if (zr != Z_OK)
            return 0;
        s->zinit = 1;
        s->in_member = 1;
        s->member = stream_raw(s);
    }
    if (s->in_pos == s->in_len && !raw_need(s, 1)) {
        note(s, 1, "byte %llu: truncated gzip data%s", stream_raw(s),
             ": the compressed stream ends early");
        s->in_member = 0;
        return 0;
    }
    s->z.next_in = s->in + s->in_pos;
    s->z.avail_in = (uInt)(s->in_len - s->in_pos);
    s->z.next_out = (unsigned char *)s->out + s->len;
    s->z.avail_out = (uInt)(s->cap - s->len > UINT32_MAX ? UINT32_MAX : s->cap - s->len);
    uInt ai = s->z.avail_in, ao = s->z.avail_out;
    int zr = inflate(&s->z, Z_NO_FLUSH);
    s->in_pos += ai - s->z.avail_in;
    s->len += ao - s->z.avail_out;
    if (zr == Z_STREAM_END) {
        s->in_member = 0;
        return 1;
    }
    if (zr == Z_OK || (zr == Z_BUF_ERROR && s->z.avail_in == 0))
        return 1;
    unsigned long long at = s->member + s->z.total_in;
    note(s, 0, "byte %llu: corrupt gzip data: %s", at, s->z.msg ? s->z.msg : "inflate failed");
    s->in_member = 0;
    /* a truncated member runs into the next one: look for that one's header
     * among the bytes zlib took, not only after them */
    size_t from = s->member >= s->in_base ? (size_t)(s->member - s->in_base) + 1 : 0;
    for (size_t i = from; i + 3 <= s->in_len; i++)
        if (s->in[i] == 0x1f && s->in[i + 1] == 0x8b && s->in[i + 2] == 0x08) {
            s->in_pos = i;
            break;
        }
    if (stream_raw(s) == s->member && s->in_pos < s->in_len)
        s->in_pos++; /* not the same header again */
    resync(s);
    if (raw_need(s, 1))
        buf_append(&s->err, "; skipped to the next member", 28);
    return raw_need(s, 1) > 0;
}

/* Bytes that may be consumed: none past a problem not yet taken, so that a
 * reader starts afresh where the damage ends (at the next member). */
static size_t avail(const stream *s)
{
    size_t a = s->len - s->pos;
    if (s->nerr && s->err_at - s->off < a)
        a = (size_t)(s->err_at - s->off);
    return a;
}

size_t stream_fill(stream *s, size_t n)
{
    while (avail(s) < n) {
        if (s->nerr && s->off + (s->len - s->pos) >= s->err_at)
            break; /* at the damage: stream_error() lets the rest through */
        if (!step(s))
            break;
    }
    return avail(s);
}

void stream_skip(stream *s, size_t n)
{
    if (n > avail(s))
        n = avail(s);
    s->pos += n;
    s->off += n;
    if (s->pos == s->len)
        s->pos = s->len = 0;
}

int stream_unread(stream *s, const char *p, size_t n)
{
    if (n <= s->pos) {
        s->pos -= n;
        memmove(s->out + s->pos, p, n);
        s->off -= n;
        return HS_OK;
    }
    size_t have = s->len - s->pos;
    if (room(s, n))
        return HS_ENOMEM;
    /* room() moved the unread bytes to the front */
    memmove(s->out + n, s->out + s->pos, have);
    memcpy(s->out, p, n);
    s->pos = 0;
    s->len = n + have;
    s->off -= n;
    return HS_OK;
}
