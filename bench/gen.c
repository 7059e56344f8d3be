#include "gen.h"

#include "core/buf.h"

/* A class's ...\Default setting, as scenarios/default.json has it. */
#define TEMPLATE(guid, type, subtype, name, extra)                                              \
    "{\"InstanceID\": \"Microsoft:Definition\\\\" guid "\\\\Default\", \"ResourceType\": " type    \
    ", \"ResourceSubType\": \"" subtype "\", \"HostResource\": [], \"ElementName\": \"" name     \
    "\", \"AllocationUnits\": \"count\", \"VirtualQuantity\": 1, \"Reservation\": 1, "           \
    "\"Limit\": 1, \"Weight\": 0, \"AutomaticAllocation\": true, "                                \
    "\"AutomaticDeallocation\": true, \"ConsumerVisibility\": 3, "                                 \
    "\"VirtualQuantityUnits\": \"count\"" extra "}"
#define PARTITION_VALUES                                                                        \
    ", \"MinPartitionVRAM\": 0, \"MaxPartitionVRAM\": 1000000000, "                               \
    "\"OptimalPartitionVRAM\": 1000000000, \"MinPartitionEncode\": 0, "                           \
    "\"MaxPartitionEncode\": 1000000000, \"OptimalPartitionEncode\": 1000000000, "                \
    "\"MinPartitionDecode\": 0, \"MaxPartitionDecode\": 1000000000, "                             \
    "\"OptimalPartitionDecode\": 1000000000, \"MinPartitionCompute\": 0, "                        \
    "\"MaxPartitionCompute\": 1000000000, \"OptimalPartitionCompute\": 1000000000"

char *exhv_gen_scenario(int ndevices, int nvms)
{
    exhv_buf b = EXHV_BUF_INIT;
    int assigned = 0;

    exhv_buf_puts(&b, "{\"schema\": 1, \"host\": {\"computer_name\": \"GEN\", \"build\": 26100, "
                      "\"server\": true, \"memory_bytes\": 549755813888},\n\"pnp\": [\n");
    for (int i = 0; i < ndevices; i++) {
        int gpu = i % 50 == 0;
        exhv_buf_printf(&b,
                        "%s{\"instance_id\": \"%s\\\\VEN_%s&DEV_%04X\\\\4&%08X&0&0008\", "
                        "\"location_path\": \"PCIROOT(0)#PCI(%02X%02X)#PCI(0000)\", "
                        "\"name\": \"Device %d\", \"class\": \"%s\", \"service\": \"%s\", "
                        "\"driver\": \"{4d36e968-e325-11ce-bfc1-08002be10318}\\\\%04d\", "
                        "\"driver_version\": \"32.0.15.%d\", \"pci\": {\"device_type\": 2, "
                        "\"acs\": 3, \"interrupts\": [\"msi\"], \"memory\": [{\"start\": %lld, "
                        "\"length\": 16777216}]}}\n",
                        i ? "," : "", i % 4 == 1 ? "PCIP" : "PCI", gpu ? "10DE" : "8086", i,
                        i, i / 32, i % 32, i, gpu ? "Display" : i % 10 == 3 ? "System" : "Net",
                        i % 10 == 3 ? "pci" : "svc", i, i, (long long)i * 16777216);
    }
    exhv_buf_puts(&b, "],\n\"wmi\": {\"Msvm_ComputerSystem\": [{\"Name\": \"GEN\", "
                      "\"EnabledState\": 2}");
    for (int v = 0; v < nvms; v++)
        exhv_buf_printf(&b, ",\n{\"Name\": \"00000000-0000-4000-8000-%012X\", \"ElementName\": "
                            "\"vm-%d\", \"EnabledState\": %d}", v, v, v % 2 ? 2 : 3);
    exhv_buf_puts(&b, "],\n\"Msvm_VirtualSystemSettingData\": [");
    for (int v = 0; v < nvms; v++)
        exhv_buf_printf(&b, "%s\n{\"InstanceID\": \"Microsoft:00000000-0000-4000-8000-%012X\", "
                            "\"VirtualSystemType\": \"Microsoft:Hyper-V:System:Realized\", "
                            "\"VirtualSystemSubType\": \"Microsoft:Hyper-V:SubType:2\", "
                            "\"LowMmioGapSize\": 128, \"HighMmioGapSize\": 512}",
                        v ? "," : "", v);
    exhv_buf_puts(&b, "],\n\"Msvm_MemorySettingData\": [");
    for (int v = 0; v < nvms; v++)
        exhv_buf_printf(&b, "%s\n{\"InstanceID\": \"Microsoft:00000000-0000-4000-8000-%012X\\\\M\", "
                            "\"DynamicMemoryEnabled\": false, \"VirtualQuantity\": 4096}",
                        v ? "," : "", v);
    exhv_buf_puts(&b, "],\n\"Msvm_StorageAllocationSettingData\": [");
    for (int v = 0; v < nvms; v++)
        exhv_buf_printf(&b, "%s\n{\"InstanceID\": \"Microsoft:00000000-0000-4000-8000-%012X\\\\D\", "
                            "\"ResourceType\": 31, \"HostResource\": [\"D:\\\\vm%d.vhdx\"]}",
                        v ? "," : "", v, v);
    /* Dismounted devices (PCIP) get an Msvm_PciExpress; every fourth VM holds one. */
    exhv_buf_puts(&b, "],\n\"Msvm_PciExpress\": [");
    for (int i = 1; i < ndevices; i += 4)
        exhv_buf_printf(&b, "%s\n{\"DeviceID\": \"Microsoft:D%d\", \"DeviceInstancePath\": "
                            "\"PCIP\\\\VEN_8086&DEV_%04X\\\\4&%08X&0&0008\", \"LocationPath\": "
                            "\"PCIROOT(0)#PCI(%02X%02X)#PCI(0000)\"}",
                        i > 1 ? "," : "", i, i, i, i / 32, i % 32);
    /* Hyper-V starts a new setting from the class's Default template
     * (reference/hyperv-wmi.md): without it no change could be made here. */
    exhv_buf_puts(&b, "],\n\"Msvm_PciExpressSettingData\": [\n" TEMPLATE(
                          "FB3D5A62-0AC4-4C36-A5B6-1D26FDF9E38E", "32769",
                          "Microsoft:Hyper-V:Virtual Pci Express Port", "PCI Express Port", ""));
    for (int v = 0, i = 1; v < nvms && i < ndevices; v += 4, i += 4, assigned++)
        exhv_buf_printf(&b, ",\n{\"InstanceID\": \"Microsoft:00000000-0000-4000-8000-%012X\\\\P\", "
                            "\"HostResource\": [\"\\\\\\\\GEN\\\\root\\\\virtualization\\\\v2:"
                            "Msvm_PciExpress.DeviceID=\\\"Microsoft:D%d\\\"\"]}",
                        v, i);
    exhv_buf_puts(&b, "],\n\"Msvm_PartitionableGpu\": [{\"Name\": "
                      "\"\\\\\\\\?\\\\PCI#VEN_10DE&DEV_0000#4&00000000&0&0008#{064092b3-625e-43bf-"
                      "9eb5-dc845897dd59}\\\\GPUPARAV\", \"PartitionCount\": 32}],\n"
                      "\"Msvm_GpuPartitionSettingData\": [\n" TEMPLATE(
                          "66BC1E50-8F6A-4C46-B4B5-9E4D0C4D5E6F", "32770",
                          "Microsoft:Hyper-V:GPU Partition", "GPU Partition", PARTITION_VALUES));
    for (int v = 0; v < nvms; v += 3)
        exhv_buf_printf(&b, ",\n{\"InstanceID\": \"Microsoft:00000000-0000-4000-8000-%012X\\\\G\", "
                            "\"HostResource\": [\"\\\\\\\\?\\\\PCI#VEN_10DE&DEV_0000#4&00000000&0&"
                            "0008#{064092b3-625e-43bf-9eb5-dc845897dd59}\\\\GPUPARAV\"]}",
                        v);
    exhv_buf_puts(&b, "]}}\n");
    return exhv_buf_detach(&b);
}
