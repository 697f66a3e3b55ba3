/* model - binary model container: load, validate, write (see model.h).
 * Layout, little-endian: "HSMODEL\0", u32 version, u32 type, u32 nsec,
 * u32 reserved, u64 file size, then nsec section entries {u32 id, u32 0,
 * u64 offset, u64 size}, then the sections, each 8-byte aligned. */
#include "model.h"
#include "pages.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char magic[8] = "HSMODEL";

int model_parse(model *m, unsigned char *data, size_t size, uint32_t type, const char *name,
                buf *err)
{
    memset(m, 0, sizeof *m);
    if (size < 32 || memcmp(data, magic, 8)) {
        buf_printf(err, "%s: not a hearsay model file (bad magic)", name);
        return HS_EMODEL;
    }
    uint32_t ver, ty, nsec;
    uint64_t fsize;
    memcpy(&ver, data + 8, 4);
    memcpy(&ty, data + 12, 4);
    memcpy(&nsec, data + 16, 4);
    memcpy(&fsize, data + 24, 8);
    if (ver != MODEL_VERSION) {
        buf_printf(err, "%s: model version %u, this hearsay reads version %u (retrain with "
                        "'make models')", name, ver, MODEL_VERSION);
        return HS_EMODEL;
    }
    if (type != MODEL_ANY && ty != type) {
        buf_printf(err, "%s: model of type %u, expected type %u", name, ty, type);
        return HS_EMODEL;
    }
    if (fsize != size) {
        buf_printf(err, "%s: file is %zu bytes, header says %llu (truncated or damaged)", name,
                   size, (unsigned long long)fsize);
        return HS_EMODEL;
    }
    if (nsec == 0 || nsec > 64 || 32 + (size_t)nsec * sizeof(model_section) > size) {
        buf_printf(err, "%s: bad section count %u", name, nsec);
        return HS_EMODEL;
    }
    const model_section *sec = (const model_section *)(data + 32);
    for (uint32_t i = 0; i < nsec; i++) {
        if (sec[i].offset % 8 || sec[i].offset > size || sec[i].size > size - sec[i].offset ||
            sec[i].offset < 32 + (uint64_t)nsec * sizeof(model_section)) {
            buf_printf(err, "%s: section %u lies outside the file", name, i);
            return HS_EMODEL;
        }
    }
    m->data = data;
    m->size = size;
    m->type = ty;
    m->nsec = nsec;
    m->sec = sec;
    return HS_OK;
}

int model_load(model *m, const char *path, uint32_t type, buf *err)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "rb");
    if (!f) {
        buf_printf(err, "%s: cannot open model: %s", path, strerror(errno));
        return HS_EMODEL;
    }
    unsigned char *data = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (size_t)n < ((size_t)1 << 31))
        data = pages_alloc((size_t)n ? (size_t)n : 1); /* 64-byte aligned */
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
        buf_printf(err, "%s: cannot read model", path);
        pages_free(data);
        fclose(f);
        return HS_EMODEL;
    }
    fclose(f);
    if (model_parse(m, data, (size_t)n, type, path, err)) {
        pages_free(data);
        return HS_EMODEL;
    }
    return HS_OK;
}

const void *model_section_get(const model *m, uint32_t id, size_t *size)
{
    for (uint32_t i = 0; i < m->nsec; i++)
        if (m->sec[i].id == id) {
            *size = (size_t)m->sec[i].size;
            return m->data + m->sec[i].offset;
        }
    *size = 0;
    return NULL;
}

void model_free(model *m)
{
    if (m)
        pages_free(m->data);
    if (m)
        memset(m, 0, sizeof *m);
}

int model_write(const char *path, uint32_t type, const uint32_t *ids, const buf *bodies,
                size_t n, buf *err)
{
    size_t off = 32 + n * sizeof(model_section);
    off = (off + 7) & ~(size_t)7;
    buf out = {0};
    model_section *tab = calloc(n ? n : 1, sizeof *tab);
    if (!tab)
        return HS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        tab[i].id = ids[i];
        tab[i].offset = off;
        tab[i].size = bodies[i].len;
        off = (off + bodies[i].len + 7) & ~(size_t)7;
    }
    uint32_t hdr[4] = {MODEL_VERSION, type, (uint32_t)n, 0};
    uint64_t fsize = off;
    int rc = buf_append(&out, magic, 8) | buf_append(&out, hdr, sizeof hdr) |
             buf_append(&out, &fsize, 8) | buf_append(&out, tab, n * sizeof *tab);
    static const char z[8] = {0};
    for (size_t i = 0; i < n && !rc; i++) {
        if (out.len % 8)
            rc |= buf_append(&out, z, 8 - out.len % 8);
        rc |= buf_append(&out, bodies[i].p ? bodies[i].p : "", bodies[i].len);
    }
    if (out.len % 8)
        rc |= buf_append(&out, z, 8 - out.len % 8);
    free(tab);
    /* a new file beside the old one, renamed over it only when complete:
     * a failed write (disk full, a kill) leaves the old model as it was */
    char tmp[4096];
    int n_tmp = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = rc || n_tmp < 0 || (size_t)n_tmp >= sizeof tmp ? NULL : fopen(tmp, "wb");
    int bad = !f || fwrite(out.p, 1, out.len, f) != out.len || fflush(f) ||
              fsync(fileno(f));
    if (f && fclose(f))
        bad = 1;
    if (!bad && rename(tmp, path))
        bad = 1;
    if (bad) {
        int e = errno;
        if (f)
            remove(tmp);
        buf_printf(err, "%s: cannot write model: %s", path, rc ? "out of memory" : strerror(e));
        buf_free(&out);
        return rc ? HS_ENOMEM : HS_EIO;
    }
    buf_free(&out);
    return HS_OK;
}

int model_strings(const char *sec, size_t size, const char **out, size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const char *z = at < size ? memchr(sec + at, 0, size - at) : NULL;
        if (!z)
            return HS_EMODEL;
        out[i] = sec + at;
        at = (size_t)(z - sec) + 1;
    }
    return HS_OK;
}
