/* exhv assign: move a device between the host and VMs (the seed's DDA
 * state menu), as a plan that is shown, run, and undone on failure. */
#include <string.h>

#include "cli/cli.h"
#include "core/plan.h"
#include "hyperv/planner.h"
#include "hyperv/ports.h"

int cmd_assign(exhv_cli *cli, int argc, char **argv)
{
    const char *device = NULL, *to = NULL;
    exhv_assign_opts o = {0};
    plan_flags f = {0};
    exhv_conn *conn = NULL;
    exhv_host *h = NULL;
    exhv_plan plan;
    exhv_error err;
    const exhv_device *d;
    const exhv_vm *vm = NULL;
    int rc, dashdash = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!dashdash && strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (dashdash || a[0] != '-' || !a[1]) {
            if (device)
                return cli_usage("assign", "unexpected argument '%s' (the device is '%s')", a,
                                 device);
            device = a;
            continue;
        }
        if (cli_is_help(a))
            return cli_help("assign");
        if (plan_flag(a, &f))
            continue;
        if (strcmp(a, "--to") == 0 || strncmp(a, "--to=", 5) == 0) {
            const char *v = a[4] == '=' ? a + 5 : ++i < argc ? argv[i] : NULL;
            if (!v)
                return cli_usage("assign", "--to needs a VM name, or host");
            if (to)
                return cli_usage("assign", "--to is given twice ('%s' and '%s'): a device goes "
                                           "to one place", to, v);
            to = v;
        } else if (strcmp(a, "--stop") == 0) {
            o.stop = 1;
        } else if (strcmp(a, "--force") == 0) {
            o.force = 1;
        } else if (strcmp(a, "--with-functions") == 0) {
            o.with_functions = 1;
        } else {
            return cli_usage("assign", "unknown option '%s'", a);
        }
    }
    if (!device)
        return cli_usage("assign", "name the device to move (see `exhv devices`)");
    if (!to)
        return cli_usage("assign", "say where the device goes: --to VM or --to host");
    if ((rc = cli_connect(cli, &conn, &h, PLAN_CHANGES(&f))) != 0)
        return rc;
    exhv_error_clear(&err);
    /* "host" means the host, always; a VM named so is reached by its ID. */
    d = exhv_device_select(h, device, &err);
    if (d && !exhv_strcaseeq(to, "host"))
        vm = exhv_vm_select(h, to, &err);
    return plan_finish(cli, conn, h,
                       d && (vm || exhv_strcaseeq(to, "host"))
                           ? exhv_plan_assign(h, d, vm, &o, &plan, &err)
                           : -1,
                       &plan, &f, &err);
}
