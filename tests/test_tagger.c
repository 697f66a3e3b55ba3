/* Unit tests: the POS tagger (src/tagger) and its trainer (train/train_pos),
 * the model container (src/model), the perceptron and its packed tables, big
 * blocks (src/pages): training on sentences we wrote, tagging, model I/O,
 * damaged model files, and the committed model's dev score. */
#include <unistd.h>

#include <math.h>
#include <stdint.h>

#include "model.h"
#include "pages.h"
#include "perceptron.h"
#include "tagger.h"
#include "testutil.h"
#include "train_pos.h"

/* A tiny corpus of our own sentences, in CoreNLP TSV form. */
static const char *tiny_tsv =
    "# char_begin\tchar_end\tword\tlemma\tpos\tner\thead\tdeprel\n"
    "0\t1\tThe\tthe\tDT\tO\t2\tdet\n0\t1\tmayor\tmayor\tNN\tO\t3\tnsubj\n"
    "0\t1\tsaid\tsay\tVBD\tO\t0\troot\n0\t1\tit\tit\tPRP\tO\t5\tnsubj\n"
    "0\t1\tworks\twork\tVBZ\tO\t3\tccomp\n0\t1\t.\t.\t.\tO\t3\tpunct\n\n"
    "0\t1\tA\ta\tDT\tO\t2\tdet\n0\t1\tbridge\tbridge\tNN\tO\t3\tnsubj\n"
    "0\t1\topened\topen\tVBD\tO\t0\troot\n0\t1\ttoday\ttoday\tNN\tO\t3\tnmod:tmod\n"
    "0\t1\t.\t.\t.\tO\t3\tpunct\n\n";

static char dir[64], model_path[128];

static void train_tiny(void)
{
    strcpy(dir, "/tmp/hs-tagger-XXXXXX");
    cr_assert(mkdtemp(dir));
    char tsv[128];
    snprintf(tsv, sizeof tsv, "%s/a.tsv", dir);
    t_write_file(tsv, tiny_tsv, strlen(tiny_tsv));
    corpus c = {0};
    buf log = {0};
    cr_assert_eq(corpus_read_corenlp_dir(&c, dir, &log), HS_OK, "%s", log.p);
    cr_assert_eq(c.nsent, 2);
    cr_assert_eq(c.ntok, 11);
    snprintf(model_path, sizeof model_path, "%s/pos.hsm", dir);
    tagger_train_opts o = {10, 1, 0.0f};
    cr_assert_eq(tagger_train(&c, &c, &o, model_path, &log), HS_OK, "%s", log.p);
    corpus_free(&c);
    buf_free(&log);
}

Test(tagger, trains_and_tags_its_training_data)
{
    train_tiny();
    tagger *t;
    buf err = {0};
    cr_assert_eq(tagger_load(&t, model_path, &err), 0, "%s", err.p);
    const char *forms[] = {"The", "mayor", "said", "it", "works", "."};
    uint16_t tags[6];
    tagger_tag(t, 6, forms, tags);
    const char *want[] = {"DT", "NN", "VBD", "PRP", "VBZ", "."};
    for (int i = 0; i < 6; i++)
        cr_assert_str_eq(tagger_tag_name(t, tags[i]), want[i], "token %d", i);
    /* empty and very long sentences */
    tagger_tag(t, 0, forms, tags);
    enum { N = 5000 };
    static const char *many[N];
    static uint16_t mt[N];
    for (int i = 0; i < N; i++)
        many[i] = forms[i % 6];
    tagger_tag(t, N, many, mt);
    for (int i = 0; i < N; i++)
        cr_assert_lt(mt[i], tagger_ntags(t));
    tagger_free(t);
    buf_free(&err);
}

Test(tagger, damaged_model_files_are_refused)
{
    train_tiny();
    size_t n;
    char *m = t_slurp(model_path, &n);
    char bad[160];
    snprintf(bad, sizeof bad, "%s/bad.hsm", dir);
    tagger *t;
    /* every truncation is an error, never a crash */
    for (size_t cut = 0; cut < n; cut += 1 + cut / 3) {
        t_write_file(bad, m, cut);
        buf err = {0};
        cr_assert_eq(tagger_load(&t, bad, &err), HS_EMODEL, "truncated at %zu loaded", cut);
        cr_assert(err.p && strstr(err.p, bad), "message names the file: %s", err.p);
        buf_free(&err);
    }
    /* flipped bytes: an error or a model that still works, never a crash */
    for (size_t at = 0; at < n; at += 1 + n / 200) {
        char *c = malloc(n);
        memcpy(c, m, n);
        c[at] ^= 0x5a;
        t_write_file(bad, c, n);
        buf err = {0};
        if (tagger_load(&t, bad, &err) == 0) {
            const char *forms[] = {"A", "bridge", "."};
            uint16_t tags[3];
            tagger_tag(t, 3, forms, tags);
            tagger_free(t);
        }
        buf_free(&err);
        free(c);
    }
    buf err = {0};
    cr_assert_eq(tagger_load(&t, "/nonexistent/pos.hsm", &err), HS_EMODEL);
    cr_assert(strstr(err.p, "/nonexistent/pos.hsm"));
    buf_free(&err);
    free(m);
}

Test(tagger, model_of_another_type_or_version_is_refused)
{
    train_tiny();
    buf err = {0};
    model mm;
    cr_assert_neq(model_load(&mm, model_path, MODEL_PARSER, &err), 0);
    cr_assert(strstr(err.p, "expected type"), "%s", err.p);
    size_t n;
    char *m = t_slurp(model_path, &n);
    m[8] = 99; /* version */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/v99.hsm", dir);
    t_write_file(bad, m, n);
    buf_clear(&err);
    tagger *t;
    cr_assert_neq(tagger_load(&t, bad, &err), 0);
    cr_assert(strstr(err.p, "version"), "%s", err.p);
    free(m);
    buf_free(&err);
}

Test(perceptron, learns_a_separable_problem_and_round_trips)
{
    pc_trainer *t = pc_trainer_new(3);
    uint64_t f[3][2] = {{fk_end(fk_num(fk_start(1), 1)), fk_end(fk_start(0))},
                        {fk_end(fk_num(fk_start(1), 2)), fk_end(fk_start(0))},
                        {fk_end(fk_num(fk_start(1), 3)), fk_end(fk_start(0))}};
    float sc[3];
    for (int ep = 0; ep < 5; ep++)
        for (uint32_t y = 0; y < 3; y++) {
            pc_trainer_score(t, f[y], 2, sc);
            cr_assert_eq(pc_trainer_update(t, f[y], 2, y, pc_argmax(sc, 3, NULL)), 0);
            pc_trainer_tick(t);
        }
    buf b = {0};
    cr_assert_eq(pc_trainer_export(t, &b, 0.0f), 0);
    pc_model m;
    char err[128];
    void *al = aligned_alloc(8, (b.len + 7) & ~(size_t)7);
    memcpy(al, b.p, b.len);
    cr_assert_eq(pc_model_open(&m, al, b.len, err, sizeof err), 0, "%s", err);
    for (uint32_t y = 0; y < 3; y++) {
        pc_model_score(&m, f[y], 2, sc);
        cr_assert_eq(pc_argmax(sc, 3, NULL), y);
    }
    unsigned char allow[3] = {1, 0, 1};
    pc_model_score(&m, f[1], 2, sc);
    cr_assert_neq(pc_argmax(sc, 3, allow), 1);
    cr_assert_neq(pc_model_open(&m, al, b.len / 2, err, sizeof err), 0);
    free(al);
    buf_free(&b);
    pc_trainer_free(t);
}

/* The packed tables (pc_tab3, pc_tab9, pc_tabs) score what the model scores:
 * tab9 and tabs the same floats, tab3 the differences to class 0 in halved
 * quantised units; features the model lacks add nothing. */
Test(perceptron, packed_tables_score_like_the_model)
{
    enum { NC = 9, NF = 400 };
    pc_trainer *t = pc_trainer_new(NC), *t3 = pc_trainer_new(3);
    uint64_t f[NF];
    uint64_t rng = 7;
    for (size_t i = 0; i < NF; i++)
        f[i] = fk_end(fk_num(fk_start(5), pc_rng_next(&rng)));
    for (int ep = 0; ep < 3; ep++)
        for (size_t i = 0; i + 4 <= NF; i += 4) {
            uint32_t y = (uint32_t)(pc_rng_next(&rng) % NC), g = (y + 1) % NC;
            cr_assert_eq(pc_trainer_update(t, f + i, 4, y, g), 0);
            cr_assert_eq(pc_trainer_update(t3, f + i, 4, y % 3, g % 3), 0);
            pc_trainer_tick(t);
            pc_trainer_tick(t3);
        }
    buf b = {0}, b3 = {0};
    cr_assert_eq(pc_trainer_export(t, &b, 0.0f), 0);
    cr_assert_eq(pc_trainer_export(t3, &b3, 0.0f), 0);
    void *al = aligned_alloc(8, (b.len + 7) & ~(size_t)7), *al3 = aligned_alloc(8, (b3.len + 7) & ~(size_t)7);
    memcpy(al, b.p, b.len);
    memcpy(al3, b3.p, b3.len);
    pc_model m, m3;
    char err[128];
    cr_assert_eq(pc_model_open(&m, al, b.len, err, sizeof err), 0, "%s", err);
    cr_assert_eq(pc_model_open(&m3, al3, b3.len, err, sizeof err), 0, "%s", err);
    pc_tab9 t9;
    pc_tabs ts;
    pc_tab3 tb3;
    cr_assert_eq(pc_tab9_build(&t9, &m), 0);
    cr_assert_eq(pc_tabs_build(&ts, &m), 0);
    cr_assert_eq(pc_tab3_build(&tb3, &m3), 0);
    uint64_t q[12];
    for (int round = 0; round < 200; round++) {
        for (size_t j = 0; j < 12; j++) /* model features and unknown ones */
            q[j] = j % 3 ? f[pc_rng_next(&rng) % NF] : fk_end(pc_rng_next(&rng));
        float a[NC], x[NC], y[NC], a3[3], z3[3];
        pc_model_score(&m, q, 12, a);
        pc_tab9_score(&t9, q, 12, x);
        pc_tabs_score(&ts, q, 12, y);
        for (unsigned c = 0; c < NC; c++) {
            cr_assert_float_eq(x[c], a[c], 1e-3f * (1 + fabsf(a[c])));
            /* pc_tabs sums the quantised weights exactly and scales once */
            cr_assert_float_eq(y[c], a[c], 1e-3f * (1 + fabsf(a[c])));
        }
        pc_model_score(&m3, q, 12, a3);
        pc_tab3_score(&tb3, q, 12, z3);
        for (unsigned c = 1; c < 3; c++)
            cr_assert_float_eq(z3[c] * 2 * m3.scale, a3[c] - a3[0], 2 * m3.scale * 12 + 1e-3f);
    }
    pc_tab9_free(&t9);
    pc_tabs_free(&ts);
    pc_tab3_free(&tb3);
    free(al);
    free(al3);
    buf_free(&b);
    buf_free(&b3);
    pc_trainer_free(t);
    pc_trainer_free(t3);
}

/* A model of few classes trained, exported and opened (the caller frees
 * *al and the trainer). */
static pc_model few_classes(uint32_t nc, void **al, pc_trainer **t)
{
    *t = pc_trainer_new(nc);
    uint64_t rng = 11, f[8];
    for (int round = 0; round < 200; round++) {
        for (size_t j = 0; j < 8; j++)
            f[j] = fk_end(fk_num(fk_start(9), pc_rng_next(&rng) % 60));
        uint32_t y = (uint32_t)(pc_rng_next(&rng) % nc);
        cr_assert_eq(pc_trainer_update(*t, f, 8, y, (y + 1) % nc), 0);
        pc_trainer_tick(*t);
    }
    buf b = {0};
    cr_assert_eq(pc_trainer_export(*t, &b, 0.0f), 0);
    *al = aligned_alloc(8, (b.len + 7) & ~(size_t)7);
    memcpy(*al, b.p, b.len);
    pc_model m;
    char err[128];
    cr_assert_eq(pc_model_open(&m, *al, b.len, err, sizeof err), 0, "%s", err);
    buf_free(&b);
    return m;
}

/* A trainer fed a stream of random updates (seed picks the stream) over
 * the features base to base + 59. */
static pc_trainer *trained(uint32_t nc, uint64_t seed, uint64_t base)
{
    pc_trainer *t = pc_trainer_new(nc);
    cr_assert(t);
    uint64_t rng = seed, f[8];
    for (int round = 0; round < 300; round++) {
        for (size_t j = 0; j < 8; j++)
            f[j] = fk_end(fk_num(fk_start(9), base + pc_rng_next(&rng) % 60));
        uint32_t y = (uint32_t)(pc_rng_next(&rng) % nc);
        cr_assert_eq(pc_trainer_update(t, f, 8, y, (y + 1) % nc), 0);
        pc_trainer_tick(t);
    }
    return t;
}

/* Scores of q under the blob b (a copy aligned for pc_model_open). */
static void blob_scores(const buf *b, const uint64_t *q, size_t nq, float *out)
{
    void *al = aligned_alloc(8, (b->len + 7) & ~(size_t)7);
    memcpy(al, b->p, b->len);
    pc_model m;
    char err[128];
    cr_assert_eq(pc_model_open(&m, al, b->len, err, sizeof err), 0, "%s", err);
    pc_model_score(&m, q, nq, out);
    free(al);
}

/* A mixture of one training at share 1 exports exactly that training's
 * model; of two at 1/2 each (over features partly their own), a model
 * scoring the mean of theirs on either's features (up to the int16 rounding
 * of each weight); a trained trainer, the source itself, a mixture as a
 * source and another class count are refused. */
Test(perceptron, trainings_mix_into_their_average)
{
    pc_trainer *a = trained(4, 21, 0), *b = trained(4, 22, 30);
    pc_trainer *one = pc_trainer_new(4), *two = pc_trainer_new(4), *other = pc_trainer_new(3);
    cr_assert_eq(pc_trainer_mix(one, a, 1.0), HS_OK);
    cr_assert_eq(pc_trainer_mix(two, a, 0.5), HS_OK);
    cr_assert_eq(pc_trainer_mix(two, b, 0.5), HS_OK);
    cr_assert_eq(pc_trainer_mix(other, a, 1.0), HS_EINVAL, "another class count");
    cr_assert_eq(pc_trainer_mix(b, a, 0.5), HS_EINVAL, "a trained trainer as the mixture");
    cr_assert_eq(pc_trainer_mix(a, a, 0.5), HS_EINVAL, "the source itself");
    pc_trainer *fresh = pc_trainer_new(4);
    cr_assert_eq(pc_trainer_mix(fresh, two, 0.5), HS_EINVAL, "a mixture as source");
    pc_trainer_free(fresh);
    buf ba = {0}, bb = {0}, b1 = {0}, b2 = {0};
    cr_assert_eq(pc_trainer_export(one, &b1, 0.0f), 0);
    cr_assert_eq(pc_trainer_export(a, &ba, 0.0f), 0);
    cr_assert_eq(pc_trainer_export(b, &bb, 0.0f), 0);
    cr_assert_eq(pc_trainer_export(two, &b2, 0.0f), 0);
    cr_assert(ba.len == b1.len && !memcmp(ba.p, b1.p, ba.len), "one training at share 1 changed");
    uint64_t rng = 5, q[6];
    float sa[4], sb[4], s2[4];
    int only_a = 0, only_b = 0;
    for (int round = 0; round < 300; round++) {
        /* features 0-29 are a's only, 30-59 both, 60-89 b's only */
        uint64_t lo = (uint64_t)(round % 3) * 30;
        for (size_t j = 0; j < 6; j++)
            q[j] = fk_end(fk_num(fk_start(9), lo + pc_rng_next(&rng) % 30));
        blob_scores(&ba, q, 6, sa);
        blob_scores(&bb, q, 6, sb);
        blob_scores(&b2, q, 6, s2);
        for (int c = 0; c < 4; c++) {
            float tol = 0.002f * (1 + fabsf(sa[c]) + fabsf(sb[c]));
            cr_assert_float_eq(s2[c], (sa[c] + sb[c]) / 2, tol, "class %d: %f against %f and %f",
                               c, s2[c], sa[c], sb[c]);
            only_a |= lo == 0 && sa[c] != 0 && sb[c] == 0;
            only_b |= lo == 60 && sb[c] != 0 && sa[c] == 0;
        }
    }
    cr_assert(only_a && only_b, "the features of one training alone were not scored");
    buf_free(&ba);
    buf_free(&bb);
    buf_free(&b1);
    buf_free(&b2);
    pc_trainer_free(a);
    pc_trainer_free(b);
    pc_trainer_free(one);
    pc_trainer_free(two);
    pc_trainer_free(other);
}

/* Packed tables: the reader's kind whatever the class count (a 5-class
 * model packed as pc_tabs loads as pc_tabs and scores as built); a kind
 * that cannot hold the classes is refused; damaged packed tables (weights
 * in an empty slot, a table too full to probe) are refused with a message. */
Test(perceptron, packed_tables_load_and_refuse_damage)
{
    void *al;
    pc_trainer *t;
    pc_model m = few_classes(5, &al, &t);
    buf packed = {0}, err = {0};
    cr_assert_eq(pc_pack(&m, PC_TAB3, &packed), HS_EINVAL);
    cr_assert_eq(pc_pack(&m, PC_TABS, &packed), HS_OK);
    buf nine = {0};
    cr_assert_eq(pc_pack(&m, PC_TAB9, &nine), HS_OK);
    char path[128];
    snprintf(path, sizeof path, "/tmp/hearsay-test-pack-%ld.hsm", (long)getpid());
    const uint32_t id = MODEL_ID('T', 'E', 'S', 'T');
    uint32_t ids[1] = {PC_PACKED(id)};
    cr_assert_eq(model_write(path, MODEL_POS, ids, &packed, 1, &err), HS_OK, "%s", err.p);
    model file;
    cr_assert_eq(model_load(&file, path, MODEL_POS, &err), HS_OK, "%s", err.p);
    pc_tabs ts, built;
    cr_assert_eq(pc_tabs_load(&ts, &file, id, 5, path, "test", &err), HS_OK, "%s", err.p);
    cr_assert(!ts.owned);
    cr_assert_eq(pc_tabs_build(&built, &m), HS_OK);
    uint64_t rng = 5, q[6];
    for (int round = 0; round < 50; round++) {
        for (size_t j = 0; j < 6; j++)
            q[j] = fk_end(fk_num(fk_start(9), pc_rng_next(&rng) % 80));
        float a[5], b[5];
        pc_tabs_score(&ts, q, 6, a);
        pc_tabs_score(&built, q, 6, b);
        cr_assert_arr_eq(a, b, sizeof a);
    }
    pc_tab9 t9;
    cr_assert_eq(pc_tab9_load(&t9, &file, id, 5, path, "test", &err), HS_EMODEL,
                 "a pc_tabs section read as pc_tab9");
    pc_tabs_free(&ts);
    pc_tabs_free(&built);
    model_free(&file);
    /* the 5-class pc_tab9 as packed loads and scores as built */
    pc_tab9 built9;
    cr_assert_eq(model_write(path, MODEL_POS, ids, &nine, 1, &err), HS_OK, "%s", err.p);
    cr_assert_eq(model_load(&file, path, MODEL_POS, &err), HS_OK, "%s", err.p);
    cr_assert_eq(pc_tab9_load(&t9, &file, id, 5, path, "test", &err), HS_OK, "%s", err.p);
    cr_assert_eq(pc_tab9_build(&built9, &m), HS_OK);
    for (int round = 0; round < 50; round++) {
        for (size_t j = 0; j < 6; j++)
            q[j] = fk_end(fk_num(fk_start(9), pc_rng_next(&rng) % 80));
        float a[5], b[5];
        pc_tab9_score(&t9, q, 6, a);
        pc_tab9_score(&built9, q, 6, b);
        cr_assert_arr_eq(a, b, sizeof a);
    }
    pc_tab9_free(&t9);
    pc_tab9_free(&built9);
    model_free(&file);
    /* damaged pc_tab9s: a weight in an empty slot (a class it has, then
     * the last), a used slot's weight of a class beyond the five or its
     * pad set, and a table made full */
    const uint32_t slots_at = 8, body = 32;
    uint32_t slots;
    memcpy(&slots, nine.p + slots_at, 4);
    pc_slot9 *e = (pc_slot9 *)(nine.p + body);
    uint32_t empty = 0, used = 0;
    while (e[empty].check)
        empty++;
    while (!e[used].check)
        used++;
    for (int damage = 0; damage < 5; damage++) {
        buf copy = {0};
        cr_assert_eq(buf_append(&copy, nine.p, nine.len), HS_OK);
        pc_slot9 *ce = (pc_slot9 *)(copy.p + body);
        if (damage == 0)
            ce[empty].w[2] = 7;
        else if (damage == 1)
            ce[empty].w[8] = 1;
        else if (damage == 2)
            ce[used].w[5] = 3;
        else if (damage == 3)
            ce[used].pad = 1;
        else
            for (uint32_t i = 0; i < slots; i++)
                ce[i].check |= 1;
        cr_assert_eq(model_write(path, MODEL_POS, ids, &copy, 1, &err), HS_OK);
        cr_assert_eq(model_load(&file, path, MODEL_POS, &err), HS_OK);
        buf_clear(&err);
        cr_assert_eq(pc_tab9_load(&t9, &file, id, 5, path, "test", &err), HS_EMODEL,
                     "damage %d accepted", damage);
        cr_assert(strstr(err.p, damage == 4 ? "fuller than built" : "weights where none can be"),
                  "%s", err.p);
        model_free(&file);
        buf_free(&copy);
    }
    remove(path);
    buf_free(&packed);
    buf_free(&nine);
    buf_free(&err);
    free(al);
    pc_trainer_free(t);
}

/* Big blocks come zeroed and aligned, from huge-page mappings or malloc. */
Test(pages, blocks_are_zeroed_aligned_and_freed)
{
    size_t sizes[] = {1, 100, 4096, (size_t)3 << 20, (size_t)5 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned char *p = pages_alloc(sizes[i]);
        cr_assert(p);
        cr_assert_eq((uintptr_t)p % 64, 0);
        for (size_t k = 0; k < sizes[i]; k += 4093)
            cr_assert_eq(p[k], 0);
        cr_assert_eq(p[sizes[i] - 1], 0);
        memset(p, 0xab, sizes[i]);
        pages_free(p);
    }
    pages_free(NULL);
    cr_assert_null(pages_alloc(SIZE_MAX - 10));
}

/* The committed model must still score what its closing note says on dev. */
Test(tagger, committed_model_reproduces_its_dev_score)
{
    char gold[1024];
    t_shared("data/polnear/dev/corenlp-tsv", gold, sizeof gold);
    corpus dev = {0};
    buf err = {0};
    cr_assert_eq(corpus_read_corenlp_dir(&dev, gold, &err), 0, "%s: %s", gold, err.p);
    tagger *t;
    cr_assert_eq(tagger_load(&t, "models/pos.hsm", &err), 0, "%s", err.p);
    double acc;
    cr_assert_eq(tagger_accuracy(t, &dev, &acc), HS_OK);
    cr_assert_geq(acc, 0.9802 - 0.001, "dev POS accuracy %.4f, expected 0.9802", acc);
    cr_assert_geq(acc, 0.97, "issue target: POS >= 97.0%%");
    tagger_free(t);
    corpus_free(&dev);
    buf_free(&err);
}
