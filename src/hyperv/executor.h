/* Running a plan: progress per step, and on a failure the completed steps
 * undone in reverse, so that nothing is left half-done. */
#ifndef EXHV_EXECUTOR_H
#define EXHV_EXECUTOR_H

#include "core/plan.h"
#include "hyperv/ports.h"

typedef enum exhv_phase {
    EXHV_PHASE_START,
    EXHV_PHASE_DONE,
    EXHV_PHASE_FAILED,
    EXHV_PHASE_UNDO_START,
    EXHV_PHASE_UNDO_DONE,
    EXHV_PHASE_UNDO_FAILED,
    EXHV_PHASE_INTERRUPTED,   /* asked to stop: no step after this one runs */
    EXHV_PHASE_PROGRESS,      /* how far a long step (a copy) is: err->message says it in
                                 words ("120 of 400 files, ... bytes"), and copy holds the
                                 numbers (exhv_plan_execute_copy_progress) */
} exhv_phase;

/* Called before and after each step and each undo. With EXHV_PHASE_DONE,
 * err is NULL when the step did what it describes, else its message says
 * what happened instead (a VM turned off, not shut down). */
typedef void (*exhv_progress_fn)(void *ud, exhv_phase phase, size_t index, size_t count,
                                 const exhv_step *step, const exhv_error *err);

typedef enum exhv_outcome {
    EXHV_OUTCOME_DONE,          /* every step ran */
    EXHV_OUTCOME_ROLLED_BACK,   /* a step failed; everything done before it was undone */
    EXHV_OUTCOME_INCOMPLETE,    /* a step failed (or exhv was asked to stop) and the host
                                   is not as before: see diffs */
    EXHV_OUTCOME_NOT_RUN,       /* nothing ran (the lock was held) */
    EXHV_OUTCOME_INTERRUPTED,   /* asked to stop: the running step finished, and
                                   everything done was undone */
} exhv_outcome;

/* One way the host differs from before after a rollback. */
typedef enum exhv_diff_kind {
    EXHV_DIFF_KEPT,          /* the step cannot be undone: it stays done */
    EXHV_DIFF_UNDO_FAILED,   /* its undo failed: it stays done */
    EXHV_DIFF_NEW_ID,        /* undone, but what it removed came back under a new ID */
    EXHV_DIFF_PHANTOM,       /* a devnode Windows keeps, not present, after an undo */
    EXHV_DIFF_CLEANUP_FAILED, /* a step that always runs (detach a disk, unload a hive)
                                 failed, even when tried again: what it closes stays open */
} exhv_diff_kind;

typedef struct exhv_diff {
    exhv_diff_kind kind;
    size_t step;                /* index of the plan step; PHANTOM: the failed step */
    char *why;                  /* CLEANUP_FAILED: its error */
    char *old_id, *new_id;      /* NEW_ID: the ID before and now; PHANTOM: new_id is the
                                   devnode's instance ID */
} exhv_diff;

typedef struct exhv_report {
    exhv_outcome outcome;       /* INCOMPLETE exactly when ndiffs > 0 */
    size_t failed_step;         /* index of the step that failed (or was next when
                                   exhv was asked to stop) */
    int interrupted;            /* exhv was asked to stop */
    exhv_error error;           /* why it failed */
    size_t undone;              /* steps undone */
    exhv_buf manual;            /* PowerShell for what could not be undone */
    exhv_buf notes;             /* what steps did other than they describe, one per line */
    exhv_buf finish;            /* PowerShell: the plan's steps not in effect, to finish the
                                   job when a step that cannot be undone stays done */
    exhv_diff *diffs;           /* how the host differs from before, in step order */
    size_t ndiffs, diffs_cap;
} exhv_report;

void exhv_report_release(exhv_report *r);
const char *exhv_outcome_name(exhv_outcome o);

/* What happened, for a person: after a failure either "Nothing was
 * changed" (only when the host is exactly as before) or each way it
 * differs, with the PowerShell that puts it back or finishes the job. */
void exhv_report_text(exhv_buf *b, const exhv_plan *p, const exhv_report *r);

/* During EXHV_PHASE_PROGRESS: the copy's numbers (files and bytes done and
 * in all). */
struct exhv_drv_progress;
const struct exhv_drv_progress *exhv_plan_execute_copy_progress(void);

/* Run the plan under the host's lock (the connection's, when it holds it;
 * else taken for the run). The plan in progress is recorded where the
 * connection keeps it (ops->journal_path) until nothing is left half-done.
 * A request to stop (platform/interrupt.h) is seen between steps: the
 * running step finishes and the steps done are undone. Returns 0 when every
 * step ran, -1 otherwise (the report says what happened). */
int exhv_plan_execute(exhv_conn *c, const exhv_plan *p, exhv_progress_fn progress, void *ud,
                      exhv_report *report);

#endif
