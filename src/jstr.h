/* jstr - JSON text shared by readers and writers: a string written as a
 * JSON literal, and the memory jansson would take to read some JSON. It
 * parses nothing itself (jansson reads JSON) and knows no document. */
#ifndef HS_JSTR_H
#define HS_JSTR_H

#include <stddef.h>

#include "buf.h"

/* Appends s[0..n) as a JSON string literal (with its quotes) to b; the
 * characters alone with jstr_chars. U+2028 and U+2029 are escaped too.
 * Return HS_OK or HS_ENOMEM. */
int jstr_put(buf *b, const char *s, size_t n);
int jstr_chars(buf *b, const char *s, size_t n);

/* The reader's budget for jansson: this many times the document limit. */
#define JSTR_BUDGET 4

/* An upper bound of the memory jansson takes to read p[0..n), found in one
 * pass without allocating. jansson builds the whole tree before it returns,
 * and small values cost it far more than their text (60 MB of "[0,0,...]"
 * took 1.4 GB); its allocation functions are process-wide, and it does not
 * survive their failure, so the cost is bounded before it is called. The
 * costs per value are measured on jansson 2.14 with glibc's malloc
 * (test_jsonl checks the bound); a long string counts three times (the
 * lexer's buffer doubles). */
size_t jstr_cost(const char *p, size_t n);

#endif
