/* The hive port of the simulated host: an offline SYSTEM hive is a file,
 * loaded under HKLM\<name>, read and written with its value types, written
 * back and unloaded; faults leave the host as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <process.h>
#define getpid _getpid
#else
#include <unistd.h>
#endif

#include "hyperv/ports.h"
#include "hyperv/sim/sim.h"
#include "platform/fs.h"
#include "t.h"

static const char hive_text[] =
    "{\"schema\": 1, \"keys\": {\n"
    "  \"Select\": {\"Current\": {\"dword\": 1}, \"Default\": {\"dword\": 1},"
    " \"LastKnownGood\": {\"dword\": 2}},\n"
    "  \"ControlSet001\\\\Services\\\\BasicDisplay\": {\"Start\": {\"dword\": 3},"
    " \"ImagePath\": {\"sz\": \"\\\\SystemRoot\\\\System32\\\\drivers\\\\BasicDisplay.sys\"},"
    " \"DependOnService\": {\"multi_sz\": [\"a\", \"b\"]}, \"Blob\": {\"binary\": \"00ff10\"},"
    " \"Big\": {\"qword\": 4294967296}},\n"
    "  \"ControlSet002\": {}\n"
    "}}\n";

static void hive_path(char *out, size_t n)
{
    const char *t = getenv("TMPDIR");
#ifdef _WIN32
    if (!t)
        t = getenv("TEMP");
#endif
    snprintf(out, n, "%s/exhv-hive-%d.json", t ? t : "/tmp", (int)getpid());
}

static int open_sim(const exhv_ports_ops **ops, void **ctx)
{
    exhv_error err;
    return exhv_sim_open_default(ops, ctx, &err);
}

static void test_hive_values_keep_their_types(void)
{
    const exhv_ports_ops *ops = NULL;
    void *ctx = NULL;
    exhv_error err;
    exhv_regval v = {0};
    exhv_regval sz = {EXHV_REG_SZ, 0, NULL, NULL, 0};
    char file[512];
    exhv_buf before = EXHV_BUF_INIT, after = EXHV_BUF_INIT;

    hive_path(file, sizeof(file));
    CHECK(exhv_fs_write_atomic(file, hive_text, strlen(hive_text), &err) == 0);
    CHECK(open_sim(&ops, &ctx) == 0);
    if (!ctx)
        return;
    CHECK(exhv_sim_state(ctx, &before) == 0);
    CHECK(ops->hive_load(ctx, file, "exhv-guest", &err) == 0);
    CHECK(ops->reg_get(ctx, "HKLM\\exhv-guest\\Select", "LastKnownGood", &v, &err) == 0);
    CHECK(v.type == EXHV_REG_DWORD && v.num == 2);
    exhv_regval_release(&v);
    CHECK(ops->reg_get(ctx, "HKLM\\exhv-guest\\ControlSet001\\Services\\BasicDisplay", "Big", &v,
                       &err) == 0);
    CHECK(v.type == EXHV_REG_QWORD && v.num == 4294967296ull);
    exhv_regval_release(&v);
    CHECK(ops->reg_get(ctx, "HKLM\\exhv-guest\\ControlSet001\\Services\\BasicDisplay",
                       "DependOnService", &v, &err) == 0);
    CHECK(v.type == EXHV_REG_MULTI_SZ && v.len == 5 && memcmp(v.str, "a\0b\0", 5) == 0);
    exhv_regval_release(&v);
    /* Loaded twice: refused, as RegLoadKey refuses. */
    CHECK(ops->hive_load(ctx, file, "exhv-guest", &err) < 0);
    /* A new key with a string value, written back on unload. */
    sz.str = "\\SystemRoot\\System32\\HostDriverStore\\FileRepository\\p\\x.sys";
    sz.len = strlen(sz.str) + 1;
    CHECK(ops->reg_set(ctx, "HKLM\\exhv-guest\\ControlSet002\\Services\\x", "ImagePath", &sz,
                       &err) == 1);
    CHECK(ops->hive_unload(ctx, "exhv-guest", &err) == 0);
    CHECK(ops->reg_get(ctx, "HKLM\\exhv-guest\\Select", "Current", &v, &err) == -2);
    /* The host is as before the load: the hive's keys left with it. */
    CHECK(exhv_sim_state(ctx, &after) == 0);
    CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
    /* Loaded again: what was written is there, with its type; the other
     * values too. */
    CHECK(ops->hive_load(ctx, file, "exhv-guest", &err) == 0);
    CHECK(ops->reg_get(ctx, "HKLM\\exhv-guest\\ControlSet002\\Services\\x", "ImagePath", &v,
                       &err) == 0);
    CHECK(v.type == EXHV_REG_SZ);
    CHECK_STR(v.str, sz.str);
    exhv_regval_release(&v);
    CHECK(ops->reg_get(ctx, "HKLM\\exhv-guest\\ControlSet001\\Services\\BasicDisplay", "Blob", &v,
                       &err) == 0);
    CHECK(v.type == EXHV_REG_BINARY && v.len == 3 && v.bin[1] == 0xff);
    exhv_regval_release(&v);
    CHECK(ops->hive_unload(ctx, "exhv-guest", &err) == 0);
    ops->close(ctx);
    exhv_fs_remove(file, &err);
    exhv_buf_release(&before);
    exhv_buf_release(&after);
}

static void test_hive_faults_leave_the_host_as_it_was(void)
{
    const exhv_ports_ops *ops = NULL;
    void *ctx = NULL;
    exhv_error err;
    exhv_regval v = {0};
    char file[512], *data = NULL;
    size_t len;
    exhv_buf before = EXHV_BUF_INIT, after = EXHV_BUF_INIT;

    hive_path(file, sizeof(file));
    CHECK(exhv_fs_write_atomic(file, hive_text, strlen(hive_text), &err) == 0);
    CHECK(open_sim(&ops, &ctx) == 0);
    if (!ctx)
        return;
    CHECK(exhv_sim_state(ctx, &before) == 0);
    exhv_sim_inject_fault(ctx, "hive_load", 1, 5, 0);
    CHECK(ops->hive_load(ctx, file, "exhv-guest", &err) < 0);
    CHECK(exhv_sim_state(ctx, &after) == 0);
    CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
    /* A failed unload keeps the hive loaded; the next one unloads it. */
    exhv_sim_inject_fault(ctx, "hive_unload", 1, 5, 0);
    CHECK(ops->hive_load(ctx, file, "exhv-guest", &err) == 0);
    CHECK(ops->hive_unload(ctx, "exhv-guest", &err) < 0);
    CHECK(ops->reg_get(ctx, "HKLM\\exhv-guest\\Select", "Current", &v, &err) == 0);
    exhv_regval_release(&v);
    CHECK(ops->hive_unload(ctx, "exhv-guest", &err) == 0);
    exhv_buf_reset(&after);
    CHECK(exhv_sim_state(ctx, &after) == 0);
    CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
    /* A file that is not a hive: refused, nothing loaded. */
    CHECK(exhv_fs_write_atomic(file, "{\"keys\": 1}", 11, &err) == 0);
    CHECK(ops->hive_load(ctx, file, "exhv-guest", &err) < 0);
    CHECK(strstr(err.message, "not a registry hive") != NULL);
    exhv_buf_reset(&after);
    CHECK(exhv_sim_state(ctx, &after) == 0);
    CHECK_STR(exhv_buf_str(&after), exhv_buf_str(&before));
    CHECK(exhv_fs_read_file(file, 1024, &data, &len, &err) == 0);
    free(data);
    ops->close(ctx);
    exhv_fs_remove(file, &err);
    exhv_buf_release(&before);
    exhv_buf_release(&after);
}

T_CASES(hive_tests) = {
    {"hive_values_keep_their_types", test_hive_values_keep_their_types},
    {"hive_faults_leave_the_host_as_it_was", test_hive_faults_leave_the_host_as_it_was},
    T_END,
};
