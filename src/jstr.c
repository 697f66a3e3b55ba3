/* jstr - JSON string literals and jansson's memory bound (see jstr.h).
 * Writing is hand-rolled for speed: strings are the bulk of the output. */
#include "jstr.h"

#include <string.h>

#include "hearsay.h"

static const char hexd[] = "0123456789abcdef";

/* The escaped characters of a JSON string, without the quotes. */
int jstr_chars(buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n + 2))
        return HS_ENOMEM;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int esc = c < 0x20 || c == '"' || c == '\\';
        /* U+2028/U+2029 break JavaScript consumers of JSON: escape them */
        int ls = c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9);
        if (!esc && !ls) {
            run++;
            continue;
        }
        if (buf_append(b, s + i - run, run))
            return HS_ENOMEM;
        run = 0;
        char e[7];
        size_t el = 2;
        e[0] = '\\';
        if (ls) {
            memcpy(e, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
            el = 6;
            i += 2;
        } else if (c == '"' || c == '\\') {
            e[1] = (char)c;
        } else if (c == '\n') {
            e[1] = 'n';
        } else if (c == '\t') {
            e[1] = 't';
        } else if (c == '\r') {
            e[1] = 'r';
        } else {
            memcpy(e, "\\u00", 4);
            e[4] = hexd[c >> 4];
            e[5] = hexd[c & 15];
            el = 6;
        }
        if (buf_append(b, e, el))
            return HS_ENOMEM;
    }
    return buf_append(b, s + n - run, run) ? HS_ENOMEM : HS_OK;
}

int jstr_put(buf *b, const char *s, size_t n)
{
    if (buf_putc(b, '"') || jstr_chars(b, s, n) || buf_putc(b, '"'))
        return HS_ENOMEM;
    return 0;
}

/* Bytes per value, with malloc's overhead: each value's slot in its
 * array's or object's table (which doubles), a number, a string (and its
 * text), an array, an object, a member (its pair and key). */
enum { C_SLOT = 24, C_NUMBER = 48, C_STRING = 96, C_ARRAY = 160, C_OBJECT = 320, C_MEMBER = 128 };

static int number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

size_t jstr_cost(const char *p, size_t n)
{
    const char *e = p + n;
    size_t cost = 0, longest = 0;
    for (const char *q = p; q < e; q++) {
        switch (*q) {
        case '"': {
            const char *s = ++q;
            for (;;) { /* the closing quote: one not escaped by an odd run of '\' */
                const char *z = memchr(q, '"', (size_t)(e - q));
                if (!z) {
                    q = e;
                    break;
                }
                size_t bs = 0;
                for (const char *b = z; b > s && b[-1] == '\\'; b--)
                    bs++;
                q = z;
                if (!(bs & 1))
                    break;
                q++;
            }
            size_t len = (size_t)(q - s);
            cost += C_STRING + C_SLOT + len;
            if (len > longest)
                longest = len;
            break;
        }
        case '[': cost += C_ARRAY + C_SLOT; break;
        case '{': cost += C_OBJECT + C_SLOT; break;
        case ':': cost += C_MEMBER; break;
        case 't': case 'f': case 'n': /* true, false, null: shared, only a slot */
            cost += C_SLOT;
            while (q + 1 < e && q[1] >= 'a' && q[1] <= 'z')
                q++;
            break;
        default:
            if (number_char(*q)) {
                cost += C_NUMBER + C_SLOT;
                while (q + 1 < e && number_char(q[1]))
                    q++;
            }
            break;
        }
    }
    return cost + 2 * longest + longest / 8;
}

