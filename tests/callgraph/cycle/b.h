#ifndef B_H
#define B_H
int b_step(int v);
#endif
