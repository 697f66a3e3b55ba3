/* corpus - readers for the annotated data formats (see corpus.h): the
 * trainers and scorers of train/ read them, the engine never does. */
#define _DEFAULT_SOURCE
#include "corpus.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *intern(corpus *c, const char *s, size_t n)
{
    return arena_strndup(&c->ar, s, n);
}

/* CoreNLP's NER types as BIO types, or NULL for O. */
static const char *ner_type(const char *t)
{
    static const char *const map[][2] = {
        {"PERSON", "PER"}, {"PER", "PER"}, {"ORGANIZATION", "ORG"}, {"ORG", "ORG"},
        {"LOCATION", "LOC"}, {"LOC", "LOC"}, {"GPE", "LOC"}, {"MISC", "MISC"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(t, map[i][0]))
            return map[i][1];
    return NULL;
}

static int push_tok(corpus *c, const corpus_tok *t)
{
    if (vec_reserve((void **)&c->tok, &c->captok, c->ntok + 1, sizeof *c->tok))
        return HS_ENOMEM;
    c->tok[c->ntok++] = *t;
    return HS_OK;
}

/* Closes the current sentence if it has tokens. */
static int end_sentence(corpus *c)
{
    size_t start = c->nsent ? c->sent[c->nsent] : 0;
    if (c->nsent == 0 && c->capsent == 0) {
        if (vec_reserve((void **)&c->sent, &c->capsent, 2, sizeof *c->sent))
            return HS_ENOMEM;
        c->sent[0] = 0;
    }
    if (c->ntok == start)
        return HS_OK;
    if (vec_reserve((void **)&c->sent, &c->capsent, c->nsent + 2, sizeof *c->sent))
        return HS_ENOMEM;
    c->sent[++c->nsent] = (uint32_t)c->ntok;
    return HS_OK;
}

static int begin(corpus *c)
{
    if (c->capsent == 0) {
        if (vec_reserve((void **)&c->sent, &c->capsent, 2, sizeof *c->sent))
            return HS_ENOMEM;
        c->sent[0] = 0;
    }
    return HS_OK;
}

/* Splits line at tabs into at most max fields; returns the count. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

typedef int (*line_fn)(corpus *c, char *line, const char *path, long lineno, buf *err);

static int read_lines(corpus *c, const char *path, line_fn fn, buf *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
        return HS_EIO;
    }
    if (begin(c)) {
        fclose(f);
        return HS_ENOMEM;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = HS_OK;
    while (!rc && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (n == 0)
            rc = end_sentence(c);
        else
            rc = fn(c, line, path, lineno, err);
    }
    free(line);
    fclose(f);
    if (!rc)
        rc = end_sentence(c);
    return rc;
}

static int corenlp_line(corpus *c, char *line, const char *path, long lineno, buf *err)
{
    if (line[0] == '#')
        return HS_OK;
    char *f[8];
    if (split_tabs(line, f, 8) < 8) {
        buf_printf(err, "%s: line %ld: expected 8 tab-separated fields", path, lineno);
        return HS_EFORMAT;
    }
    corpus_tok t = {intern(c, f[2], strlen(f[2])), intern(c, f[4], strlen(f[4])), "O",
                    intern(c, f[7], strlen(f[7])), atoi(f[6])};
    /* IO to BIO: a run of one type is one entity */
    const char *ty = ner_type(f[5]);
    if (ty) {
        int cont = c->ntok > (c->nsent ? c->sent[c->nsent] : 0) && c->tok[c->ntok - 1].ner[0] != 'O' &&
                   !strcmp(c->tok[c->ntok - 1].ner + 2, ty);
        char tag[8];
        snprintf(tag, sizeof tag, "%c-%s", cont ? 'I' : 'B', ty);
        t.ner = intern(c, tag, strlen(tag));
    }
    if (!t.form || !t.pos || !t.deprel || !t.ner)
        return HS_ENOMEM;
    return push_tok(c, &t);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int corpus_read_corenlp_dir(corpus *c, const char *dir, buf *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        buf_printf(err, "%s: cannot open folder: %s", dir, strerror(errno));
        return HS_EIO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = HS_OK;
    while (!rc && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".tsv"))
            continue;
        if (vec_reserve((void **)&names, &cap, n + 1, sizeof *names) ||
            !(names[n] = strdup(e->d_name)))
            rc = HS_ENOMEM;
        else
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!rc)
            rc = read_lines(c, path, corenlp_line, err);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int token_line(corpus *c, char *line, const char *path, long lineno, buf *err)
{
    (void)path;
    (void)lineno;
    (void)err;
    corpus_tok t = {intern(c, line, strlen(line)), "_", "O", "_", -1};
    return t.form ? push_tok(c, &t) : HS_ENOMEM;
}

int corpus_read_tokens(corpus *c, const char *path, buf *err)
{
    return read_lines(c, path, token_line, err);
}

static int iob_tag(corpus *c, const char *tag, const char **out)
{
    if (!strcmp(tag, "O") || strlen(tag) < 3 || tag[1] != '-') {
        *out = "O";
        return HS_OK;
    }
    const char *ty = ner_type(tag + 2);
    if (!ty) {
        *out = "O";
        return HS_OK;
    }
    char t[8];
    snprintf(t, sizeof t, "%c-%s", tag[0], ty);
    *out = intern(c, t, strlen(t));
    return *out ? HS_OK : HS_ENOMEM;
}

static int iob2_line(corpus *c, char *line, const char *path, long lineno, buf *err)
{
    if (line[0] == '#')
        return HS_OK;
    char *f[5];
    if (split_tabs(line, f, 5) < 3) {
        buf_printf(err, "%s: line %ld: expected ID, FORM and NER fields", path, lineno);
        return HS_EFORMAT;
    }
    corpus_tok t = {intern(c, f[1], strlen(f[1])), "_", "O", "_", -1};
    if (!t.form || iob_tag(c, f[2], &t.ner))
        return HS_ENOMEM;
    return push_tok(c, &t);
}

int corpus_read_iob2(corpus *c, const char *path, buf *err)
{
    return read_lines(c, path, iob2_line, err);
}

/* WNUT-17: FORM TAB TAG with types person, location, corporation, group,
 * product, creative-work. */
static int conll_line(corpus *c, char *line, const char *path, long lineno, buf *err)
{
    char *f[3];
    if (split_tabs(line, f, 3) < 2) {
        buf_printf(err, "%s: line %ld: expected FORM and TAG", path, lineno);
        return HS_EFORMAT;
    }
    corpus_tok t = {intern(c, f[0], strlen(f[0])), "_", "O", "_", -1};
    if (!t.form)
        return HS_ENOMEM;
    const char *tag = f[1];
    if (strlen(tag) > 2 && tag[1] == '-') {
        static const char *const map[][2] = {
            {"person", "PER"}, {"location", "LOC"}, {"corporation", "ORG"}, {"group", "ORG"},
            {"product", "MISC"}, {"creative-work", "MISC"},
        };
        for (size_t i = 0; i < sizeof map / sizeof *map; i++)
            if (!strcmp(tag + 2, map[i][0])) {
                char b[8];
                snprintf(b, sizeof b, "%c-%s", tag[0], map[i][1]);
                t.ner = intern(c, b, strlen(b));
            }
    }
    return t.ner ? push_tok(c, &t) : HS_ENOMEM;
}

int corpus_read_conll(corpus *c, const char *path, buf *err)
{
    return read_lines(c, path, conll_line, err);
}

void corpus_free(corpus *c)
{
    arena_free(&c->ar);
    free(c->tok);
    free(c->sent);
    memset(c, 0, sizeof *c);
}
