#ifndef TOP_H
#define TOP_H
int top_run(int x);
#endif
