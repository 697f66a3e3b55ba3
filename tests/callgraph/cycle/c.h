#ifndef C_H
#define C_H
int c_finish(int v);
#endif
