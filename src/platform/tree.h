/* Directory trees with UTF-8 paths: what the driver copy engine needs from
 * the file system, per platform. Paths use '/' or '\' (both accepted on
 * Windows; '/' on POSIX). Links are never followed: a symbolic link, a
 * junction or any reparse point is reported as EXHV_FS_OTHER. */
#ifndef EXHV_TREE_H
#define EXHV_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef enum exhv_fs_kind {
    EXHV_FS_NONE = 0,   /* nothing there */
    EXHV_FS_FILE,
    EXHV_FS_DIR,
    EXHV_FS_OTHER,      /* a link, reparse point, device, socket ... */
} exhv_fs_kind;

typedef struct exhv_fs_info {
    exhv_fs_kind kind;
    uint64_t size;
    int64_t mtime;      /* modification time in 100 ns units since 1601 */
    int readonly;       /* FILE_ATTRIBUTE_READONLY; on POSIX: no write bit */
} exhv_fs_info;

/* Facts about path, without following a link. A missing path is kind NONE
 * and returns 0. */
int exhv_fs_info_get(const char *path, exhv_fs_info *out, exhv_error *err);
/* The names in a directory ("." and ".." left out), sorted bytewise. */
int exhv_fs_list(const char *dir, char ***names, size_t *n, exhv_error *err);
/* Make a directory; one already there is fine (a file or link there is not). */
int exhv_fs_mkdir(const char *path, exhv_error *err);
/* Remove an empty directory; one already gone is fine. */
int exhv_fs_rmdir(const char *path, exhv_error *err);
/* Set or clear the read-only attribute (POSIX: the write bits). */
int exhv_fs_set_readonly(const char *path, int readonly, exhv_error *err);
/* Rename, replacing a file at `to`. */
int exhv_fs_rename(const char *from, const char *to, exhv_error *err);
/* Copy the file src to dst: read with every sharing mode (the host has its
 * driver files open), written to a new file beside dst, given src's
 * modification time, then renamed over dst. On failure dst is as it was.
 * *bytes gets the bytes written. */
int exhv_fs_copy_file(const char *src, const char *dst, uint64_t *bytes, exhv_error *err);

#endif
