#include "plan.h"
#include "text.h"
#include "model.h"
#include "i18n.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pwsh.h"

const char *const exhv_gpu_value_names[12] = {
    "MinPartitionVRAM",   "MaxPartitionVRAM",   "OptimalPartitionVRAM",
    "MinPartitionEncode", "MaxPartitionEncode", "OptimalPartitionEncode",
    "MinPartitionDecode", "MaxPartitionDecode", "OptimalPartitionDecode",
    "MinPartitionCompute", "MaxPartitionCompute", "OptimalPartitionCompute",
};

void exhv_plan_init(exhv_plan *p)
{
    memset(p, 0, sizeof(*p));
}

static void step_release(exhv_step *s)
{
    free(s->vm_id);
    free(s->vm_name);
    free(s->instance_id);
    free(s->location_path);
    free(s->device_name);
    free(s->setting_id);
    free(s->prop);
    free(s->gpu_path);
    free(s->gpu_name);
    free(s->reason);
    free(s->no_undo);
    free(s->path);
    free(s->driver_key);
    free(s->version);
    free(s->inf_path);
    free(s->packages);
    free(s->script);
}

void exhv_plan_release(exhv_plan *p)
{
    for (size_t i = 0; i < p->count; i++)
        step_release(&p->steps[i]);
    free(p->steps);
    exhv_strv_free(p->notes, p->nnotes);
    free(p->title);
    memset(p, 0, sizeof(*p));
}

void exhv_plan_truncate(exhv_plan *p, size_t count, size_t nnotes)
{
    while (p->count > count)
        step_release(&p->steps[--p->count]);
    while (p->nnotes > nnotes)
        free(p->notes[--p->nnotes]);
}

static int dup(char **dst, const char *src)
{
    *dst = NULL;
    return !src || (*dst = exhv_strdup(src)) ? 0 : -1;
}

exhv_step *exhv_plan_add_step(exhv_plan *p, const exhv_step *s)
{
    exhv_step *d;
    if (exhv_grow((void **)&p->steps, &p->cap, p->count + 1, sizeof(*p->steps)) < 0)
        return NULL;
    d = &p->steps[p->count];
    memset(d, 0, sizeof(*d));
    d->kind = s->kind;
    d->old_value = s->old_value;
    d->new_value = s->new_value;
    d->nvalues = s->nvalues;
    memcpy(d->values, s->values, sizeof(d->values));
    d->files = s->files;
    d->bytes = s->bytes;
    d->all_packages = s->all_packages;
    d->cleanup = s->cleanup;
    if (dup(&d->path, s->path) || dup(&d->driver_key, s->driver_key) ||
        dup(&d->version, s->version) || dup(&d->inf_path, s->inf_path) ||
        dup(&d->packages, s->packages) || dup(&d->script, s->script) ||
        dup(&d->vm_id, s->vm_id) || dup(&d->vm_name, s->vm_name) ||
        dup(&d->instance_id, s->instance_id) || dup(&d->location_path, s->location_path) ||
        dup(&d->device_name, s->device_name) || dup(&d->setting_id, s->setting_id) ||
        dup(&d->prop, s->prop) || dup(&d->reason, s->reason) || dup(&d->gpu_path, s->gpu_path) ||
        dup(&d->gpu_name, s->gpu_name) || dup(&d->no_undo, s->no_undo)) {
        step_release(d);
        return NULL;
    }
    p->count++;
    return d;
}

int exhv_plan_add_note(exhv_plan *p, const char *fmt, ...)
{
    exhv_buf b = EXHV_BUF_INIT;
    va_list ap;
    char *s;
    va_start(ap, fmt);
    exhv_buf_vprintf(&b, exhv_tr(fmt), ap);
    va_end(ap);
    if (!(s = exhv_buf_detach(&b)) ||
        exhv_grow((void **)&p->notes, &p->notes_cap, p->nnotes + 1, sizeof(char *)) < 0) {
        free(s);
        return -1;
    }
    p->notes[p->nnotes++] = s;
    return 0;
}

const char *exhv_step_kind_name(exhv_step_kind k)
{
    static const char *const names[EXHV_STEP__COUNT] = {
        "vm_shutdown", "vm_set",    "vm_memory", "dev_disable", "dev_dismount", "dev_add",
        "dev_remove",  "dev_mount", "dev_enable", "ref_remove", "policy_set", "gpu_add",
        "gpu_remove",  "gpu_remove_stale", "disk_attach", "disk_detach", "hive_load",
        "hive_unload", "drv_copy", "drv_purge", "drv_restore", "hive_edit", "hive_unedit",
        "drv_record", "drv_unrecord", "drv_commit",
    };
    return (unsigned)k < EXHV_STEP__COUNT ? names[k] : "unknown";
}

const char *exhv_step_no_undo(const exhv_step *s)
{
    if (s->no_undo)
        return s->no_undo;
    if (s->kind == EXHV_STEP_REF_REMOVE)
        return exhv_tr("the hardware it referred to is gone, and Hyper-V takes no reference "
                       "to hardware that is not there");
    if (s->kind == EXHV_STEP_GPU_REMOVE_STALE)
        return exhv_tr("its GPU is gone, and Hyper-V takes no partition of a GPU that is not "
                       "there");
    if (s->kind == EXHV_STEP_POLICY_SET && s->old_value == EXHV_POLICY_OTHER)
        return exhv_tr("the value held data of another type, which exhv cannot write back");
    return NULL;
}

int exhv_step_reversible(const exhv_step *s)
{
    return exhv_step_no_undo(s) == NULL;
}

void exhv_step_inverse(const exhv_step *s, exhv_step *out)
{
    *out = *s;
    out->old_value = s->new_value;
    out->new_value = s->old_value;
    switch (s->kind) {
    case EXHV_STEP_DEV_DISABLE: out->kind = EXHV_STEP_DEV_ENABLE; break;
    case EXHV_STEP_DEV_ENABLE: out->kind = EXHV_STEP_DEV_DISABLE; break;
    case EXHV_STEP_DEV_DISMOUNT: out->kind = EXHV_STEP_DEV_MOUNT; break;
    case EXHV_STEP_DEV_MOUNT: out->kind = EXHV_STEP_DEV_DISMOUNT; break;
    case EXHV_STEP_DEV_ADD: out->kind = EXHV_STEP_DEV_REMOVE; break;
    case EXHV_STEP_DEV_REMOVE: out->kind = EXHV_STEP_DEV_ADD; break;
    case EXHV_STEP_GPU_ADD: out->kind = EXHV_STEP_GPU_REMOVE; break;
    case EXHV_STEP_GPU_REMOVE: out->kind = EXHV_STEP_GPU_ADD; break;
    case EXHV_STEP_DISK_ATTACH: out->kind = EXHV_STEP_DISK_DETACH; break;
    case EXHV_STEP_HIVE_LOAD: out->kind = EXHV_STEP_HIVE_UNLOAD; break;
    case EXHV_STEP_DRV_COPY:
    case EXHV_STEP_DRV_PURGE: out->kind = EXHV_STEP_DRV_RESTORE; break;
    case EXHV_STEP_HIVE_EDIT: out->kind = EXHV_STEP_HIVE_UNEDIT; break;
    case EXHV_STEP_DRV_RECORD: out->kind = EXHV_STEP_DRV_UNRECORD; break;
    /* Undoing a shutdown starts the VM again: new_value 2 is "running". */
    case EXHV_STEP_VM_SHUTDOWN: out->kind = EXHV_STEP_VM_SHUTDOWN; out->new_value = 2; break;
    default: break;
    }
}

static const char *stop_action_word(int64_t v)
{
    return v == 2 ? "TurnOff" : v == 3 ? "Save" : v == 4 ? "ShutDown" : "?";
}

static const char *checkpoint_word(int64_t v)
{
    return v == 2 ? "Disabled" : v == 3 ? "Production" : v == 4 ? "ProductionOnly"
           : v == 5 ? "Standard" : "?";
}

/* The same values in words for people, for the step descriptions. */
static const char *stop_action_label(int64_t v)
{
    return v == 2 ? EXHV_N("turn off") : v == 3 ? EXHV_N("save") : v == 4 ? EXHV_N("shut down")
                                                                          : "?";
}

static const char *checkpoint_label(int64_t v)
{
    return v == 2 ? EXHV_N("disabled") : v == 3 ? EXHV_N("production")
           : v == 4 ? EXHV_N("production only") : v == 5 ? EXHV_N("standard") : "?";
}

/* 20687554 -> "20,687,554". */
static void fmt_count(exhv_buf *b, uint64_t v)
{
    char d[32];
    int n = snprintf(d, sizeof(d), "%llu", (unsigned long long)v);
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            exhv_buf_putc(b, ',');
        exhv_buf_putc(b, d[i]);
    }
}

static size_t line_count(const char *s)
{
    size_t n = 0;
    for (const char *p = s; p && *p; p++)
        if (*p == '\n' || !p[1])
            n++;
    return n;
}

/* "a, b, c" from lines. */
static void list_lines(exhv_buf *b, const char *s)
{
    size_t i = 0;
    for (const char *p = s; p && *p; i++) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (i)
            exhv_buf_puts(b, ", ");
        exhv_buf_add(b, p, len);
        p += len + (e ? 1 : 0);
    }
}

void exhv_step_describe(exhv_buf *b, const exhv_step *s)
{
    const char *dev = s->device_name && *s->device_name ? s->device_name : s->location_path;
    switch (s->kind) {
    case EXHV_STEP_VM_SHUTDOWN:
        if (s->new_value == 2)
            exhv_buf_tprintf(b, "Start VM %s again", s->vm_name);
        else
            exhv_buf_tprintf(b, "Shut down VM %s (turned off if it does not stop in time)",
                             s->vm_name);
        break;
    case EXHV_STEP_VM_SET:
        if (strcmp(s->prop, EXHV_PROP_STOP_ACTION) == 0)
            exhv_buf_tprintf(b, "Set VM %s automatic stop action: %s -> %s", s->vm_name,
                             exhv_tr(stop_action_label(s->old_value)),
                             exhv_tr(stop_action_label(s->new_value)));
        else if (strcmp(s->prop, EXHV_PROP_GUEST_CACHE) == 0)
            exhv_buf_tprintf(b, "Set VM %s guest-controlled cache types: %s -> %s", s->vm_name,
                             exhv_tr(s->old_value ? "on" : "off"),
                             exhv_tr(s->new_value ? "on" : "off"));
        else if (strcmp(s->prop, EXHV_PROP_LOW_MMIO) == 0)
            exhv_buf_tprintf(b, "Set VM %s low MMIO gap: %" PRId64 " MB -> %" PRId64 " MB",
                             s->vm_name, s->old_value, s->new_value);
        else if (strcmp(s->prop, EXHV_PROP_HIGH_MMIO) == 0)
            exhv_buf_tprintf(b, "Set VM %s high MMIO gap: %" PRId64 " MB -> %" PRId64 " MB",
                             s->vm_name, s->old_value, s->new_value);
        else if (strcmp(s->prop, EXHV_PROP_SNAPSHOT_TYPE) == 0)
            exhv_buf_tprintf(b, "Set VM %s checkpoints: %s -> %s", s->vm_name,
                             exhv_tr(checkpoint_label(s->old_value)),
                             exhv_tr(checkpoint_label(s->new_value)));
        else
            exhv_buf_tprintf(b, "Set VM %s %s: %" PRId64 " -> %" PRId64, s->vm_name, s->prop,
                             s->old_value, s->new_value);
        break;
    case EXHV_STEP_VM_MEMORY:
        exhv_buf_tprintf(b, s->new_value ? "Turn on dynamic memory of VM %s"
                                         : "Turn off dynamic memory of VM %s", s->vm_name);
        break;
    case EXHV_STEP_DEV_DISABLE: exhv_buf_tprintf(b, "Disable %s on the host", dev); break;
    case EXHV_STEP_DEV_DISMOUNT: exhv_buf_tprintf(b, "Dismount %s from the host", dev); break;
    case EXHV_STEP_DEV_ADD: exhv_buf_tprintf(b, "Assign %s to VM %s", dev, s->vm_name); break;
    case EXHV_STEP_DEV_REMOVE: exhv_buf_tprintf(b, "Remove %s from VM %s", dev, s->vm_name); break;
    case EXHV_STEP_DEV_MOUNT: exhv_buf_tprintf(b, "Mount %s on the host", dev); break;
    case EXHV_STEP_DEV_ENABLE: exhv_buf_tprintf(b, "Enable %s on the host", dev); break;
    case EXHV_STEP_REF_REMOVE:
        exhv_buf_tprintf(b, "Remove VM %s's reference to missing device %s", s->vm_name,
                         s->location_path && *s->location_path ? s->location_path : s->setting_id);
        break;
    case EXHV_STEP_POLICY_SET:
        if (s->new_value == EXHV_POLICY_ABSENT)
            exhv_buf_tprintf(b, "Restore DDA policy: remove %s", s->prop);
        else if (s->new_value == 0)
            exhv_buf_tprintf(b, "Relax DDA policy: set %s = 0", s->prop);
        else
            exhv_buf_tprintf(b, "Set DDA policy value %s = %" PRId64, s->prop, s->new_value);
        if (s->old_value >= 0)
            exhv_buf_tprintf(b, " (now %" PRId64 ")", s->old_value);
        else if (s->old_value == EXHV_POLICY_OTHER)
            exhv_buf_puts(b, exhv_tr(" (now a value of another type)"));
        break;
    case EXHV_STEP_GPU_ADD:
        if (s->gpu_path && *s->gpu_path)
            exhv_buf_tprintf(b, "Add a GPU partition of %s to VM %s", s->gpu_name ? s->gpu_name : s->gpu_path,
                             s->vm_name);
        else
            exhv_buf_tprintf(b, "Add a GPU partition to VM %s (Hyper-V chooses the GPU)", s->vm_name);
        break;
    case EXHV_STEP_GPU_REMOVE:
    case EXHV_STEP_GPU_REMOVE_STALE:
        exhv_buf_tprintf(b, s->kind == EXHV_STEP_GPU_REMOVE_STALE
                                ? "Remove stale GPU partition adapter %s from VM %s"
                                : "Remove GPU partition adapter %s from VM %s",
                         s->setting_id ? s->setting_id : exhv_tr("(the one just added)"),
                         s->vm_name);
        break;
    case EXHV_STEP_DISK_ATTACH:
        exhv_buf_tprintf(b, "Attach VM %s's disk %s to the host (no drive letter) and find its "
                           "Windows volume", s->vm_name, s->path);
        break;
    case EXHV_STEP_DISK_DETACH:
        exhv_buf_tprintf(b, "Detach VM %s's disk %s from the host", s->vm_name, s->path);
        break;
    case EXHV_STEP_HIVE_LOAD:
        exhv_buf_tprintf(b, "Load the guest's SYSTEM hive as HKLM\\%s", s->prop);
        break;
    case EXHV_STEP_HIVE_UNLOAD:
        exhv_buf_tprintf(b, "Unload the guest's SYSTEM hive (HKLM\\%s)", s->prop);
        break;
    case EXHV_STEP_DRV_COPY: {
        /* Whole sentences (the numbers and the list filled in), so that
         * another language can order them. */
        exhv_buf files = EXHV_BUF_INIT, bytes = EXHV_BUF_INIT, list = EXHV_BUF_INIT;
        fmt_count(&files, s->files);
        fmt_count(&bytes, s->bytes);
        list_lines(&list, s->packages);
        if (s->all_packages)
            exhv_buf_tprintf(b, "Copy the host's whole driver store into VM %s's disk (%zu "
                                "packages, %s files, %s bytes), and the System32 files of "
                                "driver %s", s->vm_name, line_count(s->packages),
                             exhv_buf_str(&files), exhv_buf_str(&bytes), s->version);
        else
            exhv_buf_tprintf(b, "Copy driver %s into VM %s's disk: %s (%s files, %s bytes), and "
                                "its System32 files", s->version, s->vm_name, exhv_buf_str(&list),
                             exhv_buf_str(&files), exhv_buf_str(&bytes));
        exhv_buf_release(&files);
        exhv_buf_release(&bytes);
        exhv_buf_release(&list);
        break;
    }
    case EXHV_STEP_DRV_PURGE:
        exhv_buf_tprintf(b, "Remove the drivers exhv put into VM %s's disk and put back the guest "
                           "files they replaced", s->vm_name);
        break;
    case EXHV_STEP_DRV_RESTORE:
        exhv_buf_tprintf(b, "Put the driver folders of VM %s's disk back as they were", s->vm_name);
        break;
    case EXHV_STEP_HIVE_EDIT:
        exhv_buf_tprintf(b, "Write the driver's values into the guest's SYSTEM hive, in every "
                           "control set it uses");
        break;
    case EXHV_STEP_HIVE_UNEDIT:
        exhv_buf_tprintf(b, "Put the guest's SYSTEM hive values back as they were");
        break;
    case EXHV_STEP_DRV_RECORD:
        if (s->new_value)
            exhv_buf_tprintf(b, "Record on the host that VM %s has guest driver %s", s->vm_name,
                            s->version);
        else
            exhv_buf_tprintf(b, "Delete the host's record of VM %s's guest drivers", s->vm_name);
        break;
    case EXHV_STEP_DRV_UNRECORD:
        exhv_buf_tprintf(b, "Put the host's record of VM %s's guest drivers back as it was",
                        s->vm_name);
        break;
    case EXHV_STEP_DRV_COMMIT:
        exhv_buf_tprintf(b, "Delete what was set aside in VM %s's disk, once every step is "
                            "done", s->vm_name);
        break;
    default:
        exhv_buf_puts(b, exhv_tr("(unknown step)"));
    }
}

/* "Get-VM -Id 'GUID' | ": a VM named by its ID. Names will not do:
 * -Name and -VMName take wildcards ("web*" is also "web-prod"; "lab[1]"
 * matches "lab1"), and two VMs may share a name. */
static void vm_pipe(exhv_buf *b, const exhv_step *s)
{
    exhv_buf_puts(b, "Get-VM -Id ");
    exhv_pwsh_quote(b, s->vm_id ? s->vm_id : "");
    exhv_buf_puts(b, " | ");
}

void exhv_step_powershell(exhv_buf *b, const exhv_step *s)
{
    switch (s->kind) {
    case EXHV_STEP_VM_SHUTDOWN:
        vm_pipe(b, s);
        exhv_buf_puts(b, s->new_value == 2 ? "Start-VM" : "Stop-VM");
        break;
    case EXHV_STEP_VM_SET:
        vm_pipe(b, s);
        exhv_buf_puts(b, "Set-VM");
        if (strcmp(s->prop, EXHV_PROP_STOP_ACTION) == 0)
            exhv_buf_printf(b, " -AutomaticStopAction %s", stop_action_word(s->new_value));
        else if (strcmp(s->prop, EXHV_PROP_GUEST_CACHE) == 0)
            exhv_buf_printf(b, " -GuestControlledCacheTypes $%s", s->new_value ? "true" : "false");
        else if (strcmp(s->prop, EXHV_PROP_LOW_MMIO) == 0)
            exhv_buf_printf(b, " -LowMemoryMappedIoSpace %" PRId64 "MB", s->new_value);
        else if (strcmp(s->prop, EXHV_PROP_HIGH_MMIO) == 0)
            exhv_buf_printf(b, " -HighMemoryMappedIoSpace %" PRId64 "MB", s->new_value);
        else if (strcmp(s->prop, EXHV_PROP_SNAPSHOT_TYPE) == 0)
            exhv_buf_printf(b, " -CheckpointType %s", checkpoint_word(s->new_value));
        break;
    case EXHV_STEP_VM_MEMORY:
        vm_pipe(b, s);
        exhv_buf_printf(b, "Set-VMMemory -DynamicMemoryEnabled $%s", s->new_value ? "true" : "false");
        break;
    case EXHV_STEP_DEV_DISABLE:
    case EXHV_STEP_DEV_ENABLE:
        exhv_buf_puts(b, s->kind == EXHV_STEP_DEV_DISABLE ? "Disable-PnpDevice -InstanceId "
                                                          : "Enable-PnpDevice -InstanceId ");
        /* The host's node of the function, PCI\...: a step that names the
         * function by its PCIP\ node (a dismounted device, enabled after its
         * mount) would reach the phantom the mount leaves behind, which
         * cannot be enabled (the executor does the same). */
        if (exhv_starts_with_ci(s->instance_id ? s->instance_id : "", "PCIP\\")) {
            exhv_buf pci = EXHV_BUF_INIT;
            exhv_buf_printf(&pci, "PCI%s", exhv_pnp_pure_id(s->instance_id));
            exhv_pwsh_quote(b, exhv_buf_str(&pci));
            exhv_buf_release(&pci);
        } else {
            exhv_pwsh_quote(b, s->instance_id);
        }
        exhv_buf_puts(b, " -Confirm:$false");
        break;
    case EXHV_STEP_DEV_DISMOUNT:
        exhv_buf_puts(b, "Dismount-VMHostAssignableDevice -LocationPath ");
        exhv_pwsh_quote(b, s->location_path);
        exhv_buf_puts(b, " -Force");
        break;
    case EXHV_STEP_DEV_MOUNT:
        exhv_buf_puts(b, "Mount-VMHostAssignableDevice -LocationPath ");
        exhv_pwsh_quote(b, s->location_path);
        break;
    case EXHV_STEP_DEV_ADD:
        vm_pipe(b, s);
        exhv_buf_puts(b, "Add-VMAssignableDevice -LocationPath ");
        exhv_pwsh_quote(b, s->location_path);
        break;
    case EXHV_STEP_DEV_REMOVE:
        vm_pipe(b, s);
        exhv_buf_puts(b, "Get-VMAssignableDevice | Where-Object LocationPath -eq ");
        exhv_pwsh_quote(b, s->location_path);
        exhv_buf_puts(b, " | Remove-VMAssignableDevice");
        break;
    case EXHV_STEP_REF_REMOVE:
        vm_pipe(b, s);
        exhv_buf_puts(b, "Get-VMAssignableDevice | Where-Object InstanceID -eq ");
        exhv_pwsh_quote(b, s->setting_id);
        exhv_buf_puts(b, " | Remove-VMAssignableDevice");
        break;
    case EXHV_STEP_POLICY_SET:
        if (s->new_value >= 0) {
            /* The key is created only when it is missing: New-Item -Force on
             * a registry key that exists deletes it and all it holds first
             * (PowerShell's RegistryProvider.NewItem: "Remove the existing
             * key before creating the new one"), which would take the other
             * value and any other policy with it. New-ItemProperty -Force
             * replaces a value of another type. */
            exhv_buf_puts(b, "if (-not (Test-Path -LiteralPath "
                             "'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV')) "
                             "{ New-Item -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV' "
                             "-Force | Out-Null }; New-ItemProperty -Path "
                             "'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV' -Name ");
            exhv_pwsh_quote(b, s->prop);
            exhv_buf_printf(b, " -Value %" PRId64 " -PropertyType DWord -Force | Out-Null",
                            s->new_value);
        } else {
            exhv_buf_puts(b, "Remove-ItemProperty -Path "
                             "'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV' -Name ");
            exhv_pwsh_quote(b, s->prop);
            exhv_buf_puts(b, " -ErrorAction SilentlyContinue");
            /* Undoing a step that created the key: remove it once empty. */
            if (s->setting_id)
                exhv_buf_puts(b, "; $k = Get-Item -Path "
                                 "'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV' "
                                 "-ErrorAction SilentlyContinue; if ($k -and $k.ValueCount -eq 0 "
                                 "-and $k.SubKeyCount -eq 0) { Remove-Item -Path "
                                 "'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV' }");
        }
        break;
    case EXHV_STEP_GPU_ADD:
        vm_pipe(b, s);
        exhv_buf_puts(b, "Add-VMGpuPartitionAdapter");
        if (s->gpu_path && *s->gpu_path) {
            exhv_buf_puts(b, " -InstancePath ");
            exhv_pwsh_quote(b, s->gpu_path);
        }
        for (int i = 0; i < s->nvalues && i < 12; i++)
            exhv_buf_printf(b, " -%s %" PRId64, exhv_gpu_value_names[i], s->values[i]);
        break;
    case EXHV_STEP_GPU_REMOVE:
    case EXHV_STEP_GPU_REMOVE_STALE:
        vm_pipe(b, s);
        exhv_buf_puts(b, "Remove-VMGpuPartitionAdapter");
        if (s->setting_id) {
            exhv_buf_puts(b, " -AdapterId ");
            exhv_pwsh_quote(b, s->setting_id);
        }
        break;
    case EXHV_STEP_DISK_ATTACH:
        /* The Windows volume by its volume GUID path, with no drive letter,
         * as exhv finds it. */
        exhv_buf_puts(b, "$exhvDisk = Mount-VHD -Path ");
        exhv_pwsh_quote(b, s->path);
        exhv_buf_puts(b, " -NoDriveLetter -PassThru | Get-Disk\n"
                         "$exhvWindows = @(Get-Partition -DiskNumber $exhvDisk.Number | "
                         "ForEach-Object { $_.AccessPaths } | Where-Object { $_ -like "
                         "'\\\\?\\Volume*' -and (Test-Path -LiteralPath (Join-Path $_ "
                         "'Windows\\System32\\config\\SYSTEM')) } | ForEach-Object { "
                         "Join-Path $_ 'Windows' })\n"
                         "if ($exhvWindows.Count -ne 1) { throw 'The disk must hold exactly one "
                         "Windows volume (a volume without a file system is probably "
                         "BitLocker-protected)' }\n"
                         "$exhvWindows = $exhvWindows[0]");
        break;
    case EXHV_STEP_DISK_DETACH:
        exhv_buf_puts(b, "Dismount-VHD -Path ");
        exhv_pwsh_quote(b, s->path);
        break;
    case EXHV_STEP_HIVE_LOAD:
        exhv_buf_puts(b, "reg.exe load ");
        exhv_buf_printf(b, "'HKLM\\%s'", s->prop);
        exhv_buf_puts(b, " (Join-Path $exhvWindows 'System32\\config\\SYSTEM'); if "
                         "($LASTEXITCODE) { throw 'reg load failed' }");
        break;
    case EXHV_STEP_HIVE_UNLOAD:
        /* reg unload fails while PowerShell still holds a handle. */
        exhv_buf_printf(b, "[gc]::Collect(); [gc]::WaitForPendingFinalizers(); "
                           "reg.exe unload 'HKLM\\%s'", s->prop);
        break;
    case EXHV_STEP_DRV_COPY:
    case EXHV_STEP_DRV_PURGE:
    case EXHV_STEP_HIVE_EDIT:
    case EXHV_STEP_DRV_RECORD:
        exhv_buf_puts(b, s->script ? s->script : exhv_tr("# (nothing to do)"));
        break;
    case EXHV_STEP_DRV_RESTORE:
        exhv_buf_puts(b, exhv_tr("# What exhv replaced or removed in the guest's driver folders is in "
                         "Windows\\System32\\exhv-undo on the guest's disk, in the order it "
                         "was set aside: move it back by hand"));
        break;
    case EXHV_STEP_HIVE_UNEDIT:
        exhv_buf_puts(b, exhv_tr("# Put back the values exhv wrote into the guest's SYSTEM hive (see "
                         "the plan's hive step)"));
        break;
    case EXHV_STEP_DRV_UNRECORD:
        exhv_buf_puts(b, exhv_tr("# Put back the host's record under "
                         "HKLM:\\SOFTWARE\\exhv\\GuestDrivers"));
        break;
    case EXHV_STEP_DRV_COMMIT:
        exhv_buf_puts(b, exhv_tr("# Nothing to do: a script sets nothing aside"));
        break;
    default:
        break;
    }
}

/* A comment line: # followed by the text as a terminal shows it (control
 * characters as visible escapes such as \n and \x1b, invalid UTF-8 as
 * U+FFFD), so that a hostile name can neither end the comment and start a
 * command nor reach the terminal of whoever prints the script. */
static void comment(exhv_buf *b, const char *text)
{
    exhv_buf_puts(b, "# ");
    exhv_text_cell(b, text, -1, 0);
    exhv_buf_putc(b, '\n');
}

void exhv_plan_powershell(exhv_buf *b, const exhv_plan *p)
{
    exhv_buf line = EXHV_BUF_INIT;
    int in_try = 0, in_finally = 0;
    exhv_buf_puts(b, "#Requires -RunAsAdministrator\n#Requires -Modules Hyper-V\n");
    if (p->title)
        comment(b, p->title);
    exhv_buf_puts(b, "$ErrorActionPreference = 'Stop'\n");
    for (size_t i = 0; i < p->count; i++) {
        /* What always runs (detach the disk, unload the hive) runs in a
         * finally block, also when a step before it fails. */
        if (p->steps[i].cleanup && !in_finally) {
            exhv_buf_puts(b, in_try ? "} finally {\n" : "try {} finally {\n");
            in_finally = 1;
        }
        exhv_buf_reset(&line);
        exhv_buf_tprintf(&line, "Step %zu: ", i + 1);
        exhv_step_describe(&line, &p->steps[i]);
        exhv_buf_putc(b, '\n');
        comment(b, exhv_buf_str(&line));
        if (p->steps[i].reason)
            comment(b, p->steps[i].reason);
        if (p->steps[i].kind == EXHV_STEP_DISK_ATTACH && !in_try && !in_finally) {
            exhv_buf_puts(b, "$exhvDisk = $null\ntry {\n");
            in_try = 1;
        }
        /* In the finally block, only what was opened is closed. */
        if (in_finally && p->steps[i].kind == EXHV_STEP_DISK_DETACH)
            exhv_buf_puts(b, "if ($exhvDisk) { ");
        else if (in_finally && p->steps[i].kind == EXHV_STEP_HIVE_UNLOAD)
            exhv_buf_printf(b, "if (Test-Path -LiteralPath 'HKLM:\\%s') { ", p->steps[i].prop);
        exhv_step_powershell(b, &p->steps[i]);
        if (in_finally && (p->steps[i].kind == EXHV_STEP_DISK_DETACH ||
                           p->steps[i].kind == EXHV_STEP_HIVE_UNLOAD))
            exhv_buf_puts(b, " }");
        exhv_buf_putc(b, '\n');
    }
    if (in_try || in_finally)
        exhv_buf_puts(b, "}\n");
    exhv_buf_release(&line);
}
