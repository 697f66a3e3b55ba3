/* structure - block labels for an article's paragraphs (see structure.c). */
#ifndef HS_STRUCTURE_H
#define HS_STRUCTURE_H
#include "doc.h"

/* The structure stage: a block kind for every paragraph (headline, byline,
 * dateline, body, block quote ...) and the title. Returns HS_OK or HS_ENOMEM. */
int struct_run(hs_doc *d);
#endif
