/* The operation window: a change as the planner plans it, confirmed, run
 * on a worker thread, and its result. One window in three phases:
 *   confirm: the plan's steps with their reasons and warnings; Run, Cancel;
 *   running: each step's progress as the executor reports it; Stop (stops
 *            after the running step and undoes); it cannot be closed;
 *   result:  what happened, what failed, what was undone, the PowerShell
 *            that finishes the job; Copy, Close.
 * The connection's lock is held from the snapshot the plan is made from to
 * the last step (a plan runs against the state it was made from). */
#include <windows.h>
#include <commctrl.h>
#include <process.h>
#include <uxtheme.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/buf.h"
#include "gui/gui.h"
#include "hyperv/executor.h"
#include "hyperv/import.h"
#include "hyperv/journal.h"
#include "hyperv/planner.h"
#include "platform/interrupt.h"
#include "platform/win32/utf16.h"

static const wchar_t OP_CLASS[] = L"exhv.op";

typedef enum op_phase { PH_PLANNING, PH_CONFIRM, PH_RUNNING, PH_RESULT } op_phase;

/* What the window asks of its worker once the plan is shown. */
typedef enum op_cmd { CMD_NONE, CMD_RUN, CMD_REPLAN, CMD_CLOSE } op_cmd;

typedef struct gui_progress {
    exhv_phase phase;
    size_t index, count;
    char message[768];
} gui_progress;

typedef struct op_win {
    gui_op op;
    op_phase phase;
    exhv_host *host;          /* the snapshot the plan was made from */
    exhv_plan plan;
    int planned;              /* the plan exists (maybe empty) */
    exhv_report report;
    int has_report;
    HANDLE thread;            /* the worker: plans, waits for cmd, runs */
    HANDLE wake;              /* set when cmd is */
    volatile LONG cmd;
    int locked;               /* the worker holds the connection's lock */
    exhv_error plan_err;      /* why there is no plan */
    int plan_rc;
    int closing;              /* closed while the worker plans: ends with it */
    exhv_drv_stats stats;     /* what the last driver copy on the connection did (stats_kind 1) */
    int stats_kind;
    HWND title, list, text, run, stop, close, copy, option, busy;
    int stopping;
} op_win;

static void free_op(gui_op *o)
{
    free(o->device);
    free(o->vm);
    free(o->gpu);
    free(o->adapter);
    memset(o, 0, sizeof(*o));
}

static char *dup_or_null(const char *s)
{
    return exhv_strdup(s);
}

/* Text for a multi-line edit control: \n becomes \r\n. */
static void set_text_crlf(HWND edit, const char *utf8)
{
    exhv_buf b = EXHV_BUF_INIT;
    wchar_t *w;
    for (const char *p = utf8; p && *p; p++) {
        if (*p == '\n')
            exhv_buf_putc(&b, '\r');
        exhv_buf_putc(&b, *p);
    }
    w = gui_wdup(exhv_buf_str(&b));
    SetWindowTextW(edit, w);
    free(w);
    gui_edit_fit(edit);
    exhv_buf_release(&b);
}

/* Plan op from a fresh snapshot, under the lock. Returns 0 with a plan
 * (maybe empty), or -1 with err. */
static int make_plan(op_win *w, exhv_error *err)
{
    const char *jpath;
    exhv_journal j;
    int rc;

    if (!g.conn)
        return exhv_error_set(err, EXHV_E_FAILED, "%s", g.error);
    if (exhv_conn_lock(g.conn, err) < 0)
        return -1;
    /* A change waits for no record of an earlier one left half-done. */
    jpath = g.conn->ops->journal_path ? g.conn->ops->journal_path(g.conn->ctx) : NULL;
    if (jpath && (rc = exhv_journal_read(jpath, &j, err)) != -2) {
        if (rc == 0) {
            exhv_buf b = EXHV_BUF_INIT;
            exhv_journal_describe(&b, &j);
            exhv_error_set(err, EXHV_E_FAILED, "%s", exhv_buf_str(&b));
            exhv_buf_release(&b);
            exhv_journal_release(&j);
        }
        return -1;
    }
    if (exhv_snapshot_take(g.conn, &w->host, err) < 0)
        return -1;
    exhv_plan_init(&w->plan);
    switch (w->op.kind) {
    case GUI_OP_ASSIGN: {
        const exhv_device *d = exhv_device_select(w->host, w->op.device, err);
        const exhv_vm *vm = NULL;
        exhv_assign_opts o = {0};
        o.stop = w->op.stop;
        if (!d)
            return -1;
        if (w->op.vm && !(vm = exhv_vm_select(w->host, w->op.vm, err)))
            return -1;
        return exhv_plan_assign(w->host, d, vm, &o, &w->plan, err);
    }
    case GUI_OP_POLICY:
        return exhv_plan_policy(w->host, w->op.relaxed, &w->plan, err);
    case GUI_OP_GPU_ADD: {
        const exhv_vm *vm = exhv_vm_select(w->host, w->op.vm, err);
        const exhv_gpu *gpu = NULL;
        exhv_gpu_opts o = {0};
        o.stop = w->op.stop;
        o.share = w->op.share;
        o.no_drivers = w->op.no_drivers;
        o.conn = g.conn;   /* the driver import reads the host's store and the VM's disk */
        if (!vm)
            return -1;
        if (w->op.gpu && !(gpu = exhv_gpu_select(w->host, w->op.gpu, err)))
            return -1;
        return exhv_plan_gpu_add(w->host, vm, gpu, &o, &w->plan, err);
    }
    case GUI_OP_GPU_REMOVE: {
        const exhv_vm *vm = exhv_vm_select(w->host, w->op.vm, err);
        exhv_gpu_opts o = {0};
        o.stop = w->op.stop;
        if (!vm)
            return -1;
        return exhv_plan_gpu_remove(w->host, vm, w->op.adapter, 0, w->op.adapter == NULL, &o,
                                    &w->plan, err);
    }
    case GUI_OP_GPU_DRIVERS: {
        const exhv_vm *vm = exhv_vm_select(w->host, w->op.vm, err);
        exhv_import_opts o = {0};
        o.stop = w->op.stop;
        if (!vm)
            return -1;
        return exhv_plan_gpu_drivers(g.conn, w->host, vm, &o, &w->plan, err);
    }
    default:
        return exhv_error_set(err, EXHV_E_USAGE, "unknown operation");
    }
}

static void show(HWND h, int on)
{
    ShowWindow(h, on ? SW_SHOW : SW_HIDE);
}

static void layout(HWND hwnd, op_win *w)
{
    RECT r;
    int m = gui_px(16), bw = gui_px(150), bh = gui_px(32), y, list_h, x;
    GetClientRect(hwnd, &r);
    y = m;
    gui_place(w->title, m, y, r.right - 2 * m, gui_px(32));
    gui_place(w->busy, m, y + gui_px(32), r.right - 2 * m, gui_px(4));
    y += gui_px(40);
    list_h = (r.bottom - y - bh - 3 * m) * 55 / 100;
    gui_place(w->list, m, y, r.right - 2 * m, list_h);
    gui_lv_fit(w->list);
    y += list_h + gui_px(10);
    gui_place(w->text, m, y, r.right - 2 * m, r.bottom - y - bh - 2 * m);
    gui_edit_fit(w->text);
    y = r.bottom - m - bh;
    gui_place(w->option, m, y, r.right - 2 * m - 2 * (bw + gui_px(8)), bh);
    x = r.right - m - bw;
    gui_place(w->close, x, y, bw, bh);
    gui_place(w->stop, x, y, bw, bh);
    x -= bw + gui_px(8);
    gui_place(w->run, x, y, bw, bh);
    gui_place(w->copy, x, y, bw, bh);
}

static void set_title(op_win *w, const char *utf8)
{
    wchar_t *t = gui_wdup(utf8);
    SetWindowTextW(w->title, t);
    free(t);
}

static void list_fill(op_win *w)
{
    ListView_DeleteAllItems(w->list);
    for (size_t i = 0; i < w->plan.count; i++) {
        exhv_buf d = EXHV_BUF_INIT;
        wchar_t *t, num[16];
        exhv_step_describe(&d, &w->plan.steps[i]);
        swprintf(num, 16, L"%zu", i + 1);
        gui_lv_set(w->list, (int)i, 0, num);
        t = gui_wdup(exhv_buf_str(&d));
        gui_lv_set(w->list, (int)i, 1, t);
        free(t);
        gui_lv_set(w->list, (int)i, 2, L"");
        t = gui_wdup(w->plan.steps[i].reason);
        gui_lv_set(w->list, (int)i, 3, t);
        free(t);
        exhv_buf_release(&d);
    }
}

/* The worker's plan is ready: the confirm phase (or what stops it). */
static void show_plan(HWND hwnd, op_win *w)
{
    exhv_buf b = EXHV_BUF_INIT;
    gui_marquee_show(w->busy, 0);
    EnableWindow(w->option, TRUE);
    w->planned = 1;
    w->phase = PH_CONFIRM;
    if (w->plan_rc < 0) {
        char *title = exhv_w_to_utf8(gui_s(IDS_CANNOT_PLAN));
        set_title(w, title);
        free(title);
        exhv_buf_printf(&b, "%s\n", w->plan_err.message);
        exhv_plan_release(&w->plan);
        exhv_plan_init(&w->plan);
    } else {
        set_title(w, w->plan.title ? w->plan.title : "");
        if (w->plan.count == 0) {
            wchar_t line[1024], why[768];
            gui_w(why, 768, w->plan.nnotes ? w->plan.notes[0] : "");
            gui_fmt(line, 1024, IDS_NOTHING_TO_DO, why);
            SetWindowTextW(w->text, line);
            gui_edit_fit(w->text);
        }
        for (size_t i = 0; i < w->plan.count; i++)
            if (!exhv_step_reversible(&w->plan.steps[i])) {
                char *no = exhv_w_to_utf8(gui_s(IDS_NO_UNDO));
                exhv_buf_printf(&b, "%zu. ", i + 1);
                /* no holds one %s: the reason. */
                {
                    const char *pct = strstr(no, "%s");
                    if (pct) {
                        exhv_buf_add(&b, no, (size_t)(pct - no));
                        exhv_buf_puts(&b, exhv_step_no_undo(&w->plan.steps[i]));
                        exhv_buf_puts(&b, pct + 2);
                    }
                }
                exhv_buf_putc(&b, '\n');
                free(no);
            }
        for (size_t i = w->plan.count ? 0 : 1; i < w->plan.nnotes; i++)
            exhv_buf_printf(&b, "! %s\n", w->plan.notes[i]);
    }
    list_fill(w);
    if (b.len || w->plan.count) {
        exhv_buf full = EXHV_BUF_INIT;
        if (w->plan.count && b.len) {
            char *head = exhv_w_to_utf8(gui_s(IDS_WARNINGS));
            exhv_buf_printf(&full, "%s\n", head);
            free(head);
        }
        exhv_buf_puts(&full, exhv_buf_str(&b));
        set_text_crlf(w->text, exhv_buf_str(&full));
        exhv_buf_release(&full);
    }
    exhv_buf_release(&b);
    show(w->run, w->plan.count > 0);
    show(w->copy, 0);
    show(w->stop, 0);
    show(w->close, 1);
    SetWindowTextW(w->close, gui_s(w->plan.count ? IDS_CANCEL : IDS_CLOSE));
    show(w->option, w->op.kind != GUI_OP_POLICY);
    SetFocus(w->plan.count ? w->run : w->close);
    (void)hwnd;
}

static void on_progress(void *ud, exhv_phase ph, size_t i, size_t n, const exhv_step *s,
                        const exhv_error *err)
{
    gui_progress *p = calloc(1, sizeof(*p));
    if (!p)
        return;
    p->phase = ph;
    p->index = i;
    p->count = n;
    if (err)
        snprintf(p->message, sizeof(p->message), "%s", err->message);
    if (!PostMessageW((HWND)ud, UM_OP_PROGRESS, 0, (LPARAM)p))
        free(p);
    (void)s;
}

/* The operation's worker. The connection's lock is taken and released on
 * this one thread (a Windows mutex belongs to the thread that took it),
 * and held from the snapshot the plan is made from to the last step. */
static unsigned __stdcall worker(void *arg)
{
    HWND hwnd = (HWND)arg;
    op_win *w = (op_win *)GetWindowLongPtrW(hwnd, 0);
    for (;;) {
        LONG cmd;
        exhv_error_clear(&w->plan_err);
        gui_conn_enter();
        w->plan_rc = make_plan(w, &w->plan_err);
        w->locked = g.conn && g.conn->lock != NULL;
        /* Nothing to run: nothing to hold the host for. */
        if (w->locked && (w->plan_rc < 0 || w->plan.count == 0)) {
            exhv_conn_unlock(g.conn);
            w->locked = 0;
        }
        gui_conn_leave();
        PostMessageW(hwnd, UM_OP_PLANNED, 0, 0);
        WaitForSingleObject(w->wake, INFINITE);
        cmd = InterlockedExchange(&w->cmd, CMD_NONE);
        if (cmd == CMD_RUN && w->plan_rc == 0 && w->plan.count) {
            gui_conn_enter();
            exhv_plan_execute(g.conn, &w->plan, on_progress, hwnd, &w->report);
            w->stats_kind = exhv_import_stats(g.conn, &w->stats);
            if (w->locked)
                exhv_conn_unlock(g.conn);
            w->locked = 0;
            gui_conn_leave();
            PostMessageW(hwnd, UM_OP_DONE, 0, 0);
            break;
        }
        if (w->locked) {
            gui_conn_enter();
            exhv_conn_unlock(g.conn);
            gui_conn_leave();
            w->locked = 0;
        }
        if (cmd != CMD_REPLAN)
            break;
        /* The window has let go of the old plan (phase PH_PLANNING). */
        exhv_plan_release(&w->plan);
        exhv_plan_init(&w->plan);
        exhv_host_free(w->host);
        w->host = NULL;
    }
    PostMessageW(hwnd, UM_OP_END, 0, 0);
    return 0;
}

static void tell_worker(op_win *w, op_cmd cmd)
{
    InterlockedExchange(&w->cmd, cmd);
    SetEvent(w->wake);
}

/* Planning on the worker: the window says so and keeps answering. */
static void start_planning(HWND hwnd, op_win *w)
{
    char *t = exhv_w_to_utf8(gui_s(IDS_PLANNING));
    w->phase = PH_PLANNING;
    set_title(w, t);
    free(t);
    ListView_DeleteAllItems(w->list);
    SetWindowTextW(w->text, L"");
    gui_edit_fit(w->text);
    show(w->run, 0);
    show(w->copy, 0);
    show(w->stop, 0);
    show(w->close, 1);
    SetWindowTextW(w->close, gui_s(IDS_CANCEL));
    EnableWindow(w->option, FALSE);
    gui_marquee_show(w->busy, 1);
    if (!w->thread) {
        w->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
        w->thread = w->wake ? (HANDLE)_beginthreadex(NULL, 0, worker, hwnd, 0, NULL) : NULL;
        if (!w->thread) {
            exhv_error_set(&w->plan_err, EXHV_E_FAILED, "could not start a thread");
            w->plan_rc = -1;
            PostMessageW(hwnd, UM_OP_PLANNED, 0, 0);
        }
    }
}

static void start_run(HWND hwnd, op_win *w)
{
    HMENU sys = GetSystemMenu(hwnd, FALSE);
    wchar_t title[128];
    w->phase = PH_RUNNING;
    EnableMenuItem(sys, SC_CLOSE, MF_BYCOMMAND | MF_GRAYED);
    show(w->run, 0);
    show(w->close, 0);
    show(w->option, 0);
    show(w->stop, 1);
    EnableWindow(w->stop, TRUE);
    SetFocus(w->stop);
    SetWindowTextW(w->text, gui_s(IDS_RUNNING));
    gui_edit_fit(w->text);
    for (size_t i = 0; i < w->plan.count; i++)
        gui_lv_set(w->list, (int)i, 2, gui_s(IDS_ST_PENDING));
    swprintf(title, 128, L"exhv - %ls", gui_s(IDS_PROGRESS_TITLE));
    SetWindowTextW(hwnd, title);
    exhv_interrupt_reset();
    tell_worker(w, CMD_RUN);
}

static void on_step(op_win *w, const gui_progress *p)
{
    UINT id = 0;
    switch (p->phase) {
    case EXHV_PHASE_START: id = IDS_ST_RUNNING; break;
    case EXHV_PHASE_DONE: id = IDS_ST_DONE; break;
    case EXHV_PHASE_FAILED: id = IDS_ST_FAILED; break;
    case EXHV_PHASE_UNDO_START: id = IDS_ST_UNDOING; break;
    case EXHV_PHASE_UNDO_DONE: id = IDS_ST_UNDONE; break;
    case EXHV_PHASE_UNDO_FAILED: id = IDS_ST_UNDO_FAILED; break;
    case EXHV_PHASE_INTERRUPTED: id = IDS_ST_SKIPPED; break;
    default: break;
    }
    if (id && p->index < w->plan.count) {
        wchar_t t[900];
        if (p->message[0] && (p->phase == EXHV_PHASE_FAILED || p->phase == EXHV_PHASE_UNDO_FAILED ||
                              p->phase == EXHV_PHASE_DONE)) {
            wchar_t m[768];
            gui_w(m, 768, p->message);
            swprintf(t, 900, L"%ls: %ls", gui_s(id), m);
        } else {
            swprintf(t, 900, L"%ls", gui_s(id));
        }
        gui_lv_set(w->list, (int)p->index, 2, t);
        if (p->phase == EXHV_PHASE_INTERRUPTED)
            for (size_t k = p->index + 1; k < w->plan.count; k++)
                gui_lv_set(w->list, (int)k, 2, gui_s(IDS_ST_SKIPPED));
        ListView_EnsureVisible(w->list, (int)p->index, FALSE);
    }
}

static void on_done(HWND hwnd, op_win *w)
{
    static const UINT words[] = {IDS_R_DONE, IDS_R_ROLLED_BACK, IDS_R_INCOMPLETE, IDS_R_NOT_RUN,
                                 IDS_R_INTERRUPTED};
    exhv_buf b = EXHV_BUF_INIT;
    char *head;
    wchar_t title[128];
    w->has_report = 1;
    w->phase = PH_RESULT;
    head = exhv_w_to_utf8(gui_s(words[w->report.outcome]));
    exhv_buf_printf(&b, "%s\n\n", head);
    free(head);
    if (w->report.outcome == EXHV_OUTCOME_NOT_RUN)
        exhv_buf_printf(&b, "%s\n", w->report.error.message);
    else if (w->report.outcome != EXHV_OUTCOME_DONE && w->report.error.message[0] &&
             !w->report.interrupted)
        exhv_buf_printf(&b, "%s\n\n", w->report.error.message);
    /* What the driver import copied, when it stayed done (the connection
     * keeps its last copy's counts: only said after a plan with a copy, an
     * update or an add that imports); a run with
     * nothing to do says it wrote nothing. */
    if ((w->op.kind == GUI_OP_GPU_DRIVERS ||
         (w->op.kind == GUI_OP_GPU_ADD && !w->op.no_drivers)) &&
        w->report.outcome == EXHV_OUTCOME_DONE &&
        w->stats_kind == 1) {
        wchar_t line[512], a[32], b2[32], c[32];
        char *u;
        const exhv_drv_stats *st = &w->stats;
        if (!st->files_copied && !st->files_removed && !st->pkgs_pruned) {
            swprintf(a, 32, L"%llu", (unsigned long long)st->files_same);
            gui_fmt(line, 512, IDS_DRV_UP_TO_DATE, a);
        } else {
            swprintf(a, 32, L"%llu", (unsigned long long)st->files_copied);
            swprintf(b2, 32, L"%llu", (unsigned long long)st->bytes_copied);
            swprintf(c, 32, L"%llu", (unsigned long long)st->files_same);
            gui_fmt(line, 512, IDS_DRV_COPIED, a, b2, c);
            if (st->pkgs_pruned) {
                wchar_t more[256];
                swprintf(a, 32, L"%llu", (unsigned long long)st->pkgs_pruned);
                gui_fmt(more, 256, IDS_DRV_PRUNED, a);
                wcsncat(line, more, 511 - wcslen(line));
            }
            if (st->files_set_aside) {
                wchar_t more[256];
                swprintf(a, 32, L"%llu", (unsigned long long)st->files_set_aside);
                gui_fmt(more, 256, IDS_DRV_KEPT, a);
                wcsncat(line, more, 511 - wcslen(line));
            }
        }
        u = exhv_w_to_utf8(line);
        exhv_buf_printf(&b, "%s\n\n", u ? u : "");
        free(u);
    }
    /* The first line said it all when every step ran as described. */
    if (w->report.outcome != EXHV_OUTCOME_DONE || w->report.notes.len)
        exhv_report_text(&b, &w->plan, &w->report);
    set_text_crlf(w->text, exhv_buf_str(&b));
    exhv_buf_release(&b);
    show(w->stop, 0);
    show(w->copy, 1);
    show(w->close, 1);
    SetWindowTextW(w->close, gui_s(IDS_CLOSE));
    EnableMenuItem(GetSystemMenu(hwnd, FALSE), SC_CLOSE, MF_BYCOMMAND | MF_ENABLED);
    swprintf(title, 128, L"exhv - %ls", gui_s(IDS_RESULT_TITLE));
    SetWindowTextW(hwnd, title);
    SetFocus(w->close);
}

static void copy_text(HWND hwnd, op_win *w)
{
    int n = GetWindowTextLengthW(w->text);
    HGLOBAL mem = GlobalAlloc(GMEM_MOVEABLE, ((size_t)n + 1) * sizeof(wchar_t));
    wchar_t *p;
    if (!mem)
        return;
    p = GlobalLock(mem);
    GetWindowTextW(w->text, p, n + 1);
    GlobalUnlock(mem);
    if (OpenClipboard(hwnd)) {
        EmptyClipboard();
        if (!SetClipboardData(CF_UNICODETEXT, mem))
            GlobalFree(mem);
        CloseClipboard();
    } else {
        GlobalFree(mem);
    }
}

static void close_op(HWND hwnd, op_win *w)
{
    if (w->phase == PH_RUNNING || w->closing)
        return;   /* not mid-operation */
    EnableWindow(g.main, TRUE);
    if (w->thread) {
        /* The worker lets the lock go and ends; the window goes with it. */
        w->closing = 1;
        ShowWindow(hwnd, SW_HIDE);
        tell_worker(w, CMD_CLOSE);
        return;
    }
    DestroyWindow(hwnd);
}

static LRESULT CALLBACK op_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    op_win *w = (op_win *)GetWindowLongPtrW(hwnd, 0);
    LRESULT res;
    switch (msg) {
    case WM_CREATE: {
        const CREATESTRUCTW *cs = (const CREATESTRUCTW *)lp;
        w = (op_win *)cs->lpCreateParams;
        SetWindowLongPtrW(hwnd, 0, (LONG_PTR)w);
        gui_title_bar(hwnd);
        w->title = gui_label(hwnd, L"", IDC_TITLE, SS_ENDELLIPSIS);
        SendMessageW(w->title, WM_SETFONT, (WPARAM)g.font_bold, FALSE);
        w->list = gui_listview(hwnd, IDC_LIST, LVS_NOSORTHEADER);
        gui_lv_column(w->list, 0, L"#", 36);
        gui_lv_column(w->list, 1, gui_s(IDS_COL_STEP), 420);
        gui_lv_column(w->list, 2, gui_s(IDS_COL_PROGRESS), 130);
        gui_lv_column(w->list, 3, gui_s(IDS_COL_WHY), 420);
        w->text = CreateWindowExW(0, L"EDIT", L"",
                                  WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL | ES_MULTILINE |
                                      ES_READONLY | ES_AUTOVSCROLL,
                                  0, 0, 10, 10, hwnd, (HMENU)IDC_DETAILS, g.inst, NULL);
        SendMessageW(w->text, WM_SETFONT, (WPARAM)g.font, FALSE);
        gui_dark_controls(w->text);
        w->option = CreateWindowExW(0, L"BUTTON", gui_s(IDS_STOP_VM),
                                    WS_CHILD | WS_TABSTOP | BS_AUTOCHECKBOX, 0, 0, 10, 10, hwnd,
                                    (HMENU)IDC_OPTION, g.inst, NULL);
        SendMessageW(w->option, WM_SETFONT, (WPARAM)g.font, FALSE);
        SendMessageW(w->option, BM_SETCHECK, w->op.stop ? BST_CHECKED : BST_UNCHECKED, 0);
        /* Themed, a check box ignores the text colour: classic in the dark. */
        if (g.dark)
            SetWindowTheme(w->option, L"", L"");
        w->run = gui_button(hwnd, gui_s(IDS_RUN), IDC_RUN, 1);
        w->stop = gui_button(hwnd, gui_s(IDS_STOP), IDC_STOP, 0);
        w->close = gui_button(hwnd, gui_s(IDS_CANCEL), IDC_CLOSE, 0);
        w->copy = gui_button(hwnd, gui_s(IDS_COPY_PS), IDC_COPY, 0);
        w->busy = gui_marquee(hwnd);
        layout(hwnd, w);
        start_planning(hwnd, w);
        return 0;
    }
    case WM_SIZE:
        if (w)
            layout(hwnd, w);
        return 0;
    case WM_GETMINMAXINFO: {
        MINMAXINFO *mm = (MINMAXINFO *)lp;
        mm->ptMinTrackSize.x = gui_px(560);
        mm->ptMinTrackSize.y = gui_px(380);
        return 0;
    }
    case WM_COMMAND:
        switch (LOWORD(wp)) {
        case IDC_RUN:
            if (w->phase == PH_CONFIRM && w->plan.count)
                start_run(hwnd, w);
            return 0;
        case IDC_STOP:
            if (w->phase == PH_RUNNING && !w->stopping) {
                w->stopping = 1;
                exhv_interrupt_request();
                EnableWindow(w->stop, FALSE);
                SetWindowTextW(w->text, gui_s(IDS_STOPPING));
                gui_edit_fit(w->text);
            }
            return 0;
        case IDC_COPY:
            copy_text(hwnd, w);
            return 0;
        case IDCANCEL:
        case IDC_CLOSE:
            close_op(hwnd, w);
            return 0;
        case IDC_OPTION:
            if (HIWORD(wp) == BN_CLICKED && w->phase == PH_CONFIRM && w->thread) {
                w->op.stop = SendMessageW(w->option, BM_GETCHECK, 0, 0) == BST_CHECKED;
                start_planning(hwnd, w);
                tell_worker(w, CMD_REPLAN);
            }
            return 0;
        default:
            break;
        }
        break;
    case WM_NOTIFY: {
        NMHDR *h = (NMHDR *)lp;
        if (h->idFrom == IDC_LIST && h->code == NM_CUSTOMDRAW) {
            NMLVCUSTOMDRAW *cd = (NMLVCUSTOMDRAW *)lp;
            if (cd->nmcd.dwDrawStage == CDDS_PREPAINT)
                return CDRF_NOTIFYITEMDRAW;
            if (cd->nmcd.dwDrawStage == CDDS_ITEMPREPAINT)
                return gui_lv_item(cd, 0, 0);
            return CDRF_DODEFAULT;
        }
        break;
    }
    case UM_OP_PROGRESS: {
        gui_progress *p = (gui_progress *)lp;
        on_step(w, p);
        free(p);
        return 0;
    }
    case UM_OP_DONE:
        on_done(hwnd, w);
        return 0;
    case UM_OP_PLANNED:
        if (w->closing)
            return 0;
        show_plan(hwnd, w);
        return 0;
    case UM_OP_END:
        WaitForSingleObject(w->thread, INFINITE);
        CloseHandle(w->thread);
        w->thread = NULL;
        if (w->closing)
            DestroyWindow(hwnd);
        return 0;
    case UM_BUSY:
        return w && w->phase == PH_PLANNING;
    case DM_GETDEFID:
        /* Enter runs the plan while confirming. Not once it ran: the key
         * that started a short plan would also close its result unread
         * (Space or Esc close it). */
        if (w->phase == PH_CONFIRM && w->plan.count)
            return MAKELONG(IDC_RUN, DC_HASDEFID);
        return 0;
    case WM_CLOSE:
        close_op(hwnd, w);
        return 0;
    case WM_DESTROY:
        g.op = NULL;
        PostMessageW(g.main, UM_OP_CLOSED, 0, 0);
        return 0;
    case WM_NCDESTROY:
        if (w) {
            if (w->has_report)
                exhv_report_release(&w->report);
            exhv_plan_release(&w->plan);
            exhv_host_free(w->host);
            if (w->wake)
                CloseHandle(w->wake);
            free_op(&w->op);
            free(w);
        }
        SetWindowLongPtrW(hwnd, 0, 0);
        break;
    default:
        if (gui_common_msg(hwnd, msg, wp, lp, &res))
            return res;
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

int gui_op_register(HINSTANCE inst)
{
    WNDCLASSEXW wc = {sizeof(wc)};
    wc.lpfnWndProc = op_proc;
    wc.hInstance = inst;
    wc.hCursor = LoadCursorW(NULL, MAKEINTRESOURCEW(32512));
    wc.hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_EXHV));
    wc.lpszClassName = OP_CLASS;
    wc.cbWndExtra = sizeof(void *);
    return RegisterClassExW(&wc) ? 0 : -1;
}

void gui_op_start(const gui_op *op)
{
    op_win *w;
    RECT mr;
    int cw = gui_px(960), ch = gui_px(560);
    wchar_t title[128];
    if (g.op)
        return;
    if (!(w = calloc(1, sizeof(*w))))
        return;
    w->op.kind = op->kind;
    w->op.device = dup_or_null(op->device);
    w->op.vm = dup_or_null(op->vm);
    w->op.gpu = dup_or_null(op->gpu);
    w->op.adapter = dup_or_null(op->adapter);
    w->op.relaxed = op->relaxed;
    w->op.share = op->share;
    w->op.stop = op->stop;
    w->op.no_drivers = op->no_drivers;
    GetWindowRect(g.main, &mr);
    swprintf(title, 128, L"exhv - %ls", gui_s(IDS_CONFIRM_TITLE));
    EnableWindow(g.main, FALSE);
    g.op = CreateWindowExW(WS_EX_CONTROLPARENT, OP_CLASS, title,
                           WS_OVERLAPPED | WS_CAPTION | WS_SYSMENU | WS_THICKFRAME |
                               WS_CLIPCHILDREN,
                           mr.left + (mr.right - mr.left - cw) / 2,
                           mr.top + (mr.bottom - mr.top - ch) / 2, cw, ch, g.main, NULL, g.inst, w);
    if (!g.op) {
        EnableWindow(g.main, TRUE);
        free_op(&w->op);
        free(w);
        return;
    }
    ShowWindow(g.op, SW_SHOW);
    SetForegroundWindow(g.op);
    SetFocus(GetDlgItem(g.op, w->plan.count ? IDC_RUN : IDC_CLOSE));
}
