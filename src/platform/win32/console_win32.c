#include <stdlib.h>
#include <windows.h>

#include "platform/console.h"

void exhv_console_write(int fd, const char *data, size_t len)
{
    HANDLE h = GetStdHandle(fd == 2 ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
    DWORD mode, done;

    if (h == INVALID_HANDLE_VALUE || h == NULL || len == 0)
        return;
    if (GetConsoleMode(h, &mode)) {
        int n = MultiByteToWideChar(CP_UTF8, 0, data, (int)len, NULL, 0);
        wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(wchar_t)) : NULL;
        if (w) {
            MultiByteToWideChar(CP_UTF8, 0, data, (int)len, w, n);
            WriteConsoleW(h, w, (DWORD)n, &done, NULL);
            free(w);
            return;
        }
    }
    while (len) {
        DWORD chunk = len > 1u << 20 ? 1u << 20 : (DWORD)len;
        if (!WriteFile(h, data, chunk, &done, NULL) || done == 0)
            return;
        data += done;
        len -= done;
    }
}
