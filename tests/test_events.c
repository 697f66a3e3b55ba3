/* test_events - the meeting-event stage on sentences of our own: triggers,
 * participants resolved to entities, the factuality rules (hedges,
 * negation, future, conditionals), the statement and source an event is
 * reported in, time and place, and the limits of the lexicon. */
#include "testutil.h"

TestSuite(events, .init = t_setup_models, .fini = t_teardown);

/* The first event whose trigger text is trig, or NULL. */
static const hs_event *event_at(const char *trig)
{
    size_t n, len;
    const hs_event *v = hs_doc_events(t_doc, &n);
    const char *text = hs_doc_text(t_doc, &len);
    for (size_t i = 0; i < n; i++)
        if (v[i].trigger.end - v[i].trigger.start == strlen(trig) &&
            !memcmp(text + v[i].trigger.start, trig, strlen(trig)))
            return &v[i];
    return NULL;
}

/* The text of a span (static buffer). */
static const char *span_text(hs_span s)
{
    static char out[256];
    size_t len;
    const char *text = hs_doc_text(t_doc, &len);
    snprintf(out, sizeof out, "%.*s", (int)(s.end - s.start), text + s.start);
    return out;
}

/* Is the entity of some participant of v named name? */
static int has_participant(const hs_event *v, const char *name)
{
    size_t n;
    const hs_entity *e = hs_doc_entities(t_doc, &n);
    for (uint32_t i = 0; i < v->nparticipants; i++) {
        long x = v->participants[i].entity;
        if (x >= 0 && (size_t)x < n && !strcmp(e[x].name, name))
            return 1;
    }
    return 0;
}

/* Analyzes s and returns its event triggered by trig with factuality fact. */
static const hs_event *expect(const char *s, const char *trig, int fact)
{
    t_analyze(s);
    const hs_event *v = event_at(trig);
    cr_assert(v, "no event on \"%s\" in: %s", trig, s);
    cr_expect_str_eq(hs_factuality_name(v->factuality), hs_factuality_name(fact), "in: %s", s);
    return v;
}

Test(events, asserted_meeting_with_both_parties)
{
    const hs_event *v = expect("Senator Maria Lopez met with Governor Daniel Okafor on Tuesday "
                               "in Sacramento.\n", "met", HS_FACT_ASSERTED);
    cr_expect(has_participant(v, "Maria Lopez"));
    cr_expect(has_participant(v, "Daniel Okafor"));
    cr_expect_eq(v->type, HS_EVENT_MEET);
    cr_expect_str_eq(span_text(v->time), "Tuesday");
    cr_expect_eq(v->attribution, -1);
    cr_expect_eq(v->source_entity, -1);
}

Test(events, negation)
{
    expect("Maria Lopez and Daniel Okafor did not meet during the conference.\n", "meet",
           HS_FACT_NEGATED);
    expect("Maria Lopez has never met Daniel Okafor.\n", "met", HS_FACT_NEGATED);
    expect("Maria Lopez denied meeting Daniel Okafor in Vienna last year.\n", "meeting",
           HS_FACT_NEGATED);
}

Test(events, future)
{
    expect("Maria Lopez will meet Daniel Okafor in Geneva next week.\n", "meet",
           HS_FACT_FUTURE);
    expect("Maria Lopez is scheduled to meet Daniel Okafor on Friday.\n", "meet",
           HS_FACT_FUTURE);
    expect("Maria Lopez plans to meet Daniel Okafor after the vote.\n", "meet",
           HS_FACT_FUTURE);
}

Test(events, conditionals_and_wishes)
{
    expect("Maria Lopez would meet Daniel Okafor if the strike ended.\n", "meet",
           HS_FACT_HYPOTHETICAL);
    expect("Maria Lopez wants to meet Daniel Okafor before the summer.\n", "meet",
           HS_FACT_HYPOTHETICAL);
    expect("Maria Lopez offered to meet Daniel Okafor in private.\n", "meet",
           HS_FACT_HYPOTHETICAL);
}

Test(events, hedges)
{
    expect("Maria Lopez and Daniel Okafor may have met twice in Vienna.\n", "met",
           HS_FACT_HEDGED);
    expect("Maria Lopez reportedly met Daniel Okafor at the airport.\n", "met",
           HS_FACT_HEDGED);
    expect("Maria Lopez and Daniel Okafor likely held talks over dinner.\n", "talks",
           HS_FACT_HEDGED);
}

Test(events, source_of_a_reported_meeting)
{
    const hs_event *v = expect("Paul Adeyemi, the minister's spokesman, said on Monday that "
                               "Maria Lopez met Daniel Okafor twice in March.\n", "met",
                               HS_FACT_ASSERTED);
    cr_assert_geq(v->attribution, 0, "the event lies in a statement's content");
    cr_expect_gt(v->source.end, v->source.start);
    cr_expect(strstr(span_text(v->source), "Adeyemi"), "source: %s", span_text(v->source));
}

Test(events, nouns_and_phrases)
{
    const hs_event *v = expect("The talks between Maria Lopez and Daniel Okafor ended "
                               "without a deal.\n", "talks", HS_FACT_ASSERTED);
    cr_expect(has_participant(v, "Maria Lopez") && has_participant(v, "Daniel Okafor"));
    v = expect("Maria Lopez sat down with Daniel Okafor for an hour.\n", "sat down with",
               HS_FACT_ASSERTED);
    cr_expect(has_participant(v, "Daniel Okafor"));
    v = expect("Maria Lopez said in an interview with Daniel Okafor that the plan was "
               "dead.\n", "interview", HS_FACT_ASSERTED);
    cr_expect(has_participant(v, "Daniel Okafor"));
}

Test(events, not_meetings)
{
    size_t n;
    t_analyze("The plan did not meet the threshold the board had set.\n");
    hs_doc_events(t_doc, &n);
    cr_expect_eq(n, 0, "\"meet the threshold\" is no meeting");
    t_analyze("Maria Lopez spoke to reporters after the rally.\n");
    hs_doc_events(t_doc, &n);
    cr_expect_eq(n, 0, "speaking to reporters is no meeting");
    t_analyze("The debate over water rights has divided the valley for years.\n");
    hs_doc_events(t_doc, &n);
    cr_expect_eq(n, 0, "a debate over a topic is no meeting");
    t_analyze("She said in an interview that the plan was dead.\n");
    hs_doc_events(t_doc, &n);
    cr_expect_eq(n, 0, "an interview with nobody named is no meeting");
}

Test(events, names_in_the_json)
{
    t_analyze("Maria Lopez may have met Daniel Okafor in Vienna.\n");
    const char *json;
    size_t len;
    cr_assert_eq(hs_doc_json(t_doc, 0, &json, &len), HS_OK);
    cr_expect(strstr(json, "\"events\":[{\"id\":\"v1\",\"type\":\"meet\""), "%s", json);
    cr_expect(strstr(json, "\"factuality\":\"hedged\""), "%s", json);
    cr_expect_str_eq(hs_factuality_name(HS_FACT_COUNT), "unknown");
    cr_expect_str_eq(hs_event_type_name(HS_EVENT_MEET), "meet");
}

Test(events, they_for_the_parties_before)
{
    /* "they" stands for the meeting's parties in the sentence before, each
     * entity once, however long the chain of sentences that say "they" */
    char text[8192];
    size_t at = (size_t)snprintf(text, sizeof text, "Maria Lopez and Daniel Okafor met in Rome.");
    static const char *const others[] = {"Paul Adeyemi", "Rasa Vilkiene", "Karl Tamm",
                                         "Ines Carvalhal", "Jonas Aaltonen", "Helena Varga"};
    for (int i = 0; i < 30; i++)
        at += (size_t)snprintf(text + at, sizeof text - at, " They met %s again.", others[i % 6]);
    snprintf(text + at, sizeof text - at, "\n");
    t_analyze(text);
    size_t n, ne;
    const hs_event *v = hs_doc_events(t_doc, &n);
    hs_doc_entities(t_doc, &ne);
    cr_assert_geq(n, 2);
    cr_expect(has_participant(&v[0], "Maria Lopez") && has_participant(&v[0], "Daniel Okafor"));
    for (size_t i = 0; i < n; i++) {
        cr_expect_leq(v[i].nparticipants, 10, "event %zu has %u participants", i,
                      v[i].nparticipants);
        for (uint32_t a = 0; a < v[i].nparticipants; a++)
            for (uint32_t b = a + 1; b < v[i].nparticipants; b++)
                cr_expect(v[i].participants[a].entity < 0 ||
                              v[i].participants[a].entity != v[i].participants[b].entity,
                          "event %zu names entity %ld twice", i, v[i].participants[a].entity);
    }
}
