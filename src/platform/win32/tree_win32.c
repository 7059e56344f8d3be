#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "platform/tree.h"
#include "platform/win32/utf16.h"

/* what: "cannot read %s", translated here with the path filled in. */
static int fail(exhv_error *err, DWORD e, const char *what, const char *path)
{
    char text[600];
    snprintf(text, sizeof(text), exhv_tr(what), path);
    exhv_error_set(err, e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? EXHV_E_NOT_FOUND
                                                                                 : EXHV_E_IO,
                   "%s (Windows error %lu)", text, (unsigned long)e);
    exhv_error_platform(err, EXHV_PLAT_WIN32, e, "");
    return -1;
}

static wchar_t *wpath(const char *path, exhv_error *err)
{
    wchar_t *w = exhv_path_to_w(path);
    if (!w)
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    return w;
}

static int64_t ft64(FILETIME ft)
{
    return (int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
}

int exhv_fs_info_get(const char *path, exhv_fs_info *out, exhv_error *err)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    wchar_t *w = wpath(path, err);
    DWORD e;
    memset(out, 0, sizeof(*out));
    if (!w)
        return -1;
    if (!GetFileAttributesExW(w, GetFileExInfoStandard, &a)) {
        e = GetLastError();
        free(w);
        if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
            return 0;
        return fail(err, e, "cannot read %s", path);
    }
    free(w);
    /* A reparse point (symbolic link, junction, mount point) is never
     * walked into: it could lead out of the guest's Windows folder. */
    if (a.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DEVICE))
        out->kind = EXHV_FS_OTHER;
    else if (a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        out->kind = EXHV_FS_DIR;
    else
        out->kind = EXHV_FS_FILE;
    out->size = out->kind == EXHV_FS_FILE
                    ? (((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow) : 0;
    out->mtime = ft64(a.ftLastWriteTime);
    out->readonly = (a.dwFileAttributes & FILE_ATTRIBUTE_READONLY) != 0;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int exhv_fs_list(const char *dir, char ***names, size_t *n, exhv_error *err)
{
    exhv_buf pat = EXHV_BUF_INIT;
    wchar_t *w;
    WIN32_FIND_DATAW fd;
    HANDLE h;
    char **v = NULL;
    size_t cnt = 0, cap = 0;
    DWORD e;

    exhv_buf_printf(&pat, "%s\\*", dir);
    w = exhv_buf_ok(&pat) ? wpath(exhv_buf_str(&pat), err) : NULL;
    exhv_buf_release(&pat);
    if (!w)
        return -1;
    h = FindFirstFileW(w, &fd);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        e = GetLastError();
        if (e == ERROR_FILE_NOT_FOUND) {
            *names = NULL;
            *n = 0;
            return 0;
        }
        return fail(err, e, "cannot list %s", dir);
    }
    do {
        char *name;
        if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
            continue;
        if (!(name = exhv_w_to_utf8(fd.cFileName)) ||
            exhv_grow((void **)&v, &cap, cnt + 1, sizeof(char *)) < 0) {
            free(name);
            FindClose(h);
            exhv_strv_free(v, cnt);
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
        v[cnt++] = name;
    } while (FindNextFileW(h, &fd));
    e = GetLastError();
    FindClose(h);
    if (e != ERROR_NO_MORE_FILES) {
        exhv_strv_free(v, cnt);
        return fail(err, e, "cannot list %s", dir);
    }
    if (cnt)
        qsort(v, cnt, sizeof(char *), cmp_names);
    *names = v;
    *n = cnt;
    return 0;
}

int exhv_fs_mkdir(const char *path, exhv_error *err)
{
    wchar_t *w = wpath(path, err);
    DWORD e, a;
    if (!w)
        return -1;
    if (CreateDirectoryW(w, NULL)) {
        free(w);
        return 0;
    }
    e = GetLastError();
    a = GetFileAttributesW(w);
    free(w);
    if (e == ERROR_ALREADY_EXISTS && a != INVALID_FILE_ATTRIBUTES &&
        (a & FILE_ATTRIBUTE_DIRECTORY) && !(a & FILE_ATTRIBUTE_REPARSE_POINT))
        return 0;
    return fail(err, e, "cannot make the folder %s", path);
}

int exhv_fs_rmdir(const char *path, exhv_error *err)
{
    wchar_t *w = wpath(path, err);
    DWORD e;
    if (!w)
        return -1;
    if (!RemoveDirectoryW(w) && (e = GetLastError()) != ERROR_FILE_NOT_FOUND &&
        e != ERROR_PATH_NOT_FOUND) {
        free(w);
        return fail(err, e, "cannot remove the folder %s", path);
    }
    free(w);
    return 0;
}

int exhv_fs_set_readonly(const char *path, int readonly, exhv_error *err)
{
    wchar_t *w = wpath(path, err);
    DWORD a, want;
    if (!w)
        return -1;
    a = GetFileAttributesW(w);
    if (a == INVALID_FILE_ATTRIBUTES) {
        DWORD e = GetLastError();
        free(w);
        return fail(err, e, "cannot read %s", path);
    }
    want = readonly ? (a | FILE_ATTRIBUTE_READONLY) : (a & ~(DWORD)FILE_ATTRIBUTE_READONLY);
    if (want != a && !SetFileAttributesW(w, want)) {
        DWORD e = GetLastError();
        free(w);
        return fail(err, e, "cannot change the attributes of %s", path);
    }
    free(w);
    return 0;
}

static int dir_at(const wchar_t *w)
{
    DWORD a = GetFileAttributesW(w);
    return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY) &&
           !(a & FILE_ATTRIBUTE_REPARSE_POINT);
}

int exhv_fs_rename(const char *from, const char *to, exhv_error *err)
{
    wchar_t *wf = wpath(from, err), *wt = wf ? wpath(to, err) : NULL;
    int rc = 0;
    if (!wf || !wt)
        rc = -1;
    /* MOVEFILE_REPLACE_EXISTING is for files only: it "cannot be used if
     * lpNewFileName or lpExistingFileName names a directory"
     * (learn.microsoft.com, MoveFileExW); a folder moves to a free name. */
    else if (!MoveFileExW(wf, wt, dir_at(wf) ? 0 : MOVEFILE_REPLACE_EXISTING))
        rc = fail(err, GetLastError(), "cannot rename to %s", to);
    free(wf);
    free(wt);
    return rc;
}

int exhv_fs_copy_file(const char *src, const char *dst, uint64_t *bytes, exhv_error *err)
{
    exhv_buf tmp = EXHV_BUF_INIT;
    wchar_t *wsrc = NULL, *wdst = NULL, *wtmp = NULL;
    HANDLE in = INVALID_HANDLE_VALUE, out = INVALID_HANDLE_VALUE;
    FILETIME ctime, atime, mtime;
    const DWORD bufsz = 1u << 20;
    char *buf = NULL;
    uint64_t total = 0;
    int rc = -1, in_place = 0;
    DWORD e = 0;

    if (!(wsrc = wpath(src, err)) || !(wdst = wpath(dst, err)))
        goto out;
    if (!(buf = malloc(bufsz))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    /* The host keeps its driver files open (the display driver is running):
     * share everything, or the open fails with a sharing violation. */
    in = CreateFileW(wsrc, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                     NULL, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_OPEN_REPARSE_POINT,
                     NULL);
    if (in == INVALID_HANDLE_VALUE) {
        fail(err, GetLastError(), "cannot open %s", src);
        goto out;
    }
    if (!GetFileTime(in, &ctime, &atime, &mtime)) {
        fail(err, GetLastError(), "cannot read the time of %s", src);
        goto out;
    }
    /* Nothing there yet: written in place (created exclusively, removed
     * again on failure), one rename less per file. */
    out = CreateFileW(wdst, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                      FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (out != INVALID_HANDLE_VALUE && !(wtmp = wpath(dst, err))) {
        CloseHandle(out);
        out = INVALID_HANDLE_VALUE;
        DeleteFileW(wdst);
        goto out;
    }
    in_place = out != INVALID_HANDLE_VALUE;
    for (unsigned i = 0; i < 100 && out == INVALID_HANDLE_VALUE; i++) {
        free(wtmp);
        wtmp = NULL;
        exhv_buf_reset(&tmp);
        exhv_buf_printf(&tmp, "%s.exhv-tmp%lu-%u", dst, (unsigned long)GetCurrentProcessId(), i);
        if (!exhv_buf_ok(&tmp) || !(wtmp = wpath(exhv_buf_str(&tmp), err)))
            goto out;
        out = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                          FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
        if (out == INVALID_HANDLE_VALUE && (e = GetLastError()) != ERROR_FILE_EXISTS &&
            e != ERROR_ALREADY_EXISTS) {
            fail(err, e, "cannot create a file beside %s", dst);
            goto out;
        }
    }
    if (out == INVALID_HANDLE_VALUE) {
        fail(err, ERROR_FILE_EXISTS, "cannot create a file beside %s", dst);
        goto out;
    }
    for (;;) {
        DWORD r = 0, w = 0;
        if (!ReadFile(in, buf, bufsz, &r, NULL)) {
            fail(err, GetLastError(), "cannot read %s", src);
            goto fail;
        }
        if (r == 0)
            break;
        if (!WriteFile(out, buf, r, &w, NULL) || w != r) {
            fail(err, GetLastError(), "cannot write %s", dst);
            goto fail;
        }
        total += r;
    }
    if (!SetFileTime(out, NULL, NULL, &mtime)) {
        fail(err, GetLastError(), "cannot set the time of %s", dst);
        goto fail;
    }
    CloseHandle(out);
    out = INVALID_HANDLE_VALUE;
    if (!in_place && !MoveFileExW(wtmp, wdst, MOVEFILE_REPLACE_EXISTING)) {
        fail(err, GetLastError(), "cannot replace %s", dst);
        goto fail;
    }
    *bytes = total;
    rc = 0;
    goto out;
fail:
    if (out != INVALID_HANDLE_VALUE)
        CloseHandle(out);
    out = INVALID_HANDLE_VALUE;
    DeleteFileW(wtmp);
out:
    if (in != INVALID_HANDLE_VALUE)
        CloseHandle(in);
    if (out != INVALID_HANDLE_VALUE)
        CloseHandle(out);
    free(buf);
    free(wsrc);
    free(wdst);
    free(wtmp);
    exhv_buf_release(&tmp);
    return rc;
}
