/* The rollback property, over every plan of every changing command: after
 * a failure at any step, either the whole simulated host is exactly as it
 * was (and exhv says "Nothing was changed"), or exhv says exactly what
 * differs (outcome incomplete, exit 5). "Whole" is the simulated host's
 * canonical state: every WMI object, devnode, registry value and host fact. */
#include <stdlib.h>

#include "core/json.h"
#include "hyperv/actions.h"
#include "hyperv/executor.h"
#include "hyperv/import.h"
#include "hyperv/planner.h"
#include "hyperv/sim/sim.h"
#include "platform/fs.h"
#include "platform/interrupt.h"
#include "t.h"
#include "t_import.h"

/* ---------------- scenarios ---------------- */

static exhv_json *find_by(exhv_json *arr, const char *prop, const char *value)
{
    for (size_t i = 0; arr && i < arr->count; i++)
        if (exhv_strcaseeq(exhv_json_get_str(&arr->items[i], prop), value))
            return &arr->items[i];
    return NULL;
}

static exhv_json *wmi_class(exhv_json *doc, const char *cls)
{
    return (exhv_json *)exhv_json_get(exhv_json_get(doc, "wmi"), cls);
}

/* The VM named `name`'s settings object. */
static exhv_json *vssd(exhv_json *doc, const char *name)
{
    return find_by(wmi_class(doc, "Msvm_VirtualSystemSettingData"), "ElementName", name);
}

static void set_int(exhv_json *obj, const char *key, int64_t v)
{
    if (obj)
        exhv_json_set_int(exhv_json_obj_set(obj, key, EXHV_JSON_NULL), v);
}

/* A GPU partition adapter of VM `vm_id` for the GPU `gpu_name` (NULL:
 * one whose GPU is gone), with partition values and the properties every
 * real adapter has. */
static void add_adapter(exhv_json *doc, const char *vm_id, const char *guid, const char *gpu_name,
                        int64_t base)
{
    exhv_json *arr = wmi_class(doc, "Msvm_GpuPartitionSettingData");
    exhv_json *o = exhv_json_arr_push(arr, EXHV_JSON_OBJECT), *hr;
    exhv_buf id = EXHV_BUF_INIT, path = EXHV_BUF_INIT;
    const char *names[12] = {
        "MinPartitionVRAM",   "MaxPartitionVRAM",   "OptimalPartitionVRAM",
        "MinPartitionEncode", "MaxPartitionEncode", "OptimalPartitionEncode",
        "MinPartitionDecode", "MaxPartitionDecode", "OptimalPartitionDecode",
        "MinPartitionCompute", "MaxPartitionCompute", "OptimalPartitionCompute",
    };
    exhv_buf_printf(&id, "Microsoft:%s\\%s", vm_id, guid);
    exhv_buf_puts(&path, "\\\\LAB-HV01\\root\\virtualization\\v2:Msvm_PartitionableGpu.Name=\"");
    for (const char *p = gpu_name ? gpu_name
                                  : "\\\\?\\PCI#VEN_10DE&DEV_0000&SUBSYS_00000000&REV_A1#4&DEAD&0&0011#"
                                    "{064092b3-625e-43bf-9eb5-dc845897dd59}\\GPUPARAV";
         *p; p++) {
        if (*p == '\\' || *p == '"')
            exhv_buf_putc(&path, '\\');
        exhv_buf_putc(&path, *p);
    }
    exhv_buf_putc(&path, '"');
    exhv_json_set_str(exhv_json_obj_set(o, "InstanceID", EXHV_JSON_NULL), exhv_buf_str(&id));
    set_int(o, "ResourceType", 32770);
    exhv_json_set_str(exhv_json_obj_set(o, "ResourceSubType", EXHV_JSON_NULL),
                      "Microsoft:Hyper-V:GPU Partition");
    hr = exhv_json_obj_set(o, "HostResource", EXHV_JSON_ARRAY);
    exhv_json_set_str(exhv_json_arr_push(hr, EXHV_JSON_NULL), exhv_buf_str(&path));
    for (int i = 0; i < 12; i++)
        set_int(o, names[i], base + i);
    exhv_buf_release(&id);
    exhv_buf_release(&path);
}

/* The default host with what the plans below need besides: a disabled
 * device, a VM whose low MMIO gap is below what Hyper-V accepts, a running
 * VM without checkpoints, VMs with several adapters (with partition
 * values, and stale), and the DDA policy relaxed. */
static char *scenario_text(void)
{
    exhv_json *doc = NULL;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    exhv_json *pnp, *dev;
    const char *gpu0;

    if (exhv_json_parse(exhv_sim_default_json, exhv_sim_default_json_len, &doc, &err) < 0)
        return NULL;
    pnp = (exhv_json *)exhv_json_get(doc, "pnp");
    for (size_t i = 0; pnp && i < pnp->count; i++) {
        dev = &pnp->items[i];
        if (exhv_json_get_bool(dev, "present", 1) &&
            strstr(exhv_json_get_str(dev, "name") ? exhv_json_get_str(dev, "name") : "", "I225-V"))
            set_int(dev, "problem", 22);
    }
    /* router: low MMIO 32 MB (below Hyper-V's minimum); win11-gaming: a
     * second adapter; old-gaming: a stale adapter before a good one;
     * render-node stays as it is (a good and a stale adapter). */
    set_int(vssd(doc, "router"), "LowMmioGapSize", 32);
    gpu0 = exhv_json_get_str(&wmi_class(doc, "Msvm_PartitionableGpu")->items[0], "Name");
    add_adapter(doc, "8D2F0C4A-1B3E-4F5A-9C6D-7E8F90A1B2C3", "11111111-2222-4333-8444-555555555555",
                gpu0, 500);
    add_adapter(doc, "DEADBEEF-0000-4000-8000-00000000A11E", "0A0A0A0A-0000-4000-8000-000000000001",
                NULL, 700);
    add_adapter(doc, "DEADBEEF-0000-4000-8000-00000000A11E", "0A0A0A0A-0000-4000-8000-000000000002",
                gpu0, 900);
    /* win11-gaming runs (and has no checkpoint). */
    set_int(find_by(wmi_class(doc, "Msvm_ComputerSystem"), "ElementName", "win11-gaming"),
            "EnabledState", 2);
    exhv_jw_init(&w, &b, 1);
    exhv_jw_value(&w, doc);
    exhv_jw_end(&w);
    exhv_json_free(doc);
    return exhv_buf_detach(&b);
}

/* The same, with the DDA policy relaxed. */
static char *relaxed_text(void)
{
    exhv_json *doc = NULL;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    exhv_json *reg, *key;
    if (exhv_json_parse(exhv_sim_default_json, exhv_sim_default_json_len, &doc, &err) < 0)
        return NULL;
    reg = (exhv_json *)exhv_json_get(doc, "registry");
    key = exhv_json_obj_set(reg, "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV",
                            EXHV_JSON_OBJECT);
    set_int(exhv_json_obj_set(key, "RequireSecureDeviceAssignment", EXHV_JSON_OBJECT), "dword", 0);
    set_int(exhv_json_obj_set(key, "RequireSupportedDeviceAssignment", EXHV_JSON_OBJECT), "dword", 0);
    exhv_jw_init(&w, &b, 1);
    exhv_jw_value(&w, doc);
    exhv_jw_end(&w);
    exhv_json_free(doc);
    return exhv_buf_detach(&b);
}

static char *file_text(const char *name)
{
    static const char *const dirs[] = {"tests/data/", "../tests/data/", "../../tests/data/"};
    exhv_error err;
    char *text = NULL;
    size_t len;
    for (size_t i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof(path), "%s%s", dirs[i], name);
        if (exhv_fs_read_file(path, 8u << 20, &text, &len, &err) == 0)
            return text;
    }
    return NULL;
}

/* ---------------- plans ---------------- */

typedef struct fixture {
    exhv_conn c;
    exhv_host *h;
    int sc;
    t_import t;              /* driver import scenarios: the folders beside the host */
} fixture;

enum { SC_DEFAULT, SC_EXTRA, SC_RELAXED, SC_WIN10, SC_POLICY_ODD, SC_GUEST_IGNORES,
       SC_IMPORT, SC_IMPORT_UPDATE, SC_IMPORTED, SC__COUNT };

/* A host with a driver store and the VM's disk as folders (t_import.h):
 * fresh; imported once and then the host's driver updated; imported. */
static int is_import(int sc)
{
    return sc >= SC_IMPORT;
}

static char *texts[SC__COUNT];

static const char *text_of(int sc)
{
    if (sc < 0 || sc >= SC__COUNT)
        return NULL;
    if (!texts[sc]) {
        switch (sc) {
        case SC_DEFAULT:
            texts[sc] = exhv_strndup(exhv_sim_default_json, exhv_sim_default_json_len);
            break;
        case SC_EXTRA: texts[sc] = scenario_text(); break;
        case SC_RELAXED: texts[sc] = relaxed_text(); break;
        case SC_WIN10: texts[sc] = file_text("win10.json"); break;
        case SC_POLICY_ODD: texts[sc] = file_text("policy-odd.json"); break;
        case SC_GUEST_IGNORES: texts[sc] = file_text("guest-ignores-shutdown.json"); break;
        }
    }
    return texts[sc];
}

static void texts_free(void)
{
    for (int i = 0; i < SC__COUNT; i++) {
        free(texts[i]);
        texts[i] = NULL;
    }
}

static int fixture_open(fixture *f, int sc)
{
    exhv_error err;
    const char *t = is_import(sc) ? NULL : text_of(sc);
    memset(f, 0, sizeof(*f));
    f->sc = sc;
    f->c.uri = "test:///unit";
    f->c.simulated = 1;
    if (is_import(sc)) {
        if (t_import_build(&f->t) < 0 || (sc != SC_IMPORT && t_import_run(&f->t, 0) < 0) ||
            (sc == SC_IMPORT_UPDATE && t_import_update_host(&f->t) < 0) ||
            exhv_sim_open_file(f->t.host, &f->c.ops, &f->c.ctx, &err) < 0)
            return -1;
        return exhv_snapshot_take(&f->c, &f->h, &err);
    }
    if (!t || exhv_sim_open_text(t, strlen(t), "unit", &f->c.ops, &f->c.ctx, &err) < 0)
        return -1;
    return exhv_snapshot_take(&f->c, &f->h, &err);
}

static void fixture_close(fixture *f)
{
    exhv_host_free(f->h);
    exhv_import_session_end(&f->c);
    if (f->c.ops)
        f->c.ops->close(f->c.ctx);
    if (f->t.dir[0])
        t_import_remove(&f->t);
}

typedef enum { CMD_ASSIGN, CMD_POLICY, CMD_GPU_ADD, CMD_GPU_REMOVE, CMD_DRIVERS } cmd_kind;

typedef struct plan_case {
    const char *name;
    int scenario;
    cmd_kind cmd;
    const char *a, *b;       /* assign: device, to; gpu: VM, GPU or adapter */
    int flags;               /* assign: --stop 1, --with-functions 2, --force 4; policy: relax;
                                gpu remove: --all 1, --stale 2, --stop 4; gpu add: --stop 4 */
    int share;
} plan_case;

static const plan_case cases[] = {
    /* assign, in every transition */
    {"assign host->vm --with-functions", SC_DEFAULT, CMD_ASSIGN, "PCIROOT(0)#PCI(0101)#PCI(0000)", "win11-gaming", 2, 0},
    {"assign host->running vm --stop", SC_DEFAULT, CMD_ASSIGN, "RTX 4070", "dev-box", 1, 0},
    {"assign vm->vm", SC_DEFAULT, CMD_ASSIGN, "I226-V", "win11-gaming", 0, 0},
    {"assign vm->host", SC_DEFAULT, CMD_ASSIGN, "I226-V", "host", 0, 0},
    {"assign dismounted->host", SC_DEFAULT, CMD_ASSIGN, "ASMedia", "host", 0, 0},
    {"assign dismounted->vm", SC_DEFAULT, CMD_ASSIGN, "ASMedia", "win11-gaming", 0, 0},
    {"assign missing->host", SC_DEFAULT, CMD_ASSIGN, "PCIROOT(0)#PCI(0104)#PCI(0000)", "host", 0, 0},
    {"assign disabled host->vm", SC_EXTRA, CMD_ASSIGN, "I225-V", "render-node", 0, 0},
    {"assign disabled host->host", SC_EXTRA, CMD_ASSIGN, "I225-V", "host", 0, 0},
    {"assign partitioned GPU --force", SC_DEFAULT, CMD_ASSIGN, "RX 7600", "router", 4, 0},
    {"assign --stop (guest ignores shutdown)", SC_GUEST_IGNORES, CMD_ASSIGN, "RTX", "dev-box", 1, 0},
    /* policy */
    {"policy off", SC_DEFAULT, CMD_POLICY, NULL, NULL, 1, 0},
    {"policy on", SC_RELAXED, CMD_POLICY, NULL, NULL, 0, 0},
    {"policy on (values of other types)", SC_POLICY_ODD, CMD_POLICY, NULL, NULL, 0, 0},
    {"policy off (values of other types)", SC_POLICY_ODD, CMD_POLICY, NULL, NULL, 1, 0},
    /* gpu add */
    {"gpu add (every preparation)", SC_DEFAULT, CMD_GPU_ADD, "legacy-xp", "0", 0, 0},
    {"gpu add (high MMIO only)", SC_DEFAULT, CMD_GPU_ADD, "router", "1", 0, 0},
    {"gpu add --share", SC_DEFAULT, CMD_GPU_ADD, "win11-gaming", "0", 0, 40},
    {"gpu add (low MMIO not restorable)", SC_EXTRA, CMD_GPU_ADD, "router", "0", 0, 0},
    {"gpu add --stop", SC_EXTRA, CMD_GPU_ADD, "win11-gaming", "1", 4, 0},
    {"gpu add (Hyper-V chooses)", SC_WIN10, CMD_GPU_ADD, "router", NULL, 0, 0},
    /* gpu remove */
    {"gpu remove (one)", SC_DEFAULT, CMD_GPU_REMOVE, "win11-gaming", NULL, 0, 0},
    {"gpu remove ADAPTER --stop", SC_EXTRA, CMD_GPU_REMOVE, "win11-gaming", "1", 4, 0},
    {"gpu remove --all --stop", SC_EXTRA, CMD_GPU_REMOVE, "win11-gaming", NULL, 5, 0},
    {"gpu remove --all (stale first)", SC_EXTRA, CMD_GPU_REMOVE, "old-gaming", NULL, 1, 0},
    {"gpu remove --stale", SC_DEFAULT, CMD_GPU_REMOVE, "render-node", NULL, 2, 0},
    /* driver import (flags: purge 1) */
    {"gpu drivers (first import)", SC_IMPORT, CMD_DRIVERS, T_IMPORT_VM, "RTX 4070", 0, 0},
    {"gpu drivers (host driver updated)", SC_IMPORT_UPDATE, CMD_DRIVERS, T_IMPORT_VM, "RTX 4070", 0, 0},
    {"gpu drivers purge", SC_IMPORTED, CMD_DRIVERS, T_IMPORT_VM, NULL, 1, 0},
};

static const plan_case *case_named(const char *name)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (strcmp(cases[i].name, name) == 0)
            return &cases[i];
    return &cases[0];
}

static int plan_for(fixture *f, const plan_case *pc, exhv_plan *p, exhv_error *err)
{
    const exhv_vm *vm = NULL;
    const exhv_device *d;
    const exhv_gpu *g = NULL;
    switch (pc->cmd) {
    case CMD_ASSIGN: {
        exhv_assign_opts o = {pc->flags & 1, (pc->flags & 4) != 0, (pc->flags & 2) != 0};
        if (!(d = exhv_device_select(f->h, pc->a, err)))
            return -1;
        if (strcmp(pc->b, "host") != 0 && !(vm = exhv_vm_select(f->h, pc->b, err)))
            return -1;
        return exhv_plan_assign(f->h, d, vm, &o, p, err);
    }
    case CMD_POLICY:
        return exhv_plan_policy(f->h, pc->flags, p, err);
    case CMD_GPU_ADD: {
        exhv_gpu_opts o = {(pc->flags & 4) != 0, pc->share, 0, 0, 0, NULL, 0, 0};
        if (!(vm = exhv_vm_select(f->h, pc->a, err)) ||
            (pc->b && !(g = exhv_gpu_select(f->h, pc->b, err))))
            return -1;
        return exhv_plan_gpu_add(f->h, vm, g, &o, p, err);
    }
    case CMD_DRIVERS: {
        exhv_import_opts o = {0, 0};
        if (!(vm = exhv_vm_select(f->h, pc->a, err)) ||
            (pc->b && !(g = exhv_gpu_select(f->h, pc->b, err))))
            return -1;
        exhv_plan_init(p);
        return pc->flags & 1 ? exhv_plan_drv_purge(&f->c, f->h, vm, p, err)
                             : exhv_plan_drv_import(&f->c, f->h, vm, g, &o, p, err);
    }
    case CMD_GPU_REMOVE: {
        exhv_gpu_opts o = {(pc->flags & 4) != 0, 0, 0, 0, 0, NULL, 0, 0};
        if (!(vm = exhv_vm_select(f->h, pc->a, err)))
            return -1;
        return exhv_plan_gpu_remove(f->h, vm, pc->b, pc->flags & 1, (pc->flags & 2) != 0, &o, p,
                                    err);
    }
    }
    return -1;
}

/* The method (or port operation) a step calls. */
static const char *method_of(const exhv_step *s)
{
    switch (s->kind) {
    case EXHV_STEP_VM_SHUTDOWN: return s->new_value == 2 ? "RequestStateChange" : "InitiateShutdown";
    case EXHV_STEP_VM_SET: return "ModifySystemSettings";
    case EXHV_STEP_VM_MEMORY: return "ModifyResourceSettings";
    case EXHV_STEP_DEV_DISABLE: return "pnp_disable";
    case EXHV_STEP_DEV_ENABLE: return "pnp_enable";
    case EXHV_STEP_DEV_DISMOUNT: return "DismountAssignableDevice";
    case EXHV_STEP_DEV_MOUNT: return "MountAssignableDevice";
    case EXHV_STEP_DEV_ADD:
    case EXHV_STEP_GPU_ADD: return "AddResourceSettings";
    case EXHV_STEP_DEV_REMOVE:
    case EXHV_STEP_REF_REMOVE:
    case EXHV_STEP_GPU_REMOVE:
    case EXHV_STEP_GPU_REMOVE_STALE: return "RemoveResourceSettings";
    case EXHV_STEP_POLICY_SET: return s->new_value == EXHV_POLICY_ABSENT ? "reg_delete" : "reg_set";
    /* Driver import: the first port call the step makes (a copy and a
     * hive edit read the driver store first). A purge works on files
     * only, and what always runs is tried again: no fault fails them. */
    case EXHV_STEP_DISK_ATTACH: return "vhd_attach";
    case EXHV_STEP_DRV_COPY:
    case EXHV_STEP_HIVE_EDIT: return "drv_inf_location";
    case EXHV_STEP_HIVE_LOAD: return "hive_load";
    case EXHV_STEP_DRV_RECORD: return s->new_value ? "reg_set" : "reg_delete";
    default: return "?";
    }
}

/* Make step k fail: its method's call at that point (and for a shutdown
 * the turn-off that follows a failed one). */
/* Driver import steps make many port calls each: where step k's first
 * call falls is counted on a clean run of the same plan. */
typedef struct counter {
    fixture *f;
    size_t at;
    const char *method;
    unsigned before;
} counter;

static void count_progress(void *ud, exhv_phase ph, size_t i, size_t n, const exhv_step *s,
                           const exhv_error *err)
{
    counter *x = ud;
    (void)n, (void)s, (void)err;
    if (ph == EXHV_PHASE_START && i == x->at)
        x->before = exhv_sim_call_count(x->f->c.ctx, x->method);
}

static unsigned calls_before(int sc, const plan_case *pc, size_t k, const char *m);

static void fault_step(fixture *f, const exhv_plan *p, size_t k, int via_job)
{
    const char *m = method_of(&p->steps[k]);
    unsigned n = 1;
    for (size_t i = 0; i < k; i++)
        n += strcmp(method_of(&p->steps[i]), m) == 0;
    if (is_import(f->sc)) {
        /* Counted from the run, as on the clean one (planning reads the
         * driver store too). */
        n = calls_before(f->sc, NULL, k, m) + 1;
        exhv_sim_reset_faults(f->c.ctx);
    }
    exhv_sim_inject_fault(f->c.ctx, m, n, 32775, via_job);
    if (p->steps[k].kind == EXHV_STEP_VM_SHUTDOWN)
        exhv_sim_inject_fault(f->c.ctx, "RequestStateChange", 1, 32775, via_job);
}

static const plan_case *current_case;

static unsigned calls_before(int sc, const plan_case *pc, size_t k, const char *m)
{
    fixture g;
    exhv_plan p;
    exhv_report r;
    exhv_error err;
    counter x = {&g, k, m, 0};
    if (!pc)
        pc = current_case;
    if (fixture_open(&g, sc) < 0 || plan_for(&g, pc, &p, &err) < 0) {
        fixture_close(&g);
        return 0;
    }
    exhv_sim_reset_faults(g.c.ctx);
    exhv_plan_execute(&g.c, &p, count_progress, &x, &r);
    exhv_report_release(&r);
    exhv_plan_release(&p);
    fixture_close(&g);
    return x.before;
}

/* The whole host; with a driver store and disk, the guest's disk tree too
 * (names, contents, read-only flags). */
static char *state(fixture *f)
{
    exhv_buf b = EXHV_BUF_INIT, g = EXHV_BUF_INIT;
    if (exhv_sim_state(f->c.ctx, &b) < 0) {
        exhv_buf_release(&b);
        return NULL;
    }
    if (f->t.dir[0]) {
        t_import_guest(&f->t, 0, &g);
        exhv_buf_puts(&b, "\nguest disk:\n");
        exhv_buf_add(&b, g.data, g.len);
        exhv_buf_release(&g);
    }
    return exhv_buf_detach(&b);
}

/* A step no fault can fail: one that always runs (it is tried again), or
 * one that makes no port call. */
static int unfaultable(const exhv_step *s)
{
    return s->cleanup || strcmp(method_of(s), "?") == 0;
}

/* Does text hold `line` (len bytes) as a whole line? */
static int has_line(const char *text, const char *line, size_t len)
{
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == len && memcmp(p, line, len) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

/* The lines of a that b lacks, for the failure message. */
static void show_lines(const char *what, const char *a, const char *b)
{
    int shown = 0;
    for (const char *p = a; *p && shown < 8;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!has_line(b, p, n)) {
            fprintf(stderr, "    %s %.*s\n", what, (int)(n > 240 ? 240 : n), p);
            shown++;
        }
        if (!e)
            break;
        p = e + 1;
    }
}

static void show_difference(const char *before, const char *after)
{
    show_lines("-", before, after);
    show_lines("+", after, before);
}

/* Replace every JSON-quoted `from` by `to` in text (IDs hold backslashes,
 * which the state writes doubled). */
static char *replace_id(const char *text, const char *from, const char *to)
{
    exhv_buf qf = EXHV_BUF_INIT, qt = EXHV_BUF_INIT, out = EXHV_BUF_INIT;
    size_t nf;
    exhv_json_quote(&qf, from);
    exhv_json_quote(&qt, to);
    /* Without the quotes: an ID may be part of a longer string. */
    nf = qf.len - 2;
    for (const char *p = text; *p;) {
        if (nf && strncmp(p, qf.data + 1, nf) == 0) {
            exhv_buf_add(&out, qt.data + 1, qt.len - 2);
            p += nf;
        } else {
            exhv_buf_putc(&out, *p++);
        }
    }
    exhv_buf_release(&qf);
    exhv_buf_release(&qt);
    return exhv_buf_detach(&out);
}

/* A state with settings renamed back (new ID -> old ID), in canonical form
 * again (renaming changes the order the state sorts objects in). */
static char *renamed(const char *st, char *const *from, char *const *to, size_t n)
{
    char *t = exhv_strdup(st), *u;
    fixture g;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    for (size_t i = 0; t && i < n; i++) {
        /* As a string, and inside an object path (where \ and " are
         * escaped by a backslash). */
        exhv_buf pf = EXHV_BUF_INIT, pt = EXHV_BUF_INIT;
        for (const char *q = from[i]; *q; q++) {
            if (*q == '\\' || *q == '"')
                exhv_buf_putc(&pf, '\\');
            exhv_buf_putc(&pf, *q);
        }
        for (const char *q = to[i]; *q; q++) {
            if (*q == '\\' || *q == '"')
                exhv_buf_putc(&pt, '\\');
            exhv_buf_putc(&pt, *q);
        }
        u = replace_id(t, exhv_buf_str(&pf), exhv_buf_str(&pt));
        free(t);
        t = u ? replace_id(u, from[i], to[i]) : NULL;
        free(u);
        exhv_buf_release(&pf);
        exhv_buf_release(&pt);
    }
    memset(&g, 0, sizeof(g));
    if (!t || exhv_sim_open_text(t, strlen(t), "renamed", &g.c.ops, &g.c.ctx, &err) < 0 ||
        exhv_sim_state(g.c.ctx, &b) < 0) {
        free(t);
        exhv_buf_release(&b);
        if (g.c.ops)
            g.c.ops->close(g.c.ctx);
        return NULL;
    }
    free(t);
    g.c.ops->close(g.c.ctx);
    return exhv_buf_detach(&b);
}

/* What the host should be after the claim in r, built independently of
 * the executor: on a fresh host, run the plan up to the step that failed,
 * then undo (last first) every step the claim does not say stays. Settings
 * put back under new IDs are renamed back, in both. */
static int check_claim(int sc, const exhv_plan *p, const exhv_report *r, const char *after)
{
    fixture g;
    unsigned char *stays = calloc(p->count + 1, 1);
    char **made = calloc(p->count + 1, sizeof(char *));
    char *from[64], *to[64], *rfrom[64], *rto[64];
    size_t nren = 0, nrren = 0;
    long last = -1;
    char *want = NULL, *got = NULL;
    int ok = 0;

    if (!stays || !made || fixture_open(&g, sc) < 0)
        goto out;
    for (size_t i = 0; i < r->ndiffs; i++) {
        if (r->diffs[i].kind == EXHV_DIFF_PHANTOM)
            continue;   /* the replay leaves the same nodes, or it does not */
        if (r->diffs[i].kind == EXHV_DIFF_NEW_ID) {
            if (nrren < 64) {
                rfrom[nrren] = r->diffs[i].new_id;
                rto[nrren++] = r->diffs[i].old_id;
            }
            continue;
        }
        stays[r->diffs[i].step] = 1;
    }
    /* Every step before the failed one ran; the claim says which stay. */
    last = (long)r->failed_step - 1;
    for (long i = 0; i <= last; i++) {
        exhv_error err;
        if (exhv_step_run(&g.c, &p->steps[i], &made[i], &err) < 0) {
            fprintf(stderr, "    replay: step %ld failed: %s\n", i + 1, err.message);
            goto out;
        }
    }
    for (long i = last; i >= 0; i--) {
        exhv_step inv;
        exhv_error err;
        char *remade = NULL;
        if (stays[i])
            continue;
        exhv_step_inverse(&p->steps[i], &inv);
        if (made[i])
            inv.setting_id = made[i];
        if (exhv_step_run(&g.c, &inv, &remade, &err) < 0) {
            fprintf(stderr, "    replay: undo of step %ld failed: %s\n", i + 1, err.message);
            free(remade);
            goto out;
        }
        if (remade && p->steps[i].setting_id && nren < 64 &&
            (p->steps[i].kind == EXHV_STEP_DEV_REMOVE || p->steps[i].kind == EXHV_STEP_GPU_REMOVE)) {
            from[nren] = remade;
            to[nren++] = p->steps[i].setting_id;
        } else if (remade && made[i] && nren < 64 && p->steps[i].kind == EXHV_STEP_DEV_MOUNT) {
            from[nren] = remade;
            to[nren++] = made[i];
        } else {
            free(remade);
        }
    }
    {
        char *st = state(&g);
        want = st ? renamed(st, from, to, nren) : NULL;
        free(st);
    }
    got = renamed(after, rfrom, rto, nrren);
    ok = want && got && strcmp(want, got) == 0;
    if (!ok && want && got) {
        fprintf(stderr, "    the host differs from what exhv says (- what it says, + what is):\n");
        show_difference(want, got);
    }
out:
    for (size_t i = 0; i < nren; i++)
        free(from[i]);
    for (size_t i = 0; made && i < p->count; i++)
        free(made[i]);
    free(made);
    free(stays);
    free(want);
    free(got);
    fixture_close(&g);
    return ok;
}

/* The devnodes' instance IDs, "\nID\n...ID\n". */
static char *devnodes(fixture *f)
{
    exhv_pnp_dev *list = NULL;
    size_t n = 0;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    if (f->c.ops->pnp_list(f->c.ctx, &list, &n, &err) < 0)
        return NULL;
    exhv_buf_putc(&b, '\n');
    for (size_t i = 0; i < n; i++) {
        exhv_buf_printf(&b, "%s\n", list[i].instance_id);
        exhv_pnp_dev_release(&list[i]);
    }
    free(list);
    return exhv_buf_detach(&b);
}

/* The devnodes exhv says Windows keeps are exactly those that were not
 * there before. */
static int phantoms_claimed(const char *before, const char *after, const exhv_report *r)
{
    size_t claimed = 0, found = 0;
    int ok = 1;
    for (size_t i = 0; i < r->ndiffs; i++) {
        exhv_buf line = EXHV_BUF_INIT;
        if (r->diffs[i].kind != EXHV_DIFF_PHANTOM)
            continue;
        claimed++;
        exhv_buf_printf(&line, "\n%s\n", r->diffs[i].new_id);
        if (!strstr(after, exhv_buf_str(&line)) || strstr(before, exhv_buf_str(&line)))
            ok = 0;
        exhv_buf_release(&line);
    }
    for (const char *q = after; *q && q[1];) {
        const char *e = strchr(q + 1, '\n');
        exhv_buf line = EXHV_BUF_INIT;
        if (!e)
            break;
        exhv_buf_add(&line, q, (size_t)(e - q) + 1);
        found += !strstr(before, exhv_buf_str(&line));
        exhv_buf_release(&line);
        q = e;
    }
    return ok && claimed == found;
}

static size_t total_runs, total_changed;

static void t_every_plan_every_step(void)
{
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const plan_case *pc = &cases[c];
        size_t steps = 0;
        for (size_t k = 0; k == 0 || k < steps; k++)
            for (int via_job = 0; via_job < 2; via_job++) {
                fixture f;
                exhv_plan p;
                exhv_report r;
                exhv_error err;
                char *before = NULL, *after = NULL, *nodes_before = NULL, *nodes_after = NULL;
                int ok;
                exhv_error_clear(&err);
                CHECK(fixture_open(&f, pc->scenario) == 0);
                if (!f.h || plan_for(&f, pc, &p, &err) < 0) {
                    fprintf(stderr, "  %s: no plan: %s\n", pc->name, err.message);
                    CHECK(!"no plan");
                    fixture_close(&f);
                    goto next_case;
                }
                steps = p.count;
                if (!steps) {
                    fprintf(stderr, "  %s: an empty plan\n", pc->name);
                    CHECK(!"empty plan");
                    exhv_plan_release(&p);
                    fixture_close(&f);
                    goto next_case;
                }
                if (unfaultable(&p.steps[k]) || (via_job && is_import(pc->scenario))) {
                    /* (Port calls other than WMI methods have no job.) */
                    exhv_plan_release(&p);
                    fixture_close(&f);
                    continue;
                }
                current_case = pc;
                before = state(&f);
                nodes_before = devnodes(&f);
                fault_step(&f, &p, k, via_job);
                if (exhv_plan_execute(&f.c, &p, NULL, NULL, &r) == 0) {
                    fprintf(stderr, "  %s: a fault at step %zu/%zu (%s) did not fail it\n",
                            pc->name, k + 1, steps, via_job ? "job" : "return value");
                    CHECK(!"fault missed");
                }
                after = state(&f);
                total_runs++;
                CHECK_INT(r.failed_step, k);
                ok = before && after && strcmp(before, after) == 0;
                {
                    exhv_buf text = EXHV_BUF_INIT;
                    int says_nothing;
                    exhv_report_text(&text, &p, &r);
                    /* "Nothing else was changed, but:" adds what a step did
                     * another way (a VM turned off), a claim about the past,
                     * not the state. */
                    says_nothing = strstr(exhv_buf_str(&text), "Nothing was changed") != NULL ||
                                   strstr(exhv_buf_str(&text), "Nothing else was changed") != NULL;
                    if (r.outcome == EXHV_OUTCOME_ROLLED_BACK && (!ok || !says_nothing || r.ndiffs)) {
                        fprintf(stderr, "  %s: fault at step %zu/%zu (%s): \"Nothing was changed\", "
                                        "but the host changed\n", pc->name, k + 1, steps,
                                via_job ? "job" : "return value");
                        if (before && after)
                            show_difference(before, after);
                        CHECK(!"claim untrue");
                    } else if (r.outcome == EXHV_OUTCOME_INCOMPLETE) {
                        total_changed++;
                        CHECK(!says_nothing && r.ndiffs > 0);
                        for (size_t i = 0; i < r.ndiffs; i++) {
                            char want[300];
                            if (r.diffs[i].kind == EXHV_DIFF_PHANTOM)
                                snprintf(want, sizeof(want), "devnode %s ", r.diffs[i].new_id);
                            else
                                snprintf(want, sizeof(want), "step %zu, ", r.diffs[i].step + 1);
                            CHECK(strstr(exhv_buf_str(&text), want) != NULL);
                        }
                        nodes_after = devnodes(&f);
                        if (!nodes_before || !nodes_after ||
                            !phantoms_claimed(nodes_before, nodes_after, &r)) {
                            fprintf(stderr, "  %s: fault at step %zu/%zu: the phantom devnodes "
                                            "exhv names are not the new ones\n", pc->name, k + 1,
                                    steps);
                            CHECK(!"phantoms misstated");
                        }
                        if (!after || !check_claim(pc->scenario, &p, &r, after)) {
                            fprintf(stderr, "  %s: fault at step %zu/%zu (%s): exhv said:\n%s",
                                    pc->name, k + 1, steps, via_job ? "job" : "return value",
                                    exhv_buf_str(&text));
                            CHECK(!"claim inexact");
                        }
                    } else {
                        CHECK_INT(r.outcome, EXHV_OUTCOME_ROLLED_BACK);
                    }
                    exhv_buf_release(&text);
                }
                free(before);
                free(after);
                free(nodes_before);
                free(nodes_after);
                exhv_report_release(&r);
                exhv_plan_release(&p);
                fixture_close(&f);
            }
    next_case:;
    }
    texts_free();
    printf("rollback: %zu plans, %zu faulted runs, %zu left the host changed (and said how)\n",
           sizeof(cases) / sizeof(cases[0]), total_runs, total_changed);
}

/* A device already disabled is not disabled by the plan, so a rollback
 * does not enable it. */
static void t_disabled_stays_disabled(void)
{
    fixture f;
    exhv_plan p;
    exhv_error err;
    CHECK(fixture_open(&f, SC_EXTRA) == 0);
    CHECK(plan_for(&f, case_named("assign disabled host->vm"), &p, &err) == 0);
    for (size_t i = 0; i < p.count; i++)
        CHECK(p.steps[i].kind != EXHV_STEP_DEV_DISABLE);
    exhv_plan_release(&p);
    fixture_close(&f);
    texts_free();
}

/* Undoing a removal puts the adapter back with its partition values. */
static void t_remove_undo_keeps_values(void)
{
    fixture f;
    exhv_plan p;
    exhv_report r;
    exhv_error err;
    exhv_step bad = {0};
    const exhv_vm *v;
    int found = 0;
    plan_case pc = {"gpu remove 1", SC_EXTRA, CMD_GPU_REMOVE, "win11-gaming", "1", 4, 0};
    CHECK(fixture_open(&f, SC_EXTRA) == 0);
    CHECK(plan_for(&f, &pc, &p, &err) == 0);
    /* A step after the removal that Hyper-V refuses. */
    bad.kind = EXHV_STEP_VM_SET;
    bad.vm_id = "8D2F0C4A-1B3E-4F5A-9C6D-7E8F90A1B2C3";
    bad.vm_name = "win11-gaming";
    bad.prop = "LowMmioGapSize";
    bad.old_value = 128;
    bad.new_value = 5;
    CHECK(exhv_plan_add_step(&p, &bad) != NULL);
    CHECK(exhv_plan_execute(&f.c, &p, NULL, NULL, &r) < 0);
    CHECK_INT(r.undone, 2);
    exhv_host_free(f.h);
    f.h = NULL;
    CHECK(exhv_snapshot_take(&f.c, &f.h, &err) == 0);
    v = f.h ? exhv_vm_select(f.h, "win11-gaming", &err) : NULL;
    CHECK(v && v->nadapters == 2);
    for (size_t i = 0; v && i < v->nadapters; i++)
        if (v->adapters[i].nvalues == 12) {
            found = 1;
            for (int k = 0; k < 12; k++)
                CHECK_INT(v->adapters[i].values[k], 500 + k);
        }
    CHECK(found);
    exhv_report_release(&r);
    exhv_plan_release(&p);
    fixture_close(&f);
    texts_free();
}

/* A low MMIO gap Hyper-V would not take back: the plan says so before it
 * runs, and a failure says it stays. */
static void t_low_mmio_not_restorable(void)
{
    fixture f;
    exhv_plan p;
    exhv_error err;
    int marked = 0;
    CHECK(fixture_open(&f, SC_EXTRA) == 0);
    CHECK(plan_for(&f, case_named("gpu add (low MMIO not restorable)"), &p, &err) == 0);
    for (size_t i = 0; i < p.count; i++)
        if (p.steps[i].kind == EXHV_STEP_VM_SET && strcmp(p.steps[i].prop, "LowMmioGapSize") == 0) {
            CHECK_INT(p.steps[i].old_value, 32);
            CHECK(!exhv_step_reversible(&p.steps[i]));
            CHECK(exhv_step_no_undo(&p.steps[i]) && strstr(exhv_step_no_undo(&p.steps[i]), "32 MB"));
            marked = 1;
        }
    CHECK(marked);
    exhv_plan_release(&p);
    fixture_close(&f);
    texts_free();
}

/* --script and the PowerShell exhv prints name each VM by its ID and each
 * device by its location or instance path: Hyper-V's -Name and -VMName
 * take wildcards ("web*" also hits "web-prod", "lab[1]" matches "lab1"). */
static void t_script_pins_ids(void)
{
    size_t checked = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        fixture f;
        exhv_plan p;
        exhv_error err;
        CHECK(fixture_open(&f, cases[c].scenario) == 0);
        if (!f.h || plan_for(&f, &cases[c], &p, &err) < 0) {
            CHECK(!"no plan");
            fixture_close(&f);
            continue;
        }
        for (size_t i = 0; i < p.count; i++) {
            exhv_step inv;
            for (int undo = 0; undo < 2; undo++) {
                const exhv_step *s = &p.steps[i];
                exhv_buf b = EXHV_BUF_INIT, want = EXHV_BUF_INIT;
                if (undo) {
                    if (!exhv_step_reversible(s))
                        break;
                    exhv_step_inverse(s, &inv);
                    s = &inv;
                }
                exhv_step_powershell(&b, s);
                checked++;
                if (s->vm_id && s->kind < EXHV_STEP_DISK_ATTACH &&
                    (strstr(exhv_buf_str(&b), "-Name ") || strstr(exhv_buf_str(&b), "-VMName "))) {
                    fprintf(stderr, "  %s step %zu: %s\n", cases[c].name, i + 1, exhv_buf_str(&b));
                    CHECK(!"a name where an ID belongs");
                }
                /* Driver import steps name the VM's disk by its path, not the VM. */
                if (s->vm_id && s->kind != EXHV_STEP_DEV_DISABLE && s->kind != EXHV_STEP_DEV_ENABLE &&
                    s->kind != EXHV_STEP_DEV_DISMOUNT && s->kind != EXHV_STEP_DEV_MOUNT &&
                    s->kind < EXHV_STEP_DISK_ATTACH) {
                    exhv_buf_printf(&want, "Get-VM -Id '%s' | ", s->vm_id);
                    if (strncmp(exhv_buf_str(&b), exhv_buf_str(&want), want.len) != 0) {
                        fprintf(stderr, "  %s step %zu: %s\n", cases[c].name, i + 1,
                                exhv_buf_str(&b));
                        CHECK(!"VM not pinned by its ID");
                    }
                }
                if (s->location_path && *s->location_path && s->kind != EXHV_STEP_REF_REMOVE)
                    CHECK(strstr(exhv_buf_str(&b), "-LocationPath") ||
                          strstr(exhv_buf_str(&b), "LocationPath -eq") ||
                          strstr(exhv_buf_str(&b), "-InstanceId"));
                exhv_buf_release(&b);
                exhv_buf_release(&want);
            }
        }
        exhv_plan_release(&p);
        fixture_close(&f);
    }
    CHECK(checked > 50);
    texts_free();
}

/* ---------------- asked to stop, and writes that fail ---------------- */

/* At the start of step `at`: ask to stop (as Ctrl-C does), or take the
 * host file's folder away so that the step's write fails (and give it back
 * once the step has failed, so that the undo can write). */
typedef struct trap {
    size_t at;
    int stop;
    const char *dir, *away;
    int moved;
} trap;

static void trap_progress(void *ud, exhv_phase ph, size_t i, size_t n, const exhv_step *s,
                          const exhv_error *err)
{
    trap *t = ud;
    (void)n, (void)s, (void)err;
    if (ph == EXHV_PHASE_START && i == t->at) {
        if (t->stop)
            exhv_interrupt_request();
#if !defined(_WIN32)
        else if (rename(t->dir, t->away) == 0)
            t->moved = 1;
#endif
    }
#if !defined(_WIN32)
    if (ph == EXHV_PHASE_FAILED && t->moved && rename(t->away, t->dir) == 0)
        t->moved = 0;
#endif
}

/* The claim after a run cut short at step k: "Nothing was changed" exactly
 * when the host is as before, else exactly what differs. */
static void check_cut_short(const plan_case *pc, const exhv_plan *p, const exhv_report *r,
                            const char *before, const char *after, size_t k, const char *how)
{
    exhv_buf text = EXHV_BUF_INIT;
    int same = before && after && strcmp(before, after) == 0;
    exhv_report_text(&text, p, r);
    if (strstr(exhv_buf_str(&text), "Nothing was changed") || !r->ndiffs) {
        if (!same) {
            fprintf(stderr, "  %s: %s at step %zu: \"Nothing was changed\", but the host "
                            "changed\n", pc->name, how, k + 1);
            if (before && after)
                show_difference(before, after);
            CHECK(!"claim untrue");
        }
    } else if (!after || !check_claim(pc->scenario, p, r, after)) {
        fprintf(stderr, "  %s: %s at step %zu: exhv said:\n%s", pc->name, how, k + 1,
                exhv_buf_str(&text));
        CHECK(!"claim inexact");
    }
    exhv_buf_release(&text);
}

/* Ctrl-C during each step of each plan: the step finishes, the steps done
 * are undone, and exhv says what it did. */
static void t_interrupt_every_step(void)
{
    size_t runs = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const plan_case *pc = &cases[c];
        size_t steps = 1;
        for (size_t k = 0; k < steps; k++) {
            fixture f;
            exhv_plan p;
            exhv_report r;
            exhv_error err;
            trap t = {k, 1, NULL, NULL, 0};
            char *before, *after;
            if (fixture_open(&f, pc->scenario) < 0 || plan_for(&f, pc, &p, &err) < 0) {
                CHECK(!"no plan");
                fixture_close(&f);
                break;
            }
            steps = p.count;
            if (p.steps[k].cleanup) {
                /* Always runs, after the others: nothing is left to stop. */
                exhv_plan_release(&p);
                fixture_close(&f);
                continue;
            }
            before = state(&f);
            exhv_interrupt_reset();
            CHECK(exhv_plan_execute(&f.c, &p, trap_progress, &t, &r) < 0);
            exhv_interrupt_reset();
            after = state(&f);
            runs++;
            CHECK(r.interrupted);
            /* A copy does not run to its end: it stops at the next file and
             * puts the guest back. */
            if (p.steps[k].kind == EXHV_STEP_DRV_COPY)
                CHECK_INT(r.failed_step, k);
            else
                CHECK_INT(r.failed_step, k + 1);
            CHECK(r.outcome == EXHV_OUTCOME_INTERRUPTED || r.outcome == EXHV_OUTCOME_INCOMPLETE);
            check_cut_short(pc, &p, &r, before, after, k, "stopped");
            free(before);
            free(after);
            exhv_report_release(&r);
            exhv_plan_release(&p);
            fixture_close(&f);
        }
    }
    texts_free();
    printf("interrupt: %zu plans, stopped at each of %zu steps\n",
           sizeof(cases) / sizeof(cases[0]), runs);
}

#if !defined(_WIN32)
#include <unistd.h>

/* A write that fails at each step's save, for every plan: the change stays
 * out of memory as it stays out of the file, so that the undo writes back
 * only what is true, and exhv's words match the file. */
static void t_failed_save_every_step(void)
{
    size_t runs = 0;
    char dir[] = "/tmp/exhv-save.XXXXXX", away[64], path[96];
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    snprintf(away, sizeof(away), "%s.away", dir);
    snprintf(path, sizeof(path), "%s/host.json", dir);
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const plan_case *pc = &cases[c];
        size_t steps = 1;
        /* A driver import's host file sits beside the guest's disk and the
         * driver store: taking the folder away takes them too. Its failed
         * writes are in test_import.c (a "save" fault at every write). */
        if (is_import(pc->scenario))
            continue;
        for (size_t k = 0; k < steps; k++) {
            fixture f, g;
            exhv_plan p;
            exhv_report r;
            exhv_error err;
            trap t = {k, 0, dir, away, 0};
            char *before, *after, *on_disk;
            const char *text = text_of(pc->scenario);
            FILE *fp = fopen(path, "wb");
            memset(&f, 0, sizeof(f));
            memset(&g, 0, sizeof(g));
            if (!fp || !text || fwrite(text, 1, strlen(text), fp) != strlen(text)) {
                CHECK(!"cannot write the scenario");
                if (fp)
                    fclose(fp);
                break;
            }
            fclose(fp);
            f.c.uri = "test:///unit";
            f.c.simulated = 1;
            if (exhv_sim_open_file(path, &f.c.ops, &f.c.ctx, &err) < 0 ||
                exhv_snapshot_take(&f.c, &f.h, &err) < 0 || plan_for(&f, pc, &p, &err) < 0) {
                fprintf(stderr, "  %s: %s\n", pc->name, err.message);
                CHECK(!"no plan");
                fixture_close(&f);
                break;
            }
            steps = p.count;
            before = state(&f);
            CHECK(exhv_plan_execute(&f.c, &p, trap_progress, &t, &r) < 0);
            if (t.moved && rename(away, dir) == 0)
                t.moved = 0;
            after = state(&f);
            runs++;
            CHECK_INT(r.failed_step, k);
            CHECK(strstr(r.error.message, "cannot") != NULL);
            check_cut_short(pc, &p, &r, before, after, k, "a failed write");
            /* What exhv holds is what the file says. */
            g.c.uri = "test:///unit";
            g.c.simulated = 1;
            on_disk = NULL;
            if (exhv_sim_open_file(path, &g.c.ops, &g.c.ctx, &err) == 0)
                on_disk = state(&g);
            if (!on_disk || !after || strcmp(on_disk, after) != 0) {
                fprintf(stderr, "  %s: a failed write at step %zu: the file and exhv differ\n",
                        pc->name, k + 1);
                if (on_disk && after)
                    show_difference(on_disk, after);
                CHECK(!"file differs");
            }
            free(on_disk);
            fixture_close(&g);
            free(before);
            free(after);
            exhv_report_release(&r);
            exhv_plan_release(&p);
            fixture_close(&f);
        }
    }
    unlink(path);
    rmdir(dir);
    texts_free();
    printf("failed writes: %zu plans, a write failed at each of %zu steps\n",
           sizeof(cases) / sizeof(cases[0]), runs);
}
#endif

/* The temporary file of a save has a name nobody can plant a link at: the
 * link planted at the name exhv used to pick is left alone. */
static void t_temp_file_exclusive(void)
{
#if !defined(_WIN32)
    char dir[] = "/tmp/exhv-tmp.XXXXXX", path[96], link[128], victim[96];
    exhv_error err;
    char *got = NULL;
    size_t len;
    FILE *fp;
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    snprintf(path, sizeof(path), "%s/host.json", dir);
    snprintf(victim, sizeof(victim), "%s/victim", dir);
    snprintf(link, sizeof(link), "%s.tmp%ld", path, (long)getpid());
    fp = fopen(victim, "wb");
    CHECK(fp && fputs("precious", fp) >= 0);
    if (fp)
        fclose(fp);
    CHECK(symlink(victim, link) == 0);
    CHECK(exhv_fs_write_atomic(path, "{}\n", 3, &err) == 0);
    CHECK(exhv_fs_read_file(victim, 100, &got, &len, &err) == 0);
    CHECK_STR(got, "precious");
    free(got);
    got = NULL;
    CHECK(exhv_fs_read_file(path, 100, &got, &len, &err) == 0);
    CHECK_STR(got, "{}\n");
    free(got);
    /* Nothing else is left in the folder. */
    unlink(link);
    unlink(victim);
    unlink(path);
    CHECK(rmdir(dir) == 0);
#endif
}

T_CASES(rollback_tests) = {
    {"rollback/script_pins_ids", t_script_pins_ids},
    {"rollback/every_plan_every_step", t_every_plan_every_step},
    {"rollback/disabled_stays_disabled", t_disabled_stays_disabled},
    {"rollback/remove_undo_keeps_values", t_remove_undo_keeps_values},
    {"rollback/low_mmio_not_restorable", t_low_mmio_not_restorable},
    {"rollback/interrupt_every_step", t_interrupt_every_step},
#if !defined(_WIN32)
    {"rollback/failed_save_every_step", t_failed_save_every_step},
#endif
    {"rollback/temp_file_exclusive", t_temp_file_exclusive},
    T_END,
};
