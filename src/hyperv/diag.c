#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "hyperv/actions.h"

/* The classes the snapshot and the write path query, in full: one file
 * replays every view. */
static const char *const classes[] = {
    "Msvm_ComputerSystem",          "Msvm_VirtualSystemSettingData",
    "Msvm_MemorySettingData",       "Msvm_StorageAllocationSettingData",
    "Msvm_PciExpressSettingData",   "Msvm_PciExpress",
    "Msvm_GpuPartitionSettingData", "Msvm_PartitionableGpu",
};

/* The default settings new resources start from, with the class they are. */
static const struct {
    const char *subtype, *cls;
} defaults[] = {
    {"Microsoft:Hyper-V:Virtual Pci Express Port", "Msvm_PciExpressSettingData"},
    {"Microsoft:Hyper-V:GPU Partition", "Msvm_GpuPartitionSettingData"},
};

/* ---------------- anonymizing ---------------- */

typedef struct subst {
    char *from, *to;
    int whole;               /* a whole string equal to `from`, or (names) a part of a name */
} subst;

typedef struct anon {
    subst *s;
    size_t n, cap;
} anon;

static int anon_add(anon *a, const char *from, const char *to, int whole)
{
    if (!from || !*from)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (exhv_strcaseeq(a->s[i].from, from))
            return 0;
    if (exhv_grow((void **)&a->s, &a->cap, a->n + 1, sizeof(*a->s)) < 0 ||
        !(a->s[a->n].from = exhv_strdup(from)) || !(a->s[a->n].to = exhv_strdup(to)))
        return -1;
    a->s[a->n++].whole = whole;
    return 0;
}

static void anon_free(anon *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->s[i].from);
        free(a->s[i].to);
    }
    free(a->s);
}

/* s with every substitution applied (case-insensitive, as Windows compares
 * these names); a new string. In a name (an ElementName: a checkpoint is
 * named after its VM), VM names are replaced where they occur. */
static char *anon_apply_in(const anon *a, const char *s, int name)
{
    exhv_buf b = EXHV_BUF_INIT;
    if (!s)
        return NULL;
    for (size_t i = 0; a && i < a->n; i++)
        if (a->s[i].whole && exhv_strcaseeq(s, a->s[i].from))
            return exhv_strdup(a->s[i].to);
    while (*s) {
        const subst *hit = NULL;
        for (size_t i = 0; a && i < a->n && !hit; i++)
            if ((!a->s[i].whole || name) && exhv_starts_with_ci(s, a->s[i].from))
                hit = &a->s[i];
        if (hit) {
            exhv_buf_puts(&b, hit->to);
            s += strlen(hit->from);
        } else {
            exhv_buf_putc(&b, *s++);
        }
    }
    return exhv_buf_detach(&b);
}

static char *anon_apply(const anon *a, const char *s)
{
    return anon_apply_in(a, s, 0);
}

static void put_str(exhv_jw *w, const anon *a, const char *s)
{
    char *t = anon_apply(a, s);
    exhv_jw_str(w, t ? t : s);
    free(t);
}

static void kput_str(exhv_jw *w, const anon *a, const char *key, const char *s)
{
    exhv_jw_key(w, key);
    put_str(w, a, s);
}

static int is_guid(const char *s)
{
    if (!s || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-'
                                                      : !strchr("0123456789abcdefABCDEF", s[i]))
            return 0;
    return 1;
}

/* What identifies this host and its owner: the computer name, the VM
 * names, and the last part of each instance ID (a bus address and, for
 * some devices, a serial number). */
static int anon_build(anon *a, const exhv_sysinfo *si, const exhv_pnp_dev *pnp, size_t npnp,
                      const exhv_wmi_objs *cs)
{
    char to[64];
    size_t vms = 0, ids = 0;
    if (anon_add(a, si->computer_name, "HOST", 0) < 0)
        return -1;
    for (size_t i = 0; cs && i < cs->count; i++) {
        const char *name = exhv_wmi_str(&cs->items[i], "ElementName");
        if (!is_guid(exhv_wmi_str(&cs->items[i], "Name")) || !name || !*name)
            continue;
        snprintf(to, sizeof(to), "vm-%zu", ++vms);
        if (anon_add(a, name, to, 1) < 0)
            return -1;
    }
    for (size_t i = 0; i < npnp; i++) {
        const char *last = pnp[i].instance_id ? strrchr(pnp[i].instance_id, '\\') : NULL;
        /* Short parts ("0", "00") identify nothing and would hit everywhere. */
        if (!last || strlen(last + 1) < 6)
            continue;
        snprintf(to, sizeof(to), "ANON&%04zu", ++ids);
        if (anon_add(a, last + 1, to, 0) < 0)
            return -1;
    }
    return 0;
}

/* ---------------- writing ---------------- */

static void put_value(exhv_jw *w, const anon *a, const exhv_value *v)
{
    switch (v->type) {
    case EXHV_V_NULL: exhv_jw_null(w); break;
    case EXHV_V_BOOL: exhv_jw_bool(w, v->i != 0); break;
    case EXHV_V_INT: exhv_jw_int(w, v->i); break;
    case EXHV_V_STR: put_str(w, a, v->s ? v->s : ""); break;
    case EXHV_V_STRS:
    case EXHV_V_INTS:
        exhv_jw_arr_begin(w);
        for (size_t i = 0; i < v->n; i++) {
            if (v->type == EXHV_V_INTS)
                exhv_jw_int(w, v->ints[i]);
            else
                put_str(w, a, v->strs[i] ? v->strs[i] : "");
        }
        exhv_jw_arr_end(w);
        break;
    }
}

static void put_host(exhv_jw *w, const anon *a, const exhv_sysinfo *si, int hyperv,
                     const unsigned char *absent)
{
    exhv_jw_key(w, "host");
    exhv_jw_obj_begin(w);
    exhv_jw_kuint(w, "build", si->build);
    kput_str(w, a, "computer_name", si->computer_name ? si->computer_name : "");
    exhv_jw_kstr(w, "caption", si->os_caption ? si->os_caption : "");
    exhv_jw_kstr(w, "version", si->os_version ? si->os_version : "");
    exhv_jw_kstr(w, "arch", si->arch ? si->arch : "");
    exhv_jw_kstr(w, "cpu", si->cpu_name ? si->cpu_name : "");
    exhv_jw_kbool(w, "server", si->server);
    exhv_jw_kuint(w, "cpu_mhz", si->cpu_mhz);
    exhv_jw_kuint(w, "memory_bytes", si->memory_bytes);
    exhv_jw_kbool(w, "elevated", si->elevated);
    exhv_jw_kbool(w, "hypervisor_present", si->hypervisor_present);
    if (si->virt_firmware >= 0)
        exhv_jw_kbool(w, "virtualization_firmware", si->virt_firmware);
    if (si->wine_version)
        exhv_jw_kstr(w, "wine", si->wine_version);
    exhv_jw_kbool(w, "hyperv", hyperv);
    {
        size_t n = 0;
        for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
            n += absent[i];
        if (n) {
            exhv_jw_key(w, "absent_classes");
            exhv_jw_arr_begin(w);
            for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
                if (absent[i])
                    exhv_jw_str(w, classes[i]);
            exhv_jw_arr_end(w);
        }
    }
    exhv_jw_obj_end(w);
}

static void put_node(exhv_jw *w, const anon *a, const exhv_pnp_dev *d)
{
    static const char *const irq[3] = {"line", "msi", "msix"};
    exhv_jw_obj_begin(w);
    kput_str(w, a, "instance_id", d->instance_id ? d->instance_id : "");
    exhv_jw_kstr(w, "location_path", d->location_path ? d->location_path : "");
    exhv_jw_kstr(w, "name", d->name ? d->name : "");
    exhv_jw_kstr(w, "class", d->cls ? d->cls : "");
    exhv_jw_kstr(w, "service", d->service ? d->service : "");
    if (d->manufacturer)
        exhv_jw_kstr(w, "manufacturer", d->manufacturer);
    if (d->driver_key)
        exhv_jw_kstr(w, "driver", d->driver_key);
    if (d->driver_version)
        exhv_jw_kstr(w, "driver_version", d->driver_version);
    exhv_jw_kbool(w, "present", d->present);
    exhv_jw_kuint(w, "problem", d->problem);
    exhv_jw_key(w, "pci");
    exhv_jw_obj_begin(w);
    if (d->device_type >= 0)
        exhv_jw_kint(w, "device_type", d->device_type);
    if (d->acs >= 0)
        exhv_jw_kint(w, "acs", d->acs);
    if (d->reserved_memory >= 0)
        exhv_jw_kbool(w, "reserved_memory", d->reserved_memory);
    if (d->base_class >= 0)
        exhv_jw_kint(w, "base_class", d->base_class);
    if (d->interrupts >= 0) {
        exhv_jw_key(w, "interrupts");
        exhv_jw_arr_begin(w);
        for (int k = 0; k < 3; k++)
            if (d->interrupts & (1 << k))
                exhv_jw_str(w, irq[k]);
        exhv_jw_arr_end(w);
    }
    if (d->nmem) {
        exhv_jw_key(w, "memory");
        exhv_jw_arr_begin(w);
        for (size_t k = 0; k < d->nmem; k++) {
            exhv_jw_obj_begin(w);
            exhv_jw_kuint(w, "start", d->mem[k].start);
            exhv_jw_kuint(w, "length", d->mem[k].length);
            exhv_jw_obj_end(w);
        }
        exhv_jw_arr_end(w);
    }
    exhv_jw_obj_end(w);
    exhv_jw_obj_end(w);
}

static void put_regval(exhv_jw *w, const exhv_regval *v)
{
    exhv_jw_obj_begin(w);
    switch (v->type) {
    case EXHV_REG_DWORD: exhv_jw_kuint(w, "dword", v->num); break;
    case EXHV_REG_QWORD: exhv_jw_kuint(w, "qword", v->num); break;
    case EXHV_REG_SZ: exhv_jw_kstr(w, "sz", v->str ? v->str : ""); break;
    case EXHV_REG_EXPAND_SZ: exhv_jw_kstr(w, "expand_sz", v->str ? v->str : ""); break;
    case EXHV_REG_MULTI_SZ:
        exhv_jw_key(w, "multi_sz");
        exhv_jw_arr_begin(w);
        for (const char *p = v->str; p && *p; p += strlen(p) + 1)
            exhv_jw_str(w, p);
        exhv_jw_arr_end(w);
        break;
    default: {
        exhv_buf hex = EXHV_BUF_INIT;
        for (size_t i = 0; i < v->len && v->bin; i++)
            exhv_buf_printf(&hex, "%02x", v->bin[i]);
        exhv_jw_kstr(w, "binary", exhv_buf_str(&hex));
        exhv_buf_release(&hex);
    }
    }
    exhv_jw_obj_end(w);
}

/* The guest driver record of each VM (docs/scenario.md, "guest driver
 * records"), every value as it is, malformed ones too: what the snapshot
 * reads. A record of a VM that is gone is not read, and not recorded. The
 * VM's name at import and the GPU's instance ID are anonymized as the
 * VM's name and the device's. */
static void put_guest_records(exhv_jw *w, exhv_conn *c, const anon *a, const exhv_wmi_objs *cs,
                              exhv_diag_info *info)
{
    char **vals = NULL, **subs = NULL;
    size_t nv = 0, ns = 0;
    exhv_error ignored;

    if (!cs || !c->ops->reg_list ||
        c->ops->reg_list(c->ctx, EXHV_GUEST_DRIVERS_KEY, &vals, &nv, &subs, &ns, &ignored) < 0)
        return;
    for (size_t i = 0; i < ns; i++) {
        exhv_buf key = EXHV_BUF_INIT;
        char **rv = NULL, **rs = NULL;
        size_t nrv = 0, nrs = 0;
        int vm = 0;
        for (size_t k = 0; k < cs->count && !vm; k++)
            vm = exhv_strcaseeq(exhv_wmi_str(&cs->items[k], "Name"), subs[i]);
        exhv_buf_printf(&key, "%s\\%s", EXHV_GUEST_DRIVERS_KEY, subs[i]);
        if (vm && exhv_buf_ok(&key) &&
            c->ops->reg_list(c->ctx, exhv_buf_str(&key), &rv, &nrv, &rs, &nrs, &ignored) == 0) {
            exhv_jw_key(w, exhv_buf_str(&key));
            exhv_jw_obj_begin(w);
            for (size_t j = 0; j < nrv; j++) {
                exhv_regval v = {0};
                if (c->ops->reg_get(c->ctx, exhv_buf_str(&key), rv[j], &v, &ignored) != 0)
                    continue;
                if (a && v.type == EXHV_REG_SZ && v.str &&
                    (exhv_strcaseeq(rv[j], "VmName") || exhv_strcaseeq(rv[j], "GpuInstanceId"))) {
                    char *t = anon_apply_in(a, v.str, exhv_strcaseeq(rv[j], "VmName"));
                    char *last = t ? strrchr(t, '\\') : NULL;
                    /* A GPU that is gone from the host is in no table:
                     * its serial goes all the same. */
                    if (last && strcmp(t, v.str) == 0 && strlen(last + 1) >= 6) {
                        exhv_buf g = EXHV_BUF_INIT;
                        exhv_buf_printf(&g, "%.*sANON&GONE", (int)(last + 1 - t), t);
                        free(t);
                        t = exhv_buf_detach(&g);
                    }
                    if (t) {
                        free(v.str);
                        v.str = t;
                        v.len = strlen(t) + 1;
                    }
                }
                exhv_jw_key(w, rv[j]);
                put_regval(w, &v);
                info->values++;
                exhv_regval_release(&v);
            }
            exhv_jw_obj_end(w);
        }
        exhv_strv_free(rv, nrv);
        exhv_strv_free(rs, nrs);
        exhv_buf_release(&key);
    }
    exhv_strv_free(vals, nv);
    exhv_strv_free(subs, ns);
}

/* The registry values exhv reads: the DDA policy, each display adapter's
 * class key (its VRAM), and the guest driver records. Each key is written
 * once. */
static void put_registry(exhv_jw *w, exhv_conn *c, const exhv_pnp_dev *pnp, size_t npnp,
                         const anon *a, const exhv_wmi_objs *cs, exhv_diag_info *info)
{
    static const char *const policy[2] = {"RequireSecureDeviceAssignment",
                                          "RequireSupportedDeviceAssignment"};
    /* A display adapter's class key: its VRAM, and what driver import
     * reads (the published INF, the install section the host chose, the
     * provider); its CopyToVm* subkeys are recorded below it. */
    static const char *const display[6] = {"HardwareInformation.qwMemorySize",
                                           "HardwareInformation.MemorySize", "InfPath",
                                           "InfSection", "ProviderName", "DriverVersion"};
    static const char *const copy_to_vm[4] = {"CopyToVmOverwrite", "CopyToVmWhenNewer",
                                              "CopyToVmOverwriteWow64", "CopyToVmWhenNewerWow64"};
    exhv_buf seen = EXHV_BUF_INIT;
    exhv_jw_key(w, "registry");
    exhv_jw_obj_begin(w);
    for (size_t i = 0; i <= npnp; i++) {
        exhv_buf key = EXHV_BUF_INIT, probe = EXHV_BUF_INIT;
        const char *const *names = i == npnp ? policy : display;
        int nnames = i == npnp ? 2 : 6;
        int open = 0;
        if (i == npnp)
            exhv_buf_puts(&key, EXHV_POLICY_KEY);
        else if (pnp[i].driver_key && *pnp[i].driver_key && exhv_strcaseeq(pnp[i].cls, "Display"))
            exhv_buf_printf(&key, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\%s",
                            pnp[i].driver_key);
        exhv_buf_printf(&probe, "\n%s\n", exhv_buf_str(&key));
        if (key.len && !exhv_contains_ci(exhv_buf_str(&seen), exhv_buf_str(&probe))) {
            exhv_buf_add(&seen, probe.data, probe.len);
            for (int k = 0; k < nnames; k++) {
                exhv_regval v = {0};
                exhv_error ignored;
                if (c->ops->reg_get(c->ctx, exhv_buf_str(&key), names[k], &v, &ignored) != 0)
                    continue;
                if (!open) {
                    exhv_jw_key(w, exhv_buf_str(&key));
                    exhv_jw_obj_begin(w);
                    open = 1;
                }
                exhv_jw_key(w, names[k]);
                put_regval(w, &v);
                info->values++;
                exhv_regval_release(&v);
            }
            if (open)
                exhv_jw_obj_end(w);
            for (int k = 0; i < npnp && c->ops->reg_list && k < 4; k++) {
                exhv_buf sub = EXHV_BUF_INIT;
                char **vals = NULL, **subs = NULL;
                size_t nv = 0, ns = 0;
                exhv_error ignored;
                exhv_buf_printf(&sub, "%s\\%s", exhv_buf_str(&key), copy_to_vm[k]);
                if (exhv_buf_ok(&sub) && c->ops->reg_list(c->ctx, exhv_buf_str(&sub), &vals, &nv,
                                                          &subs, &ns, &ignored) == 0 && nv) {
                    exhv_jw_key(w, exhv_buf_str(&sub));
                    exhv_jw_obj_begin(w);
                    for (size_t j = 0; j < nv; j++) {
                        exhv_regval v = {0};
                        if (c->ops->reg_get(c->ctx, exhv_buf_str(&sub), vals[j], &v, &ignored) != 0)
                            continue;
                        exhv_jw_key(w, vals[j]);
                        put_regval(w, &v);
                        info->values++;
                        exhv_regval_release(&v);
                    }
                    exhv_jw_obj_end(w);
                }
                exhv_strv_free(vals, nv);
                exhv_strv_free(subs, ns);
                exhv_buf_release(&sub);
            }
        }
        exhv_buf_release(&key);
        exhv_buf_release(&probe);
    }
    put_guest_records(w, c, a, cs, info);
    exhv_jw_obj_end(w);
    exhv_buf_release(&seen);
}

int exhv_diag_collect(exhv_conn *c, int anonymize, exhv_buf *out, exhv_diag_info *info,
                      exhv_error *err)
{
    enum { NCLS = sizeof(classes) / sizeof(classes[0]) };
    exhv_sysinfo si = {0};
    exhv_pnp_dev *pnp = NULL;
    size_t npnp = 0;
    exhv_wmi_objs objs[NCLS];
    anon a = {0};
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    int rc = -1, open;
    size_t disks = 0;
    unsigned char absent[NCLS] = {0};

    memset(objs, 0, sizeof(objs));
    memset(info, 0, sizeof(*info));
    if (c->ops->sys_read(c->ctx, &si, err) < 0) {
        exhv_error_prefix(err, "reading system facts");
        goto out;
    }
    if (c->ops->pnp_list(c->ctx, &pnp, &npnp, err) < 0) {
        exhv_error_prefix(err, "listing PCI devices");
        goto out;
    }
    open = c->ops->wmi_open(c->ctx, err);
    if (open == -2) {
        snprintf(info->hyperv_why, sizeof(info->hyperv_why), "%s", err->message);
        exhv_error_clear(err);
    } else if (open < 0) {
        exhv_error_prefix(err, "connecting to Hyper-V");
        goto out;
    } else {
        info->hyperv = 1;
        for (size_t i = 0; i < NCLS; i++) {
            char wql[96];
            snprintf(wql, sizeof(wql), "SELECT * FROM %s", classes[i]);
            if (c->ops->wmi_query(c->ctx, wql, &objs[i], err) < 0) {
                /* A class this Hyper-V does not have is recorded as absent
                 * (host.absent_classes), so that the replay fails the same
                 * query the same way. */
                if (err->code == EXHV_E_NO_MEMORY || err->plat_code != 0x80041010UL) {
                    exhv_error_prefix(err, "querying Hyper-V (%s)", wql);
                    goto out;
                }
                absent[i] = 1;
                exhv_error_clear(err);
            }
        }
        /* The default settings, where Hyper-V keeps them: recorded with
         * their class unless the class listing already had them. */
        for (size_t d = 0; d < sizeof(defaults) / sizeof(defaults[0]); d++) {
            exhv_wmi_obj t = {0};
            exhv_error ignored;
            exhv_wmi_objs *l = NULL;
            int known = 0;
            for (size_t i = 0; i < NCLS; i++)
                if (exhv_strcaseeq(classes[i], defaults[d].cls) && !absent[i])
                    l = &objs[i];
            if (!l)
                continue;
            if (exhv_hv_default_setting(c, defaults[d].subtype, &t, &ignored) < 0) {
                info->missing_defaults++;
                continue;
            }
            for (size_t i = 0; i < l->count && !known; i++)
                known = exhv_strcaseeq(exhv_wmi_str(&l->items[i], "InstanceID"),
                                       exhv_wmi_str(&t, "InstanceID"));
            if (!known) {
                exhv_wmi_obj *slot = exhv_wmi_objs_push(l);
                if (!slot) {
                    exhv_wmi_obj_release(&t);
                    exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
                    goto out;
                }
                *slot = t;
            } else {
                exhv_wmi_obj_release(&t);
            }
        }
    }
    if (anonymize && anon_build(&a, &si, pnp, npnp, info->hyperv ? &objs[0] : NULL) < 0) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }

    exhv_jw_init(&w, &b, 1);
    exhv_jw_obj_begin(&w);
    exhv_jw_kint(&w, "schema", 1);
    exhv_jw_kstr(&w, "description",
                 info->hyperv ? "Recorded by exhv diag: what exhv reads on this host."
                              : "Recorded by exhv diag: what exhv reads on this host, which has "
                                "no Hyper-V.");
    put_host(&w, anonymize ? &a : NULL, &si, info->hyperv, absent);
    put_registry(&w, c, pnp, npnp, anonymize ? &a : NULL, info->hyperv ? &objs[0] : NULL, info);
    exhv_jw_key(&w, "pnp");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < npnp; i++)
        put_node(&w, anonymize ? &a : NULL, &pnp[i]);
    exhv_jw_arr_end(&w);
    info->nodes = npnp;
    if (info->hyperv) {
        exhv_jw_key(&w, "wmi");
        exhv_jw_obj_begin(&w);
        for (size_t i = 0; i < NCLS; i++) {
            if (absent[i])
                continue;
            exhv_jw_key(&w, classes[i]);
            exhv_jw_arr_begin(&w);
            for (size_t k = 0; k < objs[i].count; k++) {
                const exhv_wmi_obj *o = &objs[i].items[k];
                exhv_jw_obj_begin(&w);
                for (size_t p = 0; p < o->nprops; p++) {
                    exhv_jw_key(&w, o->props[p].name);
                    /* Disk paths name folders and users: replaced whole. */
                    if (anonymize && strcmp(classes[i], "Msvm_StorageAllocationSettingData") == 0 &&
                        exhv_strcaseeq(o->props[p].name, "HostResource")) {
                        char disk[48];
                        snprintf(disk, sizeof(disk), "D:\\VMs\\disk-%zu.vhdx", ++disks);
                        exhv_jw_arr_begin(&w);
                        exhv_jw_str(&w, disk);
                        exhv_jw_arr_end(&w);
                        continue;
                    }
                    if (anonymize && o->props[p].v.type == EXHV_V_STR &&
                        exhv_strcaseeq(o->props[p].name, "ElementName")) {
                        char *t = anon_apply_in(&a, o->props[p].v.s, 1);
                        exhv_jw_str(&w, t ? t : "");
                        free(t);
                        continue;
                    }
                    put_value(&w, anonymize ? &a : NULL, &o->props[p].v);
                }
                exhv_jw_obj_end(&w);
                info->objects++;
            }
            exhv_jw_arr_end(&w);
        }
        exhv_jw_obj_end(&w);
    }
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
    if (!exhv_buf_ok(&b)) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    exhv_buf_add(out, b.data, b.len);
    rc = 0;
out:
    exhv_buf_release(&b);
    anon_free(&a);
    for (size_t i = 0; i < NCLS; i++)
        exhv_wmi_objs_release(&objs[i]);
    for (size_t i = 0; i < npnp; i++)
        exhv_pnp_dev_release(&pnp[i]);
    free(pnp);
    exhv_sysinfo_release(&si);
    return rc;
}
