/* The guest SYSTEM hive edits of a driver import, on the simulated host
 * with a hive file: NVIDIA's service in every control set Select names
 * (and no other), values with their types, Intel's runtime values with
 * DriverStore rewritten to HostDriverStore, undo and a fault at each write
 * leaving the whole host (the loaded hive with it) as it was, an undo that
 * cannot finish naming what is left, a malformed Select refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <process.h>
#define getpid _getpid
#else
#include <unistd.h>
#endif

#include "hyperv/guesthive.h"
#include "hyperv/ports.h"
#include "hyperv/sim/sim.h"
#include "platform/fs.h"
#include "platform/tree.h"
#include "t.h"
#include "t_fs.h"

#define CLS "{4d36e968-e325-11ce-bfc1-08002be10318}"
#define PKG "nv_dispx.inf_amd64_0123abcd"
#define IPKG "iigd_dch.inf_amd64_fedcba98"
#define ROOT "HKLM\\exhv-guest"

static char dir[512];

static const char host_text[] =
    "{\"schema\": 1, \"host\": {\"build\": 26100},\n"
    " \"registry\": {\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\nvlddmkm\": {"
    "\"Type\": {\"dword\": 1}, \"Start\": {\"dword\": 3}, \"ErrorControl\": {\"dword\": 0}, "
    "\"Group\": {\"sz\": \"Video\"}, \"ImagePath\": {\"expand_sz\": "
    "\"\\\\SystemRoot\\\\System32\\\\DriverStore\\\\FileRepository\\\\" PKG "\\\\nvlddmkm.sys\"}, "
    "\"Tag\": {\"dword\": 9}},\n"
    "  \"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Class\\\\" CLS "\\\\0001\": {"
    "\"LevelZeroDriverPath\": {\"sz\": \"C:\\\\Windows\\\\System32\\\\DriverStore\\\\"
    "FileRepository\\\\" IPKG "\\\\ze_intel_gpu64.dll\"}, "
    "\"DriverStorePathForComputeRuntime\": {\"expand_sz\": \"%SystemRoot%\\\\system32\\\\"
    "driverstore\\\\FileRepository\\\\" IPKG "\"}, "
    "\"OpenCLDriverNameWow\": {\"multi_sz\": [\"C:/Windows/System32/DriverStore/FileRepository/"
    IPKG "/igdrcl32.dll\", \"igdrcl32.dll\"]}, "
    "\"OpenGLFlags\": {\"dword\": 3}, "
    "\"DriverDesc\": {\"sz\": \"Intel(R) Arc(TM) Graphics\"}}}}\n";

/* Select: Current 1, Default 1, Failed 0, LastKnownGood 2; ControlSet003
 * exists and is named by nothing. */
static const char hive_text[] =
    "{\"schema\": 1, \"keys\": {\n"
    "  \"Select\": {\"Current\": {\"dword\": 1}, \"Default\": {\"dword\": 1}, "
    "\"Failed\": {\"dword\": 0}, \"LastKnownGood\": {\"dword\": 2}},\n"
    "  \"ControlSet001\\\\Services\\\\nvlddmkm\": {\"Start\": {\"dword\": 4}, "
    "\"Extra\": {\"sz\": \"kept\"}},\n"
    "  \"ControlSet001\\\\Control\\\\Class\\\\" CLS "\\\\0000\": {\"DriverDesc\": {\"sz\": "
    "\"Microsoft Hyper-V Video\"}, \"ProviderName\": {\"sz\": \"Microsoft\"}, \"InfPath\": "
    "{\"sz\": \"wvmbusvideo.inf\"}},\n"
    "  \"ControlSet002\\\\Services\\\\BasicDisplay\": {\"Start\": {\"dword\": 1}},\n"
    "  \"ControlSet003\\\\Services\\\\BasicDisplay\": {\"Start\": {\"dword\": 1}}\n"
    "}}\n";

static void hive_file(char *out, size_t n)
{
    snprintf(out, n, "%s/SYSTEM", dir);
}

/* A host with the scenario above, a driver store with the NVIDIA package
 * (nvlddmkm.sys in a subfolder) and a guest hive file loaded as
 * HKLM\exhv-guest. */
static int open_host(exhv_conn *c, const char *hive)
{
    char path[1024];
    exhv_error err;
    const char *t = getenv("TMPDIR");
#ifdef _WIN32
    if (!t)
        t = getenv("TEMP");
#endif
    memset(c, 0, sizeof(*c));
    snprintf(dir, sizeof(dir), "%s/exhv-guesthive-%d", t ? t : "/tmp", (int)getpid());
    exhv_fs_mkdir(dir, &err);
    t_fs_mk(dir, PKG);
    t_fs_mk(dir, PKG "/B123");
    t_fs_put(dir, PKG "/B123/nvlddmkm.sys", "x");
    t_fs_put(dir, PKG "/nv_dispx.inf", "[Version]\n");
    t_fs_put(dir, "host.json", host_text);
    t_fs_put(dir, "SYSTEM", hive);
    snprintf(path, sizeof(path), "%s/host.json", dir);
    if (exhv_sim_open_file(path, &c->ops, &c->ctx, &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    hive_file(path, sizeof(path));
    if (c->ops->hive_load(c->ctx, path, "exhv-guest", &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        c->ops->close(c->ctx);
        c->ctx = NULL;
        return -1;
    }
    return 0;
}

static void close_host(exhv_conn *c)
{
    exhv_error err;
    if (!c->ctx)
        return;
    c->ops->hive_unload(c->ctx, "exhv-guest", &err);
    c->ops->close(c->ctx);
    t_fs_rm_tree(dir);
}

static exhv_drv_pkg pkg0;

static void nvidia_need(exhv_drv_need *n)
{
    static char host_dir[600];
    memset(n, 0, sizeof(*n));
    snprintf(host_dir, sizeof(host_dir), "%s/%s", dir, PKG);
    pkg0.name = PKG;
    pkg0.host_dir = host_dir;
    n->vendor = "nvidia";
    n->service = "nvlddmkm";
    n->class_key = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\" CLS "\\0000";
    n->pkgs = &pkg0;
    n->npkgs = 1;
}

static void intel_need(exhv_drv_need *n)
{
    memset(n, 0, sizeof(*n));
    n->vendor = "intel";
    n->class_key = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\" CLS "\\0001";
}

static int get(exhv_conn *c, const char *key, const char *value, exhv_regval *v)
{
    exhv_error err;
    memset(v, 0, sizeof(*v));
    return c->ops->reg_get(c->ctx, key, value, v, &err);
}

static void state(exhv_conn *c, exhv_buf *b)
{
    exhv_buf_reset(b);
    CHECK(exhv_sim_state(c->ctx, b) == 0);
}

static void test_guesthive_nvidia_every_control_set(void)
{
    exhv_conn c;
    exhv_error err;
    exhv_drv_need need;
    exhv_hive_edit *e = NULL;
    exhv_regval v;
    exhv_buf script = EXHV_BUF_INIT;
    size_t n = 0;
    char file[1024];
    const char *img = "\\SystemRoot\\System32\\HostDriverStore\\FileRepository\\" PKG
                      "\\B123\\nvlddmkm.sys";
    const char *sets[] = {ROOT "\\ControlSet001\\Services\\nvlddmkm",
                          ROOT "\\ControlSet002\\Services\\nvlddmkm"};

    CHECK(open_host(&c, hive_text) == 0);
    if (!c.ctx)
        return;
    nvidia_need(&need);
    CHECK(exhv_guesthive_plan(&c, ROOT, &need, &e, &n, &err) == 0);
    CHECK_INT(n, 10);   /* two sets (1 and 2), five values each */
    /* The existing Start is remembered for undo; the created key once. */
    CHECK(n == 10 && e[1].had_old && e[1].old.type == EXHV_REG_DWORD && e[1].old.num == 4);
    CHECK(n == 10 && e[0].created_depth == 0 && e[5].created_depth == 1 &&
          e[6].created_depth == 0);
    CHECK(exhv_guesthive_apply(&c, e, n, &err) == 0);
    for (size_t s = 0; s < 2; s++) {
        CHECK(get(&c, sets[s], "Type", &v) == 0 && v.type == EXHV_REG_DWORD && v.num == 1);
        exhv_regval_release(&v);
        CHECK(get(&c, sets[s], "Start", &v) == 0 && v.type == EXHV_REG_DWORD && v.num == 3);
        exhv_regval_release(&v);
        CHECK(get(&c, sets[s], "ErrorControl", &v) == 0 && v.type == EXHV_REG_DWORD &&
              v.num == 0);
        exhv_regval_release(&v);
        CHECK(get(&c, sets[s], "Group", &v) == 0 && v.type == EXHV_REG_SZ);
        CHECK_STR(v.str, "Video");
        exhv_regval_release(&v);
        CHECK(get(&c, sets[s], "ImagePath", &v) == 0 && v.type == EXHV_REG_EXPAND_SZ);
        CHECK_STR(v.str, img);
        exhv_regval_release(&v);
        /* Only the four values: not the host's Tag. */
        CHECK(get(&c, sets[s], "Tag", &v) == -2);
    }
    /* A set Select does not name is left alone; a guest value exhv does not
     * write stays. */
    CHECK(get(&c, ROOT "\\ControlSet003\\Services\\nvlddmkm", "Type", &v) == -2);
    CHECK(get(&c, sets[0], "Extra", &v) == 0);
    exhv_regval_release(&v);
    /* The types survive the hive's trip to its file and back. */
    hive_file(file, sizeof(file));
    CHECK(c.ops->hive_unload(c.ctx, "exhv-guest", &err) == 0);
    CHECK(c.ops->hive_load(c.ctx, file, "exhv-guest", &err) == 0);
    CHECK(get(&c, sets[1], "ImagePath", &v) == 0 && v.type == EXHV_REG_EXPAND_SZ);
    exhv_regval_release(&v);
    /* The script says the same. */
    CHECK(exhv_guesthive_script(e, n, &script) == 0);
    CHECK(strstr(exhv_buf_str(&script),
                 "New-Item -Path 'HKLM:\\exhv-guest\\ControlSet002\\Services\\nvlddmkm' -Force") !=
          NULL);
    CHECK(strstr(exhv_buf_str(&script), "New-Item -Path 'HKLM:\\exhv-guest\\ControlSet001") ==
          NULL);
    CHECK(strstr(exhv_buf_str(&script),
                 "New-ItemProperty -LiteralPath 'HKLM:\\exhv-guest\\ControlSet001\\Services\\"
                 "nvlddmkm' -Name 'ImagePath' -PropertyType ExpandString -Value "
                 "'\\SystemRoot\\System32\\HostDriverStore\\FileRepository\\" PKG
                 "\\B123\\nvlddmkm.sys' -Force | Out-Null\n") != NULL);
    CHECK(strstr(exhv_buf_str(&script), "-Name 'Start' -PropertyType DWord -Value 0x00000003") !=
          NULL);
    CHECK(strstr(exhv_buf_str(&script), "-Name 'Group' -PropertyType String -Value 'Video'") !=
          NULL);
    exhv_buf_release(&script);
    exhv_guesthive_release(e, n);
    close_host(&c);
}

static void test_guesthive_intel_rewrite(void)
{
    exhv_conn c;
    exhv_error err;
    exhv_drv_need need;
    exhv_hive_edit *e = NULL;
    exhv_regval v;
    exhv_buf before = EXHV_BUF_INIT, after = EXHV_BUF_INIT;
    size_t n = 0;
    const char *k1 = ROOT "\\ControlSet001\\Control\\Class\\" CLS "\\0001";
    const char *k2 = ROOT "\\ControlSet002\\Control\\Class\\" CLS "\\0001";
    const char *anchor = ROOT "\\ControlSet001\\Control\\Class\\" CLS "\\0000";

    CHECK(open_host(&c, hive_text) == 0);
    if (!c.ctx)
        return;
    intel_need(&need);
    CHECK(exhv_guesthive_plan(&c, ROOT, &need, &e, &n, &err) == 0);
    /* Four values in each of two sets, and the Level Zero anchor in the set
     * that has a Hyper-V Video key. */
    CHECK_INT(n, 9);
    CHECK(exhv_guesthive_apply(&c, e, n, &err) == 0);
    for (int s = 0; s < 2; s++) {
        const char *k = s ? k2 : k1;
        CHECK(get(&c, k, "LevelZeroDriverPath", &v) == 0 && v.type == EXHV_REG_SZ);
        CHECK_STR(v.str, "C:\\Windows\\System32\\HostDriverStore\\FileRepository\\" IPKG
                         "\\ze_intel_gpu64.dll");
        exhv_regval_release(&v);
        CHECK(get(&c, k, "DriverStorePathForComputeRuntime", &v) == 0 &&
              v.type == EXHV_REG_EXPAND_SZ);
        CHECK_STR(v.str, "%SystemRoot%\\system32\\Hostdriverstore\\FileRepository\\" IPKG);
        exhv_regval_release(&v);
        CHECK(get(&c, k, "OpenCLDriverNameWow", &v) == 0 && v.type == EXHV_REG_MULTI_SZ);
        CHECK_STR(v.str, "C:/Windows/System32/HostDriverStore/FileRepository/" IPKG
                         "/igdrcl32.dll");
        CHECK(v.str && strcmp(v.str + strlen(v.str) + 1, "igdrcl32.dll") == 0);
        exhv_regval_release(&v);
        CHECK(get(&c, k, "OpenGLFlags", &v) == 0 && v.type == EXHV_REG_DWORD && v.num == 3);
        exhv_regval_release(&v);
        /* Not a runtime value: not copied. */
        CHECK(get(&c, k, "DriverDesc", &v) == -2);
    }
    CHECK(get(&c, anchor, "LevelZeroDriverPath", &v) == 0 && v.type == EXHV_REG_SZ &&
          strstr(v.str, "\\HostDriverStore\\") != NULL);
    exhv_regval_release(&v);
    exhv_guesthive_release(e, n);
    close_host(&c);

    /* The guest's class key 0001 belongs to another vendor's driver:
     * refused, nothing written. */
    {
        char text[4096];
        snprintf(text, sizeof(text),
                 "{\"schema\": 1, \"keys\": {\"Select\": {\"Current\": {\"dword\": 1}},\n"
                 "  \"ControlSet001\\\\Control\\\\Class\\\\" CLS "\\\\0001\": {\"ProviderName\": "
                 "{\"sz\": \"NVIDIA\"}, \"DriverDesc\": {\"sz\": \"NVIDIA GeForce\"}}}}\n");
        CHECK(open_host(&c, text) == 0);
        if (!c.ctx)
            return;
        state(&c, &before);
        CHECK(exhv_guesthive_plan(&c, ROOT, &need, &e, &n, &err) < 0);
        CHECK(strstr(err.message, "belongs to another display driver") != NULL);
        state(&c, &after);
        CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
        close_host(&c);
    }
    exhv_buf_release(&before);
    exhv_buf_release(&after);
}

/* Plan and apply both vendors' edits on one hive, then undo: the whole
 * host, the loaded hive with it, is as before; the hive file too. */
static void test_guesthive_undo_leaves_hive_as_before(void)
{
    exhv_conn c;
    exhv_error err;
    exhv_drv_need need;
    exhv_hive_edit *e = NULL, *f = NULL;
    size_t n = 0, m = 0;
    exhv_buf before = EXHV_BUF_INIT, mid = EXHV_BUF_INIT, after = EXHV_BUF_INIT;
    char file[1024], *data = NULL;
    size_t len = 0;

    CHECK(open_host(&c, hive_text) == 0);
    if (!c.ctx)
        return;
    state(&c, &before);
    nvidia_need(&need);
    CHECK(exhv_guesthive_plan(&c, ROOT, &need, &e, &n, &err) == 0);
    CHECK(exhv_guesthive_apply(&c, e, n, &err) == 0);
    intel_need(&need);
    CHECK(exhv_guesthive_plan(&c, ROOT, &need, &f, &m, &err) == 0);
    CHECK(exhv_guesthive_apply(&c, f, m, &err) == 0);
    state(&c, &mid);
    CHECK(strcmp(exhv_buf_str(&mid), exhv_buf_str(&before)) != 0);
    CHECK(exhv_guesthive_undo(&c, f, m, &err) == 0);
    /* An undo that cannot delete ControlSet002's new ImagePath names it,
     * and the key it keeps because of it; the rest is undone. */
    exhv_sim_inject_fault(c.ctx, "reg_delete", exhv_sim_call_count(c.ctx, "reg_delete") + 1, 5,
                          0);
    CHECK(exhv_guesthive_undo(&c, e, n, &err) < 0);
    CHECK(strstr(err.message, "2 of the guest hive's edits could not be undone and are still") !=
          NULL);
    CHECK(strstr(err.message, ROOT "\\ControlSet002\\Services\\nvlddmkm\\ImagePath (") != NULL);
    CHECK(strstr(err.message, "the key " ROOT "\\ControlSet002\\Services\\nvlddmkm that exhv "
                              "created was kept") != NULL);
    for (size_t i = 0; i < n; i++)
        CHECK(e[i].state == (i == 5 || i == 9 ? EXHV_HIVE_UNDO_FAILED : EXHV_HIVE_UNDONE));
    /* Undone again: the rest goes. */
    CHECK(exhv_guesthive_undo(&c, e, n, &err) == 0);
    for (size_t i = 0; i < n; i++)
        CHECK(e[i].state == EXHV_HIVE_UNDONE);
    state(&c, &after);
    CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
    /* Unloaded, the file holds the hive as it was written first (the same
     * keys and values: compared through a fresh load). */
    hive_file(file, sizeof(file));
    CHECK(c.ops->hive_unload(c.ctx, "exhv-guest", &err) == 0);
    CHECK(c.ops->hive_load(c.ctx, file, "exhv-guest", &err) == 0);
    state(&c, &after);
    CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
    CHECK(exhv_fs_read_file(file, 1 << 20, &data, &len, &err) == 0);
    free(data);
    exhv_guesthive_release(e, n);
    exhv_guesthive_release(f, m);
    close_host(&c);
    exhv_buf_release(&before);
    exhv_buf_release(&mid);
    exhv_buf_release(&after);
}

/* A write that fails at each step of apply: the host is as before and the
 * error says so. A second fault during that undo: the edit left is named,
 * and only it. */
static void test_guesthive_fault_mid_apply(void)
{
    exhv_conn c;
    exhv_error err;
    exhv_drv_need need;
    exhv_hive_edit *e = NULL;
    size_t n = 0;
    exhv_buf before = EXHV_BUF_INIT, after = EXHV_BUF_INIT;

    CHECK(open_host(&c, hive_text) == 0);
    if (!c.ctx)
        return;
    state(&c, &before);
    nvidia_need(&need);
    for (unsigned k = 1; k <= 10; k++) {
        CHECK(exhv_guesthive_plan(&c, ROOT, &need, &e, &n, &err) == 0);
        exhv_sim_inject_fault(c.ctx, "reg_set", exhv_sim_call_count(c.ctx, "reg_set") + k, 5, 0);
        CHECK(exhv_guesthive_apply(&c, e, n, &err) < 0);
        CHECK(strstr(err.message, "the guest's hive is as it was") != NULL);
        CHECK(strstr(err.message, "Access is denied") != NULL || err.plat_code == 5);
        state(&c, &after);
        if (strcmp(exhv_buf_str(&after), exhv_buf_str(&before)) != 0) {
            fprintf(stderr, "  fault at write %u left the host changed\n", k);
            CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
        }
        exhv_guesthive_release(e, n);
    }
    /* The eighth write (ControlSet002's ErrorControl) fails, and so does
     * the undo's restore of ControlSet001's old Start: that edit, and only
     * it, is named as left in the hive. */
    CHECK(exhv_guesthive_plan(&c, ROOT, &need, &e, &n, &err) == 0);
    exhv_sim_inject_fault(c.ctx, "reg_set", exhv_sim_call_count(c.ctx, "reg_set") + 8, 5, 0);
    exhv_sim_inject_fault(c.ctx, "reg_set", exhv_sim_call_count(c.ctx, "reg_set") + 9, 5, 0);
    CHECK(exhv_guesthive_apply(&c, e, n, &err) < 0);
    CHECK(strstr(err.message, "1 of the guest hive's edits could not be undone") != NULL);
    CHECK(strstr(err.message, ROOT "\\ControlSet001\\Services\\nvlddmkm\\Start (") != NULL);
    CHECK(strstr(err.message, "ControlSet002") == NULL ||
          strstr(err.message, "writing " ROOT "\\ControlSet002\\Services\\nvlddmkm\\ErrorControl") !=
              NULL);
    for (size_t i = 0; i < n; i++)
        CHECK(e[i].state == (i == 1 ? EXHV_HIVE_UNDO_FAILED
                                    : i <= 7 ? EXHV_HIVE_UNDONE : EXHV_HIVE_PLANNED));
    {
        exhv_regval v;
        CHECK(get(&c, ROOT "\\ControlSet001\\Services\\nvlddmkm", "Start", &v) == 0 &&
              v.num == 3);
        exhv_regval_release(&v);
    }
    /* Undone again, the hive is as before. */
    CHECK(exhv_guesthive_undo(&c, e, n, &err) == 0);
    state(&c, &after);
    CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
    exhv_guesthive_release(e, n);
    close_host(&c);
    exhv_buf_release(&before);
    exhv_buf_release(&after);
}

static void test_guesthive_malformed_select_refused(void)
{
    static const struct {
        const char *select, *says;
    } cases[] = {
        {"", "has no Select key"},
        {"\"Select\": {\"Default\": {\"dword\": 1}},", "has no Select\\Current"},
        {"\"Select\": {\"Current\": {\"dword\": 0}},", "Select\\Current = REG_DWORD 0"},
        {"\"Select\": {\"Current\": {\"sz\": \"1\"}},", "Select\\Current = REG_SZ"},
        {"\"Select\": {\"Current\": {\"dword\": 1000}},", "Select\\Current = REG_DWORD 1000"},
        {"\"Select\": {\"Current\": {\"dword\": 1}, \"Default\": {\"sz\": \"1\"}},",
         "Select\\Default = REG_SZ"},
        {"\"Select\": {\"Current\": {\"dword\": 1}, \"LastKnownGood\": {\"dword\": 9}},",
         "Select\\LastKnownGood = 9 but no ControlSet009"},
        {"\"Select\": {\"Current\": {\"dword\": 4}},", "Select\\Current = 4 but no ControlSet004"},
    };
    exhv_drv_need need;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        exhv_conn c;
        exhv_error err;
        exhv_hive_edit *e = NULL;
        size_t n = 0;
        exhv_buf before = EXHV_BUF_INIT, after = EXHV_BUF_INIT;
        char text[2048];
        snprintf(text, sizeof(text),
                 "{\"schema\": 1, \"keys\": {%s \"ControlSet001\\\\Services\\\\x\": "
                 "{\"Start\": {\"dword\": 1}}}}\n", cases[i].select);
        CHECK(open_host(&c, text) == 0);
        if (!c.ctx)
            return;
        state(&c, &before);
        nvidia_need(&need);
        CHECK(exhv_guesthive_plan(&c, ROOT, &need, &e, &n, &err) < 0);
        if (!strstr(err.message, cases[i].says))
            fprintf(stderr, "  case %zu: %s\n", i, err.message);
        CHECK(strstr(err.message, cases[i].says) != NULL);
        CHECK(strstr(err.message, "nothing was written") != NULL);
        CHECK(e == NULL && n == 0);
        state(&c, &after);
        CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
        exhv_buf_release(&before);
        exhv_buf_release(&after);
        close_host(&c);
    }
}

T_CASES(guesthive_tests) = {
    {"guesthive_nvidia_every_control_set", test_guesthive_nvidia_every_control_set},
    {"guesthive_intel_rewrite", test_guesthive_intel_rewrite},
    {"guesthive_undo_leaves_hive_as_before", test_guesthive_undo_leaves_hive_as_before},
    {"guesthive_fault_mid_apply", test_guesthive_fault_mid_apply},
    {"guesthive_malformed_select_refused", test_guesthive_malformed_select_refused},
    T_END,
};
