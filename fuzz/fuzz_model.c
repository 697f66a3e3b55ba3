/* fuzz_model - libFuzzer harness for the model loaders: any bytes are
 * written to a file and loaded as a POS, parser, NER and attribution model (container,
 * sections, perceptron tables are all validated); a model that loads must
 * tag or parse a sentence without fault, and a refusal must say why. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "attribution.h"
#include "ner.h"
#include "parser.h"
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
    const char *forms[] = {"The", "mayor", "said", "it", "works", "."};
    const char *pos[] = {"DT", "NN", "VBD", "PRP", "VBZ", "."};
    parser *p;
    buf perr = {0};
    if (parser_load(&p, path, &perr) == 0) {
        parser_scratch *sc = parser_scratch_new(p, 4);
        int head[6];
        uint16_t label[6];
        if (sc) {
            parser_parse(p, sc, 6, forms, pos, head, label);
            for (int i = 0; i < 6; i++)
                if (head[i] < 0 || head[i] > 6 || label[i] >= parser_nlabels(p))
                    abort();
        }
        parser_scratch_free(sc);
        parser_free(p);
    } else if (!perr.p || !*perr.p) {
        abort();
    }
    buf_free(&perr);
    ner *m;
    buf nerr = {0};
    if (ner_load(&m, path, &nerr) == 0) {
        ner_scratch *sc = ner_scratch_new();
        uint8_t tags[6];
        if (sc) {
            ner_tag(m, sc, 6, forms, NULL, tags);
            for (int i = 0; i < 6; i++)
                if (tags[i] >= NER_NTAGS)
                    abort();
        }
        ner_scratch_free(sc);
        ner_free(m);
    } else if (!nerr.p || !*nerr.p) {
        abort();
    }
    buf_free(&nerr);
    attr_model *am;
    buf aerr = {0};
    if (attr_load(&am, path, &aerr) == 0)
        attr_free(am);
    else if (!aerr.p || !*aerr.p)
        abort();
    buf_free(&aerr);
    unlink(path);
    return 0;
}
