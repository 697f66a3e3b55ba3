/* perceptron - averaged perceptron training and sparse int16 inference (see
 * perceptron.h). Blob layout, little-endian, 8-byte aligned:
 *   u32 magic 'PCP1', u32 nclass, u32 cap, u32 nw, f32 scale, u32 pad,
 *   u64 keys[cap], u32 start[cap+1], (pad to 8), u16 cls[nw], (pad to 8),
 *   i16 w[nw]. */
#include "perceptron.h"
#include "model.h"
#include "pages.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PC_MAGIC 0x31504350u /* "PCP1" */

/* Invariant: keys[slot] == 0 marks an empty slot; rowof[slot] indexes the
 * dense rows w/acc/ts (nclass entries each) of that feature. */
struct pc_trainer {
    uint32_t nclass;
    uint64_t *keys;
    uint32_t *rowof;
    size_t cap, n;
    float *w;
    double *acc;
    uint32_t *ts;
    size_t rowcap;
    uint32_t now;
    int mixed; /* a mixture of trainings (pc_trainer_mix), not trained itself */
};

pc_trainer *pc_trainer_new(uint32_t nclass)
{
    pc_trainer *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nclass = nclass;
    t->cap = 1 << 16;
    t->keys = calloc(t->cap, sizeof *t->keys);
    t->rowof = calloc(t->cap, sizeof *t->rowof);
    if (!t->keys || !t->rowof) {
        pc_trainer_free(t);
        return NULL;
    }
    return t;
}

void pc_trainer_free(pc_trainer *t)
{
    if (!t)
        return;
    free(t->keys);
    free(t->rowof);
    free(t->w);
    free(t->acc);
    free(t->ts);
    free(t);
}

size_t pc_trainer_nfeatures(const pc_trainer *t) { return t->n; }

static long find(const pc_trainer *t, uint64_t k)
{
    size_t mask = t->cap - 1, i = (size_t)k & mask;
    while (t->keys[i]) {
        if (t->keys[i] == k)
            return (long)t->rowof[i];
        i = (i + 1) & mask;
    }
    return -1;
}

static int grow(pc_trainer *t)
{
    size_t ncap = t->cap * 2, mask = ncap - 1;
    uint64_t *nk = calloc(ncap, sizeof *nk);
    uint32_t *nr = calloc(ncap, sizeof *nr);
    if (!nk || !nr) {
        free(nk);
        free(nr);
        return HS_ENOMEM;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i])
            continue;
        size_t j = (size_t)t->keys[i] & mask;
        while (nk[j])
            j = (j + 1) & mask;
        nk[j] = t->keys[i];
        nr[j] = t->rowof[i];
    }
    free(t->keys);
    free(t->rowof);
    t->keys = nk;
    t->rowof = nr;
    t->cap = ncap;
    return HS_OK;
}

/* A new row for feature k; its index goes to *row. */
static int add(pc_trainer *t, uint64_t k, long *row)
{
    if ((t->n + 1) * 2 > t->cap && grow(t))
        return HS_ENOMEM;
    if (t->n == t->rowcap) {
        size_t nc = t->rowcap ? t->rowcap * 2 : 4096, c = t->nclass;
        float *w = realloc(t->w, nc * c * sizeof *w);
        if (w)
            t->w = w;
        double *a = realloc(t->acc, nc * c * sizeof *a);
        if (a)
            t->acc = a;
        uint32_t *s = realloc(t->ts, nc * c * sizeof *s);
        if (s)
            t->ts = s;
        if (!w || !a || !s)
            return HS_ENOMEM;
        t->rowcap = nc;
    }
    size_t mask = t->cap - 1, i = (size_t)k & mask;
    while (t->keys[i])
        i = (i + 1) & mask;
    t->keys[i] = k;
    t->rowof[i] = (uint32_t)t->n;
    size_t c = t->nclass, r = t->n * c;
    memset(t->w + r, 0, c * sizeof *t->w);
    memset(t->acc + r, 0, c * sizeof *t->acc);
    memset(t->ts + r, 0, c * sizeof *t->ts);
    *row = (long)t->n++;
    return HS_OK;
}

void pc_trainer_score(const pc_trainer *t, const uint64_t *f, size_t nf, float *scores)
{
    memset(scores, 0, t->nclass * sizeof *scores);
    for (size_t i = 0; i < nf; i++) {
        long r = find(t, f[i]);
        if (r < 0)
            continue;
        const float *w = t->w + (size_t)r * t->nclass;
        for (uint32_t c = 0; c < t->nclass; c++)
            scores[c] += w[c];
    }
}

/* Weight i summed over every tick so far (the averaged weight times now). */
static double sum_at(const pc_trainer *t, size_t i)
{
    return t->acc[i] + (double)(t->now - t->ts[i]) * t->w[i];
}

static void bump(pc_trainer *t, size_t r, uint32_t c, float d)
{
    size_t i = r * t->nclass + c;
    t->acc[i] = sum_at(t, i);
    t->ts[i] = t->now;
    t->w[i] += d;
}

int pc_trainer_update(pc_trainer *t, const uint64_t *f, size_t nf, uint32_t truth,
                      uint32_t guess)
{
    if (truth == guess)
        return HS_OK;
    for (size_t i = 0; i < nf; i++) {
        long r = find(t, f[i]);
        if (r < 0 && add(t, f[i], &r))
            return HS_ENOMEM;
        bump(t, (size_t)r, truth, 1.0f);
        bump(t, (size_t)r, guess, -1.0f);
    }
    return HS_OK;
}

void pc_trainer_tick(pc_trainer *t) { t->now++; }

int pc_trainer_mix(pc_trainer *dst, const pc_trainer *src, double share)
{
    if (dst == src || dst->nclass != src->nclass || (dst->n && !dst->mixed) || src->mixed)
        return HS_EINVAL;
    size_t c = src->nclass;
    dst->mixed = 1;
    dst->now = 1; /* the sums are the weights: export's average divides by 1 */
    for (size_t s = 0; s < src->cap; s++) {
        if (!src->keys[s])
            continue;
        long r = find(dst, src->keys[s]);
        if (r < 0 && add(dst, src->keys[s], &r))
            return HS_ENOMEM;
        size_t a = (size_t)src->rowof[s] * c, b = (size_t)r * c;
        for (size_t j = 0; j < c; j++) {
            double v = src->now ? sum_at(src, a + j) / src->now : 0;
            dst->acc[b + j] += share * v;
            dst->w[b + j] = (float)dst->acc[b + j];
            dst->ts[b + j] = 1;
        }
    }
    return HS_OK;
}

static void pad8(buf *b)
{
    static const char z[8] = {0};
    if (b->len % 8)
        buf_append(b, z, 8 - b->len % 8);
}

int pc_trainer_export(pc_trainer *t, buf *out, float prune)
{
    size_t c = t->nclass;
    /* average in place: w = acc / now */
    float maxw = 0;
    for (size_t i = 0; i < t->n * c; i++) {
        double a = sum_at(t, i);
        t->ts[i] = t->now;
        t->acc[i] = a;
        float v = t->now ? (float)(a / t->now) : 0;
        t->w[i] = fabsf(v) < prune ? 0 : v;
        if (fabsf(t->w[i]) > maxw)
            maxw = fabsf(t->w[i]);
    }
    float scale = maxw > 0 ? maxw / 32767.0f : 1.0f;
    /* count surviving features and weights */
    size_t nfeat = 0, nw = 0;
    for (size_t r = 0; r < t->n; r++) {
        size_t k = 0;
        for (size_t j = 0; j < c; j++)
            k += (int)lrintf(t->w[r * c + j] / scale) != 0;
        nfeat += k > 0;
        nw += k;
    }
    uint32_t cap = 16;
    while (cap < nfeat * 2)
        cap *= 2;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *row = calloc(cap, sizeof *row);
    if (!keys || !row) {
        free(keys);
        free(row);
        return HS_ENOMEM;
    }
    for (size_t s = 0; s < t->cap; s++) {
        if (!t->keys[s])
            continue;
        size_t r = t->rowof[s], k = 0;
        for (size_t j = 0; j < c; j++)
            k += (int)lrintf(t->w[r * c + j] / scale) != 0;
        if (!k)
            continue;
        size_t i = (size_t)t->keys[s] & (cap - 1);
        while (keys[i])
            i = (i + 1) & (cap - 1);
        keys[i] = t->keys[s];
        row[i] = (uint32_t)r;
    }
    uint32_t hdr[6] = {PC_MAGIC, (uint32_t)c, cap, (uint32_t)nw, 0, 0};
    memcpy(&hdr[4], &scale, 4);
    int rc = buf_append(out, hdr, sizeof hdr) | buf_append(out, keys, cap * sizeof *keys);
    uint32_t at = 0;
    for (uint32_t i = 0; i <= cap && !rc; i++) {
        rc |= buf_append(out, &at, 4);
        if (i < cap && keys[i])
            for (size_t j = 0; j < c; j++)
                at += (int)lrintf(t->w[(size_t)row[i] * c + j] / scale) != 0;
    }
    pad8(out);
    for (uint32_t i = 0; i < cap && !rc; i++)
        if (keys[i])
            for (size_t j = 0; j < c; j++)
                if ((int)lrintf(t->w[(size_t)row[i] * c + j] / scale) != 0) {
                    uint16_t cl = (uint16_t)j;
                    rc |= buf_append(out, &cl, 2);
                }
    pad8(out);
    for (uint32_t i = 0; i < cap && !rc; i++)
        if (keys[i])
            for (size_t j = 0; j < c; j++) {
                long q = lrintf(t->w[(size_t)row[i] * c + j] / scale);
                if (q) {
                    int16_t v = (int16_t)(q > 32767 ? 32767 : q < -32767 ? -32767 : q);
                    rc |= buf_append(out, &v, 2);
                }
            }
    pad8(out);
    free(keys);
    free(row);
    return rc ? -1 : 0;
}

static size_t up8(size_t n) { return (n + 7) & ~(size_t)7; }

int pc_model_open(pc_model *m, const void *blob, size_t size, char *err, size_t errcap)
{
    const unsigned char *p = blob;
    uint32_t hdr[6];
    if (size < sizeof hdr || ((uintptr_t)blob & 7)) {
        snprintf(err, errcap, "perceptron section too small or misaligned");
        return HS_EMODEL;
    }
    memcpy(hdr, p, sizeof hdr);
    if (hdr[0] != PC_MAGIC) {
        snprintf(err, errcap, "perceptron section has a bad magic number");
        return HS_EMODEL;
    }
    m->nclass = hdr[1];
    m->cap = hdr[2];
    m->nw = hdr[3];
    memcpy(&m->scale, &hdr[4], 4);
    if (m->nclass == 0 || m->nclass > 65535 || m->cap < 16 || (m->cap & (m->cap - 1)) ||
        m->cap > (1u << 28) || !(m->scale > 0) || !isfinite(m->scale)) {
        snprintf(err, errcap, "perceptron header is invalid (classes %u, slots %u)", m->nclass,
                 m->cap);
        return HS_EMODEL;
    }
    size_t off = sizeof hdr;
    size_t need = off + (size_t)m->cap * 8 + up8(((size_t)m->cap + 1) * 4) +
                  up8((size_t)m->nw * 2) * 2;
    if (need > size) {
        snprintf(err, errcap, "perceptron section truncated: needs %zu bytes, has %zu", need, size);
        return HS_EMODEL;
    }
    m->keys = (const uint64_t *)(p + off);
    off += (size_t)m->cap * 8;
    m->start = (const uint32_t *)(p + off);
    off += up8(((size_t)m->cap + 1) * 4);
    m->cls = (const uint16_t *)(p + off);
    off += up8((size_t)m->nw * 2);
    m->w = (const int16_t *)(p + off);
    if (m->start[0] != 0 || m->start[m->cap] != m->nw) {
        snprintf(err, errcap, "perceptron index does not cover the weights");
        return HS_EMODEL;
    }
    uint32_t used = 0;
    for (uint32_t i = 0; i < m->cap; i++)
        used += m->keys[i] != 0;
    if (used > m->cap / 2) {
        snprintf(err, errcap, "perceptron table is over half full (%u of %u slots)", used, m->cap);
        return HS_EMODEL;
    }
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->start[i + 1] < m->start[i] || (!m->keys[i] && m->start[i + 1] != m->start[i])) {
            snprintf(err, errcap, "perceptron index is corrupt at slot %u", i);
            return HS_EMODEL;
        }
    for (uint32_t i = 0; i < m->nw; i++)
        if (m->cls[i] >= m->nclass) {
            snprintf(err, errcap, "perceptron weight %u names class %u of %u", i, m->cls[i],
                     m->nclass);
            return HS_EMODEL;
        }
    return HS_OK;
}

int pc_section_open(pc_model *pc, const model *file, uint32_t id, unsigned nclass,
                    const char *path, const char *what, buf *err)
{
    size_t n;
    const void *blob = model_section_get(file, id, &n);
    char msg[200];
    if (!blob) {
        buf_printf(err, "%s: %s weight section missing", path, what);
        return HS_EMODEL;
    }
    if (pc_model_open(pc, blob, n, msg, sizeof msg)) {
        buf_printf(err, "%s: %s weights: %s", path, what, msg);
        return HS_EMODEL;
    }
    if (nclass && pc->nclass != nclass) {
        buf_printf(err, "%s: %s weights have %u classes, expected %u", path, what, pc->nclass,
                   nclass);
        return HS_EMODEL;
    }
    return HS_OK;
}

void pc_model_score(const pc_model *m, const uint64_t *f, size_t nf, float *scores)
{
    memset(scores, 0, m->nclass * sizeof *scores);
    uint32_t mask = m->cap - 1;
    for (size_t i = 0; i < nf; i++) {
        uint32_t s = (uint32_t)f[i] & mask;
        /* the table is at most half full, so a probe always ends */
        while (m->keys[s] && m->keys[s] != f[i])
            s = (s + 1) & mask;
        if (!m->keys[s])
            continue;
        for (uint32_t j = m->start[s]; j < m->start[s + 1]; j++)
            scores[m->cls[j]] += m->w[j] * m->scale;
    }
}

uint32_t pc_argmax(const float *scores, uint32_t n, const unsigned char *allowed)
{
    uint32_t best = 0;
    float bs = -INFINITY;
    for (uint32_t c = 0; c < n; c++)
        if ((!allowed || allowed[c]) && scores[c] > bs) {
            bs = scores[c];
            best = c;
        }
    return best;
}

/* ---- three-class table ------------------------------------------------------- */

/* Half of a difference of two int16 weights always fits an int16. */
static int16_t half(int32_t v) { return (int16_t)(v >= 0 ? (v + 1) / 2 : -((1 - v) / 2)); }

int pc_tab3_build(pc_tab3 *t, const pc_model *m)
{
    memset(t, 0, sizeof *t);
    if (m->nclass != 3)
        return HS_ENOMEM;
    uint32_t nfeat = 0;
    for (uint32_t i = 0; i < m->cap; i++)
        nfeat += m->keys[i] != 0;
    uint32_t cap = 16;
    while (cap < nfeat + nfeat / 2)
        cap *= 2;
    uint64_t *e = pages_alloc((size_t)cap * sizeof *e);
    if (!e)
        return HS_ENOMEM;
    t->e = e;
    t->mask = cap - 1;
    t->scale = m->scale;
    t->owned = 1;
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        int32_t w[3] = {0};
        for (uint32_t j = m->start[i]; j < m->start[i + 1]; j++)
            w[m->cls[j]] = m->w[j];
        uint64_t k = m->keys[i];
        uint64_t v = ((uint32_t)(k >> 32) | 1) | (uint64_t)(uint16_t)half(w[1] - w[0]) << 32 |
                     (uint64_t)(uint16_t)half(w[2] - w[0]) << 48;
        uint32_t s = (uint32_t)k & t->mask;
        while (e[s])
            s = (s + 1) & t->mask;
        e[s] = v;
    }
    return HS_OK;
}

int pc_tab9_build(pc_tab9 *t, const pc_model *m)
{
    memset(t, 0, sizeof *t);
    if (m->nclass > 9 || !m->cap)
        return HS_ENOMEM;
    pc_slot9 *e = pages_alloc((size_t)m->cap * sizeof *e);
    if (!e)
        return HS_ENOMEM;
    t->e = e;
    t->mask = m->cap - 1;
    t->nclass = m->nclass;
    t->scale = m->scale;
    t->owned = 1;
    for (uint32_t s = 0; s < m->cap; s++) {
        e[s].check = m->keys[s] ? (uint32_t)(m->keys[s] >> 32) | 1 : 0;
        for (uint32_t x = m->start[s]; x < m->start[s + 1]; x++)
            e[s].w[m->cls[x]] = m->w[x];
    }
    return HS_OK;
}

void pc_tab9_free(pc_tab9 *t)
{
    if (t->owned)
        pages_free((void *)t->e);
    t->e = NULL;
    t->owned = 0;
}

void pc_tab9_score(const pc_tab9 *t, const uint64_t *f, size_t nf, float *scores)
{
    pc_tab9_prefetch(t, f, nf);
    int32_t acc[9] = {0};
    pc_tab9_add(t, f, nf, acc);
    for (unsigned c = 0; c < t->nclass; c++)
        scores[c] = (float)acc[c] * t->scale;
}

int pc_tabs_build(pc_tabs *t, const pc_model *m)
{
    memset(t, 0, sizeof *t);
    uint32_t nfeat = 0;
    for (uint32_t i = 0; i < m->cap; i++)
        nfeat += m->keys[i] != 0;
    uint32_t cap = 16;
    while (cap < 2 * nfeat)
        cap *= 2;
    pc_slots *e = pages_alloc((size_t)cap * sizeof *e);
    uint32_t *cw = pages_alloc(((size_t)m->nw ? m->nw : 1) * sizeof *cw);
    t->e = e;
    t->cw = cw;
    t->owned = 1;
    if (!e || !cw) {
        pc_tabs_free(t);
        return HS_ENOMEM;
    }
    t->mask = cap - 1;
    t->nclass = m->nclass;
    t->nw = m->nw;
    t->scale = m->scale;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        uint32_t s = (uint32_t)m->keys[i] & t->mask;
        while (e[s].key)
            s = (s + 1) & t->mask;
        e[s].key = m->keys[i];
        e[s].first = k;
        e[s].count = m->start[i + 1] - m->start[i];
        for (uint32_t j = m->start[i]; j < m->start[i + 1]; j++)
            cw[k++] = (uint32_t)m->cls[j] << 16 | (uint16_t)m->w[j];
    }
    return HS_OK;
}

void pc_tabs_free(pc_tabs *t)
{
    if (t->owned) {
        pages_free((void *)t->e);
        pages_free((void *)t->cw);
    }
    t->e = NULL;
    t->cw = NULL;
    t->owned = 0;
}

void pc_tabs_score(const pc_tabs *t, const uint64_t *f, size_t nf, float *scores)
{
    for (size_t i = 0; i < nf; i++)
        __builtin_prefetch(&t->e[(uint32_t)f[i] & t->mask]);
    int32_t acc[256]; /* exact sums of the quantised weights, scaled once */
    int small = t->nclass <= 256;
    if (small)
        memset(acc, 0, t->nclass * sizeof *acc);
    else
        memset(scores, 0, t->nclass * sizeof *scores);
    for (size_t i = 0; i < nf; i++) {
        uint32_t s = (uint32_t)f[i] & t->mask;
        while (t->e[s].key && t->e[s].key != f[i])
            s = (s + 1) & t->mask;
        const uint32_t *cw = t->cw + t->e[s].first;
        uint32_t k = t->e[s].count; /* an empty slot has none */
        if (small)
            for (uint32_t j = 0; j < k; j++)
                acc[cw[j] >> 16] += (int16_t)(uint16_t)cw[j];
        else
            for (uint32_t j = 0; j < k; j++)
                scores[cw[j] >> 16] += (int16_t)(uint16_t)cw[j] * t->scale;
    }
    if (small)
        for (uint32_t c = 0; c < t->nclass; c++)
            scores[c] = (float)acc[c] * t->scale;
}

void pc_tab3_free(pc_tab3 *t)
{
    if (t->owned)
        pages_free((void *)t->e);
    t->e = NULL;
    t->owned = 0;
}

void pc_tab3_score(const pc_tab3 *t, const uint64_t *f, size_t nf, float *scores)
{
    int32_t a = 0, b = 0;
    pc_tab3_sum(t, f, nf, &a, &b);
    scores[0] = 0;
    scores[1] = (float)a;
    scores[2] = (float)b;
}

void pc_tab3_sum(const pc_tab3 *t, const uint64_t *f, size_t nf, int32_t *pa, int32_t *pb)
{
    for (size_t i = 0; i < nf; i++)
        __builtin_prefetch(&t->e[(uint32_t)f[i] & t->mask]);
    int32_t a = *pa, b = *pb;
    for (size_t i = 0; i < nf; i++) {
        uint32_t s = (uint32_t)f[i] & t->mask, chk = (uint32_t)(f[i] >> 32) | 1;
        uint64_t e;
        while ((e = t->e[s]) != 0 && (uint32_t)e != chk)
            s = (s + 1) & t->mask;
        a += (int16_t)(uint16_t)(e >> 32); /* an empty entry adds 0 */
        b += (int16_t)(uint16_t)(e >> 48);
    }
    *pa = a;
    *pb = b;
}

/* ---- packed tables in model files ---------------------------------------- */

#define PACK_MAGIC 0x314b4350u /* "PCK1" */

typedef struct pack_head {
    uint32_t magic, kind, slots, nclass;
    float scale;
    uint32_t nw, zero[2];
} pack_head;

/* Can a table of kind hold nclass classes? */
static int kind_fits(unsigned kind, uint32_t nclass)
{
    return kind == PC_TAB3 ? nclass == 3 : kind == PC_TAB9 ? nclass <= 9 : kind == PC_TABS;
}

int pc_pack(const pc_model *m, unsigned kind, buf *out)
{
    if (!kind_fits(kind, m->nclass))
        return HS_EINVAL;
    pack_head h = {PACK_MAGIC, kind, 0, m->nclass, m->scale, 0, {0, 0}};
    int rc = HS_ENOMEM;
    if (h.kind == PC_TAB3) {
        pc_tab3 t;
        if (pc_tab3_build(&t, m))
            return HS_ENOMEM;
        h.slots = t.mask + 1;
        rc = buf_append(out, &h, sizeof h) || buf_append(out, t.e, (size_t)h.slots * 8);
        pc_tab3_free(&t);
    } else if (h.kind == PC_TAB9) {
        pc_tab9 t;
        if (pc_tab9_build(&t, m))
            return HS_ENOMEM;
        h.slots = t.mask + 1;
        rc = buf_append(out, &h, sizeof h) ||
             buf_append(out, t.e, (size_t)h.slots * sizeof *t.e);
        pc_tab9_free(&t);
    } else {
        pc_tabs t;
        if (pc_tabs_build(&t, m))
            return HS_ENOMEM;
        h.slots = t.mask + 1;
        h.nw = t.nw;
        rc = buf_append(out, &h, sizeof h) ||
             buf_append(out, t.e, (size_t)h.slots * sizeof *t.e) ||
             buf_append(out, t.cw, (size_t)t.nw * sizeof *t.cw) ||
             (t.nw % 2 && buf_append(out, "\0\0\0\0", 4));
        pc_tabs_free(&t);
    }
    return rc ? HS_ENOMEM : HS_OK;
}

/* The packed section of id in file, its header checked against kind and
 * nclass (0: any) and its size against the header: the slots at *body.
 * 1 when there is none (the caller builds from the weights), HS_OK, or
 * HS_EMODEL with a message. */
static int packed_open(const model *file, uint32_t id, unsigned kind, unsigned nclass,
                       const char *path, const char *what, buf *err, pack_head *h,
                       const unsigned char **body)
{
    size_t n;
    const unsigned char *p = model_section_get(file, PC_PACKED(id), &n);
    if (!p)
        return 1;
    if (n < sizeof *h)
        goto bad;
    memcpy(h, p, sizeof *h);
    uint64_t slot = kind == PC_TAB3 ? 8 : kind == PC_TAB9 ? sizeof(pc_slot9) : sizeof(pc_slots);
    if (h->magic != PACK_MAGIC || h->kind != kind || h->slots < 2 ||
        (h->slots & (h->slots - 1)) || h->slots > (1u << 28) || h->nclass == 0 ||
        h->nclass > 65535 || (nclass && h->nclass != nclass) || !kind_fits(kind, h->nclass) ||
        !(h->scale > 0) || !isfinite(h->scale) || h->zero[0] || h->zero[1] ||
        (kind != PC_TABS && h->nw) ||
        (uint64_t)n != sizeof *h + (uint64_t)h->slots * slot + ((uint64_t)h->nw * 4 + 7) / 8 * 8)
        goto bad;
    *body = p + sizeof *h;
    return HS_OK;
bad:
    buf_printf(err, "%s: %s weights: packed table damaged or of another shape", path, what);
    return HS_EMODEL;
}

/* A table fuller than its builder makes it: probes could run long. */
static int too_full(const char *path, const char *what, buf *err)
{
    buf_printf(err, "%s: %s weights: packed table is fuller than built", path, what);
    return HS_EMODEL;
}

int pc_tab3_load(pc_tab3 *t, const model *file, uint32_t id, const char *path, const char *what,
                 buf *err)
{
    memset(t, 0, sizeof *t);
    pack_head h;
    const unsigned char *body;
    int rc = packed_open(file, id, PC_TAB3, 3, path, what, err, &h, &body);
    if (rc == 1) {
        pc_model pc;
        if (pc_section_open(&pc, file, id, 3, path, what, err))
            return HS_EMODEL;
        if (pc_tab3_build(t, &pc)) {
            buf_printf(err, "%s: out of memory", path);
            return HS_ENOMEM;
        }
        return HS_OK;
    }
    if (rc)
        return rc;
    const uint64_t *e = (const uint64_t *)body;
    uint32_t empty = 0;
    for (uint32_t i = 0; i < h.slots; i++)
        empty += !e[i];
    if ((uint64_t)3 * (h.slots - empty) > (uint64_t)2 * h.slots) /* built at most 2/3 full */
        return too_full(path, what, err);
    t->e = e;
    t->mask = h.slots - 1;
    t->scale = h.scale;
    return HS_OK;
}

int pc_tab9_load(pc_tab9 *t, const model *file, uint32_t id, unsigned nclass, const char *path,
                 const char *what, buf *err)
{
    memset(t, 0, sizeof *t);
    pack_head h;
    const unsigned char *body;
    int rc = packed_open(file, id, PC_TAB9, nclass, path, what, err, &h, &body);
    if (rc == 1) {
        pc_model pc;
        if (pc_section_open(&pc, file, id, nclass, path, what, err))
            return HS_EMODEL;
        if (pc_tab9_build(t, &pc)) {
            buf_printf(err, "%s: out of memory or too many classes", path);
            return HS_ENOMEM;
        }
        return HS_OK;
    }
    if (rc)
        return rc;
    const pc_slot9 *e = (const pc_slot9 *)body;
    uint32_t empty = 0;
    /* the bytes a slot may have nonzero: its check and its classes below
     * nclass (the pad never; an empty slot none, its weights are what a
     * miss adds), as masks of its three 8-byte words */
    unsigned char may[sizeof(pc_slot9)] = {0};
    memset(may + offsetof(pc_slot9, check), 0xff, sizeof e->check);
    uint64_t bare[3], full[3];
    memcpy(bare, may, sizeof bare);
    memset(may + offsetof(pc_slot9, w), 0xff, 2 * h.nclass);
    memcpy(full, may, sizeof full);
    for (uint32_t i = 0; i < h.slots; i++) {
        uint64_t v[3];
        memcpy(v, &e[i], sizeof v);
        const uint64_t *ok = e[i].check ? full : bare;
        int nonzero = ((v[0] & ~ok[0]) | (v[1] & ~ok[1]) | (v[2] & ~ok[2])) != 0;
        if (nonzero) {
            buf_printf(err, "%s: %s weights: packed slot %u has weights where none can be", path,
                       what, i);
            return HS_EMODEL;
        }
        empty += !e[i].check;
    }
    if (2 * (h.slots - empty) > h.slots)
        return too_full(path, what, err);
    t->e = e;
    t->mask = h.slots - 1;
    t->nclass = h.nclass;
    t->scale = h.scale;
    return HS_OK;
}

int pc_tabs_load(pc_tabs *t, const model *file, uint32_t id, unsigned nclass, const char *path,
                 const char *what, buf *err)
{
    memset(t, 0, sizeof *t);
    pack_head h;
    const unsigned char *body;
    int rc = packed_open(file, id, PC_TABS, nclass, path, what, err, &h, &body);
    if (rc == 1) {
        pc_model pc;
        if (pc_section_open(&pc, file, id, nclass, path, what, err))
            return HS_EMODEL;
        if (pc_tabs_build(t, &pc)) {
            buf_printf(err, "%s: out of memory", path);
            return HS_ENOMEM;
        }
        return HS_OK;
    }
    if (rc)
        return rc;
    const pc_slots *e = (const pc_slots *)body;
    const uint32_t *cw = (const uint32_t *)(body + (size_t)h.slots * sizeof *e);
    uint32_t empty = 0;
    for (uint32_t i = 0; i < h.slots; i++) {
        empty += !e[i].key;
        if ((!e[i].key && e[i].count) || e[i].first > h.nw || e[i].count > h.nw - e[i].first) {
            buf_printf(err, "%s: %s weights: packed slot %u points outside the weights", path,
                       what, i);
            return HS_EMODEL;
        }
    }
    if (2 * (h.slots - empty) > h.slots)
        return too_full(path, what, err);
    for (uint32_t i = 0; i < h.nw; i++)
        if (cw[i] >> 16 >= h.nclass) {
            buf_printf(err, "%s: %s weights: packed weight %u names class %u of %u", path, what,
                       i, cw[i] >> 16, h.nclass);
            return HS_EMODEL;
        }
    t->e = e;
    t->cw = cw;
    t->mask = h.slots - 1;
    t->nclass = h.nclass;
    t->nw = h.nw;
    t->scale = h.scale;
    return HS_OK;
}
