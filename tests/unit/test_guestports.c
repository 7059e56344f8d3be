/* The simulated drivers and vhd ports on a scenario file with folders
 * beside it: a published INF found in the driver store, a class key's
 * values and subkeys listed, a VM disk attached, its Windows volume found,
 * a running VM's disk and a BitLocker-like volume refused, detach always
 * possible; a host from text says it has no such folders. */
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
#include "hyperv/diag.h"
#include "hyperv/ports.h"
#include "hyperv/sim/sim.h"
#include "platform/fs.h"
#include "platform/tree.h"
#include "t.h"
#include "t_fs.h"

#define rm_tree t_fs_rm_tree
#define mk(rel) t_fs_mk(dir, rel)
#define put(rel, text) t_fs_put(dir, rel, text)

static char dir[512];

static const char scenario[] =
    "{\"schema\": 1, \"host\": {\"build\": 26100},\n"
    " \"drivers\": {\"store\": \"store\", \"published\": {\"oem35.inf\": "
    "\"nv_dispx.inf_amd64_0123abcd/nv_dispx.inf\"}},\n"
    " \"disks\": {\"C:\\\\VMs\\\\win11.vhdx\": {\"volumes\": [{\"bitlocker\": true}, {\"tree\": "
    "\"disks/efi\"}, {\"tree\": \"disks/win11\"}]},\n"
    "           \"C:\\\\VMs\\\\run.vhdx\": {\"volumes\": [{\"tree\": \"disks/win11\"}]},\n"
    "           \"C:\\\\VMs\\\\locked.vhdx\": {\"volumes\": [{\"bitlocker\": true}]},\n"
    "           \"C:\\\\VMs\\\\two.vhdx\": {\"volumes\": [{\"tree\": \"disks/win11\"}, {\"tree\": "
    "\"disks/win11\"}]}},\n"
    " \"registry\": {\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Class\\\\{4d36e968-e325-11ce-bfc1-08002be10318}\\\\0000\": "
    "{\"InfPath\": {\"sz\": \"oem35.inf\"}},\n"
    "  \"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Class\\\\{4d36e968-e325-11ce-bfc1-08002be10318}\\\\0000\\\\CopyToVmWhenNewer\": "
    "{\"CudaDriverFiles\": {\"multi_sz\": [\"nvcuda_loader64.dll\", \"nvcuda.dll\"]}}},\n"
    " \"wmi\": {\"Msvm_ComputerSystem\": [{\"Name\": \"11111111-2222-3333-4444-555555555555\", "
    "\"ElementName\": \"running\", \"EnabledState\": 2}],\n"
    "  \"Msvm_StorageAllocationSettingData\": [{\"InstanceID\": "
    "\"Microsoft:11111111-2222-3333-4444-555555555555\\\\disk0\", \"ResourceType\": 31, "
    "\"HostResource\": [\"C:\\\\VMs\\\\run.vhdx\"]}]}}\n";

static int open_scenario(const exhv_ports_ops **ops, void **ctx)
{
    char path[1024];
    exhv_error err;
    const char *t = getenv("TMPDIR");
#ifdef _WIN32
    if (!t)
        t = getenv("TEMP");
#endif
    snprintf(dir, sizeof(dir), "%s/exhv-guestports-%d", t ? t : "/tmp", (int)getpid());
    exhv_fs_mkdir(dir, &err);
    mk("store");
    mk("store/FileRepository");
    mk("store/FileRepository/nv_dispx.inf_amd64_0123abcd");
    put("store/FileRepository/nv_dispx.inf_amd64_0123abcd/nv_dispx.inf", "[Version]\n");
    mk("disks");
    mk("disks/efi");
    mk("disks/win11");
    mk("disks/win11/Windows");
    mk("disks/win11/Windows/System32");
    mk("disks/win11/Windows/System32/config");
    put("disks/win11/Windows/System32/config/SYSTEM", "{\"schema\": 1, \"keys\": {}}\n");
    put("host.json", scenario);
    snprintf(path, sizeof(path), "%s/host.json", dir);
    if (exhv_sim_open_file(path, ops, ctx, &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    return 0;
}

static void test_guestports_driver_store_and_class_key(void)
{
    const exhv_ports_ops *ops;
    void *ctx = NULL;
    exhv_error err;
    char *p = NULL, **vals = NULL, **subs = NULL;
    size_t nv = 0, ns = 0;
    exhv_fs_info fi;
    const char *key = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\"
                      "{4d36e968-e325-11ce-bfc1-08002be10318}\\0000";
    CHECK(open_scenario(&ops, &ctx) == 0);
    if (!ctx)
        return;
    CHECK(ops->drv_inf_location(ctx, "OEM35.INF", &p, &err) == 0);
    CHECK(p && strstr(p, "/store/FileRepository/nv_dispx.inf_amd64_0123abcd/nv_dispx.inf"));
    CHECK(p && exhv_fs_info_get(p, &fi, &err) == 0 && fi.kind == EXHV_FS_FILE);
    free(p);
    CHECK(ops->drv_inf_location(ctx, "oem99.inf", &p, &err) == -2);
    CHECK(ops->reg_list(ctx, key, &vals, &nv, &subs, &ns, &err) == 0);
    CHECK_INT(nv, 1);
    CHECK_STR(nv ? vals[0] : NULL, "InfPath");
    CHECK_INT(ns, 1);
    CHECK_STR(ns ? subs[0] : NULL, "CopyToVmWhenNewer");
    exhv_strv_free(vals, nv);
    exhv_strv_free(subs, ns);
    CHECK(ops->reg_list(ctx, "HKLM\\SYSTEM\\Nope", &vals, &nv, &subs, &ns, &err) == -2);
    /* A key with only subkeys exists. */
    CHECK(ops->reg_list(ctx, "HKLM\\SYSTEM\\CurrentControlSet", &vals, &nv, &subs, &ns, &err) == 0);
    CHECK_INT(nv, 0);
    CHECK_STR(ns ? subs[0] : NULL, "Control");
    exhv_strv_free(vals, nv);
    exhv_strv_free(subs, ns);
    ops->close(ctx);
    /* The strict reader: a field of the wrong type is refused with its
     * place. */
    put("bad.json", "{\"schema\": 1, \"host\": {\"build\": 26100}, \"disks\": "
                    "{\"x.vhdx\": {\"volumes\": [{\"bitlocker\": \"yes\"}]}}}");
    {
        char path[1024];
        snprintf(path, sizeof(path), "%s/bad.json", dir);
        CHECK(exhv_sim_open_file(path, &ops, &ctx, &err) < 0);
        CHECK(strstr(err.message, "disks[\"x.vhdx\"].volumes[0].bitlocker") != NULL);
    }
    rm_tree(dir);
}

static void test_guestports_vhd_attach_find_detach(void)
{
    const exhv_ports_ops *ops;
    void *ctx = NULL, *disk = NULL, *other = NULL;
    exhv_error err;
    char *w = NULL;
    int bitlocker = 0;
    CHECK(open_scenario(&ops, &ctx) == 0);
    if (!ctx)
        return;
    CHECK(ops->vhd_attach(ctx, "C:\\VMs\\win11.vhdx", &disk, &err) == 0);
    /* Attached already: the file is open. */
    CHECK(ops->vhd_attach(ctx, "C:\\VMs\\win11.vhdx", &other, &err) < 0);
    CHECK(err.plat_code == 32);
    CHECK(ops->vhd_windows(ctx, disk, &w, &bitlocker, &err) == 0);
    CHECK(w && strstr(w, "/disks/win11/Windows") != NULL);
    CHECK(bitlocker == 1);
    free(w);
    CHECK(ops->vhd_detach(ctx, disk, &err) == 0);
    /* Detached: it can be attached again. A failed detach keeps it
     * attached, and the next one succeeds. */
    CHECK(ops->vhd_attach(ctx, "C:\\VMs\\win11.vhdx", &disk, &err) == 0);
    exhv_sim_inject_fault(ctx, "vhd_detach", exhv_sim_call_count(ctx, "vhd_detach") + 1, 5, 0);
    CHECK(ops->vhd_detach(ctx, disk, &err) < 0);
    CHECK(ops->vhd_attach(ctx, "C:\\VMs\\win11.vhdx", &other, &err) < 0);
    CHECK(ops->vhd_detach(ctx, disk, &err) == 0);
    /* A running VM's disk. */
    CHECK(ops->vhd_attach(ctx, "C:\\VMs\\run.vhdx", &disk, &err) < 0);
    CHECK(strstr(err.message, "running VM 'running'") != NULL);
    /* Only a volume without a file system: probably BitLocker. */
    CHECK(ops->vhd_attach(ctx, "C:\\VMs\\locked.vhdx", &disk, &err) == 0);
    CHECK(ops->vhd_windows(ctx, disk, &w, &bitlocker, &err) == -2);
    CHECK(bitlocker == 1 && strstr(err.message, "BitLocker") != NULL);
    CHECK(ops->vhd_detach(ctx, disk, &err) == 0);
    /* Two Windows volumes: refused. */
    CHECK(ops->vhd_attach(ctx, "C:\\VMs\\two.vhdx", &disk, &err) == 0);
    CHECK(ops->vhd_windows(ctx, disk, &w, &bitlocker, &err) < 0);
    CHECK(err.code == EXHV_E_AMBIGUOUS);
    CHECK(ops->vhd_detach(ctx, disk, &err) == 0);
    CHECK(ops->vhd_attach(ctx, "C:\\VMs\\none.vhdx", &disk, &err) < 0);
    ops->close(ctx);
    /* A host from text has no folders (the built-in one has: test_default_tree.c). */
    CHECK(exhv_sim_open_text(scenario, strlen(scenario), "text", &ops, &ctx, &err) == 0);
    CHECK(ops->drv_inf_location(ctx, "oem35.inf", &w, &err) < 0);
    CHECK(err.code == EXHV_E_UNSUPPORTED);
    ops->close(ctx);
    rm_tree(dir);
}

/* exhv diag records what driver import reads of a display adapter's class
 * key: InfPath, InfSection, ProviderName and the CopyToVm* subkeys, so that
 * a replayed host has them. */
static void test_guestports_diag_records_driver_reads(void)
{
    static const char text[] =
        "{\"schema\": 1, \"host\": {\"build\": 26100},\n"
        " \"pnp\": [{\"instance_id\": \"PCI\\\\VEN_10DE&DEV_2684\\\\4&1&0&0008\", \"class\": "
        "\"Display\", \"driver\": \"{4d36e968-e325-11ce-bfc1-08002be10318}\\\\0000\"}],\n"
        " \"registry\": {\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Class\\\\"
        "{4d36e968-e325-11ce-bfc1-08002be10318}\\\\0000\": {\"InfPath\": {\"sz\": \"oem35.inf\"}, "
        "\"InfSection\": {\"sz\": \"Section048\"}},\n"
        "  \"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Class\\\\"
        "{4d36e968-e325-11ce-bfc1-08002be10318}\\\\0000\\\\CopyToVmWhenNewer\": "
        "{\"CudaDriverFiles\": {\"multi_sz\": [\"nvcuda_loader64.dll\", \"nvcuda.dll\"]}}}}\n";
    exhv_conn c;
    exhv_error err;
    exhv_buf out = EXHV_BUF_INIT;
    exhv_diag_info info;
    exhv_json *doc = NULL;
    const exhv_json *reg, *k, *v;
    const char *cls = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\"
                      "{4d36e968-e325-11ce-bfc1-08002be10318}\\0000";
    char sub[256];
    memset(&c, 0, sizeof(c));
    memset(&info, 0, sizeof(info));
    c.uri = "test:///unit";
    c.simulated = 1;
    CHECK(exhv_sim_open_text(text, sizeof(text) - 1, "unit", &c.ops, &c.ctx, &err) == 0);
    if (!c.ctx)
        return;
    CHECK(exhv_diag_collect(&c, 0, &out, &info, &err) == 0);
    CHECK(exhv_json_parse(exhv_buf_str(&out), out.len, &doc, &err) == 0);
    reg = exhv_json_get(doc, "registry");
    k = exhv_json_get(reg, cls);
    CHECK_STR(exhv_json_get_str(exhv_json_get(k, "InfPath"), "sz"), "oem35.inf");
    CHECK_STR(exhv_json_get_str(exhv_json_get(k, "InfSection"), "sz"), "Section048");
    snprintf(sub, sizeof(sub), "%s\\CopyToVmWhenNewer", cls);
    v = exhv_json_get(exhv_json_get(exhv_json_get(reg, sub), "CudaDriverFiles"), "multi_sz");
    CHECK(v && v->type == EXHV_JSON_ARRAY && v->count == 2 &&
          strcmp(v->items[1].str, "nvcuda.dll") == 0);
    exhv_json_free(doc);
    exhv_buf_release(&out);
    c.ops->close(c.ctx);
}

T_CASES(guestports_tests) = {
    {"guestports_driver_store_and_class_key", test_guestports_driver_store_and_class_key},
    {"guestports_vhd_attach_find_detach", test_guestports_vhd_attach_find_detach},
    {"guestports_diag_records_driver_reads", test_guestports_diag_records_driver_reads},
    T_END,
};
