/* A test's hands and eyes on exhv-gui under Wine:
 *   probe wait [SECONDS]      wait until the main window exists, has
 *                             handled every message sent before and waits
 *                             for no snapshot or plan (exit 0)
 *   probe wait-result [SECONDS]  wait until an operation window shows its
 *                             result (its Close button visible, Stop hidden)
 *   probe text ID             print the operation window's control ID text
 *   probe ping SECONDS        send WM_NULL to the main window and to the
 *                             operation window (when one is open) every 10 ms
 *                             for SECONDS; print the slowest answer in ms and
 *                             the number sent; exit 1 when one took > 100 ms
 *   probe click ID            click the operation window's button ID (BM_CLICK)
 *   probe shot FILE.bmp       capture the screen as Wine composes it (owned
 *                             windows included) to a 24-bit BMP
 *   probe rows ID             print the number of rows of the main window's
 *                             list (or list box) ID
 *   probe main-text ID        print the text of the main window's control ID
 *                             (IDC_STATUSBAR: the status line)
 *   probe pixel X Y           print the colour (RRGGBB) at X, Y of the main
 *                             window's client area
 *   probe style ID            print the window style of the main window's
 *                             control ID, in hex
 *   probe size W H            make the main window W x H pixels
 *   probe dwm                 what this Wine does with a dark title bar and
 *                             visual styles: DwmSetWindowAttribute's answer
 *                             to attributes 20 and 19 on a window of its own,
 *                             and IsThemeActive
 *   probe count CLASS         print how many top-level windows of CLASS are open
 *   probe busy                print 1 when the main window (or the operation
 *                             window) waits for the host, else 0
 *   probe focus               print the window with the keyboard focus:
 *                             its class, control ID and top-level window's class
 *   probe close               ask the main window to close
 * Not part of exhv: only the tests build it. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "res/ids.h"

/* As src/gui/gui.h: a window answers 1 while it waits for the host. */
#define UM_BUSY (WM_APP + 7)

static HWND main_window(void)
{
    return FindWindowW(L"exhv.main", NULL);
}

static HWND op_window(void)
{
    return FindWindowW(L"exhv.op", NULL);
}

static int settled(HWND h)
{
    DWORD_PTR r;
    return h && SendMessageTimeoutW(h, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, 5000, &r) != 0;
}

/* Settled, and not waiting for the host (a refresh or a plan being made
 * on a worker). */
static int idle(HWND h)
{
    DWORD_PTR r = 1;
    return settled(h) && SendMessageTimeoutW(h, UM_BUSY, 0, 0, SMTO_ABORTIFHUNG, 5000, &r) &&
           r == 0;
}

static int wait_main(double seconds)
{
    ULONGLONG end = GetTickCount64() + (ULONGLONG)(seconds * 1000);
    do {
        HWND h = main_window(), op = op_window();
        if (h && IsWindowVisible(h) && idle(h) && (!op || idle(op))) {
            /* Let the last paints through. */
            RedrawWindow(h, NULL, NULL, RDW_INVALIDATE | RDW_ALLCHILDREN | RDW_UPDATENOW | RDW_FRAME);
            if (op)
                RedrawWindow(op, NULL, NULL,
                             RDW_INVALIDATE | RDW_ALLCHILDREN | RDW_UPDATENOW | RDW_FRAME);
            settled(h);
            return 0;
        }
        Sleep(50);
    } while (GetTickCount64() < end);
    fprintf(stderr, "probe: no exhv-gui window after %.0f s\n", seconds);
    return 1;
}

static int wait_result(double seconds)
{
    ULONGLONG end = GetTickCount64() + (ULONGLONG)(seconds * 1000);
    do {
        HWND op = op_window();
        if (op && idle(op) && IsWindowVisible(GetDlgItem(op, IDC_CLOSE)) &&
            !IsWindowVisible(GetDlgItem(op, IDC_STOP)) && !IsWindowVisible(GetDlgItem(op, IDC_RUN)))
            return 0;
        Sleep(50);
    } while (GetTickCount64() < end);
    fprintf(stderr, "probe: no operation result after %.0f s\n", seconds);
    return 1;
}

/* A control of the main window or of its page, by ID. */
static HWND main_control(int id)
{
    HWND h = main_window(), c, page = NULL;
    if (!h)
        return NULL;
    if ((c = GetDlgItem(h, id)))
        return c;
    while ((page = FindWindowExW(h, page, NULL, NULL)))
        if ((c = GetDlgItem(page, id)))
            return c;
    return NULL;
}

static int text(int id)
{
    HWND op = op_window();
    wchar_t buf[16384];
    char out[65536];
    if (!op) {
        fprintf(stderr, "probe: no operation window\n");
        return 1;
    }
    /* WM_GETTEXT: GetWindowText does not ask a window of another process. */
    SendMessageW(GetDlgItem(op, id), WM_GETTEXT, 16384, (LPARAM)buf);
    WideCharToMultiByte(CP_UTF8, 0, buf, -1, out, sizeof(out), NULL, NULL);
    fputs(out, stdout);
    fputc('\n', stdout);
    return 0;
}

static int ping(double seconds)
{
    ULONGLONG end = GetTickCount64() + (ULONGLONG)(seconds * 1000);
    LARGE_INTEGER f, a, b;
    double worst = 0;
    unsigned long sent = 0, op_sent = 0;
    QueryPerformanceFrequency(&f);
    while (GetTickCount64() < end) {
        HWND targets[2] = {main_window(), op_window()};
        for (int i = 0; i < 2; i++) {
            DWORD_PTR r;
            double ms;
            if (!targets[i])
                continue;
            QueryPerformanceCounter(&a);
            if (!SendMessageTimeoutW(targets[i], WM_NULL, 0, 0, SMTO_NORMAL, 2000, &r)) {
                if (!IsWindow(targets[i]))
                    continue;   /* closed meanwhile */
                printf("no answer within 2000 ms\n");
                return 1;
            }
            QueryPerformanceCounter(&b);
            ms = (double)(b.QuadPart - a.QuadPart) * 1000.0 / (double)f.QuadPart;
            if (ms > worst)
                worst = ms;
            sent++;
            op_sent += i == 1;
        }
        Sleep(10);
    }
    printf("%lu messages (%lu to the operation window), slowest answer %.1f ms\n", sent, op_sent,
           worst);
    return worst > 100.0 || sent == 0;
}

static int shot(const char *path)
{
    int w = GetSystemMetrics(SM_CXSCREEN), h = GetSystemMetrics(SM_CYSCREEN);
    HDC screen = GetDC(NULL), mem = CreateCompatibleDC(screen);
    BITMAPINFO bi = {0};
    void *bits = NULL;
    HBITMAP bmp;
    BITMAPFILEHEADER fh = {0};
    DWORD stride = ((DWORD)w * 3 + 3) & ~3u, size = stride * (DWORD)h;
    FILE *f;
    bi.bmiHeader.biSize = sizeof(bi.bmiHeader);
    bi.bmiHeader.biWidth = w;
    bi.bmiHeader.biHeight = h;
    bi.bmiHeader.biPlanes = 1;
    bi.bmiHeader.biBitCount = 24;
    bmp = CreateDIBSection(screen, &bi, DIB_RGB_COLORS, &bits, NULL, 0);
    SelectObject(mem, bmp);
    BitBlt(mem, 0, 0, w, h, screen, 0, 0, SRCCOPY);
    GdiFlush();
    fh.bfType = 0x4d42;
    fh.bfOffBits = sizeof(fh) + sizeof(bi.bmiHeader);
    fh.bfSize = fh.bfOffBits + size;
    f = fopen(path, "wb");
    if (!f)
        return 1;
    fwrite(&fh, sizeof(fh), 1, f);
    fwrite(&bi.bmiHeader, sizeof(bi.bmiHeader), 1, f);
    fwrite(bits, 1, size, f);
    fclose(f);
    DeleteObject(bmp);
    DeleteDC(mem);
    ReleaseDC(NULL, screen);
    return 0;
}

int main(int argc, char **argv)
{
    double secs = argc > 2 ? atof(argv[2]) : 20;
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "wait") == 0)
        return wait_main(secs);
    if (strcmp(argv[1], "wait-result") == 0)
        return wait_result(secs);
    if (strcmp(argv[1], "text") == 0 && argc > 2)
        return text(atoi(argv[2]));
    if (strcmp(argv[1], "ping") == 0)
        return ping(secs);
    if (strcmp(argv[1], "rows") == 0 && argc > 2) {
        HWND c = main_control(atoi(argv[2]));
        wchar_t cls[64] = L"";
        DWORD_PTR n = 0;
        if (!c)
            return 1;
        GetClassNameW(c, cls, 64);
        SendMessageTimeoutW(c, wcscmp(cls, L"ListBox") == 0 ? LB_GETCOUNT : 0x1004 /* LVM_GETITEMCOUNT */,
                            0, 0, SMTO_NORMAL, 2000, &n);
        printf("%lu\n", (unsigned long)n);
        return 0;
    }
    if (strcmp(argv[1], "main-text") == 0 && argc > 2) {
        HWND c = main_control(atoi(argv[2]));
        wchar_t buf[4096] = L"";
        char out[16384];
        if (!c)
            return 1;
        SendMessageW(c, WM_GETTEXT, 4096, (LPARAM)buf);
        WideCharToMultiByte(CP_UTF8, 0, buf, -1, out, sizeof(out), NULL, NULL);
        printf("%s\n", out);
        return 0;
    }
    if (strcmp(argv[1], "pixel") == 0 && argc > 3) {
        HWND h = main_window();
        POINT pt = {atoi(argv[2]), atoi(argv[3])};
        HDC dc;
        COLORREF c;
        if (!h)
            return 1;
        ClientToScreen(h, &pt);
        dc = GetDC(NULL);
        c = GetPixel(dc, pt.x, pt.y);
        ReleaseDC(NULL, dc);
        printf("%02x%02x%02x\n", GetRValue(c), GetGValue(c), GetBValue(c));
        return 0;
    }
    if (strcmp(argv[1], "style") == 0 && argc > 2) {
        HWND c = main_control(atoi(argv[2]));
        if (!c)
            return 1;
        printf("%08lx\n", (unsigned long)GetWindowLongW(c, GWL_STYLE));
        return 0;
    }
    if (strcmp(argv[1], "size") == 0 && argc > 3) {
        HWND h = main_window();
        DWORD_PTR r;
        if (!h)
            return 1;
        SetWindowPos(h, NULL, 0, 0, atoi(argv[2]), atoi(argv[3]), SWP_NOMOVE | SWP_NOZORDER);
        SendMessageTimeoutW(h, WM_NULL, 0, 0, SMTO_NORMAL, 5000, &r);
        return 0;
    }
    if (strcmp(argv[1], "dwm") == 0) {
        typedef HRESULT(WINAPI * set_fn)(HWND, DWORD, LPCVOID, DWORD);
        typedef BOOL(WINAPI * active_fn)(void);
        HMODULE dwm = LoadLibraryW(L"dwmapi.dll"), ux = LoadLibraryW(L"uxtheme.dll");
        set_fn set = dwm ? (set_fn)(void (*)(void))GetProcAddress(dwm, "DwmSetWindowAttribute") : NULL;
        active_fn active = ux ? (active_fn)(void (*)(void))GetProcAddress(ux, "IsThemeActive") : NULL;
        HWND w = CreateWindowExW(0, L"STATIC", L"", WS_OVERLAPPEDWINDOW, 0, 0, 10, 10, NULL, NULL,
                                 NULL, NULL);
        BOOL on = TRUE;
        if (!set || !w)
            return 1;
        printf("DwmSetWindowAttribute 20: 0x%08lx, 19: 0x%08lx; IsThemeActive: %d\n",
               (unsigned long)set(w, 20, &on, sizeof(on)), (unsigned long)set(w, 19, &on, sizeof(on)),
               active ? (int)active() : -1);
        DestroyWindow(w);
        return 0;
    }
    if (strcmp(argv[1], "count") == 0 && argc > 2) {
        wchar_t cls[128];
        int n = 0;
        HWND h = NULL;
        MultiByteToWideChar(CP_UTF8, 0, argv[2], -1, cls, 128);
        while ((h = FindWindowExW(NULL, h, cls, NULL)))
            n++;
        printf("%d\n", n);
        return 0;
    }
    if (strcmp(argv[1], "busy") == 0) {
        HWND h = main_window(), op = op_window();
        DWORD_PTR a = 0, b = 0;
        if (!h)
            return 1;
        SendMessageTimeoutW(h, UM_BUSY, 0, 0, SMTO_NORMAL, 2000, &a);
        if (op)
            SendMessageTimeoutW(op, UM_BUSY, 0, 0, SMTO_NORMAL, 2000, &b);
        printf("%d\n", a || b);
        return 0;
    }
    if (strcmp(argv[1], "focus") == 0) {
        GUITHREADINFO gi;
        memset(&gi, 0, sizeof(gi));
        gi.cbSize = sizeof(gi);
        HWND h = main_window();
        wchar_t cls[64] = L"", top[64] = L"";
        if (!h || !GetGUIThreadInfo(GetWindowThreadProcessId(h, NULL), &gi) || !gi.hwndFocus) {
            printf("none\n");
            return 1;
        }
        GetClassNameW(gi.hwndFocus, cls, 64);
        GetClassNameW(GetAncestor(gi.hwndFocus, GA_ROOT), top, 64);
        {
            wchar_t fg[64] = L"";
            GetClassNameW(GetForegroundWindow(), fg, 64);
            printf("%ls %d in %ls (foreground %ls, active %p)\n", cls, GetDlgCtrlID(gi.hwndFocus),
                   top, fg, (void *)gi.hwndActive);
        }
        return 0;
    }
    if (strcmp(argv[1], "shot") == 0 && argc > 2)
        return shot(argv[2]);
    if (strcmp(argv[1], "click") == 0 && argc > 2) {
        HWND op = op_window();
        if (!op)
            return 1;
        SendMessageW(GetDlgItem(op, atoi(argv[2])), BM_CLICK, 0, 0);
        return 0;
    }
    if (strcmp(argv[1], "close") == 0) {
        HWND h = main_window();
        if (h)
            PostMessageW(h, WM_CLOSE, 0, 0);
        return h ? 0 : 1;
    }
    return 2;
}
