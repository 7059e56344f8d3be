#include "survey.h"

#include <string.h>

#include "i18n.h"

/* The rules are those of Microsoft's SurveyDDA.ps1 (reference/hyperv-wmi.md,
 * "Assignability survey"), with the PCI property keys of pciprop.h. */

static void reason(exhv_survey *s, exhv_assignability level, const char *text)
{
    if (level > s->verdict)
        s->verdict = level;
    if (s->nreasons < EXHV_SURVEY_MAX_REASONS)
        s->reasons[s->nreasons++] = exhv_tr(text);
}

uint64_t exhv_bytes_to_mb(uint64_t bytes)
{
    return (bytes + (1ull << 20) - 1) >> 20;
}

void exhv_survey_device(const exhv_device *d, exhv_survey *s)
{
    const exhv_pnp_dev *p = &d->pnp;

    memset(s, 0, sizeof(*s));
    s->verdict = EXHV_ASSIGNABLE;
    for (size_t i = 0; i < p->nmem; i++) {
        if (p->mem[i].start + p->mem[i].length <= (1ull << 32))
            s->mmio_low_bytes += p->mem[i].length;
        else
            s->mmio_high_bytes += p->mem[i].length;
    }
    if (d->state == EXHV_DDA_MISSING) {
        reason(s, EXHV_NOT_ASSIGNABLE, "The hardware is gone: only the VM's reference to it "
                                       "can be removed.");
        return;
    }
    if (d->bridge)
        reason(s, EXHV_NOT_ASSIGNABLE, "It is a PCI bridge: bridges stay with the host.");
    if (!p->location_path[0])
        reason(s, EXHV_NOT_ASSIGNABLE, "It has no location path, which DDA needs to name it.");
    if (p->reserved_memory > 0)
        reason(s, EXHV_NOT_ASSIGNABLE,
               "The firmware reserves memory for it (RMRR): it is shared with the firmware "
               "and cannot be given to a VM.");
    switch (p->acs) {
    case 0:
        reason(s, EXHV_NOT_ASSIGNABLE,
               "The PCIe ports above it lack Access Control Services (ACS): it could reach "
               "other devices' memory. A different slot may have ACS.");
        break;
    case -1:
        reason(s, EXHV_ASSIGNABLE_WARN, "Its ACS support up the PCIe hierarchy is unknown.");
        break;
    default:
        break;
    }
    switch (p->device_type) {
    case 2:
        break;
    case 4:
        reason(s, EXHV_ASSIGNABLE_WARN,
               "It is integrated in the root complex: assignable, but less isolated than a "
               "device in a PCIe slot.");
        break;
    case 3:
        if (p->base_class == 3)
            reason(s, EXHV_ASSIGNABLE_WARN,
                   "It is a legacy PCI Express endpoint: only display controllers of this kind "
                   "can be assigned, and this is one.");
        else
            reason(s, EXHV_NOT_ASSIGNABLE,
                   "It is a legacy PCI Express endpoint that is not a display controller.");
        break;
    case 5:
        reason(s, EXHV_NOT_ASSIGNABLE,
               "The firmware kept control of it (it is treated as plain PCI): it cannot be "
               "assigned.");
        break;
    case -1:
        reason(s, EXHV_ASSIGNABLE_WARN, "Its PCI device type is unknown.");
        break;
    default:
        reason(s, EXHV_NOT_ASSIGNABLE, "It is a conventional PCI device or a bridge, not a "
                                       "PCI Express endpoint.");
        break;
    }
    if (p->interrupts > 0 && !(p->interrupts & (EXHV_IRQ_MSI | EXHV_IRQ_MSIX)))
        reason(s, EXHV_NOT_ASSIGNABLE, "It supports only line-based interrupts; DDA needs MSI "
                                       "or MSI-X.");
    else if (p->interrupts < 0)
        reason(s, EXHV_ASSIGNABLE_WARN, "Its interrupt support is unknown.");
    if (p->present && p->nmem == 0 && d->state == EXHV_DDA_HOST)
        reason(s, EXHV_ASSIGNABLE_WARN,
               "Its memory ranges are unknown: the VM's MMIO gaps cannot be sized from them.");
}

const char *exhv_assignability_name(exhv_assignability a)
{
    switch (a) {
    case EXHV_ASSIGNABLE: return "assignable";
    case EXHV_ASSIGNABLE_WARN: return "assignable_with_warnings";
    default: return "not_assignable";
    }
}
