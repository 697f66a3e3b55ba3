/* ingest - the reader side of a document: puts the text to analyze into
 * it after the checks every text gets (size, binary data, UTF-8 or its
 * lossy repair), lays an HTML page out as title and paragraphs (charset.h,
 * html.h), builds a text from given tokens, and records the metadata of
 * the input. It reads no file (input.c) and runs no stage (pipeline.c). */
#ifndef HS_INGEST_H
#define HS_INGEST_H

#include "doc.h"

/* Scratch of the page extraction, kept between documents. */
typedef struct ingest ingest;
ingest *ingest_new(void); /* NULL when out of memory */
void ingest_free(ingest *g); /* NULL is fine */

/* Resets d and makes text[0..len) its text after the checks: at most max
 * bytes, no binary data, valid UTF-8 (repaired into d's own copy with
 * HS_ANALYZE_LOSSY in flags, the repair listed in its errors). nonblank:
 * white space only is HS_EEMPTY too. Returns HS_OK or the HS_E* code with
 * the detail in d (the text is borrowed: keep it alive). */
int ingest_text(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags,
                size_t max, int nonblank);
/* Resets d and sets the text unchecked (a page's text, UTF-8 by construction). */
int ingest_raw(hs_doc *d, const char *id, const char *text, size_t len);

/* The text to analyze for a reader's document: an HTML page decoded and
 * extracted as its title, a blank line and its paragraphs; a text with a
 * title given apart gets it as a first line; other text is used as it is.
 * *text and *len get it (in g's memory or in's); *built says whether it is
 * not the input's own bytes. On failure d is reset with the detail. */
int ingest_prepare(ingest *g, hs_doc *d, const hs_input *in, size_t max, const char **text,
                   size_t *len, int *built);
/* After the text is in d: the metadata (what the input says wins over what
 * the page says) and the reader's and the extraction's warnings as errors. */
int ingest_finish(ingest *g, hs_doc *d, const hs_input *in, int built);

/* Resets d and makes its text from tokens (copied; one string each) and
 * sentences (sent_len[i] tokens each): tokens joined by spaces, a sentence
 * per line, one paragraph per sentence; fills the tokens, sentences and
 * paragraphs. */
int ingest_tokens(hs_doc *d, const char *id, const char *const *tokens, size_t ntok,
                  const uint32_t *sent_len, size_t nsent, size_t max);

#endif
