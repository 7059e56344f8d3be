#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform/console.h"

static int out_errno; /* the first failure to write stdout, or 0 */

void exhv_console_write(int fd, const char *data, size_t len)
{
    FILE *f = fd == 2 ? stderr : stdout;
    errno = 0;
    if ((fwrite(data, 1, len, f) != len || fflush(f) != 0) && fd != 2 && !out_errno &&
        errno != EPIPE)
        out_errno = errno ? errno : EIO;
    clearerr(f);
}

int exhv_console_out_failed(char *why, size_t n)
{
    if (!out_errno)
        return 0;
    snprintf(why, n, "%s", strerror(out_errno));
    return 1;
}
