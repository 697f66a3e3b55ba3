/* run - the document loop of analyze and extract (see run.h). The calling
 * thread reads; jobs sit in a ring of slots numbered in input order; workers
 * take the oldest waiting job and the reader writes finished jobs in order,
 * so output never depends on which thread was faster. */
#define _GNU_SOURCE
#include "run.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One document in flight. Invariant: in's pointers point into store (or
 * are NULL); out and err are malloc'd or NULL; done is set under the lock. */
typedef struct job {
    hs_input in;
    char *store;
    size_t cap;
    size_t weight; /* its bytes in the pool's budget */
    char *out, *err;
    size_t olen;
    int skip, failed, done;
    size_t nattr;
} job;

/* The documents read and not yet written (their input, and the output of
 * those done) hold at most this many bytes before the reader waits for the
 * oldest to be written, one document always let in: a ring of 4 slots per
 * thread, each up to the document limit, held 4N documents of 64 MiB. A
 * slot keeps at most budget / nring bytes of capacity between documents. */
#define INFLIGHT_MIN (32u << 20)
#define INFLIGHT_PER_THREAD (8u << 20)

typedef struct pool {
    const run_opts *o;
    pthread_mutex_t mu;
    pthread_cond_t work, fin;
    job *ring;
    size_t nring;
    size_t inflight, budget; /* bytes of the jobs from next_write to next_read (locked) */
    unsigned long long next_read, next_work, next_write;
    int stop;
} pool;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Copies a reader's document into the job (the reader reuses its buffers). */
static int job_fill(job *j, const hs_input *in)
{
    const char *strs[] = {in->id, in->where, in->warning, in->charset, in->url,
                          in->date, in->title, in->outlet};
    size_t need = in->len + 1 + in->fields_len + 1;
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        need += strs[i] ? strlen(strs[i]) + 1 : 0;
    if (need > j->cap) {
        char *n = realloc(j->store, need);
        if (!n)
            return -1;
        j->store = n;
        j->cap = need;
    }
    char *p = j->store;
    j->in = *in;
    const char **dst[] = {&j->in.id, &j->in.where, &j->in.warning, &j->in.charset,
                          &j->in.url, &j->in.date, &j->in.title, &j->in.outlet};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        if (!strs[i])
            continue;
        size_t l = strlen(strs[i]) + 1;
        memcpy(p, strs[i], l);
        *dst[i] = p;
        p += l;
    }
    if (in->len)
        memcpy(p, in->text, in->len);
    p[in->len] = 0;
    j->in.text = p;
    p += in->len + 1;
    if (in->fields) {
        memcpy(p, in->fields, in->fields_len);
        p[in->fields_len] = 0;
        j->in.fields = p;
    }
    return 0;
}

static void job_clear(job *j, size_t keep)
{
    free(j->out);
    free(j->err);
    j->out = j->err = NULL;
    j->olen = 0;
    j->skip = j->failed = j->done = 0;
    j->nattr = 0;
    j->weight = 0;
    if (j->cap > keep) {
        free(j->store);
        j->store = NULL;
        j->cap = 0;
    }
}

/* Analyzes (or extracts) one job with doc; output goes to f, or to the job. */
static void job_run(const run_opts *o, job *j, hs_doc *doc, FILE *f)
{
    if (j->skip)
        return;
    int rc = hs_doc_analyze_input(doc, &j->in, o->analyze_flags);
    if (rc) {
        j->failed = 1;
        if (asprintf(&j->err, "hearsay: %s: %s; document skipped\n",
                     j->in.where ? j->in.where : j->in.id,
                     rc == HS_ENOMEM ? hs_errstr(rc) : hs_doc_errmsg(doc)) < 0)
            j->err = NULL;
        return;
    }
    hs_doc_attributions(doc, &j->nattr);
    FILE *mf = f ? f : open_memstream(&j->out, &j->olen);
    int bad = !mf || o->emit(doc, &j->in, mf, o->ctx);
    if (!f && mf)
        fclose(mf);
    if (bad) {
        j->failed = 1;
        if (asprintf(&j->err, "hearsay: %s: out of memory\n", j->in.where) < 0)
            j->err = NULL;
    }
}

/* Adds doc's time per step to o->times (one thread at a time). */
static void add_times(const run_opts *o, const hs_doc *doc)
{
    run_times *t = o->times;
    double s[RUN_STEPS];
    size_t n = 0;
    if (!t || !doc || hs_doc_stage_times(doc, t->names, s, RUN_STEPS, &n))
        return;
    t->n = n < RUN_STEPS ? n : RUN_STEPS;
    for (size_t i = 0; i < t->n; i++)
        t->seconds[i] += s[i];
}

static void *worker(void *arg)
{
    pool *p = arg;
    hs_doc *doc = NULL;
    if (hs_doc_new(&doc, p->o->eng) != HS_OK)
        doc = NULL;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next_work == p->next_read && !p->stop)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->next_work == p->next_read && p->stop)
            break;
        job *j = &p->ring[p->next_work++ % p->nring];
        pthread_mutex_unlock(&p->mu);
        if (doc)
            job_run(p->o, j, doc, NULL);
        else if (!j->skip) {
            j->failed = 1;
            if (asprintf(&j->err, "hearsay: %s: out of memory\n", j->in.where) < 0)
                j->err = NULL;
        }
        pthread_mutex_lock(&p->mu);
        j->done = 1;
        j->weight += j->olen;
        p->inflight += j->olen;
        pthread_cond_broadcast(&p->fin);
    }
    add_times(p->o, doc);
    pthread_mutex_unlock(&p->mu);
    hs_doc_free(doc);
    return NULL;
}

/* ---- progress ------------------------------------------------------------- */

typedef struct stats {
    unsigned long long docs, attrs, errors;
    unsigned long long done_bytes, total_bytes; /* total 0: unknown */
    hs_reader *cur;
    double t0, last;
    int shown;
} stats;

static void show(stats *s, int force)
{
    double t = now();
    if (!force && t - s->last < 0.25)
        return;
    s->last = t;
    double el = t - s->t0 > 1e-6 ? t - s->t0 : 1e-6;
    unsigned long long bytes = s->done_bytes + (s->cur ? hs_reader_tell(s->cur) : 0);
    double mbs = bytes / el / 1e6;
    char eta[64] = "";
    if (s->total_bytes && bytes > 0 && bytes <= s->total_bytes) {
        double left = (s->total_bytes - bytes) / (bytes / el);
        snprintf(eta, sizeof eta, ", ETA %d:%02d", (int)left / 60, (int)left % 60);
    }
    fprintf(stderr, "\r\033[Khearsay: %llu documents, %.1f docs/s, %.1f MB/s, %llu error%s%s",
            s->docs, s->docs / el, mbs, s->errors, s->errors == 1 ? "" : "s", eta);
    s->shown = 1;
}

static void account(const run_opts *o, stats *s, job *j)
{
    if (j->err)
        fputs(j->err, stderr); /* after a progress line: the line is rewritten later */
    if (j->failed)
        s->errors++;
    else if (!j->skip) {
        s->docs++;
        s->attrs += j->nattr;
    }
    if (o->progress)
        show(s, 0);
}

/* A finished job's output to stdout or the sink; -1 when the sink failed. */
static int put_out(const run_opts *o, stats *s, job *j)
{
    if (!j->olen)
        return 0;
    if (!o->sink) {
        fwrite(j->out, 1, j->olen, stdout);
        return 0;
    }
    return o->sink(o->sink_ctx, j->out, j->olen, j->in.where ? j->in.where : j->in.id) ? -1 : 0;
}

/* Writes the finished job at the head of the ring. */
static int flush_one(pool *p, stats *s)
{
    job *j = &p->ring[p->next_write % p->nring];
    pthread_mutex_lock(&p->mu);
    while (!j->done)
        pthread_cond_wait(&p->fin, &p->mu);
    pthread_mutex_unlock(&p->mu);
    int sunk = put_out(p->o, s, j);
    if (p->o->progress && j->err && s->shown)
        fputs("\r\033[K", stderr);
    account(p->o, s, j);
    pthread_mutex_lock(&p->mu);
    p->inflight -= j->weight;
    pthread_mutex_unlock(&p->mu);
    job_clear(j, p->budget / p->nring);
    p->next_write++;
    return sunk || ferror(stdout) ? -1 : 0;
}

/* Waits, writing the oldest jobs, until a slot is free and weight more
 * bytes fit the budget (or nothing is in flight); then counts them in.
 * Returns -1 when writing failed (a slot is free all the same). */
static int admit(pool *p, stats *s, size_t weight)
{
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t queued = (size_t)(p->next_read - p->next_write);
        int wait = queued && (queued == p->nring || p->inflight + weight > p->budget);
        if (!wait || rc)
            p->inflight += weight;
        pthread_mutex_unlock(&p->mu);
        if (!wait || rc)
            return rc;
        rc = flush_one(p, s);
    }
}

long run_documents(const run_opts *o, char **files, int n)
{
    stats s = {0};
    s.t0 = s.last = now();
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(files[i], "-") && stat(files[i], &st) == 0 && S_ISREG(st.st_mode)) {
            s.total_bytes += (unsigned long long)st.st_size;
        } else {
            s.total_bytes = 0;
            break;
        }
    }
    int threads = o->jobs > 1 ? o->jobs : 0;
    pool p = {.o = o};
    pthread_t *tid = NULL;
    hs_doc *doc = NULL;
    int out_err = 0, nthreads = 0;
    if (threads) {
        p.nring = (size_t)threads * 4;
        p.budget = (size_t)threads * INFLIGHT_PER_THREAD;
        if (p.budget < INFLIGHT_MIN)
            p.budget = INFLIGHT_MIN;
        p.ring = calloc(p.nring, sizeof *p.ring);
        tid = calloc((size_t)threads, sizeof *tid);
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.work, NULL);
        pthread_cond_init(&p.fin, NULL);
        if (!p.ring || !tid)
            threads = 0;
        for (int t = 0; t < threads; t++)
            if (pthread_create(&tid[t], NULL, worker, &p) == 0)
                nthreads++;
        if (!nthreads)
            threads = 0;
    }
    job single = {0};
    if (!threads && hs_doc_new(&doc, o->eng) != HS_OK) {
        fprintf(stderr, "hearsay: out of memory\n");
        return n;
    }
    for (int i = 0; i < n && !out_err; i++) {
        hs_reader *r = NULL;
        int rc = hs_reader_open_format(&r, o->eng, files[i], o->format, o->read_flags);
        if (rc) {
            fprintf(stderr, "hearsay: %s: %s\n", files[i], hs_errstr(rc));
            s.errors++;
            continue;
        }
        s.cur = r;
        hs_input in;
        while (!out_err && (rc = hs_reader_next(r, &in)) != HS_EEOF) {
            if (o->last) { /* a range of records: the others are another run's */
                unsigned long long rec = hs_reader_record(r);
                rec = rec ? rec : 1;
                if (rec > o->last)
                    break;
                if (rec < o->first)
                    continue;
            }
            job *j = &single;
            if (threads) {
                size_t weight = rc ? 0 : in.len + in.fields_len;
                if (admit(&p, &s, weight))
                    out_err = 1;
                j = &p.ring[p.next_read % p.nring];
                j->weight = weight;
            }
            if (rc) {
                j->skip = j->failed = 1;
                if (asprintf(&j->err, "hearsay: %s\n", hs_reader_errmsg(r)) < 0)
                    j->err = NULL;
            } else if (job_fill(j, &in)) {
                j->skip = j->failed = 1;
                if (asprintf(&j->err, "hearsay: %s: out of memory\n", in.where) < 0)
                    j->err = NULL;
            }
            if (threads) {
                pthread_mutex_lock(&p.mu);
                p.next_read++;
                pthread_cond_signal(&p.work);
                pthread_mutex_unlock(&p.mu);
                continue;
            }
            if (o->progress && s.shown && (j->failed || j->skip))
                fputs("\r\033[K", stderr);
            job_run(o, j, doc, o->sink ? NULL : stdout);
            if (put_out(o, &s, j))
                out_err = 1;
            if (o->progress && s.shown && j->err)
                fputs("\r\033[K", stderr);
            account(o, &s, j);
            job_clear(j, 16u << 20);
            if (ferror(stdout))
                out_err = 1;
        }
        s.cur = NULL;
        struct stat st;
        if (strcmp(files[i], "-") && stat(files[i], &st) == 0)
            s.done_bytes += (unsigned long long)st.st_size;
        hs_reader_close(r);
    }
    if (threads) {
        while (p.next_write < p.next_read)
            if (flush_one(&p, &s))
                out_err = 1;
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.work);
        pthread_mutex_unlock(&p.mu);
        for (int t = 0; t < nthreads; t++)
            pthread_join(tid[t], NULL);
        for (size_t k = 0; k < p.nring; k++) {
            job_clear(&p.ring[k], 0);
            free(p.ring[k].store);
        }
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.work);
        pthread_cond_destroy(&p.fin);
    }
    free(p.ring);
    free(tid);
    free(single.store);
    add_times(o, doc);
    hs_doc_free(doc);
    if (o->progress) {
        double el = now() - s.t0;
        if (s.shown)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "hearsay: %llu document%s, %llu attribution%s, %llu error%s, %.1f s (%.1f MB/s)\n",
                s.docs, s.docs == 1 ? "" : "s", s.attrs, s.attrs == 1 ? "" : "s", s.errors,
                s.errors == 1 ? "" : "s", el, el > 0 ? s.done_bytes / el / 1e6 : 0.0);
    }
    if (o->written)
        *o->written += s.docs;
    return out_err ? -1 : (long)s.errors;
}
