/* input - the reader: plain-text documents from files or stdin, gzip
 * detected by its magic bytes and inflated with zlib (several members
 * allowed). One file is one document for now; JSON Lines and WARC readers
 * will hand out many documents through the same hs_reader_next. Every
 * failure names the file and the byte offset; the reader never stops a run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "doc.h"

/* Invariant: data holds the raw bytes of the current file, text the
 * decompressed document; both keep their capacity (bounded by the engine's
 * document limit) between files. */
struct hs_reader {
    const hs_engine *eng;
    char *path;
    unsigned flags;
    int done;
    buf data, text, errmsg, warning;
};

int hs_reader_open(hs_reader **out, const hs_engine *eng, const char *path, unsigned flags)
{
    if (!out || !eng || !path)
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
    *out = r;
    return HS_OK;
}

void hs_reader_close(hs_reader *r)
{
    if (!r)
        return;
    buf_free(&r->data);
    buf_free(&r->text);
    buf_free(&r->errmsg);
    buf_free(&r->warning);
    free(r->path);
    free(r);
}

const char *hs_reader_errmsg(const hs_reader *r)
{
    return r && r->errmsg.p ? r->errmsg.p : "";
}

static int rfail(hs_reader *r, int code, const char *what, unsigned long long off, const char *detail)
{
    buf_clear(&r->errmsg);
    if (off == (unsigned long long)-1)
        buf_printf(&r->errmsg, "%s: %s%s%s", r->path, what, detail ? ": " : "", detail ? detail : "");
    else
        buf_printf(&r->errmsg, "%s: byte %llu: %s%s%s", r->path, off, what, detail ? ": " : "",
                   detail ? detail : "");
    return code;
}

/* Reads the whole stream, at most limit+1 bytes (to detect "too large"). */
static int slurp(hs_reader *r, FILE *f, size_t limit)
{
    buf_clear(&r->data);
    for (;;) {
        if (buf_reserve(&r->data, 65536))
            return rfail(r, HS_ENOMEM, "out of memory", (unsigned long long)-1, NULL);
        size_t room = r->data.cap - r->data.len - 1;
        size_t got = fread(r->data.p + r->data.len, 1, room, f);
        r->data.len += got;
        r->data.p[r->data.len] = 0;
        if (r->data.len > limit)
            return rfail(r, HS_ETOOBIG, "document larger than the limit", (unsigned long long)limit,
                         "skipped");
        if (got < room) {
            if (ferror(f))
                return rfail(r, HS_EIO, "read error", r->data.len, strerror(errno));
            return HS_OK;
        }
    }
}

/* Inflates r->data (gzip, possibly several members) into r->text. */
static int gunzip(hs_reader *r, size_t limit)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return rfail(r, HS_ENOMEM, "cannot start zlib", (unsigned long long)-1, NULL);
    buf_clear(&r->text);
    z.next_in = (unsigned char *)r->data.p;
    z.avail_in = (uInt)(r->data.len > UINT32_MAX ? UINT32_MAX : r->data.len);
    int rc = HS_OK, zr = Z_OK;
    for (;;) {
        if (buf_reserve(&r->text, 65536)) {
            rc = rfail(r, HS_ENOMEM, "out of memory", (unsigned long long)-1, NULL);
            break;
        }
        z.next_out = (unsigned char *)r->text.p + r->text.len;
        z.avail_out = (uInt)(r->text.cap - r->text.len - 1);
        size_t before = z.avail_out;
        zr = inflate(&z, Z_NO_FLUSH);
        r->text.len += before - z.avail_out;
        r->text.p[r->text.len] = 0;
        if (r->text.len > limit) {
            rc = rfail(r, HS_ETOOBIG, "decompressed document larger than the limit",
                       (unsigned long long)z.total_in, "skipped");
            break;
        }
        if (zr == Z_STREAM_END) {
            /* another gzip member may follow (cat a.gz b.gz) */
            if (z.avail_in == 0)
                break;
            if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            break; /* trailing garbage after the last member is ignored, as gzip does */
        }
        if (zr == Z_OK)
            continue;
        if (zr == Z_BUF_ERROR && z.avail_in == 0) {
            rc = rfail(r, HS_EGZIP, "truncated gzip data", (unsigned long long)(r->data.len),
                       "the compressed stream ends early");
            break;
        }
        if (zr == Z_BUF_ERROR)
            continue;
        rc = rfail(r, HS_EGZIP, "corrupt gzip data", (unsigned long long)(z.total_in),
                   z.msg ? z.msg : "inflate failed");
        break;
    }
    inflateEnd(&z);
    return rc;
}

int hs_reader_next(hs_reader *r, hs_input *doc)
{
    if (!r || !doc)
        return HS_EINVAL;
    memset(doc, 0, sizeof *doc);
    if (r->done)
        return HS_EEOF;
    r->done = 1;
    buf_clear(&r->warning);
    /* a huge earlier document does not pin its buffers for the rest of the run */
    buf_trim(&r->data, 16u << 20);
    buf_trim(&r->text, 16u << 20);
    int is_stdin = strcmp(r->path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(r->path, "rb");
    if (!f)
        return rfail(r, HS_EIO, "cannot open", (unsigned long long)-1, strerror(errno));
    size_t limit = r->eng->max_doc_bytes;
    int rc = slurp(r, f, limit);
    if (!is_stdin)
        fclose(f);
    if (rc)
        return rc;
    const buf *src = &r->data;
    if (r->data.len >= 2 && (unsigned char)r->data.p[0] == 0x1f &&
        (unsigned char)r->data.p[1] == 0x8b) {
        rc = gunzip(r, limit);
        if (rc == HS_EGZIP && (r->flags & HS_READ_LOSSY) && r->text.len) {
            buf_append(&r->warning, r->errmsg.p, r->errmsg.len);
            buf_printf(&r->warning, "; lossy: kept the %zu bytes recovered", r->text.len);
            rc = HS_OK;
        }
        if (rc)
            return rc;
        src = &r->text;
    }
    doc->id = r->path;
    doc->text = src->p ? src->p : "";
    doc->len = src->len;
    doc->warning = r->warning.len ? r->warning.p : NULL;
    return HS_OK;
}
