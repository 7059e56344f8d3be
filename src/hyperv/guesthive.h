/* The value edits a driver import makes in a guest's offline SYSTEM hive
 * (reference/driver-import.md §1.6 and §4), over the hostreg port on a hive
 * loaded with the hive port as HKLM\<name>: computed without writing,
 * applied in order with undo on failure, undone on request, and rendered as
 * PowerShell a person could run instead.
 *
 * - NVIDIA: the kernel driver's service key (Services\nvlddmkm) with the
 *   host's Type, Start, ErrorControl and Group, each with its type, and
 *   ImagePath (REG_EXPAND_SZ) =
 *   \SystemRoot\System32\HostDriverStore\FileRepository\<package>\<file>.sys.
 * - Intel: the runtime values of the adapter's class key, DriverStore paths
 *   rewritten to HostDriverStore, into the same class key number in the
 *   guest, plus LevelZeroDriverPath on the guest's Hyper-V Video class key.
 * - Other vendors: nothing.
 *
 * Each edit goes into every control set the hive's Select names (Current,
 * Default, Failed, LastKnownGood; each distinct set once). No Select, no
 * Current, a Select value that is not a DWORD or names a set the hive lacks:
 * refused before anything is written. */
#ifndef EXHV_GUESTHIVE_H
#define EXHV_GUESTHIVE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "hyperv/ports.h"
#include "hyperv/resolve.h"

typedef enum exhv_hive_state {
    EXHV_HIVE_PLANNED,      /* not written */
    EXHV_HIVE_APPLIED,      /* written (or its write was attempted) */
    EXHV_HIVE_UNDONE,       /* put back as it was */
    EXHV_HIVE_UNDO_FAILED,  /* could not be put back: see exhv_guesthive_undo */
} exhv_hive_state;

typedef struct exhv_hive_edit {
    char *key;          /* full key: HKLM\<name>\ControlSet001\Services\nvlddmkm */
    char *value;        /* value name */
    exhv_regval val;    /* the value to write, typed */
    int had_old;        /* the value existed before */
    exhv_regval old;    /* its previous value (for undo) */
    int created_depth;  /* how many trailing components of key did not exist
                         * before (set on the first edit of such a key only);
                         * undo removes them, deepest first, when empty */
    exhv_hive_state state;
} exhv_hive_edit;

/* Read Select, the host's values and the guest's current ones; fill the
 * edit list (no writes). hive_root: "HKLM\\<name>". An empty list (n = 0)
 * when the vendor needs no registry edit. */
int exhv_guesthive_plan(exhv_conn *c, const char *hive_root, const exhv_drv_need *need,
                        exhv_hive_edit **out, size_t *n, exhv_error *err);
/* Apply in order. On a failure, undo what was applied (the failing edit
 * included) and return -1; err then says what failed and, if the undo was
 * not complete, exactly which edits remain (their state is
 * EXHV_HIVE_UNDO_FAILED). */
int exhv_guesthive_apply(exhv_conn *c, exhv_hive_edit *e, size_t n, exhv_error *err);
/* Undo every applied edit, last first: restore old values, delete created
 * values, remove created keys. Best effort: goes on after a failure, and
 * returns -1 with err naming each edit that could not be undone. */
int exhv_guesthive_undo(exhv_conn *c, exhv_hive_edit *e, size_t n, exhv_error *err);
void exhv_guesthive_release(exhv_hive_edit *e, size_t n);
/* PowerShell (New-Item / New-ItemProperty against the loaded hive) for the
 * same edits, appended to out. */
int exhv_guesthive_script(const exhv_hive_edit *e, size_t n, exhv_buf *out);

#endif
