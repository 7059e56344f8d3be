#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "platform/fs.h"

/* WBEM codes the simulated WMI answers with (wbemcli.h). */
#define WBEM_E_INVALID_NAMESPACE 0x8004100EUL
#define WBEM_E_INVALID_QUERY 0x80041017UL
#define WBEM_E_INVALID_CLASS 0x80041010UL

typedef struct sim {
    exhv_json *doc;
    char *origin;            /* file path or "default" */
    unsigned long queries;
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
                           "{\"multi_sz\": [S...]} or {\"binary\": \"hex\"}");
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
    return 0;
}

/* ---------------- opening ---------------- */

extern const exhv_ports_ops exhv_sim_ops;

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
    return exhv_sim_open_text(exhv_sim_default_json, exhv_sim_default_json_len, "default", ops,
                              ctx, err);
}

int exhv_sim_open_file(const char *path, const exhv_ports_ops **ops, void **ctx,
                       exhv_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    if (exhv_fs_read_file(path, 64u << 20, &text, &len, err) < 0) {
        exhv_error_prefix(err, "opening simulated host");
        return -1;
    }
    rc = exhv_sim_open_text(text, len, path, ops, ctx, err);
    free(text);
    return rc;
}

static void sim_close(void *ctx)
{
    sim *s = ctx;
    if (!s)
        return;
    exhv_json_free(s->doc);
    free(s->origin);
    free(s);
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
        dup_field(&si.cpu_name, h, "cpu", "") < 0) {
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

static int sim_reg_get(void *ctx, const char *key, const char *value, exhv_regval *out,
                       exhv_error *err)
{
    sim *s = ctx;
    const exhv_json *reg = exhv_json_get(s->doc, "registry"), *k = NULL, *v = NULL, *d;
    exhv_regval r = {0};

    for (size_t i = 0; reg && i < reg->count && !k; i++)
        if (exhv_strcaseeq(reg->keys[i], key))
            k = &reg->items[i];
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
    } else if (strcmp(v->keys[0], "sz") == 0 && d->type == EXHV_JSON_STRING) {
        r.type = EXHV_REG_SZ;
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
    for (size_t i = 0; i < n; i++)
        if (pnp_one(&pnp->items[i], &list[i]) < 0) {
            for (size_t k = 0; k <= i; k++)
                exhv_pnp_dev_release(&list[k]);
            free(list);
            return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
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

    exhv_buf_printf(&b, "\\\\%s\\root\\virtualization\\v2:%s.%s=\"", host ? host : "SIMHOST", cls,
                    key);
    for (const char *p = val ? val : ""; *p; p++) {
        if (*p == '"' || *p == '\\')
            exhv_buf_putc(&b, '\\');
        exhv_buf_putc(&b, *p);
    }
    exhv_buf_putc(&b, '"');
    return exhv_buf_detach(&b);
}

static int sim_wmi_query(void *ctx, const char *text, exhv_wmi_objs *out, exhv_error *err)
{
    sim *s = ctx;
    const exhv_json *wmi = exhv_json_get(s->doc, "wmi"), *objs = NULL;
    exhv_wmi_objs res = {0};
    wql q;

    s->queries++;
    if (wql_parse(text, &q) < 0) {
        wql_release(&q);
        exhv_error_set(err, EXHV_E_PLATFORM, "the simulated WMI cannot parse the query \"%s\"",
                       text);
        exhv_error_platform(err, EXHV_PLAT_HRESULT, WBEM_E_INVALID_QUERY, "WBEM_E_INVALID_QUERY");
        return -1;
    }
    if (!exhv_starts_with_ci(q.cls, "Msvm_")) {
        wql_release(&q);
        exhv_error_set(err, EXHV_E_PLATFORM, "class %s is not in ROOT\\virtualization\\v2", q.cls);
        exhv_error_platform(err, EXHV_PLAT_HRESULT, WBEM_E_INVALID_CLASS, "WBEM_E_INVALID_CLASS");
        return -1;
    }
    for (size_t i = 0; wmi && i < wmi->count && !objs; i++)
        if (exhv_strcaseeq(wmi->keys[i], q.cls))
            objs = &wmi->items[i];
    for (size_t i = 0; objs && i < objs->count; i++) {
        const exhv_json *o = &objs->items[i];
        exhv_wmi_obj *r;
        int ok = 1;
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
    *out = res;
    return 0;
nomem:
    wql_release(&q);
    exhv_wmi_objs_release(&res);
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

static int sim_wmi_exec(void *ctx, const char *path, const char *method, const exhv_wmi_obj *in,
                        exhv_wmi_obj *out, exhv_error *err)
{
    (void)ctx;
    (void)in;
    (void)out;
    return exhv_error_set(err, EXHV_E_UNSUPPORTED,
                          "the simulated host does not model %s on %s", method, path);
}

const exhv_ports_ops exhv_sim_ops = {
    .name = "simulated",
    .sys_read = sim_sys_read,
    .wmi_open = sim_wmi_open,
    .wmi_query = sim_wmi_query,
    .wmi_exec = sim_wmi_exec,
    .wmi_query_count = sim_wmi_query_count,
    .pnp_list = sim_pnp_list,
    .reg_get = sim_reg_get,
    .close = sim_close,
};
