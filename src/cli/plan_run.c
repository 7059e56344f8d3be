/* Showing, confirming and running a plan: shared by assign and policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/plan.h"
#include "hyperv/ports.h"
#include "core/json.h"
#include "core/text.h"
#include "hyperv/executor.h"
#include "hyperv/import.h"
#include "platform/drvcopy.h"
#include "hyperv/journal.h"
#include "platform/interrupt.h"

void plan_render_text(exhv_buf *b, const exhv_plan *p)
{
    size_t first_note = 0;
    exhv_buf_puts(b, "Plan: ");
    exhv_text_cell(b, p->title, -1, 0);
    exhv_buf_putc(b, '\n');
    /* An empty plan's first note says why there is nothing to do. */
    if (p->count == 0) {
        exhv_buf_puts(b, "  Nothing to do: ");
        fmt_wrap(b, p->nnotes ? p->notes[0] : "the host is already so.", 18, 4, 79);
        exhv_buf_putc(b, '\n');
        first_note = p->nnotes ? 1 : 0;
    }
    for (size_t i = 0; i < p->count; i++) {
        exhv_buf line = EXHV_BUF_INIT;
        exhv_buf_printf(b, "%3zu. ", i + 1);
        exhv_step_describe(&line, &p->steps[i]);
        fmt_wrap(b, exhv_buf_str(&line), 5, 5, 79);
        exhv_buf_puts(b, "\n     ");
        fmt_wrap(b, p->steps[i].reason ? p->steps[i].reason : "", 5, 5, 79);
        exhv_buf_putc(b, '\n');
        if (p->steps[i].cleanup)
            exhv_buf_puts(b, "     Always runs, also after a failure or Ctrl-C.\n");
        if (!exhv_step_reversible(&p->steps[i])) {
            exhv_buf_reset(&line);
            exhv_buf_printf(&line, "Cannot be undone: %s.", exhv_step_no_undo(&p->steps[i]));
            exhv_buf_puts(b, "     ");
            fmt_wrap(b, exhv_buf_str(&line), 5, 5, 79);
            exhv_buf_putc(b, '\n');
        }
        exhv_buf_release(&line);
    }
    for (size_t i = first_note; i < p->nnotes; i++) {
        exhv_buf_puts(b, "  ! ");
        fmt_wrap(b, p->notes[i], 4, 4, 79);
        exhv_buf_putc(b, '\n');
    }
}

static void render_plan_json(exhv_jw *w, const exhv_plan *p)
{
    exhv_buf tmp = EXHV_BUF_INIT;
    exhv_jw_key(w, "plan");
    exhv_jw_obj_begin(w);
    exhv_jw_kstr(w, "title", p->title);
    exhv_jw_key(w, "steps");
    exhv_jw_arr_begin(w);
    for (size_t i = 0; i < p->count; i++) {
        const exhv_step *s = &p->steps[i];
        exhv_jw_obj_begin(w);
        exhv_jw_kstr(w, "kind", exhv_step_kind_name(s->kind));
        exhv_buf_reset(&tmp);
        exhv_step_describe(&tmp, s);
        exhv_jw_kstr(w, "description", exhv_buf_str(&tmp));
        exhv_jw_kstr(w, "reason", s->reason);
        exhv_jw_kbool(w, "undoable", exhv_step_reversible(s));
        if (s->cleanup)
            exhv_jw_kbool(w, "always_runs", 1);
        if (s->kind == EXHV_STEP_DISK_ATTACH || s->kind == EXHV_STEP_DISK_DETACH)
            exhv_jw_kstr(w, "disk", s->path);
        if (s->kind == EXHV_STEP_DRV_COPY) {
            exhv_jw_kstr(w, "driver_version", s->version);
            exhv_jw_key(w, "packages");
            exhv_jw_arr_begin(w);
            for (const char *q = s->packages ? s->packages : ""; *q;) {
                const char *e = strchr(q, '\n');
                char *one = exhv_strndup(q, e ? (size_t)(e - q) : strlen(q));
                exhv_jw_str(w, one ? one : "");
                free(one);
                q = e ? e + 1 : q + strlen(q);
            }
            exhv_jw_arr_end(w);
            exhv_jw_kuint(w, "files", s->files);
            exhv_jw_kuint(w, "bytes", s->bytes);
            exhv_jw_kbool(w, "all_packages", s->all_packages);
        }
        if (!exhv_step_reversible(s))
            exhv_jw_kstr(w, "no_undo", exhv_step_no_undo(s));
        exhv_jw_kstr(w, "vm", s->vm_name);
        exhv_jw_kstr(w, "location_path", s->location_path);
        if (s->prop)
            exhv_jw_kstr(w, "setting", s->prop);
        if (s->kind == EXHV_STEP_VM_SET || s->kind == EXHV_STEP_VM_MEMORY) {
            exhv_jw_kint(w, "from", s->old_value);
            exhv_jw_kint(w, "to", s->new_value);
        } else if (s->kind == EXHV_STEP_POLICY_SET) {
            /* A DWORD, null for absent, "other" for a value of another type. */
            const int64_t v[2] = {s->old_value, s->new_value};
            for (int k = 0; k < 2; k++) {
                exhv_jw_key(w, k ? "to" : "from");
                if (v[k] >= 0)
                    exhv_jw_int(w, v[k]);
                else if (v[k] == EXHV_POLICY_ABSENT)
                    exhv_jw_null(w);
                else
                    exhv_jw_str(w, "other");
            }
        }
        exhv_buf_reset(&tmp);
        exhv_step_powershell(&tmp, s);
        exhv_jw_kstr(w, "powershell", exhv_buf_str(&tmp));
        exhv_jw_obj_end(w);
    }
    exhv_jw_arr_end(w);
    exhv_jw_key(w, "notes");
    exhv_jw_arr_begin(w);
    for (size_t i = 0; i < p->nnotes; i++)
        exhv_jw_str(w, p->notes[i]);
    exhv_jw_arr_end(w);
    exhv_jw_obj_end(w);
    exhv_buf_release(&tmp);
}

/* The head every plan document shares: schema, connection, the plan. */
static void plan_json_head(exhv_jw *w, const exhv_conn *conn, const exhv_plan *p, int dry_run)
{
    exhv_jw_obj_begin(w);
    exhv_jw_kint(w, "schema", 1);
    exhv_jw_kstr(w, "connection", conn && conn->uri ? conn->uri : cli_uri());
    render_plan_json(w, p);
    exhv_jw_kbool(w, "dry_run", dry_run);
}

static void progress(void *ud, exhv_phase ph, size_t i, size_t n, const exhv_step *s,
                     const exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;
    int quiet = *(int *)ud;
    /* A copy's progress: a line at each quarter of its files, so that a
     * long copy shows it is moving (and the output stays the same from run
     * to run). */
    static int quarter;
    static int lines;
    if (quiet)
        return;
    if (ph == EXHV_PHASE_START || ph == EXHV_PHASE_UNDO_START)
        quarter = lines = 0;
    if (ph == EXHV_PHASE_PROGRESS) {
        const exhv_drv_progress *cp = exhv_plan_execute_copy_progress();
        int q = cp && cp->files_total ? (int)(cp->files_done * 4 / cp->files_total) : 0;
        if (q <= quarter || !err)
            return;
        quarter = q;
        exhv_buf_puts(&b, lines++ ? "      " : "\n      ");
        exhv_text_cell(&b, err->message, -1, 0);
        exhv_buf_putc(&b, '\n');
        cli_out(&b);
        exhv_buf_release(&b);
        return;
    }
    if (lines && (ph == EXHV_PHASE_DONE || ph == EXHV_PHASE_FAILED))
        exhv_buf_puts(&b, "      ");
    switch (ph) {
    case EXHV_PHASE_START:
    case EXHV_PHASE_UNDO_START:
        exhv_buf_printf(&b, "[%zu/%zu] %s", i + 1, n, ph == EXHV_PHASE_UNDO_START ? "undo: " : "");
        {
            exhv_buf d = EXHV_BUF_INIT;
            exhv_step_describe(&d, s);
            exhv_text_cell(&b, exhv_buf_str(&d), -1, 0);
            exhv_buf_release(&d);
        }
        exhv_buf_puts(&b, " ... ");
        break;
    case EXHV_PHASE_DONE:
    case EXHV_PHASE_UNDO_DONE:
        if (err && err->message[0]) {
            /* Not what the line above promised: say what happened. */
            exhv_buf_puts(&b, "done differently:\n      ");
            exhv_text_cell(&b, err->message, -1, 0);
            exhv_buf_putc(&b, '\n');
        } else {
            exhv_buf_puts(&b, "done\n");
        }
        break;
    case EXHV_PHASE_INTERRUPTED:
        /* Asked during the last step: every step ran, none is skipped. */
        if (i >= n)
            exhv_buf_puts(&b, "Stopping as asked after the last step: undoing the steps done.\n");
        else
            exhv_buf_printf(&b, "Stopping as asked: step %zu and the ones after it do not run%s\n",
                            i + 1, i ? "; undoing the steps done." : ".");
        break;
    case EXHV_PHASE_PROGRESS:
        break;
    case EXHV_PHASE_FAILED:
    case EXHV_PHASE_UNDO_FAILED:
        exhv_buf_puts(&b, "FAILED\n      ");
        exhv_text_cell(&b, err ? err->message : "", -1, 0);
        if (err && err->plat_kind != EXHV_PLAT_NONE) {
            exhv_buf_putc(&b, ' ');
            fmt_platform(&b, err);
        }
        exhv_buf_putc(&b, '\n');
        break;
    }
    cli_out(&b);
    exhv_buf_release(&b);
}

static void fmt_n(exhv_buf *b, uint64_t v)
{
    char d[32];
    int n = snprintf(d, sizeof(d), "%llu", (unsigned long long)v);
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            exhv_buf_putc(b, ',');
        exhv_buf_putc(b, d[i]);
    }
}

/* What a driver import's copy (or purge) did, in words: a run with
 * nothing to do says it wrote nothing. */
static void import_summary(exhv_buf *b, const exhv_conn *conn)
{
    exhv_drv_stats st;
    int kind = exhv_import_stats(conn, &st);
    exhv_buf n1 = EXHV_BUF_INIT, n2 = EXHV_BUF_INIT, n3 = EXHV_BUF_INIT;
    if (kind == 1 && st.files_copied == 0 && st.files_removed == 0 && st.pkgs_pruned == 0) {
        fmt_n(&n1, st.files_same);
        exhv_buf_printf(b, "The guest's drivers were up to date: 0 files copied, 0 bytes "
                           "written (%s files checked).\n", exhv_buf_str(&n1));
    } else if (kind == 1) {
        fmt_n(&n1, st.files_copied);
        fmt_n(&n2, st.bytes_copied);
        fmt_n(&n3, st.files_same);
        exhv_buf_printf(b, "Copied %s files (%s bytes); %s were up to date.", exhv_buf_str(&n1),
                        exhv_buf_str(&n2), exhv_buf_str(&n3));
        if (st.pkgs_pruned)
            exhv_buf_printf(b, " Removed %llu older package%s exhv had put there.",
                            (unsigned long long)st.pkgs_pruned, st.pkgs_pruned == 1 ? "" : "s");
        if (st.files_set_aside)
            exhv_buf_printf(b, " Kept %llu guest file%s the copy replaced (--purge-drivers puts "
                               "%s back).", (unsigned long long)st.files_set_aside,
                            st.files_set_aside == 1 ? "" : "s",
                            st.files_set_aside == 1 ? "it" : "them");
        exhv_buf_putc(b, '\n');
    } else if (kind == 2 && !st.pkgs_pruned && !st.files_removed && !st.files_restored) {
        exhv_buf_puts(b, "The guest held nothing exhv had imported: nothing was removed.\n");
    } else if (kind == 2) {
        exhv_buf_printf(b, "Removed %llu package%s and %llu file%s exhv had put there; put back "
                           "%llu guest file%s.\n", (unsigned long long)st.pkgs_pruned,
                        st.pkgs_pruned == 1 ? "" : "s", (unsigned long long)st.files_removed,
                        st.files_removed == 1 ? "" : "s", (unsigned long long)st.files_restored,
                        st.files_restored == 1 ? "" : "s");
    }
    exhv_buf_release(&n1);
    exhv_buf_release(&n2);
    exhv_buf_release(&n3);
}

static void import_summary_json(exhv_jw *w, const exhv_conn *conn)
{
    exhv_drv_stats st;
    int kind = exhv_import_stats(conn, &st);
    if (!kind)
        return;
    exhv_jw_key(w, "drivers");
    exhv_jw_obj_begin(w);
    exhv_jw_kstr(w, "did", kind == 1 ? "copied" : "purged");
    exhv_jw_kuint(w, "files_copied", st.files_copied);
    exhv_jw_kuint(w, "bytes_copied", st.bytes_copied);
    exhv_jw_kuint(w, "files_up_to_date", st.files_same);
    exhv_jw_kuint(w, "files_removed", st.files_removed);
    exhv_jw_kuint(w, "packages_removed", st.pkgs_pruned);
    exhv_jw_kuint(w, "guest_files_kept", st.files_set_aside);
    exhv_jw_kuint(w, "guest_files_put_back", st.files_restored);
    exhv_jw_obj_end(w);
}

/* Ask on the terminal. Anything but y/yes, or no answer, is no. */
static int confirm(void)
{
    char line[32];
    exhv_buf q = EXHV_BUF_INIT;
    exhv_buf_puts(&q, "Proceed? [y/N] ");
    cli_out(&q);
    exhv_buf_release(&q);
    if (!fgets(line, sizeof(line), stdin)) {
        /* No answer (stdin ended): end the prompt's line before saying so. */
        exhv_buf_puts(&q, "\n");
        cli_out(&q);
        exhv_buf_release(&q);
        return 0;
    }
    return exhv_strcaseeq(line, "y\n") || exhv_strcaseeq(line, "yes\n") ||
           exhv_strcaseeq(line, "y\r\n") || exhv_strcaseeq(line, "yes\r\n");
}

int plan_run(exhv_cli *cli, exhv_conn *conn, const exhv_plan *p, const plan_flags *f)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_report r;
    exhv_jw w;
    int quiet = cli->json, rc, exit_rc;

    if (f->script && cli->json) {
        /* One document still: the script is a string in it. */
        exhv_buf ps = EXHV_BUF_INIT;
        exhv_plan_powershell(&ps, p);
        exhv_jw_init(&w, &b, 1);
        plan_json_head(&w, conn, p, 1);
        exhv_jw_kstr(&w, "outcome", p->count == 0 ? "nothing_to_do" : "not_run");
        exhv_jw_kstr(&w, "script", exhv_buf_str(&ps));
        exhv_jw_obj_end(&w);
        exhv_jw_end(&w);
        cli_out(&b);
        exhv_buf_release(&ps);
        exhv_buf_release(&b);
        return EXHV_EXIT_OK;
    }
    if (f->script) {
        exhv_plan_powershell(&b, p);
        cli_out(&b);
        exhv_buf_release(&b);
        return EXHV_EXIT_OK;
    }
    if (cli->json && (f->dry_run || p->count == 0 || !f->yes)) {
        int needs_yes = !f->dry_run && p->count && !f->yes;
        exhv_error err;
        exhv_jw_init(&w, &b, 1);
        plan_json_head(&w, conn, p, f->dry_run);
        exhv_jw_kstr(&w, "outcome", p->count == 0 ? "nothing_to_do" : "not_run");
        if (needs_yes) {
            exhv_error_set(&err, EXHV_E_USAGE, "--json needs --yes to change anything (or "
                                               "--dry-run to only plan)");
            json_error(&w, &err, EXHV_EXIT_USAGE);
            cli_fail_text(&err);
        }
        exhv_jw_obj_end(&w);
        exhv_jw_end(&w);
        cli_out(&b);
        exhv_buf_release(&b);
        return needs_yes ? EXHV_EXIT_USAGE : EXHV_EXIT_OK;
    }
    if (!cli->json) {
        plan_render_text(&b, p);
        cli_out(&b);
        exhv_buf_reset(&b);
    }
    if (p->count == 0) {
        exhv_buf_release(&b);
        return EXHV_EXIT_OK;
    }
    if (f->dry_run) {
        exhv_buf_puts(&b, "Dry run: nothing was changed.\n");
        cli_out(&b);
        exhv_buf_release(&b);
        return EXHV_EXIT_OK;
    }
    /* Ctrl-C at the prompt (or before it) is a no. */
    if (!f->yes && (!confirm() || exhv_interrupt_requested())) {
        exhv_buf_puts(&b, "Cancelled: nothing was changed.\n");
        cli_out(&b);
        exhv_buf_release(&b);
        return EXHV_EXIT_CANCELLED;
    }
    {
        exhv_buf m = EXHV_BUF_INIT;
        exhv_buf_puts(&m, "\nexhv: the running step is finishing, then the steps done are "
                          "undone. Stopping now would leave the host changed: press Ctrl-C "
                          "again to stop anyway, then run `exhv");
        if (cli->uri)
            exhv_buf_printf(&m, " --connect %s", cli->uri);
        exhv_buf_puts(&m, " recover` to undo what was done.\n");
        exhv_interrupt_set_message(exhv_buf_str(&m));
        exhv_buf_release(&m);
    }
    rc = exhv_plan_execute(conn, p, progress, &quiet, &r);
    exit_rc = rc == 0 ? EXHV_EXIT_OK
              : r.outcome == EXHV_OUTCOME_INCOMPLETE ? EXHV_EXIT_INCOMPLETE
              : r.outcome == EXHV_OUTCOME_INTERRUPTED ? EXHV_EXIT_CANCELLED
              : r.outcome == EXHV_OUTCOME_NOT_RUN ? cli_exit_for(r.error.code)
                                                  : EXHV_EXIT_FAILURE;
    if (cli->json) {
        exhv_jw_init(&w, &b, 1);
        plan_json_head(&w, conn, p, 0);
        exhv_jw_kstr(&w, "outcome", exhv_outcome_name(r.outcome));
        if (rc < 0) {
            json_error(&w, &r.error, exit_rc);
            if (r.outcome != EXHV_OUTCOME_NOT_RUN) {
                /* Stopped on request: how many steps ran; otherwise the
                 * step that failed. */
                if (r.interrupted)
                    exhv_jw_kuint(&w, "stopped_after", r.failed_step);
                else
                    exhv_jw_kuint(&w, "failed_step", r.failed_step + 1);
                exhv_jw_kuint(&w, "undone", r.undone);
            }
            exhv_jw_kstr(&w, "manual", r.manual.len ? exhv_buf_str(&r.manual) : NULL);
            cli_fail_text(&r.error);
            exhv_jw_kstr(&w, "finish", r.finish.len ? exhv_buf_str(&r.finish) : NULL);
            exhv_jw_key(&w, "differences");
            exhv_jw_arr_begin(&w);
            for (size_t i = 0; i < r.ndiffs; i++) {
                static const char *const kinds[] = {"kept", "undo_failed", "new_id", "phantom",
                                                    "cleanup_failed"};
                exhv_jw_obj_begin(&w);
                exhv_jw_kuint(&w, "step", r.diffs[i].step + 1);
                exhv_jw_kstr(&w, "kind", kinds[r.diffs[i].kind]);
                if (r.diffs[i].kind == EXHV_DIFF_KEPT)
                    exhv_jw_kstr(&w, "why", exhv_step_no_undo(&p->steps[r.diffs[i].step]));
                if (r.diffs[i].kind == EXHV_DIFF_PHANTOM)
                    exhv_jw_kstr(&w, "devnode", r.diffs[i].new_id);
                if (r.diffs[i].kind == EXHV_DIFF_CLEANUP_FAILED)
                    exhv_jw_kstr(&w, "why", r.diffs[i].why);
                if (r.diffs[i].kind == EXHV_DIFF_NEW_ID) {
                    exhv_jw_kstr(&w, "old_id", r.diffs[i].old_id);
                    exhv_jw_kstr(&w, "new_id", r.diffs[i].new_id);
                }
                exhv_jw_obj_end(&w);
            }
            exhv_jw_arr_end(&w);
        }
        if (rc == 0)
            import_summary_json(&w, conn);
        if (r.notes.len) {
            exhv_jw_key(&w, "done_differently");
            exhv_jw_arr_begin(&w);
            for (const char *p0 = exhv_buf_str(&r.notes); *p0;) {
                const char *e = strchr(p0, '\n');
                char *one = exhv_strndup(p0, (size_t)(e - p0));
                exhv_jw_str(&w, one ? one : "");
                free(one);
                p0 = e + 1;
            }
            exhv_jw_arr_end(&w);
        }
        exhv_jw_obj_end(&w);
        exhv_jw_end(&w);
    } else if (r.outcome == EXHV_OUTCOME_NOT_RUN) {
        cli_fail_text(&r.error);
    } else {
        exhv_report_text(&b, p, &r);
        if (rc == 0)
            import_summary(&b, conn);
        /* The record of the change stays until recover deals with it. */
        if (r.outcome == EXHV_OUTCOME_INCOMPLETE && r.manual.len) {
            exhv_buf_puts(&b, "\nexhv keeps a record of this change: `exhv");
            if (cli->uri)
                exhv_buf_printf(&b, " --connect %s", cli->uri);
            exhv_buf_puts(&b, " recover` undoes what is left once the cause is fixed.\n");
        }
    }
    cli_out(&b);
    exhv_buf_release(&b);
    if (rc < 0 && r.outcome != EXHV_OUTCOME_NOT_RUN && !r.interrupted && !cli->json)
        cli_fail_text(&r.error);
    rc = exit_rc;
    exhv_report_release(&r);
    return rc;
}

int plan_finish(exhv_cli *cli, exhv_conn *conn, exhv_host *h, int planned, exhv_plan *plan,
                const plan_flags *f, const exhv_error *err)
{
    int rc;
    if (planned < 0) {
        rc = cli_fail(err);
    } else {
        rc = plan_run(cli, conn, plan, f);
        exhv_plan_release(plan);
    }
    exhv_host_free(h);
    exhv_conn_close(conn);
    return rc;
}

int plan_flag(const char *arg, plan_flags *f)
{
    if (strcmp(arg, "--dry-run") == 0 || strcmp(arg, "-n") == 0)
        f->dry_run = 1;
    else if (strcmp(arg, "--script") == 0)
        f->script = 1;
    else if (strcmp(arg, "--yes") == 0 || strcmp(arg, "-y") == 0)
        f->yes = 1;
    else
        return 0;
    return 1;
}

/* A change waits for no record of an earlier one left half-done: it would
 * build on a host nobody has looked at. */
static int refuse_if_interrupted(exhv_conn *c, exhv_error *err)
{
    const char *path = c->ops->journal_path ? c->ops->journal_path(c->ctx) : NULL;
    exhv_journal j;
    exhv_buf b = EXHV_BUF_INIT;
    int rc;
    if (!path || (rc = exhv_journal_read(path, &j, err)) == -2)
        return 0;
    if (rc < 0)
        return -1;
    exhv_journal_describe(&b, &j);
    exhv_error_set(err, EXHV_E_FAILED, "%s Then run this command again.", exhv_buf_str(&b));
    exhv_buf_release(&b);
    exhv_journal_release(&j);
    return -1;
}

int cli_connect(exhv_cli *cli, exhv_conn **conn, exhv_host **host, int change)
{
    exhv_error err;
    exhv_error_clear(&err);
    if (exhv_conn_open(cli->uri, conn, &err) < 0)
        return cli_fail(&err);
    /* A change holds the lock from before it reads the host to its last
     * step: what it plans from is what it changes. */
    if (change && (exhv_conn_lock(*conn, &err) < 0 || refuse_if_interrupted(*conn, &err) < 0)) {
        exhv_conn_close(*conn);
        *conn = NULL;
        return cli_fail(&err);
    }
    if (exhv_snapshot_take(*conn, host, &err) < 0) {
        exhv_conn_close(*conn);
        *conn = NULL;
        return cli_fail(&err);
    }
    cli_warnings(*host);
    return 0;
}
