/* bench_scale - whether analyze's cost is flat, on one core: the time per
 * word of documents of about 100, 1,000, 10,000 and 100,000 words (the same
 * PolNeAR paragraphs cut into documents of each size), then a stream of
 * BENCH_STREAM_DOCS (default 100,000) documents, the texts cycled, on one
 * hs_doc: words/s and current RSS per tenth. Each document is analyzed and
 * written as JSON. Prints plain tables and a hash of the JSON. Not a timed test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench_texts.h"
#include "hearsay.h"

static text *texts;
static size_t ntexts;

static _Noreturn void die(const char *what, const char *why)
{
    fprintf(stderr, "bench_scale: %s: %s\n", what, why);
    exit(1);
}

/* The resident set now (not the peak), from /proc/self/statm. */
static double rss_mb(void)
{
    long size, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f && fscanf(f, "%ld %ld", &size, &res) != 2)
        res = 0;
    if (f)
        fclose(f);
    return res * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

/* Seconds of CPU this process used (user and system): another job on the
 * machine slows a slice's wall time more than its CPU time. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

/* Analyzes t and writes its JSON; returns the FNV-1a hash of the JSON
 * folded into h. */
static unsigned long long one(hs_doc *d, const text *t, unsigned long long h)
{
    const char *js;
    size_t jl = 0;
    if (hs_doc_analyze(d, t->name, t->p, t->n, 0) || hs_doc_json(d, 0, &js, &jl))
        die(t->name, hs_doc_errmsg(d));
    for (size_t k = 0; k < jl; k++)
        h = (h ^ (unsigned char)js[k]) * 1099511628211ull;
    return h;
}

/* ---- time per word by document size -------------------------------------- */

/* A paragraph of a text: p[0..n), no blank line inside. */
typedef struct para {
    const char *p;
    size_t n, words;
} para;

/* The paragraphs of the texts in order until they hold at least want
 * words (each text's title line is a paragraph too). */
static para *paragraphs(size_t want, size_t *np)
{
    para *ps = NULL;
    size_t n = 0, words = 0;
    for (size_t i = 0; i < ntexts && words < want; i++) {
        const char *p = texts[i].p, *end = p + texts[i].n;
        while (p < end && words < want) {
            while (p < end && (*p == '\n' || *p == '\r'))
                p++;
            const char *q = p;
            while (q < end && !(q[0] == '\n' && q + 1 < end && (q[1] == '\n' || q[1] == '\r')))
                q++;
            size_t w = count_words(p, (size_t)(q - p));
            if (w) {
                ps = bench_realloc(ps, (n + 1) * sizeof *ps);
                ps[n++] = (para){p, (size_t)(q - p), w};
                words += w;
            }
            p = q;
        }
    }
    *np = n;
    return ps;
}

/* The paragraphs cut into documents of at least size words each (a
 * shorter rest joins the last one), paragraphs separated by a blank line. */
static text *documents(const para *ps, size_t np, size_t size, size_t *nd)
{
    size_t left = 0;
    for (size_t i = 0; i < np; i++)
        left += ps[i].words;
    text *ds = NULL;
    size_t n = 0;
    for (size_t i = 0; i < np;) {
        text t = {NULL, NULL, 0, 0};
        char name[32];
        snprintf(name, sizeof name, "scale-%zu-%zu", size, n);
        t.name = strdup(name);
        /* the whole rest when it would leave less than size words behind */
        size_t goal = left < 2 * size ? left : size;
        while (i < np && t.words < goal) {
            t.p = bench_realloc(t.p, t.n + ps[i].n + 3);
            if (t.n) {
                memcpy(t.p + t.n, "\n\n", 2);
                t.n += 2;
            }
            memcpy(t.p + t.n, ps[i].p, ps[i].n);
            t.n += ps[i].n;
            t.p[t.n] = 0;
            t.words += ps[i].words;
            left -= ps[i].words;
            i++;
        }
        ds = bench_realloc(ds, (n + 1) * sizeof *ds);
        ds[n++] = t;
    }
    *nd = n;
    return ds;
}

static void free_texts(text *ts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ts[i].name);
        free(ts[i].p);
    }
    free(ts);
}

static unsigned long long by_size(const hs_engine *eng, double min_seconds)
{
    static const size_t sizes[] = {100, 1000, 10000, 100000};
    enum { NSIZES = sizeof sizes / sizeof *sizes };
    size_t np;
    para *ps = paragraphs(sizes[NSIZES - 1], &np);
    /* each size's documents on a document of its own; the sizes take turns,
     * pass by pass, and the fastest pass of each counts, so that another
     * job on the machine weighs on no size more than on the others */
    struct {
        text *ds;
        size_t docs, words;
        hs_doc *d;
        double seconds, us; /* the fastest pass; per word */
    } row[NSIZES];
    unsigned long long h = 1469598103934665603ull;
    for (size_t s = 0; s < NSIZES; s++) {
        row[s].ds = documents(ps, np, sizes[s], &row[s].docs);
        row[s].words = 0;
        for (size_t i = 0; i < row[s].docs; i++)
            row[s].words += row[s].ds[i].words;
        if (hs_doc_new(&row[s].d, eng))
            die("hs_doc_new", "out of memory");
        for (size_t i = 0; i < row[s].docs; i++) /* warm-up; its JSON goes into the hash */
            h = one(row[s].d, &row[s].ds[i], h);
        row[s].seconds = 0;
    }
    int passes = 0;
    double t_all = now();
    do {
        for (size_t s = 0; s < NSIZES; s++) {
            double t0 = now();
            for (size_t i = 0; i < row[s].docs; i++)
                one(row[s].d, &row[s].ds[i], 0);
            double t = now() - t0;
            row[s].seconds = !passes || t < row[s].seconds ? t : row[s].seconds;
        }
        passes++;
    } while (passes < 3 || now() - t_all < NSIZES * min_seconds);
    printf("\ntime per word by document size (analyze + JSON; the same %zu paragraphs cut into"
           " documents of each size; the fastest of %d passes over them all, sizes in turn):\n",
           np, passes);
    printf("  %9s %9s %9s %9s %9s %14s\n", "words/doc", "documents", "words", "seconds",
           "\xC2\xB5s/word", "ratio to 1,000");
    for (size_t s = 0; s < NSIZES; s++)
        row[s].us = row[s].seconds / row[s].words * 1e6;
    double worst = 0;
    size_t at = 0;
    for (size_t s = 0; s < NSIZES; s++) {
        double r = row[s].us / row[1].us;
        printf("  %9.0f %9zu %9zu %9.3f %8.3f %14.2f\n", (double)row[s].words / row[s].docs,
               row[s].docs, row[s].words, row[s].seconds, row[s].us, r);
        hs_doc_free(row[s].d);
        free_texts(row[s].ds, row[s].docs);
        if (r > worst)
            worst = r, at = s;
    }
    printf("  largest ratio to the 1,000-word row: %.2f (documents of about %zu words)\n", worst,
           sizes[at]);
    free(ps);
    return h;
}

/* ---- a long stream --------------------------------------------------------- */

/* ndocs documents, the texts cycled, on one hs_doc: words/s (of wall and
 * of CPU time) and RSS after each tenth; the JSON of every full cycle must
 * hash alike. */
static void stream(const hs_engine *eng, size_t ndocs)
{
    size_t slice = ndocs >= 10 ? ndocs / 10 : 1;
    hs_doc *d;
    if (hs_doc_new(&d, eng))
        die("hs_doc_new", "out of memory");
    printf("\na stream of %zu documents (the %zu texts cycled, analyze + JSON, one hs_doc),"
           " per slice of %zu:\n  RSS before the stream: %.1f MB\n",
           ndocs, ntexts, slice, rss_mb());
    printf("  %15s %11s %9s %11s %15s %9s\n", "documents", "words", "seconds", "words/s",
           "words/CPU-s", "RSS MB");
    const unsigned long long fnv = 1469598103934665603ull;
    unsigned long long h = fnv, first = 0;
    size_t cycles = 0, differ = 0, words = 0, from = 0;
    double t0 = now(), c0 = cpu_seconds(), lo = 0, hi = 0, rss0 = 0, rss = 0;
    for (size_t i = 0; i < ndocs; i++) {
        const text *t = &texts[i % ntexts];
        h = one(d, t, h);
        words += t->words;
        if (i % ntexts == ntexts - 1) { /* a cycle ends */
            if (!cycles++)
                first = h;
            differ += h != first;
            h = fnv;
        }
        if ((i + 1) % slice && i + 1 < ndocs)
            continue;
        double el = now() - t0, cpu = cpu_seconds() - c0, wps = words / el;
        rss = rss_mb();
        printf("  %7zu-%-7zu %11zu %9.2f %11.0f %15.0f %9.1f\n", from + 1, i + 1, words, el, wps,
               words / cpu, rss);
        fflush(stdout);
        lo = !lo || wps < lo ? wps : lo;
        hi = wps > hi ? wps : hi;
        rss0 = rss0 ? rss0 : rss;
        words = 0;
        from = i + 1;
        t0 = now();
        c0 = cpu_seconds();
    }
    printf("  slowest slice / fastest: %.2f; RSS after the first slice %.1f MB, after the last"
           " %.1f MB (peak %.1f MB)\n",
           lo / hi, rss0, rss, peak_rss_mb());
    if (cycles > 1)
        printf("  JSON of the texts in each of the %zu full cycles: %s (hash %016llx)\n", cycles,
               differ ? "CHANGED over the stream" : "the same", first);
    hs_doc_free(d);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_scale DIR...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        load_dir(argv[i], &texts, &ntexts);
    if (!ntexts)
        die(argv[1], "no .txt files");
    qsort(texts, ntexts, sizeof *texts, by_name); /* one order whatever the folder's */
    hs_engine *eng = NULL;
    hs_engine_options o = {.model_dir = "models",
                           .layers = HS_LAYER_POS | HS_LAYER_NER | HS_LAYER_ATTR};
    if (hs_engine_open(&eng, &o) != HS_OK || !hs_engine_has_pos(eng)) {
        fprintf(stderr, "bench_scale: no usable models/ (%s): not measured\n",
                eng ? hs_engine_errmsg(eng) : "open failed");
        hs_engine_close(eng);
        return 0;
    }
    const char *ms = getenv("BENCH_SECONDS"), *sd = getenv("BENCH_STREAM_DOCS");
    double min_seconds = ms ? atof(ms) : 2.0;
    size_t ndocs = sd ? strtoul(sd, NULL, 10) : 100000;
    unsigned long long h = by_size(eng, min_seconds);
    if (ndocs)
        stream(eng, ndocs);
    printf("scale output hash: %016llx (the documents by size)\n", h);
    hs_engine_close(eng);
    free_texts(texts, ntexts);
    return 0;
}
