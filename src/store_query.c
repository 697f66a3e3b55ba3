/* store_query - what the corpus answers: statements matching a full-text
 * query (search), every occurrence of one statement (trace), statements
 * printed in several documents (quotes), and the corpus in figures (stats).
 * Each result is handed out as fields and as the JSON line the CLI prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "doc.h"
#include "jstr.h"
#include "store_int.h"

/* ---- JSON of a result ---------------------------------------------------- */

static int jmember(buf *b, const char *key, const char *v, int comma)
{
    int rc = buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
    return rc | (v ? jstr_put(b, v, strlen(v)) : buf_append(b, "null", 4));
}

static const char *col(sqlite3_stmt *s, int i) { return (const char *)sqlite3_column_text(s, i); }

/* A query that failed: at sqlite3_step (step is its result) or, with step
 * 0, at prepare. Our SQL binds every value, so the plain SQLITE_ERROR of a
 * step is FTS5 refusing the person's query (a syntax error, an unknown
 * column, "expected integer" in NEAR(a b, x)...): HS_EQUERY. Anything else
 * (I/O, corruption, a prepare that fails) is the store's: HS_ESTORE. */
static int query_fail(hs_store *st, sqlite3_stmt *s, int step)
{
    const char *m = sqlite3_errmsg(st->db);
    int code = step == SQLITE_ERROR && sqlite3_extended_errcode(st->db) == SQLITE_ERROR
                   ? HS_EQUERY
                   : HS_ESTORE;
    if (code == HS_EQUERY)
        store_fail(st, code, "bad query: %s (FTS5 query syntax: words, \"a phrase\", AND, OR, "
                             "NOT, NEAR(...), prefix*)", m);
    else
        store_sqlfail(st, "cannot read the corpus");
    sqlite3_finalize(s);
    return code;
}

/* Whether the text uses FTS5's query syntax; plain words are quoted instead,
 * so that "Clinton's emails" is a query and not a syntax error. */
static int fts_syntax(const char *q)
{
    if (strpbrk(q, "\"()*:^{}+"))
        return 1;
    static const char *const ops[] = {"AND", "OR", "NOT", "NEAR"};
    for (const char *p = q; *p;) {
        size_t n = strcspn(p, " \t\n");
        for (size_t k = 0; k < 4; k++)
            if (n == strlen(ops[k]) && !strncmp(p, ops[k], n))
                return 1;
        p += n;
        p += strspn(p, " \t\n");
    }
    return 0;
}

static int blank(const char *s)
{
    return !s || !s[strspn(s, " \t\r\n")];
}

/* Appends the user's query to b as FTS5: as written, or its words quoted. */
static int put_fts(hs_store *st, buf *b, const char *q, const char *column)
{
    int rc = 0;
    if (column)
        rc |= buf_printf(b, "%s : ", column);
    if (fts_syntax(q) && !column)
        return rc | buf_printf(b, "(%s)", q);
    if (swords_split(&st->qw, q, strlen(q), 4096, 1))
        return HS_ENOMEM;
    rc |= buf_append(b, column ? "\"" : "(", 1);
    const char *p = st->qw.folded.p;
    size_t put = 0;
    for (size_t k = 0; k < st->qw.n; k++, p += strlen(p) + 1) {
        /* the "s" of "Okafor's", the "t" of "don't": not words of their own */
        const sword *w = &st->qw.w[k];
        if (w->e - w->s <= 2 && w->s > 0 &&
            (q[w->s - 1] == '\'' || (w->s >= 3 && !memcmp(q + w->s - 3, "\xE2\x80\x99", 3))))
            continue;
        rc |= buf_printf(b, column ? "%s%s" : "%s\"%s\"", put++ ? " " : "", p);
    }
    rc |= buf_append(b, column ? "\"" : ")", 1);
    return rc ? HS_ENOMEM : HS_OK;
}

/* ---- search ----------------------------------------------------------------- */

/* The WHERE conditions of q's filters on d (docs) and a (attributions),
 * binding from ?3 on; returns the next parameter number. */
static int put_filters(buf *b, const hs_store_query *q)
{
    int n = 3;
    if (q->outlet)
        buf_printf(b, " AND d.outlet = ?%d", n++);
    if (q->since)
        buf_printf(b, " AND substr(d.date, 1, length(?%d)) >= ?%d", n, n), n++;
    if (q->until)
        buf_printf(b, " AND substr(d.date, 1, length(?%d)) <= ?%d", n, n), n++;
    if (q->kind >= 0)
        buf_printf(b, " AND a.kind = ?%d", n++);
    return n;
}

/* Binds what put_filters asked for; returns the next parameter number. */
static int bind_filters(sqlite3_stmt *s, const hs_store_query *q)
{
    int n = 3;
    if (q->outlet)
        sqlite3_bind_text(s, n++, q->outlet, -1, SQLITE_STATIC);
    if (q->since)
        sqlite3_bind_text(s, n++, q->since, -1, SQLITE_STATIC);
    if (q->until)
        sqlite3_bind_text(s, n++, q->until, -1, SQLITE_STATIC);
    if (q->kind >= 0)
        sqlite3_bind_text(s, n++, doc_attr_kind_name(q->kind), -1, SQLITE_STATIC);
    return n;
}

/* Fills a result from the current row of s, its JSON in b; nonzero when out of memory. */
typedef int (*row_fn)(sqlite3_stmt *s, buf *b, hs_store_hit *h);

/* Steps s to its end, handing each row to fn as row makes it, then
 * finalizes s; fn's non-zero return stops early (HS_OK). */
static int hand_out(hs_store *st, sqlite3_stmt *s, row_fn row, hs_store_fn fn, void *user)
{
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        hs_store_hit h = {0};
        buf *b = &st->out;
        buf_clear(b);
        if (row(s, b, &h) || buf_putc(b, 0)) {
            sqlite3_finalize(s);
            return HS_ENOMEM;
        }
        h.json = b->p;
        if (fn(user, &h)) {
            sqlite3_finalize(s);
            return HS_OK;
        }
    }
    if (step != SQLITE_DONE)
        return query_fail(st, s, step);
    sqlite3_finalize(s);
    return HS_OK;
}

static int check_query(hs_store *st, const hs_store_query *q)
{
    if (!st || !q || (q->kind >= HS_ATTR_KIND_COUNT) || q->limit < 0)
        return st ? store_fail(st, HS_EINVAL, "invalid query") : HS_EINVAL;
    if (q->text && blank(q->text))
        return store_fail(st, HS_EQUERY, "the query is empty");
    if (q->speaker && blank(q->speaker))
        return store_fail(st, HS_EQUERY, "the speaker is empty");
    const char *dates[] = {q->since, q->until};
    for (int i = 0; i < 2; i++) {
        const char *d = dates[i];
        if (!d)
            continue;
        size_t n = strlen(d);
        int ok = n == 4 || n == 7 || n == 10;
        for (size_t k = 0; ok && k < n; k++)
            ok = (k == 4 || k == 7) ? d[k] == '-' : (d[k] >= '0' && d[k] <= '9');
        int month = ok && n >= 7 ? atoi(d + 5) : 1, day = ok && n == 10 ? atoi(d + 8) : 1;
        ok = ok && month >= 1 && month <= 12 && day >= 1 && day <= 31;
        if (!ok)
            return store_fail(st, HS_EQUERY, "'%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", d);
    }
    st->err[0] = 0;
    return HS_OK;
}

/* The full-text condition of text and speaker into st->tmp; 0 when none. */
static int match_expr(hs_store *st, const hs_store_query *q, int *has)
{
    buf_clear(&st->tmp);
    *has = 0;
    int rc = HS_OK;
    if (q->text) {
        rc = put_fts(st, &st->tmp, q->text, NULL);
        *has = 1;
    }
    if (!rc && q->speaker) {
        if (*has)
            rc = buf_append(&st->tmp, " AND ", 5);
        rc = rc ? rc : put_fts(st, &st->tmp, q->speaker, "{speaker aliases}");
        *has = 1;
    }
    return rc || buf_putc(&st->tmp, 0) ? HS_ENOMEM : HS_OK;
}

static int search_row(sqlite3_stmt *s, buf *b, hs_store_hit *h)
{
    *h = (hs_store_hit){.doc = col(s, 0), .outlet = col(s, 1), .date = col(s, 2),
                        .title = col(s, 3), .speaker = col(s, 4), .attribution = col(s, 5),
                        .kind = col(s, 6), .cue = col(s, 7), .content = col(s, 8),
                        .marked = col(s, 9), .score = sqlite3_column_double(s, 10)};
    return buf_putc(b, '{') | jmember(b, "doc", h->doc, 0) | jmember(b, "outlet", h->outlet, 1) |
           jmember(b, "date", h->date, 1) | jmember(b, "title", h->title, 1) |
           jmember(b, "speaker", h->speaker, 1) | buf_append(b, ",\"attribution\":", 15) |
           buf_append(b, h->attribution, strlen(h->attribution)) | buf_putc(b, '}');
}

int hs_store_search(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user)
{
    int rc = check_query(st, q);
    if (rc)
        return rc;
    int has;
    if ((rc = match_expr(st, q, &has)))
        return rc;
    buf sql = {0};
    /* FTS5 ranks inside (ORDER BY rank LIMIT is its fast path: no other
     * row is read); with filters every match goes out to be filtered */
    int filtered = q->outlet || q->since || q->until || q->kind >= 0;
    if (has)
        buf_printf(&sql, "SELECT d.id, d.outlet, d.date, d.title, a.speaker, a.json, a.kind, a.cue,"
                         " a.content, f.marked, f.score FROM (SELECT rowid, rank AS score,"
                         " %s AS marked FROM attr_fts"
                         " WHERE attr_fts MATCH ?1 AND rank MATCH 'bm25(1.0, 0.5, 0.5)'"
                         " ORDER BY rank LIMIT %ld) f JOIN attributions a ON a.aid = f.rowid"
                         " JOIN docs d ON d.docid = a.docid WHERE 1",
                   q->marks ? "highlight(attr_fts, 0, char(2), char(3))" : "NULL",
                   filtered ? -1L : (q->limit ? q->limit : 20));
    else
        buf_printf(&sql, "SELECT d.id, d.outlet, d.date, d.title, a.speaker, a.json, a.kind, a.cue,"
                         " a.content, %s, 0.0 AS score"
                         " FROM attributions a JOIN docs d ON d.docid = a.docid WHERE ?1 IS NULL",
                   q->marks ? "a.content" : "NULL");
    put_filters(&sql, q);
    buf_printf(&sql, " ORDER BY score, d.date DESC, a.aid LIMIT ?2");
    if (buf_putc(&sql, 0)) {
        buf_free(&sql);
        return HS_ENOMEM;
    }
    sqlite3_stmt *s = NULL;
    int prc = sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL);
    buf_free(&sql);
    if (prc != SQLITE_OK)
        return query_fail(st, s, 0);
    if (has)
        sqlite3_bind_text(s, 1, st->tmp.p, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, q->limit ? q->limit : 20);
    bind_filters(s, q);
    return hand_out(st, s, search_row, fn, user);
}

/* ---- events ---------------------------------------------------------------- */

static int event_row(sqlite3_stmt *s, buf *b, hs_store_hit *h)
{
    *h = (hs_store_hit){.doc = col(s, 0), .outlet = col(s, 1), .date = col(s, 2),
                        .title = col(s, 3), .speaker = col(s, 4), .event = col(s, 5),
                        .kind = col(s, 6), .cue = col(s, 7), .content = col(s, 8),
                        .participants = col(s, 9)};
    return buf_putc(b, '{') | jmember(b, "doc", h->doc, 0) | jmember(b, "outlet", h->outlet, 1) |
           jmember(b, "date", h->date, 1) | jmember(b, "title", h->title, 1) |
           jmember(b, "source", h->speaker, 1) | jmember(b, "participants", h->participants, 1) |
           jmember(b, "sentence", h->content, 1) | buf_append(b, ",\"event\":", 9) |
           (h->event ? buf_append(b, h->event, strlen(h->event)) : buf_append(b, "null", 4)) |
           buf_putc(b, '}');
}

int hs_store_events(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user)
{
    int rc = check_query(st, q);
    if (rc)
        return rc;
    if (q->text)
        return store_fail(st, HS_EQUERY, "events are found by --event, --participant, "
                                         "--factuality, --speaker, --outlet and dates, not words");
    if (q->kind >= 0)
        return store_fail(st, HS_EQUERY, "a kind is a statement's; meetings have a factuality");
    if (q->participant && blank(q->participant))
        return store_fail(st, HS_EQUERY, "the participant is empty");
    if (q->event && strcmp(q->event, "meet"))
        return store_fail(st, HS_EQUERY, "'%s' is not an event type (meet)", q->event);
    int fact_ok = !q->factuality;
    for (int f = 0; !fact_ok && f < HS_FACT_COUNT; f++)
        fact_ok = !strcmp(q->factuality, doc_factuality_name(f));
    if (!fact_ok)
        return store_fail(st, HS_EQUERY, "'%s' is not a factuality (asserted, hedged, negated, "
                                         "future, hypothetical)", q->factuality);
    buf sql = {0};
    buf_printf(&sql, "SELECT d.id, d.outlet, d.date, d.title, e.source, e.json, e.factuality,"
                     " e.trigger, e.context, e.participants FROM events e"
                     " JOIN docs d ON d.docid = e.docid WHERE (?1 IS NULL OR e.type = ?1)");
    hs_store_query fq = *q;
    fq.kind = -1; /* statements' kinds do not apply */
    int n = put_filters(&sql, &fq);
    if (q->participant)
        buf_printf(&sql, " AND e.evid IN (SELECT evid FROM event_parties WHERE name = ?%d)", n++);
    if (q->factuality)
        buf_printf(&sql, " AND e.factuality = ?%d", n++);
    if (q->speaker) /* the name, or its last words after a space ("Lavrov") */
        buf_printf(&sql, " AND (e.source = ?%d COLLATE NOCASE OR (length(e.source) > length(?%d)"
                         " AND lower(substr(e.source, -length(?%d) - 1)) = lower(' ' || ?%d)))",
                   n, n, n, n), n++;
    buf_printf(&sql, " ORDER BY d.date DESC, d.docid, e.start LIMIT ?2");
    if (buf_putc(&sql, 0)) {
        buf_free(&sql);
        return HS_ENOMEM;
    }
    sqlite3_stmt *s = NULL;
    int prc = sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL);
    buf_free(&sql);
    if (prc != SQLITE_OK)
        return query_fail(st, s, 0);
    if (q->event)
        sqlite3_bind_text(s, 1, q->event, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, q->limit ? q->limit : 20);
    n = bind_filters(s, &fq);
    if (q->participant)
        sqlite3_bind_text(s, n++, q->participant, -1, SQLITE_STATIC);
    if (q->factuality)
        sqlite3_bind_text(s, n++, q->factuality, -1, SQLITE_STATIC);
    if (q->speaker)
        sqlite3_bind_text(s, n++, q->speaker, -1, SQLITE_STATIC);
    return hand_out(st, s, event_row, fn, user);
}

/* ---- trace ------------------------------------------------------------------ */

/* One occurrence: a statement (aid), or words of a paragraph that no
 * matching statement holds (para: the span [start, end) of the text). */
typedef struct occ {
    int64_t aid;
    double sim;
    char *doc, *outlet, *date, *speaker, *json, *kind, *cue, *content, *ptext;
    int64_t docid;
    long start, end, pstart, pend;
    size_t words, matched;
    int para;
} occ;

typedef struct found {
    occ *v;
    size_t n, cap;
} found;

static int on_found(void *user, int64_t aid, int64_t docid, size_t words, size_t matched)
{
    found *f = user;
    if (vec_reserve((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v))
        return HS_ENOMEM;
    f->v[f->n++] = (occ){.aid = aid, .docid = docid, .words = words, .matched = matched};
    return 0;
}

static int on_para(void *user, int64_t docid, size_t pstart, size_t pend, size_t s, size_t e,
                   size_t words, size_t matched)
{
    found *f = user;
    if (vec_reserve((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v))
        return HS_ENOMEM;
    f->v[f->n++] = (occ){.docid = docid, .pstart = (long)pstart, .pend = (long)pend,
                         .start = (long)s, .end = (long)e, .words = words, .matched = matched,
                         .para = 1};
    return 0;
}

static char *dup_col(sqlite3_stmt *s, int i)
{
    const char *v = col(s, i);
    return v ? strdup(v) : NULL;
}

/* Copies an occurrence's columns: doc, outlet, date, speaker, json, kind,
 * cue and content, the first eight of both queries that read one. */
static int occ_take(occ *o, sqlite3_stmt *s)
{
    o->doc = dup_col(s, 0), o->outlet = dup_col(s, 1), o->date = dup_col(s, 2);
    o->speaker = dup_col(s, 3), o->json = dup_col(s, 4), o->kind = dup_col(s, 5);
    o->cue = dup_col(s, 6), o->content = dup_col(s, 7);
    return o->doc && o->content ? HS_OK : HS_ENOMEM;
}

/* Oldest first; undated last; then in corpus order and text order. */
static int by_date(const void *pa, const void *pb)
{
    const occ *a = pa, *b = pb;
    if (!a->date != !b->date)
        return a->date ? -1 : 1;
    int c = a->date ? strcmp(a->date, b->date) : 0;
    if (c)
        return c;
    if (a->docid != b->docid)
        return a->docid < b->docid ? -1 : 1;
    return a->start < b->start ? -1 : a->start > b->start;
}

static void occ_free(occ *o)
{
    free(o->doc), free(o->outlet), free(o->date), free(o->speaker), free(o->json);
    free(o->kind), free(o->cue), free(o->content), free(o->ptext);
    memset(o, 0, sizeof *o);
}

/* Fills a paragraph occurrence: its document, its words, and the statement
 * whose content starts among them, if any (its speaker and JSON); s is
 * the statement of fill_sql. */
static const char fill_sql[] =
    "SELECT d.id, d.outlet, d.date, a.speaker, a.json, a.kind, a.cue,"
    " CAST(substr(CAST(d.text AS BLOB), ?2 + 1, ?3 - ?2) AS TEXT), a.aid,"
    " CAST(substr(CAST(d.text AS BLOB), ?4 + 1, ?5 - ?4) AS TEXT)"
    " FROM docs d LEFT JOIN attributions a ON a.docid = d.docid"
    " AND a.start >= ?2 AND a.start < ?3 WHERE d.docid = ?1 ORDER BY a.start LIMIT 1";

static int fill_para(hs_store *st, sqlite3_stmt *s, occ *o)
{
    int rc = HS_OK;
    sqlite3_bind_int64(s, 1, o->docid);
    sqlite3_bind_int64(s, 2, o->start);
    sqlite3_bind_int64(s, 3, o->end);
    sqlite3_bind_int64(s, 4, o->pstart);
    sqlite3_bind_int64(s, 5, o->pend);
    if (sqlite3_step(s) == SQLITE_ROW) {
        rc = occ_take(o, s);
        o->aid = sqlite3_column_int64(s, 8);
        o->ptext = dup_col(s, 9);
        if (!rc && !o->ptext)
            rc = HS_ENOMEM;
    } else {
        rc = store_sqlfail(st, "cannot read the corpus");
    }
    sqlite3_reset(s);
    return rc;
}

/* Cuts a paragraph occurrence to the words that line up with the first
 * occurrence (in st->qw), looked for near the words that matched the
 * quotation: the same statement, not the query's part of it. */
static int recut(hs_store *st, occ *o)
{
    if (swords_split(&st->cw, o->ptext, strlen(o->ptext), SW_ALIGN_MAX, 0))
        return HS_ENOMEM;
    size_t lo = 0, hi = st->cw.n, n0 = st->qw.n;
    long qs = o->start - o->pstart, qe = o->end - o->pstart;
    while (lo < hi && (long)st->cw.w[lo].e <= qs - 0) /* the window: the query's words ... */
        lo++;
    size_t k = lo;
    while (k < hi && (long)st->cw.w[k].s < qe)
        k++;
    /* ... widened by the first occurrence's length each way */
    lo = lo > n0 ? lo - n0 : 0;
    hi = k + n0 < hi ? k + n0 : hi;
    swords win = {.w = st->cw.w + lo, .n = hi - lo};
    size_t first, last;
    int rc = swords_span(&st->qw, &win, &first, &last);
    if (rc == HS_ENOMEM)
        return rc;
    if (rc != HS_OK)
        return HS_OK;
    size_t s = win.w[first].s, e = win.w[last].e;
    char *c = strndup(o->ptext + s, e - s);
    if (!c)
        return HS_ENOMEM;
    free(o->content);
    o->content = c;
    o->start = o->pstart + (long)s;
    o->end = o->pstart + (long)e;
    return HS_OK;
}

/* Adds to f the paragraphs that hold the quotation where no statement
 * found holds it (the analysis missed it, or cut it otherwise). */
static int add_paras(hs_store *st, const char *quote, found *f)
{
    size_t nstat = f->n;
    int rc = store_match_paras(st, quote, strlen(quote), on_para, f);
    if (rc)
        return rc;
    size_t keep = nstat;
    for (size_t i = nstat; i < f->n; i++) {
        occ o = f->v[i];
        int dup = 0;
        for (size_t k = 0; k < nstat && !dup; k++)
            dup = f->v[k].docid == o.docid && f->v[k].start >= o.pstart && f->v[k].start < o.pend;
        if (dup)
            continue;
        f->v[keep++] = o;
    }
    f->n = keep;
    return HS_OK;
}

int hs_store_trace(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user)
{
    int rc = check_query(st, q);
    if (rc)
        return rc;
    if (!q->text)
        return store_fail(st, HS_EQUERY, "no quotation to trace");
    found f = {0};
    rc = store_match(st, q->text, strlen(q->text), 0, 1, on_found, &f);
    size_t nq = st->qw.n < SW_LCS_MAX ? st->qw.n : SW_LCS_MAX;
    sqlite3_stmt *s = NULL;
    if (!rc && f.n &&
        sqlite3_prepare_v2(st->db,
                           "SELECT d.id, d.outlet, d.date, a.speaker, a.json, a.kind, a.cue,"
                           " a.content, a.start FROM attributions a JOIN docs d ON d.docid = a.docid"
                           " WHERE a.aid = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        rc = store_sqlfail(st, "cannot read the corpus");
    for (size_t i = 0; !rc && i < f.n; i++) {
        occ *o = &f.v[i];
        o->sim = swords_similarity(o->matched, nq, o->words);
        sqlite3_bind_int64(s, 1, o->aid);
        if (sqlite3_step(s) == SQLITE_ROW) {
            rc = occ_take(o, s);
            o->start = (long)sqlite3_column_int64(s, 8);
        } else {
            rc = store_sqlfail(st, "cannot read the corpus");
        }
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    size_t nstat = f.n;
    if (!rc)
        rc = add_paras(st, q->text, &f);
    nq = st->qw.n < SW_LCS_MAX ? st->qw.n : SW_LCS_MAX;
    s = NULL;
    if (!rc && f.n > nstat && sqlite3_prepare_v2(st->db, fill_sql, -1, &s, NULL) != SQLITE_OK)
        rc = store_sqlfail(st, "cannot read the corpus");
    for (size_t i = nstat; !rc && i < f.n; i++) {
        f.v[i].sim = swords_similarity(f.v[i].matched, nq, f.v[i].words);
        rc = fill_para(st, s, &f.v[i]);
    }
    sqlite3_finalize(s);
    if (!rc && f.n) {
        qsort(f.v, f.n, sizeof *f.v, by_date);
        /* the earliest occurrence's words stay in qw; each other one's in cw */
        if (swords_split(&st->qw, f.v[0].content, strlen(f.v[0].content), SW_ALIGN_MAX, 0))
            rc = HS_ENOMEM;
    }
    for (size_t i = 1; !rc && i < f.n; i++)
        if (f.v[i].para)
            rc = recut(st, &f.v[i]);
    size_t limit = q->limit ? (size_t)q->limit : f.n;
    const char **ch = NULL;
    for (size_t i = 0; !rc && i < f.n && i < limit; i++) {
        occ *o = &f.v[i];
        size_t nch = 0;
        if (swords_split(&st->cw, o->content, strlen(o->content), SW_ALIGN_MAX, 0) ||
            swords_changes(&st->qw, f.v[0].content, &st->cw, o->content, &st->tmp, &st->offs,
                           &st->offcap, &nch)) {
            rc = HS_ENOMEM;
            break;
        }
        const char **nc = realloc(ch, (2 * nch + 1) * sizeof *ch);
        if (!nc) {
            rc = HS_ENOMEM;
            break;
        }
        ch = nc;
        buf *b = &st->out;
        buf_clear(b);
        int e = buf_putc(b, '{') | jmember(b, "doc", o->doc, 0) | jmember(b, "outlet", o->outlet, 1) |
                jmember(b, "date", o->date, 1) | jmember(b, "speaker", o->speaker, 1) |
                buf_append(b, ",\"attribution\":", 15) |
                (o->json ? buf_append(b, o->json, strlen(o->json)) : buf_append(b, "null", 4));
        if (o->para)
            e |= buf_printf(b, ",\"span\":[%ld,%ld],\"text\":", o->start, o->end) |
                 jstr_put(b, o->content, strlen(o->content));
        e |= buf_printf(b, ",\"first\":%s,\"similarity\":%.2f,\"changes\":[",
                        i ? "false" : "true", o->sim);
        for (size_t k = 0; k < nch; k++) {
            ch[k] = st->tmp.p + st->offs[2 * k];
            ch[nch + k] = st->tmp.p + st->offs[2 * k + 1];
            e |= buf_printf(b, "%s{\"from\":", k ? "," : "") | jstr_put(b, ch[k], strlen(ch[k])) |
                 buf_append(b, ",\"to\":", 6) | jstr_put(b, ch[nch + k], strlen(ch[nch + k])) |
                 buf_putc(b, '}');
        }
        e |= buf_append(b, "]}", 2) | buf_putc(b, 0);
        if (e) {
            rc = HS_ENOMEM;
            break;
        }
        hs_store_hit h = {.json = b->p, .doc = o->doc, .outlet = o->outlet, .date = o->date,
                          .speaker = o->speaker, .kind = o->kind, .cue = o->cue,
                          .content = o->content, .attribution = o->json, .score = o->sim,
                          .first = i == 0, .nchanges = nch, .change_from = ch,
                          .change_to = ch + nch};
        if (fn(user, &h))
            break;
    }
    free(ch);
    for (size_t i = 0; i < f.n; i++)
        occ_free(&f.v[i]);
    free(f.v);
    return rc;
}

/* ---- quotes ---------------------------------------------------------------- */

int hs_store_quotes(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user)
{
    int rc = check_query(st, q);
    if (rc)
        return rc;
    int has = 0;
    if (q->speaker && (rc = match_expr(st, &(hs_store_query){.speaker = q->speaker}, &has)))
        return rc;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT a.qid, count(DISTINCT a.docid) AS nd, count(DISTINCT d.outlet) AS no"
             " FROM attributions a JOIN docs d ON d.docid = a.docid WHERE a.qid IS NOT NULL%s"
             " GROUP BY a.qid HAVING nd > 1 AND no >= ?2 ORDER BY nd DESC, no DESC, a.qid"
             " LIMIT ?3",
             has ? " AND a.qid IN (SELECT a2.qid FROM attr_fts JOIN attributions a2"
                   " ON a2.aid = attr_fts.rowid WHERE attr_fts MATCH ?1)"
                 : "");
    sqlite3_stmt *s = NULL, *first = NULL, *var = NULL, *who = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return query_fail(st, s, 0);
    if (sqlite3_prepare_v2(st->db,
                           "SELECT d.id, d.outlet, d.date, d.title, a.speaker, a.json, a.kind, a.cue,"
                           " a.content FROM attributions a JOIN docs d ON d.docid = a.docid"
                           " WHERE a.qid = ?1 ORDER BY d.date IS NULL, d.date, a.docid, a.start"
                           " LIMIT 1",
                           -1, &first, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "SELECT content, count(DISTINCT docid) AS n FROM attributions"
                           " WHERE qid = ?1 GROUP BY content ORDER BY n DESC, content LIMIT 20",
                           -1, &var, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "SELECT speaker, count(*) AS n FROM attributions WHERE qid = ?1"
                           " AND eid IS NOT NULL GROUP BY speaker ORDER BY n DESC LIMIT 1",
                           -1, &who, NULL) != SQLITE_OK) {
        rc = store_sqlfail(st, "cannot read the quotes");
        goto done;
    }
    if (has)
        sqlite3_bind_text(s, 1, st->tmp.p, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, q->min_outlets > 1 ? q->min_outlets : 1);
    sqlite3_bind_int64(s, 3, q->limit ? q->limit : 50);
    int step;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t qid = sqlite3_column_int64(s, 0);
        hs_store_hit h = {.documents = (long)sqlite3_column_int64(s, 1),
                          .outlets = (long)sqlite3_column_int64(s, 2)};
        sqlite3_bind_int64(first, 1, qid);
        sqlite3_bind_int64(var, 1, qid);
        sqlite3_bind_int64(who, 1, qid);
        if (sqlite3_step(first) != SQLITE_ROW) {
            sqlite3_reset(first);
            sqlite3_reset(var);
            sqlite3_reset(who);
            continue;
        }
        h.doc = col(first, 0), h.outlet = col(first, 1), h.date = col(first, 2);
        h.title = col(first, 3), h.speaker = col(first, 4), h.attribution = col(first, 5);
        h.kind = col(first, 6), h.cue = col(first, 7), h.content = col(first, 8);
        h.first = 1;
        if (sqlite3_step(who) == SQLITE_ROW)
            h.speaker = col(who, 0);
        buf *b = &st->out;
        buf_clear(b);
        int e = buf_printf(b, "{\"quote\":%lld", (long long)qid) | jmember(b, "speaker", h.speaker, 1) |
                jmember(b, "text", h.content, 1) | buf_append(b, ",\"first\":{", 10) |
                jmember(b, "doc", h.doc, 0) | jmember(b, "outlet", h.outlet, 1) |
                jmember(b, "date", h.date, 1) |
                buf_printf(b, "},\"documents\":%ld,\"outlets\":%ld,\"variants\":[", h.documents,
                           h.outlets);
        for (int k = 0; sqlite3_step(var) == SQLITE_ROW; k++) {
            const char *t = col(var, 0);
            e |= buf_printf(b, "%s{\"text\":", k ? "," : "") |
                 (t ? jstr_put(b, t, strlen(t)) : buf_append(b, "null", 4)) |
                 buf_printf(b, ",\"documents\":%lld}", (long long)sqlite3_column_int64(var, 1));
        }
        e |= buf_append(b, "],\"attribution\":", 16) |
             buf_append(b, h.attribution, strlen(h.attribution)) | buf_append(b, "}", 2);
        h.json = b->p;
        if (e)
            rc = HS_ENOMEM;
        else if (fn(user, &h))
            step = SQLITE_DONE;
        sqlite3_reset(first);
        sqlite3_reset(var);
        sqlite3_reset(who);
        if (step == SQLITE_DONE)
            break;
    }
    if (!rc && step != SQLITE_DONE && step != SQLITE_ROW) {
        rc = query_fail(st, s, step);
        s = NULL;
    }
done:
    sqlite3_finalize(s);
    sqlite3_finalize(first);
    sqlite3_finalize(var);
    sqlite3_finalize(who);
    return rc;
}

/* ---- stats ------------------------------------------------------------------ */

int hs_store_stats(hs_store *st, const char **json)
{
    if (!st || !json)
        return HS_EINVAL;
    static const char *const counts[][2] = {
        {"documents", "SELECT count(*) FROM docs"},
        {"attributions", "SELECT count(*) FROM attributions"},
        {"entities", "SELECT count(*) FROM entities"},
        {"events", "SELECT count(*) FROM events"},
        {"quotes", "SELECT count(*) FROM (SELECT qid FROM attributions WHERE qid IS NOT NULL"
                   " GROUP BY qid HAVING count(DISTINCT docid) > 1)"},
        {"words", "SELECT coalesce(sum(words), 0) FROM docs"},
        {"outlet_count", "SELECT count(DISTINCT outlet) FROM docs"},
        {"bytes", "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size"},
    };
    buf b = {0};
    int rc = buf_printf(&b, "{\"schema\":%d", STORE_SCHEMA);
    for (size_t i = 0; i < sizeof counts / sizeof *counts && !rc; i++) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db, counts[i][1], -1, &s, NULL) != SQLITE_OK ||
            sqlite3_step(s) != SQLITE_ROW)
            rc = store_sqlfail(st, "cannot count");
        else
            rc = buf_printf(&b, ",\"%s\":%lld", counts[i][0], (long long)sqlite3_column_int64(s, 0));
        sqlite3_finalize(s);
    }
    sqlite3_stmt *s = NULL;
    if (!rc && sqlite3_prepare_v2(st->db, "SELECT min(date), max(date) FROM docs", -1, &s, NULL) ==
                   SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        rc = buf_append(&b, ",\"dates\":{", 10) | jmember(&b, "first", col(s, 0), 0) |
             jmember(&b, "last", col(s, 1), 1) | buf_putc(&b, '}');
    else if (!rc)
        rc = store_sqlfail(st, "cannot read the dates");
    sqlite3_finalize(s);
    s = NULL;
    if (!rc && sqlite3_prepare_v2(st->db,
                                  "SELECT outlet, count(*) AS n FROM docs GROUP BY outlet"
                                  " ORDER BY n DESC, outlet LIMIT 100",
                                  -1, &s, NULL) == SQLITE_OK) {
        rc = buf_append(&b, ",\"outlets\":[", 12);
        for (int k = 0; !rc && sqlite3_step(s) == SQLITE_ROW; k++)
            rc = buf_printf(&b, "%s{", k ? "," : "") | jmember(&b, "name", col(s, 0), 0) |
                 buf_printf(&b, ",\"documents\":%lld}", (long long)sqlite3_column_int64(s, 1));
        rc |= buf_putc(&b, ']');
    } else if (!rc) {
        rc = store_sqlfail(st, "cannot read the outlets");
    }
    sqlite3_finalize(s);
    if (!rc && (buf_append(&b, "}", 2)))
        rc = HS_ENOMEM;
    if (rc) {
        buf_free(&b);
        return rc == HS_ESTORE ? rc : rc == HS_ENOMEM ? rc : HS_ENOMEM;
    }
    free(st->stats);
    st->stats = b.p;
    *json = b.p;
    return HS_OK;
}

int hs_store_count(hs_store *st, long long *documents)
{
    if (!st || !documents)
        return HS_EINVAL;
    sqlite3_stmt *s = NULL;
    int rc = HS_OK;
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM docs", -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW)
        rc = store_sqlfail(st, "cannot count the documents");
    else
        *documents = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc;
}

int hs_store_doc(hs_store *st, const char *id, const char **json, size_t *len)
{
    if (!st || !id || !json)
        return HS_EINVAL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT analysis, text, url, outlet, date FROM docs WHERE id = ?1", -1,
                           &s, NULL) != SQLITE_OK)
        return store_sqlfail(st, "cannot read the document");
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(s), rc = HS_OK;
    if (step == SQLITE_DONE) {
        rc = store_fail(st, HS_EEOF, "no document with id \"%s\"", id);
    } else if (step != SQLITE_ROW) {
        rc = store_sqlfail(st, "cannot read the document");
    } else {
        json_error_t jerr;
        json_t *a = json_loadb((const char *)sqlite3_column_blob(s, 0),
                               (size_t)sqlite3_column_bytes(s, 0), 0, &jerr);
        if (!json_is_object(a)) {
            rc = store_fail(st, HS_ESTORE, "the stored analysis of \"%s\" is damaged: %s", id,
                            jerr.text);
        } else {
            static const char *const keys[] = {"url", "outlet", "date"};
            for (int k = 0; k < 3; k++)
                if (!json_object_get(a, keys[k]) && col(s, 2 + k))
                    json_object_set_new(a, keys[k], json_string(col(s, 2 + k)));
            json_object_set_new(a, "text",
                                json_stringn((const char *)sqlite3_column_text(s, 1),
                                             (size_t)sqlite3_column_bytes(s, 1)));
            char *out = json_dumps(a, JSON_COMPACT);
            if (!out) {
                rc = HS_ENOMEM;
            } else {
                st->out.len = 0;
                rc = buf_append(&st->out, out, strlen(out) + 1) ? HS_ENOMEM : HS_OK;
                free(out);
                if (!rc) {
                    *json = st->out.p;
                    if (len)
                        *len = st->out.len - 1;
                }
            }
        }
        json_decref(a);
    }
    sqlite3_finalize(s);
    return rc;
}
