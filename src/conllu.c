/* conllu - the CoNLL-U writer: hs_doc_conllu writes each sentence's tokens
 * with their POS tag, head, dependency label and NER tag ("_" where a
 * layer is absent), as `hearsay tag` prints and the tag scorers read. It
 * reads the document's layers and their name tables, nothing else. */
#include "doc.h"

int hs_doc_conllu(hs_doc *d, const char **out, size_t *len)
{
    if (!d || !out)
        return HS_EINVAL;
    buf *b = &d->conllu;
    buf_clear(b);
    int rc = 0;
    for (size_t s = 0; s < d->nsent && !rc; s++) {
        const hs_sentence *se = &d->sent[s];
        for (uint32_t k = se->tok_begin; k < se->tok_end && !rc; k++) {
            const hs_token *t = &d->tok[k];
            rc |= buf_printf(b, "%u\t", k - se->tok_begin + 1);
            /* a form never holds a tab or newline: tokens split at white space */
            rc |= buf_append(b, d->text + t->start, t->end - t->start);
            rc |= buf_printf(b, "\t_\t_\t%s\t_\t", d->has_pos ? d->posname[k] : "_");
            if (d->has_parse)
                rc |= buf_printf(b, "%d\t%s\t_\t", d->head[k], d->label_names[d->label[k]]);
            else
                rc |= buf_append(b, "_\t_\t_\t", 6);
            if (d->has_ner)
                rc |= buf_printf(b, "NER=%s\n", d->ner_names[d->nertag[k]]);
            else
                rc |= buf_append(b, "_\n", 2);
        }
        rc |= buf_putc(b, '\n');
    }
    if (rc)
        return HS_ENOMEM;
    *out = b->p ? b->p : "";
    if (len)
        *len = b->len;
    return HS_OK;
}
