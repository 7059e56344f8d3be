/* The seed's Status page as data: verdicts with what to do, and the
 * WDDM / Windows build table. */
#ifndef EXHV_CHECKS_H
#define EXHV_CHECKS_H

#include <stddef.h>

#include "model.h"

typedef struct exhv_wddm_row {
    unsigned build;
    int major, minor;
    const char *adds;    /* what the build adds for virtualization */
} exhv_wddm_row;

/* The seed's table, oldest first. */
const exhv_wddm_row *exhv_wddm_table(size_t *count);
/* The row in force for a Windows build (the newest row <= build), or NULL
 * below 17134 where GPU-PV does not exist. */
const exhv_wddm_row *exhv_wddm_for_build(unsigned build);
/* The row for a WDDM level, or NULL when the table has none. */
const exhv_wddm_row *exhv_wddm_for_level(int major, int minor);
/* A display driver version starts with its WDDM level: "32.0.15.6094" is
 * WDDM 3.2, 20..23 are WDDM 2.0..2.3, 7..10 are WDDM 1.0..1.3 (Microsoft,
 * "Version numbers for display drivers"). Returns 0 and sets major/minor,
 * or -1 when it cannot tell. */
int exhv_wddm_from_driver_version(const char *version, int *major, int *minor);
/* What a guest of this build can do with a GPU partition (the seed's "VM"
 * list). Static text. */
const char *exhv_guest_gpu_support(unsigned build);

/* Builds that matter to exhv, per feature (reference/hyperv-wmi.md; README,
 * "Windows versions", gives the sources).
 * DDA: Microsoft documents Discrete Device Assignment from Windows Server 2016
 * (build 14393; "Plan for deploying devices by using Discrete Device
 * Assignment", learn.microsoft.com/windows-server/virtualization/hyper-v/
 * plan/plan-for-deploying-devices-using-discrete-device-assignment), on
 * server editions; client editions may refuse to start such a VM.
 * GPU-PV: from build 19041 (Windows 10 2004), the first build whose guests
 * see the GPU's model (WDDM 2.7, the seed's table) and the floor Easy-GPU-P
 * and ExHyperV's users rely on; 17134..18362 have a partition API but exhv
 * refuses them.
 * Choosing the GPU: Msvm_GpuPartitionSettingData.HostResource (what
 * Add-VMGpuPartitionAdapter -InstancePath sets) is honoured from build
 * 22000 (Windows 11, Windows Server 2025 at 26100). Windows Server 2022 and
 * Azure Stack HCI 21H2 (20348) and HCI 22H2 (20349) are below it: Microsoft
 * documents GPU partitioning on Azure Stack HCI 22H2 and Windows Server
 * 2025 only, for a list of data-center GPUs, not on Windows Server 2022;
 * exhv treats 20348/20349 like other builds below 22000 (Hyper-V picks
 * the GPU). */
#define EXHV_BUILD_DDA_MIN 14393u       /* Windows Server 2016 */
#define EXHV_BUILD_GPUPV_MIN 19041u     /* Windows 10 2004 */
#define EXHV_BUILD_GPUPV_CHOOSE 22000u  /* HostResource honoured: -InstancePath */
#define EXHV_BUILD_SERVER_2022 20348u   /* also Azure Stack HCI 21H2; HCI 22H2 is 20349 */

typedef struct exhv_check {
    char id[40];          /* "dda_build", "gpu0_wddm" ... stable */
    exhv_verdict verdict;
    char *message;        /* what was found and what to do */
} exhv_check;

typedef struct exhv_checks {
    exhv_check *items;
    size_t count;
    size_t cap;
} exhv_checks;

/* Evaluate every check on a snapshot. 0, or -1 on allocation failure. */
int exhv_checks_run(const exhv_host *h, exhv_checks *out);
void exhv_checks_release(exhv_checks *c);
/* The worst verdict of all. */
exhv_verdict exhv_checks_worst(const exhv_checks *c);

#endif
