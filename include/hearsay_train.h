/* hearsay_train.h - training and evaluation beside the engine: retrain a
 * layer's model from the shared data, and score output against gold data
 * as the scripts in ../shared/tools do. A client of hearsay.h (it runs the
 * engine's pipeline like any program); the same library holds it. The
 * ownership and threading rules of hearsay.h apply. */
#ifndef HEARSAY_TRAIN_H
#define HEARSAY_TRAIN_H

#include "hearsay.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_train_options {
    const char *data_dir; /* the shared data folder (holds polnear/, wnut17/, ...) */
    const char *out;      /* model file to write */
    int epochs;           /* 0 = the layer's default */
    unsigned seed;        /* shuffling seed (0 = default) */
    /* progress lines ("epoch 3: ..."); may be NULL */
    void (*log)(void *user, const char *line);
    void *user;
    /* models of the layers a layer's training reads (attribution reads
     * pos.hsm and ner.hsm); NULL = "models" */
    const char *model_dir;
} hs_train_options;

/* Trains one layer ("pos", "parser", "ner", "attribution") from opts->data_dir and writes opts->out.
 * Returns HS_OK, HS_EINVAL (unknown layer), HS_EIO (data or output),
 * HS_EMODEL (a model the training reads, in opts->model_dir, is bad) or
 * HS_ENOMEM; messages go through opts->log. Not for hot paths. */
HS_API int hs_train(const char *layer, const hs_train_options *opts);

/* Scores CoNLL-U predictions like ../shared/tools/eval_tags.py: mode
 * "corenlp" (gold = a folder of CoreNLP .tsv files: POS, UAS, LAS, NER F1)
 * or "uner" (gold = an IOB2 file: NER F1 over PER/ORG/LOC). Writes the same
 * one-line JSON as the script into out (NUL-terminated, truncated to cap).
 * Returns HS_OK, or HS_EIO/HS_EINVAL/HS_ENOMEM with the reason in out. */
HS_API int hs_eval_tags(const char *mode, const char *gold, const char *pred, char *out, size_t cap);

/* hs_eval_polnear flags. */
enum {
    HS_EVAL_JSON = 1u << 0 /* the scorer's --json line instead of its text table */
};

/* Scores attributions like ../shared/tools/eval_polnear.py against the
 * PolNeAR brat gold of split_dir (text/STEM.txt, attributions/STEM_ANN.ann),
 * taking the first annotator that metadata (a metadata.tsv) lists; metadata
 * NULL = each article's STEM.ann, else its first STEM_*.ann by name.
 * Predictions: pred_jsonl, hearsay JSON Lines ("id" = text file name,
 * directories and ".txt" ignored; "-" = standard input), or NULL to run
 * eng's pipeline on every article text (eng may be NULL only with a file).
 * On HS_OK, *out is what the script prints, byte for byte, newlines
 * included, and *diag is NULL, or lines naming what was skipped and scored
 * without it: "pred.jsonl: line 3: not valid JSON: ...", an article the
 * pipeline could not analyze (it counts as a missing prediction). On error
 * (HS_EINVAL; HS_EIO: a folder, metadata, text, gold or prediction file
 * cannot be read; HS_ENOMEM) *out is NULL and *diag says why. Both are
 * malloc'd: free() them. Thread-safe: eng is only read. */
HS_API int hs_eval_polnear(const hs_engine *eng, const char *split_dir, const char *metadata,
                    const char *pred_jsonl, unsigned flags, char **out, char **diag);

#ifdef __cplusplus
}
#endif
#endif
