/* exhv diag: this host as a scenario that test:///FILE replays. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "hyperv/diag.h"
#include "platform/console.h"
#include "platform/fs.h"

int cmd_diag(exhv_cli *cli, int argc, char **argv)
{
    const char *file = NULL;
    int anonymize = 0, rc;
    exhv_conn *c = NULL;
    exhv_error err;
    exhv_diag_info info;
    exhv_buf b = EXHV_BUF_INIT;

    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help("diag");
        if (strcmp(argv[i], "--anonymize") == 0)
            anonymize = 1;
        else if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (file)
                return cli_usage("diag", "-o given twice");
            if (++i == argc || !*argv[i])
                return cli_usage("diag", "-o needs a file name");
            file = argv[i];
        } else
            return cli_usage("diag", "unexpected argument '%s'", argv[i]);
    }
    exhv_error_clear(&err);
    if (exhv_conn_open(cli->uri, &c, &err) < 0)
        return cli_fail(&err);
    rc = exhv_diag_collect(c, anonymize, &b, &info, &err);
    exhv_conn_close(c);
    if (rc < 0) {
        exhv_buf_release(&b);
        return cli_fail(&err);
    }
    if (file) {
        if (exhv_fs_write_atomic(file, b.data, b.len, &err) < 0) {
            exhv_buf_release(&b);
            return cli_fail(&err);
        }
        exhv_buf_reset(&b);
        exhv_buf_printf(&b, "Recorded %zu devnode%s, %zu registry value%s", info.nodes,
                        info.nodes == 1 ? "" : "s", info.values, info.values == 1 ? "" : "s");
        if (info.hyperv)
            exhv_buf_printf(&b, " and %zu Hyper-V object%s", info.objects,
                            info.objects == 1 ? "" : "s");
        exhv_buf_printf(&b, " in %s%s.\n", file, anonymize ? ", anonymized" : "");
        if (!info.hyperv)
            exhv_buf_printf(&b, "Hyper-V is absent (%s): the file holds the system facts, the "
                                "PCI devices and the registry values only.\n", info.hyperv_why);
        if (info.missing_defaults)
            exhv_buf_puts(&b, "Hyper-V named no default setting for PCI Express or GPU "
                              "partition resources: the replay cannot add them.\n");
        /* test:// + an absolute path (test:///C:/... on Windows). */
        if (file[0] == '/')
            exhv_buf_printf(&b, "Replay it with: exhv --connect test://%s devices\n", file);
        else if (file[0] && file[1] == ':')
            exhv_buf_printf(&b, "Replay it with: exhv --connect test:///%s devices\n", file);
        else
            exhv_buf_puts(&b, "Replay it with: exhv --connect test:///ABSOLUTE/PATH/OF/FILE "
                              "devices\n");
        /* The report is about the file; the data went to the file. */
        exhv_console_write(2, exhv_buf_str(&b), b.len);
        /* With --json, stdout carries one document whatever the outcome:
         * here, what was recorded and where. */
        if (cli->json) {
            exhv_jw w;
            exhv_buf_reset(&b);
            exhv_jw_init(&w, &b, 1);
            exhv_jw_obj_begin(&w);
            exhv_jw_kint(&w, "schema", 1);
            exhv_jw_kstr(&w, "connection", cli_uri());
            exhv_jw_kstr(&w, "file", file);
            exhv_jw_kbool(&w, "anonymized", anonymize);
            exhv_jw_kuint(&w, "devnodes", info.nodes);
            exhv_jw_kuint(&w, "registry_values", info.values);
            exhv_jw_kbool(&w, "hyperv", info.hyperv);
            exhv_jw_kuint(&w, "hyperv_objects", info.objects);
            exhv_jw_obj_end(&w);
            exhv_jw_end(&w);
            cli_out(&b);
        }
    } else {
        cli_out(&b);
        if (!info.hyperv)
            cli_err("exhv: Hyper-V is absent (%s): recorded the system facts, the PCI devices "
                    "and the registry values only.\n", info.hyperv_why);
    }
    exhv_buf_release(&b);
    return EXHV_EXIT_OK;
}
