#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "platform/console.h"

static DWORD out_error; /* the first failure to write stdout, or 0 */

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
        if (!WriteFile(h, data, chunk, &done, NULL) || done == 0) {
            DWORD e = GetLastError();
            /* A pipe whose reader went away is not a failure. */
            if (fd != 2 && !out_error && e != ERROR_BROKEN_PIPE && e != ERROR_NO_DATA)
                out_error = e ? e : ERROR_WRITE_FAULT;
            return;
        }
        data += done;
        len -= done;
    }
}

int exhv_console_out_failed(char *why, size_t n)
{
    if (!out_error)
        return 0;
    if (!FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                        out_error, 0, why, (DWORD)n, NULL))
        snprintf(why, n, "Windows error %lu", (unsigned long)out_error);
    /* FormatMessage ends its text with a line break. */
    for (size_t k = strlen(why); k && (why[k - 1] == '\n' || why[k - 1] == '\r' ||
                                       why[k - 1] == '.'); k--)
        why[k - 1] = 0;
    return 1;
}
