/* How `vms` and `status` tell a VM's guest driver state (the record the
 * import leaves on the host; docs/scenario.md, "guest driver records"). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/pwsh.h"
#include "core/text.h"
#include "hyperv/ports.h"

/* A word a shell takes as it is. */
static int plain_word(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:._-+{}", *s))
            return 0;
    return 1;
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static void shell_word(exhv_buf *b, const char *s)
{
    if (plain_word(s)) {
        exhv_buf_puts(b, s);
        return;
    }
#ifdef _WIN32
    exhv_pwsh_quote(b, s);
#else
    /* A POSIX shell word: single quotes, ' as '\''. */
    exhv_buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            exhv_buf_puts(b, "'\\'");
        exhv_buf_putc(b, *s);
    }
    exhv_buf_putc(b, '\'');
#endif
}

void cli_vm_command(exhv_buf *b, const exhv_cli *cli, const exhv_host *h, const exhv_vm *vm,
                    const char *cmd)
{
    size_t same = 0;
    for (size_t i = 0; i < h->nvms; i++)
        same += h->vms[i].name && vm->name && exhv_strcaseeq(h->vms[i].name, vm->name);
    exhv_buf_puts(b, "exhv ");
    if (cli->uri) {
        exhv_buf_puts(b, "--connect ");
        shell_word(b, cli->uri);
        exhv_buf_putc(b, ' ');
    }
    exhv_buf_printf(b, "%s ", cmd);
    /* A name another VM shares (or has in another case) is refused, and
     * "host" is read as the host; a name with a control character cannot be
     * typed back as shown: the ID names the VM alone. */
    shell_word(b, same == 1 && *vm->name && !exhv_strcaseeq(vm->name, "host") &&
                          !has_control(vm->name)
                      ? vm->name
                      : vm->id);
}

int cli_guest_drivers_attention(const exhv_vm *vm)
{
    return vm->drivers.state == EXHV_GDRV_STALE || vm->drivers.state == EXHV_GDRV_GPU_MISSING ||
           vm->drivers.state == EXHV_GDRV_MALFORMED;
}

void cli_guest_drivers_text(exhv_buf *b, const exhv_cli *cli, const exhv_host *h,
                            const exhv_vm *vm)
{
    const exhv_guest_drivers *d = &vm->drivers;
    const exhv_guest_record *r = &d->record;
    exhv_buf cmd = EXHV_BUF_INIT;

    exhv_buf_putc(&cmd, '`');
    cli_vm_command(&cmd, cli, h, vm, "gpu drivers");
    exhv_buf_putc(&cmd, '`');
    switch (d->state) {
    case EXHV_GDRV_NONE:
        exhv_buf_printf(b, "guest drivers: no record that exhv imported them; run %s to "
                           "import them", exhv_buf_str(&cmd));
        break;
    case EXHV_GDRV_CURRENT:
        exhv_buf_printf(b, "guest drivers %s, the host's current driver", r->driver_version);
        break;
    case EXHV_GDRV_STALE:
        exhv_buf_printf(b, "guest drivers %s, host now %s: run %s", r->driver_version,
                        d->host_version, exhv_buf_str(&cmd));
        break;
    case EXHV_GDRV_GPU_MISSING:
        exhv_buf_printf(b, "guest drivers %s came from GPU %s, which is no longer one of this "
                           "host's GPUs: give the VM a partition of a GPU the host has, then run %s",
                        r->driver_version, r->gpu_instance_id, exhv_buf_str(&cmd));
        break;
    case EXHV_GDRV_UNKNOWN:
        exhv_buf_printf(b, "guest drivers %s; the host GPU's driver version is unknown, so "
                           "whether they are current is not known",
                        r->driver_version);
        break;
    case EXHV_GDRV_MALFORMED:
        exhv_buf_printf(b, "the guest driver record is malformed (%s) and not trusted: run %s "
                           "to import the drivers again, which writes it anew",
                        r->problem, exhv_buf_str(&cmd));
        break;
    default:
        break;
    }
    exhv_buf_release(&cmd);
}

void cli_guest_drivers_json(exhv_jw *w, const exhv_cli *cli, const exhv_host *h,
                            const exhv_vm *vm)
{
    const exhv_guest_drivers *d = &vm->drivers;
    const exhv_guest_record *r = &d->record;
    int trusted = r->present && !r->problem;
    exhv_buf cmd = EXHV_BUF_INIT;

    if (d->state == EXHV_GDRV_NOTHING) {
        exhv_jw_null(w);
        return;
    }
    exhv_jw_obj_begin(w);
    exhv_jw_kstr(w, "state", exhv_enum_name(EXHV_ENUM_GUEST_DRIVERS, (int)d->state));
    exhv_jw_kstr(w, "version", trusted ? r->driver_version : NULL);
    exhv_jw_kstr(w, "host_version", d->host_version);
    exhv_jw_kstr(w, "gpu_instance_id", trusted ? r->gpu_instance_id : NULL);
    exhv_jw_kstr(w, "inf_path", trusted ? r->inf_path : NULL);
    exhv_jw_kstr(w, "recorded_vm_name", trusted ? r->vm_name : NULL);
    exhv_jw_key(w, "packages");
    if (trusted) {
        exhv_jw_arr_begin(w);
        for (size_t i = 0; i < r->npackages; i++)
            exhv_jw_str(w, r->packages[i]);
        exhv_jw_arr_end(w);
    } else {
        exhv_jw_null(w);
    }
    exhv_jw_key(w, "all_packages");
    if (trusted)
        exhv_jw_bool(w, r->all_packages);
    else
        exhv_jw_null(w);
    exhv_jw_kstr(w, "problem", r->problem);
    exhv_jw_key(w, "command");
    if (d->state == EXHV_GDRV_CURRENT || d->state == EXHV_GDRV_UNKNOWN) {
        exhv_jw_null(w);
    } else {
        cli_vm_command(&cmd, cli, h, vm, "gpu drivers");
        exhv_jw_str(w, exhv_buf_str(&cmd));
    }
    exhv_jw_obj_end(w);
    exhv_buf_release(&cmd);
}
