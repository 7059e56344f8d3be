/* The resolver on a simulated host whose driver store is a folder beside
 * the scenario: an AMD-like display package with companions of its own and
 * of an older version, an NVIDIA-like one with extra files, unrelated
 * packages; CopyToVm* values from the class key; a value that leaves its
 * package is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <process.h>
#define getpid _getpid
#else
#include <unistd.h>
#endif

#include "hyperv/resolve.h"
#include "hyperv/sim/sim.h"
#include "platform/fs.h"
#include "platform/tree.h"
#include "t.h"
#include "t_fs.h"

#define rm_tree t_fs_rm_tree
#define mk(rel) t_fs_mk(dir, rel)
#define put(rel, text) t_fs_put(dir, rel, text)

static char dir[512];

/* A fixture INF of tests/data/inf copied into a package folder. */
static void put_inf(const char *rel, const char *fixture)
{
    static const char *const dirs[] = {"tests/data/inf/", "../tests/data/inf/",
                                       "../../tests/data/inf/"};
    exhv_error err;
    for (size_t i = 0; i < 3; i++) {
        char p[512], *data = NULL, q[1024];
        size_t len;
        snprintf(p, sizeof(p), "%s%s", dirs[i], fixture);
        if (exhv_fs_read_file(p, 1 << 20, &data, &len, &err) < 0)
            continue;
        snprintf(q, sizeof(q), "%s/%s", dir, rel);
        CHECK(exhv_fs_write_atomic(q, data, len, &err) == 0);
        free(data);
        return;
    }
    CHECK(0);
}

#define CLS "HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Class\\\\{4d36e968-e325-11ce-bfc1-08002be10318}"

static const char scenario[] =
    "{\"schema\": 1, \"host\": {\"build\": 26100},\n"
    " \"drivers\": {\"store\": \"store\", \"published\": {"
    "\"oem7.inf\": \"u0412345.inf_amd64_aaaa/u0412345.inf\","
    " \"oem8.inf\": \"nv_dispx.inf_amd64_bbbb/nv_dispx.inf\","
    " \"oem9.inf\": \"u0412345.inf_amd64_aaaa/u0412345.inf\"}},\n"
    " \"registry\": {\n"
    "  \"" CLS "\\\\0000\": {\"InfPath\": {\"sz\": \"oem7.inf\"}, \"InfSection\": {\"sz\": "
    "\"ati2mtag_Navi31\"}, \"ProviderName\": {\"sz\": \"Advanced Micro Devices, Inc.\"}},\n"
    "  \"" CLS "\\\\0000\\\\CopyToVmOverwrite\": {\"amfrt64\": {\"multi_sz\": "
    "[\"B412345\\\\amfrt64.dll\", \"amfrt64.dll\"]}, \"atio6axx\": {\"sz\": \"B412345\\\\atio6axx.dll\"}},\n"
    "  \"" CLS "\\\\0000\\\\CopyToVmOverwriteWow64\": {\"amd_opencl32\": {\"multi_sz\": "
    "[\"B412345\\\\amd_opencl32.dll\", \"OpenCL.dll\"]}},\n"
    "  \"" CLS "\\\\0001\": {\"InfPath\": {\"sz\": \"oem8.inf\"}, \"InfSection\": {\"sz\": "
    "\"Section048\"}},\n"
    "  \"" CLS "\\\\0001\\\\CopyToVmWhenNewer\": {\"CudaDriverFiles\": {\"multi_sz\": "
    "[\"nvcuda_loader64.dll\", \"nvcuda.dll\"]}},\n"
    "  \"" CLS "\\\\0002\": {\"InfPath\": {\"sz\": \"oem9.inf\"}},\n"
    "  \"" CLS "\\\\0002\\\\CopyToVmOverwrite\": {\"Escape\": {\"multi_sz\": "
    "[\"..\\\\..\\\\..\\\\System32\\\\config\\\\SAM\", \"evil.dll\"]}},\n"
    "  \"" CLS "\\\\0003\": {\"InfPath\": {\"sz\": \"oem99.inf\"}}\n"
    " }}\n";

static int open_host(exhv_conn *c)
{
    char path[1024];
    exhv_error err;
    const char *t = getenv("TMPDIR");
#ifdef _WIN32
    if (!t)
        t = getenv("TEMP");
#endif
    snprintf(dir, sizeof(dir), "%s/exhv-resolve-%d", t ? t : "/tmp", (int)getpid());
    exhv_fs_mkdir(dir, &err);
    mk("store");
    mk("store/FileRepository");
    mk("store/FileRepository/u0412345.inf_amd64_aaaa");
    put_inf("store/FileRepository/u0412345.inf_amd64_aaaa/u0412345.inf", "u0412345.inf");
    mk("store/FileRepository/u0412345.inf_amd64_aaaa/B412345");
    put("store/FileRepository/u0412345.inf_amd64_aaaa/B412345/amfrt64.dll", "amf");
    put("store/FileRepository/u0412345.inf_amd64_aaaa/atidxxstub64.dll", "stub");
    mk("store/FileRepository/amdocl.inf_amd64_cccc");
    put_inf("store/FileRepository/amdocl.inf_amd64_cccc/amdocl.inf", "amdocl.inf");
    mk("store/FileRepository/amdocl.inf_amd64_dddd");
    put_inf("store/FileRepository/amdocl.inf_amd64_dddd/amdocl.inf", "amdocl-old.inf");
    mk("store/FileRepository/nv_dispx.inf_amd64_bbbb");
    put_inf("store/FileRepository/nv_dispx.inf_amd64_bbbb/nv_dispx.inf", "nv_dispx.inf");
    put("store/FileRepository/nv_dispx.inf_amd64_bbbb/nvapi64.dll", "nvapi");
    put("store/FileRepository/nv_dispx.inf_amd64_bbbb/nvcuda_loader64.dll", "cuda");
    mk("store/FileRepository/netrtl.inf_amd64_eeee");
    put("store/FileRepository/netrtl.inf_amd64_eeee/rtl.sys", "net");
    put("host.json", scenario);
    snprintf(path, sizeof(path), "%s/host.json", dir);
    memset(c, 0, sizeof(*c));
    c->uri = "test:///unit";
    c->simulated = 1;
    if (exhv_sim_open_file(path, &c->ops, &c->ctx, &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    return 0;
}

static const exhv_drv_file *file_to(const exhv_drv_need *n, const char *dst, int wow64)
{
    for (size_t i = 0; i < n->nfiles; i++)
        if (strcmp(n->files[i].dst, dst) == 0 && n->files[i].wow64 == wow64)
            return &n->files[i];
    return NULL;
}

static void test_resolve_amd_primary_and_companion(void)
{
    exhv_conn c;
    exhv_drv_need n;
    exhv_error err;
    const exhv_drv_file *f;
    if (open_host(&c) < 0) {
        CHECK(0);
        return;
    }
    CHECK(exhv_drv_resolve(&c, "{4d36e968-e325-11ce-bfc1-08002be10318}\\0000", "AMD Radeon", &n,
                           &err) == 0);
    CHECK_STR(n.vendor, "amd");
    CHECK_STR(n.driver_version, "32.0.21013.1000");
    /* The primary, then the one amdocl package of the same DriverVer; no
     * amdwin-ab package exists: said, not guessed. */
    CHECK_INT(n.npkgs, 2);
    CHECK_STR(n.npkgs > 0 ? n.pkgs[0].name : NULL, "u0412345.inf_amd64_aaaa");
    CHECK_STR(n.npkgs > 1 ? n.pkgs[1].name : NULL, "amdocl.inf_amd64_cccc");
    CHECK_INT(n.nwarnings, 1);
    CHECK(n.nwarnings && strstr(n.warnings[0], "amdwin-ab.inf") != NULL);
    /* CopyToVm* from the class key, with their folders and names. */
    f = file_to(&n, "amfrt64.dll", 0);
    CHECK_STR(f ? f->src : NULL, "B412345\\amfrt64.dll");
    f = file_to(&n, "atio6axx.dll", 0);
    CHECK(f && !f->when_newer);
    f = file_to(&n, "OpenCL.dll", 1);
    CHECK_STR(f ? f->src : NULL, "B412345\\amd_opencl32.dll");
    /* The vendor's extra file the package has; not the ones it lacks. */
    f = file_to(&n, "atidxx64.dll", 0);
    CHECK_STR(f ? f->src : NULL, "atidxxstub64.dll");
    CHECK(file_to(&n, "amdxc64.dll", 0) == NULL);
    CHECK_INT(n.nfiles, 4);
    exhv_drv_need_release(&n);
    c.ops->close(c.ctx);
    rm_tree(dir);
}

static void test_resolve_nvidia_extras(void)
{
    exhv_conn c;
    exhv_drv_need n;
    exhv_error err;
    if (open_host(&c) < 0) {
        CHECK(0);
        return;
    }
    CHECK(exhv_drv_resolve(&c, "{4d36e968-e325-11ce-bfc1-08002be10318}\\0001", "NVIDIA", &n,
                           &err) == 0);
    CHECK_STR(n.vendor, "nvidia");
    CHECK_STR(n.service, "nvlddmkm");
    CHECK_INT(n.npkgs, 1);   /* nvhdax.inf has no package: a warning */
    CHECK_INT(n.nwarnings, 1);
    /* CopyToVmWhenNewer's nvcuda.dll first, then the extras present:
     * nvapi64.dll and (again) nvcuda.dll, which the copy engine takes
     * once. */
    CHECK(n.nfiles >= 2 && strcmp(n.files[0].dst, "nvcuda.dll") == 0);
    CHECK(file_to(&n, "nvapi64.dll", 0) != NULL);
    CHECK(file_to(&n, "nvml.dll", 0) == NULL);
    CHECK_INT(n.pkg_files, 3);
    exhv_drv_need_release(&n);
    c.ops->close(c.ctx);
    rm_tree(dir);
}

static void test_resolve_refusals(void)
{
    exhv_conn c;
    exhv_drv_need n;
    exhv_error err;
    if (open_host(&c) < 0) {
        CHECK(0);
        return;
    }
    /* A registry value that leaves the package. */
    CHECK(exhv_drv_resolve(&c, "{4d36e968-e325-11ce-bfc1-08002be10318}\\0002", NULL, &n, &err) < 0);
    CHECK(strstr(err.message, "not a path inside the driver package") != NULL);
    /* A published INF the driver store does not know. */
    CHECK(exhv_drv_resolve(&c, "{4d36e968-e325-11ce-bfc1-08002be10318}\\0003", NULL, &n, &err) < 0);
    CHECK(strstr(err.message, "oem99.inf") != NULL);
    /* No class key at all. */
    CHECK(exhv_drv_resolve(&c, "{4d36e968-e325-11ce-bfc1-08002be10318}\\0009", NULL, &n, &err) < 0);
    CHECK(strstr(err.message, "InfPath") != NULL);
    CHECK(exhv_drv_resolve(&c, "", NULL, &n, &err) < 0);
    c.ops->close(c.ctx);
    rm_tree(dir);
}

T_CASES(resolve_tests) = {
    {"resolve_amd_primary_and_companion", test_resolve_amd_primary_and_companion},
    {"resolve_nvidia_extras", test_resolve_nvidia_extras},
    {"resolve_refusals", test_resolve_refusals},
    T_END,
};
