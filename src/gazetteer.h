/* gazetteer - word lists we wrote ourselves (news outlets, titles, countries,
 * US states, cities, demonyms, first names, organisations, entity cue words)
 * compiled into a small case-insensitive phrase table, and a matcher that marks
 * every token a listed phrase covers. It is a feature source for ner, not an
 * entity recognizer: matches overlap freely and ignore context. */
#ifndef HS_GAZETTEER_H
#define HS_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* List categories; a token's match bits are 1 << (2*cat) when a phrase of cat
 * begins at it and 1 << (2*cat+1) when it continues one. */
enum {
    GAZ_OUTLET, GAZ_TITLE, GAZ_COUNTRY, GAZ_STATE, GAZ_CITY, GAZ_DEMONYM, GAZ_FIRST,
    GAZ_ORG, GAZ_ORGWORD, GAZ_LOCWORD, GAZ_MISC, GAZ_NCAT
};
#define GAZ_MAXLEN 6 /* tokens in the longest phrase */

/* Invariant: cap is a power of two, at most half full; key 0 is empty. val
 * holds 1 << cat for whole phrases and GAZ_PREFIX when a longer phrase
 * starts with the key's tokens. Immutable after gaz_init: share freely. */
#define GAZ_PREFIX (1u << 31)
typedef struct gaz {
    uint64_t *key;
    uint32_t *val;
    uint32_t cap;
} gaz;

/* Builds the table from the compiled-in lists. Returns HS_OK or HS_ENOMEM. */
int gaz_init(gaz *g);
void gaz_free(gaz *g);
/* Hash of one token for gaz_phrase: ASCII-lowercased bytes. */
uint64_t gaz_token_hash(const char *s, size_t n);
/* Category mask (1 << cat) of the phrase form[0..n), or 0 when not listed. */
uint32_t gaz_lookup(const gaz *g, const char *const *form, size_t n);
/* bits[i] |= match bits (see above) for every listed phrase over
 * tok_hash[0..n) (gaz_token_hash values). Allocates nothing. */
void gaz_match(const gaz *g, const uint64_t *tok_hash, size_t n, uint32_t *bits);
const char *gaz_cat_name(unsigned cat);

/* Lists learnt from data (the entity tagger's derived gazetteer) use the
 * same table and matcher with their own categories (< GAZ_NCAT). */
/* An empty table with room for nkeys keys: HS_OK or HS_ENOMEM. */
int gaz_empty(gaz *g, size_t nkeys);
/* Adds the phrase of n <= GAZ_MAXLEN token hashes to category cat; the
 * table must have room for n more keys (gaz_empty). */
void gaz_add(gaz *g, const uint64_t *tok_hash, size_t n, unsigned cat);
/* Appends the table to out (u32 cap, u32 0, u64 key[cap], u32 val[cap]):
 * HS_OK or HS_ENOMEM. */
int gaz_write(const gaz *g, buf *out);
/* Copies a table written by gaz_write from p[0..n): HS_OK, HS_ENOMEM, or
 * HS_EMODEL when it is not one. */
int gaz_read(gaz *g, const void *p, size_t n);

#endif
