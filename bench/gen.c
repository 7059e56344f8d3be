#include "gen.h"

#include "core/buf.h"

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
    exhv_buf_puts(&b, "],\n\"Msvm_PciExpressSettingData\": [");
    for (int v = 0, i = 1; v < nvms && i < ndevices; v += 4, i += 4, assigned++)
        exhv_buf_printf(&b, "%s\n{\"InstanceID\": \"Microsoft:00000000-0000-4000-8000-%012X\\\\P\", "
                            "\"HostResource\": [\"\\\\\\\\GEN\\\\root\\\\virtualization\\\\v2:"
                            "Msvm_PciExpress.DeviceID=\\\"Microsoft:D%d\\\"\"]}",
                        assigned ? "," : "", v, i);
    exhv_buf_puts(&b, "],\n\"Msvm_PartitionableGpu\": [{\"Name\": "
                      "\"\\\\\\\\?\\\\PCI#VEN_10DE&DEV_0000#4&00000000&0&0008#{064092b3-625e-43bf-"
                      "9eb5-dc845897dd59}\\\\GPUPARAV\", \"PartitionCount\": 32}],\n"
                      "\"Msvm_GpuPartitionSettingData\": [");
    for (int v = 0, n = 0; v < nvms; v += 3, n++)
        exhv_buf_printf(&b, "%s\n{\"InstanceID\": \"Microsoft:00000000-0000-4000-8000-%012X\\\\G\", "
                            "\"HostResource\": [\"\\\\\\\\?\\\\PCI#VEN_10DE&DEV_0000#4&00000000&0&"
                            "0008#{064092b3-625e-43bf-9eb5-dc845897dd59}\\\\GPUPARAV\"]}",
                        n ? "," : "", v);
    exhv_buf_puts(&b, "]}}\n");
    return exhv_buf_detach(&b);
}
