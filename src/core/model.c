#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"

/* Names that are also words for people (exhv_enum_label) are marked for
 * the catalogue (exhv_enum_text translates them). */
static const char *const dda_names[] = {EXHV_N("host"), EXHV_N("dismounted"),
                                        EXHV_N("assigned"), EXHV_N("missing")};
static const char *const vm_names[] = {EXHV_N("off"), EXHV_N("running"), EXHV_N("saved"),
                                       EXHV_N("paused"), EXHV_N("starting"),
                                       EXHV_N("stopping"), EXHV_N("other")};
static const char *const stop_names[] = {"turn_off", "save", "shut_down", "unknown"};
static const char *const ckpt_names[] = {"disabled", "production", "production_only",
                                         "standard", "unknown"};
static const char *const verdict_names[] = {"pass", "warn", "fail"};
static const char *const gdrv_names[] = {"",        "none",    "current",  "stale",
                                         "gpu-missing", "unknown", "malformed"};

static const char *const *enum_table(exhv_enum_kind kind, int *count)
{
    switch (kind) {
    case EXHV_ENUM_DDA_STATE: *count = EXHV_DDA__COUNT; return dda_names;
    case EXHV_ENUM_VM_STATE: *count = EXHV_VM__COUNT; return vm_names;
    case EXHV_ENUM_STOP_ACTION: *count = EXHV_STOP__COUNT; return stop_names;
    case EXHV_ENUM_CHECKPOINT: *count = EXHV_CKPT__COUNT; return ckpt_names;
    case EXHV_ENUM_VERDICT: *count = EXHV_VERDICT__COUNT; return verdict_names;
    case EXHV_ENUM_GUEST_DRIVERS: *count = EXHV_GDRV__COUNT; return gdrv_names;
    }
    *count = 0;
    return NULL;
}

const char *exhv_enum_label(exhv_enum_kind kind, int value)
{
    /* Words for people where the stable name has an underscore. */
    static const char *const stop_labels[] = {EXHV_N("turn off"), EXHV_N("save"),
                                              EXHV_N("shut down"), EXHV_N("unknown")};
    static const char *const ckpt_labels[] = {EXHV_N("disabled"), EXHV_N("production"),
                                              EXHV_N("production only"), EXHV_N("standard"),
                                              EXHV_N("unknown")};
    if (kind == EXHV_ENUM_STOP_ACTION && value >= 0 && value < EXHV_STOP__COUNT)
        return stop_labels[value];
    if (kind == EXHV_ENUM_CHECKPOINT && value >= 0 && value < EXHV_CKPT__COUNT)
        return ckpt_labels[value];
    return exhv_enum_name(kind, value);
}

const char *exhv_enum_text(exhv_enum_kind kind, int value)
{
    return exhv_tr(exhv_enum_label(kind, value));
}

const char *exhv_enum_name(exhv_enum_kind kind, int value)
{
    int count;
    const char *const *t = enum_table(kind, &count);
    return t && value >= 0 && value < count ? t[value] : "unknown";
}

int exhv_enum_parse(exhv_enum_kind kind, const char *name)
{
    int count;
    const char *const *t = enum_table(kind, &count);
    for (int i = 0; t && i < count; i++)
        if (exhv_strcaseeq(t[i], name))
            return i;
    return -1;
}

/* Msvm_ComputerSystem.EnabledState, including Hyper-V's 32768+ transitional
 * values (Msvm_ComputerSystem documentation). */
exhv_vm_state exhv_vm_state_from_enabled(int64_t s)
{
    switch (s) {
    case 2: return EXHV_VM_RUNNING;
    case 3: return EXHV_VM_OFF;
    case 4: return EXHV_VM_STOPPING;
    case 6: return EXHV_VM_SAVED;
    case 9: return EXHV_VM_PAUSED;
    case 10: return EXHV_VM_STARTING;
    case 32768: return EXHV_VM_PAUSED;
    case 32769: return EXHV_VM_SAVED;
    case 32770: return EXHV_VM_STARTING;
    case 32774: return EXHV_VM_STOPPING;
    default: return EXHV_VM_OTHER;
    }
}

exhv_stop_action exhv_stop_action_from_msvm(int64_t v)
{
    switch (v) {
    case 2: return EXHV_STOP_TURN_OFF;
    case 3: return EXHV_STOP_SAVE;
    case 4: return EXHV_STOP_SHUT_DOWN;
    default: return EXHV_STOP_UNKNOWN;
    }
}

exhv_checkpoint_type exhv_checkpoint_from_msvm(int64_t v)
{
    switch (v) {
    case 2: return EXHV_CKPT_DISABLED;
    case 3: return EXHV_CKPT_PRODUCTION;
    case 4: return EXHV_CKPT_PRODUCTION_ONLY;
    case 5: return EXHV_CKPT_STANDARD;
    default: return EXHV_CKPT_UNKNOWN;
    }
}

void exhv_sysinfo_release(exhv_sysinfo *s)
{
    free(s->computer_name);
    free(s->os_caption);
    free(s->os_version);
    free(s->arch);
    free(s->cpu_name);
    free(s->wine_version);
    memset(s, 0, sizeof(*s));
}

void exhv_pnp_dev_release(exhv_pnp_dev *d)
{
    free(d->instance_id);
    free(d->location_path);
    free(d->name);
    free(d->cls);
    free(d->service);
    free(d->manufacturer);
    free(d->driver_key);
    free(d->driver_version);
    free(d->mem);
    memset(d, 0, sizeof(*d));
}

void exhv_host_free(exhv_host *h)
{
    if (!h)
        return;
    free(h->uri);
    free(h->hyperv_error);
    exhv_strv_free(h->warnings, h->nwarnings);
    exhv_sysinfo_release(&h->sys);
    for (size_t i = 0; i < h->ndevices; i++) {
        exhv_device *d = &h->devices[i];
        exhv_pnp_dev_release(&d->pnp);
        free(d->vm_id);
        free(d->vm_name);
        free(d->pciexpress_path);
        free(d->setting_id);
    }
    free(h->devices);
    free(h->vm_by_id);
    for (size_t i = 0; i < h->ngpus; i++) {
        exhv_gpu *g = &h->gpus[i];
        free(g->name);
        free(g->vendor);
        free(g->instance_id);
        free(g->location_path);
        free(g->driver_version);
        free(g->partition_path);
        free(g->part.valid_counts);
    }
    free(h->gpus);
    for (size_t i = 0; i < h->nvms; i++) {
        exhv_vm *v = &h->vms[i];
        free(v->id);
        free(v->name);
        free(v->version);
        free(v->settings_id);
        exhv_strv_free(v->disks, v->ndisks);
        exhv_strv_free(v->devices, v->ndevices);
        for (size_t k = 0; k < v->nadapters; k++) {
            free(v->adapters[k].id);
            free(v->adapters[k].instance_path);
        }
        free(v->adapters);
        exhv_guest_record_release(&v->drivers.record);
    }
    free(h->vms);
    free(h);
}

static int cmp_vm_key(const void *a, const void *b)
{
    const exhv_vm_key *x = a, *y = b;
    int c = exhv_strcasecmp(x->id, y->id);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

int exhv_host_index_vms(exhv_host *h)
{
    exhv_vm_key *ix;
    free(h->vm_by_id);
    h->vm_by_id = NULL;
    if (!h->nvms || !(ix = malloc(h->nvms * sizeof(*ix))))
        return h->nvms ? -1 : 0;
    for (size_t i = 0; i < h->nvms; i++) {
        ix[i].id = h->vms[i].id ? h->vms[i].id : "";
        ix[i].index = i;
    }
    qsort(ix, h->nvms, sizeof(*ix), cmp_vm_key);
    h->vm_by_id = ix;
    return 0;
}

const exhv_vm *exhv_host_vm_by_id(const exhv_host *h, const char *id)
{
    size_t lo = 0, hi = h->nvms;
    if (!id)
        return NULL;
    if (!h->vm_by_id) {
        for (size_t i = 0; i < h->nvms; i++)
            if (exhv_strcaseeq(h->vms[i].id, id))
                return &h->vms[i];
        return NULL;
    }
    /* The first of equal IDs, as the scan would find it. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (exhv_strcasecmp(h->vm_by_id[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->nvms && exhv_strcaseeq(h->vm_by_id[lo].id, id)
               ? &h->vms[h->vm_by_id[lo].index]
               : NULL;
}

static unsigned hex_after(const char *s, const char *tag)
{
    const char *p = NULL;
    unsigned v = 0;

    for (const char *q = s; *q; q++)
        if (exhv_starts_with_ci(q, tag)) {
            p = q + strlen(tag);
            break;
        }
    if (!p)
        return 0;
    for (int k = 0; k < 4 && p[k]; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    return v;
}

void exhv_pci_ids(const char *instance_id, unsigned *vendor, unsigned *device)
{
    *vendor = instance_id ? hex_after(instance_id, "VEN_") : 0;
    *device = instance_id ? hex_after(instance_id, "DEV_") : 0;
}

const char *exhv_pnp_pure_id(const char *instance_id)
{
    return instance_id ? strchr(instance_id, '\\') : NULL;
}

const char *exhv_pciexpress_instance(const char *device_id)
{
    const char *p;
    if (!device_id || !exhv_starts_with_ci(device_id, "Microsoft:"))
        return NULL;
    p = strchr(device_id + 10, '\\');
    if (!p || p == device_id + 10 || !p[1])
        return NULL;
    p++;
    /* Only a PnP instance path of a PCI function: PCIP\... or PCI\... */
    if (!exhv_starts_with_ci(p, "PCIP\\") && !exhv_starts_with_ci(p, "PCI\\"))
        return NULL;
    return p;
}

const char *exhv_pci_vendor_name(unsigned vendor_id)
{
    switch (vendor_id) {
    case 0x10DE: return "NVIDIA";
    case 0x1002: case 0x1022: return "AMD";
    case 0x8086: return "Intel";
    case 0x1414: return "Microsoft";
    case 0x5143: return "Qualcomm";
    case 0x1AE0: return "Google";
    case 0x15AD: return "VMware";
    case 0x1234: return "QEMU";
    case 0x1AF4: return "Red Hat";
    case 0x14E4: return "Broadcom";
    case 0x10EC: return "Realtek";
    case 0x144D: return "Samsung";
    case 0x15B3: return "Mellanox";
    case 0x1B4B: return "Marvell";
    default: return NULL;
    }
}

int64_t exhv_polval_code(const exhv_polval *v)
{
    switch (v->state) {
    case EXHV_POLVAL_ABSENT: return EXHV_POLICY_ABSENT;
    case EXHV_POLVAL_DWORD: return (int64_t)v->dword;
    default: return EXHV_POLICY_OTHER;
    }
}

int exhv_device_disabled(const exhv_device *d)
{
    return d->state == EXHV_DDA_HOST && d->pnp.present && d->pnp.problem == EXHV_PROBLEM_DISABLED;
}

const char *exhv_device_state_word(const exhv_device *d)
{
    return exhv_device_disabled(d) ? "disabled" : exhv_enum_name(EXHV_ENUM_DDA_STATE, (int)d->state);
}

void exhv_guest_record_release(exhv_guest_record *r)
{
    free(r->problem);
    free(r->vm_name);
    free(r->gpu_instance_id);
    free(r->driver_version);
    free(r->inf_path);
    exhv_strv_free(r->packages, r->npackages);
    memset(r, 0, sizeof(*r));
}

/* "a.b.c.d", each part 1..5 digits: 1 and the numbers, else 0. */
static int version_parts(const char *s, unsigned long v[4])
{
    for (int i = 0; i < 4; i++) {
        int digits = 0;
        v[i] = 0;
        while (*s >= '0' && *s <= '9' && digits < 6) {
            v[i] = v[i] * 10 + (unsigned long)(*s++ - '0');
            digits++;
        }
        if (!digits || digits > 5 || *s != (i < 3 ? '.' : '\0'))
            return 0;
        if (i < 3)
            s++;
    }
    return 1;
}

int exhv_driver_version_eq(const char *a, const char *b)
{
    unsigned long x[4], y[4];
    if (!a || !b)
        return 0;
    if (version_parts(a, x) && version_parts(b, y))
        return memcmp(x, y, sizeof(x)) == 0;
    return exhv_strcaseeq(a, b);
}

void exhv_guest_drivers_of(exhv_vm *vm, const exhv_gpu *gpus, size_t ngpus)
{
    exhv_guest_drivers *d = &vm->drivers;
    const exhv_gpu *g = NULL;

    d->host_version = NULL;
    if (!d->record.present) {
        d->state = vm->nadapters ? EXHV_GDRV_NONE : EXHV_GDRV_NOTHING;
        return;
    }
    if (d->record.problem) {
        d->state = EXHV_GDRV_MALFORMED;
        return;
    }
    /* A GPU DDA holds, or one taken out, is no host GPU: its driver is not
     * what a partition gets. */
    for (size_t i = 0; i < ngpus && !g; i++)
        if (exhv_strcaseeq(gpus[i].instance_id, d->record.gpu_instance_id))
            g = &gpus[i];
    if (!g) {
        d->state = EXHV_GDRV_GPU_MISSING;
        return;
    }
    if (!g->driver_version || !*g->driver_version) {
        d->state = EXHV_GDRV_UNKNOWN;
        return;
    }
    d->host_version = g->driver_version;
    d->state = exhv_driver_version_eq(d->record.driver_version, g->driver_version)
                   ? EXHV_GDRV_CURRENT
                   : EXHV_GDRV_STALE;
}

void exhv_guest_drivers_compute(exhv_host *h)
{
    for (size_t i = 0; i < h->nvms; i++)
        exhv_guest_drivers_of(&h->vms[i], h->gpus, h->ngpus);
}
