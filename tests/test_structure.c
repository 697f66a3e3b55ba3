/* Unit tests: block labels of an article (src/structure). Letters in the
 * expectations: H headline, C caption, c credit, Y byline, D dateline,
 * b body, Q blockquote, M missing-embed, X boilerplate (one per span). */
#include "testutil.h"

TestSuite(structure, .init = t_setup, .fini = t_teardown);

static char k[256];
#define KINDS(in, expect)                                                       \
    do {                                                                        \
        t_analyze(in);                                                          \
        cr_assert_str_eq(t_block_kinds(k, sizeof k), expect, "input: %s", in);  \
    } while (0)

Test(structure, headline_caption_credit_body)
{
    KINDS("Harbor Bridge Vote Delayed Again, Council Says\n\n"
          "The council chamber was full on Tuesday\n"
          "[Photo Credit: example.org]\n"
          "The vote on the harbor bridge was delayed for a third time on Tuesday, after two "
          "members asked for more time to read the engineers' report.\n",
          "HCcb");
    const hs_span *t = hs_doc_title(t_doc);
    cr_assert(t);
    cr_assert_eq(t->start, 0);
    cr_assert_eq(t->end, 46);
}

Test(structure, no_headline_when_the_first_line_is_prose)
{
    KINDS("The vote on the harbor bridge was delayed for a third time on Tuesday, after two "
          "members of the council asked for more time to read the long report from the "
          "engineers.\n\nIt is now expected in May.\n",
          "bb");
    cr_assert_null(hs_doc_title(t_doc));
}

Test(structure, credits_in_several_styles)
{
    KINDS("Title Of The Story\n\nA crowd outside the hall.\nPhoto: Jane Doe/Staff\n\n"
          "Body text follows here with enough words.\n\nFeatured image via Flickr\n",
          "HCcbc");
    KINDS("Title Of The Story\n\nThe mayor speaks at the hall. (Photo by Ana Lund/Getty Images)\n\n"
          "Body text follows.\n",
          "HCcb");
}

Test(structure, bylines_and_datelines)
{
    KINDS("Title Of The Story\n\nBy Maria Okafor\n\nMarch 4, 2026\n\n"
          "LISBON (Reuters) \xE2\x80\x94 Ministers met on Monday.\n\n"
          "PORTLAND, Ore. \xE2\x80\x94 The rain kept falling.\n\n"
          "By Tuesday, the talks had stalled.\n",
          "HYDDbDbb");
}

Test(structure, blockquote_after_saying)
{
    KINDS("Title Of The Story\n\nThe minister made light of it, saying:\n\n"
          "When you wait in a hall with others, you talk to them. I did that too.\n\n"
          "The remark drew laughter.\n",
          "HbQb");
}

Test(structure, blockquote_by_intro_verb_in_third_person)
{
    KINDS("Title Of The Story\n\nThe company said in a statement:\n\n"
          "The firm regrets the delay and will cooperate fully with the inquiry.\n\n"
          "Shares fell.\n",
          "HbQb");
}

Test(structure, missing_embed_when_the_tweet_is_gone)
{
    KINDS("Title Of The Story\n\nThe senator responded on Twitter:\n\n"
          "Aside from the senator, no one else has commented on the plan so far.\n",
          "HMb");
    KINDS("Title Of The Story\n\nSome text here.\n\nWatch the full exchange below:\n", "HbM");
}

Test(structure, colon_before_a_quoted_paragraph_or_list_is_body)
{
    KINDS("Title Of The Story\n\nThe governor added:\n\n\xE2\x80\x9CWe will not stop.\xE2\x80\x9D\n",
          "Hbb");
    KINDS("Title Of The Story\n\nThe plan has three parts:\n\n- new lanes for buses\n", "Hbb");
}

Test(structure, orphan_closing_quote_makes_a_blockquote)
{
    KINDS("Title Of The Story\n\nHe described the response as \xE2\x80\x98startled.\xE2\x80\x99\n\n"
          "Allies were surprised. You\xE2\x80\x99ve got him in the room and who does he "
          "talk to?\xE2\x80\x9D\n\nThe meeting ended.\n",
          "HbQb");
}

Test(structure, boilerplate_at_the_end)
{
    KINDS("Title Of The Story\n\nBody text here.\n\nWelcome to the Coastal Ledger\xE2\x80\xA6\n\n"
          "Follow Us On: Facebook and Twitter\n\nSign up for our daily newsletter\n",
          "HbXXX");
    size_t n;
    const hs_block *b = hs_doc_blocks(t_doc, &n);
    cr_assert_eq(n, 3, "consecutive boilerplate is one block with several spans");
    cr_assert_eq(b[2].nspans, 3);
    KINDS("Title Of The Story\n\nBody text here.\n\nFollow Pam Key on Twitter @pamkey\n", "HbX");
}

Test(structure, quoted_welcome_is_body)
{
    KINDS("Title Of The Story\n\n\xE2\x80\x9CWelcome to the new normal,\xE2\x80\x9D she said.\n",
          "Hb");
}

Test(structure, every_paragraph_in_one_block_in_order)
{
    t_analyze("Title Of The Story\n\nBy Ana Lund\n\nLISBON (AP) \xE2\x80\x94 Text one.\n\n"
              "Two:\n\nThree, I said.\n\nShare this article\n");
    size_t nb, np;
    const hs_block *b = hs_doc_blocks(t_doc, &nb);
    const hs_paragraph *p = hs_doc_paragraphs(t_doc, &np);
    uint32_t covered = 0, prev_end = 0;
    for (size_t i = 0; i < nb; i++)
        for (uint32_t j = 0; j < b[i].nspans; j++) {
            cr_assert(b[i].spans[j].start >= prev_end);
            prev_end = b[i].spans[j].end;
            covered += b[i].spans[j].end - b[i].spans[j].start;
        }
    uint32_t total = 0;
    for (size_t i = 0; i < np; i++)
        total += p[i].end - p[i].start;
    cr_assert_leq(covered, total);
    cr_assert_geq(covered + 2 * np, total, "blocks cover the paragraphs");
}

Test(structure, labels_and_list_intros_are_not_missing_embeds)
{
    KINDS("Title Of The Story\n\nCORRECTION:\n\nAn earlier version misstated the date of the vote.\n",
          "Hbb");
    KINDS("Title Of The Story\n\nThe changes the council wants include:\n\n"
          "Bus lanes: two new lanes on the bridge approach, paid for by the port.\n",
          "Hbb");
    KINDS("Title Of The Story\n\nThese are the members who voted against it:\n\nAna Lund, 40.\n",
          "Hbb");
}

Test(structure, from_outlet_introduces_an_excerpt)
{
    KINDS("Title Of The Story\n\nFrom the Harbor Times:\n\n"
          "The council has delayed the vote three times since the report came out in February.\n",
          "HbQ");
}

Test(structure, embedded_post_that_is_present_is_a_blockquote)
{
    KINDS("Title Of The Story\n\nThe senator responded on Twitter:\n\n"
          "The bridge is safe today and it will be safe tomorrow "
          "pic.twitter.com/AbCdEf123 \xE2\x80\x94 Gloria Pena (@GloriaPena) March 4, 2026\n\n"
          "Her post was shared widely.\n",
          "HbQb");
}

Test(structure, like_the_page_prompt_is_boilerplate)
{
    KINDS("Title Of The Story\n\nBody text of the story goes here.\n\n"
          "Do you support the toll? Like the page:\n\nMore body text follows here.\n",
          "HbXb");
}

Test(structure, wire_datelines_with_dates)
{
    KINDS("Title Of The Story\n\nLONDON, March 3 (Reuters) - The central bank held rates.\n", "HDb");
    KINDS("Title Of The Story\n\nWASHINGTON, Jan. 5 \xE2\x80\x94 Lawmakers returned.\n", "HDb");
    KINDS("Title Of The Story\n\nPARIS, May 2, 2024 (AFP) \xE2\x80\x94 Talks resumed.\n", "HDb");
}

Test(structure, a_lede_is_not_a_headline)
{
    KINDS("The city council voted on Tuesday to approve the new budget.\n\n"
          "The vote was 7 to 2 after a long debate about the harbor bridge.\n",
          "bb");
    /* news sites' sentence-case headlines with a period still are */
    KINDS("Cruz looks to ease bad blood with party leaders.\n\n"
          "The senator wants to help colleagues keep their seats, his allies say.\n",
          "Hb");
}

Test(structure, a_list_after_a_colon_is_not_a_missing_embed)
{
    KINDS("Budget Passes\n\nThe plan has three parts:\n\nRaising the parking fee by a dollar.\n\n"
          "Hiring ten more inspectors for the port.\n\nThe rest goes to schools, officials said.\n",
          "Hbbbb");
}

Test(structure, bylines_with_roles_and_dates)
{
    KINDS("Title Of The Story\n\nBy Jane Doe, staff writer\n\nBody text here.\n", "HYb");
    KINDS("Title Of The Story\n\nBy Jane Doe on March 3, 2024\n\nBody text here.\n", "HYb");
    KINDS("Title Of The Story\n\nBy March, the talks had stalled.\n", "Hb");
}

Test(structure, a_dateline_is_a_sentence_of_its_own)
{
    KINDS("Title Of The Story\n\nLISBON (Reuters) \xE2\x80\x94 Ferry fares will rise in May.\n", "HDb");
    size_t n;
    const hs_sentence *s = hs_doc_sentences(t_doc, &n);
    cr_assert_eq(n, 3);
    cr_assert_eq(s[1].end - s[1].start, strlen("LISBON (Reuters) \xE2\x80\x94"));
    size_t nt;
    const hs_token *t = hs_doc_tokens(t_doc, &nt);
    cr_assert(t[s[2].tok_begin].flags & HS_TF_SENT_START);
    size_t np;
    const hs_paragraph *p = hs_doc_paragraphs(t_doc, &np);
    cr_assert_eq(p[1].sent_end - p[1].sent_begin, 2);
}

/* Many datelines in one document: the sentence split stays linear. */
Test(structure, many_datelines_are_split_in_linear_time, .timeout = 20)
{
    const char *para = "WASHINGTON (AP) \xE2\x80\x94 Lawmakers met again.\n\n";
    size_t n = 40000, pl = strlen(para);
    char *s = malloc(n * pl + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * pl, para, pl);
    s[n * pl] = 0;
    t_analyze(s);
    size_t ns, nb;
    hs_doc_sentences(t_doc, &ns);
    hs_doc_blocks(t_doc, &nb);
    /* The first paragraph is taken as the headline; each other one is a
     * dateline and a body sentence. */
    cr_assert_eq(ns, 2 * n - 1);
    cr_assert_eq(nb, 2 * n - 1);
    free(s);
}
