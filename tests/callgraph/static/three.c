/* three - a public helper (declared by no header here), named as the static
 * ones in one.c and two.c. */
#include "three.h"

int helper(int x);

int helper(int x) { return x - 1; }
int three_other(int x) { return helper(x); }
