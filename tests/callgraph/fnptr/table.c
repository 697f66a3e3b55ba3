/* table - names worker's functions only as values: a table, a file-scope
 * pointer and a callback; no direct call. */
#include <stdlib.h>

#include "worker.h"

struct op {
    const char *name;
    int (*fn)(int);
};

static const struct op ops[] = {
    { "run", worker_run },
    { "stop", worker_stop },
};

static int (*fallback)(int) = worker_stop;

int table_call(int i, int x, int *v, size_t n)
{
    qsort(v, n, sizeof *v, worker_cmp);
    return i < 2 ? ops[i].fn(x) : fallback(x);
}
