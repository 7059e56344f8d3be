/* exhv policy: the seed's "Disable security policy" toggle. */
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/plan.h"
#include "core/text.h"
#include "hyperv/planner.h"
#include "hyperv/ports.h"

/* A policy value as it is, and what Hyper-V makes of it. */
static void value_text(exhv_buf *b, const exhv_polval *v)
{
    switch (v->state) {
    case EXHV_POLVAL_ABSENT:
        exhv_buf_puts(b, "not set (default: required)");
        break;
    case EXHV_POLVAL_DWORD:
        exhv_buf_printf(b, "%lu (%s)", (unsigned long)v->dword,
                        v->dword == 0 ? "relaxed" : "required");
        break;
    case EXHV_POLVAL_OTHER:
        exhv_text_cell(b, v->text, -1, 0);
        exhv_buf_puts(b, " (not a DWORD: exhv counts it as required)");
        break;
    default:
        exhv_buf_puts(b, "unreadable");
        break;
    }
}

static void value_json(exhv_jw *w, const char *key, const exhv_polval *v)
{
    exhv_jw_key(w, key);
    exhv_jw_obj_begin(w);
    exhv_jw_kstr(w, "state", v->state == EXHV_POLVAL_ABSENT ? "absent"
                             : v->state == EXHV_POLVAL_DWORD ? "dword"
                             : v->state == EXHV_POLVAL_OTHER ? "other_type"
                                                             : "unreadable");
    if (v->state == EXHV_POLVAL_DWORD)
        exhv_jw_kuint(w, "value", v->dword);
    if (v->state == EXHV_POLVAL_OTHER)
        exhv_jw_kstr(w, "value", v->text);
    exhv_jw_obj_end(w);
}

int cmd_policy(exhv_cli *cli, int argc, char **argv)
{
    const char *want = NULL;
    plan_flags f = {0};
    exhv_conn *conn = NULL;
    exhv_host *h = NULL;
    exhv_plan plan;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            continue;
        if (cli_is_help(argv[i]))
            return cli_help("policy");
        if (plan_flag(argv[i], &f))
            continue;
        if (!want && (strcmp(argv[i], "on") == 0 || strcmp(argv[i], "off") == 0))
            want = argv[i];
        else
            return cli_usage("policy", "unexpected argument '%s' (policy takes on or off)", argv[i]);
    }
    if ((rc = cli_connect(cli, &conn, &h, want && PLAN_CHANGES(&f))) != 0)
        return rc;
    if (!want) {
        const exhv_policy *po = &h->policy;
        int nrelaxed = (po->secure_relaxed == 1) + (po->supported_relaxed == 1);
        int deflt = po->secure.state == EXHV_POLVAL_ABSENT &&
                    po->supported.state == EXHV_POLVAL_ABSENT;
        if (cli->json) {
            exhv_jw w;
            exhv_jw_init(&w, &b, 1);
            json_header(&w, h);
            exhv_jw_kstr(&w, "security_policy", nrelaxed == 2 ? "off"
                                                : nrelaxed == 1 ? "partly_off" : "on");
            exhv_jw_kbool(&w, "default", deflt);
            exhv_jw_kbool(&w, "require_secure_device_assignment", po->secure_relaxed != 1);
            exhv_jw_kbool(&w, "require_supported_device_assignment", po->supported_relaxed != 1);
            exhv_jw_key(&w, "values");
            exhv_jw_obj_begin(&w);
            value_json(&w, "RequireSecureDeviceAssignment", &po->secure);
            value_json(&w, "RequireSupportedDeviceAssignment", &po->supported);
            exhv_jw_obj_end(&w);
            exhv_jw_obj_end(&w);
            exhv_jw_end(&w);
        } else {
            exhv_buf_printf(&b, "DDA security policy: %s\n",
                            nrelaxed == 2 ? "off (relaxed)"
                            : nrelaxed == 1 ? "partly off (one value relaxed)"
                            : deflt ? "on (the default)" : "on (values set explicitly)");
            exhv_buf_puts(&b, "  RequireSecureDeviceAssignment     ");
            value_text(&b, &po->secure);
            exhv_buf_puts(&b, "\n  RequireSupportedDeviceAssignment  ");
            value_text(&b, &po->supported);
            exhv_buf_putc(&b, '\n');
            if (nrelaxed == 2)
                exhv_buf_puts(&b, "`exhv policy on` restores the default (both values "
                                  "removed).\n");
            else if (nrelaxed == 1 || !deflt)
                exhv_buf_puts(&b, "`exhv policy off` relaxes both values; `exhv policy on` "
                                  "removes both (the default).\n");
            else
                exhv_buf_puts(&b, "`exhv policy off` lets Hyper-V assign devices whose "
                                  "drivers do not declare support.\n");
        }
        cli_out(&b);
        exhv_buf_release(&b);
        exhv_host_free(h);
        exhv_conn_close(conn);
        return EXHV_EXIT_OK;
    }
    exhv_error_clear(&err);
    return plan_finish(cli, conn, h, exhv_plan_policy(h, strcmp(want, "off") == 0, &plan, &err),
                       &plan, &f, &err);
}
