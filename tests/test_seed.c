/* The seed article (../shared/data/seed): every block kind it has must come
 * out right. Skipped, with a message, when ../shared is not beside the repo. */
#include "testutil.h"

TestSuite(seed, .init = t_setup, .fini = t_teardown);

static char path[1024];
static char *text;
static size_t len;

/* Analyzes the seed article, or skips the test when it is absent. */
static void load(void)
{
    t_shared("data/seed/hillreporter-2017-07-trump-putin-lavrov.txt", path, sizeof path);
    text = t_slurp(path, &len);
    cr_assert_eq(hs_doc_analyze(t_doc, path, text, len, 0), HS_OK);
}

/* Kind of the block whose span starts with prefix, or -1. */
static int kind_of(const char *prefix)
{
    size_t n;
    const hs_block *b = hs_doc_blocks(t_doc, &n);
    for (size_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < b[i].nspans; j++)
            if (!strncmp(text + b[i].spans[j].start, prefix, strlen(prefix)))
                return b[i].kind;
    return -1;
}

Test(seed, title_is_the_headline)
{
    load();
    const hs_span *t = hs_doc_title(t_doc);
    cr_assert_not_null(t);
    cr_assert_eq(t->start, 0);
    cr_assert_eq(kind_of("Donald Trump And Vladimir Putin May Have"), HS_BLOCK_HEADLINE);
    cr_assert_eq(text[t->end], '\n');
    free(text);
}

Test(seed, caption_and_credit)
{
    load();
    cr_assert_eq(kind_of("Donald Trump and Vladimir Putin likely"), HS_BLOCK_CAPTION);
    cr_assert_eq(kind_of("[Photo Credit"), HS_BLOCK_CREDIT);
    cr_assert_eq(kind_of("Much has already"), HS_BLOCK_BODY);
    free(text);
}

Test(seed, blockquotes)
{
    load();
    cr_assert_eq(kind_of("According to NBC News"), HS_BLOCK_BODY);
    cr_assert_eq(kind_of("When you are bought"), HS_BLOCK_BLOCKQUOTE, "Lavrov's block quote");
    cr_assert_eq(kind_of("U.S. allies were surprised"), HS_BLOCK_BLOCKQUOTE,
                 "Bremmer's quote with a lost opening mark");
    free(text);
}

Test(seed, missing_embed_and_boilerplate)
{
    load();
    cr_assert_eq(kind_of("On Saturday morning"), HS_BLOCK_MISSING_EMBED);
    cr_assert_eq(kind_of("Aside from Russian"), HS_BLOCK_BODY);
    cr_assert_eq(kind_of("Welcome to"), HS_BLOCK_BOILERPLATE);
    cr_assert_eq(kind_of("Follow Us On"), HS_BLOCK_BOILERPLATE);
    size_t n;
    const hs_block *b = hs_doc_blocks(t_doc, &n);
    cr_assert_eq(b[n - 1].kind, HS_BLOCK_BOILERPLATE);
    cr_assert_eq(b[n - 1].nspans, 2, "the two boilerplate lines form one block");
    free(text);
}

Test(seed, every_other_paragraph_is_body)
{
    load();
    size_t n, body = 0;
    const hs_block *b = hs_doc_blocks(t_doc, &n);
    for (size_t i = 0; i < n; i++)
        body += b[i].kind == HS_BLOCK_BODY;
    cr_assert_eq(body, 6);
    free(text);
}
