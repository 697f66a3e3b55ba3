#include "core.h"

int core_helper(int x) { return x + 1; }
int hs_thing_new(int x) { return core_helper(x); }
