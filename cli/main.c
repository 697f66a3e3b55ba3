/* hearsay - the command-line program: subcommands over libhearsay's public
 * API only. JSON Lines or a readable report on stdout, diagnostics on stderr.
 * Exit status: 0 all documents analyzed, 1 some document failed (the others
 * are still written), 2 usage error, 3 output error. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hearsay.h"
#include "report.h"

enum { EXIT_PARTIAL = 1, EXIT_USAGE = 2, EXIT_OUTPUT = 3 };

static const char usage_text[] =
    "Usage: hearsay COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Reads news articles and reports their structure: who said what,\n"
    "according to whom.\n"
    "\n"
    "Commands:\n"
    "  analyze   analyze plain-text articles (gzip accepted), JSON Lines or a report\n"
    "  help      show this help\n"
    "  version   show the version\n"
    "\n"
    "analyze options:\n"
    "  --format json|text   output format (default: text on a terminal, else json)\n"
    "  --include-text       add each document's text to the JSON\n"
    "  --lossy              replace invalid UTF-8 with U+FFFD instead of skipping\n"
    "  --pretty             indent the JSON (one object still per document)\n"
    "  --color auto|always|never   colour in the text report (default auto)\n"
    "  --max-doc-mb N       skip (with an error) documents larger than N MiB (default 64)\n"
    "  -h, --help           show this help\n"
    "\n"
    "FILE may be - for standard input; with no FILE, standard input is read.\n"
    "Exit status: 0 ok, 1 some document failed, 2 usage error, 3 output error.\n"
    "Schema: docs/schema.md; manual: man hearsay.\n";

static int usage_error(const char *fmt, const char *arg)
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
    unsigned read_flags;
    unsigned analyze_flags;
    int width;
} analyze_opts;

/* Analyzes every document of one input; returns the number that failed, or
 * -1 on an output error. */
static int analyze_path(const hs_engine *eng, hs_doc *doc, const char *path,
                        const analyze_opts *o)
{
    hs_reader *r = NULL;
    int failed = 0, rc = hs_reader_open(&r, eng, path, o->read_flags);
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
        rc = hs_doc_analyze(doc, in.id, in.text, in.len, o->analyze_flags);
        if (rc == HS_OK && in.warning)
            rc = hs_doc_add_error(doc, in.warning);
        if (rc) {
            fprintf(stderr, "hearsay: %s: %s; document skipped\n", in.id,
                    rc == HS_ENOMEM ? hs_errstr(rc) : hs_doc_errmsg(doc));
            failed++;
            continue;
        }
        if (o->json) {
            const char *js;
            size_t jl;
            if (hs_doc_json(doc, o->json_flags, &js, &jl)) {
                fprintf(stderr, "hearsay: %s: out of memory\n", in.id);
                failed++;
                continue;
            }
            fwrite(js, 1, jl, stdout);
            putchar('\n');
        } else {
            report_write(stdout, doc, o->color, o->width);
        }
        if (ferror(stdout)) {
            hs_reader_close(r);
            return -1;
        }
    }
    hs_reader_close(r);
    return failed;
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    return c && atoi(c) > 0 ? atoi(c) : 100;
}

static int color_wanted(const char *mode)
{
    if (strcmp(mode, "always") == 0)
        return 1;
    if (strcmp(mode, "never") == 0)
        return 0;
    const char *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;
}

static int cmd_analyze(int argc, char **argv)
{
    enum { O_FORMAT = 256, O_TEXT, O_LOSSY, O_PRETTY, O_COLOR, O_MAXDOC };
    static const struct option longopts[] = {
        {"format", required_argument, NULL, O_FORMAT},
        {"include-text", no_argument, NULL, O_TEXT},
        {"lossy", no_argument, NULL, O_LOSSY},
        {"pretty", no_argument, NULL, O_PRETTY},
        {"color", required_argument, NULL, O_COLOR},
        {"colour", required_argument, NULL, O_COLOR},
        {"max-doc-mb", required_argument, NULL, O_MAXDOC},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    analyze_opts o = {.json = !isatty(STDOUT_FILENO)};
    hs_engine_options eopts = {0};
    const char *color = "auto";
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case O_FORMAT:
            if (strcmp(optarg, "json") == 0)
                o.json = 1;
            else if (strcmp(optarg, "text") == 0)
                o.json = 0;
            else
                return usage_error("unknown format '%s' (json or text)", optarg);
            break;
        case O_TEXT: o.json_flags |= HS_JSON_INCLUDE_TEXT; break;
        case O_LOSSY:
            o.read_flags |= HS_READ_LOSSY;
            o.analyze_flags |= HS_ANALYZE_LOSSY;
            break;
        case O_PRETTY: o.json_flags |= HS_JSON_PRETTY; break;
        case O_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return usage_error("unknown colour mode '%s' (auto, always or never)", optarg);
            color = optarg;
            break;
        case O_MAXDOC: {
            char *end;
            long mb = strtol(optarg, &end, 10);
            if (*end || mb < 1 || mb > 4000)
                return usage_error("--max-doc-mb wants a number of MiB from 1 to 4000, not '%s'",
                                   optarg);
            eopts.max_doc_bytes = (size_t)mb << 20;
            break;
        }
        case 'h': fputs(usage_text, stdout); return 0;
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    o.color = color_wanted(color);
    o.width = terminal_width();
    char *stdin_only[] = {"-"};
    char **files = argv + optind;
    int nfiles = argc - optind;
    if (nfiles == 0) {
        if (isatty(STDIN_FILENO))
            return usage_error("%s", "no input files (give FILE... or - for standard input)");
        files = stdin_only;
        nfiles = 1;
    }
    hs_engine *eng = NULL;
    hs_doc *doc = NULL;
    int rc = hs_engine_open(&eng, &eopts);
    if (!rc)
        rc = hs_doc_new(&doc, eng);
    if (rc) {
        fprintf(stderr, "hearsay: %s\n", hs_errstr(rc));
        hs_engine_close(eng);
        return EXIT_PARTIAL;
    }
    int failed = 0, out_err = 0;
    for (int i = 0; i < nfiles && !out_err; i++) {
        int f = analyze_path(eng, doc, files[i], &o);
        if (f < 0)
            out_err = 1;
        else
            failed += f;
    }
    hs_doc_free(doc);
    hs_engine_close(eng);
    if (fflush(stdout) != 0 || out_err) {
        perror("hearsay: writing output");
        return EXIT_OUTPUT;
    }
    if (failed)
        fprintf(stderr, "hearsay: %d document%s failed\n", failed, failed == 1 ? "" : "s");
    return failed ? EXIT_PARTIAL : 0;
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
    if (!strcmp(cmd, "analyze"))
        return cmd_analyze(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}
