/* Unit tests: dependency parser (src/parser) and its trainer
 * (train/train_parser) - training a tiny model on sentences written for
 * this test, loading it, well-formed trees for any input, and loader
 * errors on damaged model files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parser.h"
#include "train_parser.h"

/* word pos head deprel; blank line between sentences */
static const char *const sentences =
    "The DT 2 det\nmayor NN 3 nsubj\nsigned VBD 0 root\nthe DT 5 det\nbill NN 3 dobj\n"
    ". . 3 punct\n\n"
    "Voters NNS 2 nsubj\nrejected VBD 0 root\nthe DT 5 det\nnew JJ 5 amod\nplan NN 2 dobj\n"
    "on IN 7 case\nTuesday NNP 2 nmod\n. . 2 punct\n\n"
    "She PRP 2 nsubj\nsaid VBD 0 root\nthe DT 4 det\ncouncil NN 5 nsubj\nwould MD 6 aux\n"
    "vote VB 2 ccomp\nlater RB 6 advmod\n. . 2 punct\n\n"
    "`` `` 3 punct\nWe PRP 3 nsubj\nwon VBD 0 root\n'' '' 3 punct\n, , 3 punct\n"
    "the DT 7 det\ncoach NN 8 nsubj\nsaid VBD 3 parataxis\n. . 3 punct\n\n"
    "A DT 2 det\nbridge NN 4 nsubjpass\nwas VBD 4 auxpass\nbuilt VBN 0 root\n"
    "across IN 7 case\nthe DT 7 det\nriver NN 4 nmod\n-LRB- -LRB- 9 punct\n2019 CD 7 appos\n"
    "-RRB- -RRB- 9 punct\n. . 4 punct\n\n"
    "Prices NNS 2 nsubj\nrose VBD 0 root\nand CC 2 cc\nwages NNS 5 nsubj\nfell VBD 2 conj\n"
    ". . 2 punct\n\n";

static char dir[64], model_path[96];
static corpus train;

/* Writes the sentences as a CoreNLP TSV folder and reads it back. */
static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/hs-test-parser-%ld", (long)getpid());
    mkdir(dir, 0700);
    char path[128];
    snprintf(path, sizeof path, "%s/tiny.tsv", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "# char_begin\tchar_end\tword\tlemma\tpos\tner\thead\tdeprel\n");
    char line[128];
    const char *s = sentences;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = (size_t)(e - s);
        memcpy(line, s, n);
        line[n] = 0;
        s = e + 1;
        if (!n) {
            fprintf(f, "\n");
            continue;
        }
        char w[32], p[16], rel[16];
        int h;
        cr_assert_eq(sscanf(line, "%31s %15s %d %15s", w, p, &h, rel), 4);
        fprintf(f, "0\t0\t%s\t%s\t%s\tO\t%d\t%s\n", w, w, p, h, rel);
    }
    fclose(f);
    buf err = {0};
    memset(&train, 0, sizeof train);
    cr_assert_eq(corpus_read_corenlp_dir(&train, dir, &err), HS_OK, "%s", err.p);
    buf_free(&err);
    snprintf(model_path, sizeof model_path, "%s/parser.hsm", dir);
    parser_train_opts o = {.epochs = 8, .seed = 7};
    buf log = {0};
    cr_assert_eq(parser_train(&train, &train, &o, model_path, &log), HS_OK, "%s", log.p);
    buf_free(&log);
}

static void teardown(void)
{
    corpus_free(&train);
    char path[128];
    snprintf(path, sizeof path, "%s/tiny.tsv", dir);
    unlink(path);
    unlink(model_path);
    snprintf(path, sizeof path, "%s/bad.hsm", dir);
    unlink(path);
    rmdir(dir);
}

TestSuite(parser, .init = setup, .fini = teardown);

/* Asserts head[0..n) is a tree: heads in range, one root, no cycle. */
static void assert_tree(const parser *p, size_t n, const int *head, const uint16_t *label)
{
    size_t roots = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert(head[i] >= 0 && (size_t)head[i] <= n && (size_t)head[i] != i + 1,
                  "token %zu has head %d", i + 1, head[i]);
        cr_assert_lt(label[i], parser_nlabels(p));
        roots += head[i] == 0;
    }
    cr_assert_eq(roots, 1);
    for (size_t i = 0; i < n; i++) {
        size_t steps = 0;
        for (int h = head[i]; h != 0; h = head[h - 1])
            cr_assert(++steps <= n, "cycle through token %zu", i + 1);
    }
}

static parser *load_ok(void)
{
    parser *p = NULL;
    buf err = {0};
    cr_assert_eq(parser_load(&p, model_path, &err), 0, "%s", err.p);
    buf_free(&err);
    return p;
}

Test(parser, trains_loads_and_parses_its_training_data)
{
    parser *p = load_ok();
    parser_scratch *s = parser_scratch_new(p, 8);
    cr_assert(s);
    const char *form[64], *pos[64];
    int head[64];
    uint16_t label[64];
    size_t right = 0;
    for (size_t i = 0; i < train.nsent; i++) {
        size_t a = train.sent[i], n = corpus_sent_len(&train, i);
        for (size_t j = 0; j < n; j++) {
            form[j] = train.tok[a + j].form;
            pos[j] = train.tok[a + j].pos;
        }
        parser_parse(p, s, n, form, pos, head, label);
        assert_tree(p, n, head, label);
        for (size_t j = 0; j < n; j++)
            right += head[j] == train.tok[a + j].head &&
                     !strcmp(parser_label_name(p, label[j]), train.tok[a + j].deprel);
    }
    /* a perceptron memorises six sentences */
    cr_assert_geq(right * 10, train.ntok * 9, "%zu of %zu right", right, train.ntok);
    cr_assert_str_eq(parser_label_name(p, 60000), "");
    parser_scratch_free(s);
    parser_free(p);
}

Test(parser, one_token_punctuation_and_long_sentences)
{
    parser *p = load_ok();
    parser_scratch *s = parser_scratch_new(p, 4);
    int head[2000];
    uint16_t label[2000];
    const char *f1[] = {"Hello"}, *p1[] = {"UH"};
    parser_parse(p, s, 1, f1, p1, head, label);
    cr_assert_eq(head[0], 0);
    cr_assert_str_eq(parser_label_name(p, label[0]), "root");

    const char *fp[] = {"...", "!", "?", "--"}, *pp[] = {":", ".", ".", ":"};
    parser_parse(p, s, 4, fp, pp, head, label);
    assert_tree(p, 4, head, label);

    static const char *fl[2000], *pl[2000];
    static const char *words[] = {"the", "mayor", "said", ",", "and", "voters", "rose", "."};
    static const char *tags[] = {"DT", "NN", "VBD", ",", "CC", "NNS", "VBD", "."};
    for (size_t i = 0; i < 2000; i++) {
        fl[i] = words[i % 8];
        pl[i] = tags[i % 8];
    }
    parser_parse(p, s, 2000, fl, pl, head, label);
    assert_tree(p, 2000, head, label);
    parser_parse(p, s, 0, fl, pl, head, label); /* nothing to do, no crash */
    parser_scratch_free(s);
    parser_free(p);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)n);
    cr_assert(p && fread(p, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void spit(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(p, 1, n, f) == n);
    fclose(f);
}

Test(parser, truncated_model_is_an_error)
{
    size_t len;
    unsigned char *img = slurp(model_path, &len);
    char bad[128];
    snprintf(bad, sizeof bad, "%s/bad.hsm", dir);
    for (size_t cut = 0; cut < len; cut += 1 + cut / 3) {
        spit(bad, img, cut);
        parser *p = (parser *)1;
        buf err = {0};
        cr_assert_eq(parser_load(&p, bad, &err), HS_EMODEL, "cut at %zu loaded", cut);
        cr_assert_null(p);
        cr_assert(err.len > 0);
        buf_free(&err);
    }
    free(img);
}

Test(parser, corrupt_model_is_an_error_or_still_parses_trees)
{
    size_t len;
    unsigned char *img = slurp(model_path, &len);
    char bad[128];
    snprintf(bad, sizeof bad, "%s/bad.hsm", dir);
    const char *form[] = {"The", "mayor", "signed", "it", "."};
    const char *pos[] = {"DT", "NN", "VBD", "PRP", "."};
    int head[5];
    uint16_t label[5];
    size_t errors = 0;
    /* damage one stretch at a time, all over the file */
    for (size_t at = 0; at + 4 <= len; at += 4 + at / 8) {
        unsigned char *c = malloc(len);
        memcpy(c, img, len);
        memset(c + at, at % 3 ? 0xff : 0x00, 4);
        spit(bad, c, len);
        free(c);
        parser *p = NULL;
        buf err = {0};
        if (parser_load(&p, bad, &err)) {
            cr_assert(err.len > 0);
            errors++;
        } else {
            parser_scratch *s = parser_scratch_new(p, 16);
            parser_parse(p, s, 5, form, pos, head, label);
            assert_tree(p, 5, head, label);
            parser_scratch_free(s);
            parser_free(p);
        }
        buf_free(&err);
    }
    cr_assert_gt(errors, 0);
    free(img);
}

Test(parser, missing_file_is_an_error)
{
    parser *p = NULL;
    buf err = {0};
    cr_assert_eq(parser_load(&p, "/nonexistent/parser.hsm", &err), HS_EMODEL);
    cr_assert(strstr(err.p, "/nonexistent/parser.hsm"));
    buf_free(&err);
    parser_free(NULL);
    parser_scratch_free(NULL);
}
