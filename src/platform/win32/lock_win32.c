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
