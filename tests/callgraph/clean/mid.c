/* mid - one layer up: calls base, and through a macro of its own. */
#include "base.h"
#include "mid.h"

#define ADD(a, b) base_add((a), (b))

int mid_run(int x)
{
    return ADD(x, 1);
}
