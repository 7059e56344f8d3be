#include "planner.h"
#include "hyperv/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks.h"
#include "core/i18n.h"
#include "core/survey.h"
#include "core/text.h"

/* ---------------- selection ---------------- */

const exhv_device *exhv_device_select(const exhv_host *h, const char *sel, exhv_error *err)
{
    const exhv_device *found = NULL;
    exhv_buf list = EXHV_BUF_INIT;
    size_t matches = 0;

    if (!sel || !*sel) {
        exhv_error_set(err, EXHV_E_USAGE, "name a device: its location path, instance ID, or "
                                          "part of its name (see `exhv devices`)");
        return NULL;
    }
    for (size_t i = 0; i < h->ndevices; i++)
        if (exhv_strcaseeq(h->devices[i].pnp.instance_id, sel))
            return &h->devices[i];
    /* A location names a slot: a card swapped into the slot of one a VM
     * still refers to (missing) shares it. Then the instance ID decides. */
    for (size_t i = 0; i < h->ndevices; i++) {
        const exhv_device *d = &h->devices[i];
        if (!d->pnp.location_path[0] || !exhv_strcaseeq(d->pnp.location_path, sel))
            continue;
        matches++;
        found = d;
        exhv_buf_puts(&list, "\n  ");
        exhv_text_cell(&list, d->pnp.instance_id, -1, 0);
        exhv_buf_puts(&list, "  ");
        exhv_text_cell(&list, exhv_enum_name(EXHV_ENUM_DDA_STATE, (int)d->state), -1, 0);
    }
    if (matches == 1) {
        exhv_buf_release(&list);
        return found;
    }
    if (matches > 1) {
        exhv_error_set(err, EXHV_E_AMBIGUOUS,
                       "%zu devices are at %s; name one by its instance ID:%s", matches, sel,
                       exhv_buf_str(&list));
        exhv_buf_release(&list);
        return NULL;
    }
    /* A fragment names what `exhv devices` shows; failing that, what
     * `exhv devices --all` adds (bridges), so that every listed device can be
     * named. */
    for (size_t k = 0; k < 2 * h->ndevices && !(k == h->ndevices && matches); k++) {
        const exhv_device *d = &h->devices[k % h->ndevices];
        int extra = d->bridge || (!d->pnp.present && d->state == EXHV_DDA_HOST);
        if (extra != (k >= h->ndevices) || !exhv_contains_ci(d->pnp.name, sel))
            continue;
        matches++;
        found = d;
        exhv_buf_puts(&list, "\n  ");
        exhv_text_cell(&list, d->pnp.location_path, -1, 0);
        exhv_buf_puts(&list, "  ");
        exhv_text_cell(&list, d->pnp.name, -1, 0);
    }
    if (matches == 1) {
        exhv_buf_release(&list);
        return found;
    }
    if (matches == 0)
        exhv_error_set(err, EXHV_E_NOT_FOUND,
                       "no device matches '%s': give a location path, an instance ID, or part "
                       "of a name that `exhv devices --all` shows", sel);
    else
        exhv_error_set(err, EXHV_E_AMBIGUOUS,
                       "'%s' matches %zu devices; name one by its location path:%s", sel,
                       matches, exhv_buf_str(&list));
    exhv_buf_release(&list);
    return NULL;
}

const exhv_vm *exhv_vm_select(const exhv_host *h, const char *sel, exhv_error *err)
{
    const exhv_vm *found = NULL;
    exhv_buf list = EXHV_BUF_INIT;
    size_t n = 0;

    /* Without Hyper-V there are no VMs to look for: say why. */
    if (!h->hyperv) {
        exhv_error_set(err, EXHV_E_NO_HYPERV, "Hyper-V is not available on this host, so it "
                                              "has no VMs: `exhv status` says what to do");
        return NULL;
    }
    if (!sel || !*sel) {
        exhv_error_set(err, EXHV_E_USAGE, "name a VM: its name or its ID (see `exhv vms`)");
        return NULL;
    }
    for (size_t i = 0; i < h->nvms; i++)
        if (exhv_strcaseeq(h->vms[i].id, sel))
            return &h->vms[i];
    /* Hyper-V compares VM names without regard to case, and names need not
     * be unique: a name stands for a VM only when it stands for one. */
    for (size_t i = 0; i < h->nvms; i++) {
        if (!exhv_strcaseeq(h->vms[i].name, sel))
            continue;
        n++;
        found = &h->vms[i];
        exhv_buf_puts(&list, "\n  ");
        exhv_buf_puts(&list, h->vms[i].id);
        exhv_buf_puts(&list, "  ");
        exhv_text_cell(&list, h->vms[i].name, -1, 0);
    }
    if (n == 1) {
        exhv_buf_release(&list);
        return found;
    }
    if (n)
        exhv_error_set(err, EXHV_E_AMBIGUOUS, "%zu VMs are named '%s' (names match without "
                       "regard to case, as in Hyper-V's cmdlets): name one by its ID:%s", n, sel,
                       exhv_buf_str(&list));
    else
        exhv_error_set(err, EXHV_E_NOT_FOUND, "no VM is named '%s' (see `exhv vms`)", sel);
    exhv_buf_release(&list);
    return NULL;
}

/* ---------------- helpers ---------------- */


void exhv_mmio_need(const exhv_device *const *devs, size_t n, uint64_t *low_mb, uint64_t *high_mb)
{
    uint64_t low = 0, high = 0;
    for (size_t i = 0; i < n; i++) {
        exhv_survey s;
        exhv_survey_device(devs[i], &s);
        low += s.mmio_low_bytes;
        high += s.mmio_high_bytes;
    }
    *low_mb = low ? exhv_bytes_to_mb(low) + EXHV_MMIO_BUFFER_MB : 0;
    *high_mb = high ? exhv_bytes_to_mb(high) + EXHV_MMIO_BUFFER_MB : 0;
}

static int add(exhv_plan *p, exhv_step_kind kind, const exhv_vm *vm, const exhv_device *d,
               const char *prop, int64_t old_value, int64_t new_value, const char *reason,
               exhv_error *err)
{
    exhv_step s = {0};
    s.kind = kind;
    s.vm_id = vm ? vm->id : NULL;
    s.vm_name = vm ? vm->name : NULL;
    if (d) {
        s.instance_id = d->pnp.instance_id;
        s.location_path = d->pnp.location_path;
        s.device_name = d->pnp.name;
        s.setting_id = d->setting_id;
    }
    s.prop = (char *)prop;
    s.old_value = old_value;
    s.new_value = new_value;
    s.reason = (char *)exhv_tr(reason);
    if (!exhv_plan_add_step(p, &s))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    return 0;
}

/* The last step raised the VM's low MMIO gap from a value Hyper-V does not
 * accept: setting it back would be refused, so the step says so. */
static int low_mmio_no_undo(exhv_plan *p, uint64_t old_mb, exhv_error *err)
{
    exhv_step *s = &p->steps[p->count - 1];
    exhv_buf b = EXHV_BUF_INIT;
    if (old_mb >= EXHV_LOW_MMIO_MIN_MB && old_mb <= EXHV_LOW_MMIO_MAX_MB)
        return 0;
    exhv_buf_tprintf(&b, "Hyper-V takes a low MMIO gap of %u to %u MB only, so the VM's %llu MB "
                        "cannot be set again", EXHV_LOW_MMIO_MIN_MB, EXHV_LOW_MMIO_MAX_MB,
                    (unsigned long long)old_mb);
    if (!(s->no_undo = exhv_buf_detach(&b)))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    return 0;
}

/* "PCIROOT(0)#PCI(0101)#PCI(0001)" -> length of the part before the last
 * "PCI(DDFF)" and that DD (the slot's device number). */
static int slot_of(const char *loc, size_t *prefix, char dd[3])
{
    const char *last = NULL;
    for (const char *p = loc; (p = strstr(p, "#PCI(")); p++)
        last = p;
    if (!last || strlen(last) < 10 || last[9] != ')')
        return -1;
    *prefix = (size_t)(last - loc);
    dd[0] = last[5];
    dd[1] = last[6];
    dd[2] = '\0';
    return 0;
}

static int same_card(const exhv_device *a, const exhv_device *b)
{
    size_t pa, pb;
    char da[3], db[3];
    return a != b && slot_of(a->pnp.location_path, &pa, da) == 0 &&
           slot_of(b->pnp.location_path, &pb, db) == 0 && pa == pb &&
           strncmp(a->pnp.location_path, b->pnp.location_path, pa) == 0 && exhv_strcaseeq(da, db);
}

static int is_display(const exhv_device *d)
{
    return exhv_strcaseeq(d->pnp.cls, "Display") || d->pnp.base_class == 3;
}

/* The VMs that hold partitions of the GPU `d` is (names, comma-separated,
 * in who). Returns how many. */
static size_t partition_holders(const exhv_host *h, const exhv_device *d, exhv_buf *who)
{
    const exhv_gpu *g = NULL;
    size_t n = 0;
    for (size_t i = 0; i < h->ngpus && !g; i++)
        if (h->gpus[i].partition_path && exhv_strcaseeq(h->gpus[i].instance_id, d->pnp.instance_id))
            g = &h->gpus[i];
    for (size_t v = 0; g && v < h->nvms; v++)
        for (size_t a = 0; a < h->vms[v].nadapters; a++)
            if (!h->vms[v].adapters[a].stale &&
                exhv_strcaseeq(h->vms[v].adapters[a].instance_path, g->partition_path)) {
                exhv_buf_puts(who, n ? ", " : "");
                exhv_text_cell(who, h->vms[v].name, -1, 0);
                n++;
                break;
            }
    return n;
}

/* A VM must be off to change its devices: stop it (with --stop) or refuse. */
static int vm_off(const exhv_vm *vm, const exhv_assign_opts *o, exhv_plan *p, exhv_error *err)
{
    if (vm->state == EXHV_VM_OFF)
        return 0;
    if (vm->state == EXHV_VM_RUNNING && o->stop)
        return add(p, EXHV_STEP_VM_SHUTDOWN, vm, NULL, NULL, 2, 3,
                   exhv_front_get() == EXHV_FRONT_GUI
                       ? "Hyper-V changes a VM's devices only while it is off (you chose to "
                         "shut running VMs down)."
                       : "Hyper-V changes a VM's devices only while it is off (--stop).",
                   err);
    if (vm->state == EXHV_VM_RUNNING)
        return exhv_error_set(err, EXHV_E_FAILED,
                              exhv_front_get() == EXHV_FRONT_GUI
                                  ? "VM %s is running: shut it down first, or tick \"Shut down "
                                    "running VMs\" to let exhv shut it down (it is turned off "
                                    "if the guest does not stop within a minute)"
                                  : "VM %s is running: shut it down first, or pass --stop to let "
                                    "exhv shut it down (it is turned off if the guest does not "
                                    "stop within a minute)",
                              vm->name);
    /* What to do depends on where the VM is: advice for a saved VM does not
     * fit one that is paused or on its way up or down. */
    return exhv_error_set(err, EXHV_E_FAILED,
                          "VM %s is %s: Hyper-V changes devices only on a VM that is off. %s",
                          vm->name, exhv_enum_text(EXHV_ENUM_VM_STATE, (int)vm->state),
                          exhv_tr(vm->state == EXHV_VM_SAVED
                              ? "Start it and shut it down, or turn it off (its saved state is "
                                "then lost)"
                          : vm->state == EXHV_VM_PAUSED
                              ? "Resume it and shut it down, or turn it off (what it was "
                                "doing is then lost)"
                          : vm->state == EXHV_VM_STARTING || vm->state == EXHV_VM_STOPPING
                              ? "Wait until it is running or off (`exhv vms` shows it), then "
                                "try again"
                              : "Shut it down or turn it off, then try again"));
}

static int vm_prepare(const exhv_host *h, const exhv_vm *vm, const exhv_device *const *adding,
                      size_t nadding, exhv_plan *p, exhv_error *err)
{
    const exhv_device *all[64];
    size_t n = 0;
    uint64_t low, high;
    static char low_reason[192], high_reason[192];

    if (vm->stop_action != EXHV_STOP_TURN_OFF &&
        add(p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_STOP_ACTION,
            vm->stop_action == EXHV_STOP_SAVE ? 3 : vm->stop_action == EXHV_STOP_SHUT_DOWN ? 4 : 0,
            2, "A VM with an assigned device cannot save its state: it must turn off when the "
               "host stops.", err) < 0)
        return -1;
    if (!vm->guest_controlled_cache &&
        add(p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_GUEST_CACHE, 0, 1,
            "Lets the guest use write-combining on the device's memory, which GPUs need.",
            err) < 0)
        return -1;
    /* Every device the VM will hold: those it has and those it gets. */
    for (size_t i = 0; i < h->ndevices && n < 64; i++)
        if (h->devices[i].state == EXHV_DDA_ASSIGNED && exhv_strcaseeq(h->devices[i].vm_id, vm->id))
            all[n++] = &h->devices[i];
    for (size_t i = 0; i < nadding && n < 64; i++)
        all[n++] = adding[i];
    exhv_mmio_need(all, n, &low, &high);
    if (low > EXHV_LOW_MMIO_MAX_MB)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "VM %s would need %llu MB of 32-bit MMIO for its devices; a VM's "
                              "low MMIO gap holds at most %u MB. Assign fewer devices to it.",
                              vm->name, (unsigned long long)low, EXHV_LOW_MMIO_MAX_MB);
    snprintf(low_reason, sizeof(low_reason),
             exhv_tr("The devices' 32-bit memory ranges plus a %u MB buffer (Microsoft's rule) need "
             "%llu MB; too small a gap gives Code 12 in the guest."), EXHV_MMIO_BUFFER_MB,
             (unsigned long long)low);
    snprintf(high_reason, sizeof(high_reason),
             exhv_tr("The devices' 64-bit memory ranges plus a %u MB buffer (Microsoft's rule) need "
             "%llu MB; too small a gap gives Code 12 in the guest."), EXHV_MMIO_BUFFER_MB,
             (unsigned long long)high);
    /* Raised when short, never lowered. */
    if (low > vm->low_mmio_mb &&
        (add(p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_LOW_MMIO, (int64_t)vm->low_mmio_mb,
             (int64_t)low, low_reason, err) < 0 ||
         low_mmio_no_undo(p, vm->low_mmio_mb, err) < 0))
        return -1;
    if (high > vm->high_mmio_mb &&
        add(p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_HIGH_MMIO, (int64_t)vm->high_mmio_mb,
            (int64_t)high, high_reason, err) < 0)
        return -1;
    if (vm->dynamic_memory &&
        add(p, EXHV_STEP_VM_MEMORY, vm, NULL, NULL, 1, 0,
            "Devices assigned by DDA need the VM's memory fixed in place: dynamic memory must "
            "be off.", err) < 0)
        return -1;
    return 0;
}

/* ---------------- assign ---------------- */

/* "--to host" means the host, always: when VMs are named so, say how to
 * reach them (a sentence appended to b, or nothing). */
static void host_vm_hint(const exhv_host *h, exhv_buf *b)
{
    for (size_t i = 0; i < h->nvms; i++)
        if (!exhv_strcaseeq(h->vms[i].name, "host"))
            continue;
        else if (b->len)
            exhv_buf_printf(b, ", %s", h->vms[i].id);
        else if (exhv_front_get() == EXHV_FRONT_GUI)
            exhv_buf_tprintf(b, "Host means the host; a VM named 'host' is reached by its ID: "
                                "%s", h->vms[i].id);
        else
            exhv_buf_tprintf(b, "`--to host` means the host; a VM named 'host' is reached by "
                                "its ID: --to %s", h->vms[i].id);
}

/* A device Hyper-V holds (dismounted, or just removed from a VM) goes to
 * the VM, or back to the host: mounted, then enabled. */
static int give(exhv_plan *p, const exhv_vm *vm, const exhv_device *d, exhv_error *err)
{
    if (vm)
        return add(p, EXHV_STEP_DEV_ADD, vm, d, NULL, 0, 0, "The VM gets the device.", err);
    if (add(p, EXHV_STEP_DEV_MOUNT, NULL, d, NULL, 0, 0,
            "Mounting gives the device back to the host.", err) < 0)
        return -1;
    return add(p, EXHV_STEP_DEV_ENABLE, NULL, d, NULL, 0, 0,
               "A mounted device comes back disabled; enabling it lets the host use it again.",
               err);
}

int exhv_plan_assign(const exhv_host *h, const exhv_device *dev, const exhv_vm *vm,
                     const exhv_assign_opts *o, exhv_plan *plan, exhv_error *err)
{
    const exhv_device *devs[16];
    size_t n = 0;
    exhv_plan p;
    exhv_buf title = EXHV_BUF_INIT;
    const exhv_vm *source = NULL;

    exhv_plan_init(&p);
    if (!h->hyperv)
        return exhv_error_set(err, EXHV_E_NO_HYPERV, "Hyper-V is not available on this host: "
                                                     "`exhv status` says what to do");
    devs[n++] = dev;
    if (o->with_functions)
        for (size_t i = 0; i < h->ndevices && n < 16; i++) {
            const exhv_device *d = &h->devices[i];
            if (same_card(dev, d) && d->state == dev->state &&
                exhv_strcaseeq(d->vm_id ? d->vm_id : "", dev->vm_id ? dev->vm_id : ""))
                devs[n++] = d;
        }

    /* Refusals first: nothing is planned for a move that cannot happen. */
    if (dev->state == EXHV_DDA_ASSIGNED)
        source = exhv_host_vm_by_id(h, dev->vm_id);
    /* Nothing to do is not a failure: an empty plan that says why. A
     * disabled host device goes back to the host by being enabled. */
    if ((!vm && dev->state == EXHV_DDA_HOST && dev->pnp.problem != EXHV_PROBLEM_DISABLED) ||
        (vm && dev->state == EXHV_DDA_ASSIGNED && exhv_strcaseeq(dev->vm_id, vm->id))) {
        exhv_buf hint = EXHV_BUF_INIT;
        int rc;
        if (vm)
            exhv_buf_tprintf(&title, "Move %s to VM %s", dev->pnp.name, vm->name);
        else
            exhv_buf_tprintf(&title, "Give %s back to the host", dev->pnp.name);
        if (!vm)
            host_vm_hint(h, &hint);
        rc = !(p.title = exhv_buf_detach(&title)) ||
             exhv_plan_add_note(&p, vm ? "%s is already assigned to VM %s."
                                : hint.len ? "%s is already the host's. %s."
                                           : "%s is already the host's.%s",
                                dev->pnp.name, vm ? vm->name : exhv_buf_str(&hint)) < 0;
        exhv_buf_release(&hint);
        if (rc)
            goto nomem;
        *plan = p;
        return 0;
    }
    if (vm) {
        if (vm->generation == 1)
            return exhv_error_set(err, EXHV_E_FAILED,
                                  "VM %s is Generation 1: DDA needs a Generation 2 VM", vm->name);
        if (dev->state == EXHV_DDA_MISSING)
            return exhv_error_set(err, EXHV_E_FAILED,
                                  "the hardware VM %s referred to is gone; `exhv assign %s --to "
                                  "host` removes the stale reference", dev->vm_name,
                                  dev->pnp.location_path[0] ? dev->pnp.location_path : "DEVICE");
        for (size_t i = 0; i < n; i++) {
            exhv_survey s;
            exhv_survey_device(devs[i], &s);
            if (s.verdict == EXHV_NOT_ASSIGNABLE)
                return exhv_error_set(err, EXHV_E_FAILED,
                                      "%s cannot be assigned: %s (`exhv survey` shows every "
                                      "check)", devs[i]->pnp.name, s.reasons[0]);
        }
        if (dev->state == EXHV_DDA_HOST && is_display(dev) && !o->force) {
            size_t others = 0;
            for (size_t i = 0; i < h->ndevices; i++) {
                const exhv_device *d = &h->devices[i];
                int moving = 0;
                for (size_t k = 0; k < n; k++)
                    moving |= d == devs[k];
                others += !moving && d->state == EXHV_DDA_HOST && d->pnp.present && is_display(d);
            }
            if (!others)
                return exhv_error_set(err, EXHV_E_FAILED,
                                      "%s is the host's last display adapter: without it the "
                                      "host has no screen. Pass --force if you manage the host "
                                      "remotely", dev->pnp.name);
        }
        if (dev->state == EXHV_DDA_HOST && !o->force) {
            exhv_buf who = EXHV_BUF_INIT;
            size_t held = partition_holders(h, dev, &who);
            if (held) {
                if (held > 1)
                    exhv_error_set(err, EXHV_E_FAILED,
                                   "%s is partitioned for VMs %s (GPU-PV): taken by DDA, the "
                                   "GPU leaves the host, and those VMs do not start until `exhv "
                                   "gpu remove VM --stale`. Pass --force to assign it anyway",
                                   dev->pnp.name, exhv_buf_str(&who));
                else
                    exhv_error_set(err, EXHV_E_FAILED,
                                   "%s is partitioned for VM %s (GPU-PV): taken by DDA, the GPU "
                                   "leaves the host, and that VM does not start until `exhv gpu "
                                   "remove VM --stale`. Pass --force to assign it anyway",
                                   dev->pnp.name, exhv_buf_str(&who));
                exhv_buf_release(&who);
                return -1;
            }
            exhv_buf_release(&who);
        }
    }

    if (vm && source)
        exhv_buf_tprintf(&title, "Move %s from VM %s to VM %s", dev->pnp.name, source->name,
                         vm->name);
    else if (vm && dev->state == EXHV_DDA_HOST)
        exhv_buf_tprintf(&title, "Move %s from the host to VM %s", dev->pnp.name, vm->name);
    else if (vm)
        exhv_buf_tprintf(&title, "Move %s from dismounted to VM %s", dev->pnp.name, vm->name);
    else if (dev->state == EXHV_DDA_MISSING)
        exhv_buf_tprintf(&title, "Remove VM %s's reference to missing hardware at %s",
                         dev->vm_name, dev->pnp.location_path[0] ? dev->pnp.location_path
                                                                 : exhv_tr("(unknown)"));
    else if (dev->state == EXHV_DDA_HOST)
        exhv_buf_tprintf(&title, "Enable %s on the host", dev->pnp.name);
    else
        exhv_buf_tprintf(&title, "Give %s back to the host", dev->pnp.name);
    if (!(p.title = exhv_buf_detach(&title)))
        goto nomem;

    /* The VMs whose devices change must be off. */
    if (source && vm_off(source, o, &p, err) < 0)
        goto fail;
    if (dev->state == EXHV_DDA_MISSING) {
        const exhv_vm *holder = exhv_host_vm_by_id(h, dev->vm_id);
        if (holder && vm_off(holder, o, &p, err) < 0)
            goto fail;
    }
    if (vm && vm_off(vm, o, &p, err) < 0)
        goto fail;
    if (vm && vm_prepare(h, vm, devs, n, &p, err) < 0)
        goto fail;

    for (size_t i = 0; i < n; i++) {
        const exhv_device *d = devs[i];
        switch (d->state) {
        case EXHV_DDA_HOST:
            if (!vm) {
                /* A disabled host device goes back to the host by being
                 * enabled. */
                if (d->pnp.problem == EXHV_PROBLEM_DISABLED &&
                    add(&p, EXHV_STEP_DEV_ENABLE, NULL, d, NULL, 0, 0,
                        "The device is disabled; enabling it lets the host use it again.",
                        err) < 0)
                    goto fail;
                break;
            }
            /* A device already disabled stays so: nothing to disable, and
             * nothing to enable again on a rollback. */
            if ((d->pnp.problem != EXHV_PROBLEM_DISABLED &&
                 add(&p, EXHV_STEP_DEV_DISABLE, vm, d, NULL, 0, 0,
                     "The host's driver must let go of the device before Hyper-V can take it.",
                     err) < 0) ||
                add(&p, EXHV_STEP_DEV_DISMOUNT, vm, d, NULL, 0, 0,
                    "Dismounting hands the device from the host to Hyper-V.", err) < 0 ||
                add(&p, EXHV_STEP_DEV_ADD, vm, d, NULL, 0, 0, "The VM gets the device.", err) < 0)
                goto fail;
            break;
        case EXHV_DDA_DISMOUNTED:
            if (give(&p, vm, d, err) < 0)
                goto fail;
            break;
        case EXHV_DDA_ASSIGNED:
            if (add(&p, EXHV_STEP_DEV_REMOVE, source, d, NULL, 0, 0,
                    "The device leaves the VM that holds it.", err) < 0)
                goto fail;
            if (give(&p, vm, d, err) < 0)
                goto fail;
            break;
        case EXHV_DDA_MISSING:
            if (add(&p, EXHV_STEP_REF_REMOVE, exhv_host_vm_by_id(h, d->vm_id), d, NULL, 0, 0,
                    "The hardware is gone; the reference keeps the VM from starting.", err) < 0)
                goto fail;
            break;
        default:
            break;
        }
    }

    if (vm && !h->sys.server &&
        exhv_plan_add_note(&p, "This is a client edition of Windows: Hyper-V may refuse to start "
                               "a VM with an assigned device (ERROR_HV_FEATURE_UNAVAILABLE). "
                               "Microsoft supports DDA on Windows Server.") < 0)
        goto nomem;
    if (vm && h->sys.server && h->policy.secure_relaxed != 1 &&
        exhv_plan_add_note(&p, "The DDA security policy is the default: if Hyper-V refuses the "
                               "device, `exhv policy off` relaxes it.") < 0)
        goto nomem;
    if (!vm) {
        exhv_buf hint = EXHV_BUF_INIT;
        int rc = 0;
        host_vm_hint(h, &hint);
        if (hint.len)
            rc = exhv_plan_add_note(&p, "%s", exhv_buf_str(&hint));
        exhv_buf_release(&hint);
        if (rc < 0)
            goto nomem;
    }
    if (vm && dev->state == EXHV_DDA_HOST) {
        exhv_buf who = EXHV_BUF_INIT;
        int rc = 0;
        if (partition_holders(h, dev, &who))
            rc = exhv_plan_add_note(&p, "VMs that lose their GPU partition (--force): %s. Their "
                                        "adapters go stale and keep them from starting until "
                                        "`exhv gpu remove VM --stale`.", exhv_buf_str(&who));
        exhv_buf_release(&who);
        if (rc < 0)
            goto nomem;
    }
    if (n > 1 && exhv_plan_add_note(&p, "The card's other functions move along (--with-functions): "
                                        "%zu devices in all.", n) < 0)
        goto nomem;
    if (!o->with_functions && dev->state == EXHV_DDA_HOST)
        for (size_t i = 0; i < h->ndevices; i++)
            if (same_card(dev, &h->devices[i]) && h->devices[i].state == EXHV_DDA_HOST) {
                if (exhv_plan_add_note(&p, "%s is another function of the same card; "
                                           "--with-functions moves it too.",
                                       h->devices[i].pnp.name) < 0)
                    goto nomem;
                break;
            }
    *plan = p;
    return 0;
nomem:
    exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
fail:
    exhv_plan_release(&p);
    return -1;
}

int exhv_plan_policy(const exhv_host *h, int relaxed, exhv_plan *plan, exhv_error *err)
{
    static const char *const names[2] = {"RequireSecureDeviceAssignment",
                                         "RequireSupportedDeviceAssignment"};
    const exhv_polval *now[2] = {&h->policy.secure, &h->policy.supported};
    /* The documented states (README, policy): off is both values DWORD 0,
     * on is both values absent. Any other value (1, 5, a string) is changed
     * too, so that either state is reached from wherever the host is. */
    const int64_t want = relaxed ? 0 : EXHV_POLICY_ABSENT;
    exhv_plan p;

    exhv_plan_init(&p);
    if (!(p.title = exhv_strdup(exhv_tr(relaxed ? "Relax the DDA security policy"
                                                : "Restore the default DDA security policy"))))
        goto nomem;
    /* A value of another type cannot be written back: change it last, so
     * that no later step's failure would need it undone. */
    for (int k = 0; k < 4; k++) {
        int i = k % 2, last = k / 2;
        exhv_step s = {0};
        if (exhv_polval_code(now[i]) == want ||
            (exhv_polval_code(now[i]) == EXHV_POLICY_OTHER) != last)
            continue;
        s.kind = EXHV_STEP_POLICY_SET;
        s.prop = (char *)names[i];
        s.old_value = exhv_polval_code(now[i]);
        s.new_value = want;
        s.reason = (char *)exhv_tr(relaxed
                                ? "Lets Hyper-V assign devices whose drivers do not declare "
                                  "virtualization support (the seed's \"disable security policy\")."
                                : "Hyper-V again requires devices and drivers it supports for "
                                  "assignment.");
        if (!exhv_plan_add_step(&p, &s))
            goto nomem;
        if (s.old_value == EXHV_POLICY_OTHER &&
            exhv_plan_add_note(&p, "%s holds %s, which exhv cannot write back: it is "
                                   "changed last, so that no undo needs it.", names[i], now[i]->state == EXHV_POLVAL_OTHER
                                                           ? now[i]->text
                                                           : exhv_tr("a value it cannot read")) < 0)
            goto nomem;
    }
    if (!p.count &&
        exhv_plan_add_note(&p, relaxed ? "both values are already 0 (relaxed)."
                                       : "both values are already absent (the default).") < 0)
        goto nomem;
    *plan = p;
    return 0;
nomem:
    exhv_plan_release(&p);
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

/* ---------------- GPU-PV ---------------- */

const exhv_gpu *exhv_gpu_select(const exhv_host *h, const char *sel, exhv_error *err)
{
    const exhv_gpu *found = NULL;
    exhv_buf list = EXHV_BUF_INIT;
    size_t matches = 0;
    const char *p = sel;

    if (!sel || !*sel) {
        exhv_error_set(err, EXHV_E_USAGE, "name a GPU: its location path or instance ID (they "
                                          "stay when cards come and go), its partition path, its "
                                          "index in `exhv gpus`, or part of its name");
        return NULL;
    }
    while (*p >= '0' && *p <= '9')
        p++;
    if (!*p && p - sel < 6) {
        unsigned long idx = strtoul(sel, NULL, 10);
        if (idx < h->ngpus)
            return &h->gpus[idx];
        exhv_error_set(err, EXHV_E_NOT_FOUND, "there is no GPU %lu: `exhv gpus` numbers them "
                                              "from 0 to %zu", idx, h->ngpus ? h->ngpus - 1 : 0);
        return NULL;
    }
    for (size_t i = 0; i < h->ngpus; i++)
        if (exhv_strcaseeq(h->gpus[i].instance_id, sel) ||
            (h->gpus[i].location_path && h->gpus[i].location_path[0] &&
             exhv_strcaseeq(h->gpus[i].location_path, sel)) ||
            (h->gpus[i].partition_path && exhv_strcaseeq(h->gpus[i].partition_path, sel)))
            return &h->gpus[i];
    for (size_t i = 0; i < h->ngpus; i++) {
        if (!exhv_contains_ci(h->gpus[i].name, sel))
            continue;
        matches++;
        found = &h->gpus[i];
        exhv_buf_printf(&list, "\n  %u  ", h->gpus[i].index);
        exhv_text_cell(&list, h->gpus[i].location_path && h->gpus[i].location_path[0]
                                  ? h->gpus[i].location_path : h->gpus[i].instance_id, -1, 0);
        exhv_buf_puts(&list, "  ");
        exhv_text_cell(&list, h->gpus[i].name, -1, 0);
    }
    if (matches == 1) {
        exhv_buf_release(&list);
        return found;
    }
    if (matches == 0)
        exhv_error_set(err, EXHV_E_NOT_FOUND, "no GPU matches '%s' (see `exhv gpus`)", sel);
    else
        exhv_error_set(err, EXHV_E_AMBIGUOUS,
                       "'%s' matches %zu GPUs; name one by its location path (an index "
                       "changes when a card leaves the host):%s", sel, matches,
                       exhv_buf_str(&list));
    exhv_buf_release(&list);
    return NULL;
}

static uint64_t pow2_at_least(uint64_t v)
{
    uint64_t p = 1;
    while (p < v && p < (1ull << 62))
        p <<= 1;
    return p;
}

/* --share: each resource's min, max and optimal set to PERCENT of what the
 * GPU has, kept within the partition limits the GPU reports. */
static int share_values(const exhv_gpu *g, int pct, int64_t values[12], exhv_error *err)
{
    for (int r = 0; r < 4; r++) {
        uint64_t total = g->part.total[r] ? g->part.total[r] : g->part.max[r];
        uint64_t v;
        if (!total)
            return exhv_error_set(err, EXHV_E_FAILED,
                                  "GPU %u reports no partition resources, so --share cannot be "
                                  "computed; leave it out to use Hyper-V's defaults", g->index);
        v = total / 100 * (uint64_t)pct + total % 100 * (uint64_t)pct / 100;
        if (g->part.min[r] && v < g->part.min[r])
            v = g->part.min[r];
        if (g->part.max[r] && v > g->part.max[r])
            v = g->part.max[r];
        if (v > INT64_MAX)
            v = INT64_MAX;
        values[r * 3] = values[r * 3 + 1] = values[r * 3 + 2] = (int64_t)v;
    }
    return 0;
}

static int vm_off_gpu(const exhv_vm *vm, int stop, exhv_plan *p, exhv_error *err)
{
    exhv_assign_opts o = {stop, 0, 0};
    return vm_off(vm, &o, p, err);
}

int exhv_plan_gpu_add(const exhv_host *h, const exhv_vm *vm, const exhv_gpu *gpu,
                      const exhv_gpu_opts *o, exhv_plan *plan, exhv_error *err)
{
    exhv_plan p;
    exhv_step s = {0};
    exhv_buf title = EXHV_BUF_INIT;
    int choose = h->sys.build >= EXHV_BUILD_GPUPV_CHOOSE;
    int gui = exhv_front_get() == EXHV_FRONT_GUI;
    size_t npart = 0;
    const exhv_gpu *first = NULL, *sizing;
    uint64_t low, high;
    static char high_reason[256];

    exhv_plan_init(&p);
    if (!h->hyperv)
        return exhv_error_set(err, EXHV_E_NO_HYPERV, "Hyper-V is not available on this host: "
                                                     "`exhv status` says what to do");
    if (h->sys.build < EXHV_BUILD_GPUPV_MIN)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "this host (build %u) is too old for GPU-PV: exhv needs build "
                              "19041 (Windows 10 2004) or later, the first where a VM sees its "
                              "GPU's model. Update the host, or give the VM the whole GPU by "
                              "DDA (`exhv assign`)", h->sys.build);
    for (size_t i = 0; i < h->ngpus; i++)
        if (h->gpus[i].partitionable) {
            npart++;
            if (!first)
                first = &h->gpus[i];
        }
    if (!npart)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "no GPU on this host can be partitioned: GPU-PV needs a GPU whose "
                              "driver supports it (`exhv gpus`)");
    if (!choose && gpu)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "this host (build %u) cannot choose the GPU for a partition: that "
                              "needs build 22000 or later. Leave out --gpu and Hyper-V picks one, "
                              "or update the host", h->sys.build);
    if (choose && !gpu) {
        if (npart > 1) {
            exhv_buf list = EXHV_BUF_INIT;
            for (size_t i = 0; i < h->ngpus; i++) {
                if (!h->gpus[i].partitionable)
                    continue;
                exhv_buf_printf(&list, "\n  %u  ", h->gpus[i].index);
                exhv_text_cell(&list, h->gpus[i].location_path && h->gpus[i].location_path[0]
                                          ? h->gpus[i].location_path : h->gpus[i].instance_id,
                               -1, 0);
                exhv_buf_puts(&list, "  ");
                exhv_text_cell(&list, h->gpus[i].name, -1, 0);
            }
            exhv_error_set(err, EXHV_E_USAGE,
                           "%zu GPUs can be partitioned: choose one with --gpu: its location "
                           "path (it stays when cards come and go), its instance ID, its "
                           "partition path, its index in `exhv gpus`, or part of its name:%s",
                           npart, exhv_buf_str(&list));
            exhv_buf_release(&list);
            return -1;
        }
        gpu = first;
    }
    if (gpu && gpu->disabled)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "GPU %u (%s) is disabled on the host: its driver, which makes the "
                              "partitions, does not run. `exhv assign %s --to host` enables it",
                              gpu->index, gpu->name,
                              gpu->location_path && gpu->location_path[0] ? gpu->location_path
                                                                          : "DEVICE");
    if (gpu && !gpu->partitionable)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "GPU %u (%s) cannot be partitioned: its driver does not offer "
                              "GPU-PV; `exhv gpus` shows which can", gpu->index, gpu->name);
    if (vm->checkpoints == 1)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "VM %s has 1 checkpoint: a VM with a GPU partition cannot use "
                              "checkpoints. Delete or apply them first (Hyper-V Manager, or "
                              "Remove-VMCheckpoint), then try again", vm->name);
    if (vm->checkpoints)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "VM %s has %zu checkpoints: a VM with a GPU partition cannot use "
                              "checkpoints. Delete or apply them first (Hyper-V Manager, or "
                              "Remove-VMCheckpoint), then try again", vm->name, vm->checkpoints);
    if (o->low_mmio_mb > EXHV_LOW_MMIO_MAX_MB)
        return exhv_error_set(err, EXHV_E_USAGE, "--low-mmio can be at most %u MB",
                              EXHV_LOW_MMIO_MAX_MB);

    if (gpu)
        exhv_buf_tprintf(&title, "Add a GPU partition of %s to VM %s", gpu->name, vm->name);
    else
        exhv_buf_tprintf(&title, "Add a GPU partition to VM %s", vm->name);
    if (!(p.title = exhv_buf_detach(&title)))
        goto nomem;
    if (vm_off_gpu(vm, o->stop, &p, err) < 0)
        goto fail;
    if (!vm->guest_controlled_cache &&
        add(&p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_GUEST_CACHE, 0, 1,
            "Lets the guest use write-combining on GPU memory.", err) < 0)
        goto fail;
    low = o->low_mmio_mb > EXHV_GPUPV_LOW_MMIO_MB ? o->low_mmio_mb : EXHV_GPUPV_LOW_MMIO_MB;
    high = EXHV_GPUPV_HIGH_MMIO_MB;
    /* Without a choice, Hyper-V may give the VM any partitionable GPU: size
     * the gap for the one with the most VRAM. */
    sizing = gpu;
    if (!choose)
        for (size_t i = 0; i < h->ngpus; i++)
            if (h->gpus[i].partitionable && (!sizing || h->gpus[i].vram_bytes > sizing->vram_bytes))
                sizing = &h->gpus[i];
    if (sizing && sizing->vram_bytes &&
        pow2_at_least(exhv_bytes_to_mb(sizing->vram_bytes)) > high)
        high = pow2_at_least(exhv_bytes_to_mb(sizing->vram_bytes));
    if (o->high_mmio_mb > high)
        high = o->high_mmio_mb;
    snprintf(high_reason, sizeof(high_reason),
             exhv_tr(!sizing || !sizing->vram_bytes
                         ? "GPU-PV needs at least %u MB of high MMIO; too little gives Code 43 "
                           "in the guest."
                     : gpu ? "GPU-PV needs at least %u MB of high MMIO and the GPU's VRAM "
                             "rounded up to a power of two; too little gives Code 43 in the "
                             "guest."
                           : "GPU-PV needs at least %u MB of high MMIO and the VRAM of the GPU "
                             "Hyper-V may pick (the largest) rounded up to a power of two; too "
                             "little gives Code 43 in the guest."),
             EXHV_GPUPV_HIGH_MMIO_MB);
    if (low > vm->low_mmio_mb &&
        (add(&p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_LOW_MMIO, (int64_t)vm->low_mmio_mb,
             (int64_t)low, "GPU-PV needs at least 128 MB of low MMIO.", err) < 0 ||
         low_mmio_no_undo(&p, vm->low_mmio_mb, err) < 0))
        goto fail;
    if (high > vm->high_mmio_mb &&
        add(&p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_HIGH_MMIO, (int64_t)vm->high_mmio_mb,
            (int64_t)high, high_reason, err) < 0)
        goto fail;
    if (vm->stop_action == EXHV_STOP_SAVE &&
        add(&p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_STOP_ACTION, 3, 4,
            "A VM with a GPU partition cannot save its state: it shuts down when the host stops.",
            err) < 0)
        goto fail;
    if (vm->checkpoint != EXHV_CKPT_DISABLED &&
        add(&p, EXHV_STEP_VM_SET, vm, NULL, EXHV_PROP_SNAPSHOT_TYPE,
            vm->checkpoint == EXHV_CKPT_PRODUCTION ? 3 : vm->checkpoint == EXHV_CKPT_PRODUCTION_ONLY ? 4 : 5,
            2, "A VM with a GPU partition cannot take checkpoints.", err) < 0)
        goto fail;
    if (vm->dynamic_memory &&
        add(&p, EXHV_STEP_VM_MEMORY, vm, NULL, NULL, 1, 0,
            "GPU partitions need the VM's memory fixed: dynamic memory must be off.", err) < 0)
        goto fail;

    s.kind = EXHV_STEP_GPU_ADD;
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.gpu_path = choose && gpu ? gpu->partition_path : (char *)"";
    s.gpu_name = gpu ? gpu->name : NULL;
    s.reason = (char *)exhv_tr(choose ? "The VM gets a partition of this GPU."
                               : "The VM gets a GPU partition; below build 22000 Hyper-V "
                                 "chooses the GPU.");
    if (o->share) {
        if (share_values(gpu ? gpu : first, o->share, s.values, err) < 0)
            goto fail;
        s.nvalues = 12;
    }
    if (!exhv_plan_add_step(&p, &s))
        goto nomem;

    if (!choose && exhv_plan_add_note(&p, "Build %u cannot choose the GPU: Hyper-V uses one of "
                                          "the partitionable GPUs, normally the first (%s).",
                                      h->sys.build, first->name) < 0)
        goto nomem;
    if (exhv_plan_add_note(&p, o->share && gui
                                   ? "Partition values from the share you chose: they matter "
                                     "on GPUs that Hyper-V really partitions (SR-IOV, Windows "
                                     "Server 2025); consumer GPUs share the whole GPU."
                               : o->share
                                   ? "Partition values from --share: they matter on GPUs "
                                     "that Hyper-V really partitions (SR-IOV, Windows "
                                     "Server 2025); consumer GPUs share the whole GPU."
                               : gui
                                   ? "Partition values are Hyper-V's defaults: on consumer "
                                     "GPUs they have no effect (the whole GPU is shared); a "
                                     "share above 0 sets them for GPUs where they matter."
                                   : "Partition values are Hyper-V's defaults: on consumer "
                                     "GPUs they have no effect (the whole GPU is "
                                     "shared); --share sets them for GPUs where they "
                                     "matter.") < 0)
        goto nomem;
    if (vm->generation == 1 &&
        exhv_plan_add_note(&p, "VM %s is Generation 1: GPU-PV is made for Generation 2 VMs and "
                               "may not work here.", vm->name) < 0)
        goto nomem;
    if (high > EXHV_GPUPV_HIGH_MMIO_WARN_MB &&
        exhv_plan_add_note(&p, "A high MMIO gap above 64 GB may keep the VM from booting on "
                               "older CPUs (their physical address width is too small).") < 0)
        goto nomem;
    if (!o->no_drivers && o->conn) {
        /* The host's driver goes into the VM's disk, after the adapter. */
        exhv_import_opts io = {o->stop, o->all_packages};
        if (exhv_plan_drv_import(o->conn, h, vm, gpu, &io, &p, err) < 0)
            goto fail;
    } else if (exhv_plan_add_note(&p,
                                  o->no_drivers && !gui
                                      ? "Drivers not imported (--no-drivers): the guest needs the "
                                        "host's GPU driver files in "
                                        "C:\\Windows\\System32\\HostDriverStore\\FileRepository "
                                        "(`exhv gpu drivers VM` puts them there)."
                                      : "Drivers not imported: the guest needs the "
                                        "host's GPU driver files in "
                                        "C:\\Windows\\System32\\HostDriverStore\\FileRepository.") < 0) {
        goto nomem;
    }
    *plan = p;
    return 0;
nomem:
    exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
fail:
    exhv_plan_release(&p);
    return -1;
}

int exhv_plan_gpu_remove(const exhv_host *h, const exhv_vm *vm, const char *adapter, int all,
                         int stale_only, const exhv_gpu_opts *o, exhv_plan *plan,
                         exhv_error *err)
{
    exhv_plan p;
    exhv_buf title = EXHV_BUF_INIT, list = EXHV_BUF_INIT;
    size_t chosen = 0;
    char low[16], high[16];

    exhv_plan_init(&p);
    if (!h->hyperv)
        return exhv_error_set(err, EXHV_E_NO_HYPERV, "Hyper-V is not available on this host");
    if (!vm->nadapters && adapter)
        return exhv_error_set(err, EXHV_E_NOT_FOUND, "VM %s has no GPU partition adapter '%s': "
                                                     "it has none", vm->name, adapter);
    for (size_t i = 0; i < vm->nadapters; i++)
        exhv_buf_printf(&list, "\n  %zu  %s%s", i, vm->adapters[i].id,
                        vm->adapters[i].stale ? " (stale)" : "");
    if (!adapter && !all && !stale_only && vm->nadapters > 1) {
        exhv_error_set(err, EXHV_E_AMBIGUOUS,
                       "VM %s has %zu GPU partition adapters: name one (its index or ID), or "
                       "pass --all or --stale:%s", vm->name, vm->nadapters, exhv_buf_str(&list));
        exhv_buf_release(&list);
        return -1;
    }
    exhv_buf_tprintf(&title, stale_only ? "Remove stale GPU partition adapters from VM %s"
                             : all      ? "Remove every GPU partition adapter from VM %s"
                                        : "Remove a GPU partition adapter from VM %s",
                     vm->name);
    if (!(p.title = exhv_buf_detach(&title)))
        goto nomem;
    if (vm_off_gpu(vm, o->stop, &p, err) < 0)
        goto fail;
    for (size_t i = 0; i < vm->nadapters; i++) {
        const exhv_gpu_adapter *a = &vm->adapters[i];
        char idx[24];
        exhv_step s = {0};
        snprintf(idx, sizeof(idx), "%zu", i);
        if (adapter ? !(exhv_strcaseeq(adapter, a->id) || strcmp(adapter, idx) == 0)
                    : stale_only && !a->stale)
            continue;
        s.kind = a->stale ? EXHV_STEP_GPU_REMOVE_STALE : EXHV_STEP_GPU_REMOVE;
        s.vm_id = vm->id;
        s.vm_name = vm->name;
        s.setting_id = a->id;
        s.gpu_path = a->instance_path;
        /* The undo adds the adapter again with the values it had. */
        memcpy(s.values, a->values, sizeof(s.values));
        s.nvalues = a->nvalues;
        for (size_t g = 0; g < h->ngpus; g++)
            if (h->gpus[g].partition_path && exhv_strcaseeq(h->gpus[g].partition_path, a->instance_path))
                s.gpu_name = h->gpus[g].name;
        s.reason = (char *)exhv_tr(a->stale ? "Its GPU no longer exists, which keeps the VM from "
                                       "starting."
                                     : "The VM gives up this GPU partition.");
        if (!exhv_plan_add_step(&p, &s))
            goto nomem;
        chosen++;
    }
    if (!chosen && adapter) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "VM %s has no GPU partition adapter '%s'; its "
                                              "adapters:%s", vm->name, adapter,
                       exhv_buf_str(&list));
        goto fail;
    }
    if (!chosen && o->purge_drivers && o->conn && !adapter) {
        /* No adapter to remove, but the drivers still go. */
        if (exhv_plan_add_note(&p, vm->nadapters ? "VM %s has no stale GPU partition adapter."
                                                 : "VM %s has no GPU partition adapter.",
                               vm->name) < 0)
            goto nomem;
    } else if (!chosen) {
        /* Nothing to remove is nothing to do, not a failure: no other step
         * (such as stopping the VM) either. */
        exhv_plan_release(&p);
        exhv_plan_init(&p);
        exhv_buf_tprintf(&title, stale_only ? "Remove stale GPU partition adapters from VM %s"
                                            : "Remove GPU partition adapters from VM %s",
                         vm->name);
        if (!(p.title = exhv_buf_detach(&title)))
            goto nomem;
        if (exhv_plan_add_note(&p, vm->nadapters ? "VM %s has no stale GPU partition adapter."
                                                 : "VM %s has no GPU partition adapter.",
                               vm->name) < 0)
            goto nomem;
        exhv_buf_release(&list);
        *plan = p;
        return 0;
    }
    if (o->purge_drivers && o->conn && exhv_plan_drv_purge(o->conn, h, vm, &p, err) < 0)
        goto fail;
    exhv_fmt_mb(low, sizeof(low), vm->low_mmio_mb);
    exhv_fmt_mb(high, sizeof(high), vm->high_mmio_mb);
    if (chosen && exhv_plan_add_note(&p, "Left as they are: guest-controlled cache types %s, low MMIO "
                               "gap %s, high MMIO gap %s, automatic stop action %s, checkpoints %s, dynamic "
                               "memory %s. Change them with Set-VM if the VM no longer needs "
                               "them.", exhv_tr(vm->guest_controlled_cache ? "on" : "off"), low, high,
                           exhv_enum_text(EXHV_ENUM_STOP_ACTION, (int)vm->stop_action),
                           exhv_enum_text(EXHV_ENUM_CHECKPOINT, (int)vm->checkpoint),
                           exhv_tr(vm->dynamic_memory ? "on" : "off")) < 0)
        goto nomem;
    exhv_buf_release(&list);
    *plan = p;
    return 0;
nomem:
    exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
fail:
    exhv_buf_release(&list);
    exhv_plan_release(&p);
    return -1;
}
