/* Which of the host's driver packages and files a GPU's guest needs
 * (reference/driver-import.md, "Package resolution"): portable logic over
 * the hostreg and drivers ports and the host's files. */
#ifndef EXHV_RESOLVE_H
#define EXHV_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "hyperv/ports.h"
#include "platform/drvcopy.h"

typedef struct exhv_drv_need {
    char *vendor;              /* "nvidia", "amd", "intel" or "other" */
    char *class_key;           /* HKLM\...\Class\{4d36e968-...}\NNNN */
    char *inf_path;            /* the published INF (InfPath) */
    char *driver_version;      /* the primary INF's DriverVer version */
    char *driver_date;
    char *service;             /* the kernel driver's service (NVIDIA: nvlddmkm) */
    exhv_drv_pkg *pkgs;        /* [0] the primary package, then companions */
    size_t npkgs;
    exhv_drv_file *files;      /* System32 / SysWOW64 */
    size_t nfiles;
    char **warnings;           /* what was left out, and why */
    size_t nwarnings;
    uint64_t pkg_files, pkg_bytes;   /* the packages' whole size */
} exhv_drv_need;

/* Resolve for the display adapter whose class key is driver_key
 * ("{4d36e968-...}\\0001", the devnode's Driver value): InfPath ->
 * drv_inf_location -> the primary package folder (whose parent must be
 * FileRepository); the companions its install section names with CopyINF
 * whose DriverVer equals the primary's (exactly one folder each, else a
 * warning); the CopyToVm* values of the class key (a value leaving the
 * package or naming more than a file name is refused: -1); the vendor's
 * extra files when the package has them. vendor_hint: the GPU's vendor name
 * from the snapshot, or NULL. */
int exhv_drv_resolve(exhv_conn *c, const char *driver_key, const char *vendor_hint,
                     exhv_drv_need *out, exhv_error *err);
void exhv_drv_need_release(exhv_drv_need *n);

#endif
