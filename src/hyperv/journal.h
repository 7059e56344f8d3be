/* The plan in progress, recorded beside the host's lock: a run that was
 * killed, or whose undo failed, leaves it behind, so that a later exhv can
 * say what was left half-done and undo or finish it (`exhv recover`). */
#ifndef EXHV_JOURNAL_H
#define EXHV_JOURNAL_H

#include "core/error.h"
#include "core/plan.h"

typedef enum exhv_jstep {
    EXHV_JSTEP_PENDING,      /* not run */
    EXHV_JSTEP_RUNNING,      /* started; whether it finished is not known */
    EXHV_JSTEP_DONE,         /* done, and still in effect */
    EXHV_JSTEP_UNDONE,       /* done, then undone */
    EXHV_JSTEP_UNDO_FAILED,  /* done; its undo failed */
} exhv_jstep;

typedef struct exhv_journal {
    exhv_plan plan;
    exhv_jstep *status;      /* per step */
    char **made;             /* per step: the ID of what the step created, or NULL */
    char *uri;               /* the connection it ran on */
    char *parent;            /* for a plan that recovers an earlier change: that
                              * change's record as it was (its text), or NULL */
    long pid;                /* the process that ran it */
} exhv_journal;

/* Record plan p with each step's status (durably; replaces any earlier
 * record). made may be NULL. parent: the text of the record p recovers, kept
 * inside this one (or NULL). 0 or -1. */
int exhv_journal_write(const char *path, const exhv_plan *p, const exhv_jstep *status,
                       char *const *made, const char *uri, const char *parent,
                       exhv_error *err);
/* Read a record. 0, -2 when there is none, -1 when it cannot be read. */
int exhv_journal_read(const char *path, exhv_journal *j, exhv_error *err);
void exhv_journal_release(exhv_journal *j);
int exhv_journal_remove(const char *path, exhv_error *err);

/* Steps done and not undone, and the step whose end is unknown (or -1). */
size_t exhv_journal_done(const exhv_journal *j);
long exhv_journal_uncertain(const exhv_journal *j);
/* "An earlier change was interrupted: ..." with what to run, for people. */
void exhv_journal_describe(exhv_buf *b, const exhv_journal *j);

/* A plan that undoes the steps left done, last first; or one that runs the
 * steps not yet run. 0, or -1 (err) when there is nothing sure to do. */
int exhv_journal_plan_undo(const exhv_journal *j, exhv_plan *out, exhv_error *err);
int exhv_journal_plan_finish(const exhv_journal *j, exhv_plan *out, exhv_error *err);

#endif
