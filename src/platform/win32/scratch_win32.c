#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "platform/scratch.h"
#include "platform/win32/utf16.h"

char exhv_scratch_paths[EXHV_SCRATCH_SLOTS][EXHV_SCRATCH_PATH];
volatile int exhv_scratch_used[EXHV_SCRATCH_SLOTS];

/* what: "cannot write %s", translated here with the path filled in. */
static int fail_win32(exhv_error *err, DWORD e, const char *what, const char *path)
{
    char text[600];
    snprintf(text, sizeof(text), exhv_tr(what), path);
    exhv_error_set(err, EXHV_E_IO, "%s (Windows error %lu)", text, (unsigned long)e);
    exhv_error_platform(err, EXHV_PLAT_WIN32, e, "");
    return -1;
}

int exhv_scratch_create(const char *prefix, char **path, exhv_error *err)
{
    wchar_t base[MAX_PATH + 1];
    DWORD n = GetTempPathW(MAX_PATH + 1, base);
    char *b8;
    int slot = -1;
    static unsigned seq;

    /* A slot is claimed at once (2: being made), so that two threads
     * never take the same one; removal looks only at slots in use (1). */
    for (int i = 0; i < EXHV_SCRATCH_SLOTS && slot < 0; i++) {
        int expected = 0;
        if (__atomic_compare_exchange_n(&exhv_scratch_used[i], &expected, 2, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            slot = i;
    }
    if (slot < 0)
        return exhv_error_set(err, EXHV_E_FAILED, "too many scratch folders at once");
    if (!n || n > MAX_PATH) {
        exhv_scratch_used[slot] = 0;
        return fail_win32(err, GetLastError(), "cannot find %s", exhv_tr("the temporary folder"));
    }
    if (!(b8 = exhv_w_to_utf8(base))) {
        exhv_scratch_used[slot] = 0;
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    /* CreateDirectoryW fails on a name that exists: the folder is new,
     * and so is everything written in it. The user's temporary folder is
     * the user's own. */
    for (int tries = 0; tries < 100; tries++) {
        char name[EXHV_SCRATCH_PATH];
        unsigned long long r = GetTickCount64() ^ ((unsigned long long)GetCurrentProcessId() << 20) ^
                               ((unsigned long long)++seq * 0x9E3779B97F4A7C15ull);
        wchar_t *w;
        BOOL ok;
        DWORD e;
        if ((size_t)snprintf(name, sizeof(name), "%s%s.%012llx", b8, prefix,
                             r & 0xFFFFFFFFFFFFull) >= sizeof(name))
            break;
        if (!(w = exhv_utf8_to_w(name))) {
            free(b8);
            exhv_scratch_used[slot] = 0;
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
        ok = CreateDirectoryW(w, NULL);
        e = GetLastError();
        if (ok) {
            free(b8);
            if (!(*path = exhv_strdup(name))) {
                RemoveDirectoryW(w);
                free(w);
                exhv_scratch_used[slot] = 0;
                return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            }
            free(w);
            memcpy(exhv_scratch_paths[slot], name, strlen(name) + 1);
            exhv_scratch_used[slot] = 1;
            return 0;
        }
        free(w);
        if (e != ERROR_ALREADY_EXISTS) {
            fail_win32(err, e, "cannot make a private folder in %s", b8);
            free(b8);
            exhv_scratch_used[slot] = 0;
            return -1;
        }
    }
    exhv_error_set(err, EXHV_E_IO, "cannot make a private folder in %s", b8);
    free(b8);
    exhv_scratch_used[slot] = 0;
    return -1;
}

int exhv_scratch_put(const char *path, const void *data, size_t len, exhv_error *err)
{
    wchar_t *w = exhv_utf8_to_w(path);
    HANDLE h;
    const char *p = data;
    if (!w)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return fail_win32(err, GetLastError(), "cannot write %s", path);
    while (len) {
        DWORD chunk = len > 1u << 30 ? 1u << 30 : (DWORD)len, done = 0;
        if (!WriteFile(h, p, chunk, &done, NULL) || !done) {
            DWORD e = GetLastError();
            CloseHandle(h);
            return fail_win32(err, e, "cannot write %s", path);
        }
        p += done;
        len -= done;
    }
    CloseHandle(h);
    return 0;
}

/* Remove a path and what it holds: a reparse point (link, junction) is
 * removed itself, never followed; read-only is cleared first. */
static void rm_w(const wchar_t *p, int depth)
{
    DWORD a = GetFileAttributesW(p);
    if (a == INVALID_FILE_ATTRIBUTES)
        return;
    if (a & FILE_ATTRIBUTE_READONLY)
        SetFileAttributesW(p, a & ~(DWORD)FILE_ATTRIBUTE_READONLY);
    if (!(a & FILE_ATTRIBUTE_DIRECTORY)) {
        DeleteFileW(p);
        return;
    }
    if (!(a & FILE_ATTRIBUTE_REPARSE_POINT) && depth < 64) {
        size_t n = wcslen(p);
        wchar_t *pat = malloc((n + 3) * sizeof(wchar_t));
        WIN32_FIND_DATAW fd;
        HANDLE f;
        if (pat) {
            memcpy(pat, p, n * sizeof(wchar_t));
            wcscpy(pat + n, L"\\*");
            f = FindFirstFileW(pat, &fd);
            while (f != INVALID_HANDLE_VALUE) {
                if (wcscmp(fd.cFileName, L".") != 0 && wcscmp(fd.cFileName, L"..") != 0) {
                    size_t m = wcslen(fd.cFileName);
                    wchar_t *q = malloc((n + m + 2) * sizeof(wchar_t));
                    if (q) {
                        memcpy(q, p, n * sizeof(wchar_t));
                        q[n] = L'\\';
                        memcpy(q + n + 1, fd.cFileName, (m + 1) * sizeof(wchar_t));
                        rm_w(q, depth + 1);
                        free(q);
                    }
                }
                if (!FindNextFileW(f, &fd)) {
                    FindClose(f);
                    break;
                }
            }
            free(pat);
        }
    }
    RemoveDirectoryW(p);
}

static void remove_slot(int i)
{
    if (exhv_scratch_used[i] == 1) {
        wchar_t *w = exhv_utf8_to_w(exhv_scratch_paths[i]);
        if (w)
            rm_w(w, 0);
        free(w);
        exhv_scratch_used[i] = 0;
    }
}

void exhv_scratch_remove(const char *path)
{
    for (int i = 0; path && i < EXHV_SCRATCH_SLOTS; i++)
        if (exhv_scratch_used[i] == 1 && strcmp(exhv_scratch_paths[i], path) == 0)
            remove_slot(i);
}

void exhv_scratch_remove_all_now(void)
{
    for (int i = 0; i < EXHV_SCRATCH_SLOTS; i++)
        remove_slot(i);
}
