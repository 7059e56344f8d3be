/* exhv status: the seed's Home and Status pages. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/checks.h"
#include "core/json.h"
#include "core/text.h"
#include "hyperv/journal.h"
#include "hyperv/ports.h"
#include "platform/lock.h"

static void text_row(exhv_buf *b, const char *label, const char *value)
{
    exhv_buf_printf(b, "%-15s ", label);
    exhv_text_cell(b, value, 64, 0);
    exhv_buf_putc(b, '\n');
}

/* What an earlier run left half-done, if anything: read from the record
 * beside the host's lock. A record whose run still holds the lock is a
 * change in progress, not an interrupted one. */
typedef struct leftover {
    int found, running, damaged;
    exhv_journal j;
    exhv_error err;          /* why a damaged record cannot be read */
} leftover;

static void leftover_read(exhv_cli *cli, leftover *lo)
{
    exhv_conn *c = NULL;
    exhv_error err;
    const char *path, *lname;
    exhv_lock *l = NULL;
    int rc;

    memset(lo, 0, sizeof(*lo));
    if (exhv_conn_open(cli->uri, &c, &err) < 0)
        return;
    path = c->ops->journal_path ? c->ops->journal_path(c->ctx) : NULL;
    rc = path ? exhv_journal_read(path, &lo->j, &lo->err) : -2;
    if (rc == -1 && lo->err.code == EXHV_E_PARSE) {
        /* Changes are refused while it is there: say so here too. */
        lo->found = lo->damaged = 1;
        memset(&lo->j, 0, sizeof(lo->j));
    } else if (rc == 0) {
        lo->found = 1;
        lname = c->ops->lock_name ? c->ops->lock_name(c->ctx) : NULL;
        if (lname && exhv_lock_acquire(lname, &l, &err) < 0)
            lo->running = 1;
        exhv_lock_release(l);
    }
    exhv_conn_close(c);
}

static void render_text(exhv_buf *b, const exhv_host *h, const exhv_checks *ck)
{
    const exhv_sysinfo *s = &h->sys;
    const exhv_wddm_row *row = exhv_wddm_for_build(s->build);
    char line[512], mem[32];

    text_row(b, "Host", s->computer_name);
    if (h->simulated) {
        /* A scenario path can be long; its file name is what tells it apart. */
        exhv_buf_printf(b, "%-15s ", "Simulated");
        exhv_text_cell_tail(b, h->uri, 64);
        exhv_buf_putc(b, '\n');
    }
    snprintf(line, sizeof(line), "%s, build %u, %s", s->os_caption, s->build, s->arch);
    text_row(b, "OS", line);
    if (s->wine_version) {
        snprintf(line, sizeof(line), "Wine %s", s->wine_version);
        text_row(b, "Runs under", line);
    }
    /* Intel names carry their rated clock ("... @ 2.80GHz") already. */
    if (s->cpu_mhz && !exhv_contains_ci(s->cpu_name, "GHz"))
        snprintf(line, sizeof(line), "%s @ %.2f GHz", s->cpu_name, s->cpu_mhz / 1000.0);
    else
        snprintf(line, sizeof(line), "%s", s->cpu_name);
    text_row(b, "CPU", line);
    fmt_bytes(mem, sizeof(mem), s->memory_bytes);
    text_row(b, "Memory", mem);
    if (h->ngpus)
        for (size_t i = 0; i < h->ngpus; i++) {
            snprintf(line, sizeof(line), "%u: %s%s", h->gpus[i].index, h->gpus[i].name,
                     h->gpus[i].disabled ? " (disabled)" : "");
            text_row(b, i ? "" : "GPU", line);
            /* The index changes when a card leaves the host; the location
             * path, which --gpu also takes, does not. */
            if (h->gpus[i].location_path && h->gpus[i].location_path[0]) {
                snprintf(line, sizeof(line), "   %s", h->gpus[i].location_path);
                text_row(b, "", line);
            }
        }
    else
        text_row(b, "GPU", "none found");
    if (row)
        snprintf(line, sizeof(line), "%d.%d (build %u and later)", row->major, row->minor,
                 row->build);
    else
        snprintf(line, sizeof(line), "none (below build 17134)");
    text_row(b, "WDDM", line);
    text_row(b, "Hyper-V", h->hyperv ? "available" : "not available");
    text_row(b, "Administrator", s->elevated ? "yes" : "no");
    exhv_buf_puts(b, "\nChecks\n");
    for (size_t i = 0; i < ck->count; i++) {
        const exhv_check *c = &ck->items[i];
        exhv_buf_printf(b, "  %-5s ", exhv_enum_name(EXHV_ENUM_VERDICT, (int)c->verdict));
        fmt_wrap(b, c->message, 8, 8, 79);
        exhv_buf_putc(b, '\n');
    }
}

/* A line per VM whose guest drivers need attention. */
static void render_drivers_text(exhv_buf *b, const exhv_cli *cli, const exhv_host *h)
{
    int head = 0;
    for (size_t i = 0; i < h->nvms; i++) {
        const exhv_vm *v = &h->vms[i];
        exhv_buf line = EXHV_BUF_INIT;
        if (!cli_guest_drivers_attention(v))
            continue;
        if (!head++)
            exhv_buf_puts(b, "\nGuest drivers\n");
        exhv_buf_printf(&line, "%s: ", v->name && *v->name ? v->name : v->id);
        cli_guest_drivers_text(&line, cli, h, v);
        exhv_buf_puts(b, "  ! ");
        cli_wrap_commands(b, exhv_buf_str(&line), 4, 4, 79);
        exhv_buf_putc(b, '\n');
        exhv_buf_release(&line);
    }
}

static void render_drivers_json(exhv_jw *w, const exhv_cli *cli, const exhv_host *h)
{
    exhv_jw_key(w, "guest_drivers");
    exhv_jw_arr_begin(w);
    for (size_t i = 0; i < h->nvms; i++) {
        const exhv_vm *v = &h->vms[i];
        if (!cli_guest_drivers_attention(v))
            continue;
        exhv_jw_obj_begin(w);
        exhv_jw_kstr(w, "vm_id", v->id);
        exhv_jw_kstr(w, "vm_name", v->name);
        exhv_jw_key(w, "drivers");
        cli_guest_drivers_json(w, cli, h, v);
        exhv_jw_obj_end(w);
    }
    exhv_jw_arr_end(w);
}

static void render_leftover_text(exhv_buf *b, const leftover *lo)
{
    exhv_buf d = EXHV_BUF_INIT;
    if (!lo->found)
        return;
    if (lo->damaged)
        exhv_buf_puts(&d, lo->err.message);
    else if (lo->running)
        exhv_buf_printf(&d, "Another exhv (process %ld) is changing this host right now: \"%s\".",
                        lo->j.pid, lo->j.plan.title ? lo->j.plan.title : "");
    else
        exhv_journal_describe(&d, &lo->j);
    exhv_buf_puts(b, "\n  ! ");
    fmt_wrap(b, exhv_buf_str(&d), 4, 4, 79);
    exhv_buf_putc(b, '\n');
    exhv_buf_release(&d);
}

static void render_leftover_json(exhv_jw *w, const leftover *lo)
{
    exhv_jw_key(w, "interrupted_change");
    if (!lo->found) {
        exhv_jw_null(w);
        return;
    }
    exhv_jw_obj_begin(w);
    if (lo->damaged) {
        exhv_jw_kbool(w, "damaged", 1);
        exhv_jw_kstr(w, "message", lo->err.message);
        exhv_jw_obj_end(w);
        return;
    }
    exhv_jw_kstr(w, "title", lo->j.plan.title);
    exhv_jw_kbool(w, "in_progress", lo->running);
    exhv_jw_kint(w, "pid", lo->j.pid);
    exhv_jw_kuint(w, "steps", lo->j.plan.count);
    exhv_jw_kuint(w, "steps_in_effect", exhv_journal_done(&lo->j));
    exhv_jw_key(w, "uncertain_step");
    if (exhv_journal_uncertain(&lo->j) >= 0)
        exhv_jw_int(w, exhv_journal_uncertain(&lo->j) + 1);
    else
        exhv_jw_null(w);
    exhv_jw_obj_end(w);
}

static void render_json(exhv_buf *b, const exhv_cli *cli, const exhv_host *h,
                        const exhv_checks *ck, const leftover *lo)
{
    const exhv_sysinfo *s = &h->sys;
    const exhv_wddm_row *row = exhv_wddm_for_build(s->build);
    exhv_jw w;
    char level[16];

    exhv_jw_init(&w, b, 1);
    json_header(&w, h);
    exhv_jw_key(&w, "host");
    exhv_jw_obj_begin(&w);
    exhv_jw_kstr(&w, "computer_name", s->computer_name);
    exhv_jw_kstr(&w, "os", s->os_caption);
    exhv_jw_kstr(&w, "version", s->os_version);
    exhv_jw_kuint(&w, "build", s->build);
    exhv_jw_kstr(&w, "edition", s->server ? "server" : "client");
    exhv_jw_kstr(&w, "architecture", s->arch);
    exhv_jw_kstr(&w, "cpu", s->cpu_name);
    exhv_jw_kuint(&w, "cpu_mhz", s->cpu_mhz);
    exhv_jw_kuint(&w, "memory_bytes", s->memory_bytes);
    exhv_jw_kbool(&w, "administrator", s->elevated);
    exhv_jw_kbool(&w, "hypervisor_present", s->hypervisor_present);
    exhv_jw_key(&w, "virtualization_firmware");
    if (s->virt_firmware < 0)
        exhv_jw_null(&w);
    else
        exhv_jw_bool(&w, s->virt_firmware);
    exhv_jw_kbool(&w, "hyperv", h->hyperv);
    exhv_jw_kstr(&w, "hyperv_error", h->hyperv_error);
    exhv_jw_kstr(&w, "wine", s->wine_version);
    exhv_jw_key(&w, "wddm");
    if (row) {
        snprintf(level, sizeof(level), "%d.%d", row->major, row->minor);
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "level", level);
        exhv_jw_kuint(&w, "since_build", row->build);
        exhv_jw_kstr(&w, "adds", row->adds);
        exhv_jw_obj_end(&w);
    } else {
        exhv_jw_null(&w);
    }
    exhv_jw_kstr(&w, "guest_gpu_support", exhv_guest_gpu_support(s->build));
    exhv_jw_obj_end(&w);

    exhv_jw_key(&w, "policy");
    exhv_jw_obj_begin(&w);
    exhv_jw_key(&w, "require_secure_device_assignment");
    if (h->policy.secure_relaxed < 0)
        exhv_jw_null(&w);
    else
        exhv_jw_bool(&w, !h->policy.secure_relaxed);
    exhv_jw_key(&w, "require_supported_device_assignment");
    if (h->policy.supported_relaxed < 0)
        exhv_jw_null(&w);
    else
        exhv_jw_bool(&w, !h->policy.supported_relaxed);
    exhv_jw_obj_end(&w);

    exhv_jw_key(&w, "gpus");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < h->ngpus; i++) {
        const exhv_gpu *g = &h->gpus[i];
        exhv_jw_obj_begin(&w);
        exhv_jw_kuint(&w, "index", g->index);
        exhv_jw_kstr(&w, "name", g->name);
        exhv_jw_key(&w, "wddm");
        if (g->wddm_major) {
            snprintf(level, sizeof(level), "%d.%d", g->wddm_major, g->wddm_minor);
            exhv_jw_str(&w, level);
        } else {
            exhv_jw_null(&w);
        }
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);

    exhv_jw_key(&w, "checks");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < ck->count; i++) {
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "id", ck->items[i].id);
        exhv_jw_kstr(&w, "verdict", exhv_enum_name(EXHV_ENUM_VERDICT, (int)ck->items[i].verdict));
        exhv_jw_kstr(&w, "message", ck->items[i].message);
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);
    render_drivers_json(&w, cli, h);
    render_leftover_json(&w, lo);
    if (!h->hyperv) {
        /* Exit 3: the document carries the error like any other failure. */
        exhv_error err;
        exhv_error_set(&err, EXHV_E_NO_HYPERV, "Hyper-V is not available on this host: %s",
                       h->hyperv_error ? h->hyperv_error : "unknown reason");
        json_error(&w, &err, EXHV_EXIT_NO_HYPERV);
    }
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
}

int cmd_status(exhv_cli *cli, int argc, char **argv)
{
    exhv_host *h = NULL;
    exhv_checks ck = {0};
    exhv_buf b = EXHV_BUF_INIT;
    leftover lo;
    int rc;

    if (argc > 1)
        return cli_is_help(argv[1]) ? cli_help("status")
                                    : cli_usage("status", "unexpected argument '%s'", argv[1]);
    if ((rc = cli_snapshot(cli, &h)) != 0)
        return rc;
    if (exhv_checks_run(h, &ck) < 0) {
        exhv_error err;
        exhv_host_free(h);
        exhv_error_set(&err, EXHV_E_NO_MEMORY, "out of memory");
        return cli_fail(&err);
    }
    leftover_read(cli, &lo);
    if (cli->json) {
        render_json(&b, cli, h, &ck, &lo);
    } else {
        render_text(&b, h, &ck);
        render_drivers_text(&b, cli, h);
        render_leftover_text(&b, &lo);
    }
    if (lo.found)
        exhv_journal_release(&lo.j);
    cli_out(&b);
    rc = !h->hyperv ? EXHV_EXIT_NO_HYPERV
         : exhv_checks_worst(&ck) == EXHV_FAIL ? EXHV_EXIT_CHECKS
                                               : EXHV_EXIT_OK;
    exhv_buf_release(&b);
    exhv_checks_release(&ck);
    exhv_host_free(h);
    return rc;
}
