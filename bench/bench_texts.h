/* bench_texts - what the bench programs share: the .txt files of folders
 * read into memory and ordered by file name (not by folder, so that the
 * order is the same wherever the data lives), their word counts (runs
 * between white space) and a monotonic clock. Header only; no timing here. */
#ifndef HS_BENCH_TEXTS_H
#define HS_BENCH_TEXTS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A text: a file (name without its folder), or a document a bench made. */
typedef struct text {
    char *name;
    char *p;
    size_t n, words;
} text;

static size_t count_words(const char *p, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = p[i] == ' ' || p[i] == '\n' || p[i] == '\t' || p[i] == '\r';
        w += !sp && !in;
        in = !sp;
    }
    return w;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *bench_realloc(void *p, size_t n)
{
    if (!(p = realloc(p, n))) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    return p;
}

/* Appends the readable .txt files of dir to (*t)[0..*n); exits with status
 * 2 when dir cannot be opened. */
static void load_dir(const char *dir, text **t, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench: %s: cannot open (is ../shared beside the repository?)\n", dir);
        exit(2);
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *p = sz >= 0 ? bench_realloc(NULL, (size_t)sz + 1) : NULL;
        if (!p || fread(p, 1, (size_t)sz, f) != (size_t)sz) {
            fclose(f);
            free(p);
            continue;
        }
        fclose(f);
        p[sz] = 0;
        *t = bench_realloc(*t, (*n + 1) * sizeof **t);
        (*t)[(*n)++] = (text){strdup(e->d_name), p, (size_t)sz, count_words(p, (size_t)sz)};
    }
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const text *)a)->name, ((const text *)b)->name);
}

#endif
