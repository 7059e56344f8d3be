/* The Hyper-V write path: each plan step as calls on the ports. The same
 * code drives a real host and the simulated one. Every function records
 * Hyper-V's own error (return value or job error, with its text). */
#ifndef EXHV_ACTIONS_H
#define EXHV_ACTIONS_H

#include "core/plan.h"
#include "hyperv/ports.h"

/* Run one step. *made (caller frees; made may be NULL) receives the ID of
 * what the step made that its undo must name (a setting, a registry key),
 * or for a dismount or a mount the DeviceID of the Msvm_PciExpress it made
 * or deleted. Returns 0 when the step did what it describes, 1 when it
 * succeeded in another way the user must be told of (err->message says
 * what, with code EXHV_OK: a VM turned off because its guest did not shut
 * down), -1 on failure. */
int exhv_step_run(exhv_conn *c, const exhv_step *s, char **made, exhv_error *err);

/* The primitives. VMs are named by GUID, devices by location path. */
int exhv_hv_vm_set(exhv_conn *c, const char *vm_id, const char *prop, int64_t value,
                   exhv_error *err);
int exhv_hv_vm_memory(exhv_conn *c, const char *vm_id, int dynamic, exhv_error *err);
/* 2 start, 3 turn off (RequestStateChange). */
int exhv_hv_vm_state(exhv_conn *c, const char *vm_id, int state, exhv_error *err);
/* Shut the guest down (InitiateShutdown) and wait for the VM to be off; if
 * it is still running after timeout_ms (elapsed), turn it off and set
 * *turned_off. A request the guest refuses is an error: the VM is then left
 * running, never turned off at once. */
int exhv_hv_vm_shutdown(exhv_conn *c, const char *vm_id, unsigned timeout_ms, int *turned_off,
                        exhv_error *err);
int exhv_hv_dev_dismount(exhv_conn *c, const char *instance_id, const char *location,
                         exhv_error *err);
int exhv_hv_dev_mount(exhv_conn *c, const char *location, exhv_error *err);
/* *made (made may be NULL) receives the new setting's InstanceID when it
 * can be told. */
int exhv_hv_dev_add(exhv_conn *c, const char *vm_id, const char *location, char **made,
                    exhv_error *err);
/* Remove a VM's PCI setting: the one for `location`, or setting_id when given. */
int exhv_hv_dev_remove(exhv_conn *c, const char *vm_id, const char *location,
                       const char *setting_id, exhv_error *err);
/* Enable or disable the host function now at `location` (its instance ID
 * changes with dismount and mount, its location path does not). */
int exhv_hv_dev_set_enabled(exhv_conn *c, const char *location, const char *instance_id,
                            int enable, exhv_error *err);
/* Add a GPU partition adapter to a VM: for the Msvm_PartitionableGpu named
 * gpu_path ("" or NULL: Hyper-V chooses), with 12 partition values or the
 * default template's (nvalues 0). *made receives the new adapter's ID. */
int exhv_hv_gpu_add(exhv_conn *c, const char *vm_id, const char *gpu_path,
                    const int64_t *values, int nvalues, char **made, exhv_error *err);
int exhv_hv_gpu_remove(exhv_conn *c, const char *vm_id, const char *setting_id, exhv_error *err);

/* The default setting of a resource subtype ("Microsoft:Hyper-V:GPU
 * Partition"), as Hyper-V documents finding it: Msvm_AllocationCapabilities
 * of the subtype, its Msvm_SettingsDefineCapabilities with ValueRole 0, and
 * the object its PartComponent names. */
int exhv_hv_default_setting(exhv_conn *c, const char *subtype, exhv_wmi_obj *out,
                            exhv_error *err);

/* The DDA policy value `name`: a DWORD (0 relaxes), or EXHV_POLICY_ABSENT
 * (deleted: the default). Setting it sets *made (made may be NULL) to the
 * key's name when it created the key; drop_key deletes the key once it
 * holds nothing (undoing that). */
int exhv_hv_policy_set(exhv_conn *c, const char *name, int64_t value, int drop_key, char **made,
                       exhv_error *err);

#endif
