/* corpus - the corpus commands: index --input analyzed, search, trace,
 * quotes and stats, over hearsay.h's hs_store (docs/store.md). Results go
 * to stdout as JSON Lines or a readable list; diagnostics to stderr. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <zlib.h>

#include "cli.h"

int corpus_store_error(hs_store *st, int rc)
{
    const char *m = st ? hs_store_errmsg(st) : "";
    fprintf(stderr, "hearsay: %s\n", *m ? m : hs_errstr(rc));
    return rc == HS_ENOMEM ? EXIT_PARTIAL : EXIT_STORE;
}

/* ---- index --input analyzed: analyze output, one JSON object per line ---- */

/* A line longer than this is skipped with an error (a document is at most
 * 64 MiB by default; its JSON with the text is about three times that). */
#define MAX_LINE (1u << 30)

typedef struct lines {
    gzFile f;
    char *p;
    size_t len, cap, pos; /* p[pos..len) not yet handed out */
    int eof, err;
} lines;

/* The next line (without its newline) in *line, *n; 0 at the end, -1 when a
 * line is too long (skipped), -2 on a read error. */
static int next_line(lines *L, char **line, size_t *n)
{
    size_t scan = L->pos;
    int toolong = 0;
    for (;;) {
        char *nl = L->len > scan ? memchr(L->p + scan, '\n', L->len - scan) : NULL;
        if (nl || (L->eof && L->len > L->pos)) {
            size_t end = nl ? (size_t)(nl - L->p) : L->len;
            *line = L->p + L->pos;
            *n = end - L->pos;
            L->pos = nl ? end + 1 : end;
            return toolong ? -1 : 1;
        }
        if (L->eof)
            return toolong ? -1 : 0;
        scan = L->len;
        if (L->pos) { /* keep what is not handed out at the front */
            memmove(L->p, L->p + L->pos, L->len - L->pos);
            scan -= L->pos;
            L->len -= L->pos;
            L->pos = 0;
        }
        if (L->len > MAX_LINE) { /* drop the long line's bytes read so far */
            toolong = 1;
            L->len = scan = 0;
        }
        if (L->cap - L->len < (1u << 16)) {
            size_t nc = L->cap ? L->cap * 2 : 1u << 20;
            char *np = realloc(L->p, nc);
            if (!np)
                return -2;
            L->p = np;
            L->cap = nc;
        }
        int got = gzread(L->f, L->p + L->len, (unsigned)(L->cap - L->len));
        if (got < 0) {
            L->err = 1;
            return -2;
        }
        if (got == 0) {
            int zerr;
            gzerror(L->f, &zerr);
            if (zerr != Z_OK) { /* a truncated or damaged gzip stream */
                L->err = 1;
                return -2;
            }
            L->eof = 1;
        }
        L->len += (size_t)got;
    }
}

static long put_file(hs_store *st, const char *path, unsigned long long *stored)
{
    lines L = {0};
    L.f = strcmp(path, "-") ? gzopen(path, "rb") : gzdopen(dup(STDIN_FILENO), "rb");
    if (!L.f) {
        fprintf(stderr, "hearsay: %s: %s\n", path, errno ? strerror(errno) : "cannot open");
        return 1;
    }
    long failed = 0;
    unsigned long long lineno = 0, docs = 0;
    char *line;
    size_t n;
    int r;
    while ((r = next_line(&L, &line, &n)) != 0) {
        lineno++;
        if (r == -2) {
            int zerr;
            const char *m = gzerror(L.f, &zerr);
            fprintf(stderr, "hearsay: %s: line %llu: %s (after byte %lld of the data)\n", path,
                    lineno, L.err ? m : "out of memory", (long long)gzoffset(L.f));
            failed++;
            break;
        }
        if (r == -1) {
            fprintf(stderr, "hearsay: %s: line %llu: longer than %u MiB; line skipped\n", path,
                    lineno, MAX_LINE >> 20);
            failed++;
            continue;
        }
        if (!n || !line[strspn(line, " \t\r")] || strspn(line, " \t\r") == n)
            continue;
        int rc = hs_store_put(st, line, n);
        if (rc == HS_ESTORE || rc == HS_ENOMEM) {
            corpus_store_error(st, rc);
            gzclose(L.f);
            free(L.p);
            return -1;
        }
        if (rc) {
            fprintf(stderr, "hearsay: %s: line %llu: %s; line skipped\n", path, lineno,
                    hs_store_errmsg(st));
            failed++;
            continue;
        }
        docs++;
    }
    if (!docs && !failed) {
        fprintf(stderr, "hearsay: %s: no documents (an empty file)\n", path);
        failed++;
    }
    *stored += docs;
    gzclose(L.f);
    free(L.p);
    return failed;
}

long corpus_put_analyzed(hs_store *st, char **files, int n, int progress)
{
    long failed = 0;
    unsigned long long stored = 0;
    for (int i = 0; i < n; i++) {
        long f = put_file(st, files[i], &stored);
        if (f < 0)
            return -1;
        failed += f;
    }
    if (progress)
        fprintf(stderr, "hearsay: %llu document%s stored, %ld error%s\n", stored,
                stored == 1 ? "" : "s", failed, failed == 1 ? "" : "s");
    return failed;
}

/* ---- the query commands --------------------------------------------------- */

enum {
    Q_FORMAT = 256, Q_SPEAKER, Q_OUTLET, Q_SINCE, Q_UNTIL, Q_KIND, Q_LIMIT, Q_MINOUT, Q_COLOR,
    Q_EVENT, Q_PARTICIPANT, Q_FACTUALITY
};

typedef struct qopts {
    hs_store_query q;
    int json, color, width;
    unsigned long long n;
    const char *what;
} qopts;

int cli_count(const char *s, long min, long max, long *v)
{
    char *end;
    errno = 0;
    long n = s && *s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || n < min || n > max)
        return -1;
    *v = n;
    return 0;
}

int cli_kind(const char *name)
{
    for (int k = 0; k < HS_ATTR_KIND_COUNT; k++)
        if (!strcmp(name, hs_attr_kind_name(k)))
            return k;
    return -1;
}

/* Parses the options of a query command; the positional arguments are left
 * at argv[optind..]. Returns -1 to go on, else the exit status. */
static int query_options(int argc, char **argv, qopts *o, const char *usage)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, Q_FORMAT},
        {"speaker", required_argument, NULL, Q_SPEAKER},
        {"outlet", required_argument, NULL, Q_OUTLET},
        {"since", required_argument, NULL, Q_SINCE},
        {"until", required_argument, NULL, Q_UNTIL},
        {"kind", required_argument, NULL, Q_KIND},
        {"limit", required_argument, NULL, Q_LIMIT},
        {"min-outlets", required_argument, NULL, Q_MINOUT},
        {"event", required_argument, NULL, Q_EVENT},
        {"participant", required_argument, NULL, Q_PARTICIPANT},
        {"factuality", required_argument, NULL, Q_FACTUALITY},
        {"color", required_argument, NULL, Q_COLOR},
        {"colour", required_argument, NULL, Q_COLOR},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *color = "auto";
    o->q.kind = -1;
    o->json = !isatty(STDOUT_FILENO);
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case Q_FORMAT:
            if (strcmp(optarg, "json") && strcmp(optarg, "text"))
                return usage_error("unknown format '%s' (json or text)", optarg);
            o->json = !strcmp(optarg, "json");
            break;
        case Q_SPEAKER: o->q.speaker = optarg; break;
        case Q_EVENT: o->q.event = optarg; break;
        case Q_PARTICIPANT: o->q.participant = optarg; break;
        case Q_FACTUALITY: o->q.factuality = optarg; break;
        case Q_OUTLET: o->q.outlet = optarg; break;
        case Q_SINCE: o->q.since = optarg; break;
        case Q_UNTIL: o->q.until = optarg; break;
        case Q_KIND: {
            int k = cli_kind(optarg);
            if (k < 0)
                return usage_error("unknown kind '%s' (direct, indirect, mixed or blockquote)",
                                   optarg);
            o->q.kind = k;
            break;
        }
        case Q_LIMIT:
            if (cli_count(optarg, 1, LONG_MAX, &o->q.limit))
                return usage_error("--limit wants a positive number, not '%s'", optarg);
            break;
        case Q_MINOUT:
            if (cli_count(optarg, 1, LONG_MAX, &o->q.min_outlets))
                return usage_error("--min-outlets wants a positive number, not '%s'", optarg);
            break;
        case Q_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return usage_error("unknown colour mode '%s' (auto, always or never)", optarg);
            color = optarg;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return option_error(c, argv);
        }
    }
    o->color = color_wanted(color);
    struct winsize ws;
    o->width = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 100;
    return -1;
}

/* Opens the corpus for reading, or prints why not. */
static int open_db(hs_store **st, const char *path)
{
    int rc = hs_store_open(st, path, HS_STORE_READONLY);
    if (rc == HS_OK)
        return 0;
    rc = corpus_store_error(*st, rc);
    hs_store_close(*st);
    *st = NULL;
    return rc;
}

/* The exit status of a query: its error, or 1 when nothing was found. */
static int query_status(hs_store *st, int rc, const qopts *o)
{
    if (rc == HS_EQUERY) {
        fprintf(stderr, "hearsay: %s\n", hs_store_errmsg(st));
        return EXIT_USAGE;
    }
    if (rc)
        return corpus_store_error(st, rc);
    if (fflush(stdout)) {
        perror("hearsay: writing output");
        return EXIT_OUTPUT;
    }
    if (o->n)
        return 0;
    fprintf(stderr, "hearsay: %s\n", o->what);
    return EXIT_PARTIAL;
}

typedef int (*query_fn)(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user);

/* Opens db, runs the query with print for each result, closes; the exit
 * status. */
static int run_query(const char *db, qopts *o, query_fn query, hs_store_fn print)
{
    hs_store *st;
    int rc = open_db(&st, db);
    if (rc)
        return rc;
    rc = query_status(st, query(st, &o->q, print, o), o);
    hs_store_close(st);
    return rc;
}

/* Prints s wrapped at the width, each line indented. */
static void wrapped(const char *s, int indent, int width)
{
    int col = 0, avail = width - indent > 30 ? width - indent : 30;
    while (*s) {
        size_t w = strcspn(s, " \n");
        int cols = 0;
        for (size_t i = 0; i < w; i++)
            cols += ((unsigned char)s[i] & 0xC0) != 0x80;
        if (col && col + 1 + cols > avail) {
            putchar('\n');
            col = 0;
        }
        if (!col)
            printf("%*s", indent, "");
        else
            putchar(' '), col++;
        fwrite(s, 1, w, stdout);
        col += cols;
        s += w;
        s += strspn(s, " \n");
    }
    if (col)
        putchar('\n');
}

/* The marked content: matches in bold yellow, or between * and *. */
static char *marks(const char *m, int color)
{
    size_t n = strlen(m);
    char *out = malloc(n * 6 + 1), *p = out;
    if (!out)
        return NULL;
    for (; *m; m++) {
        if (*m == '\x02')
            p = stpcpy(p, color ? "\033[1;33m" : "*");
        else if (*m == '\x03')
            p = stpcpy(p, color ? "\033[0m" : "*");
        else
            *p++ = *m == '\n' ? ' ' : *m;
    }
    *p = 0;
    return out;
}

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

static int print_search(void *user, const hs_store_hit *h)
{
    qopts *o = user;
    o->n++;
    if (o->json)
        return puts(h->json) < 0;
    printf("%s%s  %s  %s%s%s — %s (%s)%s\n", o->color ? "\033[2m" : "", or_dash(h->date),
           or_dash(h->outlet), o->color ? "\033[0;1m" : "", or_dash(h->speaker),
           o->color ? "\033[0m" : "", or_dash(h->cue), h->kind, "");
    char *m = marks(h->marked ? h->marked : or_dash(h->content), o->color);
    if (m)
        wrapped(m, 4, o->width);
    free(m);
    printf("    %s%s%s\n\n", o->color ? "\033[2m" : "", h->doc, o->color ? "\033[0m" : "");
    return 0;
}

/* A meeting: date outlet  participants — trigger — factuality, according
 * to the source; the sentence; the document. */
static int print_event(void *user, const hs_store_hit *h)
{
    qopts *o = user;
    o->n++;
    if (o->json)
        return puts(h->json) < 0;
    printf("%s%s  %s  %s%s%s — %s — %s", o->color ? "\033[2m" : "", or_dash(h->date),
           or_dash(h->outlet), o->color ? "\033[0;1m" : "", or_dash(h->participants),
           o->color ? "\033[0m" : "", or_dash(h->cue), h->kind);
    if (h->speaker)
        printf(", according to %s", h->speaker);
    putchar('\n');
    if (h->content) {
        char *m = marks(h->content, o->color);
        if (m)
            wrapped(m, 4, o->width);
        free(m);
    }
    printf("    %s%s%s\n\n", o->color ? "\033[2m" : "", h->doc, o->color ? "\033[0m" : "");
    return 0;
}

static const char search_usage[] =
    "Usage: hearsay search DB [QUERY] [OPTIONS]\n"
    "       hearsay search DB --event meet [--participant NAME] [--factuality F] [OPTIONS]\n"
    "Statements in the corpus whose content (or speaker) matches QUERY, best first;\n"
    "with --event or --participant, the meetings it reports instead, newest first.\n"
    "QUERY is plain words (all must match) or an FTS5 query: \"a phrase\", AND, OR, NOT,\n"
    "NEAR(a b), prefix*, content:word.\n"
    "  --speaker NAME      said by this person or organisation (name or alias: \"Trump\"\n"
    "                      finds Donald Trump, also where the text says \"he\")\n"
    "  --outlet NAME       printed by this outlet\n"
    "  --since DATE, --until DATE   dates YYYY[-MM[-DD]], inclusive\n"
    "  --kind direct|indirect|mixed|blockquote\n"
    "  --event meet        meetings (talks, calls, interviews, debates) instead of statements\n"
    "  --participant NAME  meetings with this party (name, surname or alias: \"Putin\")\n"
    "  --factuality asserted|hedged|negated|future|hypothetical   meetings reported so\n"
    "                      (--speaker is then the meeting's source: \"according to\")\n"
    "  --limit N           at most N statements or meetings (default 20)\n"
    "  --format text|json  a readable list or JSON Lines (default: text on a terminal)\n"
    "  --color auto|always|never\n"
    "Exit status: 0 found, 1 nothing found, 2 bad query or usage, 5 database error.\n";

int cmd_search(int argc, char **argv)
{
    qopts o = {.what = "no statement matches"};
    int rc = query_options(argc, argv, &o, search_usage);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return usage_error("%s", "search wants a database: hearsay search DB [QUERY]");
    if (argc - optind > 2)
        return usage_error("%s", "search takes one QUERY (put a phrase in quotes)");
    o.q.text = argc - optind == 2 ? argv[optind + 1] : NULL;
    if (o.q.event || o.q.participant || o.q.factuality) {
        if (o.q.kind >= 0)
            return usage_error("%s", "--kind is a statement's; meetings have --factuality");
        o.what = "no meeting matches (hearsay stats counts the corpus's events)";
        return run_query(argv[optind], &o, hs_store_events, print_event);
    }
    o.q.marks = !o.json;
    if (o.q.speaker && !o.q.text)
        o.what = "no statement by that speaker (hearsay stats lists what the corpus holds)";
    return run_query(argv[optind], &o, hs_store_search, print_search);
}

/* ---- trace ------------------------------------------------------------------ */

static int print_trace(void *user, const hs_store_hit *h)
{
    qopts *o = user;
    o->n++;
    if (o->json)
        return puts(h->json) < 0;
    const char *b = o->color ? "\033[1m" : "", *d = o->color ? "\033[2m" : "",
               *r = o->color ? "\033[0m" : "";
    printf("%s %s%s%s  %s%s%s — %s", h->first ? "●" : "│", d, or_dash(h->date), r, b,
           or_dash(h->outlet), r, or_dash(h->speaker));
    if (h->cue)
        printf(" (%s)", h->cue);
    if (h->first)
        printf("  %sfirst%s\n", b, r);
    else if (!h->nchanges)
        printf("  %sexact%s\n", d, r);
    else
        printf("  %zu change%s\n", h->nchanges, h->nchanges == 1 ? "" : "s");
    if (h->first)
        wrapped(h->content, 4, o->width);
    for (size_t k = 0; k < h->nchanges; k++) {
        const char *from = h->change_from[k], *to = h->change_to[k];
        if (!*to)
            printf("    %s- %s%s\n", o->color ? "\033[31m" : "", from, r);
        else if (!*from)
            printf("    %s+ %s%s\n", o->color ? "\033[32m" : "", to, r);
        else
            printf("    %s%s%s → %s%s%s\n", o->color ? "\033[31m" : "", from, r,
                   o->color ? "\033[32m" : "", to, r);
    }
    printf("    %s%s%s\n", d, h->doc, r);
    return 0;
}

static const char trace_usage[] =
    "Usage: hearsay trace DB QUOTE [--format text|json] [--limit N]\n"
    "Every occurrence of the statement QUOTE in the corpus, oldest first: exact\n"
    "reprints and altered ones (re-punctuated, shortened, words changed), each with\n"
    "the outlet, date, who it is attributed to there, and its wording changes from\n"
    "the first occurrence.\n"
    "Exit status: 0 found, 1 not found, 2 bad query or usage, 5 database error.\n";

int cmd_trace(int argc, char **argv)
{
    qopts o = {.what = "the statement is not in the corpus"};
    int rc = query_options(argc, argv, &o, trace_usage);
    if (rc >= 0)
        return rc;
    if (argc - optind != 2)
        return usage_error("%s", "trace wants a database and a quotation: hearsay trace DB QUOTE");
    o.q.text = argv[optind + 1];
    return run_query(argv[optind], &o, hs_store_trace, print_trace);
}

/* ---- quotes ----------------------------------------------------------------- */

static int print_quote(void *user, const hs_store_hit *h)
{
    qopts *o = user;
    o->n++;
    if (o->json)
        return puts(h->json) < 0;
    const char *b = o->color ? "\033[1m" : "", *r = o->color ? "\033[0m" : "";
    printf("%s%s%s: %ld documents, %ld outlet%s; first %s in %s\n", b, or_dash(h->speaker), r,
           h->documents, h->outlets, h->outlets == 1 ? "" : "s", or_dash(h->date),
           or_dash(h->outlet));
    wrapped(h->content ? h->content : "-", 4, o->width);
    putchar('\n');
    return 0;
}

static const char quotes_usage[] =
    "Usage: hearsay quotes DB [--min-outlets N] [--speaker NAME] [--limit N] [--format text|json]\n"
    "Statements printed in more than one document, once each, most reprinted first:\n"
    "speaker, first appearance, how many documents and outlets, and the variants.\n";

int cmd_quotes(int argc, char **argv)
{
    qopts o = {.what = "no statement appears in more than one document"};
    int rc = query_options(argc, argv, &o, quotes_usage);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return usage_error("%s", "quotes wants a database: hearsay quotes DB");
    return run_query(argv[optind], &o, hs_store_quotes, print_quote);
}

/* ---- stats ------------------------------------------------------------------ */

static const char stats_usage[] =
    "Usage: hearsay stats DB [--format text|json]\n"
    "The corpus in figures: documents, attributions, entities, quotes, words,\n"
    "outlets, dates and size.\n";

int cmd_stats(int argc, char **argv)
{
    qopts o = {0};
    int rc = query_options(argc, argv, &o, stats_usage);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return usage_error("%s", "stats wants a database: hearsay stats DB");
    hs_store *st;
    if ((rc = open_db(&st, argv[optind])))
        return rc;
    const char *js;
    rc = hs_store_stats(st, &js);
    if (rc) {
        rc = corpus_store_error(st, rc);
        hs_store_close(st);
        return rc;
    }
    if (o.json) {
        puts(js);
    } else {
        json_t *v = json_loads(js, 0, NULL);
        long long docs = json_integer_value(json_object_get(v, "documents"));
        static const char *const keys[] = {"documents", "attributions", "entities", "events",
                                           "quotes", "words"};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            printf("%-13s %lld\n", keys[i], json_integer_value(json_object_get(v, keys[i])));
        json_t *d = json_object_get(v, "dates");
        const char *first = json_string_value(json_object_get(d, "first")),
                   *last = json_string_value(json_object_get(d, "last"));
        printf("%-13s %s to %s\n", "dates", first ? first : "-", last ? last : "-");
        long long bytes = json_integer_value(json_object_get(v, "bytes"));
        printf("%-13s %.1f MB (%.1f KB per document)\n", "size", bytes / 1e6,
               docs ? bytes / 1e3 / (double)docs : 0.0);
        printf("%-13s %lld:", "outlets", json_integer_value(json_object_get(v, "outlet_count")));
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(v, "outlets"), i, e)
        {
            const char *name = json_string_value(json_object_get(e, "name"));
            printf("%s %s (%lld)", i ? "," : "", name ? name : "(none)",
                   json_integer_value(json_object_get(e, "documents")));
        }
        putchar('\n');
        json_decref(v);
    }
    hs_store_close(st);
    if (fflush(stdout)) {
        perror("hearsay: writing output");
        return EXIT_OUTPUT;
    }
    return 0;
}
