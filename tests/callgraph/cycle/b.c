#include "b.h"
#include "c.h"

int b_step(int v)
{
    return c_finish(v + 1);
}
