/* parser - greedy transition-based dependency parser (arc-hybrid, unlabelled
 * transitions scored by an averaged perceptron, then a perceptron labeller
 * over the finished tree) and its model file. Input is pre-tokenized,
 * POS-tagged sentences; it does not train (train/train_parser.h), tag,
 * tokenize or produce non-projective trees. Parsing allocates nothing once
 * the caller's scratch is large enough for the sentence. */
#ifndef HS_PARSER_H
#define HS_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* A loaded model: immutable after parser_load, shareable between threads. */
typedef struct parser parser;
/* Per-thread working memory for parser_parse; one thread at a time. */
typedef struct parser_scratch parser_scratch;

/* Loads and validates a MODEL_PARSER file. Returns HS_OK, or HS_ENOMEM or
 * HS_EMODEL with a message naming the file appended to err (*out is then
 * NULL). */
int parser_load(parser **out, const char *path, buf *err);
void parser_free(parser *p); /* accepts NULL */

unsigned parser_nlabels(const parser *p);
/* Name of label i ("nsubj", "root" ...); "" when i is out of range. The
 * string lives as long as p. */
const char *parser_label_name(const parser *p, unsigned i);

/* Scratch for sentences of up to max_tokens tokens (longer ones make
 * parser_parse grow it once). NULL on allocation failure. */
parser_scratch *parser_scratch_new(const parser *p, size_t max_tokens);
void parser_scratch_free(parser_scratch *s); /* accepts NULL */

/* Parses the n tokens form[i], pos[i] (CoreNLP-style forms, Penn tags).
 * Writes head[i] (1-based, 0 = root) and label[i] (< parser_nlabels) for
 * every token (label NULL: heads only, which skips the labeller); the
 * result is always a tree with exactly one root. If the
 * scratch cannot grow to n tokens, falls back to a right-headed chain. */
void parser_parse(const parser *p, parser_scratch *s, size_t n, const char *const *form,
                  const char *const *pos, int *head, uint16_t *label);

/* The label names, index by label id (parser_nlabels of them). */
const char *const *parser_label_names(const parser *p);

/* The parse stage: points d->label_names at p's; with all, parses every
 * sentence into d's head and label arrays (has_parse), else leaves the
 * sentences to the stages that parse what they read, into their own. */
struct hs_doc;
int parser_run(struct hs_doc *d, const parser *p, parser_scratch *s, int all);
/* Sentence se's tree, for a stage that reads it: 1 when d's head and label
 * hold it (parsed now with p and s if the parse stage left it), 0 when d
 * has no parse to give (no parser, or the parse stage did not run). */
int parser_need(struct hs_doc *d, const parser *p, parser_scratch *s, size_t se);

#endif
