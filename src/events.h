/* events - finds meeting events (who met whom): a trigger (met, talks,
 * interview, debate, sat down with), its participants resolved to the
 * document's entities, its factuality (asserted, hedged, negated, future,
 * hypothetical), the statement whose content holds it and that statement's
 * source, and the time and place stated with it. Rules over the parse,
 * the entities and the attributions; word lists are our own. */
#ifndef HS_EVENTS_H
#define HS_EVENTS_H

#include <stddef.h>

struct hs_doc;
struct parser;
struct parser_scratch;

/* The stage's working memory for one document at a time (capacity kept
 * between documents); NULL when out of memory. */
typedef struct events_scratch events_scratch;
events_scratch *events_scratch_new(void);
void events_scratch_free(events_scratch *s); /* NULL is fine */

/* The events stage: fills d's events (needs POS; reads the entities, the
 * attributions and the parse of the sentences that hold a trigger word,
 * which p parses with ps when the parse stage left them; p NULL: rules
 * without a tree), with the scratch s. Returns HS_OK or HS_ENOMEM. */
int events_run(struct hs_doc *d, const struct parser *p, struct parser_scratch *ps,
               events_scratch *s);

#endif
