/* brat - brat standoff attribution annotations and PolNeAR split listing
 * (see brat.h). Two passes over an .ann file: spans first, then events, so
 * an event may name a span defined after it. Not a hot path: it allocates
 * freely and frees everything before returning. */
#define _DEFAULT_SOURCE
#include "brat.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A T line: its spans in the temporary span vector. */
typedef struct tspan {
    uint32_t first, n;
    int defined;
} tspan;

/* Byte offset of every code point of text, plus the end: cp2b[ncp] = len. */
static uint32_t *code_points(const char *text, size_t len, size_t *ncp)
{
    uint32_t *t = malloc((len + 1) * sizeof *t);
    if (!t)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            t[k++] = (uint32_t)i;
    t[k] = (uint32_t)len;
    *ncp = k;
    return t;
}

/* Parses "T12" at s: the number, or -1. */
static long id_num(const char *s, char letter, const char **end)
{
    if (*s != letter || s[1] < '0' || s[1] > '9')
        return -1;
    char *e;
    errno = 0;
    long v = strtol(s + 1, &e, 10);
    if (errno || v < 0 || v > 10000000)
        return -1;
    *end = e;
    return v;
}

static int push_span(hs_span **v, size_t *n, size_t *cap, uint32_t s, uint32_t e)
{
    if (vec_reserve((void **)v, cap, *n + 1, sizeof **v))
        return HS_ENOMEM;
    (*v)[*n].start = s;
    (*v)[*n].end = e;
    (*n)++;
    return HS_OK;
}

void brat_clear(brat_doc *d)
{
    d->natt = 0;
    d->nspans = 0;
}

void brat_free(brat_doc *d)
{
    free(d->att);
    free(d->spans);
    memset(d, 0, sizeof *d);
}

/* Role of an event argument name, or -1 for the trigger and unknown roles. */
static int role_of(const char *name, size_t n)
{
    if (n >= 7 && !strncmp(name, "Content", 7))
        return BRAT_CONTENT;
    if (n == 3 && !strncmp(name, "Cue", 3))
        return BRAT_CUE;
    if (n == 6 && !strncmp(name, "Source", 6))
        return BRAT_SOURCE;
    return -1;
}

int brat_read(brat_doc *d, const char *path, const char *text, size_t len, buf *err)
{
    brat_clear(d);
    buf file = {0};
    size_t ncp = 0;
    uint32_t *cp2b = NULL;
    tspan *ts = NULL;
    size_t nts = 0;
    hs_span *tsp = NULL; /* spans of T lines */
    size_t ntsp = 0, captsp = 0;
    int rc = buf_read_file(&file, path);
    if (rc) {
        buf_printf(err, "%s: cannot read: %s\n", path,
                   rc == HS_ENOMEM ? "out of memory" : strerror(errno ? errno : EIO));
        goto done;
    }
    if (!(cp2b = code_points(text, len, &ncp)))
        goto oom;

    /* pass 1: T lines */
    char *line = file.p;
    for (size_t ln = 1; line && line < file.p + file.len; ln++) {
        char *nl = memchr(line, '\n', (size_t)(file.p + file.len - line));
        if (nl)
            *nl = 0;
        const char *p;
        long id = id_num(line, 'T', &p);
        if (id >= 0 && *p == '\t') {
            p++;
            const char *sp = strchr(p, ' ');
            const char *tab = strchr(p, '\t');
            if (!sp || (tab && tab < sp)) {
                buf_printf(err, "%s:%zu: span line without offsets\n", path, ln);
                goto next;
            }
            if ((size_t)id >= nts) {
                size_t nn = (size_t)id + 1, cap = nts;
                if (vec_reserve((void **)&ts, &cap, nn, sizeof *ts))
                    goto oom;
                memset(ts + nts, 0, (nn - nts) * sizeof *ts);
                nts = nn;
            }
            uint32_t first = (uint32_t)ntsp;
            const char *q = sp + 1;
            int bad = 0;
            for (;;) {
                char *e1, *e2;
                errno = 0;
                unsigned long a = strtoul(q, &e1, 10);
                unsigned long b = e1 != q ? strtoul(e1, &e2, 10) : 0;
                if (e1 == q || e2 == e1 || errno || a > b || b > ncp) {
                    bad = 1;
                    break;
                }
                if (push_span(&tsp, &ntsp, &captsp, cp2b[a], cp2b[b]))
                    goto oom;
                q = e2;
                if (*q != ';')
                    break;
                q++;
            }
            if (bad || (*q && *q != '\t')) {
                buf_printf(err, "%s:%zu: bad or out-of-range offsets\n", path, ln);
                ntsp = first;
                goto next;
            }
            ts[id].first = first;
            ts[id].n = (uint32_t)(ntsp - first);
            ts[id].defined = 1;
        }
    next:
        if (nl)
            *nl = '\n';
        line = nl ? nl + 1 : NULL;
    }

    /* pass 2: E lines */
    line = file.p;
    for (size_t ln = 1; line && line < file.p + file.len; ln++) {
        char *nl = memchr(line, '\n', (size_t)(file.p + file.len - line));
        if (nl)
            *nl = 0;
        const char *p;
        if (id_num(line, 'E', &p) >= 0 && *p == '\t') {
            brat_attr a = {{0}, {0}};
            size_t base = d->nspans;
            /* collect each role's spans in argument order, role by role */
            for (int r = 0; r < BRAT_NROLES; r++) {
                a.first[r] = (uint32_t)d->nspans;
                const char *q = p + 1;
                int arg = 0;
                while (*q) {
                    while (*q == ' ')
                        q++;
                    const char *colon = q;
                    while (*colon && *colon != ':' && *colon != ' ')
                        colon++;
                    const char *end;
                    long t = *colon == ':' ? id_num(colon + 1, 'T', &end) : -1;
                    const char *stop = q;
                    while (*stop && *stop != ' ')
                        stop++;
                    if (arg++ > 0 && t >= 0 && role_of(q, (size_t)(colon - q)) == r) {
                        if ((size_t)t < nts && ts[t].defined) {
                            for (uint32_t k = 0; k < ts[t].n; k++) {
                                hs_span s = tsp[ts[t].first + k];
                                if (push_span(&d->spans, &d->nspans, &d->capspans, s.start,
                                              s.end))
                                    goto oom;
                            }
                        } else if (r == BRAT_CONTENT || r == BRAT_CUE || r == BRAT_SOURCE) {
                            buf_printf(err, "%s:%zu: event names undefined span T%ld\n", path,
                                       ln, t);
                        }
                    }
                    q = stop;
                }
                a.n[r] = (uint32_t)(d->nspans - a.first[r]);
            }
            if (a.n[BRAT_CONTENT] == 0) {
                d->nspans = base;
            } else {
                if (vec_reserve((void **)&d->att, &d->capatt, d->natt + 1, sizeof *d->att))
                    goto oom;
                d->att[d->natt++] = a;
            }
        }
        if (nl)
            *nl = '\n';
        line = nl ? nl + 1 : NULL;
    }
    rc = HS_OK;
    goto done;
oom:
    buf_printf(err, "%s: out of memory\n", path);
    rc = HS_ENOMEM;
done:
    buf_free(&file);
    free(cp2b);
    free(ts);
    free(tsp);
    return rc;
}

/* ---- split directories ---------------------------------------------------- */

typedef struct meta_row {
    char *stem, *annotator;
} meta_row;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const meta_row *)a)->stem, ((const meta_row *)b)->stem);
}

/* Column index of name in the tab-separated header line h, or -1. */
static int column(char *h, const char *name)
{
    int i = 0;
    for (char *c = h;; i++) {
        char *t = strchr(c, '\t');
        size_t n = t ? (size_t)(t - c) : strlen(c);
        if (n == strlen(name) && !strncmp(c, name, n))
            return i;
        if (!t)
            return -1;
        c = t + 1;
    }
}

static char *field(char *line, int col, size_t *n)
{
    char *c = line;
    for (int i = 0; i < col; i++) {
        c = strchr(c, '\t');
        if (!c)
            return NULL;
        c++;
    }
    char *t = strchr(c, '\t');
    *n = t ? (size_t)(t - c) : strlen(c);
    return c;
}

static void rows_free(meta_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].stem);
        free(r[i].annotator);
    }
    free(r);
}

/* The stem and first annotator of every row of a metadata.tsv, sorted by
 * stem. HS_OK, HS_EIO (unreadable), HS_EFORMAT (no such columns) or
 * HS_ENOMEM, with a message in err. */
static int read_meta(const char *path, meta_row **out, size_t *nout, buf *err)
{
    buf f = {0};
    meta_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = buf_read_file(&f, path);
    if (rc) {
        buf_printf(err, "%s: cannot read: %s\n", path,
                   rc == HS_ENOMEM ? "out of memory" : strerror(errno ? errno : EIO));
        buf_free(&f);
        return rc;
    }
    char *save = NULL, *line = strtok_r(f.p, "\r\n", &save);
    int fi = line ? column(line, "filename") : -1, ai = line ? column(line, "annotators") : -1;
    if (fi < 0 || ai < 0) {
        buf_printf(err, "%s: line 1: no 'filename' and 'annotators' columns\n", path);
        buf_free(&f);
        return HS_EFORMAT;
    }
    while ((line = strtok_r(NULL, "\r\n", &save))) {
        size_t fl, al;
        char *fn = field(line, fi, &fl), *an = field(line, ai, &al);
        if (!fn || !an)
            continue;
        char *bar = memchr(an, '|', al);
        if (bar)
            al = (size_t)(bar - an);
        if (vec_reserve((void **)&rows, &cap, n + 1, sizeof *rows))
            goto oom;
        rows[n].stem = strndup(fn, fl);
        rows[n].annotator = strndup(an, al);
        n++;
        if (!rows[n - 1].stem || !rows[n - 1].annotator)
            goto oom;
    }
    qsort(rows, n, sizeof *rows, cmp_row);
    buf_free(&f);
    *out = rows;
    *nout = n;
    return HS_OK;
oom:
    buf_printf(err, "%s: out of memory\n", path);
    rows_free(rows, n);
    buf_free(&f);
    return HS_ENOMEM;
}

static int exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* attributions/<stem>_*.ann, the first by name, into out (left empty when
 * there is none). HS_OK or HS_ENOMEM. */
static int first_ann(const char *dir, const char *stem, buf *out)
{
    buf d = {0};
    if (buf_printf(&d, "%s/attributions", dir)) {
        buf_free(&d);
        return HS_ENOMEM;
    }
    DIR *dp = opendir(d.p);
    char *best = NULL;
    size_t sl = strlen(stem);
    int rc = HS_OK;
    if (dp) {
        struct dirent *e;
        while ((e = readdir(dp))) {
            size_t l = strlen(e->d_name);
            if (l > sl + 5 && !strncmp(e->d_name, stem, sl) && e->d_name[sl] == '_' &&
                !strcmp(e->d_name + l - 4, ".ann") && (!best || strcmp(e->d_name, best) < 0)) {
                free(best);
                if (!(best = strdup(e->d_name)))
                    rc = HS_ENOMEM;
            }
        }
        closedir(dp);
    }
    if (!rc && best)
        rc = buf_printf(out, "%s/%s", d.p, best);
    free(best);
    buf_free(&d);
    return rc;
}

void brat_split_free(brat_split *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->stem[i]);
        free(s->text_path[i]);
        free(s->ann_path[i]);
    }
    free(s->stem);
    free(s->text_path);
    free(s->ann_path);
    memset(s, 0, sizeof *s);
}

int brat_split_open(brat_split *s, const char *dir, const char *metadata, buf *err)
{
    memset(s, 0, sizeof *s);
    meta_row *rows = NULL;
    size_t nrows = 0;
    int rc = metadata ? read_meta(metadata, &rows, &nrows, err) : HS_OK;
    if (rc)
        return rc;
    buf tdir = {0}, p = {0};
    char **names = NULL;
    size_t nn = 0, capn = 0, cap = 0;
    if (buf_printf(&tdir, "%s/text", dir))
        goto oom;
    DIR *dp = opendir(tdir.p);
    if (!dp) {
        buf_printf(err, "%s: cannot open: %s\n", tdir.p, strerror(errno));
        rc = HS_EIO;
        goto done;
    }
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcmp(e->d_name + l - 4, ".txt"))
            continue;
        if (vec_reserve((void **)&names, &capn, nn + 1, sizeof *names) ||
            !(names[nn] = strndup(e->d_name, l - 4))) {
            closedir(dp);
            goto oom;
        }
        nn++;
    }
    closedir(dp);
    qsort(names, nn, sizeof *names, cmp_str);
    for (size_t i = 0; i < nn; i++) {
        buf_clear(&p);
        if (metadata) {
            meta_row key = {names[i], NULL};
            meta_row *r = bsearch(&key, rows, nrows, sizeof *rows, cmp_row);
            if (!r)
                continue;
            if (buf_printf(&p, "%s/attributions/%s_%s.ann", dir, names[i], r->annotator))
                goto oom;
            if (!exists(p.p))
                continue;
        } else {
            if (buf_printf(&p, "%s/attributions/%s.ann", dir, names[i]))
                goto oom;
            if (!exists(p.p)) {
                buf_clear(&p);
                if (first_ann(dir, names[i], &p))
                    goto oom;
                if (!p.len)
                    continue;
            }
        }
        if (vec_reserve((void **)&s->stem, &cap, s->n + 1, sizeof *s->stem))
            goto oom;
        /* the three arrays grow together; cap tracks stem's */
        char **tp = realloc(s->text_path, cap * sizeof *tp);
        if (!tp)
            goto oom;
        s->text_path = tp;
        char **ap = realloc(s->ann_path, cap * sizeof *ap);
        if (!ap)
            goto oom;
        s->ann_path = ap;
        s->stem[s->n] = strdup(names[i]);
        s->ann_path[s->n] = strdup(p.p);
        buf_clear(&p);
        if (buf_printf(&p, "%s/%s.txt", tdir.p, names[i])) {
            s->text_path[s->n] = NULL;
            s->n++;
            goto oom;
        }
        s->text_path[s->n] = strdup(p.p);
        s->n++;
        if (!s->stem[s->n - 1] || !s->ann_path[s->n - 1] || !s->text_path[s->n - 1])
            goto oom;
    }
    rc = HS_OK;
    goto done;
oom:
    buf_printf(err, "%s: out of memory\n", dir);
    rc = HS_ENOMEM;
done:
    if (rc)
        brat_split_free(s);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    rows_free(rows, nrows);
    buf_free(&tdir);
    buf_free(&p);
    return rc;
}
