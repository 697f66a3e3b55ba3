/* Unit tests: JSON output (src/emit): the schema's fields, escaping, and
 * the exact output for a small document. */
#include "testutil.h"

TestSuite(json, .init = t_setup, .fini = t_teardown);

Test(json, exact_output_of_a_small_document)
{
    const char *s = "Small Headline Here\n\nThe body \"quote\".\n";
    cr_assert_eq(hs_doc_analyze(t_doc, "doc\"1", s, strlen(s), 0), HS_OK);
    const char *js;
    size_t n;
    cr_assert_eq(hs_doc_json(t_doc, 0, &js, &n), HS_OK);
    cr_assert_str_eq(js,
                     "{\"id\":\"doc\\\"1\",\"schema\":1,"
                     "\"title\":{\"spans\":[[0,19]],\"text\":\"Small Headline Here\"},"
                     "\"blocks\":[{\"kind\":\"headline\",\"spans\":[[0,19]]},"
                     "{\"kind\":\"body\",\"spans\":[[21,38]]}],"
                     "\"sentences\":[[0,19],[21,38]],\"entities\":[],\"attributions\":[],"
                     "\"events\":[],"
                     "\"errors\":[]}");
    cr_assert_eq(n, strlen(js));
}

Test(json, include_text_escapes_controls_and_line_separators)
{
    const char *s = "Tab\there \\ and\x01 ctl \xE2\x80\xA8 sep";
    /* one control byte in a short text reads as binary: use a longer one */
    char text[256];
    snprintf(text, sizeof text, "%s %s", s,
             "padding padding padding padding padding padding padding padding padding");
    cr_assert_eq(hs_doc_analyze(t_doc, "x", text, strlen(text), 0), HS_OK);
    const char *js;
    size_t n;
    cr_assert_eq(hs_doc_json(t_doc, HS_JSON_INCLUDE_TEXT, &js, &n), HS_OK);
    cr_assert(strstr(js, "\"text\":\"Tab\\there \\\\ and\\u0001 ctl \\u2028 sep"), "%s", js);
    cr_assert_null(strchr(js, '\n'));
}

Test(json, lossy_errors_are_listed)
{
    const char s[] = "Bad \xFF byte in this text.";
    cr_assert_eq(hs_doc_analyze(t_doc, "x", s, sizeof s - 1, HS_ANALYZE_LOSSY), HS_OK);
    const char *js;
    size_t n;
    cr_assert_eq(hs_doc_json(t_doc, 0, &js, &n), HS_OK);
    cr_assert(strstr(js, "\"errors\":[\"lossy: 1 invalid byte replaced"), "%s", js);
}

Test(json, pretty_output_has_one_field_per_line)
{
    t_analyze("One line only.");
    const char *js;
    size_t n;
    cr_assert_eq(hs_doc_json(t_doc, HS_JSON_PRETTY, &js, &n), HS_OK);
    cr_assert(strstr(js, "\n  \"blocks\": ["), "%s", js);
    cr_assert(strstr(js, "\"title\": null"), "%s", js);
}
