/* stream - bytes of a file or stdin with gzip undone on the fly (any number
 * of members, as WARC.gz has one per record), read in bounded chunks so that
 * memory stays constant over any length. A corrupt member is reported and
 * skipped up to the next member header; a truncated one is reported at the
 * end. It does not know about lines, records or documents. */
#ifndef HS_STREAM_H
#define HS_STREAM_H

#include <stdint.h>
#include <stdio.h>
#include <zlib.h>

#include "buf.h"

#define STREAM_CHUNK 65536

/* Invariant: out[pos..len) are decompressed bytes not yet consumed; in holds
 * raw bytes [in_pos, in_len) not yet given to zlib. raw is the count of raw
 * bytes consumed from the file so far (for progress and error offsets). */
typedef struct stream {
    FILE *f;
    int gz;          /* the input is gzip */
    int zinit;       /* z is initialised */
    int in_member;   /* inside a gzip member */
    int eof;         /* the file is exhausted */
    int ferr;        /* a read error happened */
    z_stream z;
    unsigned char *in;
    size_t in_pos, in_len;
    uint64_t in_base;   /* raw offset of in[0] */
    uint64_t member;    /* raw offset where the current member started */
    char *out;
    size_t pos, len, cap;
    uint64_t off;       /* decompressed offset of out[pos] */
    int nerr;           /* problems found and not yet taken (see stream_error) */
    uint64_t err_at;    /* decompressed offset of the first of them */
    buf err;            /* their description: "byte N: truncated gzip data ..." */
    int truncated;      /* the last problem was a truncated member */
} stream;

/* Starts reading f (which stays the caller's); gzip is recognised by its
 * magic bytes. Returns HS_OK or HS_ENOMEM. */
int stream_open(stream *s, FILE *f);
void stream_close(stream *s);

/* Makes at least n bytes available at s->out + s->pos if the input has them;
 * returns how many are available (less at the end, and at damaged data
 * until stream_error has been called). */
size_t stream_fill(stream *s, size_t n);
/* Consumes n available bytes. */
void stream_skip(stream *s, size_t n);
/* Puts n bytes back in front of what is unread (they were read just before;
 * p must not point into the stream's own buffer). HS_OK or HS_ENOMEM. */
int stream_unread(stream *s, const char *p, size_t n);
/* Raw bytes consumed from the file so far. */
uint64_t stream_raw(const stream *s);
/* 1 when a problem was found and the bytes before it have all been
 * consumed (so the problem belongs to what was read last): its text is in
 * s->err. */
int stream_error(stream *s);

#endif
