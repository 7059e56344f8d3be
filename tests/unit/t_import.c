#include "t_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <process.h>
#define getpid _getpid
#else
#include <unistd.h>
#endif

#include "core/json.h"
#include "hyperv/executor.h"
#include "hyperv/import.h"
#include "hyperv/planner.h"
#include "hyperv/sim/sim.h"
#include "platform/fs.h"
#include "platform/lock.h"
#include "platform/tree.h"
#include "t.h"
#include "t_fs.h"

#define CLS "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e968-e325-11ce-bfc1-08002be10318}\\0000"
#define PKG_A "nv_dispx.inf_amd64_5f1c2a7e9d3b4c60"
#define PKG_B "nv_dispx.inf_amd64_8e0d4b2a6c1f3e97"

static char *fixture_inf(void)
{
    static const char *const dirs[] = {"tests/data/inf/", "../tests/data/inf/",
                                       "../../tests/data/inf/"};
    exhv_error err;
    for (size_t i = 0; i < 3; i++) {
        char p[512], *data = NULL;
        size_t len;
        snprintf(p, sizeof(p), "%snv_dispx.inf", dirs[i]);
        if (exhv_fs_read_file(p, 1 << 20, &data, &len, &err) == 0)
            return data;
    }
    return NULL;
}

/* A package of the given driver version (the fixture INF's DriverVer
 * rewritten). */
static int put_package(const char *dir, const char *pkg, const char *version, const char *tag)
{
    char rel[256], body[128];
    char *inf = fixture_inf(), *at;
    exhv_buf b = EXHV_BUF_INIT;
    if (!inf)
        return -1;
    snprintf(rel, sizeof(rel), "store/FileRepository/%s", pkg);
    t_fs_mk(dir, rel);
    at = strstr(inf, "32.0.15.6094");
    if (at) {
        exhv_buf_add(&b, inf, (size_t)(at - inf));
        exhv_buf_puts(&b, version);
        exhv_buf_puts(&b, at + strlen("32.0.15.6094"));
    } else {
        exhv_buf_puts(&b, inf);
    }
    free(inf);
    snprintf(rel, sizeof(rel), "store/FileRepository/%s/nv_dispx.inf", pkg);
    t_fs_put(dir, rel, exhv_buf_str(&b));
    exhv_buf_release(&b);
    static const char *const files[] = {"nvlddmkm.sys", "nvldumdx.dll", "nvcuda_loader64.dll",
                                        "nvcuda_loader32.dll", "nvapi64.dll"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(rel, sizeof(rel), "store/FileRepository/%s/%s", pkg, files[i]);
        snprintf(body, sizeof(body), "%s %s", files[i], tag);
        t_fs_put(dir, rel, body);
    }
    snprintf(rel, sizeof(rel), "store/FileRepository/%s/B123456", pkg);
    t_fs_mk(dir, rel);
    snprintf(rel, sizeof(rel), "store/FileRepository/%s/B123456/nvEncodeAPI64.dll", pkg);
    snprintf(body, sizeof(body), "encoder %s", tag);
    t_fs_put(dir, rel, body);
    return 0;
}

/* The key's object in the scenario's registry: the one there, or a new
 * empty one. */
static exhv_json *key_of(exhv_json *reg, const char *key)
{
    exhv_json *k = (exhv_json *)exhv_json_get(reg, key);
    return k && k->type == EXHV_JSON_OBJECT ? k : exhv_json_obj_set(reg, key, EXHV_JSON_OBJECT);
}

static void val(exhv_json *key, const char *name, const char *type, const char *s, int64_t n)
{
    exhv_json *v = exhv_json_obj_set(key, name, EXHV_JSON_OBJECT);
    if (s)
        exhv_json_set_str(exhv_json_obj_set(v, type, EXHV_JSON_NULL), s);
    else
        exhv_json_set_int(exhv_json_obj_set(v, type, EXHV_JSON_NULL), n);
}

static void multi(exhv_json *key, const char *name, const char *a, const char *b)
{
    exhv_json *v = exhv_json_obj_set(key, name, EXHV_JSON_OBJECT);
    exhv_json *arr = exhv_json_obj_set(v, "multi_sz", EXHV_JSON_ARRAY);
    exhv_json_set_str(exhv_json_arr_push(arr, EXHV_JSON_NULL), a);
    exhv_json_set_str(exhv_json_arr_push(arr, EXHV_JSON_NULL), b);
}

static int write_doc(const t_import *t, const exhv_json *doc)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    exhv_error err;
    int rc;
    exhv_jw_init(&w, &b, 1);
    exhv_jw_value(&w, doc);
    exhv_jw_end(&w);
    rc = exhv_buf_ok(&b) ? exhv_fs_write_atomic(t->host, b.data, b.len, &err) : -1;
    exhv_buf_release(&b);
    return rc;
}

/* The RTX 4070's devnode: its driver version follows the host's driver. */
static void set_gpu_version(exhv_json *doc, const char *version)
{
    exhv_json *pnp = (exhv_json *)exhv_json_get(doc, "pnp");
    for (size_t i = 0; pnp && i < pnp->count; i++)
        if (strstr(exhv_json_get_str(&pnp->items[i], "name") ? exhv_json_get_str(&pnp->items[i], "name") : "",
                   "RTX 4070"))
            exhv_json_set_str(exhv_json_obj_set(&pnp->items[i], "driver_version", EXHV_JSON_NULL),
                              version);
}

int t_import_build(t_import *t)
{
    static unsigned seq;
    const char *tmp = getenv("TMPDIR");
    exhv_error err;
    exhv_json *doc = NULL, *reg, *k, *d;
#ifdef _WIN32
    if (!tmp)
        tmp = getenv("TEMP");
#else
    /* Every write here is synced (the host file, the manifest): in memory
     * the hundreds of runs of the fault tests take seconds, not minutes. */
    if (!tmp) {
        exhv_fs_info fi;
        if (exhv_fs_info_get("/dev/shm", &fi, &err) == 0 && fi.kind == EXHV_FS_DIR)
            tmp = "/dev/shm";
    }
#endif
    snprintf(t->dir, sizeof(t->dir), "%s/exhv-import-%d-%u", tmp ? tmp : "/tmp", (int)getpid(),
             seq++);
    snprintf(t->host, sizeof(t->host), "%s/host.json", t->dir);
    snprintf(t->uri, sizeof(t->uri), "test:///%s", t->host);
    snprintf(t->windows, sizeof(t->windows), "%s/disks/win11/Windows", t->dir);
    t_fs_rm_tree(t->dir);
    if (exhv_fs_mkdir(t->dir, &err) < 0)
        return -1;
    t_fs_mk(t->dir, "disks");
    t_fs_mk(t->dir, "disks/win11");
    t_fs_mk(t->dir, "disks/win11/Windows");
    t_fs_mk(t->dir, "disks/win11/Windows/System32");
    t_fs_mk(t->dir, "disks/win11/Windows/System32/config");
    t_fs_mk(t->dir, "disks/win11/Windows/SysWOW64");
    t_fs_put(t->dir, "disks/win11/Windows/System32/kernel32.dll", "the guest's kernel32");
    t_fs_put(t->dir, "disks/win11/Windows/System32/nvapi64.dll", "the guest's own nvapi64");
    {
        /* The hive as the simulated host writes it (keys and values in name
         * order): unloaded unchanged, it stays the same file. */
        static const char hive[] =
            "{\"schema\": 1, \"keys\": {\n"
            " \"ControlSet001\\\\Services\\\\nvlddmkm\": {\"Start\": {\"dword\": 4}},\n"
            " \"ControlSet002\\\\Services\\\\Tcpip\": {\"Start\": {\"dword\": 1}},\n"
            " \"Select\": {\"Current\": {\"dword\": 1}, \"Default\": {\"dword\": 1}, "
            "\"LastKnownGood\": {\"dword\": 2}}}}\n";
        exhv_json *h = NULL;
        exhv_buf b = EXHV_BUF_INIT;
        exhv_jw w;
        char p[700];
        if (exhv_json_parse(hive, strlen(hive), &h, &err) < 0)
            return -1;
        exhv_jw_init(&w, &b, 1);
        exhv_jw_value(&w, h);
        exhv_jw_end(&w);
        exhv_json_free(h);
        snprintf(p, sizeof(p), "%s/System32/config/SYSTEM", t->windows);
        if (exhv_fs_write_atomic(p, b.data, b.len, &err) < 0) {
            exhv_buf_release(&b);
            return -1;
        }
        exhv_buf_release(&b);
    }
    /* The store after the guest: its files are newer than the guest's own
     * (so CopyToVmWhenNewer replaces the guest's nvapi64.dll). */
    exhv_sleep_ms(20);
    t_fs_mk(t->dir, "store");
    t_fs_mk(t->dir, "store/FileRepository");
    if (put_package(t->dir, PKG_A, "32.0.15.6094", "v6094") < 0)
        return -1;
    t_fs_mk(t->dir, "store/FileRepository/netrtl.inf_amd64_0c1d2e3f4a5b6c7d");
    t_fs_put(t->dir, "store/FileRepository/netrtl.inf_amd64_0c1d2e3f4a5b6c7d/rtl.sys",
             "an unrelated network driver");

    if (exhv_json_parse(exhv_sim_default_json, exhv_sim_default_json_len, &doc, &err) < 0)
        return -1;
    d = exhv_json_obj_set(doc, "drivers", EXHV_JSON_OBJECT);
    exhv_json_set_str(exhv_json_obj_set(d, "store", EXHV_JSON_NULL), "store");
    exhv_json_set_str(exhv_json_obj_set(exhv_json_obj_set(d, "published", EXHV_JSON_OBJECT),
                                        "oem8.inf", EXHV_JSON_NULL),
                      PKG_A "/nv_dispx.inf");
    d = exhv_json_obj_set(exhv_json_obj_set(doc, "disks", EXHV_JSON_OBJECT), T_IMPORT_VHD,
                          EXHV_JSON_OBJECT);
    d = exhv_json_obj_set(d, "volumes", EXHV_JSON_ARRAY);
    exhv_json_set_bool(exhv_json_obj_set(exhv_json_arr_push(d, EXHV_JSON_OBJECT), "bitlocker",
                                         EXHV_JSON_NULL), 1);
    exhv_json_set_str(exhv_json_obj_set(exhv_json_arr_push(d, EXHV_JSON_OBJECT), "tree",
                                        EXHV_JSON_NULL), "disks/win11");
    reg = (exhv_json *)exhv_json_get(doc, "registry");
    k = key_of(reg, CLS);
    val(k, "InfPath", "sz", "oem8.inf", 0);
    val(k, "DriverVersion", "sz", "32.0.15.6094", 0);
    val(k, "InfSection", "sz", "Section048", 0);
    val(k, "ProviderName", "sz", "NVIDIA", 0);
    multi(key_of(reg, CLS "\\CopyToVmWhenNewer"), "CudaDriverFiles", "nvcuda_loader64.dll",
          "nvcuda.dll");
    multi(key_of(reg, CLS "\\CopyToVmWhenNewerWow64"), "CudaDriverFiles", "nvcuda_loader32.dll",
          "nvcuda.dll");
    k = key_of(reg, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\nvlddmkm");
    val(k, "Type", "dword", NULL, 1);
    val(k, "Start", "dword", NULL, 3);
    val(k, "ErrorControl", "dword", NULL, 0);
    val(k, "Group", "sz", "Video", 0);
    {
        int rc = write_doc(t, doc);
        exhv_json_free(doc);
        return rc;
    }
}

int t_import_update_host(t_import *t)
{
    exhv_json *doc = NULL;
    exhv_error err;
    char *text = NULL, p[700];
    size_t len;
    int rc;
    if (put_package(t->dir, PKG_B, "32.0.15.6603", "v6603") < 0)
        return -1;
    snprintf(p, sizeof(p), "%s/store/FileRepository/" PKG_A, t->dir);
    t_fs_rm_tree(p);
    if (exhv_fs_read_file(t->host, 16u << 20, &text, &len, &err) < 0 ||
        exhv_json_parse(text, len, &doc, &err) < 0) {
        free(text);
        return -1;
    }
    free(text);
    exhv_json_set_str(exhv_json_obj_set((exhv_json *)exhv_json_get(exhv_json_get(doc, "drivers"),
                                                                   "published"),
                                        "oem8.inf", EXHV_JSON_NULL),
                      PKG_B "/nv_dispx.inf");
    set_gpu_version(doc, "32.0.15.6603");
    /* Windows keeps the installed driver's version in its class key too. */
    {
        exhv_json *reg = (exhv_json *)exhv_json_get(doc, "registry");
        val(key_of(reg, CLS), "DriverVersion", "sz", "32.0.15.6603", 0);
    }
    rc = write_doc(t, doc);
    exhv_json_free(doc);
    return rc;
}

static void dump(exhv_buf *b, const char *dir, const char *rel, int with_times)
{
    char **names = NULL;
    size_t n = 0;
    exhv_error err;
    if (exhv_fs_list(dir, &names, &n, &err) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char p[1024], r[1024], *data = NULL;
        size_t len = 0;
        exhv_fs_info fi;
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        snprintf(r, sizeof(r), "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        exhv_fs_info_get(p, &fi, &err);
        if (fi.kind == EXHV_FS_DIR) {
            exhv_buf_printf(b, "%s/ %s\n", r, fi.readonly ? "ro" : "rw");
            dump(b, p, r, with_times);
        } else if (fi.kind == EXHV_FS_FILE) {
            exhv_fs_read_file(p, 1 << 20, &data, &len, &err);
            exhv_buf_printf(b, "%s %s", r, fi.readonly ? "ro" : "rw");
            if (with_times)
                exhv_buf_printf(b, " %lld", (long long)fi.mtime);
            exhv_buf_printf(b, " [%s]\n", data ? data : "?");
            free(data);
        } else {
            exhv_buf_printf(b, "%s other\n", r);
        }
    }
    exhv_strv_free(names, n);
}

void t_import_guest(const t_import *t, int with_times, exhv_buf *out)
{
    char p[700];
    snprintf(p, sizeof(p), "%s/disks", t->dir);
    exhv_buf_reset(out);
    dump(out, p, "", with_times);
}

void t_import_remove(t_import *t)
{
    t_fs_rm_tree(t->dir);
}

int t_import_run(t_import *t, int purge)
{
    exhv_conn *c = NULL;
    exhv_host *h = NULL;
    exhv_plan p;
    exhv_report r;
    exhv_error err;
    const exhv_vm *vm;
    exhv_import_opts o = {0, 0};
    int rc = -1;
    exhv_plan_init(&p);
    if (exhv_conn_open(t->uri, &c, &err) < 0 || exhv_snapshot_take(c, &h, &err) < 0 ||
        !(vm = exhv_vm_select(h, T_IMPORT_VM, &err)))
        goto out;
    if ((purge ? exhv_plan_drv_purge(c, h, vm, &p, &err)
               : exhv_plan_drv_import(c, h, vm, exhv_gpu_select(h, "RTX 4070", &err), &o, &p,
                                      &err)) < 0)
        goto out;
    rc = exhv_plan_execute(c, &p, NULL, NULL, &r);
    exhv_report_release(&r);
out:
    exhv_plan_release(&p);
    exhv_host_free(h);
    exhv_conn_close(c);
    return rc;
}
