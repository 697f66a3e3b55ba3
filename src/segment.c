/* segment - paragraphs, quotation state and sentences over the token stream.
 * Paragraphs are separated by blank lines; in web-extracted text (no hard
 * wrapping) every line is a paragraph. Quote direction is decided here, per
 * paragraph, and a paragraph may reopen a quotation left open before it (news
 * convention for multi-paragraph quotes). Sentences never cross paragraphs. */
#include "segment.h"

#include <string.h>

#include "doc.h"
#include "tokenize.h"
#include "utf8.h"

/* Code point at byte i of the text. */
static int32_t cp_at(const hs_doc *d, size_t i)
{
    int len;
    return utf8_decode((const unsigned char *)d->text + i, d->len - i, &len);
}

static int tok_is(const hs_doc *d, const hs_token *t, const char *s)
{
    size_t n = strlen(s);
    return t->end - t->start == n && memcmp(d->text + t->start, s, n) == 0;
}

/* Newlines between the end of token k-1 and the start of token k. */
static int newlines_before(const hs_doc *d, size_t k)
{
    size_t from = k ? d->tok[k - 1].end : 0;
    int nl = 0;
    for (size_t i = from; i < d->tok[k].start; i++)
        nl += d->text[i] == '\n';
    return nl;
}

/* Hard-wrapped text (lines cut at a fixed width inside paragraphs) joins its
 * lines into paragraphs at blank lines only; other text breaks at every line.
 * Wrapped: most lines that continue into a non-blank line are 40-100 bytes. */
static int is_hard_wrapped(const hs_doc *d)
{
    size_t cont = 0, in_band = 0, line_start = 0;
    for (size_t k = 1; k <= d->ntok; k++) {
        if (k < d->ntok && !(d->tok[k].flags & HS_TF_LINE_BEFORE))
            continue;
        size_t len = d->tok[k - 1].end - d->tok[line_start].start;
        if (k < d->ntok && newlines_before(d, k) == 1) {
            cont++;
            in_band += len >= 40 && len <= 100;
        }
        line_start = k;
    }
    return cont >= 3 && in_band * 4 >= cont * 3;
}

static int push_para(hs_doc *d, size_t tb, size_t te)
{
    if (vec_reserve((void **)&d->para, &d->cappara, d->npara + 1, sizeof *d->para))
        return HS_ENOMEM;
    hs_paragraph *p = &d->para[d->npara++];
    memset(p, 0, sizeof *p);
    p->start = d->tok[tb].start;
    p->end = d->tok[te - 1].end;
    /* sent_begin/sent_end hold the token range until sentences are split */
    p->sent_begin = (uint32_t)tb;
    p->sent_end = (uint32_t)te;
    return HS_OK;
}

static int split_paragraphs(hs_doc *d)
{
    int wrapped = is_hard_wrapped(d);
    size_t tb = 0;
    for (size_t k = 1; k <= d->ntok; k++) {
        if (k < d->ntok) {
            if (!(d->tok[k].flags & HS_TF_LINE_BEFORE))
                continue;
            if (wrapped && newlines_before(d, k) < 2)
                continue;
        }
        if (push_para(d, tb, k))
            return HS_ENOMEM;
        tb = k;
    }
    return HS_OK;
}

enum { Q_NONE, Q_DOUBLE_OPEN, Q_DOUBLE_CLOSE, Q_DOUBLE_AMBIG, Q_SINGLE_OPEN, Q_SINGLE_CLOSE,
       Q_SINGLE_AMBIG };

static int quote_type(const hs_doc *d, const hs_token *t)
{
    int32_t cp = cp_at(d, t->start);
    switch (cp) {
    case 0x201C: case 0x201E: case 0x201F: case 0xAB: case 0x300C:
        return Q_DOUBLE_OPEN;
    case 0x201D: case 0xBB: case 0x300D:
        return Q_DOUBLE_CLOSE;
    case '"':
        return Q_DOUBLE_AMBIG;
    case '`':
        return t->end - t->start == 2 ? Q_DOUBLE_OPEN : Q_SINGLE_OPEN;
    case 0x2018: case 0x201A: case 0x201B: case 0x2039:
        return Q_SINGLE_OPEN;
    case 0x203A:
        return Q_SINGLE_CLOSE;
    case '\'':
        return t->end - t->start == 2 ? Q_DOUBLE_AMBIG : Q_SINGLE_AMBIG;
    case 0x2019:
        return Q_SINGLE_AMBIG;
    default:
        return Q_NONE;
    }
}

static int ends_with_s(const hs_doc *d, const hs_token *t)
{
    if (t->kind != HS_TOK_WORD || t->end == t->start)
        return 0;
    char c = d->text[t->end - 1];
    return c == 's' || c == 'S' || c == 'z';
}

/* Sets OPEN/CLOSE/IN_QUOTE on the paragraph's tokens; a possessive
 * apostrophe (ministers’) becomes a word. Returns 1 when a double quotation
 * is still open at the end. */
static int mark_quotes(hs_doc *d, size_t tb, size_t te)
{
    int dq = 0, sq = 0;
    for (size_t k = tb; k < te; k++) {
        hs_token *t = &d->tok[k];
        if (t->kind != HS_TOK_QUOTE) {
            if (dq || sq)
                t->flags |= HS_TF_IN_QUOTE;
            continue;
        }
        int before = k == tb || (t->flags & HS_TF_SPACE_BEFORE) ||
                     (d->tok[k - 1].kind == HS_TOK_DASH) ||
                     tok_is(d, &d->tok[k - 1], "(") || tok_is(d, &d->tok[k - 1], "[") ||
                     (d->tok[k - 1].flags & HS_TF_OPEN);
        int after = k + 1 == te || (d->tok[k + 1].flags & HS_TF_SPACE_BEFORE) ||
                    d->tok[k + 1].kind == HS_TOK_PUNCT || d->tok[k + 1].kind == HS_TOK_DASH ||
                    d->tok[k + 1].kind == HS_TOK_QUOTE;
        int q = quote_type(d, t);
        if (q == Q_DOUBLE_AMBIG)
            q = dq ? Q_DOUBLE_CLOSE : (before || !after ? Q_DOUBLE_OPEN : Q_DOUBLE_CLOSE);
        if (q == Q_SINGLE_AMBIG) {
            if (sq && !before)
                q = Q_SINGLE_CLOSE;
            else if (before && !after)
                q = Q_SINGLE_OPEN;
            else if (sq)
                q = Q_SINGLE_CLOSE;
            else if (k > tb && ends_with_s(d, &d->tok[k - 1]) && !before) {
                t->kind = HS_TOK_WORD; /* plural possessive */
                if (dq)
                    t->flags |= HS_TF_IN_QUOTE;
                continue;
            } else {
                q = Q_NONE;
            }
        }
        switch (q) {
        case Q_DOUBLE_OPEN:
            if (dq || sq)
                t->flags |= HS_TF_IN_QUOTE;
            t->flags |= HS_TF_OPEN;
            dq = 1;
            break;
        case Q_DOUBLE_CLOSE:
            t->flags |= HS_TF_CLOSE;
            dq = 0;
            sq = 0;
            break;
        case Q_SINGLE_OPEN:
            if (dq)
                t->flags |= HS_TF_IN_QUOTE;
            t->flags |= HS_TF_OPEN;
            sq = 1;
            break;
        case Q_SINGLE_CLOSE:
            t->flags |= HS_TF_CLOSE;
            if (dq)
                t->flags |= HS_TF_IN_QUOTE;
            sq = 0;
            break;
        default:
            if (dq || sq)
                t->flags |= HS_TF_IN_QUOTE;
            break;
        }
    }
    return dq;
}

/* Capitalised words that commonly start a sentence after an abbreviation
 * that can also end one (U.S. Inc. a.m.): "... in the U.S. The ..." */
static const char *const starters[] = {
    "The", "He", "She", "It", "They", "We", "I", "But", "And", "In", "On", "A", "An", "This",
    "That", "There", "His", "Her", "Their", "Our", "Its", "As", "At", "For", "If", "When",
    "While", "After", "Before", "Some", "Many", "Most", "Other", "Others", "Still", "Yet",
    "So", "Now", "Then", "Meanwhile", "However", "Although", "Since", "Officials", "Asked",
    "What", "Why", "How", "Who", "Where", "Those", "These", "Both", "One", "Another",
};

static int is_starter(const hs_doc *d, const hs_token *t)
{
    size_t n = t->end - t->start;
    for (size_t i = 0; i < sizeof starters / sizeof *starters; i++)
        if (strlen(starters[i]) == n && memcmp(starters[i], d->text + t->start, n) == 0)
            return 1;
    return 0;
}

static int is_closer(const hs_doc *d, const hs_token *t)
{
    return (t->kind == HS_TOK_QUOTE && (t->flags & HS_TF_CLOSE)) || tok_is(d, t, ")") ||
           tok_is(d, t, "]");
}

static int starts_sentence(const hs_doc *d, const hs_token *t)
{
    if (t->flags & HS_TF_CAP)
        return 1;
    if (t->kind == HS_TOK_NUMBER || t->kind == HS_TOK_HANDLE || t->kind == HS_TOK_HASHTAG ||
        t->kind == HS_TOK_DASH || t->kind == HS_TOK_SYMBOL)
        return 1;
    if (t->kind == HS_TOK_QUOTE && (t->flags & HS_TF_OPEN))
        return 1;
    return tok_is(d, t, "(") || tok_is(d, t, "[");
}

/* Does a sentence end after token k (with its closers up to j)? */
static int ends_sentence(const hs_doc *d, size_t k, size_t j)
{
    const hs_token *t = &d->tok[k], *nx = &d->tok[j];
    if (t->kind == HS_TOK_ELLIPSIS)
        return 0; /* trailing off or an elision inside a quote, rarely an end */
    if (t->kind == HS_TOK_WORD && (t->flags & HS_TF_ABBREV)) {
        size_t n = t->end - t->start;
        if (tok_is_title_abbrev(d->text + t->start, n))
            return 0;
        /* initials (John F. Kennedy), Plan B., Inc., U.S.: an end only when a
         * typical sentence opener follows */
        return (nx->flags & HS_TF_SPACE_BEFORE) &&
               (is_starter(d, nx) || (nx->kind == HS_TOK_QUOTE && (nx->flags & HS_TF_OPEN)));
    }
    if (t->kind != HS_TOK_PUNCT)
        return 0;
    char c = d->text[t->start];
    if (c != '.' && c != '!' && c != '?')
        return 0;
    return starts_sentence(d, nx);
}

static int push_sentence(hs_doc *d, size_t tb, size_t te)
{
    if (vec_reserve((void **)&d->sent, &d->capsent, d->nsent + 1, sizeof *d->sent))
        return HS_ENOMEM;
    hs_sentence *s = &d->sent[d->nsent++];
    s->start = d->tok[tb].start;
    s->end = d->tok[te - 1].end;
    s->tok_begin = (uint32_t)tb;
    s->tok_end = (uint32_t)te;
    d->tok[tb].flags |= HS_TF_SENT_START;
    return HS_OK;
}

static int split_sentences(hs_doc *d, size_t tb, size_t te)
{
    size_t start = tb, run_end = 0;
    for (size_t k = tb; k < te; k++) {
        const hs_token *t = &d->tok[k];
        if (t->kind != HS_TOK_PUNCT && t->kind != HS_TOK_ELLIPSIS &&
            !(t->flags & HS_TF_ABBREV))
            continue;
        /* the closers glued after k; inside a run already measured (")))")
         * its end is known, so a long run costs one walk, not one per mark */
        size_t j = k + 1 < run_end ? run_end : k + 1;
        while (j < te && is_closer(d, &d->tok[j]) && !(d->tok[j].flags & HS_TF_SPACE_BEFORE))
            j++;
        run_end = j;
        if (j >= te)
            break;
        if (ends_sentence(d, k, j)) {
            if (push_sentence(d, start, j))
                return HS_ENOMEM;
            start = j;
            k = j - 1;
        }
    }
    if (start < te && push_sentence(d, start, te))
        return HS_ENOMEM;
    return HS_OK;
}

int seg_run(hs_doc *d)
{
    d->npara = d->nsent = 0;
    if (d->ntok == 0)
        return HS_OK;
    if (split_paragraphs(d))
        return HS_ENOMEM;
    int open_before = 0;
    for (size_t p = 0; p < d->npara; p++) {
        hs_paragraph *pa = &d->para[p];
        size_t tb = pa->sent_begin, te = pa->sent_end;
        int open = mark_quotes(d, tb, te);
        pa->reopens_quote = open_before && d->tok[tb].kind == HS_TOK_QUOTE &&
                            (d->tok[tb].flags & HS_TF_OPEN);
        pa->quote_open_at_end = (uint8_t)open;
        open_before = open;
        pa->sent_begin = (uint32_t)d->nsent;
        if (split_sentences(d, tb, te))
            return HS_ENOMEM;
        pa->sent_end = (uint32_t)d->nsent;
    }
    return HS_OK;
}
