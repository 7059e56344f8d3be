/* exhv vms: VMs with the settings DDA and GPU-PV depend on. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/text.h"

static void render_json(exhv_buf *b, const exhv_cli *cli, const exhv_host *h)
{
    exhv_jw w;

    exhv_jw_init(&w, b, 1);
    json_header(&w, h);
    exhv_jw_key(&w, "vms");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < h->nvms; i++) {
        const exhv_vm *v = &h->vms[i];
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "id", v->id);
        exhv_jw_kstr(&w, "name", v->name);
        exhv_jw_kstr(&w, "state", exhv_enum_name(EXHV_ENUM_VM_STATE, (int)v->state));
        exhv_jw_kint(&w, "enabled_state", v->enabled_state);
        exhv_jw_kint(&w, "generation", v->generation);
        exhv_jw_kstr(&w, "version", v->version);
        exhv_jw_kuint(&w, "low_mmio_mb", v->low_mmio_mb);
        exhv_jw_kuint(&w, "high_mmio_mb", v->high_mmio_mb);
        exhv_jw_kbool(&w, "guest_controlled_cache", v->guest_controlled_cache);
        exhv_jw_kstr(&w, "automatic_stop_action",
                     exhv_enum_name(EXHV_ENUM_STOP_ACTION, (int)v->stop_action));
        exhv_jw_kstr(&w, "checkpoint_type", exhv_enum_name(EXHV_ENUM_CHECKPOINT, (int)v->checkpoint));
        exhv_jw_kuint(&w, "checkpoints", v->checkpoints);
        exhv_jw_kbool(&w, "dynamic_memory", v->dynamic_memory);
        exhv_jw_kuint(&w, "memory_mb", v->memory_mb);
        exhv_jw_key(&w, "disks");
        exhv_jw_arr_begin(&w);
        for (size_t k = 0; k < v->ndisks; k++)
            exhv_jw_str(&w, v->disks[k]);
        exhv_jw_arr_end(&w);
        exhv_jw_key(&w, "devices");
        exhv_jw_arr_begin(&w);
        for (size_t k = 0; k < v->ndevices; k++)
            exhv_jw_str(&w, v->devices[k]);
        exhv_jw_arr_end(&w);
        exhv_jw_key(&w, "gpu_adapters");
        exhv_jw_arr_begin(&w);
        for (size_t k = 0; k < v->nadapters; k++) {
            exhv_jw_obj_begin(&w);
            exhv_jw_kstr(&w, "id", v->adapters[k].id);
            exhv_jw_kstr(&w, "instance_path", v->adapters[k].instance_path);
            exhv_jw_kbool(&w, "stale", v->adapters[k].stale);
            exhv_jw_obj_end(&w);
        }
        exhv_jw_arr_end(&w);
        exhv_jw_key(&w, "guest_drivers");
        cli_guest_drivers_json(&w, cli, h, v);
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
}

static void render_text(exhv_buf *b, const exhv_cli *cli, const exhv_host *h)
{
    size_t stale = 0, drivers = 0;

    /* One width per column, shared by the header and the rows; each MMIO
     * gap in a cell of its own, so that a cell holds one value in one unit. */
    static const int width[] = {20, 9, 4, 9, 9, 10, 4};
    static const char *const head[] = {"NAME", "STATE", "GEN", "LOW MMIO", "HIGH MMIO", "STOP",
                                       "DEV"};
    for (size_t c = 0; c < 7; c++)
        exhv_text_cell(b, head[c], width[c], width[c] + 1);
    exhv_buf_puts(b, "GPU-PV\n");
    for (size_t i = 0; i < h->nvms; i++) {
        const exhv_vm *v = &h->vms[i];
        char gen[8], low[16], high[16], dev[16], gpu[16];
        const char *cells[7];
        snprintf(gen, sizeof(gen), "%d", v->generation);
        exhv_fmt_mb(low, sizeof(low), v->low_mmio_mb);
        exhv_fmt_mb(high, sizeof(high), v->high_mmio_mb);
        snprintf(dev, sizeof(dev), "%zu", v->ndevices);
        snprintf(gpu, sizeof(gpu), "%zu", v->nadapters);
        cells[0] = v->name && *v->name ? v->name : "(no name)";
        cells[1] = exhv_enum_label(EXHV_ENUM_VM_STATE, (int)v->state);
        cells[2] = v->generation ? gen : "?";
        cells[3] = low;
        cells[4] = high;
        cells[5] = exhv_enum_label(EXHV_ENUM_STOP_ACTION, (int)v->stop_action);
        cells[6] = dev;
        for (size_t c = 0; c < 7; c++)
            exhv_text_cell(b, cells[c], width[c], width[c] + 1);
        exhv_buf_printf(b, "%s\n", gpu);
        if (v->drivers.state != EXHV_GDRV_NOTHING) {
            exhv_buf line = EXHV_BUF_INIT;
            int bang = cli_guest_drivers_attention(v);
            drivers += (size_t)bang;
            cli_guest_drivers_text(&line, cli, h, v);
            exhv_buf_puts(b, bang ? "  ! " : "    ");
            cli_wrap_commands(b, exhv_buf_str(&line), 4, 4, 79);
            exhv_buf_putc(b, '\n');
            exhv_buf_release(&line);
        }
        for (size_t k = 0; k < v->nadapters; k++) {
            if (!v->adapters[k].stale)
                continue;
            stale++;
            exhv_buf_puts(b, "  ! stale GPU partition: ");
            exhv_text_cell(b, v->adapters[k].instance_path, 53, 0);
            exhv_buf_puts(b, "\n    names a GPU that no longer exists; the VM will not start "
                             "until it is\n    removed.\n");
        }
    }
    exhv_buf_printf(b, "\n%zu VM%s.\n", h->nvms, h->nvms == 1 ? "" : "s");
    if (stale)
        exhv_buf_printf(b, "%zu stale GPU partition adapter%s (see above).\n", stale,
                        stale == 1 ? "" : "s");
    if (drivers)
        exhv_buf_printf(b, "%zu VM%s whose guest drivers need attention (see above).\n", drivers,
                        drivers == 1 ? "" : "s");
}

int cmd_vms(exhv_cli *cli, int argc, char **argv)
{
    exhv_host *h = NULL;
    exhv_buf b = EXHV_BUF_INIT;
    int rc;

    if (argc > 1)
        return cli_is_help(argv[1]) ? cli_help("vms")
                                    : cli_usage("vms", "unexpected argument '%s'", argv[1]);
    if ((rc = cli_snapshot(cli, &h)) != 0)
        return rc;
    if (!h->hyperv) {
        exhv_error err;
        exhv_error_set(&err, EXHV_E_NO_HYPERV,
                       "Hyper-V is not available on this host: %s. Turn on the Hyper-V feature "
                       "and restart; `exhv status` shows every check",
                       h->hyperv_error ? h->hyperv_error : "unknown reason");
        cli_fail(&err);
        exhv_host_free(h);
        return EXHV_EXIT_NO_HYPERV;
    }
    if (cli->json)
        render_json(&b, cli, h);
    else
        render_text(&b, cli, h);
    cli_out(&b);
    exhv_buf_release(&b);
    exhv_host_free(h);
    return EXHV_EXIT_OK;
}
