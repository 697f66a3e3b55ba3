#ifndef CORE_H
#define CORE_H
int hs_thing_new(int x); /* the public API */
int core_helper(int x);  /* shared inside the library */
#endif
