/* cli - what the command files share: exit statuses, usage messages, and
 * the corpus commands (corpus.c). */
#ifndef HS_CLI_H
#define HS_CLI_H

#include <stdio.h>

#include "hearsay.h"

/* Exit statuses: 0 ok; 1 some document or input line failed (index,
 * analyze), or nothing matched (search, trace, quotes); 2 usage error
 * (also a bad or empty query); 3 output error; 4 a model is missing or
 * unreadable; 5 the corpus database cannot be opened, read or written;
 * 6 serve cannot listen on its address; 7 a cluster task ended without its
 * result (killed, cancelled, failed); 8 the cluster's scheduler refused the
 * job or cannot be reached. */
enum {
    EXIT_PARTIAL = 1,
    EXIT_USAGE = 2,
    EXIT_OUTPUT = 3,
    EXIT_MODEL = 4,
    EXIT_STORE = 5,
    EXIT_BIND = 6,
    EXIT_TASK = 7,
    EXIT_SCHED = 8
};

/* Prints "hearsay: " fmt (with arg) and a hint; returns EXIT_USAGE. */
int usage_error(const char *fmt, const char *arg);
/* The message for getopt's '?' (unknown) and ':' (missing argument). */
int option_error(int c, char **argv);
/* Whether colour is wanted for mode "auto", "always" or "never" on stdout. */
int color_wanted(const char *mode);
/* The model folder: opt (--models), $HEARSAY_MODELS, models/ beside the
 * program's folder, an installed tree's, or the configured prefix; tmp
 * (cap bytes) may hold the answer. */
const char *cli_model_dir(const char *opt, char *tmp, size_t cap);

/* The HS_FORMAT_* of an input format's name ("auto", "text", "html",
 * "jsonl", "warc"), or -1. */
int cli_input_format(const char *name);
/* Opens the engine with models; prints why and returns EXIT_MODEL (or
 * EXIT_PARTIAL when out of memory) on failure. */
int cli_open_engine(hs_engine **eng, hs_engine_options *o);
/* run_documents' emit for JSON output: one line per document, as analyze
 * --format json writes it; json_flags points to the HS_JSON_* flags. */
int cli_emit_json(hs_doc *doc, const hs_input *in, FILE *f, const void *json_flags);

/* Stores the analyze --format json lines of files[0..n) in st (index
 * --input analyzed); returns the number of lines or files that failed, or
 * -1 when the store failed (said on stderr). */
long corpus_put_analyzed(hs_store *st, char **files, int n, int progress);
/* A whole decimal number from min to max into *v: 0, or -1 (*v untouched). */
int cli_count(const char *s, long min, long max, long *v);
/* The hs_attr_kind of a kind's name ("direct", ...), or -1. */
int cli_kind(const char *name);

/* Prints why st could not be opened or written; returns EXIT_STORE. */
int corpus_store_error(hs_store *st, int rc);

int cmd_search(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_quotes(int argc, char **argv);
int cmd_stats(int argc, char **argv);
/* serve.c: the HTTP API and web UI over a corpus. */
int cmd_serve(int argc, char **argv);
/* slurm.c: a run over many files as a Slurm job array and a merge job. */
int cmd_slurm(int argc, char **argv);

#endif
