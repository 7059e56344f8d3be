/* The seams between the Hyper-V logic and the machine. A connection is a
 * table of port operations over one context: the real Windows ports
 * (win/) or the simulated host (sim/). Every operation records its error in
 * err and leaves its outputs untouched on failure. */
#ifndef EXHV_PORTS_H
#define EXHV_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/model.h"
#include "hyperv/wmi.h"

typedef enum exhv_regtype {
    EXHV_REG_NONE,
    EXHV_REG_SZ,
    EXHV_REG_MULTI_SZ,
    EXHV_REG_DWORD,
    EXHV_REG_QWORD,
    EXHV_REG_BINARY,
    EXHV_REG_EXPAND_SZ,    /* a string with %variables%, kept apart from SZ */
} exhv_regtype;

typedef struct exhv_regval {
    exhv_regtype type;
    uint64_t num;          /* DWORD / QWORD */
    char *str;             /* SZ, EXPAND_SZ; MULTI_SZ as NUL-separated, double-NUL ended */
    unsigned char *bin;    /* BINARY */
    size_t len;            /* bytes of bin, or of str including the NULs */
} exhv_regval;

void exhv_regval_release(exhv_regval *v);
/* A numeric reading of DWORD, QWORD or little-endian BINARY (<= 8 bytes). */
int exhv_regval_number(const exhv_regval *v, uint64_t *out);

typedef struct exhv_ports_ops {
    const char *name;

    /* sysinfo: OS, CPU, memory, elevation. */
    int (*sys_read)(void *ctx, exhv_sysinfo *out, exhv_error *err);

    /* wmi: ROOT\virtualization\v2. open returns 0, or -2 when Hyper-V is not
     * there (err says why), or -1 on another failure. */
    int (*wmi_open)(void *ctx, exhv_error *err);
    int (*wmi_query)(void *ctx, const char *wql, exhv_wmi_objs *out, exhv_error *err);
    /* Run `method` on the object or class at `path` with in-parameters `in`
     * (may be NULL); fills `out` with the out-parameters, ReturnValue among
     * them. */
    int (*wmi_exec)(void *ctx, const char *path, const char *method, const exhv_wmi_obj *in,
                    exhv_wmi_obj *out, exhv_error *err);
    /* Read the object at `path` (IWbemServices::GetObject): a job by its
     * own path, a default setting named by its capabilities. Returns -2
     * when there is no such object. */
    int (*wmi_get)(void *ctx, const char *path, exhv_wmi_obj *out, exhv_error *err);
    /* Queries answered so far (for the benchmark); may be NULL. */
    unsigned long (*wmi_query_count)(void *ctx);

    /* pnp: every PCI and PCIP function, present or not. */
    int (*pnp_list)(void *ctx, exhv_pnp_dev **out, size_t *count, exhv_error *err);

    /* hostreg: read one value; key like "HKLM\\SOFTWARE\\...". Returns -2
     * when the key or value does not exist. */
    int (*reg_get)(void *ctx, const char *key, const char *value, exhv_regval *out,
                   exhv_error *err);

    /* pnp, write side: disable (enable = 0) or enable a device by instance
     * ID. The real port refuses under Wine, where these calls abort. */
    int (*pnp_set_enabled)(void *ctx, const char *instance_id, int enable, exhv_error *err);

    /* hostreg, write side: set a DWORD (returns 1 when it created the key,
     * else 0 or -1), or delete a value (absent is fine); with value NULL,
     * delete the key when it holds no value and no subkey (else leave it). */
    int (*reg_set_dword)(void *ctx, const char *key, const char *value, uint32_t data,
                         exhv_error *err);
    int (*reg_delete)(void *ctx, const char *key, const char *value, exhv_error *err);

    /* hostreg, typed write: set a value of any type (v's type), creating
     * the key. Returns 1 when it created the key, else 0, or -1. May be
     * NULL on a port that cannot write (then nothing needs it). */
    int (*reg_set)(void *ctx, const char *key, const char *value, const exhv_regval *v,
                   exhv_error *err);

    /* hive: load an offline registry hive file (a guest's SYSTEM hive) as
     * HKLM\<name>, whose keys and values are then read and written with
     * reg_get, reg_set and reg_delete as "HKLM\<name>\..." with their
     * types; hive_unload writes it back to its file and unloads it, and
     * must follow every successful hive_load. The real port uses
     * RegLoadKeyW / RegUnLoadKeyW after enabling SeBackupPrivilege and
     * SeRestorePrivilege; the simulated one reads and writes a JSON file
     * (docs/scenario.md). name is a single key name. May be NULL. */
    int (*hive_load)(void *ctx, const char *file, const char *name, exhv_error *err);
    int (*hive_unload)(void *ctx, const char *name, exhv_error *err);

    /* drivers: the full path of a published INF's copy in the driver store
     * ("oem35.inf" -> "...\\FileRepository\\<package>\\<name>.inf"), whose
     * folder is the package (SetupGetInfDriverStoreLocationW). -2 when the
     * driver store does not know it. May be NULL. */
    int (*drv_inf_location)(void *ctx, const char *published_inf, char **path, exhv_error *err);
    /* hostreg: the names of a key's values and of its subkeys (new arrays
     * of new strings). -2 when there is no such key. May be NULL. */
    int (*reg_list)(void *ctx, const char *key, char ***values, size_t *nvalues, char ***subkeys,
                    size_t *nsubkeys, exhv_error *err);

    /* vhd: attach a VM's virtual disk to this host read-write without drive
     * letters (VirtDisk AttachVirtualDisk with
     * ATTACH_VIRTUAL_DISK_FLAG_NO_DRIVE_LETTER), find its Windows volume, and
     * detach it. vhd_attach gives an opaque *disk that vhd_detach takes and
     * frees (also after a failed vhd_windows). vhd_windows: the path of the
     * Windows folder of the one volume holding Windows\\System32\\config\\SYSTEM
     * (walked by volume GUID path); -2 when none does, with *bitlocker set
     * when a volume had no file system (probably BitLocker, `-FVE-FS-`);
     * several Windows volumes are refused (EXHV_E_AMBIGUOUS). The real port
     * refuses under Wine, where these calls abort. May be NULL. */
    int (*vhd_attach)(void *ctx, const char *vhd_path, void **disk, exhv_error *err);
    int (*vhd_windows)(void *ctx, void *disk, char **windows_dir, int *bitlocker,
                       exhv_error *err);
    int (*vhd_detach)(void *ctx, void *disk, exhv_error *err);

    /* The name of the lock that serializes changes to this host (a file path
     * or a mutex name), or NULL when the host lives in this process only. */
    const char *(*lock_name)(void *ctx);
    /* Called once the lock is held, before the host is read for a change:
     * a host kept in a file reads it again (what another process wrote
     * before the lock counts) and refuses a file it could not write back.
     * May be NULL. */
    int (*begin_change)(void *ctx, exhv_error *err);
    /* Where the plan in progress is recorded (a file), or NULL when there
     * is no lasting host to record it for. */
    const char *(*journal_path)(void *ctx);

    void (*close)(void *ctx);
} exhv_ports_ops;

struct exhv_lock;

typedef struct exhv_conn {
    const exhv_ports_ops *ops;
    void *ctx;
    char *uri;
    int simulated;
    struct exhv_lock *lock;   /* held by exhv_conn_lock, until close or unlock */
    const char *journal_parent; /* recover: the record being recovered, kept in
                                 * the new one (not owned) */
    struct exhv_guest_session *guest; /* driver import: the disk and hive a plan
                                       * has open (hyperv/import.c) */
} exhv_conn;

/* Open a connection: "hyperv:///" (Windows only), "test:///default", or
 * "test:///PATH/host.json". NULL uri means the platform default. */
int exhv_conn_open(const char *uri, exhv_conn **out, exhv_error *err);
void exhv_conn_close(exhv_conn *c);
/* Take the host's lock for a change, before the host is read, and keep it
 * until exhv_conn_unlock or exhv_conn_close: a plan then runs against the
 * state it was made from. Without waiting: another exhv changing the host
 * is an error that says so. 0 or -1. A connection without a lasting host
 * (test:///default) has nothing to lock: 0. */
int exhv_conn_lock(exhv_conn *c, exhv_error *err);
void exhv_conn_unlock(exhv_conn *c);
/* The URI used when none is given: $EXHV_CONNECT, else the platform's. */
const char *exhv_conn_default_uri(void);

/* Take a snapshot of the host: system facts, policy, PCI devices with their
 * DDA state, GPUs, VMs. Costs a fixed number of WMI queries whatever the
 * number of VMs and devices. On success *out is a new host (exhv_host_free). */
int exhv_snapshot_take(exhv_conn *c, exhv_host **out, exhv_error *err);

/* The registry key of the DDA policy values (reference/hyperv-wmi.md). */
#define EXHV_POLICY_KEY "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV"
/* Where exhv records the drivers it put into each VM's guest, one subkey
 * per VM ID (docs/scenario.md, "guest driver records"). */
#define EXHV_GUEST_DRIVERS_KEY "HKLM\\SOFTWARE\\exhv\\GuestDrivers"
#define EXHV_DISPLAY_CLASS_GUID "{4d36e968-e325-11ce-bfc1-08002be10318}"

/* Msvm_PartitionableGpu.Name -> PnP instance ID: strip "\\?\", cut at "#{",
 * turn '#' into '\'. Returns a new string or NULL. */
char *exhv_gpu_path_to_instance_id(const char *partition_name);

#endif
