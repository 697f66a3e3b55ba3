/* evalattr - the PolNeAR attribution scorer behind hs_eval_polnear: the
 * metrics and the output of ../shared/tools/eval_polnear.py, byte for byte.
 * What is declared here are the pieces of Python's behaviour the scorer
 * depends on, kept visible so that the unit tests can pin them down. */
#ifndef HS_EVALATTR_H
#define HS_EVALATTR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* A span as a prediction file may give it: any integers, in any order.
 * Every function here treats it as the scorer treats a Python (s, e). */
typedef struct evalattr_span {
    int64_t s, e;
} evalattr_span;

enum { EVALATTR_DIRECT, EVALATTR_MIXED, EVALATTR_INDIRECT, EVALATTR_NKINDS };

/* repr() of a Python float: the shortest digits that read back as x, in
 * fixed notation from 1e-4 up to 1e16 (with ".0" when integral), else in
 * exponent notation ("1e-05", "1.5e+16"); "nan", "inf", "-0.0" as Python.
 * out should hold 32 bytes. */
void evalattr_repr(double x, char *out, size_t cap);

/* One step of Python's UTF-8 decoder with errors='replace' over p[0..n),
 * n > 0: the code point, or U+FFFD for one maximal invalid subpart (a
 * truncated sequence counts once, each stray byte once); *adv gets the
 * number of bytes consumed. */
uint32_t evalattr_utf8(const unsigned char *p, size_t n, size_t *adv);

/* 1 when Python's str.isspace() holds for code point c. */
int evalattr_isspace(uint32_t c);

/* The scorer's norm() of one fragment of text[0..len): the covered bytes
 * with quote marks, white space and .,;:()[]-—– trimmed at both edges,
 * as Python computes them (slicing, decoding with replacement). Returns 1
 * with the first and last remaining non-space byte, or 0 when none is
 * left (the empty key, which the span-exact scores ignore). */
int evalattr_norm(const char *text, size_t len, evalattr_span sp, size_t *first, size_t *last);

/* The byte range [*a, *b) whose non-space bytes are norm([sp]) (see
 * evalattr_norm); 1 for the white space bytes strip() removes. */
void evalattr_norm_range(const char *text, size_t len, evalattr_span sp, int64_t *a, int64_t *b);
int evalattr_space_byte(unsigned char c);

/* The scorer's kind() of a gold content (the fragments joined by a space,
 * stripped of white space): EVALATTR_DIRECT when it is one quotation
 * between "“” marks, EVALATTR_MIXED when it holds such a mark, else
 * EVALATTR_INDIRECT, into *kind. scratch is reused storage. Returns HS_OK
 * or HS_ENOMEM. */
int evalattr_kind(const char *text, size_t len, const evalattr_span *sp, size_t n, buf *scratch,
                  int *kind);

#endif
