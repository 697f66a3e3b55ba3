/* Entities over the whole pipeline with the committed models (models/):
 * grouping of mentions, roles, affiliations, nominal mentions, pronouns;
 * on the seed article (skipped without ../shared) and on our examples. */
#include "entities.h"
#include "testutil.h"

static hs_engine *eng;
static hs_doc *doc;
static char *text;
static size_t len;

static void open_models(void)
{
    hs_engine_options o = {.model_dir = "models"};
    int rc = hs_engine_open(&eng, &o);
    cr_assert_eq(rc, HS_OK, "%s", hs_engine_errmsg(eng));
    cr_assert_eq(hs_doc_new(&doc, eng), HS_OK);
}

static void close_models(void)
{
    hs_doc_free(doc);
    hs_engine_close(eng);
    free(text);
    text = NULL;
}

TestSuite(entities, .init = open_models, .fini = close_models);

static void load(const char *path)
{
    text = t_slurp(path, &len);
    cr_assert_eq(hs_doc_analyze(doc, path, text, len, 0), HS_OK, "%s", hs_doc_errmsg(doc));
}

static const hs_entity *find(const char *name, long *index)
{
    size_t n;
    const hs_entity *e = hs_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(e[i].name, name)) {
            if (index)
                *index = (long)i;
            return &e[i];
        }
    cr_assert_fail("no entity named %s", name);
    return NULL;
}

static int has_alias(const hs_entity *e, const char *a)
{
    for (uint32_t i = 0; i < e->naliases; i++)
        if (!strcmp(e->aliases[i], a))
            return 1;
    return 0;
}

/* Token index of the first occurrence of word at or after byte from. */
static size_t token_at(const char *word, size_t from)
{
    size_t n;
    const hs_token *t = hs_doc_tokens(doc, &n);
    for (size_t i = 0; i < n; i++)
        if (t[i].start >= from && t[i].end - t[i].start == strlen(word) &&
            !memcmp(text + t[i].start, word, strlen(word)))
            return i;
    cr_assert_fail("no token %s", word);
    return 0;
}

Test(entities, seed_article)
{
    char path[1024];
    t_shared("data/seed/hillreporter-2017-07-trump-putin-lavrov.txt", path, sizeof path);
    load(path);
    const hs_entity *trump = find("Donald Trump", NULL);
    cr_assert_eq(trump->type, HS_ENT_PERSON);
    cr_assert_geq(trump->nmentions, 8, "Trump has %u mentions", trump->nmentions);
    cr_assert_eq(find("Vladimir Putin", NULL)->type, HS_ENT_PERSON);
    cr_assert_eq(find("Hillary Clinton", NULL)->type, HS_ENT_PERSON);
    const hs_entity *lavrov = find("Sergey Lavrov", NULL);
    cr_assert_eq(lavrov->type, HS_ENT_PERSON);
    cr_assert(lavrov->role && strstr(lavrov->role, "Foreign Minister"), "role %s", lavrov->role);
    cr_assert(has_alias(lavrov, "Russian Foreign Minister"), "the headline's title is Lavrov");
    cr_assert(has_alias(lavrov, "Lavrov"));
    const hs_entity *bremmer = find("Ian Bremmer", NULL);
    cr_assert_eq(bremmer->type, HS_ENT_PERSON);
    cr_assert_str_eq(bremmer->affiliation, "Eurasia Group");
    cr_assert_eq(find("NBC News", NULL)->type, HS_ENT_OUTLET);
    cr_assert_eq(find("Vanity Fair", NULL)->type, HS_ENT_OUTLET);
    cr_assert_eq(find("Eurasia Group", NULL)->type, HS_ENT_ORG);
    cr_assert_eq(find("Russia", NULL)->type, HS_ENT_LOC);
    size_t n;
    const hs_entity *e = hs_doc_entities(doc, &n);
    int us = 0;
    for (size_t i = 0; i < n; i++)
        us |= e[i].type == HS_ENT_LOC && strstr(e[i].name, "United States") != NULL;
    cr_assert(us, "the United States is a place");
    /* "He made light of the meeting" is Lavrov */
    long li;
    find("Sergey Lavrov", &li);
    size_t he = token_at("He", (size_t)(strstr(text, "He made light") - text));
    cr_assert_eq(hs_doc_token_entity(doc, he), li);
}

Test(entities, our_example_article)
{
    load("examples/trade-talks-summit.txt");
    const hs_entity *w = find("Carla Whitfield", NULL);
    cr_assert_str_eq(w->role, "Trade Representative of the United States");
    const hs_entity *c = find("Inês Carvalhal", NULL);
    cr_assert(has_alias(c, "Carvalhal"));
    cr_assert_eq(find("Reuters", NULL)->type, HS_ENT_OUTLET);
    /* title-case headline words do not become entities of their own */
    size_t n;
    const hs_entity *e = hs_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++)
        cr_assert_null(strstr(e[i].name, "Without Deal"), "%s", e[i].name);
}

Test(entities, pronouns_follow_the_last_person)
{
    load("examples/harbor-bridge-vote.txt");
    long ai;
    find("Rosa Almeida", &ai);
    const char *p = strstr(text, "Almeida told NBC News");
    cr_assert(p);
    size_t she = token_at("she", (size_t)(p - text));
    cr_assert_eq(hs_doc_token_entity(doc, she), ai);
}

/* A surname that is also a common word opens paragraphs where the model
 * leaves it untagged; it is still the person named before it. */
Test(entities, untagged_surname_is_the_person_named)
{
    static const char art[] =
        "Mayor Teodora Hunter said on Tuesday that the pier would stay closed until spring.\n\n"
        "Hunter tells residents at a town hall that repairs will cost more than expected.\n\n"
        "Hunter says the city cannot afford a second delay.\n\n"
        "The harbor commission, chaired by Ansel Brightwater, met on Monday.\n\n"
        "Hunter has faced questions about the contract.\n";
    text = strdup(art);
    len = sizeof art - 1;
    cr_assert_eq(hs_doc_analyze(doc, "hunter.txt", text, len, 0), HS_OK);
    long hi;
    const hs_entity *h = find("Teodora Hunter", &hi);
    cr_assert_eq(h->nmentions, 4, "mentions: %u", h->nmentions);
    for (const char *p = strstr(art, "\nHunter"); p; p = strstr(p + 1, "\nHunter"))
        cr_assert_eq(hs_doc_token_entity(doc, token_at("Hunter", (size_t)(p - art) + 1)), hi);
    /* a capitalised word that names nobody stays untagged */
    cr_assert_eq(hs_doc_token_entity(doc, token_at("Monday", 0)), -1);
}

/* A pronoun skips a person the text shows to be of the other gender
 * ("his rival" makes Dorner a he); a relative pronoun after a name's comma
 * is that name; a definite description is the person whose role has its
 * title. */
Test(entities, gender_relative_pronouns_and_descriptions)
{
    static const char art[] =
        "Harbor Budget Talks Stall\n\n"
        "Marta Quell said her office would review the harbor plan this week.\n\n"
        "Republican nominee Carl Dorner, who spoke in Ashby on Monday, called his rival's plan a "
        "waste of money.\n\n"
        "Dorner and Quell met on Tuesday. She said the vote would wait until spring.\n\n"
        "The Republican nominee said the city could not afford it.\n";
    text = strdup(art);
    len = sizeof art - 1;
    cr_assert_eq(hs_doc_analyze(doc, "talks.txt", text, len, 0), HS_OK);
    long quell, dorner;
    find("Marta Quell", &quell);
    find("Carl Dorner", &dorner);
    cr_assert_eq(hs_doc_token_entity(doc, token_at("She", 0)), quell);
    cr_assert_eq(hs_doc_token_entity(doc, token_at("who", 0)), dorner);
    const char *p = strstr(art, "The Republican nominee said");
    cr_assert_eq(hs_doc_token_entity(doc, token_at("nominee", (size_t)(p - art))), dorner);
    /* "the harbor plan" names no role: no entity */
    cr_assert_eq(hs_doc_token_entity(doc, token_at("plan", 0)), -1);
}

/* Role words tell a gender only as whole words or "-man"/"-woman"
 * compounds ("spokesperson" says nothing); a month is not a surname. */
Test(entities, no_gender_from_parts_of_words_no_month_names)
{
    static const char art[] =
        "Campaign spokesperson Dana Ortiz and Paul Reed met reporters on Monday. She said the "
        "plan was dead.\n\nPrime Minister Theresa May spoke on Tuesday. The vote is planned "
        "for May, officials said.\n";
    text = strdup(art);
    len = sizeof art - 1;
    cr_assert_eq(hs_doc_analyze(doc, "roles.txt", text, len, 0), HS_OK);
    long ortiz;
    find("Dana Ortiz", &ortiz);
    cr_assert_eq(hs_doc_token_entity(doc, token_at("She", 0)), ortiz);
    const char *p = strstr(art, "for May");
    cr_assert_eq(hs_doc_token_entity(doc, token_at("May", (size_t)(p - art))), -1);
}

Test(entities, demonyms_name_their_countries)
{
    cr_assert_str_eq(entities_country_of("Russian", 7), "Russia");
    cr_assert_str_eq(entities_country_of("FRENCH", 6), "France");
    cr_assert_null(entities_country_of("Tuesday", 7));
}

Test(entities, no_models_no_entities)
{
    hs_engine *plain;
    hs_doc *d;
    cr_assert_eq(hs_engine_open(&plain, NULL), HS_OK);
    cr_assert_eq(hs_doc_new(&d, plain), HS_OK);
    const char *s = "Mayor Rosa Almeida spoke. She left.";
    cr_assert_eq(hs_doc_analyze(d, "x", s, strlen(s), 0), HS_OK);
    size_t n = 9;
    hs_doc_entities(d, &n);
    cr_assert_eq(n, 0);
    cr_assert_eq(hs_doc_token_entity(d, 0), -1);
    cr_assert_null(hs_doc_token_pos(d, 0));
    hs_doc_free(d);
    hs_engine_close(plain);
}

Test(entities, outlets_by_name_shape_and_the)
{
    load("examples/mayor-water-crisis.txt");
    const hs_entity *paper = find("Alder Falls Courier", NULL);
    cr_assert_eq(paper->type, HS_ENT_OUTLET);
    /* the town is not its paper: "Alder Falls" is no short name of the Courier */
    cr_assert(!has_alias(paper, "Alder Falls"));
    cr_assert_eq(find("The Associated Press", NULL)->type, HS_ENT_OUTLET);
}
