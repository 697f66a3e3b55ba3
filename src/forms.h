/* forms - CoreNLP-style token forms, the models' input (see forms.c). */
#ifndef HS_FORMS_H
#define HS_FORMS_H

#include "doc.h"

/* Fills d->form (one NUL-terminated form per token, in d->formbuf) from
 * the tokens. Returns HS_OK or HS_ENOMEM. */
int forms_run(hs_doc *d);

#endif
