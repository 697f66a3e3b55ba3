/* charset - charset of an HTML payload and its conversion to UTF-8 (see
 * charset.h). Declared names are mapped as browsers map them (latin1 and
 * ASCII are read as windows-1252, gb2312 as GBK); iconv does the work. */
#include "charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

static int lc(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive search for needle (lower case) in p[0..n). */
static const char *find_ci(const char *p, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        if (lc((unsigned char)p[i]) != needle[0])
            continue;
        size_t k = 1;
        while (k < m && lc((unsigned char)p[i + k]) == needle[k])
            k++;
        if (k == m)
            return p + i;
    }
    return NULL;
}

/* Copies the charset name that starts at p (end e) into out. */
static int take_name(const char *p, const char *e, char *out, size_t cap)
{
    while (p < e && (*p == ' ' || *p == '"' || *p == '\''))
        p++;
    size_t k = 0;
    while (p < e && k + 1 < cap && *p != '"' && *p != '\'' && *p != ';' && *p != ' ' &&
           *p != '>' && *p != '/' && *p != ',' && (unsigned char)*p > 0x20)
        out[k++] = (char)lc((unsigned char)*p++);
    out[k] = 0;
    return k > 0;
}

static const struct {
    const char *from, *to;
} aliases[] = {
    {"utf8", "utf-8"},           {"unicode-1-1-utf-8", "utf-8"}, {"iso-8859-1", "windows-1252"},
    {"iso8859-1", "windows-1252"}, {"latin1", "windows-1252"}, {"l1", "windows-1252"},
    {"us-ascii", "windows-1252"}, {"ascii", "windows-1252"},  {"cp1252", "windows-1252"},
    {"x-cp1252", "windows-1252"}, {"gb2312", "gbk"},           {"x-gbk", "gbk"},
    {"x-sjis", "shift_jis"},      {"sjis", "shift_jis"},       {"ks_c_5601-1987", "euc-kr"},
    {"utf-16", "utf-8"},          {"utf-16le", "utf-8"},       {"utf-16be", "utf-8"},
};

static void canonical(char *name, size_t cap)
{
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (!strcmp(name, aliases[i].from)) {
            snprintf(name, cap, "%s", aliases[i].to);
            return;
        }
}

void charset_sniff(const char *p, size_t n, const char *hint, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        snprintf(out, cap, "utf-8");
        return;
    }
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        snprintf(out, cap, u[0] == 0xFF ? "utf-16le" : "utf-16be");
        return;
    }
    out[0] = 0;
    if (hint && *hint) {
        const char *e = hint + strlen(hint), *c = find_ci(hint, (size_t)(e - hint), "charset=");
        if (c)
            take_name(c + 8, e, out, cap);
        else if (!strchr(hint, '/') && !strchr(hint, '='))
            take_name(hint, e, out, cap);
    }
    /* a <meta> in the first 4 KiB */
    size_t lim = n < 4096 ? n : 4096;
    for (const char *m = p; !out[0] && (m = find_ci(m, lim - (size_t)(m - p), "<meta"));) {
        const char *end = memchr(m, '>', lim - (size_t)(m - p));
        if (!end)
            break;
        const char *c = find_ci(m, (size_t)(end - m), "charset=");
        if (c)
            take_name(c + 8, end, out, cap);
        m = end;
    }
    if (out[0])
        canonical(out, cap);
    if (!out[0] || (!strcmp(out, "utf-8") && utf8_validate(p, n) < n && !hint))
        snprintf(out, cap, utf8_validate(p, n) == n ? "utf-8" : "windows-1252");
}

void charset_close(charset_conv *cv)
{
    if (cv->cd && cv->cd != (void *)(iconv_t)-1)
        iconv_close((iconv_t)cv->cd);
    cv->cd = NULL;
    cv->name[0] = 0;
}

size_t charset_unit(const char *cs)
{
    if (!strncasecmp(cs, "utf-16", 6) || !strncasecmp(cs, "ucs-2", 5) || !strncasecmp(cs, "utf16", 5))
        return 2;
    if (!strncasecmp(cs, "utf-32", 6) || !strncasecmp(cs, "ucs-4", 5) || !strncasecmp(cs, "utf32", 5))
        return 4;
    return 1;
}

static int put_fffd(buf *out, size_t *nbad)
{
    (*nbad)++;
    return buf_append(out, "\xEF\xBF\xBD", 3);
}

int charset_to_utf8(charset_conv *cv, const char *cs, const char *p, size_t n, buf *out,
                    size_t *nbad, int *unknown)
{
    buf_clear(out);
    *nbad = 0;
    *unknown = 0;
    if (!strcmp(cs, "utf-8"))
        return utf8_repair(p, n, out, nbad);
    if (!cv->cd || strcmp(cv->name, cs)) {
        charset_close(cv);
        iconv_t cd = iconv_open("UTF-8", cs);
        if (cd == (iconv_t)-1) {
            *unknown = 1;
            return utf8_repair(p, n, out, nbad);
        }
        cv->cd = (void *)cd;
        snprintf(cv->name, sizeof cv->name, "%s", cs);
    }
    iconv_t cd = (iconv_t)cv->cd;
    iconv(cd, NULL, NULL, NULL, NULL);
    /* a bad unit is skipped whole, or the rest of a UTF-16 or UTF-32 text
     * would be read one byte out of step */
    size_t unit = charset_unit(cs);
    char *in = (char *)p;
    size_t left = n;
    if (buf_reserve(out, n + n / 2 + 16))
        return HS_ENOMEM;
    while (left) {
        if (out->cap - out->len < 64 && buf_reserve(out, out->cap))
            return HS_ENOMEM;
        char *o = out->p + out->len;
        size_t room = out->cap - out->len - 1, before = room;
        size_t r = iconv(cd, &in, &left, &o, &room);
        out->len += before - room;
        out->p[out->len] = 0;
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (buf_reserve(out, out->cap))
                return HS_ENOMEM;
        } else if (errno == EILSEQ) {
            if (put_fffd(out, nbad))
                return HS_ENOMEM;
            size_t w = unit < left ? unit : left;
            in += w, left -= w;
        } else { /* EINVAL: an incomplete sequence at the end */
            if (put_fffd(out, nbad))
                return HS_ENOMEM;
            break;
        }
    }
    return HS_OK;
}
