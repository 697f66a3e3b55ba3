/* fuzz_html - libFuzzer harness for the HTML reader: any bytes go through
 * hs_doc_analyze_input as a web page (charset sniffing and conversion,
 * libxml2 in recovery mode, extraction), extract-only and analyzed; the
 * extracted body must be valid UTF-8 inside the text, and a refusal must
 * say why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hearsay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hs_engine *eng;
    hs_doc *doc;
    if (hs_engine_open(&eng, NULL) || hs_doc_new(&doc, eng))
        abort();
    hs_input in = {.id = "fuzz.html", .where = "fuzz.html", .text = (const char *)data,
                   .len = size, .format = HS_FORMAT_HTML};
    const char *hints[] = {NULL, "text/html; charset=windows-1252", "shift_jis"};
    for (int k = 0; k < 3; k++) {
        in.charset = hints[k];
        for (unsigned flags = 0; flags <= HS_ANALYZE_EXTRACT; flags += HS_ANALYZE_EXTRACT) {
            int rc = hs_doc_analyze_input(doc, &in, flags);
            if (rc) {
                if (!*hs_doc_errmsg(doc) && rc != HS_ENOMEM)
                    abort(); /* every refusal says why */
                continue;
            }
            size_t len, blen;
            const char *text = hs_doc_text(doc, &len);
            const char *body = hs_doc_body(doc, &blen);
            if (body < text || body + blen != text + len || strlen(text) != len)
                abort();
            const char *js;
            size_t jl;
            if (hs_doc_json(doc, flags ? HS_JSON_EXTRACT : 0, &js, &jl) || strlen(js) != jl)
                abort();
        }
    }
    hs_doc_free(doc);
    hs_engine_close(eng);
    return 0;
}
