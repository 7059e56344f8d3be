#include <windows.h>

#include <string.h>

#include "platform/fs.h"
#include "platform/interrupt.h"
#include "platform/scratch.h"
#include "platform/win32/utf16.h"

static volatile LONG requests;
static char message[1024] = "\r\nexhv: stopping now would leave the host half-changed; press "
                            "Ctrl-C again to stop anyway.\r\n";

/* Runs on its own thread (Windows starts one for each event). */
static BOOL WINAPI on_event(DWORD type)
{
    LONG n = InterlockedIncrement(&requests);
    DWORD done;
    if (n == 2) {
        WriteFile(GetStdHandle(STD_ERROR_HANDLE), message, (DWORD)strlen(message), &done, NULL);
    } else if (n >= 3) {
        const char *tmp = exhv_fs_pending_temp();
        wchar_t *w = tmp ? exhv_utf8_to_w(tmp) : NULL;
        if (w)
            DeleteFileW(w);
        exhv_scratch_remove_all_now();
        /* Not ExitProcess: it runs the DLLs' detach code on this thread
         * while the main thread may hold a lock they take (the ExitProcess
         * page warns of that deadlock). */
        TerminateProcess(GetCurrentProcess(), 130);
    }
    if (type == CTRL_CLOSE_EVENT || type == CTRL_LOGOFF_EVENT || type == CTRL_SHUTDOWN_EVENT) {
        /* Windows ends the process when this returns (at the latest after
         * about 5 s): give the running step and the undo that time. */
        Sleep(4500);
        /* The process ends now, whatever it was doing: its scratch
         * folders go with it. */
        exhv_scratch_remove_all_now();
    }
    return TRUE;
}

void exhv_interrupt_install(void)
{
    SetConsoleCtrlHandler(on_event, TRUE);
}

int exhv_interrupt_requested(void)
{
    return (int)requests;
}

void exhv_interrupt_request(void)
{
    InterlockedIncrement(&requests);
}

void exhv_interrupt_reset(void)
{
    InterlockedExchange(&requests, 0);
}

void exhv_interrupt_set_message(const char *msg)
{
    if (msg) {
        size_t n = strlen(msg);
        if (n >= sizeof(message))
            n = sizeof(message) - 1;
        memcpy(message, msg, n);
        message[n] = '\0';
    }
}
