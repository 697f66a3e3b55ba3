/* pipeline - the document's way through hearsay: a reader's text goes in
 * (ingest.c), then the stages run in one fixed order, each from the layers
 * before it to its own: tokenize, segment, structure, forms, POS, parse,
 * NER, entities, attribution, events. A stage whose model the engine lacks is
 * skipped. It times each step for hs_doc_stage_times. It writes no output
 * (emit.c, conllu.c) and reads no file. */
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "entities.h"
#include "events.h"
#include "forms.h"
#include "ingest.h"
#include "ner.h"
#include "parser.h"
#include "segment.h"
#include "structure.h"
#include "tagger.h"
#include "tokenize.h"

/* The steps a document's time is counted in: the reader side (ingest),
 * then the stages of stages[] below, in their order. */
enum { STEP_INGEST, STEP_STAGE, NSTAGES = 10, NSTEPS = STEP_STAGE + NSTAGES };

/* The scratch of the stages and the reader side, kept between documents;
 * step_ns[step]: monotonic nanoseconds spent in each step since hs_doc_new or
 * hs_doc_stage_times_reset. */
typedef struct doc_work {
    ingest *ing;
    parser_scratch *ps;
    ner_scratch *ns;
    attr_scratch *as;
    events_scratch *es;
    uint64_t step_ns[NSTEPS];
} doc_work;

int hs_doc_new(hs_doc **out, const hs_engine *eng)
{
    if (!out || !eng)
        return HS_EINVAL;
    hs_doc *d = calloc(1, sizeof *d);
    doc_work *w = calloc(1, sizeof *w);
    if (!d || !w) {
        free(d);
        free(w);
        *out = NULL;
        return HS_ENOMEM;
    }
    d->eng = eng;
    d->work = w;
    *out = d;
    return HS_OK;
}

void hs_doc_free(hs_doc *d)
{
    if (!d)
        return;
    doc_work *w = d->work;
    if (w) {
        ingest_free(w->ing);
        parser_scratch_free(w->ps);
        ner_scratch_free(w->ns);
        attr_scratch_free(w->as);
        events_scratch_free(w->es);
        free(w);
    }
    doc_free(d);
}

/* ---- the stages ----------------------------------------------------------- */

/* A stage: from d's earlier layers to its own, with the engine's models
 * and the document's scratch; HS_OK or an HS_E* code (d->errmsg says why). */
typedef int (*stage_fn)(hs_doc *d, const hs_engine *e, doc_work *w);

static int st_tokenize(hs_doc *d, const hs_engine *e, doc_work *w)
{
    (void)e, (void)w;
    int rc = tok_run(d);
    if (!rc && d->ntok == 0)
        rc = doc_fail(d, HS_EEMPTY, "%zu bytes: no text (empty or white space only)", d->len);
    return rc;
}

static int st_segment(hs_doc *d, const hs_engine *e, doc_work *w)
{
    (void)e, (void)w;
    return seg_run(d);
}

static int st_structure(hs_doc *d, const hs_engine *e, doc_work *w)
{
    (void)e, (void)w;
    return struct_run(d);
}

/* The trained layers all read the forms and POS: without a POS model (see
 * stages[]) or a token none of them runs. */
static int st_forms(hs_doc *d, const hs_engine *e, doc_work *w)
{
    (void)e, (void)w;
    return d->ntok ? forms_run(d) : HS_OK;
}

static int st_pos(hs_doc *d, const hs_engine *e, doc_work *w)
{
    (void)w;
    return d->ntok ? tagger_run(d, e->pos) : HS_OK;
}

static int st_parse(hs_doc *d, const hs_engine *e, doc_work *w)
{
    if (!d->has_pos)
        return HS_OK;
    if (!w->ps && !(w->ps = parser_scratch_new(e->parser, 256)))
        return HS_ENOMEM;
    return parser_run(d, e->parser, w->ps, e->parse_all);
}

static int st_ner(hs_doc *d, const hs_engine *e, doc_work *w)
{
    if (!d->has_pos)
        return HS_OK;
    if (!w->ns && !(w->ns = ner_scratch_new()))
        return HS_ENOMEM;
    return ner_run(d, e->ner, w->ns);
}

static int st_entities(hs_doc *d, const hs_engine *e, doc_work *w)
{
    (void)w;
    return d->has_ner ? entities_run(d, e->gaz) : HS_OK;
}

/* Attribution parses the sentences it reads when the parse stage did not
 * parse them all. */
static int st_attribution(hs_doc *d, const hs_engine *e, doc_work *w)
{
    if (!w->as && !(w->as = attr_scratch_new()))
        return HS_ENOMEM;
    return attr_run(d, e->attr, e->parser, w->ps, w->as);
}

/* Meeting events follow the attributions they are reported in; they run
 * with them (an engine without the attribution model has neither). */
static int st_events(hs_doc *d, const hs_engine *e, doc_work *w)
{
    if (!w->es && !(w->es = events_scratch_new()))
        return HS_ENOMEM;
    return events_run(d, e->parser, w->ps, w->es);
}

/* The model a stage needs: without it the stage is skipped, untimed. */
enum { NEEDS_NONE, NEEDS_POS, NEEDS_PARSER, NEEDS_NER, NEEDS_ATTR };

static int has_model(const hs_engine *e, int needs)
{
    const void *const model[] = {e, e->pos, e->parser, e->ner, e->attr};
    return model[needs] != NULL;
}

/* The fixed order, with the names hs_doc_stage_times gives; a text given
 * as tokens starts at FIRST_TRAINED and stops before attribution and
 * events (it has no paragraphs or blocks to read). */
enum { FIRST_TRAINED = 3, LAST_TRAINED = 7 };
static const struct {
    const char *name;
    stage_fn run;
    int needs;
} stages[] = {
    {"tokenize", st_tokenize, NEEDS_NONE},
    {"segment", st_segment, NEEDS_NONE},
    {"structure", st_structure, NEEDS_NONE},
    {"forms", st_forms, NEEDS_POS},
    {"pos", st_pos, NEEDS_POS},
    {"parse", st_parse, NEEDS_PARSER},
    {"ner", st_ner, NEEDS_NER},
    {"entities", st_entities, NEEDS_NER}, /* the NER stage's mentions */
    {"attribution", st_attribution, NEEDS_ATTR},
    {"events", st_events, NEEDS_ATTR},
};
_Static_assert(sizeof stages / sizeof *stages == NSTAGES, "NSTAGES counts stages[]");

/* Adds the time since t0 to step's; returns the time now. */
static uint64_t count_time(hs_doc *d, size_t step, uint64_t t0)
{
    uint64_t t = doc_clock_ns();
    ((doc_work *)d->work)->step_ns[step] += t - t0;
    return t;
}

/* Runs stages [from, to) over d, whose text is set; t0 is the time the
 * first of them starts (one clock reading between two stages). */
static int run(hs_doc *d, size_t from, size_t to, uint64_t t0)
{
    for (size_t i = from; i < to; i++) {
        if (!has_model(d->eng, stages[i].needs))
            continue;
        int rc = stages[i].run(d, d->eng, d->work);
        t0 = count_time(d, STEP_STAGE + i, t0);
        if (rc)
            return rc;
    }
    doc_check(d);
    return HS_OK;
}

/* ---- entry points (hearsay.h) --------------------------------------------- */

/* Does p point into b's memory? */
static int inside(const buf *b, const char *p)
{
    return p && b->p && p >= b->p && p < b->p + b->cap;
}

static int analyze(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags)
{
    uint64_t t0 = doc_clock_ns();
    int rc = ingest_text(d, id, text, len, flags, d->eng->max_doc_bytes, 0);
    t0 = count_time(d, STEP_INGEST, t0);
    return doc_settle(d, rc ? rc : run(d, 0, NSTAGES, t0));
}

int hs_doc_analyze(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags)
{
    if (!d || (!text && len))
        return HS_EINVAL;
    if (!text)
        text = "";
    /* text or id may be the document's own (hs_doc_text, hs_doc_id of the
     * last analysis): the reset would clear them, so analyze a copy */
    char *tcopy = NULL, *icopy = NULL;
    if (inside(&d->own, text) || inside(&d->owntext, text)) {
        if (!(tcopy = malloc(len + 1)))
            return HS_ENOMEM;
        memcpy(tcopy, text, len);
        tcopy[len] = 0;
        text = tcopy;
    }
    if (inside(&d->id, id)) {
        if (!(icopy = strdup(id))) {
            free(tcopy);
            return HS_ENOMEM;
        }
        id = icopy;
    }
    int rc = analyze(d, id, text, len, flags);
    if (tcopy && rc == HS_OK && d->text == tcopy) {
        /* the result must not point into the copy we are about to free */
        buf_clear(&d->own);
        if (buf_append(&d->own, tcopy, len))
            rc = doc_settle(d, HS_ENOMEM);
        else
            d->text = d->own.p;
    }
    free(tcopy);
    free(icopy);
    return rc;
}

int hs_doc_analyze_input(hs_doc *d, const hs_input *in, unsigned flags)
{
    if (!d || !in || (!in->text && in->len))
        return HS_EINVAL;
    doc_work *w = d->work;
    if (!w->ing && !(w->ing = ingest_new()))
        return HS_ENOMEM;
    /* in->id may be this document's own (hs_doc_id): the reset would clear it */
    hs_input cp;
    char *icopy = NULL;
    if (inside(&d->id, in->id)) {
        if (!(icopy = strdup(in->id)))
            return HS_ENOMEM;
        cp = *in;
        cp.id = icopy;
        in = &cp;
    }
    const char *text;
    size_t len, max = d->eng->max_doc_bytes;
    uint64_t t0 = doc_clock_ns();
    int built, rc = ingest_prepare(w->ing, d, in, max, &text, &len, &built);
    t0 = count_time(d, STEP_INGEST, t0);
    if (rc) {
        free(icopy);
        return doc_settle(d, rc);
    }
    /* a page's text is UTF-8 from the charset conversion; other text is
     * checked as hs_doc_analyze checks it, extracted or not */
    unsigned lossy = flags & HS_ANALYZE_LOSSY;
    if (!(flags & HS_ANALYZE_EXTRACT)) {
        rc = analyze(d, in->id, text, len, lossy); /* times its own steps */
        t0 = doc_clock_ns();
    } else if (in->format == HS_FORMAT_HTML)
        rc = ingest_raw(d, in->id, text, len);
    else
        rc = doc_settle(d, ingest_text(d, in->id, text, len, lossy, max, 1));
    if (!rc)
        rc = doc_settle(d, ingest_finish(w->ing, d, in, built));
    count_time(d, STEP_INGEST, t0);
    free(icopy);
    return rc;
}

int hs_doc_analyze_tokens(hs_doc *d, const char *id, const char *const *tokens, size_t ntok,
                          const uint32_t *sent_len, size_t nsent)
{
    if (!d || (ntok && (!tokens || !sent_len)) || (nsent && !sent_len))
        return HS_EINVAL;
    uint64_t t0 = doc_clock_ns();
    int rc = ingest_tokens(d, id, tokens, ntok, sent_len, nsent, d->eng->max_doc_bytes);
    t0 = count_time(d, STEP_INGEST, t0);
    return doc_settle(d, rc ? rc : run(d, FIRST_TRAINED, LAST_TRAINED + 1, t0));
}

int hs_doc_stage_times(const hs_doc *d, const char **names, double *seconds, size_t cap, size_t *n)
{
    if (!d)
        return HS_EINVAL;
    const doc_work *w = d->work;
    for (size_t i = 0; i < cap && i < NSTEPS + 1; i++) {
        if (names)
            names[i] = i == STEP_INGEST ? "ingest" : i < NSTEPS ? stages[i - STEP_STAGE].name
                                                                : "json";
        if (seconds)
            seconds[i] = (i < NSTEPS ? w->step_ns[i] : d->json_ns) * 1e-9;
    }
    if (n)
        *n = NSTEPS + 1;
    return HS_OK;
}

void hs_doc_stage_times_reset(hs_doc *d)
{
    if (!d)
        return;
    memset(((doc_work *)d->work)->step_ns, 0, sizeof ((doc_work *)d->work)->step_ns);
    d->json_ns = 0;
}
