/* fuzz_text - libFuzzer harness for the text layer: any bytes go through
 * hs_doc_analyze (strict, then lossy) and JSON output; the invariants of the
 * result are checked and a violation aborts. `make fuzz` runs it; `make
 * check` replays fuzz/corpus/text through fuzz/replay.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const hs_doc *doc)
{
    size_t len, nt, ns, np, nb;
    hs_doc_text(doc, &len);
    const hs_token *t = hs_doc_tokens(doc, &nt);
    const hs_sentence *s = hs_doc_sentences(doc, &ns);
    const hs_paragraph *p = hs_doc_paragraphs(doc, &np);
    const hs_block *b = hs_doc_blocks(doc, &nb);
    uint32_t prev = 0;
    for (size_t i = 0; i < nt; i++) {
        if (t[i].start < prev || t[i].end <= t[i].start || t[i].end > len ||
            t[i].kind >= HS_TOK_KIND_COUNT)
            abort();
        prev = t[i].end;
    }
    for (size_t i = 0; i < ns; i++)
        if (s[i].tok_begin >= s[i].tok_end || s[i].tok_end > nt ||
            (i && s[i].tok_begin != s[i - 1].tok_end))
            abort();
    for (size_t i = 0; i < np; i++)
        if (p[i].sent_begin >= p[i].sent_end || p[i].sent_end > ns)
            abort();
    prev = 0;
    for (size_t i = 0; i < nb; i++) {
        if (b[i].kind >= HS_BLOCK_KIND_COUNT || b[i].nspans == 0)
            abort();
        for (uint32_t j = 0; j < b[i].nspans; j++) {
            if (b[i].spans[j].start < prev || b[i].spans[j].end > len)
                abort();
            prev = b[i].spans[j].end;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hs_engine *eng;
    hs_doc *doc;
    if (hs_engine_open(&eng, NULL) || hs_doc_new(&doc, eng))
        abort();
    const char *text = (const char *)data;
    for (unsigned flags = 0; flags <= HS_ANALYZE_LOSSY; flags++) {
        if (hs_doc_analyze(doc, "fuzz", text, size, flags) == HS_OK) {
            check(doc);
            const char *js;
            size_t jl;
            if (hs_doc_json(doc, HS_JSON_INCLUDE_TEXT, &js, &jl) || strlen(js) != jl)
                abort();
        }
    }
    hs_doc_free(doc);
    hs_engine_close(eng);
    return 0;
}
