#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/buf.h"
#include "platform/fs.h"

FILE *exhv_fs_open_read(const char *path, size_t max, exhv_error *err);

static int fail_errno(exhv_error *err, int e, const char *what, const char *path)
{
    char text[600];
    /* what: "cannot open %s", translated here with the path filled in. */
    snprintf(text, sizeof(text), exhv_tr(what), path);
    exhv_error_set(err, e == ENOENT ? EXHV_E_NOT_FOUND : EXHV_E_IO, "%s: %s", text, strerror(e));
    exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
    return -1;
}

static const char *kind_of(mode_t m)
{
    return exhv_tr(S_ISDIR(m)    ? "a directory"
                   : S_ISFIFO(m) ? "a FIFO (named pipe)"
                   : S_ISCHR(m)  ? "a character device"
                   : S_ISBLK(m)  ? "a block device"
                   : S_ISSOCK(m) ? "a socket"
                                 : "not a regular file");
}

FILE *exhv_fs_open_read(const char *path, size_t max, exhv_error *err)
{
    struct stat st;
    FILE *f;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; the type is
     * checked on the open file, so that it cannot change in between. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0) {
        fail_errno(err, errno, "cannot open %s", path);
        return NULL;
    }
    if (fstat(fd, &st) < 0) {
        fail_errno(err, errno, "cannot read %s", path);
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        exhv_error_set(err, EXHV_E_IO, "%s is %s, not a file: name a scenario file (.json)",
                       path, kind_of(st.st_mode));
        close(fd);
        return NULL;
    }
    if ((unsigned long long)st.st_size > max) {
        exhv_error_set(err, EXHV_E_IO, "%s is larger than %zu bytes", path, max);
        close(fd);
        return NULL;
    }
    if (fcntl(fd, F_SETFL, 0) < 0 || !(f = fdopen(fd, "rb"))) {
        fail_errno(err, errno, "cannot read %s", path);
        close(fd);
        return NULL;
    }
    return f;
}

char *exhv_fs_realpath(const char *path, exhv_error *err)
{
    char *r = realpath(path, NULL);
    if (!r)
        fail_errno(err, errno, "cannot resolve %s", path);
    return r;
}

int exhv_fs_check_writable(const char *path, exhv_error *err)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return fail_errno(err, errno, "cannot open %s", path);
    if (!S_ISREG(st.st_mode))
        return exhv_error_set(err, EXHV_E_IO, "%s is %s, not a file: exhv writes every change "
                              "back to the scenario file, so name a regular file", path,
                              kind_of(st.st_mode));
    /* Root may write anything, but a file marked read-only says "keep". */
    if ((st.st_mode & 0222) == 0 || access(path, W_OK) < 0)
        return exhv_error_set(err, EXHV_E_IO, "%s is read-only: exhv writes every change back to "
                              "it; make it writable (chmod u+w) or work on a copy", path);
    if (geteuid() != 0 && st.st_uid != geteuid())
        return exhv_error_set(err, EXHV_E_IO, "%s belongs to another user: writing it back would "
                              "make it yours; work on a copy, or run as its owner", path);
    return 0;
}

/* Where the interrupt handler can find the temporary file: a fixed buffer,
 * readable from a signal handler. */
static char pending[PATH_MAX + 32];
static volatile int pending_set;

const char *exhv_fs_pending_temp(void)
{
    return pending_set ? pending : NULL;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int exhv_fs_write_atomic(const char *path, const char *data, size_t len, exhv_error *err)
{
    char *target = realpath(path, NULL), *slash;
    exhv_buf tmp = EXHV_BUF_INIT, dir = EXHV_BUF_INIT;
    struct stat st;
    int fd = -1, dfd = -1, e, rc = -1, have = 0;

    if (!target && errno != ENOENT)
        return fail_errno(err, errno, "cannot write %s", path);
    if (!target && !(target = exhv_strdup(path)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    if (stat(target, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            exhv_error_set(err, EXHV_E_IO, "%s is %s, not a file: exhv replaces only regular "
                           "files", path, kind_of(st.st_mode));
            goto out;
        }
        have = 1;
    }
    slash = strrchr(target, '/');
    if (slash)
        exhv_buf_add(&dir, target, slash == target ? 1 : (size_t)(slash - target));
    else
        exhv_buf_putc(&dir, '.');
    /* mkstemp: a name nobody can predict, created with O_EXCL (which does
     * not follow a symbolic link planted there), mode 0600 until chmod. */
    exhv_buf_printf(&tmp, "%s.tmp.XXXXXX", target);
    if (!exhv_buf_ok(&tmp) || !exhv_buf_ok(&dir) || tmp.len >= sizeof(pending)) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    pending_set = 0;
    fd = mkstemp(tmp.data);
    if (fd < 0) {
        fail_errno(err, errno, "cannot create a file beside %s", path);
        goto out;
    }
    memcpy(pending, tmp.data, tmp.len + 1);
    pending_set = 1;
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0)
        goto fail;
    if (fchmod(fd, have ? st.st_mode & 07777 : 0644) < 0)
        goto fail;
    if (have && fchown(fd, st.st_uid, st.st_gid) < 0 &&
        (st.st_uid != geteuid() || st.st_gid != getegid())) {
        e = errno;
        exhv_error_set(err, EXHV_E_IO, "cannot write %s with its owner (%lu:%lu) kept: %s", path,
                       (unsigned long)st.st_uid, (unsigned long)st.st_gid, strerror(e));
        exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
        goto fail_quiet;
    }
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp.data, target) < 0)
        goto fail;
    pending_set = 0;
    /* The rename is durable once the folder is. The file already holds the
     * new text, so a folder that cannot be synced does not undo the write. */
    rc = 0;
    dfd = open(exhv_buf_str(&dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0)
        (void)fsync(dfd);
    goto out;
fail:
    fail_errno(err, errno, "cannot write %s", path);
fail_quiet:
    if (fd >= 0)
        close(fd);
    fd = -1;
    unlink(tmp.data);
    pending_set = 0;
out:
    if (dfd >= 0)
        close(dfd);
    free(target);
    exhv_buf_release(&tmp);
    exhv_buf_release(&dir);
    return rc;
}

int exhv_fs_stamp_get(const char *path, exhv_fs_stamp *out, exhv_error *err)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return fail_errno(err, errno, "cannot look at %s", path);
    memset(out, 0, sizeof(*out));
    out->id[0] = (unsigned long long)st.st_dev;
    out->id[1] = (unsigned long long)st.st_ino;
    out->size = (unsigned long long)st.st_size;
    out->mtime_ns = (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL +
                    (unsigned long long)st.st_mtim.tv_nsec;
    return 0;
}

int exhv_fs_stamp_equal(const exhv_fs_stamp *a, const exhv_fs_stamp *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

int exhv_fs_remove(const char *path, exhv_error *err)
{
    if (unlink(path) < 0 && errno != ENOENT)
        return fail_errno(err, errno, "cannot remove %s", path);
    return 0;
}
