#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "core/buf.h"
#include "platform/lock.h"
#include "platform/win32/utf16.h"

struct exhv_lock {
    HANDLE mutex;
};

/* A named mutex: released by Windows even when the process dies. Global\
 * makes it one per machine, across sessions (a second user's exhv, a
 * service); names may not contain backslashes, so a path is folded into
 * one, and lowercased, as Windows paths compare without regard to case. */
int exhv_lock_acquire(const char *name, exhv_lock **out, exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_lock *l;
    wchar_t *w;
    DWORD wait;

    exhv_buf_puts(&b, "Global\\exhv-lock-");
    for (const char *p = name; *p; p++)
        exhv_buf_putc(&b, *p == '\\' || *p == '/' || *p == ':' ? '_' : *p);
    w = exhv_utf8_to_w(exhv_buf_str(&b));
    exhv_buf_release(&b);
    for (wchar_t *q = w ? w + 7 : NULL; q && *q; q++)   /* after "Global\\" */
        *q = (wchar_t)towlower(*q);
    if (!w || !(l = malloc(sizeof(*l)))) {
        free(w);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    l->mutex = CreateMutexW(NULL, FALSE, w);
    /* On a mutex that exists, CreateMutexW asks for MUTEX_ALL_ACCESS and
     * fails with ERROR_ACCESS_DENIED when its DACL (from the creator's
     * token: an elevated exhv, a service) grants less; OpenMutexW with
     * SYNCHRONIZE, all a mutex needs, then opens it (learn.microsoft.com,
     * CreateMutexW, Return value; OpenMutexW, dwDesiredAccess). */
    if (!l->mutex && GetLastError() == ERROR_ACCESS_DENIED)
        l->mutex = OpenMutexW(SYNCHRONIZE, FALSE, w);
    if (!l->mutex) {
        DWORD e = GetLastError();
        free(w);
        free(l);
        if (e == ERROR_ACCESS_DENIED)
            /* It exists (a handle is open only while an exhv holds it) and
             * this process may not even wait on it. */
            exhv_error_set(err, EXHV_E_BUSY,
                           "another exhv, run as a different user or as administrator, is "
                           "changing this host right now (lock %s); wait for it to finish and "
                           "try again", name);
        else
            exhv_error_set(err, EXHV_E_PLATFORM, "cannot create the exhv lock");
        exhv_error_platform(err, EXHV_PLAT_WIN32, e,
                            e == ERROR_ACCESS_DENIED ? "OpenMutexW" : "CreateMutexW");
        return -1;
    }
    free(w);
    wait = WaitForSingleObject(l->mutex, 0);
    if (wait != WAIT_OBJECT_0 && wait != WAIT_ABANDONED) {
        CloseHandle(l->mutex);
        free(l);
        return exhv_error_set(err, EXHV_E_BUSY,
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

unsigned long exhv_process_id(void)
{
    return (unsigned long)GetCurrentProcessId();
}

void exhv_sleep_ms(unsigned ms)
{
    Sleep(ms);
}

unsigned long long exhv_clock_ms(void)
{
    return (unsigned long long)GetTickCount64();
}
