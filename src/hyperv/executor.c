#include "executor.h"

#include <stdlib.h>
#include <string.h>

#include "hyperv/actions.h"
#include "platform/lock.h"

void exhv_report_release(exhv_report *r)
{
    exhv_buf_release(&r->manual);
    exhv_buf_release(&r->notes);
}

const char *exhv_outcome_name(exhv_outcome o)
{
    switch (o) {
    case EXHV_OUTCOME_DONE: return "done";
    case EXHV_OUTCOME_ROLLED_BACK: return "rolled_back";
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

int exhv_plan_execute(exhv_conn *c, const exhv_plan *p, exhv_progress_fn progress, void *ud,
                      exhv_report *r)
{
    const char *lock_name = c->ops->lock_name ? c->ops->lock_name(c->ctx) : NULL;
    exhv_lock *lock = NULL;
    char **made = calloc(p->count ? p->count : 1, sizeof(char *));
    size_t k;

    memset(r, 0, sizeof(*r));
    exhv_buf_init(&r->manual);
    exhv_buf_init(&r->notes);
    if (!made) {
        r->outcome = EXHV_OUTCOME_NOT_RUN;
        return exhv_error_set(&r->error, EXHV_E_NO_MEMORY, "out of memory");
    }
    if (lock_name && exhv_lock_acquire(lock_name, &lock, &r->error) < 0) {
        r->outcome = EXHV_OUTCOME_NOT_RUN;
        free(made);
        return -1;
    }
    for (k = 0; k < p->count; k++) {
        notify(progress, ud, EXHV_PHASE_START, k, p->count, &p->steps[k], NULL);
        int rc = exhv_step_run(c, &p->steps[k], &made[k], &r->error);
        if (rc < 0)
            break;
        /* Done another way than described: tell it now and in the result. */
        notify(progress, ud, EXHV_PHASE_DONE, k, p->count, &p->steps[k], rc > 0 ? &r->error : NULL);
        if (rc > 0)
            exhv_buf_printf(&r->notes, "%s\n", r->error.message);
        exhv_error_clear(&r->error);
    }
    if (k == p->count) {
        r->outcome = EXHV_OUTCOME_DONE;
        goto out;
    }
    r->failed_step = k;
    r->outcome = EXHV_OUTCOME_ROLLED_BACK;
    notify(progress, ud, EXHV_PHASE_FAILED, k, p->count, &p->steps[k], &r->error);

    /* Undo in reverse. An undo that fails does not stop the others: each
     * one left standing is written down for the user to run. */
    while (k-- > 0) {
        exhv_step inv;
        exhv_error uerr;
        exhv_error_clear(&uerr);
        if (!exhv_step_reversible(&p->steps[k]))
            continue;
        exhv_step_inverse(&p->steps[k], &inv);
        /* An adapter Hyper-V created is undone by the ID it was given. */
        if (made[k])
            inv.setting_id = made[k];
        notify(progress, ud, EXHV_PHASE_UNDO_START, k, p->count, &inv, NULL);
        if (exhv_step_run(c, &inv, NULL, &uerr) >= 0) {
            r->undone++;
            notify(progress, ud, EXHV_PHASE_UNDO_DONE, k, p->count, &inv, NULL);
            continue;
        }
        r->outcome = EXHV_OUTCOME_INCOMPLETE;
        notify(progress, ud, EXHV_PHASE_UNDO_FAILED, k, p->count, &inv, &uerr);
        exhv_step_powershell(&r->manual, &inv);
        exhv_buf_putc(&r->manual, '\n');
    }
out:
    for (size_t i = 0; i < p->count; i++)
        free(made[i]);
    free(made);
    exhv_lock_release(lock);
    return r->outcome == EXHV_OUTCOME_DONE ? 0 : -1;
}
