/* test_jsonl - JSON Lines records: known members, pass-through of the
 * others (renamed when hearsay writes that key itself), the reasons a line
 * is refused, and the reader over a feed with bad lines, a blank line and
 * gzip. Every feed is written here. */
#include "testutil.h"

#include <zlib.h>

#include "jsonl.h"
#include "jstr.h"
#include <jansson.h>

static jsonl_rec rec;
static buf err;

static void fini(void)
{
    jsonl_rec_free(&rec);
    buf_free(&err);
}

static int parse(const char *line)
{
    return jsonl_parse(&rec, line, strlen(line), 0, &err);
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
    cr_assert_eq(parse("   \r"), HS_EEMPTY, "a blank line is skipped");
}

Test(jsonl, refusals_say_why)
{
    cr_assert_eq(parse("{\"id\":\"a\",\"text\":\"open"), HS_EFORMAT);
    cr_assert(strstr(err.p, "not valid JSON: "), "%s", err.p);
    cr_assert_eq(parse("[1,2]"), HS_EFORMAT);
    cr_assert_str_eq(err.p, "not a JSON object");
    cr_assert_eq(parse("{\"id\":\"a\"}"), HS_EFORMAT);
    cr_assert_str_eq(err.p, "no \"text\" or \"html\" member");
    cr_assert_eq(parse("{\"id\":\"a\",\"text\":5}"), HS_EFORMAT);
    cr_assert_eq(parse("{\"id\":[1],\"text\":\"x\"}"), HS_EFORMAT);
    cr_assert_eq(parse("{\"id\":\"a\",\"text\":\"x\",\"url\":3}"), HS_EFORMAT);
    cr_assert_str_eq(err.p, "\"url\" is not a string");
    cr_assert_eq(parse("{\"text\":\"x\",\"text\":\"y\"}"), HS_EFORMAT, "duplicate keys are refused");
    cr_assert_eq(parse("{\"text\":\"caf\xe9\"}"), HS_EFORMAT, "invalid UTF-8 is refused");
}

/* jansson's memory for a line, counted by an allocator of this test (as
 * glibc's malloc rounds): its peak must stay under jstr_cost. */
static size_t live, peak;

static size_t chunk(size_t n)
{
    size_t c = (n + 8 + 15) & ~(size_t)15;
    return c < 32 ? 32 : c;
}

static void *counting_malloc(size_t n)
{
    size_t *p = malloc(n + 16);
    if (!p)
        return NULL;
    p[0] = n;
    live += chunk(n);
    if (live > peak)
        peak = live;
    return p + 2;
}

static void counting_free(void *q)
{
    if (!q)
        return;
    size_t *p = (size_t *)q - 2;
    live -= chunk(p[0]);
    free(p);
}

Test(jsonl, cost_bounds_what_jansson_takes)
{
    json_set_alloc_funcs(counting_malloc, counting_free); /* this test's process only */
    const char *items[] = {"0", "1.5e3", "\"a\"", "\"\\\"q\\\\\"", "[1,2]", "[]", "{}",
                           "{\"k\":1}", "true", "null", "{\"k\":\"v\",\"l\":[1,{}]}"};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        buf line = {0};
        buf_printf(&line, "{\"text\":\"x\",\"x\":[");
        for (int k = 0; k < 20000; k++)
            buf_printf(&line, "%s%s", k ? "," : "", items[i]);
        buf_printf(&line, "],\"m\":{");
        for (int k = 0; k < 2000; k++)
            buf_printf(&line, "%s\"k%d\":%s", k ? "," : "", k, items[i]);
        buf_printf(&line, "}}");
        live = peak = 0;
        cr_assert_eq(jsonl_parse(&rec, line.p, line.len, 0, &err), 0, "%s: %s", items[i], err.p);
        size_t cost = jstr_cost(line.p, line.len);
        cr_assert_geq(cost, peak, "%s: cost %zu < jansson's %zu", items[i], cost, peak);
        buf_free(&line);
    }
    /* long strings: the lexer's buffer doubles */
    size_t lens[] = {1000, 65536, 1u << 20, (1u << 20) + 1, 3000000};
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
        buf line = {0};
        buf_printf(&line, "{\"id\":\"s\",\"text\":\"");
        for (size_t k = 0; k < lens[i]; k++)
            buf_putc(&line, k % 100 ? 'a' : ' ');
        buf_printf(&line, "\",\"t\":\"");
        for (size_t k = 0; k < lens[i]; k++)
            buf_putc(&line, 'b');
        buf_printf(&line, "\"}");
        live = peak = 0;
        cr_assert_eq(jsonl_parse(&rec, line.p, line.len, 0, &err), 0, "%s", err.p);
        size_t cost = jstr_cost(line.p, line.len);
        cr_assert_geq(cost, peak, "strings of %zu: cost %zu < jansson's %zu", lens[i], cost, peak);
        buf_free(&line);
    }
    jsonl_rec_free(&rec);
    memset(&rec, 0, sizeof rec);
    buf_free(&err);
}

/* A line of small values would take jansson many times its size (60 MB of
 * "[0,0,...]" took 1.4 GB): over the budget it is refused unparsed; a long
 * text within the budget is read. */
Test(jsonl, budget_refuses_amplifying_lines)
{
    buf line = {0};
    buf_printf(&line, "{\"text\":\"Hello there, said Bob.\",\"x\":[0");
    for (int k = 0; k < 300000; k++)
        buf_printf(&line, ",0");
    buf_printf(&line, "]}");
    cr_assert_eq(jsonl_parse(&rec, line.p, line.len, 4u << 20, &err), HS_ETOOBIG);
    cr_assert(strstr(err.p, "its JSON would take more than 4 MiB of memory to read (about "), "%s", err.p);
    cr_assert_eq(jsonl_parse(&rec, line.p, line.len, 0, &err), 0, "no budget, no limit");
    buf_clear(&line);
    buf_printf(&line, "{\"text\":\"");
    while (line.len < (1u << 20))
        buf_printf(&line, "The council met again. ");
    buf_printf(&line, "\",\"tags\":[\"a\",\"b\"]}");
    cr_assert_eq(jsonl_parse(&rec, line.p, line.len, 4 * line.len, &err), 0, "%s", err.p);
    buf_free(&line);
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
