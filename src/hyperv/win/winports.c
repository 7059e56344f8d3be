/* hyperv:/// : the port operations over the local Windows host. */
#include <windows.h>

#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/i18n.h"
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
                           ? exhv_tr("the namespace ROOT\\virtualization\\v2 does not exist "
                                     "(running under Wine, which has no Hyper-V)")
                           : exhv_tr("the namespace ROOT\\virtualization\\v2 does not exist "
                                     "(the Hyper-V feature is not installed)"));
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

/* The plan in progress, in one machine-wide place, as the lock is. The
 * folder was made or checked by exhv_win_open. */
static const char *win_journal_path(void *ctx)
{
    winctx *c = ctx;
    return c->journal;
}

/* Administrators and SYSTEM: the principals that may own the record and
 * write it (an elevated exhv acts on what it says). */
static int trusted_sid(PSID sid)
{
    return sid && IsValidSid(sid) &&
           (IsWellKnownSid(sid, WinBuiltinAdministratorsSid) ||
            IsWellKnownSid(sid, WinLocalSystemSid));
}

/* Every right that lets a principal change the folder, its files or its
 * security (generic rights are mapped in a file's ACL, yet may be stored). */
#define WRITE_RIGHTS                                                                       \
    (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES |          \
     FILE_DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL |  \
     MAXIMUM_ALLOWED)

const char *exhv_win_sd_untrusted(const void *desc, const void *also_owner)
{
    PSECURITY_DESCRIPTOR sd = (PSECURITY_DESCRIPTOR)desc;
    PSID owner = NULL;
    PACL dacl = NULL;
    BOOL defaulted, present = FALSE;
    ACL_SIZE_INFORMATION info;
    DWORD i;

    if (!GetSecurityDescriptorOwner(sd, &owner, &defaulted) ||
        !(trusted_sid(owner) ||
          (owner && also_owner && IsValidSid(owner) && EqualSid(owner, (PSID)also_owner))))
        return "it is not owned by Administrators or SYSTEM";
    if (!GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted))
        return "its access list cannot be read";
    if (!present || !dacl)
        return "it has no access list (everyone may change it)";
    if (!GetAclInformation(dacl, &info, sizeof(info), AclSizeInformation))
        return "its access list cannot be read";
    for (i = 0; i < info.AceCount; i++) {
        ACE_HEADER *ace;
        if (!GetAce(dacl, i, (void **)&ace))
            return "its access list cannot be read";
        if (ace->AceFlags & INHERIT_ONLY_ACE)
            continue;   /* for what is made in it, which is checked on its own */
        if (ace->AceType == ACCESS_ALLOWED_ACE_TYPE) {
            ACCESS_ALLOWED_ACE *a = (ACCESS_ALLOWED_ACE *)ace;
            if ((a->Mask & WRITE_RIGHTS) && !trusted_sid((PSID)&a->SidStart))
                return "its access list lets accounts other than Administrators and SYSTEM "
                       "change it";
        } else if (ace->AceType != ACCESS_DENIED_ACE_TYPE) {
            return "its access list has entries exhv does not check";
        }
    }
    return NULL;
}

/* This process's user, into buf (a TOKEN_USER); NULL when unknown. */
static PSID process_user(void *buf, DWORD size)
{
    HANDLE tok;
    DWORD got = 0;
    PSID sid = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return NULL;
    if (GetTokenInformation(tok, TokenUser, buf, size, &got))
        sid = ((TOKEN_USER *)buf)->User.Sid;
    CloseHandle(tok);
    return sid;
}

/* The same, read on the handle: the security of the object opened, not of
 * one swapped in after. The record file may also be owned by this process's
 * user: an elevated administrator's new files are, when the policy "Default
 * owner for objects created by members of the Administrators group" is
 * "Object creator"; only SYSTEM and Administrators can create it in the
 * folder, which is checked first. */
static const char *untrusted_why(HANDLE h, int is_file)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    const char *why;
    DWORD user[64];
    PSID me = is_file ? process_user(user, sizeof(user)) : NULL;
    if (GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                        NULL, NULL, NULL, NULL, &sd) != ERROR_SUCCESS)
        return "its owner and permissions cannot be read";
    why = exhv_win_sd_untrusted(sd, me);
    LocalFree(sd);
    return why;
}

static int refuse(exhv_error *err, const wchar_t *path, const char *why)
{
    char *u = exhv_w_to_utf8(path);
    exhv_error_set(err, EXHV_E_FAILED,
                   "%s is not safe to trust: %s. It records a change in progress that exhv "
                   "acts on. As an administrator, check its owner and permissions, or delete "
                   "it if no exhv change was left half-done; nothing was changed",
                   u ? u : exhv_tr("the record's folder"), why);
    free(u);
    return -1;
}

/* Open an existing object for its security only, never through a link. */
static HANDLE open_for_security(const wchar_t *path)
{
    return CreateFileW(path, READ_CONTROL, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_EXISTING,
                       FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
}

static int check_object(const wchar_t *path, int want_dir, exhv_error *err)
{
    BY_HANDLE_FILE_INFORMATION fi;
    const char *why;
    HANDLE h = open_for_security(path);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (!want_dir && (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND))
            return 0;   /* no record: nothing to trust */
        refuse(err, path, "it cannot be opened to read its owner and permissions");
        exhv_error_platform(err, EXHV_PLAT_WIN32, e, NULL);
        return -1;
    }
    if (!GetFileInformationByHandle(h, &fi))
        why = "its attributes cannot be read";
    else if (fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
        why = "it is a link (junction or symbolic link), not a plain folder or file";
    else if (!want_dir != !(fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
        why = want_dir ? "it is not a folder" : "it is a folder";
    else if (exhv_wine_version())
        why = NULL;   /* Wine keeps no owner or DACL on files: nothing to check */
    else
        why = untrusted_why(h, !want_dir);
    CloseHandle(h);
    return why ? refuse(err, path, why) : 0;
}

int exhv_win_journal_sd(void **sd)
{
    /* Owner Administrators; SYSTEM and Administrators only; not inherited. */
    static const wchar_t sddl[] = L"O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";
    *sd = NULL;
    return ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, sd, NULL)
               ? 0
               : -1;
}

int exhv_win_journal_dir(const char *dir, exhv_error *err)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, FALSE};
    wchar_t *w = exhv_utf8_to_w(dir), *file = NULL;
    int rc = -1;

    if (!w)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    if (exhv_win_journal_sd(&sa.lpSecurityDescriptor) < 0) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot build the security of %s", dir);
        exhv_error_platform(err, EXHV_PLAT_WIN32, GetLastError(), NULL);
        goto out;
    }
    /* Made here, it is as the SDDL says. A token that may not name
     * Administrators as owner (not elevated) leaves it to one that may:
     * with no folder there is no record to read, and writing one fails. */
    if (CreateDirectoryW(w, &sa) || GetLastError() != ERROR_ALREADY_EXISTS) {
        rc = 0;
        goto out;
    }
    if (check_object(w, 1, err) < 0)
        goto out;
    file = malloc((wcslen(w) + 16) * sizeof(wchar_t));
    if (!file) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    wcscpy(file, w);
    wcscat(file, L"\\journal.json");
    rc = check_object(file, 0, err);
out:
    LocalFree(sa.lpSecurityDescriptor);
    free(file);
    free(w);
    return rc;
}

/* %ProgramData%\\exhv, made or checked before anything reads the record. */
static int win_journal_init(winctx *c, exhv_error *err)
{
    wchar_t dir[MAX_PATH];
    char *u;
    DWORD n = GetEnvironmentVariableW(L"ProgramData", dir, MAX_PATH - 32);
    if (n == 0 || n >= MAX_PATH - 32)
        return 0;   /* no machine-wide place: no record */
    wcscat(dir, L"\\exhv");
    if (!(u = exhv_w_to_utf8(dir)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    if (exhv_win_journal_dir(u, err) < 0) {
        free(u);
        return -1;
    }
    free(u);
    wcscat(dir, L"\\journal.json");
    if (!(c->journal = exhv_w_to_utf8(dir)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    return 0;
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
    if (win_journal_init(c, err) < 0) {
        win_close(c);
        return -1;
    }
    *ops = &win_ops;
    *ctx = c;
    return 0;
}
