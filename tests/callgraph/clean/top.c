/* top - calls mid, and base through base.h's inline function. */
#include "base.h"
#include "mid.h"
#include "top.h"

int top_run(int x)
{
    return mid_run(base_twice(x));
}
