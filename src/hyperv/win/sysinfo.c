/* System facts: Win32_OperatingSystem, Win32_Processor and
 * Win32_ComputerSystem (avoiding Win32_VideoController, which is slow and
 * wakes idle GPUs), with API fallbacks, and the token's elevation. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperv/win/winports.h"

const char *exhv_wine_version(void)
{
    static int probed;
    static const char *version;
    if (!probed) {
        HMODULE nt = GetModuleHandleW(L"ntdll.dll");
        typedef const char *(CDECL * wine_get_version_fn)(void);
        wine_get_version_fn fn =
            nt ? (wine_get_version_fn)(void (*)(void))GetProcAddress(nt, "wine_get_version") : NULL;
        version = fn ? fn() : NULL;
        probed = 1;
    }
    return version;
}

static int is_elevated(void)
{
    HANDLE tok = NULL;
    TOKEN_ELEVATION te = {0};
    DWORD size = 0;
    int r = 0;
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
        if (GetTokenInformation(tok, TokenElevation, &te, sizeof(te), &size))
            r = te.TokenIsElevated != 0;
        CloseHandle(tok);
    }
    return r;
}

/* RtlGetVersion reports the real build whatever the manifest says. */
static void api_facts(exhv_sysinfo *s)
{
    typedef LONG(WINAPI * rtl_get_version_fn)(OSVERSIONINFOW *);
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    rtl_get_version_fn fn =
        nt ? (rtl_get_version_fn)(void (*)(void))GetProcAddress(nt, "RtlGetVersion") : NULL;
    OSVERSIONINFOEXW v;
    MEMORYSTATUSEX m;
    char buf[64];

    memset(&v, 0, sizeof(v));
    v.dwOSVersionInfoSize = sizeof(v);
    if (fn && fn((OSVERSIONINFOW *)&v) == 0) {
        s->build = v.dwBuildNumber;
        s->server = v.wProductType != VER_NT_WORKSTATION;
        snprintf(buf, sizeof(buf), "%lu.%lu.%lu", (unsigned long)v.dwMajorVersion,
                 (unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber);
        s->os_version = exhv_strdup(buf);
    }
    m.dwLength = sizeof(m);
    if (GlobalMemoryStatusEx(&m))
        s->memory_bytes = m.ullTotalPhys;
    /* PF_VIRT_FIRMWARE_ENABLED */
    s->virt_firmware = IsProcessorFeaturePresent(21) ? 1 : 0;
}

static void take(char **dst, const exhv_wmi_obj *o, const char *prop)
{
    const char *v = exhv_wmi_str(o, prop);
    if (v && *v) {
        free(*dst);
        *dst = exhv_strdup(v);
    }
}

int exhv_win_sysinfo(exhv_wbem *cimv2, exhv_sysinfo *out, exhv_error *err)
{
    exhv_sysinfo s = {0};
    exhv_wmi_objs os = {0}, cpu = {0}, cs = {0};
    exhv_error ignored;

    api_facts(&s);
    s.elevated = is_elevated();
    if (exhv_wine_version())
        s.wine_version = exhv_strdup(exhv_wine_version());
    if (cimv2) {
        if (exhv_wbem_query(cimv2, "SELECT * FROM Win32_OperatingSystem", &os, &ignored) == 0 &&
            os.count) {
            const exhv_wmi_obj *o = &os.items[0];
            take(&s.os_caption, o, "Caption");
            take(&s.os_version, o, "Version");
            take(&s.arch, o, "OSArchitecture");
            take(&s.computer_name, o, "CSName");
            if (exhv_wmi_int(o, "BuildNumber", 0) > 0)
                s.build = (unsigned)exhv_wmi_int(o, "BuildNumber", 0);
            if (exhv_wmi_get(o, "ProductType"))
                s.server = exhv_wmi_int(o, "ProductType", 1) != 1;
        }
        if (exhv_wbem_query(cimv2, "SELECT * FROM Win32_Processor", &cpu, &ignored) == 0 &&
            cpu.count) {
            const exhv_wmi_obj *o = &cpu.items[0];
            take(&s.cpu_name, o, "Name");
            s.cpu_mhz = (unsigned)exhv_wmi_int(o, "MaxClockSpeed", 0);
            if (exhv_wmi_get(o, "VirtualizationFirmwareEnabled"))
                s.virt_firmware = exhv_wmi_bool(o, "VirtualizationFirmwareEnabled", 0);
        }
        if (exhv_wbem_query(cimv2, "SELECT * FROM Win32_ComputerSystem", &cs, &ignored) == 0 &&
            cs.count) {
            const exhv_wmi_obj *o = &cs.items[0];
            s.hypervisor_present = exhv_wmi_bool(o, "HypervisorPresent", 0);
            if (exhv_wmi_int(o, "TotalPhysicalMemory", 0) > 0)
                s.memory_bytes = (uint64_t)exhv_wmi_int(o, "TotalPhysicalMemory", 0);
            if (!s.computer_name)
                take(&s.computer_name, o, "Name");
        }
    }
    exhv_wmi_objs_release(&os);
    exhv_wmi_objs_release(&cpu);
    exhv_wmi_objs_release(&cs);
    if (!s.computer_name) {
        wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
        DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
        char buf[64] = "localhost";
        if (GetComputerNameW(name, &n))
            WideCharToMultiByte(CP_UTF8, 0, name, -1, buf, sizeof(buf), NULL, NULL);
        s.computer_name = exhv_strdup(buf);
    }
#define DEFAULT(f, v) \
    if (!s.f)         \
        s.f = exhv_strdup(v);
    DEFAULT(os_caption, "Microsoft Windows")
    DEFAULT(os_version, "")
    DEFAULT(arch, "64-bit")
    DEFAULT(cpu_name, "")
#undef DEFAULT
    if (!s.computer_name || !s.os_caption || !s.os_version || !s.arch || !s.cpu_name) {
        exhv_sysinfo_release(&s);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    *out = s;
    return 0;
}
