/* The driver copy engine: puts a GPU's host driver packages into a guest's
 * Windows folder, incrementally and reversibly (reference/driver-import.md).
 *
 * Layout in the guest's Windows folder W:
 *   W/System32/HostDriverStore/FileRepository/<package>/...  each package
 *       folder under its exact host name (the host driver reports paths
 *       with that name; the guest translates them to HostDriverStore);
 *   W/System32/<name>, W/SysWOW64/<name>  the CopyToVm* files, as copies;
 *   W/System32/HostDriverStore/exhv-manifest.json  what exhv put where,
 *       from which host driver version, and which guest files it set aside;
 *   W/System32/HostDriverStore/exhv-backup/<System32|SysWOW64>/<name>  a
 *       real guest file that a CopyToVm* file replaced, restored on purge.
 * Everything under HostDriverStore is left read-only (cleared first when
 * updating). Nothing outside W is written: names that would leave it are
 * refused before anything changes, and links are never followed. */
#ifndef EXHV_DRVCOPY_H
#define EXHV_DRVCOPY_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef struct exhv_drv_pkg {
    const char *name;       /* the package folder's exact host name */
    const char *host_dir;   /* where it is on the host */
} exhv_drv_pkg;

/* A file for System32 (or SysWOW64) taken from a package. */
typedef struct exhv_drv_file {
    const char *pkg;        /* one of the packages' names */
    const char *src;        /* relative to the package folder */
    const char *dst;        /* a bare file name */
    int wow64;
    int when_newer;         /* CopyToVmWhenNewer: a newer guest file is kept */
} exhv_drv_file;

typedef struct exhv_drv_progress {
    uint64_t files_done, files_total;
    uint64_t bytes_done, bytes_total;
    const char *path;       /* the file being copied, relative to W */
} exhv_drv_progress;

/* Called after each file copied; a nonzero return stops the copy (what was
 * copied stays listed in the manifest, so a purge or the next run finds it). */
typedef int (*exhv_drv_progress_fn)(void *user, const exhv_drv_progress *p);

/* An undo log (see exhv_drv_undo_begin). */
typedef struct exhv_drv_undo exhv_drv_undo;

typedef struct exhv_drv_request {
    const char *windows_dir;        /* the guest's Windows folder */
    const exhv_drv_pkg *pkgs;
    size_t npkgs;
    const exhv_drv_file *files;
    size_t nfiles;
    const char *driver_version;     /* recorded in the manifest */
    const char *gpu;                /* recorded in the manifest */
    exhv_drv_progress_fn progress;  /* may be NULL */
    void *user;
    int dry_run;                    /* count what would change, change nothing */
    exhv_drv_undo *undo;            /* NULL, or log every change there (see below) */
} exhv_drv_request;

typedef struct exhv_drv_stats {
    uint64_t files_copied, bytes_copied;   /* written (dry run: would be) */
    uint64_t files_same;                   /* already up to date */
    uint64_t files_removed;                /* gone from a package, or no longer listed */
    uint64_t pkgs_pruned;                  /* older packages exhv had put there */
    uint64_t files_set_aside, files_restored;
    uint64_t pkg_files, pkg_bytes;         /* the packages' whole size */
} exhv_drv_stats;

/* Bring W to the request: copy what differs (size or time), remove what the
 * packages no longer hold, prune packages exhv put there before that are
 * not requested now, set aside a real guest file before a CopyToVm* file
 * replaces it, write the manifest. 0, or -1 (err; what changed before the
 * failure is in the manifest). */
int exhv_drv_import(const exhv_drv_request *r, exhv_drv_stats *st, exhv_error *err);

/* Remove everything the manifest lists and put back what it set aside;
 * then the manifest itself and the folders exhv made, when empty. A guest
 * without a manifest is left as it is (0). */
int exhv_drv_purge(const char *windows_dir, exhv_drv_stats *st, exhv_error *err);
/* The same, logging every change in u (may be NULL). */
int exhv_drv_purge_undoable(const char *windows_dir, exhv_drv_undo *u, exhv_drv_stats *st,
                            exhv_error *err);

/* Undo logs. An import or a purge given a log destroys nothing it finds in
 * W: what it replaces or removes is moved aside (renamed, on the same
 * volume) into W/System32/exhv-undo, and every change is logged, so that
 * exhv_drv_undo_rollback puts W back exactly as it was (contents, names,
 * read-only flags) and exhv_drv_undo_commit drops what was moved aside.
 * begin refuses when exhv-undo exists (an earlier run stopped by force
 * left it, and exhv cannot tell whether it is still needed). Several calls
 * may share one log. rollback stops at an undo that fails (err) and can be
 * called again for the rest; both remove exhv-undo once done. The log
 * lives in memory: a process killed between begin and commit leaves
 * exhv-undo for a person to look at. */
int exhv_drv_undo_begin(const char *windows_dir, exhv_drv_undo **out, exhv_error *err);
int exhv_drv_undo_rollback(exhv_drv_undo *u, exhv_error *err);
int exhv_drv_undo_commit(exhv_drv_undo *u, exhv_error *err);
/* Changes logged and not yet undone or committed. */
size_t exhv_drv_undo_pending(const exhv_drv_undo *u);
void exhv_drv_undo_free(exhv_drv_undo *u);

/* The manifest's driver version and GPU, or -2 when there is none. *version
 * and *gpu are new strings (either may be NULL). */
int exhv_drv_manifest_read(const char *windows_dir, char **version, char **gpu, exhv_error *err);

#endif
