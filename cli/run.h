/* run - the document loop of analyze and extract: readers over the input
 * files, N worker threads that each own an hs_doc (the engine is shared and
 * read-only), output strictly in input order, a progress line on a terminal
 * and a closing summary. Uses only hearsay.h. */
#ifndef HS_CLI_RUN_H
#define HS_CLI_RUN_H

#include <stdio.h>

#include "hearsay.h"

/* Writes one document (analyzed or extracted) to f; returns 0, or -1 when
 * it could not be formatted (the document then counts as failed). Called
 * from worker threads: it may only read ctx. */
typedef int (*run_emit_fn)(hs_doc *doc, const hs_input *in, FILE *f, const void *ctx);

/* Takes one document's output instead of stdout (index: into the corpus),
 * in input order, in the calling thread; where names the document for
 * messages. Returns 0, or -1 to stop the run (it said why on stderr). */
typedef int (*run_sink_fn)(void *ctx, const char *out, size_t len, const char *where);

/* The time of each step of the pipeline (hs_doc_stage_times), summed over
 * a run's documents and threads. */
enum { RUN_STEPS = 32 };
typedef struct run_times {
    const char *names[RUN_STEPS]; /* static strings of the library */
    double seconds[RUN_STEPS];
    size_t n;
} run_times;

typedef struct run_opts {
    const hs_engine *eng;
    int format;             /* HS_FORMAT_* of the input (AUTO: detect per file) */
    unsigned read_flags;    /* HS_READ_* */
    unsigned analyze_flags; /* HS_ANALYZE_* for hs_doc_analyze_input */
    int jobs;               /* worker threads; 1 = all in the calling thread */
    int progress;           /* progress line and summary on stderr */
    run_emit_fn emit;
    const void *ctx;
    unsigned long long first, last; /* only records first..last of each file (lines of JSON
                               Lines, WARC records; a whole file is record 1), and only
                               their errors; 0, 0: all */
    unsigned long long *written; /* when not NULL, gets the documents written added */
    run_sink_fn sink;       /* NULL: output goes to stdout */
    void *sink_ctx;
    run_times *times;       /* when not NULL, gets each step's time added */
} run_opts;

/* Runs every document of files[0..n). Returns the number of documents that
 * failed (each reported on stderr), or -1 when writing stdout (or the
 * sink) failed. */
long run_documents(const run_opts *o, char **files, int n);

#endif
