#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "platform/lock.h"

struct exhv_lock {
    int fd;
};

int exhv_lock_acquire(const char *name, exhv_lock **out, exhv_error *err)
{
    exhv_lock *l = malloc(sizeof(*l));
    if (!l)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    l->fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (l->fd < 0) {
        int e = errno;
        free(l);
        exhv_error_set(err, EXHV_E_IO, "cannot create the lock file %s: %s", name, strerror(e));
        exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
        return -1;
    }
    if (flock(l->fd, LOCK_EX | LOCK_NB) < 0) {
        close(l->fd);
        free(l);
        return exhv_error_set(err, EXHV_E_FAILED,
                              "another exhv is changing this host right now (lock %s); wait for "
                              "it to finish and try again", name);
    }
    *out = l;
    return 0;
}

void exhv_lock_release(exhv_lock *l)
{
    if (!l)
        return;
    close(l->fd);   /* drops the flock */
    free(l);
}

void exhv_sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

unsigned long long exhv_clock_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
        return 0;
    return (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000ULL;
}

int exhv_fs_write_atomic(const char *path, const char *data, size_t len, exhv_error *err)
{
    exhv_buf tmp = EXHV_BUF_INIT;
    FILE *f;
    int e;

    exhv_buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid());
    if (!exhv_buf_ok(&tmp))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    f = fopen(exhv_buf_str(&tmp), "wb");
    if (!f)
        goto fail;
    if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        e = errno;
        fclose(f);
        errno = e;
        goto fail;
    }
    if (fclose(f) != 0 || rename(exhv_buf_str(&tmp), path) != 0)
        goto fail;
    exhv_buf_release(&tmp);
    return 0;
fail:
    e = errno;
    remove(exhv_buf_str(&tmp));
    exhv_error_set(err, EXHV_E_IO, "cannot write %s: %s", path, strerror(e));
    exhv_error_platform(err, EXHV_PLAT_ERRNO, (unsigned long)e, strerror(e));
    exhv_buf_release(&tmp);
    return -1;
}
