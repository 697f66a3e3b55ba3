/* test_warc - WARC records over the gzip-aware stream (plain and one member
 * per record, a wrong length, a bad one, one over the limit, a damaged
 * member), HTTP responses (chunked, gzip, raw deflate, unknown encodings)
 * and the reader's choice of records. Every record is built here. */
#include "testutil.h"

#include <zlib.h>

#include "stream.h"
#include "warc.h"

static void gz(buf *out, const char *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    buf_reserve(out, n + 256);
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)n;
    z.next_out = (unsigned char *)out->p + out->len;
    z.avail_out = (uInt)(out->cap - out->len - 1);
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    out->len += z.total_out;
    deflateEnd(&z);
}

static void record(buf *b, const char *type, const char *uri, const char *block, long len)
{
    buf_printf(b, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: 2026-01-02T03:04:05Z\r\n"
                  "WARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: application/http; msgtype=response\r\n"
                  "Content-Length: %ld\r\n\r\n%s\r\n\r\n",
               type, uri, uri, len < 0 ? (long)strlen(block) : len, block);
}

static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Hello</p>";

/* The records of file path: "type uri;" for each, and the errors. */
static void records(const char *path, buf *seen)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    stream s;
    warc_rec r = {0};
    buf err = {0};
    cr_assert_eq(stream_open(&s, f), 0);
    int rc;
    while ((rc = warc_next(&s, &r, 1 << 20, &err)) != HS_EEOF) {
        if (stream_error(&s))
            buf_printf(seen, "GZ;");
        if (rc == HS_OK)
            buf_printf(seen, "%s %s;", r.type.p, r.uri.p);
        else if (rc == HS_ETOOBIG)
            buf_printf(seen, "TOOBIG %s;", r.uri.p);
        else
            buf_printf(seen, "BAD(%s);", err.p);
    }
    if (stream_error(&s))
        buf_printf(seen, "GZ-END;");
    warc_rec_free(&r);
    buf_free(&err);
    stream_close(&s);
    fclose(f);
}

Test(warc, plain_and_gzip_members)
{
    buf w = {0}, z = {0}, seen = {0};
    record(&w, "warcinfo", "a", "x: y", -1);
    size_t cut = w.len;
    record(&w, "response", "b", resp, -1);
    char path[64];
    snprintf(path, sizeof path, "/tmp/hs-warc-%d", (int)getpid());
    t_write_file(path, w.p, w.len);
    records(path, &seen);
    cr_assert_str_eq(seen.p, "warcinfo a;response b;");
    gz(&z, w.p, cut);
    gz(&z, w.p + cut, w.len - cut);
    t_write_file(path, z.p, z.len);
    buf_clear(&seen);
    records(path, &seen);
    cr_assert_str_eq(seen.p, "warcinfo a;response b;");
    /* the first member cut short: the damage is reported, the second record read */
    buf d = {0};
    buf_append(&d, z.p, 20);
    buf_append(&d, z.p + (z.len - (z.len - 0)), 0);
    buf one = {0};
    gz(&one, w.p, cut);
    buf_clear(&d);
    buf_append(&d, one.p, one.len / 2);
    gz(&d, w.p + cut, w.len - cut);
    t_write_file(path, d.p, d.len);
    buf_clear(&seen);
    records(path, &seen);
    cr_assert(strstr(seen.p, "response b;"), "%s", seen.p);
    cr_assert(strstr(seen.p, "GZ"), "%s", seen.p);
    unlink(path);
    buf_free(&w), buf_free(&z), buf_free(&seen), buf_free(&d), buf_free(&one);
}

Test(warc, wrong_lengths_lose_only_their_record)
{
    buf w = {0}, seen = {0};
    record(&w, "response", "a", resp, 10000); /* far too long */
    record(&w, "response", "b", resp, -1);
    record(&w, "response", "c", resp, 5); /* too short */
    record(&w, "response", "d", resp, -1);
    char path[64];
    snprintf(path, sizeof path, "/tmp/hs-warc2-%d", (int)getpid());
    t_write_file(path, w.p, w.len);
    records(path, &seen);
    cr_assert(strstr(seen.p, "BAD(Content-Length says 10000 bytes but the next record starts"), "%s", seen.p);
    cr_assert(strstr(seen.p, ";response b;BAD(record length is wrong (Content-Length 5 is too short));response d;"),
              "%s", seen.p);
    unlink(path);
    buf_free(&w), buf_free(&seen);
}

/* A record header with Content-Length cl (a string: it may be anything). */
static void record_cl(buf *b, const char *uri, const char *block, const char *cl)
{
    buf_printf(b, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\n"
                  "Content-Type: application/http; msgtype=response\r\n"
                  "Content-Length: %s\r\n\r\n%s\r\n\r\n", uri, cl, block);
}

Test(warc, bad_content_lengths_lose_only_their_record)
{
    /* "-1" is 2^64 - 1 to strtoull; the others are not numbers of bytes */
    const char *bad[] = {"-1", "+5", "99999999999999999999999", "18446744073709551616", "12abc", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        buf w = {0}, seen = {0}, want = {0};
        record_cl(&w, "a", resp, bad[i]);
        record(&w, "response", "b", resp, -1);
        record(&w, "response", "c", resp, -1);
        char path[64];
        snprintf(path, sizeof path, "/tmp/hs-warc-cl-%d", (int)getpid());
        t_write_file(path, w.p, w.len);
        records(path, &seen);
        buf_printf(&want, "BAD(bad Content-Length \"%s\");response b;response c;", bad[i]);
        cr_assert_str_eq(seen.p, want.p);
        unlink(path);
        buf_free(&w), buf_free(&seen), buf_free(&want);
    }
}

Test(warc, a_length_over_the_limit_skips_only_its_record)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/hs-warc-big-%d", (int)getpid());
    /* a length over the limit (1 MiB here) in a small file: the records
     * inside what it claims are read */
    buf w = {0}, seen = {0};
    record_cl(&w, "a", resp, "10737418240");
    size_t first = w.len - strlen(resp) - 4;
    record(&w, "response", "b", resp, -1);
    record(&w, "response", "c", resp, -1);
    t_write_file(path, w.p, w.len);
    records(path, &seen);
    char want[256];
    snprintf(want, sizeof want,
             "BAD(Content-Length says 10737418240 bytes but the next record starts after %zu);"
             "response b;response c;", strlen(resp) + 4);
    cr_assert_str_eq(seen.p, want, "%s (record b at %zu)", seen.p, first);
    /* a block that is really over the limit, with a record header inside
     * its payload: skipped whole, the next record read */
    buf_clear(&w), buf_clear(&seen);
    buf big = {0};
    buf_printf(&big, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
    while (big.len < (3u << 19))
        buf_printf(&big, "line %zu of an archived crawl\nWARC/1.0\r\n", big.len);
    record(&w, "response", "big", big.p, -1);
    record(&w, "response", "b", resp, -1);
    t_write_file(path, w.p, w.len);
    records(path, &seen);
    cr_assert_str_eq(seen.p, "TOOBIG big;response b;");
    /* the records after a wrong length over the limit are more than can be
     * kept (1 MiB): the first of them are skipped, said so, the rest read */
    buf_clear(&w), buf_clear(&seen);
    record_cl(&w, "a", resp, "10737418240");
    char body[4096];
    memset(body, 'x', sizeof body - 1);
    body[sizeof body - 1] = 0;
    int nrec = 400;
    for (int i = 0; i < nrec; i++) {
        char uri[32];
        snprintf(uri, sizeof uri, "r%d", i);
        record(&w, "response", uri, body, -1);
    }
    t_write_file(path, w.p, w.len);
    records(path, &seen);
    cr_assert(strstr(seen.p, "BAD(Content-Length says 10737418240 bytes but the next record starts after "),
              "%s", seen.p);
    cr_assert(strstr(seen.p, "bytes of records after that are skipped (too many to keep));response r"),
              "%.300s", seen.p);
    char last[32];
    snprintf(last, sizeof last, ";response r%d;", nrec - 1);
    cr_assert(strstr(seen.p, last), "the last record is read: %.200s", seen.p + seen.len - 200);
    int n = 0;
    for (const char *q = seen.p; (q = strstr(q, ";response r")); q++)
        n++;
    cr_assert(n > 200 && n < nrec, "%d of %d records read", n, nrec);
    unlink(path);
    buf_free(&w), buf_free(&seen), buf_free(&big);
}

Test(warc, repeated_and_endless_headers)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/hs-warc-hdr-%d", (int)getpid());
    /* a header given twice is the last one, not the two run together */
    buf w = {0}, seen = {0};
    buf_printf(&w, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Type: response\r\n"
                   "WARC-Target-URI: x\r\nWARC-Target-URI: a\r\n"
                   "Content-Type: application/http; msgtype=response\r\n"
                   "Content-Length: %zu\r\n\r\n%s\r\n\r\n", strlen(resp), resp);
    record(&w, "response", "b", resp, -1);
    t_write_file(path, w.p, w.len);
    records(path, &seen);
    cr_assert_str_eq(seen.p, "response a;response b;");
    /* a header of more than 1 MiB (here the same line 60000 times, no
     * blank line) is refused; the next record is read */
    buf_clear(&w), buf_clear(&seen);
    buf_printf(&w, "WARC/1.0\r\n");
    for (int i = 0; i < 60000; i++)
        buf_printf(&w, "WARC-Target-URI: https://x.example/%d\r\n", i);
    record(&w, "response", "b", resp, -1);
    t_write_file(path, w.p, w.len);
    records(path, &seen);
    cr_assert_str_eq(seen.p, "BAD(the record header is larger than 1 MiB (no blank line after it?));response b;");
    unlink(path);
    buf_free(&w), buf_free(&seen);
}

Test(warc, http_payloads)
{
    http_res h = {0};
    buf err = {0}, m = {0};
    cr_assert_eq(http_parse(&h, resp, strlen(resp), 1 << 20, &err), 0);
    cr_assert_eq(h.status, 200);
    cr_assert_str_eq(h.ctype.p, "text/html");
    cr_assert_str_eq(h.body.p, "<p>Hello</p>");
    const char *ch = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<p>He\r\n7;ext=1\r\nllo</p>\r\n0\r\n\r\n";
    cr_assert_eq(http_parse(&h, ch, strlen(ch), 1 << 20, &err), 0, "%s", err.p);
    cr_assert_str_eq(h.body.p, "<p>Hello</p>");
    const char *badch = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc";
    cr_assert_neq(http_parse(&h, badch, strlen(badch), 1 << 20, &err), 0);
    cr_assert(strstr(err.p, "bad chunk size"), "%s", err.p);
    buf_printf(&m, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
    gz(&m, "<p>Zipped</p>", 13);
    cr_assert_eq(http_parse(&h, m.p, m.len, 1 << 20, &err), 0, "%s", err.p);
    cr_assert_str_eq(h.body.p, "<p>Zipped</p>");
    m.len -= 8; /* the gzip trailer lost */
    cr_assert_neq(http_parse(&h, m.p, m.len, 1 << 20, &err), 0);
    cr_assert(strstr(err.p, "truncated"), "%s", err.p);
    /* "deflate" as raw deflate data */
    unsigned char raw[64];
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)"<p>Raw</p>";
    z.avail_in = 10;
    z.next_out = raw;
    z.avail_out = sizeof raw;
    deflate(&z, Z_FINISH);
    buf_clear(&m);
    buf_printf(&m, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
    buf_append(&m, raw, z.total_out);
    deflateEnd(&z);
    cr_assert_eq(http_parse(&h, m.p, m.len, 1 << 20, &err), 0, "%s", err.p);
    cr_assert_str_eq(h.body.p, "<p>Raw</p>");
    const char *br = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxyz";
    cr_assert_neq(http_parse(&h, br, strlen(br), 1 << 20, &err), 0);
    cr_assert(strstr(err.p, "\"br\" is not supported"), "%s", err.p);
    cr_assert_neq(http_parse(&h, "GET / HTTP/1.1\r\n\r\n", 18, 1 << 20, &err), 0);
    http_res_free(&h);
    buf_free(&err), buf_free(&m);
}

Test(warc, reader_takes_html_responses_only)
{
    t_setup();
    buf w = {0};
    record(&w, "request", "https://x.example/a", "GET /a HTTP/1.1\r\n\r\n", -1);
    record(&w, "response", "https://x.example/a",
           "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
           "<html><body><p>Caf\xe9 owners met the mayor on Friday to ask for more time.</p></body></html>", -1);
    record(&w, "response", "https://x.example/i.png", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG", -1);
    record(&w, "response", "https://x.example/r", "HTTP/1.1 302 Found\r\nContent-Type: text/html\r\n\r\n<a>x</a>", -1);
    char path[64];
    snprintf(path, sizeof path, "/tmp/hs-warc3-%d.warc", (int)getpid());
    t_write_file(path, w.p, w.len);
    hs_reader *r;
    hs_input in;
    cr_assert_eq(hs_reader_open(&r, t_eng, path, 0), HS_OK);
    cr_assert_eq(hs_reader_next(r, &in), HS_OK, "%s", hs_reader_errmsg(r));
    cr_assert_eq(hs_reader_format(r), HS_FORMAT_WARC);
    cr_assert_eq(in.format, HS_FORMAT_HTML);
    cr_assert_str_eq(in.url, "https://x.example/a");
    cr_assert_str_eq(in.date, "2026-01-02T03:04:05Z");
    cr_assert_str_eq(in.id, "<urn:uuid:https://x.example/a>");
    cr_assert_eq(in.record, 2);
    cr_assert(strstr(in.where, ": record 2"), "%s", in.where);
    cr_assert_eq(hs_doc_analyze_input(t_doc, &in, 0), HS_OK, "%s", hs_doc_errmsg(t_doc));
    size_t n;
    const char *text = hs_doc_text(t_doc, &n);
    cr_assert(strstr(text, "Caf\xC3\xA9 owners met the mayor"), "%s", text);
    cr_assert_str_eq(hs_doc_meta(t_doc, "url"), "https://x.example/a");
    cr_assert_eq(hs_reader_next(r, &in), HS_EEOF);
    hs_reader_close(r);
    unlink(path);
    buf_free(&w);
    t_teardown();
}
