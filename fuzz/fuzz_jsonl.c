/* fuzz_jsonl - libFuzzer harness for the JSON Lines reader: the bytes are
 * read back as a feed (plain, and gzip when they are gzip), each record
 * extracted or analyzed; every failure must name the line, and the reader
 * must end (readerfuzz.h). */
#include "readerfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader(data, size, HS_FORMAT_JSONL, "jsonl");
}
