/* train - hs_train: reproduces a layer's model from the shared data folder
 * (PolNeAR train for fitting, dev for the reported score). Only the POS
 * tagger exists so far; parser and NER plug in here. */
#include <stdio.h>
#include <string.h>

#include "corpus.h"
#include "hearsay.h"
#include "tagger.h"

static void say(const hs_train_options *o, const char *s)
{
    if (o->log)
        o->log(o->user, s);
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
    int rc = HS_OK;
    if (corpus_read_corenlp_dir(&train, tr, log) || corpus_read_corenlp_dir(&dev, dv, log)) {
        rc = HS_EIO;
        goto done;
    }
    buf_printf(log, "pos: %zu training tokens in %zu sentences; dev %zu tokens\n", train.ntok,
               train.nsent, dev.ntok);
    flush_log(o, log);
    tagger_train_opts to = {o->epochs > 0 ? o->epochs : 8, o->seed ? o->seed : 1, 1.0f};
    if (tagger_train(&train, &dev, &to, o->out, log))
        rc = HS_EIO;
done:
    flush_log(o, log);
    corpus_free(&train);
    corpus_free(&dev);
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
    } else {
        buf_printf(&log, "unknown layer '%s' (pos)", layer);
        flush_log(o, &log);
        rc = HS_EINVAL;
    }
    buf_free(&log);
    return rc;
}
