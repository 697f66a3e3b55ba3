/* two - another static helper of the same name, and one call to three. */
#include "three.h"

static int helper(int x) { return x * 2; }

int two_run(int x)
{
    return helper(x) + three_other(x);
}
