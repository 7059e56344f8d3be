/* A simulated host for driver import tests: the built-in host with a driver
 * store and the disk of VM win11-gaming as folders beside a scenario file
 * in a fresh temporary folder. The RTX 4070's driver (oem8.inf) is an
 * NVIDIA-like package with a kernel service, CopyToVm* files for System32
 * and SysWOW64, and extras; an unrelated package sits beside it. The guest
 * has a SYSTEM hive whose Select names ControlSet001 and ControlSet002, and
 * a real nvapi64.dll of its own. */
#ifndef EXHV_T_IMPORT_H
#define EXHV_T_IMPORT_H

#include "core/buf.h"

typedef struct t_import {
    char dir[512];
    char host[640];     /* the scenario file */
    char uri[700];      /* test:///<host> */
    char windows[640];  /* the guest's Windows folder */
} t_import;

/* Build it afresh (whatever was there is removed). 0 or -1. */
int t_import_build(t_import *t);
/* The host driver is updated: 32.0.15.6603 in a new package, the old
 * package gone from the store (the guest keeps what it has). 0 or -1. */
int t_import_update_host(t_import *t);
/* The whole guest disk tree as text: names, kinds, contents and read-only
 * flags, and with with_times the files' modification times. */
void t_import_guest(const t_import *t, int with_times, exhv_buf *out);
void t_import_remove(t_import *t);
/* Run an import of the RTX 4070's driver into win11-gaming (or, with
 * purge, a purge) to its end, as `exhv gpu drivers` would. 0 or -1. */
int t_import_run(t_import *t, int purge);

#define T_IMPORT_VM "win11-gaming"
#define T_IMPORT_VHD "C:\\Hyper-V\\win11-gaming\\win11-gaming.vhdx"

#endif
