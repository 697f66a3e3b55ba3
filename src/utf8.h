/* utf8 - validation, lossy repair and code point classes for UTF-8 text.
 * Validation and classes come from utf8proc; this module adds an ASCII fast
 * path and the few classes the tokenizer needs. It never allocates except in
 * utf8_repair, which writes into a caller's buffer. */
#ifndef HS_UTF8_H
#define HS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Offset of the first byte that does not start a valid UTF-8 sequence, or n
 * when all n bytes are valid. */
size_t utf8_validate(const char *s, size_t n);

/* Appends s to out with every invalid byte replaced by U+FFFD; *nrep gets
 * the number of replacements. Returns HS_OK or HS_ENOMEM. */
int utf8_repair(const char *s, size_t n, buf *out, size_t *nrep);

/* Decodes the code point at s (valid UTF-8, n > 0 bytes left); *len gets its
 * byte length. Invalid input yields U+FFFD and length 1. */
int32_t utf8_decode(const unsigned char *s, size_t n, int *len);

/* Classes of non-ASCII code points used by the tokenizer. */
enum {
    U8_OTHER = 0,
    U8_LETTER,   /* L* and M* */
    U8_UPPER,    /* Lu, Lt */
    U8_DIGIT,    /* N* */
    U8_SPACE,    /* Z*, BOM, line/paragraph separators */
    U8_FORMAT,   /* soft hyphen, zero-width space and joiners: inside a word they
                    belong to it, alone they are white space */
    U8_PUNCT,    /* P* */
    U8_SYMBOL    /* S* */
};
int utf8_class(int32_t cp);

#endif
