#ifndef THREE_H
#define THREE_H
int three_other(int x);
#endif
