/* entities - groups a document's named-entity mentions into entities:
 * "Donald Trump" / "Trump" / "Mr. Trump" are one person; titles and
 * affiliations next to a name become its role ("Russia's Foreign Minister
 * Sergey Lavrov" -> Foreign Minister of Russia), so that a later nominal
 * mention ("the Russian Foreign Minister") finds him; he/she point to the
 * most recent person. Rules only; no model. */
#ifndef HS_ENTITIES_H
#define HS_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"

/* A mention found by NER: tokens [tb, te) of one sentence, of an
 * hs_entity_type. */
typedef struct ent_mention {
    uint32_t tb, te;
    uint8_t type;
} ent_mention;

/* The entities stage: the NER layer's spans become mentions (in d->ments),
 * grouped with the gazetteer g into d's entities; fills d->tok_ent (entity
 * index + 1 per token, 0 = none) including resolved pronouns. Needs the
 * forms, POS and NER layers. Without g, only the mentions are collected. */
struct gaz;
int entities_run(hs_doc *d, const struct gaz *g);

/* Country for a demonym ("Russian" -> "Russia"), or NULL. */
const char *entities_country_of(const char *demonym, size_t n);

#endif
