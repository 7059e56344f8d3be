#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/pwsh.h"
#include "hyperv/resolve.h"
#include "platform/interrupt.h"
#include "platform/tree.h"

/* What the steps of one plan open and keep between them: the disk, the
 * Windows folder, the hive, the copy's undo log, the record as it was. */
typedef struct exhv_guest_session {
    void *disk;
    char *disk_path;
    char *windows;
    char *hive;             /* loaded as HKLM\<hive>, or NULL */
    exhv_drv_undo *undo;    /* the copy's or purge's log, until committed or undone */
    int undo_kept;          /* a step failed or was undone: never drop what is set aside */
    exhv_drv_stats stats;
    int copied;
    /* the record as it was before DRV_RECORD */
    int rec_saved, rec_created;
    char *rec_key;
    char **rec_names;
    exhv_regval *rec_old;
    int *rec_had;
    size_t rec_n;
    exhv_import_progress_fn progress;
    void *progress_ud;
    /* hive edits (import_hive.c) */
    void *edits;
    size_t nedits;
} exhv_guest_session;

static exhv_guest_session *session(exhv_conn *c)
{
    if (!c->guest)
        c->guest = calloc(1, sizeof(exhv_guest_session));
    return c->guest;
}

static int oom(exhv_error *err)
{
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

/* err's message, then a sentence saying what to do (already translated);
 * the platform code stays. */
static void add_advice(exhv_error *err, const char *advice)
{
    exhv_error keep = *err;
    exhv_error_set(err, keep.code, "%s. %s", keep.message, advice);
    err->plat_kind = keep.plat_kind;
    err->plat_code = keep.plat_code;
    memcpy(err->plat_text, keep.plat_text, sizeof(err->plat_text));
}

void exhv_import_set_progress(exhv_conn *c, exhv_import_progress_fn fn, void *ud)
{
    exhv_guest_session *g = session(c);
    if (g) {
        g->progress = fn;
        g->progress_ud = ud;
    }
}

int exhv_import_stats(const exhv_conn *c, exhv_drv_stats *out)
{
    const exhv_guest_session *g = c->guest;
    if (!g || !g->copied)
        return 0;
    *out = g->stats;
    return g->copied;
}

static void record_release(exhv_guest_session *g)
{
    for (size_t i = 0; i < g->rec_n; i++)
        exhv_regval_release(&g->rec_old[i]);
    exhv_strv_free(g->rec_names, g->rec_n);
    free(g->rec_old);
    free(g->rec_had);
    free(g->rec_key);
    g->rec_names = NULL;
    g->rec_old = NULL;
    g->rec_had = NULL;
    g->rec_key = NULL;
    g->rec_n = 0;
    g->rec_saved = g->rec_created = 0;
}

/* Hive edits live in import_hive.c (over hyperv/guesthive.h). The plan
 * step: 1 when the vendor needs hive values (HIVE_LOAD and HIVE_EDIT added,
 * with the copy step's driver), 0 when not, -1. */
int exhv_import_hive_plan_step(const exhv_vm *vm, const exhv_drv_need *need, const char *hive,
                               const exhv_step *copy, exhv_plan *p, exhv_error *err);
int exhv_import_hive_edit(exhv_conn *c, const char *hive_root, const exhv_step *s,
                          void **edits, size_t *nedits, exhv_error *err);
int exhv_import_hive_unedit(exhv_conn *c, void *edits, size_t nedits, exhv_error *err);
void exhv_import_hive_release(void *edits, size_t nedits);

void exhv_import_session_end(exhv_conn *c)
{
    exhv_guest_session *g = c ? c->guest : NULL;
    exhv_error ignored;
    if (!g)
        return;
    if (g->hive && c->ops->hive_unload)
        c->ops->hive_unload(c->ctx, g->hive, &ignored);
    if (g->disk && c->ops->vhd_detach)
        c->ops->vhd_detach(c->ctx, g->disk, &ignored);
    /* An undo log still open means the plan did not get to drop or put
     * back what was set aside: it stays in exhv-undo for a person. */
    exhv_drv_undo_free(g->undo);
    exhv_import_hive_release(g->edits, g->nedits);
    record_release(g);
    free(g->disk_path);
    free(g->windows);
    free(g->hive);
    free(g);
    c->guest = NULL;
}

/* ---------------- planning ---------------- */

static char *recorded_gpu(exhv_conn *c, const exhv_vm *vm);

int exhv_plan_vm_off(const exhv_vm *vm, int stop, exhv_plan *p, exhv_error *err)
{
    exhv_step s = {0};
    if (vm->state == EXHV_VM_OFF)
        return 0;
    if (vm->state == EXHV_VM_RUNNING && stop) {
        s.kind = EXHV_STEP_VM_SHUTDOWN;
        s.vm_id = vm->id;
        s.vm_name = vm->name;
        s.old_value = 2;
        s.new_value = 3;
        s.reason = (char *)exhv_tr("A VM's disk can be opened on the host only while the VM is off "
                           "(--stop).");
        return exhv_plan_add_step(p, &s) ? 0 : oom(err);
    }
    if (vm->state == EXHV_VM_RUNNING)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "VM %s is running, and its disk can be opened on the host only "
                              "while it is off: shut it down first, or pass --stop to let exhv "
                              "shut it down (it is turned off if the guest does not stop within "
                              "a minute)", vm->name);
    return exhv_error_set(err, EXHV_E_FAILED,
                          "VM %s is %s: its disk can be opened on the host only while it is "
                          "off. Shut it down or turn it off, then try again", vm->name,
                          exhv_enum_label(EXHV_ENUM_VM_STATE, (int)vm->state));
}

static int is_virtual_disk(const char *p)
{
    size_t n = strlen(p);
    static const char *const ext[] = {".vhdx", ".vhd", ".avhdx", ".avhd"};
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        size_t e = strlen(ext[i]);
        if (n > e && exhv_strcaseeq(p + n - e, ext[i]))
            return 1;
    }
    return 0;
}

/* The VM's disk that holds its Windows: its first virtual disk (the one
 * it boots from, in the order Hyper-V lists them). */
static const char *vm_disk(const exhv_vm *vm, exhv_plan *p, exhv_error *err)
{
    if (!vm->ndisks) {
        exhv_error_set(err, EXHV_E_NOT_FOUND,
                       "VM %s has no virtual hard disk, so exhv has no guest to put the GPU's "
                       "driver into. Give the VM its disk first, or give --no-drivers and "
                       "copy the driver by hand", vm->name);
        return NULL;
    }
    if (!vm->disks[0] || !is_virtual_disk(vm->disks[0])) {
        exhv_error_set(err, EXHV_E_UNSUPPORTED,
                       "VM %s's first disk (%s) is not a virtual hard disk (.vhdx, .vhd): exhv "
                       "does not take a pass-through physical disk away from its VM. Give "
                       "--no-drivers and copy the driver by hand", vm->name,
                       vm->disks[0] ? vm->disks[0] : "");
        return NULL;
    }
    if (vm->ndisks > 1 &&
        exhv_plan_add_note(p, "VM %s has %zu disks: the driver goes into the first, %s, which "
                              "must hold its Windows.", vm->name, vm->ndisks, vm->disks[0]) < 0) {
        oom(err);
        return NULL;
    }
    return vm->disks[0];
}

/* The GPU whose driver the guest needs: the chosen one, or the one Hyper-V
 * gives the VM when it chooses (the first partitionable GPU). */
static const exhv_gpu *import_gpu(const exhv_host *h, const exhv_gpu *gpu)
{
    if (gpu)
        return gpu;
    for (size_t i = 0; i < h->ngpus; i++)
        if (h->gpus[i].partitionable)
            return &h->gpus[i];
    return NULL;
}

static const char *gpu_driver_key(const exhv_host *h, const exhv_gpu *g)
{
    for (size_t i = 0; i < h->ndevices; i++)
        if (h->devices[i].pnp.instance_id && g->instance_id &&
            exhv_strcaseeq(h->devices[i].pnp.instance_id, g->instance_id))
            return h->devices[i].pnp.driver_key;
    return NULL;
}

static void hive_name(exhv_buf *b, const exhv_vm *vm)
{
    exhv_buf_puts(b, "exhv-guest-");
    for (const char *q = vm->id; q && *q; q++)
        if ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F') ||
            *q == '-')
            exhv_buf_putc(b, *q);
}

/* A host driver store path in the script: where Windows keeps it, below
 * $env:SystemRoot (the script runs on the host), whatever folder this
 * connection read it from. pkg NULL: FileRepository itself. */
static void quote_host_path(exhv_buf *b, const char *pkg, const char *rel)
{
    exhv_buf p = EXHV_BUF_INIT;
    exhv_buf_puts(&p, "System32\\DriverStore\\FileRepository");
    if (pkg)
        exhv_buf_printf(&p, "\\%s", pkg);
    if (rel)
        exhv_buf_printf(&p, "\\%s", rel);
    for (size_t i = 0; i < p.len; i++)
        if (p.data[i] == '/')
            p.data[i] = '\\';
    exhv_buf_puts(b, "(Join-Path $env:SystemRoot ");
    exhv_pwsh_quote(b, exhv_buf_str(&p));
    exhv_buf_putc(b, ')');
    exhv_buf_release(&p);
}

static void guest_path(exhv_buf *b, const char *rel)
{
    exhv_buf_puts(b, "(Join-Path $exhvWindows ");
    exhv_pwsh_quote(b, rel);
    exhv_buf_putc(b, ')');
}

/* What robocopy and Copy-Item would do for the copy step. exhv itself also
 * keeps a manifest, sets aside the guest files it replaces and prunes the
 * packages it put there before; the script says so. */
static void copy_script(exhv_buf *b, const exhv_drv_pkg *pkgs, size_t npkgs,
                        const exhv_drv_file *files, size_t nfiles, const char *repo_all)
{
    exhv_buf_puts(b, exhv_tr("# exhv also records what it copies in "
                             "HostDriverStore\\exhv-manifest.json, keeps guest files it replaces "
                             "and removes older packages it put there; this script does not."));
    exhv_buf_putc(b, '\n');
    exhv_buf_puts(b, "if (Test-Path -LiteralPath ");
    guest_path(b, "System32\\HostDriverStore");
    exhv_buf_puts(b, ") { attrib.exe -R ");
    guest_path(b, "System32\\HostDriverStore\\*");
    exhv_buf_puts(b, " /S /D }\n");
    if (repo_all) {
        /* --all-packages: the whole FileRepository, as the seed copies it. */
        exhv_buf_puts(b, "robocopy.exe ");
        quote_host_path(b, NULL, NULL);
        exhv_buf_putc(b, ' ');
        guest_path(b, "System32\\HostDriverStore\\FileRepository");
        exhv_buf_puts(b, " /E /XJ /R:1 /W:1 /NFL /NDL /NJH /NJS; if ($LASTEXITCODE -ge 8) "
                         "{ throw 'robocopy failed' }\n");
    }
    for (size_t i = 0; !repo_all && i < npkgs; i++) {
        exhv_buf rel = EXHV_BUF_INIT;
        exhv_buf_printf(&rel, "System32\\HostDriverStore\\FileRepository\\%s", pkgs[i].name);
        exhv_buf_puts(b, "robocopy.exe ");
        quote_host_path(b, pkgs[i].name, NULL);
        exhv_buf_putc(b, ' ');
        guest_path(b, exhv_buf_str(&rel));
        exhv_buf_puts(b, " /MIR /XJ /R:1 /W:1 /NFL /NDL /NJH /NJS; if ($LASTEXITCODE -ge 8) "
                         "{ throw 'robocopy failed' }\n");
        exhv_buf_release(&rel);
    }
    for (size_t i = 0; i < nfiles; i++) {
        exhv_buf rel = EXHV_BUF_INIT;
        int dup = 0;
        /* The first file named for a destination wins, as in exhv's copy. */
        for (size_t k = 0; k < i && !dup; k++)
            dup = files[k].wow64 == files[i].wow64 && exhv_strcaseeq(files[k].dst, files[i].dst);
        if (dup)
            continue;
        exhv_buf_printf(&rel, "%s\\%s", files[i].wow64 ? "SysWOW64" : "System32", files[i].dst);
        if (files[i].wow64) {
            exhv_buf_puts(b, "if (Test-Path -LiteralPath ");
            guest_path(b, "SysWOW64");
            exhv_buf_puts(b, ") { ");
        }
        exhv_buf_puts(b, "Copy-Item -LiteralPath ");
        quote_host_path(b, files[i].pkg, files[i].src);
        exhv_buf_puts(b, " -Destination ");
        guest_path(b, exhv_buf_str(&rel));
        exhv_buf_puts(b, " -Force");
        if (files[i].wow64)
            exhv_buf_puts(b, " }");
        exhv_buf_putc(b, '\n');
        exhv_buf_release(&rel);
    }
    exhv_buf_puts(b, "attrib.exe +R ");
    guest_path(b, "System32\\HostDriverStore\\*");
    exhv_buf_puts(b, " /S /D");
}

static void record_script(exhv_buf *b, const exhv_vm *vm, const exhv_gpu *g,
                          const char *version, const char *inf, const char *packages, int all)
{
    exhv_buf key = EXHV_BUF_INIT;
    exhv_buf_printf(&key, "HKLM:\\SOFTWARE\\exhv\\GuestDrivers\\%s", vm->id);
    exhv_buf_puts(b, "$exhvRecord = ");
    exhv_pwsh_quote(b, exhv_buf_str(&key));
    exhv_buf_puts(b, "\nif (-not (Test-Path -LiteralPath $exhvRecord)) { New-Item -Path "
                     "$exhvRecord -Force | Out-Null }\n");
    exhv_buf_puts(b, "New-ItemProperty -Path $exhvRecord -Name VmName -Value ");
    exhv_pwsh_quote(b, vm->name);
    exhv_buf_puts(b, " -PropertyType String -Force | Out-Null\n"
                     "New-ItemProperty -Path $exhvRecord -Name GpuInstanceId -Value ");
    exhv_pwsh_quote(b, g->instance_id);
    exhv_buf_puts(b, " -PropertyType String -Force | Out-Null\n"
                     "New-ItemProperty -Path $exhvRecord -Name DriverVersion -Value ");
    exhv_pwsh_quote(b, version);
    exhv_buf_puts(b, " -PropertyType String -Force | Out-Null\n"
                     "New-ItemProperty -Path $exhvRecord -Name InfPath -Value ");
    exhv_pwsh_quote(b, inf);
    exhv_buf_puts(b, " -PropertyType String -Force | Out-Null\n"
                     "New-ItemProperty -Path $exhvRecord -Name Packages -Value @(");
    for (const char *q = packages; q && *q;) {
        const char *e = strchr(q, '\n');
        char *one = exhv_strndup(q, e ? (size_t)(e - q) : strlen(q));
        if (q != packages)
            exhv_buf_puts(b, ", ");
        exhv_pwsh_quote(b, one ? one : "");
        free(one);
        q = e ? e + 1 : q + strlen(q);
    }
    exhv_buf_printf(b, ") -PropertyType MultiString -Force | Out-Null\n"
                       "New-ItemProperty -Path $exhvRecord -Name AllPackages -Value %d "
                       "-PropertyType DWord -Force | Out-Null", all ? 1 : 0);
    exhv_buf_release(&key);
}

/* Every package folder of the host's FileRepository (--all-packages). */
static int all_packages(const char *repo, exhv_buf *names, uint64_t *files, uint64_t *bytes,
                        exhv_error *err);

static int tree_size(const char *dir, uint64_t *files, uint64_t *bytes, exhv_error *err)
{
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    if (exhv_fs_list(dir, &names, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        exhv_buf p = EXHV_BUF_INIT;
        exhv_fs_info fi;
        exhv_buf_printf(&p, "%s/%s", dir, names[i]);
        if (!exhv_buf_ok(&p))
            rc = oom(err);
        else if ((rc = exhv_fs_info_get(exhv_buf_str(&p), &fi, err)) == 0) {
            if (fi.kind == EXHV_FS_DIR)
                rc = tree_size(exhv_buf_str(&p), files, bytes, err);
            else if (fi.kind == EXHV_FS_FILE)
                (*files)++, *bytes += fi.size;
        }
        exhv_buf_release(&p);
    }
    exhv_strv_free(names, n);
    return rc;
}

static int all_packages(const char *repo, exhv_buf *names, uint64_t *files, uint64_t *bytes,
                        exhv_error *err)
{
    char **list = NULL;
    size_t n = 0;
    int rc = 0;
    if (exhv_fs_list(repo, &list, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        exhv_buf p = EXHV_BUF_INIT;
        exhv_fs_info fi;
        exhv_buf_printf(&p, "%s/%s", repo, list[i]);
        if ((rc = exhv_fs_info_get(exhv_buf_str(&p), &fi, err)) == 0 && fi.kind == EXHV_FS_DIR) {
            exhv_buf_printf(names, "%s%s", names->len ? "\n" : "", list[i]);
            rc = tree_size(exhv_buf_str(&p), files, bytes, err);
        }
        exhv_buf_release(&p);
    }
    exhv_strv_free(list, n);
    return rc;
}

/* The folder holding a package (its parent: FileRepository). New string. */
static char *parent_dir(const char *path)
{
    const char *a = strrchr(path, '/'), *b = strrchr(path, '\\');
    const char *e = a > b ? a : b;
    return e ? exhv_strndup(path, (size_t)(e - path)) : NULL;
}

int exhv_plan_drv_import(exhv_conn *c, const exhv_host *h, const exhv_vm *vm,
                         const exhv_gpu *gpu, const exhv_import_opts *o, exhv_plan *p,
                         exhv_error *err)
{
    const exhv_gpu *g = import_gpu(h, gpu);
    const char *disk, *key;
    exhv_drv_need need;
    exhv_buf hive = EXHV_BUF_INIT, pkgs = EXHV_BUF_INIT, script = EXHV_BUF_INIT;
    exhv_buf reason = EXHV_BUF_INIT;
    exhv_step s;
    size_t first = p->count, first_note = p->nnotes;
    uint64_t files = 0, bytes = 0;
    int rc = -1, hived = 0;

    memset(&need, 0, sizeof(need));
    if (!g)
        return exhv_error_set(err, EXHV_E_FAILED, "no GPU on this host can be partitioned, so "
                                                  "there is no driver to import");
    if (!(disk = vm_disk(vm, p, err)))
        return -1;
    if (!(key = gpu_driver_key(h, g)) || !*key) {
        exhv_error_set(err, EXHV_E_NOT_FOUND,
                       "the host does not say which driver GPU %u (%s) uses (its devnode has no "
                       "Driver value), so exhv cannot tell which files the guest needs. Give "
                       "--no-drivers and copy the driver by hand", g->index, g->name);
        goto out;
    }
    if (exhv_drv_resolve(c, key, g->vendor ? g->vendor : g->name, &need, err) < 0) {
        exhv_error_prefix(err, "the host driver of GPU %u (%s) cannot be imported", g->index,
                          g->name);
        add_advice(err, exhv_tr("Give --no-drivers to go on without importing it"));
        goto out;
    }
    {
        char *was = recorded_gpu(c, vm);
        if (was && g->instance_id && !exhv_strcaseeq(was, g->instance_id) &&
            exhv_plan_add_note(p, "The guest has the driver of another GPU (%s) from an earlier "
                                  "import: exhv keeps one GPU's driver in a guest, so this one "
                                  "replaces it.", was) < 0) {
            free(was);
            goto nomem;
        }
        free(was);
    }
    for (size_t i = 0; i < need.nwarnings; i++) {
        /* A sentence of its own in the plan's notes. */
        char *w = need.warnings[i];
        if (w[0] >= 'a' && w[0] <= 'z')
            w[0] = (char)(w[0] - 'a' + 'A');
        if (exhv_plan_add_note(p, "%s.", w) < 0)
            goto nomem;
    }
    if (o->all_packages) {
        char *repo = parent_dir(need.pkgs[0].host_dir);
        int x = repo ? all_packages(repo, &pkgs, &files, &bytes, err) : oom(err);
        free(repo);
        if (x < 0)
            goto out;
    } else {
        for (size_t i = 0; i < need.npkgs; i++)
            exhv_buf_printf(&pkgs, "%s%s", i ? "\n" : "", need.pkgs[i].name);
        files = need.pkg_files;
        bytes = need.pkg_bytes;
    }
    hive_name(&hive, vm);
    if (!exhv_buf_ok(&hive) || !exhv_buf_ok(&pkgs))
        goto nomem;

    memset(&s, 0, sizeof(s));
    s.kind = EXHV_STEP_DISK_ATTACH;
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.path = (char *)disk;
    s.reason = (char *)exhv_tr("The guest's drivers are files on its disk; the VM is off, so the host "
                       "can open it.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;

    memset(&s, 0, sizeof(s));
    s.kind = EXHV_STEP_DRV_COPY;
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.instance_id = g->instance_id;
    s.gpu_name = g->name;
    s.driver_key = (char *)key;
    s.version = need.driver_version;
    s.inf_path = need.inf_path;
    s.packages = (char *)exhv_buf_str(&pkgs);
    s.files = files;
    s.bytes = bytes;
    s.all_packages = o->all_packages;
    {
        char *repo = o->all_packages ? parent_dir(need.pkgs[0].host_dir) : NULL;
        exhv_drv_file *have = need.nfiles ? calloc(need.nfiles, sizeof(*have)) : NULL;
        size_t nhave = 0;
        if (need.nfiles && !have) {
            free(repo);
            goto nomem;
        }
        /* A file the package does not have is not copied (drvcopy.c): the
         * script leaves it out too, and the plan says so. */
        for (size_t i = 0; i < need.nfiles; i++) {
            const exhv_drv_file *f = &need.files[i];
            exhv_buf sp = EXHV_BUF_INIT;
            exhv_fs_info fi;
            exhv_error ignored;
            int dup = 0;
            /* The first file named for a destination is the one copied. */
            for (size_t k = 0; k < i && !dup; k++)
                dup = need.files[k].wow64 == f->wow64 && exhv_strcaseeq(need.files[k].dst, f->dst);
            if (dup)
                continue;
            fi.kind = EXHV_FS_NONE;
            for (size_t k = 0; k < need.npkgs; k++)
                if (strcmp(need.pkgs[k].name, f->pkg) == 0)
                    exhv_buf_printf(&sp, "%s/%s", need.pkgs[k].host_dir, f->src);
            for (char *q = sp.len ? (char *)exhv_buf_str(&sp) : NULL; q && *q; q++)
                if (*q == '\\')
                    *q = '/';
            if (sp.len && exhv_fs_info_get(exhv_buf_str(&sp), &fi, &ignored) < 0)
                fi.kind = EXHV_FS_NONE;
            exhv_buf_release(&sp);
            if (fi.kind == EXHV_FS_FILE)
                have[nhave++] = *f;
            else if (exhv_plan_add_note(p, "The package %s has no %s, which its CopyToVm value "
                                           "names for %s\\%s: left out.", f->pkg, f->src,
                                        f->wow64 ? "SysWOW64" : "System32", f->dst) < 0) {
                free(have);
                free(repo);
                goto nomem;
            }
        }
        copy_script(&script, need.pkgs, need.npkgs, have, nhave, repo);
        free(have);
        free(repo);
    }
    s.script = (char *)exhv_buf_str(&script);
    exhv_buf_puts(&reason, o->all_packages
                               ? exhv_tr("The host's GPU driver reports paths in its package "
                                         "folders; the guest finds them in "
                                         "System32\\HostDriverStore under the same names. "
                                         "--all-packages: every package of the host's driver "
                                         "store, as the seed did.")
                               : exhv_tr("The host's GPU driver reports paths in these package "
                                         "folders; the guest finds them in "
                                         "System32\\HostDriverStore under the same names. Older "
                                         "packages exhv put there are removed."));
    s.reason = (char *)exhv_buf_str(&reason);
    if (!exhv_plan_add_step(p, &s))
        goto nomem;

    if ((hived = exhv_import_hive_plan_step(vm, &need, exhv_buf_str(&hive), &p->steps[p->count - 1],
                                            p, err)) < 0)
        goto out;

    exhv_buf_reset(&script);
    record_script(&script, vm, g, need.driver_version, need.inf_path, exhv_buf_str(&pkgs),
                  o->all_packages);
    memset(&s, 0, sizeof(s));
    s.kind = EXHV_STEP_DRV_RECORD;
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.instance_id = g->instance_id;
    s.version = need.driver_version;
    s.inf_path = need.inf_path;
    s.packages = (char *)exhv_buf_str(&pkgs);
    s.all_packages = o->all_packages;
    s.new_value = 1;
    s.script = (char *)exhv_buf_str(&script);
    s.reason = (char *)exhv_tr("So that `exhv vms` can tell, without opening the disk, when the host's "
                       "driver is newer than the guest's.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;

    memset(&s, 0, sizeof(s));
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.cleanup = 1;
    s.kind = EXHV_STEP_DRV_COMMIT;
    s.reason = (char *)exhv_tr("Until then the files the copy replaced are kept, so that a failure puts "
                       "the guest back as it was.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;
    s.kind = EXHV_STEP_HIVE_UNLOAD;
    s.prop = (char *)exhv_buf_str(&hive);
    s.reason = (char *)exhv_tr("A hive left loaded keeps the guest's registry file open.");
    if (hived && !exhv_plan_add_step(p, &s))
        goto nomem;
    s.kind = EXHV_STEP_DISK_DETACH;
    s.prop = NULL;
    s.path = (char *)disk;
    s.reason = (char *)exhv_tr("The VM cannot start while its disk is attached to the host.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;
    rc = 0;
    goto out;
nomem:
    oom(err);
out:
    if (rc < 0)
        exhv_plan_truncate(p, first, first_note);
    exhv_drv_need_release(&need);
    exhv_buf_release(&hive);
    exhv_buf_release(&pkgs);
    exhv_buf_release(&script);
    exhv_buf_release(&reason);
    return rc;
}

int exhv_plan_drv_purge(exhv_conn *c, const exhv_host *h, const exhv_vm *vm, exhv_plan *p,
                        exhv_error *err)
{
    const char *disk;
    exhv_buf script = EXHV_BUF_INIT, key = EXHV_BUF_INIT;
    exhv_step s;
    size_t first = p->count, first_note = p->nnotes;
    int rc = -1;

    (void)c;
    (void)h;
    if (!(disk = vm_disk(vm, p, err)))
        return -1;
    memset(&s, 0, sizeof(s));
    s.kind = EXHV_STEP_DISK_ATTACH;
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.path = (char *)disk;
    s.reason = (char *)exhv_tr("What exhv put into the guest is listed in its manifest on the disk; the "
                       "VM is off, so the host can open it.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;
    memset(&s, 0, sizeof(s));
    s.kind = EXHV_STEP_DRV_PURGE;
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    exhv_buf_puts(&script, exhv_tr("# Removes what HostDriverStore\\exhv-manifest.json lists "
                                   "and puts back the guest files it names under \"backup\"."));
    exhv_buf_puts(&script, "\nattrib.exe -R ");
    guest_path(&script, "System32\\HostDriverStore\\*");
    exhv_buf_puts(&script, " /S /D\n$exhvManifest = Get-Content -Raw -LiteralPath ");
    guest_path(&script, "System32\\HostDriverStore\\exhv-manifest.json");
    /* The manifest is guest data: the loops take only what exhv itself
     * would (drvcopy.c, manifest_load and unplace): plain names, files of
     * a listed package, and a file with nothing set aside only when it is
     * the package's copy. */
    exhv_buf_puts(&script, " | ConvertFrom-Json\n"
                           "$exhvName = { param($n) $n -is [string] -and $n -match "
                           "'^[^\\\\/:*?\"<>|]+$' -and $n -ne '.' -and $n -ne '..' }\n"
                           "foreach ($f in $exhvManifest.files) { if (-not (& $exhvName $f.name) "
                           "-or $f.folder -notin 'System32','SysWOW64' -or -not (& $exhvName "
                           "$f.package) -or $exhvManifest.packages -notcontains $f.package -or "
                           "-not ($f.src -is [string]) -or $f.src -match "
                           "'(^|[\\\\/])\\.\\.?([\\\\/]|$)|^[\\\\/]|:') { continue }; "
                           "$t = Join-Path $exhvWindows (Join-Path $f.folder $f.name); "
                           "$b = if ($f.backup -like 'System32/HostDriverStore/exhv-backup/*' -and "
                           "$f.backup -notmatch '\\.\\.') { Join-Path $exhvWindows $f.backup }; "
                           "if ($b -and (Test-Path -LiteralPath $b)) { Remove-Item -LiteralPath $t "
                           "-Force -ErrorAction SilentlyContinue; Move-Item -LiteralPath $b "
                           "-Destination $t; if ($f.backup_readonly -eq $true) { attrib.exe +R $t } } "
                           "elseif ((Test-Path -LiteralPath $t) -and "
                           "(Get-FileHash -LiteralPath $t).Hash -eq (Get-FileHash -LiteralPath "
                           "(Join-Path $exhvWindows \"System32\\HostDriverStore\\FileRepository\\"
                           "$($f.package)\\$($f.src)\") -ErrorAction SilentlyContinue).Hash) { "
                           "Remove-Item -LiteralPath $t -Force } }\n"
                           "foreach ($p in $exhvManifest.packages) { if (& $exhvName $p) { "
                           "Remove-Item -LiteralPath "
                           "(Join-Path $exhvWindows \"System32\\HostDriverStore\\FileRepository\\$p\") "
                           "-Recurse -Force } }\n"
                           "Remove-Item -LiteralPath ");
    guest_path(&script, "System32\\HostDriverStore\\exhv-manifest.json");
    exhv_buf_puts(&script, " -Force");
    s.script = (char *)exhv_buf_str(&script);
    s.reason = (char *)exhv_tr("The packages and System32 files the manifest lists go; the guest files "
                       "they replaced come back.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;
    exhv_buf_reset(&script);
    exhv_buf_printf(&key, "HKLM:\\SOFTWARE\\exhv\\GuestDrivers\\%s", vm->id);
    exhv_buf_puts(&script, "Remove-Item -LiteralPath ");
    exhv_pwsh_quote(&script, exhv_buf_str(&key));
    exhv_buf_puts(&script, " -ErrorAction SilentlyContinue");
    memset(&s, 0, sizeof(s));
    s.kind = EXHV_STEP_DRV_RECORD;
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.new_value = 0;
    s.script = (char *)exhv_buf_str(&script);
    s.reason = (char *)exhv_tr("The guest no longer has drivers from exhv to go stale.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;
    memset(&s, 0, sizeof(s));
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.cleanup = 1;
    s.kind = EXHV_STEP_DRV_COMMIT;
    s.reason = (char *)exhv_tr("Until then what the purge removed is kept, so that a failure puts the "
                       "guest back as it was.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;
    s.kind = EXHV_STEP_DISK_DETACH;
    s.path = (char *)disk;
    s.reason = (char *)exhv_tr("The VM cannot start while its disk is attached to the host.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;
    if (exhv_plan_add_note(p, "Values exhv wrote into the guest's SYSTEM hive (the NVIDIA "
                              "service, Intel's class values) stay; they name HostDriverStore "
                              "files that are then gone.") < 0)
        goto nomem;
    rc = 0;
    goto out;
nomem:
    oom(err);
out:
    if (rc < 0)
        exhv_plan_truncate(p, first, first_note);
    exhv_buf_release(&script);
    exhv_buf_release(&key);
    return rc;
}

/* The GPU instance ID of the host's record of vm's guest drivers, or NULL. */
static char *recorded_gpu(exhv_conn *c, const exhv_vm *vm)
{
    exhv_buf key = EXHV_BUF_INIT;
    exhv_regval v;
    exhv_error ignored;
    char *id = NULL;
    exhv_buf_printf(&key, "%s\\%s", EXHV_DRV_RECORD_KEY, vm->id);
    if (exhv_buf_ok(&key) &&
        c->ops->reg_get(c->ctx, exhv_buf_str(&key), "GpuInstanceId", &v, &ignored) == 0) {
        if (v.type == EXHV_REG_SZ && v.str)
            id = exhv_strdup(v.str);
        exhv_regval_release(&v);
    }
    exhv_buf_release(&key);
    return id;
}

int exhv_plan_gpu_drivers(exhv_conn *c, const exhv_host *h, const exhv_vm *vm,
                          const exhv_import_opts *o, exhv_plan *plan, exhv_error *err)
{
    exhv_plan p;
    exhv_buf title = EXHV_BUF_INIT;
    const exhv_gpu *gpu = NULL;

    exhv_plan_init(&p);
    if (!h->hyperv)
        return exhv_error_set(err, EXHV_E_NO_HYPERV, "Hyper-V is not available on this host: "
                                                     "`exhv status` says what to do");
    if (!vm->nadapters)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "VM %s has no GPU partition adapter, so it has no GPU whose driver "
                              "to import: `exhv gpu add %s` adds one and imports its driver",
                              vm->name, vm->name);
    {
        /* The GPU an earlier import was for, when the VM still has a
         * partition of it; else the GPU of its first adapter whose GPU is
         * there (Hyper-V's choice when the adapter names none). */
        const exhv_gpu_adapter *a = NULL;
        char *was = recorded_gpu(c, vm);
        for (size_t i = 0; was && i < h->ngpus && !gpu; i++)
            if (h->gpus[i].instance_id && exhv_strcaseeq(h->gpus[i].instance_id, was))
                for (size_t k = 0; k < vm->nadapters && !gpu; k++)
                    if (!vm->adapters[k].stale && h->gpus[i].partition_path &&
                        exhv_strcaseeq(vm->adapters[k].instance_path, h->gpus[i].partition_path))
                        gpu = &h->gpus[i];
        free(was);
        for (size_t i = 0; i < vm->nadapters && !a; i++)
            if (!vm->adapters[i].stale)
                a = &vm->adapters[i];
        if (!a)
            return exhv_error_set(err, EXHV_E_NOT_FOUND,
                                  "VM %s's GPU partition adapters name GPUs the host no longer "
                                  "has: `exhv gpu remove %s --stale` removes them, and `exhv gpu "
                                  "add %s` adds one and imports its driver", vm->name, vm->name,
                                  vm->name);
        for (size_t i = 0; !gpu && i < h->ngpus && a->instance_path && *a->instance_path; i++)
            if (h->gpus[i].partition_path &&
                exhv_strcaseeq(h->gpus[i].partition_path, a->instance_path))
                gpu = &h->gpus[i];
    }
    exhv_buf_tprintf(&title, "Import the host's GPU driver into VM %s", vm->name);
    if (!(p.title = exhv_buf_detach(&title)))
        return oom(err);
    if (exhv_plan_vm_off(vm, o->stop, &p, err) < 0 ||
        exhv_plan_drv_import(c, h, vm, gpu, o, &p, err) < 0) {
        exhv_plan_release(&p);
        return -1;
    }
    *plan = p;
    return 0;
}

/* ---------------- running ---------------- */

static int need_windows(exhv_guest_session *g, exhv_error *err)
{
    if (g->windows)
        return 0;
    return exhv_error_set(err, EXHV_E_FAILED, "no guest disk is attached in this run: a step "
                                              "that attaches it comes first");
}

static int step_attach(exhv_conn *c, exhv_guest_session *g, const exhv_step *s, exhv_error *err)
{
    void *disk = NULL;
    char *windows = NULL;
    int bitlocker = 0, rc;
    if (!c->ops->vhd_attach || !c->ops->vhd_windows || !c->ops->vhd_detach)
        return exhv_error_set(err, EXHV_E_UNSUPPORTED, "this connection cannot open VM disks");
    if (g->disk)
        return exhv_error_set(err, EXHV_E_FAILED, "a disk is attached already in this run");
    if (c->ops->vhd_attach(c->ctx, s->path, &disk, err) < 0) {
        if (err->code == EXHV_E_NOT_FOUND)
            add_advice(err, exhv_tr("Give the VM its disk back, or give --no-drivers"));
        return -1;
    }
    if ((rc = c->ops->vhd_windows(c->ctx, disk, &windows, &bitlocker, err)) < 0) {
        exhv_error derr;
        if (rc == -2 && !bitlocker)
            add_advice(err, exhv_tr("exhv imports drivers into a Windows guest: for another "
                                    "guest, give --no-drivers"));
        /* The step changes nothing when it fails: the disk goes again. A
         * detach that fails leaves it to the cleanup step, which tries
         * again. */
        if (c->ops->vhd_detach(c->ctx, disk, &derr) < 0) {
            g->disk = disk;
            g->disk_path = exhv_strdup(s->path);
        }
        return -1;
    }
    g->disk = disk;
    g->windows = windows;
    if (!(g->disk_path = exhv_strdup(s->path)))
        return oom(err);
    return 0;
}

static int step_detach(exhv_conn *c, exhv_guest_session *g, exhv_error *err)
{
    /* Nothing attached in this run: a disk attached by a run that ended is
     * detached already (it is attached without a permanent lifetime, so
     * Windows detaches it when the process that attached it ends). */
    if (!g->disk)
        return 0;
    if (c->ops->vhd_detach(c->ctx, g->disk, err) < 0)
        return -1;
    g->disk = NULL;
    free(g->windows);
    free(g->disk_path);
    g->windows = g->disk_path = NULL;
    return 0;
}

static int step_hive_load(exhv_conn *c, exhv_guest_session *g, const exhv_step *s,
                          exhv_error *err)
{
    exhv_buf file = EXHV_BUF_INIT;
    char sep;
    int rc;
    if (need_windows(g, err) < 0)
        return -1;
    if (!c->ops->hive_load || !c->ops->hive_unload)
        return exhv_error_set(err, EXHV_E_UNSUPPORTED, "this connection cannot load a hive");
    if (g->hive)
        return exhv_error_set(err, EXHV_E_FAILED, "a hive is loaded already in this run");
    /* A volume GUID path (\\?\Volume{...}\) takes no '/'. */
    sep = strchr(g->windows, '\\') ? '\\' : '/';
    exhv_buf_printf(&file, "%s%cSystem32%cconfig%cSYSTEM", g->windows, sep, sep, sep);
    if (!exhv_buf_ok(&file)) {
        exhv_buf_release(&file);
        return oom(err);
    }
    rc = c->ops->hive_load(c->ctx, exhv_buf_str(&file), s->prop, err);
    exhv_buf_release(&file);
    if (rc < 0)
        return -1;
    if (!(g->hive = exhv_strdup(s->prop))) {
        exhv_error ignored;
        c->ops->hive_unload(c->ctx, s->prop, &ignored);
        return oom(err);
    }
    return 0;
}

static int step_hive_unload(exhv_conn *c, exhv_guest_session *g, const exhv_step *s,
                            exhv_error *err)
{
    if (!g->hive) {
        /* Not loaded in this run; a hive an earlier run loaded stays loaded
         * after it ended (RegLoadKeyW has no lifetime): unloaded by its
         * name, and one that is not loaded is fine. */
        exhv_error e2;
        if (!s->prop || !c->ops->hive_unload ||
            c->ops->hive_unload(c->ctx, s->prop, &e2) == 0 || e2.code == EXHV_E_NOT_FOUND)
            return 0;
        *err = e2;
        return -1;
    }
    if (c->ops->hive_unload(c->ctx, g->hive, err) < 0)
        return -1;
    free(g->hive);
    g->hive = NULL;
    return 0;
}

typedef struct copy_ctx {
    exhv_guest_session *g;
} copy_ctx;

static int copy_progress(void *user, const exhv_drv_progress *p)
{
    copy_ctx *x = user;
    if (x->g->progress)
        x->g->progress(x->g->progress_ud, p);
    /* Ctrl-C stops the copy; the step then puts the guest back. */
    return exhv_interrupt_requested();
}

/* The undo log of this run (one for all the guest's changes). */
static int begin_undo(exhv_guest_session *g, exhv_error *err)
{
    if (g->undo)
        return 0;
    return exhv_drv_undo_begin(g->windows, &g->undo, err);
}

/* A copy or purge that failed puts the guest back before it returns. */
static int put_back(exhv_guest_session *g, exhv_error *err)
{
    exhv_error rerr;
    if (exhv_drv_undo_rollback(g->undo, &rerr) < 0) {
        g->undo_kept = 1;
        exhv_error keep = *err;
        exhv_error_set(err, keep.code, "%s; putting the guest's driver folders back failed "
                       "too (%s): what was set aside stays in Windows\\System32\\exhv-undo on "
                       "the guest's disk", keep.message, rerr.message);
        return -1;
    }
    exhv_drv_undo_free(g->undo);
    g->undo = NULL;
    return 0;
}

static int same_lines(const char *planned, const exhv_drv_need *n)
{
    exhv_buf now = EXHV_BUF_INIT;
    int same;
    for (size_t i = 0; i < n->npkgs; i++)
        exhv_buf_printf(&now, "%s%s", i ? "\n" : "", n->pkgs[i].name);
    same = exhv_buf_ok(&now) && strcmp(exhv_buf_str(&now), planned ? planned : "") == 0;
    exhv_buf_release(&now);
    return same;
}

static int step_copy(exhv_conn *c, exhv_guest_session *g, const exhv_step *s, exhv_error *err)
{
    exhv_drv_need need;
    exhv_drv_request r;
    exhv_drv_pkg *all = NULL;
    char **names = NULL;
    size_t nall = 0, cap_all = 0, cap_names = 0;
    copy_ctx x = {g};
    int rc = -1;

    memset(&need, 0, sizeof(need));
    memset(&r, 0, sizeof(r));
    if (need_windows(g, err) < 0)
        return -1;
    /* Resolved again under the lock: what is copied is what was planned. */
    if (exhv_drv_resolve(c, s->driver_key, s->gpu_name, &need, err) < 0)
        return -1;
    if (!exhv_strcaseeq(need.driver_version, s->version) ||
        (!s->all_packages && !same_lines(s->packages, &need))) {
        exhv_error_set(err, EXHV_E_FAILED, "the host's driver changed since exhv planned this "
                       "(driver %s, now %s): run the command again", s->version,
                       need.driver_version);
        goto out;
    }
    if (s->all_packages) {
        /* Every folder of the host's FileRepository, as listed in the plan. */
        for (const char *q = s->packages; q && *q;) {
            const char *e = strchr(q, '\n');
            size_t len = e ? (size_t)(e - q) : strlen(q);
            char *dir = NULL;
            const char *h = need.pkgs[0].host_dir, *a = strrchr(h, '/'), *b = strrchr(h, '\\');
            const char *sl = a > b ? a : b;
            exhv_buf d = EXHV_BUF_INIT;
            if (sl)
                exhv_buf_add(&d, h, (size_t)(sl - h + 1));
            exhv_buf_add(&d, q, len);
            /* Each array has its own capacity: names holds two per package. */
            if (exhv_grow((void **)&all, &cap_all, nall + 1, sizeof(*all)) < 0 ||
                exhv_grow((void **)&names, &cap_names, nall * 2 + 2, sizeof(char *)) < 0 ||
                !(dir = exhv_buf_detach(&d))) {
                free(dir);
                oom(err);
                goto out;
            }
            names[nall * 2] = exhv_strndup(q, len);
            names[nall * 2 + 1] = dir;
            all[nall].name = names[nall * 2];
            all[nall].host_dir = dir;
            nall++;
            q += len + (e ? 1 : 0);
        }
    }
    if (begin_undo(g, err) < 0)
        goto out;
    r.windows_dir = g->windows;
    r.pkgs = s->all_packages ? all : need.pkgs;
    r.npkgs = s->all_packages ? nall : need.npkgs;
    r.files = need.files;
    r.nfiles = need.nfiles;
    r.driver_version = need.driver_version;
    r.gpu = s->gpu_name;
    r.progress = copy_progress;
    r.user = &x;
    r.undo = g->undo;
    if (exhv_drv_import(&r, &g->stats, err) < 0) {
        put_back(g, err);
        goto out;
    }
    g->copied = 1;
    rc = 0;
out:
    for (size_t i = 0; names && i < nall * 2; i++)
        free(names[i]);
    free(names);
    free(all);
    exhv_drv_need_release(&need);
    return rc;
}

static int step_purge(exhv_conn *c, exhv_guest_session *g, exhv_error *err)
{
    exhv_drv_stats st;
    (void)c;
    if (need_windows(g, err) < 0 || begin_undo(g, err) < 0)
        return -1;
    if (exhv_drv_purge_undoable(g->windows, g->undo, &st, err) < 0) {
        put_back(g, err);
        return -1;
    }
    g->stats = st;
    g->copied = 2;
    return 0;
}

static int step_restore(exhv_guest_session *g, exhv_error *err)
{
    g->undo_kept = 1;   /* whatever happens now, nothing set aside is dropped */
    if (!g->undo)
        return exhv_error_set(err, EXHV_E_FAILED,
                              "this run holds no log of the guest's driver folders: what an "
                              "earlier run set aside is in Windows\\System32\\exhv-undo on the "
                              "guest's disk");
    if (exhv_drv_undo_rollback(g->undo, err) < 0)
        return -1;
    exhv_drv_undo_free(g->undo);
    g->undo = NULL;
    g->copied = 0;
    return 0;
}

static int step_commit(exhv_guest_session *g, exhv_error *err)
{
    if (!g->undo || g->undo_kept)
        return 0;
    if (exhv_drv_undo_commit(g->undo, err) < 0)
        return -1;
    exhv_drv_undo_free(g->undo);
    g->undo = NULL;
    return 0;
}

static const char *const record_values[] = {"VmName", "GpuInstanceId", "DriverVersion",
                                            "InfPath", "Packages", "AllPackages"};
#define NRECORD (sizeof(record_values) / sizeof(record_values[0]))

/* Keep the record's values as they are, for the undo. */
static int record_save(exhv_conn *c, exhv_guest_session *g, const char *key, exhv_error *err)
{
    record_release(g);
    if (!(g->rec_key = exhv_strdup(key)) ||
        !(g->rec_names = calloc(NRECORD, sizeof(char *))) ||
        !(g->rec_old = calloc(NRECORD, sizeof(exhv_regval))) ||
        !(g->rec_had = calloc(NRECORD, sizeof(int)))) {
        record_release(g);
        return oom(err);
    }
    for (size_t i = 0; i < NRECORD; i++) {
        int r;
        if (!(g->rec_names[i] = exhv_strdup(record_values[i]))) {
            g->rec_n = i;
            record_release(g);
            return oom(err);
        }
        g->rec_n = i + 1;
        r = c->ops->reg_get(c->ctx, key, record_values[i], &g->rec_old[i], err);
        if (r == -1) {
            record_release(g);
            return -1;
        }
        g->rec_had[i] = r == 0;
    }
    g->rec_saved = 1;
    return 0;
}

static int set_sz(exhv_conn *c, const char *key, const char *name, exhv_regtype t,
                  const char *text, size_t len, int *created, exhv_error *err)
{
    exhv_regval v;
    int r;
    memset(&v, 0, sizeof(v));
    v.type = t;
    v.str = (char *)text;
    v.len = len;
    r = c->ops->reg_set(c->ctx, key, name, &v, err);
    if (r > 0)
        *created = 1;
    return r < 0 ? -1 : 0;
}

static int record_restore(exhv_conn *c, exhv_guest_session *g, exhv_error *err);

static int step_record(exhv_conn *c, exhv_guest_session *g, const exhv_step *s, exhv_error *err)
{
    exhv_buf key = EXHV_BUF_INIT, pk = EXHV_BUF_INIT;
    int created = 0, rc = -1;
    if (!c->ops->reg_set || !c->ops->reg_delete)
        return exhv_error_set(err, EXHV_E_UNSUPPORTED, "this connection cannot write the "
                                                       "host's registry");
    exhv_buf_printf(&key, "%s\\%s", EXHV_DRV_RECORD_KEY, s->vm_id);
    for (const char *q = s->packages ? s->packages : ""; *q; q++)
        exhv_buf_putc(&pk, *q == '\n' ? '\0' : *q);
    if (pk.len)
        exhv_buf_putc(&pk, '\0');
    exhv_buf_putc(&pk, '\0');
    if (!exhv_buf_ok(&key) || !exhv_buf_ok(&pk)) {
        oom(err);
        goto out;
    }
    if (record_save(c, g, exhv_buf_str(&key), err) < 0)
        goto out;
    if (!s->new_value) {
        for (size_t i = 0; i < NRECORD; i++)
            if (g->rec_had[i] && c->ops->reg_delete(c->ctx, exhv_buf_str(&key), record_values[i],
                                                    err) < 0)
                goto undo;
        if (c->ops->reg_delete(c->ctx, exhv_buf_str(&key), NULL, err) < 0)
            goto undo;
        rc = 0;
        goto out;
    }
    {
        exhv_regval dw;
        int r;
        if (set_sz(c, exhv_buf_str(&key), "VmName", EXHV_REG_SZ, s->vm_name,
                   strlen(s->vm_name) + 1, &created, err) < 0 ||
            set_sz(c, exhv_buf_str(&key), "GpuInstanceId", EXHV_REG_SZ, s->instance_id,
                   strlen(s->instance_id) + 1, &created, err) < 0 ||
            set_sz(c, exhv_buf_str(&key), "DriverVersion", EXHV_REG_SZ, s->version,
                   strlen(s->version) + 1, &created, err) < 0 ||
            set_sz(c, exhv_buf_str(&key), "InfPath", EXHV_REG_SZ, s->inf_path ? s->inf_path : "",
                   strlen(s->inf_path ? s->inf_path : "") + 1, &created, err) < 0 ||
            set_sz(c, exhv_buf_str(&key), "Packages", EXHV_REG_MULTI_SZ, pk.data, pk.len,
                   &created, err) < 0)
            goto undo;
        memset(&dw, 0, sizeof(dw));
        dw.type = EXHV_REG_DWORD;
        dw.num = s->all_packages ? 1 : 0;
        if ((r = c->ops->reg_set(c->ctx, exhv_buf_str(&key), "AllPackages", &dw, err)) < 0)
            goto undo;
        if (r > 0)
            created = 1;
    }
    g->rec_created = created;
    rc = 0;
    goto out;
undo:
    /* The step changes nothing when it fails. */
    g->rec_created = created;
    {
        exhv_error ignored;
        record_restore(c, g, &ignored);
    }
out:
    exhv_buf_release(&key);
    exhv_buf_release(&pk);
    return rc;
}

static int record_restore(exhv_conn *c, exhv_guest_session *g, exhv_error *err)
{
    int rc = 0;
    if (!g->rec_saved)
        return exhv_error_set(err, EXHV_E_FAILED, "this run holds no copy of the host's record "
                                                  "of the VM's guest drivers");
    for (size_t i = 0; i < g->rec_n; i++) {
        exhv_regval now;
        int r = c->ops->reg_get(c->ctx, g->rec_key, g->rec_names[i], &now, err);
        if (r == -1) {
            rc = -1;
            continue;
        }
        if (r == 0)
            exhv_regval_release(&now);
        if (g->rec_had[i]) {
            if (c->ops->reg_set(c->ctx, g->rec_key, g->rec_names[i], &g->rec_old[i], err) < 0)
                rc = -1;
        } else if (r == 0 && c->ops->reg_delete(c->ctx, g->rec_key, g->rec_names[i], err) < 0) {
            rc = -1;
        }
    }
    /* A key the step made goes once it is empty. */
    if (rc == 0 && g->rec_created && c->ops->reg_delete(c->ctx, g->rec_key, NULL, err) < 0)
        rc = -1;
    if (rc == 0)
        record_release(g);
    return rc;
}

int exhv_import_step_run(exhv_conn *c, const exhv_step *s, exhv_error *err)
{
    exhv_guest_session *g = session(c);
    if (!g)
        return oom(err);
    switch (s->kind) {
    case EXHV_STEP_DISK_ATTACH: return step_attach(c, g, s, err);
    case EXHV_STEP_DISK_DETACH: return step_detach(c, g, err);
    case EXHV_STEP_HIVE_LOAD: return step_hive_load(c, g, s, err);
    case EXHV_STEP_HIVE_UNLOAD: return step_hive_unload(c, g, s, err);
    case EXHV_STEP_DRV_COPY: return step_copy(c, g, s, err);
    case EXHV_STEP_DRV_PURGE: return step_purge(c, g, err);
    case EXHV_STEP_DRV_RESTORE: return step_restore(g, err);
    case EXHV_STEP_DRV_COMMIT: return step_commit(g, err);
    case EXHV_STEP_DRV_RECORD: return step_record(c, g, s, err);
    case EXHV_STEP_DRV_UNRECORD: return record_restore(c, g, err);
    case EXHV_STEP_HIVE_EDIT: {
        exhv_buf root = EXHV_BUF_INIT;
        int rc;
        if (!g->hive)
            return exhv_error_set(err, EXHV_E_FAILED, "no guest hive is loaded in this run");
        exhv_buf_printf(&root, "HKLM\\%s", g->hive);
        exhv_import_hive_release(g->edits, g->nedits);
        g->edits = NULL;
        g->nedits = 0;
        rc = exhv_buf_ok(&root) ? exhv_import_hive_edit(c, exhv_buf_str(&root), s, &g->edits,
                                                        &g->nedits, err)
                                : oom(err);
        exhv_buf_release(&root);
        return rc;
    }
    case EXHV_STEP_HIVE_UNEDIT:
        return exhv_import_hive_unedit(c, g->edits, g->nedits, err);
    default:
        return exhv_error_set(err, EXHV_E_FAILED, "unknown step kind %d", (int)s->kind);
    }
}
