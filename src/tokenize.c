/* tokenize - splits validated UTF-8 news text into tokens with byte offsets,
 * Penn-Treebank style (clitics 's n't split off, abbreviations keep their
 * period), keeping URLs, e-mail addresses, @handles and #hashtags whole.
 * It does not decide quote direction or sentence ends: segment does, with
 * the context of the whole paragraph. */
#include "tokenize.h"

#include <string.h>

#include "doc.h"
#include "utf8.h"

/* ASCII character classes. */
enum { C_OTHER = 0, C_SPACE, C_NL, C_UPPER, C_LOWER, C_DIGIT, C_PUNCT, C_SYM, C_FORMAT };

static const unsigned char ascii_class[128] = {
    ['\t'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE, [' '] = C_SPACE,
    ['\n'] = C_NL,
    ['A'] = C_UPPER, ['B'] = C_UPPER, ['C'] = C_UPPER, ['D'] = C_UPPER, ['E'] = C_UPPER,
    ['F'] = C_UPPER, ['G'] = C_UPPER, ['H'] = C_UPPER, ['I'] = C_UPPER, ['J'] = C_UPPER,
    ['K'] = C_UPPER, ['L'] = C_UPPER, ['M'] = C_UPPER, ['N'] = C_UPPER, ['O'] = C_UPPER,
    ['P'] = C_UPPER, ['Q'] = C_UPPER, ['R'] = C_UPPER, ['S'] = C_UPPER, ['T'] = C_UPPER,
    ['U'] = C_UPPER, ['V'] = C_UPPER, ['W'] = C_UPPER, ['X'] = C_UPPER, ['Y'] = C_UPPER,
    ['Z'] = C_UPPER,
    ['a'] = C_LOWER, ['b'] = C_LOWER, ['c'] = C_LOWER, ['d'] = C_LOWER, ['e'] = C_LOWER,
    ['f'] = C_LOWER, ['g'] = C_LOWER, ['h'] = C_LOWER, ['i'] = C_LOWER, ['j'] = C_LOWER,
    ['k'] = C_LOWER, ['l'] = C_LOWER, ['m'] = C_LOWER, ['n'] = C_LOWER, ['o'] = C_LOWER,
    ['p'] = C_LOWER, ['q'] = C_LOWER, ['r'] = C_LOWER, ['s'] = C_LOWER, ['t'] = C_LOWER,
    ['u'] = C_LOWER, ['v'] = C_LOWER, ['w'] = C_LOWER, ['x'] = C_LOWER, ['y'] = C_LOWER,
    ['z'] = C_LOWER,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    ['!'] = C_PUNCT, ['"'] = C_PUNCT, ['\''] = C_PUNCT, ['('] = C_PUNCT, [')'] = C_PUNCT,
    [','] = C_PUNCT, ['-'] = C_PUNCT, ['.'] = C_PUNCT, ['/'] = C_PUNCT, [':'] = C_PUNCT,
    [';'] = C_PUNCT, ['?'] = C_PUNCT, ['['] = C_PUNCT, [']'] = C_PUNCT, ['{'] = C_PUNCT,
    ['}'] = C_PUNCT, ['_'] = C_PUNCT, ['`'] = C_PUNCT, ['\\'] = C_PUNCT,
    ['#'] = C_SYM, ['$'] = C_SYM, ['%'] = C_SYM, ['&'] = C_SYM, ['*'] = C_SYM, ['+'] = C_SYM,
    ['<'] = C_SYM, ['='] = C_SYM, ['>'] = C_SYM, ['@'] = C_SYM, ['^'] = C_SYM, ['|'] = C_SYM,
    ['~'] = C_SYM,
};

/* ASCII letters and digits (bytes >= 0x80 are 0: decoded separately) */
static const unsigned char alnum_tab[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
};

/* Characters after a word that may continue it into an address */
static const unsigned char addr_stop[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Abbreviations that keep their period, compared case-sensitively, sorted
 * in byte order (strcmp) for binary search; tests check the order. */
static const char *const abbrevs[] = {
    "Adm", "Ala", "Amb", "Apr", "Ariz", "Ark", "Assn", "Atty", "Aug", "Ave",
    "Blvd", "Brig", "Bros", "Calif", "Capt", "Cdr", "Cmdr", "Co", "Col", "Colo",
    "Cong", "Conn", "Corp", "Cos", "Cpl", "Cpt", "Dec", "Del", "Dept", "Det",
    "Dr", "Esq", "Feb", "Fig", "Fla", "Fr", "Fri", "Ft", "Ga", "Gen",
    "Gens", "Gov", "Govs", "Hon", "Hwy", "Ill", "Inc", "Ind", "Insp", "Jan",
    "Jr", "Jul", "Jun", "Kan", "Kans", "Ky", "La", "Legis", "Lt", "Ltd",
    "Maj", "Mar", "Mass", "Md", "Messrs", "Mich", "Minn", "Miss", "Mlle", "Mme",
    "Mo", "Mon", "Mont", "Mr", "Mrs", "Ms", "Msgr", "Mt", "Neb", "Nev",
    "No", "Nos", "Nov", "Oct", "Okla", "Op", "Ore", "Pa", "Penn", "Ph",
    "Pres", "Prof", "Pvt", "Rd", "Ref", "Rep", "Reps", "Rev", "Rt", "Sat",
    "Sec", "Secy", "Sen", "Sens", "Sep", "Sept", "Sgt", "Sr", "St", "Ste",
    "Sun", "Supt", "Tenn", "Tex", "Thu", "Thur", "Thurs", "Treas", "Tue", "Tues",
    "Univ", "Va", "Vol", "Vols", "Vt", "Wash", "Wed", "Wis", "Wisc", "Wyo",
    "al", "approx", "ca", "cf", "ed", "eds", "est", "etc", "pp", "v",
    "vs",
};

/* Titles: an abbreviation that never ends a sentence (Mr. Smith). */
static const char *const titles[] = {
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Sen", "Sens", "Rep", "Reps", "Gov", "Govs",
    "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Sgt", "Cpl", "Pvt", "Adm", "Cmdr", "Cdr",
    "Rev", "Hon", "Pres", "Supt", "Det", "Insp", "Amb", "Atty", "Fr", "Brig", "Rt", "Msgr",
    "vs", "v", "cf",
};

/* Top-level domains that make "name.tld" a web address without "www.". */
static const char *const tlds[] = {
    "com", "org", "net", "gov", "edu", "mil", "int", "io", "co", "us", "uk", "ru", "de", "fr",
    "it", "es", "eu", "ca", "au", "info", "news", "tv", "ly", "me", "biz", "cn", "jp", "in",
};

#define LIST(a) (a), (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == s[0] && strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return 1;
    return 0;
}

/* Binary search of a byte-sorted list for s[0..len). */
static int in_sorted(const char *const *list, size_t n, const char *s, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *m = list[mid];
        size_t ml = strlen(m);
        int c = memcmp(m, s, ml < len ? ml : len);
        if (c == 0)
            c = ml < len ? -1 : ml > len;
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int tok_abbrevs_sorted(void)
{
    for (size_t i = 1; i < sizeof abbrevs / sizeof *abbrevs; i++)
        if (strcmp(abbrevs[i - 1], abbrevs[i]) >= 0)
            return 0;
    return 1;
}

int tok_is_abbrev(const char *s, size_t len)
{
    if (len && s[len - 1] == '.')
        len--;
    return in_sorted(LIST(abbrevs), s, len);
}

/* Characters of an e-mail local part or a domain: alnum . _ % + - */
static inline int addr_char(unsigned c)
{
    return c < 0x80 && (ascii_class[c] == C_UPPER || ascii_class[c] == C_LOWER ||
                        ascii_class[c] == C_DIGIT || c == '.' || c == '_' || c == '%' ||
                        c == '+' || c == '-');
}

int tok_is_title_abbrev(const char *s, size_t len)
{
    if (len && s[len - 1] == '.')
        len--;
    return in_list(LIST(titles), s, len);
}

/* Scanner state: the text and its length. */
/* Scanner state: the text, its length, and how far a run of address
 * characters already found not to be an address reaches (so that a long
 * run such as a_a_a_... is scanned once, not once per word). */
typedef struct scan {
    const unsigned char *s;
    size_t n;
    size_t no_addr_until;
} scan;

static int cls_slow(const scan *sc, size_t i, int *len, int32_t *cpo);

/* Class of the code point at i and its byte length; ASCII inline. */
static inline int cls_at(const scan *sc, size_t i, int *len, int32_t *cpo)
{
    if (i < sc->n && sc->s[i] < 0x80) {
        *len = 1;
        if (cpo)
            *cpo = (int32_t)sc->s[i];
        return ascii_class[sc->s[i]];
    }
    return cls_slow(sc, i, len, cpo);
}

static int cls_slow(const scan *sc, size_t i, int *len, int32_t *cpo)
{
    if (i >= sc->n) {
        *len = 0;
        if (cpo)
            *cpo = -1;
        return C_SPACE;
    }
    int32_t cp = utf8_decode(sc->s + i, sc->n - i, len);
    if (cpo)
        *cpo = cp;
    switch (utf8_class(cp)) {
    case U8_UPPER:
        return C_UPPER;
    case U8_LETTER:
        return C_LOWER;
    case U8_DIGIT:
        return C_DIGIT;
    case U8_SPACE:
        return (cp == 0x2028 || cp == 0x2029) ? C_NL : C_SPACE;
    case U8_FORMAT:
        return C_FORMAT;
    case U8_PUNCT:
        return C_PUNCT;
    case U8_SYMBOL:
        return C_SYM;
    default:
        return C_OTHER;
    }
}

static int is_alnum_cls(int c) { return c == C_UPPER || c == C_LOWER || c == C_DIGIT; }
static int is_alpha_cls(int c) { return c == C_UPPER || c == C_LOWER; }

/* Class of the code point that ends just before byte i. */
static int cls_before(const scan *sc, size_t i)
{
    if (i == 0)
        return C_SPACE;
    size_t j = i - 1;
    while (j > 0 && (sc->s[j] & 0xC0) == 0x80)
        j--;
    int len;
    return cls_at(sc, j, &len, NULL);
}

/* Apostrophe at i: ' or U+2019; returns its length or 0. */
static inline int apostrophe_at(const scan *sc, size_t i)
{
    if (i >= sc->n)
        return 0;
    if (sc->s[i] == '\'')
        return 1;
    if (i + 2 < sc->n && sc->s[i] == 0xE2 && sc->s[i + 1] == 0x80 && sc->s[i + 2] == 0x99)
        return 3;
    return 0;
}

static int lower_ascii(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Letters from i while ASCII letters; returns the count. */
static size_t ascii_letters(const scan *sc, size_t i)
{
    size_t k = 0;
    while (i + k < sc->n && sc->s[i + k] < 0x80 &&
           (ascii_class[sc->s[i + k]] == C_UPPER || ascii_class[sc->s[i + k]] == C_LOWER))
        k++;
    return k;
}

static int ieq(const unsigned char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower_ascii(a[i]) != b[i])
            return 0;
    return 1;
}

/* Clitic after an apostrophe at i (apostrophe length al): returns the clitic
 * letter count when the word ends right after it ('s 're 've 'll 'd 'm). */
static size_t clitic_after(const scan *sc, size_t i, int al)
{
    size_t j = i + (size_t)al;
    size_t k = ascii_letters(sc, j);
    int len;
    int next = cls_at(sc, j + k, &len, NULL);
    if (is_alnum_cls(next))
        return 0;
    if (k == 1 && (ieq(sc->s + j, "s", 1) || ieq(sc->s + j, "d", 1) || ieq(sc->s + j, "m", 1)))
        return 1;
    if (k == 2 && (ieq(sc->s + j, "re", 2) || ieq(sc->s + j, "ve", 2) || ieq(sc->s + j, "ll", 2)))
        return 2;
    return 0;
}

/* End of a web address starting at i (after its scheme or www. was seen). */
static size_t url_end(const scan *sc, size_t i)
{
    size_t j = i;
    int depth = 0;
    while (j < sc->n) {
        int len;
        int32_t cp;
        int c = cls_at(sc, j, &len, &cp);
        if (c == C_SPACE || c == C_NL || cp == '"' || cp == '<' || cp == '>' ||
            (cp >= 0x80 && c != C_UPPER && c != C_LOWER && c != C_DIGIT))
            break;
        if (cp == '(' || cp == '[')
            depth++;
        if (cp == ')' || cp == ']') {
            if (depth == 0)
                break;
            depth--;
        }
        j += (size_t)len;
    }
    while (j > i && memchr(".,;:!?'*", sc->s[j - 1], 8))
        j--;
    return j;
}

/* Length of a domain "label(.label)*.tld" at i, or 0 when it is not one with a
 * known TLD. Used for bare addresses such as example.org/report. */
static size_t domain_len(const scan *sc, size_t i)
{
    size_t j = i, last_dot = 0;
    int labels = 0;
    for (;;) {
        size_t k = 0;
        while (j + k < sc->n && sc->s[j + k] < 0x80 &&
               (is_alnum_cls(ascii_class[sc->s[j + k]]) || sc->s[j + k] == '-'))
            k++;
        if (k == 0)
            return 0;
        j += k;
        labels++;
        if (j + 1 < sc->n && sc->s[j] == '.' && sc->s[j + 1] < 0x80 &&
            is_alnum_cls(ascii_class[sc->s[j + 1]])) {
            last_dot = j;
            j++;
            continue;
        }
        break;
    }
    if (labels < 2)
        return 0;
    size_t tl = j - last_dot - 1;
    char low[8];
    if (tl < 2 || tl > 6)
        return 0;
    for (size_t k = 0; k < tl; k++)
        low[k] = (char)lower_ascii(sc->s[last_dot + 1 + k]);
    /* A capitalised "Yahoo.Com" is rare; "U.S.Com" style typos are not addresses. */
    if (!in_list(LIST(tlds), low, tl) || sc->s[last_dot + 1] < 'a')
        return 0;
    return j - i;
}

/* Tries an e-mail address at i; returns its end or 0. */
static size_t email_end(const scan *sc, size_t i)
{
    size_t j = i;
    while (j < sc->n && addr_char(sc->s[j]))
        j++;
    if (j == i || j >= sc->n || sc->s[j] != '@')
        return 0;
    size_t d = domain_len(sc, j + 1);
    if (d == 0) {
        /* any dotted domain counts after an @ */
        size_t k = j + 1, dots = 0;
        while (k < sc->n && sc->s[k] < 0x80 &&
               (is_alnum_cls(ascii_class[sc->s[k]]) || sc->s[k] == '-' ||
                (sc->s[k] == '.' && k + 1 < sc->n && sc->s[k + 1] < 0x80 &&
                 is_alnum_cls(ascii_class[sc->s[k + 1]])))) {
            dots += sc->s[k] == '.';
            k++;
        }
        return dots ? k : 0;
    }
    return j + 1 + d;
}

/* End of a number at i (a digit): 1,250 3.7 10:30 9/11 1990s 5th. */
static size_t number_end(const scan *sc, size_t i)
{
    size_t j = i;
    int len;
    for (;;) {
        while (cls_at(sc, j, &len, NULL) == C_DIGIT)
            j += (size_t)len;
        if (j + 1 < sc->n && memchr(",.:/", sc->s[j], 4) &&
            cls_at(sc, j + 1, &len, NULL) == C_DIGIT) {
            j++;
            continue;
        }
        break;
    }
    /* ordinal and plural suffixes, units glued to the number (5th 1990s 10am
     * 3D), and hyphenated compounds (40-year-old, 16-19) */
    for (;;) {
        while (is_alnum_cls(cls_at(sc, j, &len, NULL)))
            j += (size_t)len;
        if (j + 1 < sc->n && sc->s[j] == '-' && is_alnum_cls(cls_at(sc, j + 1, &len, NULL))) {
            j++;
            continue;
        }
        return j;
    }
}

/* Code point predicates for the punctuation that matters to news text. */
static int is_dash_cp(int32_t cp)
{
    return cp == 0x2014 || cp == 0x2013 || cp == 0x2012 || cp == 0x2015 || cp == 0x2E3A ||
           cp == 0x2E3B || cp == 0x2212;
}
static int is_quote_cp(int32_t cp)
{
    return cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0x2018 ||
           cp == 0x2019 || cp == 0x201A || cp == 0x201B || cp == 0xAB || cp == 0xBB ||
           cp == 0x2039 || cp == 0x203A || cp == 0x300C || cp == 0x300D;
}

/* Scans a word at i (a letter or digit). Sets *flags (ABBREV) and returns
 * its end; clitics are left for the next call. */
static size_t word_end(const scan *sc, size_t i, unsigned *flags)
{
    size_t j = i, seg = 0;
    int internal_period = 0, len;
    for (;;) {
        while (j < sc->n && alnum_tab[sc->s[j]]) {
            j++;
            seg++;
        }
        int c = cls_at(sc, j, &len, NULL);
        if (is_alnum_cls(c)) {
            j += (size_t)len;
            seg++;
            continue;
        }
        if (j >= sc->n)
            break;
        unsigned ch = sc->s[j];
        int nl;
        int nc = cls_at(sc, j + 1, &nl, NULL);
        int32_t cp;
        cls_at(sc, j, &len, &cp);
        /* soft hyphen or zero-width joiner inside a word */
        if (c == C_FORMAT && is_alnum_cls(cls_at(sc, j + (size_t)len, &nl, NULL))) {
            j += (size_t)len;
            continue;
        }
        /* hyphen (ASCII or U+2010/U+2011) between word characters */
        if ((ch == '-' || cp == 0x2010 || cp == 0x2011) && is_alnum_cls(cls_at(sc, j + (size_t)len, &nl, NULL))) {
            j += (size_t)len;
            seg = 0;
            continue;
        }
        /* internal period of an abbreviation: U.S. a.m. e.g. Ph.D. */
        if (ch == '.' && seg >= 1 && seg <= 2 && is_alpha_cls(nc) && sc->s[j + 1] < 0x80) {
            size_t k = ascii_letters(sc, j + 1);
            if (k >= 1 && k <= 2 && j + 1 + k < sc->n && sc->s[j + 1 + k] == '.') {
                j++;
                seg = 0;
                internal_period = 1;
                continue;
            }
        }
        /* Reuters/Ipsos, and/or: a slash between letters joins */
        if (ch == '/' && seg >= 1 && is_alpha_cls(nc) && is_alpha_cls(cls_before(sc, j))) {
            j++;
            seg = 0;
            continue;
        }
        /* AT&T, S&P, Q&A */
        if (ch == '&' && seg <= 3 && nc == C_UPPER && j > i && cls_before(sc, j) == C_UPPER) {
            j++;
            continue;
        }
        /* apostrophe inside a word: split clitics, keep O'Brien whole */
        int al = apostrophe_at(sc, j);
        if (al && is_alpha_cls(cls_at(sc, j + (size_t)al, &nl, NULL))) {
            if (clitic_after(sc, j, al))
                break;
            /* n't: the n goes with the clitic (do|n't, ca|n't) */
            if (j - i >= 2 && lower_ascii(sc->s[j - 1]) == 'n' &&
                lower_ascii(sc->s[j + (size_t)al]) == 't' &&
                !is_alnum_cls(cls_at(sc, j + (size_t)al + 1, &nl, NULL))) {
                j--;
                break;
            }
            j += (size_t)al;
            seg = 0;
            continue;
        }
        break;
    }
    /* PTB splits cannot, gonna, wanna, gotta into two words */
    if (j - i == 6 && ieq(sc->s + i, "cannot", 6))
        return i + 3;
    if (j - i == 5 && (ieq(sc->s + i, "gonna", 5) || ieq(sc->s + i, "wanna", 5) ||
                       ieq(sc->s + i, "gotta", 5)))
        return i + 3;
    /* final period of an abbreviation */
    if (j < sc->n && sc->s[j] == '.' && !(j + 2 < sc->n && sc->s[j + 1] == '.' && sc->s[j + 2] == '.')) {
        size_t wl = j - i;
        int take = 0;
        if (internal_period)
            take = 1;
        else if (wl == 1 && cls_at(sc, i, &len, NULL) == C_UPPER)
            take = 1; /* initial: John F. Kendrick */
        else if (wl <= 6 && in_sorted(LIST(abbrevs), (const char *)sc->s + i, wl))
            take = 1;
        if (take) {
            *flags |= HS_TF_ABBREV;
            j++;
        }
    }
    return j;
}

static int push(hs_doc *d, size_t start, size_t end, int kind, unsigned flags)
{
    if (d->ntok == d->captok &&
        vec_reserve((void **)&d->tok, &d->captok, d->ntok + 1, sizeof *d->tok))
        return HS_ENOMEM;
    hs_token *t = &d->tok[d->ntok++];
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->kind = (uint8_t)kind;
    t->flags = (uint8_t)flags;
    t->reserved = 0;
    return HS_OK;
}

/* A web or e-mail address starting at i (class c), or 0. */
static size_t address_end(const scan *sc, size_t i, int c, int *kind)
{
    const unsigned char *s = sc->s;
    size_t n = sc->n;
    /* web addresses: only a run of address characters that reaches an @ or
     * holds a dot before a letter can be one, which is rare and cheap to see */
    size_t run = i;
    int dot_alpha = 0;
    if (c == C_LOWER || c == C_UPPER || c == C_DIGIT) {
        while (run < n && addr_char(s[run])) {
            if (s[run] == '.' && run + 1 < n && s[run + 1] < 0x80 &&
                is_alpha_cls(ascii_class[s[run + 1]]))
                dot_alpha = 1;
            run++;
        }
    }
    if ((c == C_LOWER || c == C_UPPER) && run < n && s[run] == ':' &&
        ((n - i > 7 && ieq(s + i, "http://", 7)) || (n - i > 8 && ieq(s + i, "https://", 8)))) {
        size_t e = url_end(sc, i);
        if (e > i + 8) {
            *kind = HS_TOK_URL;
            return e;
        }
    }
    if (run < n && s[run] == '@') {
        size_t e = email_end(sc, i);
        if (e) {
            *kind = HS_TOK_EMAIL;
            return e;
        }
    }
    if ((c == C_LOWER || c == C_UPPER) && dot_alpha) {
        if (n - i > 4 && ieq(s + i, "www.", 4)) {
            size_t e = url_end(sc, i);
            *kind = HS_TOK_URL;
            return e;
        }
        size_t dl = domain_len(sc, i);
        if (dl) {
            *kind = HS_TOK_URL;
            if (i + dl < n && s[i + dl] == '/')
                return url_end(sc, i + dl);
            return i + dl;
        }
    }
    return 0;
}

/* One token at i (not white space): returns its end and sets kind/flags. */
static size_t next_token(scan *sc, size_t i, int *kind, unsigned *flags)
{
    int len, nl;
    int32_t cp;
    int c = cls_at(sc, i, &len, &cp);
    const unsigned char *s = sc->s;
    size_t n = sc->n;

    if (c == C_UPPER || c == C_LOWER || c == C_DIGIT) {
        unsigned wf = 0;
        size_t e = c == C_DIGIT ? number_end(sc, i) : word_end(sc, i, &wf);
        /* a word that stops at one of @ : . _ % + - before a letter or digit
         * may be a web or e-mail address; the rare case pays for the check */
        if (e + 1 < n && addr_stop[s[e]] && i >= sc->no_addr_until &&
            (is_alnum_cls(cls_at(sc, e + 1, &nl, NULL)) || s[e + 1] == '/')) {
            size_t a = address_end(sc, i, c, kind);
            if (a)
                return a;
            size_t r = e;
            while (r < n && addr_char(s[r]))
                r++;
            sc->no_addr_until = r;
        }
        *kind = c == C_DIGIT ? HS_TOK_NUMBER : HS_TOK_WORD;
        *flags |= wf;
        return e;
    }
    int prev = cls_before(sc, i);
    /* '' is a double quotation mark in some wire copy */
    if (cp == '\'' && i + 1 < n && s[i + 1] == '\'') {
        *kind = HS_TOK_QUOTE;
        return i + 2;
    }
    /* apostrophes and single quotes */
    int al = apostrophe_at(sc, i);
    if (al || cp == 0x2018) {
        size_t after = i + (size_t)len;
        int na = cls_at(sc, after, &nl, NULL);
        if (na == C_DIGIT && !is_alnum_cls(prev)) { /* '90s */
            *kind = HS_TOK_NUMBER;
            return number_end(sc, after);
        }
        if (al && is_alnum_cls(prev) && clitic_after(sc, i, al)) { /* Trump|'s G7|'s */
            *kind = HS_TOK_WORD;
            return after + clitic_after(sc, i, al);
        }
        *kind = HS_TOK_QUOTE;
        return after;
    }
    if (cp == '"' || is_quote_cp(cp)) {
        *kind = HS_TOK_QUOTE;
        return i + (size_t)len;
    }
    if (cp == '`') {
        *kind = HS_TOK_QUOTE;
        return (i + 1 < n && s[i + 1] == '`') ? i + 2 : i + 1;
    }
    if (is_dash_cp(cp)) {
        *kind = HS_TOK_DASH;
        size_t e = i + (size_t)len;
        while (e < n && cls_at(sc, e, &nl, &cp) && is_dash_cp(cp))
            e += (size_t)nl;
        return e;
    }
    if (cp == '-') {
        size_t e = i + 1;
        while (e < n && s[e] == '-')
            e++;
        *kind = HS_TOK_DASH;
        if (e == i + 1 && is_alnum_cls(prev) && is_alnum_cls(cls_at(sc, e, &nl, NULL)))
            *kind = HS_TOK_PUNCT;
        return e;
    }
    if (cp == 0x2026) {
        *kind = HS_TOK_ELLIPSIS;
        return i + (size_t)len;
    }
    if (cp == '.') {
        /* ... and . . . */
        size_t e = i, dots = 0;
        while (e < n && (s[e] == '.' || (s[e] == ' ' && e + 1 < n && s[e + 1] == '.' && dots))) {
            dots += s[e] == '.';
            e++;
        }
        if (dots >= 3) {
            while (e > i && s[e - 1] == ' ')
                e--;
            *kind = HS_TOK_ELLIPSIS;
            return e;
        }
        *kind = HS_TOK_PUNCT;
        return i + 1;
    }
    if (cp == '@' || cp == '#') {
        size_t e = i + 1;
        int lc = cls_at(sc, e, &nl, NULL);
        if ((cp == '@' && (is_alnum_cls(lc) || (e < n && s[e] == '_'))) ||
            (cp == '#' && is_alpha_cls(lc))) {
            while (e < n && (is_alnum_cls(cls_at(sc, e, &nl, NULL)) || s[e] == '_'))
                e += (size_t)nl;
            *kind = cp == '@' ? HS_TOK_HANDLE : HS_TOK_HASHTAG;
            return e;
        }
        *kind = HS_TOK_SYMBOL;
        return e;
    }
    if (cp == '!' || cp == '?') {
        size_t e = i + 1;
        while (e < n && (s[e] == '!' || s[e] == '?'))
            e++;
        *kind = HS_TOK_PUNCT;
        return e;
    }
    if (cp == '_' || cp == '*' || cp == '=' || cp == '~' || cp == '+' || cp == '#') {
        size_t e = i + 1;
        while (e < n && s[e] == (unsigned char)cp)
            e++;
        *kind = cp == '_' ? HS_TOK_PUNCT : HS_TOK_SYMBOL;
        return e;
    }
    if (c == C_PUNCT) {
        *kind = HS_TOK_PUNCT;
        return i + (size_t)len;
    }
    *kind = HS_TOK_SYMBOL;
    return i + (size_t)len;
}

int tok_run(hs_doc *d)
{
    scan sc = {(const unsigned char *)d->text, d->len, 0};
    size_t i = 0, n = d->len;
    unsigned pending = HS_TF_LINE_BEFORE | HS_TF_SPACE_BEFORE;
    d->ntok = 0;
    /* rough guess to avoid early regrowth: one token per 5 bytes */
    if (vec_reserve((void **)&d->tok, &d->captok, n / 5 + 16, sizeof *d->tok))
        return HS_ENOMEM;
    while (i < n) {
        unsigned char ch = sc.s[i];
        if (ch < 0x80) {
            int c = ascii_class[ch];
            if (c == C_SPACE || (c == C_OTHER && ch != 0)) {
                pending |= HS_TF_SPACE_BEFORE;
                i++;
                continue;
            }
            if (c == C_NL) {
                pending |= HS_TF_SPACE_BEFORE | HS_TF_LINE_BEFORE;
                i++;
                continue;
            }
        } else {
            int len;
            int c = cls_at(&sc, i, &len, NULL);
            if (c == C_SPACE || c == C_NL || c == C_FORMAT) {
                pending |= HS_TF_SPACE_BEFORE | (c == C_NL ? HS_TF_LINE_BEFORE : 0);
                i += (size_t)len;
                continue;
            }
        }
        int kind = HS_TOK_SYMBOL;
        unsigned flags = pending;
        size_t e;
        /* n't: word_end leaves "n't" for us */
        if ((ch == 'n' || ch == 'N') && i > 0 && is_alpha_cls(cls_before(&sc, i)) &&
            apostrophe_at(&sc, i + 1) &&
            (sc.s[i + 1 + apostrophe_at(&sc, i + 1)] | 0x20) == 't' &&
            !(pending & HS_TF_SPACE_BEFORE)) {
            e = i + 1 + (size_t)apostrophe_at(&sc, i + 1) + 1;
            kind = HS_TOK_WORD;
        } else {
            e = next_token(&sc, i, &kind, &flags);
        }
        if (e <= i)
            e = i + 1;
        int len;
        if (cls_at(&sc, i, &len, NULL) == C_UPPER)
            flags |= HS_TF_CAP;
        if (push(d, i, e, kind, flags))
            return HS_ENOMEM;
        pending = 0;
        i = e;
    }
    return HS_OK;
}
