/* hearsay.h - the whole public API of libhearsay: who said what, according to whom.
 *
 * Ownership rule: every pointer the library returns is owned by the handle it
 * came from and stays valid until that handle is reset, freed or closed; every
 * pointer you pass in stays yours, and the library keeps none of it after the
 * call returns unless the call says so.
 *
 * Threading: an hs_engine is immutable after hs_engine_open and may be shared
 * by any number of threads; an hs_doc or hs_reader is used by one thread at a
 * time. The library never prints, never exits, and keeps no global state.
 *
 * Offsets are byte offsets into the UTF-8 text that was analyzed, end
 * exclusive. Fallible calls return int: HS_OK (0) or a positive HS_E* code;
 * the handle's errmsg() gives the detail (file, line, byte offset).
 */
#ifndef HEARSAY_H
#define HEARSAY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks what the shared library exports: the declarations of this header
 * and of hearsay_train.h, nothing else (it is built -fvisibility=hidden). */
#if defined(__GNUC__) || defined(__clang__)
#define HS_API __attribute__((visibility("default")))
#else
#define HS_API
#endif

#define HS_VERSION "0.2.0"
#define HS_SCHEMA_VERSION 1

/* ---- result codes (stable; never renumbered) ---------------------------- */
enum {
    HS_OK = 0,
    HS_ENOMEM = 1,   /* allocation failed */
    HS_EINVAL = 2,   /* bad argument (NULL where not allowed, bad flag) */
    HS_EIO = 3,      /* a file could not be opened or read */
    HS_EUTF8 = 4,    /* invalid UTF-8 in the input */
    HS_EBINARY = 5,  /* input looks like binary data (NUL bytes) */
    HS_EEMPTY = 6,   /* input has no text */
    HS_ETOOBIG = 7,  /* document exceeds the size limit */
    HS_EGZIP = 8,    /* corrupt or truncated gzip data */
    HS_EEOF = 9,     /* hs_reader_next: no more documents (not an error) */
    HS_EMODEL = 10,  /* a model file is missing, truncated, corrupt or of another version */
    HS_EFORMAT = 11, /* a malformed record: a JSON line, a WARC record, an HTTP message */
    HS_ESTORE = 12,  /* a corpus database cannot be opened, read or written, or is not
                        one hearsay can read (foreign, or another schema version) */
    HS_EQUERY = 13   /* a search or trace query is empty or not valid FTS5 syntax */
};

/* Static text for a result code; never NULL. Thread-safe. */
HS_API const char *hs_errstr(int code);

/* Library version string (HS_VERSION of the built library). */
HS_API const char *hs_version(void);

/* ---- engine: models and settings, loaded once ---------------------------- */
typedef struct hs_engine hs_engine;

/* Linguistic layers, for hs_engine_options.layers. */
enum {
    HS_LAYER_POS = 1u << 0,   /* part-of-speech tags (needed by the others) */
    HS_LAYER_PARSE = 1u << 1, /* dependency parse */
    HS_LAYER_NER = 1u << 2,   /* named entities and their grouping */
    HS_LAYER_ATTR = 1u << 3,  /* attributions; loads the parser too, which then parses
                                 only the sentences that hold a cue unless
                                 HS_LAYER_PARSE asks for all */
    HS_LAYER_ALL = 0          /* every layer whose model is in model_dir */
};

typedef struct hs_engine_options {
    size_t max_doc_bytes;   /* 0 = default (64 MiB); larger documents get HS_ETOOBIG */
    unsigned layers;        /* HS_LAYER_* to run (0 = all available); a layer left
                               out is not loaded, so it costs no time or memory */
    const char *model_dir;  /* folder with pos.hsm (and later parser.hsm, ner.hsm);
                               NULL = no models: text layer and structure only. A model
                               file that is absent is skipped; one that is present but
                               unreadable or corrupt fails the open with HS_EMODEL */
} hs_engine_options;

/* Opens an engine. opts may be NULL for defaults. On success *out owns the
 * engine. On HS_EMODEL *out is still set so that hs_engine_errmsg can say
 * which file is bad and why; close it. On HS_ENOMEM/HS_EINVAL *out is NULL.
 * Thread-safe. */
HS_API int hs_engine_open(hs_engine **out, const hs_engine_options *opts);
/* Detail of a failed open ("models/pos.hsm: file is 12 bytes, header says
 * ..."), or "" ; never NULL. */
HS_API const char *hs_engine_errmsg(const hs_engine *eng);
/* 1 when the engine has a part-of-speech model. */
HS_API int hs_engine_has_pos(const hs_engine *eng);
/* Closes an engine; NULL is a no-op. No document of it may still be in use. */
HS_API void hs_engine_close(hs_engine *eng);

/* ---- reader: documents from files, stdin, gzip --------------------------- */
typedef struct hs_reader hs_reader;

/* Reader flags. */
enum {
    HS_READ_LOSSY = 1u << 0 /* replace invalid UTF-8 with U+FFFD, note it in the doc's errors */
};

/* Input formats (hs_reader_open_format, hs_input.format). */
typedef enum hs_format {
    HS_FORMAT_AUTO = 0, /* decided from the first bytes (after gzip): "WARC/" is WARC, a
                           '{' JSON Lines, an HTML tag HTML; anything else is text
                           unless the name ends in .jsonl, .ndjson, .warc, .html,
                           .htm (or those and .gz) */
    HS_FORMAT_TEXT,     /* the whole file is one plain-text article */
    HS_FORMAT_HTML,     /* the whole file is one web page */
    HS_FORMAT_JSONL,    /* one article per line: {"id", "text" or "html", "url", "title",
                           "date", "outlet", other members passed through} */
    HS_FORMAT_WARC      /* WARC (1.0/1.1, plain or .gz): each response record with an
                           HTML payload is a page */
} hs_format;

/* "auto", "text", "html", "jsonl", "warc"; "unknown" if out of range. */
HS_API const char *hs_format_name(int format);

/* One document handed out by hs_reader_next. All pointers are owned by the
 * reader and valid until the next hs_reader_next or hs_reader_close.
 * text is NUL-terminated (the NUL is not counted in len). Pass it to
 * hs_doc_analyze_input (or, for HS_FORMAT_TEXT, hs_doc_analyze). */
typedef struct hs_input {
    const char *id;      /* the file path ("-" for stdin); a JSON line's "id" (else
                            "PATH:LINE"); a WARC record's WARC-Record-ID */
    const char *text;    /* format TEXT: UTF-8 text (a leading BOM is kept; offsets
                            count it); format HTML: the page's bytes, any charset */
    size_t len;
    const char *warning; /* NULL, or what --lossy repaired (goes to the doc's errors) */
    int format;          /* HS_FORMAT_TEXT or HS_FORMAT_HTML: what text holds */
    const char *where;   /* the place for messages: "feed.jsonl: line 11",
                            "crawl.warc.gz: record 5", or the path */
    const char *charset; /* HTML from WARC: the HTTP Content-Type; NULL: from the page */
    const char *url, *date, *title, *outlet; /* given by the input (JSON members, WARC
                            headers), or NULL */
    const char *fields;  /* JSON Lines: the other members of the line as JSON
                            ("\"k\":v,..."), to pass through to the output; or NULL */
    size_t fields_len;
    unsigned long long record; /* line (JSON Lines) or record (WARC) number, from 1;
                                  0 for a whole file */
} hs_input;

/* Opens path ("-" = stdin) for reading in the given format (HS_FORMAT_*);
 * gzip input is detected by its magic bytes and decompressed on the fly.
 * eng supplies the size limit and may not be NULL. Opening never fails for
 * a bad file: the error is reported by the first hs_reader_next, so that a
 * caller handles every failure in one place. Memory stays constant over a
 * JSON Lines or WARC stream of any length. */
HS_API int hs_reader_open_format(hs_reader **out, const hs_engine *eng, const char *path, int format,
                          unsigned flags);
/* hs_reader_open_format with HS_FORMAT_AUTO. */
HS_API int hs_reader_open(hs_reader **out, const hs_engine *eng, const char *path, unsigned flags);
/* Gives the next document. Returns HS_OK with *doc filled, HS_EEOF when the
 * input is exhausted, or an error code with hs_reader_errmsg naming the file
 * and the byte, line or record; after an error the reader moves on to the
 * next document, so calling again is always safe (it returns HS_EEOF when
 * nothing is left). A JSON Lines or WARC file with no line or record in it
 * (empty, blank, an empty .gz) gives HS_EEMPTY once, then HS_EEOF. */
HS_API int hs_reader_next(hs_reader *r, hs_input *doc);
/* Detail of the last error, e.g. "a.txt: byte 1234: invalid UTF-8" or
 * "feed.jsonl: line 11: not valid JSON: ...". Never NULL. */
HS_API const char *hs_reader_errmsg(const hs_reader *r);
/* The line (JSON Lines) or record (WARC) the last hs_reader_next handed
 * out or failed on, from 1 (what hs_input.record and the error message
 * name); 0 for a whole-file format or before the first. An error between
 * records (damaged gzip data after record N) is N's. */
HS_API unsigned long long hs_reader_record(const hs_reader *r);
/* Bytes of the file (compressed, as stored) read so far; for progress. */
HS_API unsigned long long hs_reader_tell(const hs_reader *r);
/* The format in use (detected at the first hs_reader_next), or HS_FORMAT_AUTO before. */
HS_API int hs_reader_format(const hs_reader *r);
/* Closes a reader; NULL is a no-op. */
HS_API void hs_reader_close(hs_reader *r);

/* ---- document: one analyzed text ----------------------------------------- */
typedef struct hs_doc hs_doc;

typedef struct hs_span {
    uint32_t start, end; /* byte offsets, end exclusive */
} hs_span;

/* Token kinds. */
typedef enum hs_token_kind {
    HS_TOK_WORD = 0,     /* letters, digits inside words, hyphens, clitics such as 's n't */
    HS_TOK_NUMBER,       /* 12, 3.5, 1,200, 1990s, 9/11, 5:30 */
    HS_TOK_PUNCT,        /* . , ; : ! ? ( ) [ ] and the like */
    HS_TOK_QUOTE,        /* “ ” ‘ ’ " ' « » ` when used as a quotation mark */
    HS_TOK_DASH,         /* — – -- and a spaced - */
    HS_TOK_ELLIPSIS,     /* … ... . . . */
    HS_TOK_URL,          /* http://…, www.…, domain.com/… */
    HS_TOK_EMAIL,
    HS_TOK_HANDLE,       /* @name */
    HS_TOK_HASHTAG,      /* #tag */
    HS_TOK_SYMBOL,       /* $ € £ % & + = and other symbols */
    HS_TOK_KIND_COUNT
} hs_token_kind;

/* Token flags. */
enum {
    HS_TF_SPACE_BEFORE = 1u << 0, /* white space precedes the token */
    HS_TF_LINE_BEFORE = 1u << 1,  /* a line break precedes the token */
    HS_TF_OPEN = 1u << 2,         /* quote token that opens a quotation */
    HS_TF_CLOSE = 1u << 3,        /* quote token that closes a quotation */
    HS_TF_IN_QUOTE = 1u << 4,     /* token lies inside a quotation (marks excluded) */
    HS_TF_ABBREV = 1u << 5,       /* word ending in a period that belongs to it (Mr. U.S.) */
    HS_TF_CAP = 1u << 6,          /* starts with an upper-case letter */
    HS_TF_SENT_START = 1u << 7    /* first token of a sentence */
};

typedef struct hs_token {
    uint32_t start, end; /* byte offsets, end exclusive */
    uint8_t kind;        /* hs_token_kind */
    uint8_t flags;       /* HS_TF_* */
    uint16_t reserved;
} hs_token;

/* A sentence: its byte span and its tokens [tok_begin, tok_end). */
typedef struct hs_sentence {
    uint32_t start, end;
    uint32_t tok_begin, tok_end;
} hs_sentence;

/* Paragraph: a run of non-blank lines (or one line, see docs/schema.md). */
typedef struct hs_paragraph {
    uint32_t start, end;
    uint32_t sent_begin, sent_end;
    uint8_t quote_open_at_end; /* a quotation is still open when the paragraph ends */
    uint8_t reopens_quote;     /* starts by reopening a quotation left open before it */
    uint16_t reserved;
} hs_paragraph;

/* Block kinds, in the order of docs/schema.md. */
typedef enum hs_block_kind {
    HS_BLOCK_HEADLINE = 0,
    HS_BLOCK_CAPTION,
    HS_BLOCK_CREDIT,
    HS_BLOCK_BYLINE,
    HS_BLOCK_DATELINE,
    HS_BLOCK_BODY,
    HS_BLOCK_BLOCKQUOTE,
    HS_BLOCK_MISSING_EMBED,
    HS_BLOCK_BOILERPLATE,
    HS_BLOCK_KIND_COUNT
} hs_block_kind;

/* Name of a block kind as in the JSON ("missing-embed"); "unknown" if out of range. */
HS_API const char *hs_block_kind_name(int kind);
/* Name of a token kind ("word", "quote", ...); "unknown" if out of range. */
HS_API const char *hs_token_kind_name(int kind);

/* A block: a kind and one or more spans (a block quote or boilerplate run may
 * cover several paragraphs; a dateline is the head of a paragraph). */
typedef struct hs_block {
    uint8_t kind; /* hs_block_kind */
    uint8_t reserved[3];
    uint32_t nspans;
    const hs_span *spans;
} hs_block;

/* Entity types. */
typedef enum hs_entity_type {
    HS_ENT_PERSON = 1,
    HS_ENT_ORG,
    HS_ENT_LOC,
    HS_ENT_MISC,
    HS_ENT_OUTLET, /* a news organisation: NBC News, Reuters */
    HS_ENT_TYPE_END
} hs_entity_type;

/* "PERSON", "ORG", "LOC", "MISC", "OUTLET"; "unknown" if out of range. */
HS_API const char *hs_entity_type_name(int type);

/* One entity of a document: every mention of one person, organisation or
 * place. Strings and arrays are owned by the document. */
typedef struct hs_entity {
    uint8_t type;              /* hs_entity_type */
    uint8_t reserved[3];
    const char *name;          /* the fullest name used: "Sergey Lavrov" */
    const char *role;          /* "Foreign Minister of Russia", or NULL */
    const char *affiliation;   /* "Eurasia Group", or NULL */
    uint32_t nmentions;
    const hs_span *mentions;   /* names and nominal mentions, in text order */
    uint32_t naliases;
    const char *const *aliases; /* distinct mention texts other than name */
} hs_entity;

/* Attribution kinds: how the content is reported. */
typedef enum hs_attr_kind {
    HS_ATTR_DIRECT = 0, /* the content is one quotation, marks included */
    HS_ATTR_INDIRECT,   /* reported speech, no quotation marks */
    HS_ATTR_MIXED,      /* reported speech with quoted parts */
    HS_ATTR_BLOCKQUOTE, /* a block quote (set off as its own paragraph) */
    HS_ATTR_KIND_COUNT
} hs_attr_kind;

/* "direct", "indirect", "mixed", "blockquote"; "unknown" if out of range. */
HS_API const char *hs_attr_kind_name(int kind);

/* One statement and who it is attributed to. Every span list is in text
 * order and may be empty (nsource == 0: no source in the text). Arrays are
 * owned by the document. */
/* Attribution flags. */
enum {
    HS_ATTR_MISSING_CONTENT = 1u << 0 /* the text announces the statement (a tweet or
                                         video "below:") but does not contain it:
                                         ncontent is 0 */
};

typedef struct hs_attribution {
    uint8_t kind;  /* hs_attr_kind */
    uint8_t flags; /* HS_ATTR_* flags */
    uint8_t reserved[2];
    float confidence;     /* 0..1 */
    uint32_t ncontent, ncue, nsource, nvia, nhedges;
    const hs_span *content; /* discontinuous when the quote is interrupted */
    const hs_span *cue;     /* "said", "according to" */
    const hs_span *source;  /* "he", "Lavrov", "officials" */
    const hs_span *via;     /* the outlet: "NBC News" in "told NBC News" */
    const hs_span *hedges;  /* "may", "reportedly" */
    long source_entity;     /* index into hs_doc_entities, or -1 */
    long via_entity;        /* index into hs_doc_entities, or -1 */
} hs_attribution;

/* Event types (one so far). */
typedef enum hs_event_type {
    HS_EVENT_MEET = 0, /* a meeting: talks, a visit, a call, an interview, a debate */
    HS_EVENT_TYPE_COUNT
} hs_event_type;

/* How the text presents an event. */
typedef enum hs_factuality {
    HS_FACT_ASSERTED = 0, /* reported as having happened */
    HS_FACT_HEDGED,       /* may have, likely, reportedly */
    HS_FACT_NEGATED,      /* did not meet, denied meeting */
    HS_FACT_FUTURE,       /* will meet, plans to, scheduled, the upcoming debate */
    HS_FACT_HYPOTHETICAL, /* would meet if, wants to, offered to */
    HS_FACT_COUNT
} hs_factuality;

/* "meet"; "asserted", "hedged", "negated", "future", "hypothetical";
 * "unknown" if out of range. */
HS_API const char *hs_event_type_name(int type);
HS_API const char *hs_factuality_name(int fact);

/* A party to an event: a mention in the text and the entity it refers to. */
typedef struct hs_participant {
    hs_span span;
    long entity; /* index into hs_doc_entities, or -1 */
} hs_participant;

/* One mention of an event (a second mention of the same meeting is another
 * event). A span with end == start is absent. */
typedef struct hs_event {
    uint8_t type;       /* hs_event_type */
    uint8_t factuality; /* hs_factuality */
    uint8_t reserved[2];
    hs_span trigger;    /* "met", "talks", "sat down with", "debate" */
    uint32_t nparticipants;
    const hs_participant *participants; /* in text order */
    hs_span source;     /* whose claim it is: the source of the attribution holding it */
    long source_entity; /* index into hs_doc_entities, or -1 */
    long attribution;   /* index into hs_doc_attributions of the statement whose content
                           holds the trigger, or -1 */
    hs_span time, place; /* "on Saturday", "at the G20 conference" */
} hs_event;

/* Creates an empty document bound to eng (which must outlive it). */
HS_API int hs_doc_new(hs_doc **out, const hs_engine *eng);
/* Frees a document and everything it owns; NULL is a no-op. */
HS_API void hs_doc_free(hs_doc *doc);

/* Analyze flags. */
enum {
    HS_ANALYZE_LOSSY = 1u << 0,  /* repair invalid UTF-8 instead of failing */
    HS_ANALYZE_EXTRACT = 1u << 1 /* hs_doc_analyze_input: extract the article of an
                                    HTML page (and its metadata) but do not analyze it */
};

/* Analyzes len bytes of text (borrowed: the document keeps a pointer to it
 * until the next analyze or free, so keep it alive). id is copied and may be
 * NULL. Anything from an earlier analyze is dropped first. Fails with HS_EUTF8
 * (hs_doc_errmsg gives the byte offset), HS_EBINARY, HS_EEMPTY or HS_ETOOBIG.
 * With HS_ANALYZE_LOSSY, invalid bytes become U+FFFD in a copy the document
 * owns (hs_doc_text returns it) and the repair is listed in the errors. */
HS_API int hs_doc_analyze(hs_doc *doc, const char *id, const char *text, size_t len, unsigned flags);
/* Analyzes one document from a reader. Plain text is analyzed as given,
 * after the title when in->title is set and the text does not begin with
 * it. An HTML page is converted to UTF-8 (in->charset, else the page's own
 * declaration), its article extracted (title, byline, date, URL, site,
 * paragraphs, block quotes) and the title and body analyzed. The
 * document's text (hs_doc_text) is then the one the offsets refer to, and
 * the JSON carries it with the metadata (docs/schema.md). in is borrowed
 * and may be reused after the call; its text must not be this document's
 * own (hs_doc_text, hs_doc_body). Fails like hs_doc_analyze, and with
 * HS_EEMPTY when a page has no article text. Not thread-safe per document. */
HS_API int hs_doc_analyze_input(hs_doc *doc, const hs_input *in, unsigned flags);
/* Metadata of the last hs_doc_analyze_input: key "url", "date", "published",
 * "title", "byline", "outlet" or "lang"; NULL when unknown. */
HS_API const char *hs_doc_meta(const hs_doc *doc, const char *key);
/* The extracted article body of an HTML page (the text without the title
 * line), or the text; *len gets its length. */
HS_API const char *hs_doc_body(const hs_doc *doc, size_t *len);

/* Analyzes text that is already split into tokens (one string per token,
 * copied) and sentences (sent_len[i] tokens each, summing to ntok): the
 * document text becomes the tokens joined by spaces, one sentence per line.
 * Structure is not labelled; the linguistic layers run as in analyze. Used by
 * `hearsay tag --pretokenized` for evaluation against gold tokenisations. */
HS_API int hs_doc_analyze_tokens(hs_doc *doc, const char *id, const char *const *tokens, size_t ntok,
                          const uint32_t *sent_len, size_t nsent);
/* Adds a message to the document's "errors" list (copied). */
HS_API int hs_doc_add_error(hs_doc *doc, const char *msg);
/* Detail of the last failure; never NULL. */
HS_API const char *hs_doc_errmsg(const hs_doc *doc);

/* The analyzed text (the caller's, or the repaired copy) and its length. */
HS_API const char *hs_doc_text(const hs_doc *doc, size_t *len);
HS_API const char *hs_doc_id(const hs_doc *doc);

/* Read-only views of the analysis; *n receives the count (n may not be NULL). */
HS_API const hs_token *hs_doc_tokens(const hs_doc *doc, size_t *n);
HS_API const hs_sentence *hs_doc_sentences(const hs_doc *doc, size_t *n);
HS_API const hs_paragraph *hs_doc_paragraphs(const hs_doc *doc, size_t *n);
HS_API const hs_block *hs_doc_blocks(const hs_doc *doc, size_t *n);
/* The title span, or NULL when the text has no headline. */
HS_API const hs_span *hs_doc_title(const hs_doc *doc);
/* Messages added with hs_doc_add_error or by lossy repair. */
HS_API const char *const *hs_doc_errors(const hs_doc *doc, size_t *n);

/* The document's entities (empty without an NER model); *n gets the count. */
HS_API const hs_entity *hs_doc_entities(const hs_doc *doc, size_t *n);
/* Index of the entity token i refers to (a name, a nominal mention such as
 * "the minister", or a resolved pronoun), or -1. */
HS_API long hs_doc_token_entity(const hs_doc *doc, size_t i);

/* The document's attributions in text order of their content (empty
 * without an attribution model); *n gets the count. */
HS_API const hs_attribution *hs_doc_attributions(const hs_doc *doc, size_t *n);

/* The document's events in text order of their triggers (empty without an
 * attribution model, whose stage they follow); *n gets the count. */
HS_API const hs_event *hs_doc_events(const hs_doc *doc, size_t *n);

/* Penn Treebank part-of-speech tag of token i, or NULL when the engine has
 * no POS model (or i is out of range). Static string owned by the engine. */
HS_API const char *hs_doc_token_pos(const hs_doc *doc, size_t i);

/* Serialises the document as CoNLL-U (one block per sentence: ID FORM _ _
 * XPOS _ HEAD DEPREL _ MISC with NER=... in MISC; "_" where a layer is
 * absent). FORM is the token as written in the text. The buffer is owned by
 * the document. */
HS_API int hs_doc_conllu(hs_doc *doc, const char **out, size_t *len);

/* JSON output flags. */
enum {
    HS_JSON_INCLUDE_TEXT = 1u << 0, /* add "text": the analyzed text */
    HS_JSON_PRETTY = 1u << 1,       /* indent (for people; JSON Lines wants it off) */
    HS_JSON_EXTRACT = 1u << 2       /* the extraction instead of the analysis: "id", the
                                       metadata, pass-through members and "text" (the body) */
};

/* Serialises the document as one JSON object (docs/schema.md), without a
 * trailing newline. The buffer is owned by the document. */
HS_API int hs_doc_json(hs_doc *doc, unsigned flags, const char **out, size_t *len);

/* Where this document's time went: the seconds (monotonic clock) spent in
 * each step since hs_doc_new or hs_doc_stage_times_reset, summed over every
 * analysis, in pipeline order: "ingest" (the text checks; for
 * hs_doc_analyze_input also the page's layout and metadata), the stages
 * "tokenize", "segment", "structure", "forms", "pos", "parse", "ner",
 * "entities", "attribution", "events", then "json" (hs_doc_json). A stage
 * the engine has no model for is not run and keeps 0; a failed analysis
 * counts up to the step that failed. The first min(cap, *n) entries are
 * written to names (static strings) and seconds; either may be NULL, and
 * so may n, which gets the number of steps (the same for every document).
 * HS_EINVAL when doc is NULL. Not thread-safe per document. */
HS_API int hs_doc_stage_times(const hs_doc *doc, const char **names, double *seconds, size_t cap,
                              size_t *n);
/* Sets every step's time of hs_doc_stage_times back to 0; NULL is a no-op. */
HS_API void hs_doc_stage_times_reset(hs_doc *doc);

/* ---- store: a corpus of analyses in one SQLite file (docs/store.md) ------ */
typedef struct hs_store hs_store;

/* hs_store_open flags. */
enum {
    HS_STORE_READONLY = 1u << 0 /* read an existing corpus; never create or write */
};

/* Opens the corpus database at path, creating it (and its schema) when it
 * is absent or an empty file, unless HS_STORE_READONLY. It is in WAL mode:
 * readers work while one writer indexes. A file that is not SQLite, a
 * database of another application, or another schema version fails with
 * HS_ESTORE; so does a path that cannot be opened (hs_store_errmsg says why,
 * naming the path). On HS_ESTORE *out is still set for hs_store_errmsg;
 * close it. */
HS_API int hs_store_open(hs_store **out, const char *path, unsigned flags);
/* The last error's detail; "" when there is none. */
HS_API const char *hs_store_errmsg(const hs_store *st);
/* Commits what is pending (see hs_store_put) and closes; NULL is fine. */
HS_API void hs_store_close(hs_store *st);

/* Stores one analyzed document: the JSON object hs_doc_json writes with
 * HS_JSON_INCLUDE_TEXT (json[0..len), no newline needed), with its text,
 * metadata, entities and attributions. A document of the same "id" is
 * replaced. Documents are written in transactions of HS_STORE_BATCH
 * documents (or about 16 MiB), so a crash loses at most the batch in
 * flight; each batch's statements join the quotes (clusters of the same
 * statement in several documents) when it commits. Fails with HS_EFORMAT
 * when the JSON is not such an object (hs_store_errmsg says what is
 * wrong: no "text", schema, a bad member), or HS_ESTORE. */
#define HS_STORE_BATCH 64
HS_API int hs_store_put(hs_store *st, const char *json, size_t len);
/* Commits the documents put since the last commit. */
HS_API int hs_store_commit(hs_store *st);

/* What to look for; zero it, then set what you need. */
typedef struct hs_store_query {
    const char *text;          /* search: an FTS5 query over the content, the speaker's name and
                                  aliases ("emails", "\"fake news\"", "wall AND mexico"); NULL or
                                  blank: every statement. trace: the quotation, as plain words */
    const char *speaker;       /* the resolved speaker's name or one of its aliases */
    const char *outlet;        /* the outlet, case-insensitive */
    const char *since, *until; /* ISO 8601 dates (YYYY, YYYY-MM or YYYY-MM-DD), inclusive */
    int kind;                  /* -1: any; else an hs_attr_kind */
    long limit;                /* at most this many results; 0: the default (search 20, quotes
                                  50, trace all) */
    long min_outlets;          /* quotes: in at least this many outlets (default 1) */
    int marks;                 /* search: fill hs_store_hit.marked (FTS5 highlighting costs
                                  a pass over every match's text; leave it 0 when unused) */
    const char *event;         /* events: the event type ("meet"); NULL: any */
    const char *participant;   /* events: a party's name, surname, alias or mention as written
                                  (case-insensitive) */
    const char *factuality;    /* events: "asserted", "hedged", "negated", "future" or
                                  "hypothetical"; NULL: any */
} hs_store_query;

/* One result. Strings are NULL when unknown and valid only during the
 * callback. json is the whole result as one JSON object, the line
 * `hearsay search/trace/quotes --format json` prints (docs/store.md). */
typedef struct hs_store_hit {
    const char *json;
    const char *doc, *outlet, *date, *title; /* the document */
    const char *speaker;     /* the resolved speaker's name, else the source as written */
    const char *kind, *cue, *content;
    const char *attribution; /* the attribution object exactly as analyze wrote it */
    const char *marked;      /* search with q->marks: content with each match between '\x02'
                                and '\x03'; else NULL */
    double score;            /* search: bm25 (lower is better); trace: similarity 0..1 */
    int first;               /* trace: the earliest occurrence */
    size_t nchanges;         /* trace: the wording changes from the earliest occurrence */
    const char *const *change_from, *const *change_to;
    long documents, outlets; /* quotes: how many of each print the statement */
    const char *event;        /* events: the event object exactly as analyze wrote it */
    const char *participants; /* events: the parties' names, "; "-separated */
} hs_store_hit;

/* Called once per result, in order; a non-zero return stops the query
 * (the query then returns HS_OK). */
typedef int (*hs_store_fn)(void *user, const hs_store_hit *hit);

/* Statements whose content (or speaker) matches q->text, filtered by the
 * other fields, best bm25 first, then newest. HS_EQUERY for an FTS5
 * syntax error (hs_store_errmsg says where). */
HS_API int hs_store_search(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user);
/* Every occurrence of the statement q->text in the corpus, oldest first,
 * exact and altered (re-punctuated, shortened, words changed), each with
 * its changes from the earliest. HS_EQUERY when q->text has no word. */
HS_API int hs_store_trace(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user);
/* Statements printed in more than one document, one result each (the
 * earliest occurrence), most documents first; q->speaker and
 * q->min_outlets filter them. */
HS_API int hs_store_quotes(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user);
/* Meeting events (docs/schema.md "events") whose type is q->event, with a
 * party named q->participant, of q->factuality, reported by q->speaker
 * (the source's name), filtered by outlet and dates as search is; newest
 * first. A hit's cue is the trigger, kind the factuality, speaker the
 * source, content the sentence, event the object. HS_EQUERY for an empty
 * name or an unknown factuality. */
HS_API int hs_store_events(hs_store *st, const hs_store_query *q, hs_store_fn fn, void *user);
/* The corpus in figures as one JSON object (documents, attributions,
 * entities, quotes, outlets, dates); *json is owned by the store. */
HS_API int hs_store_stats(hs_store *st, const char **json);

/* The number of documents in the corpus (cheap: for health checks). */
HS_API int hs_store_count(hs_store *st, long long *documents);
/* The stored analysis of the document id, as one JSON object: the object
 * hs_store_put stored, with its "text", and "url", "outlet" and "date" as the
 * store knows them (the outlet may come from the URL's host) where the
 * analysis has none. *json (NUL-terminated, *len bytes) is owned by the
 * store until its next call. HS_EEOF when no document has that id. */
HS_API int hs_store_doc(hs_store *st, const char *id, const char **json, size_t *len);

/* Training and evaluation: include/hearsay_train.h. */

#ifdef __cplusplus
}
#endif
#endif
