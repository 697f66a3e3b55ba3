/* segment - paragraphs, quotation marks and sentences (see segment.c). */
#ifndef HS_SEGMENT_H
#define HS_SEGMENT_H
#include "doc.h"

/* The segment stage: paragraphs, quotation marks (open/close/inside flags of
 * the tokens) and sentences from d's tokens. Returns HS_OK or HS_ENOMEM. */
int seg_run(hs_doc *d);
#endif
