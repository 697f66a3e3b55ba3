/* ner: train a tiny model (word classes and derived gazetteer included) on
 * sentences written here, tag with it, and check well-formed BIO; truncated
 * and corrupt model files are refused with a message; the gazetteer knows
 * outlets; derived lists and word class tables survive a round trip and are
 * refused when damaged; very long sentences are tagged. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ner.h"
#include "gazetteer.h"
#include "hearsay_train.h"
#include "ner_int.h"
#include "testutil.h"
#include "train_clusters.h"
#include "train_ner.h"
#include "wordclass.h"

static const char train_text[] =
    "Sen.\tO\nElizabeth\tB-person\nWarren\tI-person\ntold\tO\nNBC\tB-corporation\n"
    "News\tI-corporation\nthat\tO\nBoston\tB-location\nvoters\tO\nwere\tO\nangry\tO\n.\tO\n\n"
    "Mayor\tO\nAnna\tB-person\nKowalski\tI-person\nvisited\tO\nOhio\tB-location\n"
    "on\tO\nMonday\tO\n.\tO\n\n"
    "The\tO\nHarbor\tB-group\nCouncil\tI-group\nsaid\tO\nthe\tO\nbridge\tO\nwould\tO\n"
    "open\tO\nin\tO\nMarch\tO\n.\tO\n\n"
    "Reuters\tB-corporation\nreported\tO\nthat\tO\nPaul\tB-person\nMendes\tI-person\n"
    "left\tO\nParis\tB-location\n.\tO\n\n"
    "Gov.\tO\nLinda\tB-person\nFarrow\tI-person\nspoke\tO\nto\tO\nFox\tB-corporation\n"
    "News\tI-corporation\nin\tO\nTexas\tB-location\n.\tO\n\n";

/* Tests run in parallel processes: each has its own files. */
static char model_path[256], data_path[256];

/* Trains the tiny model once per test (a few milliseconds). */
static void train_tiny(void)
{
    snprintf(model_path, sizeof model_path, "/tmp/hearsay-test-ner-%ld.hsm", (long)getpid());
    snprintf(data_path, sizeof data_path, "/tmp/hearsay-test-ner-%ld.conll", (long)getpid());
    const char *data = data_path;
    t_write_file(data, train_text, sizeof train_text - 1);
    corpus c = {0};
    buf err = {0};
    cr_assert_eq(corpus_read_conll(&c, data, &err), HS_OK, "%s", err.p);
    const corpus *sets[1] = {&c};
    buf classes = {0};
    clusters_opts co = {.ncoarse = 4, .nfine = 8, .min_count = 2};
    cr_assert_eq(clusters_build(sets, 1, &co, &classes, &err), HS_OK, "%s", err.p);
    ner_train_opts o = {.epochs = 5, .quiet = 1, .classes = classes.p,
                        .classes_len = classes.len};
    cr_assert_eq(ner_train(sets, 1, &c, &o, model_path, &err), HS_OK, "%s", err.p ? err.p : "");
    corpus_free(&c);
    buf_free(&classes);
    buf_free(&err);
    remove(data);
}

static void cleanup(void)
{
    if (model_path[0])
        remove(model_path);
}

TestSuite(ner, .fini = cleanup);

static void check_bio(const uint8_t *tag, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cr_assert_lt(tag[i], NER_NTAGS);
        if (tag[i] && !ner_tag_is_begin(tag[i]))
            cr_assert(i > 0 && tag[i - 1] && ner_tag_type(tag[i - 1]) == ner_tag_type(tag[i]),
                      "I tag at %zu does not continue an entity", i);
    }
}

Test(ner, tags_names)
{
    cr_assert_str_eq(ner_type_name(NER_PER), "PER");
    cr_assert_str_eq(ner_type_name(NER_OUTLET), "OUTLET");
    cr_assert_str_eq(ner_type_name(NER_NONE), "O");
    cr_assert_str_eq(ner_tag_name(ner_tag_make(NER_OUTLET, 1), 1), "B-ORG");
    cr_assert_str_eq(ner_tag_name(ner_tag_make(NER_OUTLET, 0), 0), "I-OUTLET");
    cr_assert_eq(ner_tag_parse("I-LOC"), ner_tag_make(NER_LOC, 0));
    cr_assert_eq(ner_tag_parse("X-LOC"), -1);
}

Test(ner, train_load_tag)
{
    train_tiny();
    ner *m;
    buf err = {0};
    cr_assert_eq(ner_load(&m, model_path, &err), 0, "%s", err.p);
    ner_scratch *s = ner_scratch_new();
    cr_assert(s);
    const char *form[] = {"Gov.", "Anna", "Warren", "told", "NBC", "News", "that", "Paris",
                          "voters", "were", "angry", "."};
    size_t n = sizeof form / sizeof *form;
    uint8_t tag[12];
    ner_tag(m, s, n, form, NULL, tag);
    check_bio(tag, n);
    cr_assert_eq(ner_tag_type(tag[1]), NER_PER, "Anna: %s", ner_tag_name(tag[1], 0));
    cr_assert_eq(tag[0], 0);
    /* an ORG span over a listed outlet comes out as OUTLET */
    if (ner_tag_type(tag[4]) != NER_NONE)
        cr_assert_eq(ner_tag_type(tag[4]), NER_OUTLET);
    const char *pos[] = {"NNP", "NNP", "NNP", "VBD", "NNP", "NNP", "IN", "NNP", "NNS", "VBD",
                         "JJ", "."};
    ner_tag(m, s, n, form, pos, tag);
    check_bio(tag, n);
    ner_tag(m, s, 0, form, NULL, tag); /* empty sentence */
    ner_scratch_free(s);
    ner_free(m);
    buf_free(&err);
}

Test(ner, long_sentence)
{
    train_tiny();
    ner *m;
    buf err = {0};
    cr_assert_eq(ner_load(&m, model_path, &err), 0, "%s", err.p);
    ner_scratch *s = ner_scratch_new();
    enum { N = 5000 };
    static const char *form[N];
    static uint8_t tag[N];
    static const char *const words[] = {"Paul", "Mendes", "told", "Reuters", "in", "Ohio", ","};
    for (size_t i = 0; i < N; i++)
        form[i] = words[i % 7];
    ner_tag(m, s, N, form, NULL, tag);
    check_bio(tag, N);
    ner_scratch_free(s);
    ner_free(m);
    buf_free(&err);
}

Test(ner, truncated_and_corrupt_models)
{
    train_tiny();
    size_t n;
    char *p = t_slurp(model_path, &n);
    char bad[300];
    snprintf(bad, sizeof bad, "%s.bad", model_path);
    buf err = {0};
    ner *m = (ner *)1;
    size_t cuts[] = {0, 7, 31, 100, n / 2, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        t_write_file(bad, p, cuts[i]);
        buf_clear(&err);
        cr_assert_eq(ner_load(&m, bad, &err), HS_EMODEL, "cut at %zu accepted", cuts[i]);
        cr_assert_null(m);
        cr_assert(err.len > 0, "no message for a cut at %zu", cuts[i]);
    }
    /* flip bytes all over the file: a refusal with a message or a model that
     * still tags without crashing */
    const char *form[] = {"Anna", "Kowalski", "visited", "Ohio", "."};
    uint8_t tag[5];
    ner_scratch *s = ner_scratch_new();
    for (size_t at = 0; at < n; at += 1 + n / 300) {
        char save = p[at];
        p[at] = (char)(p[at] ^ 0x5a);
        t_write_file(bad, p, n);
        p[at] = save;
        buf_clear(&err);
        if (ner_load(&m, bad, &err) == 0) {
            ner_tag(m, s, 5, form, NULL, tag);
            check_bio(tag, 5);
            ner_free(m);
        } else {
            cr_assert(err.len > 0);
        }
    }
    buf_clear(&err);
    cr_assert_eq(ner_load(&m, "/tmp/does-not-exist.hsm", &err), HS_EMODEL);
    ner_scratch_free(s);
    free(p);
    buf_free(&err);
    ner_free(NULL);
    remove(bad);
}

Test(ner, gazetteer_outlets)
{
    train_tiny();
    ner *m;
    buf err = {0};
    cr_assert_eq(ner_load(&m, model_path, &err), 0, "%s", err.p);
    const char *nbc[] = {"NBC", "News"}, *nyt[] = {"The", "New", "York", "Times"};
    const char *vf[] = {"Vanity", "Fair"}, *fox[] = {"Fox", "News"}, *no[] = {"Hillary", "Clinton"};
    cr_assert(ner_is_outlet(m, nbc, 2));
    cr_assert(ner_is_outlet(m, nyt, 4));
    cr_assert(ner_is_outlet(m, vf, 2));
    cr_assert(ner_is_outlet(m, fox, 2));
    cr_assert(!ner_is_outlet(m, no, 2));
    ner_free(m);
    buf_free(&err);
}

/* A model rewritten with packed tables (hearsay train pack) tags exactly as
 * the one it came from; damaged packed tables are refused with a message or
 * still tag safely; packing twice changes nothing. */
Test(ner, packed_model)
{
    train_tiny();
    size_t n;
    char *p = t_slurp(model_path, &n);
    char packed[300];
    snprintf(packed, sizeof packed, "%s.packed", model_path);
    t_write_file(packed, p, n);
    hs_train_options o = {.data_dir = ".", .out = packed};
    cr_assert_eq(hs_train("pack", &o), HS_OK);
    size_t pn;
    char *pp = t_slurp(packed, &pn);
    cr_assert(pn != n || memcmp(p, pp, n), "pack changed nothing");
    cr_assert_eq(hs_train("pack", &o), HS_OK);
    size_t qn;
    char *qp = t_slurp(packed, &qn);
    cr_assert(qn == pn && !memcmp(pp, qp, pn), "packing a packed model changed it");
    free(qp);
    ner *a, *b;
    buf err = {0};
    cr_assert_eq(ner_load(&a, model_path, &err), 0, "%s", err.p);
    cr_assert_eq(ner_load(&b, packed, &err), 0, "%s", err.p);
    ner_scratch *s = ner_scratch_new();
    const char *form[] = {"Gov.", "Anna", "Warren", "told", "NBC", "News", "that", "Paris",
                          "voters", "were", "angry", "."};
    uint8_t ta[12], tb[12];
    ner_tag(a, s, 12, form, NULL, ta);
    ner_tag(b, s, 12, form, NULL, tb);
    cr_assert_arr_eq(ta, tb, 12);
    ner_free(a);
    ner_free(b);
    char bad[320];
    snprintf(bad, sizeof bad, "%s.bad", packed);
    for (size_t at = 0; at < pn; at += 1 + pn / 200) {
        char save = pp[at];
        pp[at] = (char)(pp[at] ^ 0x5a);
        t_write_file(bad, pp, pn);
        pp[at] = save;
        buf_clear(&err);
        if (ner_load(&a, bad, &err) == 0) {
            ner_tag(a, s, 12, form, NULL, ta);
            check_bio(ta, 12);
            ner_free(a);
        } else {
            cr_assert(err.len > 0);
        }
    }
    t_write_file(bad, pp, pn - 8);
    cr_assert_eq(ner_load(&a, bad, &err), HS_EMODEL);
    ner_scratch_free(s);
    remove(bad);
    remove(packed);
    free(p);
    free(pp);
    buf_free(&err);
}

/* Lists learnt from data: phrases of up to GAZ_MAXLEN tokens are matched
 * whole (begin and continue bits), a prefix alone is not; the table written
 * is read back the same and a damaged one is refused. */
Test(ner, derived_gazetteer_round_trip)
{
    static const char *const words[] = {"Anna", "Kowalski", "Harbor", "Council", "said", "x"};
    uint64_t h[6];
    for (size_t i = 0; i < 6; i++)
        h[i] = gaz_token_hash(words[i], strlen(words[i]));
    gaz g = {0}, r = {0};
    cr_assert_eq(gaz_empty(&g, 8), HS_OK);
    gaz_add(&g, h, 2, DG_PER);
    gaz_add(&g, h + 2, 2, DG_ORG);
    gaz_add(&g, h + 1, 1, DG_PLAST);
    buf out = {0};
    cr_assert_eq(gaz_write(&g, &out), HS_OK);
    cr_assert_eq(gaz_read(&r, out.p, out.len), HS_OK);
    uint32_t bits[6] = {0};
    gaz_match(&r, h, 6, bits);
    cr_assert_eq(bits[0], 1u << (2 * DG_PER));
    cr_assert_eq(bits[1], (1u << (2 * DG_PER + 1)) | (1u << (2 * DG_PLAST)));
    cr_assert_eq(bits[2], 1u << (2 * DG_ORG));
    cr_assert_eq(bits[3], 1u << (2 * DG_ORG + 1));
    cr_assert_eq(bits[4] | bits[5], 0);
    uint32_t one = 0;
    gaz_match(&r, h + 2, 1, &one); /* "Harbor" alone is only a prefix */
    cr_assert_eq(one, 0);
    gaz empty = {0};
    gaz_match(&empty, h, 6, bits); /* an absent list matches nothing */
    cr_assert_eq(gaz_read(&r, out.p, out.len - 1), HS_EMODEL);
    cr_assert_eq(gaz_read(&r, out.p, 4), HS_EMODEL);
    out.p[0] = 3; /* not a power of two */
    cr_assert_eq(gaz_read(&r, out.p, out.len), HS_EMODEL);
    gaz_free(&g);
    gaz_free(&r);
    buf_free(&out);
}

/* A word class table views in place; words not in it have class 0; a
 * damaged table is refused with a message. */
Test(ner, word_classes)
{
    uint64_t key[3] = {wc_key("Paris"), wc_key("Boston"), wc_key("said")};
    uint16_t coarse[3] = {1, 1, 2}, fine[3] = {3, 3, 5};
    buf b = {0}, err = {0};
    cr_assert_eq(wc_write(&b, key, coarse, fine, 3, 2, 5), HS_OK);
    wclass w;
    cr_assert_eq(wc_view(&w, b.p, b.len, "t", &err), HS_OK, "%s", err.p);
    uint16_t c, f;
    wc_get(&w, wc_key("PARIS"), &c, &f);
    cr_assert(c == 1 && f == 3);
    wc_get(&w, wc_key("said"), &c, &f);
    cr_assert(c == 2 && f == 5);
    wc_get(&w, wc_key("Ohio"), &c, &f);
    cr_assert(c == 0 && f == 0);
    cr_assert_eq(wc_view(&w, b.p, b.len - 8, "t", &err), HS_EMODEL);
    cr_assert(strstr(err.p, "t: word class section damaged"));
    b.p[0] ^= 1;
    cr_assert_eq(wc_view(&w, b.p, b.len, "t", &err), HS_EMODEL);
    buf_free(&b);
    buf_free(&err);
}

Test(ner, span_counts)
{
    uint8_t gold[] = {1, 2, 0, 3, 0, 5, 6, 0};
    uint8_t pred[] = {1, 2, 0, 9, 0, 5, 0, 0};
    ner_counts c = {0};
    ner_count_spans(&c, gold, pred, 8);
    cr_assert_eq(c.gold[0], 3);
    cr_assert_eq(c.pred[0], 3);
    cr_assert_eq(c.tp[0], 2); /* OUTLET counts as ORG; the cut LOC does not match */
    cr_assert_eq(c.tp[NER_ORG], 1);
}
