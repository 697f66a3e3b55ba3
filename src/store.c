/* store - the corpus database: opening and checking it, writing analyzed
 * documents in batches, and joining each batch's statements to the quotes
 * they repeat (docs/store.md has the schema). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "jstr.h"
#include "store_int.h"

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE docs(docid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, url TEXT,"
    " outlet TEXT COLLATE NOCASE, date TEXT, title TEXT, text TEXT NOT NULL,"
    " analysis TEXT NOT NULL, words INTEGER NOT NULL, indexed TEXT NOT NULL);"
    "CREATE INDEX docs_outlet ON docs(outlet);"
    "CREATE INDEX docs_date ON docs(date);"
    "CREATE TABLE entities(docid INTEGER NOT NULL REFERENCES docs(docid), eid TEXT NOT NULL,"
    " type TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL, role TEXT,"
    " PRIMARY KEY(docid, eid)) WITHOUT ROWID;"
    "CREATE INDEX entities_name ON entities(name);"
    "CREATE TABLE attributions(aid INTEGER PRIMARY KEY,"
    " docid INTEGER NOT NULL REFERENCES docs(docid), id TEXT NOT NULL, kind TEXT NOT NULL,"
    " content TEXT, cue TEXT, source TEXT, eid TEXT, speaker TEXT, aliases TEXT, via TEXT,"
    " hedged INTEGER NOT NULL, confidence REAL, start INTEGER, words INTEGER NOT NULL,"
    " json TEXT NOT NULL, qid INTEGER);"
    "CREATE INDEX attributions_doc ON attributions(docid);"
    "CREATE INDEX attributions_qid ON attributions(qid);"
    "CREATE VIRTUAL TABLE attr_fts USING fts5(content, speaker, aliases, content='attributions',"
    " content_rowid='aid', tokenize='unicode61 remove_diacritics 2');"
    "CREATE VIRTUAL TABLE attr_vocab USING fts5vocab(attr_fts, 'col');"
    "CREATE TABLE paras(pid INTEGER PRIMARY KEY, docid INTEGER NOT NULL REFERENCES docs(docid),"
    " start INTEGER NOT NULL, end INTEGER NOT NULL);"
    "CREATE INDEX paras_doc ON paras(docid);"
    "CREATE VIRTUAL TABLE para_fts USING fts5(text, content='',"
    " tokenize='unicode61 remove_diacritics 2');"
    "CREATE VIRTUAL TABLE para_vocab USING fts5vocab(para_fts, 'row');"
    "CREATE TABLE events(evid INTEGER PRIMARY KEY, docid INTEGER NOT NULL REFERENCES docs(docid),"
    " id TEXT NOT NULL, type TEXT NOT NULL, trigger TEXT NOT NULL, factuality TEXT NOT NULL,"
    " source TEXT, participants TEXT NOT NULL, context TEXT, start INTEGER, json TEXT NOT NULL);"
    "CREATE INDEX events_doc ON events(docid);"
    "CREATE TABLE event_parties(evid INTEGER NOT NULL REFERENCES events(evid),"
    " name TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY(evid, name)) WITHOUT ROWID;"
    "CREATE INDEX event_parties_name ON event_parties(name);"
    "CREATE TRIGGER attributions_ai AFTER INSERT ON attributions BEGIN"
    " INSERT INTO attr_fts(rowid, content, speaker, aliases)"
    " VALUES (new.aid, new.content, new.speaker, new.aliases); END;"
    "CREATE TRIGGER attributions_ad AFTER DELETE ON attributions BEGIN"
    " INSERT INTO attr_fts(attr_fts, rowid, content, speaker, aliases)"
    " VALUES ('delete', old.aid, old.content, old.speaker, old.aliases); END;";

#define STR_(x) #x
#define STR(x) STR_(x)

/* The tables and indexes a corpus has (schema_sql makes them). */
#define STORE_TABLES                                                                              \
    "('meta', 'docs', 'docs_outlet', 'docs_date', 'entities', 'entities_name', 'attributions',"  \
    " 'attributions_doc', 'attributions_qid', 'attr_fts', 'attr_vocab', 'paras', 'paras_doc',"   \
    " 'para_fts', 'para_vocab', 'attributions_ai', 'attributions_ad', 'events', 'events_doc',"  \
    " 'event_parties', 'event_parties_name')"
#define STORE_NTABLES 21

static int exec(hs_store *st, const char *sql, const char *what)
{
    return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? HS_OK
                                                                     : store_sqlfail(st, what);
}

/* One integer from a one-row query, or -1 (st->err set). */
static long long pragma_int(hs_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else
        store_sqlfail(st, "cannot read the database");
    sqlite3_finalize(s);
    return v;
}

/* Checks the file is a hearsay corpus of our schema; creates the schema in
 * an empty database when writing. */
static int check_schema(hs_store *st)
{
    long long app = pragma_int(st, "PRAGMA application_id");
    if (app < 0)
        return HS_ESTORE;
    long long tables = pragma_int(st, "SELECT count(*) FROM sqlite_schema");
    if (tables < 0)
        return HS_ESTORE;
    if (app == 0 && tables == 0) {
        if (st->readonly)
            return store_fail(st, HS_ESTORE, "%s: an empty database, not a hearsay corpus "
                                             "(hearsay index creates one)", st->path);
        char pragmas[128];
        snprintf(pragmas, sizeof pragmas, "PRAGMA application_id=%d;PRAGMA user_version=%d;",
                 STORE_APP_ID, STORE_SCHEMA);
        char meta[256];
        snprintf(meta, sizeof meta,
                 "INSERT INTO meta VALUES('created_by','hearsay %s'),('schema','%d');",
                 HS_VERSION, STORE_SCHEMA);
        int rc = exec(st, "BEGIN IMMEDIATE", "cannot create the corpus");
        if (!rc)
            rc = exec(st, schema_sql, "cannot create the corpus");
        if (!rc)
            rc = exec(st, meta, "cannot create the corpus");
        if (!rc)
            rc = exec(st, pragmas, "cannot create the corpus");
        if (!rc)
            rc = exec(st, "COMMIT", "cannot create the corpus");
        if (rc)
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (app != STORE_APP_ID)
        return store_fail(st, HS_ESTORE, "%s: not a hearsay corpus (an SQLite database of "
                                         "another application)", st->path);
    long long ver = pragma_int(st, "PRAGMA user_version");
    if (ver < 0)
        return HS_ESTORE;
    if (ver != STORE_SCHEMA)
        return store_fail(st, HS_ESTORE, "%s: a corpus of schema version %lld; this hearsay "
                                         "(%s) reads version %d: re-index it into a new file",
                          st->path, ver, HS_VERSION, STORE_SCHEMA);
    long long have = pragma_int(st, "SELECT count(*) FROM sqlite_schema WHERE name IN " STORE_TABLES);
    if (have < 0)
        return HS_ESTORE;
    if (have != STORE_NTABLES)
        return store_fail(st, HS_ESTORE, "%s: an incomplete corpus (%lld of its %d tables): "
                                         "re-index it into a new file", st->path, have, STORE_NTABLES);
    return HS_OK;
}

static int prepare(hs_store *st, sqlite3_stmt **s, const char *sql)
{
    return sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL) == SQLITE_OK
               ? HS_OK
               : store_sqlfail(st, "cannot prepare a statement");
}

/* A paragraph's text, for SQL over paras p JOIN docs d. */
#define PARA_TEXT "CAST(substr(CAST(d.text AS BLOB), p.start + 1, p.end - p.start) AS TEXT)"

static int prepare_all(hs_store *st)
{
    /* how many statements (paragraphs) hold a word, counted up to
     * STORE_DF_CAP: past it a word is common, and counting on would cost
     * as much as its whole posting list (what fts5vocab does) */
    int rc = prepare(st, &st->vocab, "SELECT count(*) FROM (SELECT rowid FROM attr_fts"
                                     " WHERE attr_fts MATCH ?1 LIMIT " STR(STORE_DF_CAP) ")");
    rc = rc ? rc : prepare(st, &st->pvocab, "SELECT count(*) FROM (SELECT rowid FROM para_fts"
                                            " WHERE para_fts MATCH ?1 LIMIT " STR(STORE_DF_CAP) ")");
    rc = rc ? rc : prepare(st, &st->pcand,
                           "SELECT p.pid, p.docid, substr(CAST(d.text AS BLOB), p.start + 1,"
                           " p.end - p.start), p.start FROM (SELECT rowid FROM para_fts"
                           " WHERE para_fts MATCH ?1 ORDER BY rank LIMIT ?2) f"
                           " JOIN paras p ON p.pid = f.rowid JOIN docs d ON d.docid = p.docid");
    rc = rc ? rc : prepare(st, &st->attr_get,
                           "SELECT docid, content, words FROM attributions WHERE aid=?1");
    if (rc || st->readonly)
        return rc;
    rc = prepare(st, &st->find, "SELECT docid FROM docs WHERE id=?1");
    rc = rc ? rc : prepare(st, &st->del_attr, "DELETE FROM attributions WHERE docid=?1");
    rc = rc ? rc : prepare(st, &st->del_party, "DELETE FROM event_parties WHERE evid IN"
                                               " (SELECT evid FROM events WHERE docid=?1)");
    rc = rc ? rc : prepare(st, &st->del_event, "DELETE FROM events WHERE docid=?1");
    rc = rc ? rc : prepare(st, &st->ins_event,
                           "INSERT INTO events(docid, id, type, trigger, factuality, source,"
                           " participants, context, start, json)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    rc = rc ? rc : prepare(st, &st->ins_party,
                           "INSERT OR IGNORE INTO event_parties(evid, name) VALUES(?1, ?2)");
    rc = rc ? rc : prepare(st, &st->del_ent, "DELETE FROM entities WHERE docid=?1");
    rc = rc ? rc : prepare(st, &st->del_para_fts,
                           "INSERT INTO para_fts(para_fts, rowid, text) SELECT 'delete', p.pid, "
                           PARA_TEXT " FROM paras p JOIN docs d ON d.docid = p.docid WHERE p.docid=?1");
    rc = rc ? rc : prepare(st, &st->del_para, "DELETE FROM paras WHERE docid=?1");
    rc = rc ? rc : prepare(st, &st->del_doc, "DELETE FROM docs WHERE docid=?1");
    rc = rc ? rc : prepare(st, &st->ins_para, "INSERT INTO paras(docid, start, end) VALUES(?1, ?2, ?3)");
    rc = rc ? rc : prepare(st, &st->fill_para_fts,
                           "INSERT INTO para_fts(rowid, text) SELECT p.pid, " PARA_TEXT
                           " FROM paras p JOIN docs d ON d.docid = p.docid WHERE p.docid=?1");
    rc = rc ? rc : prepare(st, &st->ins_doc,
                           "INSERT INTO docs(id, url, outlet, date, title, text, analysis, words,"
                           " indexed) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    rc = rc ? rc : prepare(st, &st->ins_ent,
                           "INSERT OR REPLACE INTO entities VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    rc = rc ? rc : prepare(st, &st->ins_attr,
                           "INSERT INTO attributions(docid, id, kind, content, cue, source, eid,"
                           " speaker, aliases, via, hedged, confidence, start, words, json)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                           " ?15)");
    rc = rc ? rc : prepare(st, &st->set_qid, "UPDATE attributions SET qid=?2 WHERE aid=?1");
    rc = rc ? rc : prepare(st, &st->get_qid, "SELECT qid FROM attributions WHERE aid=?1");
    return rc;
}

int hs_store_open(hs_store **out, const char *path, unsigned flags)
{
    if (!out)
        return HS_EINVAL;
    *out = NULL;
    if (!path || (flags & ~(unsigned)HS_STORE_READONLY))
        return HS_EINVAL;
    hs_store *st = calloc(1, sizeof *st);
    if (!st)
        return HS_ENOMEM;
    st->path = strdup(path);
    if (!st->path) {
        free(st);
        return HS_ENOMEM;
    }
    *out = st;
    st->readonly = !!(flags & HS_STORE_READONLY);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return store_fail(st, HS_ESTORE, "%s: is a folder, not a corpus database", path);
    if (st->readonly && stat(path, &sb) != 0)
        return store_fail(st, HS_ESTORE, "%s: no such corpus (hearsay index %s FILE... makes one)",
                          path, path);
    int oflags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        if (!st->db)
            return HS_ENOMEM;
        return store_sqlfail(st, "cannot open");
    }
    sqlite3_extended_result_codes(st->db, 0);
    sqlite3_busy_timeout(st->db, 10000);
    /* a 64 MiB page cache, and reads through mmap: the index and the
     * full-text lookups of each batch's quotes read far more than they write */
    sqlite3_exec(st->db, "PRAGMA cache_size=-65536;PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
    int rc = check_schema(st);
    if (!rc && !st->readonly)
        rc = exec(st, "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                      "PRAGMA foreign_keys=ON",
                  "cannot set WAL mode");
    if (!rc)
        rc = prepare_all(st);
    return rc;
}

const char *hs_store_errmsg(const hs_store *st) { return st ? st->err : ""; }

void hs_store_close(hs_store *st)
{
    if (!st)
        return;
    hs_store_commit(st);
    sqlite3_stmt *all[] = {st->find, st->del_attr, st->del_ent, st->del_doc, st->ins_doc,
                           st->ins_ent, st->ins_attr, st->vocab, st->attr_get, st->set_qid,
                           st->get_qid, st->cand, st->cand_ranked, st->ins_para,
                           st->fill_para_fts, st->del_para_fts, st->del_para, st->pvocab, st->pcand,
                           st->ins_event, st->ins_party, st->del_event, st->del_party};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        sqlite3_finalize(all[i]);
    if (st->db && !st->readonly)
        sqlite3_exec(st->db, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close(st->db);
    swords_free(&st->qw);
    swords_free(&st->cw);
    buf_free(&st->out);
    buf_free(&st->tmp);
    buf_free(&st->fts);
    free(st->offs);
    free(st->fresh);
    free(st->stats);
    free(st->dfc);
    free(st->path);
    free(st);
}

/* ---- raw JSON: the byte ranges of members, as analyze wrote them ---------- */

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* The end of the (valid) JSON value at p. */
static const char *skip_value(const char *p, const char *e)
{
    int depth = 0;
    while (p < e) {
        char c = *p++;
        if (c == '"') {
            while (p < e && *p != '"')
                p += *p == '\\' ? 2 : 1;
            p++;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        }
        if (depth == 0) {
            /* a scalar ends before the next delimiter */
            if (c != '"' && c != '}' && c != ']')
                while (p < e && !strchr(",}] \t\r\n", *p))
                    p++;
            return p;
        }
    }
    return e;
}

typedef struct raw {
    const char *text_from, *text_to; /* the "text" member with one comma next to it */
    const char *attrs;               /* the attributions array */
} raw;

static void scan_members(const char *p, const char *e, raw *r)
{
    memset(r, 0, sizeof *r);
    p = skip_ws(p, e);
    if (p >= e || *p != '{')
        return;
    p++;
    const char *prev_comma = NULL;
    for (;;) {
        p = skip_ws(p, e);
        if (p >= e || *p != '"')
            return;
        const char *key = p;
        p = skip_value(p, e);
        size_t klen = (size_t)(p - key);
        p = skip_ws(p, e);
        if (p >= e || *p != ':')
            return;
        const char *v = skip_ws(p + 1, e);
        p = skip_value(v, e);
        if (klen == 6 && !memcmp(key, "\"text\"", 6)) {
            r->text_from = prev_comma ? prev_comma : key;
            r->text_to = p;
        } else if (klen == 14 && !memcmp(key, "\"attributions\"", 14)) {
            r->attrs = v;
        }
        p = skip_ws(p, e);
        if (p < e && *p == ',') {
            if (r->text_from == key) /* the first member: take the comma after it */
                r->text_to = p + 1;
            prev_comma = p++;
            continue;
        }
        return;
    }
}

/* ---- put ------------------------------------------------------------------- */

static const char *str_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *text_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_object(v) ? str_of(v, "text") : NULL;
}

/* An ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, then the end, 'T' or ' '). */
static int iso_date(const char *d)
{
    if (!d)
        return 0;
    static const char pat[] = "dddd-dd-dd";
    size_t i = 0;
    for (; d[i] && i < 10; i++) {
        if (pat[i] == 'd' ? (d[i] < '0' || d[i] > '9') : d[i] != '-')
            break;
    }
    if (i != 4 && i != 7 && i != 10)
        return 0;
    return d[i] == 0 || d[i] == 'T' || d[i] == ' ';
}

static void bind_str(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static int step_done(hs_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? HS_OK : store_sqlfail(st, what);
}

/* The outlet when the input names none: the URL's host without "www.". */
static const char *host_of(const char *url, char *tmp, size_t cap)
{
    if (!url)
        return NULL;
    const char *p = strstr(url, "://");
    if (!p)
        return NULL;
    p += 3;
    if (!strncmp(p, "www.", 4))
        p += 4;
    size_t n = strcspn(p, "/:?#");
    if (!n || n >= cap)
        return NULL;
    memcpy(tmp, p, n);
    tmp[n] = 0;
    return tmp;
}

static int begin(hs_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        return HS_OK;
    return exec(st, "BEGIN IMMEDIATE", "cannot start a transaction");
}

/* Writes one entity row; names its aliases as a JSON array. */
static int put_entity(hs_store *st, int64_t docid, json_t *e)
{
    const char *eid = str_of(e, "id"), *type = str_of(e, "type"), *name = str_of(e, "name");
    if (!eid || !type || !name)
        return store_fail(st, HS_EFORMAT, "an entity without id, type or name");
    char *aliases = json_dumps(json_object_get(e, "aliases"), JSON_COMPACT | JSON_ENCODE_ANY);
    sqlite3_stmt *s = st->ins_ent;
    sqlite3_bind_int64(s, 1, docid);
    bind_str(s, 2, eid);
    bind_str(s, 3, type);
    sqlite3_bind_text(s, 4, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, aliases ? aliases : "[]", -1, SQLITE_TRANSIENT);
    bind_str(s, 6, str_of(e, "role"));
    free(aliases);
    int rc = step_done(st, s, "cannot store an entity");
    sqlite3_clear_bindings(s);
    return rc;
}

/* The entity object of id eid in the document, or NULL. */
static json_t *entity_of(json_t *ents, const char *eid)
{
    if (!eid || eid[0] != 'e')
        return NULL;
    long k = strtol(eid + 1, NULL, 10) - 1;
    json_t *e = k >= 0 ? json_array_get(ents, (size_t)k) : NULL;
    const char *id = e ? str_of(e, "id") : NULL;
    if (id && !strcmp(id, eid))
        return e;
    size_t i;
    json_array_foreach(ents, i, e) if ((id = str_of(e, "id")) && !strcmp(id, eid)) return e;
    return NULL;
}

/* Writes one statement: its fields for search, its raw JSON for output. */
static int put_attribution(hs_store *st, int64_t docid, json_t *a, json_t *ents, const char *rawa,
                           size_t rawlen)
{
    const char *aid = str_of(a, "id"), *kind = str_of(a, "kind");
    if (!aid || !kind)
        return store_fail(st, HS_EFORMAT, "an attribution without id or kind");
    const char *content = text_of(a, "content");
    json_t *src = json_object_get(a, "source");
    const char *source = json_is_object(src) ? str_of(src, "text") : NULL;
    const char *eid = json_is_object(src) ? str_of(src, "entity") : NULL;
    json_t *ent = entity_of(ents, eid);
    const char *speaker = ent ? str_of(ent, "name") : source;
    /* the aliases column: the entity's other names, its role, and the
     * mention as written, so that each finds the statement */
    buf *al = &st->tmp;
    buf_clear(al);
    if (ent) {
        json_t *v;
        size_t i;
        json_array_foreach(json_object_get(ent, "aliases"), i, v) if (json_is_string(v))
            buf_printf(al, "%s%s", al->len ? " ; " : "", json_string_value(v));
        const char *role = str_of(ent, "role");
        if (role)
            buf_printf(al, "%s%s", al->len ? " ; " : "", role);
        if (source && strcmp(source, speaker))
            buf_printf(al, "%s%s", al->len ? " ; " : "", source);
    }
    if (buf_putc(al, 0))
        return HS_ENOMEM;
    json_t *via = json_object_get(a, "via");
    json_t *hedges = json_object_get(a, "hedges");
    json_t *cs = json_object_get(json_object_get(a, "content"), "spans");
    json_t *first = json_array_get(json_array_get(cs, 0), 0);
    size_t words = content ? swords_count(content, strlen(content)) : 0;
    sqlite3_stmt *s = st->ins_attr;
    sqlite3_bind_int64(s, 1, docid);
    bind_str(s, 2, aid);
    bind_str(s, 3, kind);
    bind_str(s, 4, content);
    bind_str(s, 5, text_of(a, "cue"));
    bind_str(s, 6, source);
    bind_str(s, 7, ent ? eid : NULL);
    bind_str(s, 8, speaker);
    bind_str(s, 9, al->len > 1 ? al->p : NULL);
    bind_str(s, 10, json_is_object(via) ? str_of(via, "text") : NULL);
    sqlite3_bind_int(s, 11, json_array_size(hedges) > 0);
    json_t *conf = json_object_get(a, "confidence");
    if (json_is_number(conf))
        sqlite3_bind_double(s, 12, json_number_value(conf));
    else
        sqlite3_bind_null(s, 12);
    if (json_is_integer(first))
        sqlite3_bind_int64(s, 13, json_integer_value(first));
    else
        sqlite3_bind_null(s, 13);
    sqlite3_bind_int64(s, 14, (sqlite3_int64)words);
    sqlite3_bind_text(s, 15, rawa, (int)rawlen, SQLITE_TRANSIENT);
    int rc = step_done(st, s, "cannot store an attribution");
    sqlite3_clear_bindings(s);
    if (rc)
        return rc;
    if (words >= STORE_QUOTE_MIN_WORDS) {
        if (vec_reserve((void **)&st->fresh, &st->capfresh, st->nfresh + 1, sizeof *st->fresh))
            return HS_ENOMEM;
        st->fresh[st->nfresh++] = sqlite3_last_insert_rowid(st->db);
    }
    return HS_OK;
}

/* Removes the document of id with its entities and statements. */
static int remove_doc(hs_store *st, const char *id)
{
    sqlite3_bind_text(st->find, 1, id, -1, SQLITE_TRANSIENT);
    int64_t docid = sqlite3_step(st->find) == SQLITE_ROW ? sqlite3_column_int64(st->find, 0) : 0;
    sqlite3_reset(st->find);
    if (!docid)
        return HS_OK;
    sqlite3_stmt *del[] = {st->del_attr, st->del_party, st->del_event, st->del_ent,
                           st->del_para_fts, st->del_para, st->del_doc};
    for (size_t i = 0; i < sizeof del / sizeof *del; i++) {
        sqlite3_bind_int64(del[i], 1, docid);
        int rc = step_done(st, del[i], "cannot replace a document");
        if (rc)
            return rc;
    }
    return HS_OK;
}

/* One name an event's party is found by (--participant): stored once. */
static int put_party(hs_store *st, int64_t evid, const char *name)
{
    if (!name || !*name)
        return HS_OK;
    sqlite3_bind_int64(st->ins_party, 1, evid);
    sqlite3_bind_text(st->ins_party, 2, name, -1, SQLITE_TRANSIENT);
    return step_done(st, st->ins_party, "cannot store an event's party");
}

/* The sentence of the text holding byte off (from the "sentences" array),
 * as [*b, *e); 0 when none does. */
static int sentence_at(json_t *sents, long long off, long long *b, long long *e)
{
    size_t i;
    json_t *v;
    json_array_foreach(sents, i, v)
    {
        json_t *x = json_array_get(v, 0), *y = json_array_get(v, 1);
        if (json_is_integer(x) && json_is_integer(y) && json_integer_value(x) <= off &&
            off < json_integer_value(y)) {
            *b = json_integer_value(x), *e = json_integer_value(y);
            return 1;
        }
    }
    return 0;
}

/* Writes one meeting event: its fields for search, the names each party is
 * found by (the entity's name, its surname, aliases, the mention as
 * written), its sentence, its JSON. */
static int put_event(hs_store *st, int64_t docid, json_t *v, json_t *ents, json_t *sents,
                     const char *text)
{
    const char *id = str_of(v, "id"), *type = str_of(v, "type");
    const char *fact = str_of(v, "factuality"), *trig = text_of(v, "trigger");
    if (!id || !type || !fact || !trig)
        return store_fail(st, HS_EFORMAT, "an event without id, type, factuality or trigger");
    json_t *src = json_object_get(v, "source");
    json_t *sent = json_is_object(src) ? entity_of(ents, str_of(src, "entity")) : NULL;
    const char *source = sent ? str_of(sent, "name") : json_is_object(src) ? str_of(src, "text")
                                                                           : NULL;
    /* the parties' names, as "A; B" */
    buf *names = &st->tmp;
    buf_clear(names);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(v, "participants"), i, p)
    {
        if (!json_is_object(p))
            return store_fail(st, HS_EFORMAT, "an event's participant is not an object");
        json_t *e = entity_of(ents, str_of(p, "entity"));
        const char *n = e ? str_of(e, "name") : str_of(p, "text");
        if (!n || !*n)
            continue;
        /* each name once: a whole "; "-separated item, not a part of one */
        size_t nl = strlen(n);
        int dup = 0;
        for (const char *q = names->p; q && !dup && q < names->p + names->len;) {
            const char *end = strstr(q, "; ");
            size_t il = end ? (size_t)(end - q) : strlen(q);
            dup = il == nl && !memcmp(q, n, nl);
            q = end ? end + 2 : q + il;
        }
        if (!dup)
            buf_printf(names, "%s%s", names->len ? "; " : "", n);
    }
    if (buf_putc(names, 0))
        return HS_ENOMEM;
    json_t *t0 = json_array_get(json_array_get(json_object_get(json_object_get(v, "trigger"),
                                                               "spans"), 0), 0);
    long long start = json_is_integer(t0) ? json_integer_value(t0) : -1, sb, se;
    char *dumped = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!dumped)
        return HS_ENOMEM;
    size_t tlen = strlen(text);
    sqlite3_stmt *s = st->ins_event;
    sqlite3_bind_int64(s, 1, docid);
    bind_str(s, 2, id);
    bind_str(s, 3, type);
    bind_str(s, 4, trig);
    bind_str(s, 5, fact);
    bind_str(s, 6, source);
    sqlite3_bind_text(s, 7, names->p, -1, SQLITE_TRANSIENT);
    if (start >= 0 && sentence_at(sents, start, &sb, &se) && sb >= 0 && sb < se &&
        se <= (long long)tlen)
        sqlite3_bind_text(s, 8, text + sb, (int)(se - sb), SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, 8);
    if (start >= 0)
        sqlite3_bind_int64(s, 9, start);
    else
        sqlite3_bind_null(s, 9);
    sqlite3_bind_text(s, 10, dumped, -1, SQLITE_TRANSIENT);
    int rc = step_done(st, s, "cannot store an event");
    sqlite3_clear_bindings(s);
    free(dumped);
    if (rc)
        return rc;
    int64_t evid = sqlite3_last_insert_rowid(st->db);
    json_array_foreach(json_object_get(v, "participants"), i, p)
    {
        json_t *e = entity_of(ents, str_of(p, "entity"));
        rc = put_party(st, evid, str_of(p, "text"));
        if (!rc && e) {
            const char *n = str_of(e, "name"), *sp = n ? strrchr(n, ' ') : NULL;
            rc = put_party(st, evid, n);
            if (!rc && sp)
                rc = put_party(st, evid, sp + 1); /* "Putin" finds Vladimir Putin */
            size_t k;
            json_t *a;
            json_array_foreach(json_object_get(e, "aliases"), k, a) if (!rc && json_is_string(a))
                rc = put_party(st, evid, json_string_value(a));
        }
        if (rc)
            return rc;
    }
    return HS_OK;
}

static int put_parsed(hs_store *st, json_t *o, const char *json, size_t len)
{
    const char *id = str_of(o, "id"), *text = str_of(o, "text");
    json_t *schema = json_object_get(o, "schema");
    json_t *attrs = json_object_get(o, "attributions"), *ents = json_object_get(o, "entities");
    if (!id || !*id)
        return store_fail(st, HS_EFORMAT, "no \"id\"");
    if (!json_is_integer(schema) || json_integer_value(schema) != HS_SCHEMA_VERSION)
        return store_fail(st, HS_EFORMAT, "%s: not hearsay analyze output of schema %d",
                          id, HS_SCHEMA_VERSION);
    if (!text)
        return store_fail(st, HS_EFORMAT, "%s: no \"text\" (run analyze with --include-text)", id);
    if (!json_is_array(attrs) || !json_is_array(ents))
        return store_fail(st, HS_EFORMAT, "%s: no \"attributions\" or \"entities\" array", id);
    raw r;
    scan_members(json, json + len, &r);
    if (!r.text_from || !r.attrs)
        return store_fail(st, HS_EFORMAT, "%s: cannot find the members", id);

    int rc = remove_doc(st, id);
    if (rc)
        return rc;
    /* the analysis: the object without its text (the text has a column) */
    buf *an = &st->out;
    buf_clear(an);
    if (buf_append(an, json, (size_t)(r.text_from - json)) ||
        buf_append(an, r.text_to, (size_t)(json + len - r.text_to)))
        return HS_ENOMEM;
    const char *url = str_of(o, "url"), *outlet = str_of(o, "outlet");
    char host[256];
    if (!outlet)
        outlet = host_of(url, host, sizeof host);
    const char *date = str_of(o, "date");
    if (!iso_date(date))
        date = iso_date(str_of(o, "published")) ? str_of(o, "published") : NULL;
    const char *title = text_of(o, "title");
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    sqlite3_stmt *s = st->ins_doc;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    bind_str(s, 2, url);
    bind_str(s, 3, outlet);
    bind_str(s, 4, date);
    bind_str(s, 5, title);
    sqlite3_bind_text(s, 6, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 7, an->p, (int)an->len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 8, (sqlite3_int64)swords_count(text, strlen(text)));
    sqlite3_bind_text(s, 9, stamp, -1, SQLITE_TRANSIENT);
    rc = step_done(st, s, "cannot store a document");
    sqlite3_clear_bindings(s);
    if (rc)
        return rc;
    int64_t docid = sqlite3_last_insert_rowid(st->db);
    size_t i;
    json_t *v;
    json_array_foreach(ents, i, v) if (json_is_object(v) && (rc = put_entity(st, docid, v)))
        return rc;
    /* the paragraphs (block spans) for trace to find what no statement holds */
    size_t tlen = strlen(text);
    json_array_foreach(json_object_get(o, "blocks"), i, v)
    {
        size_t k;
        json_t *sp;
        json_array_foreach(json_object_get(v, "spans"), k, sp)
        {
            json_t *a = json_array_get(sp, 0), *b = json_array_get(sp, 1);
            if (!json_is_integer(a) || !json_is_integer(b) || json_integer_value(a) < 0 ||
                json_integer_value(b) <= json_integer_value(a) ||
                (size_t)json_integer_value(b) > tlen)
                return store_fail(st, HS_EFORMAT, "%s: a block span outside the text", id);
            sqlite3_bind_int64(st->ins_para, 1, docid);
            sqlite3_bind_int64(st->ins_para, 2, json_integer_value(a));
            sqlite3_bind_int64(st->ins_para, 3, json_integer_value(b));
            if ((rc = step_done(st, st->ins_para, "cannot store a paragraph")))
                return rc;
        }
    }
    sqlite3_bind_int64(st->fill_para_fts, 1, docid);
    if ((rc = step_done(st, st->fill_para_fts, "cannot index the paragraphs")))
        return rc;
    /* each attribution's raw bytes, in array order */
    const char *end = json + len, *p = skip_ws(r.attrs + 1, end);
    json_array_foreach(attrs, i, v)
    {
        const char *q = skip_value(p, end);
        if (!json_is_object(v))
            return store_fail(st, HS_EFORMAT, "%s: an attribution is not an object", id);
        if ((rc = put_attribution(st, docid, v, ents, p, (size_t)(q - p))))
            return rc;
        p = skip_ws(q, end);
        if (p < end && *p == ',')
            p = skip_ws(p + 1, end);
    }
    /* meeting events (an analysis without them has none) */
    json_t *evs = json_object_get(o, "events");
    if (evs && !json_is_array(evs))
        return store_fail(st, HS_EFORMAT, "%s: \"events\" is not an array", id);
    json_t *sents = json_object_get(o, "sentences");
    json_array_foreach(evs, i, v)
    {
        if (!json_is_object(v))
            return store_fail(st, HS_EFORMAT, "%s: an event is not an object", id);
        if ((rc = put_event(st, docid, v, ents, sents, text)))
            return rc;
    }
    return HS_OK;
}

int hs_store_put(hs_store *st, const char *json, size_t len)
{
    if (!st || !json)
        return HS_EINVAL;
    if (st->readonly)
        return store_fail(st, HS_EINVAL, "%s: opened read-only", st->path);
    st->err[0] = 0;
    while (len && (json[len - 1] == '\n' || json[len - 1] == '\r' || json[len - 1] == ' '))
        len--;
    if (jstr_cost(json, len) > (size_t)JSTR_BUDGET * (256u << 20))
        return store_fail(st, HS_ETOOBIG, "the JSON would take too much memory to read");
    json_error_t je;
    json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!o)
        return store_fail(st, HS_EFORMAT, "invalid JSON at column %d: %s", je.column, je.text);
    int rc = json_is_object(o) ? HS_OK : store_fail(st, HS_EFORMAT, "not a JSON object");
    size_t fresh0 = st->nfresh;
    if (!rc)
        rc = begin(st);
    if (!rc) {
        /* one savepoint per document: a bad one leaves the batch as it was */
        rc = exec(st, "SAVEPOINT doc", "cannot start a transaction");
        if (!rc) {
            rc = put_parsed(st, o, json, len);
            if (rc) {
                sqlite3_exec(st->db, "ROLLBACK TO doc", NULL, NULL, NULL);
                st->nfresh = fresh0;
            }
            int r2 = exec(st, "RELEASE doc", "cannot end a transaction");
            rc = rc ? rc : r2;
        }
    }
    json_decref(o);
    if (rc)
        return rc;
    st->pending++;
    st->since_refresh++;
    st->pending_bytes += len;
    if (st->pending >= HS_STORE_BATCH || st->pending_bytes >= STORE_BATCH_BYTES)
        return hs_store_commit(st);
    return HS_OK;
}

/* ---- quotes: each new statement joins the statements it repeats ----------- */

typedef struct join {
    hs_store *st;
    int64_t aid, qid;
    size_t words;
    double best;
} join;

static int qid_of(hs_store *st, int64_t aid, int64_t *qid)
{
    sqlite3_bind_int64(st->get_qid, 1, aid);
    int rc = sqlite3_step(st->get_qid);
    *qid = rc == SQLITE_ROW ? sqlite3_column_int64(st->get_qid, 0) : 0;
    sqlite3_reset(st->get_qid);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HS_OK : store_sqlfail(st, "cannot read a quote");
}

/* Keeps the quote of the statement most like the new one (matched words
 * over the longer of the two). */
static int on_same(void *user, int64_t aid, int64_t docid, size_t words, size_t matched)
{
    join *j = user;
    (void)docid;
    if (aid == j->aid)
        return 0;
    double score = (double)matched / (double)(words > j->words ? words : j->words);
    if (score <= j->best)
        return 0;
    int64_t q;
    if (qid_of(j->st, aid, &q))
        return HS_ESTORE;
    if (!q) /* a statement of this batch not yet joined */
        return 0;
    j->best = score;
    j->qid = q;
    return score >= 1.0 ? -1 : 0; /* an exact reprint: none can be closer */
}

/* Gives every statement of the batch its quote: that of the statement it
 * repeats most closely, else its own aid. A statement joins one quote and
 * quotes never merge, so that a chain of fragments cannot glue different
 * statements together. */
static int join_quotes(hs_store *st)
{
    join j = {.st = st};
    int rc = HS_OK;
    for (size_t k = 0; k < st->nfresh && !rc; k++) {
        j.aid = st->fresh[k];
        j.qid = 0;
        j.best = 0;
        sqlite3_bind_int64(st->attr_get, 1, j.aid);
        if (sqlite3_step(st->attr_get) != SQLITE_ROW) {
            sqlite3_reset(st->attr_get);
            continue; /* replaced within the batch */
        }
        int64_t docid = sqlite3_column_int64(st->attr_get, 0);
        const char *c = (const char *)sqlite3_column_text(st->attr_get, 1);
        size_t n = (size_t)sqlite3_column_bytes(st->attr_get, 1);
        j.words = (size_t)sqlite3_column_int64(st->attr_get, 2);
        buf_clear(&st->fts);
        rc = buf_append(&st->fts, c ? c : "", n) || buf_putc(&st->fts, 0) ? HS_ENOMEM : HS_OK;
        sqlite3_reset(st->attr_get);
        if (rc)
            break;
        rc = store_match(st, st->fts.p, n, docid, 0, on_same, &j);
        if (rc == HS_EQUERY)
            rc = HS_OK;
        if (rc)
            break;
        sqlite3_bind_int64(st->set_qid, 1, j.aid);
        sqlite3_bind_int64(st->set_qid, 2, j.qid ? j.qid : j.aid);
        rc = step_done(st, st->set_qid, "cannot store a quote");
    }
    st->nfresh = 0;
    return rc;
}

int hs_store_commit(hs_store *st)
{
    if (!st)
        return HS_EINVAL;
    if (!st->db || sqlite3_get_autocommit(st->db))
        return HS_OK;
    int rc = join_quotes(st);
    if (!rc)
        rc = exec(st, "COMMIT", "cannot commit");
    if (rc)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->pending = 0;
    st->pending_bytes = 0;
    return rc;
}
