#ifndef A_H
#define A_H
int a_start(void);
void a_done(int v);
#endif
