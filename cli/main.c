/* hearsay - the command-line program: subcommands over libhearsay's public
 * API only. JSON Lines or a readable report on stdout, diagnostics on stderr.
 * Exit statuses: cli.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "hearsay_train.h"
#include "report.h"
#include "run.h"

#ifndef HS_MODEL_DIR
#define HS_MODEL_DIR "/usr/local/share/hearsay/models"
#endif

static const char usage_text[] =
    "Usage: hearsay COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Reads news articles and reports their structure: who said what,\n"
    "according to whom.\n"
    "\n"
    "Commands:\n"
    "  analyze   analyze articles (text, HTML, JSON Lines, WARC; gzip accepted): JSON Lines\n"
    "            or a report\n"
    "  extract   the article of web pages (HTML, JSON Lines with \"html\", WARC): title,\n"
    "            byline, date and text, as text or JSON Lines\n"
    "  tag       POS tags, dependencies and entities as CoNLL-U (text or one token per line)\n"
    "  train     retrain a model from the shared data (pos, parser, ner, attribution)\n"
    "  eval      score output against gold data (eval tags ..., eval polnear ...)\n"
    "  index     analyze articles into an SQLite corpus (hearsay index DB FILE...)\n"
    "  search    statements in a corpus matching words, a speaker, an outlet, dates\n"
    "  trace     every occurrence of a quotation in a corpus, oldest first, with changes\n"
    "  quotes    statements a corpus prints in more than one document\n"
    "  stats     a corpus in figures\n"
    "  serve     the corpus over HTTP: a JSON API and a web UI (hearsay serve DB)\n"
    "  slurm     analyze files on a Slurm cluster into a corpus (job array + merge)\n"
    "  help      show this help\n"
    "  version   show the version\n"
    "\n"
    "analyze options:\n"
    "  --format json|text   output format (default: text on a terminal, else json)\n"
    "  --input auto|text|html|jsonl|warc   input format (default auto: detected from the\n"
    "                       first bytes of each file)\n"
    "  -j, --jobs N         analyze with N threads (output stays in input order)\n"
    "  --progress, --no-progress   progress line and summary on stderr (default: when\n"
    "                       stderr is a terminal)\n"
    "  --include-text       add each document's text to the JSON\n"
    "  --lossy              replace invalid UTF-8 with U+FFFD instead of skipping\n"
    "  --pretty             indent the JSON (one object still per document)\n"
    "  --color auto|always|never   colour in the text report (default auto)\n"
    "  --stage-times        at the end, the time of each step of the pipeline on stderr\n"
    "  --max-doc-mb N       skip (with an error) documents larger than N MiB (default 64)\n"
    "  --records FIRST-LAST only these lines (JSON Lines) or records (WARC) of each file,\n"
    "                       and only their errors: runs over ranges that cover a file write\n"
    "                       what one run over it writes (index and extract take it too)\n"
    "  --models DIR         model folder (default: $HEARSAY_MODELS, models/ beside the\n"
    "                       program's folder, or the installed models)\n"
    "\n"
    "extract [--format json|text] [--input FORMAT] [--pretty] [--lossy] [-j N] FILE...\n"
    "  json: one object per page with \"id\", \"url\", \"title\", \"date\", \"byline\",\n"
    "  \"outlet\" (what was found), \"errors\" (if any) and \"text\" (the article's\n"
    "  paragraphs); --lossy as for analyze\n"
    "\n"
    "tag [--pretokenized] [--models DIR] FILE...\n"
    "  --pretokenized       one token per line, a blank line ends a sentence\n"
    "\n"
    "train pos|parser|ner|attribution [--data DIR] [--out FILE] [--epochs N] [--seed N]\n"
    "train pack --out FILE  rewrite a model file of an older hearsay with its weight tables\n"
    "                       packed for a fast load (training writes them packed)\n"
    "  --data DIR           shared data folder (default ../shared/data)\n"
    "  --out FILE           model to write (default models/LAYER.hsm)\n"
    "  --models DIR         models the training reads (attribution: pos, ner; default models)\n"
    "\n"
    "eval tags corenlp|uner GOLD PRED.conllu\n"
    "  prints the same JSON line as ../shared/tools/eval_tags.py\n"
    "\n"
    "eval polnear DIR [METADATA] [--pred FILE.jsonl] [--json] [--models DIR]\n"
    "  scores attributions against the PolNeAR brat gold of DIR (text/, attributions/)\n"
    "  and prints what ../shared/tools/eval_polnear.py prints for the same input\n"
    "  --pred FILE.jsonl    analyze output to score (- = standard input); without it,\n"
    "                       each article of DIR is analyzed with the models\n"
    "  --json               one JSON line instead of the table\n"
    "  -h, --help           show this help\n"
    "\n"
    "index DB [--input FORMAT|analyzed] [-j N] [--progress] [--lossy] FILE...\n"
    "  stores each document in the corpus DB (created when absent; a document\n"
    "  of the same id is replaced); --input analyzed: analyze --format json output\n"
    "search DB [QUERY] [--speaker NAME] [--outlet NAME] [--since DATE] [--until DATE]\n"
    "       [--kind direct|indirect|mixed|blockquote] [--limit N] [--format text|json]\n"
    "trace DB QUOTE [--limit N] [--format text|json]\n"
    "quotes DB [--min-outlets N] [--speaker NAME] [--limit N] [--format text|json]\n"
    "stats DB [--format text|json]\n"
    "serve DB [--port N] [--bind ADDR] [--threads N] [--max-body-mb N] [--log]\n"
    "slurm [--out DIR] [--db DB] [--partition P] [--time T] [--mem M] [--wait] FILE...\n"
    "slurm --resume DIR [--wait] | --status DIR | --task DIR N | --merge DIR\n"
    "  (each command's --help says more; docs/store.md has the schema)\n"
    "\n"
    "FILE may be - for standard input; with no FILE, standard input is read.\n"
    "Exit status: 0 ok, 1 some document or input line failed (search, trace,\n"
    "quotes: nothing matched), 2 usage error or bad query, 3 output error,\n"
    "4 a model is missing or unreadable, 5 the corpus database cannot be used,\n"
    "6 serve cannot listen on its address, 7 a cluster task ended without its result,\n"
    "8 sbatch refused the job or is absent.\n"
    "Schema: docs/schema.md; manual: man hearsay.\n";

int option_error(int c, char **argv)
{
    char opt[64];
    const char *bad = argv[optind - 1];
    if (optopt && optopt < 256)
        snprintf(opt, sizeof opt, "-%c", optopt);
    else
        snprintf(opt, sizeof opt, "%s", bad);
    fprintf(stderr, "hearsay: %s '%s'\nTry 'hearsay --help'.\n",
            c == ':' ? "missing value for option" : "unknown option", opt);
    return 2;
}

int usage_error(const char *fmt, const char *arg)
{
    fputs("hearsay: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'hearsay --help'.\n", stderr);
    return EXIT_USAGE;
}

typedef struct analyze_opts {
    int json;
    int color;
    unsigned json_flags;
    int width;
} analyze_opts;

/* Writes one analyzed document; returns 0, or -1 when it could not be
 * formatted (the document counts as failed). */
typedef int (*emit_fn)(hs_doc *doc, const hs_input *in, const void *ctx);

/* Analyzes every document of one input and hands each to emit; returns the
 * number that failed, or -1 on an output error. */
static int for_each_document(const hs_engine *eng, hs_doc *doc, const char *path,
                             unsigned read_flags, unsigned analyze_flags, emit_fn emit,
                             const void *ctx)
{
    hs_reader *r = NULL;
    int failed = 0, rc = hs_reader_open(&r, eng, path, read_flags);
    if (rc) {
        fprintf(stderr, "hearsay: %s: %s\n", path, hs_errstr(rc));
        return 1;
    }
    hs_input in;
    while ((rc = hs_reader_next(r, &in)) != HS_EEOF) {
        if (rc) {
            fprintf(stderr, "hearsay: %s\n", hs_reader_errmsg(r));
            failed++;
            continue;
        }
        rc = hs_doc_analyze_input(doc, &in, analyze_flags);
        if (rc) {
            fprintf(stderr, "hearsay: %s: %s; document skipped\n", in.where ? in.where : in.id,
                    rc == HS_ENOMEM ? hs_errstr(rc) : hs_doc_errmsg(doc));
            failed++;
            continue;
        }
        if (emit(doc, &in, ctx)) {
            fprintf(stderr, "hearsay: %s: out of memory\n", in.id);
            failed++;
        }
        if (ferror(stdout)) {
            hs_reader_close(r);
            return -1;
        }
    }
    hs_reader_close(r);
    return failed;
}

int cli_emit_json(hs_doc *doc, const hs_input *in, FILE *f, const void *json_flags)
{
    (void)in;
    const char *js;
    size_t jl;
    if (hs_doc_json(doc, *(const unsigned *)json_flags, &js, &jl))
        return -1;
    fwrite(js, 1, jl, f);
    putc('\n', f);
    return 0;
}

static int emit_analysis(hs_doc *doc, const hs_input *in, FILE *f, const void *ctx)
{
    const analyze_opts *o = ctx;
    if (!o->json)
        return report_write(f, doc, o->color, o->width), 0;
    return cli_emit_json(doc, in, f, &o->json_flags);
}

static int emit_conllu(hs_doc *doc, const hs_input *in, const void *ctx)
{
    (void)ctx;
    const char *out;
    size_t len;
    if (hs_doc_conllu(doc, &out, &len))
        return -1;
    printf("# doc = %s\n", in->id);
    fwrite(out, 1, len, stdout);
    return 0;
}

/* The model folder: --models, $HEARSAY_MODELS, models/ next to the folder
 * holding the program (build/hearsay -> models/), share/hearsay/models of
 * an installed tree (wherever it was moved), or the configured prefix. */
const char *cli_model_dir(const char *opt, char *tmp, size_t cap)
{
    if (opt)
        return opt;
    const char *env = getenv("HEARSAY_MODELS");
    if (env && *env)
        return env;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            /* build/hearsay -> models/; PREFIX/bin/hearsay -> PREFIX/share/hearsay/models */
            snprintf(tmp, cap, "%s/../models", exe);
            if (access(tmp, R_OK) == 0)
                return tmp;
            snprintf(tmp, cap, "%s/../share/hearsay/models", exe);
            if (access(tmp, R_OK) == 0)
                return tmp;
        }
    }
    return HS_MODEL_DIR;
}

int cli_open_engine(hs_engine **eng, hs_engine_options *o)
{
    int rc = hs_engine_open(eng, o);
    if (rc == HS_OK)
        return 0;
    fprintf(stderr, "hearsay: %s\n", rc == HS_EMODEL ? hs_engine_errmsg(*eng) : hs_errstr(rc));
    hs_engine_close(*eng);
    *eng = NULL;
    return rc == HS_EMODEL ? EXIT_MODEL : EXIT_PARTIAL;
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    return c && atoi(c) > 0 ? atoi(c) : 100;
}

int color_wanted(const char *mode)
{
    if (strcmp(mode, "always") == 0)
        return 1;
    if (strcmp(mode, "never") == 0)
        return 0;
    const char *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;
}

int cli_input_format(const char *name)
{
    for (int f = HS_FORMAT_AUTO; f <= HS_FORMAT_WARC; f++)
        if (!strcmp(name, hs_format_name(f)))
            return f;
    return -1;
}

static int parse_jobs(const char *s, int *jobs)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*end || n < 1 || n > 256)
        return -1;
    *jobs = (int)n;
    return 0;
}

/* Long options of analyze, extract and index. */
enum { A_FORMAT = 256, A_TEXT, A_LOSSY, A_PRETTY, A_COLOR, A_MAXDOC, A_MODELS, A_INPUT,
       A_PROGRESS, A_NOPROGRESS, A_RECORDS, A_STAGETIMES };

/* The long options every command that runs documents takes, and the end
 * of its table. */
#define RUN_LONGOPTS                                          \
    {"lossy", no_argument, NULL, A_LOSSY},                    \
    {"max-doc-mb", required_argument, NULL, A_MAXDOC},        \
    {"input", required_argument, NULL, A_INPUT},              \
    {"jobs", required_argument, NULL, 'j'},                   \
    {"progress", no_argument, NULL, A_PROGRESS},              \
    {"no-progress", no_argument, NULL, A_NOPROGRESS},         \
    {"records", required_argument, NULL, A_RECORDS},          \
    {"help", no_argument, NULL, 'h'},                         \
    {NULL, 0, NULL, 0}

/* The input files from argv[optind..], or "-" when there are none and
 * standard input is not a terminal; -1 (said) when it is. */
static int input_files(int argc, char **argv, char ***files, int *n)
{
    static char *stdin_only[] = {"-"};
    *files = argv + optind;
    *n = argc - optind;
    if (*n)
        return 0;
    if (isatty(STDIN_FILENO)) {
        usage_error("%s", "no input files (give FILE... or - for standard input)");
        return -1;
    }
    *files = stdin_only;
    *n = 1;
    return 0;
}

/* Runs the documents of files with the options; prints the failure count. */
static int run_and_report(run_opts *ro, int argc, char **argv, hs_engine_options *eopts)
{
    char **files;
    int nfiles;
    if (input_files(argc, argv, &files, &nfiles))
        return EXIT_USAGE;
    hs_engine *eng = NULL;
    int rc = cli_open_engine(&eng, eopts);
    if (rc)
        return rc;
    ro->eng = eng;
    long failed = run_documents(ro, files, nfiles);
    hs_engine_close(eng);
    if (fflush(stdout) != 0 || failed < 0) {
        perror("hearsay: writing output");
        return EXIT_OUTPUT;
    }
    if (failed)
        fprintf(stderr, "hearsay: %ld document%s failed\n", failed, failed == 1 ? "" : "s");
    return failed ? EXIT_PARTIAL : 0;
}

/* The options analyze and extract share, into their output format and
 * JSON flags, the run and the engine. Returns 1 when c is one of them (*rc
 * then 0, or the exit status of a usage error), 0 when it is not. */
static int shared_option(int c, int *json, unsigned *json_flags, run_opts *ro,
                         hs_engine_options *eo, int *rc)
{
    *rc = 0;
    switch (c) {
    case A_FORMAT:
        if (strcmp(optarg, "json") == 0)
            *json = 1;
        else if (strcmp(optarg, "text") == 0)
            *json = 0;
        else
            *rc = usage_error("unknown format '%s' (json or text)", optarg);
        return 1;
    case A_INPUT:
        if ((ro->format = cli_input_format(optarg)) < 0)
            *rc = usage_error("unknown input format '%s' (auto, text, html, jsonl or warc)",
                              optarg);
        return 1;
    case A_PRETTY: *json_flags |= HS_JSON_PRETTY; return 1;
    case A_LOSSY:
        ro->read_flags |= HS_READ_LOSSY;
        ro->analyze_flags |= HS_ANALYZE_LOSSY;
        return 1;
    case A_MAXDOC: {
        char *end;
        long mb = strtol(optarg, &end, 10);
        if (*end || mb < 1 || mb > 4000)
            *rc = usage_error("--max-doc-mb wants a number of MiB from 1 to 4000, not '%s'",
                              optarg);
        else
            eo->max_doc_bytes = (size_t)mb << 20;
        return 1;
    }
    case A_RECORDS: {
        char *end, *end2;
        errno = 0;
        unsigned long long a = strtoull(optarg, &end, 10), b = a;
        if (*end == '-')
            b = strtoull(end + 1, &end2, 10), end = end2;
        if (errno || *end || !a || b < a || !isdigit((unsigned char)*optarg))
            *rc = usage_error("--records wants FIRST-LAST (lines or records, from 1), not '%s'",
                              optarg);
        ro->first = a;
        ro->last = b;
        return 1;
    }
    case 'j':
        if (parse_jobs(optarg, &ro->jobs))
            *rc = usage_error("-j wants a number of threads from 1 to 256, not '%s'", optarg);
        return 1;
    case A_PROGRESS: ro->progress = 1; return 1;
    case A_NOPROGRESS: ro->progress = 0; return 1;
    default: return 0;
    }
}

/* analyze --stage-times: the time of each step, summed over the documents
 * and threads, with its share of the whole. */
static void print_times(const run_times *t)
{
    double total = 0;
    for (size_t i = 0; i < t->n; i++)
        total += t->seconds[i];
    fprintf(stderr, "hearsay: time per step (seconds, summed over documents and threads):\n");
    for (size_t i = 0; i < t->n; i++)
        fprintf(stderr, "  %-12s %10.4f %6.1f%%\n", t->names[i], t->seconds[i],
                total > 0 ? 100 * t->seconds[i] / total : 0.0);
    fprintf(stderr, "  %-12s %10.4f %6.1f%%\n", "total", total, 100.0);
}

static int cmd_analyze(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, A_FORMAT},
        {"include-text", no_argument, NULL, A_TEXT},
        {"pretty", no_argument, NULL, A_PRETTY},
        {"color", required_argument, NULL, A_COLOR},
        {"colour", required_argument, NULL, A_COLOR},
        {"models", required_argument, NULL, A_MODELS},
        {"stage-times", no_argument, NULL, A_STAGETIMES},
        RUN_LONGOPTS,
    };
    analyze_opts o = {.json = !isatty(STDOUT_FILENO)};
    run_times times = {0};
    hs_engine_options eopts = {0};
    run_opts ro = {.jobs = 1, .progress = isatty(STDERR_FILENO)};
    const char *color = "auto", *models = NULL;
    char mtmp[4200];
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hj:", longopts, NULL)) != -1) {
        int rc;
        if (shared_option(c, &o.json, &o.json_flags, &ro, &eopts, &rc)) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case A_TEXT: o.json_flags |= HS_JSON_INCLUDE_TEXT; break;
        case A_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return usage_error("unknown colour mode '%s' (auto, always or never)", optarg);
            color = optarg;
            break;
        case A_MODELS: models = optarg; break;
        case A_STAGETIMES: ro.times = &times; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default:
            return option_error(c, argv);
        }
    }
    eopts.model_dir = cli_model_dir(models, mtmp, sizeof mtmp);
    /* analyze prints entities and attributions; it does not print the
     * parse, so only the sentences that hold a cue are parsed */
    eopts.layers = HS_LAYER_POS | HS_LAYER_NER | HS_LAYER_ATTR;
    o.color = color_wanted(color);
    o.width = terminal_width();
    ro.emit = emit_analysis;
    ro.ctx = &o;
    int rc = run_and_report(&ro, argc, argv, &eopts);
    if (ro.times && times.n)
        print_times(&times);
    return rc;
}

/* ---- index: analyze into a corpus --------------------------------------- */

typedef struct index_sink {
    hs_store *st;
    long failed;
} index_sink;

/* Stores one analyzed document; a store failure stops the run. */
static int sink_store(void *ctx, const char *out, size_t len, const char *where)
{
    index_sink *k = ctx;
    int rc = hs_store_put(k->st, out, len);
    if (rc == HS_OK)
        return 0;
    if (isatty(STDERR_FILENO)) /* over a progress line */
        fputs("\r\033[K", stderr);
    if (rc == HS_ESTORE || rc == HS_ENOMEM) {
        fprintf(stderr, "hearsay: %s\n", rc == HS_ENOMEM ? hs_errstr(rc) : hs_store_errmsg(k->st));
        return -1;
    }
    fprintf(stderr, "hearsay: %s: %s; document not stored\n", where, hs_store_errmsg(k->st));
    k->failed++;
    return 0;
}

static int cmd_index(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"models", required_argument, NULL, A_MODELS},
        RUN_LONGOPTS,
    };
    analyze_opts o = {.json = 1, .json_flags = HS_JSON_INCLUDE_TEXT};
    hs_engine_options eopts = {0};
    run_opts ro = {.jobs = 1, .progress = isatty(STDERR_FILENO)};
    const char *models = NULL;
    char mtmp[4200];
    int c, analyzed = 0, json = 1;
    unsigned flags = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hj:", longopts, NULL)) != -1) {
        int rc;
        if (c == A_INPUT && !strcmp(optarg, "analyzed")) {
            analyzed = 1;
            continue;
        }
        if (c == A_INPUT && (ro.format = cli_input_format(optarg)) < 0)
            return usage_error("unknown input format '%s' (auto, text, html, jsonl, warc or "
                               "analyzed)", optarg);
        if (shared_option(c, &json, &flags, &ro, &eopts, &rc)) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case A_MODELS: models = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default:
            return option_error(c, argv);
        }
    }
    if (optind >= argc)
        return usage_error("%s", "index wants a database: hearsay index DB FILE...");
    const char *path = argv[optind++];
    char **files;
    int nfiles;
    if (input_files(argc, argv, &files, &nfiles))
        return EXIT_USAGE;
    hs_store *st = NULL;
    int rc = hs_store_open(&st, path, 0);
    if (rc) {
        rc = corpus_store_error(st, rc);
        hs_store_close(st);
        return rc;
    }
    long failed;
    index_sink k = {.st = st};
    if (analyzed) {
        failed = corpus_put_analyzed(st, files, nfiles, ro.progress);
    } else {
        eopts.model_dir = cli_model_dir(models, mtmp, sizeof mtmp);
        eopts.layers = HS_LAYER_POS | HS_LAYER_NER | HS_LAYER_ATTR;
        hs_engine *eng = NULL;
        if ((rc = cli_open_engine(&eng, &eopts))) {
            hs_store_close(st);
            return rc;
        }
        ro.eng = eng;
        ro.emit = emit_analysis;
        ro.ctx = &o;
        ro.sink = sink_store;
        ro.sink_ctx = &k;
        failed = run_documents(&ro, files, nfiles);
        hs_engine_close(eng);
        if (failed >= 0)
            failed += k.failed;
    }
    if (failed >= 0 && (rc = hs_store_commit(st)) != HS_OK) {
        fprintf(stderr, "hearsay: %s\n", rc == HS_ESTORE ? hs_store_errmsg(st) : hs_errstr(rc));
        failed = -1;
    }
    hs_store_close(st);
    if (failed < 0)
        return EXIT_STORE;
    if (failed)
        fprintf(stderr, "hearsay: %ld document%s failed\n", failed, failed == 1 ? "" : "s");
    return failed ? EXIT_PARTIAL : 0;
}

typedef struct extract_opts {
    int json;
    unsigned json_flags;
} extract_opts;

/* The extracted article for people: title, what is known about it, text. */
static int emit_extract(hs_doc *doc, const hs_input *in, FILE *f, const void *ctx)
{
    const extract_opts *o = ctx;
    (void)in;
    if (o->json) {
        const char *js;
        size_t jl;
        if (hs_doc_json(doc, o->json_flags | HS_JSON_EXTRACT, &js, &jl))
            return -1;
        fwrite(js, 1, jl, f);
        putc('\n', f);
        return 0;
    }
    const char *title = hs_doc_meta(doc, "title");
    fprintf(f, "== %s\n", hs_doc_id(doc));
    if (title)
        fprintf(f, "# %s\n", title);
    static const char *const keys[] = {"byline", "date", "url", "outlet"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const char *v = hs_doc_meta(doc, keys[k]);
        if (v)
            fprintf(f, "%s: %s\n", keys[k], v);
    }
    size_t n;
    const char *const *errs = hs_doc_errors(doc, &n);
    for (size_t k = 0; k < n; k++)
        fprintf(f, "error: %s\n", errs[k]);
    const char *body = hs_doc_body(doc, &n);
    fputc('\n', f);
    fwrite(body, 1, n, f);
    fputs("\n\n", f);
    return 0;
}

static int cmd_extract(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, A_FORMAT},
        {"pretty", no_argument, NULL, A_PRETTY},
        RUN_LONGOPTS,
    };
    extract_opts o = {.json = !isatty(STDOUT_FILENO)};
    hs_engine_options eopts = {0};
    run_opts ro = {.jobs = 1, .progress = isatty(STDERR_FILENO), .format = HS_FORMAT_AUTO};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hj:", longopts, NULL)) != -1) {
        int rc;
        if (shared_option(c, &o.json, &o.json_flags, &ro, &eopts, &rc)) {
            if (rc)
                return rc;
            continue;
        }
        if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        return option_error(c, argv);
    }
    /* a file that is not detected as anything else is taken for HTML */
    ro.analyze_flags |= HS_ANALYZE_EXTRACT;
    ro.emit = emit_extract;
    ro.ctx = &o;
    eopts.model_dir = NULL; /* extraction needs no model */
    return run_and_report(&ro, argc, argv, &eopts);
}

/* Reads a one-token-per-line file into tokens/sentence lengths; the
 * strings point into *storage. Returns 0 or -1 (message printed). */
static int read_token_file(const char *path, char **storage, char ***tok, size_t *ntok,
                           uint32_t **slen, size_t *nsent)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 0, len = 0;
    char *all = NULL;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 2 > cap) {
            cap = (len + got + 2) * 2;
            char *n = realloc(all, cap);
            if (!n) {
                free(all);
                return -1;
            }
            all = n;
        }
        memcpy(all + len, chunk, got);
        len += got;
    }
    if (f != stdin)
        fclose(f);
    if (!all && !(all = malloc(2)))
        return -1;
    all[len++] = '\n';
    all[len] = 0;
    size_t tcap = 1024, scap = 64;
    *tok = malloc(tcap * sizeof **tok);
    *slen = calloc(scap, sizeof **slen);
    *ntok = *nsent = 0;
    uint32_t cur = 0;
    for (char *p = all, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        *nl = 0;
        if (nl > p && nl[-1] == '\r')
            nl[-1] = 0;
        if (*p == 0) {
            if (cur) {
                if (*nsent + 1 >= scap)
                    *slen = realloc(*slen, (scap *= 2) * sizeof **slen);
                (*slen)[(*nsent)++] = cur;
                cur = 0;
            }
            continue;
        }
        if (*ntok + 1 >= tcap)
            *tok = realloc(*tok, (tcap *= 2) * sizeof **tok);
        (*tok)[(*ntok)++] = p;
        cur++;
    }
    if (cur) {
        if (*nsent + 1 >= scap)
            *slen = realloc(*slen, (scap *= 2) * sizeof **slen);
        (*slen)[(*nsent)++] = cur;
    }
    *storage = all;
    return 0;
}

static int cmd_tag(int argc, char **argv)
{
    enum { O_PRE = 256, O_MODELS };
    static const struct option longopts[] = {
        {"pretokenized", no_argument, NULL, O_PRE},
        {"models", required_argument, NULL, O_MODELS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int pre = 0, c;
    const char *models = NULL;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case O_PRE: pre = 1; break;
        case O_MODELS: models = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return option_error(c, argv);
        }
    }
    if (optind >= argc)
        return usage_error("%s", "tag needs FILE... (or - for standard input)");
    char mtmp[4200];
    hs_engine_options eo = {0};
    eo.model_dir = cli_model_dir(models, mtmp, sizeof mtmp);
    eo.layers = HS_LAYER_POS | HS_LAYER_PARSE | HS_LAYER_NER; /* what CoNLL-U shows */
    hs_engine *eng = NULL;
    hs_doc *doc = NULL;
    int rc = cli_open_engine(&eng, &eo);
    if (rc)
        return rc;
    if (!hs_engine_has_pos(eng)) {
        fprintf(stderr, "hearsay: no POS model (pos.hsm) in %s; run 'make models'\n", eo.model_dir);
        hs_engine_close(eng);
        return EXIT_MODEL;
    }
    if (hs_doc_new(&doc, eng)) {
        hs_engine_close(eng);
        return EXIT_PARTIAL;
    }
    int failed = 0;
    for (int i = optind; i < argc; i++) {
        if (pre) {
            char *storage = NULL, **tok = NULL;
            uint32_t *slen = NULL;
            size_t ntok = 0, nsent = 0;
            if (read_token_file(argv[i], &storage, &tok, &ntok, &slen, &nsent)) {
                failed++;
                continue;
            }
            rc = hs_doc_analyze_tokens(doc, argv[i], (const char *const *)tok, ntok, slen, nsent);
            free(tok);
            free(slen);
            free(storage);
            if (rc) {
                fprintf(stderr, "hearsay: %s: %s\n", argv[i], hs_doc_errmsg(doc));
                failed++;
                continue;
            }
            const char *out;
            size_t len;
            if (hs_doc_conllu(doc, &out, &len) == HS_OK)
                fwrite(out, 1, len, stdout);
            continue;
        }
        int f = for_each_document(eng, doc, argv[i], 0, 0, emit_conllu, NULL);
        if (f < 0)
            break;
        failed += f;
    }
    hs_doc_free(doc);
    hs_engine_close(eng);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("hearsay: writing output");
        return EXIT_OUTPUT;
    }
    return failed ? EXIT_PARTIAL : 0;
}

static void print_line(void *user, const char *line)
{
    (void)user;
    fputs(line, stderr);
    if (*line && line[strlen(line) - 1] != '\n')
        fputc('\n', stderr);
}

static int cmd_train(int argc, char **argv)
{
    enum { O_DATA = 256, O_OUT, O_EPOCHS, O_SEED, O_MODELS };
    static const struct option longopts[] = {
        {"data", required_argument, NULL, O_DATA},
        {"models", required_argument, NULL, O_MODELS},
        {"out", required_argument, NULL, O_OUT},
        {"epochs", required_argument, NULL, O_EPOCHS},
        {"seed", required_argument, NULL, O_SEED},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    hs_train_options o = {"../shared/data", NULL, 0, 0, print_line, NULL, NULL};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case O_DATA: o.data_dir = optarg; break;
        case O_OUT: o.out = optarg; break;
        case O_EPOCHS: o.epochs = atoi(optarg); break;
        case O_SEED: o.seed = (unsigned)strtoul(optarg, NULL, 10); break;
        case O_MODELS: o.model_dir = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return option_error(c, argv);
        }
    }
    if (optind + 1 != argc)
        return usage_error("%s", "train needs one layer: pos, parser, ner or attribution");
    const char *layer = argv[optind];
    char out[256];
    if (!o.out && !strcmp(layer, "pack"))
        return usage_error("%s", "train pack needs --out MODEL (the file to rewrite packed)");
    if (!o.out) {
        snprintf(out, sizeof out, "models/%s.hsm", layer);
        o.out = out;
    }
    int rc = hs_train(layer, &o);
    if (rc == HS_EINVAL)
        return EXIT_USAGE;
    return rc ? EXIT_PARTIAL : 0;
}

/* eval polnear DIR [METADATA] [--pred FILE] [--json] [--models DIR] */
static int cmd_eval_polnear(int argc, char **argv)
{
    enum { O_PRED = 256, O_JSON, O_MODELS };
    static const struct option longopts[] = {
        {"pred", required_argument, NULL, O_PRED},
        {"json", no_argument, NULL, O_JSON},
        {"models", required_argument, NULL, O_MODELS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *pred = NULL, *models = NULL;
    unsigned flags = 0;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case O_PRED: pred = optarg; break;
        case O_JSON: flags |= HS_EVAL_JSON; break;
        case O_MODELS: models = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return option_error(c, argv);
        }
    }
    int npos = argc - optind;
    if (npos < 1 || npos > 2)
        return usage_error("%s", "usage: hearsay eval polnear DIR [METADATA] [--pred FILE.jsonl] "
                                 "[--json]");
    hs_engine *eng = NULL;
    if (!pred) {
        char mtmp[4200];
        hs_engine_options eo = {0};
        eo.model_dir = cli_model_dir(models, mtmp, sizeof mtmp);
        eo.layers = HS_LAYER_POS | HS_LAYER_NER | HS_LAYER_ATTR; /* as analyze runs it */
        int rc = cli_open_engine(&eng, &eo);
        if (rc)
            return rc;
    }
    char *out = NULL, *diag = NULL;
    int rc = hs_eval_polnear(eng, argv[optind], npos > 1 ? argv[optind + 1] : NULL, pred, flags,
                             &out, &diag);
    hs_engine_close(eng);
    if (rc) {
        fprintf(stderr, "hearsay: eval polnear: %s\n", diag ? diag : hs_errstr(rc));
        free(diag);
        return rc == HS_EINVAL ? EXIT_USAGE : EXIT_PARTIAL;
    }
    fputs(out, stdout);
    free(out);
    int partial = diag != NULL;
    if (diag) {
        /* each line names a file and line (or an article); all are on stderr */
        for (char *line = diag, *nl; *line; line = nl + 1) {
            nl = strchr(line, '\n');
            fprintf(stderr, "hearsay: %.*s\n", (int)(nl ? nl - line : (long)strlen(line)), line);
            if (!nl)
                break;
        }
        free(diag);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("hearsay: writing output");
        return EXIT_OUTPUT;
    }
    return partial ? EXIT_PARTIAL : 0;
}

static int cmd_eval(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "polnear"))
        return cmd_eval_polnear(argc - 1, argv + 1);
    if (argc != 5 || strcmp(argv[1], "tags"))
        return usage_error("%s", "usage: hearsay eval tags corenlp|uner GOLD PRED.conllu, or "
                                 "hearsay eval polnear DIR [METADATA] [--pred FILE.jsonl] [--json]");
    char out[1024];
    int rc = hs_eval_tags(argv[2], argv[3], argv[4], out, sizeof out);
    if (rc) {
        fprintf(stderr, "hearsay: eval: %s\n", out);
        return rc == HS_EINVAL ? EXIT_USAGE : EXIT_PARTIAL;
    }
    puts(out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "missing command");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("hearsay %s\n", hs_version());
        return 0;
    }
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {
        {"analyze", cmd_analyze}, {"extract", cmd_extract}, {"tag", cmd_tag},
        {"train", cmd_train},     {"eval", cmd_eval},       {"index", cmd_index},
        {"search", cmd_search},   {"trace", cmd_trace},     {"quotes", cmd_quotes},
        {"stats", cmd_stats},     {"serve", cmd_serve},       {"slurm", cmd_slurm},
    };
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}
