/* exhv devices: the seed's DDA page. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/text.h"

/* Host rows come from present devnodes only (the snapshot leaves phantoms
 * out), so what a plain listing hides is the bridges. */
static int listed(const exhv_device *d, int all)
{
    return all || (!d->bridge && (d->pnp.present || d->state != EXHV_DDA_HOST));
}

static const char *interrupt_name(int bit)
{
    return bit == EXHV_IRQ_LINE ? "line" : bit == EXHV_IRQ_MSI ? "msi" : "msix";
}

static void render_json(exhv_buf *b, const exhv_host *h, int all)
{
    exhv_jw w;
    char hex[8];

    exhv_jw_init(&w, b, 1);
    json_header(&w, h);
    /* Without Hyper-V, which devices VMs hold cannot be read: say so. */
    exhv_jw_kbool(&w, "hyperv", h->hyperv);
    exhv_jw_key(&w, "devices");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < h->ndevices; i++) {
        const exhv_device *d = &h->devices[i];
        const exhv_pnp_dev *p = &d->pnp;
        uint64_t mmio = 0;
        if (!listed(d, all))
            continue;
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "instance_id", p->instance_id);
        exhv_jw_kstr(&w, "location_path", p->location_path);
        exhv_jw_kstr(&w, "name", p->name);
        exhv_jw_kstr(&w, "class", p->cls);
        exhv_jw_kstr(&w, "service", p->service);
        snprintf(hex, sizeof(hex), "%04x", d->vendor_id);
        exhv_jw_kstr(&w, "vendor_id", d->vendor_id ? hex : NULL);
        snprintf(hex, sizeof(hex), "%04x", d->device_id);
        exhv_jw_kstr(&w, "device_id", d->device_id ? hex : NULL);
        exhv_jw_kbool(&w, "present", p->present);
        exhv_jw_kuint(&w, "problem", p->problem);
        exhv_jw_kbool(&w, "disabled", exhv_device_disabled(d));
        exhv_jw_kbool(&w, "bridge", d->bridge);
        exhv_jw_kstr(&w, "state", exhv_enum_name(EXHV_ENUM_DDA_STATE, (int)d->state));
        exhv_jw_kstr(&w, "vm", d->vm_name);
        exhv_jw_kstr(&w, "vm_id", d->vm_id);
        exhv_jw_key(&w, "pci");
        exhv_jw_obj_begin(&w);
#define KINT_OR_NULL(k, v)          \
    do {                            \
        exhv_jw_key(&w, k);         \
        if ((v) < 0)                \
            exhv_jw_null(&w);       \
        else                        \
            exhv_jw_int(&w, (v));   \
    } while (0)
        KINT_OR_NULL("device_type", p->device_type);
        KINT_OR_NULL("acs", p->acs);
        KINT_OR_NULL("base_class", p->base_class);
        exhv_jw_key(&w, "reserved_memory");
        if (p->reserved_memory < 0)
            exhv_jw_null(&w);
        else
            exhv_jw_bool(&w, p->reserved_memory);
        exhv_jw_key(&w, "interrupts");
        if (p->interrupts < 0) {
            exhv_jw_null(&w);
        } else {
            exhv_jw_arr_begin(&w);
            for (int bit = 1; bit <= EXHV_IRQ_MSIX; bit <<= 1)
                if (p->interrupts & bit)
                    exhv_jw_str(&w, interrupt_name(bit));
            exhv_jw_arr_end(&w);
        }
        exhv_jw_key(&w, "memory_ranges");
        exhv_jw_arr_begin(&w);
        for (size_t k = 0; k < p->nmem; k++) {
            exhv_jw_obj_begin(&w);
            exhv_jw_kuint(&w, "start", p->mem[k].start);
            exhv_jw_kuint(&w, "length", p->mem[k].length);
            exhv_jw_obj_end(&w);
            mmio += p->mem[k].length;
        }
        exhv_jw_arr_end(&w);
        exhv_jw_kuint(&w, "mmio_bytes", mmio);
#undef KINT_OR_NULL
        exhv_jw_obj_end(&w);
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
}

static void render_text(exhv_buf *b, const exhv_host *h, int all)
{
    size_t shown = 0, hidden = 0, stuck = 0, missing = 0, disabled = 0;

    /* CLASS fits the longest setup class names (SCSIAdapter, SoftwareDevice
     * is cut). */
    exhv_buf_puts(b, "STATE       VM               CLASS        NAME\n"
                     "            LOCATION PATH\n");
    for (size_t i = 0; i < h->ndevices; i++) {
        const exhv_device *d = &h->devices[i];
        if (!listed(d, all)) {
            hidden++;
            continue;
        }
        shown++;
        stuck += d->state == EXHV_DDA_DISMOUNTED;
        missing += d->state == EXHV_DDA_MISSING;
        disabled += exhv_device_disabled(d);
        exhv_text_cell(b, exhv_device_state_word(d), 11, 12);
        exhv_text_cell(b, !d->vm_name ? "-" : *d->vm_name ? d->vm_name : "(no name)", 16, 17);
        exhv_text_cell(b, d->pnp.cls[0] ? d->pnp.cls : "-", 12, 13);
        exhv_text_cell(b, d->pnp.name[0] ? d->pnp.name : "(no name)", 37, 0);
        if (all && (d->bridge || !d->pnp.present))
            exhv_buf_puts(b, d->bridge ? " [bridge]" : " [not present]");
        else if (d->state == EXHV_DDA_HOST && d->pnp.present && d->pnp.problem &&
                 !exhv_device_disabled(d))
            exhv_buf_printf(b, " [problem %lu]", d->pnp.problem);
        exhv_buf_puts(b, "\n            ");
        exhv_text_cell(b, d->pnp.location_path[0] ? d->pnp.location_path : "(unknown)", 67, 0);
        exhv_buf_putc(b, '\n');
    }
    exhv_buf_printf(b, "\n%zu device%s", shown, shown == 1 ? "" : "s");
    if (hidden)
        exhv_buf_printf(b, " (%zu PCI bridge%s hidden; --all shows %s)", hidden,
                        hidden == 1 ? "" : "s", hidden == 1 ? "it" : "them");
    exhv_buf_puts(b, ".\n");
    if (stuck) {
        char line[256];
        snprintf(line, sizeof(line), "%zu device%s dismounted and held by no VM: the host cannot "
                 "use %s until %s assigned to a VM or mounted back.", stuck,
                 stuck == 1 ? " is" : "s are", stuck == 1 ? "it" : "them",
                 stuck == 1 ? "it is" : "they are");
        fmt_wrap(b, line, 0, 0, 79);
        exhv_buf_putc(b, '\n');
    }
    if (disabled) {
        char line[256];
        snprintf(line, sizeof(line), "%zu device%s disabled on the host: `exhv assign DEVICE "
                 "--to host` enables %s.", disabled, disabled == 1 ? " is" : "s are",
                 disabled == 1 ? "it" : "one");
        fmt_wrap(b, line, 0, 0, 79);
        exhv_buf_putc(b, '\n');
    }
    if (missing) {
        char line[256];
        snprintf(line, sizeof(line), "%zu VM device reference%s hardware that is gone: the VM "
                 "may not start until the reference is removed.", missing,
                 missing == 1 ? " names" : "s name");
        fmt_wrap(b, line, 0, 0, 79);
        exhv_buf_putc(b, '\n');
    }
    if (!h->hyperv) {
        fmt_wrap(b, "Hyper-V is not available (`exhv status` says why): which devices VMs "
                    "hold cannot be read, and no device can be assigned.", 0, 0, 79);
        exhv_buf_putc(b, '\n');
    }
}

int cmd_devices(exhv_cli *cli, int argc, char **argv)
{
    exhv_host *h = NULL;
    exhv_buf b = EXHV_BUF_INIT;
    int all = 0, rc;

    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help("devices");
        if (strcmp(argv[i], "--all") == 0 || strcmp(argv[i], "-a") == 0)
            all = 1;
        else if (strcmp(argv[i], "--") == 0 && i == argc - 1)
            continue;
        else
            return cli_usage("devices", "unexpected argument '%s'", argv[i]);
    }
    if ((rc = cli_snapshot(cli, &h)) != 0)
        return rc;
    if (cli->json)
        render_json(&b, h, all);
    else
        render_text(&b, h, all);
    cli_out(&b);
    exhv_buf_release(&b);
    exhv_host_free(h);
    return EXHV_EXIT_OK;
}
