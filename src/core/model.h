/* The model: what exhv knows about one Hyper-V host at one moment. */
#ifndef EXHV_MODEL_H
#define EXHV_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* ---- enums; each has a string table shared by JSON, CLI and GUI ---- */

typedef enum exhv_dda_state {
    EXHV_DDA_HOST,        /* a present PCI\ device, the host's */
    EXHV_DDA_DISMOUNTED,  /* PCIP\ / Msvm_PciExpress, held by no VM */
    EXHV_DDA_ASSIGNED,    /* referenced by a VM */
    EXHV_DDA_MISSING,     /* a VM references hardware that is gone */
    EXHV_DDA__COUNT
} exhv_dda_state;

typedef enum exhv_vm_state {
    EXHV_VM_OFF,
    EXHV_VM_RUNNING,
    EXHV_VM_SAVED,
    EXHV_VM_PAUSED,
    EXHV_VM_STARTING,
    EXHV_VM_STOPPING,
    EXHV_VM_OTHER,
    EXHV_VM__COUNT
} exhv_vm_state;

typedef enum exhv_stop_action {
    EXHV_STOP_TURN_OFF,   /* AutomaticShutdownAction 2 */
    EXHV_STOP_SAVE,       /* 3 */
    EXHV_STOP_SHUT_DOWN,  /* 4 */
    EXHV_STOP_UNKNOWN,
    EXHV_STOP__COUNT
} exhv_stop_action;

typedef enum exhv_checkpoint_type {
    EXHV_CKPT_DISABLED,        /* UserSnapshotType 2 */
    EXHV_CKPT_PRODUCTION,      /* 3 */
    EXHV_CKPT_PRODUCTION_ONLY, /* 4 */
    EXHV_CKPT_STANDARD,        /* 5 */
    EXHV_CKPT_UNKNOWN,
    EXHV_CKPT__COUNT
} exhv_checkpoint_type;

typedef enum exhv_verdict {
    EXHV_PASS,
    EXHV_WARN,
    EXHV_FAIL,
    EXHV_VERDICT__COUNT
} exhv_verdict;

typedef enum exhv_enum_kind {
    EXHV_ENUM_DDA_STATE,
    EXHV_ENUM_VM_STATE,
    EXHV_ENUM_STOP_ACTION,
    EXHV_ENUM_CHECKPOINT,
    EXHV_ENUM_VERDICT,
    EXHV_ENUM_GUEST_DRIVERS,
} exhv_enum_kind;

/* The stable name of a value ("dismounted"), or "unknown" when out of range. */
/* The same value in words for people ("shut down" for shut_down). */
const char *exhv_enum_label(exhv_enum_kind kind, int value);
/* The label in the language in force (core/i18n.h). */
const char *exhv_enum_text(exhv_enum_kind kind, int value);
const char *exhv_enum_name(exhv_enum_kind kind, int value);
/* Parse a name (ASCII case-insensitive). Returns the value, or -1. */
int exhv_enum_parse(exhv_enum_kind kind, const char *name);

/* Hyper-V's numbers to the model (reference/hyperv-wmi.md). */
exhv_vm_state exhv_vm_state_from_enabled(int64_t enabled_state);
exhv_stop_action exhv_stop_action_from_msvm(int64_t v);
exhv_checkpoint_type exhv_checkpoint_from_msvm(int64_t v);

/* ---- facts ---- */

typedef struct exhv_sysinfo {
    char *computer_name;
    char *os_caption;      /* "Microsoft Windows 11 Pro" */
    char *os_version;      /* "10.0.26100" */
    char *arch;            /* "64-bit" / "ARM 64-bit" */
    char *cpu_name;
    char *wine_version;    /* non-NULL when running under Wine */
    unsigned build;
    int server;            /* server SKU (ProductType != 1) */
    unsigned cpu_mhz;
    uint64_t memory_bytes;
    int elevated;          /* the process has an administrator token */
    int hypervisor_present;
    int virt_firmware;     /* CPU virtualization enabled in firmware: 1, 0, -1 unknown */
} exhv_sysinfo;

void exhv_sysinfo_release(exhv_sysinfo *s);

typedef struct exhv_mem_range {
    uint64_t start;
    uint64_t length;
} exhv_mem_range;

/* Interrupt support bits (SurveyDDA: line-based only cannot work). */
enum { EXHV_IRQ_LINE = 1, EXHV_IRQ_MSI = 2, EXHV_IRQ_MSIX = 4 };

/* CM_PROB_DISABLED (cfg.h): the device is disabled. */
#define EXHV_PROBLEM_DISABLED 22ul

/* What PnP tells about one PCI function (the pnp port fills this). */
typedef struct exhv_pnp_dev {
    char *instance_id;     /* PCI\VEN_..., or PCIP\... once dismounted */
    char *location_path;   /* DEVPKEY_Device_LocationPaths[0] */
    char *name;            /* FriendlyName, else DeviceDesc */
    char *cls;             /* DEVPKEY_Device_Class ("Display") */
    char *service;         /* "pci" for bridges */
    char *manufacturer;
    char *driver_key;      /* "{4d36e968-...}\\0001" (class key) */
    char *driver_version;  /* "32.0.15.6094" */
    int present;
    unsigned long problem; /* CM_PROB_*; 0 none; EXHV_PROBLEM_DISABLED */
    /* PCI property keys (pciprop.h); -1 when unknown */
    int device_type;       /* 2 PCIe endpoint, 3 legacy, 4 integrated, 5 as PCI */
    int acs;               /* AcsCompatibleUpHierarchy 0..3 */
    int reserved_memory;   /* RequiresReservedMemoryRegion */
    int base_class;
    int interrupts;        /* EXHV_IRQ_* bits; 0 none, -1 unknown */
    exhv_mem_range *mem;
    size_t nmem;
} exhv_pnp_dev;

void exhv_pnp_dev_release(exhv_pnp_dev *d);

typedef struct exhv_device {
    exhv_pnp_dev pnp;      /* empty strings for a Missing device */
    unsigned vendor_id, device_id;   /* from the instance ID; 0 unknown */
    int bridge;            /* service "pci": hidden unless asked */
    exhv_dda_state state;
    char *vm_id;           /* ASSIGNED / MISSING: the VM's GUID */
    char *vm_name;
    char *pciexpress_path; /* the Msvm_PciExpress object, when one exists */
    char *setting_id;      /* ASSIGNED / MISSING: the VM's Msvm_PciExpressSettingData InstanceID */
} exhv_device;

typedef struct exhv_gpu_partition {
    uint64_t partition_count;
    uint64_t *valid_counts;
    size_t nvalid;
    /* [0] VRAM [1] Encode [2] Decode [3] Compute */
    uint64_t total[4], available[4], min[4], max[4], optimal[4];
} exhv_gpu_partition;

typedef struct exhv_gpu {
    unsigned index;        /* position in `exhv gpus`, from 0 */
    char *name;
    char *vendor;
    char *instance_id;
    char *location_path;   /* its PCI location: stays when other cards come and go;
                              "" when PnP does not list it */
    char *driver_version;
    int wddm_major, wddm_minor;   /* from the driver version; 0 unknown */
    uint64_t vram_bytes;
    int partitionable;     /* Hyper-V offers it for GPU-PV (never while disabled) */
    int disabled;          /* disabled on the host (problem 22): no driver, no partitions */
    char *partition_path;  /* Msvm_PartitionableGpu.Name */
    exhv_gpu_partition part;
} exhv_gpu;

typedef struct exhv_gpu_adapter {
    char *id;              /* Msvm_GpuPartitionSettingData InstanceID */
    char *instance_path;   /* the host GPU it names; "" when Hyper-V chooses */
    int stale;             /* names a GPU that no longer exists */
    /* {Min,Max,Optimal}Partition{VRAM,Encode,Decode,Compute} in the order
     * of exhv_gpu_value_names, when nvalues is 12 (the adapter has them all) */
    int64_t values[12];
    int nvalues;
} exhv_gpu_adapter;

/* What exhv knows of the host drivers it put into a VM's guest, from the
 * record the import writes on the host (HKLM\SOFTWARE\exhv\GuestDrivers\
 * <VM ID>): seen without mounting the VM's disk. */
typedef enum exhv_guest_drivers_state {
    EXHV_GDRV_NOTHING,     /* no GPU partition adapter and no record: not shown */
    EXHV_GDRV_NONE,        /* GPU partition adapters, no record */
    EXHV_GDRV_CURRENT,     /* the record's version is the GPU's driver version */
    EXHV_GDRV_STALE,       /* the host driver changed since the import */
    EXHV_GDRV_GPU_MISSING, /* the record's GPU is no longer one of the host's GPUs */
    EXHV_GDRV_UNKNOWN,     /* the GPU is there but its driver version is unknown */
    EXHV_GDRV_MALFORMED,   /* the record cannot be trusted (problem says why) */
    EXHV_GDRV__COUNT
} exhv_guest_drivers_state;

typedef struct exhv_guest_record {
    int present;           /* the VM has a record (possibly malformed) */
    char *problem;         /* set when malformed: what is wrong, for people */
    char *vm_name;         /* the VM's name at import */
    char *gpu_instance_id; /* the host GPU whose driver was imported */
    char *driver_version;  /* the driver version imported */
    char *inf_path;        /* the published INF at import (oem35.inf) */
    char **packages;       /* package folder names put into the guest */
    size_t npackages;
    int all_packages;      /* imported with --all-packages */
} exhv_guest_record;

void exhv_guest_record_release(exhv_guest_record *r);

typedef struct exhv_guest_drivers {
    exhv_guest_drivers_state state;
    exhv_guest_record record;
    /* CURRENT / STALE: the driver version of the record's GPU now (points
     * into the host's GPU; NULL otherwise) */
    const char *host_version;
} exhv_guest_drivers;

typedef struct exhv_vm {
    char *id;              /* GUID */
    char *name;
    exhv_vm_state state;
    int64_t enabled_state; /* Hyper-V's raw value */
    int generation;        /* 1 or 2; 0 unknown */
    char *version;
    char *settings_id;     /* the realized VSSD's InstanceID */
    uint64_t low_mmio_mb, high_mmio_mb;
    int guest_controlled_cache;
    exhv_stop_action stop_action;
    exhv_checkpoint_type checkpoint;
    size_t checkpoints;    /* how many checkpoints the VM has */
    int dynamic_memory;
    uint64_t memory_mb;
    char **disks;
    size_t ndisks;
    char **devices;        /* location paths of assigned (or missing) devices */
    size_t ndevices;
    exhv_gpu_adapter *adapters;
    size_t nadapters;
    exhv_guest_drivers drivers; /* exhv_guest_drivers_compute */
} exhv_vm;

/* One DDA policy value as the registry holds it. */
typedef enum exhv_polval_state {
    EXHV_POLVAL_ABSENT,      /* not set: the default (required) */
    EXHV_POLVAL_DWORD,       /* a DWORD: 0 relaxes, anything else requires */
    EXHV_POLVAL_OTHER,       /* another type: exhv counts it as not relaxed */
    EXHV_POLVAL_UNREADABLE,
} exhv_polval_state;

typedef struct exhv_polval {
    exhv_polval_state state;
    uint32_t dword;          /* EXHV_POLVAL_DWORD */
    char text[80];           /* EXHV_POLVAL_OTHER: its type and data, for people */
} exhv_polval;

/* Host DDA policy values: 1 set to DWORD 0 (relaxed), 0 not relaxed, -1
 * unknown; and each value as it is. */
typedef struct exhv_policy {
    int secure_relaxed;     /* RequireSecureDeviceAssignment == DWORD 0 */
    int supported_relaxed;  /* RequireSupportedDeviceAssignment == DWORD 0 */
    exhv_polval secure, supported;
} exhv_policy;

/* A policy value as a plan step's old/new value: -1 absent, -2 a value exhv
 * cannot write back (another type, or unreadable), else the DWORD. */
#define EXHV_POLICY_ABSENT (-1)
#define EXHV_POLICY_OTHER (-2)
int64_t exhv_polval_code(const exhv_polval *v);

typedef struct exhv_host {
    char *uri;
    int simulated;
    exhv_sysinfo sys;
    int hyperv;             /* the virtualization namespace answered */
    char *hyperv_error;     /* why not, when it did not */
    exhv_policy policy;
    exhv_device *devices;
    size_t ndevices;
    exhv_gpu *gpus;
    size_t ngpus;
    exhv_vm *vms;
    size_t nvms;
    unsigned long wmi_queries;  /* queries the snapshot cost */
    size_t phantoms;        /* devnodes not present that make no row of their own */
    char **warnings;        /* parts that could not be read, and what that means */
    size_t nwarnings;
    struct exhv_vm_key *vm_by_id;  /* vms sorted by id (exhv_host_index_vms) */
} exhv_host;

typedef struct exhv_vm_key {
    const char *id;         /* points into vms[index] */
    size_t index;
} exhv_vm_key;

void exhv_host_free(exhv_host *h);

/* Each VM's guest driver state from its record (already read into
 * vm->drivers.record) and the host's GPUs: the rules of
 * docs/scenario.md, "guest driver records". Call again after gpus or
 * vms change. */
void exhv_guest_drivers_compute(exhv_host *h);
/* The same for one VM against the host's GPUs. */
void exhv_guest_drivers_of(exhv_vm *vm, const exhv_gpu *gpus, size_t ngpus);
/* Two driver versions the same: four dot-separated numbers compared as
 * numbers ("32.0.15.6094" is "32.00.15.6094"), other text compared
 * without regard to case. */
int exhv_driver_version_eq(const char *a, const char *b);

/* The VM with this ID (case-insensitive), or NULL: a binary search once
 * exhv_host_index_vms has run, a scan otherwise. */
const exhv_vm *exhv_host_vm_by_id(const exhv_host *h, const char *id);

/* A host device that is there but disabled (problem 22). */
int exhv_device_disabled(const exhv_device *d);
/* The device's state in one word for people: "disabled" for a disabled
 * host device, else the DDA state's name. Static text. */
const char *exhv_device_state_word(const exhv_device *d);
/* (Re)build the index exhv_host_vm_by_id searches; call after vms changes
 * order. 0, or -1 out of memory (the look-up then scans). */
int exhv_host_index_vms(exhv_host *h);

/* "PCI\VEN_10DE&DEV_2786&..." -> vendor 0x10DE, device 0x2786 (0 when absent). */
void exhv_pci_ids(const char *instance_id, unsigned *vendor, unsigned *device);
/* The identity a PCI function keeps across dismount and mount: the part of
 * its instance ID from the first '\' on ("\VEN_...\4&..."), the same for
 * its PCI\ and PCIP\ nodes (ExHyperV groups nodes so). NULL when there is
 * no '\'. Points into instance_id. */
const char *exhv_pnp_pure_id(const char *instance_id);
/* The PnP instance path inside an Msvm_PciExpress DeviceID of the form
 * "Microsoft:<id>\<PCIP instance path>" (reference/hyperv-wmi.md, DDA 3),
 * or NULL when the DeviceID has another form. Points into device_id. */
const char *exhv_pciexpress_instance(const char *device_id);
/* A vendor's name for a PCI vendor ID, or NULL. */
const char *exhv_pci_vendor_name(unsigned vendor_id);

#endif
