/* Registry reads for the hostreg port. */
#include <windows.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/i18n.h"
#include "hyperv/win/winports.h"
#include "platform/win32/utf16.h"

static HKEY split_root(const char *key, const char **rest)
{
    static const struct {
        const char *name;
        HKEY root;
    } roots[] = {
        {"HKLM\\", HKEY_LOCAL_MACHINE},         {"HKEY_LOCAL_MACHINE\\", HKEY_LOCAL_MACHINE},
        {"HKCU\\", HKEY_CURRENT_USER},          {"HKEY_CURRENT_USER\\", HKEY_CURRENT_USER},
        {"HKU\\", HKEY_USERS},                  {"HKEY_USERS\\", HKEY_USERS},
    };
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
        if (exhv_starts_with_ci(key, roots[i].name)) {
            *rest = key + strlen(roots[i].name);
            return roots[i].root;
        }
    return NULL;
}

int exhv_win_reg_get(const char *key, const char *value, exhv_regval *out, exhv_error *err)
{
    const char *sub = NULL;
    HKEY root = split_root(key, &sub), h = NULL;
    wchar_t *wsub = NULL, *wval = NULL;
    BYTE *data = NULL;
    DWORD type = 0, size = 0;
    exhv_regval r = {0};
    LSTATUS st;
    int rc = -1;

    if (!root)
        return exhv_error_set(err, EXHV_E_USAGE, "registry key %s does not start with HKLM\\, "
                                                  "HKCU\\ or HKU\\", key);
    if (!(wsub = exhv_utf8_to_w(sub)) || !(wval = exhv_utf8_to_w(value))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    st = RegOpenKeyExW(root, wsub, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &h);
    if (st == ERROR_SUCCESS)
        st = RegQueryValueExW(h, wval, NULL, &type, NULL, &size);
    /* The value can grow between the size query and the read: then the read
     * says ERROR_MORE_DATA with the new size (RegQueryValueExW), so read
     * again into a buffer of that size. */
    for (int tries = 0; st == ERROR_SUCCESS; tries++) {
        DWORD got = size;
        free(data);
        if (!(data = calloc(1, (size_t)size + 4))) {
            st = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        st = RegQueryValueExW(h, wval, NULL, &type, data, &got);
        if (st == ERROR_MORE_DATA && tries < 8 && got > size) {
            size = got;
            st = ERROR_SUCCESS;
            continue;
        }
        size = got;
        break;
    }
    if (st == ERROR_FILE_NOT_FOUND || st == ERROR_PATH_NOT_FOUND) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "registry value %s\\%s does not exist", key, value);
        exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, "not found");
        rc = -2;
        goto out;
    }
    if (st != ERROR_SUCCESS) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot read registry value %s\\%s", key, value);
        exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, "RegQueryValueExW");
        goto out;
    }
    switch (type) {
    case REG_DWORD:
        r.type = EXHV_REG_DWORD;
        r.num = size >= 4 ? *(DWORD *)data : 0;
        break;
    case REG_QWORD:
        r.type = EXHV_REG_QWORD;
        r.num = size >= 8 ? *(ULONGLONG *)data : 0;
        break;
    case REG_SZ:
    case REG_EXPAND_SZ:
        r.type = type == REG_SZ ? EXHV_REG_SZ : EXHV_REG_EXPAND_SZ;
        r.str = exhv_wn_to_utf8((const wchar_t *)data, (int)wcsnlen((const wchar_t *)data, size / 2));
        r.len = r.str ? strlen(r.str) + 1 : 0;
        break;
    case REG_MULTI_SZ: {
        exhv_buf b = EXHV_BUF_INIT;
        const wchar_t *p = (const wchar_t *)data, *end = p + size / 2;
        while (p < end && *p) {
            size_t n = wcsnlen(p, (size_t)(end - p));
            char *u = exhv_wn_to_utf8(p, (int)n);
            if (u)
                exhv_buf_add(&b, u, strlen(u) + 1);
            free(u);
            p += n + 1;
        }
        exhv_buf_putc(&b, '\0');
        r.type = EXHV_REG_MULTI_SZ;
        r.len = b.len;
        r.str = exhv_buf_detach(&b);
        break;
    }
    default:
        r.type = EXHV_REG_BINARY;
        r.bin = data;
        r.len = size;
        data = NULL;
        break;
    }
    if ((r.type == EXHV_REG_SZ || r.type == EXHV_REG_EXPAND_SZ || r.type == EXHV_REG_MULTI_SZ) &&
        !r.str) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    *out = r;
    rc = 0;
out:
    if (h)
        RegCloseKey(h);
    free(data);
    free(wsub);
    free(wval);
    return rc;
}

int exhv_win_reg_set_dword(const char *key, const char *value, uint32_t data, exhv_error *err)
{
    const char *sub = NULL;
    HKEY root = split_root(key, &sub), h = NULL;
    wchar_t *wsub = NULL, *wval = NULL;
    DWORD d = data, disposition = 0;
    LSTATUS st = ERROR_NOT_ENOUGH_MEMORY;

    if (!root)
        return exhv_error_set(err, EXHV_E_USAGE, "registry key %s has no known root", key);
    if ((wsub = exhv_utf8_to_w(sub)) && (wval = exhv_utf8_to_w(value)) &&
        (st = RegCreateKeyExW(root, wsub, 0, NULL, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &h,
                              &disposition)) == ERROR_SUCCESS) {
        st = RegSetValueExW(h, wval, 0, REG_DWORD, (const BYTE *)&d, sizeof(d));
        RegCloseKey(h);
    }
    free(wsub);
    free(wval);
    if (st == ERROR_SUCCESS)
        return disposition == REG_CREATED_NEW_KEY;
    exhv_error_set(err, EXHV_E_PLATFORM, "cannot write registry value %s\\%s%s", key, value,
                   st == ERROR_ACCESS_DENIED ? exhv_tr(": run exhv as administrator") : "");
    exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, "RegSetValueExW");
    return -1;
}

/* Delete a key that holds no value and no subkey; leave any other. */
static int reg_delete_empty_key(HKEY root, const char *key, const char *sub, exhv_error *err)
{
    wchar_t *wsub = exhv_utf8_to_w(sub);
    HKEY h = NULL;
    DWORD nsub = 0, nval = 0;
    LSTATUS st = ERROR_NOT_ENOUGH_MEMORY;

    if (wsub && (st = RegOpenKeyExW(root, wsub, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &h)) ==
                    ERROR_SUCCESS) {
        st = RegQueryInfoKeyW(h, NULL, NULL, NULL, &nsub, NULL, NULL, &nval, NULL, NULL, NULL,
                              NULL);
        RegCloseKey(h);
        if (st == ERROR_SUCCESS && !nsub && !nval)
            st = RegDeleteKeyExW(root, wsub, KEY_WOW64_64KEY, 0);
    }
    free(wsub);
    if (st == ERROR_SUCCESS || st == ERROR_FILE_NOT_FOUND || st == ERROR_PATH_NOT_FOUND)
        return 0;
    exhv_error_set(err, EXHV_E_PLATFORM, "cannot delete registry key %s%s", key,
                   st == ERROR_ACCESS_DENIED ? exhv_tr(": run exhv as administrator") : "");
    exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, "RegDeleteKeyExW");
    return -1;
}

int exhv_win_reg_delete(const char *key, const char *value, exhv_error *err)
{
    const char *sub = NULL;
    HKEY root = split_root(key, &sub), h = NULL;
    wchar_t *wsub = NULL, *wval = NULL;
    LSTATUS st = ERROR_NOT_ENOUGH_MEMORY;

    if (!root)
        return exhv_error_set(err, EXHV_E_USAGE, "registry key %s has no known root", key);
    if (!value)
        return reg_delete_empty_key(root, key, sub, err);
    if ((wsub = exhv_utf8_to_w(sub)) && (wval = exhv_utf8_to_w(value))) {
        st = RegOpenKeyExW(root, wsub, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, &h);
        if (st == ERROR_SUCCESS) {
            st = RegDeleteValueW(h, wval);
            RegCloseKey(h);
        }
    }
    free(wsub);
    free(wval);
    /* Already absent is the wanted end state. */
    if (st == ERROR_SUCCESS || st == ERROR_FILE_NOT_FOUND || st == ERROR_PATH_NOT_FOUND)
        return 0;
    exhv_error_set(err, EXHV_E_PLATFORM, "cannot delete registry value %s\\%s%s", key, value,
                   st == ERROR_ACCESS_DENIED ? exhv_tr(": run exhv as administrator") : "");
    exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, "RegDeleteValueW");
    return -1;
}

int exhv_win_reg_set(const char *key, const char *value, const exhv_regval *v, exhv_error *err)
{
    const char *sub = NULL;
    HKEY root = split_root(key, &sub), h = NULL;
    wchar_t *wsub = NULL, *wval = NULL, *wdata = NULL;
    DWORD disposition = 0, type, size = 0, d32;
    uint64_t q64;
    const BYTE *data = NULL;
    LSTATUS st = ERROR_NOT_ENOUGH_MEMORY;

    if (!root)
        return exhv_error_set(err, EXHV_E_USAGE, "registry key %s has no known root", key);
    switch (v->type) {
    case EXHV_REG_DWORD:
        type = REG_DWORD;
        d32 = (DWORD)v->num;
        data = (const BYTE *)&d32;
        size = sizeof(d32);
        break;
    case EXHV_REG_QWORD:
        type = REG_QWORD;
        q64 = v->num;
        data = (const BYTE *)&q64;
        size = sizeof(q64);
        break;
    case EXHV_REG_SZ:
    case EXHV_REG_EXPAND_SZ:
    case EXHV_REG_MULTI_SZ: {
        /* UTF-8 to UTF-16 string by string: a MULTI_SZ keeps its NULs. */
        size_t n = 0, units = 0;
        type = v->type == EXHV_REG_SZ          ? REG_SZ
               : v->type == EXHV_REG_EXPAND_SZ ? REG_EXPAND_SZ
                                               : REG_MULTI_SZ;
        if (!(wdata = calloc(v->len * 2 + 4, sizeof(wchar_t))))
            goto done;
        while (n < v->len && v->str) {
            const char *part = v->str + n;
            wchar_t *w = exhv_utf8_to_w(part);
            size_t wl;
            if (!w)
                goto done;
            wl = wcslen(w);
            memcpy(wdata + units, w, (wl + 1) * sizeof(wchar_t));
            free(w);
            units += wl + 1;
            n += strlen(part) + 1;
            if (type != REG_MULTI_SZ || !*part)
                break;
        }
        if (type == REG_MULTI_SZ && (units == 0 || wdata[units - 1] != 0 ||
                                     (units > 1 && wdata[units - 2] != 0)))
            wdata[units++] = 0;
        data = (const BYTE *)wdata;
        size = (DWORD)(units * sizeof(wchar_t));
        break;
    }
    case EXHV_REG_BINARY:
        type = REG_BINARY;
        data = v->bin;
        size = (DWORD)v->len;
        break;
    default:
        return exhv_error_set(err, EXHV_E_USAGE, "registry value %s\\%s has no type", key, value);
    }
    if ((wsub = exhv_utf8_to_w(sub)) && (wval = exhv_utf8_to_w(value)) &&
        (st = RegCreateKeyExW(root, wsub, 0, NULL, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &h,
                              &disposition)) == ERROR_SUCCESS) {
        st = RegSetValueExW(h, wval, 0, type, data, size);
        RegCloseKey(h);
    }
done:
    free(wsub);
    free(wval);
    free(wdata);
    if (st == ERROR_SUCCESS)
        return disposition == REG_CREATED_NEW_KEY;
    exhv_error_set(err, EXHV_E_PLATFORM, "cannot write registry value %s\\%s%s", key, value,
                   st == ERROR_ACCESS_DENIED ? exhv_tr(": run exhv as administrator") : "");
    exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, "RegSetValueExW");
    return -1;
}

/* RegLoadKeyW and RegUnLoadKeyW need SeRestorePrivilege and
 * SeBackupPrivilege enabled in the caller's token (learn.microsoft.com,
 * RegLoadKeyW: "the calling process must have the SE_RESTORE_NAME and
 * SE_BACKUP_NAME privileges"); an administrator holds them disabled. */
static DWORD enable_privileges(void)
{
    static const wchar_t *const names[] = {L"SeBackupPrivilege", L"SeRestorePrivilege"};
    HANDLE tok = NULL;
    DWORD e = ERROR_SUCCESS;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &tok))
        return GetLastError();
    for (size_t i = 0; i < 2 && e == ERROR_SUCCESS; i++) {
        TOKEN_PRIVILEGES tp;
        tp.PrivilegeCount = 1;
        tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
        if (!LookupPrivilegeValueW(NULL, names[i], &tp.Privileges[0].Luid) ||
            !AdjustTokenPrivileges(tok, FALSE, &tp, sizeof(tp), NULL, NULL))
            e = GetLastError();
        else if (GetLastError() == ERROR_NOT_ALL_ASSIGNED)
            e = ERROR_PRIVILEGE_NOT_HELD;
    }
    CloseHandle(tok);
    return e;
}

int exhv_win_hive_load(const char *file, const char *name, exhv_error *err)
{
    wchar_t *wfile = NULL, *wname = NULL;
    LSTATUS st;
    DWORD e;

    if (!name[0] || strchr(name, '\\'))
        return exhv_error_set(err, EXHV_E_USAGE, "a hive is loaded under one key name, not '%s'",
                              name);
    if ((e = enable_privileges()) != ERROR_SUCCESS) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot load the guest's registry hive %s: exhv needs "
                       "the backup and restore privileges (run it as administrator)", file);
        exhv_error_platform(err, EXHV_PLAT_WIN32, e, "AdjustTokenPrivileges");
        return -1;
    }
    if (!(wfile = exhv_utf8_to_w(file)) || !(wname = exhv_utf8_to_w(name))) {
        free(wfile);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    st = RegLoadKeyW(HKEY_LOCAL_MACHINE, wname, wfile);
    free(wfile);
    free(wname);
    if (st != ERROR_SUCCESS) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot load the guest's registry hive %s as "
                       "HKLM\\%s%s", file, name,
                       st == ERROR_SHARING_VIOLATION
                           ? exhv_tr(": it is in use (is the VM running, or the hive loaded "
                                     "already?)")
                           : "");
        exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, "RegLoadKeyW");
        return -1;
    }
    return 0;
}

int exhv_win_hive_unload(const char *name, exhv_error *err)
{
    wchar_t *wname = exhv_utf8_to_w(name);
    LSTATUS st;
    HKEY h = NULL;
    const char *api = "RegOpenKeyExW";
    if (!wname)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    enable_privileges();
    /* Nothing loaded under that name (a run that stopped before the hive
     * step, or one that unloaded it already) is said as not found, which
     * the import's unload step takes as "nothing to unload". */
    st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, wname, 0, KEY_READ | KEY_WOW64_64KEY, &h);
    if (st == ERROR_SUCCESS) {
        RegCloseKey(h);
        st = RegUnLoadKeyW(HKEY_LOCAL_MACHINE, wname);
        api = "RegUnLoadKeyW";
    }
    free(wname);
    if (st == ERROR_FILE_NOT_FOUND || st == ERROR_PATH_NOT_FOUND) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "no hive is loaded as HKLM\\%s", name);
        exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, api);
        return -1;
    }
    if (st != ERROR_SUCCESS) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot unload the guest's registry hive HKLM\\%s: "
                       "close any program that has it open (regedit), then run "
                       "`reg unload HKLM\\%s`", name, name);
        exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, api);
        return -1;
    }
    return 0;
}
