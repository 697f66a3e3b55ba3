/* Unit tests: the store's words (src/store_words: splitting as FTS5's
 * unicode61 does, the bit-parallel longest common subsequence against a
 * plain table, change runs, the "same statement" rule) and the store API
 * on a database in /tmp (open, put, replace, search, trace, bad input). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"
#include "testutil.h"

static size_t split(swords *w, const char *s)
{
    cr_assert_eq(swords_split(w, s, strlen(s), (size_t)-1, 1), HS_OK);
    return w->n;
}

Test(store_words, split_like_unicode61)
{
    swords w = {0};
    cr_assert_eq(split(&w, "“Don’t,” said Ms. Müller — 42 times!"), 7);
    const char *want[] = {"don", "t", "said", "ms", "muller", "42", "times"};
    const char *p = w.folded.p;
    for (size_t i = 0; i < 7; i++, p += strlen(p) + 1)
        cr_assert_str_eq(p, want[i]);
    /* spans are bytes of the text */
    cr_assert_eq(w.w[4].s, strlen("“Don’t,” said Ms. "));
    cr_assert_eq(w.w[4].e - w.w[4].s, strlen("Müller"));
    cr_assert_eq(split(&w, ""), 0);
    cr_assert_eq(split(&w, " ,.;—"), 0);
    cr_assert_eq(split(&w, "end"), 1);
    cr_assert_eq(w.w[0].e, 3);
    const char *t = "“Don’t,” said Ms. Müller — 42 times!";
    cr_assert_eq(swords_count(t, strlen(t)), 7);
    cr_assert_eq(swords_count("", 0), 0);
    cr_assert_eq(swords_count(" end", 4), 1);
    swords_free(&w);
}

Test(store_words, case_and_accents_fold_to_one_word)
{
    swords a = {0}, b = {0};
    split(&a, "CAFÉ Naïve");
    split(&b, "café, naive.");
    cr_assert_eq(a.w[0].h, b.w[0].h);
    cr_assert_eq(a.w[1].h, b.w[1].h);
    swords_free(&a);
    swords_free(&b);
}

/* The longest common subsequence by the plain table, to check the bits. */
static size_t lcs_table(const swords *a, const swords *b)
{
    size_t n = a->n < SW_LCS_MAX ? a->n : SW_LCS_MAX, m = b->n;
    size_t *t = calloc((n + 1) * (m + 1), sizeof *t);
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++)
            t[i * (m + 1) + j] = a->w[i - 1].h == b->w[j - 1].h
                                     ? t[(i - 1) * (m + 1) + j - 1] + 1
                                     : (t[(i - 1) * (m + 1) + j] > t[i * (m + 1) + j - 1]
                                            ? t[(i - 1) * (m + 1) + j]
                                            : t[i * (m + 1) + j - 1]);
    size_t r = t[n * (m + 1) + m];
    free(t);
    return r;
}

Test(store_words, lcs_matches_the_table_across_word_boundaries)
{
    srand(7);
    swords a = {0}, b = {0};
    static const char *vocab[] = {"a", "b", "c", "d", "e", "f"};
    for (int round = 0; round < 200; round++) {
        char sa[4000] = "", sb[4000] = "";
        int na = 1 + rand() % 300, nb = rand() % 200;
        for (int i = 0; i < na; i++)
            strcat(strcat(sa, vocab[rand() % 6]), " ");
        for (int i = 0; i < nb; i++)
            strcat(strcat(sb, vocab[rand() % 6]), " ");
        split(&a, sa);
        split(&b, sb);
        cr_assert_eq(swords_lcs(&a, &b), lcs_table(&a, &b), "round %d (%d, %d words)", round,
                     na, nb);
    }
    swords_free(&a);
    swords_free(&b);
}

Test(store_words, changes_are_runs_of_the_original_words)
{
    swords a = {0}, b = {0};
    const char *x = "Every house on this street was bought by your parents.";
    const char *y = "every house on the street was BROUGHT by your parents, they said";
    split(&a, x);
    split(&b, y);
    buf out = {0};
    size_t *offs = NULL, cap = 0, n = 0;
    cr_assert_eq(swords_changes(&a, x, &b, y, &out, &offs, &cap, &n), HS_OK);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(out.p + offs[0], "this");
    cr_assert_str_eq(out.p + offs[1], "the");
    cr_assert_str_eq(out.p + offs[2], "bought");
    cr_assert_str_eq(out.p + offs[3], "BROUGHT");
    cr_assert_str_eq(out.p + offs[4], "");
    cr_assert_str_eq(out.p + offs[5], "they said");
    /* the same words (case and punctuation aside): no change */
    split(&b, "EVERY house -- on this street, was bought by your parents!");
    cr_assert_eq(swords_changes(&a, x, &b, y, &out, &offs, &cap, &n), HS_OK);
    cr_assert_eq(n, 0);
    buf_free(&out);
    free(offs);
    swords_free(&a);
    swords_free(&b);
}

Test(store_words, span_of_the_aligned_words)
{
    swords a = {0}, b = {0};
    split(&a, "bought by your parents");
    const char *para = "Signs went up. Every house here was bought by their parents, they said.";
    split(&b, para);
    size_t first, last;
    cr_assert_eq(swords_span(&a, &b, &first, &last), HS_OK);
    char *got = strndup(para + b.w[first].s, b.w[last].e - b.w[first].s);
    cr_assert_str_eq(got, "bought by their parents");
    free(got);
    split(&a, "nothing alike");
    cr_assert_eq(swords_span(&a, &b, &first, &last), HS_EEOF);
    swords_free(&a);
    swords_free(&b);
}

Test(store_words, same_statement_rule)
{
    cr_assert(swords_same(10, 10, 10, 0));      /* a reprint */
    cr_assert(swords_same(9, 10, 10, 0));       /* one word changed */
    cr_assert(!swords_same(6, 10, 10, 0));      /* too different */
    cr_assert(!swords_same(6, 6, 6, 0));        /* too short to be a quote */
    cr_assert(!swords_same(8, 8, 40, 0));       /* a phrase inside a long statement */
    cr_assert(swords_same(20, 20, 40, 0));      /* a long part of one */
    cr_assert(swords_same(4, 4, 40, 1));        /* a person's short query inside a statement */
    cr_assert(!swords_same(5, 40, 5, 1));       /* a short statement inside a long query */
    cr_assert(swords_same(12, 40, 14, 1));      /* a shortened reprint of the query */
    cr_assert(!swords_same(0, 0, 5, 1));
}

/* ---- the API ------------------------------------------------------------------ */

static char dbpath[64];

static void db_setup(void)
{
    strcpy(dbpath, "/tmp/hearsay-test-store.XXXXXX");
    int fd = mkstemp(dbpath);
    cr_assert(fd >= 0);
    close(fd);
    unlink(dbpath);
}

static void db_teardown(void)
{
    char p[96];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
}

#define DOC(id, content)                                                                       \
    "{\"id\":\"" id "\",\"schema\":1,\"outlet\":\"Test Wire\",\"date\":\"2026-01-02\","      \
    "\"title\":null,\"blocks\":[],\"sentences\":[],\"entities\":[{\"id\":\"e1\","              \
    "\"type\":\"PERSON\",\"name\":\"Ana Lund\",\"aliases\":[\"Lund\"],\"role\":\"mayor\","    \
    "\"mentions\":[[0,3]]}],\"attributions\":[{\"id\":\"a1\",\"kind\":\"direct\","             \
    "\"content\":{\"spans\":[[10,20]],\"text\":\"" content "\"},\"content_missing\":false,"     \
    "\"cue\":{\"spans\":[[5,9]],\"text\":\"said\"},\"source\":{\"spans\":[[0,3]],"             \
    "\"text\":\"She\",\"entity\":\"e1\"},\"via\":null,\"hedges\":[],\"confidence\":1.00}],"   \
    "\"errors\":[],\"text\":\"She said something.\"}"

static int count(void *user, const hs_store_hit *h)
{
    (void)h;
    ++*(int *)user;
    return 0;
}

Test(store_api, put_replace_search_trace, .init = db_setup, .fini = db_teardown)
{
    hs_store *st;
    cr_assert_eq(hs_store_open(&st, dbpath, 0), HS_OK, "%s", hs_store_errmsg(st));
    const char *d1 = DOC("d1", "the ferry fares will rise by eight percent in May");
    const char *d2 = DOC("d2", "the ferry fares will rise by nine percent in May");
    cr_assert_eq(hs_store_put(st, d1, strlen(d1)), HS_OK, "%s", hs_store_errmsg(st));
    cr_assert_eq(hs_store_put(st, d2, strlen(d2)), HS_OK, "%s", hs_store_errmsg(st));
    cr_assert_eq(hs_store_put(st, d1, strlen(d1)), HS_OK); /* replaces d1 */
    cr_assert_eq(hs_store_put(st, "{\"id\":\"x\"}", 10), HS_EFORMAT);
    cr_assert(strstr(hs_store_errmsg(st), "schema"));
    cr_assert_eq(hs_store_put(st, "[1", 2), HS_EFORMAT);
    cr_assert_eq(hs_store_commit(st), HS_OK);
    int n = 0;
    hs_store_query q = {.kind = -1, .speaker = "Lund"};
    cr_assert_eq(hs_store_search(st, &q, count, &n), HS_OK);
    cr_assert_eq(n, 2); /* d1 once: replaced, not stored twice */
    n = 0;
    q = (hs_store_query){.kind = -1, .text = "ferry fares will rise by ten percent in May"};
    cr_assert_eq(hs_store_trace(st, &q, count, &n), HS_OK);
    cr_assert_eq(n, 2);
    q.text = "fares AND";
    cr_assert_eq(hs_store_search(st, &q, count, &n), HS_EQUERY);
    q.text = " ";
    cr_assert_eq(hs_store_search(st, &q, count, &n), HS_EQUERY);
    const char *js;
    cr_assert_eq(hs_store_stats(st, &js), HS_OK);
    cr_assert(strstr(js, "\"documents\":2,\"attributions\":2,"), "%s", js);
    cr_assert(strstr(js, "\"quotes\":1,"), "%s", js);
    hs_store_close(st);
    /* read-only: no writing */
    cr_assert_eq(hs_store_open(&st, dbpath, HS_STORE_READONLY), HS_OK);
    cr_assert_eq(hs_store_put(st, d1, strlen(d1)), HS_EINVAL);
    hs_store_close(st);
}

static int marked(void *user, const hs_store_hit *h)
{
    *(const char **)user = h->marked ? strdup(h->marked) : NULL;
    return 0;
}

Test(store_api, doc_count_and_marks, .init = db_setup, .fini = db_teardown)
{
    hs_store *st;
    cr_assert_eq(hs_store_open(&st, dbpath, 0), HS_OK, "%s", hs_store_errmsg(st));
    const char *d1 = DOC("d/1", "the ferry fares will rise by eight percent in May");
    cr_assert_eq(hs_store_put(st, d1, strlen(d1)), HS_OK, "%s", hs_store_errmsg(st));
    cr_assert_eq(hs_store_commit(st), HS_OK);
    long long n = -1;
    cr_assert_eq(hs_store_count(st, &n), HS_OK);
    cr_assert_eq(n, 1);
    const char *js;
    size_t len;
    cr_assert_eq(hs_store_doc(st, "d/1", &js, &len), HS_OK, "%s", hs_store_errmsg(st));
    cr_assert_eq(strlen(js), len);
    /* the analysis with its text; the metadata already there is not repeated */
    cr_assert(strstr(js, "\"text\":\"She said something.\""), "%s", js);
    cr_assert(strstr(js, "\"outlet\":\"Test Wire\""), "%s", js);
    cr_assert_null(strstr(strstr(js, "\"outlet\"") + 1, "\"outlet\""), "%s", js);
    cr_assert_eq(hs_store_doc(st, "d/2", &js, &len), HS_EEOF);
    cr_assert(strstr(hs_store_errmsg(st), "d/2"));
    /* highlighting only when asked */
    const char *m = NULL;
    hs_store_query q = {.kind = -1, .text = "fares"};
    cr_assert_eq(hs_store_search(st, &q, marked, &m), HS_OK);
    cr_assert_null(m);
    q.marks = 1;
    cr_assert_eq(hs_store_search(st, &q, marked, &m), HS_OK);
    cr_assert_str_eq(m, "the ferry \x02" "fares\x03 will rise by eight percent in May");
    free((void *)m);
    q.text = "\"unterminated";
    cr_assert_eq(hs_store_search(st, &q, marked, &m), HS_EQUERY, "%s", hs_store_errmsg(st));
    hs_store_close(st);
}

Test(store_api, bad_files, .init = db_setup, .fini = db_teardown)
{
    hs_store *st;
    cr_assert_eq(hs_store_open(&st, dbpath, HS_STORE_READONLY), HS_ESTORE);
    cr_assert(strstr(hs_store_errmsg(st), "no such corpus"));
    hs_store_close(st);
    FILE *f = fopen(dbpath, "w");
    for (int i = 0; i < 100; i++)
        fputs("this is a text file and not a database\n", f);
    fclose(f);
    cr_assert_eq(hs_store_open(&st, dbpath, 0), HS_ESTORE);
    cr_assert(strstr(hs_store_errmsg(st), "not an SQLite database"), "%s", hs_store_errmsg(st));
    hs_store_close(st);
    cr_assert_eq(hs_store_open(&st, "/tmp", 0), HS_ESTORE);
    hs_store_close(st);
    cr_assert_eq(hs_store_open(NULL, dbpath, 0), HS_EINVAL);
    hs_store_close(NULL);
}
