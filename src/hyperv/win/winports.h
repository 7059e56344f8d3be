/* The real ports: COM WMI, SetupAPI/CfgMgr32, the registry, system facts.
 * Windows only. */
#ifndef EXHV_WINPORTS_H
#define EXHV_WINPORTS_H

#include "hyperv/ports.h"

/* Open the local host (hyperv:///). Connecting to Hyper-V itself is
 * deferred to wmi_open so that a host without Hyper-V still reports its
 * system facts and devices. */
int exhv_win_open(const exhv_ports_ops **ops, void **ctx, exhv_error *err);

/* The folder of the record of a change in progress (dir, UTF-8): made with
 * a protected DACL (SYSTEM and Administrators, owner Administrators), or,
 * when it exists, trusted only if it and its journal.json are plain (no
 * link), owned by Administrators or SYSTEM and writable by nobody else.
 * 0, or -1 with a message that says what to check. Under Wine, whose files
 * carry no Windows owner or DACL (Wine 8 makes them up from the Unix mode),
 * only links and types are checked. */
int exhv_win_journal_dir(const char *dir, exhv_error *err);
/* A security descriptor (in memory) is trusted when it is owned by
 * Administrators, SYSTEM or also_owner (may be NULL) and its DACL lets
 * nobody else write: NULL, or why not. */
const char *exhv_win_sd_untrusted(const void *sd, const void *also_owner);
/* The descriptor the folder is made with; LocalFree it. 0 or -1. */
int exhv_win_journal_sd(void **sd);

/* ---- COM WMI plumbing (com.c) ---- */
typedef struct exhv_wbem exhv_wbem;
/* Connect to a namespace such as "ROOT\\CIMV2". Returns 0, or -1 with the
 * HRESULT in err (plat_code). */
int exhv_wbem_connect(const char *ns, exhv_wbem **out, exhv_error *err);
void exhv_wbem_close(exhv_wbem *w);
int exhv_wbem_query(exhv_wbem *w, const char *wql, exhv_wmi_objs *out, exhv_error *err);
/* Run a method on an object or class path with in-parameters from `in`
 * (NULL for none); out receives the out-parameters. */
int exhv_wbem_exec(exhv_wbem *w, const char *path, const char *method, const exhv_wmi_obj *in,
                   exhv_wmi_obj *out, exhv_error *err);
/* A VARIANT as WMI hands a property over, with its CIMTYPE (0 unknown), as
 * a value (exposed for the tests under Wine). 0 or -1. */
struct tagVARIANT;
int exhv_wbem_variant_value(const struct tagVARIANT *var, long cim, exhv_value *out);
/* Read one object by path (GetObject). -2 when WMI says it does not exist. */
int exhv_wbem_get(exhv_wbem *w, const char *path, exhv_wmi_obj *out, exhv_error *err);
/* Record an HRESULT failure: err gets `what`, the code and its text. */
int exhv_hresult_error(exhv_error *err, unsigned long hr, const char *what);

/* ---- the other ports ---- */
int exhv_win_pnp_list(exhv_pnp_dev **out, size_t *count, exhv_error *err);
int exhv_win_reg_get(const char *key, const char *value, exhv_regval *out, exhv_error *err);
int exhv_win_reg_set_dword(const char *key, const char *value, uint32_t data, exhv_error *err);
int exhv_win_reg_delete(const char *key, const char *value, exhv_error *err);
/* A value of any type; 1 when the key was created, else 0, or -1. */
int exhv_win_reg_set(const char *key, const char *value, const exhv_regval *v, exhv_error *err);
/* Load a hive file as HKLM\name with SeBackupPrivilege and SeRestorePrivilege
 * enabled (RegLoadKeyW); unload it (RegUnLoadKeyW). */
int exhv_win_hive_load(const char *file, const char *name, exhv_error *err);
int exhv_win_hive_unload(const char *name, exhv_error *err);
/* The drivers and vhd ports (guest.c). */
int exhv_win_drv_inf_location(const char *published, char **path, exhv_error *err);
int exhv_win_reg_list(const char *key, char ***values, size_t *nvalues, char ***subkeys,
                      size_t *nsubkeys, exhv_error *err);
int exhv_win_vhd_attach(const char *vhd, void **disk, exhv_error *err);
int exhv_win_vhd_windows(void *disk, char **windows, int *bitlocker, exhv_error *err);
int exhv_win_vhd_detach(void *disk, exhv_error *err);
int exhv_win_pnp_set_enabled(const char *instance_id, int enable, exhv_error *err);
/* System facts; cimv2 may be NULL (then only the API fallbacks are used). */
int exhv_win_sysinfo(exhv_wbem *cimv2, exhv_sysinfo *out, exhv_error *err);
/* Wine's version when running under Wine (static string), else NULL. Calls
 * that abort the process under Wine are refused when this is non-NULL. */
const char *exhv_wine_version(void);

#endif
