/* inside - a library file: may call core_helper, not the public hs_thing_new. */
#include "core.h"

int inside_run(int x)
{
    return core_helper(x) + hs_thing_new(x);
}
