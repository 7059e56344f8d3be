/* A lock between exhv processes: two processes never change one host at
 * once. */
#ifndef EXHV_LOCK_H
#define EXHV_LOCK_H

#include "core/error.h"

typedef struct exhv_lock exhv_lock;

/* Take the lock `name` without waiting: on POSIX a file path, opened
 * without following symbolic links; on Windows a machine-wide (Global\)
 * named mutex, the name compared without regard to case. Returns 0, or -1
 * when another process holds it (err says so) or it cannot be created. */
int exhv_lock_acquire(const char *name, exhv_lock **out, exhv_error *err);
void exhv_lock_release(exhv_lock *l);

/* This process's ID. */
unsigned long exhv_process_id(void);

/* Sleep, for polling Hyper-V jobs. */
void exhv_sleep_ms(unsigned ms);
/* Milliseconds on a monotonic clock: timeouts count elapsed time, not the
 * sum of the sleeps. */
unsigned long long exhv_clock_ms(void);

#endif
