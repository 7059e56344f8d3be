/* Device assignment (DDA): every PCI device with its state; stuck
 * (dismounted, held by no VM) and missing ones coloured so they stand out.
 * "Move to..." (a button, the row's context menu, Enter) offers the host
 * and every VM; "Recover" gives a stuck device back or removes a VM's
 * reference to hardware that is gone. The details pane shows the class,
 * instance ID, location path, the survey's verdict with its reasons and
 * the MMIO the device needs. */
#include <windows.h>
#include <commctrl.h>
#include <windowsx.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "core/survey.h"
#include "gui/gui.h"
#include "platform/win32/utf16.h"

typedef struct dda {
    gui_scroll scroll;       /* first, as every page's (kit.c) */
    HWND warning, head, refresh, move, recover, list, note, details;
    int warning_h;
} dda;

static const exhv_device *selected(dda *p)
{
    int i = ListView_GetNextItem(p->list, -1, LVNI_SELECTED);
    LVITEMW it = {0};
    if (i < 0 || !g.host)
        return NULL;
    it.mask = LVIF_PARAM;
    it.iItem = i;
    ListView_GetItem(p->list, &it);
    return it.lParam >= 0 && (size_t)it.lParam < g.host->ndevices ? &g.host->devices[it.lParam]
                                                                    : NULL;
}

static int stuck(const exhv_device *d)
{
    return d->state == EXHV_DDA_DISMOUNTED || d->state == EXHV_DDA_MISSING;
}

static void details(dda *p)
{
    const exhv_device *d = selected(p);
    exhv_buf b = EXHV_BUF_INIT;
    exhv_survey s;
    static const UINT verdicts[] = {IDS_V_ASSIGNABLE, IDS_V_WARN, IDS_V_NOT};
    if (!d) {
        SetWindowTextW(p->details, gui_s(IDS_SELECT_DEVICE));
        EnableWindow(p->move, FALSE);
        EnableWindow(p->recover, FALSE);
        return;
    }
    EnableWindow(p->move, g.host && g.host->hyperv);
    EnableWindow(p->recover, g.host && g.host->hyperv && stuck(d));
    exhv_survey_device(d, &s);
    gui_kv(&b, IDS_D_CLASS, d->pnp.cls);
    gui_kv(&b, IDS_D_INSTANCE, d->pnp.instance_id);
    gui_kv(&b, IDS_D_LOCATION, d->pnp.location_path);
    {
        char *v = exhv_w_to_utf8(gui_s(verdicts[s.verdict]));
        gui_kv(&b, IDS_D_VERDICT, v);
        free(v);
    }
    for (int i = 0; i < s.nreasons; i++)
        exhv_buf_printf(&b, "    - %s\r\n", s.reasons[i]);
    {
        char mmio[96];
        if (s.mmio_low_bytes || s.mmio_high_bytes) {
            wchar_t lo[24], hi[24], all[96];
            char *u;
            swprintf(lo, 24, L"%llu", (unsigned long long)exhv_bytes_to_mb(s.mmio_low_bytes));
            swprintf(hi, 24, L"%llu", (unsigned long long)exhv_bytes_to_mb(s.mmio_high_bytes));
            gui_fmt(all, 96, IDS_MMIO_FMT, lo, hi);
            u = exhv_w_to_utf8(all);
            snprintf(mmio, sizeof(mmio), "%s", u ? u : "");
            free(u);
        } else {
            char *none = exhv_w_to_utf8(gui_s(IDS_MMIO_NONE));
            snprintf(mmio, sizeof(mmio), "%s", none ? none : "");
            free(none);
        }
        gui_kv(&b, IDS_D_MMIO, mmio);
    }
    gui_details_set(p->details, &b);
    exhv_buf_release(&b);
}

static void fill(HWND hwnd, void *vp)
{
    dda *p = vp;
    int row = 0, keep = ListView_GetNextItem(p->list, -1, LVNI_SELECTED);
    unsigned nstuck = 0;
    ListView_DeleteAllItems(p->list);
    for (size_t i = 0; g.host && i < g.host->ndevices; i++) {
        const exhv_device *d = &g.host->devices[i];
        wchar_t t[512];
        LVITEMW it = {0};
        if (d->bridge)
            continue;
        gui_w(t, 512, d->pnp.name && d->pnp.name[0] ? d->pnp.name : d->pnp.location_path);
        it.mask = LVIF_TEXT | LVIF_PARAM;
        it.iItem = row;
        it.pszText = t;
        it.lParam = (LPARAM)i;
        ListView_InsertItem(p->list, &it);
        gui_device_state(t, 512, d);
        gui_lv_set(p->list, row, 1, t);
        gui_w(t, 512, d->pnp.cls);
        gui_lv_set(p->list, row, 2, t);
        gui_w(t, 512, d->pnp.location_path);
        gui_lv_set(p->list, row, 3, t);
        nstuck += stuck(d);
        row++;
    }
    if (nstuck) {
        wchar_t t[512];
        gui_fmt(t, 512, IDS_STUCK_NOTE, nstuck);
        SetWindowTextW(p->note, t);
    } else {
        SetWindowTextW(p->note, row ? L"" : gui_s(IDS_NO_DEVICES));
    }
    gui_lv_reselect(p->list, keep, row);
    details(p);
}

static void layout(HWND hwnd, void *vp)
{
    dda *p = vp;
    RECT r;
    int m = gui_px(24), y, width, bh = gui_px(32), bw = gui_px(130), det_h = gui_px(150), x;
    wchar_t t[512];
    GetClientRect(hwnd, &r);
    width = r.right - 2 * m;
    y = m;
    GetWindowTextW(p->warning, t, 512);
    p->warning_h = gui_text_height(g.font, t, width - gui_px(56)) + gui_px(20);
    gui_place(p->warning, m, y, width, p->warning_h);
    y += p->warning_h + gui_px(14);
    {
        HWND row[] = {p->recover, p->move, p->refresh};
        x = gui_buttons_right(row, 3, r.right - m, y, bw, bh);
    }
    gui_place(p->head, m, y, x - m, bh);
    y += bh + gui_px(10);
    {
        int list_h = r.bottom - y - m - det_h - gui_px(36);
        if (list_h < gui_px(80))
            list_h = gui_px(80);
        gui_place(p->list, m, y, width, list_h);
        gui_lv_fit(p->list);
        y += list_h + gui_px(6);
    }
    gui_place(p->note, m, y, width, gui_px(24));
    y += gui_px(30);
    gui_place(p->details, m, y, width, r.bottom - y - m);
    gui_edit_fit(p->details);
}

static void move_menu(HWND hwnd, dda *p, int x, int y, int from_button)
{
    const exhv_device *d = selected(p);
    HMENU menu;
    int cmd;
    size_t nvms;
    char *dev, **vms;
    if (!d || !g.host || !g.host->hyperv)
        return;
    /* The menu waits for the user while a refresh may replace the snapshot:
     * what it offers is copied first. */
    nvms = g.host->nvms < 500 ? g.host->nvms : 500;
    vms = calloc(nvms + 1, sizeof(*vms));
    dev = exhv_strdup(d->pnp.instance_id[0] ? d->pnp.instance_id : d->pnp.location_path);
    if (!vms || !dev) {
        free(vms);
        free(dev);
        return;
    }
    menu = CreatePopupMenu();
    AppendMenuW(menu, MF_STRING | (d->state == EXHV_DDA_HOST && !exhv_device_disabled(d)
                                       ? MF_CHECKED | MF_GRAYED : 0),
                IDC_MOVE_FIRST, gui_s(IDS_HOST));
    AppendMenuW(menu, MF_SEPARATOR, 0, NULL);
    for (size_t i = 0; i < nvms; i++) {
        wchar_t name[300];
        int here = d->state == EXHV_DDA_ASSIGNED && d->vm_id &&
                   _stricmp(d->vm_id, g.host->vms[i].id) == 0;
        vms[i] = exhv_strdup(g.host->vms[i].id);
        gui_w(name, 300, g.host->vms[i].name);
        AppendMenuW(menu, MF_STRING | (here ? MF_CHECKED | MF_GRAYED : 0),
                    IDC_MOVE_FIRST + 1 + (UINT)i, name);
    }
    if (x < 0 || y < 0) {
        RECT r;
        if (from_button) {
            GetWindowRect(p->move, &r);
            x = r.left;
            y = r.bottom;
        } else {
            int i = ListView_GetNextItem(p->list, -1, LVNI_SELECTED);
            ListView_GetItemRect(p->list, i, &r, LVIR_LABEL);
            MapWindowPoints(p->list, NULL, (POINT *)&r, 2);
            x = r.left + gui_px(24);
            y = r.bottom;
        }
    }
    cmd = TrackPopupMenu(menu, TPM_RETURNCMD | TPM_LEFTALIGN | TPM_TOPALIGN | TPM_RIGHTBUTTON, x,
                         y, 0, hwnd, NULL);
    DestroyMenu(menu);
    if (cmd >= IDC_MOVE_FIRST && (size_t)(cmd - IDC_MOVE_FIRST) <= nvms) {
        gui_op op = {GUI_OP_ASSIGN};
        op.device = dev;
        op.vm = cmd == IDC_MOVE_FIRST ? NULL : vms[cmd - IDC_MOVE_FIRST - 1];
        gui_op_start(&op);
    }
    for (size_t i = 0; i < nvms; i++)
        free(vms[i]);
    free(vms);
    free(dev);
}

static LRESULT custom_draw(NMLVCUSTOMDRAW *cd)
{
    switch (cd->nmcd.dwDrawStage) {
    case CDDS_PREPAINT:
        return CDRF_NOTIFYITEMDRAW;
    case CDDS_ITEMPREPAINT: {
        size_t i = (size_t)cd->nmcd.lItemlParam;
        const exhv_device *d = g.host && i < g.host->ndevices ? &g.host->devices[i] : NULL;
        if (!d)
            return gui_lv_item(cd, 0, 0);
        /* Stuck and missing devices in the warning and failure colours;
         * a disabled one quieter. */
        if (d->state == EXHV_DDA_DISMOUNTED)
            return gui_lv_item(cd, g.c.warn, g.c.warn_bg);
        if (d->state == EXHV_DDA_MISSING)
            return gui_lv_item(cd, g.c.fail, g.c.warn_bg);
        if (exhv_device_disabled(d))
            return gui_lv_item(cd, g.c.subtle, 0);
        if (d->state == EXHV_DDA_ASSIGNED)
            return gui_lv_item(cd, g.c.accent, 0);
        return gui_lv_item(cd, 0, 0);
    }
    default:
        return CDRF_DODEFAULT;
    }
}

static LRESULT CALLBACK warning_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, UINT_PTR id,
                                     DWORD_PTR data)
{
    if (msg == WM_PAINT) {
        PAINTSTRUCT ps;
        HDC dc = BeginPaint(hwnd, &ps);
        RECT r, t, mark;
        wchar_t text[512];
        HBRUSH bg = CreateSolidBrush(g.c.bg), wb = CreateSolidBrush(g.c.warn_bg);
        HPEN pen = CreatePen(PS_SOLID, 1, g.c.warn);
        HGDIOBJ ob, op;
        GetClientRect(hwnd, &r);
        FillRect(dc, &r, bg);
        ob = SelectObject(dc, wb);
        op = SelectObject(dc, pen);
        RoundRect(dc, r.left, r.top, r.right, r.bottom, gui_px(8), gui_px(8));
        SelectObject(dc, ob);
        SelectObject(dc, op);
        mark = (RECT){r.left + gui_px(14), r.top + gui_px(10), r.left + gui_px(34),
                      r.top + gui_px(30)};
        gui_draw_mark(dc, mark, EXHV_WARN);
        GetWindowTextW(hwnd, text, 512);
        t = (RECT){r.left + gui_px(46), r.top + gui_px(10), r.right - gui_px(10),
                   r.bottom - gui_px(6)};
        SetBkMode(dc, TRANSPARENT);
        SetTextColor(dc, g.c.text);
        SelectObject(dc, g.font);
        DrawTextW(dc, text, -1, &t, DT_WORDBREAK | DT_NOPREFIX | DT_EDITCONTROL);
        DeleteObject(bg);
        DeleteObject(wb);
        DeleteObject(pen);
        EndPaint(hwnd, &ps);
        return 0;
    }
    (void)id;
    (void)data;
    return DefSubclassProc(hwnd, msg, wp, lp);
}

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    dda *p = (dda *)GetWindowLongPtrW(hwnd, 0);
    switch (msg) {
    case WM_CREATE:
        if (!(p = gui_page_new(hwnd, sizeof(*p))))
            return -1;
        p->warning = gui_label(hwnd, gui_s(IDS_DDA_WARNING), 0, 0);
        SetWindowSubclass(p->warning, warning_proc, 1, 0);
        p->head = gui_heading(hwnd, gui_s(IDS_DEVICES), SS_CENTERIMAGE);
        /* The list first: it is where the keyboard starts on this page. */
        p->list = gui_listview(hwnd, IDC_LIST, 0);
        gui_lv_column(p->list, 0, gui_s(IDS_COL_NAME), 290);
        gui_lv_column(p->list, 1, gui_s(IDS_COL_STATE), 180);
        gui_lv_column(p->list, 2, gui_s(IDS_COL_CLASS), 100);
        gui_lv_column(p->list, 3, gui_s(IDS_COL_LOCATION), 160);
        p->refresh = gui_button(hwnd, gui_s(IDS_REFRESH), IDC_REFRESH, 0);
        p->move = gui_button(hwnd, gui_s(IDS_MOVE_TO), IDC_MOVE, 1);
        p->recover = gui_button(hwnd, gui_s(IDS_RECOVER), IDC_RECOVER, 0);
        p->note = gui_label(hwnd, L"", GUI_ID_SUBTLE, SS_ENDELLIPSIS);
        p->details = gui_details(hwnd);
        fill(hwnd, p);
        return 0;
    case UM_ACTIVATE:
        if (wp == IDC_LIST)
            move_menu(hwnd, p, -1, -1, 0);
        return 0;
    case WM_NOTIFY: {
        NMHDR *h = (NMHDR *)lp;
        if (h->idFrom != IDC_LIST)
            break;
        if (h->code == NM_CUSTOMDRAW)
            return custom_draw((NMLVCUSTOMDRAW *)lp);
        if (h->code == LVN_ITEMCHANGED)
            details(p);
        else if (h->code == LVN_ITEMACTIVATE)   /* a double click; Enter is UM_ACTIVATE */
            move_menu(hwnd, p, -1, -1, 0);
        break;
    }
    case WM_CONTEXTMENU:
        if ((HWND)wp == p->list) {
            int x = GET_X_LPARAM(lp), y = GET_Y_LPARAM(lp);
            if (x != -1 || y != -1) {
                LVHITTESTINFO hit = {0};
                hit.pt.x = x;
                hit.pt.y = y;
                ScreenToClient(p->list, &hit.pt);
                if (ListView_HitTest(p->list, &hit) >= 0)
                    ListView_SetItemState(p->list, hit.iItem, LVIS_SELECTED | LVIS_FOCUSED,
                                          LVIS_SELECTED | LVIS_FOCUSED);
            }
            move_menu(hwnd, p, x, y, 0);
            return 0;
        }
        break;
    case WM_COMMAND:
        switch (LOWORD(wp)) {
        case IDC_REFRESH:
            gui_refresh();
            return 0;
        case IDC_MOVE:
            move_menu(hwnd, p, -1, -1, 1);
            return 0;
        case IDC_RECOVER: {
            const exhv_device *d = selected(p);
            if (d && stuck(d)) {
                gui_op op = {GUI_OP_ASSIGN};
                op.device = d->pnp.instance_id[0] ? d->pnp.instance_id : d->pnp.location_path;
                gui_op_start(&op);
            }
            return 0;
        }
        default:
            break;
        }
        break;
    default:
        break;
    }
    return gui_page_default(hwnd, msg, wp, lp, &gui_page_dda);
}

const gui_page_def gui_page_dda = {L"exhv.page.dda", proc, 0, fill, layout};
