/* exhv survey: which devices can be assigned, and what they need (what
 * Microsoft's SurveyDDA.ps1 checks). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/survey.h"
#include "core/text.h"
#include "hyperv/planner.h"

static const char *device_type_name(int t)
{
    switch (t) {
    case 2: return "pcie_endpoint";
    case 3: return "legacy_endpoint";
    case 4: return "integrated";
    case 5: return "treated_as_pci";
    case -1: return "unknown";
    default: return "other";
    }
}

/* The same, in words for people (the names above are for --json). */
static const char *device_type_words(int t)
{
    switch (t) {
    case 2: return "PCI Express endpoint";
    case 3: return "legacy PCI endpoint";
    case 4: return "integrated endpoint";
    case 5: return "treated as PCI";
    case -1: return "device type unknown";
    default: return "other device type";
    }
}

static void json_device(exhv_jw *w, const exhv_device *d, const exhv_survey *s)
{
    exhv_jw_obj_begin(w);
    exhv_jw_kstr(w, "name", d->pnp.name);
    exhv_jw_kstr(w, "location_path", d->pnp.location_path);
    exhv_jw_kstr(w, "instance_id", d->pnp.instance_id);
    exhv_jw_kstr(w, "state", exhv_enum_name(EXHV_ENUM_DDA_STATE, (int)d->state));
    exhv_jw_kbool(w, "disabled", exhv_device_disabled(d));
    exhv_jw_kstr(w, "verdict", exhv_assignability_name(s->verdict));
    exhv_jw_key(w, "reasons");
    exhv_jw_arr_begin(w);
    for (int i = 0; i < s->nreasons; i++)
        exhv_jw_str(w, s->reasons[i]);
    exhv_jw_arr_end(w);
    exhv_jw_kstr(w, "device_type", device_type_name(d->pnp.device_type));
    exhv_jw_kuint(w, "mmio_low_mb", exhv_bytes_to_mb(s->mmio_low_bytes));
    exhv_jw_kuint(w, "mmio_high_mb", exhv_bytes_to_mb(s->mmio_high_bytes));
    exhv_jw_obj_end(w);
}

static void text_device(exhv_buf *b, const exhv_device *d, const exhv_survey *s)
{
    static const char *const marks[] = {"ok  ", "warn", "no  "};
    exhv_buf_printf(b, "%s  ", marks[s->verdict]);
    exhv_text_cell(b, d->pnp.name, 60, 0);
    if (d->state == EXHV_DDA_ASSIGNED && d->vm_name) {
        exhv_buf_puts(b, " [assigned to VM ");
        exhv_text_cell(b, d->vm_name, -1, 0);
        exhv_buf_putc(b, ']');
    } else if (d->state != EXHV_DDA_HOST || exhv_device_disabled(d)) {
        exhv_buf_printf(b, " [%s]", exhv_device_state_word(d));
    }
    exhv_buf_puts(b, "\n      ");
    exhv_text_cell(b, d->pnp.location_path[0] ? d->pnp.location_path : "(no location path)", 72, 0);
    exhv_buf_printf(b, "\n      %s; MMIO %llu MB low, %llu MB high\n",
                    device_type_words(d->pnp.device_type),
                    (unsigned long long)exhv_bytes_to_mb(s->mmio_low_bytes),
                    (unsigned long long)exhv_bytes_to_mb(s->mmio_high_bytes));
    for (int i = 0; i < s->nreasons; i++) {
        exhv_buf_puts(b, "      - ");
        fmt_wrap(b, s->reasons[i], 8, 8, 79);
        exhv_buf_putc(b, '\n');
    }
}

int cmd_survey(exhv_cli *cli, int argc, char **argv)
{
    const char *sel = NULL;
    exhv_host *h = NULL;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_error err;
    const exhv_device *only = NULL;
    size_t counts[3] = {0};
    exhv_jw w;
    int rc;

    for (int i = 1, dashdash = 0; i < argc; i++) {
        if (!dashdash && strcmp(argv[i], "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (!dashdash && cli_is_help(argv[i]))
            return cli_help("survey");
        if (sel || (!dashdash && argv[i][0] == '-'))
            return cli_usage("survey", "unexpected argument '%s'", argv[i]);
        sel = argv[i];
    }
    if ((rc = cli_snapshot(cli, &h)) != 0)
        return rc;
    exhv_error_clear(&err);
    if (sel && !(only = exhv_device_select(h, sel, &err))) {
        exhv_host_free(h);
        return cli_fail(&err);
    }
    if (cli->json) {
        exhv_jw_init(&w, &b, 1);
        json_header(&w, h);
        exhv_jw_key(&w, "host");
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "edition", h->sys.server ? "server" : "client");
        exhv_jw_kbool(&w, "policy_relaxed",
                      h->policy.secure_relaxed == 1 && h->policy.supported_relaxed == 1);
        exhv_jw_obj_end(&w);
        exhv_jw_key(&w, "devices");
        exhv_jw_arr_begin(&w);
    } else {
        exhv_buf_printf(&b, "Host: %s edition; DDA security policy %s.\n",
                        h->sys.server ? "server" : "client",
                        h->policy.secure_relaxed == 1 && h->policy.supported_relaxed == 1
                            ? "relaxed" : "default");
        if (!h->sys.server)
            exhv_buf_puts(&b, "  Client editions may refuse to start a VM with an assigned device.\n");
        exhv_buf_putc(&b, '\n');
    }
    for (size_t i = 0; i < h->ndevices; i++) {
        const exhv_device *d = &h->devices[i];
        exhv_survey s;
        if (only ? d != only : (d->bridge || (!d->pnp.present && d->state == EXHV_DDA_HOST)))
            continue;
        exhv_survey_device(d, &s);
        counts[s.verdict]++;
        if (cli->json)
            json_device(&w, d, &s);
        else
            text_device(&b, d, &s);
    }
    if (cli->json) {
        exhv_jw_arr_end(&w);
        exhv_jw_obj_end(&w);
        exhv_jw_end(&w);
    } else {
        exhv_buf_printf(&b, "\n%zu assignable, %zu with warnings, %zu not assignable.\n",
                        counts[0], counts[1], counts[2]);
    }
    cli_out(&b);
    exhv_buf_release(&b);
    exhv_host_free(h);
    return EXHV_EXIT_OK;
}
