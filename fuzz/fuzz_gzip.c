/* fuzz_gzip - libFuzzer harness for the reader: the bytes are written to a
 * file and read back through hs_reader (gzip detection, multi-member,
 * truncation, size limit), strict and lossy, then analyzed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/hearsay-fuzz-%ld.bin", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
    hs_engine *eng;
    hs_doc *doc;
    hs_engine_options o = {.max_doc_bytes = 1 << 20};
    if (hs_engine_open(&eng, &o) || hs_doc_new(&doc, eng))
        abort();
    for (unsigned flags = 0; flags <= HS_READ_LOSSY; flags++) {
        hs_reader *r;
        hs_input in;
        int rc;
        if (hs_reader_open(&r, eng, path, flags))
            abort();
        while ((rc = hs_reader_next(r, &in)) != HS_EEOF) {
            if (rc) {
                if (!*hs_reader_errmsg(r))
                    abort(); /* every failure is explained */
                continue;
            }
            if (strlen(in.text) > in.len)
                abort();
            hs_doc_analyze(doc, in.id, in.text, in.len, HS_ANALYZE_LOSSY);
        }
        hs_reader_close(r);
    }
    hs_doc_free(doc);
    hs_engine_close(eng);
    unlink(path);
    return 0;
}
