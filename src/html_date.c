/* html_date - calendar dates in a page's metadata values and visible text:
 * ISO and year-first numbers, "March 3, 2019", "3 March 2019", month names
 * of several languages, day.month.year, and month/day only when the numbers
 * or the page's language leave no doubt. It never guesses a missing part
 * (no year, no day: no date) and never converts time zones. */
#include <string.h>

#include "html_int.h"

/* Lower-case prefixes that start a month's name, per month, in English,
 * German, French, Spanish, Portuguese, Italian, Dutch and Russian. */
static const char *const months[12][8] = {
    {"jan", "ene", "gen", "\xD1\x8F\xD0\xBD\xD0\xB2"},
    {"feb", "fev", "f\xC3\xA9v", "\xD1\x84\xD0\xB5\xD0\xB2"},
    {"mar", "m\xC3\xA4r", "\xD0\xBC\xD0\xB0\xD1\x80"},
    {"apr", "avr", "abr", "\xD0\xB0\xD0\xBF\xD1\x80"},
    {"may", "mai", "mag", "mei", "\xD0\xBC\xD0\xB0\xD1\x8F", "\xD0\xBC\xD0\xB0\xD0\xB9"},
    {"jun", "juin", "giu", "\xD0\xB8\xD1\x8E\xD0\xBD"},
    {"jul", "juil", "lug", "\xD0\xB8\xD1\x8E\xD0\xBB"},
    {"aug", "ago", "aou", "ao\xC3\xBB", "\xD0\xB0\xD0\xB2\xD0\xB3"},
    {"sep", "set", "\xD1\x81\xD0\xB5\xD0\xBD"},
    {"oct", "okt", "out", "ott", "\xD0\xBE\xD0\xBA\xD1\x82"},
    {"nov", "\xD0\xBD\xD0\xBE\xD1\x8F"},
    {"dec", "dez", "dic", "d\xC3\xA9" "c", "\xD0\xB4\xD0\xB5\xD0\xBA"},
};

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_letter(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int is_word(unsigned char c) { return is_letter(c) || c >= 0x80 || is_digit((char)c); }

/* Reads 1..max digits at s[*i]; -1 when there are none or more than max. */
static int number(const char *s, size_t n, size_t *i, int max)
{
    int v = 0, k = 0;
    while (*i < n && is_digit(s[*i])) {
        if (++k > max)
            return -1;
        v = v * 10 + (s[(*i)++] - '0');
    }
    return k ? v : -1;
}

/* The month whose name starts the word at s[*i] (moving past the word), or 0.
 * A word of one or two letters is no month. */
static int month_word(const char *s, size_t n, size_t *i)
{
    size_t e = *i;
    while (e < n && (is_letter((unsigned char)s[e]) || (unsigned char)s[e] >= 0x80))
        e++;
    if (e - *i < 3)
        return 0;
    char w[16];
    size_t len = e - *i < sizeof w - 1 ? e - *i : sizeof w - 1;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[*i + k];
        w[k] = (char)(c < 0x80 ? c | 32 : c);
    }
    w[len] = 0;
    /* a capital Cyrillic first letter (every month's is in U+0410..U+041F) */
    if ((unsigned char)w[0] == 0xD0 && (unsigned char)w[1] >= 0x90 && (unsigned char)w[1] < 0xA0)
        w[1] = (char)((unsigned char)w[1] + 0x20);
    for (int m = 0; m < 12; m++)
        for (int k = 0; k < 8 && months[m][k]; k++)
            if (!strncmp(w, months[m][k], strlen(months[m][k]))) {
                *i = e;
                return m + 1;
            }
    return 0;
}

static int valid(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

static void skip(const char *s, size_t n, size_t *i, const char *chars)
{
    while (*i < n && strchr(chars, s[*i]) && s[*i])
        (*i)++;
}

/* "de " as in "22 de outubro de 2010" */
static void skip_de(const char *s, size_t n, size_t *i)
{
    if (*i + 3 <= n && (s[*i] | 32) == 'd' && (s[*i + 1] | 32) == 'e' && s[*i + 2] == ' ')
        *i += 3;
}

/* A date starting at s[i]; order: 'm' month first, 'd' day first, 0 unknown. */
static int date_at(const char *s, size_t n, size_t i, char order, html_ymd *out)
{
    size_t j = i;
    if (is_digit(s[i])) {
        int a = number(s, n, &j, 4);
        if (a < 0)
            return 0;
        if (j - i == 4) { /* 2019-03-03, 2016.12.01, 2019/03/03 */
            char sep = j < n ? s[j] : 0;
            if (sep != '-' && sep != '.' && sep != '/')
                return 0;
            j++;
            int m = number(s, n, &j, 2);
            if (m < 0 || j >= n || s[j] != sep)
                return 0;
            j++;
            int d = number(s, n, &j, 2);
            if (d < 0 || (j < n && is_digit(s[j])) || !valid(a, m, d))
                return 0;
            *out = (html_ymd){a, m, d};
            return 1;
        }
        if (j - i > 2)
            return 0;
        if (j < n && (s[j] == '.' || s[j] == '/') && j + 1 < n && is_digit(s[j + 1])) {
            char sep = s[j++]; /* 18.11.2019, 11/19/2019 */
            int b = number(s, n, &j, 2);
            if (b < 0 || j >= n || s[j] != sep)
                return 0;
            j++;
            size_t y0 = j;
            int y = number(s, n, &j, 4);
            if (j - y0 != 4 || (j < n && is_digit(s[j])))
                return 0;
            int dfirst = a > 12 ? 1 : b > 12 ? 0 : a == b ? 1 : sep == '.' ? 1 : order == 'd' ? 1
                         : order == 'm' ? 0 : -1;
            if (dfirst < 0)
                return 0;
            int d = dfirst ? a : b, m = dfirst ? b : a;
            if (!valid(y, m, d))
                return 0;
            *out = (html_ymd){y, m, d};
            return 1;
        }
        /* 3 March 2019, 18 NOV 2019, 30. Juli 2018, 22 de outubro de 2010 */
        skip(s, n, &j, ". ");
        skip_de(s, n, &j);
        int m = month_word(s, n, &j);
        if (!m)
            return 0;
        skip(s, n, &j, ".,");
        skip(s, n, &j, " ");
        skip_de(s, n, &j);
        size_t y0 = j;
        int y = number(s, n, &j, 4);
        if (j - y0 != 4 || (j < n && is_word((unsigned char)s[j])) || !valid(y, m, a))
            return 0;
        *out = (html_ymd){y, m, a};
        return 1;
    }
    /* March 3, 2019; Nov. 19 2019; November 20th, 2019 */
    int m = month_word(s, n, &j);
    if (!m)
        return 0;
    skip(s, n, &j, ".");
    skip(s, n, &j, " ");
    size_t d0 = j;
    int d = number(s, n, &j, 2);
    if (d < 0 || j == d0)
        return 0;
    if (j + 2 <= n && is_letter((unsigned char)s[j]) && is_letter((unsigned char)s[j + 1]))
        j += 2; /* st, nd, rd, th */
    skip(s, n, &j, ",");
    skip(s, n, &j, " ");
    size_t y0 = j;
    int y = number(s, n, &j, 4);
    if (j - y0 != 4 || (j < n && is_word((unsigned char)s[j])) || !valid(y, m, d))
        return 0;
    *out = (html_ymd){y, m, d};
    return 1;
}

size_t html_date_find(const char *s, size_t n, char order, html_ymd *out)
{
    for (size_t i = 0; i < n; i++) {
        if (i && is_word((unsigned char)s[i - 1]))
            continue;
        if (!is_word((unsigned char)s[i]))
            continue;
        if (date_at(s, n, i, order, out))
            return i + 1;
    }
    return 0;
}

int html_date_parse(const char *s, html_ymd *out)
{
    size_t n = strlen(s);
    if (n == 8) {
        size_t i = 0; /* 20191118 */
        int v = number(s, n, &i, 8);
        if (i == 8 && v > 0 && valid(v / 10000, v / 100 % 100, v % 100)) {
            *out = (html_ymd){v / 10000, v / 100 % 100, v % 100};
            return 1;
        }
    }
    return html_date_find(s, n, 0, out) != 0;
}

long html_date_days(html_ymd d)
{
    /* days since 1 March of year 0, enough to compare two dates */
    int y = d.y - (d.m <= 2), m = d.m <= 2 ? d.m + 9 : d.m - 3;
    return 365L * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d.d;
}
