/* assets - the web UI's files (cli/web/), built into the binary by
 * tools/embed.c so that hearsay serve needs no file beside it. */
#ifndef HS_CLI_ASSETS_H
#define HS_CLI_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
    const char *name;          /* the file's base name: "app.js" */
    const unsigned char *data; /* its bytes, followed by a NUL */
    size_t len;
} web_asset;

extern const web_asset web_assets[];
extern const int web_nassets;

#endif
