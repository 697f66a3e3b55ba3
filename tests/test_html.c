/* test_html - the article of a web page: furniture left out, paragraphs,
 * headings and block quotes kept, metadata from JSON-LD and <meta>, broken
 * markup, charsets; and the score on the extraction benchmark's dev pages
 * (skipped when ../shared is absent). Pages are written here. */
#include "testutil.h"

#include <zlib.h>

#include "charset.h"
#include "html.h"

static html_article art;

static void fini(void)
{
    html_article_free(&art);
    memset(&art, 0, sizeof art);
}

static const char *extract(const char *html)
{
    const char *why = NULL;
    int rc = html_extract(&art, html, strlen(html), NULL, &why);
    cr_assert_eq(rc, HS_OK, "extraction failed: %s", why ? why : "?");
    return art.body.p;
}

TestSuite(html, .fini = fini);

Test(html, keeps_article_drops_furniture)
{
    const char *b = extract(
        "<html><head><title>Bridge Vote Delayed | The Valley Post</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<div class='cookie-notice'>This site uses cookies to give you a better experience.</div>"
        "<article><h1>Bridge Vote Delayed</h1>"
        "<p>The county board delayed its vote on the new bridge for a second time on Monday night.</p>"
        "<h2>What comes next</h2>"
        "<p>Board member Petra Lind said the engineers needed another month, and others agreed with her.</p>"
        "<div class='social-share'><a href='#'>Share</a> <a href='#'>Tweet</a></div>"
        "</article><div id='comments'><p>I have waited ten years for this bridge, said a reader here.</p></div>"
        "<footer>All rights reserved, The Valley Post, 2026.</footer></body></html>");
    cr_assert(strstr(b, "The county board delayed its vote"), "%s", b);
    cr_assert(strstr(b, "What comes next\n\nBoard member Petra Lind"), "%s", b);
    cr_assert_null(strstr(b, "Home"), "%s", b);
    cr_assert_null(strstr(b, "cookies"), "%s", b);
    cr_assert_null(strstr(b, "Share"), "%s", b);
    cr_assert_null(strstr(b, "waited ten years"), "%s", b);
    cr_assert_null(strstr(b, "rights reserved"), "%s", b);
    cr_assert_null(strstr(b, "Bridge Vote Delayed"), "the title heading is not body text: %s", b);
    cr_assert_str_eq(art.title.p, "Bridge Vote Delayed");
}

Test(html, block_quotes_and_embedded_posts_are_paragraphs)
{
    const char *b = extract(
        "<html><body><div class='story'><p>The minister answered her critics online on Sunday evening.</p>"
        "<blockquote class='twitter-tweet'><p lang='en'>We will not cut the ferry budget.</p>"
        "&mdash; Minister Ada Holm (@adaholm)</blockquote>"
        "<p>Opposition leader Rui Sousa called the promise empty in a long statement.</p></div></body></html>");
    cr_assert(strstr(b, "Sunday evening.\n\nWe will not cut the ferry budget."), "%s", b);
    cr_assert(strstr(b, "(@adaholm)\n\nOpposition leader"), "%s", b);
    cr_assert_eq(art.nquotes, 1);
    cr_assert_eq(art.nparas, 4); /* the tweet: its text and its signature */
}

Test(html, metadata_from_json_ld_and_meta)
{
    extract("<html lang='en-GB'><head>"
            "<meta property='og:title' content='A Meta Title'>"
            "<meta property='og:site_name' content='The Harbor Times'>"
            "<link rel='canonical' href='https://harbor.example/story'>"
            "<script type='application/ld+json'>{\"@graph\":[{\"@type\":\"WebPage\"},"
            "{\"@type\":\"NewsArticle\",\"headline\":\"Ferry Fares Will Rise\","
            "\"author\":[{\"name\":\"Ana Lund\"},{\"name\":\"Tom Reyes\"}],"
            "\"datePublished\":\"2026-03-04T09:00:00Z\"}]}</script></head>"
            "<body><p>Ferry fares will rise by eight percent in May, the port said on Friday.</p></body></html>");
    cr_assert_str_eq(art.title.p, "Ferry Fares Will Rise");
    cr_assert_str_eq(art.byline.p, "Ana Lund, Tom Reyes");
    cr_assert_str_eq(art.date.p, "2026-03-04T09:00:00Z");
    cr_assert_str_eq(art.url.p, "https://harbor.example/story");
    cr_assert_str_eq(art.site.p, "The Harbor Times");
    cr_assert_str_eq(art.lang.p, "en-GB");
}

Test(html, json_ld_body_when_scripts_build_the_page)
{
    const char *b = extract(
        "<html><head><script type='application/ld+json'>{\"@type\":\"NewsArticle\","
        "\"headline\":\"Dam Repairs Begin\",\"articleBody\":\"Repairs on the old river dam began "
        "on Monday, two years after the flood.\\nThe works will take until spring, engineer Mia Roth "
        "said, and the road over the dam stays closed until then.\"}</script></head>"
        "<body><div id='app'></div><noscript>Turn on JavaScript</noscript></body></html>");
    cr_assert_str_eq(b, "Repairs on the old river dam began on Monday, two years after the flood.\n\n"
                        "The works will take until spring, engineer Mia Roth said, and the road over "
                        "the dam stays closed until then.");
    cr_assert_eq(art.nparas, 2);
}

Test(html, title_without_site_name)
{
    extract("<html><head><title>Council Approves Budget - The Valley Post</title></head>"
            "<body><p>The council approved next year's budget after a debate of four hours.</p></body></html>");
    cr_assert_str_eq(art.title.p, "Council Approves Budget");
}

Test(html, broken_markup_and_text_in_head)
{
    /* an element libxml2 cannot place in <head> keeps the text after it there */
    const char *b = extract("<html><head><link rel='x'><p>Text that a broken page left in its head "
                            "is still the article, and it is long enough to count.</p></head></html>");
    cr_assert(strstr(b, "Text that a broken page left"), "%s", b);
    b = extract("<div><p>Unclosed paragraph with <b>bold text and <i>italics that never "
                "close, but the words are still all there in the end");
    cr_assert(strstr(b, "Unclosed paragraph with bold text and italics"), "%s", b);
}

Test(html, no_body_is_refused_with_a_reason)
{
    const char *why = NULL;
    const char *p = "<html><head><title>Only a title</title></head></html>";
    cr_assert_eq(html_extract(&art, p, strlen(p), NULL, &why), HS_EEMPTY);
    cr_assert(why && strstr(why, "no text"), "%s", why ? why : "(null)");
    cr_assert_eq(art.body.len, 0);
}

Test(html, white_space_and_entities)
{
    const char *b = extract("<body><p>Caf&eacute;\n owners&nbsp;&amp; the   city <br>agreed on a plan "
                            "for the summer months, the mayor said.</p></body>");
    cr_assert(strstr(b, "Caf\xC3\xA9 owners & the city\nagreed on a plan"), "%s", b);
}

Test(html, charsets)
{
    char cs[48];
    charset_sniff("<meta charset=\"ISO-8859-1\"><p>x", 30, NULL, cs, sizeof cs);
    cr_assert_str_eq(cs, "windows-1252");
    charset_sniff("<p>plain ascii</p>", 18, "text/html; charset=Shift_JIS", cs, sizeof cs);
    cr_assert_str_eq(cs, "shift_jis");
    charset_sniff("<p>caf\xe9</p>", 11, NULL, cs, sizeof cs);
    cr_assert_str_eq(cs, "windows-1252", "invalid UTF-8 without a declaration is windows-1252");
    charset_sniff("\xEF\xBB\xBF<p>x</p>", 11, "text/html; charset=latin1", cs, sizeof cs);
    cr_assert_str_eq(cs, "utf-8", "a BOM wins");
    charset_conv cv = {0};
    buf out = {0};
    size_t bad;
    int unk;
    cr_assert_eq(charset_to_utf8(&cv, "windows-1252", "caf\xe9 \x93quote\x94", 12, &out, &bad, &unk), HS_OK);
    cr_assert_eq(unk, 0);
    cr_assert_str_eq(out.p, "caf\xC3\xA9 \xE2\x80\x9Cquote\xE2\x80\x9D");
    cr_assert_eq(bad, 0);
    cr_assert_eq(charset_to_utf8(&cv, "shift_jis", "\x82\xa0\xff", 3, &out, &bad, &unk), HS_OK);
    cr_assert_eq(unk, 0);
    cr_assert(strncmp(out.p, "\xE3\x81\x82", 3) == 0, "%s", out.p);
    cr_assert_eq(bad, 1);
    /* a lone surrogate in UTF-16 is one bad unit of two bytes: what follows
     * stays in step */
    static const char u16[] = "\xFF\xFE" "a\0" "\x00\xD8" "b\0c\0";
    cr_assert_eq(charset_to_utf8(&cv, "utf-16le", u16, sizeof u16 - 1, &out, &bad, &unk), HS_OK);
    cr_assert_eq(unk, 0);
    cr_assert(strstr(out.p, "a\xEF\xBF\xBD" "bc"), "%s", out.p);
    cr_assert_eq(bad, 1);
    static const char u16be[] = "\0a" "\xDC\x00" "\0b\0c";
    cr_assert_eq(charset_to_utf8(&cv, "utf-16be", u16be, sizeof u16be - 1, &out, &bad, &unk), HS_OK);
    cr_assert_eq(unk, 0);
    cr_assert_str_eq(out.p, "a\xEF\xBF\xBD" "bc");
    static const char u32[] = "a\0\0\0" "\x00\xD8\0\0" "b\0\0\0";
    cr_assert_eq(charset_to_utf8(&cv, "utf-32le", u32, sizeof u32 - 1, &out, &bad, &unk), HS_OK);
    cr_assert_eq(unk, 0);
    cr_assert_str_eq(out.p, "a\xEF\xBF\xBD" "b");
    cr_assert_eq(charset_to_utf8(&cv, "no-such-charset", "abc", 3, &out, &bad, &unk), HS_OK);
    cr_assert_eq(unk, 1);
    cr_assert_str_eq(out.p, "abc");
    charset_close(&cv);
    buf_free(&out);
}

/* A UTF-16 page (byte order mark) with a lone surrogate (half an emoji):
 * the page after it is still read in step. */
Test(html, utf16_page_with_a_lone_surrogate)
{
    hs_engine *e;
    hs_doc *d;
    cr_assert_eq(hs_engine_open(&e, NULL), HS_OK);
    cr_assert_eq(hs_doc_new(&d, e), HS_OK);
    const char *page = "<html><head><title>Caf\xC3\xA9 news</title></head><body><article><p>"
                       "Owners of six caf\xC3\xA9s \x01 on Brenna Street protested the closure of the "
                       "street for repairs, officials said on Monday.</p></article></body></html>";
    buf u = {0};
    buf_append(&u, "\xFF\xFE", 2);
    for (const unsigned char *p = (const unsigned char *)page; *p;) {
        /* UTF-8 to UTF-16LE for this page's characters; 0x01 stands for U+D800 */
        unsigned c = *p++;
        if (c == 0x01)
            c = 0xD800;
        else if (c >= 0xC0)
            c = ((c & 0x1F) << 6) | (*p++ & 0x3F);
        buf_putc(&u, (char)(c & 0xFF));
        buf_putc(&u, (char)(c >> 8));
    }
    hs_input in = {.id = "u16.html", .text = u.p, .len = u.len, .format = HS_FORMAT_HTML};
    cr_assert_eq(hs_doc_analyze_input(d, &in, HS_ANALYZE_EXTRACT), HS_OK, "%s", hs_doc_errmsg(d));
    size_t n;
    const char *body = hs_doc_body(d, &n);
    cr_assert(strstr(body, "Owners of six caf\xC3\xA9s \xEF\xBF\xBD on Brenna Street protested"), "%s", body);
    hs_doc_free(d);
    hs_engine_close(e);
    buf_free(&u);
}

/* A NUL byte anywhere (libxml2 stops reading at it) makes the page binary
 * data, as it does a text; in UTF-16, where NUL bytes are normal, a U+0000. */
Test(html, nul_anywhere_is_binary)
{
    hs_engine *e;
    hs_doc *d;
    cr_assert_eq(hs_engine_open(&e, NULL), HS_OK);
    cr_assert_eq(hs_doc_new(&d, e), HS_OK);
    buf b = {0};
    buf_printf(&b, "<html><body><article>");
    while (b.len < 70000)
        buf_printf(&b, "<p>The harbor council delayed its vote on the ferry line, officials said.</p>\n");
    size_t at = b.len;
    buf_putc(&b, 0);
    buf_printf(&b, "<p>SECOND HALF of the article.</p></article></body></html>");
    hs_input in = {.id = "nul.html", .text = b.p, .len = b.len, .format = HS_FORMAT_HTML};
    for (unsigned flags = 0; flags <= HS_ANALYZE_EXTRACT; flags += HS_ANALYZE_EXTRACT) {
        cr_assert_eq(hs_doc_analyze_input(d, &in, flags), HS_EBINARY);
        char want[64];
        snprintf(want, sizeof want, "byte %zu: binary data (control character 0x00)", at);
        cr_assert(strstr(hs_doc_errmsg(d), want), "%s", hs_doc_errmsg(d));
    }
    /* UTF-16LE: NUL bytes everywhere are fine, a U+0000 is not */
    const char ok16[] = "\xFF\xFE<\0p\0>\0H\0i\0 \0t\0h\0e\0r\0e\0,\0 \0s\0a\0i\0d\0 \0B\0o\0b\0.\0";
    in.text = ok16, in.len = sizeof ok16 - 1;
    cr_assert_eq(hs_doc_analyze_input(d, &in, HS_ANALYZE_EXTRACT), HS_OK, "%s", hs_doc_errmsg(d));
    const char nul16[] = "\xFF\xFE<\0p\0>\0H\0i\0\0\0 \0t\0h\0e\0r\0e\0.\0";
    in.text = nul16, in.len = sizeof nul16 - 1;
    cr_assert_eq(hs_doc_analyze_input(d, &in, HS_ANALYZE_EXTRACT), HS_EBINARY);
    cr_assert(strstr(hs_doc_errmsg(d), "decoded from utf-16le: binary data (U+0000)"), "%s", hs_doc_errmsg(d));
    hs_doc_free(d);
    hs_engine_close(e);
    buf_free(&b);
}

/* A JSON-LD script that jansson would need more than the budget for is
 * left out, and said so; the page is read. */
Test(html, json_ld_over_the_budget_is_left_out)
{
    buf b = {0};
    buf_printf(&b, "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
                   "\"headline\":\"From JSON-LD\",\"x\":[0");
    for (int k = 0; k < 100000; k++)
        buf_printf(&b, ",0");
    buf_printf(&b, "]}</script><title>From the title</title></head><body><article><p>The harbor council "
                   "delayed its vote on the new ferry line on Tuesday, officials said.</p></article></body></html>");
    art.json_budget = 1u << 20;
    const char *body = extract(b.p);
    cr_assert(strstr(body, "The harbor council delayed"), "%s", body);
    cr_assert_str_eq(art.title.p, "From the title");
    cr_assert(strstr(art.warn.p, "a JSON-LD script of ") &&
              strstr(art.warn.p, "bytes would take more than 1 MiB of memory to read; left out"),
              "%s", art.warn.p);
    art.json_budget = 0; /* no budget: read */
    extract(b.p);
    cr_assert_str_eq(art.title.p, "From JSON-LD");
    cr_assert_eq(art.warn.len, 0);
    buf_free(&b);
}

/* A page whose article sits below n nested <div>s (closed or not): two
 * paragraphs before them, two after. */
static char *nested_page(int n, int closed)
{
    buf b = {0};
    const char *para = "The harbor council delayed its vote on the new ferry line on Tuesday, "
                       "officials said after a long meeting in the town hall.";
    buf_printf(&b, "<html><head><title>Ferry</title></head><body><article><p>First half: %s</p>"
                   "<p>First half again: %s</p>", para, para);
    for (int i = 0; i < n; i++)
        buf_printf(&b, "<div>");
    buf_printf(&b, "<p>Second half: %s</p><p>Second half again: %s</p>", para, para);
    for (int i = 0; closed && i < n; i++)
        buf_printf(&b, "</div>");
    buf_printf(&b, "</article></body></html>");
    return b.p;
}

Test(html, deep_nesting_is_read_or_reported)
{
    /* 300 levels: libxml2 alone stops at 256 and the second half was lost */
    for (int closed = 0; closed < 2; closed++) {
        char *p = nested_page(300, closed);
        const char *b = extract(p);
        cr_assert(strstr(b, "Second half: ") && strstr(b, "Second half again: "), "%s", b);
        cr_assert_eq(art.warn.len, 0, "%s", art.warn.p);
        free(p);
    }
    /* 700 levels: what comes before them is read, the stop is said */
    char *p = nested_page(700, 0);
    const char *b = extract(p);
    cr_assert(strstr(b, "First half again: "), "%s", b);
    cr_assert_null(strstr(b, "Second half"), "%s", b);
    cr_assert(strstr(art.warn.p, "the HTML parser stopped at line 1 (byte ") &&
              strstr(art.warn.p, "elements nested more than 512 deep; the rest of the page is not read"),
              "%s", art.warn.p);
    /* the document's errors say it */
    hs_engine *e;
    hs_doc *d;
    cr_assert_eq(hs_engine_open(&e, NULL), HS_OK);
    cr_assert_eq(hs_doc_new(&d, e), HS_OK);
    hs_input in = {.id = "deep.html", .text = p, .len = strlen(p), .format = HS_FORMAT_HTML};
    cr_assert_eq(hs_doc_analyze_input(d, &in, HS_ANALYZE_EXTRACT), HS_OK, "%s", hs_doc_errmsg(d));
    const char *js;
    cr_assert_eq(hs_doc_json(d, HS_JSON_EXTRACT, &js, NULL), HS_OK);
    cr_assert(strstr(js, "\"errors\":[\"the HTML parser stopped at line 1"), "%s", js);
    cr_assert_eq(hs_doc_analyze_input(d, &in, 0), HS_OK, "%s", hs_doc_errmsg(d));
    size_t ne;
    const char *const *errs = hs_doc_errors(d, &ne);
    cr_assert(ne == 1 && strstr(errs[0], "nested more than 512 deep"));
    hs_doc_free(d);
    hs_engine_close(e);
    free(p);
    /* all the text below the limit: the refusal says why */
    buf q = {0};
    buf_printf(&q, "<html><body>");
    for (int i = 0; i < 5000; i++)
        buf_printf(&q, "<span>");
    buf_printf(&q, "<p>The harbor council delayed its vote on the new ferry line on Tuesday.</p></body></html>");
    const char *why = NULL;
    cr_assert_eq(html_extract(&art, q.p, q.len, NULL, &why), HS_EEMPTY);
    cr_assert(strstr(art.warn.p, "nested more than 512 deep"), "%s", art.warn.p);
    buf_free(&q);
}

/* Unclosed elements and stray end tags: libxml2's end tags search the open
 * elements, so without the depth limit this 1 MB page took 14 s to parse;
 * with it, a few milliseconds. */
Test(html, deep_nesting_stays_linear)
{
    buf q = {0};
    buf_printf(&q, "<html><body><p>The harbor council met again on Tuesday.</p>");
    for (int i = 0; i < 100000; i++)
        buf_printf(&q, "<div>");
    for (int i = 0; i < 100000; i++)
        buf_printf(&q, "</p>");
    buf_printf(&q, "</body></html>");
    const char *why = NULL;
    html_extract(&art, q.p, q.len, NULL, &why);
    cr_assert(strstr(art.warn.p, "nested more than 512 deep"), "%s", art.warn.p);
    buf_free(&q);
}

/* Three paragraphs of one article, used in pages written below. */
#define P1 "The harbor council approved the ferry budget on Tuesday after a long night of debate."
#define P2 "Council member Ines Vale said the vote would keep the night boats running all winter."
#define P3 "The budget still needs the governor's signature, which is expected later this month."

Test(html, custom_elements_wrap_the_whole_body)
{
    const char *b = extract(
        "<html><head><title>Ferry budget passes</title></head><body><x-page>"
        "<x-site-nav><a href='/'>Home</a> <a href='/news'>News</a></x-site-nav>"
        "<x-article-body><x-para>" P1 "</x-para><x-para>" P2 "</x-para>"
        "<x-para>" P3 "</x-para></x-article-body>"
        "<x-related-stories><a href='/a'>Bridge vote delayed again</a> "
        "<a href='/b'>Mayor opens the new harbor bridge</a></x-related-stories>"
        "</x-page></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2 "\n\n" P3), "one paragraph an <x-para>: %s", b);
    cr_assert_null(strstr(b, "Home"), "%s", b);
    cr_assert_null(strstr(b, "Bridge vote"), "a custom tag names its part: %s", b);
    cr_assert_null(art.fallback, "%s", art.fallback);
    cr_assert_eq(art.nparas, 3);
}

Test(html, unknown_tags_holding_paragraphs)
{
    const char *b = extract("<html><body><storywrap><content><p>" P1 "</p><p>" P2
                            "</p></content></storywrap><o:p></o:p></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2), "%s", b);
}

Test(html, text_directly_in_custom_elements)
{
    const char *b = extract(
        "<html><body><main-story><story-text>" P1 " <story-em>All of it</story-em> passed."
        "</story-text><story-text>" P2 "</story-text>"
        "<p>She said the <x-term>harbor fund</x-term> would grow again next year.</p>"
        "</main-story></body></html>");
    cr_assert(strstr(b, P1 " All of it passed.\n\n" P2), "%s", b);
    cr_assert(strstr(b, "She said the harbor fund would grow"),
              "a custom element in a paragraph is a part of it: %s", b);
}

Test(html, article_class_with_a_furniture_word_is_kept_when_it_holds_the_page)
{
    const char *b = extract(
        "<html><body><x-a class='story-body has-breadcrumb'><p>" P1 "</p><p>" P2 "</p><p>" P3
        "</p></x-a><x-d class='breadcrumb'><a href='/'>Home</a></x-d></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2 "\n\n" P3), "%s", b);
    cr_assert_null(strstr(b, "Home"), "%s", b);
}

Test(html, page_wrapped_in_furniture_falls_back_to_paragraphs)
{
    const char *b = extract(
        "<html><body><x-page class='social-share-wrapper'><nav><a href='/'>Home</a></nav>"
        "<x-body><p>" P1 "</p><p>" P2 "</p></x-body>"
        "<x-links><a href='/a'>Bridge vote delayed again this week</a></x-links>"
        "</x-page></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2), "%s", b);
    cr_assert_null(strstr(b, "Bridge vote"), "a link list is no paragraph: %s", b);
    cr_assert_null(strstr(b, "Home"), "%s", b);
    cr_assert(art.fallback && strstr(art.fallback, "every paragraph of low link density"));
}

Test(html, page_of_links_falls_back_to_visible_text)
{
    const char *b = extract(
        "<html><body><header><a href='/'>Home</a></header><div class='promo'>"
        "<a href='/a'>The harbor council approved the ferry budget on Tuesday night</a></div>"
        "<script>var x = 'not text';</script></body></html>");
    cr_assert(strstr(b, "The harbor council approved the ferry budget"), "%s", b);
    cr_assert_null(strstr(b, "Home"), "%s", b);
    cr_assert_null(strstr(b, "not text"), "%s", b);
    cr_assert(art.fallback && strstr(art.fallback, "all the visible text"));
}

Test(html, empty_bodies_fail_without_a_fallback)
{
    static const char *const pages[] = {
        "<html><head><title>Nothing</title></head><body></body></html>",
        ("<html><body>  \n <x-page><x-para> </x-para></x-page>"
         "<script>var a = 1;</script></body></html>"),
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        const char *why = NULL;
        int rc = html_extract(&art, pages[i], strlen(pages[i]), NULL, &why);
        cr_assert_eq(rc, HS_EEMPTY, "page %zu: %s", i, art.body.p);
        cr_assert(why, "page %zu", i);
        cr_assert_null(art.fallback, "page %zu", i);
    }
}

Test(html, heading_of_related_pages_drops_what_follows_it)
{
    const char *b = extract(
        "<html><head><title>Ferry budget passes</title></head><body><div id='primary'>"
        "<article class='post'><p>" P1 "</p><p>" P2 "</p></article>"
        "<h3 class='relatedposts-title'>You may also like</h3>"
        "<article class='post teaser'><p>The mayor opened the new harbor bridge on Monday, "
        "saying it would cut commute times for thousands of residents.</p></article>"
        "<article class='post teaser'><p>A storm closed the port for two days last week and "
        "left hundreds of travelers waiting for the next boat.</p></article>"
        "</div></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2), "%s", b);
    cr_assert_null(strstr(b, "You may also like"), "%s", b);
    cr_assert_null(strstr(b, "harbor bridge"), "%s", b);
    cr_assert_null(strstr(b, "storm closed"), "%s", b);
    cr_assert_null(art.fallback, "a short article is not replaced by the page: %s", art.fallback);
}

Test(html, screen_reader_and_copyright_lines_are_dropped)
{
    const char *b = extract(
        "<html><head><title>Ferry budget passes</title></head><body><article><p>" P1 "</p>"
        "<figure><img src='a.jpg'><span class='image-and-copyright'>"
        "<span class='off-screen'>Image copyright</span> Harbor Photo Agency</span></figure>"
        "<p>" P2 "</p></article></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2), "%s", b);
    cr_assert_null(strstr(b, "copyright"), "%s", b);
}

Test(html, calls_to_follow_or_subscribe_are_dropped)
{
    const char *b = extract(
        "<html><head><title>Ferry budget passes</title></head><body><article><p>" P1 "</p>"
        "<p>Vale, who has many followers on Twitter, said the boats are a lifeline for the "
        "islands.</p><p>" P2 "</p>"
        "<p><i>Follow the Harbor Post on Twitter and Facebook.</i></p>"
        "<p>Get the news first: sign up for our morning newsletter.</p></article></body></html>");
    cr_assert(strstr(b, P1), "%s", b);
    cr_assert(strstr(b, "many followers on Twitter"), "not a call to action: %s", b);
    cr_assert(strstr(b, P2), "%s", b);
    cr_assert_null(strstr(b, "Follow the Harbor Post"), "%s", b);
    cr_assert_null(strstr(b, "newsletter"), "%s", b);
    /* news that merely names a network or a newsletter stays */
    b = extract("<html><head><title>Ferry budget passes</title></head><body><article><p>" P1
                "</p><p>Investigators follow every lead, a police spokesman said on Twitter.</p>"
                "<p>The newsletter, which has 40,000 subscribers, was the first to report it.</p>"
                "<p>" P2 "</p></article></body></html>");
    cr_assert(strstr(b, "Investigators follow every lead"), "%s", b);
    cr_assert(strstr(b, "40,000 subscribers"), "%s", b);
}

/* A custom element is a paragraph or a part of one by what stands around
 * it, whichever comes first; 60,000 of them in one parent are read in
 * linear time (seconds when each looked at all its siblings). No
 * .timeout: under ASan, Criterion's timer leaks. */
Test(html, custom_elements_in_any_order)
{
    const char *b = extract("<html><body><article><p>" P1 "</p><div><x-n>Alpha words.</x-n> "
                            "<b>Beta words.</b></div><p>" P2 "</p></article></body></html>");
    cr_assert(strstr(b, "Alpha words. Beta words."), "%s", b);
    b = extract("<html><body><article><p>" P1 "</p><div><b>Beta words.</b> "
                "<x-n>Alpha words.</x-n></div><p>" P2 "</p></article></body></html>");
    cr_assert(strstr(b, "Beta words. Alpha words."), "%s", b);
    size_t n = 60000, at = 0;
    char *page = malloc(n * 11 + 1024);
    cr_assert(page);
    at += (size_t)sprintf(page, "<html><body><article><p>%s</p><div>", P1);
    for (size_t i = 0; i < n; i++)
        at += (size_t)sprintf(page + at, "<x-a></x-a>");
    sprintf(page + at, "<p>%s</p></div></article></body></html>", P2);
    b = extract(page);
    free(page);
    cr_assert(strstr(b, P2), "%s", b);
}

/* A strong furniture word in a class still counts when its last part is a
 * weak one: "newsletter-signup-form", "related-posts-nav". */
Test(html, furniture_word_before_a_weak_last_part)
{
    const char *b = extract("<html><body><div class='main'><article><p>" P1 "</p><p>" P2
                            "</p><p>" P3 "</p></article><div class='related-posts-nav'>"
                            "<p>Sponsored story one you will not believe happened in town "
                            "today at the harbor.</p><p>Sponsored story two you will not "
                            "believe happened in town today at the pier.</p></div></div>"
                            "</body></html>");
    cr_assert(strstr(b, P3), "%s", b);
    cr_assert_null(strstr(b, "Sponsored"), "%s", b);
}

Test(html, list_of_linked_headlines_is_dropped)
{
    const char *b = extract(
        "<html><head><title>Ferry budget passes</title></head><body><article><p>" P1 "</p>"
        "<ul><li>The ferry fleet is old, and <a href='/a'>two boats need repairs</a></li>"
        "<li>A new pier <a href='/b'>opens in the spring</a></li>"
        "<li>Ticket prices <a href='/c'>stay the same</a></li></ul><p>" P2 "</p>"
        "<ul><li>The budget keeps the night boats running from November to March, "
        "which the council <a href='/d'>voted for last year</a> as well.</li>"
        "<li>It adds two crews for the island route, paid from the harbor fund that the "
        "port authority <a href='/e'>set up in 2019</a>.</li>"
        "<li>It leaves the fares alone until the governor signs it.</li></ul>"
        "</article></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2), "%s", b);
    cr_assert_null(strstr(b, "two boats need repairs"), "%s", b);
    cr_assert(strstr(b, "two crews for the island route"), "the article's own list: %s", b);
}

Test(html, author_boxes_and_calls_to_action_are_dropped)
{
    const char *b = extract(
        "<html><head><title>Ferry budget passes</title></head><body><article class='post'>"
        "<div class='entry'><p>" P1 "</p><p>" P2 "</p><p>" P3 "</p></div>"
        "<div class='author-bio-box'><p>Nora Lund covers the harbor, the ferries and the island "
        "towns for the Post, and has written about boats and the sea for twenty years.</p></div>"
        "<div class='join-cta'><p>If you enjoyed this story, we have a proposition for you: "
        "become a member, read every article without limits, and support local reporting on "
        "the harbor and its people.</p></div></article></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2 "\n\n" P3), "%s", b);
    cr_assert_null(strstr(b, "Nora Lund"), "%s", b);
    cr_assert_null(strstr(b, "proposition"), "%s", b);
}

Test(html, last_part_of_a_class_name_says_what_it_is)
{
    const char *b = extract(
        "<html><head><title>Ferry budget passes</title></head><body><div class='article_body'>"
        "<div class='article_date'>November 20, 2026 - 11:28 PM</div>"
        "<p>" P1 "</p><p>" P2 "</p><p>" P3 "</p></div></body></html>");
    cr_assert(strstr(b, P1 "\n\n" P2 "\n\n" P3), "%s", b);
    cr_assert_null(strstr(b, "11:28"), "a date of the article, not the article: %s", b);
}

/* The whole dev split of the benchmark: the score stays above a floor. */
Test(html, benchmark_dev_pages, .timeout = 120)
{
    char gtp[512], dir[512], eval[512];
    t_shared("data/article-extraction-benchmark/ground-truth.json", gtp, sizeof gtp);
    t_shared("data/article-extraction-benchmark/html", dir, sizeof dir);
    t_shared("tools/eval_extraction.py", eval, sizeof eval);
    char out[] = "/tmp/hs-extract-XXXXXX";
    int fd = mkstemp(out);
    cr_assert(fd >= 0);
    close(fd);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "build=$(dirname $(dirname \"$(readlink -f /proc/%d/exe)\")); "
             "$build/hearsay extract --format json --no-progress %s/*.html.gz > %s && "
             "python3 %s %s %s",
             (int)getpid(), dir, out, eval, gtp, out);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    char line[512] = "";
    cr_assert(fgets(line, sizeof line, p), "no score printed");
    pclose(p);
    unlink(out);
    const char *f = strstr(line, "\"f1\": ");
    cr_assert(f, "%s", line);
    double f1 = atof(f + 6);
    cr_assert_geq(f1, 0.97, "extraction F1 on the dev pages fell to %.4f: %s", f1, line);
}
