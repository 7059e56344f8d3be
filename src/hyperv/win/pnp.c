/* PCI and PCIP functions through SetupAPI, with DEVPKEYs, the PCI property
 * keys of pciprop.h and the allocated memory resources (CfgMgr32). */
#include <windows.h>
#include <initguid.h>
#include <devpkey.h>
#include <devpropdef.h>
#include <cfgmgr32.h>
#include <setupapi.h>

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "hyperv/win/winports.h"
#include "platform/win32/utf16.h"

/* PCI device property keys (pciprop.h, {3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62});
 * MinGW's header lacks the last two. */
DEFINE_DEVPROPKEY(EXHV_PKEY_PciDeviceType, 0x3ab22e31, 0x8264, 0x4b4e, 0x9a, 0xf5, 0xa8, 0xd2,
                  0xd8, 0xe3, 0x3e, 0x62, 1);
DEFINE_DEVPROPKEY(EXHV_PKEY_PciBaseClass, 0x3ab22e31, 0x8264, 0x4b4e, 0x9a, 0xf5, 0xa8, 0xd2,
                  0xd8, 0xe3, 0x3e, 0x62, 3);
DEFINE_DEVPROPKEY(EXHV_PKEY_PciInterruptSupport, 0x3ab22e31, 0x8264, 0x4b4e, 0x9a, 0xf5, 0xa8,
                  0xd2, 0xd8, 0xe3, 0x3e, 0x62, 14);
DEFINE_DEVPROPKEY(EXHV_PKEY_PciAcsCompatibleUpHierarchy, 0x3ab22e31, 0x8264, 0x4b4e, 0x9a, 0xf5,
                  0xa8, 0xd2, 0xd8, 0xe3, 0x3e, 0x62, 31);
DEFINE_DEVPROPKEY(EXHV_PKEY_PciRequiresReservedMemoryRegion, 0x3ab22e31, 0x8264, 0x4b4e, 0x9a,
                  0xf5, 0xa8, 0xd2, 0xd8, 0xe3, 0x3e, 0x62, 34);

/* A string (or the first string of a list) property, UTF-8; NULL if absent. */
static char *prop_string(HDEVINFO set, SP_DEVINFO_DATA *dev, const DEVPROPKEY *key)
{
    DEVPROPTYPE type;
    DWORD size = 0;
    BYTE *buf;
    char *s = NULL;

    SetupDiGetDevicePropertyW(set, dev, key, &type, NULL, 0, &size, 0);
    if (size == 0 || !(buf = calloc(1, size + sizeof(wchar_t) * 2)))
        return NULL;
    if (SetupDiGetDevicePropertyW(set, dev, key, &type, buf, size, NULL, 0) &&
        (type == DEVPROP_TYPE_STRING || type == DEVPROP_TYPE_STRING_LIST))
        s = exhv_w_to_utf8((const wchar_t *)buf);
    free(buf);
    return s;
}

/* The location path DDA takes: the entry of DEVPKEY_Device_LocationPaths
 * that starts with PCIROOT( (an ACPI( entry can come first; ExHyperV takes
 * the PCIROOT one), else the first; NULL if absent. */
static char *location_path(HDEVINFO set, SP_DEVINFO_DATA *dev)
{
    DEVPROPTYPE type;
    DWORD size = 0;
    wchar_t *buf;
    const wchar_t *pick = NULL;
    char *s = NULL;

    SetupDiGetDevicePropertyW(set, dev, &DEVPKEY_Device_LocationPaths, &type, NULL, 0, &size, 0);
    if (size == 0 || !(buf = calloc(1, size + sizeof(wchar_t) * 2)))
        return NULL;
    if (SetupDiGetDevicePropertyW(set, dev, &DEVPKEY_Device_LocationPaths, &type, (BYTE *)buf,
                                  size, NULL, 0) &&
        (type == DEVPROP_TYPE_STRING || type == DEVPROP_TYPE_STRING_LIST)) {
        for (const wchar_t *p = buf; *p && !pick; p += wcslen(p) + 1)
            if (_wcsnicmp(p, L"PCIROOT(", 8) == 0)
                pick = p;
        s = exhv_w_to_utf8(pick ? pick : buf);
    }
    free(buf);
    return s;
}

/* An integer property (UINT32, UINT16, BYTE, BOOLEAN); -1 if absent. */
static int prop_int(HDEVINFO set, SP_DEVINFO_DATA *dev, const DEVPROPKEY *key)
{
    DEVPROPTYPE type;
    BYTE buf[8] = {0};
    DWORD size = 0;

    if (!SetupDiGetDevicePropertyW(set, dev, key, &type, buf, sizeof(buf), &size, 0))
        return -1;
    switch (type) {
    case DEVPROP_TYPE_BOOLEAN: return buf[0] ? 1 : 0;
    case DEVPROP_TYPE_BYTE: return buf[0];
    case DEVPROP_TYPE_UINT16: return *(USHORT *)buf;
    case DEVPROP_TYPE_UINT32: return (int)*(ULONG *)buf;
    default: return -1;
    }
}

/* Memory ranges of the allocated configuration (SurveyDDA's MMIO need). */
static void read_memory(DEVINST dn, exhv_pnp_dev *d)
{
    static const RESOURCEID kinds[2] = {ResType_Mem, ResType_MemLarge};
    LOG_CONF lc;
    size_t cap = 0;

    if (CM_Get_First_Log_Conf(&lc, dn, ALLOC_LOG_CONF) != CR_SUCCESS)
        return;
    for (int k = 0; k < 2; k++) {
        RES_DES rd, next;
        CONFIGRET cr = CM_Get_Next_Res_Des(&rd, lc, kinds[k], NULL, 0);
        while (cr == CR_SUCCESS) {
            ULONG size = 0;
            if (CM_Get_Res_Des_Data_Size(&size, rd, 0) == CR_SUCCESS && size) {
                BYTE *buf = calloc(1, size);
                if (buf && CM_Get_Res_Des_Data(rd, buf, size, 0) == CR_SUCCESS &&
                    exhv_grow((void **)&d->mem, &cap, d->nmem + 1, sizeof(*d->mem)) == 0) {
                    DWORDLONG base, end;
                    if (kinds[k] == ResType_Mem) {
                        MEM_DES *m = (MEM_DES *)buf;
                        base = m->MD_Alloc_Base;
                        end = m->MD_Alloc_End;
                    } else {
                        MEM_LARGE_DES *m = (MEM_LARGE_DES *)buf;
                        base = m->MLD_Alloc_Base;
                        end = m->MLD_Alloc_End;
                    }
                    if (end >= base) {
                        d->mem[d->nmem].start = base;
                        d->mem[d->nmem].length = end - base + 1;
                        d->nmem++;
                    }
                }
                free(buf);
            }
            cr = CM_Get_Next_Res_Des(&next, rd, kinds[k], NULL, 0);
            CM_Free_Res_Des_Handle(rd);
            rd = next;
        }
    }
    CM_Free_Log_Conf_Handle(lc);
}

static int list_enumerator(const wchar_t *enumerator, exhv_pnp_dev **list, size_t *count,
                           size_t *cap)
{
    HDEVINFO set = SetupDiGetClassDevsW(NULL, enumerator, NULL, DIGCF_ALLCLASSES);
    SP_DEVINFO_DATA dev;

    /* An enumerator with no devices (PCIP when nothing is dismounted) is an
     * empty list, not an error. */
    if (set == INVALID_HANDLE_VALUE)
        return 0;
    dev.cbSize = sizeof(dev);
    for (DWORD i = 0; SetupDiEnumDeviceInfo(set, i, &dev); i++) {
        wchar_t id[MAX_DEVICE_ID_LEN];
        exhv_pnp_dev *d;
        ULONG status = 0, problem = 0;

        if (!SetupDiGetDeviceInstanceIdW(set, &dev, id, MAX_DEVICE_ID_LEN, NULL))
            continue;
        if (exhv_grow((void **)list, cap, *count + 1, sizeof(**list)) < 0) {
            SetupDiDestroyDeviceInfoList(set);
            return -1;
        }
        d = &(*list)[(*count)++];
        memset(d, 0, sizeof(*d));
        d->instance_id = exhv_w_to_utf8(id);
        d->location_path = location_path(set, &dev);
        d->name = prop_string(set, &dev, &DEVPKEY_Device_FriendlyName);
        if (!d->name)
            d->name = prop_string(set, &dev, &DEVPKEY_Device_DeviceDesc);
        d->cls = prop_string(set, &dev, &DEVPKEY_Device_Class);
        d->service = prop_string(set, &dev, &DEVPKEY_Device_Service);
        d->manufacturer = prop_string(set, &dev, &DEVPKEY_Device_Manufacturer);
        d->driver_key = prop_string(set, &dev, &DEVPKEY_Device_Driver);
        d->driver_version = prop_string(set, &dev, &DEVPKEY_Device_DriverVersion);
        d->present = CM_Get_DevNode_Status(&status, &problem, dev.DevInst, 0) == CR_SUCCESS;
        d->problem = d->present && (status & DN_HAS_PROBLEM) ? problem : 0;
        d->device_type = prop_int(set, &dev, &EXHV_PKEY_PciDeviceType);
        d->base_class = prop_int(set, &dev, &EXHV_PKEY_PciBaseClass);
        d->interrupts = prop_int(set, &dev, &EXHV_PKEY_PciInterruptSupport);
        d->acs = prop_int(set, &dev, &EXHV_PKEY_PciAcsCompatibleUpHierarchy);
        d->reserved_memory = prop_int(set, &dev, &EXHV_PKEY_PciRequiresReservedMemoryRegion);
        /* Wine's CM_Get_First_Log_Conf is an unimplemented stub that aborts
         * the process: under Wine the memory ranges stay unknown. */
        if (d->present && !exhv_wine_version())
            read_memory(dev.DevInst, d);
#define FILL(f)                              \
    if (!d->f && !(d->f = exhv_strdup(""))) { \
        SetupDiDestroyDeviceInfoList(set);   \
        return -1;                           \
    }
        FILL(instance_id)
        FILL(location_path)
        FILL(name)
        FILL(cls)
        FILL(service)
#undef FILL
    }
    SetupDiDestroyDeviceInfoList(set);
    return 0;
}

int exhv_win_pnp_list(exhv_pnp_dev **out, size_t *count, exhv_error *err)
{
    exhv_pnp_dev *list = NULL;
    size_t n = 0, cap = 0;

    if (list_enumerator(L"PCI", &list, &n, &cap) < 0 ||
        list_enumerator(L"PCIP", &list, &n, &cap) < 0) {
        for (size_t i = 0; i < n; i++)
            exhv_pnp_dev_release(&list[i]);
        free(list);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory listing devices");
    }
    *out = list;
    *count = n;
    return 0;
}

/* CM_Disable_DevNode / CM_Enable_DevNode. Under Wine both abort the
 * process, so they are refused there with a clear error. */
int exhv_win_pnp_set_enabled(const char *instance_id, int enable, exhv_error *err)
{
    wchar_t *id;
    DEVINST dn;
    CONFIGRET cr;

    if (exhv_wine_version())
        return exhv_error_set(err, EXHV_E_UNSUPPORTED,
                              enable ? "cannot enable %s under Wine: its device manager aborts "
                                       "the process on that call; run exhv on Windows"
                                     : "cannot disable %s under Wine: its device manager aborts "
                                       "the process on that call; run exhv on Windows",
                              instance_id);
    if (!(id = exhv_utf8_to_w(instance_id)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    /* A device being enabled after a mount may still be a phantom for a
     * moment (reference/hyperv-wmi.md, DDA step 5). */
    cr = CM_Locate_DevNodeW(&dn, id, enable ? CM_LOCATE_DEVNODE_PHANTOM : CM_LOCATE_DEVNODE_NORMAL);
    free(id);
    if (cr == CR_SUCCESS)
        cr = enable ? CM_Enable_DevNode(dn, 0) : CM_Disable_DevNode(dn, CM_DISABLE_UI_NOT_OK);
    if (cr == CR_SUCCESS)
        return 0;
    exhv_error_set(err, EXHV_E_PLATFORM, enable ? "cannot enable %s%s" : "cannot disable %s%s",
                   instance_id,
                   cr == CR_NOT_DISABLEABLE ? exhv_tr(": Windows says it cannot be disabled, so "
                                                      "it cannot be assigned")
                   : cr == CR_NO_SUCH_DEVNODE ? exhv_tr(": no such device") : "");
    exhv_error_platform(err, EXHV_PLAT_CONFIGRET, (unsigned long)cr,
                        cr == CR_NOT_DISABLEABLE ? "CR_NOT_DISABLEABLE"
                        : cr == CR_NO_SUCH_DEVNODE ? "CR_NO_SUCH_DEVNODE"
                        : cr == CR_ACCESS_DENIED ? "CR_ACCESS_DENIED (run as administrator)"
                                                 : "");
    return -1;
}
