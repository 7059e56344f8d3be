#include "resolve.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/inf.h"
#include "platform/fs.h"
#include "platform/tree.h"

void exhv_drv_need_release(exhv_drv_need *n)
{
    if (!n)
        return;
    free(n->vendor);
    free(n->class_key);
    free(n->inf_path);
    free(n->driver_version);
    free(n->driver_date);
    free(n->service);
    for (size_t i = 0; i < n->npkgs; i++) {
        free((char *)n->pkgs[i].name);
        free((char *)n->pkgs[i].host_dir);
    }
    free(n->pkgs);
    for (size_t i = 0; i < n->nfiles; i++) {
        free((char *)n->files[i].pkg);
        free((char *)n->files[i].src);
        free((char *)n->files[i].dst);
    }
    free(n->files);
    exhv_strv_free(n->warnings, n->nwarnings);
    memset(n, 0, sizeof(*n));
}

static int oom(exhv_error *err)
{
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

static int warn(exhv_drv_need *n, const char *fmt, const char *a, const char *b)
{
    exhv_buf w = EXHV_BUF_INIT;
    size_t cap = n->nwarnings;
    exhv_buf_printf(&w, fmt, a, b);
    if (!exhv_buf_ok(&w) || exhv_grow((void **)&n->warnings, &cap, n->nwarnings + 1,
                                      sizeof(char *)) < 0) {
        exhv_buf_release(&w);
        return -1;
    }
    n->warnings[n->nwarnings++] = exhv_buf_detach(&w);
    return 0;
}

/* The folder part of a path ('/' or '\'), and its last component. */
static char *dir_of(const char *p)
{
    const char *s = strrchr(p, '/'), *b = strrchr(p, '\\');
    if (b > s)
        s = b;
    return s ? exhv_strndup(p, (size_t)(s - p)) : NULL;
}

static const char *base_of(const char *p)
{
    const char *s = strrchr(p, '/'), *b = strrchr(p, '\\');
    if (b > s)
        s = b;
    return s ? s + 1 : p;
}

static int read_inf(const char *path, exhv_inf **inf, exhv_error *err)
{
    char *data = NULL;
    size_t len;
    int rc;
    if (exhv_fs_read_file(path, EXHV_INF_MAX_BYTES, &data, &len, err) < 0)
        return -1;
    rc = exhv_inf_parse(data, len, "0409", inf, err);
    free(data);
    return rc;
}

static int add_pkg(exhv_drv_need *n, const char *dir, exhv_error *err)
{
    size_t cap = n->npkgs;
    char *name = exhv_strdup(base_of(dir)), *d = exhv_strdup(dir);
    if (!name || !d || exhv_grow((void **)&n->pkgs, &cap, n->npkgs + 1, sizeof(exhv_drv_pkg)) < 0) {
        free(name);
        free(d);
        return oom(err);
    }
    n->pkgs[n->npkgs].name = name;
    n->pkgs[n->npkgs].host_dir = d;
    n->npkgs++;
    return 0;
}

static int add_file(exhv_drv_need *n, const char *pkg, const char *src, const char *dst,
                    int wow64, int when_newer, exhv_error *err)
{
    size_t cap = n->nfiles;
    exhv_drv_file *f;
    if (exhv_grow((void **)&n->files, &cap, n->nfiles + 1, sizeof(exhv_drv_file)) < 0)
        return oom(err);
    f = &n->files[n->nfiles];
    memset(f, 0, sizeof(*f));
    if (!(f->pkg = exhv_strdup(pkg)) || !(f->src = exhv_strdup(src)) || !(f->dst = exhv_strdup(dst))) {
        free((char *)f->pkg);
        free((char *)f->src);
        return oom(err);
    }
    f->wow64 = wow64;
    f->when_newer = when_newer;
    n->nfiles++;
    return 0;
}

static void tree_size(const char *dir, uint64_t *files, uint64_t *bytes)
{
    char **names = NULL;
    size_t cnt = 0;
    exhv_error ignored;
    if (exhv_fs_list(dir, &names, &cnt, &ignored) < 0)
        return;
    for (size_t i = 0; i < cnt; i++) {
        exhv_buf p = EXHV_BUF_INIT;
        exhv_fs_info fi;
        exhv_buf_printf(&p, "%s/%s", dir, names[i]);
        if (exhv_buf_ok(&p) && exhv_fs_info_get(exhv_buf_str(&p), &fi, &ignored) == 0) {
            if (fi.kind == EXHV_FS_DIR)
                tree_size(exhv_buf_str(&p), files, bytes);
            else if (fi.kind == EXHV_FS_FILE)
                (*files)++, *bytes += fi.size;
        }
        exhv_buf_release(&p);
    }
    exhv_strv_free(names, cnt);
}

/* A companion named by CopyINF: the FileRepository folder "<inf>_*" that
 * holds that INF with the primary's DriverVer; exactly one (ExHyperV's
 * GpuDriverPackageResolver.SelectExactCompanionPackage does the same). */
static int companion(exhv_drv_need *n, const char *repo, const char *inf_name, exhv_error *err)
{
    char **names = NULL;
    size_t cnt = 0;
    char *hit = NULL;
    int nhits = 0, rc = 0;
    exhv_buf prefix = EXHV_BUF_INIT;

    if (!exhv_relpath_safe(inf_name) || strchr(inf_name, '\\') || strchr(inf_name, '/'))
        return warn(n, "the INF names a companion '%s'%s that is not a file name: left out",
                    inf_name, "") < 0 ? oom(err) : 0;
    if (exhv_fs_list(repo, &names, &cnt, err) < 0)
        return -1;
    exhv_buf_printf(&prefix, "%s_", inf_name);
    for (size_t i = 0; i < cnt; i++) {
        exhv_buf p = EXHV_BUF_INIT;
        exhv_inf *inf = NULL;
        exhv_error ignored;
        if (!exhv_starts_with_ci(names[i], exhv_buf_str(&prefix)))
            continue;
        exhv_buf_printf(&p, "%s/%s/%s", repo, names[i], inf_name);
        if (exhv_buf_ok(&p) && read_inf(exhv_buf_str(&p), &inf, &ignored) == 0) {
            const char *v = exhv_inf_driver_version(inf), *d = exhv_inf_driver_date(inf);
            if (v && d && n->driver_version && n->driver_date &&
                strcmp(v, n->driver_version) == 0 && strcmp(d, n->driver_date) == 0) {
                if (nhits++ == 0) {
                    exhv_buf q = EXHV_BUF_INIT;
                    exhv_buf_printf(&q, "%s/%s", repo, names[i]);
                    hit = exhv_buf_detach(&q);
                }
            }
        }
        exhv_inf_free(inf);
        exhv_buf_release(&p);
    }
    if (nhits == 1 && hit)
        rc = add_pkg(n, hit, err);
    else if (warn(n, nhits ? "the companion %s has %s packages of the display driver's version: "
                             "left out (exhv does not guess)"
                           : "the companion %s has no package of the display driver's version%s: "
                             "left out",
                  inf_name, nhits ? "several" : "") < 0)
        rc = oom(err);
    free(hit);
    exhv_buf_release(&prefix);
    exhv_strv_free(names, cnt);
    return rc;
}

/* The extra files the vendors' CopyToVm* lists leave out and the anchors
 * copy by hand (reference/driver-import.md, §1.5 and §3): taken only when
 * the package has them. */
static const struct extra {
    const char *vendor, *src, *dst;
    int wow64;
} extras[] = {
    {"nvidia", "nvapi64.dll", "nvapi64.dll", 0},
    {"nvidia", "nvcuda_loader64.dll", "nvcuda.dll", 0},
    {"nvidia", "nvml_loader.dll", "nvml.dll", 0},
    {"nvidia", "nvcuvid64.dll", "nvcuvid.dll", 0},
    {"nvidia", "nvEncodeAPI64.dll", "nvEncodeAPI64.dll", 0},
    {"nvidia", "NvFBC64.dll", "NvFBC64.dll", 0},
    {"nvidia", "NvIFR64.dll", "NvIFR64.dll", 0},
    {"nvidia", "nvofapi64.dll", "nvofapi64.dll", 0},
    {"nvidia", "nvidia-smi.exe", "nvidia-smi.exe", 0},
    {"nvidia", "nvapi.dll", "nvapi.dll", 1},
    {"nvidia", "nvcuda_loader32.dll", "nvcuda.dll", 1},
    {"amd", "atidxxstub64.dll", "atidxx64.dll", 0},
    {"amd", "amdxcstub64.dll", "amdxc64.dll", 0},
    {"intel", "ControlLib.dll", "ControlLib.dll", 0},
    {"intel", "mfx_loader_dll_hw64.dll", "libmfxhw64.dll", 0},
    {"intel", "vpl_dispatcher_64.dll", "libvpl.dll", 0},
    {"intel", "ze_loader.dll", "ze_loader.dll", 0},
};

static const char *vendor_of(const char *hint, const char *provider)
{
    const char *s[2] = {hint, provider};
    for (int i = 0; i < 2; i++) {
        if (!s[i])
            continue;
        if (exhv_contains_ci(s[i], "NVIDIA"))
            return "nvidia";
        if (exhv_contains_ci(s[i], "AMD") || exhv_contains_ci(s[i], "Advanced Micro") ||
            exhv_contains_ci(s[i], "ATI"))
            return "amd";
        if (exhv_contains_ci(s[i], "Intel"))
            return "intel";
    }
    return "other";
}

/* CopyToVm* of the class key: REG_SZ src, or REG_MULTI_SZ {src[, dst]}. */
static int copy_to_vm(exhv_conn *c, exhv_drv_need *n, exhv_error *err)
{
    static const struct {
        const char *name;
        int when_newer, wow64;
    } subs[] = {{"CopyToVmOverwrite", 0, 0},
                {"CopyToVmWhenNewer", 1, 0},
                {"CopyToVmOverwriteWow64", 0, 1},
                {"CopyToVmWhenNewerWow64", 1, 1}};
    for (size_t s = 0; s < 4; s++) {
        exhv_buf key = EXHV_BUF_INIT;
        char **vals = NULL, **subk = NULL;
        size_t nv = 0, ns = 0;
        int r;
        exhv_buf_printf(&key, "%s\\%s", n->class_key, subs[s].name);
        if (!exhv_buf_ok(&key))
            return oom(err);
        r = c->ops->reg_list(c->ctx, exhv_buf_str(&key), &vals, &nv, &subk, &ns, err);
        if (r == -2) {
            exhv_buf_release(&key);
            continue;
        }
        if (r < 0) {
            exhv_buf_release(&key);
            return -1;
        }
        for (size_t i = 0; i < nv && r == 0; i++) {
            exhv_regval v = {0};
            exhv_inf_ctv ctv;
            const char *src = NULL, *dst = NULL;
            if (c->ops->reg_get(c->ctx, exhv_buf_str(&key), vals[i], &v, err) != 0) {
                r = -1;
                break;
            }
            if ((v.type == EXHV_REG_SZ || v.type == EXHV_REG_MULTI_SZ) && v.str && v.str[0]) {
                src = v.str;
                if (v.type == EXHV_REG_MULTI_SZ && strlen(src) + 1 < v.len && src[strlen(src) + 1])
                    dst = src + strlen(src) + 1;
                if (!dst)
                    dst = base_of(src);
                ctv.name = vals[i];
                ctv.src = (char *)src;
                ctv.dst = (char *)dst;
                ctv.when_newer = subs[s].when_newer;
                ctv.wow64 = subs[s].wow64;
                /* A host registry value that leaves its package: refused,
                 * nothing is copied. */
                if (exhv_inf_ctv_check(&ctv, err) < 0) {
                    exhv_error_prefix(err, "%s", exhv_buf_str(&key));
                    r = -1;
                } else {
                    r = add_file(n, n->pkgs[0].name, src, dst, subs[s].wow64, subs[s].when_newer,
                                 err);
                }
            }
            exhv_regval_release(&v);
        }
        exhv_strv_free(vals, nv);
        exhv_strv_free(subk, ns);
        exhv_buf_release(&key);
        if (r < 0)
            return -1;
    }
    return 0;
}

static char *reg_str(exhv_conn *c, const char *key, const char *value)
{
    exhv_regval v = {0};
    exhv_error ignored;
    char *s = NULL;
    if (c->ops->reg_get(c->ctx, key, value, &v, &ignored) == 0 && v.type == EXHV_REG_SZ && v.str)
        s = exhv_strdup(v.str);
    exhv_regval_release(&v);
    return s;
}

int exhv_drv_resolve(exhv_conn *c, const char *driver_key, const char *vendor_hint,
                     exhv_drv_need *out, exhv_error *err)
{
    exhv_drv_need n;
    exhv_buf key = EXHV_BUF_INIT;
    char *inf_file = NULL, *pkg = NULL, *repo = NULL, *section = NULL, *provider = NULL;
    exhv_inf *inf = NULL;
    exhv_inf_install in;
    int rc = -1, r;

    memset(&n, 0, sizeof(n));
    memset(&in, 0, sizeof(in));
    if (!c->ops->drv_inf_location || !c->ops->reg_list)
        return exhv_error_set(err, EXHV_E_UNSUPPORTED, "this connection cannot read the host's "
                              "driver store");
    if (!driver_key || !*driver_key)
        return exhv_error_set(err, EXHV_E_NOT_FOUND, "the GPU has no driver on the host (no "
                              "class key): install its driver first");
    exhv_buf_printf(&key, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\%s", driver_key);
    if (!exhv_buf_ok(&key) || !(n.class_key = exhv_buf_detach(&key)))
        goto nomem;
    if (!(n.inf_path = reg_str(c, n.class_key, "InfPath"))) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "%s has no InfPath: the GPU's driver is not "
                       "installed from a driver package", n.class_key);
        goto out;
    }
    section = reg_str(c, n.class_key, "InfSection");
    provider = reg_str(c, n.class_key, "ProviderName");
    if (!(n.vendor = exhv_strdup(vendor_of(vendor_hint, provider))))
        goto nomem;
    if ((r = c->ops->drv_inf_location(c->ctx, n.inf_path, &inf_file, err)) < 0) {
        exhv_error_prefix(err, "the GPU's driver %s", n.inf_path);
        goto out;
    }
    /* The INF's folder is the package; its parent must be FileRepository. */
    if (!(pkg = dir_of(inf_file)) || !(repo = dir_of(pkg)) ||
        !exhv_strcaseeq(base_of(repo), "FileRepository") ||
        !exhv_relpath_safe(base_of(pkg))) {
        exhv_error_set(err, EXHV_E_FAILED, "the driver store puts %s at %s, which is not in a "
                       "FileRepository folder: exhv does not know what to copy (exhv inf FILE "
                       "shows what the INF installs)", n.inf_path, inf_file);
        goto out;
    }
    if (read_inf(inf_file, &inf, err) < 0) {
        exhv_error_prefix(err, "reading %s", inf_file);
        goto out;
    }
    if ((exhv_inf_driver_version(inf) && !(n.driver_version = exhv_strdup(exhv_inf_driver_version(inf)))) ||
        (exhv_inf_driver_date(inf) && !(n.driver_date = exhv_strdup(exhv_inf_driver_date(inf)))))
        goto nomem;
    if (add_pkg(&n, pkg, err) < 0)
        goto out;
    if (strcmp(n.vendor, "nvidia") == 0 && !(n.service = exhv_strdup("nvlddmkm")))
        goto nomem;
    /* Companions from the install section the host chose. */
    if (section && exhv_inf_install_section(inf, section, &in, err) == 0) {
        for (size_t i = 0; i < in.ncopy_inf; i++)
            if (companion(&n, repo, in.copy_inf[i], err) < 0)
                goto out;
    } else if (warn(&n, "the class key names no install section of %s%s: companion packages "
                        "(CopyINF) left out", n.inf_path, "") < 0) {
        goto nomem;
    }
    if (copy_to_vm(c, &n, err) < 0)
        goto out;
    for (size_t i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
        exhv_buf p = EXHV_BUF_INIT;
        exhv_fs_info fi;
        exhv_error ignored;
        if (strcmp(extras[i].vendor, n.vendor) != 0)
            continue;
        exhv_buf_printf(&p, "%s/%s", pkg, extras[i].src);
        if (exhv_buf_ok(&p) && exhv_fs_info_get(exhv_buf_str(&p), &fi, &ignored) == 0 &&
            fi.kind == EXHV_FS_FILE &&
            add_file(&n, n.pkgs[0].name, extras[i].src, extras[i].dst, extras[i].wow64, 1, err) < 0) {
            exhv_buf_release(&p);
            goto out;
        }
        exhv_buf_release(&p);
    }
    for (size_t i = 0; i < n.npkgs; i++)
        tree_size(n.pkgs[i].host_dir, &n.pkg_files, &n.pkg_bytes);
    *out = n;
    memset(&n, 0, sizeof(n));
    rc = 0;
    goto out;
nomem:
    oom(err);
out:
    exhv_inf_install_release(&in);
    exhv_inf_free(inf);
    exhv_drv_need_release(&n);
    exhv_buf_release(&key);
    free(inf_file);
    free(pkg);
    free(repo);
    free(section);
    free(provider);
    return rc;
}
