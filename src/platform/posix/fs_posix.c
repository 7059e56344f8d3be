#include <stdio.h>

FILE *exhv_fs_open_read(const char *path);

FILE *exhv_fs_open_read(const char *path)
{
    return fopen(path, "rb");
}
