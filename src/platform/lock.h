/* A lock between exhv processes: two processes never change one host at
 * once. */
#ifndef EXHV_LOCK_H
#define EXHV_LOCK_H

#include "core/error.h"

typedef struct exhv_lock exhv_lock;

/* Take the lock `name` without waiting (a file path on POSIX; on Windows a
 * named mutex). Returns 0, or -1 when another process holds it (err says
 * so) or it cannot be created. */
int exhv_lock_acquire(const char *name, exhv_lock **out, exhv_error *err);
void exhv_lock_release(exhv_lock *l);

/* Sleep, for polling Hyper-V jobs. */
void exhv_sleep_ms(unsigned ms);
/* Milliseconds on a monotonic clock: timeouts count elapsed time, not the
 * sum of the sleeps. */
unsigned long long exhv_clock_ms(void);

/* Write a whole file atomically (a temporary file renamed over it). */
int exhv_fs_write_atomic(const char *path, const char *data, size_t len, exhv_error *err);

#endif
