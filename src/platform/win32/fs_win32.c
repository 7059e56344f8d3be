#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <io.h>
#include <wchar.h>

#include "core/i18n.h"
#include "core/buf.h"
#include "platform/fs.h"
#include "platform/win32/utf16.h"

FILE *exhv_fs_open_read(const char *path, size_t max, exhv_error *err);

/* what: "cannot open %s", translated here with the path filled in. */
static int fail_win32(exhv_error *err, DWORD e, const char *what, const char *path)
{
    char text[600];
    snprintf(text, sizeof(text), exhv_tr(what), path);
    exhv_error_set(err, e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? EXHV_E_NOT_FOUND
                                                                                 : EXHV_E_IO,
                   "%s (Windows error %lu)", text, (unsigned long)e);
    exhv_error_platform(err, EXHV_PLAT_WIN32, e, "");
    return -1;
}

/* UTF-8 paths reach the file system as UTF-16: fopen would use the ANSI
 * code page and lose names such as 测试机. The type is checked first: a
 * directory or a device (NUL, CON, a pipe) is not a scenario. The file API
 * is asked, not _wstat64: msvcrt's refuses every name holding '?' or '*',
 * and so every \\?\ path (the guest's \\?\Volume{GUID}\Windows). */
FILE *exhv_fs_open_read(const char *path, size_t max, exhv_error *err)
{
    wchar_t *w = exhv_path_to_w(path);
    WIN32_FILE_ATTRIBUTE_DATA a;
    FILE *f = NULL;

    if (!w) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        return NULL;
    }
    if (!GetFileAttributesExW(w, GetFileExInfoStandard, &a)) {
        DWORD e = GetLastError();
        /* Said as the C library says it, on every platform alike; a server
         * or share that is not there (//host/share/x.json) is not found as
         * the C library's own mapping has it (Wine says ERROR_BAD_DEV_TYPE). */
        if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND || e == ERROR_INVALID_DRIVE ||
            e == ERROR_BAD_NETPATH || e == ERROR_BAD_NET_NAME || e == ERROR_BAD_DEV_TYPE ||
            e == ERROR_BAD_PATHNAME) {
            exhv_error_set(err, EXHV_E_NOT_FOUND, "cannot open %s: %s", path, strerror(ENOENT));
            exhv_error_platform(err, EXHV_PLAT_ERRNO, ENOENT, strerror(ENOENT));
        } else {
            fail_win32(err, e, "cannot open %s", path);
        }
    } else if (a.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE)) {
        exhv_error_set(err, EXHV_E_IO, "%s is %s, not a file: name a scenario file (.json)", path,
                       a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY ? "a directory" : "a device");
    } else if ((((unsigned long long)a.nFileSizeHigh << 32) | a.nFileSizeLow) > max) {
        exhv_error_set(err, EXHV_E_IO, "%s is larger than %zu bytes", path, max);
    } else if (!(f = _wfopen(w, L"rb"))) {
        int e = errno;
        exhv_error_set(err, EXHV_E_IO, "cannot open %s: %s", path, strerror(e));
        exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
    } else if (GetFileType((HANDLE)_get_osfhandle(_fileno(f))) != FILE_TYPE_DISK) {
        /* NUL, CON or a pipe may not say so in their attributes. */
        fclose(f);
        f = NULL;
        exhv_error_set(err, EXHV_E_IO, "%s is %s, not a file: name a scenario file (.json)", path,
                       "a device");
    }
    free(w);
    return f;
}

char *exhv_fs_realpath(const char *path, exhv_error *err)
{
    wchar_t *w = exhv_path_to_w(path), buf[32768];
    HANDLE h;
    DWORD n;
    char *r = NULL;

    if (!w) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        return NULL;
    }
    /* The final path: links and junctions resolved, as the file system
     * names the file (8.3 names expanded). */
    h = CreateFileW(w, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fail_win32(err, GetLastError(), "cannot open %s", path);
        free(w);
        return NULL;
    }
    n = GetFinalPathNameByHandleW(h, buf, sizeof(buf) / sizeof(buf[0]), FILE_NAME_NORMALIZED);
    CloseHandle(h);
    if (n == 0 || n >= sizeof(buf) / sizeof(buf[0])) {
        /* Not every file system answers (Wine's may not): the full path. */
        n = GetFullPathNameW(w, sizeof(buf) / sizeof(buf[0]), buf, NULL);
        if (n == 0 || n >= sizeof(buf) / sizeof(buf[0])) {
            fail_win32(err, GetLastError(), "cannot resolve %s", path);
            free(w);
            return NULL;
        }
    }
    free(w);
    r = exhv_w_to_utf8(wcsncmp(buf, L"\\\\?\\", 4) == 0 && buf[5] == L':' ? buf + 4 : buf);
    if (!r)
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    return r;
}

int exhv_fs_check_writable(const char *path, exhv_error *err)
{
    wchar_t *w = exhv_path_to_w(path);
    DWORD a;
    if (!w)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    a = GetFileAttributesW(w);
    free(w);
    if (a == INVALID_FILE_ATTRIBUTES)
        return fail_win32(err, GetLastError(), "cannot open %s", path);
    if (a & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE))
        return exhv_error_set(err, EXHV_E_IO, "%s is not a file: exhv writes every change back "
                              "to the scenario file, so name a regular file", path);
    if (a & FILE_ATTRIBUTE_READONLY)
        return exhv_error_set(err, EXHV_E_IO, "%s is read-only: exhv writes every change back to "
                              "it; clear its read-only attribute or work on a copy", path);
    return 0;
}

static char pending[4096];
static volatile LONG pending_set;

const char *exhv_fs_pending_temp(void)
{
    return pending_set ? pending : NULL;
}

int exhv_fs_write_atomic(const char *path, const char *data, size_t len, exhv_error *err)
{
    exhv_buf tmp = EXHV_BUF_INIT;
    wchar_t *wtmp = NULL, *wpath = NULL;
    char *target = NULL;
    HANDLE h = INVALID_HANDLE_VALUE;
    DWORD done = 0, e, a;
    int rc = -1;
    exhv_error ignored;

    /* A link is written through: the file it names is replaced. */
    target = exhv_fs_realpath(path, &ignored);
    if (!target && !(target = exhv_strdup(path)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    if (!(wpath = exhv_path_to_w(target))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    a = GetFileAttributesW(wpath);
    if (a != INVALID_FILE_ATTRIBUTES && (a & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE))) {
        exhv_error_set(err, EXHV_E_IO, "%s is not a file: exhv replaces only regular files", path);
        goto out;
    }
    /* CREATE_NEW never opens what is already there (a planted file or
     * link): a name in use is skipped. */
    for (unsigned i = 0; i < 100 && h == INVALID_HANDLE_VALUE; i++) {
        free(wtmp);
        exhv_buf_reset(&tmp);
        exhv_buf_printf(&tmp, "%s.tmp%lu-%lu-%u", target, (unsigned long)GetCurrentProcessId(),
                        (unsigned long)GetTickCount(), i);
        if (!exhv_buf_ok(&tmp) || tmp.len >= sizeof(pending) ||
            !(wtmp = exhv_path_to_w(exhv_buf_str(&tmp)))) {
            exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            goto out;
        }
        h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
        if (h == INVALID_HANDLE_VALUE && GetLastError() != ERROR_FILE_EXISTS &&
            GetLastError() != ERROR_ALREADY_EXISTS)
            break;
    }
    if (h == INVALID_HANDLE_VALUE) {
        fail_win32(err, GetLastError(), "cannot create a file beside %s", path);
        goto out;
    }
    memcpy(pending, tmp.data, tmp.len + 1);
    pending_set = 1;
    if (!WriteFile(h, data, (DWORD)len, &done, NULL) || done != len || !FlushFileBuffers(h)) {
        e = GetLastError();
        CloseHandle(h);
        goto fail;
    }
    CloseHandle(h);
    /* ReplaceFile keeps the original's attributes, owner and ACL. */
    if (!ReplaceFileW(wpath, wtmp, NULL, REPLACEFILE_IGNORE_MERGE_ERRORS, NULL, NULL)) {
        e = GetLastError();
        if (e != ERROR_FILE_NOT_FOUND ||
            !MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
            e = GetLastError();
            goto fail;
        }
    }
    pending_set = 0;
    rc = 0;
    goto out;
fail:
    DeleteFileW(wtmp);
    pending_set = 0;
    fail_win32(err, e, "cannot write %s", path);
out:
    free(target);
    free(wtmp);
    free(wpath);
    exhv_buf_release(&tmp);
    return rc;
}

int exhv_fs_stamp_get(const char *path, exhv_fs_stamp *out, exhv_error *err)
{
    wchar_t *w = exhv_path_to_w(path);
    BY_HANDLE_FILE_INFORMATION fi;
    HANDLE h;
    if (!w)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    h = CreateFileW(w, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE)
        return fail_win32(err, GetLastError(), "cannot look at %s", path);
    if (!GetFileInformationByHandle(h, &fi)) {
        DWORD e = GetLastError();
        CloseHandle(h);
        return fail_win32(err, e, "cannot look at %s", path);
    }
    CloseHandle(h);
    memset(out, 0, sizeof(*out));
    out->id[0] = fi.dwVolumeSerialNumber;
    out->id[1] = ((unsigned long long)fi.nFileIndexHigh << 32) | fi.nFileIndexLow;
    out->size = ((unsigned long long)fi.nFileSizeHigh << 32) | fi.nFileSizeLow;
    out->mtime_ns = ((unsigned long long)fi.ftLastWriteTime.dwHighDateTime << 32) |
                    fi.ftLastWriteTime.dwLowDateTime;
    return 0;
}

int exhv_fs_stamp_equal(const exhv_fs_stamp *a, const exhv_fs_stamp *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

int exhv_fs_remove(const char *path, exhv_error *err)
{
    wchar_t *w = exhv_path_to_w(path);
    DWORD e;
    if (!w)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    if (!DeleteFileW(w) && (e = GetLastError()) != ERROR_FILE_NOT_FOUND) {
        free(w);
        return fail_win32(err, e, "cannot remove %s", path);
    }
    free(w);
    return 0;
}
