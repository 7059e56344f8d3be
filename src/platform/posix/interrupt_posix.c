#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "platform/fs.h"
#include "platform/interrupt.h"
#include "platform/scratch.h"

static volatile sig_atomic_t requests;
static char message[1024] = "\nexhv: stopping now would leave the host half-changed; press "
                            "Ctrl-C again to stop anyway.\n";

static void on_signal(int sig)
{
    int n;
    (void)sig;
    n = ++requests;
    if (n == 2) {
        (void)!write(2, message, strlen(message));
    } else if (n >= 3) {
        const char *tmp = exhv_fs_pending_temp();
        if (tmp)
            unlink(tmp);
        exhv_scratch_remove_all_now();
        _exit(130);
    }
}

void exhv_interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a prompt waiting for an answer returns, as "no". */
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int exhv_interrupt_requested(void)
{
    return requests;
}

void exhv_interrupt_request(void)
{
    requests++;
}

void exhv_interrupt_reset(void)
{
    requests = 0;
}

void exhv_interrupt_set_message(const char *msg)
{
    sigset_t all, old;
    /* Not while a handler could be reading it. */
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    if (msg) {
        size_t n = strlen(msg);
        if (n >= sizeof(message))
            n = sizeof(message) - 1;
        memcpy(message, msg, n);
        message[n] = '\0';
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}
