/* The real Windows ports, run under Wine: the COM WMI plumbing against
 * ROOT\CIMV2 and StdRegProv, the registry port, SetupAPI enumeration,
 * system facts, and the refusal of ROOT\virtualization\v2. */
#include <windows.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oleauto.h>
#include <sddl.h>
#include <wbemidl.h>

#include "hyperv/win/winports.h"
#include "platform/fs.h"
#include "platform/lock.h"
#include "platform/tree.h"
#include "platform/win32/utf16.h"

static int passed, failed, current;

#define CHECK(c)                                                                          \
    do {                                                                                  \
        if (!(c)) {                                                                       \
            current++;                                                                    \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c);       \
        }                                                                                 \
    } while (0)

static void run(const char *name, void (*fn)(void))
{
    current = 0;
    fn();
    if (current) {
        failed++;
        fprintf(stderr, "FAIL %s\n", name);
    } else {
        passed++;
    }
}

static void t_wmi_query_cimv2(void)
{
    exhv_wbem *w = NULL;
    exhv_wmi_objs l = {0};
    exhv_error err;
    CHECK(exhv_wbem_connect("ROOT\\CIMV2", &w, &err) == 0);
    if (!w)
        return;
    CHECK(exhv_wbem_query(w, "SELECT * FROM Win32_OperatingSystem", &l, &err) == 0);
    CHECK(l.count == 1);
    if (l.count) {
        CHECK(exhv_wmi_str(&l.items[0], "Caption") != NULL);
        CHECK(l.items[0].path && strstr(l.items[0].path, "Win32_OperatingSystem"));
    }
    exhv_wmi_objs_release(&l);
    /* A malformed query is an error with its HRESULT, not a crash. */
    CHECK(exhv_wbem_query(w, "SELEC nonsense", &l, &err) < 0);
    CHECK(err.plat_kind == EXHV_PLAT_HRESULT && err.plat_code != 0);
    exhv_wbem_close(w);
}

/* ExecMethod with in- and out-parameters: write a value with the registry
 * API, read it back through StdRegProv.GetStringValue. */
static void t_wmi_exec_stdregprov(void)
{
    static const wchar_t *key = L"Software\\exhv-test";
    const char *name = "测试机 'quoted' \"value\"";
    wchar_t *wname = exhv_utf8_to_w(name);
    exhv_wbem *w = NULL;
    exhv_wmi_obj in = {0}, out = {0};
    exhv_error err;
    HKEY h;

    CHECK(RegCreateKeyExW(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_SET_VALUE, NULL, &h, NULL) ==
          ERROR_SUCCESS);
    CHECK(RegSetValueExW(h, L"Name", 0, REG_SZ, (const BYTE *)wname,
                         (DWORD)((wcslen(wname) + 1) * sizeof(wchar_t))) == ERROR_SUCCESS);
    RegCloseKey(h);
    free(wname);

    CHECK(exhv_wbem_connect("ROOT\\DEFAULT", &w, &err) == 0);
    if (!w)
        return;
    exhv_wmi_set_int(&in, "hDefKey", 0x80000001LL);  /* HKEY_CURRENT_USER */
    exhv_wmi_set_str(&in, "sSubKeyName", "Software\\exhv-test");
    exhv_wmi_set_str(&in, "sValueName", "Name");
    CHECK(exhv_wbem_exec(w, "StdRegProv", "GetStringValue", &in, &out, &err) == 0);
    CHECK(exhv_wmi_int(&out, "ReturnValue", -1) == 0);
    if (exhv_wmi_str(&out, "sValue"))
        CHECK(strcmp(exhv_wmi_str(&out, "sValue"), name) == 0);
    else
        CHECK(!"sValue missing");
    exhv_wmi_obj_release(&out);
    /* An unknown method is reported, not crashed on. */
    CHECK(exhv_wbem_exec(w, "StdRegProv", "NoSuchMethod", NULL, &out, &err) < 0);
    exhv_wmi_obj_release(&in);
    exhv_wbem_close(w);
}

static void t_registry_port(void)
{
    exhv_regval v = {0};
    exhv_error err;
    HKEY h;
    DWORD dw = 0;
    ULONGLONG qw = 12ull << 30;
    CHECK(RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\exhv-test", 0, NULL, 0, KEY_SET_VALUE,
                          NULL, &h, NULL) == ERROR_SUCCESS);
    RegSetValueExW(h, L"Dword", 0, REG_DWORD, (const BYTE *)&dw, sizeof(dw));
    RegSetValueExW(h, L"Qword", 0, REG_QWORD, (const BYTE *)&qw, sizeof(qw));
    RegSetValueExW(h, L"Multi", 0, REG_MULTI_SZ, (const BYTE *)L"a\0bc\0", 6 * sizeof(wchar_t));
    RegCloseKey(h);
    CHECK(exhv_win_reg_get("HKCU\\Software\\exhv-test", "Dword", &v, &err) == 0);
    CHECK(v.type == EXHV_REG_DWORD && v.num == 0);
    exhv_regval_release(&v);
    CHECK(exhv_win_reg_get("HKCU\\Software\\exhv-test", "Qword", &v, &err) == 0);
    CHECK(v.type == EXHV_REG_QWORD && v.num == qw);
    exhv_regval_release(&v);
    CHECK(exhv_win_reg_get("HKCU\\Software\\exhv-test", "Multi", &v, &err) == 0);
    CHECK(v.type == EXHV_REG_MULTI_SZ && v.str && strcmp(v.str, "a") == 0 &&
          strcmp(v.str + 2, "bc") == 0);
    exhv_regval_release(&v);
    CHECK(exhv_win_reg_get("HKCU\\Software\\exhv-test", "Absent", &v, &err) == -2);
    CHECK(exhv_win_reg_get("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV",
                           "RequireSecureDeviceAssignment", &v, &err) == -2);
    CHECK(exhv_win_reg_get("NOPE\\x", "y", &v, &err) == -1);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test");
}

/* The write side the policy steps use: setting a value says whether it
 * made the key; deleting with no value name removes the key only when it is
 * empty. */
static void t_registry_write(void)
{
    exhv_regval v = {0};
    exhv_error err;
    const char *key = "HKCU\\Software\\exhv-test-write";
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test-write");
    CHECK(exhv_win_reg_set_dword(key, "A", 0, &err) == 1);
    CHECK(exhv_win_reg_set_dword(key, "B", 7, &err) == 0);
    CHECK(exhv_win_reg_get(key, "B", &v, &err) == 0 && v.type == EXHV_REG_DWORD && v.num == 7);
    exhv_regval_release(&v);
    CHECK(exhv_win_reg_delete(key, "A", &err) == 0);
    CHECK(exhv_win_reg_delete(key, NULL, &err) == 0);   /* B is left: the key stays */
    {
        HKEY h = NULL;
        CHECK(RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\exhv-test-write", 0, KEY_READ, &h) ==
              ERROR_SUCCESS);
        if (h)
            RegCloseKey(h);
    }
    CHECK(exhv_win_reg_get(key, "B", &v, &err) == 0);
    exhv_regval_release(&v);
    CHECK(exhv_win_reg_delete(key, "B", &err) == 0);
    CHECK(exhv_win_reg_delete(key, NULL, &err) == 0);   /* empty: gone */
    {
        HKEY h = NULL;
        CHECK(RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\exhv-test-write", 0, KEY_READ, &h) ==
              ERROR_FILE_NOT_FOUND);
        if (h)
            RegCloseKey(h);
    }
    CHECK(exhv_win_reg_set_dword(key, "A", 0, &err) == 1);
    CHECK(exhv_win_reg_delete(key, "A", &err) == 0);
    CHECK(exhv_win_reg_delete(key, NULL, &err) == 0);
    CHECK(exhv_win_reg_delete(key, NULL, &err) == 0);   /* absent is fine */
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test-write");
}

/* Typed writes keep their types through RegSetValueExW and back. */
static void t_registry_typed_write(void)
{
    exhv_regval v = {0}, w;
    exhv_error err;
    unsigned char bin[3] = {0, 0xff, 0x10};
    const char *key = "HKCU\\Software\\exhv-test-typed\\Sub";
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test-typed");
    memset(&w, 0, sizeof(w));
    w.type = EXHV_REG_SZ;
    w.str = "\\SystemRoot\\System32\\HostDriverStore\\测试.sys";
    w.len = strlen(w.str) + 1;
    CHECK(exhv_win_reg_set(key, "ImagePath", &w, &err) == 1);
    CHECK(exhv_win_reg_get(key, "ImagePath", &v, &err) == 0 && v.type == EXHV_REG_SZ &&
          strcmp(v.str, w.str) == 0);
    exhv_regval_release(&v);
    /* REG_EXPAND_SZ stays REG_EXPAND_SZ both ways. */
    w.type = EXHV_REG_EXPAND_SZ;
    w.str = "%SystemRoot%\\System32\\x.sys";
    w.len = strlen(w.str) + 1;
    CHECK(exhv_win_reg_set(key, "Expand", &w, &err) == 0);
    CHECK(exhv_win_reg_get(key, "Expand", &v, &err) == 0 && v.type == EXHV_REG_EXPAND_SZ &&
          strcmp(v.str, w.str) == 0);
    exhv_regval_release(&v);
    {
        DWORD type = 0;
        CHECK(RegGetValueW(HKEY_CURRENT_USER, L"Software\\exhv-test-typed\\Sub", L"Expand",
                           RRF_RT_ANY | RRF_NOEXPAND, &type, NULL, NULL) == ERROR_SUCCESS &&
              type == REG_EXPAND_SZ);
    }
    w.type = EXHV_REG_MULTI_SZ;
    w.str = "a\0bc\0";
    w.len = 6;
    CHECK(exhv_win_reg_set(key, "Multi", &w, &err) == 0);
    CHECK(exhv_win_reg_get(key, "Multi", &v, &err) == 0 && v.type == EXHV_REG_MULTI_SZ &&
          strcmp(v.str, "a") == 0 && strcmp(v.str + 2, "bc") == 0);
    exhv_regval_release(&v);
    w.type = EXHV_REG_QWORD;
    w.num = 4294967296ull;
    CHECK(exhv_win_reg_set(key, "Q", &w, &err) == 0);
    CHECK(exhv_win_reg_get(key, "Q", &v, &err) == 0 && v.type == EXHV_REG_QWORD &&
          v.num == 4294967296ull);
    exhv_regval_release(&v);
    w.type = EXHV_REG_BINARY;
    w.bin = bin;
    w.len = 3;
    CHECK(exhv_win_reg_set(key, "B", &w, &err) == 0);
    CHECK(exhv_win_reg_get(key, "B", &v, &err) == 0 && v.type == EXHV_REG_BINARY && v.len == 3 &&
          v.bin[1] == 0xff);
    exhv_regval_release(&v);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test-typed");
}

/* A hive saved with RegSaveKeyW, loaded as HKLM\name with the privileges
 * enabled, read, and unloaded; under Wine the file is Wine's own format,
 * not a real Windows hive. Loading it twice is refused. */
static void t_hive_load_unload(void)
{
    exhv_regval v = {0};
    exhv_error err;
    wchar_t dir[MAX_PATH], file[MAX_PATH];
    char file8[MAX_PATH * 3];
    HKEY h = NULL;
    DWORD d = 5;
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test-hive");
    GetTempPathW(MAX_PATH, dir);
    swprintf(file, MAX_PATH, L"%lsexhv-hive-%lu.dat", dir, (unsigned long)GetCurrentProcessId());
    DeleteFileW(file);
    WideCharToMultiByte(CP_UTF8, 0, file, -1, file8, sizeof(file8), NULL, NULL);
    CHECK(RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\exhv-test-hive", 0, NULL, 0, KEY_ALL_ACCESS,
                          NULL, &h, NULL) == ERROR_SUCCESS);
    if (!h)
        return;
    RegSetValueExW(h, L"Current", 0, REG_DWORD, (const BYTE *)&d, sizeof(d));
    {
        /* RegSaveKeyW needs SeBackupPrivilege enabled too. */
        HANDLE tok;
        TOKEN_PRIVILEGES tp;
        tp.PrivilegeCount = 1;
        tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
        if (OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &tok)) {
            if (LookupPrivilegeValueW(NULL, L"SeBackupPrivilege", &tp.Privileges[0].Luid))
                AdjustTokenPrivileges(tok, FALSE, &tp, sizeof(tp), NULL, NULL);
            CloseHandle(tok);
        }
    }
    {
        LSTATUS st = RegSaveKeyW(h, file, NULL);
        if (st != ERROR_SUCCESS)
            fprintf(stderr, "  RegSaveKeyW: %ld\n", (long)st);
        CHECK(st == ERROR_SUCCESS);
    }
    RegCloseKey(h);
    CHECK(exhv_win_hive_load(file8, "exhv-test-guest", &err) == 0);
    CHECK(exhv_win_reg_get("HKLM\\exhv-test-guest", "Current", &v, &err) == 0 &&
          v.type == EXHV_REG_DWORD && v.num == 5);
    exhv_regval_release(&v);
    CHECK(exhv_win_hive_load(file8, "exhv-test-guest", &err) < 0);
    CHECK(exhv_win_hive_unload("exhv-test-guest", &err) == 0);
    CHECK(exhv_win_reg_get("HKLM\\exhv-test-guest", "Current", &v, &err) == -2);
    /* Unloaded already, or never loaded: nothing to unload, said as such. */
    CHECK(exhv_win_hive_unload("exhv-test-guest", &err) < 0 && err.code == EXHV_E_NOT_FOUND);
    CHECK(exhv_win_hive_unload("exhv-never-loaded", &err) < 0 && err.code == EXHV_E_NOT_FOUND);
    CHECK(exhv_win_hive_load(file8, "a\\b", &err) < 0);
    DeleteFileW(file);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test-hive");
}

/* The guest's Windows folder is \\?\Volume{GUID}\Windows and the copy joins
 * names to it with '/': under \\?\ the file API does not turn '/' into '\'
 * (learn.microsoft.com, "Naming Files, Paths, and Namespaces"), so exhv
 * does, in every file call. Here a \\?\C:\... temp folder stands in. */
static void t_fs_long_prefix_paths(void)
{
    exhv_error err;
    wchar_t tmp[MAX_PATH], dirw[MAX_PATH + 64];
    char dir[MAX_PATH * 3 + 64], file[sizeof(dir) + 32], *data = NULL;
    char sub[sizeof(dir) + 16], sub2[sizeof(dir) + 16];
    size_t len = 0;
    exhv_fs_info info;
    GetTempPathW(MAX_PATH, tmp);
    swprintf(dirw, MAX_PATH + 64, L"\\\\?\\%lsexhv-prefix-%lu", tmp,
             (unsigned long)GetCurrentProcessId());
    CHECK(CreateDirectoryW(dirw, NULL) || GetLastError() == ERROR_ALREADY_EXISTS);
    WideCharToMultiByte(CP_UTF8, 0, dirw, -1, dir, sizeof(dir), NULL, NULL);
    snprintf(file, sizeof(file), "%s/exhv-manifest.json", dir);
    CHECK(exhv_fs_write_atomic(file, "{\"a\":1}", 7, &err) == 0);
    CHECK(exhv_fs_info_get(file, &info, &err) == 0 && info.kind == EXHV_FS_FILE &&
          info.size == 7);
    CHECK(exhv_fs_read_file(file, 100, &data, &len, &err) == 0 && len == 7 &&
          strcmp(data, "{\"a\":1}") == 0);
    free(data);
    data = NULL;
    CHECK(exhv_fs_read_file(dir, 100, &data, &len, &err) < 0 && err.code == EXHV_E_IO &&
          strstr(err.message, "a directory"));
    /* A folder is moved as well as a file (MoveFileExW refuses
     * MOVEFILE_REPLACE_EXISTING for a folder on Windows, not under Wine). */
    snprintf(sub, sizeof(sub), "%s/pkg", dir);
    snprintf(sub2, sizeof(sub2), "%s/pkg.old", dir);
    CHECK(exhv_fs_mkdir(sub, &err) == 0);
    CHECK(exhv_fs_rename(sub, sub2, &err) == 0);
    CHECK(exhv_fs_info_get(sub2, &info, &err) == 0 && info.kind == EXHV_FS_DIR);
    CHECK(exhv_fs_rmdir(sub2, &err) == 0);
    CHECK(exhv_fs_remove(file, &err) == 0);
    CHECK(exhv_fs_info_get(file, &info, &err) == 0 && info.kind == EXHV_FS_NONE);
    CHECK(exhv_fs_read_file(file, 100, &data, &len, &err) < 0 && err.code == EXHV_E_NOT_FOUND);
    CHECK(RemoveDirectoryW(dirw));
}

/* The drivers port: a key's value and subkey names; the driver store asked
 * for a package it does not have (Wine's SetupAPI may lack the call: then
 * exhv says so, and never crashes). */
static void t_drivers_port(void)
{
    exhv_error err;
    char **v = NULL, **s = NULL, *path = (char *)"untouched";
    size_t nv = 0, ns = 0;
    HKEY h = NULL;
    DWORD d = 1;
    int rc;
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test-list");
    CHECK(RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\exhv-test-list\\CopyToVmWhenNewer", 0, NULL,
                          0, KEY_ALL_ACCESS, NULL, &h, NULL) == ERROR_SUCCESS);
    if (h)
        RegCloseKey(h);
    CHECK(RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\exhv-test-list", 0, KEY_ALL_ACCESS, &h) ==
          ERROR_SUCCESS);
    if (h) {
        RegSetValueExW(h, L"InfPath", 0, REG_DWORD, (const BYTE *)&d, sizeof(d));
        RegCloseKey(h);
    }
    CHECK(exhv_win_reg_list("HKCU\\Software\\exhv-test-list", &v, &nv, &s, &ns, &err) == 0);
    CHECK(nv == 1 && strcmp(v[0], "InfPath") == 0);
    CHECK(ns == 1 && strcmp(s[0], "CopyToVmWhenNewer") == 0);
    for (size_t i = 0; i < nv; i++)
        free(v[i]);
    for (size_t i = 0; i < ns; i++)
        free(s[i]);
    free(v);
    free(s);
    CHECK(exhv_win_reg_list("HKCU\\Software\\exhv-test-absent", &v, &nv, &s, &ns, &err) == -2);
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\exhv-test-list");
    rc = exhv_win_drv_inf_location("oem9999.inf", &path, &err);
    if (!(rc == -2 || (rc == -1 && err.code == EXHV_E_UNSUPPORTED)))
        fprintf(stderr, "  rc %d code %d: %s (%lu)\n", rc, (int)err.code, err.message, err.plat_code);
    CHECK(rc == -2 || (rc == -1 && err.code == EXHV_E_UNSUPPORTED));
    CHECK(strcmp(path, "untouched") == 0);
}

/* VirtDisk's attach aborts the process under Wine: exhv refuses instead. */
static void t_vhd_refused_under_wine(void)
{
    exhv_error err;
    void *disk = NULL;
    CHECK(exhv_win_vhd_attach("C:\\VMs\\win11.vhdx", &disk, &err) == -1);
    CHECK(err.code == EXHV_E_UNSUPPORTED && strstr(err.message, "Wine") != NULL);
    CHECK(disk == NULL);
    CHECK(exhv_win_vhd_detach(NULL, &err) == 0);
}

static void t_no_hyperv_namespace(void)
{
    const exhv_ports_ops *ops;
    void *ctx;
    exhv_error err;
    exhv_sysinfo s = {0};
    CHECK(exhv_win_open(&ops, &ctx, &err) == 0);
    CHECK(ops->wmi_open(ctx, &err) == -2);
    CHECK(err.code == EXHV_E_NO_HYPERV && err.plat_code == 0x8004100EUL);
    CHECK(strstr(err.message, "Wine") != NULL);
    CHECK(ops->sys_read(ctx, &s, &err) == 0);
    CHECK(s.build > 0 && s.os_caption[0] && s.computer_name[0]);
    CHECK(s.wine_version != NULL);
    exhv_sysinfo_release(&s);
    ops->close(ctx);
}

static void t_pnp_enumeration(void)
{
    exhv_pnp_dev *list = NULL;
    size_t n = 99;
    exhv_error err;
    CHECK(exhv_win_pnp_list(&list, &n, &err) == 0);
    for (size_t i = 0; i < n; i++) {
        CHECK(list[i].instance_id && (strncmp(list[i].instance_id, "PCI", 3) == 0));
        exhv_pnp_dev_release(&list[i]);
    }
    free(list);
}

/* SAFEARRAYs of VT_VARIANT are read element by element into VARIANTs (no
 * overflow), arrays of objects are left out (no reference leaked), and a
 * uint32 of 2^31 or more, which WMI hands over as VT_I4, reads unsigned. */
static void t_variants(void)
{
    VARIANT v;
    exhv_value out;
    SAFEARRAY *sa;
    LONG i;

    VariantInit(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = -1;
    CHECK(exhv_wbem_variant_value(&v, CIM_UINT32, &out) == 0 && out.type == EXHV_V_INT &&
          out.i == 4294967295LL);
    CHECK(exhv_wbem_variant_value(&v, CIM_SINT32, &out) == 0 && out.i == -1);

    sa = SafeArrayCreateVector(VT_VARIANT, 0, 2);
    for (i = 0; i < 2; i++) {
        VARIANT e;
        VariantInit(&e);
        V_VT(&e) = VT_BSTR;
        V_BSTR(&e) = SysAllocString(i ? L"second value, long enough to overflow" : L"first");
        SafeArrayPutElement(sa, &i, &e);
        VariantClear(&e);
    }
    V_VT(&v) = VT_ARRAY | VT_VARIANT;
    V_ARRAY(&v) = sa;
    memset(&out, 0, sizeof(out));
    CHECK(exhv_wbem_variant_value(&v, CIM_STRING | CIM_FLAG_ARRAY, &out) == 0);
    CHECK(out.type == EXHV_V_STRS && out.n == 2);
    if (out.type == EXHV_V_STRS && out.n == 2) {
        CHECK(strcmp(out.strs[0], "first") == 0);
        CHECK(strcmp(out.strs[1], "second value, long enough to overflow") == 0);
    }
    exhv_value_release(&out);
    VariantClear(&v);

    sa = SafeArrayCreateVector(VT_VARIANT, 0, 1);
    i = 0;
    {
        VARIANT e;
        VariantInit(&e);
        V_VT(&e) = VT_I4;
        V_I4(&e) = (LONG)0x80000001UL;
        SafeArrayPutElement(sa, &i, &e);
    }
    V_VT(&v) = VT_ARRAY | VT_VARIANT;
    V_ARRAY(&v) = sa;
    CHECK(exhv_wbem_variant_value(&v, CIM_UINT32 | CIM_FLAG_ARRAY, &out) == 0);
    CHECK(out.type == EXHV_V_INTS && out.n == 1 && out.ints[0] == 0x80000001LL);
    exhv_value_release(&out);
    VariantClear(&v);

    sa = SafeArrayCreateVector(VT_UNKNOWN, 0, 1);
    V_VT(&v) = VT_ARRAY | VT_UNKNOWN;
    V_ARRAY(&v) = sa;
    CHECK(exhv_wbem_variant_value(&v, CIM_OBJECT | CIM_FLAG_ARRAY, &out) == 0 &&
          out.type == EXHV_V_NULL);
    VariantClear(&v);

    /* A real64[] (or datetime[]) is left unread, as a single real is: it
     * must not fail the object it is in (that failed the whole query). */
    sa = SafeArrayCreateVector(VT_R8, 0, 2);
    V_VT(&v) = VT_ARRAY | VT_R8;
    V_ARRAY(&v) = sa;
    CHECK(exhv_wbem_variant_value(&v, CIM_REAL64 | CIM_FLAG_ARRAY, &out) == 0 &&
          out.type == EXHV_V_NULL);
    exhv_value_release(&out);
    VariantClear(&v);
}

/* A value read from WMI keeps its CIM type, and 64-bit integers, which WMI
 * hands over as strings, read as numbers: a default setting sent back to
 * Hyper-V is typed as the live class says. */
static void t_variant_types(void)
{
    VARIANT v;
    exhv_value out;
    SAFEARRAY *sa;
    LONG i = 0;
    BSTR b;

    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(L"18446744073709551615");
    CHECK(exhv_wbem_variant_value(&v, CIM_UINT64, &out) == 0 && out.type == EXHV_V_INT &&
          (uint64_t)out.i == UINT64_MAX && out.cim == EXHV_CIM_UINT64);
    VariantClear(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = 3;
    CHECK(exhv_wbem_variant_value(&v, CIM_UINT16, &out) == 0 && out.cim == EXHV_CIM_UINT16);
    sa = SafeArrayCreateVector(VT_BSTR, 0, 1);
    b = SysAllocString(L"1000000000000");
    SafeArrayPutElement(sa, &i, b);
    SysFreeString(b);
    V_VT(&v) = VT_ARRAY | VT_BSTR;
    V_ARRAY(&v) = sa;
    CHECK(exhv_wbem_variant_value(&v, CIM_UINT64 | CIM_FLAG_ARRAY, &out) == 0 &&
          out.type == EXHV_V_INTS && out.n == 1 && out.ints[0] == 1000000000000LL &&
          out.cim == EXHV_CIM_UINT64);
    exhv_value_release(&out);
    VariantClear(&v);
}

/* Every WBEM_E_* code the ports can meet has words (FormatMessage has none). */
static void t_wbem_texts(void)
{
    static const unsigned long codes[] = {0x80041001UL, 0x80041005UL, 0x80041009UL,
                                          0x8004100CUL, 0x80041014UL, 0x80041030UL,
                                          0x80041033UL, 0x80041045UL, 0x800706BAUL};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        exhv_error err;
        exhv_hresult_error(&err, codes[i], "x");
        if (!err.plat_text[0])
            fprintf(stderr, "  no text for 0x%08lX\n", codes[i]);
        CHECK(err.plat_text[0] != '\0');
    }
}

/* The host lock is a Global\ mutex: one per machine, across sessions. */
static void t_global_lock(void)
{
    exhv_lock *l = NULL;
    exhv_error err;
    HANDLE h;
    CHECK(exhv_lock_acquire("hyperv-local-test", &l, &err) == 0);
    h = OpenMutexW(SYNCHRONIZE, FALSE, L"Global\\exhv-lock-hyperv-local-test");
    CHECK(h != NULL);
    if (h)
        CloseHandle(h);
    exhv_lock_release(l);
}

/* A lock mutex made by another process whose token gives this one only
 * SYNCHRONIZE on it (an elevated exhv, a service): CreateMutexW is refused
 * MUTEX_ALL_ACCESS, yet the lock is still waited on through OpenMutexW. */
static HANDLE acl_steps[4];
static DWORD WINAPI acl_holder(void *arg)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), arg, FALSE};
    HANDLE m = CreateMutexW(&sa, TRUE, L"Global\\exhv-lock-acl-test");
    SetEvent(acl_steps[0]);
    WaitForSingleObject(acl_steps[1], 10000);
    if (m)
        ReleaseMutex(m);
    SetEvent(acl_steps[2]);
    WaitForSingleObject(acl_steps[3], 10000);
    if (m)
        CloseHandle(m);
    return 0;
}

static void t_lock_limited_access(void)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    exhv_lock *l = NULL;
    exhv_error err;
    HANDLE th;

    /* Everyone: SYNCHRONIZE only. */
    CHECK(ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:(A;;0x00100000;;;WD)",
                                                               SDDL_REVISION_1, &sd, NULL));
    for (int i = 0; i < 4; i++)
        acl_steps[i] = CreateEventW(NULL, FALSE, FALSE, NULL);
    th = CreateThread(NULL, 0, acl_holder, sd, 0, NULL);
    WaitForSingleObject(acl_steps[0], 10000);
    /* Held: the answer is "another exhv", not "cannot create the lock". */
    memset(&err, 0, sizeof(err));
    CHECK(exhv_lock_acquire("acl-test", &l, &err) < 0);
    CHECK(err.code == EXHV_E_BUSY);
    if (err.code != EXHV_E_BUSY)
        fprintf(stderr, "  got: %s\n", err.message);
    exhv_lock_release(l);
    l = NULL;
    SetEvent(acl_steps[1]);
    WaitForSingleObject(acl_steps[2], 10000);
    /* Open but not held: taken. */
    CHECK(exhv_lock_acquire("acl-test", &l, &err) == 0);
    exhv_lock_release(l);
    SetEvent(acl_steps[3]);
    WaitForSingleObject(th, 10000);
    CloseHandle(th);
    for (int i = 0; i < 4; i++)
        CloseHandle(acl_steps[i]);
    LocalFree(sd);
}

/* ---- the folder of the record of a change in progress ---- */

/* Wine keeps no owner or DACL on files, so the descriptors are checked in
 * memory: the one a folder is made with, and ones others could have made. */
static void t_journal_sd_protected(void)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PSID owner = NULL;
    PACL dacl = NULL;
    BOOL present = FALSE, defaulted;
    SECURITY_DESCRIPTOR_CONTROL ctl = 0;
    DWORD rev;
    int sy = 0, ba = 0, other = 0;
    char u[MAX_PATH * 3];
    wchar_t tmp[MAX_PATH], w[MAX_PATH];
    exhv_error err;

    CHECK(exhv_win_journal_sd(&sd) == 0);
    CHECK(GetSecurityDescriptorOwner(sd, &owner, &defaulted));
    CHECK(owner && IsWellKnownSid(owner, WinBuiltinAdministratorsSid));
    CHECK(GetSecurityDescriptorControl(sd, &ctl, &rev) && (ctl & SE_DACL_PROTECTED));
    CHECK(GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) && present && dacl);
    for (DWORD i = 0; dacl && i < dacl->AceCount; i++) {
        ACCESS_ALLOWED_ACE *a;
        if (!GetAce(dacl, i, (void **)&a) || a->Header.AceType != ACCESS_ALLOWED_ACE_TYPE ||
            a->Mask != FILE_ALL_ACCESS ||
            a->Header.AceFlags != (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE))
            other++;
        else if (IsWellKnownSid((PSID)&a->SidStart, WinLocalSystemSid))
            sy++;
        else if (IsWellKnownSid((PSID)&a->SidStart, WinBuiltinAdministratorsSid))
            ba++;
        else
            other++;
    }
    CHECK(sy == 1 && ba == 1 && other == 0);
    CHECK(exhv_win_sd_untrusted(sd, NULL) == NULL);
    LocalFree(sd);

    /* The folder is made, and found again (under Wine: links and types). */
    GetTempPathW(MAX_PATH, tmp);
    swprintf(w, MAX_PATH, L"%lsexhv-jdir-%lu", tmp, (unsigned long)GetCurrentProcessId());
    WideCharToMultiByte(CP_UTF8, 0, w, -1, u, (int)sizeof(u), NULL, NULL);
    RemoveDirectoryW(w);
    memset(&err, 0, sizeof(err));
    CHECK(exhv_win_journal_dir(u, &err) == 0);
    CHECK(GetFileAttributesW(w) & FILE_ATTRIBUTE_DIRECTORY);
    CHECK(exhv_win_journal_dir(u, &err) == 0);
    RemoveDirectoryW(w);
}

static void untrusted(const wchar_t *sddl, const char *want)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    const char *why;
    CHECK(ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL));
    why = sd ? exhv_win_sd_untrusted(sd, NULL) : "";
    if (want) {
        CHECK(why && strstr(why, want));
        if (!why || !strstr(why, want))
            fprintf(stderr, "  %ls: got %s\n", sddl, why ? why : "trusted");
    } else {
        CHECK(why == NULL);
        if (why)
            fprintf(stderr, "  %ls: got %s\n", sddl, why);
    }
    LocalFree(sd);
}

static void t_journal_sd_refused(void)
{
    const char *others = "other than Administrators and SYSTEM";
    /* A folder Everyone may write: a planted record. */
    untrusted(L"O:BAD:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;OICI;FA;;;WD)", others);
    /* A record Everyone may rewrite, in any folder. */
    untrusted(L"O:BAD:P(A;;FA;;;BA)(A;;FW;;;WD)", others);
    /* What a folder an ordinary user made in %ProgramData% inherits. */
    untrusted(L"O:S-1-5-21-1-2-3-1001D:(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)"
              L"(A;OICI;0x1200a9;;;BU)(A;CI;0x2;;;BU)",
              "not owned by Administrators or SYSTEM");
    /* The same, handed to Administrators, still lets Users add files. */
    untrusted(L"O:BAD:(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)"
              L"(A;OICI;0x1200a9;;;BU)(A;CI;0x2;;;BU)",
              others);
    /* One right is enough: changing the DACL or taking ownership. */
    untrusted(L"O:BAD:P(A;;FA;;;BA)(A;;WD;;;AU)", others);
    untrusted(L"O:BAD:P(A;;FA;;;BA)(A;;WO;;;AU)", others);
    untrusted(L"O:BAD:P(A;;FA;;;BA)(A;;GA;;;BU)", others);
    /* No DACL: everyone has every right. */
    untrusted(L"O:BA", "no access list");
    /* An owner that is an ordinary account may rewrite the DACL. */
    untrusted(L"O:BUD:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)", "not owned by Administrators or SYSTEM");
    /* Trusted: SYSTEM or Administrators own it, others only read, and an
     * entry only handed down (CREATOR OWNER) does not apply to it. */
    untrusted(L"O:SYD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)", NULL);
    untrusted(L"O:BAD:P(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)(D;;FA;;;AN)", NULL);
}

/* The record exhv itself wrote, owned by the administrator who ran it (the
 * "Object creator" owner policy), is trusted when that is this process's
 * user, and not otherwise. */
static void t_journal_owner_self(void)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PSID me = NULL, other = NULL;
    CHECK(ConvertStringSecurityDescriptorToSecurityDescriptorW(
        L"O:S-1-5-21-1-2-3-1001D:P(A;;FA;;;SY)(A;;FA;;;BA)", SDDL_REVISION_1, &sd, NULL));
    CHECK(ConvertStringSidToSidW(L"S-1-5-21-1-2-3-1001", &me));
    CHECK(ConvertStringSidToSidW(L"S-1-5-21-1-2-3-1002", &other));
    if (sd && me && other) {
        const char *why = exhv_win_sd_untrusted(sd, NULL);
        CHECK(why && strstr(why, "not owned"));
        CHECK(exhv_win_sd_untrusted(sd, me) == NULL);
        why = exhv_win_sd_untrusted(sd, other);
        CHECK(why && strstr(why, "not owned"));
    }
    LocalFree(other);
    LocalFree(me);
    LocalFree(sd);
}

int main(void)
{
    run("win/wmi_query_cimv2", t_wmi_query_cimv2);
    run("win/wmi_exec_stdregprov", t_wmi_exec_stdregprov);
    run("win/registry_port", t_registry_port);
    run("win/registry_write", t_registry_write);
    run("win/registry_typed_write", t_registry_typed_write);
    run("win/hive_load_unload", t_hive_load_unload);
    run("win/drivers_port", t_drivers_port);
    run("win/fs_long_prefix_paths", t_fs_long_prefix_paths);
    run("win/vhd_refused_under_wine", t_vhd_refused_under_wine);
    run("win/no_hyperv_namespace", t_no_hyperv_namespace);
    run("win/pnp_enumeration", t_pnp_enumeration);
    run("win/variants", t_variants);
    run("win/journal_owner_self", t_journal_owner_self);
    run("win/variant_types", t_variant_types);
    run("win/wbem_texts", t_wbem_texts);
    run("win/global_lock", t_global_lock);
    run("win/lock_limited_access", t_lock_limited_access);
    run("win/journal_sd_protected", t_journal_sd_protected);
    run("win/journal_sd_refused", t_journal_sd_refused);
    printf("win: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
