/* store_words - a statement's words as the full-text index sees them, and
 * how two statements' words line up (see store_int.h). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "store_int.h"
#include "utf8.h"

/* FNV-1a over the folded bytes. */
static uint64_t fnv(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* Whether the character at *i is a word character, as for FTS5's unicode61
 * tokenizer (letters, numbers, and the marks inside a word); *i moves past
 * it. */
static int char_at(const char *text, size_t len, size_t *i)
{
    unsigned char c = (unsigned char)text[*i];
    if (c < 0x80) {
        ++*i;
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
    int n;
    int cls = utf8_class(utf8_decode((const unsigned char *)text + *i, len - *i, &n));
    *i += (size_t)n;
    return cls == U8_LETTER || cls == U8_UPPER || cls == U8_DIGIT;
}

/* Appends the folded form of p[0..n) (one word) to b. */
static int fold_word(buf *b, const char *p, size_t n)
{
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        ascii &= (unsigned char)p[i] < 0x80;
    if (ascii) {
        if (buf_reserve(b, n))
            return HS_ENOMEM;
        for (size_t i = 0; i < n; i++)
            b->p[b->len++] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
        return HS_OK;
    }
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t ml = utf8proc_map((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)n, &m,
                                       UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
    int rc = ml < 0 ? buf_append(b, p, n) : buf_append(b, m, (size_t)ml);
    free(m);
    return rc ? HS_ENOMEM : HS_OK;
}

int swords_split(swords *ws, const char *text, size_t len, size_t maxw, int fold)
{
    ws->n = 0;
    buf_clear(&ws->folded);
    size_t i = 0;
    while (i < len && ws->n < maxw) {
        size_t s = i;
        if (!char_at(text, len, &i))
            continue;
        size_t e = i; /* the word is text[s..e); the character after it is skipped too */
        while (i < len && char_at(text, len, &i))
            e = i;
        if (vec_reserve((void **)&ws->w, &ws->cap, ws->n + 1, sizeof *ws->w))
            return HS_ENOMEM;
        size_t at = ws->folded.len;
        if (fold_word(&ws->folded, text + s, e - s))
            return HS_ENOMEM;
        ws->w[ws->n++] = (sword){fnv((const unsigned char *)ws->folded.p + at, ws->folded.len - at),
                                 (uint32_t)s, (uint32_t)e};
        if (fold) {
            if (buf_putc(&ws->folded, 0))
                return HS_ENOMEM;
        } else {
            ws->folded.len = at;
        }
    }
    return HS_OK;
}

size_t swords_count(const char *text, size_t len)
{
    size_t n = 0, i = 0;
    int in = 0;
    while (i < len) {
        int w = char_at(text, len, &i);
        n += w && !in;
        in = w;
    }
    return n;
}

void swords_free(swords *ws)
{
    free(ws->w);
    buf_free(&ws->folded);
    memset(ws, 0, sizeof *ws);
}

/* ---- the longest common subsequence, 64 words of a at a time ------------- */

#define LCS_WORDS (SW_LCS_MAX / 64)

size_t swords_lcs(const swords *a, const swords *b)
{
    size_t m = a->n < SW_LCS_MAX ? a->n : SW_LCS_MAX;
    if (!m || !b->n)
        return 0;
    size_t nw = (m + 63) / 64;
    /* the distinct words of a with the positions where each occurs */
    enum { SLOTS = 2 * SW_LCS_MAX };
    uint64_t key[SLOTS], mask[SLOTS][LCS_WORDS];
    unsigned char used[SLOTS] = {0};
    for (size_t i = 0; i < m; i++) {
        size_t k = a->w[i].h % SLOTS;
        while (used[k] && key[k] != a->w[i].h)
            k = (k + 1) % SLOTS;
        if (!used[k]) {
            used[k] = 1;
            key[k] = a->w[i].h;
            memset(mask[k], 0, sizeof mask[k]);
        }
        mask[k][i / 64] |= 1ull << (i % 64);
    }
    uint64_t v[LCS_WORDS];
    for (size_t w = 0; w < nw; w++)
        v[w] = ~0ull;
    for (size_t j = 0; j < b->n; j++) {
        size_t k = b->w[j].h % SLOTS;
        while (used[k] && key[k] != b->w[j].h)
            k = (k + 1) % SLOTS;
        if (!used[k])
            continue;
        /* Hyyrö: V' = (V + (V & M)) | (V & ~M), with carries across words */
        uint64_t carry = 0;
        for (size_t w = 0; w < nw; w++) {
            uint64_t u = v[w] & mask[k][w];
            uint64_t sum = v[w] + u;
            uint64_t c1 = sum < v[w];
            uint64_t sum2 = sum + carry;
            uint64_t c2 = sum2 < sum;
            v[w] = sum2 | (v[w] & ~mask[k][w]);
            carry = c1 | c2;
        }
    }
    size_t zeros = 0;
    for (size_t w = 0; w < nw; w++) {
        uint64_t x = ~v[w];
        if (w == nw - 1 && m % 64)
            x &= (1ull << (m % 64)) - 1;
        zeros += (size_t)__builtin_popcountll(x);
    }
    return zeros;
}

/* Whether the words two statements share in order (m of na and nb) make
 * them the same statement. When a is what a person asked to trace (query),
 * they must cover three quarters of the shorter one, and at least five
 * words (or all of a shorter one); a statement that contains the query
 * matches however long it is, and one the query contains must have six of
 * its words and a third of it (or twelve words), so that a common phrase is
 * no match. Two stored
 * statements join one quote only when both have eight words, they share
 * eight and three quarters of the shorter, and half the longer (or twenty
 * words): a quote is not a phrase many statements use. */
int swords_same(size_t m, size_t na, size_t nb, int query)
{
    size_t lo = na < nb ? na : nb, hi = na < nb ? nb : na;
    if (!lo || m * 4 < lo * 3)
        return 0;
    if (!query)
        return lo >= 8 && m >= 8 && (m >= 20 || m * 2 >= hi);
    if (m < (lo < 5 ? lo : 5))
        return 0;
    if (na <= nb)
        return 1;
    return m >= 6 && (m >= 12 || m * 3 >= hi);
}

double swords_similarity(size_t m, size_t na, size_t nb)
{
    size_t lo = na < nb ? na : nb;
    return lo ? (double)m / (double)lo : 0.0;
}

/* ---- the changes between two statements ----------------------------------- */

static int put_run(buf *out, const char *text, const swords *ws, size_t from, size_t to)
{
    if (from < to && buf_append(out, text + ws->w[from].s, ws->w[to - 1].e - ws->w[from].s))
        return HS_ENOMEM;
    return buf_putc(out, 0) ? HS_ENOMEM : HS_OK;
}

/* One change: a[ai..ae) became b[bi..be). */
static int put_change(buf *out, size_t **offs, size_t *offcap, size_t *nchanges, const char *atext,
                      const swords *a, size_t ai, size_t ae, const char *btext, const swords *b,
                      size_t bi, size_t be)
{
    if (vec_reserve((void **)offs, offcap, 2 * (*nchanges + 1), sizeof **offs))
        return HS_ENOMEM;
    (*offs)[2 * *nchanges] = out->len;
    if (put_run(out, atext, a, ai, ae))
        return HS_ENOMEM;
    (*offs)[2 * *nchanges + 1] = out->len;
    if (put_run(out, btext, b, bi, be))
        return HS_ENOMEM;
    ++*nchanges;
    return HS_OK;
}

int swords_changes(const swords *a, const char *atext, const swords *b, const char *btext,
                   buf *out, size_t **offs, size_t *offcap, size_t *nchanges)
{
    size_t n = a->n < SW_ALIGN_MAX ? a->n : SW_ALIGN_MAX;
    size_t m = b->n < SW_ALIGN_MAX ? b->n : SW_ALIGN_MAX;
    *nchanges = 0;
    buf_clear(out);
    /* suffix LCS table: t[i][j] = LCS of a[i..n) and b[j..m) */
    uint16_t *t = calloc((n + 1) * (m + 1), sizeof *t);
    if (!t)
        return HS_ENOMEM;
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;) {
            uint16_t *c = &t[i * (m + 1) + j];
            if (a->w[i].h == b->w[j].h)
                *c = (uint16_t)(t[(i + 1) * (m + 1) + j + 1] + 1);
            else {
                uint16_t down = t[(i + 1) * (m + 1) + j], right = t[i * (m + 1) + j + 1];
                *c = down > right ? down : right;
            }
        }
#define T(x, y) t[(x) * (m + 1) + (y)]
    size_t i = 0, j = 0, ri = 0, rj = 0;
    int rc = HS_OK;
    while (rc == HS_OK && (i < n || j < m)) {
        if (i < n && j < m && a->w[i].h == b->w[j].h && T(i, j) == T(i + 1, j + 1) + 1) {
            if (i > ri || j > rj)
                rc = put_change(out, offs, offcap, nchanges, atext, a, ri, i, btext, b, rj, j);
            ri = ++i;
            rj = ++j;
        } else if (j == m || (i < n && T(i + 1, j) >= T(i, j + 1))) {
            i++;
        } else {
            j++;
        }
    }
    if (rc == HS_OK && (i > ri || j > rj))
        rc = put_change(out, offs, offcap, nchanges, atext, a, ri, i, btext, b, rj, j);
#undef T
    free(t);
    return rc;
}

int swords_span(const swords *a, const swords *b, size_t *first, size_t *last)
{
    size_t n = a->n < SW_ALIGN_MAX ? a->n : SW_ALIGN_MAX;
    size_t m = b->n < SW_ALIGN_MAX ? b->n : SW_ALIGN_MAX;
    uint16_t *t = calloc((n + 1) * (m + 1), sizeof *t);
    if (!t)
        return HS_ENOMEM;
#define T(x, y) t[(x) * (m + 1) + (y)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            T(i, j) = a->w[i].h == b->w[j].h
                          ? (uint16_t)(T(i + 1, j + 1) + 1)
                          : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
    size_t i = 0, j = 0, got = 0;
    *first = *last = 0;
    while (i < n && j < m) {
        if (a->w[i].h == b->w[j].h && T(i, j) == T(i + 1, j + 1) + 1) {
            if (!got++)
                *first = j;
            *last = j;
            i++, j++;
        } else if (T(i + 1, j) >= T(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef T
    free(t);
    return got ? HS_OK : HS_EEOF;
}
