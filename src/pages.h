/* pages - memory for big read-mostly tables (model files, packed weights)
 * that the kernel may back with 2 MiB pages: lookups into such tables are
 * random, and with 4 KiB pages nearly every one also misses the TLB. Small
 * blocks, and systems without transparent huge pages, get plain malloc. */
#ifndef HS_PAGES_H
#define HS_PAGES_H

#include <stddef.h>

/* n bytes, zeroed, aligned to 64; NULL on failure. */
void *pages_alloc(size_t n);
void pages_free(void *p); /* NULL is fine */

#endif
