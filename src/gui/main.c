/* exhv-gui: the main window. A navigation list on the left, the page on the
 * right, a status line naming the connection. The window procedure is a
 * switch over messages; work that changes the host runs on a worker thread
 * (ops.c) and comes back as posted messages. */
#include <windows.h>
#include <commctrl.h>
#include <dwmapi.h>
#include <process.h>
#include <shellapi.h>
#include <uxtheme.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "exhv_version.h"
#include "core/i18n.h"
#include "gui/gui.h"
#include "hyperv/win/winports.h"
#include "platform/win32/utf16.h"

gui_app g;

static const wchar_t MAIN_CLASS[] = L"exhv.main";
static const wchar_t SETTINGS_KEY[] = L"Software\\exhv\\gui";
static wchar_t *strings[IDS__COUNT];

/* ---------------------------------------------------------------- strings */

static LANGID lang_id(void)
{
    return g.lang == GUI_LANG_ZH ? MAKELANGID(LANG_CHINESE, SUBLANG_CHINESE_SIMPLIFIED)
                                 : MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);
}

/* A string table holds 16 strings per block, each a length and UTF-16
 * units; FindResourceEx picks the block of one language, whatever the
 * thread's UI language. */
static wchar_t *load_string(UINT id)
{
    HRSRC r = FindResourceExW(g.inst, MAKEINTRESOURCEW(RT_STRING), MAKEINTRESOURCEW(id / 16 + 1),
                              lang_id());
    HGLOBAL hg = r ? LoadResource(g.inst, r) : NULL;
    const WCHAR *p = hg ? (const WCHAR *)LockResource(hg) : NULL;
    wchar_t *out;
    if (!p)
        return NULL;
    for (UINT i = 0; i < id % 16; i++)
        p += 1 + *p;
    if (!(out = calloc((size_t)*p + 1, sizeof(wchar_t))))
        return NULL;
    memcpy(out, p + 1, (size_t)*p * sizeof(wchar_t));
    return out;
}

const wchar_t *gui_s(UINT id)
{
    if (id >= IDS__COUNT)
        return L"";
    if (!strings[id])
        strings[id] = load_string(id);
    return strings[id] ? strings[id] : L"";
}

static void strings_reset(void)
{
    for (size_t i = 0; i < IDS__COUNT; i++) {
        free(strings[i]);
        strings[i] = NULL;
    }
}

/* Our own tiny formatter: %s takes a wide string, %u an unsigned; the
 * translations keep the same order as the English. */
void gui_fmt(wchar_t *out, size_t n, UINT id, ...)
{
    const wchar_t *f = gui_s(id);
    size_t o = 0;
    va_list ap;
    va_start(ap, id);
    for (; *f && o + 1 < n; f++) {
        if (f[0] == '%' && f[1] == 's') {
            const wchar_t *s = va_arg(ap, const wchar_t *);
            while (s && *s && o + 1 < n)
                out[o++] = *s++;
            f++;
        } else if (f[0] == '%' && f[1] == 'u') {
            wchar_t num[16];
            swprintf(num, 16, L"%u", va_arg(ap, unsigned));
            for (const wchar_t *s = num; *s && o + 1 < n;)
                out[o++] = *s++;
            f++;
        } else {
            out[o++] = *f;
        }
    }
    out[o] = 0;
    va_end(ap);
}

void gui_build_date(wchar_t *out, size_t n)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const char *d = __DATE__, *t = __TIME__;   /* "Nov 24 2026", "02:39:59" */
    int m = 0;
    for (int i = 0; i < 12; i++)
        if (strncmp(months + 3 * i, d, 3) == 0)
            m = i + 1;
    swprintf(out, n, L"%.4hs-%02d-%02d %.5hs", d + 7, m, atoi(d + 4), t);
}

void gui_w(wchar_t *out, size_t n, const char *utf8)
{
    if (!n)
        return;
    out[0] = 0;
    if (utf8 && !MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, (int)n)) {
        /* Too long: convert what fits. */
        int len = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
        wchar_t *tmp = len > 0 ? calloc((size_t)len, sizeof(wchar_t)) : NULL;
        if (tmp && MultiByteToWideChar(CP_UTF8, 0, utf8, -1, tmp, len)) {
            wcsncpy(out, tmp, n - 1);
            out[n - 1] = 0;
        }
        free(tmp);
    }
}

wchar_t *gui_wdup(const char *utf8)
{
    wchar_t *w = exhv_utf8_to_w(utf8 ? utf8 : "");
    return w ? w : calloc(1, sizeof(wchar_t));
}

/* ------------------------------------------------------------ look */

int gui_px(int dip)
{
    return MulDiv(dip, (int)g.dpi, 96);
}

static int windows_uses_dark(void)
{
    DWORD v = 1, sz = sizeof(v);
    if (RegGetValueW(HKEY_CURRENT_USER,
                     L"Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                     L"AppsUseLightTheme", RRF_RT_REG_DWORD, NULL, &v, &sz) != ERROR_SUCCESS)
        return 0;
    return v == 0;
}

static void colors_set(void)
{
    g.dark = g.theme == GUI_THEME_DARK || (g.theme == GUI_THEME_FOLLOW && windows_uses_dark());
    if (g.dark)
        g.c = (gui_colors){
            .bg = RGB(0x20, 0x20, 0x20), .panel = RGB(0x2b, 0x2b, 0x2b),
            .nav = RGB(0x1a, 0x1a, 0x1a), .text = RGB(0xf2, 0xf2, 0xf2),
            .subtle = RGB(0xb4, 0xb4, 0xb4), .accent = RGB(0x4c, 0xc2, 0xff),
            .accent_text = RGB(0x00, 0x00, 0x00), .border = RGB(0x45, 0x45, 0x45),
            .pass = RGB(0x6c, 0xcb, 0x5f), .warn = RGB(0xfc, 0xc6, 0x2a),
            .fail = RGB(0xff, 0x8a, 0x80), .warn_bg = RGB(0x43, 0x35, 0x19),
            .bar_bg = RGB(0x45, 0x45, 0x45), .sel = RGB(0x3a, 0x3d, 0x45)};
    else
        g.c = (gui_colors){
            .bg = RGB(0xf3, 0xf3, 0xf3), .panel = RGB(0xff, 0xff, 0xff),
            .nav = RGB(0xe8, 0xe8, 0xe8), .text = RGB(0x1b, 0x1b, 0x1b),
            .subtle = RGB(0x5c, 0x5c, 0x5c), .accent = RGB(0x00, 0x5f, 0xb8),
            .accent_text = RGB(0xff, 0xff, 0xff), .border = RGB(0xd0, 0xd0, 0xd0),
            .pass = RGB(0x0f, 0x7b, 0x0f), .warn = RGB(0x9d, 0x5d, 0x00),
            .fail = RGB(0xc4, 0x2b, 0x1c), .warn_bg = RGB(0xff, 0xf4, 0xce),
            .bar_bg = RGB(0xdd, 0xdd, 0xdd), .sel = RGB(0xd5, 0xe4, 0xf5)};
    if (g.br_bg)
        DeleteObject(g.br_bg);
    if (g.br_panel)
        DeleteObject(g.br_panel);
    if (g.br_nav)
        DeleteObject(g.br_nav);
    g.br_bg = CreateSolidBrush(g.c.bg);
    g.br_panel = CreateSolidBrush(g.c.panel);
    g.br_nav = CreateSolidBrush(g.c.nav);
}

static HFONT make_font_for(gui_lang lang, int pt, int weight)
{
    /* Segoe UI for Latin scripts; Microsoft YaHei UI, whose Latin letters
     * match, for Chinese (Windows' own UI fonts). */
    const wchar_t *face = lang == GUI_LANG_ZH ? L"Microsoft YaHei UI" : L"Segoe UI";
    return CreateFontW(-MulDiv(pt, (int)g.dpi, 72), 0, 0, 0, weight, 0, 0, 0,
                       lang == GUI_LANG_ZH ? GB2312_CHARSET : DEFAULT_CHARSET,
                       OUT_DEFAULT_PRECIS, CLIP_DEFAULT_PRECIS, CLEARTYPE_QUALITY,
                       DEFAULT_PITCH | FF_SWISS, face);
}

static HFONT make_font(int pt, int weight)
{
    return make_font_for(g.lang, pt, weight);
}

static void fonts_set(void)
{
    HFONT *all[] = {&g.font, &g.font_bold, &g.font_title, &g.font_banner, &g.font_small,
                    &g.font_zh};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (*all[i])
            DeleteObject(*all[i]);
    g.font = make_font(10, FW_NORMAL);
    g.font_bold = make_font(10, FW_SEMIBOLD);
    g.font_title = make_font(16, FW_SEMIBOLD);
    g.font_banner = make_font(24, FW_SEMIBOLD);
    g.font_small = make_font(9, FW_NORMAL);
    g.font_zh = make_font_for(GUI_LANG_ZH, 10, FW_NORMAL);
}

/* Dark title bar: DWMWA_USE_IMMERSIVE_DARK_MODE is 20 from Windows 10 20H1
 * (build 19041) and was 19 in builds 17763 to 18363; each build refuses the
 * number it does not know, so both are asked. Under Wine 8 both answer
 * S_OK and change nothing: its frames keep the system colours (probe dwm). */
void gui_title_bar(HWND hwnd)
{
    BOOL dark = g.dark;
    DwmSetWindowAttribute(hwnd, 20, &dark, sizeof(dark));
    DwmSetWindowAttribute(hwnd, 19, &dark, sizeof(dark));
}

/* A control's scroll bars (and an edit's frame) dark in the dark theme:
 * the DarkMode_Explorer class of Windows 10 1809 and later. Wine's visual
 * style (IsThemeActive answers 1) has no such class; there the controls
 * are left as they are, their scroll bars in the system's light colours
 * (drawing them unthemed instead changed nothing for the better: the share
 * field and the GPU list of the Add GPU window stayed white). */
void gui_dark_controls(HWND h)
{
    if (exhv_wine_version())
        return;
    SetWindowTheme(h, g.dark ? L"DarkMode_Explorer" : L"Explorer", NULL);
}

/* A flat frame in the theme's border colour over an edit's sunken 3D edge,
 * which classic controls draw in the system's (light) colours. */
static LRESULT CALLBACK flat_frame_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, UINT_PTR id,
                                        DWORD_PTR data)
{
    LRESULT r = DefSubclassProc(hwnd, msg, wp, lp);
    if (msg == WM_NCPAINT || (msg == WM_SETFOCUS || msg == WM_KILLFOCUS)) {
        HDC dc = GetWindowDC(hwnd);
        RECT w;
        HBRUSH outer = CreateSolidBrush(GetFocus() == hwnd ? g.c.accent : g.c.border);
        HBRUSH inner = CreateSolidBrush(g.c.panel);
        GetWindowRect(hwnd, &w);
        OffsetRect(&w, -w.left, -w.top);
        FrameRect(dc, &w, outer);
        InflateRect(&w, -1, -1);
        FrameRect(dc, &w, inner);
        DeleteObject(outer);
        DeleteObject(inner);
        ReleaseDC(hwnd, dc);
    }
    (void)id;
    (void)data;
    return r;
}

void gui_flat_frame(HWND edit)
{
    SetWindowSubclass(edit, flat_frame_proc, 2, 0);
}

HWND gui_label(HWND parent, const wchar_t *text, int id, DWORD style)
{
    HWND h = CreateWindowExW(0, L"STATIC", text, WS_CHILD | WS_VISIBLE | SS_NOPREFIX | style, 0, 0,
                             10, 10, parent, (HMENU)(INT_PTR)id, g.inst, NULL);
    SendMessageW(h, WM_SETFONT, (WPARAM)g.font, FALSE);
    return h;
}

HWND gui_button(HWND parent, const wchar_t *text, int id, int primary)
{
    HWND h = CreateWindowExW(0, L"BUTTON", text, WS_CHILD | WS_VISIBLE | WS_TABSTOP | BS_OWNERDRAW,
                             0, 0, 10, 10, parent, (HMENU)(INT_PTR)id, g.inst, NULL);
    SendMessageW(h, WM_SETFONT, (WPARAM)g.font, FALSE);
    SetWindowLongPtrW(h, GWLP_USERDATA, primary ? GUI_BTN_PRIMARY : 0);
    return h;
}

/* The list's header in the theme's colours: drawn here, since a classic
 * header ignores them (and DarkMode_ItemsView exists only on Windows 10
 * 1809 and later). */
static LRESULT CALLBACK header_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, UINT_PTR id,
                                   DWORD_PTR data)
{
    if (msg == WM_PAINT) {
        PAINTSTRUCT ps;
        HDC dc = BeginPaint(hwnd, &ps);
        RECT r;
        int n = Header_GetItemCount(hwnd);
        HBRUSH bg = CreateSolidBrush(g.c.panel);
        HPEN line = CreatePen(PS_SOLID, 1, g.c.border);
        HGDIOBJ op = SelectObject(dc, line);
        GetClientRect(hwnd, &r);
        FillRect(dc, &r, bg);
        MoveToEx(dc, r.left, r.bottom - 1, NULL);
        LineTo(dc, r.right, r.bottom - 1);
        SetBkMode(dc, TRANSPARENT);
        SetTextColor(dc, g.c.subtle);
        SelectObject(dc, g.font);
        for (int i = 0; i < n; i++) {
            RECT ir;
            wchar_t text[128] = L"";
            HDITEMW it = {0};
            it.mask = HDI_TEXT;
            it.pszText = text;
            it.cchTextMax = 128;
            Header_GetItem(hwnd, i, &it);
            Header_GetItemRect(hwnd, i, &ir);
            MoveToEx(dc, ir.right - 1, ir.top + gui_px(4), NULL);
            LineTo(dc, ir.right - 1, ir.bottom - gui_px(4));
            ir.left += gui_px(6);
            ir.right -= gui_px(4);
            DrawTextW(dc, text, -1, &ir, DT_SINGLELINE | DT_VCENTER | DT_END_ELLIPSIS | DT_NOPREFIX);
        }
        SelectObject(dc, op);
        DeleteObject(bg);
        DeleteObject(line);
        EndPaint(hwnd, &ps);
        return 0;
    }
    if (msg == WM_ERASEBKGND)
        return 1;
    (void)id;
    (void)data;
    return DefSubclassProc(hwnd, msg, wp, lp);
}

LRESULT gui_lv_item(NMLVCUSTOMDRAW *cd, COLORREF text, COLORREF bk)
{
    HWND lv = cd->nmcd.hdr.hwndFrom;
    int sel = ListView_GetItemState(lv, (int)cd->nmcd.dwItemSpec, LVIS_SELECTED) != 0;
    cd->clrText = text ? text : g.c.text;
    cd->clrTextBk = bk ? bk : g.c.panel;
    if (sel) {
        cd->nmcd.uItemState &= ~(UINT)(CDIS_SELECTED | CDIS_FOCUS);
        cd->clrTextBk = GetFocus() == lv ? g.c.accent : g.c.sel;
        if (GetFocus() == lv)
            cd->clrText = g.c.accent_text;
    }
    return CDRF_NEWFONT;
}

void gui_lv_fit(HWND lv)
{
    HWND hdr = ListView_GetHeader(lv);
    int n = hdr ? Header_GetItemCount(hdr) : 0;
    RECT r;
    int design[16], total = 0, avail;
    if (n <= 0 || n > 16)
        return;
    GetClientRect(lv, &r);
    /* Room for a vertical scroll bar should one come: never a horizontal
     * one for a pixel. */
    avail = r.right - GetSystemMetricsForDpi(SM_CXVSCROLL, g.dpi);
    for (int i = 0; i < n; i++) {
        HDITEMW it = {0};
        it.mask = HDI_LPARAM;
        Header_GetItem(hdr, i, &it);
        design[i] = it.lParam > 0 ? gui_px((int)it.lParam) : ListView_GetColumnWidth(lv, i);
        total += design[i];
    }
    if (avail <= 0 || total <= 0)
        return;
    if (total > avail) {
        /* Too narrow for the columns as designed (a large scale, a small
         * window): each gives up the same share, the last takes what is
         * left, and no horizontal scroll bar appears. */
        int used = 0;
        for (int i = 0; i < n - 1; i++) {
            int w = MulDiv(design[i], avail, total);
            ListView_SetColumnWidth(lv, i, w);
            used += w;
        }
        ListView_SetColumnWidth(lv, n - 1, avail - used);
        return;
    }
    for (int i = 0; i < n - 1; i++)
        ListView_SetColumnWidth(lv, i, design[i]);
    ListView_SetColumnWidth(lv, n - 1, avail - (total - design[n - 1]));
}

void gui_lv_colors(HWND lv)
{
    HWND hdr = ListView_GetHeader(lv);
    SetWindowTheme(lv, g.dark ? L"DarkMode_Explorer" : L"Explorer", NULL);
    if (hdr)
        SetWindowTheme(hdr, g.dark ? L"DarkMode_ItemsView" : L"ItemsView", NULL);
    ListView_SetBkColor(lv, g.c.panel);
    ListView_SetTextBkColor(lv, g.c.panel);
    ListView_SetTextColor(lv, g.c.text);
    if (hdr)
        SetWindowSubclass(hdr, header_proc, 1, 0);
}

HWND gui_listview(HWND parent, int id, DWORD extra_style)
{
    HWND lv = CreateWindowExW(0, WC_LISTVIEWW, L"",
                              WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_SHOWSELALWAYS |
                                  LVS_SINGLESEL | extra_style,
                              0, 0, 10, 10, parent, (HMENU)(INT_PTR)id, g.inst, NULL);
    SendMessageW(lv, WM_SETFONT, (WPARAM)g.font, FALSE);
    ListView_SetExtendedListViewStyle(lv, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER |
                                              LVS_EX_INFOTIP | LVS_EX_LABELTIP);
    gui_lv_colors(lv);
    return lv;
}

void gui_lv_column(HWND lv, int col, const wchar_t *title, int width_dip)
{
    LVCOLUMNW c = {0};
    c.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM;
    c.pszText = (wchar_t *)title;
    c.cx = gui_px(width_dip);
    c.iSubItem = col;
    ListView_InsertColumn(lv, col, &c);
    {
        /* The designed width, for gui_lv_fit. */
        HDITEMW it = {0};
        it.mask = HDI_LPARAM;
        it.lParam = width_dip;
        Header_SetItem(ListView_GetHeader(lv), col, &it);
    }
}

void gui_lv_set(HWND lv, int row, int col, const wchar_t *text)
{
    if (col == 0) {
        LVITEMW it = {0};
        it.mask = LVIF_TEXT | LVIF_PARAM;
        it.iItem = row;
        it.pszText = (wchar_t *)text;
        it.lParam = row;
        ListView_InsertItem(lv, &it);
    } else {
        ListView_SetItemText(lv, row, col, (wchar_t *)text);
    }
}

int gui_text_height(HFONT font, const wchar_t *text, int width)
{
    HDC dc = GetDC(NULL);
    HGDIOBJ old = SelectObject(dc, font);
    RECT r = {0, 0, width, 0};
    DrawTextW(dc, text, -1, &r, DT_CALCRECT | DT_WORDBREAK | DT_NOPREFIX | DT_EDITCONTROL);
    SelectObject(dc, old);
    ReleaseDC(NULL, dc);
    return r.bottom;
}

void gui_place(HWND h, int x, int y, int w, int hgt)
{
    SetWindowPos(h, NULL, x, y, w < 0 ? 0 : w, hgt < 0 ? 0 : hgt, SWP_NOZORDER | SWP_NOACTIVATE);
}

static void fill(HDC dc, const RECT *r, COLORREF c)
{
    HBRUSH b = CreateSolidBrush(c);
    FillRect(dc, r, b);
    DeleteObject(b);
}

static void round_rect(HDC dc, RECT r, int radius, COLORREF fillc, COLORREF line)
{
    HBRUSH b = CreateSolidBrush(fillc);
    HPEN p = CreatePen(PS_SOLID, 1, line);
    HGDIOBJ ob = SelectObject(dc, b), op = SelectObject(dc, p);
    RoundRect(dc, r.left, r.top, r.right, r.bottom, radius, radius);
    SelectObject(dc, ob);
    SelectObject(dc, op);
    DeleteObject(b);
    DeleteObject(p);
}

void gui_draw_mark(HDC dc, RECT r, exhv_verdict v)
{
    COLORREF c = v == EXHV_PASS ? g.c.pass : v == EXHV_WARN ? g.c.warn : g.c.fail;
    int s = r.bottom - r.top < r.right - r.left ? r.bottom - r.top : r.right - r.left;
    int x = r.left, y = r.top + (r.bottom - r.top - s) / 2, w = gui_px(2);
    HBRUSH b = CreateSolidBrush(c);
    HPEN p = CreatePen(PS_SOLID, 1, c);
    HPEN white = CreatePen(PS_SOLID, w < 1 ? 1 : w, g.dark ? RGB(0, 0, 0) : RGB(255, 255, 255));
    HGDIOBJ ob = SelectObject(dc, b), op = SelectObject(dc, p);
    Ellipse(dc, x, y, x + s, y + s);
    SelectObject(dc, white);
    if (v == EXHV_PASS) {
        POINT pt[3] = {{x + s * 27 / 100, y + s * 52 / 100},
                       {x + s * 43 / 100, y + s * 68 / 100},
                       {x + s * 73 / 100, y + s * 35 / 100}};
        Polyline(dc, pt, 3);
    } else if (v == EXHV_WARN) {
        MoveToEx(dc, x + s / 2, y + s * 24 / 100, NULL);
        LineTo(dc, x + s / 2, y + s * 58 / 100);
        MoveToEx(dc, x + s / 2, y + s * 72 / 100, NULL);
        LineTo(dc, x + s / 2, y + s * 76 / 100);
    } else {
        MoveToEx(dc, x + s * 32 / 100, y + s * 32 / 100, NULL);
        LineTo(dc, x + s * 68 / 100, y + s * 68 / 100);
        MoveToEx(dc, x + s * 68 / 100, y + s * 32 / 100, NULL);
        LineTo(dc, x + s * 32 / 100, y + s * 68 / 100);
    }
    SelectObject(dc, ob);
    SelectObject(dc, op);
    DeleteObject(b);
    DeleteObject(p);
    DeleteObject(white);
}

void gui_draw_bar_in(HDC dc, RECT r, double frac, COLORREF bg, COLORREF fg)
{
    RECT f = r;
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    fill(dc, &r, bg);
    f.right = r.left + (int)((r.right - r.left) * frac + 0.5);
    fill(dc, &f, fg);
}

void gui_draw_bar(HDC dc, RECT r, double frac)
{
    gui_draw_bar_in(dc, r, frac, g.c.bar_bg, g.c.accent);
}

static void draw_button(const DRAWITEMSTRUCT *d)
{
    LONG_PTR flags = GetWindowLongPtrW(d->hwndItem, GWLP_USERDATA);
    int primary = (flags & GUI_BTN_PRIMARY) != 0, toggle = (flags & GUI_BTN_TOGGLE) != 0;
    int on = (flags & GUI_BTN_ON) != 0, disabled = (d->itemState & ODS_DISABLED) != 0;
    int pressed = (d->itemState & ODS_SELECTED) != 0;
    wchar_t text[256];
    RECT r = d->rcItem;
    COLORREF face, ink;
    HDC dc = d->hDC;

    GetWindowTextW(d->hwndItem, text, 256);
    fill(dc, &r, g.c.bg);
    if (toggle) {
        /* A switch: a pill with a knob, then the label. */
        int h = gui_px(20), w = gui_px(40), y = r.top + (r.bottom - r.top - h) / 2;
        RECT pill = {r.left + gui_px(2), y, r.left + gui_px(2) + w, y + h};
        RECT knob;
        COLORREF pc = on ? g.c.accent : g.c.panel;
        round_rect(dc, pill, h, pc, on ? g.c.accent : g.c.subtle);
        knob.top = y + gui_px(4);
        knob.bottom = y + h - gui_px(4);
        knob.left = on ? pill.right - gui_px(4) - (knob.bottom - knob.top) : pill.left + gui_px(4);
        knob.right = knob.left + (knob.bottom - knob.top);
        round_rect(dc, knob, h, on ? g.c.accent_text : g.c.subtle, on ? g.c.accent_text : g.c.subtle);
        r.left = pill.right + gui_px(10);
        SetBkMode(dc, TRANSPARENT);
        SetTextColor(dc, disabled ? g.c.subtle : g.c.text);
        SelectObject(dc, g.font);
        DrawTextW(dc, text, -1, &r, DT_SINGLELINE | DT_VCENTER | DT_LEFT | DT_END_ELLIPSIS);
    } else {
        face = primary ? g.c.accent : g.c.panel;
        ink = primary ? g.c.accent_text : g.c.text;
        if (pressed)
            face = primary ? g.c.subtle : g.c.sel;
        if (disabled) {
            face = g.c.bg;
            ink = g.c.subtle;
        }
        InflateRect(&r, -1, -1);
        round_rect(dc, r, gui_px(8), face, disabled ? g.c.border : primary ? face : g.c.border);
        SetBkMode(dc, TRANSPARENT);
        SetTextColor(dc, ink);
        SelectObject(dc, g.font);
        DrawTextW(dc, text, -1, &r, DT_SINGLELINE | DT_VCENTER | DT_CENTER | DT_END_ELLIPSIS |
                                        ((d->itemState & ODS_NOACCEL) ? DT_HIDEPREFIX : 0));
    }
    if (d->itemState & ODS_FOCUS) {
        RECT fr = d->rcItem;
        InflateRect(&fr, -gui_px(3), -gui_px(3));
        SetTextColor(dc, g.c.text);
        SetBkColor(dc, g.c.bg);
        DrawFocusRect(dc, &fr);
    }
}

int gui_common_msg(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, LRESULT *res)
{
    switch (msg) {
    case WM_CTLCOLORSTATIC:
    case WM_CTLCOLORBTN: {
        HDC dc = (HDC)wp;
        SetTextColor(dc, GetDlgCtrlID((HWND)lp) == GUI_ID_SUBTLE ? g.c.subtle : g.c.text);
        SetBkColor(dc, g.c.bg);
        *res = (LRESULT)g.br_bg;
        return 1;
    }
    case WM_CTLCOLOREDIT:
    case WM_CTLCOLORLISTBOX: {
        HDC dc = (HDC)wp;
        SetTextColor(dc, g.c.text);
        SetBkColor(dc, g.c.panel);
        *res = (LRESULT)g.br_panel;
        return 1;
    }
    case WM_DRAWITEM: {
        const DRAWITEMSTRUCT *d = (const DRAWITEMSTRUCT *)lp;
        if (d->CtlType == ODT_BUTTON) {
            draw_button(d);
            *res = TRUE;
            return 1;
        }
        return 0;
    }
    case WM_ERASEBKGND: {
        RECT r;
        GetClientRect(hwnd, &r);
        FillRect((HDC)wp, &r, g.br_bg);
        *res = 1;
        return 1;
    }
    default:
        return 0;
    }
}

/* ------------------------------------------------------------ scrolling */

void gui_scroll_update(HWND hwnd, gui_scroll *s)
{
    RECT r;
    SCROLLINFO si = {sizeof(si)};
    GetClientRect(hwnd, &r);
    si.fMask = SIF_RANGE | SIF_PAGE | SIF_POS;
    si.nMin = 0;
    si.nMax = s->content > 0 ? s->content - 1 : 0;
    si.nPage = (UINT)(r.bottom > 0 ? r.bottom : 0);
    if (s->pos > s->content - r.bottom)
        s->pos = s->content - r.bottom;
    if (s->pos < 0)
        s->pos = 0;
    si.nPos = s->pos;
    SetScrollInfo(hwnd, SB_VERT, &si, TRUE);
}

int gui_scroll_msg(HWND hwnd, gui_scroll *s, UINT msg, WPARAM wp)
{
    RECT r;
    int pos = s->pos;
    GetClientRect(hwnd, &r);
    if (msg == WM_MOUSEWHEEL) {
        pos -= GET_WHEEL_DELTA_WPARAM(wp) * gui_px(48) / WHEEL_DELTA;
    } else if (msg == WM_VSCROLL) {
        switch (LOWORD(wp)) {
        case SB_LINEUP: pos -= gui_px(24); break;
        case SB_LINEDOWN: pos += gui_px(24); break;
        case SB_PAGEUP: pos -= r.bottom; break;
        case SB_PAGEDOWN: pos += r.bottom; break;
        case SB_TOP: pos = 0; break;
        case SB_BOTTOM: pos = s->content; break;
        case SB_THUMBTRACK:
        case SB_THUMBPOSITION: {
            SCROLLINFO si = {sizeof(si), SIF_TRACKPOS};
            GetScrollInfo(hwnd, SB_VERT, &si);
            pos = si.nTrackPos;
            break;
        }
        default: break;
        }
    } else {
        return 0;
    }
    if (pos > s->content - r.bottom)
        pos = s->content - r.bottom;
    if (pos < 0)
        pos = 0;
    if (pos != s->pos) {
        s->pos = pos;
        /* The page lays itself out again at the new offset. */
        SendMessageW(hwnd, WM_SIZE, 0, MAKELPARAM(r.right, r.bottom));
        InvalidateRect(hwnd, NULL, TRUE);
    }
    return 1;
}

/* ------------------------------------------------------------ state words */

void gui_device_state(wchar_t *out, size_t n, const exhv_device *d)
{
    wchar_t vm[256];
    gui_w(vm, 256, d->vm_name ? d->vm_name : "?");
    switch (d->state) {
    case EXHV_DDA_HOST:
        wcsncpy(out, gui_s(exhv_device_disabled(d) ? IDS_STATE_DISABLED : IDS_STATE_HOST), n - 1);
        out[n - 1] = 0;
        break;
    case EXHV_DDA_DISMOUNTED:
        wcsncpy(out, gui_s(IDS_STATE_DISMOUNTED), n - 1);
        out[n - 1] = 0;
        break;
    case EXHV_DDA_ASSIGNED: gui_fmt(out, n, IDS_STATE_ASSIGNED, vm); break;
    case EXHV_DDA_MISSING: gui_fmt(out, n, IDS_STATE_MISSING, vm); break;
    default: out[0] = 0; break;
    }
}

/* ------------------------------------------------------------ settings */

static void settings_load(int *theme, int *lang)
{
    DWORD v, sz = sizeof(v);
    *theme = -1;
    *lang = -1;
    if (RegGetValueW(HKEY_CURRENT_USER, SETTINGS_KEY, L"Theme", RRF_RT_REG_DWORD, NULL, &v, &sz) ==
            ERROR_SUCCESS && v <= GUI_THEME_DARK)
        *theme = (int)v;
    sz = sizeof(v);
    if (RegGetValueW(HKEY_CURRENT_USER, SETTINGS_KEY, L"Language", RRF_RT_REG_DWORD, NULL, &v,
                     &sz) == ERROR_SUCCESS && v <= GUI_LANG_ZH)
        *lang = (int)v;
}

static void settings_save(void)
{
    HKEY k;
    DWORD t = (DWORD)g.theme, l = (DWORD)g.lang;
    if (g.no_save)
        return;
    if (RegCreateKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL, &k,
                        NULL) != ERROR_SUCCESS)
        return;
    RegSetValueExW(k, L"Theme", 0, REG_DWORD, (const BYTE *)&t, sizeof(t));
    RegSetValueExW(k, L"Language", 0, REG_DWORD, (const BYTE *)&l, sizeof(l));
    RegCloseKey(k);
}

/* ------------------------------------------------------------ the window */

static const gui_page_def *const pages[GUI_PAGE__COUNT] = {
    &gui_page_home, &gui_page_status, &gui_page_dda, &gui_page_gpu, &gui_page_settings,
};
static const UINT page_titles[GUI_PAGE__COUNT] = {
    IDS_PAGE_HOME, IDS_PAGE_STATUS, IDS_PAGE_DDA, IDS_PAGE_GPU, IDS_PAGE_SETTINGS,
};

static void status_text(void)
{
    wchar_t line[1024], uri[512];
    const char *u = g.conn && g.conn->uri ? g.conn->uri : g.uri ? g.uri : exhv_conn_default_uri();
    gui_w(uri, 512, u);
    if (g.refresh_thread) {
        swprintf(line, 1024, L"%ls", gui_s(IDS_READING));
    } else if (!g.conn || !g.host) {
        wchar_t why[768];
        gui_w(why, 768, g.error);
        gui_fmt(line, 1024, IDS_NOT_CONNECTED, why);
    } else if (!g.host->hyperv) {
        wchar_t why[768];
        gui_w(why, 768, g.host->hyperv_error ? g.host->hyperv_error : "");
        gui_fmt(line, 1024, IDS_NO_HYPERV, why);
    } else {
        wchar_t who[600];
        if (g.host->simulated)
            swprintf(who, 600, L"%ls (%ls)", uri, gui_s(IDS_SIMULATED));
        else
            swprintf(who, 600, L"%ls", uri);
        gui_fmt(line, 1024, IDS_CONNECTED, who);
    }
    SetWindowTextW(g.status, line);
}

static void layout(void)
{
    RECT r;
    int nav_w = gui_px(220), st_h = gui_px(28);
    GetClientRect(g.main, &r);
    gui_place(g.nav, 0, 0, nav_w, r.bottom - st_h);
    gui_place(g.status, gui_px(12), r.bottom - st_h, r.right - gui_px(24) - gui_px(130), st_h);
    gui_place(g.busy, r.right - gui_px(132), r.bottom - st_h + gui_px(9), gui_px(120), gui_px(10));
    if (g.page)
        gui_place(g.page, nav_w, 0, r.right - nav_w, r.bottom - st_h);
}

void gui_show_page(gui_page_id id)
{
    RECT r;
    int nav_w = gui_px(220), st_h = gui_px(28);
    HWND old = g.page;
    GetClientRect(g.main, &r);
    g.page_id = id;
    g.page = CreateWindowExW(WS_EX_CONTROLPARENT, pages[id]->cls, gui_s(page_titles[id]),
                             WS_CHILD | WS_CLIPCHILDREN | (pages[id]->scrolls ? WS_VSCROLL : 0),
                             nav_w, 0, r.right - nav_w,
                             r.bottom - st_h, g.main, NULL, g.inst, NULL);
    if (old)
        DestroyWindow(old);
    gui_dark_controls(g.page);
    ShowWindow(g.page, SW_SHOW);
    if ((int)SendMessageW(g.nav, LB_GETCURSEL, 0, 0) != (int)id)
        SendMessageW(g.nav, LB_SETCURSEL, (WPARAM)id, 0);
}

void gui_conn_enter(void)
{
    EnterCriticalSection(&g.conn_cs);
}

void gui_conn_leave(void)
{
    LeaveCriticalSection(&g.conn_cs);
}

HWND gui_marquee(HWND parent)
{
    return CreateWindowExW(0, PROGRESS_CLASSW, L"", WS_CHILD | PBS_MARQUEE, 0, 0, 10, 10, parent,
                           NULL, g.inst, NULL);
}

void gui_marquee_show(HWND bar, int on)
{
    SendMessageW(bar, PBM_SETMARQUEE, on, 30);
    ShowWindow(bar, on ? SW_SHOW : SW_HIDE);
}

/* What the refresh worker brings back. */
typedef struct gui_snapshot {
    exhv_host *host;   /* NULL: error says why */
    char error[768];
} gui_snapshot;

/* The host as it is now, changes made meanwhile by another exhv included:
 * a host whose state lives outside this process (it has a lock: a real
 * host, a scenario file) is read through a connection of its own, opened
 * for this snapshot as each CLI command opens one, since a simulated host
 * keeps a copy of its file from its last change. The built-in
 * test:///default lives in g.conn alone. */
static unsigned __stdcall refresh_worker(void *arg)
{
    gui_snapshot *r = calloc(1, sizeof(*r));
    exhv_conn *c = NULL;
    exhv_error err;
    int own = g.conn->ops->lock_name && g.conn->ops->lock_name(g.conn->ctx);
    (void)arg;
    exhv_error_clear(&err);
    gui_conn_enter();
    if (r && ((own && exhv_conn_open(g.conn->uri ? g.conn->uri : g.uri, &c, &err) < 0) ||
              exhv_snapshot_take(c ? c : g.conn, &r->host, &err) < 0)) {
        r->host = NULL;
        snprintf(r->error, sizeof(r->error), "%s", err.message);
    }
    exhv_conn_close(c);
    gui_conn_leave();
    if (!r || !PostMessageW(g.main, UM_SNAPSHOT, 0, (LPARAM)r)) {
        if (r)
            exhv_host_free(r->host);
        free(r);
    }
    return 0;
}

static void busy_show(void)
{
    gui_marquee_show(g.busy, g.refresh_thread != NULL);
    status_text();
}

void gui_refresh(void)
{
    if (!g.conn) {
        status_text();
        if (g.page)
            SendMessageW(g.page, UM_REFRESH, 0, 0);
        return;
    }
    if (g.refresh_thread) {
        /* The one running may have read the host before the change that
         * asks: read it once more after. */
        g.refresh_again = 1;
        return;
    }
    g.refresh_thread = (HANDLE)_beginthreadex(NULL, 0, refresh_worker, NULL, 0, NULL);
    if (!g.refresh_thread)
        snprintf(g.error, sizeof(g.error), "%s",
                 exhv_tr("could not start a thread to read the host"));
    busy_show();
}

/* The snapshot came back: it replaces the one shown. */
static void snapshot_arrived(gui_snapshot *r)
{
    WaitForSingleObject(g.refresh_thread, INFINITE);
    CloseHandle(g.refresh_thread);
    g.refresh_thread = NULL;
    exhv_host_free(g.host);
    g.host = r->host;
    if (!r->host)
        snprintf(g.error, sizeof(g.error), "%s", r->error);
    free(r);
    g.loading = 0;
    if (g.lang_pending) {
        exhv_lang_set(g.lang == GUI_LANG_ZH ? EXHV_LANG_ZH : EXHV_LANG_EN);
        g.lang_pending = 0;
        g.refresh_again = 1;
    }
    if (g.refresh_again) {
        g.refresh_again = 0;
        gui_refresh();
    }
    busy_show();
    if (g.page)
        SendMessageW(g.page, UM_REFRESH, 0, 0);
}

/* The keyboard to the page's first control. */
static void focus_page(void)
{
    HWND first = g.page ? GetNextDlgTabItem(g.page, NULL, FALSE) : NULL;
    SetFocus(first ? first : g.nav);
}

static void nav_fill(void)
{
    SendMessageW(g.nav, LB_RESETCONTENT, 0, 0);
    for (int i = 0; i < GUI_PAGE__COUNT; i++)
        SendMessageW(g.nav, LB_ADDSTRING, 0, (LPARAM)gui_s(page_titles[i]));
    SendMessageW(g.nav, LB_SETITEMHEIGHT, 0, gui_px(40));
    SendMessageW(g.nav, LB_SETCURSEL, (WPARAM)g.page_id, 0);
}

/* Rebuild everything that depends on the theme, language or DPI. */
static void rebuild(void)
{
    colors_set();
    fonts_set();
    gui_title_bar(g.main);
    SendMessageW(g.nav, WM_SETFONT, (WPARAM)g.font, FALSE);
    SendMessageW(g.status, WM_SETFONT, (WPARAM)g.font_small, FALSE);
    gui_dark_controls(g.nav);
    nav_fill();
    status_text();
    SetWindowTextW(g.main, gui_s(IDS_APP_NAME));
    layout();
    gui_show_page(g.page_id);
    InvalidateRect(g.main, NULL, TRUE);
}

/* The page that asked is destroyed by the rebuild: do it after its
 * message returns. */
void gui_set_theme(gui_theme t)
{
    g.theme = t;
    g.no_save = 0;
    settings_save();
    PostMessageW(g.main, UM_REBUILD, 0, 0);
}

void gui_set_lang(gui_lang l)
{
    g.lang = l;
    /* The core's language is one setting for every thread. An operation
     * cannot be running (the main window is disabled meanwhile), but a
     * refresh may: it is changed when that refresh is back, and the host
     * read again in the new language. */
    if (g.refresh_thread)
        g.lang_pending = 1;
    else
        exhv_lang_set(l == GUI_LANG_ZH ? EXHV_LANG_ZH : EXHV_LANG_EN);
    g.no_save = 0;
    settings_save();
    PostMessageW(g.main, UM_REBUILD, 0, 0);
}

/* The navigation's icons, drawn with lines: no icon font is needed (Segoe
 * Fluent Icons is absent before Windows 11 and under Wine). */
static void nav_icon(HDC dc, int page, int x, int y, int s, COLORREF c)
{
    HPEN p = CreatePen(PS_SOLID, gui_px(2) > 1 ? gui_px(2) - 1 : 1, c);
    HGDIOBJ op = SelectObject(dc, p), ob = SelectObject(dc, GetStockObject(NULL_BRUSH));
    switch (page) {
    case GUI_PAGE_HOME: {
        POINT roof[3] = {{x, y + s / 2}, {x + s / 2, y + s / 8}, {x + s, y + s / 2}};
        Polyline(dc, roof, 3);
        Rectangle(dc, x + s / 6, y + s / 2, x + s - s / 6, y + s);
        break;
    }
    case GUI_PAGE_STATUS: {
        POINT pulse[6] = {{x, y + s / 2}, {x + s / 4, y + s / 2}, {x + s * 3 / 8, y + s / 6},
                          {x + s * 5 / 8, y + s * 5 / 6}, {x + s * 3 / 4, y + s / 2},
                          {x + s, y + s / 2}};
        Polyline(dc, pulse, 6);
        break;
    }
    case GUI_PAGE_DDA:
        RoundRect(dc, x, y + s / 10, x + s, y + s / 2 - s / 20, s / 4, s / 4);
        RoundRect(dc, x, y + s / 2 + s / 20, x + s, y + s - s / 10, s / 4, s / 4);
        break;
    case GUI_PAGE_GPU:
        Rectangle(dc, x, y + s / 5, x + s, y + s * 3 / 4);
        Rectangle(dc, x + s / 5, y + s / 3, x + s / 2, y + s * 3 / 5);
        MoveToEx(dc, x + s / 6, y + s * 3 / 4, NULL);
        LineTo(dc, x + s / 6, y + s - s / 10);
        break;
    default: {
        /* A gear: a ring with eight teeth. */
        int cx = x + s / 2, cy = y + s / 2;
        Ellipse(dc, cx - s / 4, cy - s / 4, cx + s / 4 + 1, cy + s / 4 + 1);
        for (int i = 0; i < 8; i++) {
            static const int dx[8] = {0, 7, 10, 7, 0, -7, -10, -7};
            static const int dy[8] = {-10, -7, 0, 7, 10, 7, 0, -7};
            MoveToEx(dc, cx + dx[i] * s / 30, cy + dy[i] * s / 30, NULL);
            LineTo(dc, cx + dx[i] * s / 20, cy + dy[i] * s / 20);
        }
        break;
    }
    }
    SelectObject(dc, op);
    SelectObject(dc, ob);
    DeleteObject(p);
}

static void nav_draw(const DRAWITEMSTRUCT *d)
{
    RECT r = d->rcItem;
    wchar_t text[128] = L"";
    int sel = (d->itemState & ODS_SELECTED) != 0, s = gui_px(18);
    HDC dc = d->hDC;
    if ((int)d->itemID < 0)
        return;
    fill(dc, &r, g.c.nav);
    if (sel) {
        RECT hl = r, strip;
        InflateRect(&hl, -gui_px(6), -gui_px(3));
        round_rect(dc, hl, gui_px(8), g.c.sel, g.c.sel);
        strip = (RECT){hl.left, hl.top + gui_px(10), hl.left + gui_px(3), hl.bottom - gui_px(10)};
        fill(dc, &strip, g.c.accent);
    }
    nav_icon(dc, (int)d->itemID, r.left + gui_px(20), r.top + (r.bottom - r.top - s) / 2, s,
             g.c.text);
    SendMessageW(d->hwndItem, LB_GETTEXT, d->itemID, (LPARAM)text);
    r.left += gui_px(52);
    SetBkMode(dc, TRANSPARENT);
    SetTextColor(dc, g.c.text);
    SelectObject(dc, sel ? g.font_bold : g.font);
    DrawTextW(dc, text, -1, &r, DT_SINGLELINE | DT_VCENTER | DT_END_ELLIPSIS | DT_NOPREFIX);
    if ((d->itemState & ODS_FOCUS) && GetFocus() == d->hwndItem) {
        RECT fr = d->rcItem;
        InflateRect(&fr, -gui_px(3), -gui_px(1));
        SetTextColor(dc, g.c.text);
        DrawFocusRect(dc, &fr);
    }
}

static LRESULT CALLBACK main_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    LRESULT res;
    switch (msg) {
    case WM_CREATE:
        g.main = hwnd;
        g.nav = CreateWindowExW(0, L"LISTBOX", L"",
                                WS_CHILD | WS_VISIBLE | WS_TABSTOP | LBS_OWNERDRAWFIXED |
                                    LBS_HASSTRINGS | LBS_NOTIFY | LBS_NOINTEGRALHEIGHT,
                                0, 0, 10, 10, hwnd, (HMENU)IDC_NAV, g.inst, NULL);
        g.status = CreateWindowExW(0, L"STATIC", L"",
                                   WS_CHILD | WS_VISIBLE | SS_CENTERIMAGE | SS_NOPREFIX |
                                       SS_ENDELLIPSIS,
                                   0, 0, 10, 10, hwnd, (HMENU)IDC_STATUSBAR, g.inst, NULL);
        g.busy = gui_marquee(hwnd);
        rebuild();
        return 0;
    case WM_SIZE:
        layout();
        return 0;
    case WM_GETMINMAXINFO: {
        MINMAXINFO *mm = (MINMAXINFO *)lp;
        mm->ptMinTrackSize.x = gui_px(760);
        mm->ptMinTrackSize.y = gui_px(480);
        return 0;
    }
    case WM_DPICHANGED: {
        const RECT *sug = (const RECT *)lp;
        g.dpi = HIWORD(wp);
        SetWindowPos(hwnd, NULL, sug->left, sug->top, sug->right - sug->left,
                     sug->bottom - sug->top, SWP_NOZORDER | SWP_NOACTIVATE);
        rebuild();
        return 0;
    }
    case WM_SETTINGCHANGE:
        /* Windows switched between light and dark. */
        if (g.theme == GUI_THEME_FOLLOW && lp && wcscmp((const wchar_t *)lp, L"ImmersiveColorSet") == 0)
            rebuild();
        break;
    case WM_MEASUREITEM: {
        MEASUREITEMSTRUCT *m = (MEASUREITEMSTRUCT *)lp;
        m->itemHeight = (UINT)gui_px(40);
        return TRUE;
    }
    case WM_DRAWITEM:
        if (wp == IDC_NAV) {
            nav_draw((const DRAWITEMSTRUCT *)lp);
            return TRUE;
        }
        break;
    case WM_CTLCOLORLISTBOX:
        SetTextColor((HDC)wp, g.c.text);
        SetBkColor((HDC)wp, g.c.nav);
        return (LRESULT)g.br_nav;
    case WM_CTLCOLORSTATIC:
        SetTextColor((HDC)wp, g.c.subtle);
        SetBkColor((HDC)wp, g.c.nav);
        return (LRESULT)g.br_nav;
    case WM_ERASEBKGND: {
        RECT r;
        GetClientRect(hwnd, &r);
        FillRect((HDC)wp, &r, g.br_nav);
        return 1;
    }
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_NAV && HIWORD(wp) == LBN_SELCHANGE) {
            int sel = (int)SendMessageW(g.nav, LB_GETCURSEL, 0, 0);
            if (sel >= 0 && sel < GUI_PAGE__COUNT && sel != (int)g.page_id)
                gui_show_page((gui_page_id)sel);
            return 0;
        }
        if (LOWORD(wp) >= IDC_PAGE_FIRST && LOWORD(wp) < IDC_PAGE_FIRST + GUI_PAGE__COUNT) {
            /* Chosen by its accelerator: the keyboard goes to the page. */
            gui_show_page((gui_page_id)(LOWORD(wp) - IDC_PAGE_FIRST));
            focus_page();
            return 0;
        }
        if (LOWORD(wp) == IDC_REFRESH) {
            gui_refresh();
            return 0;
        }
        if (LOWORD(wp) == IDC_FOCUS_NAV) {
            SetFocus(g.nav);
            return 0;
        }
        break;
    case UM_OP_CLOSED:
        gui_refresh();
        return 0;
    case UM_SNAPSHOT:
        snapshot_arrived((gui_snapshot *)lp);
        return 0;
    case UM_BUSY:
        return g.refresh_thread != NULL;
    case UM_REBUILD:
        strings_reset();
        rebuild();
        /* Keep the keyboard where it was: on the page's first control. */
        focus_page();
        return 0;
    case WM_CLOSE:
        if (g.op)
            return 0;   /* an operation is open: it closes first */
        break;
    case WM_DESTROY:
        PostQuitMessage(0);
        return 0;
    default:
        if (gui_common_msg(hwnd, msg, wp, lp, &res))
            return res;
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

/* ------------------------------------------------------------ start */

static int arg_is(const wchar_t *a, const wchar_t *name)
{
    return wcscmp(a, name) == 0;
}

static void usage_box(const wchar_t *why)
{
    wchar_t text[1024];
    swprintf(text, 1024,
             L"%ls\n\nexhv-gui [--connect URI] [--lang en|zh] [--theme follow|light|dark] "
             L"[--page home|status|dda|gpu|settings]\n\nURI: hyperv:/// (this host), "
             L"test:///default or test:///PATH/host.json",
             why);
    MessageBoxW(NULL, text, L"exhv", MB_OK | MB_ICONINFORMATION);
}

static int parse_args(int *page)
{
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    static const wchar_t *const page_names[GUI_PAGE__COUNT] = {L"home", L"status", L"dda", L"gpu",
                                                               L"settings"};
    *page = GUI_PAGE_HOME;
    for (int i = 1; argv && i < argc; i++) {
        const wchar_t *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (arg_is(a, L"--connect") && v) {
            g.uri = exhv_w_to_utf8(v);
            i++;
        } else if (wcsncmp(a, L"--connect=", 10) == 0) {
            g.uri = exhv_w_to_utf8(a + 10);
        } else if (arg_is(a, L"--lang") && v) {
            if (!arg_is(v, L"en") && !arg_is(v, L"zh"))
                goto bad;
            g.lang = arg_is(v, L"zh") ? GUI_LANG_ZH : GUI_LANG_EN;
            g.no_save = 1;
            i++;
        } else if (arg_is(a, L"--theme") && v) {
            if (arg_is(v, L"follow"))
                g.theme = GUI_THEME_FOLLOW;
            else if (arg_is(v, L"light"))
                g.theme = GUI_THEME_LIGHT;
            else if (arg_is(v, L"dark"))
                g.theme = GUI_THEME_DARK;
            else
                goto bad;
            g.no_save = 1;
            i++;
        } else if (arg_is(a, L"--page") && v) {
            int found = -1;
            for (int k = 0; k < GUI_PAGE__COUNT; k++)
                if (arg_is(v, page_names[k]))
                    found = k;
            if (found < 0)
                goto bad;
            *page = found;
            i++;
        } else {
            wchar_t why[300];
            swprintf(why, 300, L"Unknown argument '%ls'.", a);
            usage_box(why);
            LocalFree(argv);
            return -1;
        }
        continue;
bad:
        {
            wchar_t why[300];
            swprintf(why, 300, L"'%ls' does not take '%ls'.", a, v);
            usage_box(why);
            LocalFree(argv);
            return -1;
        }
    }
    LocalFree(argv);
    return 0;
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmd, int show)
{
    WNDCLASSEXW wc = {sizeof(wc)};
    INITCOMMONCONTROLSEX icc = {sizeof(icc), ICC_LISTVIEW_CLASSES | ICC_BAR_CLASSES |
                                                 ICC_STANDARD_CLASSES | ICC_UPDOWN_CLASS};
    exhv_error err;
    HACCEL accel;
    MSG m;
    int page, theme, lang;
    HWND w;

    g.inst = inst;
    settings_load(&theme, &lang);
    g.theme = theme >= 0 ? (gui_theme)theme : GUI_THEME_FOLLOW;
    /* The first start speaks the language of Windows' UI. */
    g.lang = lang >= 0 ? (gui_lang)lang
             : PRIMARYLANGID(GetUserDefaultUILanguage()) == LANG_CHINESE ? GUI_LANG_ZH
                                                                          : GUI_LANG_EN;
    if (parse_args(&page) < 0)
        return 2;
    /* What the planner, executor and checks write, in the window's
     * language and naming the window's choices, before any work starts. */
    exhv_lang_set(g.lang == GUI_LANG_ZH ? EXHV_LANG_ZH : EXHV_LANG_EN);
    exhv_front_set(EXHV_FRONT_GUI);
    InitCommonControlsEx(&icc);
    g.dpi = GetDpiForSystem();

    exhv_error_clear(&err);
    if (exhv_conn_open(g.uri, &g.conn, &err) < 0) {
        g.conn = NULL;
        snprintf(g.error, sizeof(g.error), "%s", err.message);
    }
    g.page_id = (gui_page_id)page;

    wc.lpfnWndProc = main_proc;
    wc.hInstance = inst;
    wc.hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_EXHV));
    wc.hIconSm = (HICON)LoadImageW(inst, MAKEINTRESOURCEW(IDI_EXHV), IMAGE_ICON,
                                   GetSystemMetrics(SM_CXSMICON), GetSystemMetrics(SM_CYSMICON), 0);
    wc.hCursor = LoadCursorW(NULL, MAKEINTRESOURCEW(32512));
    wc.lpszClassName = MAIN_CLASS;
    RegisterClassExW(&wc);
    for (int i = 0; i < GUI_PAGE__COUNT; i++) {
        WNDCLASSEXW pc = {sizeof(pc)};
        pc.lpfnWndProc = pages[i]->proc;
        pc.hInstance = inst;
        pc.hCursor = wc.hCursor;
        pc.lpszClassName = pages[i]->cls;
        pc.cbWndExtra = sizeof(void *);
        RegisterClassExW(&pc);
    }
    gui_op_register(inst);

    colors_set();
    fonts_set();
    InitializeCriticalSection(&g.conn_cs);
    /* The host is read on a worker once the window is up: a slow host
     * shows a window that says it is reading, not no window. */
    g.loading = g.conn != NULL;
    w = CreateWindowExW(0, MAIN_CLASS, L"exhv", WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN,
                        CW_USEDEFAULT, CW_USEDEFAULT, gui_px(1000), gui_px(680), NULL, NULL, inst,
                        NULL);
    if (!w)
        return 1;
    /* The window's DPI may differ from the system's (another monitor). */
    if (GetDpiForWindow(w) != g.dpi) {
        g.dpi = GetDpiForWindow(w);
        SetWindowPos(w, NULL, 0, 0, gui_px(1000), gui_px(680), SWP_NOMOVE | SWP_NOZORDER);
        rebuild();
    }
    ShowWindow(w, show);
    UpdateWindow(w);
    focus_page();
    gui_refresh();
    accel = LoadAcceleratorsW(inst, MAKEINTRESOURCEW(IDR_ACCEL));

    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        HWND dlg = g.op ? g.op : g.main;
        wchar_t cls[32] = L"";
        /* Enter in a list view activates its row: the page is told once. */
        if (!g.op && m.message == WM_KEYDOWN && m.wParam == VK_RETURN && m.hwnd &&
            GetClassNameW(m.hwnd, cls, 32) && wcscmp(cls, WC_LISTVIEWW) == 0) {
            SendMessageW(GetParent(m.hwnd), UM_ACTIVATE, (WPARAM)GetDlgCtrlID(m.hwnd),
                         (LPARAM)m.hwnd);
            continue;
        }
        if (!g.op && TranslateAcceleratorW(g.main, accel, &m))
            continue;
        if (IsDialogMessageW(dlg, &m))
            continue;
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    /* A refresh still reading: the connection is its until it ends. */
    if (g.refresh_thread) {
        WaitForSingleObject(g.refresh_thread, INFINITE);
        CloseHandle(g.refresh_thread);
    }
    exhv_host_free(g.host);
    exhv_conn_close(g.conn);
    free(g.uri);
    strings_reset();
    (void)prev;
    (void)cmd;
    return 0;
}
