/* counter - public functions whose names user.c uses for other things. */
#include "counter.h"

int count(int x) { return x; }
int reset(void) { return 0; }
int total(int x) { return x; }
int limit(int x) { return x; }
int size(int x) { return x; }
