/* train - hs_train: reproduces a layer's model from the shared data folder
 * (PolNeAR train for fitting, dev for the reported score; WNUT-17 train joins
 * for NER). The parser learns from jackknifed POS tags (each quarter of the
 * training data tagged by a tagger trained on the other three), so that it
 * sees tagging errors like those it will meet. It only drives the trainers
 * (train_pos, train_parser, train_ner; attr_train of src/attribution.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "attr_train.h"
#include "corpus.h"
#include "hearsay_train.h"
#include "model.h"
#include "ner_int.h"
#include "parser_int.h"
#include "perceptron.h"
#include "tagger_int.h"
#include "train_clusters.h"
#include "train_ner.h"
#include "train_parser.h"
#include "train_pos.h"

/* Settings the parser's developer measured (see the closing notes). */
#define PARSER_PRUNE 2.5f
#define PARSER_MIN_COUNT 10
#define PARSER_MAX_BYTES 14500000
/* NER: the share of sentences trained in headline case (issue 17: 0.05 raised
 * UNER F1 0.616 -> 0.622 and kept our examples' headlines; 0.15 lowered it) */
#define NER_TITLECASE 0.05f

static void say(const hs_train_options *o, const char *s)
{
    if (o->log)
        o->log(o->user, s);
}

/* The code hs_train returns for a failure of data or output: HS_ENOMEM as
 * it is, every other one (HS_EFORMAT, HS_EMODEL ...) as HS_EIO. */
static int io_rc(int rc)
{
    return rc == HS_OK || rc == HS_ENOMEM ? rc : HS_EIO;
}

/* Emits log's lines through the callback and clears it. */
static void flush_log(const hs_train_options *o, buf *log)
{
    if (log->len)
        say(o, log->p);
    buf_clear(log);
}

static int train_pos(const hs_train_options *o, buf *log)
{
    char tr[4096], dv[4096];
    snprintf(tr, sizeof tr, "%s/polnear/train/corenlp-tsv", o->data_dir);
    snprintf(dv, sizeof dv, "%s/polnear/dev/corenlp-tsv", o->data_dir);
    corpus train = {0}, dev = {0};
    int rc;
    if ((rc = corpus_read_corenlp_dir(&train, tr, log)) ||
        (rc = corpus_read_corenlp_dir(&dev, dv, log)))
        goto done;
    buf_printf(log, "pos: %zu training tokens in %zu sentences; dev %zu tokens\n", train.ntok,
               train.nsent, dev.ntok);
    flush_log(o, log);
    tagger_train_opts to = {o->epochs > 0 ? o->epochs : 8, o->seed ? o->seed : 1, 1.0f};
    rc = tagger_train(&train, &dev, &to, o->out, log);
done:
    flush_log(o, log);
    corpus_free(&train);
    corpus_free(&dev);
    return io_rc(rc);
}

/* Sentences of c whose index % k == fold (take) or != fold (!take), as a
 * corpus sharing c's strings (out owns only its arrays). HS_OK or
 * HS_ENOMEM. */
static int corpus_fold(const corpus *c, size_t k, size_t fold, int take, corpus *out)
{
    memset(out, 0, sizeof *out);
    if (vec_reserve((void **)&out->sent, &out->capsent, c->nsent + 2, sizeof *out->sent) ||
        vec_reserve((void **)&out->tok, &out->captok, c->ntok + 1, sizeof *out->tok))
        return HS_ENOMEM;
    out->sent[0] = 0;
    for (size_t s = 0; s < c->nsent; s++) {
        if ((s % k == fold) != take)
            continue;
        size_t n = corpus_sent_len(c, s);
        memcpy(out->tok + out->ntok, c->tok + c->sent[s], n * sizeof *out->tok);
        out->ntok += n;
        out->sent[++out->nsent] = (uint32_t)out->ntok;
    }
    return HS_OK;
}

/* Jackknifed POS tags for every token of train, as tag names. */
typedef struct jk {
    const char **tag; /* per token of train */
} jk;

static int jk_pos(void *ctx, const corpus *c, size_t sent, const char **out)
{
    const jk *j = ctx;
    memcpy(out, j->tag + c->sent[sent], corpus_sent_len(c, sent) * sizeof *out);
    return HS_OK;
}

/* Tags each of the K folds of train with a tagger trained on the others
 * (written to tmp_model and read back). HS_OK, or the tagger's or
 * HS_ENOMEM with a message in log. */
static int jackknife(const corpus *train, const char *tmp_model, jk *j, buf *log)
{
    enum { K = 4 };
    j->tag = calloc(train->ntok + 1, sizeof *j->tag);
    if (!j->tag)
        return HS_ENOMEM;
    size_t right = 0;
    for (size_t f = 0; f < K; f++) {
        corpus rest = {0}, part = {0};
        int rc;
        if ((rc = corpus_fold(train, K, f, 0, &rest)) ||
            (rc = corpus_fold(train, K, f, 1, &part))) {
            buf_printf(log, "parser: out of memory jackknifing\n");
            corpus_free(&rest);
            corpus_free(&part);
            return rc;
        }
        tagger_train_opts to = {8, 1 + (unsigned)f, 1.0f};
        buf quiet = {0};
        tagger *t = NULL;
        rc = tagger_train(&rest, NULL, &to, tmp_model, &quiet);
        if (rc)
            buf_printf(log, "%s\n", quiet.p ? quiet.p : "parser: the fold's tagger failed");
        else
            rc = tagger_load(&t, tmp_model, log);
        buf_free(&quiet);
        if (rc) {
            corpus_free(&rest);
            corpus_free(&part);
            return rc;
        }
        uint16_t *tags = malloc((train->ntok + 1) * sizeof *tags);
        const char **forms = malloc((train->ntok + 1) * sizeof *forms);
        rc = tags && forms ? HS_OK : HS_ENOMEM;
        for (size_t s = f; !rc && s < train->nsent; s += K) {
            size_t n = corpus_sent_len(train, s), b = train->sent[s];
            for (size_t i = 0; i < n; i++)
                forms[i] = train->tok[b + i].form;
            tagger_tag(t, n, forms, tags);
            for (size_t i = 0; i < n; i++) {
                j->tag[b + i] = tagger_tag_name(t, tags[i]);
                right += !strcmp(j->tag[b + i], train->tok[b + i].pos);
            }
        }
        /* tag names must outlive the tagger: intern them in the corpus-free
         * heap (every one of the fold, so that jk_free frees only copies) */
        for (size_t s = f; tags && forms && s < train->nsent; s += K) {
            size_t n = corpus_sent_len(train, s), b = train->sent[s];
            for (size_t i = 0; i < n; i++) {
                const char *nm = j->tag[b + i];
                /* the training corpus has every tag name the tagger knows */
                j->tag[b + i] = !strcmp(nm, train->tok[b + i].pos) ? train->tok[b + i].pos
                                                                    : strdup(nm);
                if (!j->tag[b + i])
                    rc = HS_ENOMEM;
            }
        }
        free(tags);
        free(forms);
        tagger_free(t);
        corpus_free(&rest);
        corpus_free(&part);
        if (rc) {
            buf_printf(log, "parser: out of memory jackknifing\n");
            return rc;
        }
    }
    buf_printf(log, "parser: jackknifed POS accuracy on train %.4f\n",
               train->ntok ? (double)right / train->ntok : 0);
    return HS_OK;
}

static void jk_free(const corpus *train, jk *j)
{
    if (!j->tag)
        return;
    for (size_t i = 0; i < train->ntok; i++)
        if (j->tag[i] && j->tag[i] != train->tok[i].pos)
            free((void *)j->tag[i]);
    free(j->tag);
}

static int train_parser(const hs_train_options *o, buf *log)
{
    char tr[4096], dv[4096], tmp[4200];
    snprintf(tr, sizeof tr, "%s/polnear/train/corenlp-tsv", o->data_dir);
    snprintf(dv, sizeof dv, "%s/polnear/dev/corenlp-tsv", o->data_dir);
    snprintf(tmp, sizeof tmp, "%s.pos-fold.tmp", o->out);
    corpus train = {0}, dev = {0};
    jk j = {0};
    int rc;
    if ((rc = corpus_read_corenlp_dir(&train, tr, log)) ||
        (rc = corpus_read_corenlp_dir(&dev, dv, log)))
        goto done;
    buf_printf(log, "parser: %zu training tokens; jackknifing POS tags (4 folds)\n", train.ntok);
    flush_log(o, log);
    rc = jackknife(&train, tmp, &j, log);
    remove(tmp);
    if (rc)
        goto done;
    flush_log(o, log);
    parser_train_opts po = {0};
    po.epochs = o->epochs > 0 ? (unsigned)o->epochs : 0;
    po.seed = o->seed;
    po.prune = PARSER_PRUNE;
    po.min_count = PARSER_MIN_COUNT;
    po.max_bytes = PARSER_MAX_BYTES;
    po.pos = jk_pos;
    po.pos_ctx = &j;
    rc = parser_train(&train, &dev, &po, o->out, log);
done:
    flush_log(o, log);
    jk_free(&train, &j);
    corpus_free(&train);
    corpus_free(&dev);
    return io_rc(rc);
}

static int train_ner(const hs_train_options *o, buf *log)
{
    char tr[4096], dv[4096], wn[4096];
    snprintf(tr, sizeof tr, "%s/polnear/train/corenlp-tsv", o->data_dir);
    snprintf(dv, sizeof dv, "%s/polnear/dev/corenlp-tsv", o->data_dir);
    snprintf(wn, sizeof wn, "%s/wnut17/wnut17train.conll", o->data_dir);
    corpus train = {0}, dev = {0}, wnut = {0};
    buf classes = {0};
    int rc;
    if ((rc = corpus_read_corenlp_dir(&train, tr, log)) ||
        (rc = corpus_read_corenlp_dir(&dev, dv, log)) || (rc = corpus_read_conll(&wnut, wn, log)))
        goto done;
    buf_printf(log, "ner: %zu PolNeAR + %zu WNUT-17 training tokens\n", train.ntok, wnut.ntok);
    flush_log(o, log);
    const corpus *sets[2] = {&train, &wnut};
    ner_train_opts no = {0};
    no.epochs = o->epochs > 0 ? (unsigned)o->epochs : 0;
    no.seed = o->seed;
    no.titlecase = NER_TITLECASE;
    if ((rc = clusters_build(sets, 2, NULL, &classes, log)))
        goto done;
    flush_log(o, log);
    no.classes = classes.p;
    no.classes_len = classes.len;
    rc = ner_train(sets, 2, &dev, &no, o->out, log);
done:
    buf_free(&classes);
    flush_log(o, log);
    corpus_free(&train);
    corpus_free(&dev);
    corpus_free(&wnut);
    return io_rc(rc);
}

static int train_attr(const hs_train_options *o, buf *log)
{
    hs_engine *eng = NULL;
    hs_engine_options eo = {0};
    eo.model_dir = o->model_dir ? o->model_dir : "models";
    eo.layers = HS_LAYER_POS | HS_LAYER_PARSE | HS_LAYER_NER;
    int rc = hs_engine_open(&eng, &eo);
    if (rc || !hs_engine_has_pos(eng)) {
        buf_printf(log, "attribution: needs the POS and NER models in %s: %s\n", eo.model_dir,
                   rc ? hs_engine_errmsg(eng) : "pos.hsm not found");
        flush_log(o, log);
        hs_engine_close(eng);
        return rc ? rc : HS_EIO;
    }
    rc = attr_train(eng, o->data_dir, o->epochs, o->seed, o->out, log);
    if (rc == HS_EMODEL)
        rc = HS_EIO; /* the model it wrote cannot be read back */
    flush_log(o, log);
    hs_engine_close(eng);
    return rc;
}

/* The weight sections of every model and the table their reader scores
 * with: a section packed as another kind could not be read. */
static const struct {
    uint32_t id;
    unsigned kind;
} packed_as[] = {
    {TAGGER_SEC_PERC, PC_TABS},     {PARSER_SEC_TRANS, PC_TAB3}, {PARSER_SEC_LABELLER, PC_TABS},
    {NER_SEC_W, PC_TAB9},           {ATTR_SEC_CUE, PC_TAB3},     {ATTR_SEC_ROLE, PC_TAB3},
    {ATTR_SEC_STEP, PC_TAB9},
};

/* Rewrites the model file at path with its perceptron weight sections
 * packed (perceptron.h: PC_PACKED), so that loading views tables instead of
 * building them; sections already packed and other sections are copied. */
static int pack_file(const char *path, buf *log)
{
    model m;
    if (model_load(&m, path, MODEL_ANY, log))
        return HS_EIO;
    buf body[64] = {{0}};
    uint32_t ids[64];
    size_t n = 0, packed = 0;
    int rc = HS_OK;
    for (uint32_t i = 0; !rc && i < m.nsec && i < 64; i++, n++) {
        const unsigned char *p = m.data + m.sec[i].offset;
        pc_model pc;
        char msg[100];
        int kind = -1; /* not a weight section */
        for (size_t k = 0; k < sizeof packed_as / sizeof *packed_as; k++)
            if (packed_as[k].id == m.sec[i].id)
                kind = (int)packed_as[k].kind;
        if (kind >= 0 && pc_model_open(&pc, p, (size_t)m.sec[i].size, msg, sizeof msg) == HS_OK &&
            (rc = pc_pack(&pc, (unsigned)kind, &body[n])) != HS_EINVAL) {
            ids[n] = PC_PACKED(m.sec[i].id);
            packed++;
        } else {
            buf_clear(&body[n]);
            ids[n] = m.sec[i].id;
            rc = buf_append(&body[n], p, (size_t)m.sec[i].size);
        }
    }
    uint32_t type = m.type;
    model_free(&m);
    if (!rc && packed)
        rc = model_write(path, type, ids, body, n, log);
    if (rc == HS_OK && packed)
        buf_printf(log, "%s: %zu weight sections packed\n", path, packed);
    if (rc == HS_ENOMEM)
        buf_printf(log, "%s: out of memory while packing\n", path);
    for (size_t i = 0; i < n; i++)
        buf_free(&body[i]);
    return rc;
}

int hs_train(const char *layer, const hs_train_options *o)
{
    if (!layer || !o || !o->data_dir || !o->out)
        return HS_EINVAL;
    buf log = {0};
    int rc;
    if (!strcmp(layer, "pos")) {
        rc = train_pos(o, &log);
    } else if (!strcmp(layer, "parser")) {
        rc = train_parser(o, &log);
    } else if (!strcmp(layer, "ner")) {
        rc = train_ner(o, &log);
    } else if (!strcmp(layer, "attribution")) {
        rc = train_attr(o, &log);
    } else if (!strcmp(layer, "pack")) {
        rc = HS_OK;
    } else {
        buf_printf(&log, "unknown layer '%s' (pos, parser, ner, attribution or pack)", layer);
        flush_log(o, &log);
        buf_free(&log);
        return HS_EINVAL;
    }
    if (rc == HS_OK)
        rc = io_rc(pack_file(o->out, &log));
    flush_log(o, &log);
    buf_free(&log);
    return rc;
}
