#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/json.h"
#include "hyperv/cimxml.h"
#include "hyperv/schema.h"
#include "platform/fs.h"
#include "platform/scratch.h"
#include "platform/tree.h"
#include "platform/lock.h"

/* WBEM codes the simulated WMI answers with (wbemcli.h). */
#define WBEM_E_INVALID_NAMESPACE 0x8004100EUL
#define WBEM_E_INVALID_QUERY 0x80041017UL
#define WBEM_E_INVALID_CLASS 0x80041010UL

typedef struct sim_fault {
    char method[64];
    unsigned call;           /* the Nth call of the method (from 1) */
    unsigned long code;      /* ReturnValue, or the job's ErrorCode */
    int via_job;             /* fail through a job instead of at once */
    int job_state;           /* the state the failing job ends in (default 10) */
} sim_fault;

typedef struct sim_job {
    char id[48];
    int polls_left;          /* queries before it completes */
    unsigned long error;     /* the ErrorCode it ends with */
    int end;                 /* 0: completes (7); else the failing state (10 exception, ...) */
    char description[200];
} sim_job;

#define SIM_MAX 64

typedef struct sim {
    exhv_json *doc;
    char *origin;            /* file path or "default" */
    char *path;              /* where changes persist; NULL for built-in/text */
    char *lock;              /* the lock file: beside the file, by its real path */
    char *journal;           /* the plan in progress: beside the file too */
    exhv_fs_stamp stamp;     /* the version of the file the document is */
    int have_stamp;
    unsigned change_delay_ms; /* each change takes this long (a slow host) */
    unsigned query_delay_ms;  /* each query too */
    unsigned long queries;
    sim_fault faults[SIM_MAX];
    int nfaults;
    struct {
        char method[64];
        unsigned n;
    } calls[SIM_MAX];
    int ncalls;
    sim_job jobs[SIM_MAX];
    int njobs;
    unsigned job_seq;
    char job_class[64];      /* the class of the jobs it starts (a CIM_ConcreteJob) */
    char stopping[40];       /* a VM whose guest is shutting down */
    int stopping_looks;      /* looks at it before it is off */
    /* Registry keys in case-insensitive order, for a binary search; valid
     * while the registry object's key array and count are those recorded. */
    struct reg_entry {
        const char *key;
        size_t index;
    } *reg_order;
    size_t reg_count;
    char **reg_keys;
    /* Offline hives loaded with hive_load: HKLM\<name> and its file. */
    struct {
        char *name, *file;
    } hives[8];
    int nhives;
    /* VM disks attached with vhd_attach, by path. */
    char *attached[8];
    int nattached;
    /* The built-in host: its folders (store/, disks/) are written to a
     * private scratch folder when first needed, removed at close. */
    int builtin;
    char *scratch;
} sim;

/* The key property that names an object in its __PATH, per class. */
static const char *class_key(const char *cls)
{
    static const struct {
        const char *cls, *key;
    } keys[] = {
        {"Msvm_ComputerSystem", "Name"},
        {"Msvm_PciExpress", "DeviceID"},
        {"Msvm_PartitionableGpu", "Name"},
        {"Msvm_VirtualSystemManagementService", "Name"},
        {"Msvm_AssignableDeviceService", "Name"},
        {"Msvm_ShutdownComponent", "SystemName"},
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (exhv_strcaseeq(keys[i].cls, cls))
            return keys[i].key;
    return "InstanceID";
}

/* ---------------- scenario validation ---------------- */

static int bad(exhv_error *err, const char *origin, const char *where, const char *what)
{
    return exhv_error_set(err, EXHV_E_PARSE, "scenario %s: %s: %s", origin, where, what);
}

static int check_value(const exhv_json *v)
{
    switch (v->type) {
    case EXHV_JSON_NULL:
    case EXHV_JSON_BOOL:
    case EXHV_JSON_STRING:
        return 0;
    case EXHV_JSON_NUMBER:
        return v->is_int ? 0 : -1;
    case EXHV_JSON_ARRAY:
        for (size_t i = 0; i < v->count; i++) {
            const exhv_json *e = &v->items[i];
            if (e->type != v->items[0].type ||
                (e->type != EXHV_JSON_STRING && !(e->type == EXHV_JSON_NUMBER && e->is_int)))
                return -1;
        }
        return 0;
    default:
        return -1;
    }
}

static int validate(const exhv_json *doc, const char *origin, exhv_error *err)
{
    const exhv_json *host, *wmi, *pnp, *reg;
    char where[160];

    if (doc->type != EXHV_JSON_OBJECT)
        return bad(err, origin, "top level", "must be a JSON object");
    if (exhv_json_get_int(doc, "schema", -1) != 1)
        return bad(err, origin, "schema", "must be 1 (this exhv reads scenario schema 1)");
    host = exhv_json_get(doc, "host");
    if (!host || host->type != EXHV_JSON_OBJECT)
        return bad(err, origin, "host", "missing or not an object");
    if (exhv_json_get_int(host, "build", -1) < 0)
        return bad(err, origin, "host.build", "missing or not a whole number");
    pnp = exhv_json_get(doc, "pnp");
    if (pnp && pnp->type != EXHV_JSON_ARRAY)
        return bad(err, origin, "pnp", "must be an array");
    for (size_t i = 0; pnp && i < pnp->count; i++) {
        const exhv_json *d = &pnp->items[i];
        const char *id = exhv_json_get_str(d, "instance_id");
        snprintf(where, sizeof(where), "pnp[%zu]", i);
        if (d->type != EXHV_JSON_OBJECT)
            return bad(err, origin, where, "must be an object");
        if (!id || !(exhv_starts_with_ci(id, "PCI\\") || exhv_starts_with_ci(id, "PCIP\\")))
            return bad(err, origin, where, "instance_id must start with PCI\\ or PCIP\\");
    }
    reg = exhv_json_get(doc, "registry");
    if (reg && reg->type != EXHV_JSON_OBJECT)
        return bad(err, origin, "registry", "must be an object of keys");
    for (size_t i = 0; reg && i < reg->count; i++) {
        snprintf(where, sizeof(where), "registry[\"%.100s\"]", reg->keys[i]);
        if (reg->items[i].type != EXHV_JSON_OBJECT)
            return bad(err, origin, where, "must be an object of values");
        for (size_t k = 0; k < reg->items[i].count; k++) {
            const exhv_json *v = &reg->items[i].items[k];
            if (v->type != EXHV_JSON_OBJECT || v->count != 1)
                return bad(err, origin, where,
                           "each value must be {\"dword\": N}, {\"qword\": N}, {\"sz\": S}, "
                           "{\"expand_sz\": S}, {\"multi_sz\": [S...]} or {\"binary\": "
                           "\"hex\"}");
        }
    }
    wmi = exhv_json_get(doc, "wmi");
    if (wmi && wmi->type != EXHV_JSON_OBJECT)
        return bad(err, origin, "wmi", "must be an object of classes");
    for (size_t c = 0; wmi && c < wmi->count; c++) {
        const exhv_json *objs = &wmi->items[c];
        snprintf(where, sizeof(where), "wmi.%.100s", wmi->keys[c]);
        if (objs->type != EXHV_JSON_ARRAY)
            return bad(err, origin, where, "must be an array of objects");
        for (size_t i = 0; i < objs->count; i++) {
            const exhv_json *o = &objs->items[i];
            snprintf(where, sizeof(where), "wmi.%.100s[%zu]", wmi->keys[c], i);
            if (o->type != EXHV_JSON_OBJECT)
                return bad(err, origin, where, "must be an object");
            if (!exhv_json_get_str(o, class_key(wmi->keys[c])))
                return bad(err, origin, where, "lacks its key property (string)");
            for (size_t k = 0; k < o->count; k++)
                if (check_value(&o->items[k]) < 0) {
                    snprintf(where, sizeof(where), "wmi.%.60s[%zu].%.60s", wmi->keys[c], i,
                             o->keys[k]);
                    return bad(err, origin, where,
                               "a property must be null, true/false, a whole number, a "
                               "string, or an array of strings or of whole numbers");
                }
        }
    }
    return exhv_sim_check_fields(doc, origin, err);
}

/* ---------------- opening ---------------- */

extern const exhv_ports_ops exhv_sim_ops;
static void sim_close(void *ctx);

/* "faults": [{"method": M, "call": N, "return": CODE} or {..., "job_error": CODE}] */
static void load_faults(sim *s)
{
    const exhv_json *f = exhv_json_get(s->doc, "faults");
    for (size_t i = 0; f && f->type == EXHV_JSON_ARRAY && i < f->count; i++) {
        const exhv_json *o = &f->items[i];
        const char *m = exhv_json_get_str(o, "method");
        int64_t job = exhv_json_get_int(o, "job_error", 0);
        if (!m || s->nfaults == SIM_MAX)
            continue;
        exhv_sim_inject_fault(s, m, (unsigned)exhv_json_get_int(o, "call", 1),
                              (unsigned long)(job ? job : exhv_json_get_int(o, "return", 32768)),
                              job != 0);
        if (job && s->nfaults)
            s->faults[s->nfaults - 1].job_state = (int)exhv_json_get_int(o, "job_state", 10);
    }
}

/* "sim": {"change_delay_ms": N, "query_delay_ms": N}, or the environment's
 * EXHV_SIM_CHANGE_DELAY_MS / EXHV_SIM_QUERY_DELAY_MS: a host as slow as a
 * real one, so that a test (or a person) can interrupt a step half-way. */
static void load_timing(sim *s)
{
    const exhv_json *t = exhv_json_get(s->doc, "sim");
    const char *e;
    s->change_delay_ms = (unsigned)exhv_json_get_int(t, "change_delay_ms", 0);
    s->query_delay_ms = (unsigned)exhv_json_get_int(t, "query_delay_ms", 0);
    if ((e = getenv("EXHV_SIM_CHANGE_DELAY_MS")) && *e)
        s->change_delay_ms = (unsigned)strtoul(e, NULL, 10) % 600001;
    if ((e = getenv("EXHV_SIM_QUERY_DELAY_MS")) && *e)
        s->query_delay_ms = (unsigned)strtoul(e, NULL, 10) % 600001;
}

int exhv_sim_open_text(const char *text, size_t len, const char *origin,
                       const exhv_ports_ops **ops, void **ctx, exhv_error *err)
{
    sim *s = calloc(1, sizeof(*s));
    exhv_json *doc = NULL;

    if (!s || !(s->origin = exhv_strdup(origin))) {
        free(s);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    if (exhv_json_parse(text, len, &doc, err) < 0) {
        exhv_error_prefix(err, "scenario %s is not valid JSON", origin);
        goto fail;
    }
    if (validate(doc, origin, err) < 0)
        goto fail;
    s->doc = doc;
    /* Hyper-V's jobs are Msvm_ConcreteJob or another CIM_ConcreteJob
     * subclass (Msvm_StorageJob, ...): "job_class" picks the one this
     * host answers with. */
    snprintf(s->job_class, sizeof(s->job_class), "%s",
             exhv_json_get_str(exhv_json_get(doc, "host"), "job_class")
                 ? exhv_json_get_str(exhv_json_get(doc, "host"), "job_class")
                 : "Msvm_ConcreteJob");
    load_faults(s);
    load_timing(s);
    *ops = &exhv_sim_ops;
    *ctx = s;
    return 0;
fail:
    exhv_json_free(doc);
    free(s->origin);
    free(s);
    return -1;
}

int exhv_sim_open_default(const exhv_ports_ops **ops, void **ctx, exhv_error *err)
{
    int rc = exhv_sim_open_text(exhv_sim_default_json, exhv_sim_default_json_len, "default", ops,
                                ctx, err);
    if (rc == 0)
        ((sim *)*ctx)->builtin = 1;
    return rc;
}

int exhv_sim_open_file(const char *path, const exhv_ports_ops **ops, void **ctx,
                       exhv_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (exhv_fs_read_file(path, 64u << 20, &text, &len, err) < 0) {
        if (err && err->code == EXHV_E_NOT_FOUND) {
            /* The errno text alone does not say what test:/// wants. */
            exhv_platkind kind = err->plat_kind;
            unsigned long code = err->plat_code;
            char text_[sizeof(err->plat_text)];
            memcpy(text_, err->plat_text, sizeof(text_));
            exhv_error_set(err, EXHV_E_NOT_FOUND,
                           "there is no simulated host at %s: test:///PATH reads a scenario "
                           "file that must exist. Copy scenarios/default.json there and edit "
                           "it (docs/scenario.md), or use test:///default", path);
            exhv_error_platform(err, kind, code, text_);
            return -1;
        }
        exhv_error_prefix(err, "opening simulated host");
        return -1;
    }
    rc = exhv_sim_open_text(text, len, path, ops, ctx, err);
    free(text);
    if (rc == 0) {
        sim *s = *ctx;
        exhv_buf lock = EXHV_BUF_INIT, journal = EXHV_BUF_INIT;
        /* One lock per file, however it is named: a symbolic link or
         * another spelling of the path reaches the same lock. */
        char *real = exhv_fs_realpath(path, err);
        if (!real) {
            sim_close(s);
            return -1;
        }
        exhv_buf_printf(&lock, "%s.lock", real);
        exhv_buf_printf(&journal, "%s.journal", real);
        free(real);
        s->path = exhv_strdup(path);
        s->lock = exhv_buf_detach(&lock);
        s->journal = exhv_buf_detach(&journal);
        if (!s->path || !s->lock || !s->journal) {
            sim_close(s);
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
    }
    return rc;
}

static void sim_close(void *ctx)
{
    sim *s = ctx;
    if (!s)
        return;
    exhv_json_free(s->doc);
    free(s->origin);
    free(s->path);
    free(s->lock);
    free(s->reg_order);
    free(s->journal);
    if (s->scratch) {
        exhv_scratch_remove(s->scratch);
        free(s->scratch);
    }
    for (int i = 0; i < s->nhives; i++) {
        free(s->hives[i].name);
        free(s->hives[i].file);
    }
    for (int i = 0; i < s->nattached; i++)
        free(s->attached[i]);
    free(s);
}

/* Under the lock: the file as it is now (another exhv may have changed it
 * since it was opened), and only if it can be written back. */
static int sim_begin_change(void *ctx, exhv_error *err)
{
    sim *s = ctx;
    char *text = NULL;
    size_t len = 0;
    exhv_json *doc = NULL;

    if (!s->path)
        return 0;
    if (exhv_fs_check_writable(s->path, err) < 0)
        return -1;
    /* The stamp first: a file replaced after it is caught at the first
     * write, not read and then lost. */
    s->have_stamp = exhv_fs_stamp_get(s->path, &s->stamp, err) == 0;
    if (exhv_fs_read_file(s->path, 64u << 20, &text, &len, err) < 0) {
        exhv_error_prefix(err, "opening simulated host");
        return -1;
    }
    if (exhv_json_parse(text, len, &doc, err) < 0) {
        free(text);
        exhv_error_prefix(err, "scenario %s is not valid JSON", s->origin);
        return -1;
    }
    free(text);
    if (validate(doc, s->origin, err) < 0) {
        exhv_json_free(doc);
        return -1;
    }
    exhv_json_free(s->doc);
    s->doc = doc;
    return 0;
}

static const char *sim_journal_path(void *ctx)
{
    return ((sim *)ctx)->journal;
}

/* ---------------- sysinfo ---------------- */

static int dup_field(char **dst, const exhv_json *obj, const char *key, const char *fallback)
{
    const char *v = exhv_json_get_str(obj, key);
    *dst = exhv_strdup(v ? v : fallback);
    return *dst ? 0 : -1;
}

static int sim_sys_read(void *ctx, exhv_sysinfo *out, exhv_error *err)
{
    sim *s = ctx;
    const exhv_json *h = exhv_json_get(s->doc, "host");
    exhv_sysinfo si = {0};

    if (dup_field(&si.computer_name, h, "computer_name", "SIMHOST") < 0 ||
        dup_field(&si.os_caption, h, "caption", "Microsoft Windows") < 0 ||
        dup_field(&si.os_version, h, "version", "10.0") < 0 ||
        dup_field(&si.arch, h, "arch", "64-bit") < 0 ||
        dup_field(&si.cpu_name, h, "cpu", "") < 0 ||
        (exhv_json_get_str(h, "wine") && dup_field(&si.wine_version, h, "wine", "") < 0)) {
        exhv_sysinfo_release(&si);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    si.build = (unsigned)exhv_json_get_int(h, "build", 0);
    si.server = exhv_json_get_bool(h, "server", 0);
    si.cpu_mhz = (unsigned)exhv_json_get_int(h, "cpu_mhz", 0);
    si.memory_bytes = (uint64_t)exhv_json_get_int(h, "memory_bytes", 0);
    si.elevated = exhv_json_get_bool(h, "elevated", 1);
    si.hypervisor_present = exhv_json_get_bool(h, "hypervisor_present", 1);
    {
        const exhv_json *vf = exhv_json_get(h, "virtualization_firmware");
        si.virt_firmware = vf && vf->type == EXHV_JSON_BOOL ? vf->boolean : -1;
    }
    *out = si;
    return 0;
}

/* ---------------- registry ---------------- */

static int reg_order_cmp(const void *a, const void *b)
{
    const struct reg_entry *x = a, *y = b;
    int c = exhv_strcasecmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* The index in `reg` of `key` (case-insensitive; the first of equals, as a
 * scan finds it), or -1. A binary search over an order kept with the sim. */
static long reg_find(sim *s, const exhv_json *reg, const char *key)
{
    size_t lo = 0, hi;
    if (!reg || !reg->count)
        return -1;
    if (!s->reg_order || s->reg_keys != reg->keys || s->reg_count != reg->count) {
        struct reg_entry *o = realloc(s->reg_order, reg->count * sizeof(*o));
        if (!o) {
            /* Out of memory: a scan still answers. */
            for (size_t i = 0; i < reg->count; i++)
                if (exhv_strcaseeq(reg->keys[i], key))
                    return (long)i;
            return -1;
        }
        for (size_t i = 0; i < reg->count; i++) {
            o[i].key = reg->keys[i];
            o[i].index = i;
        }
        qsort(o, reg->count, sizeof(*o), reg_order_cmp);
        s->reg_order = o;
        s->reg_keys = reg->keys;
        s->reg_count = reg->count;
    }
    hi = reg->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (exhv_strcasecmp(s->reg_order[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < reg->count && exhv_strcaseeq(s->reg_order[lo].key, key)
               ? (long)s->reg_order[lo].index
               : -1;
}

static int sim_reg_get(void *ctx, const char *key, const char *value, exhv_regval *out,
                       exhv_error *err)
{
    sim *s = ctx;
    const exhv_json *reg = exhv_json_get(s->doc, "registry"), *k = NULL, *v = NULL, *d;
    exhv_regval r = {0};
    long ki = reg_find(s, reg, key);

    if (ki >= 0)
        k = &reg->items[ki];
    for (size_t i = 0; k && i < k->count && !v; i++)
        if (exhv_strcaseeq(k->keys[i], value))
            v = &k->items[i];
    if (!v) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "registry value %s\\%s does not exist", key, value);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 2, "The system cannot find the file specified.");
        return -2;
    }
    d = &v->items[0];
    if (strcmp(v->keys[0], "dword") == 0 && d->type == EXHV_JSON_NUMBER && d->is_int &&
        d->inum >= 0 && d->inum <= 0xFFFFFFFFLL) {
        r.type = EXHV_REG_DWORD;
        r.num = (uint64_t)d->inum;
    } else if (strcmp(v->keys[0], "qword") == 0 && d->type == EXHV_JSON_NUMBER && d->is_int) {
        r.type = EXHV_REG_QWORD;
        r.num = (uint64_t)d->inum;
    } else if ((strcmp(v->keys[0], "sz") == 0 || strcmp(v->keys[0], "expand_sz") == 0) &&
               d->type == EXHV_JSON_STRING) {
        r.type = v->keys[0][0] == 'e' ? EXHV_REG_EXPAND_SZ : EXHV_REG_SZ;
        r.len = strlen(d->str) + 1;
        if (!(r.str = exhv_strdup(d->str)))
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    } else if (strcmp(v->keys[0], "multi_sz") == 0 && d->type == EXHV_JSON_ARRAY) {
        exhv_buf b = EXHV_BUF_INIT;
        for (size_t i = 0; i < d->count; i++)
            if (d->items[i].type == EXHV_JSON_STRING)
                exhv_buf_add(&b, d->items[i].str, strlen(d->items[i].str) + 1);
        exhv_buf_putc(&b, '\0');
        r.type = EXHV_REG_MULTI_SZ;
        r.len = b.len;
        if (!(r.str = exhv_buf_detach(&b)))
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    } else if (strcmp(v->keys[0], "binary") == 0 && d->type == EXHV_JSON_STRING &&
               strlen(d->str) % 2 == 0) {
        size_t n = strlen(d->str) / 2;
        r.type = EXHV_REG_BINARY;
        r.len = n;
        if (!(r.bin = malloc(n ? n : 1)))
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        for (size_t i = 0; i < n; i++) {
            unsigned x;
            if (sscanf(d->str + 2 * i, "%2x", &x) != 1) {
                free(r.bin);
                return exhv_error_set(err, EXHV_E_PARSE, "registry value %s\\%s: bad hex", key,
                                      value);
            }
            r.bin[i] = (unsigned char)x;
        }
    } else {
        return exhv_error_set(err, EXHV_E_PARSE,
                              "scenario registry value %s\\%s has an unknown type or a value "
                              "that does not fit it", key, value);
    }
    *out = r;
    return 0;
}

/* ---------------- PnP ---------------- */

static int pnp_one(const exhv_json *j, exhv_pnp_dev *d)
{
    const exhv_json *pci = exhv_json_get(j, "pci"), *lp = exhv_json_get(j, "location_paths");
    const char *loc = exhv_json_get_str(j, "location_path");

    memset(d, 0, sizeof(*d));
    /* The PCIROOT( entry, as the real port takes it: an ACPI( entry can
     * come first (reference/hyperv-wmi.md, assignability survey). */
    for (size_t i = 0; !loc && lp && lp->type == EXHV_JSON_ARRAY && i < lp->count; i++)
        if (lp->items[i].type == EXHV_JSON_STRING && exhv_starts_with_ci(lp->items[i].str, "PCIROOT("))
            loc = lp->items[i].str;
    if (!loc && lp && lp->type == EXHV_JSON_ARRAY && lp->count &&
        lp->items[0].type == EXHV_JSON_STRING)
        loc = lp->items[0].str;
    d->instance_id = exhv_strdup(exhv_json_get_str(j, "instance_id"));
    d->location_path = exhv_strdup(loc ? loc : "");
    d->name = exhv_strdup(exhv_json_get_str(j, "name") ? exhv_json_get_str(j, "name") : "");
    d->cls = exhv_strdup(exhv_json_get_str(j, "class") ? exhv_json_get_str(j, "class") : "");
    d->service = exhv_strdup(exhv_json_get_str(j, "service") ? exhv_json_get_str(j, "service") : "");
    d->manufacturer = exhv_strdup(exhv_json_get_str(j, "manufacturer"));
    d->driver_key = exhv_strdup(exhv_json_get_str(j, "driver"));
    d->driver_version = exhv_strdup(exhv_json_get_str(j, "driver_version"));
    d->present = exhv_json_get_bool(j, "present", 1);
    d->problem = (unsigned long)exhv_json_get_int(j, "problem", 0);
    d->device_type = (int)exhv_json_get_int(pci, "device_type", -1);
    d->acs = (int)exhv_json_get_int(pci, "acs", -1);
    d->base_class = (int)exhv_json_get_int(pci, "base_class", -1);
    {
        const exhv_json *r = exhv_json_get(pci, "reserved_memory");
        d->reserved_memory = r && r->type == EXHV_JSON_BOOL ? r->boolean : -1;
    }
    {
        const exhv_json *irq = exhv_json_get(pci, "interrupts");
        d->interrupts = irq && irq->type == EXHV_JSON_ARRAY ? 0 : -1;
        for (size_t i = 0; irq && d->interrupts >= 0 && i < irq->count; i++) {
            const char *k = irq->items[i].type == EXHV_JSON_STRING ? irq->items[i].str : "";
            d->interrupts |= exhv_strcaseeq(k, "line")   ? EXHV_IRQ_LINE
                             : exhv_strcaseeq(k, "msi")  ? EXHV_IRQ_MSI
                             : exhv_strcaseeq(k, "msix") ? EXHV_IRQ_MSIX
                                                         : 0;
        }
    }
    {
        const exhv_json *mem = exhv_json_get(pci, "memory");
        if (mem && mem->type == EXHV_JSON_ARRAY && mem->count) {
            d->mem = calloc(mem->count, sizeof(*d->mem));
            if (!d->mem)
                return -1;
            for (size_t i = 0; i < mem->count; i++) {
                d->mem[i].start = (uint64_t)exhv_json_get_int(&mem->items[i], "start", 0);
                d->mem[i].length = (uint64_t)exhv_json_get_int(&mem->items[i], "length", 0);
            }
            d->nmem = mem->count;
        }
    }
    return d->instance_id && d->location_path && d->name && d->cls && d->service ? 0 : -1;
}

static int sim_pnp_list(void *ctx, exhv_pnp_dev **out, size_t *count, exhv_error *err)
{
    sim *s = ctx;
    const exhv_json *pnp = exhv_json_get(s->doc, "pnp");
    size_t n = pnp ? pnp->count : 0;
    exhv_pnp_dev *list = calloc(n ? n : 1, sizeof(*list));

    if (!list)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    for (size_t i = 0; i < n; i++) {
        exhv_regval v = {0};
        exhv_error ignored;
        char key[300];
        int bad_ = pnp_one(&pnp->items[i], &list[i]) < 0;
        /* The driver's version is the DriverVersion of its software key
         * (DEVPKEY_Device_DriverVersion), when the class key has one: a
         * driver update in the scenario changes that key, as Windows does. */
        if (!bad_ && list[i].driver_key &&
            (size_t)snprintf(key, sizeof(key), "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\%s",
                             list[i].driver_key) < sizeof(key) &&
            sim_reg_get(s, key, "DriverVersion", &v, &ignored) == 0) {
            if (v.type == EXHV_REG_SZ && v.str) {
                free(list[i].driver_version);
                bad_ = !(list[i].driver_version = exhv_strdup(v.str));
            }
            exhv_regval_release(&v);
        }
        if (bad_) {
            for (size_t k = 0; k <= i; k++)
                exhv_pnp_dev_release(&list[k]);
            free(list);
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
    }
    *out = list;
    *count = n;
    return 0;
}

/* ---------------- WMI ---------------- */

static int sim_wmi_open(void *ctx, exhv_error *err)
{
    sim *s = ctx;
    const exhv_json *h = exhv_json_get(s->doc, "host");
    if (!exhv_json_get_bool(h, "hyperv", 1)) {
        exhv_error_set(err, EXHV_E_NO_HYPERV,
                       "the namespace ROOT\\virtualization\\v2 does not exist (the Hyper-V "
                       "feature is not installed)");
        exhv_error_platform(err, EXHV_PLAT_HRESULT, WBEM_E_INVALID_NAMESPACE,
                            "WBEM_E_INVALID_NAMESPACE");
        return -2;
    }
    return 0;
}

static unsigned long sim_wmi_query_count(void *ctx)
{
    return ((sim *)ctx)->queries;
}

/* One condition of a WHERE clause: Prop = literal. */
typedef struct cond {
    char prop[128];
    exhv_value lit;
} cond;

typedef struct wql {
    char cls[128];
    cond conds[8];
    int nconds;
} wql;

static void skip_sp(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')
        (*p)++;
}

static int word(const char **p, const char *w)
{
    size_t n = strlen(w);
    skip_sp(p);
    if (!exhv_starts_with_ci(*p, w))
        return 0;
    char c = (*p)[n];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
        return 0;
    *p += n;
    return 1;
}

static int ident(const char **p, char *out, size_t outsz)
{
    size_t n = 0;
    skip_sp(p);
    while (((**p >= 'A' && **p <= 'Z') || (**p >= 'a' && **p <= 'z') || (**p >= '0' && **p <= '9') ||
            **p == '_') && n + 1 < outsz)
        out[n++] = *(*p)++;
    out[n] = '\0';
    return n ? 0 : -1;
}

static int literal(const char **p, exhv_value *v)
{
    skip_sp(p);
    memset(v, 0, sizeof(*v));
    if (**p == '\'' || **p == '"') {
        char q = *(*p)++;
        exhv_buf b = EXHV_BUF_INIT;
        while (**p && **p != q) {
            if (**p == '\\' && (*p)[1])
                (*p)++;
            exhv_buf_putc(&b, *(*p)++);
        }
        if (**p != q) {
            exhv_buf_release(&b);
            return -1;
        }
        (*p)++;
        v->type = EXHV_V_STR;
        return (v->s = exhv_buf_detach(&b)) ? 0 : -1;
    }
    if (word(p, "TRUE") || word(p, "FALSE")) {
        v->type = EXHV_V_BOOL;
        v->i = exhv_starts_with_ci(*p - 4, "TRUE");
        return 0;
    }
    if ((**p >= '0' && **p <= '9') || **p == '-') {
        char *end;
        v->type = EXHV_V_INT;
        v->i = strtoll(*p, &end, 10);
        *p = end;
        return 0;
    }
    return -1;
}

static void wql_release(wql *q)
{
    for (int i = 0; i < q->nconds; i++)
        exhv_value_release(&q->conds[i].lit);
}

static int wql_parse(const char *text, wql *q)
{
    const char *p = text;
    memset(q, 0, sizeof(*q));
    if (!word(&p, "SELECT"))
        return -1;
    skip_sp(&p);
    if (*p++ != '*')
        return -1;
    if (!word(&p, "FROM") || ident(&p, q->cls, sizeof(q->cls)) < 0)
        return -1;
    if (word(&p, "WHERE")) {
        do {
            cond *c;
            if (q->nconds == (int)(sizeof(q->conds) / sizeof(q->conds[0])))
                return -1;
            c = &q->conds[q->nconds];
            if (ident(&p, c->prop, sizeof(c->prop)) < 0)
                return -1;
            skip_sp(&p);
            if (*p++ != '=')
                return -1;
            if (literal(&p, &c->lit) < 0)
                return -1;
            q->nconds++;
        } while (word(&p, "AND"));
    }
    skip_sp(&p);
    return *p ? -1 : 0;
}

static int json_matches(const exhv_json *v, const exhv_value *lit)
{
    if (!v)
        return lit->type == EXHV_V_NULL;
    switch (lit->type) {
    case EXHV_V_STR: return v->type == EXHV_JSON_STRING && exhv_strcaseeq(v->str, lit->s);
    case EXHV_V_INT: return v->type == EXHV_JSON_NUMBER && v->is_int && v->inum == lit->i;
    case EXHV_V_BOOL: return v->type == EXHV_JSON_BOOL && v->boolean == (int)lit->i;
    default: return 0;
    }
}

static int to_value(const exhv_json *j, exhv_value *v)
{
    memset(v, 0, sizeof(*v));
    switch (j->type) {
    case EXHV_JSON_NULL: return 0;
    case EXHV_JSON_BOOL: v->type = EXHV_V_BOOL; v->i = j->boolean; return 0;
    case EXHV_JSON_NUMBER: v->type = EXHV_V_INT; v->i = j->inum; return 0;
    case EXHV_JSON_STRING: v->type = EXHV_V_STR; return (v->s = exhv_strdup(j->str)) ? 0 : -1;
    case EXHV_JSON_ARRAY:
        if (j->count && j->items[0].type == EXHV_JSON_NUMBER) {
            v->type = EXHV_V_INTS;
            if (!(v->ints = malloc(j->count * sizeof(int64_t))))
                return -1;
            for (size_t i = 0; i < j->count; i++)
                v->ints[i] = j->items[i].inum;
        } else {
            v->type = EXHV_V_STRS;
            if (!(v->strs = calloc(j->count ? j->count : 1, sizeof(char *))))
                return -1;
            for (size_t i = 0; i < j->count; i++)
                if (!(v->strs[i] = exhv_strdup(j->items[i].str))) {
                    exhv_strv_free(v->strs, i);
                    v->strs = NULL;
                    return -1;
                }
        }
        v->n = j->count;
        return 0;
    default:
        return -1;
    }
}

/* The __PATH of a simulated object, written the way WMI writes one: the
 * key value in double quotes with \ and " escaped by a backslash. */
static char *object_path(const sim *s, const char *cls, const exhv_json *o)
{
    const exhv_json *h = exhv_json_get(s->doc, "host");
    const char *host = exhv_json_get_str(h, "computer_name");
    const char *key = class_key(cls), *val = exhv_json_get_str(o, key);
    exhv_buf b = EXHV_BUF_INIT;

    /* Msvm_PciExpress is keyed by four properties, written in this order
     * (reference/hyperv-wmi.md, DDA step 3). */
    if (exhv_strcaseeq(cls, "Msvm_PciExpress"))
        exhv_buf_printf(&b, "\\\\%s\\root\\virtualization\\v2:%s.CreationClassName=\"Msvm_PciExpress\","
                            "%s=\"", host ? host : "SIMHOST", cls, key);
    else
        exhv_buf_printf(&b, "\\\\%s\\root\\virtualization\\v2:%s.%s=\"", host ? host : "SIMHOST", cls,
                        key);
    for (const char *p = val ? val : ""; *p;) {
        size_t run = strcspn(p, "\"\\");
        exhv_buf_add(&b, p, run);
        p += run;
        if (*p) {
            exhv_buf_putc(&b, '\\');
            exhv_buf_putc(&b, *p++);
        }
    }
    exhv_buf_putc(&b, '"');
    if (exhv_strcaseeq(cls, "Msvm_PciExpress"))
        exhv_buf_printf(&b, ",SystemCreationClassName=\"Msvm_ComputerSystem\",SystemName=\"%s\"",
                        host ? host : "SIMHOST");
    return exhv_buf_detach(&b);
}

/* Hyper-V offers a GPU for partitions while its driver runs: an
 * Msvm_PartitionableGpu whose PCI\ node is there but not present (DDA took
 * the card) or disabled is not listed. A GPU without a node in the scenario
 * stays listed. */
static int gpu_runs(const sim *s, const exhv_json *gpu)
{
    const exhv_json *pnp = exhv_json_get(s->doc, "pnp");
    char *id = exhv_gpu_path_to_instance_id(exhv_json_get_str(gpu, "Name"));
    int runs = 1;
    for (size_t i = 0; id && pnp && i < pnp->count; i++)
        if (exhv_strcaseeq(exhv_json_get_str(&pnp->items[i], "instance_id"), id)) {
            runs = exhv_json_get_bool(&pnp->items[i], "present", 1) &&
                   exhv_json_get_int(&pnp->items[i], "problem", 0) == 0;
            break;
        }
    free(id);
    return runs;
}

typedef struct sim_job sim_job;
static void job_poll(sim *s, exhv_json *arr);
static const exhv_json *class_template(sim *s, const char *cls);
static int save(sim *s, exhv_error *err);
static exhv_json *vm_obj(sim *s, const char *vm_id);

/* Classes Hyper-V always has that a scenario need not spell out: the two
 * services, one shutdown component per running VM, and the jobs of this
 * process. 0 when `cls` is one of them (arr filled), -1 otherwise. */
static int synthesize(sim *s, const char *cls, exhv_json *arr)
{
    arr->type = EXHV_JSON_ARRAY;
    if (exhv_strcaseeq(cls, "Msvm_VirtualSystemManagementService") ||
        exhv_strcaseeq(cls, "Msvm_AssignableDeviceService")) {
        exhv_json *o = exhv_json_arr_push(arr, EXHV_JSON_OBJECT);
        return o && exhv_json_set_str(exhv_json_obj_set(o, "Name", EXHV_JSON_NULL),
                                      exhv_strcaseeq(cls, "Msvm_AssignableDeviceService")
                                          ? "AssignableDeviceService" : "vmms") == 0 ? 0 : -1;
    }
    if (exhv_strcaseeq(cls, "Msvm_ShutdownComponent")) {
        const exhv_json *wmi = exhv_json_get(s->doc, "wmi");
        const exhv_json *cs = exhv_json_get(wmi, "Msvm_ComputerSystem");
        for (size_t i = 0; cs && i < cs->count; i++) {
            const char *name = exhv_json_get_str(&cs->items[i], "Name");
            exhv_json *o;
            if (!name || exhv_json_get_int(&cs->items[i], "EnabledState", 3) != 2 ||
                strlen(name) != 36)
                continue;
            if (!(o = exhv_json_arr_push(arr, EXHV_JSON_OBJECT)) ||
                exhv_json_set_str(exhv_json_obj_set(o, "SystemName", EXHV_JSON_NULL), name) < 0)
                return -1;
        }
        return 0;
    }
    if (exhv_strcaseeq(cls, "Msvm_ConcreteJob") || exhv_strcaseeq(cls, s->job_class)) {
        job_poll(s, arr);
        return 0;
    }
    if (exhv_strcaseeq(cls, "Msvm_AllocationCapabilities")) {
        /* One per class whose default setting the scenario holds. */
        static const char *const classes[] = {"Msvm_PciExpressSettingData",
                                              "Msvm_GpuPartitionSettingData"};
        for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
            const exhv_json *t = class_template(s, classes[i]);
            exhv_json *o;
            exhv_buf id = EXHV_BUF_INIT;
            if (!t)
                continue;
            exhv_buf_printf(&id, "Microsoft:AllocationCapabilities\\%s", classes[i]);
            if (!(o = exhv_json_arr_push(arr, EXHV_JSON_OBJECT)) || !exhv_buf_ok(&id) ||
                exhv_json_set_str(exhv_json_obj_set(o, "InstanceID", EXHV_JSON_NULL),
                                  exhv_buf_str(&id)) < 0 ||
                exhv_json_set_str(exhv_json_obj_set(o, "ResourceSubType", EXHV_JSON_NULL),
                                  exhv_json_get_str(t, "ResourceSubType")
                                      ? exhv_json_get_str(t, "ResourceSubType") : "") < 0) {
                exhv_buf_release(&id);
                return -1;
            }
            exhv_json_set_int(exhv_json_obj_set(o, "ResourceType", EXHV_JSON_NULL),
                              exhv_json_get_int(t, "ResourceType", 0));
            exhv_buf_release(&id);
        }
        return 0;
    }
    return -1;
}

/* "REFERENCES OF {capabilities path} WHERE ResultClass =
 * Msvm_SettingsDefineCapabilities": the association that names the default
 * setting (ValueRole 0) of the class the capabilities stand for. */
static int references_of(sim *s, const char *text, exhv_wmi_objs *out, exhv_error *err)
{
    const char *open = strchr(text, '{'), *close = open ? strchr(open, '}') : NULL;
    char *path = open && close ? exhv_strndup(open + 1, (size_t)(close - open - 1)) : NULL;
    char *iid = path ? exhv_wmi_path_key(path, "InstanceID") : NULL;
    const char *cls = iid && exhv_starts_with_ci(iid, "Microsoft:AllocationCapabilities\\")
                          ? iid + strlen("Microsoft:AllocationCapabilities\\") : NULL;
    const exhv_json *t = cls ? class_template(s, cls) : NULL;
    exhv_wmi_objs res = {0};
    int rc = 0;

    if (!close || !strstr(close, "Msvm_SettingsDefineCapabilities")) {
        rc = exhv_error_set(err, EXHV_E_PLATFORM, "the simulated WMI cannot parse the query \"%s\"",
                            text);
        exhv_error_platform(err, EXHV_PLAT_HRESULT, WBEM_E_INVALID_QUERY, "WBEM_E_INVALID_QUERY");
    } else if (t) {
        exhv_wmi_obj *o = exhv_wmi_objs_push(&res);
        char *tpath = object_path(s, cls, t);
        if (!o || !tpath || !(o->cls = exhv_strdup("Msvm_SettingsDefineCapabilities")) ||
            !(o->path = exhv_strdup("")) || exhv_wmi_set_str(o, "GroupComponent", path) < 0 ||
            exhv_wmi_set_str(o, "PartComponent", tpath) < 0 ||
            exhv_wmi_set_int(o, "ValueRole", 0) < 0 || exhv_wmi_set_int(o, "ValueRange", 0) < 0)
            rc = exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        free(tpath);
    }
    free(path);
    free(iid);
    if (rc < 0)
        exhv_wmi_objs_release(&res);
    else
        *out = res;
    return rc;
}

/* host.absent_classes: classes this host's Hyper-V does not have (the GPU
 * partitioning classes before build 17134 and on Server 2016). */
static int class_absent(sim *s, const char *cls)
{
    const exhv_json *a = exhv_json_get(exhv_json_get(s->doc, "host"), "absent_classes");
    for (size_t i = 0; a && a->type == EXHV_JSON_ARRAY && i < a->count; i++)
        if (a->items[i].type == EXHV_JSON_STRING && exhv_strcaseeq(a->items[i].str, cls))
            return 1;
    return 0;
}

static int query(sim *s, const char *text, exhv_wmi_objs *out, exhv_error *err)
{
    const exhv_json *wmi = exhv_json_get(s->doc, "wmi"), *objs = NULL;
    exhv_wmi_objs res = {0};
    exhv_json synth = {0};
    wql q;

    if (exhv_starts_with_ci(text, "REFERENCES OF"))
        return references_of(s, text, out, err);
    if (s->stopping[0] && exhv_contains_ci(text, "Msvm_ComputerSystem") && --s->stopping_looks <= 0) {
        exhv_json *vm = vm_obj(s, s->stopping);
        s->stopping[0] = '\0';
        if (vm) {
            int64_t was = exhv_json_get_int(vm, "EnabledState", 2);
            exhv_json_set_int(exhv_json_obj_set(vm, "EnabledState", EXHV_JSON_NULL), 3);
            if (save(s, err) < 0) {
                /* Not in the file: not so in memory either. */
                exhv_json_set_int(exhv_json_obj_set(vm, "EnabledState", EXHV_JSON_NULL), was);
                return -1;
            }
        }
    }
    if (wql_parse(text, &q) < 0) {
        wql_release(&q);
        exhv_error_set(err, EXHV_E_PLATFORM, "the simulated WMI cannot parse the query \"%s\"",
                       text);
        exhv_error_platform(err, EXHV_PLAT_HRESULT, WBEM_E_INVALID_QUERY, "WBEM_E_INVALID_QUERY");
        return -1;
    }
    if (!exhv_starts_with_ci(q.cls, "Msvm_") || class_absent(s, q.cls)) {
        wql_release(&q);
        exhv_error_set(err, EXHV_E_PLATFORM, "class %s is not in ROOT\\virtualization\\v2", q.cls);
        exhv_error_platform(err, EXHV_PLAT_HRESULT, WBEM_E_INVALID_CLASS, "WBEM_E_INVALID_CLASS");
        return -1;
    }
    for (size_t i = 0; wmi && i < wmi->count && !objs; i++)
        if (exhv_strcaseeq(wmi->keys[i], q.cls))
            objs = &wmi->items[i];
    if (!objs && synthesize(s, q.cls, &synth) == 0)
        objs = &synth;
    for (size_t i = 0; objs && i < objs->count; i++) {
        const exhv_json *o = &objs->items[i];
        exhv_wmi_obj *r;
        int ok = !exhv_strcaseeq(q.cls, "Msvm_PartitionableGpu") || gpu_runs(s, o);
        for (int c = 0; c < q.nconds && ok; c++) {
            const exhv_json *v = NULL;
            for (size_t k = 0; k < o->count && !v; k++)
                if (exhv_strcaseeq(o->keys[k], q.conds[c].prop))
                    v = &o->items[k];
            ok = json_matches(v, &q.conds[c].lit);
        }
        if (!ok)
            continue;
        if (!(r = exhv_wmi_objs_push(&res)) || !(r->cls = exhv_strdup(q.cls)) ||
            !(r->path = object_path(s, q.cls, o)))
            goto nomem;
        for (size_t k = 0; k < o->count; k++) {
            exhv_value v;
            if (to_value(&o->items[k], &v) < 0)
                goto nomem;
            /* JSON member names of a scenario object are its property names. */
            if (exhv_wmi_append_value(r, o->keys[k], &v) < 0) {
                exhv_value_release(&v);
                goto nomem;
            }
        }
    }
    wql_release(&q);
    exhv_json_clear(&synth);
    *out = res;
    return 0;
nomem:
    wql_release(&q);
    exhv_json_clear(&synth);
    exhv_wmi_objs_release(&res);
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

static int sim_wmi_query(void *ctx, const char *text, exhv_wmi_objs *out, exhv_error *err)
{
    sim *s = ctx;
    s->queries++;
    if (s->query_delay_ms)
        exhv_sleep_ms(s->query_delay_ms);
    return query(s, text, out, err);
}

/* GetObject: the object a path names, by its class's key property. */
static int sim_wmi_get(void *ctx, const char *path, exhv_wmi_obj *out, exhv_error *err)
{
    sim *s = ctx;
    char cls[128];
    char *key;
    exhv_buf q = EXHV_BUF_INIT;
    exhv_wmi_objs l = {0};
    int rc;

    exhv_wmi_path_class(path, cls, sizeof(cls));
    key = cls[0] ? exhv_wmi_path_key(path, class_key(cls)) : NULL;
    if (!key) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "no WMI object has the path %s", path);
        exhv_error_platform(err, EXHV_PLAT_HRESULT, 0x80041002UL, "WBEM_E_NOT_FOUND");
        return -2;
    }
    exhv_buf_printf(&q, "SELECT * FROM %s WHERE %s = ", cls, class_key(cls));
    exhv_wql_quote(&q, key);
    free(key);
    rc = query(s, exhv_buf_str(&q), &l, err);
    exhv_buf_release(&q);
    if (rc == 0 && l.count == 0) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "no WMI object has the path %s", path);
        exhv_error_platform(err, EXHV_PLAT_HRESULT, 0x80041002UL, "WBEM_E_NOT_FOUND");
        rc = -2;
    }
    if (rc == 0) {
        *out = l.items[0];
        memset(&l.items[0], 0, sizeof(l.items[0]));
    }
    exhv_wmi_objs_release(&l);
    return rc;
}

/* Each look at the jobs is one poll: a job runs for two polls, then
 * completes (7) or fails (10) with its error. */
static void job_poll(sim *s, exhv_json *arr)
{
    for (int i = 0; i < s->njobs; i++) {
        sim_job *j = &s->jobs[i];
        exhv_json *o = exhv_json_arr_push(arr, EXHV_JSON_OBJECT);
        int state;
        if (!o)
            return;
        if (j->polls_left > 0)
            j->polls_left--;
        state = j->polls_left > 0 ? 4 : j->end ? j->end : 7;
        exhv_json_set_str(exhv_json_obj_set(o, "InstanceID", EXHV_JSON_NULL), j->id);
        exhv_json_set_int(exhv_json_obj_set(o, "JobState", EXHV_JSON_NULL), state);
        exhv_json_set_int(exhv_json_obj_set(o, "ErrorCode", EXHV_JSON_NULL),
                          state == 10 ? (int64_t)j->error : 0);
        exhv_json_set_str(exhv_json_obj_set(o, "ErrorDescription", EXHV_JSON_NULL),
                          state == 10 ? j->description : "");
    }
}

/* ======================= write side ======================= */

void exhv_sim_inject_fault(void *ctx, const char *method, unsigned call, unsigned long code,
                           int via_job)
{
    sim *s = ctx;
    sim_fault *f;
    if (s->nfaults == SIM_MAX)
        return;
    f = &s->faults[s->nfaults++];
    snprintf(f->method, sizeof(f->method), "%s", method);
    f->call = call ? call : 1;
    f->code = code;
    f->via_job = via_job;
}

void exhv_sim_inject_job_state(void *ctx, const char *method, unsigned call, int state)
{
    sim *s = ctx;
    exhv_sim_inject_fault(ctx, method, call, 0, 1);
    s->faults[s->nfaults - 1].job_state = state;
}

unsigned exhv_sim_call_count(void *ctx, const char *method)
{
    sim *s = ctx;
    for (int i = 0; i < s->ncalls; i++)
        if (strcmp(s->calls[i].method, method) == 0)
            return s->calls[i].n;
    return 0;
}

void exhv_sim_reset_faults(void *ctx)
{
    sim *s = ctx;
    s->nfaults = 0;
    s->ncalls = 0;
}

/* Count a call of `method`; returns the fault planned for it, if any. */
static const sim_fault *count_call(sim *s, const char *method)
{
    unsigned n = 0;
    int i;
    for (i = 0; i < s->ncalls; i++)
        if (strcmp(s->calls[i].method, method) == 0)
            break;
    if (i == s->ncalls && s->ncalls < SIM_MAX) {
        snprintf(s->calls[i].method, sizeof(s->calls[i].method), "%s", method);
        s->calls[i].n = 0;
        s->ncalls++;
    }
    if (i < SIM_MAX)
        n = ++s->calls[i].n;
    for (int k = 0; k < s->nfaults; k++)
        if (strcmp(s->faults[k].method, method) == 0 && s->faults[k].call == n)
            return &s->faults[k];
    return NULL;
}

int exhv_sim_write_text(void *ctx, exhv_buf *out)
{
    sim *s = ctx;
    exhv_jw w;
    exhv_jw_init(&w, out, 1);
    exhv_jw_value(&w, s->doc);
    exhv_jw_end(&w);
    return exhv_buf_ok(out) ? 0 : -1;
}

/* Write the document back. A "save" fault fails the write as a full disk
 * would (ENOSPC), before anything reaches the file. */
static int save(sim *s, exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    int rc;
    const sim_fault *f;
    if (!s->path)
        return 0;
    if ((f = count_call(s, "save"))) {
        exhv_error_set(err, EXHV_E_IO, "cannot write %s: No space left on device (injected "
                       "fault)", s->path);
        /* "return" names the errno; a fault without one is ENOSPC (28). */
        exhv_error_platform(err, EXHV_PLAT_ERRNO, f->code == 32768 ? 28 : f->code,
                            "No space left on device");
        return -1;
    }
    exhv_jw_init(&w, &b, 1);
    exhv_jw_value(&w, s->doc);
    exhv_jw_end(&w);
    if (!exhv_buf_ok(&b)) {
        exhv_buf_release(&b);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    /* The file must still be the version this change started from: one
     * another program replaced or edited meanwhile is not overwritten. */
    if (s->have_stamp) {
        exhv_fs_stamp now;
        exhv_error ignored;
        if (exhv_fs_stamp_get(s->path, &now, &ignored) < 0 || !exhv_fs_stamp_equal(&now, &s->stamp)) {
            exhv_buf_release(&b);
            return exhv_error_set(err, EXHV_E_IO, "cannot write %s: it was changed, replaced or "
                                  "removed by another program while exhv was changing it, and "
                                  "exhv does not overwrite that; look at it, then run the "
                                  "command again", s->path);
        }
    }
    rc = exhv_fs_write_atomic(s->path, b.data, b.len, err);
    exhv_buf_release(&b);
    if (rc == 0 && s->have_stamp) {
        exhv_error ignored;
        s->have_stamp = exhv_fs_stamp_get(s->path, &s->stamp, &ignored) == 0;
    }
    return rc;
}

/* A change either reaches the file or is not made: the document as it was
 * before, to put back when the write fails. */
static int change_begin(sim *s, exhv_json *backup, exhv_error *err)
{
    memset(backup, 0, sizeof(*backup));
    if (s->change_delay_ms)
        exhv_sleep_ms(s->change_delay_ms);
    if (s->path && exhv_json_copy(backup, s->doc) < 0)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    return 0;
}

/* Save when `mutated`; on a failed save (or rc < 0) the document goes back
 * to the backup. Returns rc, or -1 when the save failed. */
static int change_end(sim *s, exhv_json *backup, int rc, int mutated, exhv_error *err)
{
    if (rc == 0 && mutated && save(s, err) < 0)
        rc = -1;
    if (rc < 0 && s->path) {
        exhv_json_clear(s->doc);
        *s->doc = *backup;
        return rc;
    }
    exhv_json_clear(backup);
    return rc;
}

static exhv_json *wmi_class(sim *s, const char *cls)
{
    exhv_json *wmi = (exhv_json *)exhv_json_get(s->doc, "wmi");
    if (!wmi && !(wmi = exhv_json_obj_set(s->doc, "wmi", EXHV_JSON_OBJECT)))
        return NULL;
    for (size_t i = 0; i < wmi->count; i++)
        if (exhv_strcaseeq(wmi->keys[i], cls))
            return &wmi->items[i];
    return exhv_json_obj_set(wmi, cls, EXHV_JSON_ARRAY);
}

/* The classes the methods look at, made present before a method runs: a
 * class added half-way would move the others and leave pointers to them
 * dangling (found by the scenario fuzz target). */
static void classes_ensure(sim *s)
{
    static const char *const cls[] = {
        "Msvm_ComputerSystem",    "Msvm_VirtualSystemSettingData", "Msvm_MemorySettingData",
        "Msvm_PciExpress",        "Msvm_PciExpressSettingData",    "Msvm_PartitionableGpu",
        "Msvm_GpuPartitionSettingData",
    };
    for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++)
        wmi_class(s, cls[i]);
}

static exhv_json *find_obj(exhv_json *arr, const char *prop, const char *value, size_t *index)
{
    for (size_t i = 0; arr && value && i < arr->count; i++)
        if (exhv_strcaseeq(exhv_json_get_str(&arr->items[i], prop), value)) {
            if (index)
                *index = i;
            return &arr->items[i];
        }
    return NULL;
}

static exhv_json *pnp_find(sim *s, const char *instance_id)
{
    return find_obj((exhv_json *)exhv_json_get(s->doc, "pnp"), "instance_id", instance_id, NULL);
}

static exhv_json *vm_obj(sim *s, const char *vm_id)
{
    return find_obj(wmi_class(s, "Msvm_ComputerSystem"), "Name", vm_id, NULL);
}

/* "Microsoft:<GUID>..." -> the VM's Msvm_ComputerSystem */
static exhv_json *vm_of_instance(sim *s, const char *instance_id)
{
    char guid[40];
    if (!instance_id || !exhv_starts_with_ci(instance_id, "Microsoft:") ||
        strlen(instance_id) < 10 + 36)
        return NULL;
    memcpy(guid, instance_id + 10, 36);
    guid[36] = '\0';
    return vm_obj(s, guid);
}

static int vm_is_off(const exhv_json *vm)
{
    return exhv_json_get_int(vm, "EnabledState", 3) == 3;
}

/* Does any VM's PCI Express setting refer to the Msvm_PciExpress DeviceID? */
static exhv_json *pci_reference(sim *s, const char *device_id, size_t *index)
{
    exhv_json *sd = wmi_class(s, "Msvm_PciExpressSettingData");
    for (size_t i = 0; sd && i < sd->count; i++) {
        const exhv_json *hr = exhv_json_get(&sd->items[i], "HostResource");
        char *key;
        int match;
        if (!hr || hr->type != EXHV_JSON_ARRAY || !hr->count || hr->items[0].type != EXHV_JSON_STRING)
            continue;
        key = exhv_wmi_path_key(hr->items[0].str, "DeviceID");
        match = key && exhv_strcaseeq(key, device_id);
        free(key);
        if (match) {
            if (index)
                *index = i;
            return &sd->items[i];
        }
    }
    return NULL;
}

/* The Msvm_PartitionableGpu a host resource names: by its path's Name or
 * DeviceID key, or by the Name itself. */
static exhv_json *gpu_of(sim *s, const char *hr)
{
    exhv_json *gpus = wmi_class(s, "Msvm_PartitionableGpu"), *g;
    char *name = exhv_wmi_path_key(hr, "Name"), *devid = exhv_wmi_path_key(hr, "DeviceID");
    g = find_obj(gpus, "Name", name ? name : hr, NULL);
    if (!g && devid)
        g = find_obj(gpus, "DeviceID", devid, NULL);
    free(name);
    free(devid);
    return g && gpu_runs(s, g) ? g : NULL;
}

/* While a VM holds a device, its PCIP node on the host is not started (the
 * host sees it as "Unknown"); dismounted but unassigned it is. */
static void mark_present(sim *s, const char *device_id, int present)
{
    exhv_json *px = find_obj(wmi_class(s, "Msvm_PciExpress"), "DeviceID", device_id, NULL);
    exhv_json *dev = px ? pnp_find(s, exhv_json_get_str(px, "DeviceInstancePath")) : NULL;
    if (dev)
        exhv_json_set_bool(exhv_json_obj_set(dev, "present", EXHV_JSON_NULL), present);
}

/* Store a typed value from an embedded instance in the document. */
static int put_prop(exhv_json *obj, const char *name, const exhv_value *v)
{
    exhv_json *dst = exhv_json_obj_set(obj, name, v->type == EXHV_V_STRS || v->type == EXHV_V_INTS
                                                      ? EXHV_JSON_ARRAY
                                                      : EXHV_JSON_NULL);
    if (!dst)
        return -1;
    switch (v->type) {
    case EXHV_V_NULL: return 0;
    case EXHV_V_BOOL: exhv_json_set_bool(dst, v->i != 0); return 0;
    case EXHV_V_INT: exhv_json_set_int(dst, v->i); return 0;
    case EXHV_V_STR: return exhv_json_set_str(dst, v->s ? v->s : "");
    case EXHV_V_STRS:
    case EXHV_V_INTS:
        for (size_t i = 0; i < v->n; i++) {
            exhv_json *e = exhv_json_arr_push(dst, EXHV_JSON_NULL);
            if (!e)
                return -1;
            if (v->type == EXHV_V_INTS)
                exhv_json_set_int(e, v->ints[i]);
            else if (exhv_json_set_str(e, v->strs[i] ? v->strs[i] : "") < 0)
                return -1;
        }
        return 0;
    }
    return -1;
}

/* What WMI does with an embedded instance that does not match its class:
 * a property the class does not have, or one declared with another TYPE
 * than the class's, is an invalid parameter. The class's properties and
 * types are Microsoft's documentation (hyperv/schema.c). NULL when the
 * instance is fine, else why not. */
static const char *schema_mismatch(const exhv_wmi_obj *o, char *why, size_t whysz)
{
    if (!exhv_schema_knows(o->cls)) {
        snprintf(why, whysz, "the class %.60s is not a setting this method takes", o->cls);
        return why;
    }
    for (size_t i = 0; i < o->nprops; i++) {
        const exhv_prop *p = &o->props[i];
        const exhv_schema_prop *sp = exhv_schema_find(o->cls, p->name);
        int array = p->v.type == EXHV_V_STRS || p->v.type == EXHV_V_INTS;
        if (!sp) {
            snprintf(why, whysz, "%.60s has no property %.60s", o->cls, p->name);
            return why;
        }
        if (sp->type != p->v.cim || (p->v.type != EXHV_V_NULL && sp->array != array)) {
            snprintf(why, whysz, "type mismatch: %.60s.%.60s is %s%s, not %s%s", o->cls, p->name,
                     exhv_cim_name(sp->type), sp->array ? "[]" : "", exhv_cim_name(p->v.cim),
                     array ? "[]" : "");
            return why;
        }
    }
    return NULL;
}

/* A deterministic GUID for a new setting, from what it joins. */
static void make_guid(char out[37], const char *a, const char *b)
{
    uint64_t h1 = 1469598103934665603ULL, h2 = 1099511628211ULL;
    for (const char *p = a; *p; p++)
        h1 = (h1 ^ (unsigned char)*p) * 1099511628211ULL;
    for (const char *p = b; *p; p++)
        h2 = (h2 ^ (unsigned char)*p) * 1469598103934665603ULL;
    snprintf(out, 37, "%08X-%04X-4%03X-8%03X-%012llX", (unsigned)(h1 >> 32),
             (unsigned)(h1 >> 16) & 0xFFFF, (unsigned)h1 & 0xFFF, (unsigned)(h2 >> 52) & 0xFFF,
             (unsigned long long)(h2 & 0xFFFFFFFFFFFFULL));
}

typedef struct call {
    sim *s;
    const exhv_wmi_obj *in;
    exhv_wmi_obj *out;
    unsigned long ret;      /* ReturnValue when not 0 */
    const char *why;        /* the job's ErrorDescription when it fails */
    int mutated;
    unsigned long invalid;  /* the method's "invalid parameter": 4, or 32773 */
    char whybuf[240];
} call;

static int refuse(call *c, unsigned long code, const char *why)
{
    c->ret = code;
    c->why = why;
    return 0;
}

/* Parse every embedded instance of an in-parameter (string or array). */
static int embedded(call *c, const char *param, exhv_wmi_obj *objs, size_t max, size_t *n,
                    exhv_error *err)
{
    const exhv_value *v = exhv_wmi_get(c->in, param);
    *n = 0;
    if (!v || (v->type != EXHV_V_STR && v->type != EXHV_V_STRS))
        return refuse(c, c->invalid, "a required parameter is missing"), 1;
    for (size_t i = 0; i < (v->type == EXHV_V_STR ? 1 : v->n) && *n < max; i++) {
        if (exhv_cimxml_read(v->type == EXHV_V_STR ? v->s : v->strs[i], &objs[*n], err) < 0) {
            for (size_t k = 0; k < *n; k++)
                exhv_wmi_obj_release(&objs[k]);
            return refuse(c, c->invalid, "an embedded instance is malformed"), 1;
        }
        (*n)++;
        if (schema_mismatch(&objs[*n - 1], c->whybuf, sizeof(c->whybuf))) {
            for (size_t k = 0; k < *n; k++)
                exhv_wmi_obj_release(&objs[k]);
            return refuse(c, c->invalid, c->whybuf), 1;
        }
    }
    return 0;
}

static int m_modify_system(call *c, exhv_error *err)
{
    exhv_wmi_obj o;
    size_t n;
    exhv_json *vs, *vm;
    static const char *const needs_off[] = {"LowMmioGapSize", "HighMmioGapSize",
                                            "GuestControlledCacheTypes"};
    if (embedded(c, "SystemSettings", &o, 1, &n, err) || n != 1)
        return 0;
    vs = find_obj(wmi_class(c->s, "Msvm_VirtualSystemSettingData"), "InstanceID",
                  exhv_wmi_str(&o, "InstanceID"), NULL);
    vm = vs ? vm_of_instance(c->s, exhv_wmi_str(&o, "InstanceID")) : NULL;
    if (!vs || !vm) {
        exhv_wmi_obj_release(&o);
        return refuse(c, 4, "no VM has these settings");
    }
    for (size_t i = 0; i < o.nprops; i++) {
        int64_t v = exhv_wmi_int(&o, o.props[i].name, -1);
        for (size_t k = 0; k < sizeof(needs_off) / sizeof(needs_off[0]); k++)
            if (exhv_strcaseeq(o.props[i].name, needs_off[k]) && !vm_is_off(vm)) {
                exhv_wmi_obj_release(&o);
                return refuse(c, 32775, "the VM must be turned off to change this setting");
            }
        if (exhv_strcaseeq(o.props[i].name, "LowMmioGapSize") && (v < 128 || v > 3584)) {
            exhv_wmi_obj_release(&o);
            return refuse(c, 4, "LowMmioGapSize must be between 128 and 3584 MB");
        }
    }
    for (size_t i = 0; i < o.nprops; i++) {
        int rc;
        if (exhv_strcaseeq(o.props[i].name, "InstanceID"))
            continue;
        if ((rc = put_prop(vs, o.props[i].name, &o.props[i].v)) < 0) {
            exhv_wmi_obj_release(&o);
            return rc == -2 ? refuse(c, 4, "a value has the wrong type")
                            : exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
    }
    exhv_wmi_obj_release(&o);
    c->mutated = 1;
    return 0;
}

static int m_modify_resource(call *c, exhv_error *err)
{
    exhv_wmi_obj o[8];
    size_t n;
    if (embedded(c, "ResourceSettings", o, 8, &n, err))
        return 0;
    /* Validate all, then apply all: a refused call changes nothing. */
    for (size_t i = 0; i < n; i++) {
        exhv_json *m = find_obj(wmi_class(c->s, "Msvm_MemorySettingData"), "InstanceID",
                                exhv_wmi_str(&o[i], "InstanceID"), NULL);
        exhv_json *vm = m ? vm_of_instance(c->s, exhv_wmi_str(&o[i], "InstanceID")) : NULL;
        if (!m || !vm) {
            refuse(c, 4, "no such resource setting");
            goto out;
        }
        if (exhv_wmi_get(&o[i], "DynamicMemoryEnabled") && !vm_is_off(vm)) {
            refuse(c, 32775, "the VM must be turned off to change dynamic memory");
            goto out;
        }
    }
    for (size_t i = 0; i < n; i++) {
        exhv_json *m = find_obj(wmi_class(c->s, "Msvm_MemorySettingData"), "InstanceID",
                                exhv_wmi_str(&o[i], "InstanceID"), NULL);
        for (size_t k = 0; k < o[i].nprops; k++)
            if (!exhv_strcaseeq(o[i].props[k].name, "InstanceID") &&
                put_prop(m, o[i].props[k].name, &o[i].props[k].v) == -1) {
                exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
                goto out;
            }
    }
    c->mutated = 1;
out:
    for (size_t i = 0; i < n; i++)
        exhv_wmi_obj_release(&o[i]);
    return err->code == EXHV_E_NO_MEMORY ? -1 : 0;
}

/* The class's default setting in the scenario: the object whose InstanceID
 * ends in "\\Default" (Hyper-V's InstanceIDs of the form
 * "Microsoft:Definition\\<GUID>\\Default"). */
static const exhv_json *class_template(sim *s, const char *cls)
{
    const exhv_json *arr = wmi_class(s, cls);
    for (size_t i = 0; arr && i < arr->count; i++) {
        const char *iid = exhv_json_get_str(&arr->items[i], "InstanceID");
        size_t n = iid ? strlen(iid) : 0;
        if (n > 8 && exhv_strcaseeq(iid + n - 8, "\\Default"))
            return &arr->items[i];
    }
    return NULL;
}

/* A new resource setting is a copy of its class's default setting with
 * some values changed (Microsoft's cmdlets, ExHyperV and WSL's
 * DeviceAssignment.cpp all start from it): the name of a property the
 * template has and the setting lacks, or NULL. InstanceID is Hyper-V's to
 * give. */
static const char *template_gap(sim *s, const exhv_wmi_obj *o)
{
    const exhv_json *t = class_template(s, o->cls);
    for (size_t k = 0; t && k < t->count; k++) {
        if (t->items[k].type == EXHV_JSON_NULL || exhv_strcaseeq(t->keys[k], "InstanceID"))
            continue;
        if (!exhv_wmi_get(o, t->keys[k]))
            return t->keys[k];
    }
    return NULL;
}

/* A new setting in arr, with the properties of the class's "...\\Default"
 * setting: what AddResourceSettings is not given, Hyper-V takes from the
 * defaults. NULL when out of memory. */
static exhv_json *add_from_default(exhv_json *arr)
{
    exhv_json *o = exhv_json_arr_push(arr, EXHV_JSON_OBJECT);
    const exhv_json *tmpl = NULL;
    if (!o)
        return NULL;
    for (size_t i = 0; i + 1 < arr->count && !tmpl; i++) {
        const char *iid = exhv_json_get_str(&arr->items[i], "InstanceID");
        size_t n = iid ? strlen(iid) : 0;
        if (n > 8 && exhv_strcaseeq(iid + n - 8, "\\Default"))
            tmpl = &arr->items[i];
    }
    for (size_t k = 0; tmpl && k < tmpl->count; k++) {
        exhv_json *m;
        if (exhv_strcaseeq(tmpl->keys[k], "InstanceID"))
            continue;
        if (!(m = exhv_json_obj_set(o, tmpl->keys[k], EXHV_JSON_NULL)) ||
            exhv_json_copy(m, &tmpl->items[k]) < 0)
            return NULL;
    }
    return o;
}

static int m_add_resource(call *c, exhv_error *err)
{
    const char *vs_path = exhv_wmi_str(c->in, "AffectedConfiguration");
    char *vs_id = exhv_wmi_path_key(vs_path, "InstanceID");
    exhv_json *vm = vm_of_instance(c->s, vs_id), *arr, *o;
    exhv_wmi_obj rs[8];
    size_t n = 0;
    int rc = 0;
    const char *paths[8];
    char *made[8] = {0};

    if (!vm) {
        free(vs_id);
        return refuse(c, 4, "AffectedConfiguration names no VM");
    }
    if (embedded(c, "ResourceSettings", rs, 8, &n, err)) {
        free(vs_id);
        return 0;
    }
    if (!vm_is_off(vm)) {
        refuse(c, 32775, "the VM must be turned off to add a device");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *hr = exhv_wmi_str0(&rs[i], "HostResource");
        const char *missing = template_gap(c->s, &rs[i]);
        if (missing) {
            snprintf(c->whybuf, sizeof(c->whybuf),
                     "the setting lacks %.80s, which the class's default setting has: a new "
                     "setting starts from the \\Default template", missing);
            refuse(c, 4, c->whybuf);
            goto out;
        }
        if (exhv_strcaseeq(rs[i].cls, "Msvm_GpuPartitionSettingData")) {
            if (hr && !gpu_of(c->s, hr)) {
                refuse(c, 32773, "the host resource names no partitionable GPU");
                goto out;
            }
        } else if (!exhv_strcaseeq(rs[i].cls, "Msvm_PciExpressSettingData")) {
            refuse(c, 4, "the simulated host adds PCI Express devices and GPU partitions");
            goto out;
        } else {
            char *devid = exhv_wmi_path_key(hr, "DeviceID");
            int exists = devid && find_obj(wmi_class(c->s, "Msvm_PciExpress"), "DeviceID", devid, NULL);
            int held = devid && pci_reference(c->s, devid, NULL);
            free(devid);
            if (!exists) {
                refuse(c, 32773, "the device is not dismounted (no Msvm_PciExpress for it)");
                goto out;
            }
            if (held) {
                refuse(c, 32775, "the device is already assigned to a VM");
                goto out;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        char guid[37];
        exhv_buf id = EXHV_BUF_INIT, seed = EXHV_BUF_INIT;
        const char *hr = exhv_wmi_str0(&rs[i], "HostResource");
        int gpu = exhv_strcaseeq(rs[i].cls, "Msvm_GpuPartitionSettingData");
        arr = wmi_class(c->s, gpu ? "Msvm_GpuPartitionSettingData" : "Msvm_PciExpressSettingData");
        /* A new ID, as Hyper-V gives each new setting: from the VM, the
         * host resource and a counter, never one that exists. */
        for (unsigned salt = 0;; salt++) {
            exhv_buf_reset(&seed);
            exhv_buf_reset(&id);
            exhv_buf_printf(&seed, "%s|%zu|%u", hr ? hr : "", arr ? arr->count : 0, salt);
            make_guid(guid, vs_id, exhv_buf_str(&seed));
            exhv_buf_printf(&id, gpu ? "%s\\%s" : "%s\\%s\\0\\0\\D", vs_id, guid);
            if (!find_obj(arr, "InstanceID", exhv_buf_str(&id), NULL) || salt > 1000)
                break;
        }
        exhv_buf_release(&seed);
        if (!arr || !(o = add_from_default(arr))) {
            exhv_buf_release(&id);
            rc = exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            goto out;
        }
        if (gpu) {
            if (exhv_json_set_str(exhv_json_obj_set(o, "InstanceID", EXHV_JSON_NULL), exhv_buf_str(&id)) < 0) {
                exhv_buf_release(&id);
                rc = exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
                goto out;
            }
            for (size_t k = 0; k < rs[i].nprops; k++)
                if (!exhv_strcaseeq(rs[i].props[k].name, "InstanceID") &&
                    put_prop(o, rs[i].props[k].name, &rs[i].props[k].v) == -1) {
                    exhv_buf_release(&id);
                    rc = exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
                    goto out;
                }
            made[i] = exhv_buf_detach(&id);
            paths[i] = made[i];
            continue;
        }
        if (exhv_json_set_str(exhv_json_obj_set(o, "InstanceID", EXHV_JSON_NULL), exhv_buf_str(&id)) < 0) {
            exhv_buf_release(&id);
            rc = exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            goto out;
        }
        for (size_t k = 0; k < rs[i].nprops; k++)
            if (!exhv_strcaseeq(rs[i].props[k].name, "InstanceID") &&
                put_prop(o, rs[i].props[k].name, &rs[i].props[k].v) == -1) {
                exhv_buf_release(&id);
                rc = exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
                goto out;
            }
        {
            char *devid = exhv_wmi_path_key(hr, "DeviceID");
            mark_present(c->s, devid, 0);
            free(devid);
        }
        made[i] = exhv_buf_detach(&id);
        paths[i] = made[i];
    }
    c->mutated = 1;
    if (n)
        exhv_wmi_set_strs(c->out, "ResultingResourceSettings", paths, n);
out:
    for (size_t i = 0; i < n; i++) {
        exhv_wmi_obj_release(&rs[i]);
        free(made[i]);
    }
    free(vs_id);
    return rc;
}

static int m_remove_resource(call *c, exhv_error *err)
{
    const exhv_value *v = exhv_wmi_get(c->in, "ResourceSettings");
    static const char *const classes[2] = {"Msvm_PciExpressSettingData",
                                           "Msvm_GpuPartitionSettingData"};
    struct {
        exhv_json *arr;
        size_t idx;
    } hit[8];
    size_t n = 0;
    (void)err;
    if (!v || v->type != EXHV_V_STRS || v->n == 0 || v->n > 8)
        return refuse(c, 4, "ResourceSettings must name the settings to remove");
    for (size_t i = 0; i < v->n; i++) {
        char *id = exhv_wmi_path_key(v->strs[i], "InstanceID");
        exhv_json *vm = vm_of_instance(c->s, id);
        int found = 0;
        for (int k = 0; k < 2 && !found; k++) {
            hit[n].arr = wmi_class(c->s, classes[k]);
            found = find_obj(hit[n].arr, "InstanceID", id, &hit[n].idx) != NULL;
        }
        free(id);
        if (!found || !vm)
            return refuse(c, 4, "no such resource setting");
        if (!vm_is_off(vm))
            return refuse(c, 32775, "the VM must be turned off to remove a device");
        n++;
    }
    /* Remove from the highest index down so the others stay valid. */
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            if (hit[k].idx > hit[i].idx) {
                size_t t = hit[i].idx;
                exhv_json *a = hit[i].arr;
                hit[i].idx = hit[k].idx;
                hit[i].arr = hit[k].arr;
                hit[k].idx = t;
                hit[k].arr = a;
            }
    for (size_t i = 0; i < n; i++) {
        const exhv_json *hr = exhv_json_get(&hit[i].arr->items[hit[i].idx], "HostResource");
        if (hr && hr->type == EXHV_JSON_ARRAY && hr->count && hr->items[0].type == EXHV_JSON_STRING) {
            char *devid = exhv_wmi_path_key(hr->items[0].str, "DeviceID");
            mark_present(c->s, devid, 1);
            free(devid);
        }
        exhv_json_arr_remove(hit[i].arr, hit[i].idx);
    }
    c->mutated = 1;
    return 0;
}

/* The node `to_id` of the same function as node `from` becomes present
 * (revived when Windows kept it as a phantom, else made from `from`), and
 * `from` stays behind not present: what a dismount (PCI\ -> PCIP\) and a
 * mount (PCIP\ -> PCI\) do to devnodes (reference/hyperv-wmi.md, DDA 3;
 * Microsoft's DeviceAssignment.cpp skips such phantoms). Returns the node, or
 * NULL out of memory. */
static exhv_json *pnp_move(sim *s, const char *from_id, const char *to_id, const char *location,
                           int problem)
{
    exhv_json *pnp = (exhv_json *)exhv_json_get(s->doc, "pnp");
    exhv_json *from = pnp_find(s, from_id), *to = pnp_find(s, to_id);
    exhv_json copy = {0};

    if (!from)
        return NULL;
    if (!to && exhv_json_copy(&copy, from) < 0)
        return NULL;
    exhv_json_set_bool(exhv_json_obj_set(from, "present", EXHV_JSON_NULL), 0);
    if (!to) {
        /* Pushing may move the array: `from` is not used after this. */
        if (!(to = exhv_json_arr_push(pnp, EXHV_JSON_NULL))) {
            exhv_json_clear(&copy);
            return NULL;
        }
        *to = copy;
        if (exhv_json_set_str(exhv_json_obj_set(to, "instance_id", EXHV_JSON_NULL), to_id) < 0)
            return NULL;
    }
    exhv_json_set_bool(exhv_json_obj_set(to, "present", EXHV_JSON_NULL), 1);
    exhv_json_set_int(exhv_json_obj_set(to, "problem", EXHV_JSON_NULL), problem);
    exhv_json_obj_remove(to, "location_paths");
    if (exhv_json_set_str(exhv_json_obj_set(to, "location_path", EXHV_JSON_NULL), location) < 0)
        return NULL;
    return to;
}

static int m_dismount(call *c, exhv_error *err)
{
    exhv_wmi_obj o;
    size_t n;
    exhv_json *dev, *arr, *px;
    const char *id, *loc;
    exhv_buf newid = EXHV_BUF_INIT, devid = EXHV_BUF_INIT;
    const exhv_json *pci;
    char guid[37];

    if (embedded(c, "DismountSettingData", &o, 1, &n, err) || n != 1)
        return 0;
    id = exhv_wmi_str(&o, "DeviceInstancePath");
    loc = exhv_wmi_str(&o, "DeviceLocationPath");
    dev = pnp_find(c->s, id);
    if (!dev || !exhv_json_get_bool(dev, "present", 1) ||
        !exhv_strcaseeq(exhv_json_get_str(dev, "location_path"), loc) ||
        !exhv_starts_with_ci(id, "PCI\\")) {
        exhv_wmi_obj_release(&o);
        return refuse(c, 32773, "no present device with that instance and location path is on "
                                "the host");
    }
    if (exhv_json_get_int(dev, "problem", 0) != 22) {
        exhv_wmi_obj_release(&o);
        return refuse(c, 32775, "the device must be disabled on the host before it is dismounted");
    }
    pci = exhv_json_get(dev, "pci");
    if (exhv_json_get_bool(pci, "reserved_memory", 0)) {
        exhv_wmi_obj_release(&o);
        return refuse(c, 32768, "the device requires a reserved memory region (RMRR)");
    }
    exhv_buf_printf(&newid, "PCIP\\%s", id + 4);
    /* DeviceID: "Microsoft:<id>\<PCIP instance path>", the form ExHyperV
     * parses; it carries no location path. */
    make_guid(guid, loc ? loc : "", exhv_buf_str(&newid));
    exhv_buf_printf(&devid, "Microsoft:%s\\%s", guid, exhv_buf_str(&newid));
    arr = wmi_class(c->s, "Msvm_PciExpress");
    if (!arr || !exhv_buf_ok(&newid) || !exhv_buf_ok(&devid) ||
        !pnp_move(c->s, id, exhv_buf_str(&newid), loc, 0) ||
        !(px = exhv_json_arr_push(arr, EXHV_JSON_OBJECT)) ||
        exhv_json_set_str(exhv_json_obj_set(px, "DeviceID", EXHV_JSON_NULL), exhv_buf_str(&devid)) < 0 ||
        exhv_json_set_str(exhv_json_obj_set(px, "DeviceInstancePath", EXHV_JSON_NULL), exhv_buf_str(&newid)) < 0 ||
        exhv_json_set_str(exhv_json_obj_set(px, "LocationPath", EXHV_JSON_NULL), loc) < 0 ||
        exhv_wmi_set_str(c->out, "DismountedDeviceInstancePath", exhv_buf_str(&newid)) < 0) {
        exhv_wmi_obj_release(&o);
        exhv_buf_release(&newid);
        exhv_buf_release(&devid);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    exhv_json_set_int(exhv_json_obj_set(px, "FunctionNumber", EXHV_JSON_NULL), 0);
    {
        const char *host = exhv_json_get_str(exhv_json_get(c->s->doc, "host"), "computer_name");
        exhv_json_set_str(exhv_json_obj_set(px, "SystemName", EXHV_JSON_NULL), host ? host : "SIMHOST");
    }
    exhv_wmi_obj_release(&o);
    exhv_buf_release(&newid);
    exhv_buf_release(&devid);
    c->mutated = 1;
    return 0;
}

static int m_mount(call *c, exhv_error *err)
{
    const char *id = exhv_wmi_str(c->in, "DeviceInstancePath");
    const char *loc = exhv_wmi_str(c->in, "DeviceLocationPath");
    exhv_json *arr = wmi_class(c->s, "Msvm_PciExpress"), *px;
    size_t index;
    exhv_buf newid = EXHV_BUF_INIT;

    px = find_obj(arr, "LocationPath", loc, &index);
    if (!px || !exhv_strcaseeq(exhv_json_get_str(px, "DeviceInstancePath"), id))
        return refuse(c, 32773, "no dismounted device has that instance and location path");
    if (pci_reference(c->s, exhv_json_get_str(px, "DeviceID"), NULL))
        return refuse(c, 32775, "the device is assigned to a VM: remove it from the VM first");
    exhv_buf_printf(&newid, "PCI\\%s", exhv_starts_with_ci(id, "PCIP\\") ? id + 5 : id);
    /* Back on the host the device is still disabled, as it was dismounted:
     * it needs enabling (which ExHyperV 1.0 forgot). The PCIP\ node stays
     * behind, not present. */
    if (!exhv_buf_ok(&newid) ||
        (pnp_find(c->s, id) && !pnp_move(c->s, id, exhv_buf_str(&newid), loc, 22))) {
        exhv_buf_release(&newid);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    exhv_wmi_set_str(c->out, "MountedDeviceInstancePath", exhv_buf_str(&newid));
    exhv_buf_release(&newid);
    exhv_json_arr_remove(arr, index);
    c->mutated = 1;
    return 0;
}

/* Why a VM cannot start: a reference to hardware that is gone. */
static const char *start_blocker(sim *s, const char *vm_id)
{
    exhv_json *sd = wmi_class(s, "Msvm_PciExpressSettingData");
    exhv_json *gp = wmi_class(s, "Msvm_GpuPartitionSettingData");
    exhv_json *gpus = wmi_class(s, "Msvm_PartitionableGpu");
    exhv_buf prefix = EXHV_BUF_INIT;
    const char *why = NULL;

    exhv_buf_printf(&prefix, "Microsoft:%s\\", vm_id);
    for (size_t i = 0; sd && i < sd->count && !why; i++) {
        const exhv_json *hr = exhv_json_get(&sd->items[i], "HostResource");
        char *key;
        if (!exhv_starts_with_ci(exhv_json_get_str(&sd->items[i], "InstanceID"), exhv_buf_str(&prefix)) ||
            !hr || hr->type != EXHV_JSON_ARRAY || !hr->count || hr->items[0].type != EXHV_JSON_STRING)
            continue;
        key = exhv_wmi_path_key(hr->items[0].str, "DeviceID");
        if (!find_obj(wmi_class(s, "Msvm_PciExpress"), "DeviceID", key, NULL))
            why = "an assigned PCI Express device is not present on the host";
        free(key);
    }
    for (size_t i = 0; gp && i < gp->count && !why; i++) {
        const exhv_json *hr = exhv_json_get(&gp->items[i], "HostResource");
        char *name;
        if (!exhv_starts_with_ci(exhv_json_get_str(&gp->items[i], "InstanceID"), exhv_buf_str(&prefix)) ||
            !hr || hr->type != EXHV_JSON_ARRAY || !hr->count || hr->items[0].type != EXHV_JSON_STRING)
            continue;
        name = exhv_wmi_path_key(hr->items[0].str, "Name");
        if (!find_obj(gpus, "Name", name ? name : hr->items[0].str, NULL))
            why = "the GPU of a GPU partition adapter is not present on the host";
        free(name);
    }
    exhv_buf_release(&prefix);
    return why;
}

static int m_state(call *c, const char *path, exhv_error *err)
{
    char *id = exhv_wmi_path_key(path, "Name");
    exhv_json *vm = vm_obj(c->s, id);
    int64_t want = exhv_wmi_int(c->in, "RequestedState", -1);
    const char *why;
    (void)err;
    if (!vm) {
        free(id);
        return refuse(c, 4, "no such VM");
    }
    if (want != 2 && want != 3) {
        free(id);
        return refuse(c, 32773, "the simulated host models start (2) and turn off (3)");
    }
    if (want == 2 && (why = start_blocker(c->s, id))) {
        free(id);
        return refuse(c, 32768, why);
    }
    free(id);
    exhv_json_set_int(exhv_json_obj_set(vm, "EnabledState", EXHV_JSON_NULL), want);
    c->mutated = 1;
    return 0;
}

/* InitiateShutdown. How the guest answers is the scenario's
 * host.guest_shutdown: "ok" (default: the VM is off at once), "slow" (4096
 * with no job, as the method may answer: the VM shows shutting down (4) and
 * is off after two more looks at it), "ignore" (accepted, but the guest
 * never stops), "not_ready" (32780 each time). */
static int m_shutdown(call *c, const char *path, exhv_error *err)
{
    char *id = exhv_wmi_path_key(path, "SystemName");
    exhv_json *vm = vm_obj(c->s, id);
    const char *how = exhv_json_get_str(exhv_json_get(c->s->doc, "host"), "guest_shutdown");
    (void)err;
    if (!vm) {
        free(id);
        return refuse(c, c->invalid, "no such VM");
    }
    if (exhv_json_get_int(vm, "EnabledState", 3) != 2) {
        free(id);
        return refuse(c, 32775, "the VM is not running");
    }
    if (how && strcmp(how, "not_ready") == 0) {
        free(id);
        return refuse(c, 32780, "the guest is not ready to shut down");
    }
    if (how && strcmp(how, "ignore") == 0) {
        free(id);
        return 0;
    }
    if (how && strcmp(how, "slow") == 0) {
        snprintf(c->s->stopping, sizeof(c->s->stopping), "%s", id);
        c->s->stopping_looks = 2;
        exhv_json_set_int(exhv_json_obj_set(vm, "EnabledState", EXHV_JSON_NULL), 4);
        c->ret = 4096;
    } else {
        exhv_json_set_int(exhv_json_obj_set(vm, "EnabledState", EXHV_JSON_NULL), 3);
    }
    free(id);
    c->mutated = 1;
    return 0;
}

static const struct method {
    const char *cls, *name;
    int job;   /* answers 4096 and a job, as Hyper-V does for these */
} methods[] = {
    {"Msvm_VirtualSystemManagementService", "ModifySystemSettings", 1},
    {"Msvm_VirtualSystemManagementService", "ModifyResourceSettings", 0},
    {"Msvm_VirtualSystemManagementService", "AddResourceSettings", 1},
    {"Msvm_VirtualSystemManagementService", "RemoveResourceSettings", 1},
    {"Msvm_AssignableDeviceService", "DismountAssignableDevice", 1},
    {"Msvm_AssignableDeviceService", "MountAssignableDevice", 0},
    {"Msvm_ComputerSystem", "RequestStateChange", 1},
    {"Msvm_ShutdownComponent", "InitiateShutdown", 0},
};

static void start_job(sim *s, exhv_wmi_obj *out, unsigned long error, const char *why, int end)
{
    sim_job *j = &s->jobs[s->njobs < SIM_MAX ? s->njobs++ : SIM_MAX - 1];
    exhv_buf path = EXHV_BUF_INIT;
    snprintf(j->id, sizeof(j->id), "SIMJOB-%04u", ++s->job_seq);
    j->polls_left = 2;
    j->error = error;
    j->end = end > 7 ? end : error ? 10 : 0;
    snprintf(j->description, sizeof(j->description), "%s", why ? why : "");
    exhv_buf_printf(&path, "\\\\SIMHOST\\root\\virtualization\\v2:%s.InstanceID=\"%s\"",
                    s->job_class, j->id);
    exhv_wmi_set_str(out, "Job", exhv_buf_str(&path));
    exhv_buf_release(&path);
}

static int sim_wmi_exec(void *ctx, const char *path, const char *method, const exhv_wmi_obj *in,
                        exhv_wmi_obj *out, exhv_error *err)
{
    sim *s = ctx;
    char cls[128];
    const struct method *m = NULL;
    const sim_fault *fault;
    exhv_wmi_obj res = {0};
    exhv_wmi_obj none = {0};
    call c = {s, in ? in : &none, &res, 0, NULL, 0, 4, ""};
    exhv_json backup;
    int rc = 0;

    exhv_wmi_path_class(path, cls, sizeof(cls));
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]) && !m; i++)
        if (exhv_strcaseeq(methods[i].cls, cls) && exhv_strcaseeq(methods[i].name, method))
            m = &methods[i];
    if (!m) {
        exhv_error_set(err, EXHV_E_PLATFORM, "the simulated host has no method %s.%s", cls, method);
        exhv_error_platform(err, EXHV_PLAT_HRESULT, 0x8004102FUL, "WBEM_E_INVALID_METHOD");
        return -1;
    }
    /* The management service's methods say 4 for an invalid parameter; the
     * assignable-device service, the shutdown component and
     * RequestStateChange say 32773 (reference/hyperv-wmi.md). */
    c.invalid = exhv_strcaseeq(m->cls, "Msvm_VirtualSystemManagementService") ? 4 : 32773;
    fault = count_call(s, method);
    classes_ensure(s);
    if (change_begin(s, &backup, err) < 0)
        return -1;
    if (fault && !fault->via_job) {
        c.ret = fault->code;
    } else if (!fault) {
        if (strcmp(m->name, "ModifySystemSettings") == 0)
            rc = m_modify_system(&c, err);
        else if (strcmp(m->name, "ModifyResourceSettings") == 0)
            rc = m_modify_resource(&c, err);
        else if (strcmp(m->name, "AddResourceSettings") == 0)
            rc = m_add_resource(&c, err);
        else if (strcmp(m->name, "RemoveResourceSettings") == 0)
            rc = m_remove_resource(&c, err);
        else if (strcmp(m->name, "DismountAssignableDevice") == 0)
            rc = m_dismount(&c, err);
        else if (strcmp(m->name, "MountAssignableDevice") == 0)
            rc = m_mount(&c, err);
        else if (strcmp(m->name, "RequestStateChange") == 0)
            rc = m_state(&c, path, err);
        else
            rc = m_shutdown(&c, path, err);
    }
    if (change_end(s, &backup, rc, c.mutated, err) < 0) {
        exhv_wmi_obj_release(&res);
        return -1;
    }
    if (fault && fault->via_job) {
        start_job(s, &res, fault->code, "injected fault", fault->job_state);
        c.ret = 4096;
    } else if (c.ret == 0 && m->job) {
        /* Results come from the job, not from the out-parameters. */
        exhv_wmi_obj_release(&res);
        start_job(s, &res, 0, NULL, 0);
        c.ret = 4096;
    } else if (c.ret && c.why && m->job) {
        /* Hyper-V reports most refusals through a failing job. */
        start_job(s, &res, c.ret, c.why, 0);
        c.ret = 4096;
    }
    exhv_wmi_set_int(&res, "ReturnValue", (int64_t)c.ret);
    *out = res;
    return 0;
}

static int sim_pnp_set_enabled(void *ctx, const char *instance_id, int enable, exhv_error *err)
{
    sim *s = ctx;
    exhv_json *dev = pnp_find(s, instance_id), backup;
    const sim_fault *f = count_call(s, enable ? "pnp_enable" : "pnp_disable");
    if (f) {
        exhv_error_set(err, EXHV_E_PLATFORM,
                       enable ? "cannot enable device %s" : "cannot disable device %s",
                       instance_id);
        exhv_error_platform(err, EXHV_PLAT_CONFIGRET, f->code, "injected fault");
        return -1;
    }
    if (!dev || !exhv_json_get_bool(dev, "present", 1)) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "no present device %s on the host", instance_id);
        exhv_error_platform(err, EXHV_PLAT_CONFIGRET, 0x0D, "CR_NO_SUCH_DEVNODE");
        return -1;
    }
    if (change_begin(s, &backup, err) < 0)
        return -1;
    exhv_json_set_int(exhv_json_obj_set(dev, "problem", EXHV_JSON_NULL), enable ? 0 : 22);
    return change_end(s, &backup, 0, 1, err);
}

static exhv_json *reg_key(sim *s, const char *key, int create)
{
    exhv_json *reg = (exhv_json *)exhv_json_get(s->doc, "registry");
    if (!reg && (!create || !(reg = exhv_json_obj_set(s->doc, "registry", EXHV_JSON_OBJECT))))
        return NULL;
    {
        long i = reg_find(s, reg, key);
        if (i >= 0)
            return &reg->items[i];
    }
    return create ? exhv_json_obj_set(reg, key, EXHV_JSON_OBJECT) : NULL;
}

static int sim_reg_set_dword(void *ctx, const char *key, const char *value, uint32_t data,
                             exhv_error *err)
{
    sim *s = ctx;
    exhv_json *k, *v, backup;
    int created, rc;
    if (count_call(s, "reg_set")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot write %s\\%s", key, value);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    created = !reg_key(s, key, 0);
    if (change_begin(s, &backup, err) < 0)
        return -1;
    if (!(k = reg_key(s, key, 1)) || !(v = exhv_json_obj_set(k, value, EXHV_JSON_OBJECT)) ||
        !exhv_json_obj_set(v, "dword", EXHV_JSON_NULL))
        return change_end(s, &backup, exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory"), 0,
                          err);
    exhv_json_set_int(exhv_json_obj_set(v, "dword", EXHV_JSON_NULL), data);
    rc = change_end(s, &backup, 0, 1, err);
    return rc < 0 ? -1 : created;
}

/* Delete `key` when it holds no value and no subkey (RegDeleteKeyEx
 * refuses a key with subkeys). */
static int reg_delete_key(sim *s, const char *key, exhv_error *err)
{
    exhv_json *reg = (exhv_json *)exhv_json_get(s->doc, "registry"), *k = reg_key(s, key, 0);
    exhv_json backup;
    size_t n = strlen(key);
    if (count_call(s, "reg_delete_key")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot delete %s", key);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    if (!k || k->count)
        return 0;
    for (size_t i = 0; i < reg->count; i++)
        if (strlen(reg->keys[i]) > n && reg->keys[i][n] == '\\' &&
            exhv_starts_with_ci(reg->keys[i], key))
            return 0;
    if (change_begin(s, &backup, err) < 0)
        return -1;
    /* The document may have been copied: look the key up again. */
    reg = (exhv_json *)exhv_json_get(s->doc, "registry");
    for (size_t i = 0; i < reg->count; i++)
        if (exhv_strcaseeq(reg->keys[i], key)) {
            exhv_json_obj_remove(reg, reg->keys[i]);
            break;
        }
    return change_end(s, &backup, 0, 1, err);
}

static int sim_reg_delete(void *ctx, const char *key, const char *value, exhv_error *err)
{
    sim *s = ctx;
    exhv_json *k, backup;
    if (!value)
        return reg_delete_key(s, key, err);
    if (count_call(s, "reg_delete")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot delete %s\\%s", key, value);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    if (change_begin(s, &backup, err) < 0)
        return -1;
    if ((k = reg_key(s, key, 0))) {
        for (size_t i = 0; i < k->count; i++)
            if (exhv_strcaseeq(k->keys[i], value)) {
                exhv_json_obj_remove(k, k->keys[i]);
                break;
            }
    }
    return change_end(s, &backup, 0, 1, err);
}

/* ---------------- typed registry writes and offline hives ---------------- */

/* A value as the scenario writes it: {"dword": N}, {"qword": N}, {"sz": S},
 * {"expand_sz": S}, {"multi_sz": [S...]}, {"binary": "hex"}. */
static int regval_to_json(exhv_json *v, const exhv_regval *r)
{
    exhv_json *d;
    exhv_json_clear(v);
    v->type = EXHV_JSON_OBJECT;
    switch (r->type) {
    case EXHV_REG_DWORD:
    case EXHV_REG_QWORD:
        if (!(d = exhv_json_obj_set(v, r->type == EXHV_REG_DWORD ? "dword" : "qword",
                                    EXHV_JSON_NULL)))
            return -1;
        exhv_json_set_int(d, (int64_t)(r->type == EXHV_REG_DWORD ? (uint32_t)r->num : r->num));
        return 0;
    case EXHV_REG_SZ:
    case EXHV_REG_EXPAND_SZ:
        return (d = exhv_json_obj_set(v, r->type == EXHV_REG_SZ ? "sz" : "expand_sz",
                                      EXHV_JSON_NULL)) &&
                       exhv_json_set_str(d, r->str ? r->str : "") == 0
                   ? 0 : -1;
    case EXHV_REG_MULTI_SZ:
        if (!(d = exhv_json_obj_set(v, "multi_sz", EXHV_JSON_ARRAY)))
            return -1;
        for (size_t n = 0; r->str && n < r->len && r->str[n];) {
            exhv_json *e = exhv_json_arr_push(d, EXHV_JSON_NULL);
            if (!e || exhv_json_set_str(e, r->str + n) < 0)
                return -1;
            n += strlen(r->str + n) + 1;
        }
        return 0;
    case EXHV_REG_BINARY: {
        exhv_buf b = EXHV_BUF_INIT;
        int rc;
        for (size_t i = 0; i < r->len; i++)
            exhv_buf_printf(&b, "%02x", r->bin[i]);
        rc = (d = exhv_json_obj_set(v, "binary", EXHV_JSON_NULL)) &&
                     exhv_json_set_str(d, exhv_buf_str(&b)) == 0 && exhv_buf_ok(&b)
                 ? 0 : -1;
        exhv_buf_release(&b);
        return rc;
    }
    default:
        return -1;
    }
}

static int sim_reg_set(void *ctx, const char *key, const char *value, const exhv_regval *r,
                       exhv_error *err)
{
    sim *s = ctx;
    exhv_json *k, *v, backup;
    int created, rc;
    if (r->type == EXHV_REG_NONE)
        return exhv_error_set(err, EXHV_E_USAGE, "registry value %s\\%s has no type", key, value);
    if (count_call(s, "reg_set")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot write %s\\%s", key, value);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    created = !reg_key(s, key, 0);
    if (change_begin(s, &backup, err) < 0)
        return -1;
    if (!(k = reg_key(s, key, 1)) || !(v = exhv_json_obj_set(k, value, EXHV_JSON_OBJECT)) ||
        regval_to_json(v, r) < 0)
        return change_end(s, &backup, exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory"), 0,
                          err);
    rc = change_end(s, &backup, 0, 1, err);
    return rc < 0 ? -1 : created;
}

/* The registry keys of a loaded hive: HKLM\<name> and below. */
static int in_hive(const char *key, const char *name)
{
    size_t n = strlen(name);
    return exhv_starts_with_ci(key, "HKLM\\") && exhv_starts_with_ci(key + 5, name) &&
           (key[5 + n] == '\0' || key[5 + n] == '\\');
}

/* A hive file of the simulated host: {"schema": 1, "keys": {"Select":
 * {"Current": {"dword": 1}}, "ControlSet001\\Services\\x": {...}}}, keys
 * relative to the hive's root, values as in the scenario's registry. */
static int sim_hive_load(void *ctx, const char *file, const char *name, exhv_error *err)
{
    sim *s = ctx;
    char *data = NULL;
    size_t len;
    exhv_json *doc = NULL, backup;
    const exhv_json *keys, *reg;
    exhv_buf full = EXHV_BUF_INIT;
    int rc = -1;

    if (!name[0] || strchr(name, '\\'))
        return exhv_error_set(err, EXHV_E_USAGE, "a hive is loaded under one key name, not '%s'",
                              name);
    reg = exhv_json_get(s->doc, "registry");
    for (size_t i = 0; reg && i < reg->count; i++)
        if (in_hive(reg->keys[i], name)) {
            /* RegLoadKey on a key that exists (ERROR_SHARING_VIOLATION for
             * a loaded hive's name). */
            exhv_error_set(err, EXHV_E_PLATFORM, "cannot load the guest's registry hive %s as "
                           "HKLM\\%s: that key exists (a hive loaded already?)", file, name);
            exhv_error_platform(err, EXHV_PLAT_WIN32, 32, "The process cannot access the file "
                                "because it is being used by another process.");
            return -1;
        }
    if (s->nhives == (int)(sizeof(s->hives) / sizeof(s->hives[0])))
        return exhv_error_set(err, EXHV_E_FAILED, "too many hives loaded");
    if (count_call(s, "hive_load")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot load the guest's registry hive %s", file);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    if (exhv_fs_read_file(file, 64u << 20, &data, &len, err) < 0)
        return -1;
    if (exhv_json_parse(data, len, &doc, err) < 0 || exhv_json_get_int(doc, "schema", 0) != 1 ||
        !(keys = exhv_json_get(doc, "keys")) || keys->type != EXHV_JSON_OBJECT) {
        exhv_error_set(err, EXHV_E_PARSE, "%s is not a registry hive (a simulated hive is "
                       "{\"schema\": 1, \"keys\": {...}})", file);
        goto out;
    }
    for (size_t i = 0; i < keys->count; i++) {
        const exhv_json *k = &keys->items[i];
        if (k->type != EXHV_JSON_OBJECT)
            goto badval;
        for (size_t j = 0; j < k->count; j++) {
            const exhv_json *v = &k->items[j];
            if (v->type != EXHV_JSON_OBJECT || v->count != 1 ||
                (strcmp(v->keys[0], "dword") && strcmp(v->keys[0], "qword") &&
                 strcmp(v->keys[0], "sz") && strcmp(v->keys[0], "expand_sz") &&
                 strcmp(v->keys[0], "multi_sz") &&
                 strcmp(v->keys[0], "binary")))
                goto badval;
        }
    }
    if (change_begin(s, &backup, err) < 0)
        goto out;
    for (size_t i = 0; i < keys->count; i++) {
        exhv_json *k;
        exhv_buf_reset(&full);
        exhv_buf_printf(&full, "HKLM\\%s%s%s", name, keys->keys[i][0] ? "\\" : "", keys->keys[i]);
        if (!exhv_buf_ok(&full) || !(k = reg_key(s, exhv_buf_str(&full), 1)) ||
            exhv_json_copy(k, &keys->items[i]) < 0) {
            change_end(s, &backup, exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory"), 0, err);
            goto out;
        }
    }
    /* The hive's root exists even when it has no value. */
    exhv_buf_reset(&full);
    exhv_buf_printf(&full, "HKLM\\%s", name);
    if (!reg_key(s, exhv_buf_str(&full), 1)) {
        change_end(s, &backup, exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory"), 0, err);
        goto out;
    }
    if (change_end(s, &backup, 0, 1, err) < 0)
        goto out;
    if (!(s->hives[s->nhives].name = exhv_strdup(name)) ||
        !(s->hives[s->nhives].file = exhv_strdup(file))) {
        free(s->hives[s->nhives].name);
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    s->nhives++;
    rc = 0;
    goto out;
badval:
    exhv_error_set(err, EXHV_E_PARSE, "%s: each key must be an object of values, each value "
                   "{\"dword\": N}, {\"qword\": N}, {\"sz\": S}, {\"expand_sz\": S}, "
                   "{\"multi_sz\": [S...]} or "
                   "{\"binary\": \"hex\"}", file);
out:
    exhv_buf_release(&full);
    exhv_json_free(doc);
    free(data);
    return rc;
}

/* Sort idx (positions in obj's members) by member name, ASCII case
 * folded (the order regedit shows). */
static void sorted_by_name(const exhv_json *obj, size_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t v = idx[i], j = i;
        while (j > 0 && exhv_strcasecmp(obj->keys[idx[j - 1]], obj->keys[v]) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

static int sim_hive_unload(void *ctx, const char *name, exhv_error *err)
{
    sim *s = ctx;
    exhv_json *reg = (exhv_json *)exhv_json_get(s->doc, "registry"), out, *keys, backup;
    exhv_buf text = EXHV_BUF_INIT;
    exhv_jw w;
    int h = -1, rc = -1;
    size_t n = strlen(name);

    for (int i = 0; i < s->nhives; i++)
        if (exhv_strcaseeq(s->hives[i].name, name))
            h = i;
    if (h < 0)
        return exhv_error_set(err, EXHV_E_NOT_FOUND, "no hive is loaded as HKLM\\%s", name);
    if (count_call(s, "hive_unload")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot unload the guest's registry hive HKLM\\%s",
                       name);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    /* Written back first: the hive file holds every key with its values,
     * keys and values in name order, so that a hive whose keys and values
     * did not change is the same file, byte for byte (and is not written). */
    memset(&out, 0, sizeof(out));
    out.type = EXHV_JSON_OBJECT;
    exhv_json_set_int(exhv_json_obj_set(&out, "schema", EXHV_JSON_NULL), 1);
    if (!(keys = exhv_json_obj_set(&out, "keys", EXHV_JSON_OBJECT)))
        goto nomem;
    {
        size_t *order = calloc(reg && reg->count ? reg->count : 1, sizeof(size_t)), no = 0;
        if (!order)
            goto nomem;
        for (size_t i = 0; reg && i < reg->count; i++)
            if (in_hive(reg->keys[i], name) &&
                !(reg->keys[i][5 + n] == '\0' && reg->items[i].count == 0))
                order[no++] = i;
        sorted_by_name(reg, order, no);
        for (size_t o = 0; o < no; o++) {
            size_t i = order[o];
            const exhv_json *src = &reg->items[i];
            exhv_json *k = exhv_json_obj_set(keys, reg->keys[i][5 + n] ? reg->keys[i] + 6 + n : "",
                                             EXHV_JSON_OBJECT);
            size_t *vo = calloc(src->count ? src->count : 1, sizeof(size_t));
            int bad = !k || !vo;
            for (size_t v = 0; !bad && v < src->count; v++)
                vo[v] = v;
            if (!bad)
                sorted_by_name(src, vo, src->count);
            for (size_t v = 0; !bad && v < src->count; v++) {
                exhv_json *dst = exhv_json_obj_set(k, src->keys[vo[v]], EXHV_JSON_NULL);
                bad = !dst || exhv_json_copy(dst, &src->items[vo[v]]) < 0;
            }
            free(vo);
            if (bad) {
                free(order);
                goto nomem;
            }
        }
        free(order);
    }
    exhv_jw_init(&w, &text, 1);
    exhv_jw_value(&w, &out);
    exhv_jw_end(&w);
    if (!exhv_buf_ok(&text))
        goto nomem;
    {
        char *was = NULL;
        size_t len = 0;
        exhv_error ignored;
        int same = exhv_fs_read_file(s->hives[h].file, 64u << 20, &was, &len, &ignored) == 0 &&
                   len == text.len && memcmp(was, text.data, len) == 0;
        free(was);
        if (!same && exhv_fs_write_atomic(s->hives[h].file, exhv_buf_str(&text), text.len, err) < 0)
            goto out;
    }
    if (change_begin(s, &backup, err) < 0)
        goto out;
    reg = (exhv_json *)exhv_json_get(s->doc, "registry");
    for (size_t i = reg ? reg->count : 0; i-- > 0;)
        if (in_hive(reg->keys[i], name)) {
            char *k = exhv_strdup(reg->keys[i]);
            if (k)
                exhv_json_obj_remove(reg, k);
            free(k);
        }
    if (change_end(s, &backup, 0, 1, err) < 0)
        goto out;
    free(s->hives[h].name);
    free(s->hives[h].file);
    s->hives[h] = s->hives[--s->nhives];
    rc = 0;
    goto out;
nomem:
    exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
out:
    exhv_json_clear(&out);
    exhv_buf_release(&text);
    return rc;
}

/* ---------------- the driver store and VM disks ---------------- */

/* The built-in host's folders, written once to a new private scratch
 * folder: the repository's scenarios/store and scenarios/disks as the build
 * embedded them. A change (an import into a guest) lives there until the
 * connection closes, like the rest of the built-in host. */
static int builtin_tree(sim *s, exhv_error *err)
{
    if (s->scratch)
        return 0;
    if (exhv_scratch_create("exhv-default", &s->scratch, err) < 0) {
        exhv_error_prefix(err, "writing the built-in host's driver store and disks");
        return -1;
    }
    for (size_t i = 0; i < exhv_sim_default_tree_count; i++) {
        const exhv_sim_file *f = &exhv_sim_default_tree[i];
        exhv_buf p = EXHV_BUF_INIT;
        int rc;
        exhv_buf_printf(&p, "%s/%s", s->scratch, f->path);
        if (!exhv_buf_ok(&p))
            rc = exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        else if (f->data)
            rc = exhv_scratch_put(exhv_buf_str(&p), f->data, f->len, err);
        else
            rc = exhv_fs_mkdir(exhv_buf_str(&p), err);
        exhv_buf_release(&p);
        if (rc < 0) {
            exhv_error_prefix(err, "writing the built-in host's driver store and disks");
            exhv_scratch_remove(s->scratch);
            free(s->scratch);
            s->scratch = NULL;
            return -1;
        }
    }
    return 0;
}

/* A folder the scenario names, relative to the scenario file's own folder,
 * or for the built-in host to its scratch folder. NULL (err) for a host
 * from text, which has no folder. */
static char *scenario_dir_path(sim *s, const char *rel, exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;
    const char *slash;
    if (!s->path && s->builtin) {
        if (builtin_tree(s, err) < 0)
            return NULL;
        if (rel[0] == '/' || rel[0] == '\\' || (rel[0] && rel[1] == ':'))
            exhv_buf_puts(&b, rel);
        else
            exhv_buf_printf(&b, "%s/%s", s->scratch, rel);
        if (!exhv_buf_ok(&b)) {
            exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            exhv_buf_release(&b);
            return NULL;
        }
        return exhv_buf_detach(&b);
    }
    if (!s->path) {
        exhv_error_set(err, EXHV_E_UNSUPPORTED,
                       "the simulated host %s has no folders for driver stores and VM disks: "
                       "use a test:///PATH scenario with \"drivers\" and \"disks\" "
                       "(docs/scenario.md)", s->origin);
        return NULL;
    }
    if (rel[0] == '/' || rel[0] == '\\' || (rel[0] && rel[1] == ':')) {
        exhv_buf_puts(&b, rel);
    } else {
        slash = strrchr(s->path, '/');
#ifdef _WIN32
        if (!slash || strrchr(s->path, '\\') > slash)
            slash = strrchr(s->path, '\\');
#endif
        if (slash)
            exhv_buf_add(&b, s->path, (size_t)(slash - s->path + 1));
        exhv_buf_puts(&b, rel);
    }
    if (!exhv_buf_ok(&b)) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        exhv_buf_release(&b);
        return NULL;
    }
    return exhv_buf_detach(&b);
}

/* "drivers": {"store": DIR, "published": {"oem35.inf": "<package>/<name>.inf"}}:
 * DIR/FileRepository holds the packages. */
static int sim_drv_inf_location(void *ctx, const char *published, char **path, exhv_error *err)
{
    sim *s = ctx;
    const exhv_json *d = exhv_json_get(s->doc, "drivers"), *pub = exhv_json_get(d, "published");
    const char *store = exhv_json_get_str(d, "store"), *rel = NULL;
    char *dir;
    exhv_buf b = EXHV_BUF_INIT;
    if (count_call(s, "drv_inf_location")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot ask the driver store where %s is", published);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    for (size_t i = 0; pub && pub->type == EXHV_JSON_OBJECT && i < pub->count; i++)
        if (exhv_strcaseeq(pub->keys[i], published) && pub->items[i].type == EXHV_JSON_STRING)
            rel = pub->items[i].str;
    if (!store || !rel) {
        /* SetupGetInfDriverStoreLocationW: ERROR_FILE_NOT_FOUND. */
        exhv_error_set(err, EXHV_E_NOT_FOUND, "the driver store has no package for %s", published);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 2, "The system cannot find the file specified.");
        return -2;
    }
    if (!(dir = scenario_dir_path(s, store, err)))
        return -1;
    exhv_buf_printf(&b, "%s/FileRepository/%s", dir, rel);
    free(dir);
    if (!exhv_buf_ok(&b)) {
        exhv_buf_release(&b);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    *path = exhv_buf_detach(&b);
    return 0;
}

static int sim_reg_list(void *ctx, const char *key, char ***values, size_t *nvalues,
                        char ***subkeys, size_t *nsubkeys, exhv_error *err)
{
    sim *s = ctx;
    const exhv_json *reg = exhv_json_get(s->doc, "registry");
    const exhv_json *k = reg_key(s, key, 0);
    char **v = NULL, **sk = NULL;
    size_t nv = 0, ns = 0, cap = 0, n = strlen(key);
    if (!k) {
        int any = 0;
        for (size_t i = 0; reg && i < reg->count && !any; i++)
            any = strlen(reg->keys[i]) > n && reg->keys[i][n] == '\\' &&
                  exhv_starts_with_ci(reg->keys[i], key);
        if (!any) {
            exhv_error_set(err, EXHV_E_NOT_FOUND, "registry key %s does not exist", key);
            return -2;
        }
    }
    for (size_t i = 0; k && i < k->count; i++) {
        if (exhv_grow((void **)&v, &cap, nv + 1, sizeof(char *)) < 0 ||
            !(v[nv] = exhv_strdup(k->keys[i])))
            goto nomem;
        nv++;
    }
    cap = 0;
    for (size_t i = 0; reg && i < reg->count; i++) {
        const char *rest, *end;
        size_t len;
        int dup = 0;
        if (!(strlen(reg->keys[i]) > n && reg->keys[i][n] == '\\' &&
              exhv_starts_with_ci(reg->keys[i], key)))
            continue;
        rest = reg->keys[i] + n + 1;
        end = strchr(rest, '\\');
        len = end ? (size_t)(end - rest) : strlen(rest);
        for (size_t j = 0; j < ns && !dup; j++)
            dup = strlen(sk[j]) == len && exhv_starts_with_ci(rest, sk[j]);
        if (dup || !len)
            continue;
        if (exhv_grow((void **)&sk, &cap, ns + 1, sizeof(char *)) < 0 ||
            !(sk[ns] = exhv_strndup(rest, len)))
            goto nomem;
        ns++;
    }
    *values = v;
    *nvalues = nv;
    *subkeys = sk;
    *nsubkeys = ns;
    return 0;
nomem:
    exhv_strv_free(v, nv);
    exhv_strv_free(sk, ns);
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

/* The running VM whose disk this is (Hyper-V holds the file open), or NULL. */
static const char *disk_holder(sim *s, const char *vhd)
{
    const exhv_json *sasd = exhv_json_get(exhv_json_get(s->doc, "wmi"),
                                          "Msvm_StorageAllocationSettingData");
    for (size_t i = 0; sasd && sasd->type == EXHV_JSON_ARRAY && i < sasd->count; i++) {
        const exhv_json *o = &sasd->items[i], *hr = exhv_json_get(o, "HostResource");
        const char *id = exhv_json_get_str(o, "InstanceID"), *p = NULL;
        char guid[40];
        const exhv_json *vm;
        if (hr && hr->type == EXHV_JSON_ARRAY && hr->count && hr->items[0].type == EXHV_JSON_STRING)
            p = hr->items[0].str;
        if (!p || !exhv_strcaseeq(p, vhd) || !id || !exhv_starts_with_ci(id, "Microsoft:"))
            continue;
        snprintf(guid, sizeof(guid), "%.36s", id + 10);
        vm = vm_obj(s, guid);
        if (vm && !vm_is_off(vm))
            return exhv_json_get_str(vm, "ElementName");
    }
    return NULL;
}

typedef struct sim_disk {
    char *path;
} sim_disk;

/* "disks": {"<vhd path>": {"volumes": [{"tree": DIR} | {"bitlocker": true}]}} */
static const exhv_json *disk_entry(sim *s, const char *vhd)
{
    const exhv_json *d = exhv_json_get(s->doc, "disks");
    for (size_t i = 0; d && d->type == EXHV_JSON_OBJECT && i < d->count; i++)
        if (exhv_strcaseeq(d->keys[i], vhd))
            return &d->items[i];
    return NULL;
}

static int sharing_violation(exhv_error *err)
{
    exhv_error_platform(err, EXHV_PLAT_WIN32, 32, "The process cannot access the file because "
                        "it is being used by another process.");
    return -1;
}

static int sim_vhd_attach(void *ctx, const char *vhd, void **disk, exhv_error *err)
{
    sim *s = ctx;
    const char *vm;
    sim_disk *dk;
    if (count_call(s, "vhd_attach")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot attach %s", vhd);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    if (!disk_entry(s, vhd)) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "cannot open the virtual disk %s: it does not exist",
                       vhd);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 2, "The system cannot find the file specified.");
        return -1;
    }
    /* Hyper-V holds a running VM's disk open, and an attached disk is open
     * too: OpenVirtualDisk fails with ERROR_SHARING_VIOLATION. */
    if ((vm = disk_holder(s, vhd))) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot attach %s: the running VM '%s' uses it "
                       "(turn the VM off first, or give --stop)", vhd, vm);
        return sharing_violation(err);
    }
    for (int i = 0; i < s->nattached; i++)
        if (exhv_strcaseeq(s->attached[i], vhd)) {
            exhv_error_set(err, EXHV_E_PLATFORM, "cannot attach %s: it is attached already", vhd);
            return sharing_violation(err);
        }
    if (s->nattached == (int)(sizeof(s->attached) / sizeof(s->attached[0])))
        return exhv_error_set(err, EXHV_E_FAILED, "too many disks attached");
    if (!(dk = calloc(1, sizeof(*dk))) || !(dk->path = exhv_strdup(vhd)) ||
        !(s->attached[s->nattached] = exhv_strdup(vhd))) {
        if (dk)
            free(dk->path);
        free(dk);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    s->nattached++;
    *disk = dk;
    return 0;
}

static int sim_vhd_windows(void *ctx, void *disk, char **windows, int *bitlocker, exhv_error *err)
{
    sim *s = ctx;
    sim_disk *dk = disk;
    const exhv_json *vols = exhv_json_get(disk_entry(s, dk->path), "volumes");
    char *found = NULL;
    int nfound = 0;
    *bitlocker = 0;
    if (count_call(s, "vhd_windows")) {
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot list the volumes of %s", dk->path);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 21, "The device is not ready. (injected fault)");
        return -1;
    }
    for (size_t i = 0; vols && vols->type == EXHV_JSON_ARRAY && i < vols->count; i++) {
        const char *tree = exhv_json_get_str(&vols->items[i], "tree");
        char *root, *w, *hive;
        exhv_buf b = EXHV_BUF_INIT;
        exhv_error ignored;
        char *data = NULL;
        size_t len;
        if (exhv_json_get_bool(&vols->items[i], "bitlocker", 0) || !tree) {
            *bitlocker = 1;   /* no file system: what a locked BitLocker volume shows */
            continue;
        }
        if (!(root = scenario_dir_path(s, tree, err))) {
            free(found);
            return -1;
        }
        exhv_buf_printf(&b, "%s/Windows", root);
        free(root);
        w = exhv_buf_detach(&b);
        exhv_buf_printf(&b, "%s/System32/config/SYSTEM", w ? w : "");
        hive = exhv_buf_detach(&b);
        if (!w || !hive) {
            free(w);
            free(hive);
            free(found);
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        }
        if (exhv_fs_read_file(hive, 64u << 20, &data, &len, &ignored) == 0) {
            free(data);
            if (nfound++ == 0) {
                found = w;
                w = NULL;
            }
        }
        free(w);
        free(hive);
    }
    if (nfound > 1) {
        free(found);
        return exhv_error_set(err, EXHV_E_AMBIGUOUS, "%s holds %d Windows installations: exhv "
                              "does not guess which one the VM starts", dk->path, nfound);
    }
    if (!found) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "%s holds no Windows volume (no "
                       "Windows\\System32\\config\\SYSTEM)%s", dk->path,
                       *bitlocker ? exhv_tr("; a volume has no file system: it is probably "
                                            "BitLocker-protected (unlock it in the VM or turn "
                                            "BitLocker off)")
                                  : "");
        return -2;
    }
    *windows = found;
    return 0;
}

static int sim_vhd_detach(void *ctx, void *disk, exhv_error *err)
{
    sim *s = ctx;
    sim_disk *dk = disk;
    if (!dk)
        return 0;
    if (count_call(s, "vhd_detach")) {
        /* The disk stays attached: a later detach can still succeed. */
        exhv_error_set(err, EXHV_E_PLATFORM, "cannot detach %s", dk->path);
        exhv_error_platform(err, EXHV_PLAT_WIN32, 5, "Access is denied. (injected fault)");
        return -1;
    }
    for (int i = 0; i < s->nattached; i++)
        if (exhv_strcaseeq(s->attached[i], dk->path)) {
            free(s->attached[i]);
            s->attached[i] = s->attached[--s->nattached];
            break;
        }
    free(dk->path);
    free(dk);
    return 0;
}

/* ---------------- the whole state, canonical ---------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One value as canonical JSON: members sorted by name, and the objects of a
 * WMI class sorted by their own canonical text (WMI promises no order of
 * enumeration, so the order is not part of the host's state). */
static int canon(exhv_buf *b, const exhv_json *v, int sort_items)
{
    switch (v->type) {
    case EXHV_JSON_NULL: exhv_buf_puts(b, "null"); return 0;
    case EXHV_JSON_BOOL: exhv_buf_puts(b, v->boolean ? "true" : "false"); return 0;
    case EXHV_JSON_NUMBER:
        if (v->is_int)
            exhv_buf_printf(b, "%lld", (long long)v->inum);
        else
            exhv_buf_printf(b, "%.17g", v->num);
        return 0;
    case EXHV_JSON_STRING: exhv_json_quote(b, v->str); return 0;
    case EXHV_JSON_ARRAY:
    case EXHV_JSON_OBJECT: {
        size_t n = v->count;
        char **parts = calloc(n ? n : 1, sizeof(char *));
        int rc = 0;
        if (!parts)
            return -1;
        for (size_t i = 0; i < n && rc == 0; i++) {
            exhv_buf one = EXHV_BUF_INIT;
            if (v->type == EXHV_JSON_OBJECT) {
                exhv_json_quote(&one, v->keys[i]);
                exhv_buf_putc(&one, ':');
            }
            rc = canon(&one, &v->items[i],
                       v->type == EXHV_JSON_OBJECT && v->keys[i] && sort_items == 2);
            if (!(parts[i] = exhv_buf_detach(&one)))
                rc = -1;
        }
        if (rc == 0 && (v->type == EXHV_JSON_OBJECT || sort_items) && n > 1)
            qsort(parts, n, sizeof(char *), cmp_str);
        exhv_buf_putc(b, v->type == EXHV_JSON_OBJECT ? '{' : '[');
        for (size_t i = 0; i < n && rc == 0; i++) {
            if (i)
                exhv_buf_puts(b, ",\n");
            exhv_buf_puts(b, parts[i]);
        }
        exhv_buf_putc(b, v->type == EXHV_JSON_OBJECT ? '}' : ']');
        exhv_strv_free(parts, n);
        return rc;
    }
    }
    return 0;
}

int exhv_sim_state(void *ctx, exhv_buf *out)
{
    sim *s = ctx;
    int first = 1;
    exhv_buf_reset(out);
    exhv_buf_puts(out, "{\n");
    for (size_t i = 0; i < s->doc->count; i++) {
        /* Faults are the test's instructions to the host, not its state. */
        if (strcmp(s->doc->keys[i], "faults") == 0)
            continue;
        exhv_buf_puts(out, first ? "" : ",\n");
        first = 0;
        exhv_json_quote(out, s->doc->keys[i]);
        exhv_buf_puts(out, ":\n");
        if (strcmp(s->doc->keys[i], "pnp") == 0) {
            /* A devnode's "present": true and "problem": 0 are the format's
             * defaults: written or left out, they say the same. */
            exhv_json copy = {0};
            int rc = exhv_json_copy(&copy, &s->doc->items[i]);
            for (size_t k = 0; rc == 0 && k < copy.count; k++) {
                exhv_json *d = &copy.items[k];
                const exhv_json *pr = exhv_json_get(d, "present");
                /* A devnode that is not present has no status to read
                 * (CM_Get_DevNode_Status answers CR_NO_SUCH_DEVINST). */
                if (!exhv_json_get_bool(d, "present", 1) ||
                    (exhv_json_get(d, "problem") && exhv_json_get_int(d, "problem", -1) == 0))
                    exhv_json_obj_remove(d, "problem");
                if (pr && pr->type == EXHV_JSON_BOOL && pr->boolean)
                    exhv_json_obj_remove(d, "present");
            }
            rc = rc == 0 ? canon(out, &copy, 0) : -1;
            exhv_json_clear(&copy);
            if (rc < 0)
                return -1;
        } else if (canon(out, &s->doc->items[i], strcmp(s->doc->keys[i], "wmi") == 0 ? 2 : 0) < 0) {
            return -1;
        }
    }
    exhv_buf_puts(out, "\n}\n");
    return exhv_buf_ok(out) ? 0 : -1;
}

static const char *sim_lock_name(void *ctx)
{
    return ((sim *)ctx)->lock;
}

const exhv_ports_ops exhv_sim_ops = {
    .name = "simulated",
    .sys_read = sim_sys_read,
    .wmi_open = sim_wmi_open,
    .wmi_query = sim_wmi_query,
    .wmi_exec = sim_wmi_exec,
    .wmi_get = sim_wmi_get,
    .wmi_query_count = sim_wmi_query_count,
    .pnp_list = sim_pnp_list,
    .reg_get = sim_reg_get,
    .pnp_set_enabled = sim_pnp_set_enabled,
    .reg_set_dword = sim_reg_set_dword,
    .reg_delete = sim_reg_delete,
    .reg_set = sim_reg_set,
    .hive_load = sim_hive_load,
    .hive_unload = sim_hive_unload,
    .drv_inf_location = sim_drv_inf_location,
    .reg_list = sim_reg_list,
    .vhd_attach = sim_vhd_attach,
    .vhd_windows = sim_vhd_windows,
    .vhd_detach = sim_vhd_detach,
    .lock_name = sim_lock_name,
    .begin_change = sim_begin_change,
    .journal_path = sim_journal_path,
    .close = sim_close,
};
