/* one - a static helper of its own: calls to it are not calls to three.c's helper. */
#include "three.h"

static int helper(int x) { return x + 1; }

int one_run(int x)
{
    return helper(x);
}
