/* store_int - what the store's files share: the handle, its prepared
 * statements, errors, and the words of a statement's content as the
 * full-text index sees them. store_words.c splits and aligns words;
 * store_match.c has the errors and finds a statement's repeats; store.c
 * opens, writes and joins quotes; store_query.c answers search, trace,
 * quotes and stats. */
#ifndef HS_STORE_INT_H
#define HS_STORE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "buf.h"
#include "hearsay.h"

/* The schema this code writes and reads (PRAGMA user_version), and the
 * mark of a hearsay corpus (PRAGMA application_id: "HSDB"). */
#define STORE_SCHEMA 2
#define STORE_APP_ID 0x48534442

/* A batch also commits once its documents hold this many bytes of JSON. */
#define STORE_BATCH_BYTES (16u << 20)

/* Statements shorter than this many words join no quote (a quote of three
 * common words is no evidence of reuse). */
#define STORE_QUOTE_MIN_WORDS 8

/* One word of a content: the hash of its folded form (case folded,
 * diacritics removed, as FTS5's unicode61 tokenizer with remove_diacritics
 * does) and its byte span in the text. */
typedef struct sword {
    uint64_t h;
    uint32_t s, e;
} sword;

/* A text's words; folded gets the folded words, each NUL-terminated, when
 * asked (fold != 0). At most cap words are kept (the rest are not read). */
typedef struct swords {
    sword *w;
    size_t n, cap;
    buf folded;
} swords;

int swords_split(swords *ws, const char *text, size_t len, size_t maxw, int fold);
void swords_free(swords *ws);
/* How many words text[0..len) has (what swords_split would find). */
size_t swords_count(const char *text, size_t len);

/* The length of the longest common subsequence of a's and b's word hashes
 * (bit-parallel over a, at most SW_LCS_MAX words of a are used). */
#define SW_LCS_MAX 256
size_t swords_lcs(const swords *a, const swords *b);

/* The alignment of a and b as change runs: for each run of words that
 * differ, from[] is a's text of the run and to[] b's ("" for none), written
 * into out as NUL-terminated strings; *nchanges gets their number and
 * offs[2k], offs[2k+1] the offsets of change k's two strings in out.
 * Compares at most SW_ALIGN_MAX words of each. */
#define SW_ALIGN_MAX 600
int swords_changes(const swords *a, const char *atext, const swords *b, const char *btext,
                   buf *out, size_t **offs, size_t *offcap, size_t *nchanges);

/* The first and last words of b that line up with a (indices into b->w),
 * or HS_EEOF when none does. */
int swords_span(const swords *a, const swords *b, size_t *first, size_t *last);

/* Whether two contents are the same statement: the matched words m (the
 * longest common subsequence) of word counts na and nb; query: a is what a
 * person asked to trace, and may be part of a longer statement. */
int swords_same(size_t m, size_t na, size_t nb, int query);
/* Their similarity from 0 to 1 (matched words over the shorter). */
double swords_similarity(size_t m, size_t na, size_t nb);

/* Words are counted (how many statements or paragraphs hold one) up to
 * this many: past it a word is common, and counting on would cost as much
 * as its whole posting list. */
#define STORE_DF_CAP 2000

/* Word counts (the documents' statements that hold a word in their
 * content) remembered between lookups: an open-addressing table keyed by the
 * word's hash, emptied when half full or when the corpus has grown by
 * DF_REFRESH documents, so counts are at most that stale. */
#define DF_SLOTS (1u << 16)
#define DF_REFRESH 1024
typedef struct df_entry {
    uint64_t h;
    long long df;
} df_entry;

struct hs_store {
    sqlite3 *db;
    char *path;
    char err[1024];
    int readonly;
    unsigned pending;      /* documents in the open transaction */
    size_t pending_bytes;
    sqlite3_stmt *find, *del_attr, *del_ent, *del_doc, *ins_doc, *ins_ent, *ins_attr;
    sqlite3_stmt *vocab, *attr_get, *set_qid, *get_qid;
    sqlite3_stmt *cand, *cand_ranked; /* store_match's, prepared when first needed */
    sqlite3_stmt *ins_para, *fill_para_fts, *del_para_fts, *del_para, *pvocab, *pcand;
    sqlite3_stmt *ins_event, *ins_party, *del_event, *del_party;
    int64_t *fresh;        /* aids of the batch's statements still to cluster */
    size_t nfresh, capfresh;
    swords qw, cw;         /* a query's and a candidate's words */
    buf out, tmp, fts;     /* a result's JSON; scratch; an FTS query */
    size_t *offs;
    size_t offcap;
    char *stats;
    df_entry *dfc;       /* DF_SLOTS entries, h 0 = empty; NULL until needed */
    size_t dfn;          /* entries in use */
    unsigned long since_refresh; /* documents put since the table was emptied */
};

/* Sets st->err from a format and returns code. */
int store_fail(hs_store *st, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* HS_ESTORE with SQLite's message for what failed. */
int store_sqlfail(hs_store *st, const char *what);

/* The statements whose content is the same statement as text[0..len):
 * calls fn with each one's aid, docid and word count and the matched
 * words. exclude_doc (0: none) is left out. query: text is what a person
 * asked to trace (looked for harder, and statements containing it match);
 * else a stored statement joining its quote. fn returns 0 to go on, -1 to
 * stop (found), or an error code that stops and is returned. Returns HS_OK,
 * HS_EQUERY when the text has no word, HS_ESTORE, or fn's error. */
typedef int (*store_match_fn)(void *user, int64_t aid, int64_t docid, size_t words, size_t matched);
int store_match(hs_store *st, const char *text, size_t len, int64_t exclude_doc, int query,
                store_match_fn fn, void *user);

/* The paragraphs (blocks) of the corpus that hold the text[0..len) a
 * person asked to trace: fn gets each one's document, the paragraph's
 * byte span, and the span of the words in it that line up with the text
 * (all offsets into the document's text). Statements the analysis missed
 * are found this way. Returns like store_match. */
typedef int (*store_para_fn)(void *user, int64_t docid, size_t pstart, size_t pend, size_t s,
                             size_t e, size_t words, size_t matched);
int store_match_paras(hs_store *st, const char *text, size_t len, store_para_fn fn, void *user);

#endif
