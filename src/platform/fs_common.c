/* Reading a file through stdio; the open itself, with its checks, is per
 * platform. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "platform/fs.h"

/* Open a regular file of at most max bytes for reading; NULL with err set. */
FILE *exhv_fs_open_read(const char *path, size_t max, exhv_error *err);

int exhv_fs_read_file(const char *path, size_t max, char **data, size_t *len, exhv_error *err)
{
    FILE *f = exhv_fs_open_read(path, max, err);
    exhv_buf b = EXHV_BUF_INIT;
    char chunk[65536];
    size_t n;

    if (!f)
        return -1;
    /* Size the buffer from the file once, so that a large scenario is read
     * straight into place; the loop below only sees what is left (a file
     * that grew, or one whose size cannot be told). */
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && (unsigned long)size > max) {
            fclose(f);
            return exhv_error_set(err, EXHV_E_IO, "%s is larger than %zu bytes", path, max);
        }
        rewind(f);
        if (size > 0 && exhv_buf_reserve(&b, (size_t)size + 1) == 0) {
            b.len = fread(b.data, 1, (size_t)size, f);
            b.data[b.len] = '\0';
        }
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b.len + n > max) {
            fclose(f);
            exhv_buf_release(&b);
            return exhv_error_set(err, EXHV_E_IO, "%s is larger than %zu bytes", path, max);
        }
        exhv_buf_add(&b, chunk, n);
    }
    if (ferror(f) || !exhv_buf_ok(&b)) {
        int e = errno;
        fclose(f);
        exhv_buf_release(&b);
        exhv_error_set(err, EXHV_E_IO, "cannot read %s: %s", path, strerror(e));
        exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
        return -1;
    }
    fclose(f);
    *len = b.len;
    if (!(*data = exhv_buf_detach(&b)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    return 0;
}
