/* fuzz_model - libFuzzer harness for the model loader: any bytes are
 * written to a file and loaded as a POS model (container, tag list, tag
 * dictionary, perceptron table are all validated); a model that loads must
 * tag a sentence without fault. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tagger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/hearsay-fuzz-model-%ld.hsm", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
    tagger *t;
    buf err = {0};
    if (tagger_load(&t, path, &err) == 0) {
        const char *forms[] = {"The", "mayor", "said", "it", "works", "."};
        uint16_t tags[6];
        tagger_tag(t, 6, forms, tags);
        for (int i = 0; i < 6; i++)
            if (tags[i] >= tagger_ntags(t))
                abort();
        tagger_free(t);
    } else if (!err.p || !*err.p) {
        abort(); /* every refusal says why */
    }
    buf_free(&err);
    unlink(path);
    return 0;
}
