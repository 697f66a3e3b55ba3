#ifndef COUNTER_H
#define COUNTER_H
int count(int x);
int reset(void);
int total(int x);
int limit(int x);
int size(int x);
#endif
