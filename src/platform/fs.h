/* Files with UTF-8 paths on every platform. */
#ifndef EXHV_FS_H
#define EXHV_FS_H

#include <stddef.h>

#include "core/error.h"

/* Read a whole file of at most `max` bytes. *data is NUL-terminated and owned
 * by the caller. On failure nothing is allocated. Anything but a regular
 * file is refused before it is read (a FIFO would block, /dev/zero never
 * ends, a directory has nothing to read), and so is a file larger than max. */
int exhv_fs_read_file(const char *path, size_t max, char **data, size_t *len, exhv_error *err);

/* The path of an existing file with every symbolic link resolved: one name
 * per file, whatever alias it is reached by. A new string, or NULL (err). */
char *exhv_fs_realpath(const char *path, exhv_error *err);

/* Can exhv replace this file with a new version: a regular file, not
 * read-only, owned by the user running exhv (or exhv runs as root, and keeps
 * the owner). 0, or -1 with err saying what to do. */
int exhv_fs_check_writable(const char *path, exhv_error *err);

/* Replace a whole file, atomically and durably: a new file created
 * exclusively in the target's own folder, written, flushed and synced, given
 * the target's mode and owner, renamed over it, and the folder synced. A
 * symbolic link is written through to its target. On failure the file is as
 * it was and no temporary file is left. */
int exhv_fs_write_atomic(const char *path, const char *data, size_t len, exhv_error *err);

/* What tells one version of a file from another: its identity (device and
 * inode, or volume and file index), size and modification time. */
typedef struct exhv_fs_stamp {
    unsigned long long id[2], size, mtime_ns;
} exhv_fs_stamp;

/* The stamp of the file at path (links followed). 0 or -1 (err). */
int exhv_fs_stamp_get(const char *path, exhv_fs_stamp *out, exhv_error *err);
int exhv_fs_stamp_equal(const exhv_fs_stamp *a, const exhv_fs_stamp *b);

/* Remove a file; a file already gone is fine. */
int exhv_fs_remove(const char *path, exhv_error *err);

/* The temporary file being written right now, or NULL: the last-resort exit
 * of an interrupted exhv removes it (see platform/interrupt.h). */
const char *exhv_fs_pending_temp(void);

#endif
