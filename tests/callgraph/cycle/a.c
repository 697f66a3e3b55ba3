/* a - calls b; c calls back into a through a pointer: a -> b -> c -> a. */
#include "a.h"
#include "b.h"

static int last;

int a_start(void)
{
    return b_step(1);
}

void a_done(int v)
{
    last = v;
}
