/* tokdump - prints the tokens and sentences of text files, one token per line
 * ("start end kind text"), a blank line after each sentence. A development
 * aid for comparing the tokenizer with other tokenizations; public API only. */
#include <stdio.h>

#include "hearsay.h"

int main(int argc, char **argv)
{
    hs_engine *eng = NULL;
    hs_doc *doc = NULL;
    if (hs_engine_open(&eng, NULL) || hs_doc_new(&doc, eng))
        return 1;
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        hs_reader *r = NULL;
        hs_input in;
        if (hs_reader_open(&r, eng, argv[i], 0))
            return 1;
        while (hs_reader_next(r, &in) == HS_OK) {
            if (hs_doc_analyze(doc, in.id, in.text, in.len, 0)) {
                fprintf(stderr, "%s: %s\n", in.id, hs_doc_errmsg(doc));
                failed = 1;
                continue;
            }
            size_t ns, nt;
            const hs_sentence *s = hs_doc_sentences(doc, &ns);
            const hs_token *t = hs_doc_tokens(doc, &nt);
            printf("# %s\n", in.id);
            for (size_t j = 0; j < ns; j++) {
                for (uint32_t k = s[j].tok_begin; k < s[j].tok_end; k++)
                    printf("%u\t%u\t%s\t%.*s\n", t[k].start, t[k].end, hs_token_kind_name(t[k].kind),
                           (int)(t[k].end - t[k].start), in.text + t[k].start);
                putchar('\n');
            }
        }
        hs_reader_close(r);
    }
    hs_doc_free(doc);
    hs_engine_close(eng);
    return failed;
}
