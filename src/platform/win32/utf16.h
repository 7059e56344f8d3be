/* UTF-8 <-> UTF-16 at the Windows API boundary. */
#ifndef EXHV_UTF16_H
#define EXHV_UTF16_H

#include <wchar.h>

/* New strings (free with free()); NULL on failure or NULL input. */
wchar_t *exhv_utf8_to_w(const char *s);
char *exhv_w_to_utf8(const wchar_t *w);
/* A path for the file API: UTF-16 with every '/' turned into '\\'. A path
 * that starts with \\?\ (the guest's \\?\Volume{GUID}\Windows) reaches the
 * file system unnormalised, where '/' would be part of a name
 * (learn.microsoft.com, "Naming Files, Paths, and Namespaces"). */
wchar_t *exhv_path_to_w(const char *path);
/* n UTF-16 units, not necessarily NUL-terminated. */
char *exhv_wn_to_utf8(const wchar_t *w, int n);

#endif
