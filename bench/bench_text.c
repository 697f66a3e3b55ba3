/* bench_text - speed of the text layer and structure (read -> validate ->
 * tokenize -> segment -> blocks -> JSON) on real news text. Loads every .txt
 * under the given folders into memory, warms up, then times several passes
 * on one core; then the linguistic layers, and analyze on one 2 MB line.
 * Prints MB/s, words/s, the time of each step (hs_doc_stage_times), peak RSS
 * and a hash of the JSON output, so that a speed-up that changes results is
 * caught. Not a timed test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_texts.h"
#include "hearsay.h"

static text *texts;
static size_t ntexts;

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* A whole article on one line, as JSON Lines feeds have it: statements with
 * names, quotations and "I" inside them, repeated to 2 MiB. */
static char *one_line(size_t *len)
{
#define LQ "\xE2\x80\x9C" /* “ */
#define RQ "\xE2\x80\x9D" /* ” */
    static const char u[] = "The mayor said the budget is fine. " LQ "We will fix it," RQ
                            " Mayor Ana Ruiz said. " LQ "It is over," RQ " I said, " LQ
                            "and we know it." RQ " ";
#undef LQ
#undef RQ
    size_t n = ((size_t)2 << 20) / (sizeof u - 1);
    char *p = malloc(n * (sizeof u - 1) + 2);
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++)
        memcpy(p + i * (sizeof u - 1), u, sizeof u - 1);
    *len = n * (sizeof u - 1);
    p[(*len)++] = '\n';
    p[*len] = 0;
    return p;
}

/* One pass over all texts; json: also hash the JSON of each (the file's
 * name, without its folder, is the id, so that the hash does not depend
 * on where the data lives). */
static unsigned long long pass(hs_doc *doc, int json)
{
    unsigned long long h = 1469598103934665603ull;
    for (size_t i = 0; i < ntexts; i++) {
        if (hs_doc_analyze(doc, texts[i].name, texts[i].p, texts[i].n, 0)) {
            fprintf(stderr, "bench: %s: %s\n", texts[i].name, hs_doc_errmsg(doc));
            exit(1);
        }
        if (json) {
            const char *js;
            size_t jl;
            hs_doc_json(doc, 0, &js, &jl);
            for (size_t k = 0; k < jl; k++)
                h = (h ^ (unsigned char)js[k]) * 1099511628211ull;
        }
    }
    return h;
}

/* The time of each step for one pass over the corpus, from the
 * document's stage times after passes passes (and json_s, the seconds of
 * writing the JSON of one pass, when those passes wrote none): seconds,
 * share of their sum, and words/s of the step alone ("-" for a step that
 * did next to nothing: a layer the engine does not run). */
static void stage_table(const char *title, hs_doc *d, int passes, double json_s, size_t words)
{
    enum { CAP = 32 };
    const char *names[CAP];
    double s[CAP], total = 0;
    size_t n = 0;
    hs_doc_stage_times(d, names, s, CAP, &n);
    n = n < CAP ? n : CAP;
    for (size_t i = 0; i < n; i++) {
        s[i] = json_s >= 0 && !strcmp(names[i], "json") ? json_s : s[i] / passes;
        total += s[i];
    }
    printf("  %s, time per step (one pass):\n", title);
    printf("    %-12s %9s %7s %14s\n", "step", "seconds", "share", "words/s");
    for (size_t i = 0; i < n; i++) {
        char wps[32] = "-";
        if (s[i] > total * 1e-4)
            snprintf(wps, sizeof wps, "%.0f", words / s[i]);
        printf("    %-12s %9.4f %6.1f%% %14s\n", names[i], s[i],
               total > 0 ? 100 * s[i] / total : 0.0, wps);
    }
    printf("    %-12s %9.4f %6.1f%% %14.0f\n", "total", total, 100.0,
           total > 0 ? words / total : 0.0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_text DIR...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        load_dir(argv[i], &texts, &ntexts);
    if (ntexts) /* in one order whatever the folder's (the hash depends on it) */
        qsort(texts, ntexts, sizeof *texts, by_name);
    size_t bytes = 0, words = 0;
    for (size_t i = 0; i < ntexts; i++) {
        bytes += texts[i].n;
        words += texts[i].words;
    }
    hs_engine *eng;
    hs_doc *doc;
    if (hs_engine_open(&eng, NULL) || hs_doc_new(&doc, eng))
        return 1;
    printf("corpus: %zu documents, %.2f MB, %zu words\n", ntexts, bytes / 1e6, words);
    pass(doc, 1); /* warm-up */
    /* BENCH_SECONDS=0 gives one pass per stage (for callgrind) */
    const char *ms = getenv("BENCH_SECONDS");
    double min_seconds = ms ? atof(ms) : 2.0;
    const char *names[2] = {"text layer + structure", "text layer + structure + JSON"};
    unsigned long long hash = 0, hashes[3] = {0, 0, 0};
    int reps = 0;
    for (int json = 0; json < 2; json++) {
        hs_doc_stage_times_reset(doc);
        reps = 0;
        double t0 = now(), t;
        do {
            hash = pass(doc, json);
            reps++;
            t = now() - t0;
        } while (t < min_seconds);
        printf("%-32s %8.1f MB/s %12.0f words/s  (%d passes, %.2f s)\n", names[json],
               bytes * reps / t / 1e6, words * reps / t, reps, t);
    }
    stage_table("text layer + structure + JSON", doc, reps, -1, words);
    hashes[0] = hash;
    /* the linguistic layers, when models/ has them: those `hearsay analyze`
     * runs, then all of them (as `hearsay tag`); one engine at a time, so
     * that the peak RSS after each is that pipeline's own */
    static const struct {
        const char *name;
        unsigned layers;
    } stage[2] = {{"analyze: + POS, NER, attribution, events",
                   HS_LAYER_POS | HS_LAYER_NER | HS_LAYER_ATTR},
                  {"tag: + POS, parser, NER", HS_LAYER_POS | HS_LAYER_PARSE | HS_LAYER_NER}};
    for (int st = 0; st < 2; st++) {
        hs_engine *e = NULL;
        hs_doc *d = NULL;
        hs_engine_options o = {.model_dir = "models", .layers = stage[st].layers};
        if (hs_engine_open(&e, &o) != HS_OK || !hs_engine_has_pos(e) || hs_doc_new(&d, e) != HS_OK) {
            fprintf(stderr, "bench: no usable models/ (%s): %s not measured\n",
                    e ? hs_engine_errmsg(e) : "open failed", stage[st].name);
            hs_doc_free(d);
            hs_engine_close(e);
            continue;
        }
        /* warm-up, so that the RSS after it is the steady state; its JSON
         * goes into the hash, which then covers the models' results too,
         * and its time for the JSON into the table of steps */
        unsigned long long hs = pass(d, 1);
        double json_s = 0;
        const char *sn[32];
        double ss[32];
        size_t ns = 0;
        hs_doc_stage_times(d, sn, ss, 32, &ns);
        for (size_t i = 0; i < ns && i < 32; i++)
            if (!strcmp(sn[i], "json"))
                json_s = ss[i];
        hs_doc_stage_times_reset(d);
        hash = (hash ^ hs) * 1099511628211ull;
        hashes[st + 1] = hs;
        long rss_warm = peak_rss_kb();
        reps = 0;
        double t0 = now(), t;
        do {
            pass(d, 0);
            reps++;
            t = now() - t0;
        } while (t < min_seconds);
        long rss_end = peak_rss_kb();
        printf("%-32s %8.1f MB/s %12.0f words/s  (%d passes, %.2f s)\n", stage[st].name,
               bytes * reps / t / 1e6, words * reps / t, reps, t);
        if (st == 0)
            printf("  peak RSS: %.1f MB after warm-up, %.1f MB at the end (constant memory: %s)\n",
                   rss_warm / 1024.0, rss_end / 1024.0, rss_end <= rss_warm + 1024 ? "yes" : "NO");
        stage_table(st == 0 ? "analyze + JSON" : "tag + JSON", d, reps, json_s, words);
        /* the same pipeline on one paragraph of 2 MB: attribution's windows
         * keep its time per word near that of news text */
        size_t ll;
        char *line = st == 0 ? one_line(&ll) : NULL;
        if (line) {
            size_t lw = count_words(line, ll), na = 0;
            reps = 0;
            t0 = now();
            do {
                if (hs_doc_analyze(d, "line", line, ll, 0)) {
                    fprintf(stderr, "bench: one line: %s\n", hs_doc_errmsg(d));
                    exit(1);
                }
                hs_doc_attributions(d, &na);
                reps++;
                t = now() - t0;
            } while (t < min_seconds);
            printf("%-32s %8.1f MB/s %12.0f words/s  (%d passes, %.2f s, %zu attributions)\n",
                   "analyze: one 2 MB line", ll * reps / t / 1e6, lw * reps / t, reps, t, na);
            free(line);
        }
        hs_doc_free(d);
        hs_engine_close(e);
    }
    printf("output hash: %016llx (text layer %016llx, analyze %016llx, tag %016llx)\n", hash,
           hashes[0], hashes[1], hashes[2]);
    hs_doc_free(doc);
    hs_engine_close(eng);
    for (size_t i = 0; i < ntexts; i++) {
        free(texts[i].p);
        free(texts[i].name);
    }
    free(texts);
    return 0;
}
