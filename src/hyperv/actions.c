#include "actions.h"
#include "hyperv/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "hyperv/cimxml.h"
#include "platform/lock.h"

/* libvirt polls jobs every 100 ms for at most 5 minutes and notes that
 * Windows' own timeout cannot be relied on (reference/hyperv-wmi.md). */
#define JOB_POLL_MS 100
#define JOB_TIMEOUT_MS (5u * 60u * 1000u)
/* How long a guest gets to shut down before the VM is turned off (the
 * plan says so: "turned off if it does not stop in time"). */
#define SHUTDOWN_TIMEOUT_MS 60000u

/* Elapsed time while waiting for Hyper-V: the real clock on a real host;
 * on the simulated host, whose jobs and guests move on with each look, the
 * sum of the waits it would have taken, so that a timeout there costs no
 * real time. */
typedef struct waiter {
    const exhv_conn *c;
    unsigned long long start, simulated;
} waiter;

static waiter wait_begin(const exhv_conn *c)
{
    waiter w = {c, c->simulated ? 0 : exhv_clock_ms(), 0};
    return w;
}

static unsigned long long waited(const waiter *w)
{
    return w->c->simulated ? w->simulated : exhv_clock_ms() - w->start;
}

static void wait_ms(waiter *w, unsigned ms)
{
    if (w->c->simulated)
        w->simulated += ms;
    else
        exhv_sleep_ms(ms);
}

/* The first object of a query, by path; NULL (err set) when there is none. */
static char *first_path(exhv_conn *c, const char *wql, const char *what, exhv_error *err)
{
    exhv_wmi_objs l = {0};
    char *path = NULL;
    if (c->ops->wmi_query(c->ctx, wql, &l, err) < 0)
        return NULL;
    if (l.count == 0)
        exhv_error_set(err, EXHV_E_NOT_FOUND, "%s was not found", exhv_tr(what));
    else if (!(path = exhv_strdup(l.items[0].path)))
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    exhv_wmi_objs_release(&l);
    return path;
}

/* Wait for a job: read it by its own path (it may be any subclass of
 * CIM_ConcreteJob, not only Msvm_ConcreteJob) until it completes (7); every
 * state above 7 is a failure. The timeout counts elapsed time
 * (reference/hyperv-wmi.md, "Return values and jobs"). */
static int wait_job(exhv_conn *c, const char *job_path, const char *what, exhv_error *err)
{
    waiter w = wait_begin(c);
    for (;;) {
        exhv_wmi_obj job = {0};
        int64_t state;
        int rc = c->ops->wmi_get(c->ctx, job_path, &job, err);
        if (rc == -2)
            return exhv_error_set(err, EXHV_E_PLATFORM, "%s: Hyper-V's job %s vanished", what,
                                  job_path);
        if (rc < 0)
            return -1;
        state = exhv_wmi_int(&job, "JobState", 0);
        if (state == 7) {
            exhv_wmi_obj_release(&job);
            return 0;
        }
        if (state > 7) {
            unsigned long code = (unsigned long)exhv_wmi_int(&job, "ErrorCode", 0);
            const char *desc = exhv_wmi_str(&job, "ErrorDescription");
            if (code == 0)
                exhv_error_set(err, EXHV_E_PLATFORM, "%s failed: Hyper-V's job ended in state %lld",
                               what, (long long)state);
            else
                exhv_error_set(err, EXHV_E_PLATFORM, "%s failed: %s", what,
                               desc && *desc ? desc : exhv_msvm_return_text(code));
            if (code)
                exhv_error_platform(err, EXHV_PLAT_MSVM, code, exhv_msvm_return_text(code));
            exhv_wmi_obj_release(&job);
            return -1;
        }
        exhv_wmi_obj_release(&job);
        if (waited(&w) >= JOB_TIMEOUT_MS)
            return exhv_error_set(err, EXHV_E_PLATFORM, "%s: Hyper-V's job did not finish in %u s",
                                  what, JOB_TIMEOUT_MS / 1000);
        wait_ms(&w, JOB_POLL_MS);
    }
}

/* Call a method and wait for its job. out (optional) gets the out-params. */
static int call(exhv_conn *c, const char *path, const char *method, const exhv_wmi_obj *in,
                exhv_wmi_obj *out, const char *what, exhv_error *err)
{
    exhv_wmi_obj res = {0};
    int64_t ret;

    what = exhv_tr(what);
    if (c->ops->wmi_exec(c->ctx, path, method, in, &res, err) < 0) {
        exhv_error_prefix(err, "%s", what);
        return -1;
    }
    ret = exhv_wmi_int(&res, "ReturnValue", -1);
    if (ret == 4096) {
        char *job = exhv_strdup(exhv_wmi_str(&res, "Job"));
        int rc = job ? wait_job(c, job, what, err)
                     : exhv_error_set(err, EXHV_E_PLATFORM, "%s: no job path", what);
        free(job);
        if (rc < 0) {
            exhv_wmi_obj_release(&res);
            return -1;
        }
    } else if (ret != 0) {
        exhv_error_set(err, EXHV_E_PLATFORM, "%s failed: Hyper-V answered %s", what,
                       exhv_msvm_return_text((unsigned long)ret));
        exhv_error_platform(err, EXHV_PLAT_MSVM, (unsigned long)ret,
                            exhv_msvm_return_text((unsigned long)ret));
        exhv_wmi_obj_release(&res);
        return -1;
    }
    if (out)
        *out = res;
    else
        exhv_wmi_obj_release(&res);
    return 0;
}

static char *service(exhv_conn *c, const char *cls, exhv_error *err)
{
    char wql[128];
    snprintf(wql, sizeof(wql), "SELECT * FROM %s", cls);
    return first_path(c, wql, cls, err);
}

/* One embedded instance as a string value (or a one-element array). */
static int set_embedded(exhv_wmi_obj *in, const char *param, const exhv_wmi_obj *inst, int array,
                        exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;
    const char *one;
    int rc;
    if (exhv_cimxml_write(&b, inst, err) < 0)
        return -1;
    one = exhv_buf_str(&b);
    rc = array ? exhv_wmi_set_strs(in, param, &one, 1) : exhv_wmi_set_str(in, param, one);
    exhv_buf_release(&b);
    return rc < 0 ? exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory") : 0;
}

int exhv_hv_default_setting(exhv_conn *c, const char *subtype, exhv_wmi_obj *out,
                            exhv_error *err)
{
    exhv_buf q = EXHV_BUF_INIT;
    exhv_wmi_objs caps = {0}, refs = {0};
    const char *part = NULL;
    exhv_wmi_obj tmpl = {0};
    int rc = -1;

    exhv_buf_puts(&q, "SELECT * FROM Msvm_AllocationCapabilities WHERE ResourceSubType = ");
    exhv_wql_quote(&q, subtype);
    if (c->ops->wmi_query(c->ctx, exhv_buf_str(&q), &caps, err) < 0)
        goto out;
    if (caps.count == 0) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "Hyper-V offers no \"%s\" resources on this host "
                                              "(no Msvm_AllocationCapabilities)", subtype);
        goto out;
    }
    exhv_buf_reset(&q);
    exhv_buf_printf(&q, "REFERENCES OF {%s} WHERE ResultClass = Msvm_SettingsDefineCapabilities",
                    caps.items[0].path);
    if (c->ops->wmi_query(c->ctx, exhv_buf_str(&q), &refs, err) < 0)
        goto out;
    for (size_t i = 0; i < refs.count && !part; i++)
        if (exhv_wmi_int(&refs.items[i], "ValueRole", -1) == 0)
            part = exhv_wmi_str(&refs.items[i], "PartComponent");
    if (!part) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "Hyper-V names no default \"%s\" setting", subtype);
        goto out;
    }
    if ((rc = c->ops->wmi_get(c->ctx, part, &tmpl, err)) < 0) {
        if (rc == -2)
            exhv_error_set(err, EXHV_E_NOT_FOUND, "the default \"%s\" setting is gone", subtype);
        rc = -1;
        goto out;
    }
    *out = tmpl;
    memset(&tmpl, 0, sizeof(tmpl));
    rc = 0;
out:
    exhv_buf_release(&q);
    exhv_wmi_objs_release(&caps);
    exhv_wmi_objs_release(&refs);
    exhv_wmi_obj_release(&tmpl);
    return rc;
}

/* The template of a new setting: the default setting without its
 * InstanceID (Hyper-V names the new setting itself). */
static int default_setting(exhv_conn *c, const char *subtype, exhv_wmi_obj *out, exhv_error *err)
{
    if (exhv_hv_default_setting(c, subtype, out, err) < 0)
        return -1;
    for (size_t i = 0; i < out->nprops; i++)
        if (exhv_strcaseeq(out->props[i].name, "InstanceID"))
            exhv_value_release(&out->props[i].v);
    return 0;
}

/* Change one property of one settings object through the management
 * service: the embedded instance names the object by InstanceID and
 * carries only that property (older hosts reject unknown properties). */
static int modify_one(exhv_conn *c, const char *method, const char *param, int array,
                      const char *cls, const char *instance_id, const char *prop,
                      const exhv_value *value, const char *what, exhv_error *err)
{
    exhv_wmi_obj inst = {0}, in = {0};
    char *svc = service(c, "Msvm_VirtualSystemManagementService", err);
    int rc = -1;

    if (!svc)
        return -1;
    if (!(inst.cls = exhv_strdup(cls)) || exhv_wmi_set_str(&inst, "InstanceID", instance_id) < 0 ||
        exhv_wmi_set_value(&inst, prop, value) < 0)
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    else if (set_embedded(&in, param, &inst, array, err) == 0)
        rc = call(c, svc, method, &in, NULL, what, err);
    free(svc);
    exhv_wmi_obj_release(&inst);
    exhv_wmi_obj_release(&in);
    return rc;
}

int exhv_hv_vm_set(exhv_conn *c, const char *vm_id, const char *prop, int64_t value,
                   exhv_error *err)
{
    exhv_buf id = EXHV_BUF_INIT;
    exhv_value v = {.type = strcmp(prop, EXHV_PROP_GUEST_CACHE) == 0 ? EXHV_V_BOOL : EXHV_V_INT,
                    .i = value};
    int rc;

    exhv_buf_printf(&id, "Microsoft:%s", vm_id);
    rc = modify_one(c, "ModifySystemSettings", "SystemSettings", 0,
                    "Msvm_VirtualSystemSettingData", exhv_buf_str(&id), prop, &v,
                    "changing the VM's settings", err);
    exhv_buf_release(&id);
    return rc;
}

int exhv_hv_vm_memory(exhv_conn *c, const char *vm_id, int dynamic, exhv_error *err)
{
    exhv_wmi_objs l = {0};
    exhv_buf prefix = EXHV_BUF_INIT;
    exhv_value v = {.type = EXHV_V_BOOL, .i = dynamic != 0};
    const char *iid = NULL;
    int rc = -1;

    exhv_buf_printf(&prefix, "Microsoft:%s\\", vm_id);
    if (c->ops->wmi_query(c->ctx, "SELECT * FROM Msvm_MemorySettingData", &l, err) == 0) {
        for (size_t i = 0; i < l.count && !iid; i++)
            if (exhv_starts_with_ci(exhv_wmi_str(&l.items[i], "InstanceID"), exhv_buf_str(&prefix)))
                iid = exhv_wmi_str(&l.items[i], "InstanceID");
        if (!iid)
            exhv_error_set(err, EXHV_E_NOT_FOUND, "the VM's memory settings were not found");
        else
            rc = modify_one(c, "ModifyResourceSettings", "ResourceSettings", 1,
                            "Msvm_MemorySettingData", iid, "DynamicMemoryEnabled", &v,
                            "changing the VM's memory", err);
    }
    exhv_buf_release(&prefix);
    exhv_wmi_objs_release(&l);
    return rc;
}

static char *vm_path(exhv_conn *c, const char *vm_id, exhv_error *err)
{
    exhv_buf q = EXHV_BUF_INIT;
    char *p;
    exhv_buf_puts(&q, "SELECT * FROM Msvm_ComputerSystem WHERE Name = ");
    exhv_wql_quote(&q, vm_id);
    p = first_path(c, exhv_buf_str(&q), "the VM", err);
    exhv_buf_release(&q);
    return p;
}

int exhv_hv_vm_state(exhv_conn *c, const char *vm_id, int state, exhv_error *err)
{
    char *path = vm_path(c, vm_id, err);
    exhv_wmi_obj in = {0};
    int rc;
    if (!path)
        return -1;
    if (exhv_wmi_set_int(&in, "RequestedState", state) < 0) {
        free(path);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    rc = call(c, path, "RequestStateChange", &in, NULL,
              state == 2 ? "starting the VM" : "turning the VM off", err);
    exhv_wmi_obj_release(&in);
    free(path);
    return rc;
}

/* The path of a VM's realized settings (the AffectedConfiguration of
 * AddResourceSettings). */
static char *settings_path(exhv_conn *c, const char *vm_id, exhv_error *err)
{
    exhv_buf q = EXHV_BUF_INIT, id = EXHV_BUF_INIT;
    char *p;
    exhv_buf_printf(&id, "Microsoft:%s", vm_id);
    exhv_buf_puts(&q, "SELECT * FROM Msvm_VirtualSystemSettingData WHERE InstanceID = ");
    exhv_wql_quote(&q, exhv_buf_str(&id));
    p = first_path(c, exhv_buf_str(&q), "the VM's settings", err);
    exhv_buf_release(&q);
    exhv_buf_release(&id);
    return p;
}

/* RemoveResourceSettings of one setting, by path. */
static int remove_setting(exhv_conn *c, const char *path, const char *what, exhv_error *err)
{
    exhv_wmi_obj in = {0};
    char *svc = service(c, "Msvm_VirtualSystemManagementService", err);
    int rc = -1;
    if (!svc)
        return -1;
    if (exhv_wmi_set_strs(&in, "ResourceSettings", &path, 1) < 0)
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    else
        rc = call(c, svc, "RemoveResourceSettings", &in, NULL, what, err);
    free(svc);
    exhv_wmi_obj_release(&in);
    return rc;
}

static int vm_enabled_state(exhv_conn *c, const char *vm_id, int64_t *state, exhv_error *err)
{
    exhv_buf q = EXHV_BUF_INIT;
    exhv_wmi_objs l = {0};
    int rc;
    exhv_buf_puts(&q, "SELECT * FROM Msvm_ComputerSystem WHERE Name = ");
    exhv_wql_quote(&q, vm_id);
    rc = c->ops->wmi_query(c->ctx, exhv_buf_str(&q), &l, err);
    if (rc == 0 && l.count == 0)
        rc = exhv_error_set(err, EXHV_E_NOT_FOUND, "the VM is gone");
    if (rc == 0)
        *state = exhv_wmi_int(&l.items[0], "EnabledState", 0);
    exhv_wmi_objs_release(&l);
    exhv_buf_release(&q);
    return rc;
}

/* Ask the guest to shut down: InitiateShutdown(Force, Reason). It has no Job
 * out-parameter, yet may answer 4096 (under way); 32782 means a shutdown is
 * already under way and 32780 that the guest is not ready yet
 * (reference/hyperv-wmi.md, "Virtual machines"). */
static int shutdown_request(exhv_conn *c, const char *sc, int64_t *ret, exhv_error *err)
{
    exhv_wmi_obj in = {0}, out = {0};
    int rc = -1;
    if (exhv_wmi_set_bool(&in, "Force", 1) < 0 ||
        exhv_wmi_set_str(&in, "Reason", "exhv: the VM must be off to change its devices") < 0)
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    else if (c->ops->wmi_exec(c->ctx, sc, "InitiateShutdown", &in, &out, err) < 0)
        exhv_error_prefix(err, "asking the guest to shut down");
    else {
        *ret = exhv_wmi_int(&out, "ReturnValue", -1);
        rc = 0;
    }
    exhv_wmi_obj_release(&in);
    exhv_wmi_obj_release(&out);
    return rc;
}

#define SHUTDOWN_POLL_MS 500

int exhv_hv_vm_shutdown(exhv_conn *c, const char *vm_id, unsigned timeout_ms, int *turned_off,
                        exhv_error *err)
{
    exhv_buf q = EXHV_BUF_INIT;
    char *sc;
    int64_t state = 0, ret = -1;
    waiter w = wait_begin(c);

    *turned_off = 0;
    exhv_buf_puts(&q, "SELECT * FROM Msvm_ShutdownComponent WHERE SystemName = ");
    exhv_wql_quote(&q, vm_id);
    sc = first_path(c, exhv_buf_str(&q), "the VM's shutdown integration service", err);
    exhv_buf_release(&q);
    if (!sc) {
        if (err->code == EXHV_E_NOT_FOUND)
            exhv_error_set(err, EXHV_E_FAILED,
                           "the VM's guest offers no shutdown service (integration services off "
                           "or not installed), so exhv cannot shut it down: shut it down from "
                           "inside the guest, or turn it off yourself (Stop-VM -TurnOff), then "
                           "run exhv again");
        return -1;
    }
    /* A request the guest is not ready for is asked again; one that is
     * refused is an error, never a reason to turn the VM off at once. */
    for (;;) {
        if (shutdown_request(c, sc, &ret, err) < 0) {
            free(sc);
            return -1;
        }
        if (ret != 32780 || waited(&w) >= timeout_ms)
            break;
        wait_ms(&w, 1000);
    }
    free(sc);
    if (ret != 0 && ret != 4096 && ret != 32782 && ret != 32780) {
        exhv_error_set(err, EXHV_E_PLATFORM, "the guest did not accept the shutdown request: %s",
                       exhv_msvm_return_text((unsigned long)ret));
        exhv_error_platform(err, EXHV_PLAT_MSVM, (unsigned long)ret,
                            exhv_msvm_return_text((unsigned long)ret));
        return -1;
    }
    /* Under way (or never ready): wait for the VM to be off. */
    while (vm_enabled_state(c, vm_id, &state, err) == 0 && state != 3 &&
           waited(&w) < timeout_ms)
        wait_ms(&w, SHUTDOWN_POLL_MS);
    if (vm_enabled_state(c, vm_id, &state, err) < 0)
        return -1;
    if (state == 3)
        return 0;
    if (exhv_hv_vm_state(c, vm_id, 3, err) < 0) {
        exhv_error_prefix(err, "the guest did not shut down within %u s, and turning the VM off "
                               "failed", timeout_ms / 1000);
        return -1;
    }
    *turned_off = 1;
    return 0;
}

/* The Msvm_PciExpress now at a location path. */
static int find_pci_device(exhv_conn *c, const char *location, exhv_wmi_obj *out, exhv_error *err)
{
    exhv_buf q = EXHV_BUF_INIT;
    exhv_wmi_objs l = {0};
    int rc = 0;
    exhv_buf_puts(&q, "SELECT * FROM Msvm_PciExpress WHERE LocationPath = ");
    exhv_wql_quote(&q, location);
    /* ExHyperV retries this look-up after a dismount: 5 x 500 ms. */
    for (int attempt = 0; attempt < 5; attempt++) {
        exhv_wmi_objs_release(&l);
        if ((rc = c->ops->wmi_query(c->ctx, exhv_buf_str(&q), &l, err)) < 0 || l.count)
            break;
        if (c->simulated)
            break;
        exhv_sleep_ms(500);
    }
    if (rc == 0 && l.count == 0)
        rc = exhv_error_set(err, EXHV_E_NOT_FOUND,
                            "no dismounted device is at %s (Msvm_PciExpress not found)", location);
    if (rc == 0) {
        *out = l.items[0];
        memset(&l.items[0], 0, sizeof(l.items[0]));
    }
    exhv_wmi_objs_release(&l);
    exhv_buf_release(&q);
    return rc;
}

/* The host function (PCI\...) now at a location path, or NULL. Instance
 * IDs change with dismount (PCIP\...) and mount; location paths do not.
 * Only a present node counts: a phantom left by a dismount, or by a card
 * that was swapped for another in the same slot, is never the device to
 * disable, dismount or enable (Microsoft's DeviceAssignment.cpp locates
 * nodes with CM_LOCATE_DEVNODE_NORMAL for this reason). */
static char *host_function(exhv_conn *c, const char *location, exhv_error *err)
{
    exhv_pnp_dev *list = NULL;
    size_t n = 0;
    char *id = NULL;
    if (c->ops->pnp_list(c->ctx, &list, &n, err) < 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (!id && list[i].present && exhv_strcaseeq(list[i].location_path, location) &&
            exhv_starts_with_ci(list[i].instance_id, "PCI\\"))
            id = exhv_strdup(list[i].instance_id);
        exhv_pnp_dev_release(&list[i]);
    }
    free(list);
    return id;
}

int exhv_hv_dev_dismount(exhv_conn *c, const char *instance_id, const char *location,
                         exhv_error *err)
{
    exhv_wmi_obj ds = {0}, in = {0}, px = {0};
    char *svc = service(c, "Msvm_AssignableDeviceService", err);
    char *now = svc ? host_function(c, location, err) : NULL;
    int rc = -1;

    if (!svc)
        return -1;
    if (now)
        instance_id = now;
    ds.cls = exhv_strdup("Msvm_AssignableDeviceDismountSettingData");
    /* RequireAcsSupport and RequireDeviceMitigations false: what
     * Dismount-VMHostAssignableDevice -Force amounts to. */
    if (!ds.cls || exhv_wmi_set_str(&ds, "DeviceInstancePath", instance_id) < 0 ||
        exhv_wmi_set_str(&ds, "DeviceLocationPath", location) < 0 ||
        exhv_wmi_set_bool(&ds, "RequireAcsSupport", 0) < 0 ||
        exhv_wmi_set_bool(&ds, "RequireDeviceMitigations", 0) < 0) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    if (set_embedded(&in, "DismountSettingData", &ds, 0, err) < 0)
        goto out;
    if (call(c, svc, "DismountAssignableDevice", &in, NULL, "dismounting the device", err) < 0)
        goto out;
    rc = find_pci_device(c, location, &px, err);
out:
    free(svc);
    free(now);
    exhv_wmi_obj_release(&ds);
    exhv_wmi_obj_release(&in);
    exhv_wmi_obj_release(&px);
    return rc;
}

int exhv_hv_dev_mount(exhv_conn *c, const char *location, exhv_error *err)
{
    exhv_wmi_obj px = {0}, in = {0};
    char *svc = NULL;
    int rc = -1;

    if (find_pci_device(c, location, &px, err) < 0)
        return -1;
    if (!(svc = service(c, "Msvm_AssignableDeviceService", err)))
        goto out;
    if (exhv_wmi_set_str(&in, "DeviceInstancePath", exhv_wmi_str(&px, "DeviceInstancePath")) < 0 ||
        exhv_wmi_set_str(&in, "DeviceLocationPath", location) < 0) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    rc = call(c, svc, "MountAssignableDevice", &in, NULL, "mounting the device on the host", err);
out:
    free(svc);
    exhv_wmi_obj_release(&px);
    exhv_wmi_obj_release(&in);
    return rc;
}

/* The InstanceID of the one object of `now` whose ID starts with prefix
 * and is not in `before`: what an AddResourceSettings that answered with a
 * job made (its out-parameters are then empty). NULL when not one. */
static char *new_setting(const exhv_wmi_objs *before, const exhv_wmi_objs *now, const char *prefix)
{
    const char *found = NULL;
    for (size_t i = 0; i < now->count; i++) {
        const char *iid = exhv_wmi_str(&now->items[i], "InstanceID");
        int old = 0;
        if (!exhv_starts_with_ci(iid, prefix))
            continue;
        for (size_t k = 0; k < before->count && !old; k++)
            old = exhv_strcaseeq(iid, exhv_wmi_str(&before->items[k], "InstanceID"));
        if (!old) {
            if (found)
                return NULL;
            found = iid;
        }
    }
    return found ? exhv_strdup(found) : NULL;
}

int exhv_hv_dev_add(exhv_conn *c, const char *vm_id, const char *location, char **made,
                    exhv_error *err)
{
    exhv_wmi_obj px = {0}, rs = {0}, in = {0}, out = {0};
    exhv_wmi_objs l = {0}, after = {0};
    char *svc = NULL, *vs_path = NULL;
    const char *hr;
    int rc = -1;

    if (find_pci_device(c, location, &px, err) < 0)
        return -1;
    if (!(vs_path = settings_path(c, vm_id, err)) ||
        !(svc = service(c, "Msvm_VirtualSystemManagementService", err)) ||
        default_setting(c, "Microsoft:Hyper-V:Virtual Pci Express Port", &rs, err) < 0)
        goto out;
    hr = px.path;
    if (exhv_wmi_set_strs(&rs, "HostResource", &hr, 1) < 0 ||
        exhv_wmi_set_str(&in, "AffectedConfiguration", vs_path) < 0) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    if (set_embedded(&in, "ResourceSettings", &rs, 1, err) < 0)
        goto out;
    /* The VM's settings before, to tell the new one after a job. */
    if (made && c->ops->wmi_query(c->ctx, "SELECT * FROM Msvm_PciExpressSettingData", &l, err) < 0)
        goto out;
    rc = call(c, svc, "AddResourceSettings", &in, &out, "assigning the device to the VM", err);
    if (rc == 0 && made) {
        const char *res = exhv_wmi_str0(&out, "ResultingResourceSettings");
        exhv_buf prefix = EXHV_BUF_INIT;
        exhv_error ignored;
        exhv_buf_printf(&prefix, "Microsoft:%s\\", vm_id);
        if (!(*made = res ? exhv_wmi_path_key(res, "InstanceID") : NULL) &&
            c->ops->wmi_query(c->ctx, "SELECT * FROM Msvm_PciExpressSettingData", &after,
                              &ignored) == 0)
            *made = new_setting(&l, &after, exhv_buf_str(&prefix));
        exhv_buf_release(&prefix);
    }
out:
    free(svc);
    free(vs_path);
    exhv_wmi_obj_release(&out);
    exhv_wmi_objs_release(&after);
    exhv_wmi_objs_release(&l);
    exhv_wmi_obj_release(&px);
    exhv_wmi_obj_release(&rs);
    exhv_wmi_obj_release(&in);
    return rc;
}

int exhv_hv_dev_remove(exhv_conn *c, const char *vm_id, const char *location,
                       const char *setting_id, exhv_error *err)
{
    exhv_wmi_objs l = {0};
    exhv_wmi_obj px = {0};
    exhv_buf prefix = EXHV_BUF_INIT;
    const char *path = NULL;
    char *devid = NULL;
    int rc = -1;

    if (!setting_id && find_pci_device(c, location, &px, err) < 0)
        return -1;
    devid = setting_id ? NULL : exhv_strdup(exhv_wmi_str(&px, "DeviceID"));
    exhv_buf_printf(&prefix, "Microsoft:%s\\", vm_id);
    if (c->ops->wmi_query(c->ctx, "SELECT * FROM Msvm_PciExpressSettingData", &l, err) < 0)
        goto out;
    for (size_t i = 0; i < l.count && !path; i++) {
        const exhv_wmi_obj *o = &l.items[i];
        const char *iid = exhv_wmi_str(o, "InstanceID");
        char *key;
        if (!exhv_starts_with_ci(iid, exhv_buf_str(&prefix)))
            continue;
        if (setting_id) {
            if (exhv_strcaseeq(iid, setting_id))
                path = o->path;
            continue;
        }
        key = exhv_wmi_path_key(exhv_wmi_str0(o, "HostResource"), "DeviceID");
        if (key && devid && exhv_strcaseeq(key, devid))
            path = o->path;
        free(key);
    }
    if (!path) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "the VM holds no device at %s",
                       location ? location : setting_id);
        goto out;
    }
    rc = remove_setting(c, path, "removing the device from the VM", err);
out:
    free(devid);
    exhv_buf_release(&prefix);
    exhv_wmi_objs_release(&l);
    exhv_wmi_obj_release(&px);
    return rc;
}

int exhv_hv_dev_set_enabled(exhv_conn *c, const char *location, const char *instance_id,
                            int enable, exhv_error *err)
{
    char *id = host_function(c, location, err);
    const char *pure = exhv_pnp_pure_id(instance_id);
    int rc;

    /* Right after a mount the PCI\ node may not be there yet: ExHyperV
     * waits a second before enabling; look again for up to 2.5 s. */
    for (int attempt = 0; !id && enable && !c->simulated && attempt < 5; attempt++) {
        exhv_sleep_ms(500);
        id = host_function(c, location, err);
    }
    /* Else the function's PCI\ node by its identity: never its PCIP\ node,
     * which a mount leaves behind as a phantom. */
    if (!id && pure) {
        exhv_buf b = EXHV_BUF_INIT;
        exhv_buf_printf(&b, "PCI%s", pure);
        id = exhv_buf_detach(&b);
    }
    rc = c->ops->pnp_set_enabled(c->ctx, id ? id : instance_id, enable, err);
    free(id);
    return rc;
}

int exhv_hv_policy_set(exhv_conn *c, const char *name, int64_t value, int drop_key, char **made,
                       exhv_error *err)
{
    int rc;
    if (made)
        *made = NULL;
    if (value == EXHV_POLICY_ABSENT) {
        if (c->ops->reg_delete(c->ctx, EXHV_POLICY_KEY, name, err) < 0)
            return -1;
        return drop_key ? c->ops->reg_delete(c->ctx, EXHV_POLICY_KEY, NULL, err) : 0;
    }
    if (value < 0 || value > 0xFFFFFFFFLL)
        return exhv_error_set(err, EXHV_E_UNSUPPORTED, "exhv cannot write %s back: it held a "
                                                       "value of another type", name);
    if ((rc = c->ops->reg_set_dword(c->ctx, EXHV_POLICY_KEY, name, (uint32_t)value, err)) < 0)
        return -1;
    /* The key did not exist: the undo removes it again. */
    if (rc == 1 && made && !(*made = exhv_strdup(EXHV_POLICY_KEY)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    return 0;
}

/* The VM's GPU partition adapters (InstanceIDs), newline-joined. */
static int gpu_adapters(exhv_conn *c, const char *vm_id, exhv_wmi_objs *l, exhv_buf *ids,
                        exhv_error *err)
{
    exhv_buf prefix = EXHV_BUF_INIT;
    exhv_buf_printf(&prefix, "Microsoft:%s\\", vm_id);
    if (c->ops->wmi_query(c->ctx, "SELECT * FROM Msvm_GpuPartitionSettingData", l, err) < 0) {
        exhv_buf_release(&prefix);
        return -1;
    }
    for (size_t i = 0; ids && i < l->count; i++) {
        const char *iid = exhv_wmi_str(&l->items[i], "InstanceID");
        if (exhv_starts_with_ci(iid, exhv_buf_str(&prefix)))
            exhv_buf_printf(ids, "%s\n", iid);
    }
    exhv_buf_release(&prefix);
    return 0;
}

int exhv_hv_gpu_add(exhv_conn *c, const char *vm_id, const char *gpu_path,
                    const int64_t *values, int nvalues, char **made, exhv_error *err)
{
    exhv_wmi_objs tl = {0}, gl = {0}, after = {0};
    exhv_wmi_obj rs = {0}, in = {0}, out = {0};
    exhv_buf before = EXHV_BUF_INIT, now = EXHV_BUF_INIT;
    char *svc = NULL, *vs_path = NULL;
    const char *hr = NULL;
    int rc = -1;

    if (!(vs_path = settings_path(c, vm_id, err)) ||
        !(svc = service(c, "Msvm_VirtualSystemManagementService", err)) ||
        gpu_adapters(c, vm_id, &tl, &before, err) < 0 ||
        default_setting(c, "Microsoft:Hyper-V:GPU Partition", &rs, err) < 0)
        goto out;
    if (gpu_path && *gpu_path) {
        if (c->ops->wmi_query(c->ctx, "SELECT * FROM Msvm_PartitionableGpu", &gl, err) < 0)
            goto out;
        for (size_t i = 0; i < gl.count && !hr; i++)
            if (exhv_strcaseeq(exhv_wmi_str(&gl.items[i], "Name"), gpu_path))
                hr = gl.items[i].path;
        if (!hr) {
            exhv_error_set(err, EXHV_E_NOT_FOUND, "the GPU %s is not partitionable on this host "
                                                  "(no Msvm_PartitionableGpu)", gpu_path);
            goto out;
        }
    }
    /* The template's partition values stand unless the plan gives its own. */
    if (hr && exhv_wmi_set_strs(&rs, "HostResource", &hr, 1) < 0)
        goto nomem;
    for (int i = 0; nvalues == 12 && i < 12; i++)
        if (exhv_wmi_set_int(&rs, exhv_gpu_value_names[i], values[i]) < 0)
            goto nomem;
    if (exhv_wmi_set_str(&in, "AffectedConfiguration", vs_path) < 0)
        goto nomem;
    if (set_embedded(&in, "ResourceSettings", &rs, 1, err) < 0)
        goto out;
    if (call(c, svc, "AddResourceSettings", &in, &out, "adding the GPU partition adapter", err) < 0)
        goto out;
    rc = 0;
    if (made) {
        /* The new adapter: from the result, or (after a job, whose result
         * lists are empty) the one that was not there before. */
        const char *res = exhv_wmi_str0(&out, "ResultingResourceSettings");
        char *id = res ? exhv_wmi_path_key(res, "InstanceID") : NULL;
        if (!id && gpu_adapters(c, vm_id, &after, &now, err) == 0) {
            for (const char *p = exhv_buf_str(&now); *p && !id;) {
                const char *e = strchr(p, '\n');
                char *one = exhv_strndup(p, (size_t)(e - p));
                exhv_buf key = EXHV_BUF_INIT;
                exhv_buf_printf(&key, "%s\n", one ? one : "");
                if (one && !strstr(exhv_buf_str(&before), exhv_buf_str(&key)))
                    id = one;
                else
                    free(one);
                exhv_buf_release(&key);
                p = e + 1;
            }
        }
        *made = id;
    }
    goto out;
nomem:
    exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
out:
    free(svc);
    free(vs_path);
    exhv_buf_release(&before);
    exhv_buf_release(&now);
    exhv_wmi_objs_release(&tl);
    exhv_wmi_objs_release(&gl);
    exhv_wmi_objs_release(&after);
    exhv_wmi_obj_release(&rs);
    exhv_wmi_obj_release(&in);
    exhv_wmi_obj_release(&out);
    return rc;
}

int exhv_hv_gpu_remove(exhv_conn *c, const char *vm_id, const char *setting_id, exhv_error *err)
{
    exhv_wmi_objs l = {0};
    exhv_buf prefix = EXHV_BUF_INIT;
    const char *path = NULL;
    int rc = -1;

    exhv_buf_printf(&prefix, "Microsoft:%s\\", vm_id);
    if (gpu_adapters(c, vm_id, &l, NULL, err) < 0)
        goto out;
    for (size_t i = 0; i < l.count && !path; i++) {
        const char *iid = exhv_wmi_str(&l.items[i], "InstanceID");
        if (exhv_starts_with_ci(iid, exhv_buf_str(&prefix)) && exhv_strcaseeq(iid, setting_id))
            path = l.items[i].path;
    }
    if (!path) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "the VM has no GPU partition adapter %s",
                       setting_id ? setting_id : exhv_tr("(none named)"));
        goto out;
    }
    rc = remove_setting(c, path, "removing the GPU partition adapter", err);
out:
    exhv_buf_release(&prefix);
    exhv_wmi_objs_release(&l);
    return rc;
}

/* *id: the DeviceID of the Msvm_PciExpress now at location, or NULL when
 * there is none. -1 only when out of memory. */
static int pci_device_id(exhv_conn *c, const char *location, char **id)
{
    exhv_wmi_obj px = {0};
    exhv_error ignored;
    *id = NULL;
    if (find_pci_device(c, location, &px, &ignored) < 0)
        return 0;
    *id = exhv_wmi_str(&px, "DeviceID") ? exhv_strdup(exhv_wmi_str(&px, "DeviceID")) : NULL;
    exhv_wmi_obj_release(&px);
    return 0;
}

int exhv_step_run(exhv_conn *c, const exhv_step *s, char **made, exhv_error *err)
{
    if (made)
        *made = NULL;
    switch (s->kind) {
    case EXHV_STEP_VM_SHUTDOWN: {
        int off = 0;
        if (s->new_value == 2)
            return exhv_hv_vm_state(c, s->vm_id, 2, err);
        if (exhv_hv_vm_shutdown(c, s->vm_id, SHUTDOWN_TIMEOUT_MS, &off, err) < 0)
            return -1;
        if (!off)
            return 0;
        /* Done, but not as described: say what happened. */
        exhv_error_set(err, EXHV_OK, "VM %s was turned off, not shut down: its guest did not "
                                     "shut down within %u s", s->vm_name ? s->vm_name : s->vm_id,
                       SHUTDOWN_TIMEOUT_MS / 1000);
        return 1;
    }
    case EXHV_STEP_VM_SET:
        return exhv_hv_vm_set(c, s->vm_id, s->prop, s->new_value, err);
    case EXHV_STEP_VM_MEMORY:
        return exhv_hv_vm_memory(c, s->vm_id, (int)s->new_value, err);
    case EXHV_STEP_DEV_DISABLE:
        return exhv_hv_dev_set_enabled(c, s->location_path, s->instance_id, 0, err);
    case EXHV_STEP_DEV_ENABLE:
        return exhv_hv_dev_set_enabled(c, s->location_path, s->instance_id, 1, err);
    case EXHV_STEP_DEV_DISMOUNT:
        if (exhv_hv_dev_dismount(c, s->instance_id, s->location_path, err) < 0)
            return -1;
        return made ? pci_device_id(c, s->location_path, made) : 0;
    case EXHV_STEP_DEV_MOUNT:
        /* Mounting deletes the Msvm_PciExpress; a dismount that undoes it
         * makes a new one, whose ID may differ. */
        if (made && pci_device_id(c, s->location_path, made) < 0)
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        return exhv_hv_dev_mount(c, s->location_path, err);
    case EXHV_STEP_DEV_ADD:
        return exhv_hv_dev_add(c, s->vm_id, s->location_path, made, err);
    case EXHV_STEP_DEV_REMOVE:
        return exhv_hv_dev_remove(c, s->vm_id, s->location_path, NULL, err);
    case EXHV_STEP_REF_REMOVE:
        return exhv_hv_dev_remove(c, s->vm_id, NULL, s->setting_id, err);
    case EXHV_STEP_POLICY_SET:
        /* setting_id names the key when the step being undone created it. */
        return exhv_hv_policy_set(c, s->prop, s->new_value, s->setting_id != NULL, made, err);
    case EXHV_STEP_GPU_ADD:
        return exhv_hv_gpu_add(c, s->vm_id, s->gpu_path, s->values, s->nvalues, made, err);
    case EXHV_STEP_GPU_REMOVE:
    case EXHV_STEP_GPU_REMOVE_STALE:
        return exhv_hv_gpu_remove(c, s->vm_id, s->setting_id, err);
    case EXHV_STEP_DISK_ATTACH:
    case EXHV_STEP_DISK_DETACH:
    case EXHV_STEP_HIVE_LOAD:
    case EXHV_STEP_HIVE_UNLOAD:
    case EXHV_STEP_DRV_COPY:
    case EXHV_STEP_DRV_PURGE:
    case EXHV_STEP_DRV_RESTORE:
    case EXHV_STEP_HIVE_EDIT:
    case EXHV_STEP_HIVE_UNEDIT:
    case EXHV_STEP_DRV_RECORD:
    case EXHV_STEP_DRV_UNRECORD:
    case EXHV_STEP_DRV_COMMIT:
        return exhv_import_step_run(c, s, err);
    default:
        return exhv_error_set(err, EXHV_E_FAILED, "unknown step kind %d", (int)s->kind);
    }
}
