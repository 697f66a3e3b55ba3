/* charset - which character set an HTML payload is in (byte order mark, the
 * HTTP Content-Type, <meta charset> or http-equiv in its head, else UTF-8
 * when it is valid and windows-1252 when not) and its conversion to UTF-8
 * with iconv. It does not guess from byte statistics. */
#ifndef HS_CHARSET_H
#define HS_CHARSET_H

#include <stddef.h>

#include "buf.h"

/* Invariant: cd is (iconv_t)-1 or open for the charset named in name. */
typedef struct charset_conv {
    void *cd;
    char name[48];
} charset_conv;

/* The charset of p[0..n): from a BOM, then hint (an HTTP Content-Type value
 * or a bare charset name; may be NULL), then the document's own <meta>. The
 * name is written lower-case into out; "utf-8" when none is declared. */
void charset_sniff(const char *p, size_t n, const char *hint, char *out, size_t cap);

/* Converts p[0..n) from charset cs to UTF-8 into out (cleared first). Bytes
 * invalid in cs become U+FFFD and are counted in *nbad; *unknown is 1 when
 * iconv does not know cs (out then holds the bytes repaired as UTF-8).
 * Returns HS_OK or HS_ENOMEM. */
int charset_to_utf8(charset_conv *cv, const char *cs, const char *p, size_t n, buf *out,
                    size_t *nbad, int *unknown);
void charset_close(charset_conv *cv);
/* Bytes in a code unit of cs: 2 for UTF-16, 4 for UTF-32, else 1. */
size_t charset_unit(const char *cs);

#endif
