/* model - the versioned binary container of a trained model: a header
 * (magic, version, type, section table) and 8-byte aligned sections, loaded
 * in one block and validated (every offset checked) before use. What a
 * section holds is the business of the module that owns the model type. */
#ifndef HS_MODEL_H
#define HS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define MODEL_VERSION 1
enum { MODEL_ANY = 0, MODEL_POS = 1, MODEL_PARSER = 2, MODEL_NER = 3, MODEL_ATTR = 4 };

/* Section ids: four ASCII characters, little-endian. */
#define MODEL_ID(a, b, c, d) \
    ((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) | ((uint32_t)(d) << 24))

typedef struct model_section {
    uint32_t id, reserved;
    uint64_t offset, size;
} model_section;

/* Invariant after model_load: data holds size bytes; every section lies
 * inside them at an 8-byte aligned offset. */
typedef struct model {
    unsigned char *data;
    size_t size;
    uint32_t type, nsec;
    const model_section *sec;
} model;

/* Loads path, expecting type (MODEL_ANY: any). Returns HS_OK, or HS_EMODEL with a message
 * naming the file in err (a file that cannot be read is HS_EMODEL too). */
int model_load(model *m, const char *path, uint32_t type, buf *err);
/* Validates an in-memory image (HS_OK or HS_EMODEL) (used by model_load and the fuzz harness);
 * data must be 8-byte aligned and stay alive. */
int model_parse(model *m, unsigned char *data, size_t size, uint32_t type, const char *name,
                buf *err);
const void *model_section_get(const model *m, uint32_t id, size_t *size);
void model_free(model *m);

/* Writes sections (ids[i], bodies[i]) as a model file of the given type.
 * Returns HS_OK, HS_EIO (with the reason in err) or HS_ENOMEM. */
int model_write(const char *path, uint32_t type, const uint32_t *ids, const buf *bodies,
                size_t n, buf *err);

/* A string table section: n NUL-terminated strings back to back. Fills
 * out[0..n) with pointers into the section; HS_EMODEL if it does not hold n. */
int model_strings(const char *sec, size_t size, const char **out, size_t n);

#endif
