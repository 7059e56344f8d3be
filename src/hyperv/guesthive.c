#include "guesthive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/pwsh.h"
#include "platform/fs.h"
#include "platform/tree.h"

#define DISPLAY_CLASS "{4d36e968-e325-11ce-bfc1-08002be10318}"

/* The Intel adapter values that runtimes read from the registry directly
 * (ExHyperV's IntelGpuRuntimeRegistryValueNames, reference §1.6). */
static const char *const intel_values[] = {
    "OpenCLDriverName", "OpenCLDriverNameWow", "LevelZeroDriverPath",
    "DriverStorePathForComputeRuntime", "DriverStorePathForMediaSDK", "DriverStorePathForVPL",
    "DriverStorePathForMDF", "VulkanDriverName", "VulkanDriverNameWow", "OpenGLDriverName",
    "OpenGLDriverNameWow", "OpenGLFlags", "OpenGLFlagsWow", "OpenGLInstalled", "OpenGLVersion",
    "OpenGLVersionWow", "ContentProtectionDriverName", "ControlApiPath", "ControlApiPath32",
};

static int oom(exhv_error *err)
{
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

static const char *type_name(exhv_regtype t)
{
    switch (t) {
    case EXHV_REG_SZ: return "REG_SZ";
    case EXHV_REG_EXPAND_SZ: return "REG_EXPAND_SZ";
    case EXHV_REG_MULTI_SZ: return "REG_MULTI_SZ";
    case EXHV_REG_DWORD: return "REG_DWORD";
    case EXHV_REG_QWORD: return "REG_QWORD";
    case EXHV_REG_BINARY: return "REG_BINARY";
    default: return "REG_NONE";
    }
}

static int regval_copy(exhv_regval *dst, const exhv_regval *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->type = src->type;
    dst->num = src->num;
    dst->len = src->len;
    if (src->str) {
        if (!(dst->str = malloc(src->len ? src->len : 1)))
            return -1;
        memcpy(dst->str, src->str, src->len ? src->len : 1);
    }
    if (src->bin) {
        if (!(dst->bin = malloc(src->len ? src->len : 1))) {
            free(dst->str);
            dst->str = NULL;
            return -1;
        }
        memcpy(dst->bin, src->bin, src->len);
    }
    return 0;
}

/* Does the key exist (as a key with values or only subkeys)? 1, 0, -1. */
static int key_exists(exhv_conn *c, const char *key, exhv_error *err)
{
    char **v = NULL, **s = NULL;
    size_t nv = 0, ns = 0;
    int r = c->ops->reg_list(c->ctx, key, &v, &nv, &s, &ns, err);
    if (r == -2)
        return 0;
    if (r < 0)
        return -1;
    exhv_strv_free(v, nv);
    exhv_strv_free(s, ns);
    return 1;
}

typedef struct plan {
    exhv_conn *c;
    const char *root;
    exhv_hive_edit *e;
    size_t n, cap;
} plan;

/* Is key one that an earlier edit of the plan creates (its key or one of
 * the missing keys above it)? */
static int planned_key(const plan *p, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < p->n; i++) {
        const char *k = p->e[i].key;
        int above = 0;
        if (!p->e[i].created_depth || !exhv_starts_with_ci(k, key) || (k[n] && k[n] != '\\'))
            continue;
        for (const char *c = k + n; *c; c++)
            above += *c == '\\';
        if (above < p->e[i].created_depth)
            return 1;
    }
    return 0;
}

/* How many trailing components of key do not exist yet (and are not made
 * by an earlier edit): 0 when it exists. */
static int missing_depth(plan *p, const char *key, exhv_error *err)
{
    char *k = exhv_strdup(key), *sep;
    int depth = 0, r = 0;
    if (!k)
        return oom(err);
    while (strlen(k) > strlen(p->root)) {
        if (planned_key(p, k) || (r = key_exists(p->c, k, err)) != 0)
            break;
        depth++;
        if (!(sep = strrchr(k, '\\')))
            break;
        *sep = '\0';
    }
    free(k);
    return r < 0 ? -1 : depth;
}

/* Add an edit that writes val (taken over) to key\value, reading what is
 * there now. */
static int add_edit(plan *p, const char *key, const char *value, exhv_regval *val,
                    exhv_error *err)
{
    exhv_hive_edit *e;
    int r, depth;
    for (size_t i = 0; i < p->n; i++)
        if (exhv_strcaseeq(p->e[i].key, key) && exhv_strcaseeq(p->e[i].value, value)) {
            exhv_regval_release(val);
            return 0;   /* the same set named twice */
        }
    if ((depth = missing_depth(p, key, err)) < 0)
        return -1;
    if (exhv_grow((void **)&p->e, &p->cap, p->n + 1, sizeof(*p->e)) < 0)
        return oom(err);
    e = &p->e[p->n];
    memset(e, 0, sizeof(*e));
    if (!(e->key = exhv_strdup(key)) || !(e->value = exhv_strdup(value))) {
        free(e->key);
        return oom(err);
    }
    if (depth == 0) {
        r = p->c->ops->reg_get(p->c->ctx, key, value, &e->old, err);
        if (r < 0 && r != -2) {
            free(e->key);
            free(e->value);
            exhv_error_prefix(err, "reading the guest's hive");
            return -1;
        }
        e->had_old = r == 0;
    }
    e->created_depth = depth;
    e->val = *val;
    memset(val, 0, sizeof(*val));
    e->state = EXHV_HIVE_PLANNED;
    p->n++;
    return 0;
}

/* The control sets Select names, each once, as "ControlSetNNN". */
static int control_sets(exhv_conn *c, const char *root, char sets[4][16], size_t *nsets,
                        exhv_error *err)
{
    static const char *const names[] = {"Current", "Default", "Failed", "LastKnownGood"};
    exhv_buf sel = EXHV_BUF_INIT, cs = EXHV_BUF_INIT;
    int rc = -1, r;
    *nsets = 0;
    exhv_buf_printf(&sel, "%s\\Select", root);
    if (!exhv_buf_ok(&sel))
        return oom(err);
    if ((r = key_exists(c, exhv_buf_str(&sel), err)) <= 0) {
        if (r == 0)
            exhv_error_set(err, EXHV_E_PARSE, "the guest's SYSTEM hive has no Select key, so "
                           "exhv cannot tell which control set Windows boots: the disk may not "
                           "hold a Windows system or its hive is damaged; nothing was written");
        goto out;
    }
    for (size_t i = 0; i < 4; i++) {
        exhv_regval v = {0};
        char name[16];
        unsigned num;
        int dup = 0;
        r = c->ops->reg_get(c->ctx, exhv_buf_str(&sel), names[i], &v, err);
        if (r == -2 && i > 0)
            continue;
        if (r == -2) {
            exhv_error_set(err, EXHV_E_PARSE, "the guest's SYSTEM hive has no Select\\Current, "
                           "so exhv cannot tell which control set Windows boots: the hive is "
                           "damaged; nothing was written");
            goto out;
        }
        if (r < 0)
            goto out;
        if (v.type != EXHV_REG_DWORD || v.num > 999 || (i == 0 && v.num == 0)) {
            exhv_error_set(err, EXHV_E_PARSE, "the guest's SYSTEM hive has Select\\%s = %s %llu, "
                           "which names no control set (a REG_DWORD from 1 to 999%s): the hive "
                           "is damaged; nothing was written", names[i], type_name(v.type),
                           (unsigned long long)v.num, i ? exhv_tr(", or 0 for none") : "");
            exhv_regval_release(&v);
            goto out;
        }
        num = (unsigned)v.num;
        exhv_regval_release(&v);
        if (num == 0)
            continue;
        snprintf(name, sizeof(name), "ControlSet%03u", num);
        for (size_t j = 0; j < *nsets; j++)
            dup |= strcmp(sets[j], name) == 0;
        if (dup)
            continue;
        exhv_buf_reset(&cs);
        exhv_buf_printf(&cs, "%s\\%s", root, name);
        if (!exhv_buf_ok(&cs)) {
            oom(err);
            goto out;
        }
        if ((r = key_exists(c, exhv_buf_str(&cs), err)) <= 0) {
            if (r == 0)
                exhv_error_set(err, EXHV_E_PARSE, "the guest's SYSTEM hive has Select\\%s = %u "
                               "but no %s: the hive is damaged; nothing was written", names[i],
                               num, name);
            goto out;
        }
        memcpy(sets[(*nsets)++], name, sizeof(name));
    }
    rc = 0;
out:
    exhv_buf_release(&sel);
    exhv_buf_release(&cs);
    return rc;
}

/* "\System32\DriverStore\" (either separator, any case) -> HostDriverStore,
 * as the guest sees the host's store (reference §0.1). */
static char *rewrite_one(const char *s)
{
    exhv_buf b = EXHV_BUF_INIT;
    const char *p = s;
    while (*p) {
        if ((*p == '\\' || *p == '/') && exhv_starts_with_ci(p + 1, "System32") &&
            (p[9] == '\\' || p[9] == '/') && exhv_starts_with_ci(p + 10, "DriverStore") &&
            (p[21] == '\\' || p[21] == '/')) {
            exhv_buf_add(&b, p, 10);
            exhv_buf_puts(&b, "Host");
            p += 10;
            continue;
        }
        exhv_buf_putc(&b, *p++);
    }
    return exhv_buf_detach(&b);
}

static int rewrite(exhv_regval *v)
{
    exhv_buf b = EXHV_BUF_INIT;
    if (v->type == EXHV_REG_SZ || v->type == EXHV_REG_EXPAND_SZ) {
        char *s = rewrite_one(v->str ? v->str : "");
        if (!s)
            return -1;
        free(v->str);
        v->str = s;
        v->len = strlen(s) + 1;
        return 0;
    }
    if (v->type != EXHV_REG_MULTI_SZ)
        return 0;
    for (size_t n = 0; v->str && n < v->len && v->str[n];) {
        char *s = rewrite_one(v->str + n);
        if (!s) {
            exhv_buf_release(&b);
            return -1;
        }
        exhv_buf_add(&b, s, strlen(s) + 1);
        free(s);
        n += strlen(v->str + n) + 1;
    }
    exhv_buf_putc(&b, '\0');
    if (!exhv_buf_ok(&b)) {
        exhv_buf_release(&b);
        return -1;
    }
    free(v->str);
    v->len = b.len;
    v->str = exhv_buf_detach(&b);
    return 0;
}

/* The relative path (with '\') of the one file named name under dir. */
static int find_file(const char *dir, const char *rel, const char *name, char **hit, int *count,
                     int depth)
{
    char **names = NULL;
    size_t cnt = 0;
    exhv_error ignored;
    if (depth > 16 || exhv_fs_list(dir, &names, &cnt, &ignored) < 0)
        return 0;
    for (size_t i = 0; i < cnt; i++) {
        exhv_buf p = EXHV_BUF_INIT, r = EXHV_BUF_INIT;
        exhv_fs_info fi;
        exhv_buf_printf(&p, "%s/%s", dir, names[i]);
        exhv_buf_printf(&r, "%s%s%s", rel, *rel ? "\\" : "", names[i]);
        if (!exhv_buf_ok(&p) || !exhv_buf_ok(&r)) {
            exhv_buf_release(&p);
            exhv_buf_release(&r);
            exhv_strv_free(names, cnt);
            return -1;
        }
        if (exhv_fs_info_get(exhv_buf_str(&p), &fi, &ignored) == 0) {
            if (fi.kind == EXHV_FS_DIR) {
                if (find_file(exhv_buf_str(&p), exhv_buf_str(&r), name, hit, count, depth + 1) < 0) {
                    exhv_buf_release(&p);
                    exhv_buf_release(&r);
                    exhv_strv_free(names, cnt);
                    return -1;
                }
            } else if (fi.kind == EXHV_FS_FILE && exhv_strcaseeq(names[i], name) &&
                       (*count)++ == 0) {
                *hit = exhv_buf_detach(&r);
            }
        }
        exhv_buf_release(&p);
        exhv_buf_release(&r);
    }
    exhv_strv_free(names, cnt);
    return 0;
}

static int nvidia(plan *p, const exhv_drv_need *need, char sets[4][16], size_t nsets,
                  exhv_error *err)
{
    static const char *const copied[] = {"Type", "Start", "ErrorControl", "Group"};
    exhv_regval host[4];
    int have[4] = {0};
    exhv_buf hk = EXHV_BUF_INIT, sys = EXHV_BUF_INIT, img = EXHV_BUF_INIT, key = EXHV_BUF_INIT;
    char *rel = NULL;
    int count = 0, rc = -1, r;

    memset(host, 0, sizeof(host));
    if (!need->npkgs) {
        exhv_error_set(err, EXHV_E_USAGE, "the driver has no package to point %s at",
                       need->service);
        goto out;
    }
    exhv_buf_printf(&hk, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\%s", need->service);
    exhv_buf_printf(&sys, "%s.sys", need->service);
    if (!exhv_buf_ok(&hk) || !exhv_buf_ok(&sys)) {
        oom(err);
        goto out;
    }
    for (size_t i = 0; i < 4; i++) {
        r = p->c->ops->reg_get(p->c->ctx, exhv_buf_str(&hk), copied[i], &host[i], err);
        if (r == -2 && i == 3)
            continue;   /* a service without a load order group */
        if (r == -2) {
            exhv_error_set(err, EXHV_E_NOT_FOUND, "the host's service %s has no %s value: the "
                           "host's %s driver is not installed as a service (reinstall it on the "
                           "host); nothing was written to the guest", exhv_buf_str(&hk),
                           copied[i], need->service);
            goto out;
        }
        if (r < 0)
            goto out;
        have[i] = 1;
    }
    if (find_file(need->pkgs[0].host_dir, "", exhv_buf_str(&sys), &rel, &count, 0) < 0) {
        oom(err);
        goto out;
    }
    if (count != 1) {
        exhv_error_set(err, EXHV_E_NOT_FOUND,
                       count ? "the package %s has several files named %s: exhv cannot tell "
                               "which file the guest's %s service should load; nothing was "
                               "written"
                             : "the package %s has no %s: exhv cannot tell which file the "
                               "guest's %s service should load; nothing was written",
                       need->pkgs[0].name, exhv_buf_str(&sys), need->service);
        goto out;
    }
    exhv_buf_printf(&img, "\\SystemRoot\\System32\\HostDriverStore\\FileRepository\\%s\\%s",
                    need->pkgs[0].name, rel);
    if (!exhv_buf_ok(&img)) {
        oom(err);
        goto out;
    }
    for (size_t s = 0; s < nsets; s++) {
        exhv_regval v;
        exhv_buf_reset(&key);
        exhv_buf_printf(&key, "%s\\%s\\Services\\%s", p->root, sets[s], need->service);
        if (!exhv_buf_ok(&key)) {
            oom(err);
            goto out;
        }
        for (size_t i = 0; i < 4; i++) {
            if (!have[i])
                continue;
            if (regval_copy(&v, &host[i]) < 0) {
                oom(err);
                goto out;
            }
            if (add_edit(p, exhv_buf_str(&key), copied[i], &v, err) < 0) {
                exhv_regval_release(&v);
                goto out;
            }
        }
        memset(&v, 0, sizeof(v));
        v.type = EXHV_REG_EXPAND_SZ;
        v.len = img.len + 1;
        if (!(v.str = exhv_strdup(exhv_buf_str(&img)))) {
            oom(err);
            goto out;
        }
        if (add_edit(p, exhv_buf_str(&key), "ImagePath", &v, err) < 0) {
            exhv_regval_release(&v);
            goto out;
        }
    }
    rc = 0;
out:
    for (size_t i = 0; i < 4; i++)
        exhv_regval_release(&host[i]);
    free(rel);
    exhv_buf_release(&hk);
    exhv_buf_release(&sys);
    exhv_buf_release(&img);
    exhv_buf_release(&key);
    return rc;
}

static char *reg_text(exhv_conn *c, const char *key, const char *value)
{
    exhv_regval v = {0};
    exhv_error ignored;
    char *s = NULL;
    if (c->ops->reg_get(c->ctx, key, value, &v, &ignored) == 0 &&
        (v.type == EXHV_REG_SZ || v.type == EXHV_REG_EXPAND_SZ) && v.str)
        s = v.str, v.str = NULL;
    exhv_regval_release(&v);
    return s ? s : exhv_strdup("");
}

/* May the Intel values go into this guest class key? An empty key, an
 * Intel driver's, or the virtual render device's (Microsoft's vrd.inf);
 * never another vendor's (ExHyperV's IsCompatibleIntelRuntimeTarget).
 * 1, 0, or -1 out of memory. */
static int intel_target_ok(exhv_conn *c, const char *key)
{
    char *desc = reg_text(c, key, "DriverDesc"), *prov = reg_text(c, key, "ProviderName"),
         *inf = reg_text(c, key, "InfPath"), *mdi = reg_text(c, key, "MatchingDeviceId");
    int ok = !desc || !prov || !inf || !mdi ? -1 :
             (!*desc && !*prov && !*inf && !*mdi) || exhv_contains_ci(desc, "Intel") ||
             exhv_contains_ci(prov, "Intel") || exhv_contains_ci(inf, "Intel") ||
             exhv_contains_ci(mdi, "Intel") || exhv_contains_ci(mdi, "VEN_8086") ||
             exhv_strcaseeq(inf, "vrd.inf") ||
             (exhv_contains_ci(prov, "Microsoft") && exhv_contains_ci(desc, "Virtual Render"));
    free(desc);
    free(prov);
    free(inf);
    free(mdi);
    return ok;
}

/* The guest's Microsoft Hyper-V Video class key under cls (the first by
 * name), or NULL. */
static char *hyperv_video(exhv_conn *c, const char *cls, exhv_error *err, int *failed)
{
    char **v = NULL, **s = NULL, *best = NULL;
    size_t nv = 0, ns = 0;
    int r = c->ops->reg_list(c->ctx, cls, &v, &nv, &s, &ns, err);
    *failed = r < 0 && r != -2;
    if (r < 0)
        return NULL;
    for (size_t i = 0; i < ns; i++) {
        exhv_buf k = EXHV_BUF_INIT;
        char *desc, *prov, *inf;
        exhv_buf_printf(&k, "%s\\%s", cls, s[i]);
        if (!exhv_buf_ok(&k)) {
            exhv_buf_release(&k);
            continue;
        }
        desc = reg_text(c, exhv_buf_str(&k), "DriverDesc");
        prov = reg_text(c, exhv_buf_str(&k), "ProviderName");
        inf = reg_text(c, exhv_buf_str(&k), "InfPath");
        if (desc && prov && inf &&
            (exhv_contains_ci(desc, "Hyper-V Video") || exhv_strcaseeq(inf, "wvmbusvideo.inf")) &&
            exhv_contains_ci(prov, "Microsoft") &&
            (!best || exhv_strcasecmp(exhv_buf_str(&k), best) < 0)) {
            free(best);
            best = exhv_buf_detach(&k);
        }
        free(desc);
        free(prov);
        free(inf);
        exhv_buf_release(&k);
    }
    exhv_strv_free(v, nv);
    exhv_strv_free(s, ns);
    return best;
}

static int intel(plan *p, const exhv_drv_need *need, char sets[4][16], size_t nsets,
                 exhv_error *err)
{
    enum { N = sizeof(intel_values) / sizeof(intel_values[0]) };
    exhv_regval host[N];
    int have[N] = {0}, any = 0, rc = -1, r, level_zero = -1;
    const char *num = need->class_key ? strrchr(need->class_key, '\\') : NULL;
    exhv_buf cls = EXHV_BUF_INIT, key = EXHV_BUF_INIT;
    char *anchors[4] = {NULL, NULL, NULL, NULL};

    memset(host, 0, sizeof(host));
    if (!num || !num[1]) {
        exhv_error_set(err, EXHV_E_USAGE, "the adapter has no class key to read its runtime "
                       "values from");
        goto out;
    }
    num++;
    for (size_t i = 0; i < N; i++) {
        r = p->c->ops->reg_get(p->c->ctx, need->class_key, intel_values[i], &host[i], err);
        if (r == -2)
            continue;
        if (r < 0)
            goto out;
        if (rewrite(&host[i]) < 0) {
            oom(err);
            goto out;
        }
        have[i] = any = 1;
        if (strcmp(intel_values[i], "LevelZeroDriverPath") == 0)
            level_zero = (int)i;
    }
    if (!any) {
        rc = 0;
        goto out;
    }
    /* Check every control set before planning a write. */
    for (size_t s = 0; s < nsets; s++) {
        int failed;
        exhv_buf_reset(&cls);
        exhv_buf_reset(&key);
        exhv_buf_printf(&cls, "%s\\%s\\Control\\Class\\" DISPLAY_CLASS, p->root, sets[s]);
        exhv_buf_printf(&key, "%s\\%s", exhv_buf_str(&cls), num);
        if (!exhv_buf_ok(&cls) || !exhv_buf_ok(&key)) {
            oom(err);
            goto out;
        }
        if ((r = key_exists(p->c, exhv_buf_str(&key), err)) < 0)
            goto out;
        if (r) {
            int ok = intel_target_ok(p->c, exhv_buf_str(&key));
            if (ok < 0) {
                oom(err);
                goto out;
            }
            if (!ok) {
                exhv_error_set(err, EXHV_E_FAILED, "the guest's display class key %s belongs to "
                               "another display driver: the Intel runtime values were not "
                               "written (nothing was written)", exhv_buf_str(&key));
                goto out;
            }
        }
        if (level_zero < 0)
            continue;
        anchors[s] = hyperv_video(p->c, exhv_buf_str(&cls), err, &failed);
        if (failed)
            goto out;
        if (!anchors[s] && s == 0) {
            exhv_error_set(err, EXHV_E_NOT_FOUND, "the guest's %s has no Microsoft Hyper-V Video "
                           "display key, where Intel's Level Zero loader looks for "
                           "LevelZeroDriverPath before the GPU's first start: start the VM once "
                           "without the GPU partition, then import again; nothing was written",
                           sets[s]);
            goto out;
        }
    }
    for (size_t s = 0; s < nsets; s++) {
        exhv_buf_reset(&key);
        exhv_buf_printf(&key, "%s\\%s\\Control\\Class\\" DISPLAY_CLASS "\\%s", p->root, sets[s],
                        num);
        if (!exhv_buf_ok(&key)) {
            oom(err);
            goto out;
        }
        for (size_t i = 0; i < N; i++) {
            exhv_regval v;
            if (!have[i])
                continue;
            if (regval_copy(&v, &host[i]) < 0) {
                oom(err);
                goto out;
            }
            if (add_edit(p, exhv_buf_str(&key), intel_values[i], &v, err) < 0) {
                exhv_regval_release(&v);
                goto out;
            }
        }
        if (anchors[s]) {
            exhv_regval v;
            if (regval_copy(&v, &host[level_zero]) < 0) {
                oom(err);
                goto out;
            }
            if (add_edit(p, anchors[s], "LevelZeroDriverPath", &v, err) < 0) {
                exhv_regval_release(&v);
                goto out;
            }
        }
    }
    rc = 0;
out:
    for (size_t i = 0; i < N; i++)
        exhv_regval_release(&host[i]);
    for (size_t s = 0; s < 4; s++)
        free(anchors[s]);
    exhv_buf_release(&cls);
    exhv_buf_release(&key);
    return rc;
}

int exhv_guesthive_plan(exhv_conn *c, const char *hive_root, const exhv_drv_need *need,
                        exhv_hive_edit **out, size_t *n, exhv_error *err)
{
    plan p;
    char sets[4][16];
    size_t nsets = 0;
    int is_nv, is_intel;

    *out = NULL;
    *n = 0;
    if (!c->ops->reg_get || !c->ops->reg_set || !c->ops->reg_delete || !c->ops->reg_list)
        return exhv_error_set(err, EXHV_E_UNSUPPORTED, "this connection cannot edit a guest's "
                              "registry hive");
    is_nv = need->service && *need->service;
    is_intel = need->vendor && strcmp(need->vendor, "intel") == 0;
    if (!is_nv && !is_intel)
        return 0;
    memset(&p, 0, sizeof(p));
    p.c = c;
    p.root = hive_root;
    if (control_sets(c, hive_root, sets, &nsets, err) < 0 ||
        (is_nv && nvidia(&p, need, sets, nsets, err) < 0) ||
        (is_intel && intel(&p, need, sets, nsets, err) < 0)) {
        exhv_guesthive_release(p.e, p.n);
        return -1;
    }
    *out = p.e;
    *n = p.n;
    return 0;
}

/* Put one edit back. 0, or -1 with why in err. */
static int undo_one(exhv_conn *c, exhv_hive_edit *e, exhv_error *err)
{
    char *k;
    int rc = 0;
    if (e->had_old) {
        if (c->ops->reg_set(c->ctx, e->key, e->value, &e->old, err) < 0)
            return -1;
    } else if (c->ops->reg_delete(c->ctx, e->key, e->value, err) < 0) {
        return -1;
    }
    if (!e->created_depth)
        return 0;
    if (!(k = exhv_strdup(e->key)))
        return oom(err);
    for (int d = 0; d < e->created_depth && rc == 0; d++) {
        char *sep;
        int r;
        if (c->ops->reg_delete(c->ctx, k, NULL, err) < 0 || (r = key_exists(c, k, err)) < 0) {
            rc = -1;
            break;
        }
        if (r) {
            rc = exhv_error_set(err, EXHV_E_FAILED, "the key %s that exhv created was kept: it "
                                "still holds values or keys", k);
            break;
        }
        if ((sep = strrchr(k, '\\')))
            *sep = '\0';
    }
    free(k);
    return rc;
}

static int undo_upto(exhv_conn *c, exhv_hive_edit *e, size_t n, exhv_buf *left)
{
    int failed = 0;
    for (size_t i = n; i-- > 0;) {
        exhv_error why;
        if (e[i].state != EXHV_HIVE_APPLIED && e[i].state != EXHV_HIVE_UNDO_FAILED)
            continue;
        exhv_error_clear(&why);
        if (undo_one(c, &e[i], &why) == 0) {
            e[i].state = EXHV_HIVE_UNDONE;
            continue;
        }
        e[i].state = EXHV_HIVE_UNDO_FAILED;
        exhv_buf_printf(left, "%s%s\\%s (%s)", failed++ ? "; " : "", e[i].key, e[i].value,
                        why.message);
    }
    return failed;
}

int exhv_guesthive_apply(exhv_conn *c, exhv_hive_edit *e, size_t n, exhv_error *err)
{
    for (size_t i = 0; i < n; i++) {
        exhv_buf left = EXHV_BUF_INIT;
        int failed;
        if (e[i].state != EXHV_HIVE_PLANNED)
            continue;
        e[i].state = EXHV_HIVE_APPLIED;
        if (c->ops->reg_set(c->ctx, e[i].key, e[i].value, &e[i].val, err) >= 0)
            continue;
        exhv_error_prefix(err, "writing %s\\%s in the guest's hive", e[i].key, e[i].value);
        failed = undo_upto(c, e, i + 1, &left);
        if (failed)
            exhv_error_prefix(err, "%d of the guest hive's edits could not be undone and are "
                              "still in the hive: %s; the write that failed", failed,
                              exhv_buf_str(&left));
        else
            exhv_error_prefix(err, "the guest's hive is as it was (every edit was undone); the "
                              "write that failed");
        exhv_buf_release(&left);
        return -1;
    }
    return 0;
}

int exhv_guesthive_undo(exhv_conn *c, exhv_hive_edit *e, size_t n, exhv_error *err)
{
    exhv_buf left = EXHV_BUF_INIT;
    int failed = undo_upto(c, e, n, &left);
    if (failed)
        exhv_error_set(err, EXHV_E_FAILED, "%d of the guest hive's edits could not be undone "
                       "and are still in the hive: %s", failed, exhv_buf_str(&left));
    exhv_buf_release(&left);
    return failed ? -1 : 0;
}

void exhv_guesthive_release(exhv_hive_edit *e, size_t n)
{
    for (size_t i = 0; e && i < n; i++) {
        free(e[i].key);
        free(e[i].value);
        exhv_regval_release(&e[i].val);
        exhv_regval_release(&e[i].old);
    }
    free(e);
}

/* "HKLM\x\y" as a PowerShell registry path "HKLM:\x\y". */
static void ps_path(exhv_buf *out, const char *key)
{
    exhv_buf p = EXHV_BUF_INIT;
    if (exhv_starts_with_ci(key, "HKLM\\"))
        exhv_buf_printf(&p, "HKLM:\\%s", key + 5);
    else
        exhv_buf_puts(&p, key);
    exhv_pwsh_quote(out, exhv_buf_str(&p));
    exhv_buf_release(&p);
}

int exhv_guesthive_script(const exhv_hive_edit *e, size_t n, exhv_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        const exhv_regval *v = &e[i].val;
        if (e[i].created_depth) {
            exhv_buf_puts(out, "New-Item -Path ");
            ps_path(out, e[i].key);
            exhv_buf_puts(out, " -Force | Out-Null\n");
        }
        exhv_buf_puts(out, "New-ItemProperty -LiteralPath ");
        ps_path(out, e[i].key);
        exhv_buf_puts(out, " -Name ");
        exhv_pwsh_quote(out, e[i].value);
        switch (v->type) {
        case EXHV_REG_SZ:
        case EXHV_REG_EXPAND_SZ:
            exhv_buf_puts(out, v->type == EXHV_REG_SZ ? " -PropertyType String -Value "
                                                       : " -PropertyType ExpandString -Value ");
            exhv_pwsh_quote(out, v->str ? v->str : "");
            break;
        case EXHV_REG_MULTI_SZ:
            exhv_buf_puts(out, " -PropertyType MultiString -Value @(");
            for (size_t k = 0, first = 1; v->str && k < v->len && v->str[k]; first = 0) {
                if (!first)
                    exhv_buf_puts(out, ", ");
                exhv_pwsh_quote(out, v->str + k);
                k += strlen(v->str + k) + 1;
            }
            exhv_buf_puts(out, ")");
            break;
        case EXHV_REG_DWORD:
            /* A hex literal is an Int32 to PowerShell, as a DWord wants. */
            exhv_buf_printf(out, " -PropertyType DWord -Value 0x%08X", (unsigned)(uint32_t)v->num);
            break;
        case EXHV_REG_QWORD:
            exhv_buf_printf(out, " -PropertyType QWord -Value 0x%016llX",
                            (unsigned long long)v->num);
            break;
        case EXHV_REG_BINARY:
            exhv_buf_puts(out, " -PropertyType Binary -Value ([byte[]](");
            for (size_t k = 0; k < v->len && v->bin; k++)
                exhv_buf_printf(out, "%s0x%02x", k ? "," : "", v->bin[k]);
            exhv_buf_puts(out, "))");
            break;
        default:
            return -1;
        }
        exhv_buf_puts(out, " -Force | Out-Null\n");
    }
    return exhv_buf_ok(out) ? 0 : -1;
}
