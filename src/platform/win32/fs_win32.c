#include <stdio.h>
#include <stdlib.h>

#include "platform/win32/utf16.h"

FILE *exhv_fs_open_read(const char *path);

/* UTF-8 paths reach the file system as UTF-16: fopen would use the ANSI
 * code page and lose names such as 测试机. */
FILE *exhv_fs_open_read(const char *path)
{
    wchar_t *w = exhv_utf8_to_w(path);
    FILE *f = w ? _wfopen(w, L"rb") : NULL;
    free(w);
    return f;
}
