#include "checks.h"

#include <stdarg.h>

#include "core/compiler.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"

/* The seed's table (seed/ExHyperV-README.md, "GPU-PV"), exactly. */
static const exhv_wddm_row wddm_rows[] = {
    {17134, 2, 4, EXHV_N("Introduced IOMMU-based GPU isolation.")},
    {17763, 2, 5, EXHV_N("Enhanced virtualization support, improving resource handle management "
                  "and event signaling between host and guest.")},
    {18362, 2, 6, EXHV_N("Improved VRAM management. VM VRAM is prioritized in continuous physical "
                  "GPU memory, ensuring memory residency status.")},
    {19041, 2, 7, EXHV_N("VMs can correctly identify physical GPU models and replace Microsoft "
                  "Virtual Renderer Driver.")},
    {20348, 2, 9, EXHV_N("Added Cross-Adapter Resource Scan Output (CASO), allowing direct rendering "
                  "to the display adapter, reducing latency and bandwidth requirements.")},
    {22000, 3, 0, EXHV_N("DMA remapping breaks GPU address limits, allowing GPUs to access more "
                  "memory beyond hardware limits. Improved UMD and KMD event signaling for "
                  "better debugging.")},
    {22621, 3, 1, EXHV_N("UMD and KMD share the same memory area, reducing memory copying and "
                  "transmission, optimizing memory utilization, and increasing data access "
                  "speed.")},
    {26100, 3, 2, EXHV_N("Added live migration functionality. Enhanced graphics driver timeout "
                  "detection and recovery analysis. Introduced WDDM feature query mechanism.")},
};

const exhv_wddm_row *exhv_wddm_table(size_t *count)
{
    *count = sizeof(wddm_rows) / sizeof(wddm_rows[0]);
    return wddm_rows;
}

const exhv_wddm_row *exhv_wddm_for_build(unsigned build)
{
    const exhv_wddm_row *best = NULL;
    for (size_t i = 0; i < sizeof(wddm_rows) / sizeof(wddm_rows[0]); i++)
        if (wddm_rows[i].build <= build)
            best = &wddm_rows[i];
    return best;
}

const exhv_wddm_row *exhv_wddm_for_level(int major, int minor)
{
    for (size_t i = 0; i < sizeof(wddm_rows) / sizeof(wddm_rows[0]); i++)
        if (wddm_rows[i].major == major && wddm_rows[i].minor == minor)
            return &wddm_rows[i];
    return NULL;
}

int exhv_wddm_from_driver_version(const char *version, int *major, int *minor)
{
    int first = 0, digits = 0;

    if (!version)
        return -1;
    while (version[digits] >= '0' && version[digits] <= '9' && digits < 3)
        first = first * 10 + (version[digits++] - '0');
    if (digits < 1 || digits > 2 || version[digits] != '.')
        return -1;
    /* The first field is the WDDM level: 7..10 for WDDM 1.0..1.3, then
     * "level times ten" from 20 (WDDM 2.0) on. 11..19 are not used. */
    if (first >= 7 && first <= 10) {
        *major = 1;
        *minor = first - 7;
        return 0;
    }
    if (first < 20 || first > 39)
        return -1;
    *major = first / 10;
    *minor = first % 10;
    return 0;
}

const char *exhv_guest_gpu_support(unsigned build)
{
    if (build < 17134)
        return exhv_tr("Windows builds below 17134 have no GPU paravirtualization.");
    if (build < 19041)
        return exhv_tr("Builds 17134 to 19040 (WDDM 2.4-2.6) can use the GPU but do not show "
                       "its model.");
    return exhv_tr("Build 19041 (WDDM 2.7) and later use every GPU-PV feature.");
}

static int add(exhv_checks *c, const char *id, exhv_verdict v, const char *fmt, ...)
    EXHV_PRINTF(4, 5)
    ;

static int add(exhv_checks *c, const char *id, exhv_verdict v, const char *fmt, ...)
{
    exhv_buf b = EXHV_BUF_INIT;
    va_list ap;
    exhv_check *k;

    if (exhv_grow((void **)&c->items, &c->cap, c->count + 1, sizeof(*c->items)) < 0)
        return -1;
    va_start(ap, fmt);
    exhv_buf_vprintf(&b, exhv_tr(fmt), ap);
    va_end(ap);
    k = &c->items[c->count];
    memset(k, 0, sizeof(*k));
    snprintf(k->id, sizeof(k->id), "%s", id);
    k->verdict = v;
    if (!(k->message = exhv_buf_detach(&b)))
        return -1;
    c->count++;
    return 0;
}

int exhv_checks_run(const exhv_host *h, exhv_checks *out)
{
    exhv_checks c = {0};
    const exhv_sysinfo *s = &h->sys;
    const exhv_wddm_row *row = exhv_wddm_for_build(s->build);
    int rc = 0, any_partitionable = 0;

    /* Host build, per feature (checks.h says where each floor comes from). */
    if (s->build >= EXHV_BUILD_DDA_MIN)
        rc |= add(&c, "dda_build", EXHV_PASS, "Build %u: DDA is available (from Windows Server "
                  "2016, build 14393).", s->build);
    else
        rc |= add(&c, "dda_build", EXHV_FAIL, "Build %u is too old for DDA: it needs Windows "
                  "Server 2016 (build 14393) or later; update Windows.", s->build);
    if (s->build >= EXHV_BUILD_GPUPV_CHOOSE)
        rc |= add(&c, "gpu_pv_build", EXHV_PASS,
                  "Build %u: GPU-PV is available, and exhv can choose which GPU a VM gets.",
                  s->build);
    else if (s->build >= EXHV_BUILD_GPUPV_MIN)
        rc |= add(&c, "gpu_pv_build", EXHV_WARN,
                  "Build %u: GPU-PV is available, but Hyper-V picks the GPU a partition uses; "
                  "choosing it needs build 22000 or later (Windows 11, or Windows Server "
                  "2025).%s", s->build,
                  s->server && s->build >= EXHV_BUILD_SERVER_2022
                      ? exhv_tr(" Microsoft documents GPU partitioning on Azure Stack HCI 22H2 "
                                "and Windows Server 2025, not on Windows Server 2022.")
                      : "");
    else
        rc |= add(&c, "gpu_pv_build", EXHV_WARN,
                  "Build %u has no GPU-PV that exhv supports: it needs build 19041 (Windows 10 "
                  "2004) or later, where a VM sees its GPU's model. DDA works.", s->build);

    /* WDDM level of the host build (the seed's table). */
    if (row)
        rc |= add(&c, "host_wddm", EXHV_PASS, "Build %u is WDDM %d.%d (from build %u): %s",
                  s->build, row->major, row->minor, row->build, exhv_tr(row->adds));
    else
        rc |= add(&c, "host_wddm", EXHV_WARN,
                  "Build %u predates WDDM 2.4 (build 17134): this Windows has no GPU "
                  "paravirtualization (DDA does not need it).", s->build);

    /* CPU virtualization. VirtualizationFirmwareEnabled reads false while the
     * hypervisor runs, so a running hypervisor counts as enabled. */
    if (s->hypervisor_present || s->virt_firmware == 1)
        rc |= add(&c, "cpu_virtualization", EXHV_PASS,
                  s->hypervisor_present ? "A hypervisor is running: CPU virtualization is on."
                                        : "CPU virtualization is enabled in firmware.");
    else
        rc |= add(&c, "cpu_virtualization", EXHV_FAIL,
                  "CPU virtualization is off: enable Intel VT-x / AMD-V (SVM) and VT-d / "
                  "AMD-Vi (IOMMU) in the firmware setup, then restart.");

    /* Hyper-V. */
    if (h->hyperv)
        rc |= add(&c, "hyperv", EXHV_PASS, "Hyper-V is installed and its management service "
                                          "answers.");
    else
        rc |= add(&c, "hyperv", EXHV_FAIL,
                  "Hyper-V is not available%s%s. Turn on the Hyper-V feature (Windows "
                  "Features, or Enable-WindowsOptionalFeature -Online -FeatureName "
                  "Microsoft-Hyper-V -All) and restart.",
                  h->hyperv_error ? ": " : "", h->hyperv_error ? h->hyperv_error : "");

    /* Administrator. */
    if (s->elevated)
        rc |= add(&c, "administrator", EXHV_PASS, "Running as administrator.");
    else
        rc |= add(&c, "administrator", EXHV_FAIL,
                  "Not running as administrator: changes to devices and VMs need an "
                  "elevated prompt (right-click, Run as administrator).");

    /* SKU. */
    if (s->server)
        rc |= add(&c, "sku", EXHV_PASS, "Server edition: DDA is supported.");
    else
        rc |= add(&c, "sku", EXHV_WARN,
                  "Client edition: DDA is supported by Microsoft only on Windows Server; on "
                  "this edition a VM with an assigned device may fail to start "
                  "(ERROR_HV_FEATURE_UNAVAILABLE, 0xC035001E). GPU-PV works.");

    /* DDA policy (the seed's "Disable security policy"). */
    if (h->policy.secure_relaxed == 1 && h->policy.supported_relaxed == 1)
        rc |= add(&c, "dda_policy", EXHV_WARN,
                  "The DDA security policy is relaxed (RequireSecureDeviceAssignment and "
                  "RequireSupportedDeviceAssignment are 0): devices without a "
                  "virtualization-aware driver can be assigned. `exhv policy on` restores "
                  "the default.");
    else if (h->policy.secure_relaxed == 1 || h->policy.supported_relaxed == 1)
        rc |= add(&c, "dda_policy", EXHV_WARN,
                  "The DDA security policy is partly relaxed (only %s is 0). `exhv policy "
                  "off` relaxes both, `exhv policy on` restores the default.",
                  h->policy.secure_relaxed == 1 ? "RequireSecureDeviceAssignment"
                                                : "RequireSupportedDeviceAssignment");
    else
        rc |= add(&c, "dda_policy", s->server ? EXHV_WARN : EXHV_PASS,
                  s->server ? "The DDA security policy is the default: this server refuses "
                              "devices whose driver does not declare virtualization support. "
                              "`exhv policy off` relaxes it."
                            : "The DDA security policy is the default.");

    /* GPUs: partitionable, and the WDDM level of each driver. */
    for (size_t i = 0; i < h->ngpus; i++) {
        const exhv_gpu *g = &h->gpus[i];
        char id[40];
        const exhv_wddm_row *gr = g->wddm_major ? exhv_wddm_for_level(g->wddm_major, g->wddm_minor)
                                                : NULL;
        any_partitionable |= g->partitionable;
        snprintf(id, sizeof(id), "gpu%u_wddm", g->index);
        if (!g->wddm_major)
            rc |= add(&c, id, EXHV_WARN,
                      "GPU %u (%s): the driver version %s does not tell its WDDM level; "
                      "GPU-PV needs a WDDM 2.4 or later driver.", g->index, g->name,
                      g->driver_version ? g->driver_version : exhv_tr("(none)"));
        else if (g->wddm_major * 10 + g->wddm_minor < 24)
            rc |= add(&c, id, EXHV_FAIL, "GPU %u (%s): WDDM %d.%d driver (%s); GPU-PV needs "
                      "WDDM 2.4 or later: update the driver.", g->index, g->name, g->wddm_major,
                      g->wddm_minor, g->driver_version);
        else if (row && g->wddm_major * 10 + g->wddm_minor > row->major * 10 + row->minor)
            rc |= add(&c, id, EXHV_PASS, "GPU %u (%s): WDDM %d.%d driver (%s), newer than this "
                      "host's build (WDDM %d.%d): what the later levels add is not available "
                      "on this host.", g->index, g->name, g->wddm_major, g->wddm_minor,
                      g->driver_version, row->major, row->minor);
        else
            rc |= add(&c, id, EXHV_PASS, "GPU %u (%s): WDDM %d.%d driver (%s)%s%s", g->index,
                      g->name, g->wddm_major, g->wddm_minor, g->driver_version,
                      gr ? ": " : ".", gr ? exhv_tr(gr->adds) : "");
    }
    if (h->hyperv) {
        if (any_partitionable && s->build < EXHV_BUILD_GPUPV_MIN)
            rc |= add(&c, "gpu_pv", EXHV_WARN, "Hyper-V reports a GPU it can partition, but "
                      "exhv does GPU-PV from build 19041 on (see above).");
        else if (any_partitionable)
            rc |= add(&c, "gpu_pv", EXHV_PASS, "At least one GPU can be partitioned (GPU-PV).");
        else
            rc |= add(&c, "gpu_pv", EXHV_WARN,
                      "No GPU can be partitioned: GPU-PV needs a GPU whose driver supports "
                      "partitioning (a WDDM 2.4+ driver from NVIDIA, AMD or Intel).");
    }

    for (size_t i = 0; i < h->ndevices; i++) {
        const exhv_device *d = &h->devices[i];
        char id[40];
        if (!exhv_device_disabled(d) || d->bridge)
            continue;
        snprintf(id, sizeof(id), "disabled_%zu", i);
        rc |= add(&c, id, EXHV_WARN, "%s is disabled on the host (problem 22): `exhv assign %s "
                  "--to host` enables it.", d->pnp.name,
                  d->pnp.location_path[0] ? d->pnp.location_path : d->pnp.instance_id);
    }

    if (rc) {
        exhv_checks_release(&c);
        return -1;
    }
    *out = c;
    return 0;
}

void exhv_checks_release(exhv_checks *c)
{
    for (size_t i = 0; i < c->count; i++)
        free(c->items[i].message);
    free(c->items);
    memset(c, 0, sizeof(*c));
}

exhv_verdict exhv_checks_worst(const exhv_checks *c)
{
    exhv_verdict w = EXHV_PASS;
    for (size_t i = 0; i < c->count; i++)
        if (c->items[i].verdict > w)
            w = c->items[i].verdict;
    return w;
}
