/* tokenize - news-English tokens with byte offsets (see tokenize.c). */
#ifndef HS_TOKENIZE_H
#define HS_TOKENIZE_H

#include <stddef.h>

struct hs_doc;

/* The tokenize stage: d->text into d->tok (kinds, flags, byte offsets).
 * Returns HS_OK or HS_ENOMEM. */
int tok_run(struct hs_doc *d);

/* True for abbreviations that are titles and never end a sentence (Mr. Gen.);
 * s may include the final period. */
int tok_is_title_abbrev(const char *s, size_t len);
/* True for abbreviations that keep their period (Inc. Jan. Calif.). */
int tok_is_abbrev(const char *s, size_t len);
/* 1 when the abbreviation table is in the byte order binary search needs. */
int tok_abbrevs_sorted(void);

#endif
