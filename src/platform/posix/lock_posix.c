#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform/lock.h"

struct exhv_lock {
    int fd;
};

int exhv_lock_acquire(const char *name, exhv_lock **out, exhv_error *err)
{
    exhv_lock *l = malloc(sizeof(*l));
    if (!l)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    /* O_NOFOLLOW: a symbolic link planted as the lock file is refused, not
     * followed to create or open a file elsewhere. O_NONBLOCK: a FIFO there
     * does not hang the open. */
    l->fd = open(name, O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (l->fd >= 0) {
        struct stat st;
        if (fstat(l->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
            close(l->fd);
            free(l);
            return exhv_error_set(err, EXHV_E_IO, "the lock file %s is not a regular file: "
                                  "remove it and try again", name);
        }
    }
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
        return exhv_error_set(err, EXHV_E_BUSY,
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

unsigned long exhv_process_id(void)
{
    return (unsigned long)getpid();
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
