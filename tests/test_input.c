/* Unit tests: the reader (files, gzip, limits) and document-level input
 * checks (UTF-8, binary, empty, lossy) - one test per bad-input case. */
#include <unistd.h>
#include <zlib.h>

#include "testutil.h"

TestSuite(input, .init = t_setup, .fini = t_teardown);

static char tmpl[64];

static const char *write_tmp(const void *data, size_t n)
{
    strcpy(tmpl, "/tmp/hs-test-XXXXXX");
    int fd = mkstemp(tmpl);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, data, n), (ssize_t)n);
    close(fd);
    return tmpl;
}

/* gzip of s into out (one member); returns the compressed size. */
static size_t gz(const char *s, unsigned char *out, size_t cap)
{
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)s;
    z.avail_in = (uInt)strlen(s);
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = z.total_out;
    deflateEnd(&z);
    return n;
}

static int read_one(const char *path, unsigned flags, hs_input *in, hs_reader **r)
{
    cr_assert_eq(hs_reader_open(r, t_eng, path, flags), HS_OK);
    return hs_reader_next(*r, in);
}

Test(input, plain_file_is_one_document)
{
    const char *p = write_tmp("Hello world.\n", 13);
    hs_reader *r;
    hs_input in;
    cr_assert_eq(read_one(p, 0, &in, &r), HS_OK);
    cr_assert_eq(in.len, 13);
    cr_assert_str_eq(in.id, p);
    cr_assert_eq(hs_reader_next(r, &in), HS_EEOF);
    cr_assert_eq(hs_reader_next(r, &in), HS_EEOF, "EOF is sticky");
    hs_reader_close(r);
    unlink(p);
}

Test(input, gzip_is_detected_and_members_concatenate)
{
    unsigned char buf[512];
    size_t n1 = gz("First part. ", buf, sizeof buf);
    size_t n2 = gz("Second part.", buf + n1, sizeof buf - n1);
    const char *p = write_tmp(buf, n1 + n2);
    hs_reader *r;
    hs_input in;
    cr_assert_eq(read_one(p, 0, &in, &r), HS_OK);
    cr_assert_str_eq(in.text, "First part. Second part.");
    hs_reader_close(r);
    unlink(p);
}

Test(input, truncated_gzip_names_file_and_offset)
{
    unsigned char buf[512];
    const char *text = "A sentence long enough to make the compressed stream worth cutting short.";
    size_t n = gz(text, buf, sizeof buf);
    const char *p = write_tmp(buf, n - 12);
    hs_reader *r;
    hs_input in;
    cr_assert_eq(read_one(p, 0, &in, &r), HS_EGZIP);
    cr_assert(strstr(hs_reader_errmsg(r), p), "message names the file: %s", hs_reader_errmsg(r));
    cr_assert(strstr(hs_reader_errmsg(r), "byte "), "%s", hs_reader_errmsg(r));
    cr_assert(strstr(hs_reader_errmsg(r), "truncated"), "%s", hs_reader_errmsg(r));
    cr_assert_eq(hs_reader_next(r, &in), HS_EEOF, "the reader moves on");
    hs_reader_close(r);
    /* --lossy keeps what could be recovered and says so */
    cr_assert_eq(read_one(p, HS_READ_LOSSY, &in, &r), HS_OK);
    cr_assert_not_null(in.warning);
    cr_assert(strstr(in.warning, "truncated"));
    cr_assert(in.len > 0 && in.len < strlen(text));
    hs_reader_close(r);
    unlink(p);
}

Test(input, corrupt_gzip_is_an_error)
{
    unsigned char buf[512];
    size_t n = gz("Some text that will be damaged in the middle of its stream.", buf, sizeof buf);
    for (size_t i = 12; i < n - 8; i++)
        buf[i] ^= 0x5a;
    const char *p = write_tmp(buf, n);
    hs_reader *r;
    hs_input in;
    cr_assert_eq(read_one(p, 0, &in, &r), HS_EGZIP);
    hs_reader_close(r);
    unlink(p);
}

/* Every document of path read as format: "id;" each, "E<message after the
 * path>;" for each failure. */
static void read_all(const char *path, int format, char *out, size_t cap)
{
    hs_reader *r;
    hs_input in;
    cr_assert_eq(hs_reader_open_format(&r, t_eng, path, format, 0), HS_OK);
    size_t at = 0;
    out[0] = 0;
    int rc;
    while ((rc = hs_reader_next(r, &in)) != HS_EEOF) {
        const char *m = hs_reader_errmsg(r) + strlen(path) + 2;
        at += (size_t)snprintf(out + at, cap - at, rc ? "E%s;" : "%s;", rc ? m : in.id);
        cr_assert(at < cap);
    }
    hs_reader_close(r);
}

/* Damaged gzip data between two members (here bytes that are not gzip):
 * the line or record that ends at the member's end is whole and read, the
 * damage is "after" it, with or without the format named (detection reads
 * 4 KiB ahead, into the damage). */
Test(input, damage_between_members_costs_no_item)
{
    static unsigned char buf[8192];
    size_t n = gz("{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"b\",\"text\":\"Two.\"}\n", buf, sizeof buf);
    size_t garbage = n;
    memcpy(buf + n, "GARBAGE!", 8);
    n += 8;
    n += gz("{\"id\":\"c\",\"text\":\"Three.\"}\n", buf + n, sizeof buf - n);
    const char *p = write_tmp(buf, n);
    char seen[1024], want[512];
    snprintf(want, sizeof want, "a;b;Eafter line 2: byte %zu: data that is not gzip between members; "
             "skipped to the next member;c;", garbage);
    read_all(p, HS_FORMAT_AUTO, seen, sizeof seen);
    cr_assert_str_eq(seen, want);
    read_all(p, HS_FORMAT_JSONL, seen, sizeof seen);
    cr_assert_str_eq(seen, want);
    unlink(p);
    /* a line cut short by the damage is the one named */
    n = gz("{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"b\",\"te", buf, sizeof buf);
    memcpy(buf + n, "GARBAGE!", 8);
    n += 8;
    n += gz("{\"id\":\"c\",\"text\":\"Three.\"}\n", buf + n, sizeof buf - n);
    p = write_tmp(buf, n);
    read_all(p, HS_FORMAT_AUTO, seen, sizeof seen);
    cr_assert(!strncmp(seen, "a;Eline 2: byte ", 16) && strstr(seen, "member;c;"), "%s", seen);
    unlink(p);
    /* a WARC.gz, a member per record, with damage after the first */
    const char *page = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
                       "<html><body><p>The harbor council met on Tuesday, officials said.</p></body></html>";
    n = 0;
    for (int i = 0; i < 3; i++) {
        char rec[1024];
        snprintf(rec, sizeof rec, "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:r%d>\r\n"
                 "Content-Type: application/http; msgtype=response\r\nContent-Length: %zu\r\n\r\n%s\r\n\r\n",
                 i + 1, strlen(page), page);
        n += gz(rec, buf + n, sizeof buf - n);
        if (i == 0) {
            memcpy(buf + n, "XXXX", 4);
            n += 4;
        }
    }
    p = write_tmp(buf, n);
    read_all(p, HS_FORMAT_AUTO, seen, sizeof seen);
    cr_assert(!strncmp(seen, "<urn:r1>;Eafter record 1: byte ", 31) &&
              strstr(seen, "data that is not gzip between members; skipped to the next member;<urn:r2>;<urn:r3>;"),
              "%s", seen);
    char explicit_[1024];
    read_all(p, HS_FORMAT_WARC, explicit_, sizeof explicit_);
    cr_assert_str_eq(seen, explicit_);
    unlink(p);
}

/* A feed or crawl with nothing in it is an error, as an empty text is. */
Test(input, empty_feeds_and_crawls_are_errors)
{
    static unsigned char z[64];
    size_t zn = gz("", z, sizeof z);
    struct {
        const void *data;
        size_t n;
        int format;
        const char *want;
    } cases[] = {
        {"", 0, HS_FORMAT_JSONL, "EEMPTY: empty file: no JSON line in it;"},
        {"\n \n\t\r\n", 6, HS_FORMAT_JSONL, "EEMPTY: empty file: no JSON line in it;"},
        {z, zn, HS_FORMAT_JSONL, "EEMPTY: empty file: no JSON line in it;"},
        {"", 0, HS_FORMAT_WARC, "EEMPTY: empty file: no WARC record in it;"},
        {"\r\n\r\n", 4, HS_FORMAT_WARC, "EEMPTY: empty file: no WARC record in it;"},
        {z, zn, HS_FORMAT_WARC, "EEMPTY: empty file: no WARC record in it;"},
        /* something was there: not empty */
        {"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n", 56,
         HS_FORMAT_WARC, ""},
        {"[1]\n", 4, HS_FORMAT_JSONL, "E11: line 1: not a JSON object;"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *p = write_tmp(cases[i].data, cases[i].n);
        hs_reader *r;
        hs_input in;
        cr_assert_eq(hs_reader_open_format(&r, t_eng, p, cases[i].format, 0), HS_OK);
        char seen[256] = "";
        int rc;
        while ((rc = hs_reader_next(r, &in)) != HS_EEOF) {
            cr_assert_neq(rc, HS_OK, "case %zu: a document", i);
            const char *m = hs_reader_errmsg(r);
            cr_assert(!strncmp(m, p, strlen(p)), "case %zu: %s does not name the file", i, m);
            snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "E%s%s;",
                     rc == HS_EEMPTY ? "EMPTY" : rc == HS_EFORMAT ? "11" : "?", m + strlen(p));
        }
        cr_assert_str_eq(seen, cases[i].want, "case %zu: %s", i, seen);
        hs_reader_close(r);
        unlink(p);
    }
}

Test(input, missing_file_is_an_io_error)
{
    hs_reader *r;
    hs_input in;
    cr_assert_eq(read_one("/nonexistent/hearsay/file.txt", 0, &in, &r), HS_EIO);
    cr_assert(strstr(hs_reader_errmsg(r), "/nonexistent/hearsay/file.txt"));
    hs_reader_close(r);
}

Test(input, document_over_the_limit_is_refused)
{
    hs_engine *small;
    hs_engine_options o = {.max_doc_bytes = 1000};
    cr_assert_eq(hs_engine_open(&small, &o), HS_OK);
    char big[3000];
    memset(big, 'a', sizeof big);
    const char *p = write_tmp(big, sizeof big);
    hs_reader *r;
    hs_input in;
    cr_assert_eq(hs_reader_open(&r, small, p, 0), HS_OK);
    cr_assert_eq(hs_reader_next(r, &in), HS_ETOOBIG);
    cr_assert(strstr(hs_reader_errmsg(r), p));
    hs_reader_close(r);
    /* a gzip bomb is stopped by the same limit */
    static char text[5000];
    memset(text, 'b', sizeof text - 1);
    unsigned char buf[512];
    size_t n = gz(text, buf, sizeof buf);
    p = write_tmp(buf, n);
    cr_assert_eq(hs_reader_open(&r, small, p, 0), HS_OK);
    cr_assert_eq(hs_reader_next(r, &in), HS_ETOOBIG);
    hs_reader_close(r);
    hs_doc *d;
    cr_assert_eq(hs_doc_new(&d, small), HS_OK);
    cr_assert_eq(hs_doc_analyze(d, "x", big, sizeof big, 0), HS_ETOOBIG);
    hs_doc_free(d);
    hs_engine_close(small);
    unlink(p);
}

Test(input, invalid_utf8_gives_byte_offset)
{
    const char s[] = "Fine text, then a bad byte: \xFF here.";
    cr_assert_eq(hs_doc_analyze(t_doc, "bad.txt", s, sizeof s - 1, 0), HS_EUTF8);
    cr_assert(strstr(hs_doc_errmsg(t_doc), "byte 28"), "%s", hs_doc_errmsg(t_doc));
}

Test(input, lossy_repairs_and_records_it)
{
    const char s[] = "Bad \xFF\xFE bytes.";
    cr_assert_eq(hs_doc_analyze(t_doc, "bad.txt", s, sizeof s - 1, HS_ANALYZE_LOSSY), HS_OK);
    size_t len, ne;
    const char *text = hs_doc_text(t_doc, &len);
    cr_assert_str_eq(text, "Bad \xEF\xBF\xBD\xEF\xBF\xBD bytes.");
    const char *const *e = hs_doc_errors(t_doc, &ne);
    cr_assert_eq(ne, 1);
    cr_assert(strstr(e[0], "2 invalid bytes"), "%s", e[0]);
    cr_assert(strstr(e[0], "byte 4"), "%s", e[0]);
}

Test(input, binary_data_is_refused)
{
    const char s[] = "PK\x03\x04\x00\x00" "binary";
    cr_assert_eq(hs_doc_analyze(t_doc, "x.zip", s, sizeof s - 1, 0), HS_EBINARY);
    cr_assert(strstr(hs_doc_errmsg(t_doc), "byte 4"), "%s", hs_doc_errmsg(t_doc));
    char ctl[64];
    memset(ctl, 1, sizeof ctl);
    cr_assert_eq(hs_doc_analyze(t_doc, "x.bin", ctl, sizeof ctl, 0), HS_EBINARY);
}

/* Extracting text (not a page) makes the checks analyzing makes. */
Test(input, extracted_text_is_checked_as_analyzed_text)
{
    const char bad[] = "Fine text, then a bad byte: \xFF here.";
    hs_input in = {.id = "bad.txt", .text = bad, .len = sizeof bad - 1, .format = HS_FORMAT_TEXT};
    cr_assert_eq(hs_doc_analyze_input(t_doc, &in, HS_ANALYZE_EXTRACT), HS_EUTF8);
    cr_assert(strstr(hs_doc_errmsg(t_doc), "byte 28: invalid UTF-8"), "%s", hs_doc_errmsg(t_doc));
    cr_assert_eq(hs_doc_analyze_input(t_doc, &in, HS_ANALYZE_EXTRACT | HS_ANALYZE_LOSSY), HS_OK);
    size_t n, ne;
    cr_assert_str_eq(hs_doc_body(t_doc, &n), "Fine text, then a bad byte: \xEF\xBF\xBD here.");
    const char *const *e = hs_doc_errors(t_doc, &ne);
    cr_assert_eq(ne, 1);
    cr_assert(strstr(e[0], "lossy: 1 invalid byte"), "%s", e[0]);
    const char *js;
    cr_assert_eq(hs_doc_json(t_doc, HS_JSON_EXTRACT, &js, NULL), HS_OK);
    cr_assert(strstr(js, ",\"errors\":[\"lossy: 1 invalid byte replaced"), "%s", js);
    const char bin[] = "PK\x03\x04\x00\x00" "binary";
    in.text = bin, in.len = sizeof bin - 1;
    cr_assert_eq(hs_doc_analyze_input(t_doc, &in, HS_ANALYZE_EXTRACT), HS_EBINARY);
    cr_assert(strstr(hs_doc_errmsg(t_doc), "byte 4: binary data"), "%s", hs_doc_errmsg(t_doc));
    in.text = " \n\t ", in.len = 4;
    cr_assert_eq(hs_doc_analyze_input(t_doc, &in, HS_ANALYZE_EXTRACT), HS_EEMPTY);
    in.text = "Good text.", in.len = 10;
    cr_assert_eq(hs_doc_analyze_input(t_doc, &in, HS_ANALYZE_EXTRACT), HS_OK);
    cr_assert_eq(hs_doc_json(t_doc, HS_JSON_EXTRACT, &js, NULL), HS_OK);
    cr_assert_str_eq(js, "{\"id\":\"bad.txt\",\"text\":\"Good text.\"}");
}

Test(input, empty_and_blank_documents_are_errors)
{
    cr_assert_eq(hs_doc_analyze(t_doc, "empty.txt", "", 0, 0), HS_EEMPTY);
    cr_assert_eq(hs_doc_analyze(t_doc, "blank.txt", " \n\r\n\t ", 6, 0), HS_EEMPTY);
    cr_assert(strstr(hs_doc_errmsg(t_doc), "no text"));
}

Test(input, huge_line_is_fine_within_the_limit)
{
    size_t n = 8u << 20;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (i % 7 == 6) ? ' ' : 'a' + (char)(i % 5);
    s[n] = 0;
    cr_assert_eq(hs_doc_analyze(t_doc, "huge", s, n, 0), HS_OK);
    size_t np;
    hs_doc_paragraphs(t_doc, &np);
    cr_assert_eq(np, 1);
    free(s);
}

Test(input, reanalysis_reuses_the_document)
{
    for (int i = 0; i < 50; i++) {
        t_analyze(i % 2 ? "Short one." : "A longer document.\n\nWith two paragraphs, \xE2\x80\x9C" "and a quote.\xE2\x80\x9D");
        size_t n;
        hs_doc_paragraphs(t_doc, &n);
        cr_assert_eq(n, i % 2 ? 1u : 2u);
    }
}

Test(input, errstr_covers_every_code)
{
    for (int c = HS_OK; c <= HS_EEOF; c++)
        cr_assert(strcmp(hs_errstr(c), "unknown error") != 0);
    cr_assert_str_eq(hs_errstr(999), "unknown error");
    cr_assert_str_eq(hs_block_kind_name(HS_BLOCK_MISSING_EMBED), "missing-embed");
    cr_assert_str_eq(hs_block_kind_name(-1), "unknown");
}

Test(input, reanalysing_the_documents_own_text_and_id)
{
    const char s[] = "Caf\xE9 society meets again.";
    cr_assert_eq(hs_doc_analyze(t_doc, "a.txt", s, sizeof s - 1, HS_ANALYZE_LOSSY), HS_OK);
    size_t n;
    const char *text = hs_doc_text(t_doc, &n);
    cr_assert_eq(hs_doc_analyze(t_doc, hs_doc_id(t_doc), text, n, 0), HS_OK, "%s",
                 hs_doc_errmsg(t_doc));
    cr_assert_str_eq(hs_doc_id(t_doc), "a.txt");
    cr_assert_str_eq(hs_doc_text(t_doc, &n), "Caf\xEF\xBF\xBD society meets again.");
}

Test(input, null_text_and_null_document)
{
    cr_assert_eq(hs_doc_analyze(t_doc, "z", NULL, 0, 0), HS_EEMPTY);
    size_t n = 99;
    cr_assert_null(hs_doc_tokens(NULL, &n));
    cr_assert_eq(n, 0);
    cr_assert_str_eq(hs_doc_text(NULL, NULL), "");
    cr_assert_eq(hs_doc_analyze(NULL, "z", "x", 1, 0), HS_EINVAL);
}

Test(json_id, invalid_utf8_in_the_id_is_repaired)
{
    t_setup();
    const char *s = "Head Line Here\n\nBody text. More.\n";
    cr_assert_eq(hs_doc_analyze(t_doc, "bad\xFF.txt", s, strlen(s), 0), HS_OK);
    const char *js;
    size_t n;
    cr_assert_eq(hs_doc_json(t_doc, 0, &js, &n), HS_OK);
    cr_assert(strstr(js, "\"id\":\"bad\xEF\xBF\xBD.txt\""), "%s", js);
    t_teardown();
}

Test(input, record_numbers_name_lines_and_errors)
{
    const char *feed = "{\"id\":\"a\",\"text\":\"One.\"}\n\nnot json\n{\"id\":\"b\",\"text\":\"Two.\"}\n";
    const char *p = write_tmp(feed, strlen(feed));
    hs_reader *r;
    hs_input in;
    cr_assert_eq(hs_reader_open_format(&r, t_eng, p, HS_FORMAT_JSONL, 0), HS_OK);
    cr_assert_eq(hs_reader_record(r), 0);
    cr_assert_eq(hs_reader_next(r, &in), HS_OK);
    cr_assert_eq(hs_reader_record(r), 1);
    cr_assert_eq(in.record, 1);
    cr_assert_eq(hs_reader_next(r, &in), HS_EFORMAT); /* the blank line is counted, not handed out */
    cr_assert_eq(hs_reader_record(r), 3, "the bad line's number: %llu", hs_reader_record(r));
    cr_assert(strstr(hs_reader_errmsg(r), "line 3"));
    cr_assert_eq(hs_reader_next(r, &in), HS_OK);
    cr_assert_eq(hs_reader_record(r), 4);
    hs_reader_close(r);
    unlink(p);
    p = write_tmp("Just text.\n", 11);
    cr_assert_eq(read_one(p, 0, &in, &r), HS_OK);
    cr_assert_eq(hs_reader_record(r), 0, "a whole file has no record number");
    hs_reader_close(r);
    unlink(p);
}
