/* Compatibility: every check with a pass / warn / fail mark and its
 * sentence, and the DDA security policy switch (a plan like any change). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/checks.h"
#include "gui/gui.h"

#define MAX_CHECKS 48

typedef struct status {
    gui_scroll scroll;
    HWND head_checks, head_policy, toggle, policy_text;
    HWND mark[MAX_CHECKS], text[MAX_CHECKS];
    int n;
} status;

/* The seed's WDDM table, in the current language. */
static const wchar_t *wddm_adds(unsigned build)
{
    static const unsigned builds[] = {17134, 17763, 18362, 19041, 20348, 22000, 22621, 26100};
    for (size_t i = 0; i < sizeof(builds) / sizeof(builds[0]); i++)
        if (builds[i] == build)
            return gui_s(IDS_WDDM_17134 + (UINT)i);
    return L"";
}

/* A check's sentence in the current language, from the same facts the
 * check read (core/checks.c decides the verdict; the words are here, in
 * the string tables). A check this code does not know keeps its own
 * (English) sentence. */
static void check_text(const exhv_host *h, const exhv_check *ck, wchar_t *out, size_t n)
{
    const exhv_sysinfo *s = &h->sys;
    unsigned b = s->build, idx;
    const exhv_wddm_row *row = exhv_wddm_for_build(b);
    int zh = g.lang == GUI_LANG_ZH;
    wchar_t a[512], c[512], lv[16], lv2[16];
    out[0] = 0;
    if (strcmp(ck->id, "dda_build") == 0) {
        gui_fmt(out, n, ck->verdict == EXHV_PASS ? IDS_CK_DDA_OK : IDS_CK_DDA_OLD, b);
    } else if (strcmp(ck->id, "gpu_pv_build") == 0) {
        if (ck->verdict == EXHV_PASS) {
            gui_fmt(out, n, IDS_CK_GPUPV_OK, b);
        } else if (b >= EXHV_BUILD_GPUPV_MIN) {
            gui_fmt(out, n, IDS_CK_GPUPV_NOCHOOSE, b);
            if (s->server && b >= EXHV_BUILD_SERVER_2022)
                wcsncat(out, gui_s(IDS_CK_GPUPV_2022), n - wcslen(out) - 1);
        } else {
            gui_fmt(out, n, IDS_CK_GPUPV_OLD, b);
        }
    } else if (strcmp(ck->id, "host_wddm") == 0) {
        if (row) {
            swprintf(lv, 16, L"%d.%d", row->major, row->minor);
            gui_fmt(out, n, IDS_CK_WDDM_HOST, b, lv, row->build, wddm_adds(row->build));
        } else {
            gui_fmt(out, n, IDS_CK_WDDM_OLD, b);
        }
    } else if (strcmp(ck->id, "cpu_virtualization") == 0) {
        gui_fmt(out, n, ck->verdict != EXHV_PASS ? IDS_CK_CPU_OFF
                        : s->hypervisor_present  ? IDS_CK_CPU_HV
                                                 : IDS_CK_CPU_FW);
    } else if (strcmp(ck->id, "hyperv") == 0) {
        gui_w(a, 512, h->hyperv_error ? h->hyperv_error : "-");
        gui_fmt(out, n, ck->verdict == EXHV_PASS ? IDS_CK_HV_OK : IDS_CK_HV_NO, a);
    } else if (strcmp(ck->id, "administrator") == 0) {
        gui_fmt(out, n, ck->verdict == EXHV_PASS ? IDS_CK_ADMIN_OK : IDS_CK_ADMIN_NO);
    } else if (strcmp(ck->id, "sku") == 0) {
        gui_fmt(out, n, s->server ? IDS_CK_SKU_SERVER : IDS_CK_SKU_CLIENT);
    } else if (strcmp(ck->id, "dda_policy") == 0) {
        int sec = h->policy.secure_relaxed == 1, sup = h->policy.supported_relaxed == 1;
        if (sec && sup)
            gui_fmt(out, n, IDS_CK_POL_RELAXED);
        else if (sec || sup)
            gui_fmt(out, n, IDS_CK_POL_PARTLY,
                    sec ? L"RequireSecureDeviceAssignment" : L"RequireSupportedDeviceAssignment");
        else
            gui_fmt(out, n, s->server ? IDS_CK_POL_DEFAULT_SERVER : IDS_CK_POL_DEFAULT);
    } else if (sscanf(ck->id, "gpu%u_wddm", &idx) == 1) {
        const exhv_gpu *gp = NULL;
        for (size_t i = 0; i < h->ngpus; i++)
            if (h->gpus[i].index == idx)
                gp = &h->gpus[i];
        if (gp) {
            const exhv_wddm_row *gr =
                gp->wddm_major ? exhv_wddm_for_level(gp->wddm_major, gp->wddm_minor) : NULL;
            gui_w(a, 512, gp->name);
            gui_w(c, 512, gp->driver_version ? gp->driver_version : "-");
            swprintf(lv, 16, L"%d.%d", gp->wddm_major, gp->wddm_minor);
            if (!gp->wddm_major) {
                gui_fmt(out, n, IDS_CK_GPU_NOLEVEL, idx, a, c);
            } else if (gp->wddm_major * 10 + gp->wddm_minor < 24) {
                gui_fmt(out, n, IDS_CK_GPU_OLD, idx, a, lv, c);
            } else if (row && gp->wddm_major * 10 + gp->wddm_minor > row->major * 10 + row->minor) {
                swprintf(lv2, 16, L"%d.%d", row->major, row->minor);
                gui_fmt(out, n, IDS_CK_GPU_NEWER, idx, a, lv, c, lv2);
            } else {
                wchar_t tail[600];
                if (gr)
                    swprintf(tail, 600, L"%ls%ls", zh ? L"\xff1a" : L": ", wddm_adds(gr->build));
                else
                    swprintf(tail, 600, L"%ls", zh ? L"\x3002" : L".");
                gui_fmt(out, n, IDS_CK_GPU_OK, idx, a, lv, c, tail);
            }
        }
    } else if (strcmp(ck->id, "gpu_pv") == 0) {
        int any = 0;
        for (size_t i = 0; i < h->ngpus; i++)
            any |= h->gpus[i].partitionable;
        gui_fmt(out, n, any && b < EXHV_BUILD_GPUPV_MIN ? IDS_CK_GPUPV_OLDBUILD
                        : any                           ? IDS_CK_GPUPV_ANY
                                                        : IDS_CK_GPUPV_NONE);
    } else if (sscanf(ck->id, "disabled_%u", &idx) == 1 && idx < h->ndevices) {
        gui_w(a, 512, h->devices[idx].pnp.name);
        gui_fmt(out, n, IDS_CK_DISABLED, a);
    }
    if (!out[0])
        gui_w(out, n, ck->message);
}

static int relaxed(void)
{
    return g.host && g.host->policy.secure_relaxed == 1 && g.host->policy.supported_relaxed == 1;
}

static void fill(HWND hwnd, void *vp)
{
    status *p = vp;
    exhv_checks ck = {0};
    for (int i = 0; i < p->n; i++) {
        DestroyWindow(p->mark[i]);
        DestroyWindow(p->text[i]);
    }
    p->n = 0;
    if (g.host && exhv_checks_run(g.host, &ck) == 0) {
        for (size_t i = 0; i < ck.count && p->n < MAX_CHECKS; i++) {
            static const UINT words[] = {IDS_PASS, IDS_WARN, IDS_FAIL};
            wchar_t msg[2048];
            check_text(g.host, &ck.items[i], msg, 2048);
            p->mark[p->n] = gui_mark(hwnd, ck.items[i].verdict, gui_s(words[ck.items[i].verdict]));
            p->text[p->n] = gui_label(hwnd, msg, 0, 0);
            p->n++;
        }
    } else if (!g.host && g.loading) {
        p->mark[0] = NULL;
        p->text[0] = gui_label(hwnd, gui_s(IDS_READING), GUI_ID_SUBTLE, 0);
        p->n = 1;
    } else if (!g.host) {
        wchar_t *msg = gui_wdup(g.error);
        p->mark[0] = gui_mark(hwnd, EXHV_FAIL, gui_s(IDS_FAIL));
        p->text[0] = gui_label(hwnd, msg, 0, 0);
        free(msg);
        p->n = 1;
    }
    exhv_checks_release(&ck);
    SetWindowLongPtrW(p->toggle, GWLP_USERDATA, GUI_BTN_TOGGLE | (relaxed() ? GUI_BTN_ON : 0));
    EnableWindow(p->toggle, g.host && g.host->hyperv);
    SetWindowTextW(p->policy_text, gui_s(relaxed() ? IDS_POLICY_ON : IDS_POLICY_OFF));
    InvalidateRect(p->toggle, NULL, TRUE);
}

static void layout(HWND hwnd, void *vp)
{
    status *p = vp;
    RECT r;
    int m = gui_px(24), y, width, ms = gui_px(20), gap = gui_px(12);
    GetClientRect(hwnd, &r);
    width = r.right - 2 * m;
    y = m - p->scroll.pos;
    gui_place(p->head_checks, m, y, width, gui_px(36));
    y += gui_px(46);
    for (int i = 0; i < p->n; i++) {
        wchar_t t[1024];
        int h;
        GetWindowTextW(p->text[i], t, 1024);
        h = gui_text_height(g.font, t, width - ms - gap);
        if (h < ms)
            h = ms;
        if (p->mark[i])
            gui_place(p->mark[i], m, y, ms, ms);
        gui_place(p->text[i], m + ms + gap, y, width - ms - gap, h);
        y += h + gui_px(12);
    }
    y += gui_px(12);
    gui_place(p->head_policy, m, y, width, gui_px(36));
    y += gui_px(46);
    {
        wchar_t t[256];
        HDC dc = GetDC(hwnd);
        SIZE sz;
        HGDIOBJ old = SelectObject(dc, g.font);
        GetWindowTextW(p->toggle, t, 256);
        GetTextExtentPoint32W(dc, t, (int)wcslen(t), &sz);
        SelectObject(dc, old);
        ReleaseDC(hwnd, dc);
        gui_place(p->toggle, m, y, sz.cx + gui_px(64), gui_px(32));
    }
    y += gui_px(40);
    gui_place(p->policy_text, m, y, width, gui_text_height(g.font, gui_s(IDS_POLICY_OFF), width) +
                                               gui_px(4));
    y += gui_px(40);
    p->scroll.content = y + p->scroll.pos + m;
    gui_scroll_update(hwnd, &p->scroll);
}

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    status *p = (status *)GetWindowLongPtrW(hwnd, 0);
    switch (msg) {
    case WM_CREATE:
        if (!(p = gui_page_new(hwnd, sizeof(*p))))
            return -1;
        p->head_checks = gui_heading(hwnd, gui_s(IDS_COMPAT), 0);
        p->head_policy = gui_heading(hwnd, gui_s(IDS_SETTINGS), 0);
        p->toggle = gui_button(hwnd, gui_s(IDS_POLICY_TOGGLE), IDC_POLICY, 0);
        p->policy_text = gui_label(hwnd, L"", GUI_ID_SUBTLE, 0);
        fill(hwnd, p);
        return 0;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_POLICY && g.host) {
            gui_op op = {GUI_OP_POLICY};
            op.relaxed = !relaxed();
            gui_op_start(&op);
            return 0;
        }
        break;
    default:
        break;
    }
    return gui_page_default(hwnd, msg, wp, lp, &gui_page_status);
}

const gui_page_def gui_page_status = {L"exhv.page.status", proc, 1, fill, layout};
