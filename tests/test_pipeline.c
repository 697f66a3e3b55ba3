/* The pipeline with the committed models (models/): the time of each step
 * (hs_doc_stage_times): every step named in order, never negative, growing
 * with each document and JSON written, back to 0 on reset. The texts are
 * our own. */
#include "testutil.h"

TestSuite(pipeline, .init = t_setup_models, .fini = t_teardown);

static const char *const steps[] = {"ingest", "tokenize", "segment", "structure", "forms", "pos",
                                    "parse", "ner", "entities", "attribution", "events", "json"};
#define NSTEPS (sizeof steps / sizeof *steps)

static const char story[] = "Harbor Bridge Vote Delayed\n\n"
                            "The council said on Monday that the vote would wait. \xE2\x80\x9CWe "
                            "need the engineers' report first,\xE2\x80\x9D Mayor Ana Ruiz told "
                            "reporters in Portsmouth.\n";

/* The seconds of every step, asserting the names and their count. */
static void times(double *s)
{
    const char *names[NSTEPS + 4];
    size_t n = 0;
    cr_assert_eq(hs_doc_stage_times(t_doc, names, s, NSTEPS + 4, &n), HS_OK);
    cr_assert_eq(n, NSTEPS);
    for (size_t i = 0; i < NSTEPS; i++) {
        cr_assert_str_eq(names[i], steps[i]);
        cr_assert_geq(s[i], 0.0, "%s: %g s", names[i], s[i]);
    }
}

static double sum(const double *s, size_t from, size_t to)
{
    double t = 0;
    for (size_t i = from; i < to; i++)
        t += s[i];
    return t;
}

Test(pipeline, every_step_is_named_and_starts_at_zero)
{
    double s[NSTEPS];
    times(s);
    cr_assert_eq(sum(s, 0, NSTEPS), 0.0);
    size_t n = 0;
    cr_assert_eq(hs_doc_stage_times(t_doc, NULL, NULL, 0, &n), HS_OK);
    cr_assert_eq(n, NSTEPS);
    cr_assert_eq(hs_doc_stage_times(NULL, NULL, NULL, 0, &n), HS_EINVAL);
}

Test(pipeline, times_grow_with_each_document_and_json)
{
    double a[NSTEPS], b[NSTEPS], c[NSTEPS];
    t_analyze(story);
    times(a);
    cr_assert_gt(a[1], 0.0, "tokenize took no time");
    cr_assert_gt(sum(a, 0, NSTEPS - 1), 0.0);
    cr_assert_eq(a[NSTEPS - 1], 0.0, "no JSON was written");
    t_analyze(story);
    const char *js;
    size_t jl;
    cr_assert_eq(hs_doc_json(t_doc, 0, &js, &jl), HS_OK);
    times(b);
    for (size_t i = 0; i < NSTEPS; i++)
        cr_assert_geq(b[i], a[i], "%s went back", steps[i]);
    cr_assert_gt(sum(b, 0, NSTEPS - 1), sum(a, 0, NSTEPS - 1));
    cr_assert_gt(b[NSTEPS - 1], 0.0, "JSON took no time");
    hs_doc_stage_times_reset(t_doc);
    times(c);
    cr_assert_eq(sum(c, 0, NSTEPS), 0.0);
    hs_doc_stage_times_reset(NULL);
}

Test(pipeline, a_short_cap_writes_only_its_entries)
{
    t_analyze(story);
    const char *names[3] = {NULL, NULL, "untouched"};
    double s[3] = {-1, -1, -1};
    size_t n = 0;
    cr_assert_eq(hs_doc_stage_times(t_doc, names, s, 2, &n), HS_OK);
    cr_assert_eq(n, NSTEPS);
    cr_assert_str_eq(names[0], "ingest");
    cr_assert_str_eq(names[1], "tokenize");
    cr_assert_str_eq(names[2], "untouched");
    cr_assert_geq(s[1], 0.0);
    cr_assert_eq(s[2], -1.0);
}

Test(pipeline, a_stage_without_its_model_keeps_zero)
{
    hs_engine *e;
    hs_doc *d;
    cr_assert_eq(hs_engine_open(&e, NULL), HS_OK);
    cr_assert_eq(hs_doc_new(&d, e), HS_OK);
    cr_assert_eq(hs_doc_analyze(d, "t", story, strlen(story), 0), HS_OK);
    double s[NSTEPS];
    size_t n = 0;
    cr_assert_eq(hs_doc_stage_times(d, NULL, s, NSTEPS, &n), HS_OK);
    cr_assert_eq(n, NSTEPS);
    cr_assert_gt(s[1], 0.0, "tokenize took no time");
    cr_assert_eq(sum(s, 4, NSTEPS), 0.0, "a trained stage ran without its model");
    hs_doc_free(d);
    hs_engine_close(e);
}

Test(pipeline, a_failed_analysis_counts_its_checks)
{
    cr_assert_eq(hs_doc_analyze(t_doc, "bad", "bad \xFF byte", 10, 0), HS_EUTF8);
    double s[NSTEPS];
    times(s);
    cr_assert_eq(sum(s, 1, NSTEPS), 0.0, "a stage ran after the text failed its checks");
}
