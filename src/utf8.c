/* utf8 - UTF-8 validation and repair with an ASCII fast path (see utf8.h). */
#include "utf8.h"

#include <string.h>
#include <utf8proc.h>

/* True when any byte of the 8 at p has its high bit set. */
static int has_high8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return (w & 0x8080808080808080ull) != 0;
}

size_t utf8_validate(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        while (i + 8 <= n && !has_high8(s + i))
            i += 8;
        if (i >= n)
            break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0 || !utf8proc_codepoint_valid(cp))
            return i;
        i += (size_t)k;
    }
    return n;
}

int utf8_repair(const char *str, size_t n, buf *out, size_t *nrep)
{
    size_t bad = 0;
    size_t i = 0;
    while (i < n) {
        size_t ok = utf8_validate(str + i, n - i);
        if (buf_append(out, str + i, ok))
            return HS_ENOMEM;
        i += ok;
        if (i < n) {
            if (buf_append(out, "\xEF\xBF\xBD", 3))
                return HS_ENOMEM;
            bad++;
            i++;
        }
    }
    *nrep = bad;
    return HS_OK;
}

int32_t utf8_decode(const unsigned char *s, size_t n, int *len)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *len = 1;
        return (int32_t)c;
    }
    if (c >= 0xC2 && c < 0xE0 && n >= 2) {
        *len = 2;
        return (int32_t)(((c & 0x1F) << 6) | (s[1] & 0x3F));
    }
    if (c >= 0xE0 && c < 0xF0 && n >= 3) {
        *len = 3;
        return (int32_t)(((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F));
    }
    if (c >= 0xF0 && c < 0xF5 && n >= 4) {
        *len = 4;
        return (int32_t)(((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) |
                         (s[3] & 0x3F));
    }
    *len = 1;
    return 0xFFFD;
}

int utf8_class(int32_t cp)
{
    if (cp == 0xFEFF)
        return U8_SPACE;
    if (cp == 0x00AD || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060)
        return U8_FORMAT;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        return U8_UPPER;
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return U8_LETTER;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return U8_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return U8_SPACE;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return U8_PUNCT;
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
        return U8_SYMBOL;
    default:
        return U8_OTHER;
    }
}
