/* Settings: theme (follow Windows, light, dark), language, about. The
 * choices are remembered per user (HKCU\Software\exhv\gui). */
#include <windows.h>
#include <uxtheme.h>

#include <stdlib.h>
#include <wchar.h>

#include "exhv_version.h"
#include "gui/gui.h"

typedef struct settings {
    gui_scroll scroll;
    HWND head_theme, head_lang, head_about, about;
    HWND theme[3], lang[2];
} settings;

static HWND radio(HWND parent, const wchar_t *text, int id, int first, int checked)
{
    HWND h = CreateWindowExW(0, L"BUTTON", text,
                             WS_CHILD | WS_VISIBLE | BS_AUTORADIOBUTTON |
                                 (first ? WS_GROUP | WS_TABSTOP : 0),
                             0, 0, 10, 10, parent, (HMENU)(INT_PTR)id, g.inst, NULL);
    SendMessageW(h, WM_SETFONT, (WPARAM)g.font, FALSE);
    /* A themed radio button ignores WM_CTLCOLORSTATIC's text colour: in the
     * dark theme, draw it classic so that its label stays readable. */
    if (g.dark)
        SetWindowTheme(h, L"", L"");
    SendMessageW(h, BM_SETCHECK, checked ? BST_CHECKED : BST_UNCHECKED, 0);
    return h;
}

static HWND heading(HWND hwnd, UINT id)
{
    return gui_heading(hwnd, gui_s(id), 0);
}

static void layout(HWND hwnd, void *vp)
{
    settings *p = vp;
    RECT r;
    int m = gui_px(24), y, width, rh = gui_px(28);
    wchar_t t[1024];
    GetClientRect(hwnd, &r);
    width = r.right - 2 * m;
    y = m - p->scroll.pos;
    gui_place(p->head_theme, m, y, width, gui_px(36));
    y += gui_px(44);
    for (int i = 0; i < 3; i++, y += rh)
        gui_place(p->theme[i], m + gui_px(8), y, width - gui_px(8), rh);
    y += gui_px(16);
    gui_place(p->head_lang, m, y, width, gui_px(36));
    y += gui_px(44);
    for (int i = 0; i < 2; i++, y += rh)
        gui_place(p->lang[i], m + gui_px(8), y, width - gui_px(8), rh);
    y += gui_px(16);
    gui_place(p->head_about, m, y, width, gui_px(36));
    y += gui_px(44);
    GetWindowTextW(p->about, t, 1024);
    {
        int h = gui_text_height(g.font, t, width);
        gui_place(p->about, m, y, width, h);
        y += h;
    }
    p->scroll.content = y + p->scroll.pos + m;
    gui_scroll_update(hwnd, &p->scroll);
}

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    settings *p = (settings *)GetWindowLongPtrW(hwnd, 0);
    switch (msg) {
    case WM_CREATE: {
        wchar_t about[1024], date[64];
        if (!(p = gui_page_new(hwnd, sizeof(*p))))
            return -1;
        p->head_theme = heading(hwnd, IDS_THEME);
        p->theme[0] = radio(hwnd, gui_s(IDS_THEME_FOLLOW), IDC_THEME_FOLLOW, 1,
                            g.theme == GUI_THEME_FOLLOW);
        p->theme[1] = radio(hwnd, gui_s(IDS_THEME_LIGHT), IDC_THEME_LIGHT, 0,
                            g.theme == GUI_THEME_LIGHT);
        p->theme[2] = radio(hwnd, gui_s(IDS_THEME_DARK), IDC_THEME_DARK, 0,
                            g.theme == GUI_THEME_DARK);
        p->head_lang = heading(hwnd, IDS_LANGUAGE);
        /* Each language named in itself. */
        p->lang[0] = radio(hwnd, L"English", IDC_LANG_EN, 1, g.lang == GUI_LANG_EN);
        p->lang[1] = radio(hwnd, L"\x7b80\x4f53\x4e2d\x6587", IDC_LANG_ZH, 0,
                           g.lang == GUI_LANG_ZH);
        SendMessageW(p->lang[1], WM_SETFONT, (WPARAM)g.font_zh, FALSE);
        p->head_about = heading(hwnd, IDS_ABOUT);
        gui_build_date(date, 64);
        gui_fmt(about, 1024, IDS_ABOUT_TEXT, L"" EXHV_VERSION, date);
        p->about = gui_label(hwnd, about, 0, 0);
        return 0;
    }
    case WM_COMMAND:
        if (HIWORD(wp) == BN_CLICKED) {
            switch (LOWORD(wp)) {
            case IDC_THEME_FOLLOW: if (g.theme != GUI_THEME_FOLLOW) gui_set_theme(GUI_THEME_FOLLOW); return 0;
            case IDC_THEME_LIGHT: if (g.theme != GUI_THEME_LIGHT) gui_set_theme(GUI_THEME_LIGHT); return 0;
            case IDC_THEME_DARK: if (g.theme != GUI_THEME_DARK) gui_set_theme(GUI_THEME_DARK); return 0;
            case IDC_LANG_EN: if (g.lang != GUI_LANG_EN) gui_set_lang(GUI_LANG_EN); return 0;
            case IDC_LANG_ZH: if (g.lang != GUI_LANG_ZH) gui_set_lang(GUI_LANG_ZH); return 0;
            default: break;
            }
        }
        break;
    default:
        break;
    }
    return gui_page_default(hwnd, msg, wp, lp, &gui_page_settings);
}

const gui_page_def gui_page_settings = {L"exhv.page.settings", proc, 1, NULL, layout};
