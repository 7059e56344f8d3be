/* Driver import as plan steps, on a simulated host whose driver store and
 * VM disk are real folders: what an import copies and writes, that a second
 * run writes nothing, that a host driver update replaces and prunes, and
 * that a fault at every step (each port call an import makes, each time it
 * makes it) leaves the disk detached, the hive unloaded, and the guest tree,
 * its hive and the whole host either as they were or as a complete import
 * leaves them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "hyperv/executor.h"
#include "hyperv/import.h"
#include "hyperv/planner.h"
#include "hyperv/sim/sim.h"
#include "platform/drvcopy.h"
#include "platform/fs.h"
#include "platform/tree.h"
#include "t.h"
#include "t_import.h"

typedef struct run {
    exhv_conn *c;
    exhv_host *h;
    exhv_plan p;
} run;

static int run_open(run *r, const t_import *t, int purge)
{
    exhv_error err;
    const exhv_vm *vm;
    exhv_import_opts o = {0, 0};
    memset(r, 0, sizeof(*r));
    exhv_plan_init(&r->p);
    if (exhv_conn_open(t->uri, &r->c, &err) < 0 || exhv_snapshot_take(r->c, &r->h, &err) < 0 ||
        !(vm = exhv_vm_select(r->h, T_IMPORT_VM, &err))) {
        fprintf(stderr, "  open: %s\n", err.message);
        return -1;
    }
    if ((purge ? exhv_plan_drv_purge(r->c, r->h, vm, &r->p, &err)
               : exhv_plan_drv_import(r->c, r->h, vm, exhv_gpu_select(r->h, "RTX 4070", &err), &o,
                                      &r->p, &err)) < 0) {
        fprintf(stderr, "  plan: %s\n", err.message);
        return -1;
    }
    return 0;
}

static void run_close(run *r)
{
    exhv_plan_release(&r->p);
    exhv_host_free(r->h);
    exhv_conn_close(r->c);
}

static char *state_of(exhv_conn *c)
{
    exhv_buf b = EXHV_BUF_INIT;
    if (exhv_sim_state(c->ctx, &b) < 0) {
        exhv_buf_release(&b);
        return NULL;
    }
    return exhv_buf_detach(&b);
}

static char *guest_of(const t_import *t, int with_times)
{
    exhv_buf b = EXHV_BUF_INIT;
    t_import_guest(t, with_times, &b);
    return exhv_buf_detach(&b);
}

static char *read_text(const char *path)
{
    char *data = NULL;
    size_t len;
    exhv_error err;
    if (exhv_fs_read_file(path, 1 << 20, &data, &len, &err) < 0)
        return NULL;
    return data;
}

/* The disk is not attached (it attaches again) and no hive is loaded. */
static int closed(exhv_conn *c)
{
    void *disk = NULL;
    exhv_error err;
    char **v = NULL, **k = NULL;
    size_t nv = 0, nk = 0;
    int rc;
    if (c->ops->vhd_attach(c->ctx, T_IMPORT_VHD, &disk, &err) < 0)
        return 0;
    c->ops->vhd_detach(c->ctx, disk, &err);
    rc = c->ops->reg_list(c->ctx, "HKLM\\exhv-guest-8D2F0C4A-1B3E-4F5A-9C6D-7E8F90A1B2C3", &v,
                          &nv, &k, &nk, &err);
    exhv_strv_free(v, nv);
    exhv_strv_free(k, nk);
    return rc == -2;
}

static int record_value(exhv_conn *c, const char *name, char *out, size_t n)
{
    exhv_regval v;
    exhv_error err;
    out[0] = '\0';
    if (c->ops->reg_get(c->ctx, EXHV_DRV_RECORD_KEY "\\8D2F0C4A-1B3E-4F5A-9C6D-7E8F90A1B2C3", name,
                        &v, &err) < 0)
        return -1;
    if (v.str)
        snprintf(out, n, "%s", v.str);
    else
        snprintf(out, n, "%llu", (unsigned long long)v.num);
    exhv_regval_release(&v);
    return 0;
}

static void test_import_copies_writes_and_records(void)
{
    t_import t;
    run r;
    exhv_report rep;
    exhv_drv_stats st;
    char buf[256], *hive, p[800];
    exhv_fs_info fi;
    exhv_error err;
    CHECK(t_import_build(&t) == 0);
    if (run_open(&r, &t, 0) < 0) {
        CHECK(0);
        return;
    }
    /* The plan: attach, copy, load the hive, write it, record; then always
     * commit, unload, detach. */
    CHECK_INT(r.p.count, 8);
    CHECK(r.p.count == 8 && r.p.steps[0].kind == EXHV_STEP_DISK_ATTACH &&
          r.p.steps[1].kind == EXHV_STEP_DRV_COPY && r.p.steps[2].kind == EXHV_STEP_HIVE_LOAD &&
          r.p.steps[3].kind == EXHV_STEP_HIVE_EDIT && r.p.steps[4].kind == EXHV_STEP_DRV_RECORD &&
          r.p.steps[5].cleanup && r.p.steps[6].cleanup && r.p.steps[7].cleanup &&
          r.p.steps[7].kind == EXHV_STEP_DISK_DETACH);
    /* Packages, files and bytes are in the plan: 7 files of the package. */
    CHECK_INT(r.p.count > 1 ? r.p.steps[1].files : 0, 7);
    CHECK(exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep) == 0);
    CHECK_INT(rep.outcome, EXHV_OUTCOME_DONE);
    exhv_report_release(&rep);
    CHECK(closed(r.c));
    CHECK(exhv_import_stats(r.c, &st) == 1);
    CHECK_INT(st.files_copied, 7 + 3);
    CHECK_INT(st.files_set_aside, 1);
    /* Only the GPU's package. */
    snprintf(p, sizeof(p), "%s/System32/HostDriverStore/FileRepository/"
             "nv_dispx.inf_amd64_5f1c2a7e9d3b4c60/B123456/nvEncodeAPI64.dll", t.windows);
    exhv_fs_info_get(p, &fi, &err);
    CHECK(fi.kind == EXHV_FS_FILE && fi.readonly);
    snprintf(p, sizeof(p), "%s/System32/HostDriverStore/FileRepository/"
             "netrtl.inf_amd64_0c1d2e3f4a5b6c7d", t.windows);
    exhv_fs_info_get(p, &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    snprintf(p, sizeof(p), "%s/SysWOW64/nvcuda.dll", t.windows);
    hive = read_text(p);
    CHECK_STR(hive, "nvcuda_loader32.dll v6094");
    free(hive);
    /* The service in both control sets Select names, pointing into
     * HostDriverStore; the hive unloaded into its file. */
    snprintf(p, sizeof(p), "%s/System32/config/SYSTEM", t.windows);
    hive = read_text(p);
    CHECK(hive && strstr(hive, "ControlSet001\\\\Services\\\\nvlddmkm") &&
          strstr(hive, "ControlSet002\\\\Services\\\\nvlddmkm"));
    CHECK(hive && strstr(hive, "\\\\SystemRoot\\\\System32\\\\HostDriverStore\\\\FileRepository"
                               "\\\\nv_dispx.inf_amd64_5f1c2a7e9d3b4c60\\\\nvlddmkm.sys"));
    free(hive);
    /* The host's record. */
    CHECK(record_value(r.c, "DriverVersion", buf, sizeof(buf)) == 0);
    CHECK_STR(buf, "32.0.15.6094");
    CHECK(record_value(r.c, "InfPath", buf, sizeof(buf)) == 0);
    CHECK_STR(buf, "oem8.inf");
    CHECK(record_value(r.c, "AllPackages", buf, sizeof(buf)) == 0);
    CHECK_STR(buf, "0");
    run_close(&r);

    /* Again: nothing to write. */
    {
        char *before = guest_of(&t, 1), *after;
        CHECK(run_open(&r, &t, 0) == 0);
        CHECK(exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep) == 0);
        exhv_report_release(&rep);
        CHECK(exhv_import_stats(r.c, &st) == 1);
        CHECK_INT(st.files_copied, 0);
        CHECK_INT(st.bytes_copied, 0);
        after = guest_of(&t, 0);
        free(before);
        before = guest_of(&t, 0);
        CHECK_STR(after, before);
        free(before);
        free(after);
        run_close(&r);
    }

    /* The host's driver is updated: the new package replaces the old one. */
    CHECK(t_import_update_host(&t) == 0);
    CHECK(run_open(&r, &t, 0) == 0);
    CHECK(exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep) == 0);
    exhv_report_release(&rep);
    CHECK(exhv_import_stats(r.c, &st) == 1);
    CHECK_INT(st.pkgs_pruned, 1);
    snprintf(p, sizeof(p), "%s/System32/HostDriverStore/FileRepository/"
             "nv_dispx.inf_amd64_5f1c2a7e9d3b4c60", t.windows);
    exhv_fs_info_get(p, &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    CHECK(record_value(r.c, "DriverVersion", buf, sizeof(buf)) == 0);
    CHECK_STR(buf, "32.0.15.6603");
    snprintf(p, sizeof(p), "%s/System32/config/SYSTEM", t.windows);
    hive = read_text(p);
    CHECK(hive && strstr(hive, "nv_dispx.inf_amd64_8e0d4b2a6c1f3e97\\\\nvlddmkm.sys") &&
          !strstr(hive, "5f1c2a7e9d3b4c60"));
    free(hive);
    run_close(&r);
    CHECK(run_open(&r, &t, 0) == 0);
    CHECK(exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep) == 0);
    exhv_report_release(&rep);
    CHECK(exhv_import_stats(r.c, &st) == 1);
    CHECK_INT(st.bytes_copied, 0);
    run_close(&r);

    /* Purged: the guest's own nvapi64 is back, the record gone. */
    CHECK(run_open(&r, &t, 1) == 0);
    CHECK(exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep) == 0);
    exhv_report_release(&rep);
    snprintf(p, sizeof(p), "%s/System32/nvapi64.dll", t.windows);
    hive = read_text(p);
    CHECK_STR(hive, "the guest's own nvapi64");
    free(hive);
    snprintf(p, sizeof(p), "%s/System32/HostDriverStore", t.windows);
    exhv_fs_info_get(p, &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    CHECK(record_value(r.c, "DriverVersion", buf, sizeof(buf)) < 0);
    CHECK(closed(r.c));
    run_close(&r);
    t_import_remove(&t);
}

/* ---- a fault at every step ---- */

static const char *const methods[] = {"vhd_attach", "vhd_windows", "drv_inf_location",
                                      "hive_load", "reg_set", "reg_delete", "reg_delete_key",
                                      "hive_unload",
                                      "vhd_detach", "save"};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

static size_t fault_runs, fault_done, fault_back;

/* One import (or purge) over the guest as phase leaves it, with the
 * `call`-th call of `method` failing. */
static void one_fault(int phase, int purge, const char *method, unsigned call, const char *done_state,
                      const char *done_guest)
{
    t_import t;
    run r;
    exhv_report rep;
    char *before = NULL, *before_guest = NULL, *after = NULL, *after_guest = NULL;
    char *after_guest_nt = NULL;
    int rc;
    CHECK(t_import_build(&t) == 0);
    if (phase >= 1) {
        /* An import made before, then a host driver update. */
        CHECK(run_open(&r, &t, 0) == 0);
        CHECK(exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep) == 0);
        exhv_report_release(&rep);
        run_close(&r);
        if (phase == 1)
            CHECK(t_import_update_host(&t) == 0);
    }
    if (run_open(&r, &t, purge) < 0) {
        CHECK(0);
        t_import_remove(&t);
        return;
    }
    before = state_of(r.c);
    before_guest = guest_of(&t, 1);
    /* Counted from the run (as in the clean one), not the planning. */
    exhv_sim_reset_faults(r.c->ctx);
    exhv_sim_inject_fault(r.c->ctx, method, call, 5, 0);
    rc = exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep);
    after = state_of(r.c);
    after_guest = guest_of(&t, 1);
    after_guest_nt = guest_of(&t, 0);
    fault_runs++;
    exhv_sim_reset_faults(r.c->ctx);
    if (!closed(r.c)) {
        fprintf(stderr, "  %s call %u (phase %d): the disk or the hive was left open\n", method,
                call, phase);
        CHECK(!"left open");
    }
    if (rc == 0) {
        /* The fault hit a call that was tried again, or none: a complete
         * import. */
        fault_done++;
        if (strcmp(after, done_state) || strcmp(after_guest_nt, done_guest)) {
            fprintf(stderr, "  %s call %u (phase %d): done, but not as a clean run leaves it\n",
                    method, call, phase);
            CHECK(!"done differs");
        }
    } else {
        fault_back++;
        if (rep.outcome != EXHV_OUTCOME_ROLLED_BACK || strcmp(after, before) ||
            strcmp(after_guest, before_guest)) {
            exhv_buf text = EXHV_BUF_INIT;
            exhv_report_text(&text, &r.p, &rep);
            fprintf(stderr, "  %s call %u (phase %d): outcome %s; host %s, guest %s:\n%s",
                    method, call, phase, exhv_outcome_name(rep.outcome),
                    strcmp(after, before) ? "changed" : "as before",
                    strcmp(after_guest, before_guest) ? "changed" : "as before",
                    exhv_buf_str(&text));
            exhv_buf_release(&text);
            CHECK(!"not as before");
        }
    }
    exhv_report_release(&rep);
    free(before);
    free(before_guest);
    free(after);
    free(after_guest);
    free(after_guest_nt);
    run_close(&r);
    t_import_remove(&t);
}

static void fault_phase(int phase, int purge)
{
    t_import t;
    run r;
    exhv_report rep;
    unsigned counts[NMETHODS];
    char *done_state, *done_guest;
    /* A clean run: how often each call is made, and what it leaves. */
    CHECK(t_import_build(&t) == 0);
    if (phase >= 1) {
        CHECK(run_open(&r, &t, 0) == 0);
        CHECK(exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep) == 0);
        exhv_report_release(&rep);
        run_close(&r);
        if (phase == 1)
            CHECK(t_import_update_host(&t) == 0);
    }
    if (run_open(&r, &t, purge) < 0) {
        CHECK(0);
        return;
    }
    exhv_sim_reset_faults(r.c->ctx);
    CHECK(exhv_plan_execute(r.c, &r.p, NULL, NULL, &rep) == 0);
    exhv_report_release(&rep);
    for (size_t m = 0; m < NMETHODS; m++)
        counts[m] = exhv_sim_call_count(r.c->ctx, methods[m]);
    done_state = state_of(r.c);
    done_guest = guest_of(&t, 0);
    run_close(&r);
    t_import_remove(&t);
    for (size_t m = 0; m < NMETHODS; m++)
        for (unsigned k = 1; k <= counts[m] + 1; k++)
            one_fault(phase, purge, methods[m], k, done_state, done_guest);
    free(done_state);
    free(done_guest);
}

static void test_import_fault_every_step(void)
{
    fault_phase(0, 0);   /* a first import */
    fault_phase(1, 0);   /* an update over an earlier import: replace and prune */
    fault_phase(2, 1);   /* a purge */
    printf("import: %zu faulted runs, %zu put back as before, %zu done (the call was tried "
           "again)\n", fault_runs, fault_back, fault_done);
}

/* A CopyToVm file the package does not have: the plan names it as left
 * out, and neither the run nor the script copies it. */
static void test_import_missing_ctv_source(void)
{
    t_import t;
    run r;
    char p[900];
    exhv_error err;
    int noted = 0;
    CHECK(t_import_build(&t) == 0);
    snprintf(p, sizeof(p), "%s/store/FileRepository/nv_dispx.inf_amd64_5f1c2a7e9d3b4c60/"
             "nvcuda_loader64.dll", t.dir);
    CHECK(exhv_fs_remove(p, &err) == 0);
    if (run_open(&r, &t, 0) < 0) {
        CHECK(0);
        t_import_remove(&t);
        return;
    }
    for (size_t i = 0; i < r.p.nnotes; i++)
        noted |= strstr(r.p.notes[i], "nvcuda_loader64.dll") != NULL &&
                 strstr(r.p.notes[i], "left out") != NULL;
    CHECK(noted);
    for (size_t i = 0; i < r.p.count; i++)
        if (r.p.steps[i].kind == EXHV_STEP_DRV_COPY)
            CHECK(r.p.steps[i].script && !strstr(r.p.steps[i].script, "nvcuda_loader64.dll"));
    run_close(&r);
    t_import_remove(&t);
}

T_CASES(import_tests) = {
    {"import_missing_ctv_source", test_import_missing_ctv_source},
    {"import_copies_writes_and_records", test_import_copies_writes_and_records},
    {"import_fault_every_step", test_import_fault_every_step},
    T_END,
};
