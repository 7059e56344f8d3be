#ifdef __linux__
#define _GNU_SOURCE 1   /* copy_file_range */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/buf.h"
#include "platform/tree.h"

/* 100 ns ticks between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF 116444736000000000LL

static int fail(exhv_error *err, int e, const char *what, const char *path)
{
    char text[600];
    /* what: "cannot open %s", translated here with the path filled in. */
    snprintf(text, sizeof(text), exhv_tr(what), path);
    exhv_error_set(err, e == ENOENT ? EXHV_E_NOT_FOUND : EXHV_E_IO, "%s: %s", text, strerror(e));
    exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
    return -1;
}

int exhv_fs_info_get(const char *path, exhv_fs_info *out, exhv_error *err)
{
    struct stat st;
    memset(out, 0, sizeof(*out));
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        return fail(err, errno, "cannot read %s", path);
    }
    out->kind = S_ISREG(st.st_mode) ? EXHV_FS_FILE : S_ISDIR(st.st_mode) ? EXHV_FS_DIR : EXHV_FS_OTHER;
    out->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    out->mtime = (int64_t)st.st_mtim.tv_sec * 10000000 + st.st_mtim.tv_nsec / 100 + EPOCH_DIFF;
    out->readonly = (st.st_mode & 0222) == 0;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int exhv_fs_list(const char *dir, char ***names, size_t *n, exhv_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **v = NULL;
    size_t cnt = 0, cap = 0;
    if (!d)
        return fail(err, errno, "cannot list %s", dir);
    while ((errno = 0, e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (exhv_grow((void **)&v, &cap, cnt + 1, sizeof(char *)) < 0 ||
            !(v[cnt] = exhv_strdup(e->d_name))) {
            closedir(d);
            exhv_strv_free(v, cnt);
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
        cnt++;
    }
    closedir(d);
    if (cnt)
        qsort(v, cnt, sizeof(char *), cmp_names);
    *names = v;
    *n = cnt;
    return 0;
}

int exhv_fs_mkdir(const char *path, exhv_error *err)
{
    struct stat st;
    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    return fail(err, errno == EEXIST ? EEXIST : errno, "cannot make the folder %s", path);
}

int exhv_fs_rmdir(const char *path, exhv_error *err)
{
    if (rmdir(path) == 0 || errno == ENOENT)
        return 0;
    return fail(err, errno, "cannot remove the folder %s", path);
}

int exhv_fs_set_readonly(const char *path, int readonly, exhv_error *err)
{
    struct stat st;
    mode_t m;
    if (lstat(path, &st) < 0)
        return fail(err, errno, "cannot read %s", path);
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return 0;
    /* Windows' read-only attribute does not stop a folder from gaining
     * files; here a folder keeps its write bits so that the tree can be
     * updated and removed like the guest's. */
    if (S_ISDIR(st.st_mode))
        return 0;
    m = readonly ? (st.st_mode & ~(mode_t)0222) : (st.st_mode | 0200);
    if ((m & 07777) != (st.st_mode & 07777) && chmod(path, m & 07777) < 0)
        return fail(err, errno, "cannot change the attributes of %s", path);
    return 0;
}

int exhv_fs_rename(const char *from, const char *to, exhv_error *err)
{
    if (rename(from, to) < 0)
        return fail(err, errno, "cannot rename to %s", to);
    return 0;
}

int exhv_fs_copy_file(const char *src, const char *dst, uint64_t *bytes, exhv_error *err)
{
    exhv_buf tmp = EXHV_BUF_INIT;
    int in = -1, out = -1, rc = -1, in_place = 0;
    struct stat st;
    char *buf = NULL;
    const size_t bufsz = 1u << 20;
    uint64_t total = 0;

    if (!(buf = malloc(bufsz)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) {
        free(buf);
        return fail(err, errno, "cannot open %s", src);
    }
    if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
        fail(err, errno ? errno : EINVAL, "not a regular file: %s", src);
        goto out;
    }
    /* Nothing there yet: written in place (created exclusively, removed
     * again on failure), one rename less per file. */
    exhv_buf_puts(&tmp, dst);
    if (!exhv_buf_ok(&tmp)) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    in_place = out >= 0;
    for (unsigned i = 0; i < 100 && out < 0; i++) {
        exhv_buf_reset(&tmp);
        exhv_buf_printf(&tmp, "%s.exhv-tmp%ld-%u", dst, (long)getpid(), i);
        if (!exhv_buf_ok(&tmp)) {
            exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            goto out;
        }
        out = open(exhv_buf_str(&tmp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (out < 0 && errno != EEXIST) {
            fail(err, errno, "cannot create a file beside %s", dst);
            goto out;
        }
    }
    if (out < 0) {
        fail(err, EEXIST, "cannot create a file beside %s", dst);
        goto out;
    }
#ifdef __linux__
    /* The kernel copies without the data passing through exhv (and shares
     * extents where the file system can): as fast as cp. Falls back to
     * read/write where it is not supported (other file systems, old
     * kernels). */
    for (;;) {
        ssize_t r = copy_file_range(in, NULL, out, NULL, 1u << 30, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r < 0 && total == 0 && (errno == ENOSYS || errno == EXDEV || errno == EINVAL ||
                                        errno == EOPNOTSUPP || errno == EPERM))
                break;   /* not here: read and write */
            if (r < 0) {
                fail(err, errno, "cannot copy to %s", dst);
                goto fail;
            }
            goto copied;
        }
        total += (uint64_t)r;
    }
#endif
    for (;;) {
        ssize_t r = read(in, buf, bufsz);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fail(err, errno, "cannot read %s", src);
            goto fail;
        }
        if (r == 0)
            break;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(out, buf + off, (size_t)(r - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                fail(err, errno, "cannot write %s", dst);
                goto fail;
            }
            off += w;
        }
        total += (uint64_t)r;
    }
#ifdef __linux__
copied:
#endif
    {
        struct timespec ts[2] = {st.st_atim, st.st_mtim};
        if (fchmod(out, st.st_mode & 0755) < 0 || futimens(out, ts) < 0) {
            fail(err, errno, "cannot set the time of %s", dst);
            goto fail;
        }
    }
    if (close(out) < 0) {
        out = -1;
        fail(err, errno, "cannot write %s", dst);
        goto fail;
    }
    out = -1;
    if (!in_place && rename(exhv_buf_str(&tmp), dst) < 0) {
        fail(err, errno, "cannot replace %s", dst);
        goto fail;
    }
    *bytes = total;
    rc = 0;
    goto out;
fail:
    if (out >= 0)
        close(out);
    out = -1;
    unlink(exhv_buf_str(&tmp));
out:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    free(buf);
    exhv_buf_release(&tmp);
    return rc;
}
