/* The drivers and vhd ports on Windows: the driver store's package of a
 * published INF (SetupAPI), a registry key's names, and a VM disk attached
 * without drive letters (VirtDisk) with its Windows volume found by volume
 * GUID path. setupapi's SetupGetInfDriverStoreLocationW and virtdisk.dll
 * are loaded when first needed: a missing export must not stop exhv from
 * starting (Wine lacks some), and VirtDisk's attach and detach abort the
 * process under Wine, so there they are refused. */
#include <windows.h>
#include <winioctl.h>
#include <virtdisk.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/i18n.h"
#include "core/buf.h"
#include "hyperv/win/winports.h"
#include "platform/win32/utf16.h"

static int win32_error(exhv_error *err, DWORD e, const char *api, const char *fmt, const char *arg)
{
    exhv_error_set(err, e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? EXHV_E_NOT_FOUND
                                                                                 : EXHV_E_PLATFORM,
                   fmt, arg);
    exhv_error_platform(err, EXHV_PLAT_WIN32, e, api);
    return -1;
}

static FARPROC system_proc(const wchar_t *dll, const char *name)
{
    HMODULE m = LoadLibraryExW(dll, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    return m ? GetProcAddress(m, name) : NULL;
}

/* ---- drivers ---- */

typedef BOOL(WINAPI *store_location_fn)(PCWSTR, void *, PCWSTR, PWSTR, DWORD, PDWORD);

int exhv_win_drv_inf_location(const char *published, char **path, exhv_error *err)
{
    store_location_fn fn;
    wchar_t *wname = NULL, *buf = NULL;
    DWORD need = 0, e;
    int rc = -1;

    /* SetupGetInfDriverStoreLocationW (setupapi.h, Windows 8 and later;
     * MinGW's header lacks it). */
    fn = (store_location_fn)(void (*)(void))system_proc(L"setupapi.dll",
                                                         "SetupGetInfDriverStoreLocationW");
    if (!fn)
        return exhv_error_set(err, EXHV_E_UNSUPPORTED, "this system's SetupAPI cannot say where "
                              "the driver store keeps %s (no SetupGetInfDriverStoreLocationW)",
                              published);
    if (!(wname = exhv_utf8_to_w(published)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    /* The size first, then the path. */
    if (!fn(wname, NULL, NULL, NULL, 0, &need) && (e = GetLastError()) != ERROR_INSUFFICIENT_BUFFER) {
        if (e == ERROR_CALL_NOT_IMPLEMENTED) {
            /* Wine's SetupAPI has the export as a stub. */
            exhv_error_set(err, EXHV_E_UNSUPPORTED, "this system's SetupAPI cannot say where the "
                           "driver store keeps %s (SetupGetInfDriverStoreLocationW is not "
                           "implemented)", published);
            exhv_error_platform(err, EXHV_PLAT_WIN32, e, "SetupGetInfDriverStoreLocationW");
        } else if (e == ERROR_FILE_NOT_FOUND || e == ERROR_NOT_FOUND) {
            exhv_error_set(err, EXHV_E_NOT_FOUND, "the driver store has no package for %s",
                           published);
            exhv_error_platform(err, EXHV_PLAT_WIN32, e, "SetupGetInfDriverStoreLocationW");
            rc = -2;
        } else {
            win32_error(err, e, "SetupGetInfDriverStoreLocationW",
                        "cannot ask the driver store where %s is", published);
        }
        goto out;
    }
    if (!need || !(buf = calloc(need + 1, sizeof(wchar_t)))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    if (!fn(wname, NULL, NULL, buf, need, &need)) {
        win32_error(err, GetLastError(), "SetupGetInfDriverStoreLocationW",
                    "cannot ask the driver store where %s is", published);
        goto out;
    }
    if (!(*path = exhv_w_to_utf8(buf))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    rc = 0;
out:
    free(wname);
    free(buf);
    return rc;
}

int exhv_win_reg_list(const char *key, char ***values, size_t *nvalues, char ***subkeys,
                      size_t *nsubkeys, exhv_error *err)
{
    HKEY root = NULL, h = NULL;
    const char *sub = key;
    wchar_t *wsub = NULL, name[16384];
    char **v = NULL, **s = NULL;
    size_t nv = 0, ns = 0, cap = 0;
    LSTATUS st;
    int rc = -1;

    if (exhv_starts_with_ci(key, "HKLM\\"))
        root = HKEY_LOCAL_MACHINE, sub = key + 5;
    else if (exhv_starts_with_ci(key, "HKCU\\"))
        root = HKEY_CURRENT_USER, sub = key + 5;
    else
        return exhv_error_set(err, EXHV_E_USAGE, "registry key %s has no known root", key);
    if (!(wsub = exhv_utf8_to_w(sub)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    st = RegOpenKeyExW(root, wsub, 0, KEY_READ | KEY_WOW64_64KEY, &h);
    free(wsub);
    if (st == ERROR_FILE_NOT_FOUND || st == ERROR_PATH_NOT_FOUND) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "registry key %s does not exist", key);
        return -2;
    }
    if (st != ERROR_SUCCESS)
        return win32_error(err, (DWORD)st, "RegOpenKeyExW", "cannot read registry key %s", key);
    for (DWORD i = 0;; i++) {
        DWORD len = (DWORD)(sizeof(name) / sizeof(name[0]));
        char *u;
        st = RegEnumValueW(h, i, name, &len, NULL, NULL, NULL, NULL);
        if (st == ERROR_NO_MORE_ITEMS)
            break;
        if (st != ERROR_SUCCESS) {
            win32_error(err, (DWORD)st, "RegEnumValueW", "cannot list registry key %s", key);
            goto out;
        }
        if (!(u = exhv_w_to_utf8(name)) || exhv_grow((void **)&v, &cap, nv + 1, sizeof(char *)) < 0) {
            free(u);
            exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            goto out;
        }
        v[nv++] = u;
    }
    cap = 0;
    for (DWORD i = 0;; i++) {
        DWORD len = 256;
        char *u;
        st = RegEnumKeyExW(h, i, name, &len, NULL, NULL, NULL, NULL);
        if (st == ERROR_NO_MORE_ITEMS)
            break;
        if (st != ERROR_SUCCESS) {
            win32_error(err, (DWORD)st, "RegEnumKeyExW", "cannot list registry key %s", key);
            goto out;
        }
        if (!(u = exhv_w_to_utf8(name)) || exhv_grow((void **)&s, &cap, ns + 1, sizeof(char *)) < 0) {
            free(u);
            exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            goto out;
        }
        s[ns++] = u;
    }
    *values = v;
    *nvalues = nv;
    *subkeys = s;
    *nsubkeys = ns;
    v = s = NULL;
    nv = ns = 0;
    rc = 0;
out:
    RegCloseKey(h);
    exhv_strv_free(v, nv);
    exhv_strv_free(s, ns);
    return rc;
}

/* ---- vhd ---- */

typedef DWORD(WINAPI *open_vd_fn)(PVIRTUAL_STORAGE_TYPE, PCWSTR, VIRTUAL_DISK_ACCESS_MASK,
                                  OPEN_VIRTUAL_DISK_FLAG, POPEN_VIRTUAL_DISK_PARAMETERS, PHANDLE);
typedef DWORD(WINAPI *attach_vd_fn)(HANDLE, PSECURITY_DESCRIPTOR, ATTACH_VIRTUAL_DISK_FLAG, ULONG,
                                    PATTACH_VIRTUAL_DISK_PARAMETERS, LPOVERLAPPED);
typedef DWORD(WINAPI *path_vd_fn)(HANDLE, PULONG, PWSTR);
typedef DWORD(WINAPI *detach_vd_fn)(HANDLE, DETACH_VIRTUAL_DISK_FLAG, ULONG);

typedef struct win_disk {
    HANDLE h;            /* the open virtual disk: closing it would detach it */
    char *path;
    DWORD number;        /* \\.\PhysicalDriveN */
    detach_vd_fn detach;
} win_disk;

int exhv_win_vhd_attach(const char *vhd, void **disk, exhv_error *err)
{
    /* VIRTUAL_STORAGE_TYPE_VENDOR_MICROSOFT (virtdisk.h), defined here so
     * that no GUID library is needed. */
    static const GUID vendor_ms = {0xEC984AEC, 0xA0F9, 0x47e9,
                                   {0x90, 0x1F, 0x71, 0x41, 0x5A, 0x66, 0x34, 0x5B}};
    open_vd_fn open_vd;
    attach_vd_fn attach_vd;
    path_vd_fn path_vd;
    detach_vd_fn detach_vd;
    VIRTUAL_STORAGE_TYPE type;
    OPEN_VIRTUAL_DISK_PARAMETERS op;
    ATTACH_VIRTUAL_DISK_PARAMETERS ap;
    wchar_t *wpath = NULL, phys[MAX_PATH];
    ULONG physsz = sizeof(phys);
    HANDLE h = INVALID_HANDLE_VALUE;
    win_disk *d = NULL;
    DWORD e;
    const wchar_t *digits;

    if (exhv_wine_version())
        return exhv_error_set(err, EXHV_E_UNSUPPORTED,
                              "cannot attach %s under Wine %s: its VirtDisk aborts the process. "
                              "Run exhv on the Windows host", vhd, exhv_wine_version());
    open_vd = (open_vd_fn)(void (*)(void))system_proc(L"virtdisk.dll", "OpenVirtualDisk");
    attach_vd = (attach_vd_fn)(void (*)(void))system_proc(L"virtdisk.dll", "AttachVirtualDisk");
    path_vd = (path_vd_fn)(void (*)(void))system_proc(L"virtdisk.dll", "GetVirtualDiskPhysicalPath");
    detach_vd = (detach_vd_fn)(void (*)(void))system_proc(L"virtdisk.dll", "DetachVirtualDisk");
    if (!open_vd || !attach_vd || !path_vd || !detach_vd)
        return exhv_error_set(err, EXHV_E_UNSUPPORTED, "this system has no VirtDisk: cannot "
                              "attach %s", vhd);
    if (!(wpath = exhv_utf8_to_w(vhd)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    /* DEVICE_UNKNOWN: VHD or VHDX from the file. */
    type.DeviceId = VIRTUAL_STORAGE_TYPE_DEVICE_UNKNOWN;
    type.VendorId = vendor_ms;
    memset(&op, 0, sizeof(op));
    op.Version = OPEN_VIRTUAL_DISK_VERSION_1;
    /* RWDepth 0 means "do not open for read/write at any depth", for
     * read-only use (OPEN_VIRTUAL_DISK_PARAMETERS): the hive is written. */
    op.Version1.RWDepth = 1;   /* OPEN_VIRTUAL_DISK_RW_DEPTH_DEFAULT (not in MinGW) */
    e = open_vd(&type, wpath, VIRTUAL_DISK_ACCESS_ATTACH_RW | VIRTUAL_DISK_ACCESS_GET_INFO |
                VIRTUAL_DISK_ACCESS_DETACH, OPEN_VIRTUAL_DISK_FLAG_NONE, &op, &h);
    free(wpath);
    if (e != ERROR_SUCCESS)
        return win32_error(err, e, "OpenVirtualDisk",
                           e == ERROR_SHARING_VIOLATION
                               ? "cannot open %s: it is in use (is its VM running? turn it off)"
                               : "cannot open the virtual disk %s", vhd);
    memset(&ap, 0, sizeof(ap));
    ap.Version = ATTACH_VIRTUAL_DISK_VERSION_1;
    /* Read-write, no drive letters; without PERMANENT_LIFETIME the disk
     * stays attached while the handle is open, and a process that dies
     * detaches it. */
    e = attach_vd(h, NULL, ATTACH_VIRTUAL_DISK_FLAG_NO_DRIVE_LETTER, 0, &ap, NULL);
    if (e != ERROR_SUCCESS) {
        CloseHandle(h);
        return win32_error(err, e, "AttachVirtualDisk", "cannot attach %s", vhd);
    }
    e = path_vd(h, &physsz, phys);
    digits = e == ERROR_SUCCESS ? wcsstr(phys, L"PhysicalDrive") : NULL;
    if (!digits || !(d = calloc(1, sizeof(*d))) || !(d->path = exhv_strdup(vhd))) {
        detach_vd(h, DETACH_VIRTUAL_DISK_FLAG_NONE, 0);
        CloseHandle(h);
        free(d);
        return digits ? exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory")
                      : win32_error(err, e ? e : ERROR_INVALID_DATA, "GetVirtualDiskPhysicalPath",
                                    "cannot find the disk %s was attached as", vhd);
    }
    d->h = h;
    d->number = (DWORD)wcstoul(digits + 13, NULL, 10);
    d->detach = detach_vd;
    *disk = d;
    return 0;
}

/* The disk number a volume lives on (a volume on one disk only). */
static int volume_disk(const wchar_t *guid_path, DWORD *number, HANDLE *vol)
{
    wchar_t dev[MAX_PATH];
    VOLUME_DISK_EXTENTS ext;
    DWORD got = 0;
    size_t n = wcslen(guid_path);
    HANDLE h;
    if (n < 2 || n >= MAX_PATH)
        return -1;
    /* "\\?\Volume{...}\" opens as a device without its trailing backslash. */
    wcscpy(dev, guid_path);
    dev[n - 1] = 0;
    h = CreateFileW(dev, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                    NULL);
    if (h == INVALID_HANDLE_VALUE)
        return -1;
    if (!DeviceIoControl(h, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &ext, sizeof(ext), &got,
                         NULL) || ext.NumberOfDiskExtents < 1) {
        CloseHandle(h);
        return -1;
    }
    *number = ext.Extents[0].DiskNumber;
    *vol = h;
    return 0;
}

int exhv_win_vhd_windows(void *disk, char **windows, int *bitlocker, exhv_error *err)
{
    win_disk *d = disk;
    wchar_t guid[MAX_PATH];
    HANDLE find;
    char *found = NULL;
    int nfound = 0;

    *bitlocker = 0;
    find = FindFirstVolumeW(guid, MAX_PATH);
    if (find == INVALID_HANDLE_VALUE)
        return win32_error(err, GetLastError(), "FindFirstVolumeW",
                           "cannot list the volumes of %s", d->path);
    do {
        DWORD number = 0;
        HANDLE vol = INVALID_HANDLE_VALUE;
        wchar_t fs[MAX_PATH + 1] = L"", hive[MAX_PATH + 64];
        if (volume_disk(guid, &number, &vol) < 0 || number != d->number) {
            if (vol != INVALID_HANDLE_VALUE)
                CloseHandle(vol);
            continue;
        }
        if (!GetVolumeInformationW(guid, NULL, 0, NULL, NULL, NULL, fs, MAX_PATH + 1) || !fs[0]) {
            /* No file system Windows can read: a locked BitLocker volume
             * (its boot sector's OEM ID is "-FVE-FS-") shows so. */
            *bitlocker = 1;
            CloseHandle(vol);
            continue;
        }
        CloseHandle(vol);
        swprintf(hive, MAX_PATH + 64, L"%lsWindows\\System32\\config\\SYSTEM", guid);
        if (GetFileAttributesW(hive) != INVALID_FILE_ATTRIBUTES) {
            if (nfound++ == 0) {
                exhv_buf b = EXHV_BUF_INIT;
                char *g = exhv_w_to_utf8(guid);
                exhv_buf_printf(&b, "%sWindows", g ? g : "");
                free(g);
                found = exhv_buf_detach(&b);
            }
        }
    } while (FindNextVolumeW(find, guid, MAX_PATH));
    FindVolumeClose(find);
    if (nfound > 1) {
        free(found);
        return exhv_error_set(err, EXHV_E_AMBIGUOUS, "%s holds %d Windows installations: exhv "
                              "does not guess which one the VM starts", d->path, nfound);
    }
    if (!found) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "%s holds no Windows volume (no "
                       "Windows\\System32\\config\\SYSTEM)%s", d->path,
                       *bitlocker ? exhv_tr("; a volume has no file system: it is probably "
                                            "BitLocker-protected (unlock it in the VM or turn "
                                            "BitLocker off)")
                                  : "");
        return -2;
    }
    *windows = found;
    return 0;
}

int exhv_win_vhd_detach(void *disk, exhv_error *err)
{
    win_disk *d = disk;
    DWORD e;
    if (!d)
        return 0;
    e = d->detach(d->h, DETACH_VIRTUAL_DISK_FLAG_NONE, 0);
    if (e != ERROR_SUCCESS && e != ERROR_NOT_READY)
        return win32_error(err, e, "DetachVirtualDisk", "cannot detach %s: close any window "
                           "showing it, then detach it in Disk Management", d->path);
    CloseHandle(d->h);
    free(d->path);
    free(d);
    return 0;
}
