/* The text exhv writes for people in the language in force: English is
 * the format itself; in Chinese every plan, result, check, survey reason
 * and error of the simulated host reads in Chinese. */
#include <stdlib.h>

#include "core/i18n.h"
#include "core/plan.h"
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

/* The window names its own choices: no CLI flag in the GPU plan's notes
 * or the steps' reasons; the CLI's words are unchanged. */
static void t_gui_words(void)
{
    fixture f;
    exhv_error err;
    exhv_plan p;
    exhv_gpu_opts o = {0, 50, 0, 0, 1};
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
    {"i18n/gui_words", t_gui_words},
    {NULL, NULL},
};
