/* annotate - runs the trained linguistic layers over an analyzed document's
 * sentences: builds CoreNLP-style token forms once per document (curly quotes
 * to `` and '', brackets to -LRB-, dashes to --), then POS tags, dependency
 * parses and named entities, and groups the entities. Nothing is allocated
 * per token: arrays and scratch keep their capacity between documents. */
#include <string.h>

#include "doc.h"
#include "entities.h"
#include "ner.h"
#include "parser.h"
#include "tagger.h"
#include "utf8.h"

/* CoreNLP's spelling of a token, or NULL to keep it as written. */
static const char *corenlp_form(const hs_doc *d, const hs_token *t)
{
    size_t n = t->end - t->start;
    const char *s = d->text + t->start;
    if (t->kind == HS_TOK_QUOTE) {
        int len;
        int32_t cp = utf8_decode((const unsigned char *)s, n, &len);
        int open = (t->flags & HS_TF_OPEN) != 0;
        switch (cp) {
        case 0x201C: case 0x201E: case 0xAB: return "``";
        case 0x201D: case 0xBB: return "''";
        case 0x2018: return "`";
        case 0x2019: return "'";
        case '"': return open ? "``" : "''";
        case '\'': return n == 2 ? (open ? "``" : "''") : open ? "`" : "'";
        default: return NULL;
        }
    }
    if (n == 1) {
        switch (*s) {
        case '(': return "-LRB-";
        case ')': return "-RRB-";
        case '[': return "-LSB-";
        case ']': return "-RSB-";
        case '{': return "-LCB-";
        case '}': return "-RCB-";
        default: return NULL;
        }
    }
    if (t->kind == HS_TOK_DASH)
        return "--";
    if (t->kind == HS_TOK_ELLIPSIS)
        return "...";
    return NULL;
}

/* Writes the forms into formbuf: as written, with U+2019 spelt ' (n’t, ’s).
 * Room for all of them is reserved first, so the pointers stay valid. */
static int build_forms(hs_doc *d)
{
    buf_clear(&d->formbuf);
    size_t need = 1;
    for (size_t i = 0; i < d->ntok; i++)
        need += d->tok[i].end - d->tok[i].start + 6; /* "-LRB-" + NUL at most */
    if (buf_reserve(&d->formbuf, need) ||
        vec_reserve((void **)&d->form, &d->capform, d->ntok + 1, sizeof *d->form))
        return HS_ENOMEM;
    char *out = d->formbuf.p;
    for (size_t i = 0; i < d->ntok; i++) {
        const hs_token *t = &d->tok[i];
        d->form[i] = out;
        const char *c = corenlp_form(d, t);
        if (c) {
            size_t n = strlen(c);
            memcpy(out, c, n);
            out += n;
        } else {
            const char *s = d->text + t->start;
            size_t n = t->end - t->start;
            for (size_t k = 0; k < n; k++) {
                if ((unsigned char)s[k] == 0xE2 && k + 2 < n && (unsigned char)s[k + 1] == 0x80 &&
                    (unsigned char)s[k + 2] == 0x99) {
                    *out++ = '\'';
                    k += 2;
                } else {
                    *out++ = s[k];
                }
            }
        }
        *out++ = 0;
    }
    *out = 0;
    d->formbuf.len = (size_t)(out - d->formbuf.p);
    return HS_OK;
}

/* hs_entity_type of an NER type. */
static uint8_t entity_type(unsigned ner_type)
{
    switch (ner_type) {
    case NER_PER: return HS_ENT_PERSON;
    case NER_ORG: return HS_ENT_ORG;
    case NER_LOC: return HS_ENT_LOC;
    case NER_OUTLET: return HS_ENT_OUTLET;
    default: return HS_ENT_MISC;
    }
}

/* NER spans of the whole document as entity mentions, in text order. */
static int collect_mentions(hs_doc *d, size_t *n)
{
    *n = 0;
    ent_mention *m = d->ments;
    for (size_t s = 0; s < d->nsent; s++) {
        const hs_sentence *se = &d->sent[s];
        for (size_t k = se->tok_begin; k < se->tok_end;) {
            uint8_t t = d->nertag[k];
            if (!t) {
                k++;
                continue;
            }
            size_t e = k + 1;
            while (e < se->tok_end && d->nertag[e] && !ner_tag_is_begin(d->nertag[e]) &&
                   ner_tag_type(d->nertag[e]) == ner_tag_type(t))
                e++;
            if (vec_reserve(&d->ments, &d->capments, *n + 1, sizeof *m))
                return HS_ENOMEM;
            m = d->ments;
            m[*n].tb = (uint32_t)k;
            m[*n].te = (uint32_t)e;
            m[*n].type = entity_type(ner_tag_type(t));
            (*n)++;
            k = e;
        }
    }
    return HS_OK;
}

int annotate_run(hs_doc *d)
{
    d->has_pos = d->has_parse = d->has_ner = 0;
    d->nents = d->nentspans = 0;
    const hs_engine *e = d->eng;
    if (!e->pos || d->ntok == 0)
        return HS_OK;
    if (build_forms(d) ||
        vec_reserve((void **)&d->pos, &d->cappos, d->ntok, sizeof *d->pos) ||
        vec_reserve((void **)&d->posname, &d->capposname, d->ntok, sizeof *d->posname))
        return HS_ENOMEM;
    for (size_t s = 0; s < d->nsent; s++) {
        const hs_sentence *se = &d->sent[s];
        tagger_tag(e->pos, se->tok_end - se->tok_begin, d->form + se->tok_begin,
                   d->pos + se->tok_begin);
    }
    for (size_t k = 0; k < d->ntok; k++)
        d->posname[k] = tagger_tag_name(e->pos, d->pos[k]);
    d->has_pos = 1;
    if (e->parser) {
        if ((!d->pscratch && !(d->pscratch = parser_scratch_new(e->parser, 256))) ||
            vec_reserve((void **)&d->head, &d->caphead, d->ntok, sizeof *d->head) ||
            vec_reserve((void **)&d->label, &d->caplabel, d->ntok, sizeof *d->label))
            return HS_ENOMEM;
        /* without parse_all, attribution parses the sentences it needs */
        for (size_t s = 0; e->parse_all && s < d->nsent; s++) {
            const hs_sentence *se = &d->sent[s];
            parser_parse(e->parser, d->pscratch, se->tok_end - se->tok_begin,
                         d->form + se->tok_begin, d->posname + se->tok_begin,
                         d->head + se->tok_begin, d->label + se->tok_begin);
        }
        d->has_parse = e->parse_all;
    }
    if (e->ner) {
        if ((!d->nscratch && !(d->nscratch = ner_scratch_new())) ||
            vec_reserve((void **)&d->nertag, &d->capnertag, d->ntok, sizeof *d->nertag))
            return HS_ENOMEM;
        for (size_t s = 0; s < d->nsent; s++) {
            const hs_sentence *se = &d->sent[s];
            ner_tag(e->ner, d->nscratch, se->tok_end - se->tok_begin, d->form + se->tok_begin,
                    d->posname + se->tok_begin, d->nertag + se->tok_begin);
        }
        d->has_ner = 1;
        size_t nm;
        int rc = collect_mentions(d, &nm);
        if (!rc && e->gaz)
            rc = entities_run(d, d->ments, nm);
        if (rc)
            return rc;
    }
    return HS_OK;
}
