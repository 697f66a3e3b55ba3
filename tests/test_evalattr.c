/* Unit tests: the PolNeAR attribution scorer (train/evalattr, hs_eval_polnear).
 * The texts, annotations and predictions are our own; the expected outputs
 * are what ../shared/tools/eval_polnear.py prints for the same files. */
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "evalattr.h"
#include "hearsay_train.h"

#define LQ "\xE2\x80\x9C" /* “ */
#define RQ "\xE2\x80\x9D" /* ” */
#define DASH "\xE2\x80\x94"

static char dir[256];

static void put(const char *rel, const char *s) { t_put(dir, rel, s); }

/* Three articles: a (a direct quote, a discontinuous mixed content, a
 * content without source or cue, and a quote predicted twice), b (two gold
 * attributions with the same content), c (no prediction). */
static const char *text_a = LQ "Rates will rise," RQ " Lea Brandt said. Officials said the port " DASH
                            " which lost money " DASH " would " LQ "stay open" RQ
                            " for now. The mayor agreed. " LQ "We are ready," RQ " she said.\n";

static const char *pred_a =
    "{\"id\": \"text/a.txt\", \"attributions\": ["
    /* quote marks and the comma left out, "said." with its period: both match exactly */
    "{\"content\": {\"spans\": [[3, 18]]}, \"cue\": {\"spans\": [[34, 39]]}, "
    "\"source\": {\"spans\": [[23, 33]]}}, "
    /* the discontinuous content, no cue */
    "{\"content\": {\"spans\": [[55, 63], [89, 118]]}, \"cue\": null, "
    "\"source\": {\"spans\": [[40, 49]]}}, "
    /* the same content twice: the later one wins the tie, and it has no cue or source */
    "{\"content\": {\"spans\": [[138, 157]]}, \"cue\": {\"spans\": [[162, 166]]}, "
    "\"source\": {\"spans\": [[158, 161]]}}, "
    "{\"content\": {\"spans\": [[138, 157]]}, \"cue\": null, \"source\": null}, "
    /* no gold source: end to end without one */
    "{\"content\": {\"spans\": [[120, 137]]}, \"cue\": null, \"source\": null}, "
    /* no content: not counted */
    "{\"content\": null, \"cue\": {\"spans\": [[34, 38]]}, \"source\": null}, "
    /* overlaps two contents too little to pair; a cue as a bare list */
    "{\"content\": {\"spans\": [[111, 123]]}, \"cue\": [[0, 3]], \"source\": null}]}\n";
/* pairs with gold 2 of b (Ben) rather than gold 1 (Ana): ties go to the later gold */
static const char *pred_b = "{\"id\": \"b\", \"attributions\": [{\"content\": {\"spans\": [[0, 10]]}, "
                            "\"cue\": null, \"source\": {\"spans\": [[24, 27]]}}]}\n";
static const char *pred_other = "{\"id\": \"zzz\", \"attributions\": [{\"content\": {\"spans\": [[3, 18]]}}]}\n";

static void fixture(void)
{
    t_split_dir(dir, sizeof dir, "evalattr");
    put("text/a.txt", text_a);
    put("text/b.txt", "It rained, Ana said and Ben said.\n");
    put("text/c.txt", "Nobody said anything.\n");
    /* offsets are code points: the quote marks and dashes are one each */
    put("attributions/a_ann1.ann",
        "T1\tContent 0 18\t" LQ "Rates will rise," RQ "\n"
        "T2\tCue 30 34\tsaid\n"
        "T3\tSource 19 29\tLea Brandt\n"
        "T4\tContent 51 59;81 106\tthe port would " LQ "stay open" RQ " for now\n"
        "T5\tCue 46 50\tsaid\n"
        "T6\tSource 36 45\tOfficials\n"
        "T7\tContent 108 124\tThe mayor agreed\n"
        "T8\tContent 126 141\t" LQ "We are ready," RQ "\n"
        "T9\tCue 146 150\tsaid\n"
        "T10\tSource 142 145\tshe\n"
        "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3\n"
        "E2\tAttribution:T5 Content:T4 Cue:T5 Source:T6\n"
        "E3\tAttribution-no-source:T7 Content:T7\n"
        "E4\tAttribution:T9 Source:T10 Cue:T9 Content:T8\n");
    put("attributions/b_ann1.ann", "T1\tContent 0 9\tIt rained\n"
                                   "T2\tCue 15 19\tsaid\n"
                                   "T3\tSource 11 14\tAna\n"
                                   "T4\tCue 28 32\tsaid\n"
                                   "T5\tSource 24 27\tBen\n"
                                   "T6\tContent 0 9\tIt rained\n"
                                   "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3\n"
                                   "E2\tAttribution:T4 Content:T6 Cue:T4 Source:T5\n");
    put("attributions/c_ann2.ann", "T1\tContent 12 20\tanything\n"
                                   "E1\tAttribution-no-source:T1 Content:T1\n");
    put("metadata.tsv", "compartment\tfilename\tannotators\n"
                        "dev\ta\tann1\n"
                        "dev\tb\tann1|ann2\n"
                        "dev\tc\tann2\n");
}

static void cleanup(void)
{
    static const char *const files[] = {
        "text/a.txt", "text/b.txt", "text/c.txt", "attributions/a_ann1.ann",
        "attributions/b_ann1.ann", "attributions/c_ann2.ann", "metadata.tsv", "pred.jsonl",
        "text", "attributions", "",
    };
    char p[512];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        if (unlink(p))
            rmdir(p);
    }
}

static const char *path(const char *rel, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", dir, rel);
    return out;
}

static const char expect_text[] =
    "documents                    3\n"
    "missing_predictions          1\n"
    "gold_attributions            7\n"
    "predicted_attributions       7\n"
    "char_content                 p=0.966  r=0.848  f=0.903\n"
    "char_cue                     p=0.667  r=0.400  f=0.500\n"
    "char_source                  p=1.000  r=0.889  f=0.941\n"
    "span_exact_source            p=1.000  r=0.800  f=0.889\n"
    "span_exact_cue               p=1.000  r=0.400  f=0.571\n"
    "span_exact_content           p=0.857  r=0.857  f=0.857\n"
    "content_partial              p=0.714  r=0.714  f=0.714\n"
    "content_exact                p=0.714  r=0.714  f=0.714\n"
    "attribution_e2e              p=0.571  r=0.571  f=0.571\n"
    "source_accuracy_on_matched   0.750\n"
    "cue_accuracy_on_matched      0.250\n"
    "recall_by_kind               direct=(1.0, 2)  mixed=(1.0, 1)  indirect=(0.5, 4)\n";

static const char expect_json[] =
    "{\"documents\": 3, \"missing_predictions\": 1, \"gold_attributions\": 7, "
    "\"predicted_attributions\": 7, \"char_content\": {\"p\": 0.9655172413793104, \"r\": "
    "0.8484848484848485, \"f\": 0.9032258064516129}, \"char_cue\": {\"p\": 0.6666666666666666, "
    "\"r\": 0.4, \"f\": 0.5}, \"char_source\": {\"p\": 1.0, \"r\": 0.8888888888888888, \"f\": "
    "0.9411764705882353}, \"span_exact_source\": {\"p\": 1.0, \"r\": 0.8, \"f\": "
    "0.8888888888888888}, \"span_exact_cue\": {\"p\": 1.0, \"r\": 0.4, \"f\": 0.5714285714285714}, "
    "\"span_exact_content\": {\"p\": 0.8571428571428571, \"r\": 0.8571428571428571, \"f\": "
    "0.8571428571428571}, \"content_partial\": {\"p\": 0.7142857142857143, \"r\": "
    "0.7142857142857143, \"f\": 0.7142857142857143}, \"content_exact\": {\"p\": "
    "0.7142857142857143, \"r\": 0.7142857142857143, \"f\": 0.7142857142857143}, "
    "\"attribution_e2e\": {\"p\": 0.5714285714285714, \"r\": 0.5714285714285714, \"f\": "
    "0.5714285714285714}, \"source_accuracy_on_matched\": 0.75, \"cue_accuracy_on_matched\": "
    "0.25, \"recall_by_kind\": {\"direct\": [1.0, 2], \"mixed\": [1.0, 1], \"indirect\": [0.5, "
    "4]}}\n";

static void write_preds(const char *name, const char *middle)
{
    char all[4096];
    snprintf(all, sizeof all, "%s%s%s%s", pred_a, middle, pred_b, pred_other);
    put(name, all);
}

Test(evalattr, scores_as_the_script_prints_them, .init = fixture, .fini = cleanup)
{
    write_preds("pred.jsonl", "");
    char m[512], p[512];
    char *out = NULL, *diag = NULL;
    cr_assert_eq(hs_eval_polnear(NULL, dir, path("metadata.tsv", m, sizeof m),
                                 path("pred.jsonl", p, sizeof p), 0, &out, &diag),
                 HS_OK, "%s", diag ? diag : "");
    cr_assert_null(diag);
    cr_assert_str_eq(out, expect_text);
    free(out);
    cr_assert_eq(hs_eval_polnear(NULL, dir, m, p, HS_EVAL_JSON, &out, &diag), HS_OK);
    cr_assert_null(diag);
    cr_assert_str_eq(out, expect_json);
    free(out);
}

Test(evalattr, bad_line_is_reported_and_skipped, .init = fixture, .fini = cleanup)
{
    /* line 2 is cut short, line 3 is not an object, line 4 has a bad span;
     * the rest is scored as if they were absent */
    write_preds("pred.jsonl", "{\"id\": \"b\", \"attributions\": [\n[1, 2]\n"
                              "{\"id\": \"a\", \"attributions\": [{\"content\": [[1, 2, 3]]}]}\n");
    char m[512], p[512];
    char *out = NULL, *diag = NULL;
    cr_assert_eq(hs_eval_polnear(NULL, dir, path("metadata.tsv", m, sizeof m),
                                 path("pred.jsonl", p, sizeof p), 0, &out, &diag),
                 HS_OK);
    cr_assert_not_null(diag);
    char want[700];
    snprintf(want, sizeof want, "%s: line 2: not valid JSON", p);
    cr_assert(strstr(diag, want), "diag: %s", diag);
    snprintf(want, sizeof want, "%s: line 3: not a JSON object", p);
    cr_assert(strstr(diag, want), "diag: %s", diag);
    snprintf(want, sizeof want, "%s: line 4: attribution 1: content:", p);
    cr_assert(strstr(diag, want), "diag: %s", diag);
    cr_assert_str_eq(out, expect_text);
    free(out);
    free(diag);
}

Test(evalattr, errors_name_the_file, .init = fixture, .fini = cleanup)
{
    char m[512], p[512];
    char *out = NULL, *diag = NULL;
    cr_assert_eq(hs_eval_polnear(NULL, dir, path("metadata.tsv", m, sizeof m),
                                 path("absent.jsonl", p, sizeof p), 0, &out, &diag),
                 HS_EIO);
    cr_assert_null(out);
    cr_assert(diag && strstr(diag, "absent.jsonl: cannot open"), "%s", diag ? diag : "");
    free(diag);
    diag = NULL;
    /* the pipeline needs an engine */
    cr_assert_eq(hs_eval_polnear(NULL, dir, m, NULL, 0, &out, &diag), HS_EINVAL);
    cr_assert_null(out);
    free(diag);
}

Test(evalattr, pipeline_without_models_predicts_nothing, .init = fixture, .fini = cleanup)
{
    hs_engine *eng = NULL;
    cr_assert_eq(hs_engine_open(&eng, NULL), HS_OK);
    char m[512];
    char *out = NULL, *diag = NULL;
    cr_assert_eq(hs_eval_polnear(eng, dir, path("metadata.tsv", m, sizeof m), NULL, 0, &out, &diag),
                 HS_OK);
    cr_assert_null(diag);
    cr_assert(strstr(out, "documents                    3\nmissing_predictions          0\n"),
              "%s", out);
    cr_assert(strstr(out, "predicted_attributions       0\n"), "%s", out);
    cr_assert(strstr(out, "char_content                 p=0  r=0.000  f=0.000\n"), "%s", out);
    cr_assert(strstr(out, "recall_by_kind               direct=(0.0, 2)  mixed=(0.0, 1)  "
                          "indirect=(0.0, 4)\n"),
              "%s", out);
    free(out);
    hs_engine_close(eng);
}

Test(evalattr, python_float_repr)
{
    static const struct {
        double x;
        const char *want;
    } cases[] = {
        {0.1, "0.1"},
        {1.0 / 3, "0.3333333333333333"},
        {2.0 / 3, "0.6666666666666666"},
        {20.0 / 21, "0.9523809523809523"},
        {1e-05, "1e-05"},
        {0.0001, "0.0001"},
        {1e-4 * 3, "0.00030000000000000003"},
        {2.5e-07, "2.5e-07"},
        {1e16, "1e+16"},
        {1234567890123456.0, "1234567890123456.0"},
        {1e22, "1e+22"},
        {123.0, "123.0"},
        {100.0, "100.0"},
        {12345.678, "12345.678"},
        {0.5, "0.5"},
        {1.0, "1.0"},
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char o[40];
        evalattr_repr(cases[i].x, o, sizeof o);
        cr_assert_str_eq(o, cases[i].want);
    }
}

static int norm_of(const char *t, int64_t s, int64_t e, size_t *a, size_t *b)
{
    evalattr_span sp = {s, e};
    return evalattr_norm(t, strlen(t), sp, a, b);
}

Test(evalattr, exact_match_trims_quotes_and_punctuation)
{
    size_t a, b;
    /* "x “Rates,” y": the marks and the comma go, "Rates" is bytes 5..9 */
    const char *t = "x " LQ "Rates," RQ " y";
    cr_assert(norm_of(t, 2, 15, &a, &b));
    cr_assert_eq(a, 5);
    cr_assert_eq(b, 9);
    cr_assert(norm_of(t, 5, 10, &a, &b) && a == 5 && b == 9);
    /* only punctuation and space: the empty key */
    cr_assert_not(norm_of(t, 1, 5, &a, &b));
    cr_assert_not(norm_of(t, 9, 2, &a, &b)); /* end before start */
}

Test(evalattr, exact_match_counts_a_cut_character_as_python_does)
{
    size_t a, b;
    /* "a “b” c": [3, 9) starts inside “; Python decodes its two stray bytes
     * to two U+FFFD, re-encodes them as 6 bytes, and so reaches byte 9 */
    const char *t = "a " LQ "b" RQ " c";
    cr_assert(norm_of(t, 3, 9, &a, &b));
    cr_assert_eq(a, 3);
    cr_assert_eq(b, 8);
    cr_assert(norm_of(t, 2, 9, &a, &b) && a == 5 && b == 5);
    /* negative starts count from the end, as in a Python slice */
    cr_assert(norm_of(t, -3, 11, &a, &b) && a == 0 && b == 0);
    cr_assert_not(norm_of(t, -30, 5, &a, &b));
}

static int kind_of(const char *t)
{
    evalattr_span sp = {0, (int64_t)strlen(t)};
    buf scratch = {0};
    int k = -1;
    cr_assert_eq(evalattr_kind(t, strlen(t), &sp, 1, &scratch, &k), HS_OK);
    buf_free(&scratch);
    return k;
}

Test(evalattr, kind_by_quote_marks)
{
    cr_assert_eq(kind_of("  " LQ "Yes." RQ "  "), EVALATTR_DIRECT);
    /* Unicode white space is stripped too */
    cr_assert_eq(kind_of("\xC2\xA0\"ok\"\xE2\x80\x83"), EVALATTR_DIRECT);
    cr_assert_eq(kind_of(LQ "No" RQ " and " LQ "yes" RQ), EVALATTR_MIXED);
    cr_assert_eq(kind_of(LQ), EVALATTR_MIXED); /* one mark is not a quotation */
    cr_assert_eq(kind_of(LQ "a"), EVALATTR_MIXED);
    cr_assert_eq(kind_of("plain words"), EVALATTR_INDIRECT);
    /* fragments are joined by a space before the test */
    const char *t = LQ "We" RQ " she said " LQ "won" RQ;
    evalattr_span two[] = {{0, 8}, {18, 27}};
    buf scratch = {0};
    int k = -1;
    cr_assert_eq(evalattr_kind(t, strlen(t), two, 2, &scratch, &k), HS_OK);
    cr_assert_eq(k, EVALATTR_MIXED);
    buf_free(&scratch);
}

Test(evalattr, utf8_replacement_like_python)
{
    size_t adv;
    const unsigned char trunc[] = {0xE2, 0x80};
    cr_assert_eq(evalattr_utf8(trunc, 2, &adv), 0xFFFD);
    cr_assert_eq(adv, 2);
    const unsigned char bad2[] = {0xE2, 0x80, 'A'};
    cr_assert_eq(evalattr_utf8(bad2, 3, &adv), 0xFFFD);
    cr_assert_eq(adv, 2);
    const unsigned char sur[] = {0xED, 0xA0, 0x80};
    cr_assert_eq(evalattr_utf8(sur, 3, &adv), 0xFFFD);
    cr_assert_eq(adv, 1);
    const unsigned char ok[] = {0xE2, 0x80, 0x9C};
    cr_assert_eq(evalattr_utf8(ok, 3, &adv), 0x201C);
    cr_assert_eq(adv, 3);
}
