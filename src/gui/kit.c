/* What the pages do the same way: their state block and the end of their
 * window procedure (scrolling, verdict marks, colours, freeing), headings,
 * the list selection kept across a refresh, a row of buttons on the right,
 * and the "key:  value" lines of a details pane. */
#include <windows.h>
#include <commctrl.h>

#include <stdlib.h>

#include "core/buf.h"
#include "gui/gui.h"
#include "platform/win32/utf16.h"

void *gui_page_new(HWND hwnd, size_t size)
{
    void *p = calloc(1, size);
    if (p)
        SetWindowLongPtrW(hwnd, 0, (LONG_PTR)p);
    return p;
}

LRESULT gui_page_default(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, const gui_page_def *def)
{
    void *state = (void *)GetWindowLongPtrW(hwnd, 0);
    LRESULT res;
    switch (msg) {
    case WM_SIZE:
        if (state && def->layout)
            def->layout(hwnd, state);
        return 0;
    case UM_REFRESH:
        if (state && def->fill) {
            def->fill(hwnd, state);
            gui_page_relayout(hwnd);
        }
        return 0;
    case WM_VSCROLL:
    case WM_MOUSEWHEEL:
        if (state && def->scrolls && gui_scroll_msg(hwnd, (gui_scroll *)state, msg, wp))
            return 0;
        break;
    case WM_DRAWITEM: {
        const DRAWITEMSTRUCT *d = (const DRAWITEMSTRUCT *)lp;
        if (d->CtlType == ODT_STATIC) {
            FillRect(d->hDC, &d->rcItem, g.br_bg);
            gui_draw_mark(d->hDC, d->rcItem,
                          (exhv_verdict)GetWindowLongPtrW(d->hwndItem, GWLP_USERDATA));
            return TRUE;
        }
        break;
    }
    case WM_NCDESTROY:
        free(state);
        SetWindowLongPtrW(hwnd, 0, 0);
        break;
    default:
        break;
    }
    if (gui_common_msg(hwnd, msg, wp, lp, &res))
        return res;
    return DefWindowProcW(hwnd, msg, wp, lp);
}

void gui_page_relayout(HWND hwnd)
{
    RECT r;
    GetClientRect(hwnd, &r);
    SendMessageW(hwnd, WM_SIZE, SIZE_RESTORED, MAKELPARAM(r.right, r.bottom));
    InvalidateRect(hwnd, NULL, TRUE);
}

HWND gui_heading(HWND parent, const wchar_t *text, DWORD style)
{
    HWND h = gui_label(parent, text, 0, style);
    SendMessageW(h, WM_SETFONT, (WPARAM)g.font_title, FALSE);
    return h;
}

HWND gui_mark(HWND parent, exhv_verdict v, const wchar_t *name)
{
    /* The text is for screen readers; the mark is drawn. */
    HWND h = CreateWindowExW(0, L"STATIC", name, WS_CHILD | WS_VISIBLE | SS_OWNERDRAW, 0, 0, 10,
                             10, parent, NULL, g.inst, NULL);
    SetWindowLongPtrW(h, GWLP_USERDATA, (LONG_PTR)v);
    return h;
}

void gui_lv_reselect(HWND lv, int keep, int rows)
{
    if (keep >= rows)
        keep = rows - 1;
    /* The first row's details show from the start. */
    if (keep < 0 && rows > 0)
        keep = 0;
    if (keep >= 0)
        ListView_SetItemState(lv, keep, LVIS_SELECTED | LVIS_FOCUSED,
                              LVIS_SELECTED | LVIS_FOCUSED);
}

int gui_buttons_right(const HWND *b, int n, int right, int y, int bw, int bh)
{
    int x = right;
    for (int i = 0; i < n; i++) {
        x -= bw;
        gui_place(b[i], x, y, bw, bh);
        x -= gui_px(8);
    }
    return x;
}

void gui_kv(exhv_buf *b, UINT label, const char *value)
{
    char *l = exhv_w_to_utf8(gui_s(label));
    /* Chinese text takes the full-width colon and no space after it. */
    exhv_buf_printf(b, g.lang == GUI_LANG_ZH ? "%s\xef\xbc\x9a%s\r\n" : "%s:  %s\r\n", l ? l : "",
                    value ? value : "");
    free(l);
}

void gui_details_set(HWND edit, const exhv_buf *b)
{
    wchar_t *w = gui_wdup(exhv_buf_str(b));
    SetWindowTextW(edit, w);
    free(w);
    gui_edit_fit(edit);
}

/* Under Wine a scroll bar keeps the system's light colours whatever the
 * theme: one is shown only when the text does not fit. */
void gui_edit_fit(HWND edit)
{
    RECT r;
    TEXTMETRICW tm;
    HDC dc;
    HGDIOBJ old;
    int lines, visible;
    ShowScrollBar(edit, SB_VERT, FALSE);
    GetClientRect(edit, &r);
    dc = GetDC(edit);
    old = SelectObject(dc, (HFONT)SendMessageW(edit, WM_GETFONT, 0, 0));
    GetTextMetricsW(dc, &tm);
    SelectObject(dc, old);
    ReleaseDC(edit, dc);
    lines = (int)SendMessageW(edit, EM_GETLINECOUNT, 0, 0);
    visible = tm.tmHeight > 0 ? r.bottom / tm.tmHeight : 0;
    /* A last empty line (text ending in a line break) needs no room. */
    if (lines > visible + 1 || (lines == visible + 1 &&
                                SendMessageW(edit, EM_LINELENGTH,
                                             (WPARAM)SendMessageW(edit, EM_LINEINDEX,
                                                                  (WPARAM)(lines - 1), 0),
                                             0) > 0))
        ShowScrollBar(edit, SB_VERT, TRUE);
}

HWND gui_details(HWND parent)
{
    HWND h = CreateWindowExW(0, L"EDIT", L"",
                             WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL | ES_MULTILINE |
                                 ES_READONLY | ES_AUTOVSCROLL,
                             0, 0, 10, 10, parent, (HMENU)IDC_DETAILS, g.inst, NULL);
    SendMessageW(h, WM_SETFONT, (WPARAM)g.font, FALSE);
    gui_dark_controls(h);
    return h;
}
