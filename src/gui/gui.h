/* exhv-gui: what the window, its pages and the operation window share.
 * The GUI is thin: it reads a snapshot, asks the planner for plans and
 * hands them to the executor on a worker thread; it never calls a port. */
#ifndef EXHV_GUI_H
#define EXHV_GUI_H

#include <windows.h>
#include <commctrl.h>

#include "core/model.h"
#include "core/plan.h"
#include "hyperv/ports.h"
#include "res/ids.h"

/* Messages. Worker threads post the UM_OP_* ones to the operation window;
 * pages get UM_REFRESH when the snapshot changed. */
#define UM_REFRESH (WM_APP + 1)
#define UM_OP_PROGRESS (WM_APP + 2)   /* lParam: gui_progress *, the receiver frees it */
#define UM_OP_DONE (WM_APP + 3)       /* lParam: the worker's result, see ops.c */
#define UM_OP_CLOSED (WM_APP + 4)     /* to the main window: an operation window closed */
#define UM_REBUILD (WM_APP + 5)       /* to the main window: theme or language changed */
#define UM_SNAPSHOT (WM_APP + 6)      /* to the main window from the refresh worker: lParam
                                       * a gui_snapshot *, the receiver frees it */
#define UM_BUSY (WM_APP + 7)          /* answered 1 while the window waits for the host (a
                                       * refresh, or an operation being planned): tests ask */
#define UM_OP_PLANNED (WM_APP + 8)    /* to the operation window: the worker made its plan */
#define UM_OP_END (WM_APP + 9)        /* to the operation window: its worker has ended */
#define UM_ACTIVATE (WM_APP + 10)     /* to a page: Enter in its list, wParam the list's ID
                                       * (the list itself never sees that key: it would
                                       * send NM_RETURN and LVN_ITEMACTIVATE, one press
                                       * acting twice) */

typedef enum gui_theme { GUI_THEME_FOLLOW, GUI_THEME_LIGHT, GUI_THEME_DARK } gui_theme;
typedef enum gui_lang { GUI_LANG_EN, GUI_LANG_ZH } gui_lang;

typedef enum gui_page_id {
    GUI_PAGE_HOME,
    GUI_PAGE_STATUS,
    GUI_PAGE_DDA,
    GUI_PAGE_GPU,
    GUI_PAGE_SETTINGS,
    GUI_PAGE__COUNT
} gui_page_id;

/* Colours of the theme in force. */
typedef struct gui_colors {
    COLORREF bg, panel, nav, text, subtle, accent, accent_text, border;
    COLORREF pass, warn, fail, warn_bg, bar_bg, sel;
} gui_colors;

typedef struct gui_app {
    HINSTANCE inst;
    HWND main, nav, status, page;
    gui_page_id page_id;
    UINT dpi;
    int dark;                 /* the theme in force (after "follow") */
    gui_theme theme;          /* the user's choice */
    gui_lang lang;
    gui_colors c;
    HFONT font, font_bold, font_title, font_banner, font_small;
    HFONT font_zh;            /* for Chinese words in the English UI */
    HBRUSH br_bg, br_panel, br_nav;
    char *uri;                /* --connect, or NULL for the default */
    exhv_conn *conn;          /* NULL when the connection could not be opened */
    exhv_host *host;          /* the last snapshot; NULL when none could be taken */
    char error[768];          /* why there is no connection or snapshot */
    HWND op;                  /* the operation window while one is open */
    int no_save;              /* --lang/--theme given: do not remember them */
    HWND busy;                /* the marquee shown while the host is being read */
    HANDLE refresh_thread;    /* the refresh worker while one runs */
    int refresh_again;        /* asked for while one ran: one more after it */
    int lang_pending;         /* the core's language changes once the refresh is back */
    int loading;              /* no snapshot has come back yet */
    CRITICAL_SECTION conn_cs; /* one worker at a time talks to the connection */
} gui_app;

extern gui_app g;

/* A dark title bar in the dark theme. */
void gui_title_bar(HWND hwnd);
/* Scroll bars of the theme's kind on a control (DarkMode_Explorer in the
 * dark theme). */
void gui_dark_controls(HWND h);
/* An edit with a WS_EX_CLIENTEDGE frame: drawn flat in the theme's colours. */
void gui_flat_frame(HWND edit);

/* Pixels for a length in 96-DPI units, at the window's DPI. */
int gui_px(int dip);

/* A string of the current language as UTF-16 (static storage, valid until
 * the language changes). */
const wchar_t *gui_s(UINT id);
/* printf into a caller buffer: fmt is a resource string with %s / %u,
 * args are wide strings or unsigned. */
void gui_fmt(wchar_t *out, size_t n, UINT id, ...);
/* When this exhv-gui was built, as 2026-11-24 02:39 (the same in both
 * languages). */
void gui_build_date(wchar_t *out, size_t n);
/* UTF-8 to UTF-16, into a caller buffer (cut to fit). */
void gui_w(wchar_t *out, size_t n, const char *utf8);
/* A new UTF-16 string (free()); never NULL. */
wchar_t *gui_wdup(const char *utf8);

/* Controls with the app's font. */
HWND gui_label(HWND parent, const wchar_t *text, int id, DWORD style);
HWND gui_button(HWND parent, const wchar_t *text, int id, int primary);
HWND gui_listview(HWND parent, int id, DWORD extra_style);
void gui_lv_column(HWND lv, int col, const wchar_t *title, int width_dip);
void gui_lv_set(HWND lv, int row, int col, const wchar_t *text);
void gui_lv_colors(HWND lv);
/* In a list's NM_CUSTOMDRAW at CDDS_ITEMPREPAINT: the row's colours (0
 * text: the theme's), the selection drawn in the theme's colours too (a
 * classic list draws it in system colours, white in the dark). Returns
 * the answer to give. */
LRESULT gui_lv_item(NMLVCUSTOMDRAW *cd, COLORREF text, COLORREF bk);
/* Make the last column take the width that is left. */
void gui_lv_fit(HWND lv);
/* The page's WM_CTLCOLOR* and WM_DRAWITEM answers (owner-drawn buttons);
 * returns nonzero and sets *res when handled. */
int gui_common_msg(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, LRESULT *res);
/* Height of text wrapped to width in the given font. */
int gui_text_height(HFONT font, const wchar_t *text, int width);
/* A mark for a verdict: a filled circle with a tick, '!' or a cross. */
void gui_draw_mark(HDC dc, RECT r, exhv_verdict v);
/* A horizontal bar: frac of it filled with the accent. */
void gui_draw_bar(HDC dc, RECT r, double frac);
/* The same in other colours (on a row drawn in the accent colour). */
void gui_draw_bar_in(HDC dc, RECT r, double frac, COLORREF bg, COLORREF fg);
/* Move a child window (no redraw churn during a layout). */
void gui_place(HWND h, int x, int y, int w, int hgt);

/* Take a new snapshot on the connection, on a worker thread; the pages
 * get UM_REFRESH when it has come back. The window shows that it is busy
 * meanwhile and keeps answering. */
void gui_refresh(void);
/* Workers hold this while they use g.conn (snapshot, plan, execute). */
void gui_conn_enter(void);
void gui_conn_leave(void);
/* A marquee progress bar (a busy indicator), hidden. */
HWND gui_marquee(HWND parent);
void gui_marquee_show(HWND bar, int on);
/* Show a page (recreating it). */
void gui_show_page(gui_page_id id);
/* Apply a theme or language choice: remember it, rebuild the window. */
void gui_set_theme(gui_theme t);
void gui_set_lang(gui_lang l);

/* The state of a device in the current language. */
void gui_device_state(wchar_t *out, size_t n, const exhv_device *d);

/* The pages: each registers its window class and creates its page. */
typedef struct gui_page_def {
    const wchar_t *cls;
    WNDPROC proc;
    int scrolls;        /* taller than the window: a vertical scroll bar */
    /* Given the page's state block (gui_page_new; it starts with a
     * gui_scroll): fill the page from g.host (UM_REFRESH), place its
     * controls (WM_SIZE). gui_page_default calls them. */
    void (*fill)(HWND hwnd, void *state);
    void (*layout)(HWND hwnd, void *state);
} gui_page_def;

/* Labels with this ID are drawn in the subtle colour (keys, hints). */
#define GUI_ID_SUBTLE 50
extern const gui_page_def gui_page_home, gui_page_status, gui_page_dda, gui_page_gpu,
    gui_page_settings;

/* The page's scroll state, for pages taller than the window. */
typedef struct gui_scroll {
    int pos, content;
} gui_scroll;
/* Set the range after a layout; handle WM_VSCROLL / WM_MOUSEWHEEL. */
void gui_scroll_update(HWND hwnd, gui_scroll *s);
int gui_scroll_msg(HWND hwnd, gui_scroll *s, UINT msg, WPARAM wp);

/* ---- what the pages share (kit.c) ---- */

struct exhv_buf;

/* The page's state block (zeroed), kept in the window's first extra slot;
 * NULL when out of memory. gui_page_default frees it. */
void *gui_page_new(HWND hwnd, size_t size);
/* The end of every page's window procedure: WM_SIZE (def->layout),
 * UM_REFRESH (def->fill, then the layout again), scrolling when
 * def->scrolls, verdict marks (gui_mark), colours, owner-drawn buttons,
 * freeing the state block, DefWindowProc. */
LRESULT gui_page_default(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, const gui_page_def *def);
/* Lay the page out again at its size and repaint it (after a refresh). */
void gui_page_relayout(HWND hwnd);
/* A section heading in the title font. */
HWND gui_heading(HWND parent, const wchar_t *text, DWORD style);
/* A verdict mark (pass / warn / fail), named for screen readers. */
HWND gui_mark(HWND parent, exhv_verdict v, const wchar_t *name);
/* After a list was filled again: select row keep (clamped), or the first. */
void gui_lv_reselect(HWND lv, int keep, int rows);
/* Buttons b[0..n) from the right edge leftwards; returns the x left of
 * them (less a gap). */
int gui_buttons_right(const HWND *b, int n, int right, int y, int bw, int bh);
/* A details pane's line "label:  value" (value may be NULL). */
void gui_kv(struct exhv_buf *b, UINT label, const char *value);
void gui_details_set(HWND edit, const struct exhv_buf *b);
/* A details pane: read-only, multi-line, scrolled, ID IDC_DETAILS. */
HWND gui_details(HWND parent);
/* Show an edit's vertical scroll bar only when its text does not fit (call
 * after a text or size change). */
void gui_edit_fit(HWND edit);

/* ---- operations (ops.c) ---- */

/* What to plan: the operation window asks the planner on the connection,
 * under its lock, from a fresh snapshot. */
typedef enum gui_op_kind {
    GUI_OP_ASSIGN,        /* device (location path or instance ID) to vm (NULL: host) */
    GUI_OP_POLICY,        /* relaxed 1/0 */
    GUI_OP_GPU_ADD,       /* vm, gpu (location path; NULL Hyper-V's choice), share,
                           * no_drivers (1: leave the guest's drivers alone) */
    GUI_OP_GPU_REMOVE,    /* vm, adapter ID (NULL: the stale ones) */
    GUI_OP_GPU_DRIVERS,   /* vm: import its GPU's host driver again (exhv gpu drivers) */
} gui_op_kind;

typedef struct gui_op {
    gui_op_kind kind;
    char *device, *vm, *gpu, *adapter;
    int relaxed, share, stop, no_drivers;
} gui_op;

/* Open the operation window for op (copied): plan, confirm, run, result.
 * The main window is disabled until it closes. */
void gui_op_start(const gui_op *op);
int gui_op_register(HINSTANCE inst);

/* Owner-drawn buttons: GWLP_USERDATA bit 1 = primary, bit 2 = toggle on. */
#define GUI_BTN_PRIMARY 1
#define GUI_BTN_TOGGLE 2
#define GUI_BTN_ON 4

#endif
