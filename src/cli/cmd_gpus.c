/* exhv gpus: the host half of the seed's GPU-PV page. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/text.h"

static const char *const resource_names[4] = {"vram", "encode", "decode", "compute"};

static void render_json(exhv_buf *b, const exhv_host *h)
{
    exhv_jw w;
    char level[16];

    exhv_jw_init(&w, b, 1);
    json_header(&w, h);
    exhv_jw_key(&w, "gpus");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < h->ngpus; i++) {
        const exhv_gpu *g = &h->gpus[i];
        exhv_jw_obj_begin(&w);
        exhv_jw_kuint(&w, "index", g->index);
        exhv_jw_kstr(&w, "name", g->name);
        exhv_jw_kstr(&w, "vendor", g->vendor);
        exhv_jw_kuint(&w, "vram_bytes", g->vram_bytes);
        exhv_jw_kstr(&w, "driver_version", g->driver_version);
        exhv_jw_key(&w, "wddm");
        if (g->wddm_major) {
            snprintf(level, sizeof(level), "%d.%d", g->wddm_major, g->wddm_minor);
            exhv_jw_str(&w, level);
        } else {
            exhv_jw_null(&w);
        }
        exhv_jw_kstr(&w, "instance_id", g->instance_id);
        exhv_jw_kstr(&w, "location_path", g->location_path && g->location_path[0] ? g->location_path : NULL);
        exhv_jw_kbool(&w, "partitionable", g->partitionable);
        exhv_jw_kbool(&w, "disabled", g->disabled);
        exhv_jw_kstr(&w, "partition_path", g->partition_path);
        exhv_jw_key(&w, "partition");
        if (!g->partitionable) {
            exhv_jw_null(&w);
        } else {
            exhv_jw_obj_begin(&w);
            exhv_jw_kuint(&w, "count", g->part.partition_count);
            exhv_jw_key(&w, "valid_counts");
            exhv_jw_arr_begin(&w);
            for (size_t k = 0; k < g->part.nvalid; k++)
                exhv_jw_uint(&w, g->part.valid_counts[k]);
            exhv_jw_arr_end(&w);
            for (int r = 0; r < 4; r++) {
                exhv_jw_key(&w, resource_names[r]);
                exhv_jw_obj_begin(&w);
                exhv_jw_kuint(&w, "total", g->part.total[r]);
                exhv_jw_kuint(&w, "available", g->part.available[r]);
                exhv_jw_kuint(&w, "min", g->part.min[r]);
                exhv_jw_kuint(&w, "max", g->part.max[r]);
                exhv_jw_kuint(&w, "optimal", g->part.optimal[r]);
                exhv_jw_obj_end(&w);
            }
            exhv_jw_obj_end(&w);
        }
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
}

static void render_text(exhv_buf *b, const exhv_host *h)
{
    size_t partitionable = 0;

    exhv_buf_puts(b, "#   NAME                          VENDOR    VRAM      DRIVER           WDDM\n");
    for (size_t i = 0; i < h->ngpus; i++) {
        const exhv_gpu *g = &h->gpus[i];
        char idx[16], vram[32], level[16];
        snprintf(idx, sizeof(idx), "%u", g->index);
        fmt_bytes(vram, sizeof(vram), g->vram_bytes);
        if (g->wddm_major)
            snprintf(level, sizeof(level), "%d.%d", g->wddm_major, g->wddm_minor);
        else
            snprintf(level, sizeof(level), "?");
        exhv_text_cell(b, idx, 3, 4);
        exhv_text_cell(b, g->name, 29, 30);
        exhv_text_cell(b, g->vendor[0] ? g->vendor : "-", 9, 10);
        exhv_text_cell(b, vram, 9, 10);
        exhv_text_cell(b, g->driver_version[0] ? g->driver_version : "-", 16, 17);
        exhv_buf_printf(b, "%s\n    ", level);
        /* What --gpu takes that stays the same when cards come and go. */
        if (g->location_path && g->location_path[0]) {
            exhv_text_cell(b, g->location_path, 75, 0);
            exhv_buf_puts(b, "\n    ");
        }
        exhv_text_cell(b, g->instance_id, 75, 0);
        exhv_buf_putc(b, '\n');
        if (g->partitionable) {
            partitionable++;
            exhv_buf_printf(b, "    partitionable: %llu partition%s (valid counts:",
                            (unsigned long long)g->part.partition_count,
                            g->part.partition_count == 1 ? "" : "s");
            for (size_t k = 0; k < g->part.nvalid; k++)
                exhv_buf_printf(b, " %llu", (unsigned long long)g->part.valid_counts[k]);
            exhv_buf_puts(b, g->part.nvalid ? ")\n" : " none)\n");
        } else {
            if (g->disabled) {
                exhv_buf_puts(b, "    not partitionable: disabled on the host (`exhv assign ");
                exhv_text_cell(b, g->location_path && g->location_path[0] ? g->location_path
                                                                         : g->instance_id, -1, 0);
                exhv_buf_puts(b, " --to host` enables it)\n");
            } else {
                exhv_buf_puts(b, "    not partitionable\n");
            }
        }
    }
    exhv_buf_printf(b, "\n%zu GPU%s, %zu partitionable.\n", h->ngpus, h->ngpus == 1 ? "" : "s",
                    partitionable);
    if (!h->hyperv)
        exhv_buf_puts(b, "Hyper-V is not available: no GPU can be partitioned.\n");
}

int cmd_gpus(exhv_cli *cli, int argc, char **argv)
{
    exhv_host *h = NULL;
    exhv_buf b = EXHV_BUF_INIT;
    int rc;

    if (argc > 1)
        return cli_is_help(argv[1]) ? cli_help("gpus")
                                    : cli_usage("gpus", "unexpected argument '%s'", argv[1]);
    if ((rc = cli_snapshot(cli, &h)) != 0)
        return rc;
    if (cli->json)
        render_json(&b, h);
    else
        render_text(&b, h);
    cli_out(&b);
    exhv_buf_release(&b);
    exhv_host_free(h);
    return EXHV_EXIT_OK;
}
