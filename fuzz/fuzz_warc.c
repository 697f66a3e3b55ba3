/* fuzz_warc - libFuzzer harness for the WARC reader: the bytes are read
 * back as a crawl (plain, or gzip members when they are gzip): records,
 * HTTP, chunks, content encoding, charsets; every failure must name the
 * file, and the reader must end (readerfuzz.h). */
#include "readerfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader(data, size, HS_FORMAT_WARC, "warc");
}
