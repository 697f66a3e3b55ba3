/* base - names the layers above only in comments and strings, which are no calls:
 * mid_run(); top_run(); */
#include <inttypes.h>

#include "base.h"

// top_run(1);
static const char *what = "mid_run(1) and top_run(2)";
static const char quote = '"';
static const char *fmt = "%"PRIu64" top_run(";

int base_add(int a, int b)
{
    (void)what;
    (void)quote;
    (void)fmt;
    return a + b; /* mid_run(a) */
}
