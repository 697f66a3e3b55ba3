/* test_jsonl - JSON Lines records: known members, pass-through of the
 * others (renamed when hearsay writes that key itself), the reasons a line
 * is refused, and the reader over a feed with bad lines, a blank line and
 * gzip. Every feed is written here. */
#include "testutil.h"

#include <zlib.h>

#include "jsonl.h"

static jsonl_rec rec;
static buf err;

static void fini(void)
{
    jsonl_rec_free(&rec);
    buf_free(&err);
}

static int parse(const char *line)
{
    return jsonl_parse(&rec, line, strlen(line), &err);
}

TestSuite(jsonl, .fini = fini);

Test(jsonl, members_and_pass_through)
{
    cr_assert_eq(parse("{\"id\":\"n1\",\"text\":\"Body.\",\"url\":\"https://a.example/1\",\"title\":\"T\","
                       "\"date\":\"2026-01-01\",\"outlet\":\"The Post\",\"section\":\"local\","
                       "\"score\":[1,2.5,null],\"blocks\":7}"), 0, "%s", err.p);
    cr_assert_str_eq(rec.id.p, "n1");
    cr_assert_str_eq(rec.text.p, "Body.");
    cr_assert_eq(rec.html, 0);
    cr_assert_str_eq(rec.url.p, "https://a.example/1");
    cr_assert_str_eq(rec.title.p, "T");
    cr_assert_str_eq(rec.date.p, "2026-01-01");
    cr_assert_str_eq(rec.outlet.p, "The Post");
    cr_assert_str_eq(rec.fields.p, "\"section\":\"local\",\"score\":[1,2.5,null],\"input_blocks\":7");
    cr_assert_eq(parse("{\"id\":42,\"html\":\"<p>x</p>\"}"), 0);
    cr_assert_str_eq(rec.id.p, "42");
    cr_assert_eq(rec.html, 1);
    cr_assert_eq(rec.has_url, 0);
    cr_assert_eq(parse("   \r"), 1, "a blank line is skipped");
}

Test(jsonl, refusals_say_why)
{
    cr_assert_eq(parse("{\"id\":\"a\",\"text\":\"open"), 2);
    cr_assert(strstr(err.p, "not valid JSON: "), "%s", err.p);
    cr_assert_eq(parse("[1,2]"), 2);
    cr_assert_str_eq(err.p, "not a JSON object");
    cr_assert_eq(parse("{\"id\":\"a\"}"), 2);
    cr_assert_str_eq(err.p, "no \"text\" or \"html\" member");
    cr_assert_eq(parse("{\"id\":\"a\",\"text\":5}"), 2);
    cr_assert_eq(parse("{\"id\":[1],\"text\":\"x\"}"), 2);
    cr_assert_eq(parse("{\"id\":\"a\",\"text\":\"x\",\"url\":3}"), 2);
    cr_assert_str_eq(err.p, "\"url\" is not a string");
    cr_assert_eq(parse("{\"text\":\"x\",\"text\":\"y\"}"), 2, "duplicate keys are refused");
    cr_assert_eq(parse("{\"text\":\"caf\xe9\"}"), 2, "invalid UTF-8 is refused");
}

Test(jsonl, reader_over_a_feed)
{
    t_setup();
    const char *feed = "{\"id\":\"a\",\"text\":\"The mayor said the plan was ready for a vote.\"}\n"
                       "\n"
                       "{\"id\":\"b\",\"text\":\n"
                       "{\"text\":\"No id here, but a good line about the council's vote.\",\"k\":true}\n"
                       "{\"id\":\"c\",\"html\":\"<html><body><p>The harbor reopened on Monday after the storm, officials said.</p></body></html>\",\"title\":\"Harbor Reopens\"}";
    char path[64];
    snprintf(path, sizeof path, "/tmp/hs-feed-%d.jsonl", (int)getpid());
    for (int zip = 0; zip < 2; zip++) {
        if (zip) {
            gzFile g = gzopen(path, "wb");
            gzwrite(g, feed, (unsigned)strlen(feed));
            gzclose(g);
        } else {
            t_write_file(path, feed, strlen(feed));
        }
        hs_reader *r;
        hs_input in;
        cr_assert_eq(hs_reader_open(&r, t_eng, path, 0), HS_OK);
        buf seen = {0};
        int rc;
        while ((rc = hs_reader_next(r, &in)) != HS_EEOF) {
            if (rc) {
                const char *m = strstr(hs_reader_errmsg(r), ": line ");
                buf_printf(&seen, "E%s;", m ? m + 2 : hs_reader_errmsg(r));
                continue;
            }
            cr_assert_eq(hs_doc_analyze_input(t_doc, &in, 0), HS_OK, "%s", hs_doc_errmsg(t_doc));
            buf_printf(&seen, "%s@%llu;", in.id, in.record);
        }
        hs_reader_close(r);
        char want[512];
        snprintf(want, sizeof want,
                 "a@1;Eline 3: not valid JSON: unexpected token near end of file (column 17);%s:4@4;c@5;",
                 path);
        cr_assert_str_eq(seen.p, want);
        /* the last document: the page's title heads the text, the JSON carries it */
        size_t n;
        const char *text = hs_doc_text(t_doc, &n);
        cr_assert(!strncmp(text, "Harbor Reopens\n\nThe harbor reopened", 35), "%s", text);
        const char *js;
        cr_assert_eq(hs_doc_json(t_doc, 0, &js, NULL), HS_OK);
        cr_assert(strstr(js, "\"title\":{\"spans\":[[0,14]],\"text\":\"Harbor Reopens\"}"), "%s", js);
        cr_assert(strstr(js, ",\"text\":\"Harbor Reopens\\n\\nThe harbor"), "%s", js);
        buf_free(&seen);
    }
    unlink(path);
    t_teardown();
}
