/* Unit tests: brat standoff attribution files and split listing (train/brat).
 * The texts and annotations here are our own. */
#include "testutil.h"

#include "brat.h"

static char dir[256];

static void mkdirs(void) { t_split_dir(dir, sizeof dir, "brat"); }

static void put(const char *rel, const char *s) { t_put(dir, rel, s); }

static hs_span span_of(const brat_doc *d, size_t a, int role, uint32_t k)
{
    cr_assert_lt(k, d->att[a].n[role]);
    return d->spans[d->att[a].first[role] + k];
}

/* "“Rates — will rise,” Lea said." : the quote marks and the dash take 3
 * bytes each, so code point offsets and byte offsets differ. */
static const char *text = "\xE2\x80\x9CRates \xE2\x80\x94 will rise,\xE2\x80\x9D Lea said. "
                          "Officials agreed.\n";

Test(brat, code_points_become_bytes_and_events_may_come_first)
{
    mkdirs();
    /* E1 names T4 before it is defined; the content is discontinuous; the
     * Source T3 is shared by two events; E3 has no content and is dropped */
    put("a.ann", "E1\tAttribution:T4 Content:T1 Cue:T2 Source:T3\n"
                 "T1\tContent 0 6;9 19\t\xE2\x80\x9CRates will rise,\n"
                 "T2\tCue 25 29\tsaid\n"
                 "T3\tSource 21 24\tLea\n"
                 "T4\tAttribution 25 29\tsaid\n"
                 "T5\tContent 31 40\tOfficials\n"
                 "E2\tAttribution:T4 Content:T5 Source:T3\n"
                 "E3\tAttribution:T4 Cue:T2\n"
                 "#1\tAnnotatorNotes T1\ta note\n");
    char p[512];
    snprintf(p, sizeof p, "%s/a.ann", dir);
    brat_doc d = {0};
    buf err = {0};
    cr_assert_eq(brat_read(&d, p, text, strlen(text), &err), HS_OK);
    cr_assert_eq(d.natt, 2);
    cr_assert_eq(d.att[0].n[BRAT_CONTENT], 2);
    hs_span c0 = span_of(&d, 0, BRAT_CONTENT, 0), c1 = span_of(&d, 0, BRAT_CONTENT, 1);
    cr_assert_eq(c0.start, 0);
    cr_assert_eq(c0.end, 8); /* “Rates : 3 + 5 bytes */
    cr_assert_eq(c1.start, 13);
    cr_assert_eq(c1.end, 23); /* "will rise," */
    hs_span cue = span_of(&d, 0, BRAT_CUE, 0), src = span_of(&d, 0, BRAT_SOURCE, 0);
    cr_assert(!strncmp(text + cue.start, "said", 4));
    cr_assert(!strncmp(text + src.start, "Lea", 3));
    cr_assert_eq(d.att[1].n[BRAT_CUE], 0);
    cr_assert_eq(span_of(&d, 1, BRAT_SOURCE, 0).start, src.start);
    cr_assert_null(err.p, "unexpected notes: %s", err.p ? err.p : "");
    brat_free(&d);
    buf_free(&err);
}

Test(brat, bad_lines_are_named_and_skipped)
{
    mkdirs();
    put("b.ann", "T1\tContent 0 999\ttoo far\n"
                 "T2\tCue 25 29\tsaid\n"
                 "T3\tContent x y\tbad\n"
                 "T4\tContent 31 40\tOfficials\n"
                 "E1\tAttribution:T2 Content:T1 Cue:T2\n"
                 "E2\tAttribution:T2 Content:T4 Cue:T2 Source:T9\n"
                 "a line that spilled over from a text column\n");
    char p[512];
    snprintf(p, sizeof p, "%s/b.ann", dir);
    brat_doc d = {0};
    buf err = {0};
    cr_assert_eq(brat_read(&d, p, text, strlen(text), &err), HS_OK);
    cr_assert_eq(d.natt, 1, "only E2 has a content that exists");
    cr_assert_eq(d.att[0].n[BRAT_SOURCE], 0);
    cr_assert(err.p && strstr(err.p, "b.ann:1:"), "%s", err.p ? err.p : "");
    cr_assert(strstr(err.p, "b.ann:3:"));
    cr_assert(strstr(err.p, "undefined span T9"));
    brat_free(&d);
    buf_free(&err);
    cr_assert_eq(brat_read(&d, "/nonexistent/x.ann", text, strlen(text), &err), HS_EIO);
    cr_assert(strstr(err.p, "cannot read"));
    brat_free(&d);
    buf_free(&err);
}

Test(brat, split_with_and_without_metadata)
{
    mkdirs();
    put("text/one.txt", text);
    put("text/two.txt", text);
    put("text/three.txt", text);
    put("attributions/one_aa11.ann", "");
    put("attributions/one_bb22.ann", "");
    put("attributions/two.ann", "");
    put("meta.tsv", "compartment\tfilename\tannotators\nx\tone\tbb22|aa11\nx\tthree\tcc33\n");
    brat_split s;
    buf err = {0};
    char meta[512];
    snprintf(meta, sizeof meta, "%s/meta.tsv", dir);
    cr_assert_eq(brat_split_open(&s, dir, meta, &err), HS_OK, "%s", err.p ? err.p : "");
    /* two is not in the metadata; three has no .ann of its annotator */
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.stem[0], "one");
    cr_assert(strstr(s.ann_path[0], "one_bb22.ann"), "first listed annotator");
    brat_split_free(&s);
    cr_assert_eq(brat_split_open(&s, dir, NULL, &err), HS_OK);
    cr_assert_eq(s.n, 2);
    cr_assert_str_eq(s.stem[0], "one");
    cr_assert(strstr(s.ann_path[0], "one_aa11.ann"), "first by name");
    cr_assert_str_eq(s.stem[1], "two");
    cr_assert(strstr(s.text_path[1], "text/two.txt"));
    brat_split_free(&s);
    put("bad.tsv", "filename\tlevel\nx\t1\n");
    snprintf(meta, sizeof meta, "%s/bad.tsv", dir);
    cr_assert_eq(brat_split_open(&s, dir, meta, &err), HS_EFORMAT);
    cr_assert(strstr(err.p, "annotators"));
    buf_free(&err);
}

Test(brat, polnear_dev_counts)
{
    char d[512], m[512];
    t_shared("data/polnear/dev", d, sizeof d);
    t_shared("data/polnear/metadata.tsv", m, sizeof m);
    brat_split s;
    buf err = {0};
    cr_assert_eq(brat_split_open(&s, d, m, &err), HS_OK);
    cr_assert_eq(s.n, 84);
    size_t natt = 0;
    brat_doc doc = {0};
    for (size_t i = 0; i < s.n; i++) {
        size_t len;
        char *t = t_slurp(s.text_path[i], &len);
        cr_assert_eq(brat_read(&doc, s.ann_path[i], t, len, &err), HS_OK);
        natt += doc.natt;
        for (size_t k = 0; k < doc.nspans; k++)
            cr_assert(doc.spans[k].start <= doc.spans[k].end && doc.spans[k].end <= len);
        free(t);
    }
    /* the same count as ../shared/tools/eval_polnear.py's gold loader */
    cr_assert_eq(natt, 2192);
    brat_free(&doc);
    brat_split_free(&s);
    buf_free(&err);
}
