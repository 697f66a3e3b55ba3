/* report - the readable terminal report of an analyzed document. */
#ifndef HS_CLI_REPORT_H
#define HS_CLI_REPORT_H
#include <stdio.h>

#include "hearsay.h"

/* Writes the report of doc to out; colour when color is non-zero; width is
 * the line width to fit block previews to. Returns 0, or -1 on write error. */
int report_write(FILE *out, const hs_doc *doc, int color, int width);
#endif
