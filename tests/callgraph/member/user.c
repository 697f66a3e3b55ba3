/* user - members, a struct tag, an enumerator, a parameter, a local, a label and a
 * macro parameter named as counter's functions, and no call to counter at all. */
#include "user.h"

#define BUMP(count) ((count) + 1)

static int zero(void) { return 0; }

int user_run(struct count *c, int total)
{
    struct count copy = { .count = 1, .reset = zero };
    int reset = c->count + copy.count + limit + c->size;
    if (total > 0)
        goto count;
    reset = copy.reset();
count:
    return BUMP(reset + total);
}
