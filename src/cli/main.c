/* exhv: DDA and GPU-PV for Hyper-V, from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "exhv_version.h"
#include "platform/console.h"
#include "platform/interrupt.h"

#define GLOBAL_HELP                                                                          \
    "Global options (before the command):\n"                                                \
    "  -c, --connect URI   the host: hyperv:/// (this Windows host), test:///default\n"       \
    "                      (built-in simulated host) or test:///PATH/host.json;\n"            \
    "                      default $EXHV_CONNECT, else hyperv:/// on Windows and\n"           \
    "                      test:///default elsewhere\n"                                       \
    "      --json          machine-readable output ({\"schema\": 1, ...})\n"                 \
    "  -h, --help          help; `exhv COMMAND --help` for a command\n"                      \
    "      --version       print the version\n"

const exhv_command exhv_commands[] = {
    {"status", cmd_status, "system facts and whether this host can do DDA and GPU-PV",
     "Usage: exhv [--connect URI] [--json] status\n"
     "\n"
     "Shows the host (OS, build, CPU, memory, GPUs), the WDDM level of its build\n"
     "from the seed's table, and each compatibility check with what to do about it:\n"
     "host build, CPU virtualization, Hyper-V, administrator, edition (client or\n"
     "server), DDA security policy, and each GPU driver's WDDM level.\n"
     "\n"
     "Exit status: 0 no check failed, 3 Hyper-V is not available, 4 a check failed.\n"},
    {"devices", cmd_devices, "PCI devices and their DDA state",
     "Usage: exhv [--connect URI] [--json] devices [--all]\n"
     "\n"
     "Lists every PCI device with its DDA state:\n"
     "  host        the host owns it\n"
     "  disabled    the host owns it, but it is disabled (`exhv assign DEVICE\n"
     "              --to host` enables it)\n"
     "  dismounted  taken from the host but held by no VM (stuck: assign it or\n"
     "              give it back to the host)\n"
     "  assigned    held by the VM shown\n"
     "  missing     a VM still references hardware that is gone (moved or removed)\n"
     "\n"
     "  --all   also list PCI bridges\n"},
    {"gpus", cmd_gpus, "host GPUs and whether they can be partitioned (GPU-PV)",
     "Usage: exhv [--connect URI] [--json] gpus\n"
     "\n"
     "Lists the host's GPUs: index, name, vendor, VRAM, driver version and its\n"
     "WDDM level, PnP instance ID, and for partitionable GPUs the partition path\n"
     "and the partition counts and resources Hyper-V reports. Identical GPUs are\n"
     "told apart by index and instance ID.\n"},
    {"vms", cmd_vms, "virtual machines, their settings, devices and GPU partitions",
     "Usage: exhv [--connect URI] [--json] vms\n"
     "\n"
     "Lists the VMs with their state, generation, MMIO gaps, stop action,\n"
     "checkpoints, memory, assigned devices and GPU partition adapters. An adapter\n"
     "that names a GPU which no longer exists is marked stale: the VM will not\n"
     "start until it is removed.\n"},
    {"survey", cmd_survey, "which devices can be assigned (DDA), and their MMIO needs",
     "Usage: exhv [--connect URI] [--json] survey [DEVICE]\n"
     "\n"
     "Checks each device (or DEVICE) the way Microsoft's SurveyDDA.ps1 does:\n"
     "reserved memory regions (RMRR), ACS up the PCIe hierarchy, the device type,\n"
     "interrupt support (MSI/MSI-X needed), and the MMIO its memory ranges need\n"
     "below 4 GB (the VM's low gap) and above (the high gap). Each device gets a\n"
     "verdict: ok, warn (assignable with warnings) or no, with the reasons.\n"
     "DEVICE is a location path, an instance ID, or part of a device name.\n"},
    {"assign", cmd_assign, "move a device between the host and VMs (DDA)",
     "Usage: exhv [--connect URI] [--json] assign DEVICE --to VM|host [OPTIONS]\n"
     "\n"
     "Moves DEVICE (a location path, an instance ID, or part of its name) to a VM\n"
     "or back to the host, from whatever state it is in: host, dismounted, assigned\n"
     "to another VM. For a device whose hardware is gone (missing), --to host\n"
     "removes the VM's stale reference. The plan is shown first; the VM is prepared\n"
     "only where needed (automatic stop action Turn off, guest-controlled cache\n"
     "types, MMIO gaps sized from the devices' memory ranges plus 512 MB, dynamic\n"
     "memory off). A device given back to the host is mounted and enabled. If a\n"
     "step fails, the steps before it are undone in reverse.\n"
     "\n"
     "  --to VM|host       where the device goes\n"
     "  --stop             shut a running VM down (turned off after a minute)\n"
     "  --force            allow taking the host's last display adapter, or a GPU\n"
     "                     that VMs hold partitions of (their adapters go stale)\n"
     "  --with-functions   move the card's other functions too (e.g. its HDMI audio)\n"
     "  --dry-run, -n      show the plan, change nothing\n"
     "  --script           print the plan as PowerShell, change nothing\n"
     "  --yes, -y          do not ask for confirmation\n"
     "\n"
     "Exit status: 0 done, 1 refused or failed and undone, 5 failed and not fully\n"
     "undone (the output says what to run), 6 cancelled.\n"},
    {"policy", cmd_policy, "show or set the DDA security policy",
     "Usage: exhv [--connect URI] [--json] policy [on|off] [--dry-run] [--script] [--yes]\n"
     "\n"
     "Without an argument, shows the policy. `off` relaxes it, as the seed's\n"
     "\"Disable security policy\" toggle does: RequireSecureDeviceAssignment and\n"
     "RequireSupportedDeviceAssignment (HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\\n"
     "HyperV) are set to 0, so that Hyper-V assigns devices whose drivers do not\n"
     "declare virtualization support. `on` removes both values (the default).\n"},
    {"gpu", cmd_gpu, "add or remove a VM's GPU partitions (GPU-PV), import their driver",
     "Usage: exhv [--connect URI] [--json] gpu add VM [--gpu GPU] [OPTIONS]\n"
     "       exhv [--connect URI] [--json] gpu drivers VM [OPTIONS]\n"
     "       exhv [--connect URI] [--json] gpu remove VM [ADAPTER | --all | --stale] [OPTIONS]\n"
     "\n"
     "add gives VM a partition of a host GPU. GPU is its location path or instance\n"
     "ID (as `exhv gpus` shows them; they stay the same when another card leaves\n"
     "the host), its partition path, its index in `exhv gpus`, or part of its name;\n"
     "it may be left out when only one GPU can be partitioned. GPU-PV needs host\n"
     "build 19041 or later; below build 22000 the GPU cannot be chosen: Hyper-V\n"
     "picks one (and the high MMIO gap fits the largest VRAM it may pick). The VM\n"
     "is prepared only where needed: guest-controlled cache types on, low MMIO at\n"
     "least 128 MB, high MMIO at least 32 GB and the GPU's VRAM rounded up to a\n"
     "power of two, automatic stop action not Save, checkpoints disabled, dynamic\n"
     "memory off. A VM with checkpoints is refused. Then the GPU's host driver is\n"
     "imported into the VM's disk, as `gpu drivers` does.\n"
     "\n"
     "  --gpu GPU          the GPU to share\n"
     "  --share PERCENT    partition values from the GPU's ranges (for GPUs that are\n"
     "                     really partitioned; consumer GPUs ignore them)\n"
     "  --low-mmio SIZE    a larger low MMIO gap (e.g. 512MB; at most 3584MB)\n"
     "  --high-mmio SIZE   a larger high MMIO gap (e.g. 64GB)\n"
     "  --no-drivers       do not import the host's GPU driver into the VM\n"
     "\n"
     "drivers imports the host driver of the VM's GPU into the VM's disk (again,\n"
     "after a host driver update: `exhv vms` says when). The VM must be off. exhv\n"
     "attaches its first disk to the host without a drive letter, finds its Windows\n"
     "volume, copies the driver's package folders under their host names into\n"
     "Windows\\System32\\HostDriverStore\\FileRepository and the files the driver\n"
     "declares for System32 and SysWOW64 (a guest file they replace is kept and put\n"
     "back by --purge-drivers), writes the NVIDIA service or Intel's class values\n"
     "into every control set of the guest's SYSTEM hive, and records on the host\n"
     "what it imported. Only what changed is copied, and packages an earlier import\n"
     "put there are removed. A failure or Ctrl-C puts the guest back as it was; the\n"
     "hive is unloaded and the disk detached in every case.\n"
     "\n"
     "  --all-packages     copy the host's whole driver store (for a driver exhv does\n"
     "                     not understand; add and drivers)\n"
     "\n"
     "remove takes the adapter ADAPTER (its index among the VM's adapters, or its\n"
     "ID from `exhv vms --json`), every adapter (--all), or the stale ones whose GPU\n"
     "is gone (--stale). It leaves the VM's other settings as they are, and says so.\n"
     "\n"
     "  --purge-drivers    also remove what exhv imported into the VM's disk, put\n"
     "                     back the guest files it replaced, and delete the record\n"
     "\n"
     "All:\n"
     "  --stop             shut a running VM down (turned off after a minute)\n"
     "  --dry-run, -n      show the plan, change nothing\n"
     "  --script           print the plan as PowerShell, change nothing\n"
     "  --yes, -y          do not ask for confirmation\n"},
    {"recover", cmd_recover, "undo or finish a change an earlier run left half-done",
     "Usage: exhv [--connect URI] [--json] recover [--finish | --forget] [OPTIONS]\n"
     "\n"
     "A change exhv could not finish or put back (the process was killed, the\n"
     "machine lost power, an undo failed) is recorded while it runs; `exhv status`\n"
     "then says so, and other changes are refused until it is dealt with. recover\n"
     "shows the record and, by default, undoes the steps that were done, last\n"
     "first. A step that was running when exhv stopped may or may not have\n"
     "finished: recover says so, and you check it with `exhv devices` / `exhv vms`.\n"
     "\n"
     "  --finish        run the steps that had not run yet instead (refused when\n"
     "                  a step's end is not known)\n"
     "  --forget        drop the record without changing the host\n"
     "  --dry-run, -n   show the plan, change nothing\n"
     "  --script        print the plan as PowerShell, change nothing\n"
     "  --yes, -y       do not ask for confirmation\n"
     "\n"
     "Where the record is kept: beside a test:/// scenario file (FILE.journal), and\n"
     "in %ProgramData%\\exhv\\journal.json for hyperv:///.\n"},
    {"diag", cmd_diag, "record this host as a scenario file that test:/// replays",
     "Usage: exhv [--connect URI] diag [--anonymize] [-o FILE]\n"
     "\n"
     "Writes what exhv reads on this host as a scenario (docs/scenario.md): the\n"
     "system facts, every PCI and PCIP devnode (those no longer present too) with\n"
     "the properties exhv reads, the registry values it reads (DDA policy, each\n"
     "GPU's class key), and every object of the Hyper-V classes it queries with all\n"
     "their properties. `exhv --connect test:///FILE ...` then shows the same host.\n"
     "Changes nothing. Attach the file to a bug report.\n"
     "\n"
     "  --anonymize   replace the computer name, the VM names, disk paths and the\n"
     "                serial-like last part of each instance ID, consistently\n"
     "  -o FILE       write to FILE (default: standard output)\n"},
    {"inf", cmd_inf, "what a driver INF installs for a device, for driver import",
     "Usage: exhv [--json] inf FILE [--hwid ID | --section NAME] [--os VERSION]\n"
     "                              [--locale LCID]\n"
     "\n"
     "Reads a driver INF for what driver import needs from it: a tool for drivers\n"
     "exhv does not know.\n"
     "Without --hwid, lists the devices the INF installs. With --hwid (a device's\n"
     "hardware ID, most specific first: a SUBSYS model wins over the generic one) or\n"
     "--section (the install section the host chose, its InfSection), shows that\n"
     "install section: the companion INFs it imports (CopyINF), its CopyFiles lists\n"
     "and the files its CopyToVm* values put in the guest's System32 and SysWOW64.\n"
     "A value that names a file outside the package, or a destination that is not a\n"
     "file name, is refused.\n"
     "\n"
     "  --hwid ID        a hardware ID, e.g. PCI\\VEN_10DE&DEV_2684&SUBSYS_16F110DE\n"
     "  --section NAME   an install section, without its .NTamd64 decoration\n"
     "  --os VERSION     the Windows version models are chosen for (e.g. 10.0.19045;\n"
     "                   default: the newest the INF names)\n"
     "  --locale LCID    [Strings.LCID] before [Strings] (default 0409)\n"},
    {"version", cmd_version, "print the version", "Usage: exhv version\n"},
    {"help", cmd_help, "help on a command", "Usage: exhv help [COMMAND]\n"},
    {NULL, NULL, NULL, NULL},
};

static int print_usage(void)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_buf_puts(&b, "Usage: exhv [--connect URI] [--json] COMMAND [OPTIONS]\n"
                      "\n"
                      "exhv gives Hyper-V VMs whole PCIe devices (DDA) and GPU partitions "
                      "(GPU-PV).\n\nCommands:\n");
    for (const exhv_command *c = exhv_commands; c->name; c++)
        exhv_buf_printf(&b, "  %-9s %s\n", c->name, c->summary);
    exhv_buf_puts(&b, "\n" GLOBAL_HELP "\n"
                      "Exit status: 0 success (also when there is nothing to do), 1 failure,\n"
                      "2 usage error or a name that matches several objects, 3 Hyper-V not\n"
                      "available, 4 `status` found a failing check, 5 a change failed and\n"
                      "could not be fully undone, 6 cancelled. With --json every outcome is one\n"
                      "JSON document on stdout, errors included (README lists the codes).\n");
    cli_out_help(NULL, &b);
    exhv_buf_release(&b);
    return EXHV_EXIT_OK;
}

int cmd_version(exhv_cli *cli, int argc, char **argv)
{
    exhv_buf b = EXHV_BUF_INIT;
    if (argc > 1)
        return cli_is_help(argv[1]) ? cli_help("version")
                                    : cli_usage("version", "unexpected argument '%s'", argv[1]);
    if (cli->json) {
        exhv_jw w;
        exhv_jw_init(&w, &b, 1);
        exhv_jw_obj_begin(&w);
        exhv_jw_kint(&w, "schema", 1);
        exhv_jw_kstr(&w, "version", EXHV_VERSION);
        exhv_jw_obj_end(&w);
        exhv_jw_end(&w);
    } else {
        exhv_buf_puts(&b, "exhv " EXHV_VERSION "\n");
    }
    cli_out(&b);
    exhv_buf_release(&b);
    return EXHV_EXIT_OK;
}

int cmd_help(exhv_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc < 2)
        return print_usage();
    if (cli_is_help(argv[1]))
        return cli_help("help");
    return cli_help(argv[1]);
}

int exhv_main(int argc, char **argv);

/* A global option at argv[*k]: 1 when it was one (*k moved past its value),
 * 0 when not, or an exit code (> 1) after a usage error. */
static int global_option(exhv_cli *cli, int argc, char **argv, int *k, int *seen_connect)
{
    const char *a = argv[*k], *uri = NULL;
    if (strcmp(a, "--json") == 0) {
        cli->json = 1;
        return 1;
    }
    if (strcmp(a, "-c") == 0 || strcmp(a, "--connect") == 0) {
        if (*k + 1 >= argc)
            return cli_usage(NULL, "%s needs a URI (test:///default, test:///PATH/host.json "
                                   "or hyperv:///)", a);
        uri = argv[++*k];
    } else if (strncmp(a, "--connect=", 10) == 0) {
        uri = a + 10;
    } else {
        return 0;
    }
    if ((*seen_connect)++)
        return cli_usage(NULL, "--connect is given twice ('%s' and '%s'): give one", cli->uri, uri);
    cli->uri = uri;
    return 1;
}

/* Output that could not be written is not a success to report: a script
 * reading it got nothing, or half of it. What the command did is done, and
 * the message says so. A reader that went away (| head) is no failure. */
static int output_checked(int rc)
{
    char why[256];
    if (!exhv_console_out_failed(why, sizeof(why)))
        return rc;
    cli_err("exhv: error: the output could not be written (%s); whatever the command did is "
            "done: `exhv status`, `exhv devices` and `exhv vms` show the host as it is now\n",
            why);
    return rc == EXHV_EXIT_OK ? EXHV_EXIT_FAILURE : rc;
}

int exhv_main(int argc, char **argv);

int exhv_main(int argc, char **argv)
{
    exhv_cli cli = {0};
    int i = 1, seen_connect = 0, r;

    exhv_interrupt_install();
    cli_bind(&cli);
    /* --json decides how even the first usage error is reported. */
    for (int k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
        if (strcmp(argv[k], "--json") == 0)
            cli.json = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if ((r = global_option(&cli, argc, argv, &i, &seen_connect)) > 1)
            return r;
        if (r == 1)
            continue;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (cli_is_help(a)) {
            return print_usage();
        } else if (strcmp(a, "--version") == 0) {
            return cmd_version(&cli, 1, argv);
        } else {
            return cli_usage(NULL, "unknown option '%s'", a);
        }
    }
    if (i >= argc) {
        if (cli.json)
            return cli_usage(NULL, "name a command (exhv --help lists them)");
        print_usage();
        return EXHV_EXIT_USAGE;
    }
    for (const exhv_command *c = exhv_commands; c->name; c++)
        if (strcmp(c->name, argv[i]) == 0) {
            /* Global options may also follow the command name, up to `--`,
             * after which every argument is the command's own. */
            int n = argc - i, k = 1, dashdash = 0;
            char **args = malloc(((size_t)n + 1) * sizeof(char *));
            int rc, m = 1;
            if (!args)
                return EXHV_EXIT_FAILURE;
            args[0] = argv[i];
            for (k = i + 1; k < argc; k++) {
                if (!dashdash && strcmp(argv[k], "--") == 0)
                    dashdash = 1;
                if (!dashdash && (r = global_option(&cli, argc, argv, &k, &seen_connect)) != 0) {
                    if (r > 1) {
                        free(args);
                        return r;
                    }
                    continue;
                }
                args[m++] = argv[k];
            }
            args[m] = NULL;
            rc = c->run(&cli, m, args);
            free(args);
            return rc;
        }
    return cli_usage(NULL, "unknown command '%s' (exhv --help lists them)", argv[i]);
}

#if defined(_WIN32)
#include <windows.h>

#include "platform/win32/utf16.h"

/* Arguments arrive as UTF-16 so that VM names such as 测试机 survive the
 * ANSI code page. */
int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    char **argv = calloc((size_t)argc + 1, sizeof(char *));
    int rc;
    if (!argv)
        return EXHV_EXIT_FAILURE;
    for (int i = 0; i < argc; i++)
        if (!(argv[i] = exhv_w_to_utf8(wargv[i])))
            return EXHV_EXIT_FAILURE;
    rc = output_checked(exhv_main(argc, argv));
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return rc;
}
#else
int main(int argc, char **argv)
{
    return output_checked(exhv_main(argc, argv));
}
#endif
