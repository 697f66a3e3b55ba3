/* corpus - reads annotated training and evaluation data: the CoreNLP TSV
 * layer of PolNeAR (a folder of .tsv files, read in name order), one token
 * per line files, UNER IOB2 and WNUT CoNLL. Training-time code: it allocates
 * freely (one arena per corpus) and is not on any hot path. */
#ifndef HS_CORPUS_H
#define HS_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

/* One token. Strings live in the corpus arena; absent fields are "_" (pos,
 * deprel) or "O" (ner). head is 1-based within the sentence, 0 = root,
 * -1 = unknown. ner is BIO with types PER, ORG, LOC, MISC (CoreNLP's IO
 * types PERSON/ORGANIZATION/LOCATION/MISC are mapped; others become O). */
typedef struct corpus_tok {
    const char *form, *pos, *ner, *deprel;
    int head;
} corpus_tok;

/* Invariant: sentence i is tok[sent[i] .. sent[i+1]) with sent[nsent] == ntok. */
typedef struct corpus {
    arena ar;
    corpus_tok *tok;
    size_t ntok, captok;
    uint32_t *sent;
    size_t nsent, capsent;
} corpus;

/* Readers of the four formats, adding to c. Return HS_OK, or HS_EIO (a file
 * or folder cannot be read), HS_EFORMAT (a malformed line) or HS_ENOMEM,
 * with the file and line in err. */
int corpus_read_corenlp_dir(corpus *c, const char *dir, buf *err);
int corpus_read_tokens(corpus *c, const char *path, buf *err);
int corpus_read_iob2(corpus *c, const char *path, buf *err);
int corpus_read_conll(corpus *c, const char *path, buf *err);
void corpus_free(corpus *c);

static inline size_t corpus_sent_len(const corpus *c, size_t i)
{
    return c->sent[i + 1] - c->sent[i];
}

#endif
