/* base - the bottom layer of the clean fixture: calls nothing of ours. */
#ifndef BASE_H
#define BASE_H
int base_add(int a, int b);
/* a static inline function in a header belongs to its module */
static inline int base_twice(int a) { return base_add(a, a); }
#endif
