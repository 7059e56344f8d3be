/* Home: a banner, the system (OS, architecture, CPU, memory, GPUs) and the
 * application (version, build date, connection). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "exhv_version.h"
#include "gui/gui.h"

#define MAX_ROWS 24

typedef struct home {
    gui_scroll scroll;
    HWND head_sys, head_app;
    HWND key[MAX_ROWS], val[MAX_ROWS];
    int nrows, nsys;
} home;

static void add_row(HWND hwnd, home *p, UINT label, const wchar_t *value)
{
    if (p->nrows >= MAX_ROWS)
        return;
    p->key[p->nrows] = gui_label(hwnd, label ? gui_s(label) : L"", GUI_ID_SUBTLE, 0);
    p->val[p->nrows] = gui_label(hwnd, value, 0, 0);
    p->nrows++;
}

static void fill(HWND hwnd, void *vp)
{
    home *p = vp;
    wchar_t v[1024], w[512];
    for (int i = 0; i < p->nrows; i++) {
        DestroyWindow(p->key[i]);
        DestroyWindow(p->val[i]);
    }
    p->nrows = 0;
    if (g.host) {
        const exhv_sysinfo *s = &g.host->sys;
        gui_w(w, 512, s->computer_name);
        add_row(hwnd, p, IDS_HOST_NAME, w);
        gui_w(w, 512, s->os_caption);
        swprintf(v, 1024, L"%ls (%u)", w, s->build);
        add_row(hwnd, p, IDS_OS, v);
        gui_w(v, 1024, s->arch);
        add_row(hwnd, p, IDS_ARCH, v);
        gui_w(w, 512, s->cpu_name);
        if (s->cpu_mhz && !wcsstr(w, L"GHz"))
            swprintf(v, 1024, L"%ls @ %.2f GHz", w, s->cpu_mhz / 1000.0);
        else
            swprintf(v, 1024, L"%ls", w);
        add_row(hwnd, p, IDS_CPU, v);
        swprintf(v, 1024, L"%.0f GB", (double)s->memory_bytes / (1024.0 * 1024 * 1024));
        add_row(hwnd, p, IDS_MEMORY, v);
        for (size_t i = 0; i < g.host->ngpus && i < 6; i++) {
            gui_w(w, 512, g.host->gpus[i].name);
            if (g.host->gpus[i].disabled)
                swprintf(v, 1024, L"%ls (%ls)", w, gui_s(IDS_DISABLED));
            else
                swprintf(v, 1024, L"%ls", w);
            add_row(hwnd, p, i ? 0 : IDS_GPUS, v);
        }
    } else if (g.loading) {
        add_row(hwnd, p, IDS_CONNECTION, gui_s(IDS_READING));
    } else {
        gui_w(v, 1024, g.error);
        add_row(hwnd, p, IDS_CONNECTION, v);
    }
    p->nsys = p->nrows;
    add_row(hwnd, p, IDS_VERSION, L"" EXHV_VERSION);
    gui_build_date(v, 1024);
    add_row(hwnd, p, IDS_BUILD_DATE, v);
    gui_w(v, 1024, g.conn && g.conn->uri ? g.conn->uri : g.uri ? g.uri : exhv_conn_default_uri());
    add_row(hwnd, p, IDS_CONNECTION, v);
}

static int banner_h(void)
{
    return gui_px(120);
}

static void layout(HWND hwnd, void *vp)
{
    home *p = vp;
    RECT r;
    int m = gui_px(24), y, kw = gui_px(150), row = gui_px(30), width;
    GetClientRect(hwnd, &r);
    width = r.right - 2 * m;
    y = m + banner_h() + gui_px(20) - p->scroll.pos;
    gui_place(p->head_sys, m, y, width, gui_px(36));
    y += gui_px(44);
    for (int i = 0; i < p->nrows; i++) {
        int h;
        if (i == p->nsys) {
            y += gui_px(12);
            gui_place(p->head_app, m, y, width, gui_px(36));
            y += gui_px(44);
        }
        {
            wchar_t t[1024];
            GetWindowTextW(p->val[i], t, 1024);
            h = gui_text_height(g.font, t, width - kw - gui_px(16));
            if (h < row - gui_px(8))
                h = row - gui_px(8);
        }
        gui_place(p->key[i], m + gui_px(16), y, kw, row - gui_px(8));
        gui_place(p->val[i], m + gui_px(16) + kw, y, width - kw - gui_px(16), h);
        y += h + gui_px(8);
    }
    p->scroll.content = y + p->scroll.pos + m;
    gui_scroll_update(hwnd, &p->scroll);
}

static void paint_banner(HWND hwnd, HDC dc, home *p)
{
    RECT r, b;
    TRIVERTEX v[2];
    GRADIENT_RECT gr = {0, 1};
    HRGN clip;
    GetClientRect(hwnd, &r);
    b = (RECT){gui_px(24), gui_px(24) - p->scroll.pos, r.right - gui_px(24),
               gui_px(24) + banner_h() - p->scroll.pos};
    /* A quiet blue band, darker to the right (the seed has a landscape). */
    v[0] = (TRIVERTEX){b.left, b.top, 0x1f00, 0x5a00, 0xa800, 0xff00};
    v[1] = (TRIVERTEX){b.right, b.bottom, 0x0c00, 0x2a00, 0x5c00, 0xff00};
    clip = CreateRoundRectRgn(b.left, b.top, b.right + 1, b.bottom + 1, gui_px(12), gui_px(12));
    SelectClipRgn(dc, clip);
    GradientFill(dc, v, 2, &gr, 1, GRADIENT_FILL_RECT_H);
    SelectClipRgn(dc, NULL);
    DeleteObject(clip);
    SetBkMode(dc, TRANSPARENT);
    SetTextColor(dc, RGB(255, 255, 255));
    SelectObject(dc, g.font_banner);
    r = b;
    r.left += gui_px(28);
    r.top += gui_px(18);
    DrawTextW(dc, gui_s(IDS_APP_NAME), -1, &r, DT_SINGLELINE | DT_NOPREFIX);
    SelectObject(dc, g.font_title);
    r.top = b.bottom - gui_px(48);
    DrawTextW(dc, gui_s(IDS_TAGLINE), -1, &r, DT_SINGLELINE | DT_NOPREFIX | DT_END_ELLIPSIS);
}

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    home *p = (home *)GetWindowLongPtrW(hwnd, 0);
    switch (msg) {
    case WM_CREATE:
        if (!(p = gui_page_new(hwnd, sizeof(*p))))
            return -1;
        p->head_sys = gui_heading(hwnd, gui_s(IDS_SYSTEM), 0);
        p->head_app = gui_heading(hwnd, gui_s(IDS_APP), 0);
        fill(hwnd, p);
        return 0;
    case WM_PAINT: {
        PAINTSTRUCT ps;
        HDC dc = BeginPaint(hwnd, &ps);
        paint_banner(hwnd, dc, p);
        EndPaint(hwnd, &ps);
        return 0;
    }
    default:
        break;
    }
    return gui_page_default(hwnd, msg, wp, lp, &gui_page_home);
}

const gui_page_def gui_page_home = {L"exhv.page.home", proc, 1, fill, layout};
