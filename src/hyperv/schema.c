#include "schema.h"

#include <stddef.h>

#include "core/buf.h"

#define S EXHV_CIM_STRING
#define B EXHV_CIM_BOOLEAN
#define U16 EXHV_CIM_UINT16
#define U32 EXHV_CIM_UINT32
#define U64 EXHV_CIM_UINT64

/* CIM_ResourceAllocationSettingData as Microsoft documents it, with all
 * inherited properties: "Msvm_ResourceAllocationSettingData class",
 * learn.microsoft.com/windows/win32/hyperv_v2/msvm-resourceallocationsettingdata.
 * Msvm_PciExpressSettingData, Msvm_GpuPartitionSettingData and
 * Msvm_MemorySettingData derive from it. */
#define RASD                                                                                   \
    {"InstanceID", S, 0}, {"Caption", S, 0}, {"Description", S, 0}, {"ElementName", S, 0},     \
        {"ResourceType", U16, 0}, {"OtherResourceType", S, 0}, {"ResourceSubType", S, 0},      \
        {"PoolID", S, 0}, {"ConsumerVisibility", U16, 0}, {"HostResource", S, 1},              \
        {"AllocationUnits", S, 0}, {"VirtualQuantity", U64, 0}, {"Reservation", U64, 0},       \
        {"Limit", U64, 0}, {"Weight", U32, 0}, {"AutomaticAllocation", B, 0},                  \
        {"AutomaticDeallocation", B, 0}, {"Parent", S, 0}, {"Connection", S, 1},               \
        {"Address", S, 0}, {"MappingBehavior", U16, 0}, {"AddressOnParent", S, 0},             \
        {"VirtualQuantityUnits", S, 0}, {"VirtualSystemIdentifiers", S, 1}

/* ".../msvm-pciexpresssettingdata": VirtualFunctions uint16[]. */
static const exhv_schema_prop pci_settings[] = {RASD, {"VirtualFunctions", U16, 1}, {NULL, 0, 0}};

/* ".../msvm-gpupartitionsettingdata": twelve uint64 partition values. */
static const exhv_schema_prop gpu_settings[] = {
    RASD,
    {"MinPartitionVRAM", U64, 0},     {"MaxPartitionVRAM", U64, 0},
    {"OptimalPartitionVRAM", U64, 0}, {"MinPartitionEncode", U64, 0},
    {"MaxPartitionEncode", U64, 0},   {"OptimalPartitionEncode", U64, 0},
    {"MinPartitionDecode", U64, 0},   {"MaxPartitionDecode", U64, 0},
    {"OptimalPartitionDecode", U64, 0}, {"MinPartitionCompute", U64, 0},
    {"MaxPartitionCompute", U64, 0},  {"OptimalPartitionCompute", U64, 0},
    {NULL, 0, 0},
};

/* ".../msvm-memorysettingdata": DynamicMemoryEnabled boolean (exhv writes
 * only that, beside the InstanceID). */
static const exhv_schema_prop memory_settings[] = {RASD, {"DynamicMemoryEnabled", B, 0},
                                                   {NULL, 0, 0}};

/* ".../msvm-virtualsystemsettingdata": the properties exhv changes, and the
 * InstanceID that names the VM. LowMmioGapSize / HighMmioGapSize are uint64
 * (the class page of the clustering namespace lists them; the v2 page omits
 * them from its syntax block). */
static const exhv_schema_prop vm_settings[] = {
    {"InstanceID", S, 0},
    {"LowMmioGapSize", U64, 0},
    {"HighMmioGapSize", U64, 0},
    {"GuestControlledCacheTypes", B, 0},
    {"AutomaticShutdownAction", U16, 0},
    {"UserSnapshotType", U16, 0},
    {NULL, 0, 0},
};

/* ".../msvm-assignabledevicedismountsettingdata" (CIM_SettingData's own
 * InstanceID, Caption, Description, ElementName included). */
static const exhv_schema_prop dismount_settings[] = {
    {"InstanceID", S, 0},         {"Caption", S, 0},
    {"Description", S, 0},        {"ElementName", S, 0},
    {"DeviceInstancePath", S, 0}, {"DeviceLocationPath", S, 0},
    {"RequireAcsSupport", B, 0},  {"RequireDeviceMitigations", B, 0},
    {NULL, 0, 0},
};

static const struct {
    const char *cls;
    const exhv_schema_prop *props;
} classes[] = {
    {"Msvm_PciExpressSettingData", pci_settings},
    {"Msvm_GpuPartitionSettingData", gpu_settings},
    {"Msvm_MemorySettingData", memory_settings},
    {"Msvm_VirtualSystemSettingData", vm_settings},
    {"Msvm_AssignableDeviceDismountSettingData", dismount_settings},
};

static const exhv_schema_prop *class_props(const char *cls)
{
    for (size_t i = 0; cls && i < sizeof(classes) / sizeof(classes[0]); i++)
        if (exhv_strcaseeq(classes[i].cls, cls))
            return classes[i].props;
    return NULL;
}

int exhv_schema_knows(const char *cls)
{
    return class_props(cls) != NULL;
}

const exhv_schema_prop *exhv_schema_props(const char *cls)
{
    return class_props(cls);
}

const exhv_schema_prop *exhv_schema_prop_in(const exhv_schema_prop *p, const char *name)
{
    for (; p && p->name && name; p++)
        if (exhv_strcaseeq(p->name, name))
            return p;
    return NULL;
}

const exhv_schema_prop *exhv_schema_find(const char *cls, const char *name)
{
    return exhv_schema_prop_in(class_props(cls), name);
}

static const char *const cim_names[EXHV_CIM__COUNT] = {
    [EXHV_CIM_NONE] = "", [EXHV_CIM_STRING] = "string", [EXHV_CIM_BOOLEAN] = "boolean",
    [EXHV_CIM_UINT8] = "uint8", [EXHV_CIM_UINT16] = "uint16", [EXHV_CIM_UINT32] = "uint32",
    [EXHV_CIM_UINT64] = "uint64", [EXHV_CIM_SINT8] = "sint8", [EXHV_CIM_SINT16] = "sint16",
    [EXHV_CIM_SINT32] = "sint32", [EXHV_CIM_SINT64] = "sint64", [EXHV_CIM_DATETIME] = "datetime",
};

const char *exhv_cim_name(exhv_cim t)
{
    return t > EXHV_CIM_NONE && t < EXHV_CIM__COUNT ? cim_names[t] : "";
}

exhv_cim exhv_cim_parse(const char *name)
{
    for (int t = EXHV_CIM_STRING; name && t < EXHV_CIM__COUNT; t++)
        if (exhv_strcaseeq(cim_names[t], name))
            return (exhv_cim)t;
    return EXHV_CIM_NONE;
}
