#include <stdlib.h>

#include "../../bench/gen.h"
#include "hyperv/executor.h"
#include "hyperv/planner.h"
#include "hyperv/ports.h"
#include "hyperv/sim/sim.h"
#include "t.h"

static exhv_host *snap_text(const char *text, exhv_error *err)
{
    exhv_conn c = {0};
    exhv_host *h = NULL;
    c.uri = "test:///unit";
    c.simulated = 1;
    exhv_error_clear(err);
    if (exhv_sim_open_text(text, strlen(text), "unit", &c.ops, &c.ctx, err) < 0)
        return NULL;
    if (exhv_snapshot_take(&c, &h, err) < 0)
        h = NULL;
    c.ops->close(c.ctx);
    return h;
}

static exhv_host *snap_default(void)
{
    exhv_conn *c = NULL;
    exhv_host *h = NULL;
    exhv_error err;
    if (exhv_conn_open("test:///default", &c, &err) < 0)
        return NULL;
    if (exhv_snapshot_take(c, &h, &err) < 0)
        h = NULL;
    exhv_conn_close(c);
    return h;
}

static const exhv_device *dev_by_loc(const exhv_host *h, const char *loc)
{
    for (size_t i = 0; i < h->ndevices; i++)
        if (strcmp(h->devices[i].pnp.location_path, loc) == 0)
            return &h->devices[i];
    return NULL;
}

static const exhv_vm *vm_by_name(const exhv_host *h, const char *name)
{
    for (size_t i = 0; i < h->nvms; i++)
        if (strcmp(h->vms[i].name, name) == 0)
            return &h->vms[i];
    return NULL;
}

static void t_default_states(void)
{
    exhv_host *h = snap_default();
    const exhv_device *d;
    int count[EXHV_DDA__COUNT] = {0}, bridges = 0;
    CHECK(h != NULL);
    if (!h)
        return;
    for (size_t i = 0; i < h->ndevices; i++) {
        count[h->devices[i].state]++;
        bridges += h->devices[i].bridge;
    }
    CHECK(count[EXHV_DDA_HOST] > 0);
    CHECK_INT(count[EXHV_DDA_DISMOUNTED], 1);
    CHECK_INT(count[EXHV_DDA_ASSIGNED], 1);
    CHECK_INT(count[EXHV_DDA_MISSING], 1);
    CHECK_INT(bridges, 2);

    d = dev_by_loc(h, "PCIROOT(0)#PCI(0102)#PCI(0000)#PCI(0400)#PCI(0000)");
    CHECK(d && d->state == EXHV_DDA_DISMOUNTED && !d->vm_name);
    d = dev_by_loc(h, "PCIROOT(0)#PCI(0102)#PCI(0000)#PCI(0200)#PCI(0000)");
    CHECK(d && d->state == EXHV_DDA_ASSIGNED);
    if (d)
        CHECK_STR(d->vm_name, "router");
    /* The reference to hardware that is gone still names its slot. */
    d = dev_by_loc(h, "PCIROOT(0)#PCI(0104)#PCI(0000)");
    CHECK(d != NULL);
    for (size_t i = 0; i < h->ndevices; i++)
        if (h->devices[i].state == EXHV_DDA_MISSING) {
            CHECK_STR(h->devices[i].vm_name, "old-gaming");
            CHECK_STR(h->devices[i].pnp.location_path, "PCIROOT(0)#PCI(0104)#PCI(0000)");
        }
    d = dev_by_loc(h, "PCIROOT(0)#PCI(0101)#PCI(0000)");
    CHECK(d && d->state == EXHV_DDA_HOST && d->vendor_id == 0x10DE && d->device_id == 0x2786);
    if (d) {
        CHECK_INT(d->pnp.nmem, 3);
        CHECK_INT(d->pnp.interrupts, EXHV_IRQ_MSI);
    }
    /* Devices come sorted by location path. */
    for (size_t i = 1; i < h->ndevices; i++)
        CHECK(strcmp(h->devices[i - 1].pnp.location_path, h->devices[i].pnp.location_path) <= 0);
    exhv_host_free(h);
}

static void t_default_gpus(void)
{
    exhv_host *h = snap_default();
    CHECK(h != NULL);
    if (!h)
        return;
    CHECK_INT(h->ngpus, 3);
    if (h->ngpus == 3) {
        /* NVIDIA: partitionable though the GPU path differs in case. */
        CHECK_STR(h->gpus[0].vendor, "NVIDIA");
        CHECK(h->gpus[0].partitionable);
        CHECK_INT(h->gpus[0].vram_bytes, 12ull << 30);     /* QWORD */
        CHECK_INT(h->gpus[0].wddm_major, 3);
        CHECK_INT(h->gpus[0].wddm_minor, 2);
        CHECK_INT(h->gpus[0].part.partition_count, 32);
        CHECK_STR(h->gpus[1].vendor, "AMD");
        CHECK(h->gpus[1].partitionable);
        CHECK_INT(h->gpus[1].vram_bytes, 8ull << 30);      /* BINARY */
        CHECK_STR(h->gpus[2].name, "AMD Radeon(TM) Graphics");
        CHECK(!h->gpus[2].partitionable);
        CHECK_INT(h->gpus[2].vram_bytes, 512ull << 20);    /* DWORD MemorySize */
        for (unsigned i = 0; i < 3; i++)
            CHECK_INT(h->gpus[i].index, i);
    }
    exhv_host_free(h);
}

static void t_default_vms(void)
{
    exhv_host *h = snap_default();
    const exhv_vm *v;
    CHECK(h != NULL);
    if (!h)
        return;
    CHECK_INT(h->nvms, 6);  /* the host and the checkpoint are not VMs */
    v = vm_by_name(h, "win11-gaming");
    CHECK(v && v->nadapters == 1 && !v->adapters[0].stale && v->state == EXHV_VM_OFF);
    if (v)
        CHECK(exhv_strcaseeq(v->adapters[0].instance_path, h->gpus[1].partition_path));
    v = vm_by_name(h, "render-node");
    CHECK(v && v->nadapters == 1 && v->adapters[0].stale);
    v = vm_by_name(h, "dev-box");
    CHECK(v && v->state == EXHV_VM_RUNNING && v->dynamic_memory && v->stop_action == EXHV_STOP_SAVE &&
          v->checkpoint == EXHV_CKPT_STANDARD && v->low_mmio_mb == 128 && v->high_mmio_mb == 512);
    v = vm_by_name(h, "router");
    CHECK(v && v->ndevices == 1 && v->generation == 2 && v->ndisks == 1);
    if (v && v->ndisks)
        CHECK_STR(v->disks[0], "C:\\Hyper-V\\router\\router.vhdx");
    v = vm_by_name(h, "legacy-xp");
    CHECK(v && v->generation == 1);
    CHECK_INT(h->policy.secure_relaxed, 0);
    CHECK_INT(h->wmi_queries, 8);
    exhv_host_free(h);
}

/* The cost of a snapshot in WMI queries does not depend on the host's size. */
static void t_constant_queries(void)
{
    unsigned long q[3];
    int sizes[3][2] = {{10, 1}, {100, 10}, {400, 100}};
    for (int i = 0; i < 3; i++) {
        char *text = exhv_gen_scenario(sizes[i][0], sizes[i][1]);
        exhv_error err;
        exhv_host *h = text ? snap_text(text, &err) : NULL;
        CHECK(h != NULL);
        q[i] = h ? h->wmi_queries : 0;
        if (h) {
            CHECK_INT(h->nvms, sizes[i][1]);
            CHECK_INT(h->ndevices, sizes[i][0]);
        }
        exhv_host_free(h);
        free(text);
    }
    CHECK(q[0] > 0);
    CHECK_INT(q[1], q[0]);
    CHECK_INT(q[2], q[0]);
}

static void t_no_hyperv(void)
{
    exhv_error err;
    exhv_host *h = snap_text("{\"schema\": 1, \"host\": {\"build\": 19045, \"hyperv\": false}, "
                             "\"pnp\": [{\"instance_id\": \"PCI\\\\VEN_8086&DEV_1234\\\\1\", "
                             "\"location_path\": \"PCIROOT(0)#PCI(0200)\", \"class\": \"Net\"}],"
                             "\"wmi\": {\"Msvm_ComputerSystem\": [{\"Name\": "
                             "\"00000000-0000-4000-8000-000000000001\"}]}}", &err);
    CHECK(h != NULL);
    if (!h)
        return;
    CHECK(!h->hyperv);
    CHECK(h->hyperv_error && strstr(h->hyperv_error, "virtualization\\v2"));
    CHECK_INT(h->nvms, 0);
    CHECK_INT(h->wmi_queries, 0);
    CHECK_INT(h->ndevices, 1);
    CHECK_INT(h->devices[0].state, EXHV_DDA_HOST);
    exhv_host_free(h);
}

static void bad_scenario(const char *text, const char *want)
{
    exhv_error err;
    exhv_host *h = snap_text(text, &err);
    CHECK(h == NULL);
    if (!strstr(err.message, want))
        fprintf(stderr, "  message was: %s\n", err.message);
    CHECK(strstr(err.message, want) != NULL);
    exhv_host_free(h);
}

static void t_bad_scenarios(void)
{
    bad_scenario("[]", "must be a JSON object");
    bad_scenario("{\"schema\": 2, \"host\": {\"build\": 1}}", "schema");
    bad_scenario("{\"schema\": 1}", "host");
    bad_scenario("{\"schema\": 1, \"host\": {}}", "host.build");
    bad_scenario("{\"schema\": 1, \"host\": {\"build\": 1}, \"pnp\": [{\"instance_id\": \"USB\\\\X\"}]}",
                 "pnp[0]");
    bad_scenario("{\"schema\": 1, \"host\": {\"build\": 1}, \"wmi\": {\"Msvm_PciExpress\": [{}]}}",
                 "lacks its key property");
    bad_scenario("{\"schema\": 1, \"host\": {\"build\": 1}, \"wmi\": {\"Msvm_ComputerSystem\": "
                 "[{\"Name\": \"x\", \"P\": {\"nested\": 1}}]}}", "wmi.Msvm_ComputerSystem[0].P");
    bad_scenario("{\"schema\": 1, \"host\": {\"build\": 1}, \"registry\": {\"K\": {\"V\": 5}}}",
                 "dword");
    bad_scenario("{\"schema\": 1, \"host\": {\"build\": 1},", "not valid JSON");
}

static void t_open_errors(void)
{
    exhv_conn *c = NULL;
    exhv_error err;
    CHECK(exhv_conn_open("test://nothing", &c, &err) < 0);
    CHECK_INT(err.code, EXHV_E_USAGE);
    CHECK(exhv_conn_open("vmware:///", &c, &err) < 0);
    CHECK(strstr(err.message, "unknown connection URI") != NULL);
    CHECK(exhv_conn_open("test:////nonexistent/dir/host.json", &c, &err) < 0);
    CHECK_INT(err.code, EXHV_E_NOT_FOUND);
    CHECK(c == NULL);
}

/* The indexed joins give what a scan gives: every VM found by its ID in any
 * case, every assigned device's VM holds it in its list, and a host without
 * the index (built by hand) answers the same. */
static void t_indexed_joins(void)
{
    char *text = exhv_gen_scenario(3000, 300);
    exhv_error err;
    exhv_host *h = text ? snap_text(text, &err) : NULL;
    size_t assigned = 0, listed = 0;
    CHECK(h != NULL && h->vm_by_id != NULL);
    if (!h) {
        free(text);
        return;
    }
    for (size_t i = 0; i < h->nvms; i++) {
        char lower[64];
        exhv_vm_key *ix = h->vm_by_id;
        size_t n = strlen(h->vms[i].id);
        CHECK(exhv_host_vm_by_id(h, h->vms[i].id) == &h->vms[i]);
        for (size_t k = 0; k <= n && k < sizeof(lower); k++)
            lower[k] = (char)(h->vms[i].id[k] >= 'A' && h->vms[i].id[k] <= 'Z'
                                  ? h->vms[i].id[k] + 32 : h->vms[i].id[k]);
        lower[sizeof(lower) - 1] = '\0';
        CHECK(exhv_host_vm_by_id(h, lower) == &h->vms[i]);
        h->vm_by_id = NULL;
        CHECK(exhv_host_vm_by_id(h, lower) == &h->vms[i]);
        h->vm_by_id = ix;
        listed += h->vms[i].ndevices;
    }
    CHECK(exhv_host_vm_by_id(h, "00000000-0000-0000-0000-000000000000") == NULL);
    for (size_t i = 0; i < h->ndevices; i++) {
        const exhv_device *d = &h->devices[i];
        const exhv_vm *vm;
        if (d->state != EXHV_DDA_ASSIGNED)
            continue;
        assigned++;
        vm = exhv_host_vm_by_id(h, d->vm_id);
        CHECK(vm != NULL && strcmp(vm->name, d->vm_name) == 0);
    }
    /* Every fourth VM holds a device (bench/gen.h). */
    CHECK_INT(assigned, 75);
    CHECK_INT(listed, 75);
    exhv_host_free(h);
    free(text);
}

/* A generated host is a host changes can be made on, like a real one: it
 * carries the classes' Default templates, so a device moves into a VM and a
 * GPU partition is added, both to the end. */
static void t_generated_host_changes(void)
{
    char *text = exhv_gen_scenario(40, 8);
    exhv_conn c = {0};
    exhv_error err;
    exhv_host *h = NULL;
    exhv_plan p;
    exhv_report r;
    const exhv_device *d;
    const exhv_vm *vm;
    exhv_assign_opts ao = {0};
    exhv_gpu_opts go = {0};

    exhv_plan_init(&p);
    c.uri = "test:///unit";
    c.simulated = 1;
    exhv_error_clear(&err);
    CHECK(text && exhv_sim_open_text(text, strlen(text), "unit", &c.ops, &c.ctx, &err) == 0);
    if (!c.ops) {
        free(text);
        return;
    }
    CHECK(exhv_snapshot_take(&c, &h, &err) == 0);
    /* Device 2 is a present network function on the host; vm-0 is off. */
    d = h ? exhv_device_select(h, "PCIROOT(0)#PCI(0002)#PCI(0000)", &err) : NULL;
    vm = h ? exhv_vm_select(h, "vm-0", &err) : NULL;
    CHECK(d && vm && d->state == EXHV_DDA_HOST);
    if (d && vm) {
        CHECK(exhv_plan_assign(h, d, vm, &ao, &p, &err) == 0);
        CHECK(exhv_plan_execute(&c, &p, NULL, NULL, &r) == 0);
        CHECK(r.outcome == EXHV_OUTCOME_DONE);
        if (r.outcome != EXHV_OUTCOME_DONE)
            fprintf(stderr, "  assign: %s\n", r.error.message);
        exhv_report_release(&r);
    }
    exhv_plan_release(&p);
    exhv_plan_init(&p);
    exhv_host_free(h);
    h = NULL;
    CHECK(exhv_snapshot_take(&c, &h, &err) == 0);
    vm = h ? exhv_vm_select(h, "vm-2", &err) : NULL;
    CHECK(vm && h->ngpus > 0);
    if (vm && h->ngpus > 0) {
        size_t before = vm->nadapters;
        CHECK(exhv_plan_gpu_add(h, vm, NULL, &go, &p, &err) == 0);
        CHECK(exhv_plan_execute(&c, &p, NULL, NULL, &r) == 0);
        CHECK(r.outcome == EXHV_OUTCOME_DONE);
        if (r.outcome != EXHV_OUTCOME_DONE)
            fprintf(stderr, "  gpu add: %s\n", r.error.message);
        exhv_report_release(&r);
        exhv_host_free(h);
        h = NULL;
        CHECK(exhv_snapshot_take(&c, &h, &err) == 0);
        vm = h ? exhv_vm_select(h, "vm-2", &err) : NULL;
        CHECK(vm && vm->nadapters == before + 1);
    }
    exhv_plan_release(&p);
    exhv_host_free(h);
    c.ops->close(c.ctx);
    free(text);
}

/* An adapter whose HostResource reads back "Unknown" (early Windows 10
 * builds, where the GPU cannot be chosen) is Hyper-V's choice, not stale. */
static void t_adapter_unknown_not_stale(void)
{
    const char *id = "Microsoft:C0FFEE00-1234-4ABC-8DEF-0123456789AB\\\\7D8E9FA0";
    const char *at = strstr(exhv_sim_default_json, id), *hr, *end;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_error err;
    exhv_host *h = NULL;
    CHECK(at != NULL);
    if (!at)
        return;
    hr = strstr(at, "\"HostResource\": [");
    end = hr ? strchr(hr, ']') : NULL;
    CHECK(hr && end);
    if (!hr || !end)
        return;
    exhv_buf_add(&b, exhv_sim_default_json, (size_t)(hr - exhv_sim_default_json));
    exhv_buf_puts(&b, "\"HostResource\": [\"Unknown\"");
    exhv_buf_puts(&b, end);
    h = snap_text(exhv_buf_str(&b), &err);
    CHECK(h != NULL);
    for (size_t i = 0; h && i < h->nvms; i++)
        if (strcmp(h->vms[i].name, "render-node") == 0) {
            CHECK_INT(h->vms[i].nadapters, 1);
            if (h->vms[i].nadapters == 1) {
                CHECK_INT(h->vms[i].adapters[0].stale, 0);
                CHECK_STR(h->vms[i].adapters[0].instance_path, "");
            }
        }
    exhv_host_free(h);
    exhv_buf_release(&b);
}

T_CASES(snapshot_tests) = {
    {"snapshot/adapter_unknown_not_stale", t_adapter_unknown_not_stale},
    {"snapshot/indexed_joins", t_indexed_joins},
    {"snapshot/generated_host_changes", t_generated_host_changes},
    {"snapshot/default_states", t_default_states},
    {"snapshot/default_gpus", t_default_gpus},
    {"snapshot/default_vms", t_default_vms},
    {"snapshot/constant_queries", t_constant_queries},
    {"snapshot/no_hyperv", t_no_hyperv},
    {"snapshot/bad_scenarios", t_bad_scenarios},
    {"snapshot/open_errors", t_open_errors},
    T_END,
};
