/* emit - JSON serialisation of an analyzed document (docs/schema.md). */
#ifndef HS_EMIT_H
#define HS_EMIT_H
#include "buf.h"
#include "doc.h"

int emit_doc_json(hs_doc *d, unsigned flags, buf *out);
#endif
