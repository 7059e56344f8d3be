/* exhv-drvbench: the driver copy engine on a generated host driver store.
 *   exhv-drvbench gen DIR         DIR/FileRepository: one display package
 *                                 (the GPU's) among unrelated packages
 *   exhv-drvbench import DIR GUEST [all]
 *                                 import the GPU's package (or, with `all`,
 *                                 every package, as the seed did, counted
 *                                 without writing) into GUEST/Windows;
 *                                 prints one line of figures
 *   exhv-drvbench default GUEST   on the built-in host's fixture store
 *                                 (test:///default): the packages the
 *                                 resolver gives each partitionable GPU,
 *                                 and every package, counted as an import
 *                                 into GUEST/Windows would copy them
 * Sizes are deterministic (a fixed generator), so that runs compare. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "hyperv/resolve.h"
#include "platform/drvcopy.h"
#include "platform/fs.h"
#include "platform/tree.h"

#define GPU_PKG "nv_dispx.inf_amd64_0123abcd"

static unsigned long long rng = 88172645463325252ull;
static unsigned long long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int write_file(const char *path, size_t size)
{
    char *data = malloc(size + 1);
    exhv_error err;
    int rc;
    if (!data)
        return -1;
    for (size_t i = 0; i < size; i++)
        data[i] = (char)('a' + (next() % 26));
    rc = exhv_fs_write_atomic(path, data, size, &err);
    if (rc < 0)
        fprintf(stderr, "%s\n", err.message);
    free(data);
    return rc;
}

static int make_pkg(const char *repo, const char *name, int files, size_t max)
{
    char p[2048];
    exhv_error err;
    snprintf(p, sizeof(p), "%s/%s", repo, name);
    if (exhv_fs_mkdir(p, &err) < 0)
        return -1;
    snprintf(p, sizeof(p), "%s/%s/sub", repo, name);
    if (exhv_fs_mkdir(p, &err) < 0)
        return -1;
    for (int i = 0; i < files; i++) {
        snprintf(p, sizeof(p), "%s/%s/%sf%03d.dll", repo, name, i % 5 == 0 ? "sub/" : "", i);
        if (write_file(p, 1024 + (size_t)(next() % max)) < 0)
            return -1;
    }
    return 0;
}

static int gen(const char *dir)
{
    char repo[1024];
    exhv_error err;
    snprintf(repo, sizeof(repo), "%s/FileRepository", dir);
    if (exhv_fs_mkdir(dir, &err) < 0 || exhv_fs_mkdir(repo, &err) < 0)
        return 1;
    /* The GPU's package: 400 files, about 20 MB. */
    if (make_pkg(repo, GPU_PKG, 400, 100000) < 0)
        return 1;
    /* 120 unrelated packages (network, audio, chipset, printers, older
     * display driver versions), about 0.75 MB each. */
    for (int i = 0; i < 120; i++) {
        char name[64];
        snprintf(name, sizeof(name), "pkg%03d.inf_amd64_%08x", i, (unsigned)(next() & 0xffffffffu));
        if (make_pkg(repo, name, 30, 50000) < 0)
            return 1;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int import(const char *dir, const char *guest, int all)
{
    char repo[1024], w[1024], p[1024];
    char **names = NULL;
    size_t n = 0;
    exhv_drv_pkg *pkgs;
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    double t0, t1;
    size_t np = 0;

    snprintf(repo, sizeof(repo), "%s/FileRepository", dir);
    snprintf(w, sizeof(w), "%s/Windows", guest);
    exhv_fs_mkdir(guest, &err);
    exhv_fs_mkdir(w, &err);
    snprintf(p, sizeof(p), "%s/System32", w);
    exhv_fs_mkdir(p, &err);
    if (exhv_fs_list(repo, &names, &n, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    pkgs = calloc(n + 1, sizeof(*pkgs));
    for (size_t i = 0; pkgs && i < n; i++) {
        if (!all && strcmp(names[i], GPU_PKG) != 0)
            continue;
        pkgs[np].name = names[i];
        {
            exhv_buf b = EXHV_BUF_INIT;
            exhv_buf_printf(&b, "%s/%s", repo, names[i]);
            pkgs[np].host_dir = exhv_buf_detach(&b);
        }
        np++;
    }
    memset(&r, 0, sizeof(r));
    r.windows_dir = w;
    r.pkgs = pkgs;
    r.npkgs = np;
    r.driver_version = "32.0.15.6094";
    r.gpu = "bench";
    /* Every package: counted, not written (what copying the whole
     * repository, as the seed does, would write). */
    r.dry_run = all;
    t0 = now();
    if (exhv_drv_import(&r, &st, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    t1 = now();
    printf("packages %zu files_copied %llu bytes_copied %llu files_same %llu pkg_files %llu "
           "pkg_bytes %llu seconds %.3f\n",
           np, (unsigned long long)st.files_copied, (unsigned long long)st.bytes_copied,
           (unsigned long long)st.files_same, (unsigned long long)st.pkg_files,
           (unsigned long long)st.pkg_bytes, t1 - t0);
    for (size_t i = 0; i < np; i++)
        free((char *)pkgs[i].host_dir);
    free(pkgs);
    exhv_strv_free(names, n);
    return 0;
}

/* Count (dry run) what importing these packages into guest/Windows
 * would copy. */
static int count(const char *guest, const exhv_drv_pkg *pkgs, size_t np, exhv_drv_stats *st)
{
    char w[1024], p[1024];
    exhv_drv_request r;
    exhv_error err;
    snprintf(w, sizeof(w), "%s/Windows", guest);
    exhv_fs_mkdir(guest, &err);
    exhv_fs_mkdir(w, &err);
    snprintf(p, sizeof(p), "%s/System32", w);
    exhv_fs_mkdir(p, &err);
    memset(&r, 0, sizeof(r));
    r.windows_dir = w;
    r.pkgs = pkgs;
    r.npkgs = np;
    r.driver_version = "0";
    r.gpu = "bench";
    r.dry_run = 1;
    if (exhv_drv_import(&r, st, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    return 0;
}

static int fixture(const char *guest)
{
    static const struct {
        const char *key, *vendor;
    } gpus[] = {{"{4d36e968-e325-11ce-bfc1-08002be10318}\\0000", "NVIDIA"},
                {"{4d36e968-e325-11ce-bfc1-08002be10318}\\0001", "AMD"}};
    exhv_conn *c = NULL;
    exhv_error err;
    char repo[1024] = "";
    int rc = 1;

    if (exhv_conn_open("test:///default", &c, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    for (size_t g = 0; g < 2; g++) {
        exhv_drv_need n;
        exhv_drv_stats st;
        char *slash;
        if (exhv_drv_resolve(c, gpus[g].key, gpus[g].vendor, &n, &err) < 0) {
            fprintf(stderr, "%s\n", err.message);
            goto out;
        }
        if (count(guest, n.pkgs, n.npkgs, &st) < 0) {
            exhv_drv_need_release(&n);
            goto out;
        }
        printf("%s packages %zu files_copied %llu bytes_copied %llu\n", gpus[g].vendor, n.npkgs,
               (unsigned long long)st.files_copied, (unsigned long long)st.bytes_copied);
        snprintf(repo, sizeof(repo), "%s", n.pkgs[0].host_dir);
        if ((slash = strrchr(repo, '/')) || (slash = strrchr(repo, '\\')))
            *slash = '\0';
        exhv_drv_need_release(&n);
    }
    {
        char **names = NULL;
        size_t nn = 0;
        exhv_drv_pkg *pkgs;
        exhv_drv_stats st;
        if (exhv_fs_list(repo, &names, &nn, &err) < 0 || !(pkgs = calloc(nn + 1, sizeof(*pkgs)))) {
            exhv_strv_free(names, nn);
            goto out;
        }
        for (size_t i = 0; i < nn; i++) {
            exhv_buf b = EXHV_BUF_INIT;
            exhv_buf_printf(&b, "%s/%s", repo, names[i]);
            pkgs[i].name = names[i];
            pkgs[i].host_dir = exhv_buf_detach(&b);
        }
        if (count(guest, pkgs, nn, &st) == 0) {
            printf("all packages %zu files_copied %llu bytes_copied %llu\n", nn,
                   (unsigned long long)st.files_copied, (unsigned long long)st.bytes_copied);
            rc = 0;
        }
        for (size_t i = 0; i < nn; i++)
            free((char *)pkgs[i].host_dir);
        free(pkgs);
        exhv_strv_free(names, nn);
    }
out:
    exhv_conn_close(c);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "default") == 0)
        return fixture(argv[2]);
    if (argc == 3 && strcmp(argv[1], "gen") == 0)
        return gen(argv[2]);
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "import") == 0)
        return import(argv[2], argv[3], argc == 5 && strcmp(argv[4], "all") == 0);
    fprintf(stderr, "usage: exhv-drvbench gen DIR | import DIR GUEST [all] | default GUEST\n");
    return 2;
}
