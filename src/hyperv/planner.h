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

/* ---- GPU-PV ---- */

/* Choose a host GPU by location path or instance ID (both stable while
 * other cards come and go), index (as `exhv gpus` numbers them, which
 * changes when a card leaves the host),
 * partition path, or a name fragment that matches exactly one GPU. */
const exhv_gpu *exhv_gpu_select(const exhv_host *h, const char *sel, exhv_error *err);

typedef struct exhv_gpu_opts {
    int stop;               /* shut a running VM down instead of refusing */
    int share;              /* 1..100: partition values from the GPU's ranges; 0 template */
    uint64_t low_mmio_mb;   /* wanted gaps (the minimums below still apply); 0 none */
    uint64_t high_mmio_mb;
    int no_drivers;         /* the user chose not to import drivers */
    /* Driver import (hyperv/import.h): planned when conn is given (it
     * reads the host's driver store and class keys while planning). */
    struct exhv_conn *conn;
    int all_packages;       /* gpu add: copy the host's whole driver store */
    int purge_drivers;      /* gpu remove: remove what exhv imported into the VM's disk */
} exhv_gpu_opts;

/* GPU-PV needs at least these (reference/hyperv-wmi.md, GPU-PV). */
#define EXHV_GPUPV_LOW_MMIO_MB 128u
#define EXHV_GPUPV_HIGH_MMIO_MB 32768u
#define EXHV_GPUPV_HIGH_MMIO_WARN_MB 65536u

/* Plan a GPU partition for `vm` from `gpu` (NULL: the only partitionable
 * GPU, or Hyper-V's choice below build 22000). */
int exhv_plan_gpu_add(const exhv_host *h, const exhv_vm *vm, const exhv_gpu *gpu,
                      const exhv_gpu_opts *o, exhv_plan *plan, exhv_error *err);

/* Plan removing adapters from `vm`: the one named by `adapter` (its ID or
 * its index among the VM's adapters), all of them, or the stale ones. */
int exhv_plan_gpu_remove(const exhv_host *h, const exhv_vm *vm, const char *adapter, int all,
                         int stale_only, const exhv_gpu_opts *o, exhv_plan *plan,
                         exhv_error *err);

/* The MMIO a VM needs for a set of devices (Microsoft: their BARs plus a
 * 512 MB buffer), in MB; 0 when the devices need none in that gap. */
void exhv_mmio_need(const exhv_device *const *devs, size_t n, uint64_t *low_mb, uint64_t *high_mb);

#define EXHV_MMIO_BUFFER_MB 512u
#define EXHV_LOW_MMIO_MAX_MB 3584u
/* The smallest low MMIO gap Hyper-V accepts (docs/scenario.md). */
#define EXHV_LOW_MMIO_MIN_MB 128u

#endif
