/* Attribution over the whole pipeline with the committed models (models/):
 * direct, indirect, mixed and block quotes, cues introduced by a colon,
 * missing embeds, headlines, outlets, hedges, pronoun sources; the model
 * loader on damaged files; the seed article (skipped without ../shared).
 * The texts are our own. */
#define _GNU_SOURCE /* memmem */
#include <sys/stat.h>
#include <unistd.h>

#include "attribution.h"
#include "testutil.h"

static char *text;
static size_t len;

static void close_models(void)
{
    t_teardown();
    free(text);
    text = NULL;
}

TestSuite(attribution, .init = t_setup_models, .fini = close_models);

static void run(const char *s)
{
    free(text);
    text = strdup(s);
    len = strlen(s);
    cr_assert_eq(hs_doc_analyze(t_doc, "t", text, len, 0), HS_OK, "%s", hs_doc_errmsg(t_doc));
}

static int has(const hs_span *sp, uint32_t n, const char *what)
{
    for (uint32_t i = 0; i < n; i++)
        if (memmem(text + sp[i].start, sp[i].end - sp[i].start, what, strlen(what)))
            return 1;
    return 0;
}

/* The attribution whose cue contains cue_word, or NULL. */
static const hs_attribution *by_cue(const char *cue_word)
{
    size_t n;
    const hs_attribution *a = hs_doc_attributions(t_doc, &n);
    for (size_t i = 0; i < n; i++)
        if (a[i].ncue && has(a[i].cue, a[i].ncue, cue_word))
            return &a[i];
    return NULL;
}

static const char *entity_name(long e)
{
    size_t n;
    const hs_entity *ents = hs_doc_entities(t_doc, &n);
    return e >= 0 && (size_t)e < n ? ents[e].name : "(none)";
}

Test(attribution, direct_quote_and_pronoun_source)
{
    run("Ferry Fares To Rise\n\n"
        "NORVIK (Reuters) \xE2\x80\x94 Ferry fares will rise by 8% in May. "
        "\xE2\x80\x9CWe held them for three years,\xE2\x80\x9D port director Lea Brandt said. "
        "She said the increase may be reviewed in the autumn.\n");
    const hs_attribution *a = by_cue("said");
    cr_assert(a, "no attribution for the first said");
    cr_assert_eq(a->kind, HS_ATTR_DIRECT);
    cr_assert(has(a->content, a->ncontent, "We held them for three years"));
    cr_assert(has(a->source, a->nsource, "Lea Brandt"));
    cr_assert_str_eq(entity_name(a->source_entity), "Lea Brandt");
    size_t n;
    const hs_attribution *all = hs_doc_attributions(t_doc, &n);
    const hs_attribution *b = NULL;
    for (size_t i = 0; i < n; i++)
        if (all[i].nsource && has(all[i].source, all[i].nsource, "She"))
            b = &all[i];
    cr_assert(b, "no attribution for 'She said'");
    cr_assert_eq(b->kind, HS_ATTR_INDIRECT);
    cr_assert(has(b->content, b->ncontent, "the increase may be reviewed"));
    cr_assert_str_eq(entity_name(b->source_entity), "Lea Brandt", "she is Lea Brandt");
    cr_assert(b->nhedges >= 1 && has(b->hedges, b->nhedges, "may"), "'may' hedges it");
    /* "in May" is a month, not a hedge */
    for (size_t i = 0; i < n; i++)
        for (uint32_t h = 0; h < all[i].nhedges; h++)
            cr_assert(text[all[i].hedges[h].start] != 'M');
    for (size_t i = 0; i < n; i++) {
        cr_assert(all[i].confidence >= 0 && all[i].confidence <= 1);
        if (i)
            cr_assert(all[i - 1].content->start <= all[i].content->start, "in text order");
    }
}

Test(attribution, according_to_an_outlet)
{
    run("Bridge Repairs Delayed\n\n"
        "According to the Harbor Times, the city council will not vote on the bridge "
        "repairs before April.\n\n"
        "Council member Jon Ortiz told NBC News that the engineers' report had been "
        "kept from members on purpose.\n");
    const hs_attribution *a = by_cue("According to");
    cr_assert(a);
    cr_assert(has(a->content, a->ncontent, "will not vote on the bridge"));
    cr_assert(a->via_entity >= 0);
    cr_assert_str_eq(entity_name(a->via_entity), "Harbor Times");
    const hs_attribution *b = by_cue("told");
    cr_assert(b);
    cr_assert(has(b->source, b->nsource, "Jon Ortiz"));
    cr_assert(b->nvia == 1 && has(b->via, 1, "NBC News"), "told NBC News: via the outlet");
    cr_assert(has(b->content, b->ncontent, "report had been kept from members"));
}

/* The text of a span, for exact comparisons. */
static int span_is(const hs_span *sp, const char *what)
{
    return sp && strlen(what) == sp->end - sp->start &&
           !memcmp(text + sp->start, what, sp->end - sp->start);
}

/* "According to X, Y, an appositive, VERB ...": X alone is the source and the
 * whole clause the content, not an appositive source and a second statement;
 * "..., according to X" names X as the source too. */
Test(attribution, according_to_before_a_subject_with_an_appositive)
{
    run("Harbor Deal Questioned\n\n"
        "According to the Harbor Times, Lena Ortiz, the city's finance director, was asked "
        "by auditors about the missing payments to the contractor.\n\n"
        "The bridge will stay closed until April, according to the Harbor Times.\n");
    size_t n;
    const hs_attribution *all = hs_doc_attributions(t_doc, &n);
    int first = 0, second = 0;
    for (size_t i = 0; i < n; i++) {
        const hs_attribution *a = &all[i];
        cr_assert(!a->ncontent || strncmp(text + a->content->start, "the city's finance", 18),
                  "the appositive is no content");
        if (!a->ncue || !has(a->cue, 1, "ccording to") || !a->nsource)
            continue;
        if (has(a->content, a->ncontent, "missing payments")) {
            cr_assert(span_is(a->source, "the Harbor Times"), "source %.*s",
                      (int)(a->source->end - a->source->start), text + a->source->start);
            cr_assert(!strncmp(text + a->content->start, "Lena Ortiz", 10));
            first = 1;
        }
        if (has(a->content, a->ncontent, "will stay closed")) {
            cr_assert(has(a->source, a->nsource, "Harbor Times"));
            second = 1;
        }
    }
    cr_assert(first, "According to the Harbor Times, <the whole clause>");
    cr_assert(second, "..., according to the Harbor Times");
}

/* A noun cue in a phrase of time ("after reports that ...") has no source in
 * the clause it sits in; a cue inside another statement's content that is
 * no verb of saying ("were worried about") is no statement of its own. */
Test(attribution, reports_without_a_source_and_no_nested_worry)
{
    run("Council Vote\n\n"
        "The council vote follows shortly after reports that residents were worried about "
        "the cost of the new harbor wall.\n");
    const hs_attribution *a = by_cue("reports");
    cr_assert(a, "'reports' is a cue");
    cr_assert_eq(a->nsource, 0, "no source for 'reports'");
    cr_assert(has(a->content, a->ncontent, "residents were worried"));
    cr_assert_null(by_cue("worried"), "'were worried about' inside what reports say");
}

/* A quotation opened inside a content closes inside it, with its comma. */
Test(attribution, content_keeps_its_own_closing_quote)
{
    run("Harbor Wall\n\n"
        "The engineer Tom Reyes described the plan as \xE2\x80\x98reckless,\xE2\x80\x99 saying "
        "that the wall would not hold a winter storm.\n");
    const hs_attribution *a = by_cue("described");
    cr_assert(a);
    cr_assert(span_is(a->content, "the plan as \xE2\x80\x98reckless,\xE2\x80\x99"), "content %.*s",
              (int)(a->content->end - a->content->start), text + a->content->start);
}

/* A quotation is not continued by the clause that follows it. */
Test(attribution, quotation_ends_before_a_following_clause)
{
    run("Harbor Plan\n\n"
        "\xE2\x80\x9CThe plan works,\xE2\x80\x9D Mayor Lena Ortiz said, but the council members "
        "were not convinced and asked for a second study of the harbor wall.\n\n"
        "The engineers kept saying \xE2\x80\x9Cthe wall will hold\xE2\x80\x9D when the storm "
        "reports came in.\n");
    const hs_attribution *a = by_cue("said");
    cr_assert(a);
    cr_assert(has(a->content, a->ncontent, "The plan works"));
    cr_assert(!has(a->content, a->ncontent, "council"), "the clause after 'but' is not hers");
    const hs_attribution *b = by_cue("saying");
    cr_assert(b);
    cr_assert(has(b->content, b->ncontent, "the wall will hold"));
    cr_assert(!has(b->content, b->ncontent, "storm"), "the 'when' clause is not quoted");
}

/* The content of the statement cued by "said" in text holds in and not out. */
static void said_holds(const char *s, const char *in, const char *out)
{
    run(s);
    const hs_attribution *a = by_cue("said");
    cr_assert(a, "no statement for 'said'");
    cr_assert(has(a->content, a->ncontent, in), "content lacks '%s'", in);
    cr_assert(!has(a->content, a->ncontent, out), "content has '%s'", out);
}

/* A trailing clause that comments on a statement is not part of it. */
Test(attribution, content_ends_before_a_trailing_comment)
{
    said_holds("Turnout\n\n"
               "The county clerk said that turnout fell sharply in the harbor district, "
               "contradicting the mayor's earlier claim of record participation.\n",
               "turnout fell sharply", "contradicting");
    said_holds("Turnout\n\n"
               "The county clerk said that turnout fell sharply in the harbor district, "
               "though she acknowledged that the count was not yet complete.\n",
               "turnout fell sharply", "acknowledged");
}

/* The question a sentence opens with is not the speaker's answer. */
Test(attribution, an_opening_question_is_not_the_answer)
{
    said_holds("Harbor Wall\n\n"
               "Asked about the cost of the repairs, Reyes said, "
               "\xE2\x80\x9CWe are not going to discuss numbers.\xE2\x80\x9D\n",
               "not going to discuss numbers", "cost of the repairs");
}

/* What follows in a sentence with its own cue belongs to that cue. */
Test(attribution, content_stops_before_another_sentence_with_a_cue)
{
    run("Hearing\n\n"
        "\xE2\x80\x9CThis is simply not right,\xE2\x80\x9D Senator Ada Moss said at the hearing. "
        "\xE2\x80\x9CYou kept the report from the council for a year,\xE2\x80\x9D she said.\n");
    size_t n;
    const hs_attribution *all = hs_doc_attributions(t_doc, &n);
    int right = 0, kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (has(all[i].content, all[i].ncontent, "simply not right")) {
            right = 1;
            cr_assert(!has(all[i].content, all[i].ncontent, "kept the report"));
        }
        kept |= has(all[i].content, all[i].ncontent, "kept the report");
    }
    cr_assert(right && kept);
}

/* A source's head word decides its entity: a name (even after a possessive
 * organisation) is that person, a common noun is a nominal source left
 * unresolved, and the outlet after "according to" is the outlet. */
Test(attribution, nominal_sources_stay_unresolved)
{
    run("Harbor Talks Stall\n\n"
        "European allies warned on Monday that the harbor talks could collapse.\n\n"
        "Westbrook Partners' Mira Dalton said the delay would cost the city money.\n\n"
        "According to the Harbor Times, the mayor will not sign the deal this year.\n");
    const hs_attribution *a = by_cue("warned");
    cr_assert(a);
    cr_assert(has(a->source, a->nsource, "allies"));
    cr_assert_eq(a->source_entity, -1, "allies is nominal, not %s", entity_name(a->source_entity));
    const hs_attribution *b = by_cue("said");
    cr_assert(b);
    cr_assert_str_eq(entity_name(b->source_entity), "Mira Dalton");
    const hs_attribution *c = by_cue("According to");
    cr_assert(c);
    cr_assert(has(c->source, c->nsource, "Harbor Times"));
    cr_assert_str_eq(entity_name(c->source_entity), "Harbor Times");
    cr_assert_str_eq(entity_name(c->via_entity), "Harbor Times");
}

Test(attribution, colon_introduces_a_block_quote)
{
    run("Senator Speaks\n\n"
        "State Sen. Gloria Pena spoke for ten minutes at the hearing, saying:\n\n"
        "I have crossed that bridge every working day for twenty years. Nobody in this "
        "room wants a toll, but the money is not there this year.\n\n"
        "The hearing ended at noon.\n");
    size_t n;
    const hs_attribution *all = hs_doc_attributions(t_doc, &n);
    const hs_attribution *q = NULL;
    for (size_t i = 0; i < n; i++)
        if (all[i].kind == HS_ATTR_BLOCKQUOTE && all[i].ncue)
            q = &all[i];
    cr_assert(q, "no block quote attribution");
    cr_assert(has(q->cue, q->ncue, "saying"));
    cr_assert(has(q->content, q->ncontent, "I have crossed that bridge"));
    cr_assert(has(q->content, q->ncontent, "not there this year"));
    cr_assert(has(q->source, q->nsource, "Gloria Pena"));
}

/* The block quote ends with a closing mark it never opened, as extracted
 * pages often do, which is what marks it as a block quote. */
Test(attribution, block_quote_without_a_cue_goes_to_the_last_speaker)
{
    run("Allies Startled\n\n"
        "According to Vanity Fair, analyst Ian Brennan described the response as "
        "startled, saying the meeting would have gone unnoticed otherwise.\n\n"
        "Allies were surprised, flummoxed, disheartened. You have the president in the "
        "room with all these allies, and who does he spend his time with?\xE2\x80\x9D\n\n"
        "The summit ends on Sunday.\n");
    size_t n;
    const hs_attribution *all = hs_doc_attributions(t_doc, &n);
    const hs_attribution *q = NULL;
    for (size_t i = 0; i < n; i++)
        if (all[i].kind == HS_ATTR_BLOCKQUOTE && all[i].ncue == 0)
            q = &all[i];
    cr_assert(q, "the block quote has no attribution of its own");
    cr_assert(has(q->content, q->ncontent, "Allies were surprised"));
    cr_assert_str_eq(entity_name(q->source_entity), "Ian Brennan");
    cr_assert_str_eq(entity_name(q->via_entity), "Vanity Fair");
}

Test(attribution, missing_embed_and_boilerplate)
{
    run("Mayor Answers Critics\n\n"
        "On Sunday the mayor, Dana Whitlock, answered her critics on Twitter:\n\n"
        "The council meets again on Friday to discuss the budget for the new school "
        "year and the repairs to the harbor bridge.\n\n"
        "Follow us on Facebook and Twitter\n");
    size_t n;
    const hs_attribution *all = hs_doc_attributions(t_doc, &n);
    const hs_attribution *m = NULL;
    for (size_t i = 0; i < n; i++)
        if (all[i].flags & HS_ATTR_MISSING_CONTENT)
            m = &all[i];
    cr_assert(m, "the announced tweet is not flagged missing");
    cr_assert_eq(m->ncontent, 0);
    cr_assert_str_eq(entity_name(m->source_entity), "Dana Whitlock");
    size_t nb;
    const hs_block *b = hs_doc_blocks(t_doc, &nb);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nb; k++)
            if (b[k].kind == HS_BLOCK_BOILERPLATE && all[i].ncue)
                cr_assert(all[i].cue->start < b[k].spans[0].start, "a cue in boilerplate");
}

Test(attribution, from_a_source_and_signed_quotations)
{
    run("Budget Fight Goes On\n\n"
        "The council debated the budget for a third night on Tuesday.\n\n"
        "From the office of Mayor Dana Whitlock:\n\n"
        "The mayor will not sign a budget that closes the harbor clinic.\n\n"
        "\xE2\x80\x9CWe were promised a clinic and we will keep it.\xE2\x80\x9D "
        "\xE2\x80\x95 Rosa Lindqvist\n\n"
        "The vote is set for Friday.\n");
    const hs_attribution *a = by_cue("From");
    cr_assert(a, "no attribution for 'From X:'");
    cr_assert(has(a->source, a->nsource, "Dana Whitlock"));
    cr_assert(has(a->content, a->ncontent, "will not sign a budget"));
    cr_assert_eq(a->flags & HS_ATTR_MISSING_CONTENT, 0);
    const hs_attribution *q = by_cue("\xE2\x80\x95");
    cr_assert(q, "no attribution for the signed quotation");
    cr_assert_eq(q->kind, HS_ATTR_DIRECT);
    cr_assert(has(q->source, q->nsource, "Rosa Lindqvist"));
    cr_assert(has(q->content, q->ncontent, "we will keep it"));
}

Test(attribution, headline_claim_is_hedged)
{
    run("Toll Vote Likely Pushed To Spring, Council Official Says\n\n"
        "The city council is unlikely to vote on new tolls before April, a senior "
        "council official said on Monday.\n");
    const hs_attribution *a = by_cue("Says");
    cr_assert(a, "no headline attribution");
    cr_assert(has(a->content, a->ncontent, "Toll Vote Likely Pushed To Spring"));
    cr_assert(has(a->source, a->nsource, "Council Official"));
    cr_assert(a->nhedges >= 1 && has(a->hedges, a->nhedges, "Likely"));
}

Test(attribution, no_model_no_attributions)
{
    hs_engine *e;
    hs_engine_options o = {.model_dir = "models", .layers = HS_LAYER_POS | HS_LAYER_NER};
    cr_assert_eq(hs_engine_open(&e, &o), HS_OK);
    hs_doc *d;
    cr_assert_eq(hs_doc_new(&d, e), HS_OK);
    const char *s = "\xE2\x80\x9CWe will win,\xE2\x80\x9D the mayor said.\n";
    cr_assert_eq(hs_doc_analyze(d, "t", s, strlen(s), 0), HS_OK);
    size_t n = 1;
    hs_doc_attributions(d, &n);
    cr_assert_eq(n, 0);
    hs_doc_free(d);
    hs_engine_close(e);
    cr_assert_null(hs_doc_attributions(NULL, &n));
    cr_assert_eq(n, 0);
    cr_assert_str_eq(hs_attr_kind_name(HS_ATTR_MIXED), "mixed");
    cr_assert_str_eq(hs_attr_kind_name(99), "unknown");
}

Test(attribution, truncated_and_corrupt_models)
{
    size_t n;
    char *p = t_slurp("models/attribution.hsm", &n);
    char bad[64];
    snprintf(bad, sizeof bad, "/tmp/hs-attr-%d.hsm", (int)getpid());
    buf err = {0};
    attr_model *m = (attr_model *)1;
    size_t cuts[] = {0, 7, 31, 100, n / 2, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        t_write_file(bad, p, cuts[i]);
        buf_clear(&err);
        cr_assert_eq(attr_load(&m, bad, &err), HS_EMODEL, "cut at %zu accepted", cuts[i]);
        cr_assert_null(m);
        cr_assert(err.len > 0);
    }
    /* bytes flipped in the header and section table: refused with a message */
    for (size_t at = 0; at < 64 && at < n; at += 3) {
        char save = p[at];
        p[at] = (char)(p[at] ^ 0x5a);
        t_write_file(bad, p, n);
        p[at] = save;
        buf_clear(&err);
        if (attr_load(&m, bad, &err) == 0)
            attr_free(m);
        else
            cr_assert(err.len > 0);
    }
    /* a corrupt model in a model folder fails the engine with HS_EMODEL */
    char dir[64], path[128];
    snprintf(dir, sizeof dir, "/tmp/hs-attr-dir-%d", (int)getpid());
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/attribution.hsm", dir);
    t_write_file(path, p, 100);
    hs_engine *e = NULL;
    hs_engine_options o = {.model_dir = dir};
    cr_assert_eq(hs_engine_open(&e, &o), HS_EMODEL);
    cr_assert(strstr(hs_engine_errmsg(e), "attribution.hsm"));
    hs_engine_close(e);
    remove(path);
    rmdir(dir);
    remove(bad);
    free(p);
    buf_free(&err);
    attr_free(NULL);
}

/* The seed article's attributions (the test is skipped without ../shared). */
static const hs_attribution *seed_attributions(size_t *n)
{
    char path[512];
    t_shared("data/seed/hillreporter-2017-07-trump-putin-lavrov.txt", path, sizeof path);
    free(text);
    text = t_slurp(path, &len);
    cr_assert_eq(hs_doc_analyze(t_doc, path, text, len, 0), HS_OK);
    return hs_doc_attributions(t_doc, n);
}

Test(attribution, seed_article)
{
    size_t n;
    const hs_attribution *all = seed_attributions(&n);
    int lavrov_block = 0, three = 0, bathroom = 0, startled = 0, allies = 0, headline = 0,
        embed = 0;
    for (size_t i = 0; i < n; i++) {
        const hs_attribution *a = &all[i];
        const char *who = entity_name(a->source_entity);
        const char *via = entity_name(a->via_entity);
        int lav = !strcmp(who, "Sergey Lavrov"), brem = !strcmp(who, "Ian Bremmer");
        if (a->kind == HS_ATTR_BLOCKQUOTE && has(a->content, a->ncontent, "kindergarten") &&
            lav && !strcmp(via, "NBC News"))
            lavrov_block = 1;
        three |= lav && has(a->content, a->ncontent, "much more than just three");
        bathroom |= lav && has(a->content, a->ncontent, "bathroom");
        startled |= brem && !strcmp(via, "Vanity Fair") && has(a->content, a->ncontent, "startled");
        allies |= brem && !strcmp(via, "Vanity Fair") && a->kind == HS_ATTR_BLOCKQUOTE &&
                  has(a->content, a->ncontent, "flummoxed");
        headline |= lav && a->nhedges && has(a->content, a->ncontent, "May Have Slipped Off");
        embed |= (a->flags & HS_ATTR_MISSING_CONTENT) && !strcmp(who, "Donald Trump");
        /* nothing in the boilerplate at the end */
        if (a->ncue)
            cr_assert(!memmem(text + a->cue->start, a->cue->end - a->cue->start, "Follow", 6));
    }
    cr_assert(lavrov_block, "Lavrov's block quote via NBC News");
    cr_assert(three, "much more than just three -> Lavrov");
    cr_assert(bathroom, "the bathroom remark -> Lavrov");
    cr_assert(startled, "Bremmer's startled, via Vanity Fair");
    cr_assert(allies, "the allies block quote -> Bremmer via Vanity Fair");
    cr_assert(headline, "the headline's hedged claim -> Lavrov");
    cr_assert(embed, "Trump's deflection points at the missing embed");
}

/* The seed article's statements that issue 16 names. */
Test(attribution, seed_article_according_to_and_reports)
{
    size_t n;
    const hs_attribution *all = seed_attributions(&n);
    int nbc = 0, reports = 0, startled = 0;
    for (size_t i = 0; i < n; i++) {
        const hs_attribution *a = &all[i];
        const char *c0 = a->ncontent ? text + a->content->start : "";
        cr_assert(strncmp(c0, "Russia\xE2\x80\x99s Foreign Minister about", 30),
                  "no statement whose content is the appositive");
        cr_assert(!a->ncue || !has(a->cue, 1, "concerned"), "'were concerned about' is no cue");
        if (a->ncue && has(a->cue, 1, "According to") && has(a->content, 1, "exclusive")) {
            cr_assert(span_is(a->source, "NBC News"));
            cr_assert(span_is(a->content, "Sergey Lavrov, Russia\xE2\x80\x99s Foreign Minister, "
                                          "was asked in an exclusive interview about the "
                                          "meetings between Trump and Putin"));
            nbc++;
        }
        if (a->ncue && span_is(a->cue, "reports")) {
            cr_assert_eq(a->nsource, 0, "reports: no named source");
            reports = 1;
        }
        if (a->ncue && span_is(a->cue, "described")) {
            cr_assert(span_is(a->content, "the response as \xE2\x80\x98startled,\xE2\x80\x99"));
            cr_assert_str_eq(entity_name(a->source_entity), "Ian Bremmer");
            startled = 1;
        }
        /* no content twice under two sources */
        for (size_t j = 0; j < i; j++)
            if (a->ncontent && all[j].ncontent && a->content->start == all[j].content->start &&
                a->content->end == all[j].content->end)
                cr_assert_eq(a->source_entity, all[j].source_entity, "one content, two sources");
    }
    cr_assert_eq(nbc, 1, "one statement: According to NBC News, <the clause>");
    cr_assert(reports && startled);
}
