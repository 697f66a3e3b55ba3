/* client - a client of the API (as train/ is): allowed to call hs_thing_new. */
#include "core.h"

int client_run(int x)
{
    return hs_thing_new(x);
}
