/* Driver import as plan steps (reference/driver-import.md): attach the VM's
 * disk, find its Windows volume, load its SYSTEM hive, copy the GPU's
 * driver packages and System32 files with the copy engine, write the
 * driver's hive values, record on the host what the guest has; then, always
 * (also after a failure, a rollback or Ctrl-C), drop what the copy set
 * aside, unload the hive and detach the disk. Every changing step has an
 * undo that returns the guest to where it was. */
#ifndef EXHV_IMPORT_H
#define EXHV_IMPORT_H

#include "core/model.h"
#include "core/plan.h"
#include "hyperv/ports.h"
#include "platform/drvcopy.h"

/* The host's record of a VM's guest drivers (contracts: driver-record). */
#define EXHV_DRV_RECORD_KEY "HKLM\\SOFTWARE\\exhv\\GuestDrivers"

typedef struct exhv_import_opts {
    int stop;            /* shut a running VM down instead of refusing */
    int all_packages;    /* copy the host's whole FileRepository */
} exhv_import_opts;

/* Append to p the steps that import the driver of `gpu` (NULL: the one
 * Hyper-V gives the VM, the first partitionable GPU) into the disk of `vm`,
 * resolving the packages now (the steps show them, with their files and
 * bytes). The VM must be off, or about to be: the caller has planned its
 * shutdown (or calls exhv_plan_vm_off). Errors say what is missing and what
 * to do (--no-drivers). p is left as it was on failure. */
int exhv_plan_drv_import(exhv_conn *c, const exhv_host *h, const exhv_vm *vm,
                         const exhv_gpu *gpu, const exhv_import_opts *o, exhv_plan *p,
                         exhv_error *err);

/* Append the steps that remove what exhv put into the VM's disk (its
 * manifest), put back what it replaced, and delete the host's record. */
int exhv_plan_drv_purge(exhv_conn *c, const exhv_host *h, const exhv_vm *vm, exhv_plan *p,
                        exhv_error *err);

/* `exhv gpu drivers VM`: a plan of its own (titled) that shuts the VM down
 * when asked (stop), and imports the driver of the VM's GPU: the GPU its
 * first partition adapter names, or the one Hyper-V gives it. A VM without
 * an adapter is refused (`gpu add` adds one and imports). */
int exhv_plan_gpu_drivers(exhv_conn *c, const exhv_host *h, const exhv_vm *vm,
                          const exhv_import_opts *o, exhv_plan *plan, exhv_error *err);

/* The steps of the VM's shutdown (--stop) when it runs, or a refusal that
 * says what to do when it is not off. */
int exhv_plan_vm_off(const exhv_vm *vm, int stop, exhv_plan *p, exhv_error *err);

/* Run one of the driver import steps (exhv_step_run calls it). */
int exhv_import_step_run(exhv_conn *c, const exhv_step *s, exhv_error *err);

/* What the last copy (1) or purge (2) of this connection did; 0 when none
 * ran. */
int exhv_import_stats(const exhv_conn *c, exhv_drv_stats *out);

/* Progress of a copy: `text` says how far it is ("120 of 400 files ...").
 * Set by the executor around each step. */
typedef void (*exhv_import_progress_fn)(void *ud, const exhv_drv_progress *p);
void exhv_import_set_progress(exhv_conn *c, exhv_import_progress_fn fn, void *ud);

/* Unload a hive and detach a disk a plan left open (at close: the last
 * resort; the plan's own cleanup steps normally did it). */
void exhv_import_session_end(exhv_conn *c);

#endif
