/* testutil - helpers shared by the Criterion tests: analyze a string, look
 * at tokens and blocks by text, find ../shared. Header-only on purpose. */
#ifndef HS_TESTUTIL_H
#define HS_TESTUTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

static hs_engine *t_eng;
static hs_doc *t_doc;

static inline void t_setup(void)
{
    cr_assert_eq(hs_engine_open(&t_eng, NULL), HS_OK);
    cr_assert_eq(hs_doc_new(&t_doc, t_eng), HS_OK);
}

/* t_setup with the committed models (models/). */
static inline void t_setup_models(void)
{
    hs_engine_options o = {.model_dir = "models"};
    int rc = hs_engine_open(&t_eng, &o);
    cr_assert_eq(rc, HS_OK, "%s", hs_engine_errmsg(t_eng));
    cr_assert_eq(hs_doc_new(&t_doc, t_eng), HS_OK);
}

static inline void t_teardown(void)
{
    hs_doc_free(t_doc);
    hs_engine_close(t_eng);
    t_doc = NULL;
    t_eng = NULL;
}

/* Analyzes a NUL-terminated string; asserts success. */
static inline void t_analyze(const char *s)
{
    int rc = hs_doc_analyze(t_doc, "test", s, strlen(s), 0);
    cr_assert_eq(rc, HS_OK, "analyze failed: %s", hs_doc_errmsg(t_doc));
}

/* The tokens of the last analysis joined with '|' into out. */
static inline const char *t_tokens(char *out, size_t cap)
{
    size_t n, len, at = 0;
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    const char *text = hs_doc_text(t_doc, &len);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = t[i].end - t[i].start;
        if (at + l + 2 >= cap)
            break;
        if (i)
            out[at++] = '|';
        memcpy(out + at, text + t[i].start, l);
        at += l;
        out[at] = 0;
    }
    return out;
}

/* Index of the first token whose text is s, or -1. */
static inline long t_find(const char *s)
{
    size_t n, len;
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    const char *text = hs_doc_text(t_doc, &len);
    for (size_t i = 0; i < n; i++)
        if (t[i].end - t[i].start == strlen(s) && !memcmp(text + t[i].start, s, strlen(s)))
            return (long)i;
    return -1;
}

/* Kinds of the blocks (one letter per span), e.g. "HCcBb": see t_kind_letter. */
static inline char t_kind_letter(int kind)
{
    static const char letters[] = "HCcYDbQMX"; /* headline caption credit bYline Dateline
                                                  body Quote Missing-embed boilerplate(X) */
    return kind >= 0 && kind < HS_BLOCK_KIND_COUNT ? letters[kind] : '?';
}

static inline const char *t_block_kinds(char *out, size_t cap)
{
    size_t n, at = 0;
    const hs_block *b = hs_doc_blocks(t_doc, &n);
    for (size_t i = 0; i < n && at + 1 < cap; i++)
        for (uint32_t j = 0; j < b[i].nspans && at + 1 < cap; j++)
            out[at++] = t_kind_letter(b[i].kind);
    out[at] = 0;
    return out;
}

/* What a skipped test says it lacks: the same words as tests/cli.sh's, so that
 * make check counts the skips of both under one reason. */
#define T_SHARED_HINT "(set SHARED=DIR for make check, HEARSAY_SHARED=DIR for a test binary)"

/* Path of SHARED/REL in out, SHARED being $HEARSAY_SHARED or ../shared (REL
 * is "data/seed/...", "tools/..."). When it is absent the test is skipped
 * (cr_skip_test does not return), naming the first missing folder on the
 * path, so all the skips of an absent ../shared share one message. */
static inline const char *t_shared(const char *rel, char *out, size_t cap)
{
    const char *root = getenv("HEARSAY_SHARED");
    size_t len = strlen(rel);
    struct stat st;
    if (!root || !*root)
        root = "../shared";
    /* the root, then each folder of REL, then REL itself */
    for (size_t i = 0; i <= len; i++) {
        if (i > 0 && i < len && rel[i] != '/')
            continue;
        int n = snprintf(out, cap, "%s%s%.*s", root, i ? "/" : "", (int)i, rel);
        cr_assert(n > 0 && (size_t)n < cap, "path too long: %s/%s", root, rel);
        if (stat(out, &st) != 0)
            cr_skip_test("%s is absent " T_SHARED_HINT, out);
    }
    return out;
}

/* Writes n bytes to path (replacing it). */
static inline void t_write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    cr_assert_eq(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* Makes an empty PolNeAR-style split folder /tmp/hs-NAME-PID with text/ and
 * attributions/ in it; its path goes to dir. */
static inline void t_split_dir(char *dir, size_t cap, const char *name)
{
    char p[512];
    snprintf(dir, cap, "/tmp/hs-%s-%d", name, (int)getpid());
    mkdir(dir, 0755);
    snprintf(p, sizeof p, "%s/text", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/attributions", dir);
    mkdir(p, 0755);
}

/* Writes the string s to DIR/REL. */
static inline void t_put(const char *dir, const char *rel, const char *s)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    t_write_file(p, s, strlen(s));
}

/* Reads a whole file into a malloc'd buffer. */
static inline char *t_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    cr_assert(p && fread(p, 1, (size_t)n, f) == (size_t)n);
    p[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return p;
}

#endif
