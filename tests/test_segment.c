/* Unit tests: paragraphs, quotation state and sentences (src/segment). */
#include "testutil.h"

TestSuite(segment, .init = t_setup, .fini = t_teardown);

static size_t nsent(void)
{
    size_t n;
    hs_doc_sentences(t_doc, &n);
    return n;
}

static size_t npara(void)
{
    size_t n;
    hs_doc_paragraphs(t_doc, &n);
    return n;
}

/* Text of sentence i. */
static char *sent(size_t i, char *out, size_t cap)
{
    size_t n, len;
    const hs_sentence *s = hs_doc_sentences(t_doc, &n);
    const char *text = hs_doc_text(t_doc, &len);
    cr_assert(i < n);
    snprintf(out, cap, "%.*s", (int)(s[i].end - s[i].start), text + s[i].start);
    return out;
}

static char b[512];

Test(segment, abbreviations_do_not_end_sentences)
{
    t_analyze("Mr. Smith met Gen. Ortiz at 10 a.m. on Tuesday. They spoke for an hour.");
    cr_assert_eq(nsent(), 2);
    cr_assert_str_eq(sent(1, b, sizeof b), "They spoke for an hour.");
}

Test(segment, abbreviation_can_end_a_sentence)
{
    t_analyze("The company moved to the U.S. The move cost $4 million.");
    cr_assert_eq(nsent(), 2);
    t_analyze("She works for the U.S. Senate in Washington.");
    cr_assert_eq(nsent(), 1);
    t_analyze("He cited Plessy v. Ferguson in court.");
    cr_assert_eq(nsent(), 1);
}

Test(segment, quoted_questions_and_attribution)
{
    t_analyze("\xE2\x80\x9CWhy now?\xE2\x80\x9D he asked. \xE2\x80\x9C" "Because.\xE2\x80\x9D She left.");
    cr_assert_eq(nsent(), 3);
    cr_assert_str_eq(sent(0, b, sizeof b), "\xE2\x80\x9CWhy now?\xE2\x80\x9D he asked.");
    cr_assert_str_eq(sent(1, b, sizeof b), "\xE2\x80\x9C" "Because.\xE2\x80\x9D");
}

Test(segment, sentences_never_cross_paragraphs)
{
    t_analyze("A headline without a period\n\nThe body starts here. It goes on\n\nAnother paragraph");
    cr_assert_eq(npara(), 3);
    cr_assert_eq(nsent(), 4);
}

Test(segment, web_text_breaks_at_every_line)
{
    t_analyze("Caption line\n[Photo Credit: example.org]\nFirst body paragraph.\n");
    cr_assert_eq(npara(), 3);
}

Test(segment, hard_wrapped_text_joins_lines)
{
    t_analyze("The council met on Tuesday evening to debate the harbor bridge\n"
              "plan, which has divided the town for most of the last decade,\n"
              "and the vote was expected to be close as the members arrived\n"
              "at the hall where protesters had gathered since the morning.\n"
              "\n"
              "The mayor opened the session with a short statement about the\n"
              "costs, the schedule and the long list of objections that had\n"
              "been filed by residents of the north shore over the summer.\n");
    cr_assert_eq(npara(), 2);
    cr_assert_eq(nsent(), 2);
}

Test(segment, multi_paragraph_quote_reopens)
{
    t_analyze("\xE2\x80\x9CWe will build it. The money is there.\n\n"
              "\xE2\x80\x9CNobody should doubt that.\n\n"
              "\xE2\x80\x9CIt opens next year,\xE2\x80\x9D the mayor said.\n");
    size_t n;
    const hs_paragraph *p = hs_doc_paragraphs(t_doc, &n);
    cr_assert_eq(n, 3);
    cr_assert(p[0].quote_open_at_end);
    cr_assert_not(p[0].reopens_quote);
    cr_assert(p[1].reopens_quote && p[1].quote_open_at_end);
    cr_assert(p[2].reopens_quote);
    cr_assert_not(p[2].quote_open_at_end);
    long k = t_find("said");
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    cr_assert_not(t[k].flags & HS_TF_IN_QUOTE);
    cr_assert(t[t_find("Nobody")].flags & HS_TF_IN_QUOTE);
}

Test(segment, straight_quotes_get_a_direction)
{
    t_analyze("He said \"we are ready\" and left. \"Good,\" she replied.");
    size_t n;
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    cr_assert(t[2].flags & HS_TF_OPEN);
    cr_assert(t[6].flags & HS_TF_CLOSE);
    cr_assert(t[4].flags & HS_TF_IN_QUOTE);
    cr_assert_not(t[7].flags & HS_TF_IN_QUOTE);
    cr_assert_eq(nsent(), 2);
}

Test(segment, sentence_starts_are_flagged)
{
    t_analyze("One. Two! Three?");
    size_t n;
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    cr_assert_eq(nsent(), 3);
    cr_assert(t[0].flags & HS_TF_SENT_START);
    cr_assert(t[2].flags & HS_TF_SENT_START);
    cr_assert_not(t[1].flags & HS_TF_SENT_START);
}

Test(segment, initials_and_place_abbreviations_can_end_sentences)
{
    t_analyze("They will fall back on Plan B. The mayor said so.");
    cr_assert_eq(nsent(), 2);
    t_analyze("He lives on Main St. The house is old.");
    cr_assert_eq(nsent(), 2);
    t_analyze("John F. Kennedy and St. Louis stay whole.");
    cr_assert_eq(nsent(), 1);
}
