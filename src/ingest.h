/* ingest - turns a reader's document into the text hearsay analyzes: an
 * HTML page is decoded (charset.h), its article extracted (html.h) and laid
 * out as title and paragraphs; metadata from the page and from the input
 * (JSON members, WARC headers) is kept for the JSON. It does not read
 * files (input.c) or analyze text (doc.c). */
#ifndef HS_INGEST_H
#define HS_INGEST_H

#include "buf.h"
#include "doc.h"

void ingest_reset(hs_doc *d);
void ingest_free(struct ingest *g);
/* Appends the metadata members (",\"url\":...") of d to b; extract selects
 * the extraction object's set (with "title" as a string). */
int ingest_json(const hs_doc *d, buf *b, int extract, const char *nl, const char *sp);
/* 1 when the JSON must carry "text" (the analyzed text is not the input's). */
int ingest_text_wanted(const hs_doc *d);
/* The extraction object of hs_json(HS_JSON_EXTRACT). */
int ingest_extract_json(const hs_doc *d, unsigned flags, buf *b);

#endif
