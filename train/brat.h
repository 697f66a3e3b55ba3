/* brat - reads attribution annotations in brat standoff (PolNeAR style):
 * Source/Cue/Content spans and the Attribution events that join them, with
 * discontinuous spans and events naming spans defined later in the file;
 * and a split directory's metadata (which annotator's file is canonical).
 * Offsets in the file are code points; they come out as UTF-8 byte offsets.
 * It does not read other brat annotation kinds (relations, attributes). */
#ifndef HS_BRAT_H
#define HS_BRAT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "hearsay.h"

enum { BRAT_CONTENT, BRAT_CUE, BRAT_SOURCE, BRAT_NROLES };

/* One attribution: for each role, n[r] spans starting at spans[first[r]] of
 * its document. Events without content are dropped (as the scorer does). */
typedef struct brat_attr {
    uint32_t first[BRAT_NROLES], n[BRAT_NROLES];
} brat_attr;

typedef struct brat_doc {
    brat_attr *att;
    size_t natt, capatt;
    hs_span *spans;
    size_t nspans, capspans;
} brat_doc;

/* Reads the .ann file at path for the UTF-8 text[0..len) into d (cleared
 * first). Returns HS_OK, or HS_EIO (the file cannot be read) or HS_ENOMEM
 * with a message in err. Malformed lines (bad offsets, offsets past the
 * text, unknown span ids) are skipped, each with a line "path:N: reason" in
 * err, and do not fail the read. */
int brat_read(brat_doc *d, const char *path, const char *text, size_t len, buf *err);
void brat_clear(brat_doc *d);
void brat_free(brat_doc *d);

/* The articles of a PolNeAR-format split directory (DIR/text/STEM.txt and
 * DIR/attributions/STEM_ANNOTATOR.ann): stems in byte order, each with its .ann path.
 * With a metadata.tsv, the .ann of the first annotator listed is taken and
 * articles missing from the metadata are left out; without one, the .ann
 * named <stem>.ann, else the first <stem>_ANNOTATOR.ann by name. Articles without
 * an .ann are left out. brat_split_open returns HS_OK, or HS_EIO (the text
 * folder or the metadata cannot be read), HS_EFORMAT (the metadata lacks
 * its filename and annotators columns) or HS_ENOMEM, with a message in err
 * (s is then empty). */
typedef struct brat_split {
    char **stem, **text_path, **ann_path;
    size_t n;
} brat_split;

int brat_split_open(brat_split *s, const char *dir, const char *metadata, buf *err);
void brat_split_free(brat_split *s);

#endif
