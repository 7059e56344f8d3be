/* The read path: one snapshot of a Hyper-V host. Each WMI class is queried
 * once and the results are joined in memory, so the cost in queries does not
 * grow with the number of VMs or devices (ExHyperV 1.0 ran two PowerShell
 * pipelines per VM). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/checks.h"
#include "core/i18n.h"
#include "core/plan.h"
#include "hyperv/ports.h"

enum {
    Q_SYSTEMS,
    Q_SETTINGS,
    Q_MEMORY,
    Q_DISKS,
    Q_PCI_SETTINGS,
    Q_PCI_DEVICES,
    Q_GPU_SETTINGS,
    Q_GPUS,
    Q__COUNT
};

/* All system settings: the realized ones describe VMs, the snapshot ones
 * (VirtualSystemType "...:Snapshot:...") their checkpoints, counted through
 * VirtualSystemIdentifier. Storage: ResourceType 31 is a virtual hard disk. */
static const char *const queries[Q__COUNT] = {
    [Q_SYSTEMS] = "SELECT * FROM Msvm_ComputerSystem",
    [Q_SETTINGS] = "SELECT * FROM Msvm_VirtualSystemSettingData",
    [Q_MEMORY] = "SELECT * FROM Msvm_MemorySettingData",
    [Q_DISKS] = "SELECT * FROM Msvm_StorageAllocationSettingData WHERE ResourceType = 31",
    [Q_PCI_SETTINGS] = "SELECT * FROM Msvm_PciExpressSettingData",
    [Q_PCI_DEVICES] = "SELECT * FROM Msvm_PciExpress",
    [Q_GPU_SETTINGS] = "SELECT * FROM Msvm_GpuPartitionSettingData",
    [Q_GPUS] = "SELECT * FROM Msvm_PartitionableGpu",
};

typedef struct snap {
    exhv_conn *c;
    exhv_host *h;
    exhv_wmi_objs q[Q__COUNT];
    exhv_pnp_dev *pnp;
    size_t npnp;
    exhv_error *err;
} snap;

static int oom(exhv_error *err)
{
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory while reading the host");
}

static int is_guid(const char *s)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (!s || strlen(s) != sizeof(shape) - 1)
        return 0;
    for (size_t i = 0; shape[i]; i++) {
        char c = s[i];
        int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (shape[i] == '-' ? c != '-' : !hex)
            return 0;
    }
    return 1;
}

/* Settings InstanceIDs are "Microsoft:<VM GUID>" for the VM itself and
 * "Microsoft:<VM GUID>\<...>" for its devices. Is `instance_id` one of VM
 * `vm_id`'s devices? */
static int belongs_to(const char *instance_id, const char *vm_id)
{
    size_t n = strlen(vm_id);
    if (!instance_id || !exhv_starts_with_ci(instance_id, "Microsoft:"))
        return 0;
    instance_id += strlen("Microsoft:");
    return exhv_starts_with_ci(instance_id, vm_id) && instance_id[n] == '\\';
}

static int read_policy(snap *s)
{
    static const char *const names[2] = {"RequireSecureDeviceAssignment",
                                         "RequireSupportedDeviceAssignment"};
    int *slots[2] = {&s->h->policy.secure_relaxed, &s->h->policy.supported_relaxed};
    exhv_polval *vals[2] = {&s->h->policy.secure, &s->h->policy.supported};

    for (int i = 0; i < 2; i++) {
        exhv_regval v = {0};
        exhv_polval *pv = vals[i];
        int rc = s->c->ops->reg_get(s->c->ctx, EXHV_POLICY_KEY, names[i], &v, s->err);
        memset(pv, 0, sizeof(*pv));
        if (rc == -2) {
            pv->state = EXHV_POLVAL_ABSENT;
            *slots[i] = 0;
            continue;
        }
        if (rc < 0) {
            /* Unreadable policy is not fatal to a read: report it unknown. */
            pv->state = EXHV_POLVAL_UNREADABLE;
            *slots[i] = -1;
            continue;
        }
        /* Only a DWORD 0 relaxes: the policy is a DWORD, and a value of
         * another type is shown as it is rather than guessed at. */
        switch (v.type) {
        case EXHV_REG_DWORD:
            pv->state = EXHV_POLVAL_DWORD;
            pv->dword = (uint32_t)v.num;
            break;
        case EXHV_REG_QWORD:
            pv->state = EXHV_POLVAL_OTHER;
            snprintf(pv->text, sizeof(pv->text), "REG_QWORD %llu", (unsigned long long)v.num);
            break;
        case EXHV_REG_SZ:
            pv->state = EXHV_POLVAL_OTHER;
            snprintf(pv->text, sizeof(pv->text), "REG_SZ '%.60s'", v.str ? v.str : "");
            break;
        case EXHV_REG_EXPAND_SZ:
            pv->state = EXHV_POLVAL_OTHER;
            snprintf(pv->text, sizeof(pv->text), "REG_EXPAND_SZ '%.60s'", v.str ? v.str : "");
            break;
        case EXHV_REG_MULTI_SZ:
            pv->state = EXHV_POLVAL_OTHER;
            snprintf(pv->text, sizeof(pv->text), "REG_MULTI_SZ");
            break;
        case EXHV_REG_BINARY:
            pv->state = EXHV_POLVAL_OTHER;
            snprintf(pv->text, sizeof(pv->text), exhv_tr("REG_BINARY (%zu bytes)"), v.len);
            break;
        default:
            pv->state = EXHV_POLVAL_OTHER;
            snprintf(pv->text, sizeof(pv->text), "%s", exhv_tr("a value of unknown type"));
            break;
        }
        *slots[i] = pv->state == EXHV_POLVAL_DWORD && pv->dword == 0;
        exhv_regval_release(&v);
    }
    exhv_error_clear(s->err);
    return 0;
}

/* ---------------- VMs ---------------- */

static int vm_add_string(char ***v, size_t *n, const char *s)
{
    size_t cap = *n;
    char *c = exhv_strdup(s ? s : "");
    if (!c || exhv_grow((void **)v, &cap, *n + 1, sizeof(char *)) < 0) {
        free(c);
        return -1;
    }
    (*v)[(*n)++] = c;
    return 0;
}

/* Resolve an adapter's HostResource to a current Msvm_PartitionableGpu: by
 * object path, by the path's Name or DeviceID key, or (as the PowerShell
 * InstancePath shows it) by the GPU's Name itself. Sets *target to the GPU's
 * Name, or to what the reference names when no GPU matches (stale). */
static int adapter_resolve(const snap *s, const exhv_wmi_obj *sd, char **target, int *stale)
{
    const exhv_wmi_objs *g = &s->q[Q_GPUS];
    const char *hr = exhv_wmi_str0(sd, "HostResource");
    char *name, *devid;

    *stale = 0;
    /* Empty, or "Unknown" as early Windows 10 builds read it back
     * (reference/hyperv-wmi.md, from ExHyperV): Hyper-V chose the GPU; that
     * is not a GPU that is gone. */
    if (!hr || !*hr || exhv_strcaseeq(hr, "Unknown")) {
        *target = exhv_strdup("");     /* Hyper-V chooses the GPU */
        return *target ? 0 : -1;
    }
    name = exhv_wmi_path_key(hr, "Name");
    devid = exhv_wmi_path_key(hr, "DeviceID");
    for (size_t i = 0; i < g->count; i++) {
        const exhv_wmi_obj *o = &g->items[i];
        const char *gname = exhv_wmi_str(o, "Name");
        if (exhv_strcaseeq(hr, o->path) || exhv_strcaseeq(hr, gname) ||
            (name && exhv_strcaseeq(name, gname)) ||
            (devid && exhv_strcaseeq(devid, exhv_wmi_str(o, "DeviceID")))) {
            free(name);
            free(devid);
            *target = exhv_strdup(gname ? gname : "");
            return *target ? 0 : -1;
        }
    }
    *stale = 1;
    *target = name ? name : devid ? devid : exhv_strdup(hr);
    if (name && devid)
        free(devid);
    return *target ? 0 : -1;
}

static int cmp_vm(const void *a, const void *b)
{
    const exhv_vm *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->id, y->id);
}

/* VMs by GUID, to attach each settings object to its VM in one pass. */
typedef struct vm_key {
    const char *id;
    size_t index;
} vm_key;

static int vm_key_cmp(const void *a, const void *b)
{
    return exhv_strcasecmp(((const vm_key *)a)->id, ((const vm_key *)b)->id);
}

/* The VM a settings InstanceID belongs to: "Microsoft:<GUID>" is the VM's
 * own settings (exact), "Microsoft:<GUID>\..." one of its devices. */
static exhv_vm *vm_of(snap *s, const vm_key *keys, const char *instance_id, int exact)
{
    char guid[40];
    const char *p, *end;
    vm_key probe, *hit;

    if (!instance_id || !exhv_starts_with_ci(instance_id, "Microsoft:"))
        return NULL;
    p = instance_id + strlen("Microsoft:");
    end = strchr(p, '\\');
    if (exact ? end != NULL : end == NULL)
        return NULL;
    if (!end)
        end = p + strlen(p);
    if ((size_t)(end - p) >= sizeof(guid))
        return NULL;
    memcpy(guid, p, (size_t)(end - p));
    guid[end - p] = '\0';
    probe.id = guid;
    hit = bsearch(&probe, keys, s->h->nvms, sizeof(*keys), vm_key_cmp);
    return hit ? &s->h->vms[hit->index] : NULL;
}

static void vm_settings(exhv_vm *vm, const exhv_wmi_obj *vs)
{
    const char *sub = exhv_wmi_str(vs, "VirtualSystemSubType");
    size_t n = sub ? strlen(sub) : 0;
    if (n >= 2 && sub[n - 2] == ':' && (sub[n - 1] == '1' || sub[n - 1] == '2'))
        vm->generation = sub[n - 1] - '0';
    vm->low_mmio_mb = (uint64_t)exhv_wmi_int(vs, "LowMmioGapSize", 0);
    vm->high_mmio_mb = (uint64_t)exhv_wmi_int(vs, "HighMmioGapSize", 0);
    vm->guest_controlled_cache = exhv_wmi_bool(vs, "GuestControlledCacheTypes", 0);
    vm->stop_action = exhv_stop_action_from_msvm(exhv_wmi_int(vs, "AutomaticShutdownAction", 0));
    vm->checkpoint = exhv_checkpoint_from_msvm(exhv_wmi_int(vs, "UserSnapshotType", 0));
}

static int build_vms(snap *s)
{
    exhv_host *h = s->h;
    const exhv_wmi_objs *cs = &s->q[Q_SYSTEMS];
    vm_key *keys = NULL;
    size_t cap = 0;
    int rc = -1;

    for (size_t i = 0; i < cs->count; i++) {
        const exhv_wmi_obj *o = &cs->items[i];
        const char *id = exhv_wmi_str(o, "Name"), *name = exhv_wmi_str(o, "ElementName");
        exhv_vm *vm;

        /* The host itself is an Msvm_ComputerSystem named after the computer;
         * VMs are named by GUID. */
        if (!is_guid(id))
            continue;
        if (exhv_grow((void **)&h->vms, &cap, h->nvms + 1, sizeof(*h->vms)) < 0)
            return oom(s->err);
        vm = &h->vms[h->nvms++];
        memset(vm, 0, sizeof(*vm));
        vm->id = exhv_strdup(id);
        vm->name = exhv_strdup(name ? name : "");
        vm->version = exhv_strdup("");
        vm->enabled_state = exhv_wmi_int(o, "EnabledState", 0);
        vm->state = exhv_vm_state_from_enabled(vm->enabled_state);
        vm->stop_action = EXHV_STOP_UNKNOWN;
        vm->checkpoint = EXHV_CKPT_UNKNOWN;
        vm->dynamic_memory = -1;
        if (!vm->id || !vm->name || !vm->version)
            return oom(s->err);
    }
    if (!(keys = malloc((h->nvms ? h->nvms : 1) * sizeof(*keys))))
        return oom(s->err);
    for (size_t i = 0; i < h->nvms; i++) {
        keys[i].id = h->vms[i].id;
        keys[i].index = i;
    }
    qsort(keys, h->nvms, sizeof(*keys), vm_key_cmp);

    for (size_t k = 0; k < s->q[Q_SETTINGS].count; k++) {
        const exhv_wmi_obj *vs = &s->q[Q_SETTINGS].items[k];
        const char *type = exhv_wmi_str(vs, "VirtualSystemType");
        exhv_vm *vm;
        if (type && exhv_contains_ci(type, ":Snapshot:")) {
            vm_key probe = {exhv_wmi_str(vs, "VirtualSystemIdentifier"), 0}, *hit;
            hit = probe.id ? bsearch(&probe, keys, h->nvms, sizeof(*keys), vm_key_cmp) : NULL;
            if (hit)
                h->vms[hit->index].checkpoints++;
            continue;
        }
        if (!type || !exhv_strcaseeq(type, "Microsoft:Hyper-V:System:Realized"))
            continue;
        vm = vm_of(s, keys, exhv_wmi_str(vs, "InstanceID"), 1);
        if (!vm || vm->settings_id)
            continue;
        vm_settings(vm, vs);
        free(vm->version);
        vm->version = exhv_strdup(exhv_wmi_str(vs, "Version") ? exhv_wmi_str(vs, "Version") : "");
        vm->settings_id = exhv_strdup(exhv_wmi_str(vs, "InstanceID"));
        if (!vm->version || !vm->settings_id)
            goto nomem;
    }
    for (size_t k = 0; k < s->q[Q_MEMORY].count; k++) {
        const exhv_wmi_obj *m = &s->q[Q_MEMORY].items[k];
        exhv_vm *vm = vm_of(s, keys, exhv_wmi_str(m, "InstanceID"), 0);
        if (!vm || vm->dynamic_memory >= 0)
            continue;
        vm->dynamic_memory = exhv_wmi_bool(m, "DynamicMemoryEnabled", 0);
        vm->memory_mb = (uint64_t)exhv_wmi_int(m, "VirtualQuantity", 0);
    }
    for (size_t k = 0; k < s->q[Q_DISKS].count; k++) {
        const exhv_wmi_obj *d = &s->q[Q_DISKS].items[k];
        exhv_vm *vm = vm_of(s, keys, exhv_wmi_str(d, "InstanceID"), 0);
        if (vm && exhv_wmi_str0(d, "HostResource") &&
            vm_add_string(&vm->disks, &vm->ndisks, exhv_wmi_str0(d, "HostResource")) < 0)
            goto nomem;
    }
    for (size_t k = 0; k < s->q[Q_GPU_SETTINGS].count; k++) {
        const exhv_wmi_obj *g = &s->q[Q_GPU_SETTINGS].items[k];
        exhv_vm *vm = vm_of(s, keys, exhv_wmi_str(g, "InstanceID"), 0);
        size_t acap;
        exhv_gpu_adapter *a;
        if (!vm)
            continue;
        acap = vm->nadapters;
        if (exhv_grow((void **)&vm->adapters, &acap, vm->nadapters + 1, sizeof(*a)) < 0)
            goto nomem;
        a = &vm->adapters[vm->nadapters++];
        memset(a, 0, sizeof(*a));
        a->id = exhv_strdup(exhv_wmi_str(g, "InstanceID"));
        if (!a->id || adapter_resolve(s, g, &a->instance_path, &a->stale) < 0)
            goto nomem;
        /* Its partition values, so that a removal can be undone with them. */
        for (int v = 0; v < 12; v++) {
            const exhv_value *pv = exhv_wmi_get(g, exhv_gpu_value_names[v]);
            if (!pv || (pv->type != EXHV_V_INT && pv->type != EXHV_V_STR))
                break;
            a->values[v] = exhv_wmi_int(g, exhv_gpu_value_names[v], 0);
            a->nvalues = v + 1;
        }
        if (a->nvalues != 12)
            a->nvalues = 0;
    }
    for (size_t i = 0; i < h->nvms; i++)
        if (h->vms[i].dynamic_memory < 0)
            h->vms[i].dynamic_memory = 0;
    if (h->nvms > 1)
        qsort(h->vms, h->nvms, sizeof(*h->vms), cmp_vm);
    if (exhv_host_index_vms(h) < 0)
        goto nomem;
    rc = 0;
    goto out;
nomem:
    oom(s->err);
out:
    free(keys);
    return rc;
}

/* ---------------- devices ---------------- */

typedef struct pci_ref {
    const exhv_wmi_obj *sd;   /* a VM's Msvm_PciExpressSettingData */
    const exhv_vm *vm;
    char *device_id;          /* DeviceID key of its HostResource path */
    const char *host_resource;
    int matched;
} pci_ref;

static void refs_free(pci_ref *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i].device_id);
    free(r);
}

/* The VM a device setting "Microsoft:<VM GUID>\..." belongs to, by the
 * host's index of VM IDs. */
static const exhv_vm *vm_of_setting(const exhv_host *h, const char *instance_id)
{
    char guid[40];
    const char *p, *end;
    const exhv_vm *vm;
    if (!instance_id || !exhv_starts_with_ci(instance_id, "Microsoft:"))
        return NULL;
    p = instance_id + strlen("Microsoft:");
    if (!(end = strchr(p, '\\')) || (size_t)(end - p) >= sizeof(guid))
        return NULL;
    memcpy(guid, p, (size_t)(end - p));
    guid[end - p] = '\0';
    vm = exhv_host_vm_by_id(h, guid);
    /* The same test belongs_to makes: the GUID is the whole VM ID. */
    return vm && belongs_to(instance_id, vm->id) ? vm : NULL;
}

/* The VM references (one per assigned device), resolved to their VMs. */
static int collect_refs(snap *s, pci_ref **out, size_t *count)
{
    const exhv_wmi_objs *l = &s->q[Q_PCI_SETTINGS];
    pci_ref *r = calloc(l->count ? l->count : 1, sizeof(*r));
    size_t n = 0;

    if (!r)
        return oom(s->err);
    for (size_t i = 0; i < l->count; i++) {
        const char *iid = exhv_wmi_str(&l->items[i], "InstanceID");
        const char *hr = exhv_wmi_str0(&l->items[i], "HostResource");
        const exhv_vm *vm = hr ? vm_of_setting(s->h, iid) : NULL;
        if (!vm)
            continue;
        r[n].sd = &l->items[i];
        r[n].vm = vm;
        r[n].host_resource = hr;
        r[n].device_id = exhv_wmi_path_key(hr, "DeviceID");
        n++;
    }
    *out = r;
    *count = n;
    return 0;
}

/* References by the key they are matched on: the DeviceID of their
 * HostResource path when it has one, else the whole path. Sorted by (key,
 * position) so that a search finds the first reference a scan would. */
typedef struct ref_key {
    const char *key;
    size_t index;
    int by_device_id;
} ref_key;

static int ref_key_cmp(const void *a, const void *b)
{
    const ref_key *x = a, *y = b;
    int c = x->by_device_id - y->by_device_id;
    if (!c)
        c = exhv_strcasecmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static ref_key *refs_index(const pci_ref *r, size_t n)
{
    ref_key *k = malloc((n ? n : 1) * sizeof(*k));
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        k[i].by_device_id = r[i].device_id != NULL;
        k[i].key = r[i].device_id ? r[i].device_id : r[i].host_resource ? r[i].host_resource : "";
        k[i].index = i;
    }
    qsort(k, n, sizeof(*k), ref_key_cmp);
    return k;
}

/* The first reference (in position) whose key equals `key`, or SIZE_MAX. */
static size_t ref_find(const ref_key *k, size_t n, int by_device_id, const char *key)
{
    size_t lo = 0, hi = n;
    if (!key)
        return SIZE_MAX;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = k[mid].by_device_id - by_device_id;
        if (!c)
            c = exhv_strcasecmp(k[mid].key, key);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && k[lo].by_device_id == by_device_id && exhv_strcaseeq(k[lo].key, key)
               ? k[lo].index
               : SIZE_MAX;
}

static pci_ref *ref_for(pci_ref *r, const ref_key *k, size_t n, const exhv_wmi_obj *px)
{
    size_t a = ref_find(k, n, 1, exhv_wmi_str(px, "DeviceID"));
    size_t b = ref_find(k, n, 0, px->path);
    size_t i = a < b ? a : b;
    return i == SIZE_MAX ? NULL : &r[i];
}

static int set_owner(exhv_device *d, pci_ref *ref, exhv_dda_state state)
{
    d->state = state;
    ref->matched = 1;
    d->vm_id = exhv_strdup(ref->vm->id);
    d->vm_name = exhv_strdup(ref->vm->name);
    d->setting_id = exhv_strdup(exhv_wmi_str(ref->sd, "InstanceID"));
    return d->vm_id && d->vm_name && d->setting_id ? 0 : -1;
}

/* Location path inside a reference to hardware that is gone, when the
 * reference carries one (its DeviceID embeds PCIROOT(...)); "" otherwise. */
static char *missing_location(const pci_ref *ref)
{
    const char *src = ref->device_id ? ref->device_id : ref->host_resource;
    const char *p = NULL;
    for (const char *q = src; *q && !p; q++)
        if (exhv_starts_with_ci(q, "PCIROOT(") || exhv_starts_with_ci(q, "ACPI("))
            p = q;
    if (!p)
        return exhv_strdup("");
    size_t n = 0;
    while (p[n] && p[n] != '"' && p[n] != ',')
        n++;
    return exhv_strndup(p, n);
}

static int str_fill(char **dst, const char *src)
{
    if (*dst)
        return 0;
    *dst = exhv_strdup(src ? src : "");
    return *dst ? 0 : -1;
}

static int cmp_device(const void *a, const void *b)
{
    const exhv_device *x = a, *y = b;
    int c = strcmp(x->pnp.location_path, y->pnp.location_path);
    return c ? c : strcmp(x->pnp.instance_id, y->pnp.instance_id);
}

/* Phantoms: Windows keeps a devnode that is no longer present. A dismount
 * leaves the function's PCI\ node behind, a mount back its PCIP\ node, and a
 * card taken out (or swapped for another in the same slot) its nodes
 * (reference/hyperv-wmi.md, DDA 3). A row therefore comes from a present
 * node, from an Msvm_PciExpress, or from a VM's reference; a node that is
 * not present only lends its name and class to the row of the same function
 * (the same identity after the enumerator, as ExHyperV groups them), never
 * its location to another card. */
typedef struct node_key {
    char *pure;     /* a copy: rows take the nodes' strings and may replace them */
    size_t index;
} node_key;

static int node_key_cmp(const void *a, const void *b)
{
    const node_key *x = a, *y = b;
    int c = exhv_strcasecmp(x->pure, y->pure);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* The range of nodes with identity `pure`: *first, returns how many. */
static size_t nodes_of(const node_key *k, size_t n, const char *pure, size_t *first)
{
    size_t lo = 0, hi = n, end;
    if (!pure)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (exhv_strcasecmp(k[mid].pure, pure) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < n && exhv_strcasecmp(k[end].pure, pure) == 0; end++)
        ;
    *first = lo;
    return end - lo;
}

/* Fill a row's PnP facts from node i (moved out of the list). */
static int take_node(snap *s, exhv_device *d, size_t i, unsigned char *used)
{
    d->pnp = s->pnp[i];
    memset(&s->pnp[i], 0, sizeof(s->pnp[i]));
    used[i] = 1;
    return str_fill(&d->pnp.instance_id, NULL) < 0 || str_fill(&d->pnp.location_path, NULL) < 0 ||
                   str_fill(&d->pnp.name, NULL) < 0 || str_fill(&d->pnp.cls, NULL) < 0 ||
                   str_fill(&d->pnp.service, NULL) < 0
               ? -1
               : 0;
}

/* Replace a string of a row (the node's, when it had one). */
static int str_set(char **dst, const char *src)
{
    char *c = exhv_strdup(src ? src : "");
    if (!c)
        return -1;
    free(*dst);
    *dst = c;
    return 0;
}

static void row_unknown_pci(exhv_device *d)
{
    d->pnp.device_type = d->pnp.acs = d->pnp.reserved_memory = d->pnp.base_class = -1;
    d->pnp.interrupts = -1;
}

/* A row for hardware Hyper-V knows (an Msvm_PciExpress) or a VM refers to.
 * Its name, class and PCI facts come from the function's PCI\ node if
 * Windows still keeps it as a phantom (what the host knew of the device, as
 * ExHyperV shows it), else from the node named `exact` (PCIP\...); whether
 * it is present is the PCIP\ node's. Present nodes of another state keep
 * their own rows. Returns 0, or -1 out of memory. */
static int row_from_group(snap *s, exhv_device *d, const node_key *k, size_t nk,
                          const char *exact, unsigned char *used, int *found)
{
    size_t first = 0, n = nodes_of(k, nk, exhv_pnp_pure_id(exact), &first);
    long pick = -1, pci = -1, named = -1;
    int present = 0;
    unsigned long problem = 0;
    *found = 0;
    for (size_t j = first; j < first + n; j++) {
        size_t i = k[j].index;
        if (used[i])
            continue;
        if (exhv_strcaseeq(s->pnp[i].instance_id, exact)) {
            pick = named = (long)i;
            present = s->pnp[i].present;
            problem = s->pnp[i].problem;
        } else if (!s->pnp[i].present && pci < 0 &&
                   exhv_starts_with_ci(s->pnp[i].instance_id, "PCI\\")) {
            pci = (long)i;
        }
    }
    if (pci >= 0)
        pick = pci;
    else if (pick < 0)
        for (size_t j = first; j < first + n && pick < 0; j++)
            if (!used[k[j].index] && !s->pnp[k[j].index].present)
                pick = (long)k[j].index;
    /* Every node of this function that is not present belongs to this row,
     * and so does the PCIP\ node it is named by. */
    for (size_t j = first; j < first + n; j++)
        if (!s->pnp[k[j].index].present || exhv_strcaseeq(s->pnp[k[j].index].instance_id, exact))
            used[k[j].index] = 1;
    if (pick < 0)
        return 0;
    *found = 1;
    if (take_node(s, d, (size_t)pick, used) < 0)
        return -1;
    /* The driver running it now is the PCIP\ node's. */
    if (named >= 0 && named != pick && str_set(&d->pnp.service, s->pnp[named].service) < 0)
        return -1;
    d->pnp.present = present;
    d->pnp.problem = present ? problem : 0;
    return 0;
}

static int build_devices(snap *s)
{
    exhv_host *h = s->h;
    const exhv_wmi_objs *px = &s->q[Q_PCI_DEVICES];
    unsigned char *used = calloc(s->npnp ? s->npnp : 1, 1);
    node_key *k = malloc((s->npnp ? s->npnp : 1) * sizeof(*k));
    pci_ref *refs = NULL;
    ref_key *rk = NULL;
    size_t nrefs = 0, nk = 0, cap = 0;
    int rc = -1;

    if (!used || !k) {
        oom(s->err);
        goto out;
    }
    for (size_t i = 0; i < s->npnp; i++)
        if (exhv_pnp_pure_id(s->pnp[i].instance_id)) {
            if (!(k[nk].pure = exhv_strdup(exhv_pnp_pure_id(s->pnp[i].instance_id)))) {
                oom(s->err);
                goto out;
            }
            k[nk].index = i;
            nk++;
        }
    qsort(k, nk, sizeof(*k), node_key_cmp);
    if (collect_refs(s, &refs, &nrefs) < 0)
        goto out;
    if (!(rk = refs_index(refs, nrefs))) {
        oom(s->err);
        goto out;
    }
    if (exhv_grow((void **)&h->devices, &cap, s->npnp + px->count + nrefs + 1,
                  sizeof(*h->devices)) < 0) {
        oom(s->err);
        goto out;
    }

    /* 1. Dismounted or assigned hardware: one row per Msvm_PciExpress. */
    for (size_t x = 0; x < px->count; x++) {
        const exhv_wmi_obj *o = &px->items[x];
        const char *path = exhv_wmi_str(o, "DeviceInstancePath");
        const char *loc = exhv_wmi_str(o, "LocationPath");
        exhv_device *d = &h->devices[h->ndevices++];
        pci_ref *ref;
        int found;
        memset(d, 0, sizeof(*d));
        if (row_from_group(s, d, k, nk, path, used, &found) < 0)
            goto nomem;
        if (!found) {
            row_unknown_pci(d);
            if (str_set(&d->pnp.instance_id, path) < 0 || str_set(&d->pnp.cls, NULL) < 0 ||
                str_set(&d->pnp.service, NULL) < 0 ||
                str_set(&d->pnp.name, exhv_wmi_str(o, "ElementName") ? exhv_wmi_str(o, "ElementName")
                                                                      : "PCI Express device") < 0)
                goto nomem;
        }
        /* What Hyper-V holds is named by its PCIP\ path and location. */
        if ((path && *path && str_set(&d->pnp.instance_id, path) < 0) ||
            ((loc && *loc) || !d->pnp.location_path ? str_set(&d->pnp.location_path, loc) < 0 : 0) ||
            !(d->pciexpress_path = exhv_strdup(o->path)))
            goto nomem;
        exhv_pci_ids(d->pnp.instance_id, &d->vendor_id, &d->device_id);
        d->state = EXHV_DDA_DISMOUNTED;
        if ((ref = ref_for(refs, rk, nrefs, o)) && set_owner(d, ref, EXHV_DDA_ASSIGNED) < 0)
            goto nomem;
    }

    /* 2. References to hardware that is gone: Missing. Known by the PCIP\
     * path in the reference's DeviceID; name and location come from the
     * function's phantom nodes when Windows still has them. */
    for (size_t i = 0; i < nrefs; i++) {
        const char *inst = exhv_pciexpress_instance(refs[i].device_id);
        exhv_device *d;
        int found = 0;
        if (refs[i].matched)
            continue;
        d = &h->devices[h->ndevices++];
        memset(d, 0, sizeof(*d));
        if (inst && row_from_group(s, d, k, nk, inst, used, &found) < 0)
            goto nomem;
        if (!found) {
            row_unknown_pci(d);
            if (!(d->pnp.location_path = missing_location(&refs[i])) ||
                str_set(&d->pnp.name, "(device no longer present)") < 0 ||
                str_set(&d->pnp.cls, NULL) < 0 || str_set(&d->pnp.service, NULL) < 0)
                goto nomem;
        }
        if (str_set(&d->pnp.instance_id, inst ? inst
                                         : refs[i].device_id ? refs[i].device_id
                                                             : refs[i].host_resource) < 0 ||
            set_owner(d, &refs[i], EXHV_DDA_MISSING) < 0)
            goto nomem;
        d->pnp.present = 0;
        exhv_pci_ids(d->pnp.instance_id, &d->vendor_id, &d->device_id);
    }

    /* 3. The host's own functions: present PCI\ nodes (and a present PCIP\
     * node Hyper-V did not list, which is dismounted). Other nodes that are
     * not present are phantoms: history, not devices. */
    for (size_t i = 0; i < s->npnp; i++) {
        exhv_device *d;
        if (used[i] || !s->pnp[i].present)
            continue;
        d = &h->devices[h->ndevices++];
        memset(d, 0, sizeof(*d));
        if (take_node(s, d, i, used) < 0)
            goto nomem;
        exhv_pci_ids(d->pnp.instance_id, &d->vendor_id, &d->device_id);
        d->bridge = exhv_strcaseeq(d->pnp.service, "pci");
        d->state = exhv_starts_with_ci(d->pnp.instance_id, "PCIP\\") ? EXHV_DDA_DISMOUNTED
                                                                    : EXHV_DDA_HOST;
    }
    for (size_t i = 0; i < s->npnp; i++)
        h->phantoms += !used[i];
    if (h->ndevices > 1)
        qsort(h->devices, h->ndevices, sizeof(*h->devices), cmp_device);

    /* 4. Each VM's device list (location paths), in device order. */
    for (size_t i = 0; i < h->ndevices; i++) {
        const exhv_device *d = &h->devices[i];
        exhv_vm *vm;
        if (d->state != EXHV_DDA_ASSIGNED && d->state != EXHV_DDA_MISSING)
            continue;
        vm = (exhv_vm *)exhv_host_vm_by_id(h, d->vm_id);
        if (vm && vm_add_string(&vm->devices, &vm->ndevices, d->pnp.location_path) < 0)
            goto nomem;
    }
    rc = 0;
    goto out;
nomem:
    oom(s->err);
out:
    for (size_t i = 0; i < nk; i++)
        free(k[i].pure);
    free(used);
    free(k);
    free(rk);
    refs_free(refs, nrefs);
    return rc;
}

/* ---------------- GPUs ---------------- */

static uint64_t gpu_vram(snap *s, const char *driver_key)
{
    static const char *const values[] = {"HardwareInformation.qwMemorySize",
                                         "HardwareInformation.MemorySize"};
    exhv_buf key = EXHV_BUF_INIT;
    uint64_t vram = 0;

    if (!driver_key || !*driver_key)
        return 0;
    exhv_buf_printf(&key, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\%s", driver_key);
    for (size_t i = 0; i < 2 && !vram && exhv_buf_ok(&key); i++) {
        exhv_regval v = {0};
        exhv_error ignored;
        if (s->c->ops->reg_get(s->c->ctx, exhv_buf_str(&key), values[i], &v, &ignored) == 0) {
            if (exhv_regval_number(&v, &vram) < 0)
                vram = 0;
            exhv_regval_release(&v);
        }
    }
    exhv_buf_release(&key);
    return vram;
}

static void gpu_partition(exhv_gpu *g, const exhv_wmi_obj *o)
{
    static const char *const what[4] = {"VRAM", "Encode", "Decode", "Compute"};
    const exhv_value *vc = exhv_wmi_get(o, "ValidPartitionCounts");
    char name[64];

    g->part.partition_count = (uint64_t)exhv_wmi_int(o, "PartitionCount", 0);
    if (vc && vc->type == EXHV_V_INTS && vc->n &&
        (g->part.valid_counts = malloc(vc->n * sizeof(uint64_t)))) {
        for (size_t i = 0; i < vc->n; i++)
            g->part.valid_counts[i] = (uint64_t)vc->ints[i];
        g->part.nvalid = vc->n;
    }
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof(name), "Total%s", what[k]);
        g->part.total[k] = (uint64_t)exhv_wmi_int(o, name, 0);
        snprintf(name, sizeof(name), "Available%s", what[k]);
        g->part.available[k] = (uint64_t)exhv_wmi_int(o, name, 0);
        snprintf(name, sizeof(name), "MinPartition%s", what[k]);
        g->part.min[k] = (uint64_t)exhv_wmi_int(o, name, 0);
        snprintf(name, sizeof(name), "MaxPartition%s", what[k]);
        g->part.max[k] = (uint64_t)exhv_wmi_int(o, name, 0);
        snprintf(name, sizeof(name), "OptimalPartition%s", what[k]);
        g->part.optimal[k] = (uint64_t)exhv_wmi_int(o, name, 0);
    }
}

static int build_gpus(snap *s)
{
    exhv_host *h = s->h;
    const exhv_wmi_objs *pg = &s->q[Q_GPUS];
    unsigned char *used = calloc(pg->count ? pg->count : 1, 1);
    char **pg_ids = calloc(pg->count ? pg->count : 1, sizeof(char *));
    size_t cap = 0;
    int rc = -1;

    if (!used || !pg_ids) {
        oom(s->err);
        goto out;
    }
    for (size_t k = 0; k < pg->count; k++)
        if (!(pg_ids[k] = exhv_gpu_path_to_instance_id(exhv_wmi_str(&pg->items[k], "Name")))) {
            oom(s->err);
            goto out;
        }
    for (size_t i = 0; i <= h->ndevices; i++) {
        const exhv_device *d = i < h->ndevices ? &h->devices[i] : NULL;
        const exhv_wmi_obj *part = NULL;
        exhv_gpu *g;

        if (d && (d->state != EXHV_DDA_HOST || !d->pnp.present || d->bridge ||
                  !exhv_strcaseeq(d->pnp.cls, "Display")))
            continue;
        if (!d)
            break;
        for (size_t k = 0; k < pg->count && !part; k++)
            if (!used[k] && exhv_strcaseeq(pg_ids[k], d->pnp.instance_id)) {
                part = &pg->items[k];
                used[k] = 1;
            }
        if (exhv_grow((void **)&h->gpus, &cap, h->ngpus + 1, sizeof(*h->gpus)) < 0) {
            oom(s->err);
            goto out;
        }
        g = &h->gpus[h->ngpus];
        memset(g, 0, sizeof(*g));
        g->index = (unsigned)h->ngpus++;
        g->name = exhv_strdup(d->pnp.name);
        g->vendor = exhv_strdup(exhv_pci_vendor_name(d->vendor_id) ? exhv_pci_vendor_name(d->vendor_id)
                                : d->pnp.manufacturer ? d->pnp.manufacturer : "");
        g->instance_id = exhv_strdup(d->pnp.instance_id);
        g->location_path = exhv_strdup(d->pnp.location_path);
        g->driver_version = exhv_strdup(d->pnp.driver_version ? d->pnp.driver_version : "");
        if (!g->name || !g->vendor || !g->instance_id || !g->location_path || !g->driver_version) {
            oom(s->err);
            goto out;
        }
        if (exhv_wddm_from_driver_version(g->driver_version, &g->wddm_major, &g->wddm_minor) < 0)
            g->wddm_major = g->wddm_minor = 0;
        g->vram_bytes = gpu_vram(s, d->pnp.driver_key);
        /* A disabled GPU runs no driver, and the driver is what partitions. */
        g->disabled = exhv_device_disabled(d);
        if (part && !g->disabled) {
            g->partitionable = 1;
            if (!(g->partition_path = exhv_strdup(exhv_wmi_str(part, "Name")))) {
                oom(s->err);
                goto out;
            }
            gpu_partition(g, part);
        }
    }
    /* Partitionable GPUs PnP did not show (should not happen; keep them
     * visible rather than hide a choice Hyper-V offers). */
    for (size_t k = 0; k < pg->count; k++) {
        exhv_gpu *g;
        int held = 0;
        if (used[k])
            continue;
        /* A GPU that DDA holds (dismounted or in a VM) is no host GPU and
         * cannot be partitioned, whatever WMI still lists. */
        for (size_t i = 0; i < h->ndevices && !held; i++) {
            const char *id = h->devices[i].pnp.instance_id;
            held = h->devices[i].state != EXHV_DDA_HOST && exhv_starts_with_ci(id, "PCIP\\") &&
                   exhv_starts_with_ci(pg_ids[k], "PCI\\") && exhv_strcaseeq(id + 5, pg_ids[k] + 4);
        }
        if (held)
            continue;
        if (exhv_grow((void **)&h->gpus, &cap, h->ngpus + 1, sizeof(*h->gpus)) < 0) {
            oom(s->err);
            goto out;
        }
        g = &h->gpus[h->ngpus];
        memset(g, 0, sizeof(*g));
        g->index = (unsigned)h->ngpus++;
        g->name = exhv_strdup("(GPU not listed by PnP)");
        g->vendor = exhv_strdup("");
        g->instance_id = exhv_strdup(pg_ids[k]);
        g->location_path = exhv_strdup("");
        g->driver_version = exhv_strdup("");
        g->partitionable = 1;
        g->partition_path = exhv_strdup(exhv_wmi_str(&pg->items[k], "Name"));
        if (!g->name || !g->vendor || !g->instance_id || !g->location_path || !g->driver_version ||
            !g->partition_path) {
            oom(s->err);
            goto out;
        }
        gpu_partition(g, &pg->items[k]);
    }
    rc = 0;
out:
    if (pg_ids)
        exhv_strv_free(pg_ids, pg->count);
    free(used);
    return rc;
}

/* ---------------- guest driver records ---------------- */

static const char *regtype_word(exhv_regtype t)
{
    switch (t) {
    case EXHV_REG_SZ: return "REG_SZ";
    case EXHV_REG_EXPAND_SZ: return "REG_EXPAND_SZ";
    case EXHV_REG_MULTI_SZ: return "REG_MULTI_SZ";
    case EXHV_REG_DWORD: return "REG_DWORD";
    case EXHV_REG_QWORD: return "REG_QWORD";
    case EXHV_REG_BINARY: return "REG_BINARY";
    default: return exhv_tr("a value of unknown type");
    }
}

/* One value of a record, of the type the contract gives it. 0 read, 1 the
 * record is malformed (r->problem says why), -1 out of memory. */
static int record_value(snap *s, const char *key, const char *name, exhv_regtype want,
                        exhv_regval *out, exhv_guest_record *r)
{
    exhv_error e;
    int rc = s->c->ops->reg_get(s->c->ctx, key, name, out, &e);
    exhv_buf why = EXHV_BUF_INIT;

    if (rc == 0 && out->type == want)
        return 0;
    if (rc == 0)
        exhv_buf_tprintf(&why, "%s is %s, not %s", name, regtype_word(out->type),
                         regtype_word(want));
    else if (rc == -2)
        exhv_buf_tprintf(&why, "%s is missing", name);
    else if (e.code == EXHV_E_NO_MEMORY)
        return -1;
    else
        exhv_buf_tprintf(&why, "%s could not be read (%s)", name, e.message);
    exhv_regval_release(out);
    if (!(r->problem = exhv_buf_detach(&why)))
        return -1;
    return 1;
}

EXHV_PRINTF(2, 3) static int problem(exhv_guest_record *r, const char *fmt, ...)
{
    exhv_buf b = EXHV_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    exhv_buf_vprintf(&b, exhv_tr(fmt), ap);
    va_end(ap);
    return (r->problem = exhv_buf_detach(&b)) ? 0 : -1;
}

/* The record of one VM (docs/scenario.md, "guest driver records"): each
 * value of its type, a version and a GPU that say something; anything else
 * makes it malformed, and nothing of a malformed record is trusted. */
static int read_record(snap *s, const char *key, exhv_guest_record *r)
{
    static const char *const sz[4] = {"VmName", "GpuInstanceId", "DriverVersion", "InfPath"};
    char **slots[4] = {&r->vm_name, &r->gpu_instance_id, &r->driver_version, &r->inf_path};
    exhv_regval v = {0};
    int rc;

    r->present = 1;
    for (int i = 0; i < 4; i++) {
        if ((rc = record_value(s, key, sz[i], EXHV_REG_SZ, &v, r)) != 0)
            return rc < 0 ? -1 : 0;
        *slots[i] = v.str;
        v.str = NULL;
        exhv_regval_release(&v);
        if (!*slots[i])
            return -1;
        if (i > 0 && !**slots[i])
            return problem(r, "%s is empty", sz[i]);
    }
    if ((rc = record_value(s, key, "Packages", EXHV_REG_MULTI_SZ, &v, r)) != 0)
        return rc < 0 ? -1 : 0;
    for (const char *p = v.str; p && *p; p += strlen(p) + 1) {
        size_t cap = r->npackages;
        if (exhv_grow((void **)&r->packages, &cap, r->npackages + 1, sizeof(char *)) < 0 ||
            !(r->packages[r->npackages] = exhv_strdup(p))) {
            exhv_regval_release(&v);
            return -1;
        }
        r->npackages++;
    }
    exhv_regval_release(&v);
    if ((rc = record_value(s, key, "AllPackages", EXHV_REG_DWORD, &v, r)) != 0)
        return rc < 0 ? -1 : 0;
    if (v.num > 1)
        return problem(r, "AllPackages is %llu, neither 0 nor 1", (unsigned long long)v.num);
    r->all_packages = (int)v.num;
    return 0;
}

/* The records of the host's VMs: one listing of the parent key, then the
 * values of the VMs that have one. A record of a VM that is gone is no
 * VM's state and is not read. */
static int read_guest_records(snap *s)
{
    exhv_host *h = s->h;
    char **vals = NULL, **subs = NULL;
    size_t nv = 0, ns = 0;
    exhv_error e;
    int rc = 0;

    if (!s->c->ops->reg_list || !h->nvms)
        return 0;
    if (s->c->ops->reg_list(s->c->ctx, EXHV_GUEST_DRIVERS_KEY, &vals, &nv, &subs, &ns, &e) < 0) {
        if (e.code == EXHV_E_NO_MEMORY)
            return oom(s->err);
        /* No record at all (-2), or a key that cannot be listed: no VM has
         * a state to show beyond "none"; an unreadable key is said. */
        if (e.code != EXHV_E_NOT_FOUND) {
            exhv_buf wb = EXHV_BUF_INIT;
            size_t cap = h->nwarnings;
            char *text;
            exhv_buf_tprintf(&wb, "the guest driver records (%s) could not be read (%s); guest "
                                  "driver states are not shown", EXHV_GUEST_DRIVERS_KEY, e.message);
            text = exhv_buf_detach(&wb);
            if (!text || exhv_grow((void **)&h->warnings, &cap, h->nwarnings + 1,
                                   sizeof(char *)) < 0) {
                free(text);
                return oom(s->err);
            }
            h->warnings[h->nwarnings++] = text;
        }
        return 0;
    }
    for (size_t i = 0; i < ns && rc == 0; i++) {
        exhv_vm *vm = (exhv_vm *)exhv_host_vm_by_id(h, subs[i]);
        exhv_buf key = EXHV_BUF_INIT;
        if (!vm || vm->drivers.record.present)
            continue;
        exhv_buf_printf(&key, "%s\\%s", EXHV_GUEST_DRIVERS_KEY, subs[i]);
        if (!exhv_buf_ok(&key) || read_record(s, exhv_buf_str(&key), &vm->drivers.record) < 0)
            rc = oom(s->err);
        exhv_buf_release(&key);
    }
    exhv_strv_free(vals, nv);
    exhv_strv_free(subs, ns);
    return rc;
}

/* ---------------- the snapshot ---------------- */

int exhv_snapshot_take(exhv_conn *c, exhv_host **out, exhv_error *err)
{
    snap s = {.c = c, .err = err};
    const exhv_ports_ops *ops = c->ops;
    unsigned long q0 = ops->wmi_query_count ? ops->wmi_query_count(c->ctx) : 0;
    int rc = -1, w, gpu_warned = 0;

    if (!(s.h = calloc(1, sizeof(*s.h))) || !(s.h->uri = exhv_strdup(c->uri))) {
        oom(err);
        goto out;
    }
    s.h->simulated = c->simulated;
    if (ops->sys_read(c->ctx, &s.h->sys, err) < 0) {
        exhv_error_prefix(err, "reading system facts");
        goto out;
    }
    read_policy(&s);
    if (ops->pnp_list(c->ctx, &s.pnp, &s.npnp, err) < 0) {
        exhv_error_prefix(err, "listing PCI devices");
        goto out;
    }
    w = ops->wmi_open(c->ctx, err);
    if (w == -2) {
        s.h->hyperv = 0;
        if (!(s.h->hyperv_error = exhv_strdup(err->message))) {
            oom(err);
            goto out;
        }
        exhv_error_clear(err);
    } else if (w < 0) {
        exhv_error_prefix(err, "connecting to Hyper-V");
        goto out;
    } else {
        s.h->hyperv = 1;
        for (int i = 0; i < Q__COUNT; i++)
            if (ops->wmi_query(c->ctx, queries[i], &s.q[i], err) < 0) {
                /* GPU partitioning is a part of its own (the classes are
                 * missing before build 17134 and on Server 2016): without it
                 * the rest of the host is still right, so say so and go on. */
                if ((i == Q_GPUS || i == Q_GPU_SETTINGS) && err->code != EXHV_E_NO_MEMORY) {
                    exhv_buf wb = EXHV_BUF_INIT;
                    size_t cap = s.h->nwarnings;
                    char *text;
                    exhv_wmi_objs_release(&s.q[i]);
                    if (gpu_warned++) {
                        exhv_error_clear(err);
                        continue;
                    }
                    exhv_buf_tprintf(&wb, "GPU partitioning could not be read (%s%s%s); GPUs are "
                                         "shown as not partitionable and VMs without GPU "
                                         "partition adapters", err->message,
                                    err->plat_text[0] ? ", " : "", err->plat_text);
                    text = exhv_buf_detach(&wb);
                    if (!text || exhv_grow((void **)&s.h->warnings, &cap, s.h->nwarnings + 1,
                                           sizeof(char *)) < 0) {
                        free(text);
                        oom(err);
                        goto out;
                    }
                    s.h->warnings[s.h->nwarnings++] = text;
                    exhv_wmi_objs_release(&s.q[i]);
                    exhv_error_clear(err);
                    continue;
                }
                exhv_error_prefix(err, "querying Hyper-V (%s)", queries[i]);
                goto out;
            }
    }
    if (build_vms(&s) < 0 || build_devices(&s) < 0 || build_gpus(&s) < 0 ||
        read_guest_records(&s) < 0)
        goto out;
    exhv_guest_drivers_compute(s.h);
    s.h->wmi_queries = (ops->wmi_query_count ? ops->wmi_query_count(c->ctx) : 0) - q0;
    *out = s.h;
    s.h = NULL;
    rc = 0;
out:
    for (int i = 0; i < Q__COUNT; i++)
        exhv_wmi_objs_release(&s.q[i]);
    for (size_t i = 0; i < s.npnp; i++)
        exhv_pnp_dev_release(&s.pnp[i]);
    free(s.pnp);
    exhv_host_free(s.h);
    return rc;
}
