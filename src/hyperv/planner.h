/* From intent to plan: what must change, step by step, and why. Planning
 * reads a snapshot and changes nothing. */
#ifndef EXHV_PLANNER_H
#define EXHV_PLANNER_H

#include "core/model.h"
#include "core/plan.h"
#include "core/error.h"

/* Choose a device by location path, instance ID, or a name fragment that
 * matches exactly one device. On no match or several, err lists what to
 * type instead. */
const exhv_device *exhv_device_select(const exhv_host *h, const char *sel, exhv_error *err);
/* Choose a VM by name (exact, then case-insensitive) or GUID. */
const exhv_vm *exhv_vm_select(const exhv_host *h, const char *sel, exhv_error *err);

typedef struct exhv_assign_opts {
    int stop;            /* shut running VMs down instead of refusing */
    int force;           /* allow taking the host's last display adapter */
    int with_functions;  /* move the card's other functions along */
} exhv_assign_opts;

/* Plan moving `dev` to VM `vm`, or to the host when vm is NULL. Refusals
 * (wrong state, running VM, not assignable ...) are errors that say what to
 * do; the plan is then empty. */
int exhv_plan_assign(const exhv_host *h, const exhv_device *dev, const exhv_vm *vm,
                     const exhv_assign_opts *o, exhv_plan *plan, exhv_error *err);

/* Plan the DDA policy: relaxed (both values 0) or the default. Steps only
 * for values not already so. */
int exhv_plan_policy(const exhv_host *h, int relaxed, exhv_plan *plan, exhv_error *err);

/* The MMIO a VM needs for a set of devices (Microsoft: their BARs plus a
 * 512 MB buffer), in MB; 0 when the devices need none in that gap. */
void exhv_mmio_need(const exhv_device *const *devs, size_t n, uint64_t *low_mb, uint64_t *high_mb);

#define EXHV_MMIO_BUFFER_MB 512u
#define EXHV_LOW_MMIO_MAX_MB 3584u

#endif
