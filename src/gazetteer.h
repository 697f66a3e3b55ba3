/* gazetteer - word lists we wrote ourselves (news outlets, titles, countries,
 * US states, cities, demonyms, first names, organisations, entity cue words)
 * compiled into a small case-insensitive phrase table, and a matcher that marks
 * every token a listed phrase covers. It is a feature source for ner, not an
 * entity recognizer: matches overlap freely and ignore context. */
#ifndef HS_GAZETTEER_H
#define HS_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

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

#endif
