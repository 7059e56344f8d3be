/* GPU partitions (GPU-PV): the host's GPUs (vendor, memory with a bar,
 * partitionable, driver version, WDDM level) and each VM with its GPU
 * partition adapters and its guest driver state; Add GPU (a picker of
 * partitionable GPUs and the share), Remove. A details pane shows the
 * selected GPU (instance ID, location, partition path, the partition
 * resources Hyper-V offers) or VM row (its adapter's ID, GPU and values,
 * the drivers exhv put into its guest). */
#include <windows.h>
#include <commctrl.h>
#include <uxtheme.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "core/buf.h"
#include "gui/gui.h"
#include "platform/win32/utf16.h"

typedef struct gpu_page {
    gui_scroll scroll;       /* first, as every page's (kit.c) */
    HWND head_gpus, gpus, head_vms, refresh, add, remove, drivers, vms, note, details;
    int on_vms;              /* the details are the VM list's selection, not the GPU's */
    gui_op pending;          /* picked, started once the picker has gone (its strings
                              * are this page's) */
} gpu_page;

#define UM_START_ADD (WM_APP + 20)

static void pending_free(gpu_page *p)
{
    free(p->pending.vm);
    free(p->pending.gpu);
    p->pending = (gui_op){0};
}

/* A VM row's lParam: the VM's index << 16 | (adapter index + 1), 0 for
 * the VM's own row when it has no adapter. */
#define ROW_PARAM(vm, ad) ((LPARAM)(((vm) << 16) | (ad)))

static int selected(gpu_page *p, size_t *vm, long *adapter)
{
    int i = ListView_GetNextItem(p->vms, -1, LVNI_SELECTED);
    LVITEMW it = {0};
    if (i < 0 || !g.host)
        return -1;
    it.mask = LVIF_PARAM;
    it.iItem = i;
    ListView_GetItem(p->vms, &it);
    *vm = (size_t)(it.lParam >> 16);
    *adapter = (long)(it.lParam & 0xffff) - 1;
    return *vm < g.host->nvms ? 0 : -1;
}

static void buttons(gpu_page *p)
{
    size_t vm;
    long ad;
    int ok = g.host && g.host->hyperv && selected(p, &vm, &ad) == 0;
    EnableWindow(p->add, ok);
    EnableWindow(p->remove, ok && ad >= 0);
    /* Drivers are imported for a GPU the VM has a partition of. */
    EnableWindow(p->drivers, ok && g.host->vms[vm].nadapters > 0);
}

/* A VM's guest driver state in a word or two, for its row; "" when it
 * has none to show. */
static const wchar_t *drivers_word(const exhv_vm *vm)
{
    static const UINT words[EXHV_GDRV__COUNT] = {
        [EXHV_GDRV_NONE] = IDS_GDRV_NONE,           [EXHV_GDRV_CURRENT] = IDS_GDRV_S_CURRENT,
        [EXHV_GDRV_STALE] = IDS_GDRV_S_STALE,       [EXHV_GDRV_GPU_MISSING] = IDS_GDRV_S_GPU_MISSING,
        [EXHV_GDRV_UNKNOWN] = IDS_GDRV_S_UNKNOWN,   [EXHV_GDRV_MALFORMED] = IDS_GDRV_S_MALFORMED,
    };
    return vm->drivers.state < EXHV_GDRV__COUNT && words[vm->drivers.state]
               ? gui_s(words[vm->drivers.state])
               : L"";
}

/* A VM's guest driver state in a sentence, for the details; "" when it
 * has none to show. */
static void drivers_words(const exhv_vm *vm, wchar_t *out, size_t n)
{
    const exhv_guest_drivers *d = &vm->drivers;
    wchar_t have[128], now[128], why[512];
    gui_w(have, 128, d->record.driver_version ? d->record.driver_version : "?");
    gui_w(now, 128, d->host_version ? d->host_version : "?");
    out[0] = 0;
    switch (d->state) {
    case EXHV_GDRV_NONE: wcsncpy(out, gui_s(IDS_GDRV_NONE), n - 1); out[n - 1] = 0; break;
    case EXHV_GDRV_CURRENT: gui_fmt(out, n, IDS_GDRV_CURRENT, have); break;
    case EXHV_GDRV_STALE: gui_fmt(out, n, IDS_GDRV_STALE, have, now); break;
    case EXHV_GDRV_GPU_MISSING: gui_fmt(out, n, IDS_GDRV_GPU_MISSING, have); break;
    case EXHV_GDRV_UNKNOWN: gui_fmt(out, n, IDS_GDRV_UNKNOWN, have); break;
    case EXHV_GDRV_MALFORMED:
        gui_w(why, 512, d->record.problem ? d->record.problem : "");
        gui_fmt(out, n, IDS_GDRV_MALFORMED, why);
        break;
    default: break;
    }
}

static const exhv_gpu *gpu_named(const char *instance_path)
{
    for (size_t k = 0; g.host && instance_path && instance_path[0] && k < g.host->ngpus; k++)
        if (g.host->gpus[k].partition_path &&
            _stricmp(g.host->gpus[k].partition_path, instance_path) == 0)
            return &g.host->gpus[k];
    return NULL;
}

/* A line of the details pane: fmt (a resource string) filled with a[]
 * (up to six wide strings), under label, or indented when label is 0. */
static void kv_fmt(exhv_buf *b, UINT label, UINT fmt, const wchar_t *const a[6])
{
    wchar_t line[1024];
    char *u;
    gui_fmt(line, 1024, fmt, a[0], a[1], a[2], a[3], a[4], a[5]);
    u = exhv_w_to_utf8(line);
    if (label)
        gui_kv(b, label, u);
    else
        exhv_buf_printf(b, "    %s\r\n", u ? u : "");
    free(u);
}

static void num(wchar_t *out, uint64_t v)
{
    swprintf(out, 32, L"%llu", (unsigned long long)v);
}

static void gpu_details(exhv_buf *b, const exhv_gpu *gp)
{
    static const UINT res[4] = {IDS_RES_VRAM, IDS_RES_ENCODE, IDS_RES_DECODE, IDS_RES_COMPUTE};
    char vram[64];
    gui_kv(b, IDS_COL_NAME, gp->name);
    gui_kv(b, IDS_COL_VENDOR, gp->vendor);
    snprintf(vram, sizeof(vram), "%llu MB", (unsigned long long)(gp->vram_bytes / (1024 * 1024)));
    gui_kv(b, IDS_COL_VRAM, vram);
    gui_kv(b, IDS_D_INSTANCE, gp->instance_id);
    gui_kv(b, IDS_D_LOCATION, gp->location_path);
    gui_kv(b, IDS_D_PARTITION_PATH, gp->partition_path ? gp->partition_path : "-");
    gui_kv(b, IDS_COL_DRIVER, gp->driver_version);
    if (!gp->partitionable) {
        char *no = exhv_w_to_utf8(gui_s(gp->disabled ? IDS_DISABLED : IDS_NO));
        gui_kv(b, IDS_D_PARTITIONS, no);
        free(no);
        return;
    }
    {
        wchar_t count[32], valid[256] = L"";
        num(count, gp->part.partition_count);
        for (size_t i = 0; i < gp->part.nvalid; i++) {
            wchar_t one[32];
            num(one, gp->part.valid_counts[i]);
            if (i)
                wcsncat(valid, L", ", 255 - wcslen(valid));
            wcsncat(valid, one, 255 - wcslen(valid));
        }
        kv_fmt(b, IDS_D_PARTITIONS, IDS_D_PART_FMT, (const wchar_t *[6]){count, valid});
    }
    for (int r = 0; r < 4; r++) {
        wchar_t t[32], a[32], mn[32], mx[32], op[32];
        num(t, gp->part.total[r]);
        num(a, gp->part.available[r]);
        num(mn, gp->part.min[r]);
        num(mx, gp->part.max[r]);
        num(op, gp->part.optimal[r]);
        kv_fmt(b, 0, IDS_D_RES_FMT, (const wchar_t *[6]){gui_s(res[r]), t, a, mn, mx, op});
    }
}

static void vm_details(exhv_buf *b, const exhv_vm *vm, long ad)
{
    static const UINT res[4] = {IDS_RES_VRAM, IDS_RES_ENCODE, IDS_RES_DECODE, IDS_RES_COMPUTE};
    wchar_t words[1024];
    char *u;
    gui_kv(b, IDS_COL_VM, vm->name);
    if (ad >= 0 && (size_t)ad < vm->nadapters) {
        const exhv_gpu_adapter *a = &vm->adapters[ad];
        const exhv_gpu *gp = gpu_named(a->instance_path);
        gui_kv(b, IDS_D_ADAPTER, a->id);
        if (!a->instance_path[0]) {
            u = exhv_w_to_utf8(gui_s(IDS_HYPERV_CHOICE));
            gui_kv(b, IDS_D_ADAPTER_GPU, u);
            free(u);
        } else {
            gui_kv(b, IDS_D_ADAPTER_GPU, gp ? gp->name : a->instance_path);
            gui_kv(b, IDS_D_PARTITION_PATH, a->instance_path);
        }
        if (a->nvalues == 12) {
            gui_kv(b, IDS_D_VALUES, "");
            /* exhv_gpu_value_names' order: Min, Max, Optimal of each resource. */
            for (int r = 0; r < 4; r++) {
                wchar_t mn[32], mx[32], op[32];
                swprintf(mn, 32, L"%lld", (long long)a->values[r * 3]);
                swprintf(mx, 32, L"%lld", (long long)a->values[r * 3 + 1]);
                swprintf(op, 32, L"%lld", (long long)a->values[r * 3 + 2]);
                kv_fmt(b, 0, IDS_D_VALUES_FMT, (const wchar_t *[6]){gui_s(res[r]), mn, mx, op});
            }
        } else {
            u = exhv_w_to_utf8(gui_s(IDS_D_VALUES_DEFAULT));
            gui_kv(b, IDS_D_VALUES, u);
            free(u);
        }
    }
    drivers_words(vm, words, 1024);
    if (words[0]) {
        u = exhv_w_to_utf8(words);
        gui_kv(b, IDS_COL_GUEST_DRIVERS, u);
        free(u);
        for (size_t i = 0; i < vm->drivers.record.npackages; i++) {
            if (i == 0)
                gui_kv(b, IDS_D_PACKAGES, "");
            exhv_buf_printf(b, "    %s\r\n", vm->drivers.record.packages[i]);
        }
    }
}

/* The details of the list the user chose in last. */
static void details(gpu_page *p)
{
    exhv_buf b = EXHV_BUF_INIT;
    size_t vm;
    long ad;
    int gi = ListView_GetNextItem(p->gpus, -1, LVNI_SELECTED);
    if (p->on_vms && selected(p, &vm, &ad) == 0)
        vm_details(&b, &g.host->vms[vm], ad);
    else if (!p->on_vms && gi >= 0 && g.host && (size_t)gi < g.host->ngpus)
        gpu_details(&b, &g.host->gpus[gi]);
    if (b.len)
        gui_details_set(p->details, &b);
    else
        SetWindowTextW(p->details, gui_s(IDS_D_SELECT_GPU));
    exhv_buf_release(&b);
}

static void fill(HWND hwnd, void *vp)
{
    gpu_page *p = vp;
    int row = 0, keep = ListView_GetNextItem(p->vms, -1, LVNI_SELECTED);
    int keep_gpu = ListView_GetNextItem(p->gpus, -1, LVNI_SELECTED);
    ListView_DeleteAllItems(p->gpus);
    ListView_DeleteAllItems(p->vms);
    for (size_t i = 0; g.host && i < g.host->ngpus; i++) {
        const exhv_gpu *gp = &g.host->gpus[i];
        wchar_t t[512];
        LVITEMW it = {0};
        gui_w(t, 512, gp->name);
        it.mask = LVIF_TEXT | LVIF_PARAM;
        it.iItem = (int)i;
        it.pszText = t;
        it.lParam = (LPARAM)i;
        ListView_InsertItem(p->gpus, &it);
        gui_w(t, 512, gp->vendor);
        gui_lv_set(p->gpus, (int)i, 1, t);
        if (gp->vram_bytes >= 1024ull * 1024 * 1024)
            swprintf(t, 512, L"%.0f GB", (double)gp->vram_bytes / (1024.0 * 1024 * 1024));
        else
            swprintf(t, 512, L"%llu MB", (unsigned long long)(gp->vram_bytes / (1024 * 1024)));
        gui_lv_set(p->gpus, (int)i, 2, t);
        if (gp->disabled)
            swprintf(t, 512, L"%ls", gui_s(IDS_DISABLED));
        else if (gp->partitionable)
            swprintf(t, 512, L"%ls (%llu)", gui_s(IDS_YES),
                     (unsigned long long)gp->part.partition_count);
        else
            swprintf(t, 512, L"%ls", gui_s(IDS_NO));
        gui_lv_set(p->gpus, (int)i, 3, t);
        gui_w(t, 512, gp->driver_version);
        gui_lv_set(p->gpus, (int)i, 4, t);
        if (gp->wddm_major)
            swprintf(t, 512, L"%d.%d", gp->wddm_major, gp->wddm_minor);
        else
            swprintf(t, 512, L"-");
        gui_lv_set(p->gpus, (int)i, 5, t);
    }
    for (size_t v = 0; g.host && v < g.host->nvms; v++) {
        const exhv_vm *vm = &g.host->vms[v];
        wchar_t t[512];
        size_t n = vm->nadapters ? vm->nadapters : 1;
        for (size_t a = 0; a < n; a++, row++) {
            LVITEMW it = {0};
            if (a == 0)
                gui_w(t, 512, vm->name);
            else
                t[0] = 0;
            it.mask = LVIF_TEXT | LVIF_PARAM;
            it.iItem = row;
            it.pszText = t;
            it.lParam = ROW_PARAM(v, vm->nadapters ? a + 1 : 0);
            ListView_InsertItem(p->vms, &it);
            if (a == 0) {
                gui_lv_set(p->vms, row, 1,
                           gui_s(IDS_VMST_OFF + (vm->state < EXHV_VM__COUNT ? (UINT)vm->state
                                                                              : EXHV_VM_OTHER)));
                gui_lv_set(p->vms, row, 3, drivers_word(vm));
            }
            if (!vm->nadapters) {
                gui_lv_set(p->vms, row, 2, gui_s(IDS_NONE));
                continue;
            }
            {
                const exhv_gpu_adapter *ad = &vm->adapters[a];
                const char *gname = NULL;
                wchar_t gw[400];
                for (size_t k = 0; k < g.host->ngpus; k++)
                    if (ad->instance_path[0] && g.host->gpus[k].partition_path &&
                        _stricmp(g.host->gpus[k].partition_path, ad->instance_path) == 0)
                        gname = g.host->gpus[k].name;
                if (ad->stale)
                    swprintf(t, 512, L"%ls", gui_s(IDS_STALE));
                else if (!ad->instance_path[0])
                    swprintf(t, 512, L"%ls", gui_s(IDS_HYPERV_CHOICE));
                else {
                    gui_w(gw, 400, gname ? gname : ad->instance_path);
                    gui_fmt(t, 512, IDS_ADAPTER_FOR, gw);
                }
                gui_lv_set(p->vms, row, 2, t);
            }
        }
    }
    gui_lv_reselect(p->gpus, keep_gpu, (int)(g.host ? g.host->ngpus : 0));
    gui_lv_reselect(p->vms, keep, row);
    /* Selecting rows above said nothing of the user's choice: the details
     * are the list the keyboard is in. */
    p->on_vms = GetFocus() == p->vms;
    buttons(p);
    details(p);
}

static void layout(HWND hwnd, void *vp)
{
    gpu_page *p = vp;
    RECT r;
    int m = gui_px(24), y, width, bh = gui_px(32), bw = gui_px(120), x, gh, rows;
    GetClientRect(hwnd, &r);
    width = r.right - 2 * m;
    y = m;
    gui_place(p->head_gpus, m, y, width, bh);
    y += bh + gui_px(8);
    rows = g.host && g.host->ngpus ? (int)g.host->ngpus : 1;
    gh = gui_px(32) + rows * gui_px(22);
    gui_place(p->gpus, m, y, width, gh);
    gui_lv_fit(p->gpus);
    y += gh + gui_px(18);
    {
        HWND row[] = {p->drivers, p->remove, p->add, p->refresh};
        x = gui_buttons_right(row, 4, r.right - m, y, bw, bh);
    }
    gui_place(p->head_vms, m, y, x - m, bh);
    y += bh + gui_px(10);
    {
        int det_h = gui_px(150), vh = r.bottom - y - m - det_h - gui_px(10);
        if (vh < gui_px(90))
            vh = gui_px(90);
        gui_place(p->vms, m, y, width, vh);
        gui_lv_fit(p->vms);
        y += vh + gui_px(10);
        gui_place(p->details, m, y, width, r.bottom - y - m);
        gui_edit_fit(p->details);
    }
}

/* The memory column shows a bar beside its text, scaled to the largest
 * GPU's memory, drawn once the whole list is. On the row drawn in the
 * accent colour (selected, the list has the keyboard) the bar takes the
 * colour of that row's text: in the accent it would not be seen. */
static void gpus_bars(HWND lv, HDC dc)
{
    uint64_t most = 0;
    int n = ListView_GetItemCount(lv);
    for (size_t k = 0; g.host && k < g.host->ngpus; k++)
        if (g.host->gpus[k].vram_bytes > most)
            most = g.host->gpus[k].vram_bytes;
    for (int row = 0; g.host && row < n; row++) {
        LVITEMW it = {0};
        RECT r;
        it.mask = LVIF_PARAM;
        it.iItem = row;
        if (!ListView_GetItem(lv, &it) || (size_t)it.lParam >= g.host->ngpus ||
            !ListView_GetSubItemRect(lv, row, 2, LVIR_BOUNDS, &r))
            continue;
        r.left += gui_px(70);
        r.right -= gui_px(8);
        r.top += (r.bottom - r.top) / 2 - gui_px(3);
        r.bottom = r.top + gui_px(6);
        if (r.right <= r.left)
            continue;
        if (GetFocus() == lv && ListView_GetItemState(lv, row, LVIS_SELECTED))
            gui_draw_bar_in(dc, r, most ? (double)g.host->gpus[it.lParam].vram_bytes / (double)most : 0,
                            g.c.sel, g.c.accent_text);
        else
            gui_draw_bar(dc, r, most ? (double)g.host->gpus[it.lParam].vram_bytes / (double)most : 0);
    }
}

static LRESULT gpus_draw(NMLVCUSTOMDRAW *cd)
{
    switch (cd->nmcd.dwDrawStage) {
    case CDDS_PREPAINT:
        return CDRF_NOTIFYITEMDRAW | CDRF_NOTIFYPOSTPAINT;
    case CDDS_ITEMPREPAINT:
        return CDRF_NOTIFYSUBITEMDRAW;
    case CDDS_ITEMPREPAINT | CDDS_SUBITEM: {
        COLORREF ink = 0;
        size_t i = (size_t)cd->nmcd.lItemlParam;
        if (cd->iSubItem == 3 && g.host && i < g.host->ngpus)
            ink = g.host->gpus[i].partitionable ? g.c.pass : g.c.subtle;
        gui_lv_item(cd, ink, 0);
        return CDRF_NEWFONT;
    }
    case CDDS_POSTPAINT:
        gpus_bars(cd->nmcd.hdr.hwndFrom, cd->nmcd.hdc);
        return CDRF_DODEFAULT;
    default:
        return CDRF_DODEFAULT;
    }
}

static LRESULT vms_draw(NMLVCUSTOMDRAW *cd)
{
    switch (cd->nmcd.dwDrawStage) {
    case CDDS_PREPAINT:
        return CDRF_NOTIFYITEMDRAW;
    case CDDS_ITEMPREPAINT: {
        size_t v = (size_t)(cd->nmcd.lItemlParam >> 16);
        long a = (long)(cd->nmcd.lItemlParam & 0xffff) - 1;
        if (g.host && v < g.host->nvms && a >= 0 && (size_t)a < g.host->vms[v].nadapters &&
            g.host->vms[v].adapters[a].stale)
            return gui_lv_item(cd, g.c.fail, g.c.warn_bg);
        return gui_lv_item(cd, 0, 0);
    }
    default:
        return CDRF_DODEFAULT;
    }
}

/* ---- the Add GPU picker ---- */

typedef struct picker {
    HWND combo, share, spin, import;
    int done, ok, share_value, no_drivers;
    char *gpu;   /* location path or instance ID; NULL Hyper-V's choice */
} picker;

static LRESULT CALLBACK picker_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    picker *k = (picker *)GetWindowLongPtrW(hwnd, 0);
    LRESULT res;
    switch (msg) {
    case WM_CREATE: {
        const CREATESTRUCTW *cs = (const CREATESTRUCTW *)lp;
        int m = gui_px(16), y = m, w = gui_px(420) - 2 * m;
        HWND l;
        k = (picker *)cs->lpCreateParams;
        SetWindowLongPtrW(hwnd, 0, (LONG_PTR)k);
        gui_title_bar(hwnd);
        l = gui_label(hwnd, gui_s(IDS_PICK_GPU), 0, 0);
        gui_place(l, m, y, w, gui_px(22));
        y += gui_px(24);
        k->combo = CreateWindowExW(0, WC_COMBOBOXW, L"",
                                   WS_CHILD | WS_VISIBLE | WS_TABSTOP | CBS_DROPDOWNLIST | WS_VSCROLL,
                                   m, y, w, gui_px(200), hwnd, (HMENU)IDC_GPU_PICK, g.inst, NULL);
        SendMessageW(k->combo, WM_SETFONT, (WPARAM)g.font, FALSE);
        gui_dark_controls(k->combo);
        for (size_t i = 0; g.host && i < g.host->ngpus; i++) {
            wchar_t t[400];
            int at;
            if (!g.host->gpus[i].partitionable)
                continue;
            gui_w(t, 400, g.host->gpus[i].name);
            at = (int)SendMessageW(k->combo, CB_ADDSTRING, 0, (LPARAM)t);
            /* The GPU's path, copied: a refresh may replace the snapshot
             * while the picker is open. */
            SendMessageW(k->combo, CB_SETITEMDATA, (WPARAM)at,
                         (LPARAM)exhv_strdup(g.host->gpus[i].location_path &&
                                                     g.host->gpus[i].location_path[0]
                                                 ? g.host->gpus[i].location_path
                                                 : g.host->gpus[i].instance_id));
        }
        {
            int at = (int)SendMessageW(k->combo, CB_ADDSTRING, 0, (LPARAM)gui_s(IDS_HYPERV_CHOICE));
            SendMessageW(k->combo, CB_SETITEMDATA, (WPARAM)at, 0);
        }
        SendMessageW(k->combo, CB_SETCURSEL, 0, 0);
        y += gui_px(40);
        l = gui_label(hwnd, gui_s(IDS_SHARE), 0, 0);
        gui_place(l, m, y, w, gui_px(22));
        y += gui_px(24);
        k->share = CreateWindowExW(WS_EX_CLIENTEDGE, L"EDIT", L"0",
                                   WS_CHILD | WS_VISIBLE | WS_TABSTOP | ES_NUMBER, m, y, gui_px(90),
                                   gui_px(28), hwnd, (HMENU)IDC_SHARE, g.inst, NULL);
        SendMessageW(k->share, WM_SETFONT, (WPARAM)g.font, FALSE);
        gui_dark_controls(k->share);
        gui_flat_frame(k->share);
        k->spin = CreateWindowExW(0, UPDOWN_CLASSW, L"",
                                  WS_CHILD | WS_VISIBLE | UDS_SETBUDDYINT | UDS_ALIGNRIGHT |
                                      UDS_ARROWKEYS,
                                  0, 0, 0, 0, hwnd, (HMENU)IDC_SHARE_SPIN, g.inst, NULL);
        SendMessageW(k->spin, UDM_SETBUDDY, (WPARAM)k->share, 0);
        SendMessageW(k->spin, UDM_SETRANGE32, 0, 100);
        SendMessageW(k->spin, UDM_SETPOS32, 0, 0);
        y += gui_px(34);
        l = gui_label(hwnd, gui_s(IDS_SHARE_HINT), GUI_ID_SUBTLE, 0);
        gui_place(l, m, y, w, gui_text_height(g.font, gui_s(IDS_SHARE_HINT), w));
        y += gui_text_height(g.font, gui_s(IDS_SHARE_HINT), w) + gui_px(10);
        /* The seed imports the host's driver with every GPU it adds; so
         * does exhv gpu add unless --no-drivers. */
        k->import = CreateWindowExW(0, L"BUTTON", gui_s(IDS_IMPORT_DRIVERS),
                                    WS_CHILD | WS_VISIBLE | WS_TABSTOP | BS_AUTOCHECKBOX, m, y, w,
                                    gui_px(24), hwnd, (HMENU)IDC_IMPORT_DRIVERS, g.inst, NULL);
        SendMessageW(k->import, WM_SETFONT, (WPARAM)g.font, FALSE);
        SendMessageW(k->import, BM_SETCHECK, BST_CHECKED, 0);
        /* Themed, a check box ignores the text colour: classic in the dark. */
        if (g.dark)
            SetWindowTheme(k->import, L"", L"");
        y += gui_px(24) + gui_px(14);
        l = gui_button(hwnd, gui_s(IDS_OK), IDOK, 1);
        gui_place(l, m + w - 2 * gui_px(110) - gui_px(8), y, gui_px(110), gui_px(32));
        l = gui_button(hwnd, gui_s(IDS_CANCEL), IDCANCEL, 0);
        gui_place(l, m + w - gui_px(110), y, gui_px(110), gui_px(32));
        {
            RECT rc = {0, 0, gui_px(420), y + gui_px(32) + m};
            AdjustWindowRectEx(&rc, (DWORD)GetWindowLongW(hwnd, GWL_STYLE), FALSE,
                               (DWORD)GetWindowLongW(hwnd, GWL_EXSTYLE));
            SetWindowPos(hwnd, NULL, 0, 0, rc.right - rc.left, rc.bottom - rc.top,
                         SWP_NOMOVE | SWP_NOZORDER);
        }
        SetFocus(k->combo);
        return 0;
    }
    case WM_COMMAND:
        if (LOWORD(wp) == IDOK) {
            int sel = (int)SendMessageW(k->combo, CB_GETCURSEL, 0, 0);
            LPARAM gi = sel >= 0 ? SendMessageW(k->combo, CB_GETITEMDATA, (WPARAM)sel, 0) : 0;
            BOOL fail = FALSE;
            k->share_value = (int)SendMessageW(k->spin, UDM_GETPOS32, 0, (LPARAM)&fail);
            if (fail || k->share_value < 0 || k->share_value > 100)
                k->share_value = 0;
            if (gi && gi != CB_ERR)
                k->gpu = exhv_strdup((const char *)gi);
            k->no_drivers = SendMessageW(k->import, BM_GETCHECK, 0, 0) != BST_CHECKED;
            k->ok = 1;
            k->done = 1;
            return 0;
        }
        if (LOWORD(wp) == IDCANCEL) {
            k->done = 1;
            return 0;
        }
        break;
    case DM_GETDEFID:
        return MAKELONG(IDOK, DC_HASDEFID);
    case WM_CLOSE:
        k->done = 1;
        return 0;
    case WM_DESTROY: {
        int n = (int)SendMessageW(k->combo, CB_GETCOUNT, 0, 0);
        for (int i = 0; i < n; i++) {
            LRESULT d = SendMessageW(k->combo, CB_GETITEMDATA, (WPARAM)i, 0);
            if (d && d != CB_ERR)
                free((void *)d);
        }
        return 0;
    }
    default:
        if (gui_common_msg(hwnd, msg, wp, lp, &res))
            return res;
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

/* A small modal window of our own (its own loop): returns 1 when OK. */
static int pick(HWND owner, picker *k)
{
    static int registered, showing;
    HWND w;
    MSG m;
    RECT r;
    if (!registered) {
        WNDCLASSEXW wc = {sizeof(wc)};
        wc.lpfnWndProc = picker_proc;
        wc.hInstance = g.inst;
        wc.hCursor = LoadCursorW(NULL, MAKEINTRESOURCEW(32512));
        wc.lpszClassName = L"exhv.picker";
        wc.cbWndExtra = sizeof(void *);
        RegisterClassExW(&wc);
        registered = 1;
    }
    if (showing || g.op)
        return 0;   /* one picker, and none over an operation */
    GetWindowRect(g.main, &r);
    EnableWindow(g.main, FALSE);
    w = CreateWindowExW(WS_EX_DLGMODALFRAME | WS_EX_CONTROLPARENT, L"exhv.picker",
                        gui_s(IDS_GPU_ADD), WS_POPUP | WS_CAPTION | WS_SYSMENU,
                        r.left + gui_px(200), r.top + gui_px(160), gui_px(440), gui_px(300), g.main,
                        NULL, g.inst, k);
    if (!w) {
        EnableWindow(g.main, TRUE);
        return 0;
    }
    {
        /* The title's mnemonic is for the button, not the caption: "&Add"
         * loses its '&', Chinese "添加(&A)" its whole "(&A)". */
        wchar_t t[128], *o = t;
        for (const wchar_t *s = gui_s(IDS_GPU_ADD); *s && o < t + 127; s++) {
            if (s[0] == '(' && s[1] == '&' && s[2] && s[3] == ')') {
                s += 3;
                continue;
            }
            if (*s != '&')
                *o++ = *s;
        }
        *o = 0;
        SetWindowTextW(w, t);
    }
    ShowWindow(w, SW_SHOW);
    showing = 1;
    /* Enter is OK's (DM_GETDEFID) and Esc Cancel's, through the dialog
     * manager, for this window's controls only. */
    while (!k->done && GetMessageW(&m, NULL, 0, 0) > 0) {
        if (IsDialogMessageW(w, &m))
            continue;
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    showing = 0;
    EnableWindow(g.main, TRUE);
    DestroyWindow(w);
    (void)owner;
    return k->ok;
}

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    gpu_page *p = (gpu_page *)GetWindowLongPtrW(hwnd, 0);
    switch (msg) {
    case WM_CREATE:
        if (!(p = gui_page_new(hwnd, sizeof(*p))))
            return -1;
        p->head_gpus = gui_heading(hwnd, gui_s(IDS_GPUS_HOST), SS_CENTERIMAGE);
        p->gpus = gui_listview(hwnd, IDC_LIST, LVS_NOSORTHEADER);
        gui_lv_column(p->gpus, 0, gui_s(IDS_COL_NAME), 205);
        gui_lv_column(p->gpus, 1, gui_s(IDS_COL_VENDOR), 75);
        gui_lv_column(p->gpus, 2, gui_s(IDS_COL_VRAM), 150);
        gui_lv_column(p->gpus, 3, gui_s(IDS_COL_PARTITIONABLE), 90);
        gui_lv_column(p->gpus, 4, gui_s(IDS_COL_DRIVER), 120);
        gui_lv_column(p->gpus, 5, gui_s(IDS_COL_WDDM), 60);
        p->head_vms = gui_heading(hwnd, gui_s(IDS_VMS), SS_CENTERIMAGE);
        p->vms = gui_listview(hwnd, IDC_LIST2, LVS_NOSORTHEADER);
        gui_lv_column(p->vms, 0, gui_s(IDS_COL_VM), 200);
        gui_lv_column(p->vms, 1, gui_s(IDS_VM_STATE), 110);
        gui_lv_column(p->vms, 2, gui_s(IDS_COL_ADAPTERS), 290);
        gui_lv_column(p->vms, 3, gui_s(IDS_COL_GUEST_DRIVERS), 140);
        p->refresh = gui_button(hwnd, gui_s(IDS_REFRESH), IDC_REFRESH, 0);
        p->add = gui_button(hwnd, gui_s(IDS_GPU_ADD), IDC_GPU_ADD, 1);
        p->remove = gui_button(hwnd, gui_s(IDS_GPU_REMOVE), IDC_GPU_REMOVE, 0);
        p->drivers = gui_button(hwnd, gui_s(IDS_GPU_DRIVERS), IDC_GPU_DRIVERS, 0);
        p->details = gui_details(hwnd);
        fill(hwnd, p);
        return 0;
    case WM_NOTIFY: {
        NMHDR *h = (NMHDR *)lp;
        if (h->idFrom == IDC_LIST && h->code == NM_CUSTOMDRAW)
            return gpus_draw((NMLVCUSTOMDRAW *)lp);
        if (h->idFrom == IDC_LIST2 && h->code == NM_CUSTOMDRAW)
            return vms_draw((NMLVCUSTOMDRAW *)lp);
        if (h->idFrom == IDC_LIST2 && h->code == LVN_ITEMCHANGED)
            buttons(p);
        /* The details follow the list last chosen in. */
        if ((h->idFrom == IDC_LIST || h->idFrom == IDC_LIST2) &&
            (h->code == NM_SETFOCUS ||
             (h->code == LVN_ITEMCHANGED && (((NMLISTVIEW *)lp)->uNewState & LVIS_SELECTED)))) {
            p->on_vms = h->idFrom == IDC_LIST2;
            details(p);
        }
        /* A double click (Enter comes as UM_ACTIVATE). */
        if (h->idFrom == IDC_LIST2 && h->code == LVN_ITEMACTIVATE)
            SendMessageW(hwnd, WM_COMMAND, IDC_GPU_ADD, 0);
        break;
    }
    case WM_COMMAND:
        switch (LOWORD(wp)) {
        case IDC_REFRESH:
            gui_refresh();
            return 0;
        case IDC_GPU_ADD: {
            size_t vm;
            long ad;
            picker k = {0};
            char *vm_id;
            if (selected(p, &vm, &ad) < 0 || !g.host->hyperv)
                return 0;
            /* The picker waits for the user while a refresh may replace
             * the snapshot: the VM is named by its ID, copied. */
            if (!(vm_id = exhv_strdup(g.host->vms[vm].id)))
                return 0;
            if (pick(hwnd, &k)) {
                /* After the activation that follows the picker's end: the
                 * operation window then keeps the keyboard. */
                pending_free(p);
                p->pending = (gui_op){GUI_OP_GPU_ADD};
                p->pending.vm = vm_id;
                p->pending.gpu = k.gpu;
                p->pending.share = k.share_value;
                p->pending.no_drivers = k.no_drivers;
                PostMessageW(hwnd, UM_START_ADD, 0, 0);
            } else {
                free(k.gpu);
                free(vm_id);
            }
            return 0;
        }
        case IDC_GPU_DRIVERS: {
            size_t vm;
            long ad;
            gui_op op = {GUI_OP_GPU_DRIVERS};
            if (selected(p, &vm, &ad) < 0 || !g.host->vms[vm].nadapters)
                return 0;
            op.vm = g.host->vms[vm].id;
            gui_op_start(&op);
            return 0;
        }
        case IDC_GPU_REMOVE: {
            size_t vm;
            long ad;
            if (selected(p, &vm, &ad) < 0 || ad < 0)
                return 0;
            {
                gui_op op = {GUI_OP_GPU_REMOVE};
                op.vm = g.host->vms[vm].id;
                op.adapter = g.host->vms[vm].adapters[ad].id;
                gui_op_start(&op);
            }
            return 0;
        }
        default:
            break;
        }
        break;
    case UM_ACTIVATE:
        if (wp == IDC_LIST2)
            SendMessageW(hwnd, WM_COMMAND, IDC_GPU_ADD, 0);
        return 0;
    case UM_START_ADD:
        if (p->pending.kind == GUI_OP_GPU_ADD && p->pending.vm)
            gui_op_start(&p->pending);
        pending_free(p);
        return 0;
    case WM_NCDESTROY:
        if (p)
            pending_free(p);
        break;
    default:
        break;
    }
    return gui_page_default(hwnd, msg, wp, lp, &gui_page_gpu);
}

const gui_page_def gui_page_gpu = {L"exhv.page.gpu", proc, 0, fill, layout};
