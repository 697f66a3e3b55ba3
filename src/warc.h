/* warc - records of a WARC file (1.0 or 1.1, plain or one gzip member per
 * record, read through stream.h) and the HTTP responses inside them: status,
 * Content-Type and charset, chunked transfer encoding, gzip or deflate
 * content encoding. A record whose length is wrong is reported and the
 * reader finds the next "WARC/" header. It does not parse HTML. */
#ifndef HS_WARC_H
#define HS_WARC_H

#include <stdint.h>

#include "buf.h"
#include "stream.h"

/* One record. Invariant after warc_next returns HS_OK: block holds the record's
 * Content-Length bytes, the header buffers their values or "". */
typedef struct warc_rec {
    buf type, uri, date, id, ctype;
    buf block;
    uint64_t length;  /* Content-Length */
    uint64_t start;   /* decompressed offset of the record's first byte */
    buf line;         /* scratch */
    buf keep;         /* a skipped block's bytes from the first record header in it */
} warc_rec;

/* Reads the next record. Returns HS_OK; HS_EEOF at the end; HS_EFORMAT
 * with err saying what is wrong (the stream is left at the next record
 * header, if any); HS_ETOOBIG when the block is over limit bytes (skipped;
 * when its length turns out wrong, the records inside what was skipped are
 * given back, at most max(limit, 1 MiB) bytes of them); HS_ENOMEM. */
int warc_next(stream *s, warc_rec *r, size_t limit, buf *err);
void warc_rec_free(warc_rec *r);

/* The HTTP response in a block: its payload decoded into body. */
typedef struct http_res {
    int status;
    buf ctype;   /* Content-Type value, "" when absent */
    buf tmp;
    buf body;
} http_res;

/* Returns HS_OK (body holds the payload), HS_EFORMAT with err saying why
 * (bad status line, bad chunk size, corrupt gzip, unknown content encoding,
 * too large), or HS_ENOMEM. */
int http_parse(http_res *h, const char *p, size_t n, size_t limit, buf *err);
void http_res_free(http_res *h);

#endif
