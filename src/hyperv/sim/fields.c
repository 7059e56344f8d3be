/* Every scenario field exhv reads, with its type and range (docs/scenario.md):
 * a value of another type or out of range is refused with its place, instead
 * of being read as a default ("hyperv": "false" meant available) or wrapped
 * (a build of 2^63-1 showed as 4294967295). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/json.h"
#include "hyperv/schema.h"
#include "hyperv/sim/sim.h"

typedef enum ftype { F_BOOL, F_STR, F_INT, F_STRS, F_INTS } ftype;

typedef struct field {
    const char *name;
    ftype type;
    int64_t min, max;        /* F_INT, F_INTS */
    const char *const *words;  /* F_STR, F_STRS: the words allowed, NULL-ended; NULL: any */
} field;

#define U8 0, 255
#define U16 0, 65535
#define U32 0, 4294967295LL
#define U63 0, INT64_MAX

static const char *const shutdown_words[] = {"ok", "slow", "ignore", "not_ready", NULL};
static const char *const irq_words[] = {"line", "msi", "msix", NULL};

static const field host_fields[] = {
    {"build", F_INT, U32, NULL},
    {"computer_name", F_STR, 0, 0, NULL},
    {"caption", F_STR, 0, 0, NULL},
    {"version", F_STR, 0, 0, NULL},
    {"arch", F_STR, 0, 0, NULL},
    {"cpu", F_STR, 0, 0, NULL},
    {"server", F_BOOL, 0, 0, NULL},
    {"cpu_mhz", F_INT, U32, NULL},
    {"memory_bytes", F_INT, U63, NULL},
    {"elevated", F_BOOL, 0, 0, NULL},
    {"hypervisor_present", F_BOOL, 0, 0, NULL},
    {"virtualization_firmware", F_BOOL, 0, 0, NULL},
    {"hyperv", F_BOOL, 0, 0, NULL},
    {"guest_shutdown", F_STR, 0, 0, shutdown_words},
    {"job_class", F_STR, 0, 0, NULL},
    {"wine", F_STR, 0, 0, NULL},
    {"absent_classes", F_STRS, 0, 0, NULL},
    {NULL, F_BOOL, 0, 0, NULL},
};

static const field pnp_fields[] = {
    {"instance_id", F_STR, 0, 0, NULL},
    {"location_path", F_STR, 0, 0, NULL},
    {"location_paths", F_STRS, 0, 0, NULL},
    {"name", F_STR, 0, 0, NULL},
    {"class", F_STR, 0, 0, NULL},
    {"service", F_STR, 0, 0, NULL},
    {"manufacturer", F_STR, 0, 0, NULL},
    {"driver", F_STR, 0, 0, NULL},
    {"driver_version", F_STR, 0, 0, NULL},
    {"present", F_BOOL, 0, 0, NULL},
    {"problem", F_INT, U32, NULL},
    {NULL, F_BOOL, 0, 0, NULL},
};

static const field pci_fields[] = {
    {"device_type", F_INT, U8, NULL},
    {"acs", F_INT, 0, 3, NULL},
    {"reserved_memory", F_BOOL, 0, 0, NULL},
    {"base_class", F_INT, U8, NULL},
    {"interrupts", F_STRS, 0, 0, irq_words},
    {NULL, F_BOOL, 0, 0, NULL},
};

static const field range_fields[] = {
    {"start", F_INT, U63, NULL},
    {"length", F_INT, U63, NULL},
    {NULL, F_BOOL, 0, 0, NULL},
};

static const field fault_fields[] = {
    {"method", F_STR, 0, 0, NULL},
    {"call", F_INT, 1, 1000000000, NULL},
    {"return", F_INT, U32, NULL},
    {"job_error", F_INT, U32, NULL},
    {"job_state", F_INT, U16, NULL},
    {NULL, F_BOOL, 0, 0, NULL},
};

static const field sim_fields[] = {
    {"change_delay_ms", F_INT, 0, 600000, NULL},
    {"query_delay_ms", F_INT, 0, 600000, NULL},
    {NULL, F_BOOL, 0, 0, NULL},
};

/* WMI properties exhv reads that the embedded-instance table (schema.c)
 * does not describe, with their CIM types from Microsoft's class pages. */
static const struct {
    const char *cls;
    field f;
} wmi_fields[] = {
    {"Msvm_ComputerSystem", {"EnabledState", F_INT, U16, NULL}},
    {"Msvm_ComputerSystem", {"ElementName", F_STR, 0, 0, NULL}},
    {"Msvm_VirtualSystemSettingData", {"VirtualSystemType", F_STR, 0, 0, NULL}},
    {"Msvm_VirtualSystemSettingData", {"VirtualSystemSubType", F_STR, 0, 0, NULL}},
    {"Msvm_VirtualSystemSettingData", {"VirtualSystemIdentifier", F_STR, 0, 0, NULL}},
    {"Msvm_VirtualSystemSettingData", {"Version", F_STR, 0, 0, NULL}},
    {"Msvm_MemorySettingData", {"VirtualQuantity", F_INT, U63, NULL}},
    {"Msvm_PciExpress", {"DeviceInstancePath", F_STR, 0, 0, NULL}},
    {"Msvm_PciExpress", {"LocationPath", F_STR, 0, 0, NULL}},
    {"Msvm_PartitionableGpu", {"PartitionCount", F_INT, U32, NULL}},
    {"Msvm_PartitionableGpu", {"ValidPartitionCounts", F_INTS, U32, NULL}},
};

static const char *const gpu_amounts[] = {"Total", "Available", "MinPartition", "MaxPartition",
                                          "OptimalPartition"};
static const char *const gpu_resources[] = {"VRAM", "Encode", "Decode", "Compute"};

/* Where a value is, built only when it is refused: a valid scenario has
 * tens of thousands of values and prints none of their places. Each level
 * points at the one above it. */
typedef enum lkind { L_TEXT, L_MEMBER, L_INDEX, L_KEY } lkind;

typedef struct loc {
    const struct loc *up;
    lkind kind;
    const char *s;   /* L_TEXT, L_MEMBER, L_KEY */
    int prec;        /* L_MEMBER, L_KEY: at most this many bytes of s (0: all) */
    size_t i;        /* L_INDEX */
} loc;

static void loc_put(const loc *l, char *out, size_t n, size_t *len)
{
    int w;
    if (!l)
        return;
    loc_put(l->up, out, n, len);
    if (*len >= n)
        return;
    switch (l->kind) {
    case L_TEXT: w = snprintf(out + *len, n - *len, "%s", l->s); break;
    case L_MEMBER:
        w = snprintf(out + *len, n - *len, "%s%.*s", *len ? "." : "",
                     l->prec ? l->prec : (int)strlen(l->s), l->s);
        break;
    case L_INDEX: w = snprintf(out + *len, n - *len, "[%zu]", l->i); break;
    default: w = snprintf(out + *len, n - *len, "[\"%.*s\"]", l->prec, l->s); break;
    }
    *len += w > 0 ? (size_t)w : 0;
}

static const char *loc_text(const loc *l, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    loc_put(l, out, n, &len);
    return out;
}

/* fmt has one %s, for a. */
static int refuse(exhv_error *err, const char *origin, const loc *where, const char *fmt,
                  const char *a)
{
    char what[256], w[256];
    snprintf(what, sizeof(what), exhv_tr(fmt), a);
    return exhv_error_set(err, EXHV_E_PARSE, "scenario %s: %s: %s", origin,
                          loc_text(where, w, sizeof(w)), what);
}

static const char *jtype(const exhv_json *v)
{
    switch (v->type) {
    case EXHV_JSON_NULL: return "null";
    case EXHV_JSON_BOOL: return "true/false";
    case EXHV_JSON_NUMBER: return exhv_tr(v->is_int ? "a number" : "a fraction");
    case EXHV_JSON_STRING: return exhv_tr("a string");
    case EXHV_JSON_ARRAY: return exhv_tr("an array");
    default: return exhv_tr("an object");
    }
}

static int word_ok(const char *s, const char *const *words)
{
    for (; words && *words; words++)
        if (strcmp(s, *words) == 0)
            return 1;
    return !words;
}

static void words_text(char *out, size_t n, const char *const *words)
{
    size_t len = 0;
    out[0] = '\0';
    for (; *words && len + 1 < n; words++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", *words);
}

/* One value against its field. */
static int check_one(const field *f, const exhv_json *v, const char *origin, const loc *where,
                     exhv_error *err)
{
    char words[160];
    switch (f->type) {
    case F_BOOL:
        if (v->type != EXHV_JSON_BOOL)
            return refuse(err, origin, where, "must be true or false (not %s)", jtype(v));
        return 0;
    case F_STR:
        if (v->type != EXHV_JSON_STRING)
            return refuse(err, origin, where, "must be a string (not %s)", jtype(v));
        if (!word_ok(v->str, f->words)) {
            words_text(words, sizeof(words), f->words);
            return refuse(err, origin, where, "must be one of: %s", words);
        }
        return 0;
    case F_INT:
        if (v->type != EXHV_JSON_NUMBER || !v->is_int || v->inum < f->min || v->inum > f->max) {
            char what[200], w[256];
            snprintf(what, sizeof(what),
                     exhv_tr("must be a whole number from %lld to %lld (not %s)"),
                     (long long)f->min, (long long)f->max,
                     v->type == EXHV_JSON_NUMBER && v->is_int ? exhv_tr("a number out of range")
                                                              : jtype(v));
            return exhv_error_set(err, EXHV_E_PARSE, "scenario %s: %s: %s", origin,
                                  loc_text(where, w, sizeof(w)), what);
        }
        return 0;
    case F_STRS:
    case F_INTS:
        if (v->type != EXHV_JSON_ARRAY)
            return refuse(err, origin, where, "must be an array (not %s)", jtype(v));
        for (size_t i = 0; i < v->count; i++) {
            loc w = {where, L_INDEX, NULL, 0, i};
            field one = *f;
            one.type = f->type == F_STRS ? F_STR : F_INT;
            if (check_one(&one, &v->items[i], origin, &w, err) < 0)
                return -1;
        }
        return 0;
    }
    return 0;
}

/* The members of obj that the table names. */
static int check_obj(const field *table, const exhv_json *obj, const char *origin,
                     const loc *where, exhv_error *err)
{
    if (!obj)
        return 0;
    if (obj->type != EXHV_JSON_OBJECT)
        return refuse(err, origin, where, "must be an object (not %s)", jtype(obj));
    for (const field *f = table; f->name; f++) {
        const exhv_json *v = exhv_json_get(obj, f->name);
        loc w = {where, L_MEMBER, f->name, 0, 0};
        if (v && check_one(f, v, origin, &w, err) < 0)
            return -1;
    }
    return 0;
}

static int check_pnp(const exhv_json *d, const char *origin, const loc *where, exhv_error *err)
{
    const exhv_json *pci = exhv_json_get(d, "pci"), *mem;
    loc wpci = {where, L_MEMBER, "pci", 0, 0}, wmem = {&wpci, L_MEMBER, "memory", 0, 0};
    uint64_t total = 0;
    if (check_obj(pnp_fields, d, origin, where, err) < 0)
        return -1;
    if (check_obj(pci_fields, pci, origin, &wpci, err) < 0)
        return -1;
    if (!(mem = exhv_json_get(pci, "memory")))
        return 0;
    if (mem->type != EXHV_JSON_ARRAY)
        return refuse(err, origin, &wmem, "must be an array of {\"start\": N, \"length\": N} "
                      "(not %s)", jtype(mem));
    for (size_t i = 0; i < mem->count; i++) {
        const exhv_json *r = &mem->items[i];
        loc w = {&wmem, L_INDEX, NULL, 0, i};
        if (check_obj(range_fields, r, origin, &w, err) < 0)
            return -1;
        /* A range past the end of the address space, or ranges whose sizes
         * add up beyond it, would wrap in the MMIO sums. */
        if ((uint64_t)exhv_json_get_int(r, "start", 0) >
            (uint64_t)INT64_MAX - (uint64_t)exhv_json_get_int(r, "length", 0))
            return refuse(err, origin, &w, "the range ends beyond 2^63 bytes%s", "");
        total += (uint64_t)exhv_json_get_int(r, "length", 0);
        if (total > (uint64_t)INT64_MAX)
            return refuse(err, origin, &w, "the device's ranges add up to more than 2^63 bytes%s",
                          "");
    }
    return 0;
}

static int check_registry_value(const char *kind, const exhv_json *v, const char *origin,
                                 const loc *where, exhv_error *err)
{
    static const field dword = {"dword", F_INT, U32, NULL};
    static const field qword = {"qword", F_INT, U63, NULL};
    static const field sz = {"sz", F_STR, 0, 0, NULL};
    static const field expand = {"expand_sz", F_STR, 0, 0, NULL};
    static const field multi = {"multi_sz", F_STRS, 0, 0, NULL};
    static const field binary = {"binary", F_STR, 0, 0, NULL};
    if (strcmp(kind, "dword") == 0)
        return check_one(&dword, v, origin, where, err);
    if (strcmp(kind, "qword") == 0)
        return check_one(&qword, v, origin, where, err);
    if (strcmp(kind, "sz") == 0)
        return check_one(&sz, v, origin, where, err);
    if (strcmp(kind, "expand_sz") == 0)
        return check_one(&expand, v, origin, where, err);
    if (strcmp(kind, "multi_sz") == 0)
        return check_one(&multi, v, origin, where, err);
    if (strcmp(kind, "binary") == 0) {
        if (check_one(&binary, v, origin, where, err) < 0)
            return -1;
        if (strlen(v->str) % 2 || strspn(v->str, "0123456789abcdefABCDEF") != strlen(v->str))
            return refuse(err, origin, where, "must be hex digits, two per byte%s", "");
        return 0;
    }
    return refuse(err, origin, where, "has the unknown type \"%s\" (dword, qword, sz, expand_sz, "
                  "multi_sz or binary)", kind);
}

/* A WMI property against its CIM type. */
static int check_cim(const exhv_schema_prop *sp, const exhv_json *v, const char *origin,
                     const loc *where, exhv_error *err)
{
    field f = {sp->name, F_INT, 0, 0, NULL};
    switch (sp->type) {
    case EXHV_CIM_STRING:
    case EXHV_CIM_DATETIME: f.type = F_STR; break;
    case EXHV_CIM_BOOLEAN: f.type = F_BOOL; break;
    case EXHV_CIM_UINT8: f.max = 255; break;
    case EXHV_CIM_UINT16: f.max = 65535; break;
    case EXHV_CIM_UINT32: f.max = 4294967295LL; break;
    case EXHV_CIM_UINT64: f.max = INT64_MAX; break;
    case EXHV_CIM_SINT8: f.min = -128; f.max = 127; break;
    case EXHV_CIM_SINT16: f.min = -32768; f.max = 32767; break;
    case EXHV_CIM_SINT32: f.min = INT32_MIN; f.max = INT32_MAX; break;
    case EXHV_CIM_SINT64: f.min = INT64_MIN; f.max = INT64_MAX; break;
    default: return 0;
    }
    if (sp->array)
        f.type = f.type == F_STR ? F_STRS : f.type == F_INT ? F_INTS : f.type;
    if (sp->array && f.type == F_BOOL) {
        if (v->type != EXHV_JSON_ARRAY)
            return refuse(err, origin, where, "must be an array (not %s)", jtype(v));
        return 0;
    }
    return check_one(&f, v, origin, where, err);
}

/* What one WMI class's properties are checked against, looked up once per
 * class rather than once per property. */
typedef struct wmi_class {
    const exhv_schema_prop *props;   /* the embedded-instance table's, or NULL */
    size_t fields[sizeof(wmi_fields) / sizeof(wmi_fields[0])];   /* its wmi_fields */
    size_t nfields;
    int gpu;                         /* Msvm_PartitionableGpu */
} wmi_class;

static void wmi_class_init(wmi_class *k, const char *cls)
{
    k->props = exhv_schema_props(cls);
    k->nfields = 0;
    for (size_t i = 0; i < sizeof(wmi_fields) / sizeof(wmi_fields[0]); i++)
        if (exhv_strcaseeq(wmi_fields[i].cls, cls))
            k->fields[k->nfields++] = i;
    k->gpu = exhv_strcaseeq(cls, "Msvm_PartitionableGpu");
}

static int check_wmi_prop(const wmi_class *k, const char *name, const exhv_json *v,
                          const char *origin, const loc *where, exhv_error *err)
{
    const exhv_schema_prop *sp;
    if (v->type == EXHV_JSON_NULL)
        return 0;   /* WMI's NULL: any property may be unset */
    if ((sp = exhv_schema_prop_in(k->props, name)))
        return check_cim(sp, v, origin, where, err);
    for (size_t i = 0; i < k->nfields; i++)
        if (exhv_strcaseeq(wmi_fields[k->fields[i]].f.name, name))
            return check_one(&wmi_fields[k->fields[i]].f, v, origin, where, err);
    if (k->gpu)
        for (size_t a = 0; a < 5; a++)
            for (size_t r = 0; r < 4; r++) {
                /* name == gpu_amounts[a] followed by gpu_resources[r]
                 * (case-insensitive), compared in place. */
                static const field u64 = {"", F_INT, U63, NULL};
                if (exhv_starts_with_ci(name, gpu_amounts[a]) &&
                    exhv_strcaseeq(name + strlen(gpu_amounts[a]), gpu_resources[r]))
                    return check_one(&u64, v, origin, where, err);
            }
    return 0;
}

/* A device's driver version is its software key's DriverVersion
 * (learn.microsoft.com, "DEVPKEY_Device_DriverVersion": its registry value
 * is DriverVersion, REGSTR_VAL_DRIVERVERSION, under the software key):
 * the simulated PnP reads it there when the class key has it, so a
 * device's "driver_version" that says otherwise is refused, and so is a
 * DriverVersion that is not a string. */
static int check_driver_version(const exhv_json *d, const exhv_json *reg, const char *origin,
                                const loc *where, exhv_error *err)
{
    static const char prefix[] = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\";
    static const loc wreg = {NULL, L_TEXT, "registry", 0, 0};
    const char *drv = exhv_json_get_str(d, "driver"), *dv = exhv_json_get_str(d, "driver_version");
    const exhv_json *k = NULL, *v;
    const char *kname = NULL;
    if (!drv || !reg || reg->type != EXHV_JSON_OBJECT)
        return 0;
    for (size_t i = 0; i < reg->count && !k; i++)
        if (exhv_starts_with_ci(reg->keys[i], prefix) &&
            exhv_strcaseeq(reg->keys[i] + sizeof(prefix) - 1, drv)) {
            k = &reg->items[i];
            kname = reg->keys[i];
        }
    if (!k || k->type != EXHV_JSON_OBJECT)
        return 0;
    for (size_t i = 0; i < k->count; i++) {
        loc wk = {&wreg, L_KEY, kname, (int)strlen(kname), 0};
        loc wv = {&wk, L_KEY, k->keys[i], (int)strlen(k->keys[i]), 0};
        loc wd = {where, L_MEMBER, "driver_version", 0, 0};
        if (!exhv_strcaseeq(k->keys[i], "DriverVersion"))
            continue;
        v = &k->items[i];
        if (v->type != EXHV_JSON_OBJECT || v->count != 1 || strcmp(v->keys[0], "sz") != 0 ||
            v->items[0].type != EXHV_JSON_STRING)
            return refuse(err, origin, &wv, "must be {\"sz\": \"a.b.c.d\"}: Windows keeps a "
                          "driver's version as a string%s", "");
        if (dv && strcmp(dv, v->items[0].str) != 0)
            return refuse(err, origin, &wd, "differs from the DriverVersion of the device's class "
                          "key (%.60s), where Windows reads it: change it there, or leave "
                          "driver_version out", v->items[0].str);
    }
    return 0;
}

static const field drivers_fields[] = {
    {"store", F_STR, 0, 0, NULL},
    {NULL, F_BOOL, 0, 0, NULL},
};

static const field volume_fields[] = {
    {"tree", F_STR, 0, 0, NULL},
    {"bitlocker", F_BOOL, 0, 0, NULL},
    {NULL, F_BOOL, 0, 0, NULL},
};

/* "drivers": {"store": DIR, "published": {INF: PATH}} and "disks": {VHD:
 * {"volumes": [{"tree": DIR, "bitlocker": BOOL}]}} (docs/scenario.md). */
static int check_guest_fields(const exhv_json *doc, const char *origin, exhv_error *err)
{
    const exhv_json *drv = exhv_json_get(doc, "drivers"), *disks = exhv_json_get(doc, "disks");
    static const loc wdrv = {NULL, L_TEXT, "drivers", 0, 0}, wdisks = {NULL, L_TEXT, "disks", 0, 0};
    static const loc wpub = {&wdrv, L_MEMBER, "published", 0, 0};
    if (drv) {
        const exhv_json *pub = exhv_json_get(drv, "published");
        if (drv->type != EXHV_JSON_OBJECT)
            return refuse(err, origin, &wdrv, "must be an object (not %s)", jtype(drv));
        if (check_obj(drivers_fields, drv, origin, &wdrv, err) < 0)
            return -1;
        if (pub && pub->type != EXHV_JSON_OBJECT)
            return refuse(err, origin, &wpub, "must be an object (not %s)", jtype(pub));
        for (size_t i = 0; pub && i < pub->count; i++) {
            const char *v = pub->items[i].str, *slash;
            size_t n;
            loc w = {&wpub, L_KEY, pub->keys[i], 100, 0};
            if (pub->items[i].type != EXHV_JSON_STRING)
                return refuse(err, origin, &w, "must be a string (not %s)", jtype(&pub->items[i]));
            /* What SetupGetInfDriverStoreLocationW gives: an INF inside one
             * package folder of FileRepository, nothing else. */
            slash = strchr(v, '/');
            n = strlen(v);
            if (!slash || slash == v || strchr(slash + 1, '/') || strchr(v, '\\') ||
                strstr(v, "..") || n < 5 || !exhv_strcaseeq(v + n - 4, ".inf") ||
                (size_t)(slash - v) + 6 > n)
                return refuse(err, origin, &w, "must be \"<package folder>/<name>.inf\" (not "
                              "'%.100s')", v);
        }
    }
    if (disks && disks->type != EXHV_JSON_OBJECT)
        return refuse(err, origin, &wdisks, "must be an object (not %s)", jtype(disks));
    for (size_t i = 0; disks && i < disks->count; i++) {
        const exhv_json *vols = exhv_json_get(&disks->items[i], "volumes");
        loc wd = {&wdisks, L_KEY, disks->keys[i], 100, 0}, wv = {&wd, L_MEMBER, "volumes", 0, 0};
        if (disks->items[i].type != EXHV_JSON_OBJECT || !vols || vols->type != EXHV_JSON_ARRAY)
            return refuse(err, origin, &wv, "must be an array of volumes%s", "");
        for (size_t k = 0; k < vols->count; k++) {
            loc w = {&wv, L_INDEX, NULL, 0, k};
            if (vols->items[k].type != EXHV_JSON_OBJECT)
                return refuse(err, origin, &w, "must be an object (not %s)", jtype(&vols->items[k]));
            if (check_obj(volume_fields, &vols->items[k], origin, &w, err) < 0)
                return -1;
        }
    }
    return 0;
}

int exhv_sim_check_fields(const exhv_json *doc, const char *origin, exhv_error *err)
{
    const exhv_json *pnp = exhv_json_get(doc, "pnp"), *reg = exhv_json_get(doc, "registry");
    const exhv_json *wmi = exhv_json_get(doc, "wmi"), *faults = exhv_json_get(doc, "faults");
    const exhv_json *d = exhv_json_get(doc, "description");
    static const loc wdesc = {NULL, L_TEXT, "description", 0, 0},
                     whost = {NULL, L_TEXT, "host", 0, 0}, wsim = {NULL, L_TEXT, "sim", 0, 0},
                     wpnp = {NULL, L_TEXT, "pnp", 0, 0}, wreg = {NULL, L_TEXT, "registry", 0, 0},
                     wfaults = {NULL, L_TEXT, "faults", 0, 0}, wwmi = {NULL, L_TEXT, "wmi", 0, 0};

    if (d && d->type != EXHV_JSON_STRING)
        return refuse(err, origin, &wdesc, "must be a string (not %s)", jtype(d));
    if (check_obj(host_fields, exhv_json_get(doc, "host"), origin, &whost, err) < 0 ||
        check_obj(sim_fields, exhv_json_get(doc, "sim"), origin, &wsim, err) < 0)
        return -1;
    for (size_t i = 0; pnp && pnp->type == EXHV_JSON_ARRAY && i < pnp->count; i++) {
        loc w = {&wpnp, L_INDEX, NULL, 0, i};
        if (check_pnp(&pnp->items[i], origin, &w, err) < 0 ||
            check_driver_version(&pnp->items[i], reg, origin, &w, err) < 0)
            return -1;
    }
    for (size_t i = 0; reg && reg->type == EXHV_JSON_OBJECT && i < reg->count; i++) {
        loc wk = {&wreg, L_KEY, reg->keys[i], 100, 0};
        for (size_t k = 0; reg->items[i].type == EXHV_JSON_OBJECT && k < reg->items[i].count; k++) {
            const exhv_json *v = &reg->items[i].items[k];
            loc w = {&wk, L_KEY, reg->items[i].keys[k], 100, 0};
            if (v->type == EXHV_JSON_OBJECT && v->count == 1 &&
                check_registry_value(v->keys[0], &v->items[0], origin, &w, err) < 0)
                return -1;
        }
    }
    if (check_guest_fields(doc, origin, err) < 0)
        return -1;
    if (faults && faults->type != EXHV_JSON_ARRAY)
        return refuse(err, origin, &wfaults, "must be an array (not %s)", jtype(faults));
    for (size_t i = 0; faults && i < faults->count; i++) {
        loc w = {&wfaults, L_INDEX, NULL, 0, i};
        if (check_obj(fault_fields, &faults->items[i], origin, &w, err) < 0)
            return -1;
        if (!exhv_json_get_str(&faults->items[i], "method"))
            return refuse(err, origin, &w, "needs \"method\"%s", "");
    }
    for (size_t c = 0; wmi && wmi->type == EXHV_JSON_OBJECT && c < wmi->count; c++) {
        const exhv_json *objs = &wmi->items[c];
        loc wc = {&wwmi, L_MEMBER, wmi->keys[c], 80, 0};
        wmi_class k;
        wmi_class_init(&k, wmi->keys[c]);
        for (size_t i = 0; objs->type == EXHV_JSON_ARRAY && i < objs->count; i++) {
            const exhv_json *o = &objs->items[i];
            loc wi = {&wc, L_INDEX, NULL, 0, i};
            for (size_t m = 0; o->type == EXHV_JSON_OBJECT && m < o->count; m++) {
                loc w = {&wi, L_MEMBER, o->keys[m], 80, 0};
                if (check_wmi_prop(&k, o->keys[m], &o->items[m], origin, &w, err) < 0)
                    return -1;
            }
        }
    }
    return 0;
}
