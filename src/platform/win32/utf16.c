#include "platform/win32/utf16.h"

#include <stdlib.h>
#include <windows.h>

wchar_t *exhv_utf8_to_w(const char *s)
{
    int n;
    wchar_t *w;

    if (!s)
        return NULL;
    n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    if (n <= 0 || !(w = malloc((size_t)n * sizeof(wchar_t))))
        return NULL;
    MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
    return w;
}

wchar_t *exhv_path_to_w(const char *path)
{
    wchar_t *w = exhv_utf8_to_w(path);
    if (w)
        for (wchar_t *p = w; *p; p++)
            if (*p == L'/')
                *p = L'\\';
    return w;
}

char *exhv_wn_to_utf8(const wchar_t *w, int len)
{
    int n;
    char *s;

    if (!w)
        return NULL;
    if (len == 0)
        return calloc(1, 1);
    n = WideCharToMultiByte(CP_UTF8, 0, w, len, NULL, 0, NULL, NULL);
    if (n <= 0 || !(s = malloc((size_t)n + 1)))
        return NULL;
    WideCharToMultiByte(CP_UTF8, 0, w, len, s, n, NULL, NULL);
    s[n] = '\0';
    return s;
}

char *exhv_w_to_utf8(const wchar_t *w)
{
    return w ? exhv_wn_to_utf8(w, (int)wcslen(w)) : NULL;
}
