#include "executor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/i18n.h"
#include "hyperv/actions.h"
#include "hyperv/import.h"
#include "hyperv/journal.h"
#include "platform/interrupt.h"

void exhv_report_release(exhv_report *r)
{
    exhv_buf_release(&r->manual);
    exhv_buf_release(&r->notes);
    exhv_buf_release(&r->finish);
    for (size_t i = 0; i < r->ndiffs; i++) {
        free(r->diffs[i].old_id);
        free(r->diffs[i].new_id);
        free(r->diffs[i].why);
    }
    free(r->diffs);
    r->diffs = NULL;
    r->ndiffs = r->diffs_cap = 0;
}

const char *exhv_outcome_name(exhv_outcome o)
{
    switch (o) {
    case EXHV_OUTCOME_DONE: return "done";
    case EXHV_OUTCOME_ROLLED_BACK: return "rolled_back";
    case EXHV_OUTCOME_INTERRUPTED: return "interrupted";
    case EXHV_OUTCOME_INCOMPLETE: return "incomplete";
    default: return "not_run";
    }
}

static void notify(exhv_progress_fn fn, void *ud, exhv_phase ph, size_t i, size_t n,
                   const exhv_step *s, const exhv_error *err)
{
    if (fn)
        fn(ud, ph, i, n, s, err);
}

static int diff_add(exhv_report *r, exhv_diff_kind kind, size_t step, const char *old_id,
                    const char *new_id)
{
    exhv_diff *d;
    if (exhv_grow((void **)&r->diffs, &r->diffs_cap, r->ndiffs + 1, sizeof(*r->diffs)) < 0)
        return -1;
    d = &r->diffs[r->ndiffs++];
    d->kind = kind;
    d->step = step;
    d->old_id = old_id ? exhv_strdup(old_id) : NULL;
    d->new_id = new_id ? exhv_strdup(new_id) : NULL;
    d->why = NULL;
    return 0;
}

static void record(exhv_conn *c, const char *jpath, const exhv_plan *p, const exhv_jstep *st,
                   char **made);

/* The steps that always run (detach a disk, unload a hive), after the
 * others and after their undo, in plan order. Each is tried up to three
 * times: what keeps a hive from unloading (a handle still open) often
 * passes. One that still fails is a difference the user must know of. */
static void run_cleanups(exhv_conn *c, const exhv_plan *p, exhv_progress_fn progress, void *ud,
                         exhv_report *r, exhv_jstep *st, const char *jpath, char **made)
{
    for (size_t i = 0; i < p->count; i++) {
        const exhv_step *s = &p->steps[i];
        exhv_error cerr;
        int rc = -1;
        if (!s->cleanup)
            continue;
        st[i] = EXHV_JSTEP_RUNNING;
        record(c, jpath, p, st, made);
        notify(progress, ud, EXHV_PHASE_START, i, p->count, s, NULL);
        for (int attempt = 0; attempt < 3 && rc < 0; attempt++) {
            exhv_error_clear(&cerr);
            rc = exhv_step_run(c, s, NULL, &cerr);
        }
        if (rc >= 0) {
            st[i] = EXHV_JSTEP_DONE;
            record(c, jpath, p, st, made);
            notify(progress, ud, EXHV_PHASE_DONE, i, p->count, s, NULL);
            continue;
        }
        st[i] = EXHV_JSTEP_PENDING;
        record(c, jpath, p, st, made);
        notify(progress, ud, EXHV_PHASE_FAILED, i, p->count, s, &cerr);
        if (diff_add(r, EXHV_DIFF_CLEANUP_FAILED, i, NULL, NULL) == 0)
            r->diffs[r->ndiffs - 1].why = exhv_strdup(cerr.message);
        if (r->error.code == EXHV_OK)
            r->error = cerr;
        exhv_step_powershell(&r->manual, s);
        exhv_buf_putc(&r->manual, '\n');
    }
}

/* Undoing a removal adds the setting again, and undoing a mount dismounts
 * again: Hyper-V gives what it makes a new ID. The ID it had, or NULL. */
static const char *recreated_id(const exhv_step *s, const char *made)
{
    if (s->kind == EXHV_STEP_DEV_REMOVE || s->kind == EXHV_STEP_GPU_REMOVE)
        return s->setting_id;
    return s->kind == EXHV_STEP_DEV_MOUNT ? made : NULL;
}

/* The instance IDs of every devnode, newline-separated; "" when the
 * list cannot be read. */
static void devnodes(exhv_conn *c, exhv_buf *out)
{
    exhv_pnp_dev *list = NULL;
    size_t n = 0;
    exhv_error ignored;
    if (c->ops->pnp_list(c->ctx, &list, &n, &ignored) < 0)
        return;
    exhv_buf_putc(out, '\n');
    for (size_t i = 0; i < n; i++) {
        exhv_buf_printf(out, "%s\n", list[i].instance_id ? list[i].instance_id : "");
        exhv_pnp_dev_release(&list[i]);
    }
    free(list);
}

/* Dismounting and mounting leave the node the device had before behind,
 * not present (reference/hyperv-wmi.md, DDA step 3): after an undo, each
 * devnode that was not there before is such a phantom. */
static void phantoms(exhv_conn *c, const exhv_buf *before, exhv_report *r)
{
    exhv_buf now = EXHV_BUF_INIT;
    devnodes(c, &now);
    /* Both lists are "\nID\nID\n". */
    for (const char *q = exhv_buf_str(&now); *q && q[1];) {
        const char *e = strchr(q + 1, '\n');
        exhv_buf line = EXHV_BUF_INIT;
        if (!e)
            break;
        exhv_buf_add(&line, q, (size_t)(e - q) + 1);
        if (before->len && !strstr(exhv_buf_str(before), exhv_buf_str(&line))) {
            char *id = exhv_strndup(q + 1, (size_t)(e - q) - 1);
            diff_add(r, EXHV_DIFF_PHANTOM, r->failed_step, NULL, id ? id : "");
            free(id);
        }
        exhv_buf_release(&line);
        q = e;
    }
    exhv_buf_release(&now);
}

/* The record of the plan in progress, kept as the steps go. A record that
 * cannot be written after the start is not a reason to stop half-way: the
 * run goes on, and the last good record says less than it could. */
static void record(exhv_conn *c, const char *jpath, const exhv_plan *p, const exhv_jstep *st,
                   char **made)
{
    exhv_error ignored;
    if (jpath)
        exhv_journal_write(jpath, p, st, made, c->uri, c->journal_parent, &ignored);
}

typedef struct step_progress {
    exhv_progress_fn fn;
    void *ud;
    size_t index, count;
    const exhv_step *step;
} step_progress;

static _Thread_local const exhv_drv_progress *copy_now;

const exhv_drv_progress *exhv_plan_execute_copy_progress(void)
{
    return copy_now;
}

static void fmt_num(exhv_buf *b, uint64_t v)
{
    char d[32];
    int n = snprintf(d, sizeof(d), "%llu", (unsigned long long)v);
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            exhv_buf_putc(b, ',');
        exhv_buf_putc(b, d[i]);
    }
}

/* A copy's progress as a phase of its step. */
static void on_copy(void *ud, const exhv_drv_progress *cp)
{
    step_progress *sp = ud;
    exhv_error e;
    exhv_buf t = EXHV_BUF_INIT;
    if (!sp->fn)
        return;
    fmt_num(&t, cp->files_done);
    exhv_buf_puts(&t, " of ");
    fmt_num(&t, cp->files_total);
    exhv_buf_puts(&t, " files, ");
    fmt_num(&t, cp->bytes_done);
    exhv_buf_puts(&t, " of ");
    fmt_num(&t, cp->bytes_total);
    exhv_buf_puts(&t, " bytes");
    exhv_error_set(&e, EXHV_OK, "%s", exhv_buf_str(&t));
    exhv_buf_release(&t);
    copy_now = cp;
    sp->fn(sp->ud, EXHV_PHASE_PROGRESS, sp->index, sp->count, sp->step, &e);
    copy_now = NULL;
}

int exhv_plan_execute(exhv_conn *c, const exhv_plan *p, exhv_progress_fn progress, void *ud,
                      exhv_report *r)
{
    step_progress sp = {progress, ud, 0, p->count, NULL};
    exhv_buf nodes = EXHV_BUF_INIT;
    const char *jpath = NULL;
    char **made = calloc(p->count ? p->count : 1, sizeof(char *));
    unsigned char *stays = calloc(p->count ? p->count : 1, 1);
    exhv_jstep *st = calloc(p->count ? p->count : 1, sizeof(*st));
    int locked_here = 0, interrupted = 0, cut = 0;
    size_t k;

    memset(r, 0, sizeof(*r));
    exhv_buf_init(&r->manual);
    exhv_buf_init(&r->notes);
    exhv_buf_init(&r->finish);
    r->outcome = EXHV_OUTCOME_NOT_RUN;
    if (!made || !stays || !st) {
        free(made);
        free(stays);
        free(st);
        return exhv_error_set(&r->error, EXHV_E_NO_MEMORY, "out of memory");
    }
    /* A caller that planned under the lock holds it already; one that did
     * not gets it now, and the host as it is now. */
    if (!c->lock) {
        if (exhv_conn_lock(c, &r->error) < 0)
            goto out;
        locked_here = 1;
    }
    jpath = c->ops->journal_path ? c->ops->journal_path(c->ctx) : NULL;
    if (jpath && exhv_journal_write(jpath, p, st, made, c->uri, c->journal_parent, &r->error) < 0)
        goto out;
    for (k = 0; k < p->count; k++)
        if (p->steps[k].kind == EXHV_STEP_DEV_DISMOUNT || p->steps[k].kind == EXHV_STEP_DEV_MOUNT) {
            devnodes(c, &nodes);
            break;
        }
    for (k = 0; k < p->count; k++) {
        int rc;
        if (p->steps[k].cleanup)
            continue;   /* run at the end, whatever happens */
        if (exhv_interrupt_requested()) {
            interrupted = 1;
            break;
        }
        st[k] = EXHV_JSTEP_RUNNING;
        record(c, jpath, p, st, made);
        notify(progress, ud, EXHV_PHASE_START, k, p->count, &p->steps[k], NULL);
        sp.index = k;
        sp.step = &p->steps[k];
        if (p->steps[k].kind == EXHV_STEP_DRV_COPY)
            exhv_import_set_progress(c, on_copy, &sp);
        rc = exhv_step_run(c, &p->steps[k], &made[k], &r->error);
        if (p->steps[k].kind == EXHV_STEP_DRV_COPY)
            exhv_import_set_progress(c, NULL, NULL);
        if (rc < 0) {
            /* A step that fails changes nothing (the ports' contract). A
             * copy stopped by Ctrl-C fails, and put the guest back. */
            st[k] = EXHV_JSTEP_PENDING;
            if (exhv_interrupt_requested())
                interrupted = cut = 1;
            break;
        }
        st[k] = EXHV_JSTEP_DONE;
        record(c, jpath, p, st, made);
        /* Done another way than described: tell it now and in the result. */
        notify(progress, ud, EXHV_PHASE_DONE, k, p->count, &p->steps[k], rc > 0 ? &r->error : NULL);
        if (rc > 0)
            exhv_buf_printf(&r->notes, "%s\n", r->error.message);
        exhv_error_clear(&r->error);
    }
    /* Every step ran: the steps that always run come after the last other
     * one, which is where a stop or a failure counts from. */
    if (k == p->count) {
        size_t end = p->count;
        while (end > 0 && p->steps[end - 1].cleanup)
            end--;
        /* Asked to stop during the last step: undone like any other. */
        if (end && exhv_interrupt_requested()) {
            interrupted = 1;
            k = end;
        }
    }
    if (k == p->count && !interrupted) {
        r->outcome = EXHV_OUTCOME_DONE;
        run_cleanups(c, p, progress, ud, r, st, jpath, made);
        if (r->ndiffs) {
            /* Every change is made, but something stays open. */
            r->outcome = EXHV_OUTCOME_INCOMPLETE;
            r->failed_step = r->diffs[0].step;
        }
        goto out;
    }
    r->failed_step = k;
    if (interrupted) {
        r->outcome = EXHV_OUTCOME_INTERRUPTED;
        exhv_error_clear(&r->error);
        if (cut)
            exhv_error_set(&r->error, EXHV_E_FAILED, "stopped on request during step %zu, "
                           "which put back what it had done", k + 1);
        else if (k < p->count && !p->steps[k].cleanup)
            exhv_error_set(&r->error, EXHV_E_FAILED, "stopped on request before step %zu", k + 1);
        else
            exhv_error_set(&r->error, EXHV_E_FAILED, "stopped on request after the last step");
        /* The steps that always run are not skipped. */
        notify(progress, ud, EXHV_PHASE_INTERRUPTED,
               k < p->count && !p->steps[k].cleanup ? k : p->count, p->count,
               k < p->count && !p->steps[k].cleanup ? &p->steps[k] : NULL, &r->error);
    } else {
        r->outcome = EXHV_OUTCOME_ROLLED_BACK;
        notify(progress, ud, EXHV_PHASE_FAILED, k, p->count, &p->steps[k], &r->error);
    }

    /* Undo in reverse. An undo that fails does not stop the others: each
     * one left standing is written down for the user to run. */
    while (k-- > 0) {
        const exhv_step *s = &p->steps[k];
        exhv_step inv;
        exhv_error uerr;
        char *remade = NULL;
        exhv_error_clear(&uerr);
        if (s->cleanup)
            continue;
        if (!exhv_step_reversible(s)) {
            stays[k] = 1;
            diff_add(r, EXHV_DIFF_KEPT, k, NULL, NULL);
            continue;
        }
        exhv_step_inverse(s, &inv);
        /* What a step made (an adapter, a registry key) is undone by the
         * name it was given. */
        if (made[k])
            inv.setting_id = made[k];
        notify(progress, ud, EXHV_PHASE_UNDO_START, k, p->count, &inv, NULL);
        if (exhv_step_run(c, &inv, &remade, &uerr) >= 0) {
            r->undone++;
            st[k] = EXHV_JSTEP_UNDONE;
            record(c, jpath, p, st, made);
            notify(progress, ud, EXHV_PHASE_UNDO_DONE, k, p->count, &inv, NULL);
            {
                const char *was = recreated_id(s, made[k]);
                if (was && remade && !exhv_strcaseeq(remade, was))
                    diff_add(r, EXHV_DIFF_NEW_ID, k, was, remade);
            }
            free(remade);
            continue;
        }
        free(remade);
        stays[k] = 1;
        st[k] = EXHV_JSTEP_UNDO_FAILED;
        record(c, jpath, p, st, made);
        diff_add(r, EXHV_DIFF_UNDO_FAILED, k, NULL, NULL);
        notify(progress, ud, EXHV_PHASE_UNDO_FAILED, k, p->count, &inv, &uerr);
        exhv_step_powershell(&r->manual, &inv);
        exhv_buf_putc(&r->manual, '\n');
    }
    /* Diffs were found last step first: put them in step order. */
    for (size_t i = 0; i < r->ndiffs / 2; i++) {
        exhv_diff t = r->diffs[i];
        r->diffs[i] = r->diffs[r->ndiffs - 1 - i];
        r->diffs[r->ndiffs - 1 - i] = t;
    }
    run_cleanups(c, p, progress, ud, r, st, jpath, made);
    if (nodes.len)
        phantoms(c, &nodes, r);
    if (r->ndiffs)
        r->outcome = EXHV_OUTCOME_INCOMPLETE;
    for (size_t i = 0; i < r->ndiffs; i++)
        if (r->diffs[i].kind == EXHV_DIFF_KEPT) {
            /* There is no way back: what finishes the job is every step of
             * the plan that is not in effect now. */
            for (size_t j = 0; j < p->count; j++)
                if (!stays[j]) {
                    exhv_step_powershell(&r->finish, &p->steps[j]);
                    exhv_buf_putc(&r->finish, '\n');
                }
            break;
        }
out:
    /* The record stays only while something is left half-done: a step that
     * cannot be undone counts as done (the plan ends as the user chose). */
    if (jpath && r->outcome != EXHV_OUTCOME_NOT_RUN) {
        int left = 0;
        exhv_error ignored;
        for (size_t i = 0; i < r->ndiffs; i++)
            left |= r->diffs[i].kind == EXHV_DIFF_UNDO_FAILED ||
                    r->diffs[i].kind == EXHV_DIFF_CLEANUP_FAILED;
        if (!left)
            exhv_journal_remove(jpath, &ignored);
    }
    r->interrupted = interrupted;
    exhv_buf_release(&nodes);
    for (size_t i = 0; i < p->count; i++)
        free(made[i]);
    free(made);
    free(stays);
    free(st);
    if (locked_here)
        exhv_conn_unlock(c);
    return r->outcome == EXHV_OUTCOME_DONE ? 0 : -1;
}

/* What steps did other than they described, after the outcome line. */
static void notes_text(exhv_buf *b, const exhv_buf *notes)
{
    for (const char *p = notes->len ? exhv_buf_str(notes) : ""; *p;) {
        const char *e = strchr(p, '\n');
        exhv_buf_tprintf(b, "Note: %.*s.\n", (int)(e - p), p);
        p = e + 1;
    }
}

/* A value as a terminal shows it (control characters escaped). */
static const char *cell(exhv_buf *tmp, const char *text)
{
    exhv_buf_reset(tmp);
    exhv_text_cell(tmp, text, -1, 0);
    return exhv_buf_str(tmp);
}

void exhv_report_text(exhv_buf *b, const exhv_plan *p, const exhv_report *r)
{
    if (r->outcome == EXHV_OUTCOME_DONE) {
        exhv_buf_puts(b, exhv_tr("Done.\n"));
        notes_text(b, &r->notes);
        return;
    }
    if (r->outcome == EXHV_OUTCOME_NOT_RUN) {
        exhv_buf_puts(b, exhv_tr("Nothing was run. Nothing was changed.\n"));
        return;
    }
    if (r->outcome == EXHV_OUTCOME_INTERRUPTED) {
        const char *end = exhv_tr(r->notes.len ? "Nothing else was changed, but:"
                                               : "Nothing was changed.");
        if (r->failed_step == 0)
            exhv_buf_tprintf(b, "Stopped before the first step. %s\n", end);
        else if (r->undone == 1)
            exhv_buf_tprintf(b, "Stopped after step %zu of %zu; the %zu step done was undone. "
                                "%s\n", r->failed_step, p->count, r->undone, end);
        else
            exhv_buf_tprintf(b, "Stopped after step %zu of %zu; the %zu steps done were undone. "
                                "%s\n", r->failed_step, p->count, r->undone, end);
        notes_text(b, &r->notes);
        return;
    }
    if (r->outcome == EXHV_OUTCOME_ROLLED_BACK) {
        const char *end = exhv_tr(r->notes.len ? "Nothing else was changed, but:"
                                               : "Nothing was changed.");
        if (r->undone == 1)
            exhv_buf_tprintf(b, "Step %zu failed; the %zu step before it was undone. %s\n",
                             r->failed_step + 1, r->undone, end);
        else if (r->undone)
            exhv_buf_tprintf(b, "Step %zu failed; the %zu steps before it were undone. %s\n",
                             r->failed_step + 1, r->undone, end);
        else
            exhv_buf_tprintf(b, "Step %zu failed. %s\n", r->failed_step + 1, end);
        notes_text(b, &r->notes);
        return;
    }
    if (r->interrupted)
        exhv_buf_tprintf(b, "Stopped after step %zu, and the host is not as it was before:\n",
                         r->failed_step);
    else
        exhv_buf_tprintf(b, "Step %zu failed, and the host is not as it was before:\n",
                         r->failed_step + 1);
    for (size_t i = 0; i < r->ndiffs; i++) {
        const exhv_diff *d = &r->diffs[i];
        const exhv_step *s = &p->steps[d->step];
        exhv_buf line = EXHV_BUF_INIT, what = EXHV_BUF_INIT, tmp = EXHV_BUF_INIT;
        if (d->kind == EXHV_DIFF_PHANTOM) {
            exhv_buf_tprintf(b, "  - Windows keeps the devnode %s that the undo left, not "
                                "present (a phantom: it does nothing, and Device Manager shows "
                                "it under \"Show hidden devices\").\n", cell(&tmp, d->new_id));
            exhv_buf_release(&tmp);
            continue;
        }
        exhv_step_describe(&line, s);
        exhv_text_cell(&what, exhv_buf_str(&line), -1, 0);
        switch (d->kind) {
        case EXHV_DIFF_KEPT:
            exhv_buf_tprintf(b, "  - step %zu, %s, stays done: it cannot be undone (%s).\n",
                             d->step + 1, exhv_buf_str(&what), exhv_step_no_undo(s));
            break;
        case EXHV_DIFF_UNDO_FAILED:
            exhv_buf_tprintf(b, "  - step %zu, %s, stays done: its undo failed.\n", d->step + 1,
                             exhv_buf_str(&what));
            break;
        case EXHV_DIFF_NEW_ID: {
            exhv_buf was = EXHV_BUF_INIT;
            exhv_text_cell(&was, d->old_id, -1, 0);
            exhv_buf_tprintf(b, s->kind == EXHV_STEP_GPU_REMOVE
                                    ? "  - step %zu, %s, was undone: the adapter is back with "
                                      "the values it had, under a new ID Hyper-V gave it: %s "
                                      "(was %s).\n"
                                : s->kind == EXHV_STEP_DEV_REMOVE
                                    ? "  - step %zu, %s, was undone: the device is assigned "
                                      "again, under a new setting ID Hyper-V gave it: %s (was "
                                      "%s).\n"
                                    : "  - step %zu, %s, was undone: the device is dismounted "
                                      "again, and Hyper-V gave it a new DeviceID: %s (was %s).\n",
                             d->step + 1, exhv_buf_str(&what), cell(&tmp, d->new_id),
                             exhv_buf_str(&was));
            exhv_buf_release(&was);
            break;
        }
        case EXHV_DIFF_PHANTOM:
            break;
        case EXHV_DIFF_CLEANUP_FAILED:
            exhv_buf_tprintf(b, "  - step %zu, %s, failed even when tried again: %s.\n",
                             d->step + 1, exhv_buf_str(&what), cell(&tmp, d->why ? d->why : ""));
            break;
        }
        exhv_buf_release(&tmp);
        exhv_buf_release(&what);
        exhv_buf_release(&line);
    }
    if (r->manual.len) {
        exhv_buf_puts(b, exhv_tr("To finish putting things back, run this in an administrator "
                                 "PowerShell:\n\n"));
        exhv_buf_add(b, r->manual.data, r->manual.len);
    }
    notes_text(b, &r->notes);
    if (r->finish.len) {
        exhv_buf_puts(b, r->manual.len ? "\n" : "");
        exhv_buf_puts(b, exhv_tr("What cannot be undone stays. To finish the job once the cause "
                                 "of the failure is fixed, run this in an administrator "
                                 "PowerShell:\n\n"));
        exhv_buf_add(b, r->finish.data, r->finish.len);
    }
}
