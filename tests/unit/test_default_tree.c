/* The built-in host (test:///default) has a driver store and VM disks: the
 * repository's scenarios/store and scenarios/disks, written to a private
 * scratch folder when first used and removed when the connection closes,
 * also when exhv is stopped. What is there follows the vendors' structure
 * closely enough for the resolver, the vhd port and the hive port. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "core/inf.h"
#include "hyperv/resolve.h"
#include "hyperv/sim/sim.h"
#include "platform/fs.h"
#include "platform/interrupt.h"
#include "platform/scratch.h"
#include "platform/tree.h"
#include "t.h"

#define CLS "{4d36e968-e325-11ce-bfc1-08002be10318}"
#define CLSKEY "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\" CLS

static int kind_of(const char *p)
{
    exhv_fs_info fi;
    exhv_error err;
    if (exhv_fs_info_get(p, &fi, &err) < 0)
        return -1;
    return (int)fi.kind;
}

/* The folder two levels above a path ("<scratch>/store/FileRepository/<pkg>/x.inf"
 * -> "<scratch>"), or NULL. */
static char *scratch_of(const char *inf)
{
    char *p = exhv_strdup(inf), *cut = p ? strstr(p, "/store/FileRepository/") : NULL;
    if (!cut) {
        free(p);
        return NULL;
    }
    *cut = '\0';
    return p;
}

static void test_default_tree_written_when_used_and_removed(void)
{
    exhv_conn *c = NULL;
    exhv_error err;
    char *inf = NULL, *data = NULL, *root = NULL, *win = NULL;
    size_t len;
    void *disk = NULL;
    int bitlocker = 0, any = 0;
    exhv_regval v = {0};

    CHECK(exhv_conn_open("test:///default", &c, &err) == 0);
    if (!c)
        return;
    /* Nothing is written before a driver or disk is asked for. */
    for (int i = 0; i < EXHV_SCRATCH_SLOTS; i++)
        any |= exhv_scratch_used[i];
    CHECK(!any);
    CHECK(c->ops->drv_inf_location(c->ctx, "oem35.inf", &inf, &err) == 0);
    CHECK(inf && strstr(inf, "/store/FileRepository/nv_dispx.inf_amd64_4c1e7a9d2b3f6e08/nv_dispx.inf"));
    if (!inf) {
        exhv_conn_close(c);
        return;
    }
    root = scratch_of(inf);
    CHECK(root != NULL);
    CHECK(exhv_fs_read_file(inf, 1 << 20, &data, &len, &err) == 0);
    CHECK(data && strstr(data, "DriverVer   = 10/15/2025, 32.0.15.6094"));
    free(data);
    data = NULL;
#ifndef _WIN32
    {
        struct stat st;
        /* Private: this user's only. */
        CHECK(root && stat(root, &st) == 0 && (st.st_mode & 0777) == 0700);
    }
#endif
    /* A published name the store does not know, as SetupAPI says it. */
    CHECK(c->ops->drv_inf_location(c->ctx, "oem99.inf", &data, &err) == -2);
    /* The Intel INF is UTF-16LE with a byte order mark. */
    CHECK(c->ops->drv_inf_location(c->ctx, "oem21.inf", &data, &err) == 0);
    if (data) {
        char *text = NULL;
        CHECK(exhv_fs_read_file(data, 1 << 20, &text, &len, &err) == 0);
        CHECK(text && len > 2 && (unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE);
        free(text);
        free(data);
        data = NULL;
    }
    /* win11-gaming's disk: an EFI volume and the Windows one, with a hive
     * whose Select names two control sets. */
    CHECK(c->ops->vhd_attach(c->ctx, "C:\\Hyper-V\\win11-gaming\\win11-gaming.vhdx", &disk, &err) == 0);
    CHECK(c->ops->vhd_windows(c->ctx, disk, &win, &bitlocker, &err) == 0);
    CHECK(win && strstr(win, "/disks/win11-gaming/c/Windows") && !bitlocker);
    if (win) {
        char hive[1024];
        snprintf(hive, sizeof(hive), "%s/System32/config/SYSTEM", win);
        CHECK(c->ops->hive_load(c->ctx, hive, "exhv-test", &err) == 0);
        CHECK(c->ops->reg_get(c->ctx, "HKLM\\exhv-test\\Select", "Current", &v, &err) == 0 &&
              v.type == EXHV_REG_DWORD && v.num == 1);
        CHECK(c->ops->reg_get(c->ctx, "HKLM\\exhv-test\\Select", "LastKnownGood", &v, &err) == 0 &&
              v.type == EXHV_REG_DWORD && v.num == 2);
        CHECK(c->ops->reg_get(c->ctx, "HKLM\\exhv-test\\ControlSet002\\Services\\vmbus", "Start",
                              &v, &err) == 0);
        CHECK(c->ops->hive_unload(c->ctx, "exhv-test", &err) == 0);
        snprintf(hive, sizeof(hive), "%s/System32/OpenCL.dll", win);
        CHECK(kind_of(hive) == EXHV_FS_FILE);
    }
    free(win);
    win = NULL;
    CHECK(c->ops->vhd_detach(c->ctx, disk, &err) == 0);
    /* old-gaming: only a volume without a file system holds Windows. */
    CHECK(c->ops->vhd_attach(c->ctx, "C:\\Hyper-V\\old-gaming\\old-gaming.vhdx", &disk, &err) == 0);
    CHECK(c->ops->vhd_windows(c->ctx, disk, &win, &bitlocker, &err) == -2 && bitlocker);
    CHECK(c->ops->vhd_detach(c->ctx, disk, &err) == 0);
    /* router: a Linux guest. */
    CHECK(c->ops->vhd_attach(c->ctx, "C:\\Hyper-V\\router\\router.vhdx", &disk, &err) == 0);
    CHECK(c->ops->vhd_windows(c->ctx, disk, &win, &bitlocker, &err) == -2 && !bitlocker);
    CHECK(c->ops->vhd_detach(c->ctx, disk, &err) == 0);
    /* dev-box runs: Hyper-V holds its disk. */
    CHECK(c->ops->vhd_attach(c->ctx, "C:\\Hyper-V\\dev-box\\dev-box.vhdx", &disk, &err) < 0);
    CHECK(strstr(err.message, "running VM 'dev-box'") != NULL);
    CHECK(root && kind_of(root) == EXHV_FS_DIR);
    exhv_conn_close(c);
    /* Gone with the connection. */
    CHECK(root && kind_of(root) == EXHV_FS_NONE);
    any = 0;
    for (int i = 0; i < EXHV_SCRATCH_SLOTS; i++)
        any |= exhv_scratch_used[i];
    CHECK(!any);
    free(inf);
    free(root);
}

static const char *pkg_named(const exhv_drv_need *n, const char *prefix)
{
    for (size_t i = 0; i < n->npkgs; i++)
        if (strncmp(n->pkgs[i].name, prefix, strlen(prefix)) == 0)
            return n->pkgs[i].name;
    return NULL;
}

static int has_file(const exhv_drv_need *n, const char *dst, int wow64)
{
    for (size_t i = 0; i < n->nfiles; i++)
        if (strcmp(n->files[i].dst, dst) == 0 && n->files[i].wow64 == wow64)
            return 1;
    return 0;
}

/* Each GPU resolves to its package: NVIDIA with its vendor extras and the
 * HD audio companion left out (another DriverVer); AMD with the companions
 * of its version, not the older amdocl; and after the NVIDIA update is
 * switched on in the class key, the new package and version. */
static void test_default_tree_resolves_each_gpu(void)
{
    exhv_conn *c = NULL;
    exhv_error err;
    exhv_drv_need n;
    exhv_host *h = NULL;
    exhv_regval v = {0};

    CHECK(exhv_conn_open("test:///default", &c, &err) == 0);
    if (!c)
        return;
    CHECK(exhv_drv_resolve(c, CLS "\\0000", "NVIDIA", &n, &err) == 0);
    CHECK_STR(n.vendor, "nvidia");
    CHECK_STR(n.driver_version, "32.0.15.6094");
    CHECK_INT(n.npkgs, 1);
    CHECK_STR(n.npkgs ? n.pkgs[0].name : NULL, "nv_dispx.inf_amd64_4c1e7a9d2b3f6e08");
    CHECK(has_file(&n, "nvcuda.dll", 0) && has_file(&n, "nvcuda.dll", 1));
    CHECK(has_file(&n, "nvml.dll", 0) && has_file(&n, "nvidia-smi.exe", 0));
    CHECK(has_file(&n, "nvapi64.dll", 0) && has_file(&n, "nvEncodeAPI64.dll", 0));
    CHECK(n.nwarnings >= 1 && strstr(n.warnings[0], "nvhdx.inf"));
    exhv_drv_need_release(&n);

    CHECK(exhv_drv_resolve(c, CLS "\\0001", "AMD", &n, &err) == 0);
    CHECK_STR(n.vendor, "amd");
    CHECK_STR(n.driver_version, "31.0.24027.1012");
    CHECK_INT(n.npkgs, 3);
    CHECK_STR(pkg_named(&n, "amdocl.inf"), "amdocl.inf_amd64_3e5a7c9b1d2f4068");
    CHECK(pkg_named(&n, "amdwin-a3.inf") != NULL);
    CHECK(has_file(&n, "OpenCL.dll", 0) && has_file(&n, "OpenCL.dll", 1));
    CHECK_INT(n.nwarnings, 0);
    exhv_drv_need_release(&n);

    /* The host driver update, as Windows installs it: the device's
     * software key names the new published INF and version. */
    v.type = EXHV_REG_SZ;
    v.str = "oem36.inf";
    v.len = strlen(v.str) + 1;
    CHECK(c->ops->reg_set(c->ctx, CLSKEY "\\0000", "InfPath", &v, &err) >= 0);
    v.str = "32.0.15.6603";
    v.len = strlen(v.str) + 1;
    CHECK(c->ops->reg_set(c->ctx, CLSKEY "\\0000", "DriverVersion", &v, &err) >= 0);
    CHECK(exhv_drv_resolve(c, CLS "\\0000", "NVIDIA", &n, &err) == 0);
    CHECK_STR(n.driver_version, "32.0.15.6603");
    CHECK_STR(n.npkgs ? n.pkgs[0].name : NULL, "nv_dispx.inf_amd64_9a8b7c6d5e4f3a21");
    exhv_drv_need_release(&n);
    /* The GPU's driver version is read from that key. */
    CHECK(exhv_snapshot_take(c, &h, &err) == 0);
    CHECK(h && h->ngpus && strcmp(h->gpus[0].driver_version, "32.0.15.6603") == 0);
    exhv_host_free(h);
    exhv_conn_close(c);
}

/* The fixture holds together as Windows would have it: for each GPU, the
 * class key's InfSection is what its INF gives the device's hardware ID,
 * its DriverVersion the INF's DriverVer, and its CopyToVm* values exactly
 * those the section's AddReg writes. */
static void test_default_tree_class_keys_match_their_infs(void)
{
    static const struct {
        const char *key, *hwid;
    } gpus[] = {
        {"0000", "PCI\\VEN_10DE&DEV_2786&SUBSYS_51101458&REV_A1"},
        {"0001", "PCI\\VEN_1002&DEV_7480&SUBSYS_24281849&REV_CF"},
        {"0002", "PCI\\VEN_1002&DEV_164E&SUBSYS_88771043&REV_C1"},
    };
    static const char *const subkeys[4] = {"CopyToVmOverwrite", "CopyToVmWhenNewer",
                                           "CopyToVmOverwriteWow64", "CopyToVmWhenNewerWow64"};
    exhv_conn *c = NULL;
    exhv_error err;
    exhv_inf_target target = {"amd64", 10, 0, 26100};

    CHECK(exhv_conn_open("test:///default", &c, &err) == 0);
    if (!c)
        return;
    for (size_t g = 0; g < sizeof(gpus) / sizeof(gpus[0]); g++) {
        char key[300], *path = NULL, *data = NULL;
        exhv_regval v = {0};
        exhv_inf *inf = NULL;
        exhv_inf_install in;
        size_t len, nvalues = 0;
        snprintf(key, sizeof(key), "%s\\%s", CLSKEY, gpus[g].key);
        CHECK(c->ops->reg_get(c->ctx, key, "InfPath", &v, &err) == 0);
        CHECK(v.str && c->ops->drv_inf_location(c->ctx, v.str, &path, &err) == 0);
        exhv_regval_release(&v);
        CHECK(path && exhv_fs_read_file(path, EXHV_INF_MAX_BYTES, &data, &len, &err) == 0);
        CHECK(data && exhv_inf_parse(data, len, NULL, &inf, &err) == 0);
        free(path);
        free(data);
        if (!inf)
            continue;
        CHECK(c->ops->reg_get(c->ctx, key, "DriverVersion", &v, &err) == 0);
        CHECK_STR(v.str, exhv_inf_driver_version(inf));
        exhv_regval_release(&v);
        CHECK(exhv_inf_install_for_hwid(inf, gpus[g].hwid, &target, &in, &err) == 0);
        CHECK(c->ops->reg_get(c->ctx, key, "InfSection", &v, &err) == 0);
        CHECK_STR(v.str, in.section);
        exhv_regval_release(&v);
        /* Every value the INF writes is in the class key, as written ... */
        for (size_t i = 0; i < in.nctv; i++) {
            const exhv_inf_ctv *t = &in.ctv[i];
            char sub[400];
            snprintf(sub, sizeof(sub), "%s\\%s", key, subkeys[(t->when_newer ? 1 : 0) + (t->wow64 ? 2 : 0)]);
            CHECK(c->ops->reg_get(c->ctx, sub, t->name, &v, &err) == 0);
            if (v.type == EXHV_REG_SZ)
                CHECK(strcmp(v.str, t->src) == 0 && strcmp(t->dst, strrchr(t->src, '\\')
                                                                     ? strrchr(t->src, '\\') + 1
                                                                     : t->src) == 0);
            else
                CHECK(v.type == EXHV_REG_MULTI_SZ && strcmp(v.str, t->src) == 0 &&
                      strcmp(v.str + strlen(v.str) + 1, t->dst) == 0);
            exhv_regval_release(&v);
        }
        /* ... and nothing else. */
        for (int k = 0; k < 4; k++) {
            char sub[400], **vals = NULL, **subs = NULL;
            size_t nv = 0, ns = 0;
            snprintf(sub, sizeof(sub), "%s\\%s", key, subkeys[k]);
            if (c->ops->reg_list(c->ctx, sub, &vals, &nv, &subs, &ns, &err) == 0)
                nvalues += nv;
            exhv_strv_free(vals, nv);
            exhv_strv_free(subs, ns);
        }
        CHECK_INT(nvalues, in.nctv);
        exhv_inf_install_release(&in);
        exhv_inf_free(inf);
    }
    exhv_conn_close(c);
}

/* Scratch folders: each new and distinct, at most EXHV_SCRATCH_SLOTS at
 * once (the next is refused and leaves nothing), each removed alone. */
static void test_scratch_slots(void)
{
    char *p[EXHV_SCRATCH_SLOTS + 1] = {0};
    exhv_error err;
    char file[1100];
    for (int i = 0; i < EXHV_SCRATCH_SLOTS; i++) {
        CHECK(exhv_scratch_create("exhv-test", &p[i], &err) == 0);
        CHECK(p[i] && kind_of(p[i]) == EXHV_FS_DIR);
        for (int k = 0; k < i; k++)
            CHECK(p[i] && p[k] && strcmp(p[i], p[k]) != 0);
    }
    CHECK(exhv_scratch_create("exhv-test", &p[EXHV_SCRATCH_SLOTS], &err) < 0);
    CHECK(p[EXHV_SCRATCH_SLOTS] == NULL);
    /* A file there is new: one already there is refused. */
    snprintf(file, sizeof(file), "%s/a", p[0] ? p[0] : "");
    CHECK(exhv_scratch_put(file, "x", 1, &err) == 0);
    CHECK(exhv_scratch_put(file, "y", 1, &err) < 0);
    exhv_scratch_remove(p[3]);
    CHECK(kind_of(p[3]) == EXHV_FS_NONE && kind_of(p[2]) == EXHV_FS_DIR);
    CHECK(exhv_scratch_create("exhv-test", &p[EXHV_SCRATCH_SLOTS], &err) == 0);
    for (int i = 0; i <= EXHV_SCRATCH_SLOTS; i++) {
        exhv_scratch_remove(p[i]);
        CHECK(!p[i] || kind_of(p[i]) == EXHV_FS_NONE);
        free(p[i]);
    }
}

#ifndef _WIN32
/* Stopped for good (the third Ctrl-C): the scratch folder goes too. */
static void test_default_tree_removed_when_stopped(void)
{
    int fds[2];
    pid_t pid;
    char path[1024] = {0};
    ssize_t got;
    int status = 0;

    CHECK(pipe(fds) == 0);
    pid = fork();
    if (pid == 0) {
        exhv_conn *c = NULL;
        exhv_error err;
        char *inf = NULL, *root;
        close(fds[0]);
        /* The second request's message is not this test's output. */
        {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0)
                dup2(null, 2);
        }
        exhv_interrupt_install();
        if (exhv_conn_open("test:///default", &c, &err) < 0 ||
            c->ops->drv_inf_location(c->ctx, "oem35.inf", &inf, &err) < 0 || !(root = scratch_of(inf)))
            _exit(3);
        (void)!write(fds[1], root, strlen(root));
        close(fds[1]);
        for (int i = 0; i < 3; i++)
            kill(getpid(), SIGINT);
        _exit(4);   /* not reached: the third request ends the process */
    }
    close(fds[1]);
    got = read(fds[0], path, sizeof(path) - 1);
    close(fds[0]);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 130);
    CHECK(got > 0 && strstr(path, "exhv-default."));
    CHECK(got > 0 && kind_of(path) == EXHV_FS_NONE);
}
#endif

T_CASES(default_tree_tests) = {
    {"default_tree_written_when_used_and_removed", test_default_tree_written_when_used_and_removed},
    {"default_tree_resolves_each_gpu", test_default_tree_resolves_each_gpu},
    {"default_tree_class_keys_match_their_infs", test_default_tree_class_keys_match_their_infs},
    {"default_tree_scratch_slots", test_scratch_slots},
#ifndef _WIN32
    {"default_tree_removed_when_stopped", test_default_tree_removed_when_stopped},
#endif
    T_END,
};
