#include <stdlib.h>

#include "hyperv/ports.h"
#include "hyperv/wmi.h"
#include "t.h"

static void key(const char *path, const char *k, const char *want)
{
    char *v = exhv_wmi_path_key(path, k);
    if (want)
        CHECK_STR(v, want);
    else
        CHECK(v == NULL);
    free(v);
}

static void t_path_keys(void)
{
    const char *p = "\\\\HV\\root\\virtualization\\v2:Msvm_PciExpress.CreationClassName="
                    "\"Msvm_PciExpress\",DeviceID=\"Microsoft:PCIROOT(0)#PCI(0102)\","
                    "SystemName=\"HV\"";
    key(p, "DeviceID", "Microsoft:PCIROOT(0)#PCI(0102)");
    key(p, "deviceid", "Microsoft:PCIROOT(0)#PCI(0102)");
    key(p, "SystemName", "HV");
    key(p, "Name", NULL);
    /* Escaped backslashes and quotes inside a key value. */
    key("Msvm_PartitionableGpu.Name=\"\\\\\\\\?\\\\PCI#VEN_10DE#x\\\"y\"", "Name",
        "\\\\?\\PCI#VEN_10DE#x\"y");
    key("not a path", "Name", NULL);
    key("C:\\disk.vhdx", "Name", NULL);
    key("Cls.Name=\"unterminated", "Name", NULL);
    char cls[64];
    exhv_wmi_path_class(p, cls, sizeof(cls));
    CHECK_STR(cls, "Msvm_PciExpress");
}

static void t_wql_quote(void)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_wql_quote(&b, "it's a \\ test; DROP");
    CHECK_STR(exhv_buf_str(&b), "'it\\'s a \\\\ test; DROP'");
    exhv_buf_release(&b);
}

static void t_props(void)
{
    exhv_wmi_obj o = {0};
    const char *arr[] = {"a", "b"};
    CHECK(exhv_wmi_set_str(&o, "Name", "x") == 0);
    CHECK(exhv_wmi_set_int(&o, "Size", 42) == 0);
    CHECK(exhv_wmi_set_str(&o, "Big", "1099511627776") == 0);
    CHECK(exhv_wmi_set_strs(&o, "HostResource", arr, 2) == 0);
    CHECK(exhv_wmi_set_str(&o, "name", "y") == 0);   /* same property, any case */
    CHECK_INT(o.nprops, 4);
    CHECK_STR(exhv_wmi_str(&o, "NAME"), "y");
    CHECK_INT(exhv_wmi_int(&o, "Size", 0), 42);
    CHECK_INT(exhv_wmi_int(&o, "Big", 0), 1099511627776LL);  /* uint64 arrives as a string */
    CHECK_STR(exhv_wmi_str0(&o, "HostResource"), "a");
    CHECK(exhv_wmi_str(&o, "Missing") == NULL);
    exhv_wmi_obj_release(&o);
}

static void t_gpu_path(void)
{
    char *id = exhv_gpu_path_to_instance_id(
        "\\\\?\\PCI#VEN_10DE&DEV_2786&SUBSYS_51101458&REV_A1#4&1a2b3c4d&0&0009#"
        "{064092b3-625e-43bf-9eb5-dc845897dd59}\\GPUPARAV");
    CHECK_STR(id, "PCI\\VEN_10DE&DEV_2786&SUBSYS_51101458&REV_A1\\4&1a2b3c4d&0&0009");
    free(id);
}

T_CASES(wmi_tests) = {
    {"wmi/path_keys", t_path_keys},
    {"wmi/wql_quote", t_wql_quote},
    {"wmi/props", t_props},
    {"wmi/gpu_path", t_gpu_path},
    T_END,
};
