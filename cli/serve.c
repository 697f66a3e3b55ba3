/* serve - hearsay serve: the corpus over HTTP (docs/api.md). A JSON API
 * (health, search, trace, quotes, doc, stats, analyze) and the web UI
 * (cli/web/, built into the binary), on libmicrohttpd with a thread pool.
 * Each pool thread opens its own read-only handle on the corpus and its own
 * document for analyze; the engine is shared. Every client mistake is a 4xx
 * JSON error; the server binds 127.0.0.1 unless told otherwise and limits
 * connections, their idle time, header memory and request bodies. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

#include "assets.h"
#include "cli.h"
#include "gate.h"

/* ---- growable output -------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* ---- the server and its threads --------------------------------------------- */

/* What one pool thread owns: its corpus handle. */
typedef struct worker {
    hs_store *st;
    struct worker *next;
} worker;

struct req;

typedef struct server {
    struct MHD_Daemon *d;
    const char *db;
    hs_engine *eng;       /* NULL: analyze answers 503 */
    const char *eng_err;  /* why there is no engine */
    size_t max_body;
    int log;
    time_t started;
    atomic_ullong requests;
    pthread_mutex_t mu;   /* guards workers */
    worker *workers;
    /* analyze runs on threads of its own, so that a long document never
     * holds up the connections of a pool thread: the request's connection
     * is suspended, queued here, and resumed with its answer */
    pthread_mutex_t qmu;
    pthread_cond_t qcv;
    struct req *qhead, *qtail;
    int quit;             /* stopping: what is still queued gets a 503 */
    pthread_t *analyzers;
    int nanalyzers;
} server;

static _Thread_local worker *self;

/* This thread's worker, created on first use; NULL when out of memory. */
static worker *my_worker(server *sv)
{
    if (self)
        return self;
    worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    pthread_mutex_lock(&sv->mu);
    w->next = sv->workers;
    sv->workers = w;
    pthread_mutex_unlock(&sv->mu);
    return self = w;
}

/* ---- one request ------------------------------------------------------------ */

enum { BODY_NONE, BODY_TEXT, BODY_HTML, BODY_JSON };

typedef struct req {
    char *uri;            /* the request target as sent */
    int started;
    int deferred;         /* the headers are in and no body follows: answer at the next call */
    int post_only;        /* the path takes POST only (for Allow) */
    int body_type;        /* BODY_* */
    char *charset;        /* of a text/html body, or NULL */
    char *body;
    size_t len, cap;
    int too_big;
    unsigned status;
    size_t sent;
    struct timespec t0;
    /* analyze: the suspended connection, the queue, and the answer */
    struct MHD_Connection *conn;
    struct req *qnext;
    int queued, answered;
    unsigned astatus;
    char *abody;
    size_t alen;
} req;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->uri = strdup(uri ? uri : "");
    if (!r->uri) {
        free(r);
        return NULL;
    }
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    return r;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode why)
{
    server *sv = cls;
    req *r = *con_cls;
    (void)c;
    if (!r)
        return;
    if (sv->log && r->status) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (t1.tv_sec - r->t0.tv_sec) * 1e3 + (t1.tv_nsec - r->t0.tv_nsec) / 1e6;
        char target[201];
        size_t n = 0;
        for (const char *p = r->uri; *p && n < sizeof target - 1; p++) /* no control bytes */
            target[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
        target[n] = 0;
        fprintf(stderr, "hearsay: %u %.1f ms %zu B %s%s\n", r->status, ms, r->sent, target,
                why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection lost)");
    }
    free(r->uri);
    free(r->body);
    free(r->charset);
    free(r->abody);
    free(r);
    *con_cls = NULL;
}

#define JSON_TYPE "application/json; charset=utf-8"

/* Queues a response of body[0..len), copied, or taken (and freed) when
 * mode is MHD_RESPMEM_MUST_FREE; returns MHD's verdict. */
static enum MHD_Result respond_mode(struct MHD_Connection *c, req *r, unsigned status,
                                    const char *type, const char *body, size_t len,
                                    enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *res = MHD_create_response_from_buffer(len, (void *)body, mode);
    if (!res) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free((void *)body);
        return MHD_NO;
    }
    MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(res, MHD_HTTP_HEADER_ALLOW,
                                r && r->post_only ? "POST" : "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, status, res);
    MHD_destroy_response(res);
    if (r) {
        r->status = status;
        r->sent = len;
    }
    return ok;
}

static enum MHD_Result respond(struct MHD_Connection *c, req *r, unsigned status, const char *type,
                               const char *body, size_t len)
{
    return respond_mode(c, r, status, type, body, len, MHD_RESPMEM_MUST_COPY);
}

/* The length of the longest prefix of s[0..n) that is valid UTF-8. */
static size_t utf8_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            break;
        i += (size_t)k;
    }
    return i;
}

/* The JSON error {"error": message} of a printf format; malloc'd, or NULL
 * when memory ran out. */
static char *error_json(const char *fmt, va_list ap)
{
    char msg[1200];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* a message quoting the request may be cut inside a character */
    size_t n = utf8_prefix(msg, strlen(msg));
    json_t *o = json_object();
    json_object_set_new(o, "error", json_stringn(msg, n));
    char *out = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return out;
}

/* Answers with a JSON error. */
static enum MHD_Result fail(struct MHD_Connection *c, req *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static enum MHD_Result fail(struct MHD_Connection *c, req *r, unsigned status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = error_json(fmt, ap);
    va_end(ap);
    enum MHD_Result ok = s ? respond(c, r, status, JSON_TYPE, s, strlen(s))
                           : respond(c, r, status, JSON_TYPE, "{\"error\":\"?\"}", 13);
    free(s);
    return ok;
}

/* ---- the request target: path and query ------------------------------------ */

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch |= 0x20;
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Whether s[0..n) is UTF-8 without NUL or other C0 control than tab and
 * newline. */
static int clean_utf8(const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)n;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
        if (k <= 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f)
            return 0;
        p += k;
        left -= k;
    }
    return 1;
}

/* Decodes percent-escapes (and '+' as a space when plus) of s[0..n) in
 * place, NUL-terminating it; -1 on a bad escape or text that is not clean
 * UTF-8. */
static int unescape(char *s, size_t n, int plus)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = hi >= 0 && i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return -1;
            s[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            s[o++] = plus && s[i] == '+' ? ' ' : s[i];
        }
    }
    s[o] = 0;
    return clean_utf8(s, o) ? 0 : -1;
}

#define MAX_PARAMS 16

typedef struct params {
    char *mem; /* the query string, decoded in place */
    const char *key[MAX_PARAMS], *val[MAX_PARAMS];
    int n;
} params;

static const char *param(const params *p, const char *key)
{
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->key[i], key))
            return p->val[i];
    return NULL;
}

/* Splits and decodes the query string qs; the keys must be among allowed
 * (NULL-terminated). 0, or -1 with the reason in err. */
static int parse_params(const char *qs, params *p, const char *const *allowed, char *err,
                        size_t cap)
{
    p->n = 0;
    p->mem = strdup(qs ? qs : "");
    if (!p->mem) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    char *s = p->mem;
    while (*s) {
        char *amp = strchr(s, '&');
        size_t n = amp ? (size_t)(amp - s) : strlen(s);
        if (amp)
            *amp = 0;
        if (n) {
            char *eq = memchr(s, '=', n);
            char *v = eq ? eq + 1 : s + n;
            if (eq)
                *eq = 0;
            size_t kn = eq ? (size_t)(eq - s) : n;
            if (unescape(s, kn, 1) || unescape(v, strlen(v), 1)) {
                snprintf(err, cap,
                         "bad percent-encoding or invalid UTF-8 in the query string "
                         "(parameter %d)",
                         p->n + 1);
                return -1;
            }
            int ok = 0;
            for (int k = 0; allowed[k]; k++)
                ok |= !strcmp(allowed[k], s);
            if (!ok) {
                int o = snprintf(err, cap, "unknown parameter '%.100s' (this path takes", s);
                for (int k = 0; allowed[k] && o > 0 && (size_t)o < cap; k++)
                    o += snprintf(err + o, cap - (size_t)o, "%s %s", k ? "," : "", allowed[k]);
                if (o > 0 && (size_t)o < cap)
                    snprintf(err + o, cap - (size_t)o, "%s)", allowed[0] ? "" : " none");
                return -1;
            }
            if (param(p, s)) {
                snprintf(err, cap, "parameter '%s' given twice", s);
                return -1;
            }
            if (p->n == MAX_PARAMS) {
                snprintf(err, cap, "too many parameters");
                return -1;
            }
            p->key[p->n] = s;
            p->val[p->n++] = v;
        }
        if (!amp)
            break;
        s = amp + 1;
    }
    return 0;
}

/* ---- the JSON API ------------------------------------------------------------ */

/* The corpus handle of this thread, opened on first use; NULL with a 503
 * queued when it cannot be opened. */
static hs_store *my_store(server *sv, struct MHD_Connection *c, req *r, enum MHD_Result *ok)
{
    worker *w = my_worker(sv);
    if (!w) {
        *ok = fail(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
        return NULL;
    }
    if (w->st)
        return w->st;
    int rc = hs_store_open(&w->st, sv->db, HS_STORE_READONLY);
    if (rc == HS_OK)
        return w->st;
    *ok = fail(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "the corpus cannot be opened: %s",
               w->st ? hs_store_errmsg(w->st) : hs_errstr(rc));
    hs_store_close(w->st);
    w->st = NULL;
    return NULL;
}

/* Answers a failed store call: a bad query is the client's (400); anything
 * else is the server's (500), and the handle is reopened next time. */
static enum MHD_Result store_failed(server *sv, struct MHD_Connection *c, req *r, int rc)
{
    worker *w = self;
    if (rc == HS_EQUERY)
        return fail(c, r, MHD_HTTP_BAD_REQUEST, "%s", hs_store_errmsg(w->st));
    enum MHD_Result ok = fail(c, r, rc == HS_ENOMEM ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                     : MHD_HTTP_INTERNAL_SERVER_ERROR,
                              "%s", rc == HS_ENOMEM ? "out of memory" : hs_store_errmsg(w->st));
    if (sv->log)
        fprintf(stderr, "hearsay: %s: %s\n", sv->db, hs_store_errmsg(w->st));
    hs_store_close(w->st);
    w->st = NULL;
    return ok;
}

typedef struct collect {
    sbuf b;
    int n;
} collect;

static int add_hit(void *user, const hs_store_hit *h)
{
    collect *k = user;
    if (k->n++)
        sb_add(&k->b, ",", 1);
    sb_str(&k->b, h->json);
    return k->b.oom;
}

typedef int (*query_fn)(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user);

/* Runs a query and answers {"<list>": [...]}. */
static enum MHD_Result answer_query(server *sv, struct MHD_Connection *c, req *r, query_fn fn,
                                    const hs_store_query *q, const char *list)
{
    enum MHD_Result ok;
    hs_store *st = my_store(sv, c, r, &ok);
    if (!st)
        return ok;
    collect k = {0};
    sb_str(&k.b, "{\"");
    sb_str(&k.b, list);
    sb_str(&k.b, "\":[");
    int rc = fn(st, q, add_hit, &k);
    sb_str(&k.b, "]}");
    if (!rc && k.b.oom)
        rc = HS_ENOMEM;
    if (rc) {
        free(k.b.p);
        return store_failed(sv, c, r, rc);
    }
    return respond_mode(c, r, MHD_HTTP_OK, JSON_TYPE, k.b.p, k.b.len, MHD_RESPMEM_MUST_FREE);
}

/* Fills q from the parameters; NULL, or what is wrong with them. */
static const char *query_params(const params *p, hs_store_query *q, char *err, size_t cap)
{
    memset(q, 0, sizeof *q);
    q->kind = -1;
    q->text = param(p, "q");
    q->speaker = param(p, "speaker");
    q->outlet = param(p, "outlet");
    q->since = param(p, "since");
    q->until = param(p, "until");
    q->event = param(p, "event");
    q->participant = param(p, "participant");
    q->factuality = param(p, "factuality");
    const char *v;
    if ((v = param(p, "kind")) && *v) {
        if ((q->kind = cli_kind(v)) < 0) {
            snprintf(err, cap, "unknown kind '%.100s' (direct, indirect, mixed or blockquote)", v);
            return err;
        }
    }
    if ((v = param(p, "limit")) && cli_count(v, 1, 1000, &q->limit)) {
        snprintf(err, cap, "limit wants a number from 1 to 1000, not '%.100s'", v);
        return err;
    }
    if ((v = param(p, "min_outlets")) && cli_count(v, 1, 1000000, &q->min_outlets)) {
        snprintf(err, cap, "min_outlets wants a positive number, not '%.100s'", v);
        return err;
    }
    /* empty or blank fields are not given (a form sends them empty) */
    const char **f[] = {&q->text,  &q->speaker, &q->outlet,      &q->since,
                        &q->until, &q->event,   &q->participant, &q->factuality};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (*f[i] && !(*f[i])[strspn(*f[i], " \t\r\n")])
            *f[i] = NULL;
    return NULL;
}

static enum MHD_Result api_health(server *sv, struct MHD_Connection *c, req *r)
{
    enum MHD_Result ok;
    hs_store *st = my_store(sv, c, r, &ok);
    if (!st)
        return ok;
    long long docs;
    int rc = hs_store_count(st, &docs);
    if (rc)
        return store_failed(sv, c, r, rc);
    char out[512];
    int n = snprintf(out, sizeof out,
                     "{\"status\":\"ok\",\"documents\":%lld,\"version\":\"%s\",\"analyze\":%s,"
                     "\"uptime_seconds\":%lld,\"requests\":%llu}",
                     docs, hs_version(), sv->eng ? "true" : "false",
                     (long long)(time(NULL) - sv->started),
                     (unsigned long long)atomic_load(&sv->requests));
    return respond(c, r, MHD_HTTP_OK, JSON_TYPE, out, (size_t)n);
}

static enum MHD_Result api_stats(server *sv, struct MHD_Connection *c, req *r)
{
    enum MHD_Result ok;
    hs_store *st = my_store(sv, c, r, &ok);
    if (!st)
        return ok;
    const char *js;
    int rc = hs_store_stats(st, &js);
    return rc ? store_failed(sv, c, r, rc) : respond(c, r, MHD_HTTP_OK, JSON_TYPE, js, strlen(js));
}

static enum MHD_Result api_doc(server *sv, struct MHD_Connection *c, req *r, const char *id)
{
    enum MHD_Result ok;
    hs_store *st = my_store(sv, c, r, &ok);
    if (!st)
        return ok;
    const char *js;
    size_t len;
    int rc = hs_store_doc(st, id, &js, &len);
    if (rc == HS_EEOF)
        return fail(c, r, MHD_HTTP_NOT_FOUND, "no document with id '%.300s'", id);
    return rc ? store_failed(sv, c, r, rc) : respond(c, r, MHD_HTTP_OK, JSON_TYPE, js, len);
}

/* The answer of an analyze job: status and JSON, into r. */
static void answer(req *r, unsigned status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void answer(req *r, unsigned status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r->abody = error_json(fmt, ap);
    va_end(ap);
    r->alen = r->abody ? strlen(r->abody) : 0;
    r->astatus = r->abody ? status : MHD_HTTP_SERVICE_UNAVAILABLE;
}

/* Analyzes the body of r with *doc (made on first use): the answer goes
 * into r. Runs on an analyzer thread. */
static void analyze_request(server *sv, hs_doc **doc, req *r)
{
    if (!*doc && hs_doc_new(doc, sv->eng)) {
        answer(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
        return;
    }
    hs_input in = {.id = "request", .where = "the request body", .format = HS_FORMAT_TEXT};
    json_t *j = NULL;
    if (r->body_type == BODY_JSON) {
        json_error_t jerr;
        j = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(j)) {
            if (j)
                answer(r, MHD_HTTP_BAD_REQUEST, "the body is JSON but not an object");
            else
                answer(r, MHD_HTTP_BAD_REQUEST, "the body is not valid JSON: %s (byte %d)",
                       jerr.text, jerr.position);
            json_decref(j);
            return;
        }
        json_t *t = json_object_get(j, "text"), *h = json_object_get(j, "html");
        const char *why = t && h                         ? "has both \"text\" and \"html\"; send one"
                          : !t && !h                     ? "has neither \"text\" nor \"html\""
                          : !json_is_string(t ? t : h) ? "has a \"text\" or \"html\" that is no string"
                                                         : NULL;
        if (why) {
            answer(r, MHD_HTTP_BAD_REQUEST,
                   "the JSON body %s: it wants {\"text\": an article} or {\"html\": a page}", why);
            json_decref(j);
            return;
        }
        in.text = json_string_value(t ? t : h);
        in.len = json_string_length(t ? t : h);
        in.format = t ? HS_FORMAT_TEXT : HS_FORMAT_HTML;
        static const char *const keys[] = {"id", "url", "title", "date", "outlet"};
        const char **dst[] = {&in.id, &in.url, &in.title, &in.date, &in.outlet};
        for (int k = 0; k < 5; k++) {
            json_t *v = json_object_get(j, keys[k]);
            if (v && !json_is_string(v) && !json_is_null(v)) {
                answer(r, MHD_HTTP_BAD_REQUEST, "\"%s\" must be a string", keys[k]);
                json_decref(j);
                return;
            }
            if (json_is_string(v))
                *dst[k] = json_string_value(v);
        }
    } else {
        in.text = r->body ? r->body : "";
        in.len = r->len;
        in.format = r->body_type == BODY_HTML ? HS_FORMAT_HTML : HS_FORMAT_TEXT;
        in.charset = r->charset;
    }
    int rc = hs_doc_analyze_input(*doc, &in, 0);
    const char *js = NULL;
    size_t len = 0;
    if (rc == HS_OK && !(rc = hs_doc_json(*doc, HS_JSON_INCLUDE_TEXT, &js, &len))) {
        r->abody = malloc(len + 1);
        if (r->abody) {
            memcpy(r->abody, js, len + 1);
            r->alen = len;
            r->astatus = MHD_HTTP_OK;
        } else {
            answer(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
        }
    } else if (rc == HS_ENOMEM) {
        answer(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    } else {
        answer(r, rc == HS_ETOOBIG ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST, "%s",
               hs_doc_errmsg(*doc));
    }
    json_decref(j);
}

/* An analyzer thread: takes queued requests, answers each, resumes its
 * connection. When the server stops, what is still queued gets a 503. */
static void *analyzer(void *arg)
{
    server *sv = arg;
    hs_doc *doc = NULL;
    for (;;) {
        pthread_mutex_lock(&sv->qmu);
        while (!sv->qhead && !sv->quit)
            pthread_cond_wait(&sv->qcv, &sv->qmu);
        req *r = sv->qhead;
        if (r) {
            sv->qhead = r->qnext;
            if (!sv->qhead)
                sv->qtail = NULL;
        }
        int quit = sv->quit;
        pthread_mutex_unlock(&sv->qmu);
        if (!r)
            break;
        if (quit)
            answer(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping");
        else
            analyze_request(sv, &doc, r);
        r->answered = 1;
        MHD_resume_connection(r->conn);
    }
    hs_doc_free(doc);
    return NULL;
}

/* Stops the analyzers: each answers what is still queued with a 503 and
 * resumes its connection, so none stays suspended (libmicrohttpd cannot
 * stop with one). New requests are answered 503 from here on. */
static void stop_analyzers(server *sv)
{
    pthread_mutex_lock(&sv->qmu);
    sv->quit = 1;
    pthread_cond_broadcast(&sv->qcv);
    pthread_mutex_unlock(&sv->qmu);
    for (int i = 0; i < sv->nanalyzers; i++)
        pthread_join(sv->analyzers[i], NULL);
    sv->nanalyzers = 0;
    free(sv->analyzers);
    sv->analyzers = NULL;
}

/* What stops the server, run on a thread of its own (cmd_serve). */
typedef struct stopper {
    server *sv;
    gate *g;
    atomic_int done;
} stopper;

static void *stop_server(void *arg)
{
    stopper *st = arg;
    gate_close(st->g);
    stop_analyzers(st->sv);
    MHD_stop_daemon(st->sv->d);
    for (worker *w = st->sv->workers, *next; w; w = next) {
        next = w->next;
        hs_store_close(w->st);
        free(w);
    }
    st->sv->workers = NULL;
    atomic_store(&st->done, 1);
    return NULL;
}

/* POST /api/analyze, once the body is in: the first time, the connection
 * is suspended and the request queued for an analyzer; when it is resumed,
 * its answer is sent. */
static enum MHD_Result api_analyze(server *sv, struct MHD_Connection *c, req *r)
{
    if (r->answered)
        return respond(c, r, r->astatus, JSON_TYPE, r->abody ? r->abody : "", r->alen);
    if (!sv->eng)
        return fail(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "analyze is unavailable: %s",
                    sv->eng_err ? sv->eng_err : "no models");
    if (r->queued) /* woken without an answer: wait on */
        return MHD_YES;
    pthread_mutex_lock(&sv->qmu);
    if (sv->quit) { /* the analyzers are gone: nothing may stay suspended */
        pthread_mutex_unlock(&sv->qmu);
        return fail(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping");
    }
    r->conn = c;
    r->queued = 1;
    MHD_suspend_connection(c);
    if (sv->qtail)
        sv->qtail->qnext = r;
    else
        sv->qhead = r;
    sv->qtail = r;
    pthread_cond_signal(&sv->qcv);
    pthread_mutex_unlock(&sv->qmu);
    return MHD_YES;
}

/* ---- the web UI --------------------------------------------------------------- */

static const web_asset *asset(const char *name)
{
    for (int i = 0; i < web_nassets; i++)
        if (!strcmp(web_assets[i].name, name))
            return &web_assets[i];
    return NULL;
}

static const char *asset_type(const char *name)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (!strcmp(dot, types[i][0]))
            return types[i][1];
    return "application/octet-stream";
}

/* An entity tag for an asset: its bytes hashed (FNV-1a). */
static void etag_of(const web_asset *a, char *out, size_t cap)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < a->len; i++)
        h = (h ^ a->data[i]) * 1099511628211ull;
    snprintf(out, cap, "\"%016llx\"", (unsigned long long)h);
}

static enum MHD_Result send_asset(struct MHD_Connection *c, req *r, const web_asset *a)
{
    char etag[24];
    etag_of(a, etag, sizeof etag);
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    int fresh = inm && strstr(inm, etag);
    struct MHD_Response *res = MHD_create_response_from_buffer(
        fresh ? 0 : a->len, fresh ? (void *)"" : (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!res)
        return MHD_NO;
    MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, asset_type(a->name));
    MHD_add_response_header(res, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
    if (!strcmp(asset_type(a->name), "text/html; charset=utf-8")) {
        MHD_add_response_header(res, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                                "base-uri 'none'; form-action 'self'");
        MHD_add_response_header(res, "X-Frame-Options", "DENY");
    }
    unsigned status = fresh ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
    enum MHD_Result ok = MHD_queue_response(c, status, res);
    MHD_destroy_response(res);
    r->status = status;
    r->sent = fresh ? 0 : a->len;
    return ok;
}

/* ---- routing -------------------------------------------------------------------- */

enum route {
    R_NONE, R_HEALTH, R_SEARCH, R_TRACE, R_QUOTES, R_STATS, R_DOC, R_ANALYZE, R_PAGE, R_STATIC
};

static const char *const no_params[] = {NULL};
static const char *const search_params[] = {"q",     "speaker", "outlet", "since",
                                            "until", "kind",    "limit",  "event",
                                            "participant", "factuality", NULL};
static const char *const trace_params[] = {"q", "limit", NULL};
static const char *const quotes_params[] = {"speaker", "min_outlets", "limit", NULL};
/* page routes take the parameters of the page's API (the UI reads them) */

/* The route of a decoded path; *rest gets what follows a prefix route. */
static enum route route_of(const char *path, const char **rest)
{
    static const struct {
        const char *path;
        enum route r;
        int prefix;
    } routes[] = {
        {"/api/health", R_HEALTH, 0}, {"/api/search", R_SEARCH, 0}, {"/api/trace", R_TRACE, 0},
        {"/api/quotes", R_QUOTES, 0}, {"/api/stats", R_STATS, 0},   {"/api/doc/", R_DOC, 1},
        {"/api/analyze", R_ANALYZE, 0}, {"/", R_PAGE, 0},           {"/trace", R_PAGE, 0},
        {"/analyze", R_PAGE, 0},      {"/doc/", R_PAGE, 1},         {"/static/", R_STATIC, 1},
    };
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        size_t n = strlen(routes[i].path);
        if (routes[i].prefix ? !strncmp(path, routes[i].path, n) && path[n]
                             : !strcmp(path, routes[i].path)) {
            *rest = path + n;
            return routes[i].r;
        }
    }
    return R_NONE;
}

/* The media type of a request body (Content-Type without parameters), and
 * its charset. */
static int body_type_of(const char *ct, char **charset, char *err, size_t cap)
{
    if (!ct || !*ct) {
        snprintf(err, cap, "a body needs a Content-Type: text/plain (an article), text/html (a "
                           "page) or application/json ({\"text\": ...} or {\"html\": ...})");
        return -1;
    }
    size_t n = strcspn(ct, "; \t");
    int t = n == 10 && !strncasecmp(ct, "text/plain", n)         ? BODY_TEXT
            : n == 9 && !strncasecmp(ct, "text/html", n)         ? BODY_HTML
            : n == 16 && !strncasecmp(ct, "application/json", n) ? BODY_JSON
                                                                 : BODY_NONE;
    if (t == BODY_NONE) {
        snprintf(err, cap,
                 "unsupported Content-Type '%.100s' (text/plain, text/html or application/json)",
                 ct);
        return -1;
    }
    const char *cs = strcasestr(ct + n, "charset=");
    if (cs) {
        cs += 8;
        size_t k = strcspn(cs, "; \t");
        char *v = strndup(*cs == '"' ? cs + 1 : cs, *cs == '"' && k >= 2 ? k - 2 : k);
        if (!v) {
            snprintf(err, cap, "out of memory");
            return -1;
        }
        int utf8 = !strcasecmp(v, "utf-8") || !strcasecmp(v, "utf8") ||
                   !strcasecmp(v, "us-ascii");
        if (t != BODY_HTML && !utf8) {
            snprintf(err, cap, "charset '%.40s' is not supported here: send UTF-8", v);
            free(v);
            return -1;
        }
        if (t == BODY_HTML)
            *charset = v;
        else
            free(v);
    }
    return t;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    server *sv = cls;
    req *r = *con_cls;
    (void)url;
    (void)version;
    if (!r) /* the request object could not be made */
        return fail(c, NULL, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    char err[600];
    if (r->started) { /* more of a body, or its end */
        if (*upload_size) {
            if (!r->too_big && r->len + *upload_size > sv->max_body) {
                r->too_big = 1;
                free(r->body);
                r->body = NULL;
                r->len = r->cap = 0;
            }
            if (!r->too_big) {
                if (r->len + *upload_size + 1 > r->cap) {
                    size_t nc = r->cap ? r->cap : 65536;
                    while (nc < r->len + *upload_size + 1)
                        nc *= 2;
                    char *np = realloc(r->body, nc);
                    if (!np)
                        return fail(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
                    r->body = np;
                    r->cap = nc;
                }
                memcpy(r->body + r->len, upload, *upload_size);
                r->len += *upload_size;
                r->body[r->len] = 0;
            }
            *upload_size = 0;
            return MHD_YES;
        }
        if (r->too_big)
            return fail(c, r, MHD_HTTP_CONTENT_TOO_LARGE,
                        "the body is larger than the server's limit of %zu MB (--max-body-mb)",
                        sv->max_body >> 20);
        if (r->body_type != BODY_NONE)
            return api_analyze(sv, c, r);
    } else {
        /* the headers are in. A request without a body (and any GET or
         * HEAD) is answered at the second call: libmicrohttpd closes the
         * connection after a response queued at the first, as it cannot
         * know the request is whole. A request with a body is judged now,
         * from its headers: a refused body is never read, and its
         * connection is rightly closed */
        r->started = 1;
        atomic_fetch_add(&sv->requests, 1);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        int body = (cl && strtoull(cl, NULL, 10) > 0) ||
                   MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
        if (!body || !strcmp(method, "GET") || !strcmp(method, "HEAD")) {
            r->deferred = 1;
            return MHD_YES;
        }
    }

    /* the path and query as sent, decoded here (MHD's own decoding cannot
     * report a bad escape); an absolute target (http://host/path) is its path */
    char *target = r->uri;
    if (!strncasecmp(target, "http://", 7) || !strncasecmp(target, "https://", 8)) {
        char *slash = strchr(strstr(target, "//") + 2, '/');
        target = slash ? slash : (char *)"/";
    }
    size_t plen = strcspn(target, "?#");
    char *path = strndup(target, plen);
    if (!path)
        return fail(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    if (path[0] != '/' || unescape(path, plen, 0)) {
        free(path);
        return fail(c, r, MHD_HTTP_BAD_REQUEST,
                    "bad request target: a path starting with '/', percent-encoded UTF-8");
    }
    char *qs = target[plen] == '?' ? target + plen + 1 : (char *)"";
    char *hash = strchr(qs, '#');
    if (hash)
        *hash = 0;
    const char *rest = "";
    enum route rt = route_of(path, &rest);
    r->post_only = rt == R_ANALYZE;
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    int post = !strcmp(method, "POST");
    enum MHD_Result ok;
    params p = {0};
    hs_store_query q;
    const char *bad;
    if (rt == R_NONE) {
        ok = fail(c, r, MHD_HTTP_NOT_FOUND, "no such path: %.300s", path);
    } else if (rt == R_ANALYZE ? !post : !get) {
        ok = fail(c, r, MHD_HTTP_METHOD_NOT_ALLOWED, "%s is not allowed here (use %s)", method,
                  rt == R_ANALYZE ? "POST" : "GET");
    } else if (rt == R_ANALYZE) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
        int t;
        if (cl && n > sv->max_body)
            ok = fail(c, r, MHD_HTTP_CONTENT_TOO_LARGE,
                      "the body (%llu bytes) is larger than the server's limit of %zu MB "
                      "(--max-body-mb)",
                      n, sv->max_body >> 20);
        else if (parse_params(qs, &p, no_params, err, sizeof err))
            ok = fail(c, r, MHD_HTTP_BAD_REQUEST, "%s", err);
        else if ((t = body_type_of(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                               MHD_HTTP_HEADER_CONTENT_TYPE),
                                   &r->charset, err, sizeof err)) < 0)
            ok = fail(c, r, strstr(err, "memory") ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                  : MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                      "%s", err);
        else {
            r->body_type = t;
            ok = r->deferred ? api_analyze(sv, c, r) /* no body follows */ : MHD_YES;
        }
    } else if (rt == R_STATIC) {
        const web_asset *a = strchr(rest, '/') ? NULL : asset(rest);
        ok = a && strcmp(rest, "index.html") ? send_asset(c, r, a)
                                             : fail(c, r, MHD_HTTP_NOT_FOUND,
                                                    "no such file: %.300s", path);
    } else if (rt == R_PAGE) {
        const web_asset *a = asset("index.html");
        ok = a ? send_asset(c, r, a) : fail(c, r, MHD_HTTP_NOT_FOUND, "no web UI in this build");
    } else {
        const char *const *allowed = rt == R_SEARCH   ? search_params
                                     : rt == R_TRACE  ? trace_params
                                     : rt == R_QUOTES ? quotes_params
                                                      : no_params;
        if (parse_params(qs, &p, allowed, err, sizeof err))
            ok = fail(c, r, strstr(err, "out of memory") ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                         : MHD_HTTP_BAD_REQUEST,
                      "%s", err);
        else if ((bad = query_params(&p, &q, err, sizeof err)))
            ok = fail(c, r, MHD_HTTP_BAD_REQUEST, "%s", bad);
        else if (rt == R_HEALTH)
            ok = api_health(sv, c, r);
        else if (rt == R_STATS)
            ok = api_stats(sv, c, r);
        else if (rt == R_DOC)
            ok = api_doc(sv, c, r, rest);
        else if (rt == R_SEARCH && (q.event || q.participant || q.factuality))
            ok = answer_query(sv, c, r, hs_store_events, &q, "events");
        else if (rt == R_SEARCH)
            ok = answer_query(sv, c, r, hs_store_search, &q, "results");
        else if (rt == R_QUOTES)
            ok = answer_query(sv, c, r, hs_store_quotes, &q, "quotes");
        else if (!q.text || !q.text[strspn(q.text, " \t\n")])
            ok = fail(c, r, MHD_HTTP_BAD_REQUEST, "trace wants q=QUOTE: the words to trace");
        else
            ok = answer_query(sv, c, r, hs_store_trace, &q, "occurrences");
    }
    free(p.mem);
    free(path);
    return ok;
}

/* ---- the command -------------------------------------------------------------- */

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    server *sv = cls;
    if (!sv->log)
        return;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = 0;
    fprintf(stderr, "hearsay: http: %s\n", msg);
}

static const char serve_usage[] =
    "Usage: hearsay serve DB [--port N] [--bind ADDR] [--threads N] [--max-body-mb N]\n"
    "                        [--max-connections N] [--timeout S] [--models DIR] [--log]\n"
    "Serves the corpus DB (read-only; hearsay index may write it meanwhile) over HTTP:\n"
    "the JSON API under /api/ (docs/api.md) and the web UI at /.\n"
    "  --port N             TCP port (default 8080; 0 picks a free one)\n"
    "  --bind ADDR          listen address (default 127.0.0.1: this machine only;\n"
    "                       another address makes the corpus reachable from others)\n"
    "  --threads N          worker threads (default: the CPUs)\n"
    "  --max-body-mb N      largest request body, for POST /api/analyze (default 16)\n"
    "  --max-connections N  open connections at most (default 1000)\n"
    "  --timeout S          close a connection idle for S seconds (default 15)\n"
    "  --models DIR         models for /api/analyze (default as for analyze)\n"
    "  --log                one line per request, and HTTP errors, on stderr\n"
    "Prints its URL on stdout when ready; SIGINT or SIGTERM stops it (analyses in\n"
    "flight are finished first; a second signal quits at once, exit status 1).\n"
    "Exit status: 0 stopped by a signal, 2 usage, 5 the corpus cannot be opened,\n"
    "6 the address cannot be bound.\n";

enum { S_PORT = 256, S_BIND, S_THREADS, S_BODY, S_CONNS, S_TIMEOUT, S_MODELS, S_LOG };

int cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, S_PORT},
        {"bind", required_argument, NULL, S_BIND},
        {"threads", required_argument, NULL, S_THREADS},
        {"max-body-mb", required_argument, NULL, S_BODY},
        {"max-connections", required_argument, NULL, S_CONNS},
        {"timeout", required_argument, NULL, S_TIMEOUT},
        {"models", required_argument, NULL, S_MODELS},
        {"log", no_argument, NULL, S_LOG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long port = 8080, threads = sysconf(_SC_NPROCESSORS_ONLN), body_mb = 16, conns = 1000,
         timeout = 15;
    const char *bind_addr = "127.0.0.1", *models = NULL;
    int log = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        long *v = NULL, min = 1, max = 0;
        const char *what = NULL;
        switch (c) {
        case S_PORT: v = &port, min = 0, max = 65535, what = "--port"; break;
        case S_THREADS: v = &threads, max = 256, what = "--threads"; break;
        case S_BODY: v = &body_mb, max = 4096, what = "--max-body-mb"; break;
        case S_CONNS: v = &conns, max = 100000, what = "--max-connections"; break;
        case S_TIMEOUT: v = &timeout, max = 86400, what = "--timeout"; break;
        case S_BIND: bind_addr = optarg; break;
        case S_MODELS: models = optarg; break;
        case S_LOG: log = 1; break;
        case 'h': fputs(serve_usage, stdout); return 0;
        default: return option_error(c, argv);
        }
        if (v && cli_count(optarg, min, max, v)) {
            fprintf(stderr, "hearsay: %s wants a number from %ld to %ld, not '%s'\n", what, min,
                    max, optarg);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1)
        return usage_error("%s", "serve wants one database: hearsay serve DB");
    if (threads < 1)
        threads = 1;

    union {
        struct sockaddr sa;
        struct sockaddr_in v4;
        struct sockaddr_in6 v6;
    } addr = {0};
    int v6 = strchr(bind_addr, ':') != NULL;
    if (v6 ? inet_pton(AF_INET6, bind_addr, &addr.v6.sin6_addr) != 1
           : inet_pton(AF_INET, bind_addr, &addr.v4.sin_addr) != 1)
        return usage_error("--bind wants an IP address such as 127.0.0.1 or ::1, not '%s'",
                           bind_addr);
    if (v6) {
        addr.v6.sin6_family = AF_INET6;
        addr.v6.sin6_port = htons((uint16_t)port);
    } else {
        addr.v4.sin_family = AF_INET;
        addr.v4.sin_port = htons((uint16_t)port);
    }

    server sv = {.db = argv[optind], .max_body = (size_t)body_mb << 20, .log = log,
                 .started = time(NULL)};
    pthread_mutex_init(&sv.mu, NULL);
    pthread_mutex_init(&sv.qmu, NULL);
    pthread_cond_init(&sv.qcv, NULL);
    /* SQLite counts every allocation under one global lock unless told not
     * to; with a handle per thread that lock is all the threads contend for */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    /* the corpus must open now, not at the first request */
    hs_store *probe;
    int rc = hs_store_open(&probe, sv.db, HS_STORE_READONLY);
    if (rc) {
        rc = corpus_store_error(probe, rc);
        hs_store_close(probe);
        return rc;
    }
    hs_store_close(probe);
    char mtmp[4200];
    hs_engine_options eo = {0};
    eo.model_dir = cli_model_dir(models, mtmp, sizeof mtmp);
    static char eng_err[600];
    rc = hs_engine_open(&sv.eng, &eo);
    if (rc) {
        snprintf(eng_err, sizeof eng_err, "%s",
                 rc == HS_EMODEL ? hs_engine_errmsg(sv.eng) : hs_errstr(rc));
        fprintf(stderr, "hearsay: %s; /api/analyze will answer 503\n", eng_err);
        hs_engine_close(sv.eng);
        sv.eng = NULL;
        sv.eng_err = eng_err;
    }

    /* room for the connections: raise the open-file limit as far as allowed */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (rlim_t)conns * 2 + 64 + threads * 8 > rl.rlim_cur) { /* served, waiting at the gate,
                                                                  and the threads' own */
        long spare = (long)rl.rlim_cur - 64 - threads * 8;
        conns = spare > 128 ? spare / 2 : 64;
        fprintf(stderr, "hearsay: at most %ld connections (the open-file limit)\n", conns);
    }

    /* signals: SIGINT and SIGTERM are taken by sigwait below; the pool
     * threads inherit the mask */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* the gate listens and checks request lines; the daemon has no socket
     * of its own and gets each connection from the gate */
    unsigned bound = 0;
    gate *g = gate_open(&addr.sa, v6 ? sizeof addr.v6 : sizeof addr.v4, 1024, &bound);
    if (!g) {
        fprintf(stderr, "hearsay: cannot listen on %s port %ld: %s\n", bind_addr, port,
                strerror(errno));
        hs_engine_close(sv.eng);
        return EXIT_BIND;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
    sv.d = MHD_start_daemon(
        flags, 0, NULL, NULL, handle, &sv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &sv,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)conns, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64u << 10), MHD_OPTION_URI_LOG_CALLBACK,
        on_uri, &sv, MHD_OPTION_NOTIFY_COMPLETED, on_done, &sv, MHD_OPTION_END);
    sv.analyzers = calloc((size_t)threads, sizeof *sv.analyzers);
    for (long i = 0; sv.d && sv.analyzers && i < threads; i++)
        if (pthread_create(&sv.analyzers[i], NULL, analyzer, &sv) == 0)
            sv.nanalyzers++;
    if (!sv.d || !sv.nanalyzers || gate_start(g, sv.d, timeout, (unsigned)conns, (unsigned)threads)) {
        fprintf(stderr, "hearsay: cannot start the server: %s\n",
                errno ? strerror(errno) : "libmicrohttpd failed to start");
        gate_close(g);
        stop_analyzers(&sv);
        if (sv.d)
            MHD_stop_daemon(sv.d);
        hs_engine_close(sv.eng);
        return EXIT_BIND;
    }
    if (strcmp(bind_addr, "127.0.0.1") && strcmp(bind_addr, "::1"))
        fprintf(stderr, "hearsay: listening on %s: the corpus is reachable from other machines\n",
                bind_addr);
    fprintf(stderr, "hearsay: serving %s (%ld thread%s, analyze %s); Ctrl-C stops\n", sv.db,
            threads, threads == 1 ? "" : "s", sv.eng ? "on" : "off");
    printf(v6 ? "http://[%s]:%u/\n" : "http://%s:%u/\n", bind_addr, bound);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "hearsay: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    /* the stop runs beside this thread: an analysis in flight is finished
     * first (it cannot be cut short), and a second signal quits at once */
    stopper st = {.sv = &sv, .g = g};
    pthread_t tid;
    if (pthread_create(&tid, NULL, stop_server, &st) != 0) {
        stop_server(&st);
    } else {
        struct timespec tick = {0, 100 * 1000 * 1000};
        int said = 0;
        for (int waited = 0; !atomic_load(&st.done); waited++) {
            if (sigtimedwait(&stop, NULL, &tick) > 0) {
                fprintf(stderr, "hearsay: stopped without waiting for the analyses in flight\n");
                _exit(EXIT_PARTIAL);
            }
            if (waited == 10 && !said && !atomic_load(&st.done)) {
                fprintf(stderr, "hearsay: finishing the analyses in flight (signal again to quit "
                                "now)\n");
                said = 1;
            }
        }
        pthread_join(tid, NULL);
    }
    hs_engine_close(sv.eng);
    pthread_mutex_destroy(&sv.mu);
    pthread_mutex_destroy(&sv.qmu);
    pthread_cond_destroy(&sv.qcv);
    return 0;
}
