/* Registry reads for the hostreg port. */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

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
    if (st == ERROR_SUCCESS && !(data = calloc(1, size + 4)))
        st = ERROR_NOT_ENOUGH_MEMORY;
    if (st == ERROR_SUCCESS)
        st = RegQueryValueExW(h, wval, NULL, &type, data, &size);
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
        r.type = EXHV_REG_SZ;
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
    if ((r.type == EXHV_REG_SZ || r.type == EXHV_REG_MULTI_SZ) && !r.str) {
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
                   st == ERROR_ACCESS_DENIED ? ": run exhv as administrator" : "");
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
                   st == ERROR_ACCESS_DENIED ? ": run exhv as administrator" : "");
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
                   st == ERROR_ACCESS_DENIED ? ": run exhv as administrator" : "");
    exhv_error_platform(err, EXHV_PLAT_WIN32, (unsigned long)st, "RegDeleteValueW");
    return -1;
}
