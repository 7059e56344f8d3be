/* exhv recover: undo (or finish) a change an earlier run left half-done:
 * killed, its console closed, or an undo that failed. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/plan.h"
#include "hyperv/journal.h"
#include "hyperv/ports.h"
#include "platform/fs.h"

/* A recover outcome without a plan, as --json prints it. */
static void outcome_json(exhv_buf *b, const exhv_conn *conn, const char *outcome, int dry_run)
{
    exhv_jw w;
    exhv_jw_init(&w, b, 1);
    exhv_jw_obj_begin(&w);
    exhv_jw_kint(&w, "schema", 1);
    exhv_jw_kstr(&w, "connection", conn && conn->uri ? conn->uri : cli_uri());
    exhv_jw_kbool(&w, "dry_run", dry_run);
    exhv_jw_kstr(&w, "outcome", outcome);
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
}

int cmd_recover(exhv_cli *cli, int argc, char **argv)
{
    plan_flags f = {0};
    int finish = 0, forget = 0, rc;
    exhv_conn *conn = NULL;
    exhv_error err;
    exhv_journal j;
    exhv_plan plan;
    exhv_buf b = EXHV_BUF_INIT;
    const char *path;
    char *record = NULL, *parent = NULL;
    size_t record_len = 0;

    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help("recover");
        if (plan_flag(argv[i], &f))
            continue;
        if (strcmp(argv[i], "--finish") == 0)
            finish = 1;
        else if (strcmp(argv[i], "--forget") == 0)
            forget = 1;
        else
            return cli_usage("recover", "unexpected argument '%s'", argv[i]);
    }
    if (finish && forget)
        return cli_usage("recover", "give one of --finish and --forget");
    exhv_error_clear(&err);
    if (exhv_conn_open(cli->uri, &conn, &err) < 0)
        return cli_fail(&err);
    path = conn->ops->journal_path ? conn->ops->journal_path(conn->ctx) : NULL;
    /* The record is read under the lock: a run still going is not
     * interrupted, and is refused as any other change would be. */
    if (exhv_conn_lock(conn, &err) < 0) {
        exhv_conn_close(conn);
        return cli_fail(&err);
    }
    rc = path ? exhv_journal_read(path, &j, &err) : -2;
    /* A damaged record cannot be undone or finished, only dropped. */
    if (rc == -1 && forget && err.code == EXHV_E_PARSE) {
        memset(&j, 0, sizeof(j));
        rc = 0;
    }
    if (rc == -1) {
        exhv_conn_close(conn);
        return cli_fail(&err);
    }
    if (rc == -2) {
        if (cli->json)
            outcome_json(&b, conn, "nothing_to_do", !PLAN_CHANGES(&f));
        else
            exhv_buf_puts(&b, "Nothing to recover: no change was left half-done.\n");
        cli_out(&b);
        exhv_buf_release(&b);
        exhv_conn_close(conn);
        return EXHV_EXIT_OK;
    }
    if (forget) {
        /* --dry-run and --script change nothing, the record included. */
        rc = PLAN_CHANGES(&f) && exhv_journal_remove(path, &err) < 0 ? cli_fail(&err)
                                                                      : EXHV_EXIT_OK;
        if (rc == EXHV_EXIT_OK) {
            if (cli->json)
                outcome_json(&b, conn, PLAN_CHANGES(&f) ? "forgotten" : "not_run",
                             !PLAN_CHANGES(&f));
            else if (PLAN_CHANGES(&f))
                exhv_buf_puts(&b, "Forgot the record of the interrupted change; the host was "
                                  "not changed.\n");
            else
                exhv_buf_puts(&b, "Dry run: the record of the interrupted change would be "
                                  "dropped, the host left as it is. Nothing was changed.\n");
            cli_out(&b);
        }
        exhv_buf_release(&b);
        exhv_journal_release(&j);
        exhv_conn_close(conn);
        return rc;
    }
    if (!cli->json) {
        exhv_journal_describe(&b, &j);
        exhv_buf_putc(&b, '\n');
        cli_out(&b);
        exhv_buf_reset(&b);
    }
    /* Released on every path below, also when no plan could be made. */
    exhv_plan_init(&plan);
    rc = finish ? exhv_journal_plan_finish(&j, &plan, &err) : exhv_journal_plan_undo(&j, &plan, &err);
    /* This record may itself be that of a recover that was cut short: once
     * its steps are all undone, the host is as the record it was recovering
     * describes, and that record is the one to keep. */
    if (rc == 0 && !finish && j.parent && !(parent = exhv_strdup(j.parent)))
        rc = exhv_error_set(&err, EXHV_E_NO_MEMORY, "out of memory");
    exhv_journal_release(&j);
    if (rc < 0) {
        exhv_plan_release(&plan);
        exhv_buf_release(&b);
        exhv_conn_close(conn);
        return cli_fail(&err);
    }
    exhv_buf_release(&b);
    /* Nothing left to run: the record has told all it could. */
    if (plan.count == 0 && PLAN_CHANGES(&f) &&
        (parent ? exhv_fs_write_atomic(path, parent, strlen(parent), &err)
                : exhv_journal_remove(path, &err)) < 0) {
        exhv_plan_release(&plan);
        free(parent);
        exhv_conn_close(conn);
        return cli_fail(&err);
    }
    /* The plan below keeps its own record while it runs, in the same place,
     * with this record inside it: cut short in turn, it can be recovered,
     * and this record comes back. */
    if (plan.count && PLAN_CHANGES(&f)) {
        if (exhv_fs_read_file(path, 64u << 20, &record, &record_len, &err) < 0) {
            exhv_plan_release(&plan);
            free(parent);
            exhv_conn_close(conn);
            return cli_fail(&err);
        }
        conn->journal_parent = record;
    }
    rc = plan_run(cli, conn, &plan, &f);
    exhv_plan_release(&plan);
    if (record) {
        exhv_journal left;
        int r = exhv_journal_read(path, &left, &err);
        const char *back = NULL;
        if (r == 0)
            exhv_journal_release(&left);
        /* No record now. Stopped or failed and undone: recover's own steps
         * were all undone, so this record is true again. Done: this record
         * is dealt with, and so is the one it recovered, unless its steps
         * were undone (then that one is true again). */
        if (r == -2)
            back = rc != EXHV_EXIT_OK ? record : parent;
        if (back && exhv_fs_write_atomic(path, back, strlen(back), &err) < 0) {
            exhv_error_prefix(&err, "the record of the interrupted change could not be put back");
            cli_fail_text(&err);
        }
    }
    free(record);
    free(parent);
    exhv_conn_close(conn);
    return rc;
}
