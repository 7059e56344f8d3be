/* exhv diag: what exhv reads on a host, written as a scenario
 * (docs/scenario.md) that test:///FILE replays. Read-only. */
#ifndef EXHV_DIAG_H
#define EXHV_DIAG_H

#include "core/buf.h"
#include "hyperv/ports.h"

typedef struct exhv_diag_info {
    int hyperv;              /* ROOT\virtualization\v2 answered */
    char hyperv_why[512];    /* why not, when it did not */
    size_t nodes, objects, values;   /* devnodes, WMI objects, registry values recorded */
    size_t missing_defaults; /* default settings Hyper-V did not name */
} exhv_diag_info;

/* Record the host behind c into out as scenario JSON: the system facts,
 * every PCI and PCIP devnode (phantoms too) with the properties exhv reads,
 * the registry values it reads (DDA policy, each GPU's class key), and every
 * object of the WMI classes it queries with all their properties, the
 * default settings of PCI Express and GPU partition resources among them.
 * With anonymize, the computer name, the VM names and the serial-like last
 * part of each instance ID are replaced consistently. Changes nothing. */
int exhv_diag_collect(exhv_conn *c, int anonymize, exhv_buf *out, exhv_diag_info *info,
                      exhv_error *err);

#endif
