#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#else
#include <dirent.h>
#endif

#include "core/buf.h"
#include "platform/scratch.h"

char exhv_scratch_paths[EXHV_SCRATCH_SLOTS][EXHV_SCRATCH_PATH];
volatile int exhv_scratch_used[EXHV_SCRATCH_SLOTS];

int exhv_scratch_create(const char *prefix, char **path, exhv_error *err)
{
    const char *t = getenv("TMPDIR");
    char tmpl[EXHV_SCRATCH_PATH];
    int slot = -1;

    /* A slot is claimed at once (2: being made), so that two threads
     * never take the same one; removal looks only at slots in use (1). */
    for (int i = 0; i < EXHV_SCRATCH_SLOTS && slot < 0; i++) {
        int expected = 0;
        if (__atomic_compare_exchange_n(&exhv_scratch_used[i], &expected, 2, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            slot = i;
    }
    if (slot < 0)
        return exhv_error_set(err, EXHV_E_FAILED, "too many scratch folders at once");
    if (!t || t[0] != '/')
        t = "/tmp";
    if ((size_t)snprintf(tmpl, sizeof(tmpl), "%s/%s.XXXXXX", t, prefix) >= sizeof(tmpl)) {
        exhv_scratch_used[slot] = 0;
        return exhv_error_set(err, EXHV_E_IO, "the temporary folder's path %s is too long", t);
    }
    /* mkdtemp: a new folder, created exclusively, mode 0700. */
    if (!mkdtemp(tmpl)) {
        int e = errno;
        exhv_error_set(err, EXHV_E_IO, "cannot make a private folder in %s: %s (set TMPDIR to "
                       "a folder you can write)", t, strerror(e));
        exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
        exhv_scratch_used[slot] = 0;
        return -1;
    }
    if (!(*path = exhv_strdup(tmpl))) {
        rmdir(tmpl);
        exhv_scratch_used[slot] = 0;
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    memcpy(exhv_scratch_paths[slot], tmpl, strlen(tmpl) + 1);
    exhv_scratch_used[slot] = 1;
    return 0;
}

int exhv_scratch_put(const char *path, const void *data, size_t len, exhv_error *err)
{
    const char *p = data;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        goto fail;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            close(fd);
            errno = e ? e : EIO;
            goto fail;
        }
        p += n;
        len -= (size_t)n;
    }
    if (close(fd) == 0)
        return 0;
fail : {
    int e = errno;
    exhv_error_set(err, EXHV_E_IO, "cannot write %s: %s", path, strerror(e));
    exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
    return -1;
}
}

/* Remove name in dirfd and, for a folder, what it holds: openat, unlinkat,
 * fchmod and (on Linux) the getdents64 system call, all safe in a signal
 * handler; no memory is allocated. Depth is bounded by the stack given. */
static void rm_at(int dirfd, const char *name, int depth)
{
    int fd;
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
        return;
    if (depth > 64)
        return;
    fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    /* A folder marked read-only (no write bit) can be emptied once its
     * owner gives it back. */
    (void)fchmod(fd, 0700);
#ifdef __linux__
    {
        char buf[4096];
        for (;;) {
            long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
            if (n <= 0)
                break;
            for (long off = 0; off < n;) {
                /* struct linux_dirent64: d_ino 8, d_off 8, d_reclen 2,
                 * d_type 1, then the name. */
                unsigned short reclen;
                const char *d_name = buf + off + 19;
                memcpy(&reclen, buf + off + 16, sizeof(reclen));
                if (strcmp(d_name, ".") != 0 && strcmp(d_name, "..") != 0)
                    rm_at(fd, d_name, depth + 1);
                off += reclen;
            }
        }
    }
#else
    {
        int fd2 = dup(fd);
        DIR *d = fd2 >= 0 ? fdopendir(fd2) : NULL;
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                rm_at(fd, e->d_name, depth + 1);
        if (d)
            closedir(d);
        else if (fd2 >= 0)
            close(fd2);
    }
#endif
    close(fd);
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void remove_slot(int i)
{
    if (exhv_scratch_used[i] == 1) {
        rm_at(AT_FDCWD, exhv_scratch_paths[i], 0);
        exhv_scratch_used[i] = 0;
    }
}

void exhv_scratch_remove(const char *path)
{
    for (int i = 0; path && i < EXHV_SCRATCH_SLOTS; i++)
        if (exhv_scratch_used[i] == 1 && strcmp(exhv_scratch_paths[i], path) == 0)
            remove_slot(i);
}

void exhv_scratch_remove_all_now(void)
{
    for (int i = 0; i < EXHV_SCRATCH_SLOTS; i++)
        remove_slot(i);
}
