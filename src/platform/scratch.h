/* Private scratch folders: created exclusively under the system's
 * temporary folder, readable by this user only (POSIX mode 0700; on Windows
 * the user's own temporary folder), and removed with everything in them
 * when done, also when exhv is stopped (Ctrl-C, SIGTERM, a closing
 * console: platform/interrupt.h). A SIGKILL or a power cut leaves them. */
#ifndef EXHV_SCRATCH_H
#define EXHV_SCRATCH_H

#include <stddef.h>

#include "core/error.h"

/* A new folder named <prefix>.<random>; *path is a new string. At most 8
 * exist at once. */
int exhv_scratch_create(const char *prefix, char **path, exhv_error *err);
/* Write a new file; refused when anything (a file, a link) is there. */
int exhv_scratch_put(const char *path, const void *data, size_t len, exhv_error *err);
/* Remove a scratch folder and everything in it (a link is removed, never
 * followed; read-only files and folders too), and forget it. */
void exhv_scratch_remove(const char *path);
/* Remove every scratch folder still there: the last-resort exit of an
 * interrupted exhv (from a signal handler on POSIX: uses only calls that
 * are safe there on Linux). */
void exhv_scratch_remove_all_now(void);

/* The slots, shared by the platform files. */
#define EXHV_SCRATCH_SLOTS 8
#define EXHV_SCRATCH_PATH 1024
extern char exhv_scratch_paths[EXHV_SCRATCH_SLOTS][EXHV_SCRATCH_PATH];
extern volatile int exhv_scratch_used[EXHV_SCRATCH_SLOTS];

#endif
