#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "platform/lock.h"
#include "platform/win32/utf16.h"

struct exhv_lock {
    HANDLE mutex;
};

/* A named mutex: released by Windows even when the process dies. Names may
 * not contain backslashes, so a path is folded into one. */
int exhv_lock_acquire(const char *name, exhv_lock **out, exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_lock *l;
    wchar_t *w;
    DWORD wait;

    exhv_buf_puts(&b, "Local\\exhv-lock-");
    for (const char *p = name; *p; p++)
        exhv_buf_putc(&b, *p == '\\' || *p == '/' || *p == ':' ? '_' : *p);
    w = exhv_utf8_to_w(exhv_buf_str(&b));
    exhv_buf_release(&b);
    if (!w || !(l = malloc(sizeof(*l)))) {
        free(w);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    l->mutex = CreateMutexW(NULL, FALSE, w);
    free(w);
    if (!l->mutex) {
        DWORD e = GetLastError();
        free(l);
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot create the exhv lock");
        exhv_error_platform(err, EXHV_PLAT_WIN32, e, "CreateMutexW");
        return -1;
    }
    wait = WaitForSingleObject(l->mutex, 0);
    if (wait != WAIT_OBJECT_0 && wait != WAIT_ABANDONED) {
        CloseHandle(l->mutex);
        free(l);
        return exhv_error_set(err, EXHV_E_FAILED,
                              "another exhv is changing this host right now (lock %s); wait for "
                              "it to finish and try again", name);
    }
    *out = l;
    return 0;
}

void exhv_lock_release(exhv_lock *l)
{
    if (!l)
        return;
    ReleaseMutex(l->mutex);
    CloseHandle(l->mutex);
    free(l);
}

void exhv_sleep_ms(unsigned ms)
{
    Sleep(ms);
}

unsigned long long exhv_clock_ms(void)
{
    return (unsigned long long)GetTickCount64();
}

int exhv_fs_write_atomic(const char *path, const char *data, size_t len, exhv_error *err)
{
    exhv_buf tmp = EXHV_BUF_INIT;
    wchar_t *wtmp = NULL, *wpath = NULL;
    HANDLE h;
    DWORD done = 0, e;
    int rc = -1;

    exhv_buf_printf(&tmp, "%s.tmp%lu", path, (unsigned long)GetCurrentProcessId());
    if (!(wtmp = exhv_utf8_to_w(exhv_buf_str(&tmp))) || !(wpath = exhv_utf8_to_w(path))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        goto fail;
    if (!WriteFile(h, data, (DWORD)len, &done, NULL) || done != len || !FlushFileBuffers(h)) {
        e = GetLastError();
        CloseHandle(h);
        SetLastError(e);
        goto fail;
    }
    CloseHandle(h);
    if (!MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        goto fail;
    rc = 0;
    goto out;
fail:
    e = GetLastError();
    DeleteFileW(wtmp);
    exhv_error_set(err, EXHV_E_IO, "cannot write %s", path);
    exhv_error_platform(err, EXHV_PLAT_WIN32, e, "");
out:
    free(wtmp);
    free(wpath);
    exhv_buf_release(&tmp);
    return rc;
}
