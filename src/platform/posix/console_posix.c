#include <stdio.h>

#include "platform/console.h"

void exhv_console_write(int fd, const char *data, size_t len)
{
    FILE *f = fd == 2 ? stderr : stdout;
    fwrite(data, 1, len, f);
    fflush(f);
}
