/* engine - hs_engine_open and its kin: the models of the layers asked for,
 * loaded once from one folder by one routine, the gazetteer, the size
 * limit; also the library's version and result-code texts. It analyzes
 * nothing (pipeline.c) and reads no article (input.c, ingest.c). */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>

#include "attribution.h"
#include "gazetteer.h"
#include "html.h"
#include "ner.h"
#include "parser.h"
#include "tagger.h"

const char *hs_errstr(int code)
{
    static const char *const text[] = {
        [HS_OK] = "ok",
        [HS_ENOMEM] = "out of memory",
        [HS_EINVAL] = "invalid argument",
        [HS_EIO] = "input/output error",
        [HS_EUTF8] = "invalid UTF-8",
        [HS_EBINARY] = "binary data",
        [HS_EEMPTY] = "empty document",
        [HS_ETOOBIG] = "document too large",
        [HS_EGZIP] = "corrupt or truncated gzip data",
        [HS_EEOF] = "end of input",
        [HS_EMODEL] = "bad model file",
        [HS_EFORMAT] = "malformed record",
        [HS_ESTORE] = "corpus database error",
        [HS_EQUERY] = "bad query",
    };
    return code >= 0 && code < (int)(sizeof text / sizeof *text) ? text[code] : "unknown error";
}

const char *hs_version(void) { return HS_VERSION; }

/* The model files, in the order they load (attribution last: it is the
 * costliest to build), and the layers that need each. */
enum { M_POS, M_PARSER, M_NER, M_ATTR, M_COUNT };
static const struct {
    const char *file;
    unsigned layers;
} model_files[M_COUNT] = {
    [M_POS] = {"pos.hsm", HS_LAYER_POS},
    [M_PARSER] = {"parser.hsm", HS_LAYER_PARSE | HS_LAYER_ATTR},
    [M_NER] = {"ner.hsm", HS_LAYER_NER},
    [M_ATTR] = {"attribution.hsm", HS_LAYER_ATTR},
};

/* Loads model m from dir when its file is there: an absent file leaves the
 * layer off, a present but bad one is HS_EMODEL with the reason in errmsg. */
static int load_model(hs_engine *e, const char *dir, int m)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, model_files[m].file);
    FILE *f = fopen(path, "rb");
    if (!f)
        return HS_OK;
    fclose(f);
    int rc = HS_OK;
    switch (m) {
    case M_POS: rc = tagger_load(&e->pos, path, &e->errmsg); break;
    case M_PARSER: rc = parser_load(&e->parser, path, &e->errmsg); break;
    case M_NER: rc = ner_load(&e->ner, path, &e->errmsg); break;
    case M_ATTR: rc = attr_load(&e->attr, path, &e->errmsg); break;
    default: break;
    }
    return rc ? HS_EMODEL : HS_OK;
}

int hs_engine_open(hs_engine **out, const hs_engine_options *opts)
{
    if (!out)
        return HS_EINVAL;
    *out = NULL;
    hs_engine *e = calloc(1, sizeof *e);
    if (!e)
        return HS_ENOMEM;
    html_init();
    e->max_doc_bytes = opts && opts->max_doc_bytes ? opts->max_doc_bytes : HS_DEFAULT_MAX_DOC;
    if (e->max_doc_bytes > UINT32_MAX - 1)
        e->max_doc_bytes = UINT32_MAX - 1; /* offsets are 32-bit */
    *out = e;
    if (!opts || !opts->model_dir)
        return HS_OK;
    unsigned want = opts->layers ? opts->layers | HS_LAYER_POS
                                 : HS_LAYER_POS | HS_LAYER_PARSE | HS_LAYER_NER | HS_LAYER_ATTR;
    e->parse_all = (want & HS_LAYER_PARSE) != 0;
    for (int m = 0; m < M_COUNT; m++) {
        if (!(want & model_files[m].layers))
            continue;
        int rc = load_model(e, opts->model_dir, m);
        if (rc)
            return rc;
    }
    if (e->ner) {
        e->gaz = calloc(1, sizeof *e->gaz);
        if (!e->gaz || gaz_init(e->gaz)) {
            free(e->gaz);
            e->gaz = NULL;
            hs_engine_close(e); /* as the header says: on HS_ENOMEM *out is NULL */
            *out = NULL;
            return HS_ENOMEM;
        }
    }
    return HS_OK;
}

const char *hs_engine_errmsg(const hs_engine *eng)
{
    return eng && eng->errmsg.p ? eng->errmsg.p : "";
}

int hs_engine_has_pos(const hs_engine *eng) { return eng && eng->pos; }

void hs_engine_close(hs_engine *eng)
{
    if (!eng)
        return;
    tagger_free(eng->pos);
    parser_free(eng->parser);
    ner_free(eng->ner);
    attr_free(eng->attr);
    if (eng->gaz)
        gaz_free(eng->gaz);
    free(eng->gaz);
    buf_free(&eng->errmsg);
    free(eng);
}
