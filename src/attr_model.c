/* attr_model - the attribution model file (type MODEL_ATTR): a meta section
 * (magic, feature version, class counts) and the cue, role and step weights,
 * loaded in one block and packed for scoring, or written from trainers; and
 * the unary scores of both taggers, from the model or the trainers. What the
 * weights mean is the features' business (attr_features). */
#include <stdlib.h>

#include "attr.h"

#define FEAT_VERSION 2
#define ATTR_MAGIC 0x52545441u /* "ATTR" */
#define SEC_META MODEL_ID('A', 'M', 'E', 'T')
#define ATTR_PRUNE_CUE 1.5f /* averaged weights below these are dropped */
#define ATTR_PRUNE_ROLE 5.0f

/* Unary scores of the features f: cue classes, or role classes when role. */
void attr_score(const scorer *sc, int role, const uint64_t *f, size_t nf, float *out)
{
    if (sc->m)
        pc_tab3_score(role ? &sc->m->fr : &sc->m->fc, f, nf, out);
    else
        pc_trainer_score(role ? sc->tr : sc->tc, f, nf, out);
}

void attr_free(attr_model *m)
{
    if (!m)
        return;
    model_free(&m->file);
    pc_tab3_free(&m->fc);
    pc_tab3_free(&m->fr);
    pc_tab9_free(&m->fs);
    free(m);
}

int attr_load(attr_model **out, const char *path, buf *err)
{
    *out = NULL;
    attr_model *m = calloc(1, sizeof *m);
    if (!m) {
        buf_printf(err, "%s: out of memory", path);
        return HS_ENOMEM;
    }
    int rc = model_load(&m->file, path, MODEL_ATTR, err);
    if (rc) {
        free(m);
        return rc;
    }
    rc = HS_EMODEL;
    size_t nm;
    const uint32_t *meta = model_section_get(&m->file, SEC_META, &nm);
    if (!meta || nm < 16 || meta[0] != ATTR_MAGIC || meta[1] != FEAT_VERSION) {
        buf_printf(err, "%s: attribution model configuration missing or from another version",
                   path);
        goto fail;
    }
    if ((rc = pc_tab3_load(&m->fc, &m->file, ATTR_SEC_CUE, path, "attribution cue", err)) ||
        (rc = pc_tab3_load(&m->fr, &m->file, ATTR_SEC_ROLE, path, "attribution role", err)) ||
        (rc = pc_tab9_load(&m->fs, &m->file, ATTR_SEC_STEP, NROLE * NROLE, path, "attribution step",
                           err)))
        goto fail;
    m->fs.scale /= 2 * m->fr.scale; /* in the packed role scores' units */
    *out = m;
    return HS_OK;
fail:
    attr_free(m);
    return rc;
}

/* Writes the trainers' averaged weights (the smallest pruned) to out; len
 * gets the bytes of the cue, role and step weights. Returns HS_OK, HS_ENOMEM
 * or HS_EIO (the reason in log). */
int attr_save(const char *out, pc_trainer *tc, pc_trainer *tr, pc_trainer *tt, size_t len[3],
              buf *log)
{
    buf body[4] = {{0}};
    int rc = HS_OK;
    uint32_t m[4] = {ATTR_MAGIC, FEAT_VERSION, NCUE, NROLE};
    if (buf_append(&body[0], m, sizeof m) || pc_trainer_export(tc, &body[1], ATTR_PRUNE_CUE) ||
        pc_trainer_export(tr, &body[2], ATTR_PRUNE_ROLE) ||
        pc_trainer_export(tt, &body[3], ATTR_PRUNE_ROLE)) {
        buf_printf(log, "attribution: out of memory exporting\n");
        rc = HS_ENOMEM;
    } else {
        const uint32_t ids[4] = {SEC_META, ATTR_SEC_CUE, ATTR_SEC_ROLE, ATTR_SEC_STEP};
        if (model_write(out, MODEL_ATTR, ids, body, 4, log))
            rc = HS_EIO;
        for (int i = 0; i < 3; i++)
            len[i] = body[i + 1].len;
    }
    for (int i = 0; i < 4; i++)
        buf_free(&body[i]);
    return rc;
}
