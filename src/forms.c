/* forms - the stage that spells every token as the models were trained to
 * read it, CoreNLP's way: curly quotes as `` and '', brackets as -LRB-,
 * dashes as --, U+2019 as '. Built once per document into one buffer; it
 * tags nothing (tagger.c) and changes no offset. */
#include "forms.h"

#include <string.h>

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
int forms_run(hs_doc *d)
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

