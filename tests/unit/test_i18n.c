/* The text exhv writes for people in the language in force: English is
 * the format itself; in Chinese every plan, result, check, survey reason
 * and error of the simulated host reads in Chinese. */
#include <stdlib.h>

#include "core/checks.h"
#include "core/i18n.h"
#include "core/plan.h"
#include "core/survey.h"
#include "hyperv/executor.h"
#include "hyperv/planner.h"
#include "hyperv/sim/sim.h"
#include "t.h"

typedef struct fixture {
    exhv_conn c;
    exhv_host *h;
} fixture;

static int open_default(fixture *f)
{
    exhv_error err;
    memset(f, 0, sizeof(*f));
    f->c.uri = "test:///unit";
    f->c.simulated = 1;
    if (exhv_sim_open_text(exhv_sim_default_json, exhv_sim_default_json_len, "unit", &f->c.ops,
                           &f->c.ctx, &err) < 0)
        return -1;
    return exhv_snapshot_take(&f->c, &f->h, &err);
}

static void close_fixture(fixture *f)
{
    exhv_host_free(f->h);
    if (f->c.ops)
        f->c.ops->close(f->c.ctx);
}

/* Holds a CJK ideograph (U+4E00..U+9FFF: E4 B8 80 .. E9 BF BF in UTF-8). */
static int has_cjk(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if (*p >= 0xE4 && *p <= 0xE9 && p[1] >= 0x80 && p[1] <= 0xBF)
            return 1;
    return 0;
}

static int chinese(const char *what, const char *s)
{
    if (has_cjk(s))
        return 1;
    fprintf(stderr, "  %s is not Chinese: \"%s\"\n", what, s ? s : "(null)");
    return 0;
}

/* Every sentence of a plan: title, each step and its reason and why it
 * cannot be undone, each note. */
static void check_plan(const exhv_plan *p)
{
    exhv_buf b = EXHV_BUF_INIT;
    CHECK(chinese("title", p->title));
    for (size_t i = 0; i < p->count; i++) {
        exhv_buf_reset(&b);
        exhv_step_describe(&b, &p->steps[i]);
        CHECK(chinese("step", exhv_buf_str(&b)));
        CHECK(chinese("reason", p->steps[i].reason));
        if (exhv_step_no_undo(&p->steps[i]))
            CHECK(chinese("no undo", exhv_step_no_undo(&p->steps[i])));
    }
    for (size_t i = 0; i < p->nnotes; i++)
        CHECK(chinese("note", p->notes[i]));
    exhv_buf_release(&b);
}

static void t_english_is_the_format(void)
{
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_lang_set(EXHV_LANG_EN);
    CHECK_STR(exhv_tr("out of memory"), "out of memory");
    exhv_error_set(&err, EXHV_E_FAILED, "no VM is named '%s' (see `exhv vms`)", "x");
    CHECK_STR(err.message, "no VM is named 'x' (see `exhv vms`)");
    exhv_buf_tprintf(&b, "Step %zu: ", (size_t)3);
    CHECK_STR(exhv_buf_str(&b), "Step 3: ");
    exhv_buf_release(&b);
}

static void t_chinese_at_every_sink(void)
{
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_plan p;
    exhv_lang_set(EXHV_LANG_ZH);
    CHECK(exhv_lang_get() == EXHV_LANG_ZH);
    exhv_error_set(&err, EXHV_E_NOT_FOUND, "no VM is named '%s' (see `exhv vms`)", "测试机");
    CHECK(chinese("error", err.message) && strstr(err.message, "测试机"));
    exhv_error_prefix(&err, "opening simulated host");
    CHECK(chinese("prefix", err.message) && !strstr(err.message, "opening"));
    exhv_buf_tprintf(&b, "Step %zu: ", (size_t)3);
    CHECK(chinese("tprintf", exhv_buf_str(&b)) && strstr(exhv_buf_str(&b), "3"));
    exhv_plan_init(&p);
    exhv_plan_add_note(&p, "VM %s has no GPU partition adapter.", "vm1");
    CHECK(p.nnotes == 1 && chinese("note", p.notes[0]) && strstr(p.notes[0], "vm1"));
    exhv_plan_release(&p);
    /* Every entry is found (the hash index holds them all). */
    for (size_t i = 0; i < exhv_tr_zh_count; i++)
        if (exhv_tr(exhv_tr_zh[i].en) != exhv_tr_zh[i].text) {
            fprintf(stderr, "  not found: \"%s\"\n", exhv_tr_zh[i].en);
            CHECK(0);
        }
    /* A format the catalogue does not know stays as it is. */
    CHECK_STR(exhv_tr("no such sentence"), "no such sentence");
    exhv_lang_set(EXHV_LANG_EN);
    exhv_buf_release(&b);
}

/* Plans of every kind on the default host, their results, the checks, the
 * survey and the selection errors, in Chinese. */
static void t_plans_results_checks_in_chinese(void)
{
    static const struct { const char *device, *to; int stop; } moves[] = {
        {"PCIROOT(0)#PCI(0101)#PCI(0000)", "win11-gaming", 0},
        {"RTX 4070", "dev-box", 1},
        {"I226-V", "win11-gaming", 0},
        {"I226-V", "host", 0},
        {"ASMedia", "host", 0},
        {"PCIROOT(0)#PCI(0104)#PCI(0000)", "host", 0},
        {"I225-V", "host", 0},
    };
    fixture f;
    exhv_error err;
    exhv_checks ck;
    exhv_lang_set(EXHV_LANG_ZH);
    CHECK(open_default(&f) == 0);
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]) && f.h; i++) {
        exhv_assign_opts o = {moves[i].stop, 0, 0};
        const exhv_device *d = exhv_device_select(f.h, moves[i].device, &err);
        const exhv_vm *vm = strcmp(moves[i].to, "host") ? exhv_vm_select(f.h, moves[i].to, &err)
                                                        : NULL;
        exhv_plan p;
        CHECK(d != NULL);
        if (d && exhv_plan_assign(f.h, d, vm, &o, &p, &err) == 0) {
            check_plan(&p);
            exhv_plan_release(&p);
        } else {
            CHECK(chinese("assign error", err.message));
        }
    }
    {
        exhv_plan p;
        exhv_gpu_opts o = {0, 0, 0, 0, 1, NULL, 0, 0};
        const exhv_vm *vm = exhv_vm_select(f.h, "win11-gaming", &err);
        CHECK(vm && exhv_plan_gpu_add(f.h, vm, exhv_gpu_select(f.h, "0", &err), &o, &p,
                                      &err) == 0);
        if (vm) {
            check_plan(&p);
            exhv_plan_release(&p);
        }
        vm = exhv_vm_select(f.h, "render-node", &err);
        CHECK(vm && exhv_plan_gpu_remove(f.h, vm, NULL, 1, 0, &o, &p, &err) == 0);
        if (vm) {
            check_plan(&p);
            exhv_plan_release(&p);
        }
        CHECK(exhv_plan_policy(f.h, 1, &p, &err) == 0);
        check_plan(&p);
        exhv_plan_release(&p);
    }
    CHECK(exhv_vm_select(f.h, "no-such-vm", &err) == NULL && chinese("error", err.message));
    CHECK(exhv_device_select(f.h, "no-such-device", &err) == NULL && chinese("error", err.message));
    CHECK(exhv_gpu_select(f.h, "no-such-gpu", &err) == NULL && chinese("error", err.message));
    if (exhv_checks_run(f.h, &ck) == 0) {
        for (size_t i = 0; i < ck.count; i++)
            CHECK(chinese(ck.items[i].id, ck.items[i].message));
        exhv_checks_release(&ck);
    }
    for (size_t i = 0; i < f.h->ndevices; i++) {
        exhv_survey s;
        exhv_survey_device(&f.h->devices[i], &s);
        for (int k = 0; k < s.nreasons; k++)
            CHECK(chinese("survey reason", s.reasons[k]));
    }
    close_fixture(&f);
    exhv_lang_set(EXHV_LANG_EN);
}

/* A fault at the dismount: the result says in Chinese that the step
 * failed and that nothing was changed, naming no English claim. */
static void t_result_in_chinese(void)
{
    fixture f;
    exhv_error err;
    exhv_plan p;
    exhv_report r;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_assign_opts o = {0, 0, 0};
    const exhv_device *d;
    exhv_lang_set(EXHV_LANG_ZH);
    CHECK(open_default(&f) == 0);
    d = exhv_device_select(f.h, "I225-V", &err);
    CHECK(d && exhv_plan_assign(f.h, d, exhv_vm_select(f.h, "router", &err), &o, &p, &err) == 0);
    if (d) {
        exhv_sim_inject_fault(f.c.ctx, "DismountAssignableDevice", 1, 32775, 0);
        CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) < 0);
        CHECK_INT(r.outcome, EXHV_OUTCOME_ROLLED_BACK);
        CHECK(chinese("error", r.error.message));
        exhv_report_text(&b, &p, &r);
        CHECK(chinese("result", exhv_buf_str(&b)));
        CHECK(!strstr(exhv_buf_str(&b), "Nothing was changed"));
        CHECK(!strstr(exhv_buf_str(&b), "failed"));
        exhv_report_release(&r);
        exhv_plan_release(&p);
    }
    exhv_buf_release(&b);
    close_fixture(&f);
    exhv_lang_set(EXHV_LANG_EN);
}

/* A step that always runs and failed is one whole line of the result, in
 * both languages: "  - step N, what it does, failed ...". */
static void t_result_cleanup_line(void)
{
    exhv_plan p;
    exhv_step st = {0};
    exhv_report r;
    exhv_diff d = {0};
    exhv_buf b = EXHV_BUF_INIT;
    exhv_plan_init(&p);
    st.kind = EXHV_STEP_DEV_ENABLE;
    st.device_name = "NIC";
    CHECK(exhv_plan_add_step(&p, &st) != NULL);
    memset(&r, 0, sizeof(r));
    r.outcome = EXHV_OUTCOME_INCOMPLETE;
    r.failed_step = 0;
    d.kind = EXHV_DIFF_CLEANUP_FAILED;
    d.why = "the disk is busy";
    r.diffs = &d;
    r.ndiffs = 1;
    exhv_report_text(&b, &p, &r);
    CHECK(strstr(exhv_buf_str(&b),
                 "  - step 1, Enable NIC on the host, failed even when tried again: the disk is "
                 "busy.\n") != NULL);
    exhv_buf_reset(&b);
    exhv_lang_set(EXHV_LANG_ZH);
    exhv_report_text(&b, &p, &r);
    CHECK(chinese("cleanup line", exhv_buf_str(&b)) && strstr(exhv_buf_str(&b), "第 1 步") &&
          strstr(exhv_buf_str(&b), "the disk is busy"));
    exhv_lang_set(EXHV_LANG_EN);
    exhv_buf_release(&b);
    exhv_plan_release(&p);
}

/* The window names its own choices: no CLI flag in the GPU plan's notes
 * or the steps' reasons; the CLI's words are unchanged. */
static void t_gui_words(void)
{
    fixture f;
    exhv_error err;
    exhv_plan p;
    exhv_gpu_opts o = {0, 50, 0, 0, 1, NULL, 0, 0};
    exhv_assign_opts stop = {1, 0, 0};
    const exhv_vm *vm, *running;
    const exhv_device *d;
    CHECK(open_default(&f) == 0);
    vm = exhv_vm_select(f.h, "win11-gaming", &err);
    running = exhv_vm_select(f.h, "dev-box", &err);
    d = exhv_device_select(f.h, "RTX 4070", &err);
    CHECK(vm && running && d);
    for (int gui = 0; gui < 2 && vm && running && d; gui++) {
        int flags = 0;
        exhv_front_set(gui ? EXHV_FRONT_GUI : EXHV_FRONT_CLI);
        CHECK(exhv_plan_gpu_add(f.h, vm, exhv_gpu_select(f.h, "0", &err), &o, &p, &err) == 0);
        for (size_t i = 0; i < p.nnotes; i++)
            flags += strstr(p.notes[i], "--") != NULL;
        exhv_plan_release(&p);
        CHECK(exhv_plan_assign(f.h, d, running, &stop, &p, &err) == 0);
        for (size_t i = 0; i < p.count; i++)
            flags += p.steps[i].reason && strstr(p.steps[i].reason, "--") != NULL;
        exhv_plan_release(&p);
        if (gui)
            CHECK_INT(flags, 0);
        else
            CHECK_INT(flags, 3); /* --share, --no-drivers, --stop */
    }
    exhv_front_set(EXHV_FRONT_CLI);
    close_fixture(&f);
}

T_CASES(i18n_tests) = {
    {"i18n/english_is_the_format", t_english_is_the_format},
    {"i18n/chinese_at_every_sink", t_chinese_at_every_sink},
    {"i18n/plans_results_checks_in_chinese", t_plans_results_checks_in_chinese},
    {"i18n/result_in_chinese", t_result_in_chinese},
    {"i18n/result_cleanup_line", t_result_cleanup_line},
    {"i18n/gui_words", t_gui_words},
    {NULL, NULL},
};
