/* fuzz_pred - libFuzzer harness for the prediction reader of hs_eval_polnear
 * (JSON Lines through jansson, spans, roles, ids): any bytes are written as
 * a prediction file and scored against a tiny split of our own; the scorer
 * must answer or refuse with a reason, never crash or leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hearsay_train.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(s, 1, strlen(s), f) != strlen(s) || fclose(f))
        abort();
}

/* A split with one article: "“Rates will rise,” Lea said." */
static const char *split(void)
{
    static char dir[64];
    if (dir[0])
        return dir;
    char p[128];
    snprintf(dir, sizeof dir, "/tmp/hearsay-fuzz-pred-%ld", (long)getpid());
    mkdir(dir, 0755);
    snprintf(p, sizeof p, "%s/text", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/attributions", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/text/a.txt", dir);
    put(p, "\xE2\x80\x9CRates will rise,\xE2\x80\x9D Lea said.\n");
    snprintf(p, sizeof p, "%s/attributions/a.ann", dir);
    put(p, "T1\tContent 1 16\tRates will rise\nT2\tSource 19 22\tLea\nT3\tCue 23 27\tsaid\n"
           "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2\n");
    return dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = split();
    char path[128];
    snprintf(path, sizeof path, "%s/pred.jsonl", dir);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
    for (unsigned flags = 0; flags <= HS_EVAL_JSON; flags += HS_EVAL_JSON) {
        char *out = NULL, *diag = NULL;
        int rc = hs_eval_polnear(NULL, dir, NULL, path, flags, &out, &diag);
        if (rc == HS_OK ? !out : (out || !diag || !*diag))
            abort(); /* a result, or a refusal that says why */
        free(out);
        free(diag);
    }
    return 0;
}
