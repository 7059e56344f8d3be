/* The DDA policy: each value shown as it is, and `policy on` / `off`
 * reaching the documented state (on: both values absent; off: both DWORD 0)
 * from any starting state, undone exactly when a step fails. */
#include <stdio.h>
#include <stdlib.h>

#include "hyperv/executor.h"
#include "hyperv/planner.h"
#include "hyperv/sim/sim.h"
#include "t.h"

typedef struct fixture {
    exhv_conn c;
    exhv_host *h;
    char *text;
} fixture;

/* The default scenario with the policy key holding `values` (JSON members,
 * or "" for no key). */
static int open_policy(fixture *f, const char *values)
{
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    const char *anchor = "\"registry\": {";
    const char *at = strstr(exhv_sim_default_json, anchor);
    memset(f, 0, sizeof(*f));
    if (!at)
        return -1;
    at += strlen(anchor);
    exhv_buf_add(&b, exhv_sim_default_json, (size_t)(at - exhv_sim_default_json));
    if (*values)
        exhv_buf_printf(&b, "\"HKLM\\\\SOFTWARE\\\\Policies\\\\Microsoft\\\\Windows\\\\HyperV\": "
                            "{%s},", values);
    exhv_buf_add(&b, at, exhv_sim_default_json_len - (size_t)(at - exhv_sim_default_json));
    f->text = exhv_buf_detach(&b);
    f->c.uri = "test:///unit";
    f->c.simulated = 1;
    if (!f->text || exhv_sim_open_text(f->text, strlen(f->text), "unit", &f->c.ops, &f->c.ctx,
                                       &err) < 0)
        return -1;
    return exhv_snapshot_take(&f->c, &f->h, &err);
}

static void close_fixture(fixture *f)
{
    exhv_host_free(f->h);
    if (f->c.ops)
        f->c.ops->close(f->c.ctx);
    free(f->text);
}

/* Both values, as the registry holds them. */
static void state(fixture *f, char *out, size_t n)
{
    exhv_host *h = NULL;
    exhv_error err;
    const exhv_polval *v[2];
    size_t len = 0;
    out[0] = '\0';
    if (exhv_snapshot_take(&f->c, &h, &err) < 0)
        return;
    v[0] = &h->policy.secure;
    v[1] = &h->policy.supported;
    for (int i = 0; i < 2; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? " " : "",
                                v[i]->state == EXHV_POLVAL_ABSENT ? "absent"
                                : v[i]->state == EXHV_POLVAL_DWORD ? (v[i]->dword ? (v[i]->dword == 1 ? "1" : "n") : "0")
                                                                   : v[i]->text);
    exhv_host_free(h);
}

static const struct {
    const char *values, *shown;
} starts[] = {
    {"", "absent absent"},
    {"\"RequireSecureDeviceAssignment\": {\"dword\": 0}, "
     "\"RequireSupportedDeviceAssignment\": {\"dword\": 0}", "0 0"},
    {"\"RequireSecureDeviceAssignment\": {\"dword\": 1}, "
     "\"RequireSupportedDeviceAssignment\": {\"dword\": 1}", "1 1"},
    {"\"RequireSecureDeviceAssignment\": {\"dword\": 0}", "0 absent"},
    {"\"RequireSecureDeviceAssignment\": {\"dword\": 1}, "
     "\"RequireSupportedDeviceAssignment\": {\"dword\": 0}", "1 0"},
    {"\"RequireSupportedDeviceAssignment\": {\"dword\": 7}", "absent n"},
    {"\"RequireSecureDeviceAssignment\": {\"sz\": \"0\"}", "REG_SZ '0' absent"},
    {"\"RequireSecureDeviceAssignment\": {\"qword\": 0}, "
     "\"RequireSupportedDeviceAssignment\": {\"dword\": 0}", "REG_QWORD 0 0"},
};

/* Each value is read as it is: 1 is not "not set", a string "0" is not 0. */
static void t_values_as_they_are(void)
{
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        fixture f;
        char got[256];
        CHECK(open_policy(&f, starts[i].values) == 0);
        state(&f, got, sizeof(got));
        if (strcmp(got, starts[i].shown) != 0)
            fprintf(stderr, "  start %zu read as '%s', expected '%s'\n", i, got, starts[i].shown);
        CHECK(strcmp(got, starts[i].shown) == 0);
        /* Relaxed only when both are DWORD 0. */
        CHECK_INT(f.h->policy.secure_relaxed == 1 && f.h->policy.supported_relaxed == 1, i == 1);
        close_fixture(&f);
    }
}

/* From every start, on and off reach the documented state; already there is
 * an empty plan. */
static void t_on_off_from_any_state(void)
{
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
        for (int off = 0; off < 2; off++) {
            fixture f;
            exhv_plan p;
            exhv_report r;
            exhv_error err;
            char got[256];
            CHECK(open_policy(&f, starts[i].values) == 0);
            CHECK(exhv_plan_policy(f.h, off, &p, &err) == 0);
            CHECK_INT(p.count == 0, strcmp(starts[i].shown, off ? "0 0" : "absent absent") == 0);
            CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) == 0);
            state(&f, got, sizeof(got));
            if (strcmp(got, off ? "0 0" : "absent absent") != 0)
                fprintf(stderr, "  start %zu, policy %s: ended '%s'\n", i, off ? "off" : "on", got);
            CHECK(strcmp(got, off ? "0 0" : "absent absent") == 0);
            exhv_report_release(&r);
            exhv_plan_release(&p);
            close_fixture(&f);
        }
}

/* A fault at the second step puts the first value back exactly as it was
 * (1 stays 1, 7 stays 7); a value of another type cannot be written back:
 * it is changed last, so that it never needs undoing. */
static void t_rollback_exact(void)
{
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
        for (int off = 0; off < 2; off++) {
            fixture f;
            exhv_plan p;
            exhv_report r;
            exhv_error err;
            char before[256], after[256];
            CHECK(open_policy(&f, starts[i].values) == 0);
            CHECK(exhv_plan_policy(f.h, off, &p, &err) == 0);
            if (p.count < 2) {
                exhv_plan_release(&p);
                close_fixture(&f);
                continue;
            }
            state(&f, before, sizeof(before));
            {
                const char *m1 = p.steps[1].new_value == EXHV_POLICY_ABSENT ? "reg_delete"
                                                                            : "reg_set";
                const char *m0 = p.steps[0].new_value == EXHV_POLICY_ABSENT ? "reg_delete"
                                                                            : "reg_set";
                exhv_sim_inject_fault(f.c.ctx, m1, strcmp(m0, m1) == 0 ? 2 : 1, 5, 0);
            }
            CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) < 0);
            state(&f, after, sizeof(after));
            /* A value exhv cannot write back is changed last: never undone. */
            CHECK(p.steps[0].old_value != EXHV_POLICY_OTHER);
            CHECK_INT(r.outcome, EXHV_OUTCOME_ROLLED_BACK);
            if (strcmp(before, after) != 0)
                fprintf(stderr, "  start %zu, policy %s: '%s' became '%s'\n", i,
                        off ? "off" : "on", before, after);
            CHECK(strcmp(before, after) == 0);
            exhv_report_release(&r);
            exhv_plan_release(&p);
            close_fixture(&f);
        }
}

T_CASES(policy_tests) = {
    {"policy/values_as_they_are", t_values_as_they_are},
    {"policy/on_off_from_any_state", t_on_off_from_any_state},
    {"policy/rollback_exact", t_rollback_exact},
    {NULL, NULL},
};
