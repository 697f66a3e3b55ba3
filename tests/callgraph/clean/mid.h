#ifndef MID_H
#define MID_H
int mid_run(int x);
#endif
