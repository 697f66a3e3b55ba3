/* emit - JSON serialisation of an analyzed document (docs/schema.md). */
#ifndef HS_EMIT_H
#define HS_EMIT_H
#include "buf.h"
#include "doc.h"

/* Appends s[0..n) as a JSON string literal (with quotes) to b. */
int emit_json_string(buf *b, const char *s, size_t n);
int emit_doc_json(hs_doc *d, unsigned flags, buf *out);
#endif
