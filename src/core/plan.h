/* Plans: an ordered list of steps, each with its arguments, a one-line
 * reason for the user, and its undo. Plans are data: planned without
 * touching the host, shown, rendered as PowerShell, then executed. */
#ifndef EXHV_PLAN_H
#define EXHV_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "compiler.h"

typedef enum exhv_step_kind {
    EXHV_STEP_VM_SHUTDOWN,   /* shut the VM down (graceful, then turn off); undo: start */
    EXHV_STEP_VM_SET,        /* a VM setting (prop) from old_value to new_value; undo: old */
    EXHV_STEP_VM_MEMORY,     /* dynamic memory old_value -> new_value; undo: old */
    EXHV_STEP_DEV_DISABLE,   /* disable the device on the host; undo: enable */
    EXHV_STEP_DEV_DISMOUNT,  /* take it from the host (PCI -> PCIP); undo: mount */
    EXHV_STEP_DEV_ADD,       /* give the dismounted device to the VM; undo: remove */
    EXHV_STEP_DEV_REMOVE,    /* take it from the VM; undo: add */
    EXHV_STEP_DEV_MOUNT,     /* give it back to the host; undo: dismount */
    EXHV_STEP_DEV_ENABLE,    /* enable it on the host; undo: disable */
    EXHV_STEP_REF_REMOVE,    /* remove a VM's reference to hardware that is gone; no undo */
    EXHV_STEP_POLICY_SET,    /* a DDA policy value: relaxed (0) or default (absent) */
    EXHV_STEP_GPU_ADD,       /* a GPU partition adapter for the GPU at gpu_path ("" =
                                Hyper-V's choice); undo: remove the adapter it made */
    EXHV_STEP_GPU_REMOVE,    /* remove adapter setting_id; undo: add it back, for the GPU
                                at gpu_path with its values (nvalues 12) */
    EXHV_STEP_GPU_REMOVE_STALE, /* remove an adapter whose GPU is gone; no undo */
    /* Driver import (hyperv/import.h). What these steps open (the disk, the
     * hive) lives in the connection while the plan runs. */
    EXHV_STEP_DISK_ATTACH,   /* attach the VM's disk `path` to the host and find its
                                Windows folder; undo: DISK_DETACH */
    EXHV_STEP_DISK_DETACH,   /* detach it (cleanup: always runs, also after a failure) */
    EXHV_STEP_HIVE_LOAD,     /* load the guest's SYSTEM hive as HKLM\<prop>; undo: unload */
    EXHV_STEP_HIVE_UNLOAD,   /* unload it (cleanup) */
    EXHV_STEP_DRV_COPY,      /* copy the GPU's driver (driver_key) into the guest;
                                undo: DRV_RESTORE */
    EXHV_STEP_DRV_PURGE,     /* remove what exhv put into the guest; undo: DRV_RESTORE */
    EXHV_STEP_DRV_RESTORE,   /* put the guest's driver folders back as before the copy or
                                purge */
    EXHV_STEP_HIVE_EDIT,     /* the driver's values in the guest's hive; undo: HIVE_UNEDIT */
    EXHV_STEP_HIVE_UNEDIT,
    EXHV_STEP_DRV_RECORD,    /* the host's record of the VM's guest drivers: written
                                (new_value 1) or deleted (0); undo: DRV_UNRECORD */
    EXHV_STEP_DRV_UNRECORD,  /* the record as it was before */
    EXHV_STEP_DRV_COMMIT,    /* drop what the copy set aside, once every step is done
                                (cleanup; after a rollback there is nothing to drop) */
    EXHV_STEP__COUNT
} exhv_step_kind;

typedef struct exhv_step {
    exhv_step_kind kind;
    char *vm_id, *vm_name;
    char *instance_id;       /* the device as the host knows it now */
    char *location_path;
    char *device_name;
    char *setting_id;        /* REF_REMOVE / DEV_REMOVE: the VM's PCI setting InstanceID */
    char *prop;              /* VM_SET: WMI property; POLICY_SET: value name */
    char *gpu_path;          /* GPU_*: the Msvm_PartitionableGpu Name */
    char *gpu_name;
    /* GPU_ADD: partition values in the order of exhv_gpu_value_names, when
     * nvalues is 12; else the template's. */
    int64_t values[12];
    int nvalues;
    int64_t old_value, new_value;
    char *reason;            /* one line: why this step is in the plan */
    char *no_undo;           /* why the step cannot be undone; NULL when it can */
    /* Driver import */
    char *path;              /* DISK_*: the VM's virtual disk */
    char *driver_key;        /* DRV_COPY: the GPU's class key ("{4d36e968-...}\\0001") */
    char *version;           /* DRV_*: the host driver version planned for */
    char *inf_path;          /* DRV_RECORD: the published INF */
    char *packages;          /* DRV_*: package folder names, one per line */
    char *script;            /* PowerShell for the step, made when it was planned (what it
                                copies or writes depends on what was found then) */
    uint64_t files, bytes;   /* DRV_COPY: the packages' size */
    int all_packages;        /* DRV_COPY: the whole FileRepository (--all-packages) */
    int cleanup;             /* runs after the other steps (and their undo), always */
} exhv_step;

typedef struct exhv_plan {
    char *title;             /* "Move NVIDIA ... from the host to VM gaming" */
    exhv_step *steps;
    size_t count, cap;
    char **notes;            /* warnings and facts to show with the plan */
    size_t nnotes, notes_cap;
} exhv_plan;

void exhv_plan_init(exhv_plan *p);
void exhv_plan_release(exhv_plan *p);
/* Append a copy of *s (its strings are copied). Returns the new step or NULL. */
exhv_step *exhv_plan_add_step(exhv_plan *p, const exhv_step *s);
/* A note to show with the plan; fmt is English, translated into the
 * language in force (core/i18n.h). */
int exhv_plan_add_note(exhv_plan *p, const char *fmt, ...) EXHV_PRINTF(2, 3);
/* Drop the steps and notes added after the first `count` steps and
 * `nnotes` notes (a planner that failed half-way leaves p as it was). */
void exhv_plan_truncate(exhv_plan *p, size_t count, size_t nnotes);

const char *exhv_step_kind_name(exhv_step_kind k);     /* "dev_dismount" */
/* Whether the step can be undone (REF_REMOVE cannot). */
int exhv_step_reversible(const exhv_step *s);
/* Why the step cannot be undone (one sentence), or NULL when it can. */
const char *exhv_step_no_undo(const exhv_step *s);
/* The step that undoes s: same arguments, opposite kind or swapped values. */
void exhv_step_inverse(const exhv_step *s, exhv_step *out);

/* One line saying what the step does ("Dismount ... from the host"). */
void exhv_step_describe(exhv_buf *b, const exhv_step *s);
/* The PowerShell a person would type for the step, quoted safely. */
void exhv_step_powershell(exhv_buf *b, const exhv_step *s);
/* The whole plan as a PowerShell script with comments. */
void exhv_plan_powershell(exhv_buf *b, const exhv_plan *p);

/* {Min,Max,Optimal}Partition{VRAM,Encode,Decode,Compute}, the order of
 * exhv_step.values (WMI property names). */
extern const char *const exhv_gpu_value_names[12];

/* Names of the VM settings the planner changes (WMI property names). */
#define EXHV_PROP_STOP_ACTION "AutomaticShutdownAction"
#define EXHV_PROP_GUEST_CACHE "GuestControlledCacheTypes"
#define EXHV_PROP_LOW_MMIO "LowMmioGapSize"
#define EXHV_PROP_HIGH_MMIO "HighMmioGapSize"
#define EXHV_PROP_SNAPSHOT_TYPE "UserSnapshotType"

#endif
