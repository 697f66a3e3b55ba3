/* Unit tests: UTF-8 validation, repair and classes (src/utf8). */
#include <criterion/criterion.h>
#include <string.h>

#include "testutil.h"
#include "utf8.h"

#define V(s) utf8_validate((s), sizeof(s) - 1)
#define OK(s) cr_assert_eq(V(s), sizeof(s) - 1, "%s", s)

Test(utf8, valid_text_passes)
{
    OK("plain ASCII text, long enough to use the 8-byte path");
    OK("caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80");
    cr_assert_eq(utf8_validate("", 0), 0);
}

Test(utf8, invalid_sequences_give_their_offset)
{
    cr_assert_eq(V("abc\xFF"), 3);                   /* never valid */
    cr_assert_eq(V("ab\xC0\xAF"), 2);                /* overlong / */
    cr_assert_eq(V("x\xED\xA0\x80"), 1);             /* UTF-16 surrogate */
    cr_assert_eq(V("12345678\xE2\x80"), 8);          /* truncated at the end */
    cr_assert_eq(V("\x80 stray continuation"), 0);
    cr_assert_eq(V("ok \xF4\x90\x80\x80"), 3);       /* above U+10FFFF */
    cr_assert_eq(V("0123456789abcdef\xC3(x"), 16);   /* bad continuation after fast path */
}

Test(utf8, repair_replaces_each_bad_byte)
{
    buf b = {0};
    size_t n = 0;
    cr_assert_eq(utf8_repair("a\xFF" "b\xC3", 4, &b, &n), HS_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(b.p, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    cr_assert_eq(utf8_validate(b.p, b.len), b.len);
    buf_free(&b);
}

Test(utf8, decode_and_classes)
{
    int len;
    cr_assert_eq(utf8_decode((const unsigned char *)"\xE2\x80\x94", 3, &len), 0x2014);
    cr_assert_eq(len, 3);
    cr_assert_eq(utf8_decode((const unsigned char *)"\xC3\xA9", 2, &len), 0xE9);
    cr_assert_eq(len, 2);
    cr_assert_eq(utf8_class(0xE9), U8_LETTER);
    cr_assert_eq(utf8_class(0xC9), U8_UPPER);
    cr_assert_eq(utf8_class(0xA0), U8_SPACE);
    cr_assert_eq(utf8_class(0xFEFF), U8_SPACE);
    cr_assert_eq(utf8_class(0x2014), U8_PUNCT);
    cr_assert_eq(utf8_class(0x20AC), U8_SYMBOL);
    cr_assert_eq(utf8_class(0x0663), U8_DIGIT);
}
