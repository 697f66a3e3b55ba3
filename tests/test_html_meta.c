/* test_html_meta - a page's date, outlet and byline: each date format and
 * source (JSON-LD with @graph, <meta>, <time>, the dateline after the <h1>,
 * the URL), published before modified, no date left empty, the outlet's
 * fallbacks and byline forms. Pages are written here; the score on the
 * benchmark's dev pages is checked by tests/cli.sh. */
#include "testutil.h"

#include "html.h"

static html_article art;

static void fini(void)
{
    html_article_free(&art);
    memset(&art, 0, sizeof art);
}

static void page(const char *html, const char *url)
{
    const char *why = NULL;
    int rc = html_extract(&art, html, strlen(html), url, &why);
    cr_assert_eq(rc, HS_OK, "extraction failed: %s", why ? why : "?");
}

#define BODY                                                                                       \
    "<p>The county board delayed its vote on the new bridge for a second time.</p>"                \
    "<p>Board member Petra Lind said the engineers needed another month.</p>"

static const char *date_of(const char *head, const char *after_h1, const char *url)
{
    static char html[4096];
    snprintf(html, sizeof html,
             "<html lang='en'><head>%s</head><body><article><h1>Bridge Vote Delayed</h1>%s" BODY
             "</article></body></html>",
             head, after_h1);
    fini();
    page(html, url);
    return art.date.len ? art.date.p : "";
}

TestSuite(html_meta, .fini = fini);

Test(html_meta, visible_date_formats)
{
    cr_expect_str_eq(date_of("", "<p>March 3, 2019</p>", NULL), "2019-03-03");
    cr_expect_str_eq(date_of("", "<p>Nov. 19, 2019 at 9:24 pm ET</p>", NULL), "2019-11-19");
    cr_expect_str_eq(date_of("", "<p>November 20th, 2019</p>", NULL), "2019-11-20");
    cr_expect_str_eq(date_of("", "<p>3 March 2019</p>", NULL), "2019-03-03");
    cr_expect_str_eq(date_of("", "<p>18 NOV 2019</p>", NULL), "2019-11-18");
    cr_expect_str_eq(date_of("", "<p>2019-03-04 10:00</p>", NULL), "2019-03-04");
    cr_expect_str_eq(date_of("", "<p>2016.12.01</p>", NULL), "2016-12-01");
    cr_expect_str_eq(date_of("", "<p>21:17 18.11.2019</p>", NULL), "2019-11-18");
    cr_expect_str_eq(date_of("", "<p>13/06/2014</p>", NULL), "2014-06-13");
    cr_expect_str_eq(date_of("", "<p>11/19/2019</p>", NULL), "2019-11-19");
    cr_expect_str_eq(date_of("", "<p>30. Juli 2018</p>", NULL), "2018-07-30");
    cr_expect_str_eq(date_of("", "<p>22 de outubro de 2010</p>", NULL), "2010-10-22");
    cr_expect_str_eq(
        date_of("",
                "<p>24 \xD1\x81\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8F\xD0\xB1\xD1\x80\xD1\x8F"
                " 2018</p>",
                NULL),
        "2018-09-24");
}

Test(html_meta, ambiguous_or_partial_dates_are_not_guessed)
{
    /* 03/04/2019 in a page that does not say its order; no year; no day */
    cr_expect_str_eq(date_of("", "<p>03/04/2019</p>", NULL), "");
    cr_expect_str_eq(date_of("", "<p>Posted Nov 18, 8:19 PM</p>", NULL), "");
    cr_expect_str_eq(date_of("", "<p>November 2019</p>", NULL), "");
    cr_expect_str_eq(date_of("", "<p>February 30, 2019</p>", NULL), "");
    cr_expect_str_eq(date_of("", "", "https://example.org/2014/09/a-story/"), "");
    cr_expect_str_eq(date_of("", "<p>1 day ago</p>", NULL), "");
}

Test(html_meta, metadata_sources)
{
    cr_expect_str_eq(date_of("<meta property='article:published_time' "
                             "content='2019-11-08T15:30:00-05:00'>",
                             "", NULL),
                     "2019-11-08T15:30:00-05:00");
    cr_expect_str_eq(date_of("<meta name='sailthru.date' content='2019-11-18 16:07:38'>", "", NULL),
                     "2019-11-18 16:07:38");
    cr_expect_str_eq(date_of("<meta name='pdate' content='20191118'>", "", NULL), "2019-11-18");
    cr_expect_str_eq(
        date_of("<script type='application/ld+json'>{\"@context\":\"https://schema.org\","
                "\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"X\"},{\"@type\":"
                "\"NewsArticle\",\"datePublished\":\"Mon, 18 Nov 2019 16:07:38 -0600\","
                "\"dateModified\":\"Tue, 19 Nov 2019 06:13:48 -0600\"}]}</script>",
                "", NULL),
        "2019-11-18");
    cr_expect_str_eq(
        date_of("", "<time datetime='2018-10-12T06:43:54+00:00' pubdate>Oct 12</time>", NULL),
        "2018-10-12T06:43:54+00:00");
    cr_expect_str_eq(date_of("", "", "https://example.org/news/2019/11/19/a-story/"), "2019-11-19");
    cr_expect_str_eq(date_of("", "", "https://example.org/world/2019/nov/18/a-story"),
                     "2019-11-18");
}

Test(html_meta, published_not_modified)
{
    cr_expect_str_eq(
        date_of("<meta property='article:modified_time' content='2019-11-13T10:00:00Z'>"
                "<meta property='article:published_time' content='2019-11-08T15:30:00Z'>",
                "<p>By Jane Roe Updated Nov 13, 2019, 10:28am EST</p>", NULL),
        "2019-11-08T15:30:00Z");
    /* only an update near the headline: the URL's date */
    cr_expect_str_eq(
        date_of("", "<p>Updated Nov 13, 2019</p>", "https://example.org/2019/11/08/a-story/"),
        "2019-11-08");
    /* an impossible metadata date is no date; the dateline is used */
    cr_expect_str_eq(date_of("<script type='application/ld+json'>{\"@type\":\"NewsArticle\","
                             "\"datePublished\":\"0001-01-01T00:00:00Z\"}</script>",
                             "<p>Published 11:11 PM EST Nov 19, 2019</p>", NULL),
                     "2019-11-19");
}

Test(html_meta, dateline_wins_over_a_utc_stamp_a_day_off)
{
    cr_expect_str_eq(
        date_of("<meta property='article:published_time' content='2019-11-19T07:03:25Z'>",
                "<p>November 18, 2019 11:03 PM</p>", NULL),
        "2019-11-18");
    /* a day further off is not a time zone: the metadata stays */
    cr_expect_str_eq(
        date_of("<meta property='article:published_time' content='2019-11-19T07:03:25Z'>",
                "<p>In this Dec. 12, 2006, file photo</p>", NULL),
        "2019-11-19T07:03:25Z");
}

static const char *site_of(const char *head, const char *url)
{
    static char html[2048];
    snprintf(html, sizeof html,
             "<html><head>%s</head><body><article><h1>Bridge Vote Delayed</h1>" BODY
             "</article></body></html>",
             head);
    fini();
    page(html, url);
    return art.site.len ? art.site.p : "";
}

Test(html_meta, outlet_fallbacks)
{
    cr_expect_str_eq(site_of("<meta property='og:site_name' content='Valley Post'>"
                             "<script type='application/ld+json'>{\"@type\":\"NewsArticle\","
                             "\"publisher\":{\"name\":\"Associated Press\"}}</script>",
                             NULL),
                     "Valley Post");
    cr_expect_str_eq(
        site_of("<meta property='og:site_name' content='Autoracing | F1 | Indy'>", NULL),
        "Autoracing");
    cr_expect_str_eq(site_of("<script type='application/ld+json'>{\"@type\":\"NewsArticle\","
                             "\"publisher\":{\"name\":\"Valley Post\"}}</script>",
                             NULL),
                     "Valley Post");
    cr_expect_str_eq(site_of("<meta name='application-name' content='Valley Post'>", NULL),
                     "Valley Post");
    cr_expect_str_eq(site_of("<title>Bridge Vote Delayed Again - The Valley Post</title>", NULL),
                     "The Valley Post");
    cr_expect_str_eq(
        site_of("<title>Bridge Vote Delayed</title>", "https://news.valleypost.co.uk/a/1"),
        "valleypost.co.uk");
    cr_expect_str_eq(site_of("<meta property='og:site_name' content='https://valleypost.example'>",
                             "https://www.valleypost.example/a/1"),
                     "valleypost.example");
    /* the host, not a user name before it; an IP address names no outlet */
    cr_expect_str_eq(site_of("<title>Bridge Vote Delayed</title>",
                             "http://editor:secret@www.valleypost.example/a/1"),
                     "valleypost.example");
    cr_expect_str_eq(site_of("<title>Bridge Vote Delayed</title>", "http://192.168.1.10/a/1"), "");
}

static const char *byline_of(const char *head, const char *after_h1)
{
    static char html[2048];
    snprintf(html, sizeof html,
             "<html><head><meta property='og:site_name' content='Valley Post'>"
             "%s</head><body><article><h1>Bridge Vote Delayed</h1>%s" BODY
             "</article></body></html>",
             head, after_h1);
    fini();
    page(html, NULL);
    return art.byline.len ? art.byline.p : "";
}

Test(html_meta, author_forms)
{
    cr_expect_str_eq(
        byline_of("<script type='application/ld+json'>{\"@type\":\"NewsArticle\","
                  "\"author\":[{\"name\":\"Jane Roe\"},{\"name\":\"John Doe\"}]}</script>",
                  ""),
        "Jane Roe, John Doe");
    cr_expect_str_eq(byline_of("<meta name='author' content='By JANE ROE, AP Auto Writer'>", ""),
                     "Jane Roe");
    cr_expect_str_eq(byline_of("<meta name='author' content='Jane Roe | Valley Media'>", ""),
                     "Jane Roe");
    cr_expect_str_eq(byline_of("<meta name='author' content='Reuters'>", ""), "");
    cr_expect_str_eq(byline_of("<meta name='author' content='Valley Post'>", ""), "");
    cr_expect_str_eq(byline_of("<meta name='author' content='admin'>", ""), "");
    cr_expect_str_eq(byline_of("<meta property='article:author' "
                               "content='https://example.org/people/jane'>",
                               ""),
                     "");
    cr_expect_str_eq(byline_of("", "<p>By Jane Roe and John Q. Doe November 18, 2019</p>"),
                     "Jane Roe, John Q. Doe");
    cr_expect_str_eq(byline_of("", "<p>The mayor was sacked by Board Members on Monday.</p>"), "");
}

/* What the review found: a long byline is cut between characters, not
 * inside one; a date after "Updated" is skipped whole ("12 March" does not
 * come back as "2 March"); "staff" in "Stafford" is no role. */
Test(html_meta, cuts_and_skips_whole)
{
    char p[1200] = "<p>By Jane R";
    for (int i = 0; i < 300; i++)
        strcat(p, "\xC3\xA9");
    strcat(p, "</p>");
    const char *b = byline_of("", p);
    for (const unsigned char *q = (const unsigned char *)b; *q; q++)
        if (*q >= 0x80) { /* a lead byte and its continuation bytes */
            int n = *q >= 0xF0 ? 3 : *q >= 0xE0 ? 2 : 1;
            for (int k = 1; k <= n; k++)
                cr_assert_eq(q[k] & 0xC0, 0x80, "cut inside a character: %s", b);
            q += n;
        }
    cr_expect_str_eq(
        date_of("", "<p>Updated xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 12 March 2019</p>", NULL),
        "");
    cr_expect_str_eq(byline_of("<meta name='author' content='Tom Stafford'>", ""),
                     "Tom Stafford");
}
