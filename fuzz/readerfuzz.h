/* readerfuzz - the body of the JSON Lines and WARC reader harnesses: the
 * bytes are written to a file and read back in the given format (plain, or
 * gzip when they are gzip), each record extracted or analyzed in turn; every
 * failure must name the file, each record must be well formed, and the
 * reader must end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hearsay.h"

static int fuzz_reader(const uint8_t *data, size_t size, int format, const char *tag)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/hearsay-fuzz-%s-%ld", tag, (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
    hs_engine *eng;
    hs_doc *doc;
    hs_engine_options o = {.max_doc_bytes = 1 << 16};
    if (hs_engine_open(&eng, &o) || hs_doc_new(&doc, eng))
        abort();
    hs_reader *r;
    if (hs_reader_open_format(&r, eng, path, format, 0))
        abort();
    hs_input in;
    int rc, n = 0;
    while ((rc = hs_reader_next(r, &in)) != HS_EEOF) {
        if (++n > 1000000)
            abort(); /* the reader must end */
        if (rc) {
            if (!strstr(hs_reader_errmsg(r), path))
                abort(); /* every failure names the file */
            continue;
        }
        if (!in.where || !in.id || strlen(in.text) > in.len)
            abort();
        hs_doc_analyze_input(doc, &in, n % 2 ? HS_ANALYZE_EXTRACT : 0);
        const char *js;
        size_t jl;
        hs_doc_json(doc, n % 2 ? HS_JSON_EXTRACT : 0, &js, &jl);
    }
    hs_reader_close(r);
    hs_doc_free(doc);
    hs_engine_close(eng);
    unlink(path);
    return 0;
}
