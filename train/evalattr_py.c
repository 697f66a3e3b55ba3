/* evalattr_py - the pieces of Python's behaviour the PolNeAR scorer relies
 * on (evalattr.h): float repr, UTF-8 decoding with replacement, isspace,
 * and the scorer's norm() and kind() of a span. Kept apart from the scoring
 * so that the unit tests pin each down. It scores nothing itself. */
#define _DEFAULT_SOURCE
#include "evalattr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

/* ---- the Python behaviour the scorer relies on --------------------------- */

void evalattr_repr(double x, char *out, size_t cap)
{
    if (isnan(x)) {
        snprintf(out, cap, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(out, cap, "%sinf", x < 0 ? "-" : "");
        return;
    }
    if (x == 0) {
        snprintf(out, cap, "%s", signbit(x) ? "-0.0" : "0.0");
        return;
    }
    char e[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, x);
        if (strtod(e, NULL) == x)
            break;
    }
    /* e is [-]d[.ddd]e[+-]XX: collect the digits and the exponent */
    const char *q = e;
    int neg = *q == '-';
    q += neg;
    char dig[24];
    size_t nd = 0;
    for (; *q && *q != 'e'; q++)
        if (*q != '.' && nd + 1 < sizeof dig)
            dig[nd++] = *q;
    int exp10 = atoi(q + 1);
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    dig[nd] = 0;
    char o[64];
    size_t k = 0;
    if (neg)
        o[k++] = '-';
    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            o[k++] = '0';
            o[k++] = '.';
            for (int z = 0; z < -exp10 - 1; z++)
                o[k++] = '0';
            for (size_t i = 0; i < nd; i++)
                o[k++] = dig[i];
        } else {
            for (int i = 0; i <= exp10; i++)
                o[k++] = (size_t)i < nd ? dig[i] : '0';
            o[k++] = '.';
            if (nd > (size_t)exp10 + 1)
                for (size_t i = (size_t)exp10 + 1; i < nd; i++)
                    o[k++] = dig[i];
            else
                o[k++] = '0';
        }
        o[k] = 0;
    } else {
        o[k++] = dig[0];
        if (nd > 1) {
            o[k++] = '.';
            for (size_t i = 1; i < nd; i++)
                o[k++] = dig[i];
        }
        snprintf(o + k, sizeof o - k, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    }
    snprintf(out, cap, "%s", o);
}

uint32_t evalattr_utf8(const unsigned char *p, size_t n, size_t *adv)
{
    unsigned c = p[0];
    *adv = 1;
    if (c < 0x80)
        return c;
    size_t need;
    unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0xFFFD; /* a stray continuation byte or a byte never used */
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n)
            break;
        unsigned b = p[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
            break;
        cp = cp << 6 | (b & 0x3F);
    }
    *adv = i;
    return i > need ? cp : 0xFFFD;
}

int evalattr_isspace(uint32_t c)
{
    if (c <= 0x20)
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* PUNCT of the scorer. */
static int is_punct(uint32_t c)
{
    if (c < 0x80)
        return c && strchr(" \t\r\n\"'.,;:-()[]", (int)c) != NULL;
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2014 ||
           c == 0x2013;
}

static int is_quote(uint32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D;
}

int evalattr_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Python's bounds of tb[s:e] for a bytes object of n bytes. */
static void py_slice(int64_t n, int64_t s, int64_t e, int64_t *a, int64_t *b)
{
    *a = s < 0 ? (s + n < 0 ? 0 : s + n) : (s > n ? n : s);
    *b = e < 0 ? (e + n < 0 ? 0 : e + n) : (e > n ? n : e);
    if (*b < *a)
        *b = *a;
}

/* The byte range [*a, *b) whose non-space bytes are norm([sp]): Python
 * measures the trimmed edges in the re-encoded decoded text, so a U+FFFD
 * for a cut character counts 3 bytes, and adds them to the unclipped s. */
void evalattr_norm_range(const char *text, size_t len, evalattr_span sp, int64_t *a, int64_t *b)
{
    int64_t n = (int64_t)len, s1, e1, lead = 0, upto = 0, enc = 0;
    int leading = 1, body = 0;
    py_slice(n, sp.s, sp.e, &s1, &e1);
    const unsigned char *p = (const unsigned char *)text + s1;
    size_t m = (size_t)(e1 - s1);
    for (size_t k = 0, adv; k < m; k += adv) {
        uint32_t c = evalattr_utf8(p + k, m - k, &adv);
        enc += c == 0xFFFD ? 3 : (int64_t)adv;
        if (is_punct(c)) {
            if (leading)
                lead = enc;
        } else {
            leading = 0;
            body = 1;
            upto = enc;
        }
    }
    int64_t ls = sp.s + (body ? lead : enc), rs = sp.s + (body ? upto : enc);
    *a = ls < 0 ? 0 : ls;
    *b = rs > n ? n : rs;
    if (*b < *a)
        *b = *a;
}

int evalattr_norm(const char *text, size_t len, evalattr_span sp, size_t *first, size_t *last)
{
    int64_t a, b;
    evalattr_norm_range(text, len, sp, &a, &b);
    while (a < b && evalattr_space_byte((unsigned char)text[a]))
        a++;
    while (b > a && evalattr_space_byte((unsigned char)text[b - 1]))
        b--;
    if (a >= b)
        return 0;
    *first = (size_t)a;
    *last = (size_t)b - 1;
    return 1;
}

int evalattr_kind(const char *text, size_t len, const evalattr_span *sp, size_t n, buf *scratch,
                  int *kind)
{
    buf_clear(scratch);
    if (buf_reserve(scratch, 1))
        return HS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int64_t a, b;
        py_slice((int64_t)len, sp[i].s, sp[i].e, &a, &b);
        if ((i && buf_putc(scratch, ' ')) || buf_append(scratch, text + a, (size_t)(b - a)))
            return HS_ENOMEM;
    }
    const unsigned char *t = (const unsigned char *)scratch->p;
    size_t m = scratch->len, adv, from = m, to = 0;
    /* the stripped text is bytes [from, to) */
    for (size_t k = 0; k < m; k += adv)
        if (!evalattr_isspace(evalattr_utf8(t + k, m - k, &adv))) {
            if (from == m)
                from = k;
            to = k + adv;
        }
    size_t ncp = 0, nquote = 0;
    uint32_t c0 = 0, cl = 0;
    for (size_t k = from; k < to; k += adv) {
        uint32_t c = evalattr_utf8(t + k, to - k, &adv);
        if (!ncp++)
            c0 = c;
        cl = c;
        nquote += is_quote(c);
    }
    if (ncp > 1 && is_quote(c0) && is_quote(cl) && nquote == 2)
        *kind = EVALATTR_DIRECT;
    else
        *kind = nquote ? EVALATTR_MIXED : EVALATTR_INDIRECT;
    return HS_OK;
}

