/* GPU-PV: planning, adding and removing partitions on the simulated host. */
#include <stdlib.h>

#include "core/plan.h"
#include "hyperv/actions.h"
#include "hyperv/executor.h"
#include "hyperv/planner.h"
#include "hyperv/sim/sim.h"
#include "platform/fs.h"
#include "t.h"

typedef struct fixture {
    exhv_conn c;
    exhv_host *h;
    char *text;
} fixture;

static int open_text(fixture *f, const char *text, size_t len)
{
    exhv_error err;
    memset(f, 0, sizeof(f->c));
    f->h = NULL;
    f->c.uri = "test:///unit";
    f->c.simulated = 1;
    if (exhv_sim_open_text(text, len, "unit", &f->c.ops, &f->c.ctx, &err) < 0)
        return -1;
    return exhv_snapshot_take(&f->c, &f->h, &err);
}

static int open_default(fixture *f)
{
    f->text = NULL;
    return open_text(f, exhv_sim_default_json, exhv_sim_default_json_len);
}

/* A data scenario of tests/data (the tests run from the build tree or the
 * repository). */
static int open_data(fixture *f, const char *name)
{
    static const char *const dirs[] = {"tests/data/", "../tests/data/", "../../tests/data/"};
    exhv_error err;
    size_t len;
    for (size_t i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof(path), "%s%s", dirs[i], name);
        if (exhv_fs_read_file(path, 8u << 20, &f->text, &len, &err) == 0)
            return open_text(f, f->text, len);
    }
    return -1;
}

static void refresh(fixture *f)
{
    exhv_error err;
    exhv_host_free(f->h);
    f->h = NULL;
    CHECK(exhv_snapshot_take(&f->c, &f->h, &err) == 0);
}

static void close_fixture(fixture *f)
{
    exhv_host_free(f->h);
    if (f->c.ops)
        f->c.ops->close(f->c.ctx);
    free(f->text);
}

static const exhv_vm *vm(fixture *f, const char *name)
{
    exhv_error err;
    return exhv_vm_select(f->h, name, &err);
}

static char *vm_signature(fixture *f, const char *name)
{
    exhv_buf b = EXHV_BUF_INIT;
    const exhv_vm *v;
    refresh(f);
    v = vm(f, name);
    if (!v)
        return NULL;
    exhv_buf_printf(&b, "%d %llu %llu %d %d %d %d %zu", (int)v->state,
                    (unsigned long long)v->low_mmio_mb, (unsigned long long)v->high_mmio_mb,
                    v->guest_controlled_cache, (int)v->stop_action, (int)v->checkpoint,
                    v->dynamic_memory, v->nadapters);
    for (size_t i = 0; i < v->nadapters; i++)
        exhv_buf_printf(&b, " [%s %s]", v->adapters[i].id, v->adapters[i].instance_path);
    return exhv_buf_detach(&b);
}

static const char *method_of(const exhv_step *s)
{
    switch (s->kind) {
    case EXHV_STEP_VM_SET: return "ModifySystemSettings";
    case EXHV_STEP_VM_MEMORY: return "ModifyResourceSettings";
    case EXHV_STEP_GPU_ADD: return "AddResourceSettings";
    case EXHV_STEP_GPU_REMOVE: return "RemoveResourceSettings";
    case EXHV_STEP_VM_SHUTDOWN: return "InitiateShutdown";
    default: return "?";
    }
}

/* Every fault point of the add plan restores the VM. legacy-xp needs every
 * preparation step; router needs only the high MMIO gap. */
static void t_add_rollback_every_step(void)
{
    static const char *const vms[] = {"legacy-xp", "router"};
    for (size_t v = 0; v < 2; v++) {
        size_t steps = 0;
        for (size_t k = 0; k == 0 || k < steps; k++)
            for (int job = 0; job < 2; job++) {
                fixture f;
                exhv_plan p;
                exhv_report r;
                exhv_error err;
                exhv_gpu_opts o = {0};
                char *before, *after;
                unsigned n = 1;
                CHECK(open_default(&f) == 0);
                CHECK(exhv_plan_gpu_add(f.h, vm(&f, vms[v]), exhv_gpu_select(f.h, "0", &err), &o,
                                        &p, &err) == 0);
                steps = p.count;
                before = vm_signature(&f, vms[v]);
                for (size_t i = 0; i < k; i++)
                    n += strcmp(method_of(&p.steps[i]), method_of(&p.steps[k])) == 0;
                exhv_sim_inject_fault(f.c.ctx, method_of(&p.steps[k]), n, 32775, job);
                CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) < 0);
                CHECK_INT(r.outcome, EXHV_OUTCOME_ROLLED_BACK);
                CHECK_INT(r.failed_step, k);
                after = vm_signature(&f, vms[v]);
                if (!before || !after || strcmp(before, after) != 0) {
                    fprintf(stderr, "  %s step %zu job %d:\n    before %s\n    after  %s\n", vms[v],
                            k + 1, job, before ? before : "", after ? after : "");
                    CHECK(!"VM changed");
                }
                free(before);
                free(after);
                exhv_report_release(&r);
                exhv_plan_release(&p);
                close_fixture(&f);
            }
        CHECK(steps >= (v == 0 ? 5u : 2u));
    }
}

/* A failure after the adapter was added removes exactly that adapter. */
static void t_add_undo_removes_new_adapter(void)
{
    fixture f;
    exhv_plan p;
    exhv_report r;
    exhv_error err;
    exhv_step extra = {0};
    exhv_gpu_opts o = {0};
    char *before, *after;
    CHECK(open_default(&f) == 0);
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "win11-gaming"), exhv_gpu_select(f.h, "1", &err), &o, &p,
                            &err) == 0);
    /* A later step that fails: set a bad low MMIO gap. */
    extra.kind = EXHV_STEP_VM_SET;
    extra.vm_id = "8D2F0C4A-1B3E-4F5A-9C6D-7E8F90A1B2C3";
    extra.vm_name = "win11-gaming";
    extra.prop = "LowMmioGapSize";
    extra.old_value = 128;
    extra.new_value = 5;
    CHECK(exhv_plan_add_step(&p, &extra) != NULL);
    before = vm_signature(&f, "win11-gaming");
    CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) < 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_ROLLED_BACK);
    after = vm_signature(&f, "win11-gaming");
    CHECK(before && after && strcmp(before, after) == 0);
    /* The adapter the VM had before is still there. */
    CHECK(after && strstr(after, "2C1F6E7A-8B9C-4D0E-9F1A-2B3C4D5E6F70") != NULL);
    free(before);
    free(after);
    exhv_report_release(&r);
    exhv_plan_release(&p);
    close_fixture(&f);
}

static void t_add_then_remove(void)
{
    fixture f;
    exhv_plan p;
    exhv_report r;
    exhv_error err;
    exhv_gpu_opts o = {0};
    const exhv_vm *v;
    CHECK(open_default(&f) == 0);
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), exhv_gpu_select(f.h, "RX 7600", &err), &o, &p,
                            &err) == 0);
    CHECK(p.count == 2 && p.steps[0].kind == EXHV_STEP_VM_SET &&
          strcmp(p.steps[0].prop, "HighMmioGapSize") == 0 && p.steps[0].new_value == 32768);
    CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) == 0);
    exhv_report_release(&r);
    exhv_plan_release(&p);
    refresh(&f);
    v = vm(&f, "router");
    CHECK(v && v->nadapters == 1 && !v->adapters[0].stale);
    if (v && v->nadapters)
        CHECK(exhv_strcaseeq(v->adapters[0].instance_path, f.h->gpus[1].partition_path));
    CHECK(exhv_plan_gpu_remove(f.h, v, NULL, 0, 0, &o, &p, &err) == 0);
    CHECK_INT(p.count, 1);
    CHECK(p.nnotes == 1 && strstr(p.notes[0], "32 GB") && strstr(p.notes[0], "Left as they are"));
    CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) == 0);
    exhv_report_release(&r);
    exhv_plan_release(&p);
    refresh(&f);
    v = vm(&f, "router");
    CHECK(v && v->nadapters == 0 && v->high_mmio_mb == 32768);
    close_fixture(&f);
}

/* Two identical GPUs: each can be chosen, and the adapter names it. */
static void t_twin_gpus(void)
{
    for (unsigned which = 0; which < 2; which++) {
        fixture f;
        exhv_plan p;
        exhv_report r;
        exhv_error err;
        exhv_gpu_opts o = {0};
        const exhv_gpu *g;
        const exhv_vm *v;
        char *path;
        CHECK(open_data(&f, "twin-gpus.json") == 0);
        if (!f.h)
            return;
        CHECK(exhv_gpu_select(f.h, "RTX 4070", &err) == NULL);
        CHECK(strstr(err.message, "matches 2 GPUs") != NULL);
        /* The two 4070s are index 0 and 2 (ordered by slot). */
        g = exhv_gpu_select(f.h, which ? "2" : "0", &err);
        CHECK(g && strstr(g->name, "RTX 4070") && g->partitionable);
        if (!g) {
            close_fixture(&f);
            return;
        }
        CHECK(exhv_gpu_select(f.h, g->instance_id, &err) == g);
        path = exhv_strdup(g->partition_path);
        CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), g, &o, &p, &err) == 0);
        CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) == 0);
        exhv_report_release(&r);
        exhv_plan_release(&p);
        refresh(&f);
        v = vm(&f, "router");
        CHECK(v && v->nadapters == 1);
        if (v && v->nadapters)
            CHECK(exhv_strcaseeq(v->adapters[0].instance_path, path));
        free(path);
        close_fixture(&f);
    }
}

static void t_old_build(void)
{
    fixture f;
    exhv_plan p;
    exhv_error err;
    exhv_gpu_opts o = {0};
    CHECK(open_data(&f, "win10.json") == 0);
    if (!f.h)
        return;
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), exhv_gpu_select(f.h, "0", &err), &o, &p, &err) < 0);
    CHECK(strstr(err.message, "cannot choose the GPU") != NULL);
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), NULL, &o, &p, &err) == 0);
    CHECK(p.count && p.steps[p.count - 1].kind == EXHV_STEP_GPU_ADD &&
          strcmp(p.steps[p.count - 1].gpu_path, "") == 0);
    CHECK(p.nnotes && strstr(p.notes[0], "Hyper-V uses one of the partitionable GPUs"));
    {
        exhv_report r;
        const exhv_vm *v;
        CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) == 0);
        exhv_report_release(&r);
        refresh(&f);
        v = vm(&f, "router");
        CHECK(v && v->nadapters == 1 && !v->adapters[0].stale && !v->adapters[0].instance_path[0]);
    }
    exhv_plan_release(&p);
    close_fixture(&f);
}

/* GPU-PV from build 19041: 17134, 17763 and 18362 are refused with the
 * reason; below 22000 the high MMIO gap fits the largest VRAM among the GPUs
 * Hyper-V may pick. */
static void t_builds_gpu_add(void)
{
    static const unsigned refused_builds[] = {17134, 17763, 18362};
    static const unsigned ok_builds[] = {19041, 19045, 20348, 20349};
    fixture f;
    exhv_plan p;
    exhv_error err;
    exhv_gpu_opts o = {0};
    CHECK(open_default(&f) == 0);
    if (!f.h)
        return;
    for (size_t i = 0; i < 3; i++) {
        f.h->sys.build = refused_builds[i];
        exhv_error_clear(&err);
        CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), NULL, &o, &p, &err) < 0);
        CHECK(strstr(err.message, "19041") != NULL && strstr(err.message, "too old") != NULL);
    }
    /* The second GPU (partitionable) has the most VRAM: 40 GB -> a 64 GB gap. */
    CHECK(f.h->ngpus >= 2 && f.h->gpus[1].partitionable);
    f.h->gpus[1].vram_bytes = 40ull << 30;
    for (size_t i = 0; i < 4; i++) {
        int found = 0;
        f.h->sys.build = ok_builds[i];
        CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), NULL, &o, &p, &err) == 0);
        for (size_t k = 0; k < p.count; k++)
            if (p.steps[k].kind == EXHV_STEP_VM_SET && p.steps[k].prop &&
                strcmp(p.steps[k].prop, EXHV_PROP_HIGH_MMIO) == 0) {
                CHECK_INT(p.steps[k].new_value, 65536);
                found = 1;
            }
        CHECK(found);
        exhv_plan_release(&p);
    }
    /* From 22000 the chosen GPU alone sizes it. */
    f.h->sys.build = 22000;
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), &f.h->gpus[0], &o, &p, &err) == 0);
    for (size_t k = 0; k < p.count; k++)
        if (p.steps[k].kind == EXHV_STEP_VM_SET && strcmp(p.steps[k].prop, EXHV_PROP_HIGH_MMIO) == 0)
            CHECK_INT(p.steps[k].new_value, 32768);
    exhv_plan_release(&p);
    close_fixture(&f);
}

static void t_refusals_and_warnings(void)
{
    fixture f;
    exhv_plan p;
    exhv_error err;
    exhv_gpu_opts o = {0}, stop = {1, 0, 0, 0, 0, NULL, 0, 0};
    const exhv_gpu *g;
    CHECK(open_default(&f) == 0);
    g = exhv_gpu_select(f.h, "0", &err);
    /* dev-box runs and has a checkpoint: the checkpoint refuses, even with --stop. */
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "dev-box"), g, &stop, &p, &err) < 0);
    CHECK(strstr(err.message, "checkpoint") != NULL);
    /* Several partitionable GPUs and no --gpu. */
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), NULL, &o, &p, &err) < 0);
    CHECK(strstr(err.message, "choose one with --gpu") != NULL);
    /* Not partitionable. */
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), exhv_gpu_select(f.h, "2", &err), &o, &p, &err) < 0);
    CHECK(strstr(err.message, "cannot be partitioned") != NULL);
    /* Generation 1: a plan, with a warning. */
    CHECK(exhv_plan_gpu_add(f.h, vm(&f, "legacy-xp"), g, &o, &p, &err) == 0);
    {
        int warned = 0;
        for (size_t i = 0; i < p.nnotes; i++)
            warned |= strstr(p.notes[i], "Generation 1") != NULL;
        CHECK(warned);
    }
    exhv_plan_release(&p);
    /* --share: values from the GPU's ranges; --high-mmio above 64 GB warns. */
    {
        exhv_gpu_opts share = {0, 50, 0, 131072, 0, NULL, 0, 0};
        int warned = 0;
        CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), g, &share, &p, &err) == 0);
        /* 50% of 1e9 is below the GPU's minimum partition (1e9): clamped up. */
        CHECK(p.steps[p.count - 1].nvalues == 12 && p.steps[p.count - 1].values[1] == 1000000000);
        for (size_t i = 0; i < p.count; i++)
            if (p.steps[i].kind == EXHV_STEP_VM_SET && strcmp(p.steps[i].prop, "HighMmioGapSize") == 0)
                CHECK_INT(p.steps[i].new_value, 131072);
        for (size_t i = 0; i < p.nnotes; i++)
            warned |= strstr(p.notes[i], "64 GB") != NULL;
        CHECK(warned);
        exhv_plan_release(&p);
        /* Without limits from the GPU, 50% of the total. */
        f.h->gpus[0].part.min[0] = f.h->gpus[0].part.max[0] = 0;
        CHECK(exhv_plan_gpu_add(f.h, vm(&f, "router"), g, &share, &p, &err) == 0);
        CHECK_INT(p.steps[p.count - 1].values[0], 500000000);
        exhv_plan_release(&p);
    }
    /* Remove: several adapters need a choice; --stale picks the stale one. */
    CHECK(exhv_plan_gpu_remove(f.h, vm(&f, "render-node"), NULL, 0, 1, &o, &p, &err) == 0);
    CHECK(p.count == 1 && p.steps[0].kind == EXHV_STEP_GPU_REMOVE_STALE);
    exhv_plan_release(&p);
    /* Nothing to remove is nothing to do: an empty plan that says why. */
    CHECK(exhv_plan_gpu_remove(f.h, vm(&f, "router"), NULL, 0, 0, &o, &p, &err) == 0);
    CHECK(p.count == 0 && p.nnotes == 1 && strstr(p.notes[0], "no GPU partition adapter"));
    exhv_plan_release(&p);
    CHECK(exhv_plan_gpu_remove(f.h, vm(&f, "win11-gaming"), NULL, 0, 1, &o, &p, &err) == 0);
    CHECK(p.count == 0 && p.nnotes == 1 && strstr(p.notes[0], "no stale"));
    exhv_plan_release(&p);
    /* A named adapter that does not exist is an error. */
    CHECK(exhv_plan_gpu_remove(f.h, vm(&f, "router"), "7", 0, 0, &o, &p, &err) < 0);
    CHECK(err.code == EXHV_E_NOT_FOUND);
    close_fixture(&f);
}

/* The simulated host refuses what Hyper-V refuses. */
static void t_sim_gpu(void)
{
    fixture f;
    exhv_error err;
    char *made = NULL;
    CHECK(open_default(&f) == 0);
    /* Running VM. */
    CHECK(exhv_hv_gpu_add(&f.c, "2B7E1516-28AE-4D2A-A6F7-15880904CF4F",
                          f.h->gpus[0].partition_path, NULL, 0, &made, &err) < 0);
    CHECK_INT(err.plat_code, 32775);
    /* A stale adapter keeps the VM from starting. */
    CHECK(exhv_hv_vm_state(&f.c, "C0FFEE00-1234-4ABC-8DEF-0123456789AB", 2, &err) < 0);
    CHECK(strstr(err.message, "GPU partition adapter") != NULL);
    /* Unknown host resource. */
    CHECK(exhv_hv_gpu_add(&f.c, "0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0", "\\\\?\\PCI#NOPE", NULL, 0,
                          &made, &err) < 0);
    CHECK_INT(err.code, EXHV_E_NOT_FOUND);
    close_fixture(&f);
}

/* DDA and GPU-PV on one card: assigning a GPU whose partitions VMs hold is
 * refused without --force and names them; once DDA holds it, the GPU is
 * not offered for partitions, and Hyper-V refuses one. */
static void t_dda_gpu_with_partitions(void)
{
    fixture f;
    exhv_plan p;
    exhv_report r;
    exhv_error err;
    exhv_assign_opts none = {0, 0, 0}, force = {0, 1, 0};
    const exhv_device *d;
    char *path;
    int named = 0;
    CHECK(open_default(&f) == 0);
    d = exhv_device_select(f.h, "RX 7600", &err);
    CHECK(d != NULL);
    path = exhv_strdup(f.h->gpus[1].partition_path);
    CHECK(exhv_plan_assign(f.h, d, vm(&f, "router"), &none, &p, &err) < 0);
    CHECK(strstr(err.message, "win11-gaming") != NULL);
    CHECK(strstr(err.message, "--force") != NULL);
    CHECK(exhv_plan_assign(f.h, d, vm(&f, "router"), &force, &p, &err) == 0);
    for (size_t i = 0; i < p.nnotes; i++)
        named |= strstr(p.notes[i], "win11-gaming") != NULL;
    CHECK(named);
    CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) == 0);
    exhv_report_release(&r);
    exhv_plan_release(&p);
    refresh(&f);
    for (size_t i = 0; i < f.h->ngpus; i++)
        CHECK(!(f.h->gpus[i].partitionable && f.h->gpus[i].partition_path &&
                exhv_strcaseeq(f.h->gpus[i].partition_path, path)));
    /* Hyper-V takes no partition of it now. */
    {
        char *made = NULL;
        CHECK(exhv_hv_gpu_add(&f.c, "6A09E667-BB67-4AE8-A54F-F53A510E527F", path, NULL, 0, &made,
                              &err) < 0);
        free(made);
    }
    free(path);
    close_fixture(&f);
}

/* Indices change when a card leaves the host; a GPU's location path does
 * not: --gpu takes it, and the choice it names stays the same card. */
static void t_gpu_stable_selector(void)
{
    fixture f;
    exhv_plan p;
    exhv_report r;
    exhv_error err;
    exhv_assign_opts o = {0, 0, 0};
    const exhv_gpu *g;
    char *loc, *iid;
    CHECK(open_default(&f) == 0);
    g = exhv_gpu_select(f.h, "RX 7600", &err);
    CHECK(g && g->index == 1 && g->location_path && g->location_path[0]);
    if (!g || !g->location_path) {
        close_fixture(&f);
        return;
    }
    loc = exhv_strdup(g->location_path);
    iid = exhv_strdup(g->instance_id);
    CHECK(exhv_gpu_select(f.h, loc, &err) == g);
    /* The RTX 4070 (GPU 0) goes to a VM by DDA: the indices shift. */
    CHECK(exhv_plan_assign(f.h, exhv_device_select(f.h, "RTX 4070", &err), vm(&f, "router"), &o,
                           &p, &err) == 0);
    CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) == 0);
    exhv_report_release(&r);
    exhv_plan_release(&p);
    refresh(&f);
    g = exhv_gpu_select(f.h, loc, &err);
    CHECK(g && exhv_strcaseeq(g->instance_id, iid) && g->index == 0);
    free(loc);
    free(iid);
    close_fixture(&f);
}

T_CASES(gpu_tests) = {
    {"gpu/stable_selector", t_gpu_stable_selector},
    {"gpu/dda_gpu_with_partitions", t_dda_gpu_with_partitions},
    {"gpu/add_rollback_every_step", t_add_rollback_every_step},
    {"gpu/add_undo_removes_new_adapter", t_add_undo_removes_new_adapter},
    {"gpu/add_then_remove", t_add_then_remove},
    {"gpu/twin_gpus", t_twin_gpus},
    {"gpu/old_build", t_old_build},
    {"gpu/refusals_and_warnings", t_refusals_and_warnings},
    {"gpu/builds_gpu_add", t_builds_gpu_add},
    {"gpu/sim_gpu", t_sim_gpu},
    T_END,
};
