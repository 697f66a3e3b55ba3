/* bench_ingest - speed of HTML to analyzed JSON (charset, libxml2, article
 * extraction, the analyze layers, JSON) on the extraction benchmark's pages,
 * on one core and on two threads sharing one engine; then a generated WARC
 * of about 1 GB (BENCH_WARC_MB) streamed through the reader and the
 * pipeline, with peak RSS early and at the end, and deleted. Prints MB/s of
 * HTML and a hash of the output. Not a timed test. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "hearsay.h"

typedef struct page {
    char *p;
    size_t n;
} page;

static page *pages;
static size_t npages;
static const hs_engine *eng;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

static double rss_mb(void)
{
    long pages_, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f && fscanf(f, "%ld %ld", &pages_, &res) != 2)
        res = 0;
    if (f)
        fclose(f);
    return res * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

static void add_page(const char *p, size_t n)
{
    pages = realloc(pages, (npages + 1) * sizeof *pages);
    pages[npages].p = malloc(n + 1);
    memcpy(pages[npages].p, p, n);
    pages[npages].p[n] = 0;
    pages[npages++].n = n;
}

static void load_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char *buf = malloc(64 << 20);
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        int gz = l > 8 && !strcmp(e->d_name + l - 8, ".html.gz");
        if (!gz && !(l > 5 && !strcmp(e->d_name + l - 5, ".html")))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        gzFile g = gzopen(path, "rb");
        if (!g)
            continue;
        int n = gzread(g, buf, (64 << 20) - 1);
        gzclose(g);
        if (n > 0)
            add_page(buf, (size_t)n);
    }
    free(buf);
    closedir(d);
}

/* Our own page, for when the benchmark pages are not there. */
static void builtin_pages(void)
{
    char p[8192];
    for (int i = 0; i < 50; i++) {
        int n = snprintf(p, sizeof p,
                         "<!DOCTYPE html><html><head><meta charset=utf-8><title>Council vote %d | The "
                         "Norvik Courier</title></head><body><nav><a href=/>Home</a> <a href=/n>News</a>"
                         "</nav><article><h1>Council vote %d</h1><p>The harbor council delayed its vote "
                         "on the ferry line for the %dth time on Tuesday.</p><p>\xE2\x80\x9CWe need "
                         "another month,\xE2\x80\x9D council chair Lea Brandt said after the meeting, "
                         "which ran late.</p><p>Port director Tomas Ek said the delay would cost the "
                         "city little, according to The Norvik Courier.</p></article><footer>(c) 2026"
                         "</footer></body></html>",
                         i, i, i);
        add_page(p, (size_t)n);
    }
}

typedef struct worker {
    size_t from, step;
    int passes;
    unsigned long long hash;
    size_t bytes, failed;
} worker;

static void *run_pages(void *arg)
{
    worker *w = arg;
    hs_doc *doc;
    if (hs_doc_new(&doc, eng))
        exit(1);
    unsigned long long h = 1469598103934665603ull;
    for (int pass = 0; pass < w->passes; pass++)
        for (size_t i = w->from; i < npages; i += w->step) {
            hs_input in = {.id = "page", .where = "page", .text = pages[i].p, .len = pages[i].n,
                           .format = HS_FORMAT_HTML};
            w->bytes += pages[i].n;
            if (hs_doc_analyze_input(doc, &in, 0)) {
                w->failed++;
                continue;
            }
            const char *js;
            size_t jl;
            hs_doc_json(doc, 0, &js, &jl);
            for (size_t k = 0; pass == 0 && k < jl; k++) /* the first pass only */
                h = (h ^ (unsigned char)js[k]) * 1099511628211ull;
        }
    w->hash = h;
    hs_doc_free(doc);
    return NULL;
}

/* MB/s of HTML with n threads, each pass over all pages, for at least secs. */
static double measure(int nthreads, double secs, unsigned long long *hash)
{
    int passes = 1;
    for (;;) {
        worker w[8];
        pthread_t t[8];
        double t0 = now();
        for (int k = 0; k < nthreads; k++) {
            w[k] = (worker){.from = (size_t)k, .step = (size_t)nthreads, .passes = passes};
            pthread_create(&t[k], NULL, run_pages, &w[k]);
        }
        size_t bytes = 0;
        for (int k = 0; k < nthreads; k++) {
            pthread_join(t[k], NULL);
            bytes += w[k].bytes;
        }
        double el = now() - t0;
        if (el >= secs || passes > 1000) {
            if (hash)
                *hash = w[0].hash;
            return bytes / el / 1e6;
        }
        passes *= 2;
    }
}

/* Writes records of the pages (HTTP responses, with a request and a
 * metadata record between, as crawls have) until mb megabytes. */
static size_t write_warc(const char *path, size_t mb, size_t *nrec)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    size_t total = 0, i = 0;
    *nrec = 0;
    while (total < mb * 1000000) {
        const page *p = &pages[i % npages];
        char http[256], hdr[512];
        int hl = snprintf(http, sizeof http,
                          "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                          "Content-Length: %zu\r\n\r\n", p->n);
        int n = snprintf(hdr, sizeof hdr,
                         "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bench.example/%zu\r\n"
                         "WARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:bench-%zu>\r\n"
                         "Content-Type: application/http; msgtype=response\r\nContent-Length: %zu\r\n\r\n",
                         i, i, p->n + (size_t)hl);
        fwrite(hdr, 1, (size_t)n, f);
        fwrite(http, 1, (size_t)hl, f);
        fwrite(p->p, 1, p->n, f);
        fwrite("\r\n\r\n", 1, 4, f);
        const char req[] = "GET / HTTP/1.1\r\nHost: bench.example\r\n\r\n";
        n = snprintf(hdr, sizeof hdr,
                     "WARC/1.1\r\nWARC-Type: request\r\nWARC-Target-URI: https://bench.example/%zu\r\n"
                     "Content-Type: application/http; msgtype=request\r\nContent-Length: %zu\r\n\r\n",
                     i, sizeof req - 1);
        fwrite(hdr, 1, (size_t)n, f);
        fwrite(req, 1, sizeof req - 1, f);
        fwrite("\r\n\r\n", 1, 4, f);
        total += (size_t)n + p->n + (size_t)hl + 300;
        i++;
    }
    *nrec = i;
    if (fclose(f))
        return 0;
    return total;
}

static void big_warc(void)
{
    const char *e = getenv("BENCH_WARC_MB");
    size_t mb = e ? (size_t)atol(e) : 1000;
    if (!mb)
        return;
    char path[] = "/tmp/hearsay-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return;
    close(fd);
    size_t nrec = 0;
    double t0 = now();
    write_warc(path, mb, &nrec);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    double size = ftell(f) / 1e6;
    fclose(f);
    printf("generated WARC: %.0f MB, %zu responses (+ as many requests), written in %.1f s\n", size,
           nrec, now() - t0);
    hs_reader *r;
    hs_doc *doc;
    if (hs_reader_open(&r, eng, path, 0) || hs_doc_new(&doc, eng))
        exit(1);
    hs_input in;
    int rc;
    size_t docs = 0, failed = 0;
    double rss_early = 0, peak_early = 0;
    unsigned long long h = 1469598103934665603ull;
    t0 = now();
    while ((rc = hs_reader_next(r, &in)) != HS_EEOF) {
        if (rc || hs_doc_analyze_input(doc, &in, 0)) {
            failed++;
            continue;
        }
        const char *js;
        size_t jl;
        hs_doc_json(doc, 0, &js, &jl);
        h = (h ^ jl) * 1099511628211ull;
        if (++docs == nrec / 10) {
            rss_early = rss_mb();
            peak_early = peak_rss_mb();
        }
    }
    double el = now() - t0;
    printf("WARC -> analyzed JSON (1 core)  %8.1f MB/s  (%zu documents, %zu failed, %.1f s)\n",
           size / el, docs, failed, el);
    printf("RSS over the WARC: %.1f MB at 10%% (peak %.1f MB), %.1f MB at the end (peak %.1f MB): "
           "constant memory: %s\n",
           rss_early, peak_early, rss_mb(), peak_rss_mb(),
           peak_rss_mb() <= peak_early + 8 ? "yes" : "NO");
    printf("WARC output hash: %016llx\n", h);
    hs_reader_close(r);
    hs_doc_free(doc);
    unlink(path);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        load_dir(argv[i]);
    if (!npages) {
        fprintf(stderr, "bench_ingest: no pages in the folders given: our own template is used\n");
        builtin_pages();
    }
    size_t bytes = 0;
    for (size_t i = 0; i < npages; i++)
        bytes += pages[i].n;
    hs_engine *e;
    hs_engine_options o = {.model_dir = "models",
                           .layers = HS_LAYER_POS | HS_LAYER_NER | HS_LAYER_ATTR};
    if (hs_engine_open(&e, &o)) {
        fprintf(stderr, "bench_ingest: %s\n", hs_engine_errmsg(e));
        return 1;
    }
    eng = e;
    printf("pages: %zu, %.1f MB of HTML\n", npages, bytes / 1e6);
    const char *ms = getenv("BENCH_SECONDS");
    double secs = ms ? atof(ms) : 3.0;
    measure(1, 0, NULL); /* warm-up */
    unsigned long long h1, h2;
    double one = measure(1, secs, &h1);
    printf("HTML -> analyzed JSON, 1 thread   %8.1f MB/s of HTML\n", one);
    double two = measure(2, secs, &h2);
    printf("HTML -> analyzed JSON, 2 threads  %8.1f MB/s of HTML (%.2fx)\n", two, two / one);
    printf("output hash: %016llx\n", h1);
    big_warc();
    hs_engine_close(e);
    for (size_t i = 0; i < npages; i++)
        free(pages[i].p);
    free(pages);
    return 0;
}
