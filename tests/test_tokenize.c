/* Unit tests: the tokenizer on news English (src/tokenize). */
#include "testutil.h"
#include "tokenize.h"

TestSuite(tokenize, .init = t_setup, .fini = t_teardown);

static char out[4096];

#define TOKS(in, expect)                                                                  \
    do {                                                                                  \
        t_analyze(in);                                                                    \
        cr_assert_str_eq(t_tokens(out, sizeof out), expect, "input: %s", in);             \
    } while (0)

Test(tokenize, words_and_punctuation)
{
    TOKS("Officials said the talks, held Monday, went well.",
         "Officials|said|the|talks|,|held|Monday|,|went|well|.");
}

Test(tokenize, clitics_split_penn_style)
{
    TOKS("Trump's aides don't think they're done; it can't be.",
         "Trump|'s|aides|do|n't|think|they|'re|done|;|it|ca|n't|be|.");
    TOKS("Russia\xE2\x80\x99s minister isn\xE2\x80\x99t sure.",
         "Russia|\xE2\x80\x99s|minister|is|n\xE2\x80\x99t|sure|.");
    TOKS("We cannot stay, O'Brien said.", "We|can|not|stay|,|O'Brien|said|.");
}

Test(tokenize, abbreviations_titles_initials)
{
    TOKS("Mr. Smith met Lt. Gen. Ortiz in the U.S. on Jan. 5.",
         "Mr.|Smith|met|Lt.|Gen.|Ortiz|in|the|U.S.|on|Jan.|5|.");
    TOKS("John F. Kendrick and J.R. Ortiz of Acme Inc. arrived at 10:30 a.m. today.",
         "John|F.|Kendrick|and|J.R.|Ortiz|of|Acme|Inc.|arrived|at|10:30|a.m.|today|.");
    cr_assert(hs_doc_tokens(t_doc, &(size_t){0})[1].flags & HS_TF_ABBREV);
}

Test(tokenize, numbers_and_money)
{
    TOKS("It cost $4.5 million, or \xE2\x82\xAC" "200 and 1,250 votes (3.7%).",
         "It|cost|$|4.5|million|,|or|\xE2\x82\xAC|200|and|1,250|votes|(|3.7|%|)|.");
    TOKS("In the '90s a 40-year-old won 5-4 on 9/11 in the 1990s.",
         "In|the|'90s|a|40-year-old|won|5-4|on|9/11|in|the|1990s|.");
}

Test(tokenize, web_handles_hashtags)
{
    TOKS("See https://example.org/report?id=7, www.example.com and news.example.org/a.",
         "See|https://example.org/report?id=7|,|www.example.com|and|news.example.org/a|.");
    TOKS("Write to desk@example.org or @HarborTimes with #BridgeVote today.",
         "Write|to|desk@example.org|or|@HarborTimes|with|#BridgeVote|today|.");
    TOKS("[Photo Credit: www.kremlin.ru]", "[|Photo|Credit|:|www.kremlin.ru|]");
    size_t n;
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    cr_assert_eq(t[4].kind, HS_TOK_URL);
}

Test(tokenize, quotes_dashes_ellipses)
{
    TOKS("\xE2\x80\x9CNo,\xE2\x80\x9D she said \xE2\x80\x94 twice\xE2\x80\xA6 or thrice...",
         "\xE2\x80\x9C|No|,|\xE2\x80\x9D|she|said|\xE2\x80\x94|twice|\xE2\x80\xA6|or|thrice|...");
    TOKS("He said \"yes\" -- and ''maybe'' \xC2\xABoui\xC2\xBB in 2019\xE2\x80\x93" "2021.",
         "He|said|\"|yes|\"|--|and|''|maybe|''|\xC2\xAB|oui|\xC2\xBB|in|2019|\xE2\x80\x93|2021|.");
}

Test(tokenize, apostrophe_or_single_quote)
{
    /* plural possessive vs closing single quote */
    TOKS("The ministers\xE2\x80\x99 plan was \xE2\x80\x98startled,\xE2\x80\x99 he said.",
         "The|ministers|\xE2\x80\x99|plan|was|\xE2\x80\x98|startled|,|\xE2\x80\x99|he|said|.");
    size_t n;
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    cr_assert_eq(t[2].kind, HS_TOK_WORD, "possessive apostrophe is a word");
    cr_assert(t[5].flags & HS_TF_OPEN);
    cr_assert(t[8].flags & HS_TF_CLOSE);
    cr_assert(t[6].flags & HS_TF_IN_QUOTE);
    cr_assert_not(t[9].flags & HS_TF_IN_QUOTE);
}

Test(tokenize, offsets_are_bytes_and_spaces_flagged)
{
    t_analyze("\xEF\xBB\xBF" "Caf\xC3\xA9 ok\r\nNext line");
    size_t n;
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    cr_assert_eq(n, 4);
    cr_assert_eq(t[0].start, 3, "BOM is skipped but counted");
    cr_assert_eq(t[0].end, 8);
    cr_assert_eq(t[1].start, 9);
    cr_assert(t[2].flags & HS_TF_LINE_BEFORE, "CRLF is a line break");
    cr_assert_not(t[1].flags & HS_TF_LINE_BEFORE);
    cr_assert(t[0].flags & HS_TF_CAP);
}

Test(tokenize, unicode_letters_and_nbsp)
{
    TOKS("Jos\xC3\xA9\xC2\xA0Mar\xC3\xAD" "a \xC3\x89lys\xC3\xA9" "e \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
         "Jos\xC3\xA9|Mar\xC3\xAD" "a|\xC3\x89lys\xC3\xA9" "e|\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
}

Test(tokenize, abbreviation_table_is_sorted)
{
    cr_assert(tok_abbrevs_sorted(), "binary search needs the table in byte order");
    cr_assert(tok_is_abbrev("Calif.", 6));
    cr_assert(tok_is_abbrev("Jan", 3));
    cr_assert_not(tok_is_abbrev("said", 4));
    cr_assert(tok_is_title_abbrev("Gen.", 4));
    cr_assert_not(tok_is_title_abbrev("Inc.", 4));
}

Test(tokenize, every_byte_is_covered_once)
{
    const char *s = "A\xE2\x80\x94" "b \xF0\x9F\x98\x80 c&d AT&T e/f ?! \xC2\xA7 ~~ _x_ a.b.c. end";
    t_analyze(s);
    size_t n, len;
    const hs_token *t = hs_doc_tokens(t_doc, &n);
    hs_doc_text(t_doc, &len);
    uint32_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert(t[i].start >= prev && t[i].end > t[i].start && t[i].end <= len);
        prev = t[i].end;
    }
}

Test(tokenize, possessive_after_digits_and_soft_hyphens)
{
    TOKS("The G7's plan and COVID-19's toll", "The|G7|'s|plan|and|COVID-19|'s|toll");
    TOKS("inter\xC2\xAD" "national news \xE2\x80\x8B here", "inter\xC2\xAD" "national|news|here");
}

/* A long run of address characters that is no address must be scanned once,
 * not once per word (it took minutes before). */
Test(tokenize, address_like_runs_are_linear, .timeout = 20)
{
    size_t n = 400000;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (i % 2) ? '_' : 'a';
    s[n] = 0;
    t_analyze(s);
    for (size_t i = 0; i < n; i++)
        s[i] = "abc."[i % 4];
    t_analyze(s);
    free(s);
}
