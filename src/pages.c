/* pages - huge-page backed blocks for model tables (see pages.h). Each block
 * starts with a 64-byte header giving how it was made and its mapped size. */
#define _DEFAULT_SOURCE
#include "pages.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HDR 64
#define HUGE_PAGE ((size_t)2 << 20)
#define BIG ((size_t)1 << 20) /* smaller blocks are not worth a mapping */

typedef struct hdr {
    size_t len; /* mapped bytes, 0: from malloc */
    void *base; /* start of the mapping */
} hdr;

void *pages_alloc(size_t n)
{
    if (n > SIZE_MAX - HDR - 2 * HUGE_PAGE)
        return NULL;
    size_t need = n + HDR;
    if (need >= BIG) {
        /* map one huge page more than needed and keep an aligned window of it */
        size_t len = (need + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
        unsigned char *m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            uintptr_t a = ((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
            unsigned char *base = (unsigned char *)a;
            if (base > m)
                munmap(m, (size_t)(base - m));
            size_t tail = (size_t)(m + len + HUGE_PAGE - (base + len));
            if (tail)
                munmap(base + len, tail);
#ifdef MADV_HUGEPAGE
            madvise(base, len, MADV_HUGEPAGE); /* a hint: failure is harmless */
#endif
            hdr *h = (hdr *)base;
            h->len = len;
            h->base = base;
            return base + HDR;
        }
    }
    unsigned char *p = aligned_alloc(HDR, (need + HDR - 1) / HDR * HDR);
    if (!p)
        return NULL;
    memset(p, 0, need);
    ((hdr *)p)->len = 0;
    ((hdr *)p)->base = p;
    return p + HDR;
}

void pages_free(void *p)
{
    if (!p)
        return;
    hdr *h = (hdr *)((unsigned char *)p - HDR);
    if (h->len)
        munmap(h->base, h->len);
    else
        free(h->base);
}
