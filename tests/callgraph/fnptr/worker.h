#ifndef WORKER_H
#define WORKER_H
int worker_run(int x);
int worker_stop(int x);
int worker_cmp(const void *a, const void *b);
#endif
