/* structure - labels each paragraph of an article: headline, caption, credit,
 * byline, dateline, body, blockquote, missing-embed, boilerplate. Rules look
 * at a paragraph's shape (length, first words, last token, quotation marks,
 * person of its pronouns) and at its neighbours; they name no site, outlet or
 * article. It does not read HTML markup: that arrives with the html module. */
#include "structure.h"

#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "utf8.h"

/* What the rules know about one paragraph. */
typedef struct pinfo {
    size_t tb, te;      /* token range */
    size_t words;       /* word and number tokens */
    int kind;           /* hs_block_kind, or -1 while undecided */
    uint32_t head_end;  /* dateline prefix end (0: none) */
    uint32_t tail_start; /* start of a trailing credit "(Photo by ...)" (0: none) */
} pinfo;

static const hs_token *tk(const hs_doc *d, size_t k) { return &d->tok[k]; }

static size_t tlen(const hs_token *t) { return t->end - t->start; }

static int tok_eq(const hs_doc *d, const hs_token *t, const char *s)
{
    size_t n = strlen(s);
    return tlen(t) == n && memcmp(d->text + t->start, s, n) == 0;
}

/* Case-insensitive ASCII comparison of a token with s. */
static int tok_ieq(const hs_doc *d, const hs_token *t, const char *s)
{
    int c0 = (unsigned char)d->text[t->start];
    if ((c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0) != (unsigned char)s[0])
        return 0;
    size_t n = strlen(s);
    if (tlen(t) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)d->text[t->start + i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c != s[i])
            return 0;
    }
    return 1;
}

static int tok_in(const hs_doc *d, const hs_token *t, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tok_ieq(d, t, list[i]))
            return 1;
    return 0;
}

#define IN(d, t, list) tok_in((d), (t), (list), sizeof(list) / sizeof((list)[0]))

/* Does the paragraph start (after brackets) with the words of pat? pat is
 * lower-case words separated by single spaces; punctuation tokens in pat
 * ("photo :") must match too. */
static int phrase_at(const hs_doc *d, const pinfo *p, size_t k, const char *pat);

static int starts_with(const hs_doc *d, const pinfo *p, const char *pat)
{
    size_t k = p->tb;
    while (k < p->te && (tok_eq(d, tk(d, k), "[") || tok_eq(d, tk(d, k), "(")))
        k++;
    return phrase_at(d, p, k, pat);
}

static int starts_with_any(const hs_doc *d, const pinfo *p, const char *const *pats, size_t n)
{
    size_t k = p->tb;
    while (k < p->te && (tok_eq(d, tk(d, k), "[") || tok_eq(d, tk(d, k), "(")))
        k++;
    if (k >= p->te)
        return 0;
    int c0 = (unsigned char)d->text[tk(d, k)->start];
    c0 = c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)pats[i][0] == c0 && starts_with(d, p, pats[i]))
            return 1;
    return 0;
}

#define STARTS_ANY(d, p, list) starts_with_any((d), (p), (list), sizeof(list) / sizeof((list)[0]))

static int has_quote_marks(const hs_doc *d, const pinfo *p)
{
    for (size_t k = p->tb; k < p->te; k++)
        if (tk(d, k)->flags & (HS_TF_OPEN | HS_TF_CLOSE))
            return 1;
    return 0;
}

static int contains_word(const hs_doc *d, const pinfo *p, const char *const *list, size_t n)
{
    for (size_t k = p->tb; k < p->te; k++)
        if (tok_in(d, tk(d, k), list, n))
            return 1;
    return 0;
}

static const hs_token *last_tok(const hs_doc *d, const pinfo *p) { return tk(d, p->te - 1); }

static int is_single_line(const hs_doc *d, const pinfo *p)
{
    for (size_t k = p->tb + 1; k < p->te; k++)
        if (tk(d, k)->flags & HS_TF_LINE_BEFORE)
            return 0;
    return 1;
}

static int ends_with_colon(const hs_doc *d, const pinfo *p);

/* ---- boilerplate ------------------------------------------------------- */

static const char *const boiler_starts[] = {
    "follow us", "follow me", "like us on", "sign up", "subscribe", "share this", "share on",
    "share :", "click here", "click to", "welcome to", "read more", "related :",
    "related stories", "related articles", "related coverage", "advertisement", "copyright",
    "©", "all rights reserved", "get our", "download our", "download the", "join our",
    "join us", "support our", "leave a comment", "comments", "tags :", "filed under",
    "recommended", "you may also like", "more from", "this article originally",
    "this story originally", "this post originally", "originally published", "email this",
    "print this", "tweet this", "continue reading", "we want to hear", "don't miss",
    "do n't miss", "join the conversation", "become a member", "become a patron",
    "sponsored", "trending now", "popular now", "most read", "most popular",
    "see also", "next article", "previous article", "back to top",
    "skip to", "cookie", "we use cookies", "privacy policy", "terms of",
};

static const char *const social[] = {
    "twitter", "facebook", "instagram", "youtube", "tiktok", "linkedin", "threads",
    "telegram", "reddit", "pinterest", "rss", "newsletter", "substack", "mastodon",
};

/* Prompts that give a short paragraph away as site furniture wherever they
 * stand in it ("Do you support X? Like the page:"). */
static const char *const boiler_phrases[] = {
    "like the page", "like our page", "like us on facebook", "enter your email",
    "sign up for our", "subscribe to our", "subscribe here", "follow us on",
    "download our app", "all rights reserved",
};

/* Does the token sequence from k spell the lower-case words of pat? */
static int phrase_at(const hs_doc *d, const pinfo *p, size_t k, const char *pat)
{
    while (*pat) {
        size_t n = 0;
        while (pat[n] && pat[n] != ' ')
            n++;
        if (k >= p->te)
            return 0;
        const hs_token *t = tk(d, k);
        if (tlen(t) != n)
            return 0;
        for (size_t i = 0; i < n; i++) {
            int c = (unsigned char)d->text[t->start + i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)pat[i])
                return 0;
        }
        k++;
        pat += n;
        while (*pat == ' ')
            pat++;
    }
    return 1;
}

static int contains_phrase(const hs_doc *d, const pinfo *p, const char *const *pats, size_t n)
{
    for (size_t k = p->tb; k < p->te; k++) {
        int c0 = (unsigned char)d->text[tk(d, k)->start];
        c0 = c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)pats[i][0] == c0 && phrase_at(d, p, k, pats[i]))
                return 1;
    }
    return 0;
}

static int is_boilerplate(const hs_doc *d, const pinfo *p)
{
    if (p->words > 40 || has_quote_marks(d, p))
        return 0;
    if (STARTS_ANY(d, p, boiler_starts))
        return 1;
    if (p->words <= 25 &&
        contains_phrase(d, p, boiler_phrases, sizeof boiler_phrases / sizeof *boiler_phrases))
        return 1;
    /* "Follow Pam Key on Twitter @handle", "Find us on Facebook" */
    if ((starts_with(d, p, "follow") || starts_with(d, p, "find us") ||
         starts_with(d, p, "connect with")) &&
        (contains_word(d, p, social, sizeof social / sizeof *social)))
        return 1;
    return 0;
}

/* ---- credits and captions ---------------------------------------------- */

static const char *const credit_starts[] = {
    "photo credit", "photo :", "photos :", "photo by", "photos by", "photograph :",
    "photograph by", "photographs by", "image :", "image credit", "image via",
    "image source", "images :", "featured image", "featured photo", "top image",
    "header image", "lead image", "credit :", "credits :", "picture :", "pictured :",
    "source image", "screenshot via", "screengrab", "screenshot :", "illustration :",
    "illustration by", "graphic :", "video credit", "ap photo", "getty images",
    "photo illustration", "file photo",
};

static const char *const credit_words[] = {
    "photo", "photos", "image", "images", "credit", "getty", "photograph", "shutterstock",
    "illustration", "screenshot", "afp", "reuters", "ap", "epa", "pool",
};

static int is_credit(const hs_doc *d, const pinfo *p)
{
    if (p->words > 25 || has_quote_marks(d, p))
        return 0;
    if (STARTS_ANY(d, p, credit_starts))
        return 1;
    /* a short line wholly in brackets that names a photo or agency */
    const hs_token *f = tk(d, p->tb), *l = last_tok(d, p);
    if (p->words <= 12 && ((tok_eq(d, f, "[") && tok_eq(d, l, "]")) ||
                           (tok_eq(d, f, "(") && tok_eq(d, l, ")"))))
        return contains_word(d, p, credit_words, sizeof credit_words / sizeof *credit_words);
    return 0;
}

/* A caption ending in a bracketed credit "(Photo by X/Getty Images)": returns
 * the byte offset where the credit starts, or 0. */
static uint32_t trailing_credit(const hs_doc *d, const pinfo *p)
{
    if (p->words > 80 || p->te - p->tb < 4 || !tok_eq(d, last_tok(d, p), ")"))
        return 0;
    size_t k = p->te - 1;
    while (k > p->tb && !tok_eq(d, tk(d, k), "("))
        k--;
    if (k <= p->tb + 1)
        return 0;
    pinfo in = {k, p->te, 0, -1, 0, 0};
    static const char *const heads[] = {"photo", "ap photo", "image", "credit", "getty images",
                                        "photograph", "reuters", "afp", "file photo"};
    if (!STARTS_ANY(d, &in, heads))
        return 0;
    return tk(d, k)->start;
}

/* Newlines between paragraph i and the one after it. */
static int gap_after(const hs_doc *d, size_t i)
{
    int nl = 0;
    for (uint32_t k = d->para[i].end; k < d->para[i + 1].start; k++)
        nl += d->text[k] == '\n';
    return nl;
}

/* Paragraph i sits right above a credit line: it is the photo's caption when
 * it is short and either touches the credit (no blank line between) or reads
 * like a caption, not a sentence of the story (no final punctuation). */
static int is_caption_of_credit(const hs_doc *d, const pinfo *ps, size_t i)
{
    const pinfo *p = &ps[i];
    if (p->kind != -1 || p->words > 40 || ends_with_colon(d, p))
        return 0;
    const hs_token *l = last_tok(d, p);
    int sentence_end = l->kind == HS_TOK_PUNCT && strchr(".!?", d->text[l->start]);
    return gap_after(d, i) < 2 || (!sentence_end && p->words <= 25);
}

/* ---- bylines and datelines --------------------------------------------- */

static const char *const months[36];
static const char *const weekdays[16];
static int contains_word(const hs_doc *d, const pinfo *p, const char *const *list, size_t n);

/* Words a byline may carry after the names: roles and dates. */
static const char *const byline_words[] = {
    "and", "of", "for", "the", "at", "in", "on", "staff", "writer", "writers", "reporter",
    "reporters", "correspondent", "correspondents", "editor", "editors", "contributor",
    "columnist", "senior", "chief", "political", "national", "bureau", "special", "to",
    "de", "van", "von", "del", "da", "updated", "published", "am", "pm", "a.m.", "p.m.",
};

static int is_byline(const hs_doc *d, const pinfo *p)
{
    if (p->words > 16 || !is_single_line(d, p))
        return 0;
    static const char *const heads[] = {"written by", "reporting by", "story by", "posted by",
                                        "words by", "reported by", "compiled by",
                                        "additional reporting by", "editing by",
                                        "contributed by"};
    if (STARTS_ANY(d, p, heads))
        return 1;
    if (!tok_ieq(d, tk(d, p->tb), "by") || p->te - p->tb < 3 || has_quote_marks(d, p))
        return 0;
    const hs_token *l = last_tok(d, p);
    if (tok_eq(d, l, "?") || tok_eq(d, l, "!"))
        return 0;
    /* the name: two or more capitalised words or initials ("By Tuesday, ..."
     * and "By March" are sentences, not bylines) */
    size_t k = p->tb + 1, names = 0;
    while (k < p->te && tk(d, k)->kind == HS_TOK_WORD && (tk(d, k)->flags & HS_TF_CAP) &&
           !IN(d, tk(d, k), months) && !IN(d, tk(d, k), weekdays)) {
        names++;
        k++;
    }
    if (names < 2)
        return 0;
    /* then only more names, roles, dates and punctuation */
    for (; k < p->te; k++) {
        const hs_token *t = tk(d, k);
        if (t->kind == HS_TOK_PUNCT || t->kind == HS_TOK_DASH || t->kind == HS_TOK_NUMBER ||
            t->kind == HS_TOK_SYMBOL || (t->flags & HS_TF_CAP) || IN(d, t, byline_words) ||
            t->kind == HS_TOK_HANDLE || t->kind == HS_TOK_EMAIL)
            continue;
        return 0;
    }
    return 1;
}

static const char *const months[36] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.",
    "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec",
};
static const char *const weekdays[16] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon.",
    "tue.", "tues.", "wed.", "thu.", "thurs.", "fri.", "sat.", "sun.",
};
static const char *const date_fillers[] = {
    "published", "updated", "posted", "last", "on", "at", "am", "pm", "a.m.", "p.m.", "et",
    "edt", "est", "ct", "cdt", "cst", "pt", "pdt", "pst", "gmt", "utc", "bst", "cet", "cest",
    "the", "of", "date", "|", "today", "yesterday", "modified", "time",
};

static int is_date_line(const hs_doc *d, const pinfo *p)
{
    if (p->te - p->tb > 18)
        return 0;
    int has_date = 0;
    for (size_t k = p->tb; k < p->te; k++) {
        const hs_token *t = tk(d, k);
        if (IN(d, t, months) || IN(d, t, weekdays)) {
            has_date = 1;
            continue;
        }
        if (t->kind == HS_TOK_NUMBER) {
            for (uint32_t i = t->start; i < t->end; i++)
                if (d->text[i] == '/' || d->text[i] == '-')
                    has_date = 1;
            continue;
        }
        if (t->kind == HS_TOK_PUNCT || t->kind == HS_TOK_DASH || IN(d, t, date_fillers))
            continue;
        return 0;
    }
    return has_date;
}

static const char *const agencies[] = {
    "ap", "afp", "reuters", "upi", "cnn", "bloomberg", "dpa", "xinhua", "tass", "efe", "ansa",
    "cnbc", "bbc", "npr", "ians", "pti", "kyodo", "yonhap", "aa", "anp", "sapa",
};

static int all_caps_word(const hs_doc *d, const hs_token *t)
{
    if (t->kind != HS_TOK_WORD || tlen(t) < 2)
        return 0;
    int letters = 0;
    for (uint32_t i = t->start; i < t->end; i++) {
        char c = d->text[i];
        if (c >= 'a' && c <= 'z')
            return 0;
        letters += c >= 'A' && c <= 'Z';
    }
    return letters >= 2;
}

/* "WASHINGTON (AP) —", "TRENTON, N.J. —", "Philadelphia (AFP) –": returns the
 * end of the dash, or 0. */
static uint32_t lead_dateline(const hs_doc *d, const pinfo *p)
{
    int caps_city = all_caps_word(d, tk(d, p->tb)), agency = 0, in_paren = 0;
    for (size_t k = p->tb; k < p->te && k < p->tb + 12; k++) {
        const hs_token *t = tk(d, k);
        if (t->kind == HS_TOK_DASH || (t->kind == HS_TOK_PUNCT && tok_eq(d, t, "-"))) {
            if (k == p->tb || k + 1 >= p->te || !(t->flags & HS_TF_SPACE_BEFORE) || in_paren)
                return 0;
            return (caps_city || agency) ? t->end : 0;
        }
        if (tok_eq(d, t, "(")) {
            in_paren = 1;
            continue;
        }
        if (tok_eq(d, t, ")")) {
            in_paren = 0;
            continue;
        }
        if (in_paren) {
            if (IN(d, t, agencies))
                agency = 1;
            else if (!(t->flags & HS_TF_CAP) && !tok_eq(d, t, "/"))
                return 0;
            continue;
        }
        if (tok_eq(d, t, ",") || tok_eq(d, t, "/"))
            continue;
        /* "LONDON, March 3 (Reuters) -", "PARIS, May 2, 2024 (AFP) —": the
         * month is a capitalised word, the day and year numbers */
        if (k > p->tb && t->kind == HS_TOK_NUMBER)
            continue;
        if (t->kind != HS_TOK_WORD || !(t->flags & HS_TF_CAP))
            return 0;
    }
    return 0;
}

/* ---- headline ---------------------------------------------------------- */

static int is_headline(const hs_doc *d, const pinfo *ps, size_t np)
{
    const pinfo *p = &ps[0];
    if (np < 2 || p->words == 0 || p->words > 30 || p->kind >= 0 || !is_single_line(d, p))
        return 0;
    if (d->tok[p->te - 1].end - d->tok[p->tb].start > 320)
        return 0;
    /* at most two sentences ("Issa: Clinton's 'Honesty Is In Question.'") */
    size_t ends = 0;
    for (size_t k = p->tb; k + 1 < p->te; k++)
        ends += (tk(d, k + 1)->flags & HS_TF_SENT_START) != 0;
    const hs_token *f = tk(d, p->tb);
    if (ends > 1 || !(f->flags & HS_TF_CAP || f->kind == HS_TOK_QUOTE ||
                      f->kind == HS_TOK_NUMBER || f->kind == HS_TOK_HASHTAG ||
                      f->kind == HS_TOK_HANDLE))
        return 0;
    /* "The council voted on Tuesday to approve the budget." is a lede: a
     * headline ending in a period is title case or names no day */
    if (tok_eq(d, last_tok(d, p), ".")) {
        size_t caps = 0, words = 0;
        for (size_t k = p->tb; k < p->te; k++) {
            const hs_token *t = tk(d, k);
            if (t->kind == HS_TOK_WORD && tlen(t) > 3) {
                words++;
                caps += (t->flags & HS_TF_CAP) != 0;
            }
        }
        int title_case = words && caps * 10 >= words * 6, dated = 0;
        for (size_t k = p->tb + 1; k < p->te; k++)
            dated |= IN(d, tk(d, k), weekdays) &&
                     (tok_ieq(d, tk(d, k - 1), "on") || tok_ieq(d, tk(d, k - 1), "last"));
        if (!title_case && dated)
            return 0;
    }
    return 1;
}

/* ---- block quotes and missing embeds ----------------------------------- */

static const char *const person12[] = {
    "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your",
    "yours", "yourself", "yourselves", "'m", "’m", "let's",
};

/* Speech in the first or second person outside quotation marks. */
static int speechlike(const hs_doc *d, const pinfo *p)
{
    for (size_t k = p->tb; k < p->te; k++) {
        const hs_token *t = tk(d, k);
        if (t->flags & HS_TF_IN_QUOTE)
            continue;
        if (tok_eq(d, t, "I") || IN(d, t, person12))
            return 1;
    }
    return 0;
}

static const char *const speech_intros[] = {
    "saying", "said", "says", "say", "wrote", "writes", "write", "writing", "added", "adding",
    "stated", "stating", "states", "explained", "explaining", "explains", "noted", "noting",
    "declared", "declaring", "read", "reads", "reading", "statement", "following", "follows",
    "continued", "continuing", "told", "tells", "asked", "asking", "quote", "quoted",
    "remarks", "reporting", "reported", "reports", "insisted", "argued", "arguing", "warned",
    "warning", "claimed", "announced", "responded", "replied", "commented", "joked", "joking",
    "testified", "wrote in", "concluded", "observed", "recalled", "remarked", "put it",
    "words", "excerpt", "message", "letter", "post", "email", "memo", "transcript",
};

static const char *const embed_words[] = {
    "tweet", "tweets", "tweeted", "twitter", "video", "videos", "watch", "below", "here",
    "instagram", "facebook", "posted", "clip", "footage", "youtube", "tiktok", "retweeted",
    "x",
};

/* The word just before the final colon and a window before it. */
static int intro_matches(const hs_doc *d, const pinfo *p, const char *const *list, size_t n,
                         size_t window)
{
    size_t lo = p->te - 1 > p->tb + window ? p->te - 1 - window : p->tb;
    for (size_t k = p->te - 1; k-- > lo;)
        if (tok_in(d, tk(d, k), list, n))
            return 1;
    return 0;
}

static int ends_with_colon(const hs_doc *d, const pinfo *p)
{
    return p->te - p->tb >= 2 && tok_eq(d, last_tok(d, p), ":");
}

static int starts_list_item(const hs_doc *d, const pinfo *p)
{
    const hs_token *f = tk(d, p->tb);
    return tok_eq(d, f, "-") || tok_eq(d, f, "*") || tok_eq(d, f, "•") ||
           (f->kind == HS_TOK_DASH && tlen(f) == 1) ||
           (f->kind == HS_TOK_NUMBER && p->te - p->tb > 1 &&
            (tok_eq(d, tk(d, p->tb + 1), ".") || tok_eq(d, tk(d, p->tb + 1), ")")));
}

static int starts_with_open_quote(const hs_doc *d, const pinfo *p)
{
    return tk(d, p->tb)->kind == HS_TOK_QUOTE && (tk(d, p->tb)->flags & HS_TF_OPEN);
}

/* A paragraph that ends by closing a quotation it never opened: the quote's
 * opening mark was lost, so the whole paragraph is quoted text. */
static int orphan_close_quote(const hs_doc *d, const pinfo *p)
{
    size_t k = p->te;
    while (k > p->tb && tk(d, k - 1)->kind == HS_TOK_PUNCT)
        k--;
    if (k == p->tb)
        return 0;
    const hs_token *c = tk(d, k - 1);
    if (c->kind != HS_TOK_QUOTE || !(c->flags & HS_TF_CLOSE) || (c->flags & HS_TF_IN_QUOTE))
        return 0;
    for (size_t j = p->tb; j < k - 1; j++)
        if (tk(d, j)->kind == HS_TOK_QUOTE && (tk(d, j)->flags & HS_TF_OPEN) &&
            !(tk(d, j)->flags & HS_TF_IN_QUOTE))
            return 0;
    return p->words >= 4;
}

/* Words that end a list's introduction ("Changes include:", "The poll
 * found that:"): what follows is the list, not a missing embed. */
static const char *const list_intros[] = {
    "include", "includes", "including", "included", "are", "were", "is", "was", "be",
    "that", "these", "those", "as", "following", "must", "should", "will", "list",
    "parts", "reasons", "steps", "points", "ways", "things", "options", "changes", "demands",
    "proposals", "questions", "ideas", "goals", "priorities", "findings", "measures",
    "highlights", "takeaways", "examples", "members", "items", "rules",
};

/* The paragraph is a list item or a label: "- item", "1. item", "Iowa: names",
 * or a fragment of a few words ("Ahmed Helal, 40."). */
static int looks_like_list_item(const hs_doc *d, const pinfo *p)
{
    if (starts_list_item(d, p) || p->words <= 6)
        return 1;
    for (size_t k = p->tb + 1; k < p->te && k <= p->tb + 4; k++)
        if (tok_eq(d, tk(d, k), ":"))
            return 1;
    return 0;
}

/* An embedded post whose text is present: markup, or a tweet's signature. */
static int present_embed(const hs_doc *d, const pinfo *p)
{
    if (tok_eq(d, tk(d, p->tb), "<"))
        return 1;
    for (size_t k = p->tb; k < p->te; k++) {
        const hs_token *t = tk(d, k);
        if (t->kind == HS_TOK_URL && t->end - t->start > 15 &&
            !memcmp(d->text + t->start, "pic.twitter.com", 15))
            return 1;
        /* "— Name (@handle) Date" */
        if (t->kind == HS_TOK_HANDLE && k > p->tb && tok_eq(d, tk(d, k - 1), "(") &&
            k + 1 < p->te && tok_eq(d, tk(d, k + 1), ")"))
            return 1;
    }
    return 0;
}

/* Marks the paragraphs after an introduction as a block quote, for as long as
 * they keep speaking in the first or second person without quote marks. */
static void mark_blockquote_run(const hs_doc *d, pinfo *ps, size_t np, size_t j)
{
    ps[j].kind = HS_BLOCK_BLOCKQUOTE;
    for (size_t k = j + 1; k < np && ps[k].kind == -1 && speechlike(d, &ps[k]) &&
                           !has_quote_marks(d, &ps[k]) && !ends_with_colon(d, &ps[k]);
         k++)
        ps[k].kind = HS_BLOCK_BLOCKQUOTE;
}

static void label_quotes_and_embeds(const hs_doc *d, pinfo *ps, size_t np)
{
    for (size_t i = 0; i < np; i++) {
        pinfo *p = &ps[i];
        if (p->kind == -1 && orphan_close_quote(d, p) &&
            !(i > 0 && d->para[i - 1].quote_open_at_end))
            p->kind = HS_BLOCK_BLOCKQUOTE;
    }
    for (size_t i = 0; i < np; i++) {
        pinfo *p = &ps[i];
        if (p->kind != -1 && p->kind != HS_BLOCK_BODY)
            continue;
        if (!ends_with_colon(d, p) || (last_tok(d, p)->flags & HS_TF_IN_QUOTE))
            continue;
        size_t j = i + 1;
        int from = starts_with(d, p, "from") && p->words <= 6; /* "From Bloomberg:" */
        if (p->words <= 3 && !from)
            continue; /* a label or time stamp: "CORRECTION:", "12:50 p.m.:" */
        if (j >= np || ps[j].kind == HS_BLOCK_BOILERPLATE) {
            p->kind = HS_BLOCK_MISSING_EMBED;
            continue;
        }
        pinfo *nx = &ps[j];
        if (nx->kind != -1 || starts_with_open_quote(d, nx))
            continue;
        if (present_embed(d, nx)) {
            if (!tok_eq(d, tk(d, nx->tb), "<"))
                nx->kind = HS_BLOCK_BLOCKQUOTE;
            continue;
        }
        int intro = intro_matches(d, p, speech_intros, sizeof speech_intros / sizeof *speech_intros, 4);
        /* two short paragraphs in a row after a colon that is no speech
         * introduction read as a list */
        int parallel = !intro && j + 1 < np && nx->words <= 15 && ps[j + 1].words <= 15 &&
                       !has_quote_marks(d, nx) && !has_quote_marks(d, &ps[j + 1]) &&
                       ps[j + 1].kind == -1;
        if (parallel || looks_like_list_item(d, nx) ||
            tok_in(d, tk(d, p->te - 2), list_intros, sizeof list_intros / sizeof *list_intros))
            continue;
        int speech = speechlike(d, nx) && !has_quote_marks(d, nx);
        int embed = intro_matches(d, p, embed_words, sizeof embed_words / sizeof *embed_words, 8);
        if (speech || from || (intro && !embed))
            mark_blockquote_run(d, ps, np, j);
        else
            p->kind = HS_BLOCK_MISSING_EMBED;
    }
}

/* ---- blocks ------------------------------------------------------------ */

static int add_span(hs_doc *d, int kind, uint32_t s, uint32_t e, int merge)
{
    while (e > s && (d->text[e - 1] == ' ' || d->text[e - 1] == '\t'))
        e--;
    if (vec_reserve((void **)&d->spans, &d->capspans, d->nspans + 1, sizeof *d->spans))
        return HS_ENOMEM;
    d->spans[d->nspans].start = s;
    d->spans[d->nspans].end = e;
    d->nspans++;
    if (merge && d->nblk && d->blk[d->nblk - 1].kind == kind) {
        d->blk[d->nblk - 1].nspans++;
        return HS_OK;
    }
    if (vec_reserve((void **)&d->blk, &d->capblk, d->nblk + 1, sizeof *d->blk))
        return HS_ENOMEM;
    hs_block *b = &d->blk[d->nblk++];
    memset(b, 0, sizeof *b);
    b->kind = (uint8_t)kind;
    b->nspans = 1;
    return HS_OK;
}

static int build_blocks(hs_doc *d, const pinfo *ps, size_t np)
{
    for (size_t i = 0; i < np; i++) {
        const pinfo *p = &ps[i];
        const hs_paragraph *pa = &d->para[i];
        int kind = p->kind < 0 ? HS_BLOCK_BODY : p->kind;
        int merge = kind == HS_BLOCK_BLOCKQUOTE || kind == HS_BLOCK_BOILERPLATE;
        int rc;
        if (p->head_end) {
            size_t k = p->tb;
            while (k < p->te && tk(d, k)->start < p->head_end)
                k++;
            rc = add_span(d, HS_BLOCK_DATELINE, pa->start, p->head_end, 0);
            if (!rc && k < p->te)
                rc = add_span(d, kind, tk(d, k)->start, pa->end, 0);
        } else if (p->tail_start) {
            rc = add_span(d, HS_BLOCK_CAPTION, pa->start, p->tail_start, 0);
            if (!rc)
                rc = add_span(d, HS_BLOCK_CREDIT, p->tail_start, pa->end, 0);
        } else {
            rc = add_span(d, kind, pa->start, pa->end, merge);
        }
        if (rc)
            return rc;
    }
    size_t at = 0;
    for (size_t b = 0; b < d->nblk; b++) {
        d->blk[b].spans = d->spans + at;
        at += d->blk[b].nspans;
    }
    return HS_OK;
}

/* A sentence that a block boundary cuts ("LISBON (Reuters) —" | "Ministers
 * met ...") becomes two, so that later layers see the body start a sentence.
 * Linear: the cut tokens are found in one sweep, then the arrays are rebuilt. */
static int split_at_blocks(hs_doc *d)
{
    size_t ncut = 0, s = 0;
    uint32_t *cut = NULL;
    size_t capcut = 0;
    for (size_t b = 1; b < d->nblk; b++) {
        uint32_t at = d->blk[b].spans[0].start;
        while (s < d->nsent && d->sent[s].end <= at)
            s++;
        if (s == d->nsent || d->sent[s].start >= at)
            continue;
        uint32_t k = d->sent[s].tok_begin;
        while (k < d->sent[s].tok_end && d->tok[k].start < at)
            k++;
        if (k == d->sent[s].tok_begin || k == d->sent[s].tok_end)
            continue;
        if (vec_reserve((void **)&cut, &capcut, ncut + 1, sizeof *cut)) {
            free(cut);
            return HS_ENOMEM;
        }
        cut[ncut++] = k;
    }
    if (!ncut)
        return HS_OK;
    size_t n = d->nsent + ncut;
    hs_sentence *ns = malloc(n * sizeof *ns);
    uint32_t *newidx = malloc((d->nsent + 1) * sizeof *newidx);
    if (!ns || !newidx) {
        free(cut), free(ns), free(newidx);
        return HS_ENOMEM;
    }
    size_t o = 0, c = 0;
    for (size_t i = 0; i < d->nsent; i++) {
        hs_sentence cur = d->sent[i];
        newidx[i] = (uint32_t)o;
        while (c < ncut && cut[c] > cur.tok_begin && cut[c] < cur.tok_end) {
            uint32_t k = cut[c++];
            ns[o] = cur;
            ns[o].tok_end = k;
            ns[o].end = d->tok[k - 1].end;
            o++;
            cur.tok_begin = k;
            cur.start = d->tok[k].start;
            d->tok[k].flags |= HS_TF_SENT_START;
        }
        ns[o++] = cur;
    }
    newidx[d->nsent] = (uint32_t)o;
    for (size_t p = 0; p < d->npara; p++) {
        d->para[p].sent_begin = newidx[d->para[p].sent_begin];
        d->para[p].sent_end = newidx[d->para[p].sent_end];
    }
    int rc = vec_reserve((void **)&d->sent, &d->capsent, o, sizeof *d->sent) ? HS_ENOMEM : HS_OK;
    if (!rc) {
        memcpy(d->sent, ns, o * sizeof *ns);
        d->nsent = o;
    }
    free(cut), free(ns), free(newidx);
    return rc;
}

int struct_run(hs_doc *d)
{
    d->nblk = d->nspans = 0;
    d->has_title = 0;
    size_t np = d->npara;
    if (np == 0)
        return HS_OK;
    /* pinfo lives in the document's arena: one allocation per document */
    pinfo *ps = arena_alloc(&d->ar, np * sizeof *ps);
    if (!ps)
        return HS_ENOMEM;
    for (size_t i = 0; i < np; i++) {
        const hs_paragraph *pa = &d->para[i];
        pinfo *p = &ps[i];
        memset(p, 0, sizeof *p);
        p->tb = d->sent[pa->sent_begin].tok_begin;
        p->te = d->sent[pa->sent_end - 1].tok_end;
        p->kind = -1;
        for (size_t k = p->tb; k < p->te; k++)
            p->words += tk(d, k)->kind == HS_TOK_WORD || tk(d, k)->kind == HS_TOK_NUMBER;
    }
    for (size_t i = 0; i < np; i++) {
        pinfo *p = &ps[i];
        if (is_credit(d, p))
            p->kind = HS_BLOCK_CREDIT;
        else if (is_boilerplate(d, p))
            p->kind = HS_BLOCK_BOILERPLATE;
        else if (is_byline(d, p))
            p->kind = HS_BLOCK_BYLINE;
        else if (is_date_line(d, p))
            p->kind = HS_BLOCK_DATELINE;
    }
    if (is_headline(d, ps, np)) {
        ps[0].kind = HS_BLOCK_HEADLINE;
        d->has_title = 1;
        d->title.start = d->para[0].start;
        d->title.end = d->para[0].end;
    }
    for (size_t i = 0; i < np; i++) {
        pinfo *p = &ps[i];
        if (p->kind == HS_BLOCK_CREDIT && i > 0 && is_caption_of_credit(d, ps, i - 1))
            ps[i - 1].kind = HS_BLOCK_CAPTION;
        if (p->kind == -1 && (p->tail_start = trailing_credit(d, p)) != 0 && p->words <= 60)
            p->kind = HS_BLOCK_CAPTION;
        else
            p->tail_start = 0;
        if (p->kind == -1)
            p->head_end = lead_dateline(d, p);
    }
    label_quotes_and_embeds(d, ps, np);
    int rc = build_blocks(d, ps, np);
    return rc ? rc : split_at_blocks(d);
}
