/* Files with UTF-8 paths on every platform. */
#ifndef EXHV_FS_H
#define EXHV_FS_H

#include <stddef.h>

#include "core/error.h"

/* Read a whole file of at most `max` bytes. *data is NUL-terminated and owned
 * by the caller. On failure nothing is allocated. */
int exhv_fs_read_file(const char *path, size_t max, char **data, size_t *len, exhv_error *err);

#endif
