#include "worker.h"

int worker_run(int x) { return x; }
int worker_stop(int x) { return -x; }
int worker_cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
