/* buf - growable byte buffers and amortised array growth (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

int vec_reserve(void **p, size_t *cap, size_t need, size_t elsize)
{
    if (need <= *cap)
        return HS_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2 / elsize)
            return HS_ENOMEM;
        ncap *= 2;
    }
    void *np = realloc(*p, ncap * elsize);
    if (!np)
        return HS_ENOMEM;
    *p = np;
    *cap = ncap;
    return HS_OK;
}

int buf_reserve(buf *b, size_t extra)
{
    if (extra > ((size_t)-1) - b->len - 1)
        return HS_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return HS_OK;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need)
        ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
    char *np = realloc(b->p, ncap);
    if (!np)
        return HS_ENOMEM;
    b->p = np;
    b->cap = ncap;
    return HS_OK;
}

int buf_append(buf *b, const void *data, size_t n)
{
    if (buf_reserve(b, n))
        return HS_ENOMEM;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
    return HS_OK;
}

int buf_putc(buf *b, char c)
{
    if (b->len + 1 >= b->cap && buf_reserve(b, 1))
        return HS_ENOMEM;
    b->p[b->len++] = c;
    b->p[b->len] = 0;
    return HS_OK;
}

int buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return HS_EINVAL; /* an encoding error */
    if ((size_t)n < sizeof tmp)
        return buf_append(b, tmp, (size_t)n);
    if (buf_reserve(b, (size_t)n))
        return HS_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return HS_OK;
}

void vec_trim(void *p, size_t *cap, size_t elsize, size_t keep)
{
    void **pp = p;
    if (*cap * elsize > keep) {
        free(*pp);
        *pp = NULL;
        *cap = 0;
    }
}

void buf_clear(buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = 0;
}

void buf_trim(buf *b, size_t keep)
{
    if (b->cap > keep)
        buf_free(b);
    else
        buf_clear(b);
}

void buf_free(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

int buf_read_file(buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return HS_EIO;
    char chunk[65536];
    size_t got;
    int rc = HS_OK;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(b, chunk, got)) {
            rc = HS_ENOMEM;
            break;
        }
    if (ferror(f))
        rc = HS_EIO;
    fclose(f);
    if (!rc && !b->p)
        rc = buf_reserve(b, 1);
    return rc;
}
