#include "journal.h"
#include "core/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "platform/fs.h"
#include "platform/lock.h"

static const char *const status_names[] = {"pending", "running", "done", "undone", "undo_failed"};

int exhv_journal_write(const char *path, const exhv_plan *p, const exhv_jstep *status,
                       char *const *made, const char *uri, const char *parent,
                       exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    int rc;

    exhv_jw_init(&w, &b, 1);
    exhv_jw_obj_begin(&w);
    exhv_jw_kint(&w, "schema", 1);
    exhv_jw_kstr(&w, "title", p->title);
    exhv_jw_kstr(&w, "connection", uri);
    exhv_jw_kint(&w, "pid", (int64_t)exhv_process_id());
    exhv_jw_key(&w, "steps");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < p->count; i++) {
        const exhv_step *s = &p->steps[i];
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "status", status_names[status[i]]);
        exhv_jw_kstr(&w, "kind", exhv_step_kind_name(s->kind));
        exhv_jw_kstr(&w, "vm_id", s->vm_id);
        exhv_jw_kstr(&w, "vm_name", s->vm_name);
        exhv_jw_kstr(&w, "instance_id", s->instance_id);
        exhv_jw_kstr(&w, "location_path", s->location_path);
        exhv_jw_kstr(&w, "device_name", s->device_name);
        exhv_jw_kstr(&w, "setting_id", s->setting_id);
        exhv_jw_kstr(&w, "prop", s->prop);
        exhv_jw_kstr(&w, "gpu_path", s->gpu_path);
        exhv_jw_kstr(&w, "gpu_name", s->gpu_name);
        exhv_jw_kstr(&w, "reason", s->reason);
        exhv_jw_kint(&w, "old_value", s->old_value);
        exhv_jw_kint(&w, "new_value", s->new_value);
        exhv_jw_key(&w, "values");
        exhv_jw_arr_begin(&w);
        for (int k = 0; k < s->nvalues && k < 12; k++)
            exhv_jw_int(&w, s->values[k]);
        exhv_jw_arr_end(&w);
        exhv_jw_kstr(&w, "made", made ? made[i] : NULL);
        /* Driver import */
        if (s->path || s->driver_key || s->version || s->script || s->cleanup) {
            exhv_jw_kstr(&w, "path", s->path);
            exhv_jw_kstr(&w, "driver_key", s->driver_key);
            exhv_jw_kstr(&w, "version", s->version);
            exhv_jw_kstr(&w, "inf_path", s->inf_path);
            exhv_jw_kstr(&w, "packages", s->packages);
            exhv_jw_kstr(&w, "script", s->script);
            exhv_jw_kuint(&w, "files", s->files);
            exhv_jw_kuint(&w, "bytes", s->bytes);
            exhv_jw_kbool(&w, "all_packages", s->all_packages);
            exhv_jw_kbool(&w, "cleanup", s->cleanup);
        }
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);
    if (parent)
        exhv_jw_kstr(&w, "parent", parent);
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
    if (!exhv_buf_ok(&b)) {
        exhv_buf_release(&b);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    rc = exhv_fs_write_atomic(path, b.data, b.len, err);
    exhv_buf_release(&b);
    if (rc < 0)
        exhv_error_prefix(err, "recording the plan in progress");
    return rc;
}

static int dupf(char **dst, const exhv_json *o, const char *key)
{
    const char *v = exhv_json_get_str(o, key);
    *dst = NULL;
    return !v || (*dst = exhv_strdup(v)) ? 0 : -1;
}

/* A record exhv cannot read tells nothing it can act on: the person reads
 * it, puts the host right, and drops it. */
static void damaged_advice(exhv_error *err)
{
    size_t n = strlen(err->message);
    snprintf(err->message + n, sizeof(err->message) - n, "%s",
             exhv_tr(". Read it to see what the earlier change did, check the host with `exhv "
                     "devices` and `exhv vms`, then drop the record with `exhv recover --forget` "
                     "(given the same --connect as this command)"));
}

/* A member that is absent, null or a string. */
static int str_or_null(const exhv_json *o, const char *key)
{
    const exhv_json *v = exhv_json_get(o, key);
    return !v || v->type == EXHV_JSON_NULL || v->type == EXHV_JSON_STRING;
}

static int whole(const exhv_json *v)
{
    return v && v->type == EXHV_JSON_NUMBER && v->is_int;
}

/* Every member of a step as exhv writes it: a record edited or cut by hand
 * must not be read with defaults in place of what it lacks (an undo would
 * then set values nobody chose). */
static int step_ok(const exhv_json *o)
{
    static const char *const strs[] = {"vm_id", "vm_name", "instance_id", "location_path",
                                       "device_name", "setting_id", "prop", "gpu_path",
                                       "gpu_name", "reason", "made"};
    const exhv_json *vals = exhv_json_get(o, "values");
    if (o->type != EXHV_JSON_OBJECT || !whole(exhv_json_get(o, "old_value")) ||
        !whole(exhv_json_get(o, "new_value")) || !vals || vals->type != EXHV_JSON_ARRAY ||
        vals->count > 12)
        return 0;
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        if (!str_or_null(o, strs[i]))
            return 0;
    for (size_t v = 0; v < vals->count; v++)
        if (!whole(&vals->items[v]))
            return 0;
    /* Driver import's members: absent on other steps, typed when there. */
    {
        static const char *const opt[] = {"path", "driver_key", "version", "inf_path",
                                          "packages", "script"};
        static const char *const nums[] = {"files", "bytes"};
        static const char *const bools[] = {"all_packages", "cleanup"};
        for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
            if (exhv_json_get(o, opt[i]) && !str_or_null(o, opt[i]))
                return 0;
        for (size_t i = 0; i < 2; i++) {
            const exhv_json *n = exhv_json_get(o, nums[i]);
            if (n && (!whole(n) || n->inum < 0))
                return 0;
        }
        for (size_t i = 0; i < 2; i++) {
            const exhv_json *b = exhv_json_get(o, bools[i]);
            if (b && b->type != EXHV_JSON_BOOL)
                return 0;
        }
    }
    return 1;
}

int exhv_journal_read(const char *path, exhv_journal *j, exhv_error *err)
{
    char *text = NULL;
    size_t len = 0;
    exhv_json *doc = NULL;
    const exhv_json *steps;
    exhv_error e2;
    int rc = -1;

    memset(j, 0, sizeof(*j));
    exhv_error_clear(&e2);
    if (exhv_fs_read_file(path, 16u << 20, &text, &len, &e2) < 0) {
        if (e2.code == EXHV_E_NOT_FOUND)
            return -2;
        *err = e2;
        return -1;
    }
    if (exhv_json_parse(text, len, &doc, err) < 0) {
        exhv_error_prefix(err, "the record of an interrupted change (%s) is damaged", path);
        damaged_advice(err);
        goto out;
    }
    steps = exhv_json_get(doc, "steps");
    if (exhv_json_get_int(doc, "schema", 0) != 1 || !steps || steps->type != EXHV_JSON_ARRAY ||
        !str_or_null(doc, "title") || !str_or_null(doc, "connection") ||
        !str_or_null(doc, "parent") || !whole(exhv_json_get(doc, "pid"))) {
        exhv_error_set(err, EXHV_E_PARSE, "the record of an interrupted change (%s) is not one "
                       "this exhv reads", path);
        damaged_advice(err);
        goto out;
    }
    j->status = calloc(steps->count ? steps->count : 1, sizeof(*j->status));
    j->made = calloc(steps->count ? steps->count : 1, sizeof(*j->made));
    if (!j->status || !j->made || dupf(&j->plan.title, doc, "title") < 0 ||
        dupf(&j->uri, doc, "connection") < 0 || dupf(&j->parent, doc, "parent") < 0)
        goto nomem;
    j->pid = (long)exhv_json_get_int(doc, "pid", 0);
    for (size_t i = 0; i < steps->count; i++) {
        const exhv_json *o = &steps->items[i], *vals = exhv_json_get(o, "values");
        const char *kind = exhv_json_get_str(o, "kind"), *st = exhv_json_get_str(o, "status");
        exhv_step s;
        int k, stv = -1;
        memset(&s, 0, sizeof(s));
        for (k = 0; k < EXHV_STEP__COUNT; k++)
            if (kind && strcmp(kind, exhv_step_kind_name((exhv_step_kind)k)) == 0)
                break;
        for (size_t n = 0; st && n < sizeof(status_names) / sizeof(status_names[0]); n++)
            if (strcmp(st, status_names[n]) == 0)
                stv = (int)n;
        if (k == EXHV_STEP__COUNT || stv < 0 || !step_ok(o)) {
            exhv_error_set(err, EXHV_E_PARSE, "the record of an interrupted change (%s): step %zu "
                           "has an unknown kind or status, or a member of the wrong type",
                           path, i + 1);
            damaged_advice(err);
            goto out;
        }
        s.kind = (exhv_step_kind)k;
        s.vm_id = (char *)exhv_json_get_str(o, "vm_id");
        s.vm_name = (char *)exhv_json_get_str(o, "vm_name");
        s.instance_id = (char *)exhv_json_get_str(o, "instance_id");
        s.location_path = (char *)exhv_json_get_str(o, "location_path");
        s.device_name = (char *)exhv_json_get_str(o, "device_name");
        s.setting_id = (char *)exhv_json_get_str(o, "setting_id");
        s.prop = (char *)exhv_json_get_str(o, "prop");
        s.gpu_path = (char *)exhv_json_get_str(o, "gpu_path");
        s.gpu_name = (char *)exhv_json_get_str(o, "gpu_name");
        s.reason = (char *)exhv_json_get_str(o, "reason");
        s.old_value = exhv_json_get_int(o, "old_value", 0);
        s.path = (char *)exhv_json_get_str(o, "path");
        s.driver_key = (char *)exhv_json_get_str(o, "driver_key");
        s.version = (char *)exhv_json_get_str(o, "version");
        s.inf_path = (char *)exhv_json_get_str(o, "inf_path");
        s.packages = (char *)exhv_json_get_str(o, "packages");
        s.script = (char *)exhv_json_get_str(o, "script");
        s.files = (uint64_t)exhv_json_get_int(o, "files", 0);
        s.bytes = (uint64_t)exhv_json_get_int(o, "bytes", 0);
        s.all_packages = exhv_json_get_bool(o, "all_packages", 0);
        s.cleanup = exhv_json_get_bool(o, "cleanup", 0);
        s.new_value = exhv_json_get_int(o, "new_value", 0);
        for (size_t v = 0; vals && vals->type == EXHV_JSON_ARRAY && v < vals->count && v < 12; v++)
            s.values[s.nvalues++] = vals->items[v].inum;
        if (!exhv_plan_add_step(&j->plan, &s) || dupf(&j->made[i], o, "made") < 0)
            goto nomem;
        j->status[i] = (exhv_jstep)stv;
    }
    rc = 0;
    goto out;
nomem:
    exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
out:
    if (rc < 0)
        exhv_journal_release(j);
    exhv_json_free(doc);
    free(text);
    return rc;
}

void exhv_journal_release(exhv_journal *j)
{
    for (size_t i = 0; j->made && i < j->plan.count; i++)
        free(j->made[i]);
    free(j->made);
    free(j->status);
    free(j->uri);
    free(j->parent);
    exhv_plan_release(&j->plan);
    memset(j, 0, sizeof(*j));
}

int exhv_journal_remove(const char *path, exhv_error *err)
{
    return exhv_fs_remove(path, err);
}

size_t exhv_journal_done(const exhv_journal *j)
{
    size_t n = 0;
    for (size_t i = 0; i < j->plan.count; i++)
        n += j->status[i] == EXHV_JSTEP_DONE || j->status[i] == EXHV_JSTEP_UNDO_FAILED;
    return n;
}

long exhv_journal_uncertain(const exhv_journal *j)
{
    for (size_t i = 0; i < j->plan.count; i++)
        if (j->status[i] == EXHV_JSTEP_RUNNING)
            return (long)i;
    return -1;
}

/* Whether recover --finish can run the rest (exhv_journal_plan_finish):
 * every step's end is known, and no undo has begun. */
static int finish_possible(const exhv_journal *j)
{
    if (exhv_journal_uncertain(j) >= 0)
        return 0;
    for (size_t i = 0; i < j->plan.count; i++)
        if (j->status[i] == EXHV_JSTEP_UNDONE || j->status[i] == EXHV_JSTEP_UNDO_FAILED)
            return 0;
    return 1;
}

/* `exhv [--connect URI] recover [opt]`, runnable as printed: the record
 * belongs to the connection it was made on, which need not be the default. */
static void cmd_line(exhv_buf *b, const exhv_journal *j, const char *cmd, const char *opt)
{
    exhv_buf_puts(b, "`exhv ");
    if (j->uri && *j->uri && strcmp(j->uri, "hyperv:///") != 0) {
        const char *p = j->uri;
        int plain = 1;
        for (; *p; p++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:._-+",
                        *p))
                plain = 0;
        exhv_buf_puts(b, "--connect ");
        if (plain) {
            exhv_buf_puts(b, j->uri);
        } else {
            /* A POSIX shell word: single quotes, ' as '\''. */
            exhv_buf_putc(b, '\'');
            for (p = j->uri; *p; p++) {
                if (*p == '\'')
                    exhv_buf_puts(b, "'\\'");
                exhv_buf_putc(b, *p);
            }
            exhv_buf_putc(b, '\'');
        }
        exhv_buf_putc(b, ' ');
    }
    exhv_buf_puts(b, cmd);
    if (opt)
        exhv_buf_printf(b, " %s", opt);
    exhv_buf_putc(b, '`');
}

static void recover_cmd(exhv_buf *b, const exhv_journal *j, const char *opt)
{
    cmd_line(b, j, "recover", opt);
}

/* "`exhv devices` and `exhv vms`", on the record's connection. */
static void check_cmds(exhv_buf *b, const exhv_journal *j)
{
    exhv_buf devices = EXHV_BUF_INIT, vms = EXHV_BUF_INIT;
    cmd_line(&devices, j, "devices", NULL);
    cmd_line(&vms, j, "vms", NULL);
    exhv_buf_tprintf(b, "%s and %s", exhv_buf_str(&devices), exhv_buf_str(&vms));
    exhv_buf_release(&devices);
    exhv_buf_release(&vms);
}

void exhv_journal_describe(exhv_buf *b, const exhv_journal *j)
{
    size_t done = exhv_journal_done(j), last = 0;
    long unsure = exhv_journal_uncertain(j);
    for (size_t i = 0; i < j->plan.count; i++)
        if (j->status[i] != EXHV_JSTEP_PENDING)
            last = i + 1;
    /* Killed while a step ran: interrupted at that step. Otherwise a step
     * failed and an undo failed too: it ran up to `last`, then stopped. */
    exhv_buf undo = EXHV_BUF_INIT, other = EXHV_BUF_INIT;
    if (unsure >= 0)
        exhv_buf_tprintf(b, "An earlier change was interrupted at step %zu of %zu: \"%s\". ",
                         last, j->plan.count, j->plan.title ? j->plan.title : "");
    else
        exhv_buf_tprintf(b, "An earlier change did not finish: it stopped after step %zu of "
                            "%zu: \"%s\". ", last, j->plan.count,
                         j->plan.title ? j->plan.title : "");
    if (done == 1)
        exhv_buf_tprintf(b, "%zu step of it is still in effect. ", done);
    else if (done)
        exhv_buf_tprintf(b, "%zu steps of it are still in effect. ", done);
    if (unsure >= 0)
        exhv_buf_tprintf(b, "Step %ld was running when exhv stopped: whether it finished is not "
                            "known. ", unsure + 1);
    recover_cmd(&undo, j, NULL);
    /* Offered only when recover --finish would take it: not when a step's
     * end is unknown (it could run twice) nor once an undo has begun. */
    if (unsure >= 0) {
        check_cmds(&other, j);
        exhv_buf_tprintf(b, "Run %s to undo what it did, then check with %s whether step %ld "
                            "took effect.", exhv_buf_str(&undo), exhv_buf_str(&other),
                         unsure + 1);
    } else if (!finish_possible(j)) {
        exhv_buf_tprintf(b, "Run %s to undo what it did.", exhv_buf_str(&undo));
    } else {
        recover_cmd(&other, j, "--finish");
        exhv_buf_tprintf(b, "Run %s to undo what it did, or %s to run the rest.",
                         exhv_buf_str(&undo), exhv_buf_str(&other));
    }
    exhv_buf_release(&undo);
    exhv_buf_release(&other);
}

static int copy_step(exhv_plan *out, const exhv_step *s)
{
    return exhv_plan_add_step(out, s) ? 0 : -1;
}

/* Steps of an import whose undo uses what the run that did them kept in
 * memory (the guest's undo log, the host record's old values, the hive
 * values replaced); recover runs in another process and has none of it. */
static int run_bound(const exhv_step *s)
{
    return s->kind == EXHV_STEP_DRV_COPY || s->kind == EXHV_STEP_DRV_PURGE ||
           s->kind == EXHV_STEP_DRV_RECORD || s->kind == EXHV_STEP_HIVE_EDIT ||
           s->kind == EXHV_STEP_DRV_COMMIT;
}

/* What a person does instead, for a step run_bound() names. */
static const char *run_bound_todo(const exhv_step *s)
{
    switch (s->kind) {
    case EXHV_STEP_DRV_COPY:
        return exhv_tr(": the guest's driver files stay as that run left them; what it set "
                       "aside, unless it was deleted, is in Windows\\System32\\exhv-undo on "
                       "the guest's disk, to be put back by hand, or run `exhv gpu drivers` "
                       "for the VM again to finish the import");
    case EXHV_STEP_DRV_PURGE:
        return exhv_tr(": the guest's driver files stay as that run left them; what it set "
                       "aside, unless it was deleted, is in Windows\\System32\\exhv-undo on "
                       "the guest's disk, to be put back by hand");
    case EXHV_STEP_DRV_RECORD:
        return exhv_tr(": the host's record of the VM's guest drivers stays as that run wrote "
                       "it");
    case EXHV_STEP_HIVE_EDIT:
        return exhv_tr(": the driver's values stay in the guest's SYSTEM hive");
    case EXHV_STEP_DRV_COMMIT:
        return exhv_tr(": what it deleted is gone");
    default:
        return "";
    }
}

int exhv_journal_plan_undo(const exhv_journal *j, exhv_plan *out, exhv_error *err)
{
    exhv_buf t = EXHV_BUF_INIT;
    exhv_plan_init(out);
    exhv_buf_tprintf(&t, "Undo the interrupted change \"%s\"", j->plan.title ? j->plan.title : "");
    out->title = exhv_buf_detach(&t);
    for (size_t i = j->plan.count; i-- > 0;) {
        exhv_step inv;
        if (j->status[i] != EXHV_JSTEP_DONE && j->status[i] != EXHV_JSTEP_UNDO_FAILED)
            continue;
        if (!exhv_step_reversible(&j->plan.steps[i]))
            continue;
        if (run_bound(&j->plan.steps[i])) {
            /* Its undo needs what that run kept in memory: not planned,
             * so that nothing claims it was undone; said instead. */
            exhv_buf d = EXHV_BUF_INIT;
            exhv_step_describe(&d, &j->plan.steps[i]);
            exhv_plan_add_note(out, "step %zu of the interrupted change, %s, stays in effect: "
                               "exhv cannot undo it from its record%s", i + 1,
                               exhv_buf_str(&d), run_bound_todo(&j->plan.steps[i]));
            exhv_buf_release(&d);
            continue;
        }
        exhv_step_inverse(&j->plan.steps[i], &inv);
        /* An adapter Hyper-V created is undone by the ID it was given. */
        if (j->made[i])
            inv.setting_id = j->made[i];
        inv.reason = (char *)exhv_tr("undoes a step of the interrupted change");
        if (copy_step(out, &inv) < 0) {
            exhv_plan_release(out);
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
    }
    if (exhv_journal_uncertain(j) >= 0) {
        exhv_buf cmds = EXHV_BUF_INIT;
        check_cmds(&cmds, j);
        exhv_plan_add_note(out, "step %ld of the interrupted change was running when exhv "
                           "stopped; whether it finished is not known: check it after this "
                           "with %s", exhv_journal_uncertain(j) + 1, exhv_buf_str(&cmds));
        exhv_buf_release(&cmds);
    }
    return out->title ? 0 : exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

int exhv_journal_plan_finish(const exhv_journal *j, exhv_plan *out, exhv_error *err)
{
    exhv_buf t = EXHV_BUF_INIT;
    long unsure = exhv_journal_uncertain(j);
    if (!finish_possible(j)) {
        exhv_buf cmd = EXHV_BUF_INIT;
        recover_cmd(&cmd, j, NULL);
        if (unsure >= 0)
            exhv_error_set(err, EXHV_E_FAILED, "step %ld of the interrupted change was running "
                           "when exhv stopped, and whether it finished is not known: finishing "
                           "could run it twice; run %s (undo) instead", unsure + 1,
                           exhv_buf_str(&cmd));
        else
            exhv_error_set(err, EXHV_E_FAILED, "the interrupted change was already being "
                           "undone: run %s to finish undoing it", exhv_buf_str(&cmd));
        exhv_buf_release(&cmd);
        return -1;
    }
    exhv_plan_init(out);
    exhv_buf_tprintf(&t, "Finish the interrupted change \"%s\"", j->plan.title ? j->plan.title : "");
    out->title = exhv_buf_detach(&t);
    for (size_t i = 0; i < j->plan.count; i++)
        if (j->status[i] == EXHV_JSTEP_PENDING && copy_step(out, &j->plan.steps[i]) < 0) {
            exhv_plan_release(out);
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
    return out->title ? 0 : exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}
