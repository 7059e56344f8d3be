/* Real-host fidelity: phantom devnodes, the real Msvm_PciExpress DeviceID
 * form, typed and templated embedded instances, shutdown and jobs. */
#include <stdlib.h>

#include "hyperv/actions.h"
#include "hyperv/cimxml.h"
#include "hyperv/executor.h"
#include "hyperv/planner.h"
#include "hyperv/sim/sim.h"
#include "t.h"

typedef struct fixture {
    exhv_conn c;
    exhv_host *h;
} fixture;

static int open_text(fixture *f, const char *text, size_t len)
{
    exhv_error err;
    memset(f, 0, sizeof(*f));
    f->c.uri = "test:///unit";
    f->c.simulated = 1;
    if (exhv_sim_open_text(text, len, "unit", &f->c.ops, &f->c.ctx, &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    return exhv_snapshot_take(&f->c, &f->h, &err);
}

static int open_default(fixture *f)
{
    return open_text(f, exhv_sim_default_json, exhv_sim_default_json_len);
}

static int retake(fixture *f)
{
    exhv_error err;
    exhv_host_free(f->h);
    f->h = NULL;
    return exhv_snapshot_take(&f->c, &f->h, &err);
}

static void close_fixture(fixture *f)
{
    exhv_host_free(f->h);
    if (f->c.ops)
        f->c.ops->close(f->c.ctx);
}

/* Rows of the function whose identity (instance ID after the enumerator)
 * is `pure`. */
static size_t rows_of(const exhv_host *h, const char *pure, const exhv_device **last)
{
    size_t n = 0;
    for (size_t i = 0; i < h->ndevices; i++)
        if (exhv_strcaseeq(exhv_pnp_pure_id(h->devices[i].pnp.instance_id), pure)) {
            n++;
            *last = &h->devices[i];
        }
    return n;
}

/* The PnP node `id` as the port lists it: 1 present, 0 a phantom, -1 absent. */
static int node_state(fixture *f, const char *id)
{
    exhv_pnp_dev *l = NULL;
    size_t n = 0;
    exhv_error err;
    int st = -1;
    if (f->c.ops->pnp_list(f->c.ctx, &l, &n, &err) < 0)
        return -2;
    for (size_t i = 0; i < n; i++) {
        if (exhv_strcaseeq(l[i].instance_id, id))
            st = l[i].present;
        exhv_pnp_dev_release(&l[i]);
    }
    free(l);
    return st;
}

static int run_assign(fixture *f, const char *dev, const char *to, exhv_report *r)
{
    exhv_error err;
    exhv_plan p;
    exhv_assign_opts o = {0};
    const exhv_device *d = exhv_device_select(f->h, dev, &err);
    const exhv_vm *vm = NULL;
    int rc;
    if (!d || (strcmp(to, "host") != 0 && !(vm = exhv_vm_select(f->h, to, &err)))) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    if (exhv_plan_assign(f->h, d, vm, &o, &p, &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    rc = exhv_plan_execute(&f->c, &p, NULL, NULL, r);
    exhv_plan_release(&p);
    return rc;
}

#define I225 "\\VEN_8086&DEV_15F3&SUBSYS_87D21043&REV_03\\5&2E6B1C3&0&0300"

/* Item 4: a dismount leaves the PCI\ node behind not present, a mount back
 * the PCIP\ node; each function is one row all along. */
static void t_phantoms_dismount_mount(void)
{
    fixture f;
    exhv_report r;
    const exhv_device *d = NULL;
    CHECK(open_default(&f) == 0);
    CHECK(f.h->phantoms > 0);
    CHECK_INT(rows_of(f.h, I225, &d), 1);
    CHECK(run_assign(&f, "PCIROOT(0)#PCI(0102)#PCI(0000)#PCI(0300)#PCI(0000)", "win11-gaming", &r) == 0);
    exhv_report_release(&r);
    CHECK_INT(node_state(&f, "PCI" I225), 0);    /* the phantom the dismount left */
    CHECK_INT(node_state(&f, "PCIP" I225), 0);   /* held by the VM */
    CHECK(retake(&f) == 0);
    CHECK_INT(rows_of(f.h, I225, &d), 1);
    CHECK(d && d->state == EXHV_DDA_ASSIGNED);
    CHECK(d && strcmp(d->pnp.cls, "Net") == 0);  /* known from the phantom */
    CHECK(run_assign(&f, "PCIROOT(0)#PCI(0102)#PCI(0000)#PCI(0300)#PCI(0000)", "host", &r) == 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_DONE);
    exhv_report_release(&r);
    CHECK_INT(node_state(&f, "PCI" I225), 1);
    CHECK_INT(node_state(&f, "PCIP" I225), 0);   /* the phantom the mount left */
    CHECK(retake(&f) == 0);
    CHECK_INT(rows_of(f.h, I225, &d), 1);
    CHECK(d && d->state == EXHV_DDA_HOST && d->pnp.present && d->pnp.problem == 0);
    close_fixture(&f);
}

/* Item 4: rows come from present nodes; phantoms of a dismounted and of an
 * assigned function do not make a second row. */
static void t_phantoms_one_row(void)
{
    fixture f;
    const exhv_device *d = NULL;
    CHECK(open_default(&f) == 0);
    CHECK_INT(rows_of(f.h, "\\VEN_8086&DEV_125C&SUBSYS_00008086&REV_04\\5&2E6B1C3&0&0200", &d), 1);
    CHECK(d && d->state == EXHV_DDA_ASSIGNED);
    CHECK_INT(rows_of(f.h, "\\VEN_1B21&DEV_2142&SUBSYS_87561043&REV_00\\5&2E6B1C3&0&0400", &d), 1);
    CHECK(d && d->state == EXHV_DDA_DISMOUNTED && d->pnp.present);
    for (size_t i = 0; i < f.h->ndevices; i++)
        CHECK(f.h->devices[i].state != EXHV_DDA_HOST || f.h->devices[i].pnp.present);
    close_fixture(&f);
}

/* Item 4: a card swapped into the slot of another: the old card's phantom
 * is neither a row nor the device that is disabled and dismounted. */
static void t_phantoms_swapped_card(void)
{
    fixture f;
    exhv_report r;
    const exhv_device *d = NULL;
    const char *loc = "PCIROOT(0)#PCI(0201)#PCI(0000)";
    size_t at_loc = 0;
    CHECK(open_default(&f) == 0);
    for (size_t i = 0; i < f.h->ndevices; i++)
        at_loc += strcmp(f.h->devices[i].pnp.location_path, loc) == 0;
    CHECK_INT(at_loc, 1);
    CHECK(run_assign(&f, loc, "win11-gaming", &r) == 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_DONE);
    exhv_report_release(&r);
    CHECK_INT(node_state(&f, "PCI\\VEN_144D&DEV_A808&SUBSYS_A801144D&REV_00\\4&1C3F2A9B&0&0009"), 0);
    CHECK(retake(&f) == 0);
    d = NULL;
    for (size_t i = 0; i < f.h->ndevices; i++)
        if (strcmp(f.h->devices[i].pnp.location_path, loc) == 0)
            d = &f.h->devices[i];
    CHECK(d && d->state == EXHV_DDA_ASSIGNED && strstr(d->pnp.name, "990 PRO") != NULL);
    close_fixture(&f);
}

/* Item 5: a Missing device is known by the PCIP\ path in the reference's
 * DeviceID ("Microsoft:<id>\<PCIP path>"), shown with what the phantoms
 * still tell, and selected by that path. */
static void t_missing_device_id(void)
{
    fixture f;
    exhv_error err;
    const exhv_device *d;
    const char *pcip = "PCIP\\VEN_10DE&DEV_1B80&SUBSYS_37021462&REV_A1\\4&0BADC0DE&0&0011";
    CHECK_STR(exhv_pciexpress_instance("Microsoft:5A7B\\PCIP\\VEN_1&DEV_2\\3"), "PCIP\\VEN_1&DEV_2\\3");
    CHECK(exhv_pciexpress_instance("Microsoft:PCIROOT(0)#PCI(0104)") == NULL);
    CHECK(open_default(&f) == 0);
    d = exhv_device_select(f.h, pcip, &err);
    CHECK(d && d->state == EXHV_DDA_MISSING);
    if (d) {
        CHECK_STR(d->pnp.location_path, "PCIROOT(0)#PCI(0104)#PCI(0000)");
        CHECK_STR(d->pnp.name, "NVIDIA GeForce GTX 1080");
        CHECK(!d->pnp.present);
    }
    close_fixture(&f);
}

/* Item 5: the location path is the PCIROOT( entry of the list, not the
 * first one (an ACPI( entry can come first). */
static void t_location_pciroot(void)
{
    static const char text[] =
        "{\"schema\": 1, \"host\": {\"build\": 26100}, \"pnp\": [{\"instance_id\": "
        "\"PCI\\\\VEN_10DE&DEV_2786\\\\4&1\", \"location_paths\": [\"ACPI(_SB_)#ACPI(PC00)#ACPI(PEG0)\", "
        "\"PCIROOT(0)#PCI(0101)#PCI(0000)\"], \"name\": \"GPU\", \"class\": \"Display\"}]}";
    fixture f;
    CHECK(open_text(&f, text, sizeof(text) - 1) == 0);
    CHECK(f.h && f.h->ndevices == 1);
    if (f.h && f.h->ndevices == 1)
        CHECK_STR(f.h->devices[0].pnp.location_path, "PCIROOT(0)#PCI(0101)#PCI(0000)");
    close_fixture(&f);
}

/* Item 4: a card swapped into the slot of one a VM still refers to: the
 * location names two devices, so it selects neither; instance IDs do. */
static void t_slot_shared(void)
{
    exhv_host h = {0};
    exhv_device d[2];
    exhv_error err;
    const char *loc = "PCIROOT(0)#PCI(0104)#PCI(0000)";
    memset(d, 0, sizeof(d));
    d[0].pnp.instance_id = "PCI\\VEN_10DE&DEV_2786\\4&NEW";
    d[0].pnp.location_path = (char *)loc;
    d[0].pnp.name = "new card";
    d[0].pnp.present = 1;
    d[1].pnp.instance_id = "PCIP\\VEN_10DE&DEV_1B80\\4&OLD";
    d[1].pnp.location_path = (char *)loc;
    d[1].pnp.name = "old card";
    d[1].state = EXHV_DDA_MISSING;
    h.devices = d;
    h.ndevices = 2;
    CHECK(exhv_device_select(&h, loc, &err) == NULL);
    CHECK(strstr(err.message, "name one by its instance ID") != NULL);
    CHECK(exhv_device_select(&h, "PCIP\\VEN_10DE&DEV_1B80\\4&OLD", &err) == &d[1]);
    CHECK(exhv_device_select(&h, "pci\\ven_10de&dev_2786\\4&new", &err) == &d[0]);
}

/* Call a method of the simulated host with one hand-written embedded
 * instance; returns the ReturnValue or the failing job's ErrorCode, and the
 * job's description in why. */
static long raw_call(fixture *f, const char *cls, const char *method, const char *param,
                     int array, const char *xml, const char *affected, char *why, size_t whysz)
{
    exhv_wmi_obj in = {0}, out = {0};
    exhv_wmi_objs l = {0};
    exhv_error err;
    char q[160];
    long ret = -1;
    snprintf(q, sizeof(q), "SELECT * FROM %s", cls);
    why[0] = '\0';
    if (f->c.ops->wmi_query(f->c.ctx, q, &l, &err) < 0 || !l.count)
        return -1;
    if (array)
        exhv_wmi_set_strs(&in, param, &xml, 1);
    else
        exhv_wmi_set_str(&in, param, xml);
    if (affected)
        exhv_wmi_set_str(&in, "AffectedConfiguration", affected);
    if (f->c.ops->wmi_exec(f->c.ctx, l.items[0].path, method, &in, &out, &err) == 0) {
        ret = (long)exhv_wmi_int(&out, "ReturnValue", -1);
        if (ret == 4096) {
            exhv_wmi_obj job = {0};
            /* Jobs run for two polls. */
            for (int i = 0; i < 3; i++) {
                exhv_wmi_obj_release(&job);
                if (f->c.ops->wmi_get(f->c.ctx, exhv_wmi_str(&out, "Job"), &job, &err) < 0)
                    break;
            }
            ret = (long)exhv_wmi_int(&job, "ErrorCode", 0);
            snprintf(why, whysz, "%s", exhv_wmi_str(&job, "ErrorDescription") ? exhv_wmi_str(&job, "ErrorDescription") : "");
            exhv_wmi_obj_release(&job);
        }
    }
    exhv_wmi_obj_release(&in);
    exhv_wmi_obj_release(&out);
    exhv_wmi_objs_release(&l);
    return ret;
}

#define GAMING "8D2F0C4A-1B3E-4F5A-9C6D-7E8F90A1B2C3"

/* Items 1 and 3: what reaches Hyper-V is typed as the class documents it,
 * and the simulated host refuses, as WMI does, a wrong TYPE or a property
 * the class does not have. */
static void t_typed_instances(void)
{
    fixture f;
    exhv_error err;
    exhv_wmi_obj o = {0};
    exhv_buf b = EXHV_BUF_INIT;
    char why[256];
    CHECK(open_default(&f) == 0);
    /* exhv's own writes pass. */
    CHECK(exhv_hv_vm_set(&f.c, GAMING, "LowMmioGapSize", 1024, &err) == 0);
    CHECK(exhv_hv_vm_set(&f.c, GAMING, "GuestControlledCacheTypes", 1, &err) == 0);
    CHECK(exhv_hv_vm_memory(&f.c, GAMING, 0, &err) == 0);
    o.cls = exhv_strdup("Msvm_VirtualSystemSettingData");
    exhv_wmi_set_str(&o, "InstanceID", "Microsoft:" GAMING);
    exhv_wmi_set_int(&o, "HighMmioGapSize", 33280);
    exhv_wmi_set_bool(&o, "GuestControlledCacheTypes", 1);
    CHECK(exhv_cimxml_write(&b, &o, &err) == 0);
    CHECK(strstr(exhv_buf_str(&b), "NAME=\"HighMmioGapSize\" TYPE=\"uint64\"><VALUE>33280<") != NULL);
    CHECK(strstr(exhv_buf_str(&b), "NAME=\"GuestControlledCacheTypes\" TYPE=\"boolean\"><VALUE>true<") != NULL);
    CHECK(strstr(exhv_buf_str(&b), "TYPE=\"string\"><VALUE>33280") == NULL);
    /* An integer sent as TYPE="string": refused. */
    CHECK_INT(raw_call(&f, "Msvm_VirtualSystemManagementService", "ModifySystemSettings",
                       "SystemSettings", 0,
                       "<INSTANCE CLASSNAME=\"Msvm_VirtualSystemSettingData\"><PROPERTY NAME=\"InstanceID\" "
                       "TYPE=\"string\"><VALUE>Microsoft:" GAMING "</VALUE></PROPERTY><PROPERTY "
                       "NAME=\"LowMmioGapSize\" TYPE=\"string\"><VALUE>2048</VALUE></PROPERTY></INSTANCE>",
                       NULL, why, sizeof(why)), 4);
    CHECK(strstr(why, "type mismatch") != NULL);
    /* A property the class does not have: refused. */
    CHECK_INT(raw_call(&f, "Msvm_VirtualSystemManagementService", "ModifySystemSettings",
                       "SystemSettings", 0,
                       "<INSTANCE CLASSNAME=\"Msvm_VirtualSystemSettingData\"><PROPERTY NAME=\"InstanceID\" "
                       "TYPE=\"string\"><VALUE>Microsoft:" GAMING "</VALUE></PROPERTY><PROPERTY "
                       "NAME=\"LowMemoryMappedIoSpace\" TYPE=\"uint64\"><VALUE>2048</VALUE></PROPERTY></INSTANCE>",
                       NULL, why, sizeof(why)), 4);
    CHECK(strstr(why, "has no property LowMemoryMappedIoSpace") != NULL);
    /* The assignable-device service says 32773 for the same. */
    CHECK_INT(raw_call(&f, "Msvm_AssignableDeviceService", "DismountAssignableDevice",
                       "DismountSettingData", 0,
                       "<INSTANCE CLASSNAME=\"Msvm_AssignableDeviceDismountSettingData\"><PROPERTY "
                       "NAME=\"RequireAcsSupport\" TYPE=\"string\"><VALUE>false</VALUE></PROPERTY></INSTANCE>",
                       NULL, why, sizeof(why)), 32773);
    exhv_wmi_obj_release(&o);
    exhv_buf_release(&b);
    close_fixture(&f);
}

/* Item 2 (and 3): a new PCI Express or GPU partition setting starts from
 * the class's \Default template; one that lacks a template property is
 * refused. */
static void t_templates(void)
{
    fixture f;
    exhv_report r;
    exhv_wmi_objs l = {0};
    exhv_error err;
    char why[256];
    const char *gaming_vs = "\\\\LAB-HV01\\root\\virtualization\\v2:Msvm_VirtualSystemSettingData.InstanceID=\"Microsoft:" GAMING "\"";
    int seen = 0;
    CHECK(open_default(&f) == 0);
    /* A bare setting (what exhv sent before): refused for what it lacks. */
    CHECK_INT(raw_call(&f, "Msvm_VirtualSystemManagementService", "AddResourceSettings",
                       "ResourceSettings", 1,
                       "<INSTANCE CLASSNAME=\"Msvm_GpuPartitionSettingData\"><PROPERTY NAME=\"ResourceType\" "
                       "TYPE=\"uint16\"><VALUE>32770</VALUE></PROPERTY><PROPERTY NAME=\"ResourceSubType\" "
                       "TYPE=\"string\"><VALUE>Microsoft:Hyper-V:GPU Partition</VALUE></PROPERTY></INSTANCE>",
                       gaming_vs, why, sizeof(why)), 4);
    CHECK(strstr(why, "Default template") != NULL);
    /* exhv's: the template's values arrive with the setting. */
    CHECK(run_assign(&f, "ASMedia", "win11-gaming", &r) == 0);
    exhv_report_release(&r);
    CHECK(f.c.ops->wmi_query(f.c.ctx, "SELECT * FROM Msvm_PciExpressSettingData", &l, &err) == 0);
    for (size_t i = 0; i < l.count; i++)
        if (exhv_starts_with_ci(exhv_wmi_str(&l.items[i], "InstanceID"), "Microsoft:" GAMING)) {
            seen++;
            CHECK_STR(exhv_wmi_str(&l.items[i], "ElementName"), "PCI Express Port");
            CHECK_INT(exhv_wmi_int(&l.items[i], "VirtualQuantity", 0), 1);
        }
    CHECK_INT(seen, 1);
    exhv_wmi_objs_release(&l);
    CHECK(exhv_hv_gpu_add(&f.c, GAMING, NULL, NULL, 0, NULL, &err) == 0);
    CHECK(f.c.ops->wmi_query(f.c.ctx, "SELECT * FROM Msvm_GpuPartitionSettingData", &l, &err) == 0);
    seen = 0;
    for (size_t i = 0; i < l.count; i++)
        if (exhv_starts_with_ci(exhv_wmi_str(&l.items[i], "InstanceID"), "Microsoft:" GAMING) &&
            exhv_wmi_str(&l.items[i], "ElementName")) {
            seen++;
            CHECK_INT(exhv_wmi_int(&l.items[i], "MaxPartitionVRAM", 0), 1000000000);
        }
    CHECK_INT(seen, 1);
    exhv_wmi_objs_release(&l);
    close_fixture(&f);
}

/* The default scenario with one host setting added ("name": value). */
static int open_with_host(fixture *f, const char *member)
{
    const char *at = strstr(exhv_sim_default_json, "\"host\": {");
    exhv_buf t = EXHV_BUF_INIT;
    int rc;
    if (!at)
        return -1;
    at += strlen("\"host\": {");
    exhv_buf_add(&t, exhv_sim_default_json, (size_t)(at - exhv_sim_default_json));
    exhv_buf_printf(&t, "%s, ", member);
    exhv_buf_puts(&t, at);
    rc = open_text(f, exhv_buf_str(&t), t.len);
    exhv_buf_release(&t);
    return rc;
}

static int vm_state_of(fixture *f, const char *name)
{
    for (size_t i = 0; i < f->h->nvms; i++)
        if (strcmp(f->h->vms[i].name, name) == 0)
            return (int)f->h->vms[i].enabled_state;
    return -1;
}

/* Progress as the CLI gets it: the DONE phases and their notes. */
typedef struct seen {
    int done_notes;
    char note[256];
} seen;

static void on_progress(void *ud, exhv_phase ph, size_t i, size_t n, const exhv_step *s,
                        const exhv_error *err)
{
    seen *v = ud;
    (void)i;
    (void)n;
    (void)s;
    if (ph == EXHV_PHASE_DONE && err && err->message[0]) {
        v->done_notes++;
        snprintf(v->note, sizeof(v->note), "%s", err->message);
    }
}

static int run_stop(fixture *f, seen *v, exhv_report *r)
{
    exhv_error err;
    exhv_plan p;
    exhv_assign_opts o = {0};
    const exhv_device *d = exhv_device_select(f->h, "RTX 4070", &err);
    const exhv_vm *vm = exhv_vm_select(f->h, "dev-box", &err);
    int rc;
    o.stop = 1;
    if (!d || !vm || exhv_plan_assign(f->h, d, vm, &o, &p, &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return -2;
    }
    memset(v, 0, sizeof(*v));
    rc = exhv_plan_execute(&f->c, &p, on_progress, v, r);
    exhv_plan_release(&p);
    return rc;
}

/* Item 6: InitiateShutdown may answer 4096 without a job: exhv waits for
 * the VM's state instead of turning it off. */
static void t_shutdown_4096(void)
{
    fixture f;
    seen v;
    exhv_report r;
    CHECK(open_with_host(&f, "\"guest_shutdown\": \"slow\"") == 0);
    CHECK(run_stop(&f, &v, &r) == 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_DONE);
    CHECK_INT(v.done_notes, 0);
    CHECK_INT(r.notes.len, 0);
    /* Shut down, never turned off. */
    CHECK_INT(exhv_sim_call_count(f.c.ctx, "RequestStateChange"), 0);
    exhv_report_release(&r);
    close_fixture(&f);
}

/* Item 6: a shutdown request the guest refuses is an error that leaves the
 * VM running; exhv does not turn it off at once. */
static void t_shutdown_refused(void)
{
    fixture f;
    seen v;
    exhv_report r;
    CHECK(open_default(&f) == 0);
    exhv_sim_inject_fault(f.c.ctx, "InitiateShutdown", 1, 32775, 0);
    CHECK(run_stop(&f, &v, &r) < 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_ROLLED_BACK);
    CHECK_INT(exhv_sim_call_count(f.c.ctx, "RequestStateChange"), 0);
    CHECK(retake(&f) == 0);
    CHECK_INT(vm_state_of(&f, "dev-box"), 2);
    exhv_report_release(&r);
    close_fixture(&f);
}

/* Item 6: "already shutting down" (32782) and "not ready" (32780) are waited
 * on, not answered by turning the VM off. */
static void t_shutdown_in_progress(void)
{
    fixture f;
    seen v;
    exhv_report r;
    unsigned long q0;
    int off = 0;
    CHECK(open_default(&f) == 0);
    /* A shutdown already under way: exhv waits the whole timeout for the
     * VM's state (one look per 500 ms) before it turns the VM off. */
    exhv_sim_inject_fault(f.c.ctx, "InitiateShutdown", 1, 32782, 0);
    q0 = f.c.ops->wmi_query_count(f.c.ctx);
    CHECK(exhv_hv_vm_shutdown(&f.c, "2B7E1516-28AE-4D2A-A6F7-15880904CF4F", 60000, &off,
                              &r.error) == 0);
    CHECK(f.c.ops->wmi_query_count(f.c.ctx) - q0 >= 120);
    CHECK_INT(off, 1);
    close_fixture(&f);
    CHECK(open_with_host(&f, "\"guest_shutdown\": \"not_ready\"") == 0);
    CHECK(run_stop(&f, &v, &r) == 0);
    CHECK(exhv_sim_call_count(f.c.ctx, "InitiateShutdown") > 1);   /* asked again */
    CHECK_INT(exhv_sim_call_count(f.c.ctx, "RequestStateChange"), 1);
    CHECK_INT(v.done_notes, 1);
    exhv_report_release(&r);
    close_fixture(&f);
}

/* Issue 8 item 10: when the guest does not shut down in time and exhv turns
 * the VM off, the progress and the result say so, not "done". */
static void t_shutdown_turned_off_said(void)
{
    fixture f;
    seen v;
    exhv_report r;
    CHECK(open_with_host(&f, "\"guest_shutdown\": \"ignore\"") == 0);
    CHECK(run_stop(&f, &v, &r) == 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_DONE);
    CHECK_INT(exhv_sim_call_count(f.c.ctx, "RequestStateChange"), 1);
    CHECK_INT(v.done_notes, 1);
    CHECK(strstr(v.note, "dev-box was turned off, not shut down") != NULL);
    CHECK(strstr(exhv_buf_str(&r.notes), "turned off, not shut down") != NULL);
    CHECK(retake(&f) == 0);
    CHECK_INT(vm_state_of(&f, "dev-box"), 3);
    exhv_report_release(&r);
    close_fixture(&f);
}

/* Item 6: a job is read by its own path, whatever CIM_ConcreteJob subclass
 * it is; every state above 7 is a failure. */
static void t_jobs(void)
{
    fixture f;
    exhv_report r;
    exhv_error err;
    CHECK(open_with_host(&f, "\"job_class\": \"Msvm_StorageJob\"") == 0);
    CHECK(run_assign(&f, "ASMedia", "win11-gaming", &r) == 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_DONE);
    exhv_report_release(&r);
    close_fixture(&f);
    CHECK(open_default(&f) == 0);
    exhv_sim_inject_job_state(f.c.ctx, "ModifySystemSettings", 1, 32768);
    CHECK(exhv_hv_vm_set(&f.c, GAMING, "LowMmioGapSize", 1024, &err) < 0);
    CHECK(strstr(err.message, "state 32768") != NULL);
    exhv_sim_inject_job_state(f.c.ctx, "ModifySystemSettings", 2, 9);
    CHECK(exhv_hv_vm_set(&f.c, GAMING, "LowMmioGapSize", 1024, &err) < 0);
    close_fixture(&f);
}

/* Item 7: a failing optional query (the GPU partitioning classes, absent
 * on Server 2016) degrades that part with a warning; the snapshot, and so
 * status, devices and vms, still answer. */
static void t_optional_gpu_query(void)
{
    fixture f, d;
    CHECK(open_default(&d) == 0);
    CHECK(open_with_host(&f, "\"absent_classes\": [\"Msvm_PartitionableGpu\", "
                             "\"Msvm_GpuPartitionSettingData\"]") == 0);
    CHECK(f.h != NULL);
    if (f.h && d.h) {
        CHECK_INT(f.h->nwarnings, 1);
        CHECK(f.h->nwarnings && strstr(f.h->warnings[0], "GPU partitioning could not be read"));
        CHECK_INT(f.h->ndevices, d.h->ndevices);
        CHECK_INT(f.h->nvms, d.h->nvms);
        for (size_t i = 0; i < f.h->ngpus; i++)
            CHECK(!f.h->gpus[i].partitionable);
        CHECK_INT(d.h->nwarnings, 0);
    }
    close_fixture(&f);
    close_fixture(&d);
}

/* Item 4: enabling after a mount targets the function's PCI\ node, never
 * the PCIP\ node the mount leaves behind, even when no node is found at
 * the location. */
static void t_enable_not_pcip(void)
{
    fixture f;
    exhv_error err;
    const char *pcip = "PCIP\\VEN_1B21&DEV_2142&SUBSYS_87561043&REV_00\\5&2E6B1C3&0&0400";
    CHECK(open_default(&f) == 0);
    CHECK(exhv_hv_dev_set_enabled(&f.c, "PCIROOT(9)#PCI(0000)", pcip, 1, &err) < 0);
    CHECK(strstr(err.message, "PCI\\VEN_1B21&DEV_2142") != NULL);
    CHECK(strstr(err.message, "PCIP\\") == NULL);
    close_fixture(&f);
}

T_CASES(fidelity_tests) = {
    {"fidelity/enable_not_pcip", t_enable_not_pcip},
    {"fidelity/optional_gpu_query", t_optional_gpu_query},
    {"fidelity/shutdown_4096", t_shutdown_4096},
    {"fidelity/shutdown_refused", t_shutdown_refused},
    {"fidelity/shutdown_in_progress", t_shutdown_in_progress},
    {"fidelity/shutdown_turned_off_said", t_shutdown_turned_off_said},
    {"fidelity/jobs", t_jobs},
    {"fidelity/typed_instances", t_typed_instances},
    {"fidelity/templates", t_templates},
    {"fidelity/slot_shared", t_slot_shared},
    {"fidelity/location_pciroot", t_location_pciroot},
    {"fidelity/phantoms_dismount_mount", t_phantoms_dismount_mount},
    {"fidelity/phantoms_one_row", t_phantoms_one_row},
    {"fidelity/phantoms_swapped_card", t_phantoms_swapped_card},
    {"fidelity/missing_device_id", t_missing_device_id},
    T_END,
};
