/* perceptron - multiclass averaged perceptron over hashed sparse features:
 * a trainer (dense rows per seen feature, lazy averaging) and a read-only
 * model view over a serialised blob (open-addressing table of feature keys,
 * sparse int16 weights per feature). The trainer allocates freely; scoring
 * with a model allocates nothing. */
#ifndef HS_PERCEPTRON_H
#define HS_PERCEPTRON_H

#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buf.h"

/* ---- feature keys: 64-bit hashes of (template, strings, numbers) -------- */
static inline uint64_t fk_start(uint32_t tmpl)
{
    return 0xcbf29ce484222325ull ^ ((uint64_t)tmpl * 0x9E3779B97F4A7C15ull);
}
static inline uint64_t fk_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return (h ^ 0xff) * 0x100000001b3ull; /* separator: "ab"+"c" != "a"+"bc" */
}
static inline uint64_t fk_num(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0x100000001b3ull;
}
/* Final mix; never 0 (0 marks an empty slot). */
static inline uint64_t fk_end(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h ? h : 1;
}

/* splitmix64: the shuffling and exploration stream of the trainers, the
 * same on every platform so that training is reproducible. */
static inline uint64_t pc_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- training ---------------------------------------------------------- */
typedef struct pc_trainer pc_trainer;

pc_trainer *pc_trainer_new(uint32_t nclass);
void pc_trainer_free(pc_trainer *t);
/* scores[c] for the current (not averaged) weights; unseen features add 0 */
void pc_trainer_score(const pc_trainer *t, const uint64_t *f, size_t nf, float *scores);
/* Perceptron update: +1 on truth, -1 on guess for every feature (no-op when
 * equal). Call pc_trainer_tick once per training instance. Returns HS_OK or
 * HS_ENOMEM. */
int pc_trainer_update(pc_trainer *t, const uint64_t *f, size_t nf, uint32_t truth,
                      uint32_t guess);
void pc_trainer_tick(pc_trainer *t);
size_t pc_trainer_nfeatures(const pc_trainer *t);
/* Appends the averaged model blob to out; weights with |w| < prune are
 * dropped, the rest quantised to int16. Returns HS_OK or HS_ENOMEM. */
int pc_trainer_export(pc_trainer *t, buf *out, float prune);
/* Adds share times src's averaged weights to dst, which becomes a finished
 * mixture of models (export gives its weights as they are): the average of
 * several trainings is share = 1/n of each. dst is a new trainer or a
 * mixture, and is not trained after; src is a training, not a mixture.
 * Returns HS_OK, HS_ENOMEM, or HS_EINVAL (classes differ, dst trained or
 * dst == src, src a mixture). */
int pc_trainer_mix(pc_trainer *dst, const pc_trainer *src, double share);

/* ---- inference over a blob ------------------------------------------------ */
/* Invariants (checked by pc_model_open): cap is a power of two; start has
 * cap+1 non-decreasing entries ending at nw; every cls[i] < nclass. */
typedef struct pc_model {
    uint32_t nclass, cap, nw;
    float scale;
    const uint64_t *keys;
    const uint32_t *start;
    const uint16_t *cls;
    const int16_t *w;
} pc_model;

/* Views blob[0..size) (8-byte aligned) as a model. Returns HS_OK, or
 * HS_EMODEL with a reason in err. The blob must outlive the view. */
int pc_model_open(pc_model *m, const void *blob, size_t size, char *err, size_t errcap);
/* The one way a model file's weights are opened: section id of file (read
 * from path) as pc, with nclass classes (0: any). HS_OK, or HS_EMODEL with
 * "path: what ..." in err (section missing, corrupt, wrong class count). */
struct model;
int pc_section_open(pc_model *pc, const struct model *file, uint32_t id, unsigned nclass,
                    const char *path, const char *what, buf *err);
/* scores[c] = sum of weights of the features (scores zeroed first). */
void pc_model_score(const pc_model *m, const uint64_t *f, size_t nf, float *scores);
/* A three-class model repacked for speed: one 8-byte entry per feature,
 * {u32 check = (key >> 32) | 1, i16 (w[1] - w[0]) / 2, i16 (w[2] - w[0]) / 2}
 * at slot key & mask (linear probing, 0 = empty). Only differences between
 * classes matter to an argmax (or to a Viterbi sum), so three weights fit in
 * two and a lookup touches one cache line. Scores come out with score[0] = 0,
 * in units of the model's quantised weights. */
typedef struct pc_tab3 {
    const uint64_t *e;
    uint32_t mask;
    float scale; /* the model's: a score unit is 2 * scale */
    int owned;   /* e was built here (freed by pc_tab3_free), not viewed in a model file */
} pc_tab3;

int pc_tab3_build(pc_tab3 *t, const pc_model *m); /* m->nclass == 3; HS_OK or HS_ENOMEM */
void pc_tab3_free(pc_tab3 *t);
void pc_tab3_score(const pc_tab3 *t, const uint64_t *f, size_t nf, float *scores);
/* *a and *b += the sums pc_tab3_score gives as scores[1] and [2] (exact
 * integers, so a score can be summed in parts). */
void pc_tab3_sum(const pc_tab3 *t, const uint64_t *f, size_t nf, int32_t *a, int32_t *b);

/* A model of at most 9 classes repacked for speed: one 24-byte slot per
 * slot of the model's table, {u32 check = (key >> 32) | 1, i16 w[9]}, same
 * slots and probing (check 0: empty). A key is told from another by its
 * 31 high bits (and, in its home slot, its low ones): a false match is one
 * probe in 2^31, as in pc_tab3.
 * Unlike pc_tab3 the scores are absolute, as a sum over labels that are not
 * all compared with each other needs them. */
typedef struct pc_slot9 {
    uint32_t check;
    int16_t w[9];
    int16_t pad;
} pc_slot9;
_Static_assert(sizeof(pc_slot9) == 24, "pc_slot9 is three 8-byte words (pc_tab9_load)");

typedef struct pc_tab9 {
    const pc_slot9 *e;
    uint32_t mask, nclass;
    float scale;
    int owned;
} pc_tab9;

int pc_tab9_build(pc_tab9 *t, const pc_model *m); /* m->nclass <= 9; HS_OK or HS_ENOMEM */
void pc_tab9_free(pc_tab9 *t);
/* acc[c] += the quantised weights of class c (c < 9) of every feature */
static inline void pc_tab9_add(const pc_tab9 *t, const uint64_t *f, size_t nf, int32_t *acc)
{
#ifdef __SSE2__
    /* classes 0-7 as two vectors of four int32, widened from one 16-byte load */
    __m128i lo = _mm_loadu_si128((const __m128i *)acc);
    __m128i hi = _mm_loadu_si128((const __m128i *)(acc + 4));
    int32_t a8 = acc[8];
    for (size_t j = 0; j < nf; j++) {
        uint32_t s = (uint32_t)f[j] & t->mask, chk = (uint32_t)(f[j] >> 32) | 1;
        while (t->e[s].check && t->e[s].check != chk)
            s = (s + 1) & t->mask;
        __m128i w = _mm_loadu_si128((const __m128i *)t->e[s].w); /* zero in an empty slot */
        lo = _mm_add_epi32(lo, _mm_srai_epi32(_mm_unpacklo_epi16(w, w), 16));
        hi = _mm_add_epi32(hi, _mm_srai_epi32(_mm_unpackhi_epi16(w, w), 16));
        a8 += t->e[s].w[8];
    }
    _mm_storeu_si128((__m128i *)acc, lo);
    _mm_storeu_si128((__m128i *)(acc + 4), hi);
    acc[8] = a8;
#else
    for (size_t j = 0; j < nf; j++) {
        uint32_t s = (uint32_t)f[j] & t->mask, chk = (uint32_t)(f[j] >> 32) | 1;
        while (t->e[s].check && t->e[s].check != chk)
            s = (s + 1) & t->mask;
        for (unsigned c = 0; c < 9; c++)
            acc[c] += t->e[s].w[c]; /* an empty slot has zero weights */
    }
#endif
}
static inline void pc_tab9_prefetch(const pc_tab9 *t, const uint64_t *f, size_t nf)
{
    for (size_t j = 0; j < nf; j++)
        __builtin_prefetch(&t->e[(uint32_t)f[j] & t->mask]);
}
/* scores[c] for c < t->nclass, in weight units (quantised sums times scale) */
void pc_tab9_score(const pc_tab9 *t, const uint64_t *f, size_t nf, float *scores);

/* A model of any number of classes repacked for speed: one 16-byte slot
 * {u64 key, u32 first, u32 count} per feature (open addressing, at most
 * half full, key 0: empty) and each feature's (class, weight) pairs packed
 * together, so that a lookup touches two cache lines instead of four. The
 * scores are the exact sums of the quantised weights times the scale (up to
 * 256 classes; beyond, pc_model_score's floats, added in the same order). */
typedef struct pc_slots {
    uint64_t key;
    uint32_t first, count;
} pc_slots;

typedef struct pc_tabs {
    const pc_slots *e;
    const uint32_t *cw; /* class << 16 | (uint16_t)weight */
    uint32_t mask, nclass, nw;
    float scale;
    int owned;
} pc_tabs;

int pc_tabs_build(pc_tabs *t, const pc_model *m); /* HS_OK or HS_ENOMEM */
void pc_tabs_free(pc_tabs *t);
void pc_tabs_score(const pc_tabs *t, const uint64_t *f, size_t nf, float *scores);

struct model;
/* ---- packed tables in model files ----------------------------------------- */
/* A model file may hold a weight section already packed, under the section
 * id in lower case (PC_PACKED(id)): {u32 magic "PCK1", u32 kind, u32 slots,
 * u32 nclass, f32 scale, u32 nw, u64 0}, then the slots as laid out in
 * memory (and pc_tabs' class-weight words). A load then views the table in
 * place after one scan that checks it (load factor, empty slots empty,
 * every index in range) instead of building it. Which kind a section is
 * packed as is its reader's choice (train/train.c knows each). */
#define PC_PACKED(id) ((id) ^ 0x20202020u)
enum { PC_TABS = 0, PC_TAB3 = 3, PC_TAB9 = 9 };
/* Appends the packed form of kind (PC_TAB3: 3 classes, PC_TAB9: at most 9)
 * of an opened model to out: HS_OK, HS_ENOMEM, or HS_EINVAL when the
 * model's classes do not fit the kind. */
int pc_pack(const pc_model *m, unsigned kind, buf *out);
/* Open the table of weight section id of file (read from path), packed or
 * not, with nclass classes (0: any; pc_tab3: 3): HS_OK, HS_ENOMEM, or
 * HS_EMODEL with "path: what ..." in err. The file must outlive the table. */
int pc_tab3_load(pc_tab3 *t, const struct model *file, uint32_t id, const char *path,
                 const char *what, buf *err);
int pc_tab9_load(pc_tab9 *t, const struct model *file, uint32_t id, unsigned nclass,
                 const char *path, const char *what, buf *err);
int pc_tabs_load(pc_tabs *t, const struct model *file, uint32_t id, unsigned nclass,
                 const char *path, const char *what, buf *err);

/* Index of the best class among those with allowed[c] != 0 (allowed may be NULL). */
uint32_t pc_argmax(const float *scores, uint32_t n, const unsigned char *allowed);

#endif
