/* exhv policy: the seed's "Disable security policy" toggle. */
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/plan.h"
#include "hyperv/planner.h"
#include "hyperv/ports.h"

static const char *word(int v)
{
    return v == 1 ? "0 (relaxed)" : v == 0 ? "not set (default)" : "unreadable";
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
    if ((rc = cli_connect(cli, &conn, &h)) != 0)
        return rc;
    if (!want) {
        int relaxed = h->policy.secure_relaxed == 1 && h->policy.supported_relaxed == 1;
        if (cli->json) {
            exhv_jw w;
            exhv_jw_init(&w, &b, 1);
            json_header(&w, h);
            exhv_jw_kstr(&w, "security_policy", relaxed ? "off" : "on");
            exhv_jw_kbool(&w, "require_secure_device_assignment", h->policy.secure_relaxed != 1);
            exhv_jw_kbool(&w, "require_supported_device_assignment", h->policy.supported_relaxed != 1);
            exhv_jw_obj_end(&w);
            exhv_jw_end(&w);
        } else {
            exhv_buf_printf(&b, "DDA security policy: %s\n", relaxed ? "off (relaxed)" : "on");
            exhv_buf_printf(&b, "  RequireSecureDeviceAssignment     %s\n",
                            word(h->policy.secure_relaxed));
            exhv_buf_printf(&b, "  RequireSupportedDeviceAssignment  %s\n",
                            word(h->policy.supported_relaxed));
            exhv_buf_puts(&b, relaxed ? "`exhv policy on` restores the default.\n"
                                      : "`exhv policy off` lets Hyper-V assign devices whose "
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
