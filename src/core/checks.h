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
 * WDDM 3.2. Returns 0 and sets major/minor, or -1 when it cannot tell. */
int exhv_wddm_from_driver_version(const char *version, int *major, int *minor);
/* What a guest of this build can do with a GPU partition (the seed's "VM"
 * list). Static text. */
const char *exhv_guest_gpu_support(unsigned build);

/* Builds that matter to exhv (reference/hyperv-wmi.md). */
#define EXHV_BUILD_GPUPV_CHOOSE 22000u  /* Add-VMGpuPartitionAdapter -InstancePath */
#define EXHV_BUILD_MIN 19041u           /* below: exhv does not support the host */
#define EXHV_BUILD_GPUPV_MIN 17134u

typedef struct exhv_check {
    char id[40];          /* "host_build", "gpu0_wddm" ... stable */
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
