/* hyperv:/// : the port operations over the local Windows host. */
#include <windows.h>

#include <stdlib.h>
#include <wchar.h>

#include "hyperv/win/winports.h"
#include "platform/win32/utf16.h"

#define WBEM_E_INVALID_NAMESPACE 0x8004100EUL

typedef struct winctx {
    exhv_wbem *v2;        /* ROOT\virtualization\v2, once opened */
    exhv_wbem *cimv2;     /* ROOT\CIMV2, for system facts */
    unsigned long queries;
    char *journal;        /* %ProgramData%\exhv\journal.json */
} winctx;

static int win_sys_read(void *ctx, exhv_sysinfo *out, exhv_error *err)
{
    winctx *c = ctx;
    exhv_error ignored;
    /* Without ROOT\CIMV2 the API fallbacks still give the essentials. */
    if (!c->cimv2)
        exhv_wbem_connect("ROOT\\CIMV2", &c->cimv2, &ignored);
    return exhv_win_sysinfo(c->cimv2, out, err);
}

static int win_wmi_open(void *ctx, exhv_error *err)
{
    winctx *c = ctx;
    if (c->v2)
        return 0;
    if (exhv_wbem_connect("ROOT\\virtualization\\v2", &c->v2, err) == 0)
        return 0;
    if (err->plat_code == WBEM_E_INVALID_NAMESPACE) {
        unsigned long code = err->plat_code;
        exhv_error_set(err, EXHV_E_NO_HYPERV, "%s",
                       exhv_wine_version()
                           ? "the namespace ROOT\\virtualization\\v2 does not exist (running "
                             "under Wine, which has no Hyper-V)"
                           : "the namespace ROOT\\virtualization\\v2 does not exist (the "
                             "Hyper-V feature is not installed)");
        exhv_error_platform(err, EXHV_PLAT_HRESULT, code, "WBEM_E_INVALID_NAMESPACE");
        return -2;
    }
    return -1;
}

static int win_wmi_query(void *ctx, const char *wql, exhv_wmi_objs *out, exhv_error *err)
{
    winctx *c = ctx;
    if (!c->v2)
        return exhv_error_set(err, EXHV_E_NO_HYPERV, "Hyper-V is not connected");
    c->queries++;
    return exhv_wbem_query(c->v2, wql, out, err);
}

static int win_wmi_exec(void *ctx, const char *path, const char *method, const exhv_wmi_obj *in,
                        exhv_wmi_obj *out, exhv_error *err)
{
    winctx *c = ctx;
    if (!c->v2)
        return exhv_error_set(err, EXHV_E_NO_HYPERV, "Hyper-V is not connected");
    return exhv_wbem_exec(c->v2, path, method, in, out, err);
}

static int win_wmi_get(void *ctx, const char *path, exhv_wmi_obj *out, exhv_error *err)
{
    winctx *c = ctx;
    if (!c->v2)
        return exhv_error_set(err, EXHV_E_NO_HYPERV, "Hyper-V is not connected");
    return exhv_wbem_get(c->v2, path, out, err);
}

static unsigned long win_wmi_query_count(void *ctx)
{
    return ((winctx *)ctx)->queries;
}

static int win_pnp_list(void *ctx, exhv_pnp_dev **out, size_t *count, exhv_error *err)
{
    (void)ctx;
    return exhv_win_pnp_list(out, count, err);
}

static int win_reg_get(void *ctx, const char *key, const char *value, exhv_regval *out,
                       exhv_error *err)
{
    (void)ctx;
    return exhv_win_reg_get(key, value, out, err);
}

static int win_pnp_set_enabled(void *ctx, const char *instance_id, int enable, exhv_error *err)
{
    (void)ctx;
    return exhv_win_pnp_set_enabled(instance_id, enable, err);
}

static int win_reg_set_dword(void *ctx, const char *key, const char *value, uint32_t data,
                             exhv_error *err)
{
    (void)ctx;
    return exhv_win_reg_set_dword(key, value, data, err);
}

static int win_reg_delete(void *ctx, const char *key, const char *value, exhv_error *err)
{
    (void)ctx;
    return exhv_win_reg_delete(key, value, err);
}

static int win_reg_set(void *ctx, const char *key, const char *value, const exhv_regval *v,
                       exhv_error *err)
{
    (void)ctx;
    return exhv_win_reg_set(key, value, v, err);
}

static int win_hive_load(void *ctx, const char *file, const char *name, exhv_error *err)
{
    (void)ctx;
    return exhv_win_hive_load(file, name, err);
}

static int win_hive_unload(void *ctx, const char *name, exhv_error *err)
{
    (void)ctx;
    return exhv_win_hive_unload(name, err);
}

static int win_drv_inf_location(void *ctx, const char *published, char **path, exhv_error *err)
{
    (void)ctx;
    return exhv_win_drv_inf_location(published, path, err);
}

static int win_reg_list(void *ctx, const char *key, char ***values, size_t *nvalues,
                        char ***subkeys, size_t *nsubkeys, exhv_error *err)
{
    (void)ctx;
    return exhv_win_reg_list(key, values, nvalues, subkeys, nsubkeys, err);
}

static int win_vhd_attach(void *ctx, const char *vhd, void **disk, exhv_error *err)
{
    (void)ctx;
    return exhv_win_vhd_attach(vhd, disk, err);
}

static int win_vhd_windows(void *ctx, void *disk, char **windows, int *bitlocker,
                           exhv_error *err)
{
    (void)ctx;
    return exhv_win_vhd_windows(disk, windows, bitlocker, err);
}

static int win_vhd_detach(void *ctx, void *disk, exhv_error *err)
{
    (void)ctx;
    return exhv_win_vhd_detach(disk, err);
}

/* One lock for the machine's Hyper-V, whatever the session. */
static const char *win_lock_name(void *ctx)
{
    (void)ctx;
    return "hyperv-local";
}

/* The plan in progress, in one machine-wide place, as the lock is. */
static const char *win_journal_path(void *ctx)
{
    winctx *c = ctx;
    wchar_t dir[MAX_PATH];
    DWORD n;
    if (c->journal)
        return c->journal;
    n = GetEnvironmentVariableW(L"ProgramData", dir, MAX_PATH - 32);
    if (n == 0 || n >= MAX_PATH - 32)
        return NULL;
    wcscat(dir, L"\\exhv");
    CreateDirectoryW(dir, NULL);   /* already there is fine */
    wcscat(dir, L"\\journal.json");
    c->journal = exhv_w_to_utf8(dir);
    return c->journal;
}

static void win_close(void *ctx)
{
    winctx *c = ctx;
    if (!c)
        return;
    free(c->journal);
    exhv_wbem_close(c->v2);
    exhv_wbem_close(c->cimv2);
    free(c);
}

static const exhv_ports_ops win_ops = {
    .name = "windows",
    .sys_read = win_sys_read,
    .wmi_open = win_wmi_open,
    .wmi_query = win_wmi_query,
    .wmi_exec = win_wmi_exec,
    .wmi_get = win_wmi_get,
    .wmi_query_count = win_wmi_query_count,
    .pnp_list = win_pnp_list,
    .reg_get = win_reg_get,
    .pnp_set_enabled = win_pnp_set_enabled,
    .reg_set_dword = win_reg_set_dword,
    .reg_delete = win_reg_delete,
    .reg_set = win_reg_set,
    .hive_load = win_hive_load,
    .hive_unload = win_hive_unload,
    .drv_inf_location = win_drv_inf_location,
    .reg_list = win_reg_list,
    .vhd_attach = win_vhd_attach,
    .vhd_windows = win_vhd_windows,
    .vhd_detach = win_vhd_detach,
    .lock_name = win_lock_name,
    .journal_path = win_journal_path,
    .close = win_close,
};

int exhv_win_open(const exhv_ports_ops **ops, void **ctx, exhv_error *err)
{
    winctx *c = calloc(1, sizeof(*c));
    if (!c)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    *ops = &win_ops;
    *ctx = c;
    return 0;
}
