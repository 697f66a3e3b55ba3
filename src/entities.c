/* entities - mention clustering, roles, nominal mentions and pronouns (see
 * entities.h). Works on token indices and CoreNLP-style forms; strings it
 * makes (names, roles, aliases) live in the document's arena. Lists of
 * titles, countries and demonyms come from the gazetteer we compiled. */
#include "entities.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gazetteer.h"
#include "ner.h"

/* Demonyms whose country is not their first letters ("Russian" finds
 * "Russia" by prefix; "French" needs this table). */
static const char *const demonym_table[][2] = {
    {"american", "the United States"}, {"u.s.", "the United States"},
    {"british", "Britain"}, {"english", "England"}, {"french", "France"},
    {"dutch", "the Netherlands"}, {"swiss", "Switzerland"}, {"chinese", "China"},
    {"japanese", "Japan"}, {"german", "Germany"}, {"greek", "Greece"},
    {"turkish", "Turkey"}, {"spanish", "Spain"}, {"polish", "Poland"},
    {"swedish", "Sweden"}, {"danish", "Denmark"}, {"finnish", "Finland"},
    {"irish", "Ireland"}, {"scottish", "Scotland"}, {"welsh", "Wales"},
    {"portuguese", "Portugal"}, {"saudi", "Saudi Arabia"}, {"emirati", "the United Arab Emirates"},
    {"filipino", "the Philippines"}, {"thai", "Thailand"}, {"vietnamese", "Vietnam"},
    {"lebanese", "Lebanon"}, {"israeli", "Israel"}, {"iraqi", "Iraq"}, {"iranian", "Iran"},
    {"afghan", "Afghanistan"}, {"pakistani", "Pakistan"}, {"yemeni", "Yemen"},
    {"argentine", "Argentina"}, {"argentinian", "Argentina"}, {"peruvian", "Peru"},
    {"norwegian", "Norway"}, {"czech", "the Czech Republic"}, {"slovak", "Slovakia"},
    {"belgian", "Belgium"}, {"hungarian", "Hungary"}, {"cuban", "Cuba"},
    {"mexican", "Mexico"}, {"canadian", "Canada"}, {"brazilian", "Brazil"},
    {"ukrainian", "Ukraine"}, {"russian", "Russia"}, {"syrian", "Syria"},
    {"indian", "India"}, {"italian", "Italy"}, {"egyptian", "Egypt"},
    {"korean", "Korea"}, {"australian", "Australia"}, {"nigerian", "Nigeria"},
    {"kenyan", "Kenya"}, {"palestinian", "Palestine"}, {"jordanian", "Jordan"},
    {"qatari", "Qatar"}, {"venezuelan", "Venezuela"}, {"colombian", "Colombia"},
    {"chilean", "Chile"}, {"european", "the European Union"}, {"austrian", "Austria"},
    {"indonesian", "Indonesia"}, {"malaysian", "Malaysia"}, {"kuwaiti", "Kuwait"},
};

const char *entities_country_of(const char *s, size_t n)
{
    char low[32];
    if (n == 0 || n >= sizeof low)
        return NULL;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    low[n] = 0;
    for (size_t i = 0; i < sizeof demonym_table / sizeof *demonym_table; i++)
        if (!strcmp(low, demonym_table[i][0]))
            return demonym_table[i][1];
    return NULL;
}

/* ---- helpers over tokens ----------------------------------------------- */

static const char *form(const hs_doc *d, size_t k) { return d->form[k]; }

static int form_ieq(const hs_doc *d, size_t k, const char *s)
{
    return strcasecmp(form(d, k), s) == 0;
}

/* Text of tokens [a, b) as written, white space folded, in the arena. */
static char *span_text(hs_doc *d, size_t a, size_t b)
{
    if (a >= b)
        return NULL;
    size_t s = d->tok[a].start, e = d->tok[b - 1].end;
    char *out = arena_alloc(&d->ar, e - s + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = s; i < e; i++) {
        char c = d->text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && o)
            out[o++] = ' ';
        space = 0;
        out[o++] = c;
    }
    out[o] = 0;
    return out;
}

/* a + sep + b in the arena; NULL when a or b is NULL (an earlier allocation failed) */
static char *str2(hs_doc *d, const char *a, const char *sep, const char *b)
{
    if (!a || !b)
        return NULL;
    size_t n = strlen(a) + strlen(sep) + strlen(b);
    char *o = arena_alloc(&d->ar, n + 1);
    if (o)
        snprintf(o, n + 1, "%s%s%s", a, sep, b);
    return o;
}

/* Forms of address: a name's courtesy, not its role. */
static int honorific(const hs_doc *d, size_t a, size_t b)
{
    static const char *const h[] = {"mr.", "mrs.", "ms.", "dr.", "miss", "mr", "mrs", "ms",
                                    "dr", "mx.", "sir", "dame", "madam", "mister"};
    if (b != a + 1)
        return 0;
    for (size_t i = 0; i < sizeof h / sizeof *h; i++)
        if (form_ieq(d, a, h[i]))
            return 1;
    return 0;
}

/* Is token k a common noun (by its POS tag)? */
static int common_noun(const hs_doc *d, size_t k)
{
    return d->has_pos && (!strcmp(d->posname[k], "NN") || !strcmp(d->posname[k], "NNS"));
}

/* One title phrase (gazetteer) ending right before end: its first token, or
 * end when none. Titles are capitalised ("Foreign Minister") or, right
 * before a name, lower-case nouns ("port director Lea Brandt"). */
static size_t one_title_before(const gaz *g, const hs_doc *d, size_t lo, size_t end, int next_to_name)
{
    for (size_t len = GAZ_MAXLEN; len >= 1; len--) {
        if (end < lo + len)
            continue;
        size_t a = end - len;
        if (!(d->tok[a].flags & HS_TF_CAP) && !(next_to_name && common_noun(d, end - 1)))
            continue;
        if (gaz_lookup(g, d->form + a, len) & (1u << GAZ_TITLE))
            return a;
    }
    return end;
}

/* The title run before a name: stacked titles ("Lt. Gen."), and up to two
 * capitalised words that qualify it ("Trade Representative", "State Sen."),
 * stopping at a country or demonym, which names where the title belongs.
 * Honorifics are dropped. Returns the run's first token (end: none). */
static int is_country_word(const gaz *g, const hs_doc *d, size_t a);

static size_t title_before(const gaz *g, const hs_doc *d, const uint8_t *in_name, size_t lo, size_t end)
{
    size_t a = end, t;
    while ((t = one_title_before(g, d, lo, a, a == end)) < a)
        a = t;
    if (a == end || (a + 1 == end && honorific(d, a, end)))
        return end;
    if (honorific(d, a, a + 1))
        a++;
    /* qualifiers: "Trade Representative", "port director", "State Sen." */
    int lower = !(d->tok[a].flags & HS_TF_CAP);
    for (int extra = 0; extra < 2 && a > lo; extra++) {
        size_t p = a - 1;
        int ok = lower ? common_noun(d, p) && !(d->tok[p].flags & HS_TF_CAP)
                       : (d->tok[p].flags & HS_TF_CAP) && !(d->tok[p].flags & HS_TF_SENT_START);
        if (!ok || d->tok[p].kind != HS_TOK_WORD || is_country_word(g, d, p) || in_name[p])
            break;
        a = p;
    }
    return a;
}

/* Title phrase starting at a (capitalised or not: "the foreign minister"):
 * returns its end, or a when none. */
static size_t title_at(const gaz *g, const hs_doc *d, size_t a, size_t hi)
{
    for (size_t len = GAZ_MAXLEN; len >= 1; len--)
        if (a + len <= hi && (gaz_lookup(g, d->form + a, len) & (1u << GAZ_TITLE)))
            return a + len;
    return a;
}

/* Country named by tokens [a, b): a country or demonym phrase. */
static const char *country_of_tokens(const gaz *g, hs_doc *d, size_t a, size_t b)
{
    uint32_t cat = gaz_lookup(g, d->form + a, b - a);
    if (b == a + 1) {
        const char *c = entities_country_of(form(d, a), strlen(form(d, a)));
        if (c)
            return c;
    }
    if (cat & (1u << GAZ_COUNTRY))
        return span_text(d, a, b);
    if (cat & (1u << GAZ_DEMONYM)) {
        /* Russian -> Russia: a listed country that the demonym starts with */
        const char *w = form(d, a);
        size_t n = strlen(w);
        for (size_t cut = n; cut >= 4 && cut + 3 >= n; cut--) {
            const char *f[1] = {w};
            char tmp[64];
            if (cut >= sizeof tmp)
                break;
            memcpy(tmp, w, cut);
            tmp[cut] = 0;
            f[0] = tmp;
            if (gaz_lookup(g, f, 1) & (1u << GAZ_COUNTRY))
                return arena_strndup(&d->ar, tmp, cut);
            if (cut + 1 < sizeof tmp) {
                tmp[cut] = 'a';
                tmp[cut + 1] = 0;
                if (gaz_lookup(g, f, 1) & (1u << GAZ_COUNTRY))
                    return arena_strndup(&d->ar, tmp, cut + 1);
            }
        }
    }
    return NULL;
}

/* Is token a a country or demonym (no allocation)? */
static int is_country_word(const gaz *g, const hs_doc *d, size_t a)
{
    if (entities_country_of(form(d, a), strlen(form(d, a))))
        return 1;
    return (gaz_lookup(g, d->form + a, 1) &
            ((1u << GAZ_COUNTRY) | (1u << GAZ_DEMONYM))) != 0;
}

/* ---- entity records ------------------------------------------------------ */

/* Working record of one entity while mentions are grouped. */
typedef struct erec {
    uint8_t type;
    size_t name_a, name_b; /* tokens of the fullest name */
    const char *role, *affil, *role_key;
    uint32_t nment;
} erec;

typedef struct mref {
    uint32_t tb, te;
    uint32_t ent;
} mref;

/* An index from name keys to entity numbers, so that grouping a mention
 * costs the same however many entities came before it: a hash table of
 * keys, each with the list of entities that hold the key now, highest
 * number first (the searches it serves take the most recent match). Keys
 * are 64-bit hashes; every hit is checked against the names themselves. */
typedef struct ixnode {
    uint32_t ent, next; /* next: node number + 1, 0 ends the list */
} ixnode;

typedef struct ixslot {
    uint64_t h;    /* 0: empty */
    uint32_t head; /* node number + 1 of the list, 0: empty list */
} ixslot;

typedef struct ixtab {
    ixslot *slot;
    size_t cap, used; /* cap a power of two (or 0), at most half used */
    ixnode *node;
    size_t nnode, capnode;
    uint32_t freed; /* unlinked nodes kept for reuse, chained by next */
} ixtab;

typedef struct work {
    erec *e;
    size_t ne, cape;
    mref *m;
    size_t nm, capm;
    ixtab ix;
} work;

/* Key kinds: a person's last name, a one-token person's name, the first
 * name of a longer one, first and last name together; the words of a
 * non-person's name, a proper prefix of them; a place's key; a role's key. */
enum { K_LAST = 1, K_ONE, K_FIRST, K_PAIR, K_FULL, K_PREFIX, K_PLACE, K_ROLE };

static uint64_t hmix(uint64_t h, unsigned char c) { return (h ^ c) * 0x100000001b3ull; }

/* Hash of a form as strcasecmp compares it (ASCII case folded). */
static uint64_t hform(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = hmix(h, (unsigned char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s));
    return hmix(h, 0x1f);
}

static uint64_t hstart(unsigned kind, unsigned cls)
{
    return hmix(hmix(0xcbf29ce484222325ull, (unsigned char)kind), (unsigned char)cls);
}

static uint64_t hdone(uint64_t h) { return h ? h : 1; }

static ixslot *ix_find(const ixtab *t, uint64_t h)
{
    if (!t->cap)
        return NULL;
    for (size_t i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (t->slot[i].h == h)
            return &t->slot[i];
        if (!t->slot[i].h)
            return NULL;
    }
}

static ixslot *ix_slot(ixtab *t, uint64_t h)
{
    ixslot *s = ix_find(t, h);
    if (s)
        return s;
    if ((t->used + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        ixslot *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i].h)
                continue;
            size_t j = (size_t)t->slot[i].h & (ncap - 1);
            while (ns[j].h)
                j = (j + 1) & (ncap - 1);
            ns[j] = t->slot[i];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = ncap;
    }
    size_t i = (size_t)h & (t->cap - 1);
    while (t->slot[i].h)
        i = (i + 1) & (t->cap - 1);
    t->slot[i].h = h;
    t->slot[i].head = 0;
    t->used++;
    return &t->slot[i];
}

/* Puts ent into the list of key h, which stays in decreasing order. */
static int ix_add(ixtab *t, uint64_t h, uint32_t ent)
{
    ixslot *s = ix_slot(t, h);
    if (!s)
        return HS_ENOMEM;
    uint32_t n;
    if (t->freed) {
        n = t->freed - 1;
        t->freed = t->node[n].next;
    } else {
        if (vec_reserve((void **)&t->node, &t->capnode, t->nnode + 1, sizeof *t->node))
            return HS_ENOMEM;
        n = (uint32_t)t->nnode++;
    }
    uint32_t *link = &s->head;
    while (*link && t->node[*link - 1].ent > ent)
        link = &t->node[*link - 1].next;
    t->node[n].ent = ent;
    t->node[n].next = *link;
    *link = n + 1;
    return HS_OK;
}

/* Takes ent out of the list of key h. */
static void ix_del(ixtab *t, uint64_t h, uint32_t ent)
{
    ixslot *s = ix_find(t, h);
    for (uint32_t *link = s ? &s->head : NULL; link && *link; link = &t->node[*link - 1].next)
        if (t->node[*link - 1].ent == ent) {
            uint32_t n = *link - 1;
            *link = t->node[n].next;
            t->node[n].next = t->freed;
            t->freed = n + 1;
            return;
        }
}

static void ix_free(ixtab *t)
{
    free(t->slot);
    free(t->node);
}

static int same_tokens(const hs_doc *d, size_t a, size_t b, size_t c, size_t e)
{
    if (b - a != e - c)
        return 0;
    for (size_t i = 0; i < b - a; i++)
        if (strcasecmp(form(d, a + i), form(d, c + i)))
            return 0;
    return 1;
}

/* Is [c, e) a token prefix of [a, b)? ("NBC" of "NBC News") */
static int prefix_of(const hs_doc *d, size_t c, size_t e, size_t a, size_t b)
{
    return e - c < b - a && same_tokens(d, a, a + (e - c), c, e);
}

/* A country's comparison key: "the United States", "U.S." and "United
 * States of America" all give "united states". */
static void place_key(const hs_doc *d, size_t a, size_t b, char *out, size_t cap)
{
    char raw[96];
    size_t o = 0;
    const char *c = b == a + 1 ? entities_country_of(form(d, a), strlen(form(d, a))) : NULL;
    if (c) {
        snprintf(raw, sizeof raw, "%s", c);
    } else {
        raw[0] = 0;
        for (size_t k = a; k < b; k++)
            o += (size_t)snprintf(raw + o, o < sizeof raw ? sizeof raw - o : 0, "%s%s",
                                  k > a ? " " : "", form(d, k));
    }
    for (char *p = raw; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p += 32;
    const char *r = !strncmp(raw, "the ", 4) ? raw + 4 : raw;
    snprintf(out, cap, "%s", r);
    size_t n = strlen(out);
    if (n > 11 && !strcmp(out + n - 11, " of america"))
        out[n - 11] = 0;
}

/* Person mentions: a surname or first name alone joins the most recent
 * person whose fullest name ends (or starts) with it; a full name joins a
 * person with the same last name and a compatible first name. */
static int person_match(const hs_doc *d, const erec *r, size_t a, size_t b)
{
    if (r->type != HS_ENT_PERSON)
        return 0;
    size_t ra = r->name_a, rb = r->name_b;
    if (!strcasecmp(form(d, rb - 1), form(d, b - 1)) &&
        (b - a == 1 || rb - ra == 1 || !strcasecmp(form(d, ra), form(d, a))))
        return 1;
    return b - a == 1 && rb - ra > 1 && !strcasecmp(form(d, ra), form(d, a));
}

static int orgish(uint8_t type) { return type == HS_ENT_ORG || type == HS_ENT_OUTLET; }

/* "The New York Times" and "New York Times" are one: a leading "the" is
 * not part of the name when names are compared. */
static size_t skip_the(const hs_doc *d, size_t a, size_t b)
{
    return b - a > 1 && form_ieq(d, a, "the") ? a + 1 : a;
}

static int outlet_head(const hs_doc *d, size_t k);
static int all_caps(const hs_doc *d, size_t a, size_t b);

/* Is the name [a, b), which the longer name ending before `end` starts
 * with, a place with its paper's word after it ("New York" of "New York
 * Times", "Alder Falls" of "Alder Falls Courier")? Words in capitals ("NBC"
 * of "NBC News") and one word ("Fox" of "Fox News") name the paper. */
static int paper_of_place(const hs_doc *d, size_t a, size_t b, size_t end)
{
    return b - a >= 2 && outlet_head(d, end - 1) && !all_caps(d, a, b);
}

/* Other mentions: the same words, of the same type (organisations and
 * outlets are one type here, and one may be the first words of the
 * other: "NBC" of "NBC News"); a is past any "the". */
static int other_match(const hs_doc *d, const erec *r, uint8_t type, size_t a, size_t b)
{
    if (r->type != type && !(orgish(type) && orgish(r->type)))
        return 0;
    size_t rb = r->name_b, ra = skip_the(d, r->name_a, rb);
    if (same_tokens(d, ra, rb, a, b))
        return 1;
    if (!orgish(type))
        return 0;
    if (prefix_of(d, a, b, ra, rb))
        return !paper_of_place(d, a, b, rb);
    return prefix_of(d, ra, rb, a, b) && !paper_of_place(d, ra, rb, b);
}

/* The key class of a type: organisations and outlets match each other. */
static unsigned type_class(uint8_t type) { return orgish(type) ? 200 : type; }

/* Hash of a string key of the kind (a place's key, a role's), bytes as they are. */
static uint64_t key_hash(unsigned kind, const char *key)
{
    uint64_t h = hstart(kind, 0);
    for (const char *p = key; *p; p++)
        h = hmix(h, (unsigned char)*p);
    return hdone(h);
}

/* Adds (add) or takes out every key entity e holds under its current name. */
static int index_entity(const hs_doc *d, work *w, uint32_t e, int add)
{
    const erec *r = &w->e[e];
    uint64_t keys[4];
    size_t nk = 0;
    int rc = HS_OK;
    if (r->type == HS_ENT_PERSON) {
        const char *first = form(d, r->name_a), *last = form(d, r->name_b - 1);
        keys[nk++] = hdone(hform(hstart(K_LAST, 0), last));
        if (r->name_b - r->name_a == 1) {
            keys[nk++] = hdone(hform(hstart(K_ONE, 0), last));
        } else {
            keys[nk++] = hdone(hform(hstart(K_FIRST, 0), first));
            keys[nk++] = hdone(hform(hform(hstart(K_PAIR, 0), first), last));
        }
    } else if (r->type == HS_ENT_LOC) {
        char k[96];
        place_key(d, r->name_a, r->name_b, k, sizeof k);
        keys[nk++] = key_hash(K_PLACE, k);
    }
    for (size_t i = 0; i < nk; i++) {
        if (add)
            rc |= ix_add(&w->ix, keys[i], e);
        else
            ix_del(&w->ix, keys[i], e);
    }
    if (r->type == HS_ENT_PERSON || r->type == HS_ENT_LOC)
        return rc ? HS_ENOMEM : HS_OK;
    /* the words of the name, and each proper prefix of them */
    size_t b = r->name_b, a = skip_the(d, r->name_a, b);
    unsigned cls = type_class(r->type);
    uint64_t full = hstart(K_FULL, cls), pre = hstart(K_PREFIX, cls);
    for (size_t k = a; k < b; k++) {
        full = hform(full, form(d, k));
        pre = hform(pre, form(d, k));
        if (k + 1 < b && orgish(r->type)) {
            if (add)
                rc |= ix_add(&w->ix, hdone(pre), e);
            else
                ix_del(&w->ix, hdone(pre), e);
        }
    }
    if (add)
        rc |= ix_add(&w->ix, hdone(full), e);
    else
        ix_del(&w->ix, hdone(full), e);
    return rc ? HS_ENOMEM : HS_OK;
}

/* The highest entity above best in the list of key h that matches the
 * mention [a, b) of type (person_match, other_match or, with pk, the
 * place key), else best. */
static long ix_best(const hs_doc *d, const work *w, uint64_t h, long best, uint8_t type, size_t a,
                    size_t b, const char *pk)
{
    const ixslot *s = ix_find(&w->ix, h);
    for (uint32_t n = s ? s->head : 0; n; n = w->ix.node[n - 1].next) {
        uint32_t e = w->ix.node[n - 1].ent;
        if ((long)e <= best)
            break;
        const erec *r = &w->e[e];
        int ok;
        if (pk) {
            char k2[96];
            ok = r->type == HS_ENT_LOC;
            if (ok) {
                place_key(d, r->name_a, r->name_b, k2, sizeof k2);
                ok = !strcmp(pk, k2);
            }
        } else {
            ok = type == HS_ENT_PERSON ? person_match(d, r, a, b) : other_match(d, r, type, a, b);
        }
        if (ok)
            return (long)e;
    }
    return best;
}

/* The most recent person the mention [a, b) names (see person_match), or -1. */
static long find_person(const hs_doc *d, const work *w, size_t a, size_t b)
{
    uint64_t h1, h2;
    if (b - a == 1) {
        h1 = hdone(hform(hstart(K_LAST, 0), form(d, a)));
        h2 = hdone(hform(hstart(K_FIRST, 0), form(d, a)));
    } else {
        h1 = hdone(hform(hstart(K_ONE, 0), form(d, b - 1)));
        h2 = hdone(hform(hform(hstart(K_PAIR, 0), form(d, a)), form(d, b - 1)));
    }
    long best = ix_best(d, w, h1, -1, HS_ENT_PERSON, a, b, NULL);
    return ix_best(d, w, h2, best, HS_ENT_PERSON, a, b, NULL);
}

/* The most recent entity of another type the mention names: a place with
 * the same key, else the same words (see other_match); -1 when none. */
static long find_other(const hs_doc *d, const work *w, uint8_t type, size_t a, size_t b)
{
    if (type == HS_ENT_LOC) {
        char k1[96];
        place_key(d, a, b, k1, sizeof k1);
        return ix_best(d, w, key_hash(K_PLACE, k1), -1, type, a, b, k1);
    }
    a = skip_the(d, a, b);
    unsigned cls = type_class(type);
    uint64_t full = hstart(K_FULL, cls), pre = hstart(K_PREFIX, cls);
    long best = -1;
    for (size_t k = a; k < b; k++) {
        full = hform(full, form(d, k));
        pre = hform(pre, form(d, k));
        if (k + 1 < b && orgish(type)) /* an entity whose name is the first words of this one */
            best = ix_best(d, w, hdone(full), best, type, a, b, NULL);
    }
    best = ix_best(d, w, hdone(full), best, type, a, b, NULL);
    if (orgish(type)) /* one whose name begins with this one */
        best = ix_best(d, w, hdone(pre), best, type, a, b, NULL);
    return best;
}

static int add_mention(work *w, size_t ent, size_t a, size_t b)
{
    if (vec_reserve((void **)&w->m, &w->capm, w->nm + 1, sizeof *w->m))
        return HS_ENOMEM;
    mref *m = &w->m[w->nm];
    m->tb = (uint32_t)a;
    m->te = (uint32_t)b;
    m->ent = (uint32_t)ent;
    w->e[ent].nment++;
    w->nm++;
    return HS_OK;
}

/* Role of the person named by tokens [a, b) from its left context:
 * "Russia's Foreign Minister", "Russian Foreign Minister", "President",
 * "Eurasia Group's" (affiliation). lo bounds the sentence. */
static void role_left(const gaz *g, hs_doc *d, const uint8_t *in_name, size_t lo, size_t a, const char **role,
                      const char **affil)
{
    size_t t = title_before(g, d, in_name, lo, a);
    if (t < a) {
        const char *title = span_text(d, t, a);
        const char *where = NULL;
        if (t >= lo + 2 && (form_ieq(d, t - 1, "'s") || form_ieq(d, t - 1, "'"))) {
            /* Country's Title / Org's Title: take the capitalised run before 's */
            size_t c = t - 1;
            while (c > lo && (d->tok[c - 1].flags & HS_TF_CAP) && c + 4 > t)
                c--;
            if (c < t - 1)
                where = country_of_tokens(g, d, c, t - 1);
            if (!where && c < t - 1)
                where = span_text(d, c, t - 1);
        } else if (t > lo && (d->tok[t - 1].flags & HS_TF_CAP)) {
            where = country_of_tokens(g, d, t - 1, t);
        }
        *role = where ? str2(d, title, " of ", where) : title;
        return;
    }
    /* Org's Name: "Eurasia Group's Ian Bremmer" */
    if (a >= lo + 2 && form_ieq(d, a - 1, "'s")) {
        size_t c = a - 1;
        while (c > lo && (d->tok[c - 1].flags & HS_TF_CAP) && c + 5 > a)
            c--;
        if (c < a - 1 && !country_of_tokens(g, d, c, a - 1))
            *affil = span_text(d, c, a - 1);
    }
}

/* Appositive: "Sergey Lavrov, Russia's Foreign Minister," or "Ian Bremmer,
 * president of Eurasia Group". */
static void role_right(const gaz *g, hs_doc *d, size_t b, size_t hi, const char **role)
{
    if (b + 2 >= hi || strcmp(form(d, b), ","))
        return;
    size_t k = b + 1;
    if (form_ieq(d, k, "the"))
        k++;
    const char *where = NULL;
    /* Country 's Title */
    size_t c = k;
    while (c < hi && c < k + 4 && (d->tok[c].flags & HS_TF_CAP) && !form_ieq(d, c, "'s"))
        c++;
    if (c > k && c < hi && form_ieq(d, c, "'s")) {
        where = country_of_tokens(g, d, k, c);
        if (!where)
            where = span_text(d, k, c);
        k = c + 1;
    } else if (k < hi && (d->tok[k].flags & HS_TF_CAP) && country_of_tokens(g, d, k, k + 1) &&
               title_at(g, d, k + 1, hi) > k + 1) {
        where = country_of_tokens(g, d, k, k + 1);
        k++;
    }
    size_t te = title_at(g, d, k, hi);
    if (te == k)
        return;
    /* "president of Eurasia Group" */
    if (!where && te + 1 < hi && form_ieq(d, te, "of") && (d->tok[te + 1].flags & HS_TF_CAP)) {
        size_t e = te + 1;
        while (e < hi && (d->tok[e].flags & HS_TF_CAP) && e < te + 5)
            e++;
        where = country_of_tokens(g, d, te + 1, e);
        if (!where)
            where = span_text(d, te + 1, e);
    }
    if (te < hi && strcmp(form(d, te), ",") && strcmp(form(d, te), ".") &&
        !form_ieq(d, te, "of") && !form_ieq(d, te, "said") && !form_ieq(d, te, "told"))
        return;
    const char *title = span_text(d, k, te);
    *role = where ? str2(d, title, " of ", where) : title;
}

/* Lower-cased role for matching "the Russian foreign minister" to it. */
static const char *role_key(hs_doc *d, const char *role)
{
    if (!role)
        return NULL;
    char *k = arena_strndup(&d->ar, role, strlen(role));
    for (char *p = k; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p += 32;
    return k;
}

/* Last words of newspaper and agency names: an organisation named "... Times"
 * or "... Courier" is a news outlet even when our list does not know it. */
static int outlet_head(const hs_doc *d, size_t k)
{
    static const char *const heads[] = {
        "times", "post", "news", "journal", "tribune", "herald", "gazette", "courier",
        "chronicle", "ledger", "wire", "press", "magazine", "telegraph", "guardian",
        "observer", "examiner", "inquirer", "globe", "dispatch", "bulletin", "sentinel",
        "newsweek",
    };
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        if (form_ieq(d, k, heads[i]))
            return 1;
    return 0;
}

/* Are tokens [a, b) written in capitals only (and have letters)? */
static int all_caps(const hs_doc *d, size_t a, size_t b)
{
    int letters = 0;
    for (size_t k = a; k < b; k++)
        for (const char *p = form(d, k); *p; p++) {
            if (*p >= 'a' && *p <= 'z')
                return 0;
            letters |= *p >= 'A' && *p <= 'Z';
        }
    return letters;
}

/* Is token a inside parentheses ("(Reuters)")? */
static int in_parens(const hs_doc *d, size_t a)
{
    return a > 0 && !strcmp(form(d, a - 1), "-LRB-");
}

/* Sentence bounds of token k. */
static void sentence_of(const hs_doc *d, size_t k, size_t *lo, size_t *hi)
{
    size_t a = 0, b = d->nsent;
    while (a + 1 < b) {
        size_t m = (a + b) / 2;
        if (d->sent[m].tok_begin <= k)
            a = m;
        else
            b = m;
    }
    *lo = d->sent[a].tok_begin;
    *hi = d->sent[a].tok_end;
}

/* Nominal mentions: "(the) Russian Foreign Minister", "Russia's foreign
 * minister" not followed by a name, naming a person's known role. */
/* The first entity whose role key is lk, or -1 (roles: the first holder
 * of each, in roles). */
static long role_holder(const work *w, const ixtab *roles, const char *lk)
{
    const ixslot *s = ix_find(roles, key_hash(K_ROLE, lk));
    long e = s && s->head ? (long)roles->node[s->head - 1].ent : -1;
    if (e >= 0 && !strcmp(w->e[e].role_key, lk))
        return e;
    for (size_t i = 0; e >= 0 && i < w->ne; i++) /* a hash collision */
        if (w->e[i].role_key && !strcmp(w->e[i].role_key, lk))
            return (long)i;
    return -1;
}

static int nominal_mentions(const gaz *g, hs_doc *d, work *w, const uint8_t *in_name)
{
    ixtab roles = {0};
    int rc = HS_OK;
    for (size_t i = 0; !rc && i < w->ne; i++)
        if (w->e[i].role_key) {
            const ixslot *s = ix_find(&roles, key_hash(K_ROLE, w->e[i].role_key));
            if (!s || !s->head)
                rc = ix_add(&roles, key_hash(K_ROLE, w->e[i].role_key), (uint32_t)i);
        }
    for (size_t k = 0; !rc && k < d->ntok; k++) {
        /* cheap filters first: a country or demonym is capitalised */
        if (!(d->tok[k].flags & HS_TF_CAP) || !is_country_word(g, d, k))
            continue;
        size_t lo, hi;
        sentence_of(d, k, &lo, &hi);
        size_t a = k, te;
        const char *where = NULL;
        if ((te = title_at(g, d, k + 1, hi)) > k + 1 && (where = country_of_tokens(g, d, k, k + 1))) {
            /* Demonym Title */
        } else if (k + 2 < hi && form_ieq(d, k + 1, "'s") &&
                   (te = title_at(g, d, k + 2, hi)) > k + 2) {
            where = country_of_tokens(g, d, k, k + 1);
        } else {
            continue;
        }
        if (!where || (te < hi && in_name[te]))
            continue; /* a title before a name is that name's role, handled above */
        size_t tstart = form_ieq(d, k + 1, "'s") ? k + 2 : k + 1;
        char *key = str2(d, span_text(d, tstart, te), " of ", where);
        const char *lk = role_key(d, key);
        long e = lk ? role_holder(w, &roles, lk) : -1;
        if (e >= 0)
            rc = add_mention(w, (size_t)e, a, te);
        k = te - 1;
    }
    ix_free(&roles);
    return rc;
}

/* Hash of a title phrase: its words case folded, one space between. */
static uint64_t title_hash(uint64_t h, const char *w, size_t n, int first)
{
    if (!first)
        h = hmix(h, ' ');
    for (size_t i = 0; i < n; i++)
        h = hmix(h, (unsigned char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]));
    return h;
}

/* Adds to t, for person e, the hashes of the last one, two and three words
 * of its role before any " of " ("Foreign Minister of Russia": "minister",
 * "foreign minister"; "Republican presidential nominee": "nominee" ...). */
static int index_role_titles(ixtab *t, const char *role, uint32_t e)
{
    const char *of = strstr(role, " of "), *end = of ? of : role + strlen(role);
    const char *b = end;
    int rc = HS_OK;
    for (int words = 1; words <= 3 && b > role; words++) {
        while (b > role && b[-1] == ' ')
            b--;
        while (b > role && b[-1] != ' ')
            b--;
        uint64_t h = hstart(K_ROLE, 1);
        int first = 1;
        for (const char *p = b; p < end; first = 0) {
            size_t n = strcspn(p, " ");
            if (p + n > end)
                n = (size_t)(end - p);
            h = title_hash(h, p, n, first);
            p += n;
            while (p < end && *p == ' ')
                p++;
        }
        rc |= ix_add(t, hdone(h), e);
    }
    return rc ? HS_ENOMEM : HS_OK;
}

/* A definite description ("the Republican nominee", "The Indiana governor")
 * is a mention of the one person whose role ends in its title (before any
 * "of"); it names nobody when no role or several roles in the text do. It
 * is "the", up to four modifiers (adjectives, proper nouns other than names,
 * "Republican") and a title not followed by a name (then the title is that
 * name's role). */
static int described_persons(const gaz *g, hs_doc *d, work *w, const uint8_t *in_name)
{
    ixtab titles = {0};
    int rc = HS_OK;
    for (size_t i = 0; !rc && i < w->ne; i++)
        if (w->e[i].type == HS_ENT_PERSON && w->e[i].role)
            rc = index_role_titles(&titles, w->e[i].role, (uint32_t)i);
    if (rc || !titles.used) {
        ix_free(&titles);
        return rc;
    }
    uint8_t *taken = calloc(d->ntok + 1, 1); /* tokens of the mentions so far */
    if (!taken)
        rc = HS_ENOMEM;
    for (size_t i = 0; !rc && i < w->nm; i++)
        memset(taken + w->m[i].tb, 1, w->m[i].te - w->m[i].tb);
    for (size_t k = 0; !rc && k + 2 < d->ntok; k++) {
        if (!form_ieq(d, k, "the"))
            continue;
        size_t lo, hi, t = k + 1, te = t;
        sentence_of(d, k, &lo, &hi);
        for (; t < hi && t <= k + 5 && (te = title_at(g, d, t, hi)) == t; t++) {
            const char *ps = d->posname[t];
            int misc = d->nertag && ner_tag_type(d->nertag[t]) == NER_MISC; /* "Republican" */
            if ((in_name[t] && !misc) || (strcmp(ps, "JJ") && strncmp(ps, "NNP", 3)))
                break;
        }
        /* followed by a name, the title is that name's role ("the foreign
         * minister, Rasa Vilkiene") */
        if (t >= hi || t > k + 5 || te <= t || (te < hi && in_name[te]) ||
            (te + 1 < hi && form_ieq(d, te, ",") && in_name[te + 1]))
            continue;
        /* a title already in a mention ("The Russian Foreign Minister") */
        int in = 0;
        for (size_t j = t; j < te && !in; j++)
            in = taken[j];
        if (in)
            continue;
        uint64_t h = hstart(K_ROLE, 1);
        for (size_t j = t; j < te; j++)
            h = title_hash(h, form(d, j), strlen(form(d, j)), j == t);
        const ixslot *sl = ix_find(&titles, hdone(h));
        /* one holder only: "the prime minister" of a text with two is either */
        long one = -1;
        for (uint32_t n = sl ? sl->head : 0; n; n = titles.node[n - 1].next) {
            uint32_t e = titles.node[n - 1].ent;
            if (one >= 0 && (uint32_t)one != e) {
                one = -2;
                break;
            }
            one = e;
        }
        size_t from = k + 1; /* after any name inside: mentions do not overlap */
        for (size_t j = k + 1; j < t; j++)
            if (in_name[j])
                from = j + 1;
        if (one >= 0)
            rc = add_mention(w, (size_t)one, from, te);
        k = te - 1;
    }
    ix_free(&titles);
    free(taken);
    return rc;
}

/* 1 for he, him, his, himself; 2 for she, her, hers, herself; else 0. */
static unsigned pronoun_gender(const hs_doc *d, size_t k)
{
    static const char *const p[] = {"he", "him", "his", "himself", "she", "her", "hers",
                                     "herself"};
    unsigned char c = (unsigned char)form(d, k)[0] | 0x20; /* every token passes here */
    if (c != 'h' && c != 's')
        return 0;
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        if (form_ieq(d, k, p[i]))
            return i < 4 ? 1 : 2;
    return 0;
}

/* One more vote, saturating. */
static void vote(uint16_t *v, int yes)
{
    if (yes && *v < UINT16_MAX)
        (*v)++;
}

/* Gender a word of a role says: 1 "spokesman", "husband"; 2 "spokeswoman",
 * "wife"; else 0 ("spokesperson", "German" and "ranking" say nothing). */
static unsigned role_word_gender(const char *w, size_t n)
{
    static const char *const he[] = {"husband", "father", "son", "brother", "actor", "king",
                                      "uncle", "grandfather", "boyfriend", "man", "men"};
    static const char *const she[] = {"wife", "mother", "daughter", "sister", "actress", "queen",
                                       "aunt", "grandmother", "girlfriend", "lady", "woman",
                                       "women"};
    static const char *const man[] = {"spokes", "chair", "congress", "business", "council",
                                       "assembly", "alder", "anchor", "states", "news", "camera",
                                       "police", "fire", "sports", "gentle", "middle", "front"};
    for (size_t j = 0; j < sizeof he / sizeof *he; j++)
        if (strlen(he[j]) == n && !strncasecmp(w, he[j], n))
            return 1;
    for (size_t j = 0; j < sizeof she / sizeof *she; j++)
        if (strlen(she[j]) == n && !strncasecmp(w, she[j], n))
            return 2;
    /* compounds: spokes|man, chair|woman */
    static const char *const tail[] = {"man", "men", "woman", "women"};
    for (size_t j = 0; j < sizeof man / sizeof *man; j++) {
        size_t l = strlen(man[j]);
        for (size_t t = 0; t < 4 && n > l && !strncasecmp(w, man[j], l); t++)
            if (n - l == strlen(tail[t]) && !strncasecmp(w + l, tail[t], n - l))
                return t < 2 ? 1 : 2;
    }
    return 0;
}

/* Evidence of each person's gender in the text, as votes (g[2 * e] he,
 * g[2 * e + 1] she): a courtesy title before a mention ("Mr. Obama", "Ms.
 * Lynch"), a gendered word in the role ("spokeswoman"), and each pronoun
 * whose sentence names only that person before it ("Clinton said her
 * plan"). Mentions are in text order; next_person as in group(). */
static void person_genders(const hs_doc *d, const work *w, const uint32_t *next_person,
                           uint16_t *g)
{
    static const char *const mr[] = {"mr.", "mr"}, *const ms[] = {"mrs.", "mrs", "ms.", "ms",
                                                                   "miss"};
    for (size_t i = 0; i < w->nm; i++) {
        uint32_t e = w->m[i].ent, a = w->m[i].tb;
        if (w->e[e].type != HS_ENT_PERSON || !a)
            continue;
        for (size_t j = 0; j < sizeof mr / sizeof *mr; j++)
            vote(&g[2 * e], form_ieq(d, a - 1, mr[j]));
        for (size_t j = 0; j < sizeof ms / sizeof *ms; j++)
            vote(&g[2 * e + 1], form_ieq(d, a - 1, ms[j]));
    }
    for (size_t e = 0; e < w->ne; e++) {
        const char *r = w->e[e].role;
        if (w->e[e].type != HS_ENT_PERSON || !r)
            continue;
        for (const char *p = r; *p;) {
            size_t n = strcspn(p, " -");
            unsigned rg = role_word_gender(p, n);
            if (rg)
                vote(&g[2 * e + rg - 1], 1);
            p += n;
            p += *p != 0;
        }
    }
    /* one pass: the person the sentence has named so far (-1 none, -2 more
     * than one), kept up to date as the pronouns are met */
    size_t j = 0, cur = SIZE_MAX;
    long only = -1;
    for (size_t k = 0; k < d->ntok; k++) {
        unsigned pg = pronoun_gender(d, k);
        if (!pg || d->tok_ent[k])
            continue;
        size_t lo, hi;
        sentence_of(d, k, &lo, &hi);
        if (lo != cur) {
            cur = lo;
            only = -1;
            while (j < w->nm && w->m[j].tb < lo)
                j++;
        }
        for (j = next_person[j]; j < w->nm && w->m[j].tb < k; j = next_person[j + 1])
            only = only == -1 || only == (long)w->m[j].ent ? (long)w->m[j].ent : -2;
        if (only >= 0)
            vote(&g[2 * only + pg - 1], 1);
    }
}

/* Whether a person with votes v (he, she) can be the pronoun of gender pg:
 * unless the votes clearly say the other. */
static int gender_fits(const uint16_t *v, unsigned pg)
{
    unsigned same = v[pg - 1], other = v[2 - pg];
    return !(other > 2 * same);
}

/* "Trump" tagged as a place or organisation where a person named Trump
 * is in the text is that person: the first person of two or more words
 * whose last word it is takes its mentions. */
static int merge_names(const hs_doc *d, work *w)
{
    ixtab last = {0};
    uint32_t *to = malloc((w->ne + 1) * sizeof *to);
    int rc = to ? HS_OK : HS_ENOMEM;
    for (size_t j = 0; !rc && j < w->ne; j++) {
        const erec *p = &w->e[j];
        if (p->type != HS_ENT_PERSON || p->name_b - p->name_a < 2)
            continue;
        uint64_t h = hdone(hform(hstart(K_LAST, 1), form(d, p->name_b - 1)));
        const ixslot *s = ix_find(&last, h);
        if (!s || !s->head)
            rc = ix_add(&last, h, (uint32_t)j); /* the first such person only */
    }
    for (size_t i = 0; !rc && i < w->ne; i++) {
        erec *r = &w->e[i];
        to[i] = (uint32_t)i;
        if (r->type == HS_ENT_PERSON || r->name_b - r->name_a != 1 || !r->nment)
            continue;
        const ixslot *s = ix_find(&last, hdone(hform(hstart(K_LAST, 1), form(d, r->name_a))));
        long j = s && s->head ? (long)last.node[s->head - 1].ent : -1;
        const erec *p = j >= 0 ? &w->e[j] : NULL;
        if (p && strcasecmp(form(d, p->name_b - 1), form(d, r->name_a)))
            for (j = 0, p = NULL; !p && (size_t)j < w->ne; j++) /* a hash collision */
                if (w->e[j].type == HS_ENT_PERSON && w->e[j].name_b - w->e[j].name_a >= 2 &&
                    !strcasecmp(form(d, w->e[j].name_b - 1), form(d, r->name_a)))
                    p = &w->e[j--];
        if (!p)
            continue;
        to[i] = (uint32_t)j;
        w->e[j].nment += r->nment;
        r->nment = 0;
    }
    for (size_t k = 0; !rc && k < w->nm; k++)
        w->m[k].ent = to[w->m[k].ent];
    free(to);
    ix_free(&last);
    return rc;
}

/* A month or a day of the week: "planned for May" is no mention of a May. */
static int calendar_word(const hs_doc *d, size_t k)
{
    static const char *const w[] = {"january", "february", "march",   "april",    "may",
                                     "june",    "july",     "august",  "september", "october",
                                     "november", "december", "monday", "tuesday",  "wednesday",
                                     "thursday", "friday",   "saturday", "sunday"};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (form_ieq(d, k, w[i]))
            return 1;
    return 0;
}

/* A proper noun the model left untagged that names an entity of the text
 * ("Trump" after "Donald Trump", "Wells Fargo" named before) is a mention of
 * it: runs of up to three NNP tokens outside any name and outside the
 * headline (t0, t1 its bytes) find a person by last, first or both names,
 * else an organisation or outlet by all the words of its name. Runs that
 * name nothing stay untagged: the model's silence is not overruled. */
static int untagged_names(const hs_doc *d, work *w, uint8_t *in_name, uint32_t t0, uint32_t t1)
{
    for (size_t k = 0; k < d->ntok;) {
        size_t e = k;
        while (e < d->ntok && !in_name[e] && !strncmp(d->posname[e], "NNP", 3) &&
               (d->tok[e].flags & HS_TF_CAP) &&
               (e == k || d->tok[e].start <= d->tok[e - 1].end + 1))
            e++;
        if (e == k) {
            k++;
            continue;
        }
        int in_title = d->tok[k].start >= t0 && d->tok[e - 1].end <= t1;
        long ent = -1;
        if (e - k <= 3 && !in_title && !(e == k + 1 && calendar_word(d, k))) {
            ent = e - k <= 2 ? find_person(d, w, k, e) : -1;
            if (ent < 0) { /* all of its name: "City" is not "City Hall" */
                ent = find_other(d, w, HS_ENT_ORG, k, e);
                const erec *r = ent >= 0 ? &w->e[ent] : NULL;
                if (r && !same_tokens(d, skip_the(d, r->name_a, r->name_b), r->name_b, k, e))
                    ent = -1;
            }
        }
        if (ent >= 0) {
            if (add_mention(w, (size_t)ent, k, e))
                return HS_ENOMEM;
            memset(in_name + k, 1, e - k);
        }
        k = e;
    }
    return HS_OK;
}

static int cmp_mref(const void *x, const void *y)
{
    const mref *a = x, *b = y;
    return a->tb < b->tb ? -1 : a->tb > b->tb;
}

static int group(hs_doc *d, const gaz *g, const ent_mention *m, size_t n)
{
    uint32_t *map = NULL, *next_person = NULL;
    uint16_t *gender = NULL;
    hs_span *dl = NULL;
    size_t ndl = 0, capdl = 0;
    work w = {0};
    int rc = HS_ENOMEM;
    uint8_t *in_name = calloc(d->ntok + 1, 1);
    if (!in_name || vec_reserve((void **)&d->tok_ent, &d->captokent, d->ntok + 1,
                                sizeof *d->tok_ent))
        goto done;
    memset(d->tok_ent, 0, d->ntok * sizeof *d->tok_ent);
    for (size_t i = 0; i < n; i++)
        for (size_t k = m[i].tb; k < m[i].te && k < d->ntok; k++)
            in_name[k] = 1;
    /* the datelines' spans, looked at for every mention */
    for (size_t bi = 0; bi < d->nblk; bi++)
        if (d->blk[bi].kind == HS_BLOCK_DATELINE)
            for (uint32_t j = 0; j < d->blk[bi].nspans; j++) {
                if (vec_reserve((void **)&dl, &capdl, ndl + 1, sizeof *dl))
                    goto done;
                dl[ndl++] = d->blk[bi].spans[j];
            }
    /* the headline's title case fools the model: its mentions count only
     * when the body names the same entity or our lists know the name, so
     * they are grouped last (pass 1) */
    uint32_t t0 = d->has_title ? d->title.start : 1, t1 = d->has_title ? d->title.end : 0;
    for (size_t pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
        size_t a = m[i].tb, b = m[i].te, lo, hi;
        if (a >= b || b > d->ntok)
            continue;
        int in_title = d->tok[a].start >= t0 && d->tok[b - 1].end <= t1;
        if ((size_t)in_title != pass)
            continue;
        sentence_of(d, a, &lo, &hi);
        uint8_t type = m[i].type;
        /* "Russian" before "Foreign Minister" is part of a role, not an entity */
        if (type != HS_ENT_PERSON && b == a + 1 && country_of_tokens(g, d, a, b) &&
            title_at(g, d, b, hi) > b && !(gaz_lookup(g, d->form + a, 1) & (1u << GAZ_COUNTRY)))
            continue;
        /* the place that opens a dateline ("LISBON (Reuters) —") is a place */
        for (size_t j = 0; j < ndl; j++)
            if (d->tok[a].start >= dl[j].start && d->tok[b - 1].end <= dl[j].end &&
                !in_parens(d, a))
                type = HS_ENT_LOC;
        /* the lists we compiled know outlets and countries better than the model */
        uint32_t cat = gaz_lookup(g, d->form + a, b - a);
        if ((cat & (1u << GAZ_OUTLET)) && (b - a > 1 || type == HS_ENT_ORG || type == HS_ENT_OUTLET))
            type = HS_ENT_OUTLET;
        /* the Harbor Times, the Alder Falls Courier: no place ends in a paper's word,
           and no person named after "the" does ("Jim Courier" does not have it) */
        else if (b - a > 1 && outlet_head(d, b - 1) &&
                 (type != HS_ENT_PERSON || (a > 0 && form_ieq(d, a - 1, "the"))))
            type = HS_ENT_OUTLET;
        else if (type != HS_ENT_PERSON && (cat & (1u << GAZ_COUNTRY)))
            type = HS_ENT_LOC;
        /* a title inside the span ("President Trump") moves to the role */
        const char *role = NULL, *affil = NULL;
        if (type == HS_ENT_PERSON) {
            size_t t = title_at(g, d, a, b);
            if (t > a && t < b) {
                role_left(g, d, in_name, lo, t, &role, &affil);
                a = t;
            } else {
                role_left(g, d, in_name, lo, a, &role, &affil);
            }
            if (!role)
                role_right(g, d, b, hi, &role);
        }
        long e = type == HS_ENT_PERSON ? find_person(d, &w, a, b)
                                       : find_other(d, &w, type, a, b);
        if (e < 0 && in_title && !(cat & ((1u << GAZ_COUNTRY) | (1u << GAZ_OUTLET))))
            continue;
        if (e < 0) {
            if (vec_reserve((void **)&w.e, &w.cape, w.ne + 1, sizeof *w.e))
                goto done;
            erec *r = &w.e[w.ne];
            memset(r, 0, sizeof *r);
            r->type = type;
            r->name_a = a;
            r->name_b = b;
            e = (long)w.ne++;
            if (index_entity(d, &w, (uint32_t)e, 1))
                goto done;
        }
        erec *r = &w.e[e];
        /* the fullest name; "Lisbon" rather than a dateline's "LISBON" */
        if (type == r->type && (b - a > r->name_b - r->name_a ||
                                (b - a == r->name_b - r->name_a && all_caps(d, r->name_a, r->name_b) &&
                                 !all_caps(d, a, b)))) {
            index_entity(d, &w, (uint32_t)e, 0);
            r->name_a = a;
            r->name_b = b;
            if (index_entity(d, &w, (uint32_t)e, 1))
                goto done;
        }
        if (role && !r->role) {
            r->role = role;
            r->role_key = role_key(d, role);
        }
        if (affil && !r->affil)
            r->affil = affil;
        if (add_mention(&w, (size_t)e, a, b))
            goto done;
    }
    /* "Trump" tagged as a place or organisation where a person named Trump
     * is in the text is that person */
    if (merge_names(d, &w) || untagged_names(d, &w, in_name, t0, t1))
        goto done;
    if (nominal_mentions(g, d, &w, in_name) || described_persons(g, d, &w, in_name))
        goto done;
    /* entities keep their order; those whose mentions all moved vanish */
    uint32_t pub = 0;
    map = malloc((w.ne + 1) * sizeof *map);
    if (!map)
        goto done;
    for (size_t i = 0; i < w.ne; i++)
        map[i] = w.e[i].nment ? pub++ : UINT32_MAX;
    /* mentions in text order; every token of one points to its entity */
    if (w.nm)
        qsort(w.m, w.nm, sizeof *w.m, cmp_mref);
    /* next_person[i]: the first person among mentions i, i + 1, ... (nm: none) */
    if (!(next_person = malloc((w.nm + 1) * sizeof *next_person)))
        goto done;
    next_person[w.nm] = (uint32_t)w.nm;
    for (size_t i = w.nm; i-- > 0;)
        next_person[i] = w.e[w.m[i].ent].type == HS_ENT_PERSON ? (uint32_t)i : next_person[i + 1];
    for (size_t i = 0; i < w.nm; i++)
        for (uint32_t k = w.m[i].tb; k < w.m[i].te; k++)
            d->tok_ent[k] = map[w.m[i].ent] + 1;
    /* pronouns: the first person named earlier in the same sentence, else
     * the first person of the nearest earlier sentence that names one (up
     * to 3 back) - the subject is usually named first - whose gender, as
     * far as the text tells it, agrees */
    if (!(gender = calloc(2 * w.ne + 2, sizeof *gender)))
        goto done;
    person_genders(d, &w, next_person, gender);
    for (size_t k = 0; k < d->ntok; k++) {
        unsigned pg = d->tok_ent[k] ? 0 : pronoun_gender(d, k);
        if (!pg)
            continue;
        size_t lo, hi;
        sentence_of(d, k, &lo, &hi);
        long pick = -1;
        for (size_t back = 0; back <= 3 && pick < 0; back++) {
            /* mentions are in text order: start at the first one in the sentence */
            size_t a = 0, b = w.nm;
            while (a < b) {
                size_t mid = (a + b) / 2;
                if (w.m[mid].tb < lo)
                    a = mid + 1;
                else
                    b = mid;
            }
            /* the first one the text says nothing against (preferring one
             * it shows to be of the pronoun's gender over the first person
             * measured worse: the subject usually comes first) */
            int tries = 0; /* bounded: a sentence may name one person a thousand times */
            for (size_t i = next_person[a];
                 pick < 0 && i < w.nm && w.m[i].tb < (back ? hi : k) && tries < 8;
                 i = next_person[i + 1], tries++)
                if (gender_fits(gender + 2 * w.m[i].ent, pg))
                    pick = w.m[i].ent;
            if (lo == 0)
                break;
            sentence_of(d, lo - 1, &lo, &hi);
        }
        if (pick >= 0)
            d->tok_ent[k] = map[pick] + 1;
    }
    /* a relative pronoun right after a name and its comma is that name
     * ("Graham, who said", "the Tax Foundation, which estimated") */
    for (size_t k = 2; k < d->ntok; k++)
        if (!d->tok_ent[k] && d->tok_ent[k - 2] && form_ieq(d, k - 1, ",") &&
            (form_ieq(d, k, "who") || form_ieq(d, k, "which")) &&
            in_name[k - 2])
            d->tok_ent[k] = d->tok_ent[k - 2];
    /* publish: entities in order of first mention */
    d->nents = 0;
    if (vec_reserve((void **)&d->ents, &d->capents, w.ne + 1, sizeof *d->ents) ||
        vec_reserve((void **)&d->entspans, &d->capentspans, w.nm + 1, sizeof *d->entspans))
        goto done;
    size_t at = 0;
    for (size_t i = 0; i < w.ne; i++) {
        erec *r = &w.e[i];
        if (!r->nment)
            continue;
        hs_entity *o = &d->ents[d->nents++];
        memset(o, 0, sizeof *o);
        o->type = r->type;
        o->name = span_text(d, r->name_a, r->name_b);
        o->role = r->role;
        o->affiliation = r->affil;
        o->mentions = d->entspans + at; /* room for its mentions, filled below */
        const char **al = arena_alloc(&d->ar, (r->nment + 1) * sizeof *al);
        if (!o->name || !al)
            goto done;
        o->aliases = al;
        at += r->nment;
    }
    /* one pass over the mentions in text order fills every entity's list */
    for (size_t k = 0; k < w.nm; k++) {
        if (map[w.m[k].ent] == UINT32_MAX)
            continue;
        hs_entity *o = &d->ents[map[w.m[k].ent]];
        hs_span *sp = (hs_span *)&o->mentions[o->nmentions++];
        sp->start = d->tok[w.m[k].tb].start;
        sp->end = d->tok[w.m[k].te - 1].end;
        char *t = span_text(d, w.m[k].tb, w.m[k].te);
        const char **al = (const char **)o->aliases;
        int dup = !t || !strcmp(t, o->name);
        for (uint32_t j = 0; !dup && j < o->naliases; j++)
            dup = !strcmp(al[j], t);
        if (!dup)
            al[o->naliases++] = t;
    }
    d->nentspans = at;
    rc = HS_OK;
done:
    free(map);
    free(next_person);
    free(gender);
    free(dl);
    free(in_name);
    free(w.e);
    free(w.m);
    ix_free(&w.ix);
    return rc;
}

/* ---- the entities stage --------------------------------------------------- */

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

/* The end of a paper's name at k ("the Alder Falls Courier": two to four
 * capitalised proper nouns after "the", the last a paper's word, that no
 * person's name or other span crosses), or 0. The model misses or mistypes
 * papers it never saw; their names say what they are. */
static size_t paper_name(const hs_doc *d, size_t k, size_t end)
{
    if (!k || !form_ieq(d, k - 1, "the") || (d->nertag[k] && !ner_tag_is_begin(d->nertag[k])))
        return 0;
    size_t e = k;
    while (e < end && e < k + 4 && ner_tag_type(d->nertag[e]) != NER_PER &&
           (d->tok[e].flags & HS_TF_CAP) && !strncmp(d->posname[e], "NNP", 3))
        e++;
    while (e > k + 1 && !outlet_head(d, e - 1))
        e--;
    if (e - k < 2 || !outlet_head(d, e - 1) ||
        (e < end && d->nertag[e] && !ner_tag_is_begin(d->nertag[e])))
        return 0;
    return e;
}

/* NER spans of the whole document as entity mentions, in text order, and
 * the papers the model left untagged. */
static int collect_mentions(hs_doc *d, size_t *n)
{
    *n = 0;
    ent_mention *m = d->ments;
    for (size_t s = 0; s < d->nsent; s++) {
        const hs_sentence *se = &d->sent[s];
        for (size_t k = se->tok_begin; k < se->tok_end;) {
            uint8_t t = d->nertag[k], type;
            size_t e = paper_name(d, k, se->tok_end);
            if (e) {
                type = HS_ENT_OUTLET;
            } else if (t) {
                e = k + 1;
                while (e < se->tok_end && d->nertag[e] && !ner_tag_is_begin(d->nertag[e]) &&
                       ner_tag_type(d->nertag[e]) == ner_tag_type(t))
                    e++;
                type = entity_type(ner_tag_type(t));
            } else {
                k++;
                continue;
            }
            if (vec_reserve(&d->ments, &d->capments, *n + 1, sizeof *m))
                return HS_ENOMEM;
            m = d->ments;
            m[*n].tb = (uint32_t)k;
            m[*n].te = (uint32_t)e;
            m[*n].type = type;
            (*n)++;
            k = e;
        }
    }
    return HS_OK;
}

int entities_run(hs_doc *d, const gaz *g)
{
    d->nents = d->nentspans = 0;
    size_t n;
    int rc = collect_mentions(d, &n);
    return rc ? rc : g ? group(d, g, d->ments, n) : HS_OK;
}
