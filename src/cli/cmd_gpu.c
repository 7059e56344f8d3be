/* exhv gpu add|drivers|remove: the VM half of the seed's GPU-PV page, and
 * the host driver import into a VM's disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/plan.h"
#include "hyperv/import.h"
#include "hyperv/planner.h"
#include "hyperv/ports.h"

/* "512MB", "3GB", "32g" -> MB. 0 on success. A bare number is refused: 12
 * could mean 12 MB or 12 GB, and the difference is a VM that boots or not. */
static int parse_mb(const char *s, uint64_t *mb)
{
    char *end;
    unsigned long long v;
    if (*s < '0' || *s > '9')
        return -1;
    v = strtoull(s, &end, 10);
    if (end == s || v == 0)
        return -1;
    if (exhv_strcaseeq(end, "MB") || exhv_strcaseeq(end, "M"))
        *mb = v;
    else if (exhv_strcaseeq(end, "GB") || exhv_strcaseeq(end, "G"))
        *mb = v * 1024;
    else
        return -1;
    return *mb > (1ull << 40) ? -1 : 0;
}

/* gpu add's options that take a value: index in a table of what was given. */
static int value_option(const char *a, const char **eq)
{
    static const char *const names[] = {"--gpu", "--share", "--low-mmio", "--high-mmio"};
    for (int k = 0; k < 4; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(a, names[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
            *eq = a[n] == '=' ? a + n : NULL;
            return k;
        }
    }
    *eq = NULL;
    return -1;
}

static int gpu_add(exhv_cli *cli, int argc, char **argv)
{
    const char *given[4] = {NULL, NULL, NULL, NULL};
    int dashdash = 0;
    const char *vm_name = NULL, *gpu_sel = NULL;
    exhv_gpu_opts o = {0};
    plan_flags f = {0};
    exhv_conn *conn = NULL;
    exhv_host *h = NULL;
    exhv_plan plan;
    exhv_error err;
    const exhv_vm *vm;
    const exhv_gpu *gpu = NULL;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL, *eq;
        if (!dashdash && strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (dashdash || a[0] != '-' || !a[1]) {
            if (vm_name)
                return cli_usage("gpu", "unexpected argument '%s' (the VM is '%s')", a, vm_name);
            vm_name = a;
            continue;
        }
        if (cli_is_help(a))
            return cli_help("gpu");
        if (plan_flag(a, &f))
            continue;
        if (strcmp(a, "--stop") == 0) {
            o.stop = 1;
        } else if (strcmp(a, "--no-drivers") == 0) {
            o.no_drivers = 1;
        } else if (strcmp(a, "--all-packages") == 0) {
            o.all_packages = 1;
        } else if (value_option(a, &eq) >= 0) {
            int k = value_option(a, &eq);
            char name[16];
            snprintf(name, sizeof(name), "%.*s", (int)(eq ? (size_t)(eq - a) : strlen(a)), a);
            v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
            if (!v)
                return cli_usage("gpu", "%s needs a value", name);
            if (given[k])
                return cli_usage("gpu", "%s is given twice ('%s' and '%s'): give it once", name,
                                 given[k], v);
            given[k] = v;
            if (k == 0) {
                gpu_sel = v;
            } else if (k == 1) {
                char *end;
                long pct = strtol(v, &end, 10);
                if (*end == '%')
                    end++;
                if (end == v || *end || pct < 1 || pct > 100)
                    return cli_usage("gpu", "--share takes a percentage from 1 to 100");
                o.share = (int)pct;
            } else if (parse_mb(v, k == 2 ? &o.low_mmio_mb : &o.high_mmio_mb) < 0) {
                return cli_usage("gpu", "%s takes a size with its unit, such as 512MB or 64GB "
                                        "(not '%s')", name, v);
            }
        } else {
            return cli_usage("gpu", "unknown option '%s'", a);
        }
    }
    if (!vm_name)
        return cli_usage("gpu", "name the VM: exhv gpu add VM");
    if (o.no_drivers && o.all_packages)
        return cli_usage("gpu", "--all-packages chooses what to import, and --no-drivers "
                                "imports nothing: give one of them");
    if ((rc = cli_connect(cli, &conn, &h, PLAN_CHANGES(&f))) != 0)
        return rc;
    exhv_error_clear(&err);
    o.conn = conn;
    vm = exhv_vm_select(h, vm_name, &err);
    if (vm && gpu_sel && !(gpu = exhv_gpu_select(h, gpu_sel, &err)))
        vm = NULL;
    return plan_finish(cli, conn, h, vm ? exhv_plan_gpu_add(h, vm, gpu, &o, &plan, &err) : -1,
                       &plan, &f, &err);
}

static int gpu_remove(exhv_cli *cli, int argc, char **argv)
{
    const char *vm_name = NULL, *adapter = NULL;
    int all = 0, stale = 0, dashdash = 0;
    exhv_gpu_opts o = {0};
    plan_flags f = {0};
    exhv_conn *conn = NULL;
    exhv_host *h = NULL;
    exhv_plan plan;
    exhv_error err;
    const exhv_vm *vm;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!dashdash && strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (dashdash || a[0] != '-' || !a[1]) {
            if (!vm_name)
                vm_name = a;
            else if (!adapter)
                adapter = a;
            else
                return cli_usage("gpu", "unexpected argument '%s' (the VM is '%s', the adapter "
                                        "'%s')", a, vm_name, adapter);
            continue;
        }
        if (cli_is_help(a))
            return cli_help("gpu");
        if (plan_flag(a, &f))
            continue;
        if (strcmp(a, "--all") == 0)
            all = 1;
        else if (strcmp(a, "--purge-drivers") == 0)
            o.purge_drivers = 1;
        else if (strcmp(a, "--stale") == 0)
            stale = 1;
        else if (strcmp(a, "--stop") == 0)
            o.stop = 1;
        else
            return cli_usage("gpu", "unknown option '%s'", a);
    }
    if (!vm_name)
        return cli_usage("gpu", "name the VM: exhv gpu remove VM [ADAPTER | --all | --stale]");
    if ((adapter != NULL) + all + stale > 1)
        return cli_usage("gpu", "give one of ADAPTER, --all and --stale");
    if ((rc = cli_connect(cli, &conn, &h, PLAN_CHANGES(&f))) != 0)
        return rc;
    exhv_error_clear(&err);
    o.conn = conn;
    vm = exhv_vm_select(h, vm_name, &err);
    return plan_finish(cli, conn, h,
                       vm ? exhv_plan_gpu_remove(h, vm, adapter, all, stale, &o, &plan, &err) : -1,
                       &plan, &f, &err);
}

static int gpu_drivers(exhv_cli *cli, int argc, char **argv)
{
    const char *vm_name = NULL;
    int dashdash = 0;
    exhv_import_opts o = {0, 0};
    plan_flags f = {0};
    exhv_conn *conn = NULL;
    exhv_host *h = NULL;
    exhv_plan plan;
    exhv_error err;
    const exhv_vm *vm;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!dashdash && strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (dashdash || a[0] != '-' || !a[1]) {
            if (vm_name)
                return cli_usage("gpu", "unexpected argument '%s' (the VM is '%s')", a, vm_name);
            vm_name = a;
            continue;
        }
        if (cli_is_help(a))
            return cli_help("gpu");
        if (plan_flag(a, &f))
            continue;
        if (strcmp(a, "--stop") == 0)
            o.stop = 1;
        else if (strcmp(a, "--all-packages") == 0)
            o.all_packages = 1;
        else
            return cli_usage("gpu", "unknown option '%s'", a);
    }
    if (!vm_name)
        return cli_usage("gpu", "name the VM: exhv gpu drivers VM");
    if ((rc = cli_connect(cli, &conn, &h, PLAN_CHANGES(&f))) != 0)
        return rc;
    exhv_error_clear(&err);
    vm = exhv_vm_select(h, vm_name, &err);
    return plan_finish(cli, conn, h, vm ? exhv_plan_gpu_drivers(conn, h, vm, &o, &plan, &err) : -1,
                       &plan, &f, &err);
}

int cmd_gpu(exhv_cli *cli, int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1]))
        return argc >= 2 ? cli_help("gpu")
               : cli_json() ? cli_usage("gpu", "name a subcommand: gpu add, gpu drivers or gpu "
                                               "remove")
                            : (cli_help("gpu"), EXHV_EXIT_USAGE);
    if (strcmp(argv[1], "add") == 0)
        return gpu_add(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "remove") == 0)
        return gpu_remove(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "drivers") == 0)
        return gpu_drivers(cli, argc - 1, argv + 1);
    return cli_usage("gpu", "unknown subcommand '%s' (add, drivers or remove)", argv[1]);
}
