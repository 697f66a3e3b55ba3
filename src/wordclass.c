/* wordclass - the word class table (see wordclass.h). Section layout,
 * little-endian, 8-byte aligned: u32 magic 'WCL1', u32 slots, u32 ncoarse,
 * u32 nfine, then wc_slot[slots]. */
#include <string.h>

#include "wordclass.h"

#define WC_MAGIC 0x314c4357u

typedef struct wc_head {
    uint32_t magic, slots, ncoarse, nfine;
} wc_head;

int wc_open(wclass *w, const model *file, const char *path, buf *err)
{
    memset(w, 0, sizeof *w);
    size_t n;
    const void *p = model_section_get(file, WC_SECTION, &n);
    if (!p) {
        buf_printf(err, "%s: word class section missing", path);
        return HS_EMODEL;
    }
    return wc_view(w, p, n, path, err);
}

int wc_view(wclass *w, const void *body, size_t n, const char *path, buf *err)
{
    memset(w, 0, sizeof *w);
    const unsigned char *p = body;
    wc_head h;
    if (n < sizeof h)
        goto bad;
    memcpy(&h, p, sizeof h);
    if (h.magic != WC_MAGIC || h.slots < 2 || (h.slots & (h.slots - 1)) ||
        (uint64_t)n != sizeof h + (uint64_t)h.slots * sizeof(wc_slot) || h.ncoarse > 65535 ||
        h.nfine > 65535)
        goto bad;
    const wc_slot *e = (const wc_slot *)(p + sizeof h);
    size_t used = 0;
    for (uint32_t i = 0; i < h.slots; i++)
        if (e[i].key) {
            used++;
            if (e[i].coarse > h.ncoarse || e[i].fine > h.nfine)
                goto bad;
        }
    if (used > h.slots / 2)
        goto bad;
    w->e = e;
    w->mask = h.slots - 1;
    w->ncoarse = h.ncoarse;
    w->nfine = h.nfine;
    return HS_OK;
bad:
    buf_printf(err, "%s: word class section damaged", path);
    return HS_EMODEL;
}

int wc_write(buf *out, const uint64_t *key, const uint16_t *coarse, const uint16_t *fine,
             size_t n, uint32_t ncoarse, uint32_t nfine)
{
    uint32_t slots = 2;
    while (slots < 2 * n + 2)
        slots *= 2;
    wc_head h = {WC_MAGIC, slots, ncoarse, nfine};
    size_t at = out->len;
    if (buf_append(out, &h, sizeof h) || buf_reserve(out, slots * sizeof(wc_slot) + 1))
        return HS_ENOMEM;
    wc_slot *e = (wc_slot *)(out->p + at + sizeof h);
    memset(e, 0, slots * sizeof *e);
    for (size_t i = 0; i < n; i++) {
        uint32_t s = (uint32_t)key[i] & (slots - 1);
        while (e[s].key)
            s = (s + 1) & (slots - 1);
        e[s].key = key[i];
        e[s].coarse = coarse[i];
        e[s].fine = fine[i];
    }
    out->len = at + sizeof h + slots * sizeof(wc_slot);
    out->p[out->len] = 0;
    return HS_OK;
}
