/* pipeline - runs a document through the stages in their fixed order (see
 * pipeline.c and docs/architecture.md) and owns each document's scratch.
 * Its functions are the public hs_doc_new, hs_doc_free and hs_doc_analyze*
 * of hearsay.h; nothing here is for other modules to call. */
#ifndef HS_PIPELINE_H
#define HS_PIPELINE_H

#include "doc.h"
#include "engine.h"

#endif
