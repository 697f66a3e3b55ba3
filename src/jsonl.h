/* jsonl - one line of a JSON Lines feed as an article: "id", "text" or
 * "html", and optional "url", "title", "date", "outlet"; every other member
 * is kept as JSON text to pass through to the output. Parsing is jansson's.
 * It does not read lines (see input.c) or look inside the text. */
#ifndef HS_JSONL_H
#define HS_JSONL_H

#include "buf.h"

/* Invariant after a successful parse: text holds the "text" or "html"
 * string (html says which), the other buffers their member or are empty;
 * fields is "" or "\"k\":v" members joined by commas. */
typedef struct jsonl_rec {
    buf id, text, url, title, date, outlet, fields;
    int html;
    int has_id, has_url, has_title, has_date, has_outlet;
} jsonl_rec;

/* Parses len bytes of one line, if jansson needs at most budget bytes for
 * it (jstr_cost; 0: no limit). Returns HS_OK, HS_EEMPTY for a blank line
 * (nothing to do), HS_EFORMAT with the reason in err ("not valid JSON: ...
 * (column 12)"), HS_ETOOBIG when it would need more than budget (err says
 * so), or HS_ENOMEM. */
int jsonl_parse(jsonl_rec *r, const char *line, size_t len, size_t budget, buf *err);
void jsonl_rec_free(jsonl_rec *r);


#endif
