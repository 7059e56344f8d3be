/* The guest driver state of a VM: computed from the record the import
 * leaves on the host and the host's GPUs, never by mounting. Each state,
 * and records that must not be trusted. */
#include <stdlib.h>
#include <string.h>

#include "hyperv/ports.h"
#include "t.h"

#define NV_ID "PCI\\VEN_10DE&DEV_2786&SUBSYS_51101458&REV_A1\\4&1A2B3C4D&0&0009"
#define AMD_ID "PCI\\VEN_1002&DEV_7480&SUBSYS_24281849&REV_CF\\6&3F0E2A11&0&00000019"
#define WIN11 "8D2F0C4A-1B3E-4F5A-9C6D-7E8F90A1B2C3"      /* win11-gaming: an NVIDIA adapter */
#define RENDER "C0FFEE00-1234-4ABC-8DEF-0123456789AB"     /* render-node: one adapter */
#define DEVBOX "2B7E1516-28AE-4D2A-A6F7-15880904CF4F"     /* dev-box: no adapter */
#define ROUTER "0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0"     /* router: no adapter */

static exhv_vm vm_with(const char *version, const char *gpu, size_t nadapters)
{
    exhv_vm v;
    memset(&v, 0, sizeof(v));
    v.nadapters = nadapters;
    if (version) {
        v.drivers.record.present = 1;
        v.drivers.record.driver_version = (char *)version;
        v.drivers.record.gpu_instance_id = (char *)gpu;
    }
    return v;
}

static void test_guest_drivers_each_state(void)
{
    exhv_gpu gpus[2];
    exhv_vm v;
    memset(gpus, 0, sizeof(gpus));
    gpus[0].instance_id = NV_ID;
    gpus[0].driver_version = "32.0.15.6603";
    gpus[1].instance_id = AMD_ID;
    gpus[1].driver_version = "";   /* a GPU whose version is not known */

    /* No adapter, no record: nothing to say. */
    v = vm_with(NULL, NULL, 0);
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_NOTHING);
    CHECK(v.drivers.host_version == NULL);
    /* Adapters and no record. */
    v = vm_with(NULL, NULL, 1);
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_NONE);
    /* The same version, however its parts are written; the GPU's ID in
     * another case is the same GPU. */
    v = vm_with("32.00.15.6603", "pci\\ven_10de&dev_2786&subsys_51101458&rev_a1\\4&1a2b3c4d&0&0009", 1);
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_CURRENT);
    CHECK_STR(v.drivers.host_version, "32.0.15.6603");
    /* Another version: stale, whether older or newer, and with or without
     * an adapter (the record says what is in the guest). */
    v = vm_with("32.0.15.6094", NV_ID, 0);
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_STALE);
    CHECK_STR(v.drivers.host_version, "32.0.15.6603");
    v = vm_with("32.0.15.6604", NV_ID, 1);
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_STALE);
    /* Not a prefix match: 32.0.15.660 is not 32.0.15.6603. */
    v = vm_with("32.0.15.660", NV_ID, 1);
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_STALE);
    /* The record's GPU is gone from the host. */
    v = vm_with("32.0.15.6603", "PCI\\VEN_10DE&DEV_1B80&SUBSYS_37021462&REV_A1\\4&0&0&0008", 1);
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_GPU_MISSING);
    CHECK(v.drivers.host_version == NULL);
    v = vm_with("32.0.15.6603", NV_ID, 1);
    exhv_guest_drivers_of(&v, gpus, 0);
    CHECK_INT(v.drivers.state, EXHV_GDRV_GPU_MISSING);
    /* The GPU is there, its version unknown: neither current nor stale. */
    v = vm_with("31.0.24027.1012", AMD_ID, 1);
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_UNKNOWN);
    CHECK(v.drivers.host_version == NULL);
    /* A malformed record is never compared, even when its version would
     * match. */
    v = vm_with("32.0.15.6603", NV_ID, 1);
    v.drivers.record.problem = "DriverVersion is missing";
    exhv_guest_drivers_of(&v, gpus, 2);
    CHECK_INT(v.drivers.state, EXHV_GDRV_MALFORMED);
    CHECK(v.drivers.host_version == NULL);

    CHECK_STR(exhv_enum_name(EXHV_ENUM_GUEST_DRIVERS, EXHV_GDRV_GPU_MISSING), "gpu-missing");
    CHECK_STR(exhv_enum_name(EXHV_ENUM_GUEST_DRIVERS, EXHV_GDRV_STALE), "stale");
    CHECK(exhv_driver_version_eq("1.2.3.4", "01.2.03.4"));
    CHECK(!exhv_driver_version_eq("1.2.3.4", "1.2.3.4.5"));
    CHECK(!exhv_driver_version_eq("1.2.3.4", "1.2.3"));
    CHECK(!exhv_driver_version_eq("1.2.3.4", NULL));
    CHECK(exhv_driver_version_eq("beta-7", "BETA-7"));
}

/* ---- records read by the snapshot, as the import writes them ---- */

static int put_sz(exhv_conn *c, const char *vm, const char *name, const char *text)
{
    exhv_regval v = {0};
    exhv_error err;
    char key[256];
    snprintf(key, sizeof(key), "%s\\%s", EXHV_GUEST_DRIVERS_KEY, vm);
    v.type = EXHV_REG_SZ;
    v.str = (char *)text;
    v.len = strlen(text) + 1;
    return c->ops->reg_set(c->ctx, key, name, &v, &err) < 0 ? -1 : 0;
}

static int put_dword(exhv_conn *c, const char *vm, const char *name, uint32_t n)
{
    exhv_regval v = {0};
    exhv_error err;
    char key[256];
    snprintf(key, sizeof(key), "%s\\%s", EXHV_GUEST_DRIVERS_KEY, vm);
    v.type = EXHV_REG_DWORD;
    v.num = n;
    return c->ops->reg_set(c->ctx, key, name, &v, &err) < 0 ? -1 : 0;
}

static int put_multi(exhv_conn *c, const char *vm, const char *name, const char *nul_list,
                     size_t len)
{
    exhv_regval v = {0};
    exhv_error err;
    char key[256];
    snprintf(key, sizeof(key), "%s\\%s", EXHV_GUEST_DRIVERS_KEY, vm);
    v.type = EXHV_REG_MULTI_SZ;
    v.str = (char *)nul_list;
    v.len = len;
    return c->ops->reg_set(c->ctx, key, name, &v, &err) < 0 ? -1 : 0;
}

/* A whole record, as the contract writes it. */
static int put_record(exhv_conn *c, const char *vm, const char *name, const char *gpu,
                      const char *version)
{
    static const char pkgs[] = "nv_dispx.inf_amd64_0123abcd\0nvhdx.inf_amd64_4567\0";
    return put_sz(c, vm, "VmName", name) | put_sz(c, vm, "GpuInstanceId", gpu) |
           put_sz(c, vm, "DriverVersion", version) | put_sz(c, vm, "InfPath", "oem35.inf") |
           put_multi(c, vm, "Packages", pkgs, sizeof(pkgs)) | put_dword(c, vm, "AllPackages", 0);
}

static const exhv_vm *vm_named(const exhv_host *h, const char *id)
{
    return exhv_host_vm_by_id(h, id);
}

static exhv_host *snap(exhv_conn *c)
{
    exhv_host *h = NULL;
    exhv_error err;
    if (exhv_snapshot_take(c, &h, &err) < 0)
        return NULL;
    return h;
}

static void test_guest_drivers_records_in_snapshot(void)
{
    exhv_conn *c = NULL;
    exhv_error err;
    exhv_host *h;
    const exhv_vm *v;

    CHECK(exhv_conn_open("test:///default", &c, &err) == 0);
    if (!c)
        return;
    /* Before any record: VMs with adapters have none, the others nothing. */
    h = snap(c);
    CHECK(h != NULL);
    if (h) {
        CHECK_INT(vm_named(h, WIN11)->drivers.state, EXHV_GDRV_NONE);
        CHECK_INT(vm_named(h, DEVBOX)->drivers.state, EXHV_GDRV_NOTHING);
        exhv_host_free(h);
    }
    /* Stale: the host's NVIDIA driver is 32.0.15.6094. The key is named
     * in lower case: registry names are not case-sensitive. */
    CHECK(put_record(c, "8d2f0c4a-1b3e-4f5a-9c6d-7e8f90a1b2c3", "win11-gaming", NV_ID,
                     "32.0.15.5585") == 0);
    /* Current, on a VM without an adapter. */
    CHECK(put_record(c, DEVBOX, "dev-box", AMD_ID, "31.0.24027.1012") == 0);
    /* The GPU is gone. */
    CHECK(put_record(c, ROUTER, "router", "PCI\\VEN_10DE&DEV_1B80\\GONE", "27.21.14.7005") == 0);
    /* A record of a VM that no longer exists is no VM's state. */
    CHECK(put_record(c, "11111111-2222-3333-4444-555555555555", "deleted", NV_ID, "1.0.0.0") == 0);
    h = snap(c);
    CHECK(h != NULL);
    if (!h) {
        exhv_conn_close(c);
        return;
    }
    v = vm_named(h, WIN11);
    CHECK_INT(v->drivers.state, EXHV_GDRV_STALE);
    CHECK_STR(v->drivers.record.driver_version, "32.0.15.5585");
    CHECK_STR(v->drivers.host_version, "32.0.15.6094");
    CHECK_STR(v->drivers.record.inf_path, "oem35.inf");
    CHECK_STR(v->drivers.record.vm_name, "win11-gaming");
    CHECK_INT(v->drivers.record.npackages, 2);
    if (v->drivers.record.npackages == 2)
        CHECK_STR(v->drivers.record.packages[1], "nvhdx.inf_amd64_4567");
    CHECK_INT(v->drivers.record.all_packages, 0);
    CHECK_INT(vm_named(h, DEVBOX)->drivers.state, EXHV_GDRV_CURRENT);
    CHECK_INT(vm_named(h, ROUTER)->drivers.state, EXHV_GDRV_GPU_MISSING);
    CHECK_INT(vm_named(h, RENDER)->drivers.state, EXHV_GDRV_NONE);
    CHECK(h->nwarnings == 0);
    exhv_host_free(h);
    exhv_conn_close(c);
}

/* One defect per record; each is reported with what is wrong and nothing
 * of it is trusted. */
static void test_guest_drivers_malformed_records(void)
{
    static const struct {
        const char *value;   /* what is done to it */
        int kind;            /* 0 delete, 1 DWORD 7, 2 SZ "x", 3 empty SZ, 4 DWORD 2, 5 EXPAND_SZ */
        const char *problem;
    } cases[] = {
        {"DriverVersion", 0, "DriverVersion is missing"},
        {"DriverVersion", 1, "DriverVersion is REG_DWORD, not REG_SZ"},
        {"DriverVersion", 3, "DriverVersion is empty"},
        {"GpuInstanceId", 3, "GpuInstanceId is empty"},
        {"VmName", 0, "VmName is missing"},
        {"InfPath", 1, "InfPath is REG_DWORD, not REG_SZ"},
        {"DriverVersion", 5, "DriverVersion is REG_EXPAND_SZ, not REG_SZ"},
        {"Packages", 2, "Packages is REG_SZ, not REG_MULTI_SZ"},
        {"Packages", 0, "Packages is missing"},
        {"AllPackages", 2, "AllPackages is REG_SZ, not REG_DWORD"},
        {"AllPackages", 4, "AllPackages is 2, neither 0 nor 1"},
        {"AllPackages", 0, "AllPackages is missing"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        exhv_conn *c = NULL;
        exhv_error err;
        exhv_host *h;
        char key[256];
        CHECK(exhv_conn_open("test:///default", &c, &err) == 0);
        if (!c)
            return;
        /* A record that would be current if it were trusted. */
        CHECK(put_record(c, WIN11, "win11-gaming", NV_ID, "32.0.15.6094") == 0);
        snprintf(key, sizeof(key), "%s\\%s", EXHV_GUEST_DRIVERS_KEY, WIN11);
        switch (cases[i].kind) {
        case 0: CHECK(c->ops->reg_delete(c->ctx, key, cases[i].value, &err) == 0); break;
        case 1: CHECK(put_dword(c, WIN11, cases[i].value, 7) == 0); break;
        case 2: CHECK(put_sz(c, WIN11, cases[i].value, "x") == 0); break;
        case 3: CHECK(put_sz(c, WIN11, cases[i].value, "") == 0); break;
        case 4: CHECK(put_dword(c, WIN11, cases[i].value, 2) == 0); break;
        case 5: {
            exhv_regval x = {0};
            x.type = EXHV_REG_EXPAND_SZ;
            x.str = "%SystemRoot%";
            x.len = strlen(x.str) + 1;
            CHECK(c->ops->reg_set(c->ctx, key, cases[i].value, &x, &err) >= 0);
            break;
        }
        }
        h = snap(c);
        CHECK(h != NULL);
        if (h) {
            const exhv_vm *v = vm_named(h, WIN11);
            if (v->drivers.state != EXHV_GDRV_MALFORMED)
                fprintf(stderr, "  case %zu (%s): not malformed\n", i, cases[i].problem);
            CHECK_INT(v->drivers.state, EXHV_GDRV_MALFORMED);
            CHECK_STR(v->drivers.record.problem, cases[i].problem);
            CHECK(v->drivers.host_version == NULL);
            exhv_host_free(h);
        }
        exhv_conn_close(c);
    }
}

T_CASES(guestdrv_tests) = {
    {"guest_drivers_each_state", test_guest_drivers_each_state},
    {"guest_drivers_records_in_snapshot", test_guest_drivers_records_in_snapshot},
    {"guest_drivers_malformed_records", test_guest_drivers_malformed_records},
    T_END,
};
