#include "drvcopy.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/inf.h"
#include "core/json.h"
#include "platform/fs.h"
#include "platform/tree.h"

#define HDS "System32/HostDriverStore"
#define MANIFEST_NAME "exhv-manifest.json"
#define MANIFEST_MAX (16u << 20)
#define UNDO_NAME "exhv-undo"

/* One System32 / SysWOW64 entry of the manifest. */
typedef struct mfile {
    char *folder;     /* "System32" or "SysWOW64" */
    char *name;
    char *pkg, *src;
    char *backup;     /* relative to W, or NULL */
    int backup_ro;    /* the guest's file was read-only: it goes back so */
} mfile;

typedef struct manifest {
    char *driver_version, *gpu;
    char **pkgs;
    size_t npkgs;
    mfile *files;
    size_t nfiles;
} manifest;

static void manifest_release(manifest *m)
{
    free(m->driver_version);
    free(m->gpu);
    exhv_strv_free(m->pkgs, m->npkgs);
    for (size_t i = 0; i < m->nfiles; i++) {
        free(m->files[i].folder);
        free(m->files[i].name);
        free(m->files[i].pkg);
        free(m->files[i].src);
        free(m->files[i].backup);
    }
    free(m->files);
    memset(m, 0, sizeof(*m));
}

static char *join(const char *a, const char *b)
{
    exhv_buf p = EXHV_BUF_INIT;
    exhv_buf_printf(&p, "%s/%s", a, b);
    return exhv_buf_detach(&p);
}

static char *join3(const char *a, const char *b, const char *c)
{
    exhv_buf p = EXHV_BUF_INIT;
    exhv_buf_printf(&p, "%s/%s/%s", a, b, c);
    return exhv_buf_detach(&p);
}

static int oom(exhv_error *err)
{
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

/* ---- the undo log ----
 *
 * With an undo log, nothing the engine finds in W is destroyed: a file it
 * replaces and a tree it removes are moved aside (renamed: cheap on one
 * volume) into W/System32/exhv-undo/<n>, and every change is logged, so
 * that replaying the log backwards puts W back exactly as it was, read-only
 * flags included. Committing drops what was moved aside. */

typedef enum uop_kind { UOP_CREATED, UOP_STASHED, UOP_RENAMED, UOP_RO, UOP_RMDIR } uop_kind;

typedef struct uop {
    uop_kind kind;
    char *path;      /* CREATED, STASHED (where it was), RENAMED (from), RO, RMDIR */
    char *path2;     /* STASHED: where it is now; RENAMED: to */
    int ro;          /* RO: the flag it had */
} uop;

struct exhv_drv_undo {
    char *root;      /* W/System32/exhv-undo */
    uop *ops;
    size_t n, cap;
    unsigned long next;
};

/* The log of the call in progress on this thread (NULL: no undo). */
static _Thread_local exhv_drv_undo *cur_undo;

static int ulog(uop_kind kind, const char *path, const char *path2, int ro)
{
    exhv_drv_undo *u = cur_undo;
    uop *o;
    if (!u)
        return 0;
    if (exhv_grow((void **)&u->ops, &u->cap, u->n + 1, sizeof(*u->ops)) < 0)
        return -1;
    o = &u->ops[u->n];
    o->kind = kind;
    o->ro = ro;
    o->path = exhv_strdup(path);
    o->path2 = path2 ? exhv_strdup(path2) : NULL;
    if (!o->path || (path2 && !o->path2)) {
        free(o->path);
        free(o->path2);
        return -1;
    }
    u->n++;
    return 0;
}

static int fs_mkdir_logged(const char *path, exhv_error *err)
{
    exhv_fs_info fi;
    if (exhv_fs_info_get(path, &fi, err) < 0)
        return -1;
    if (fi.kind == EXHV_FS_DIR)
        return 0;
    if (exhv_fs_mkdir(path, err) < 0)
        return -1;
    return ulog(UOP_CREATED, path, NULL, 0) < 0 ? oom(err) : 0;
}

static int set_ro_logged(const char *path, int ro, exhv_error *err)
{
    if (exhv_fs_set_readonly(path, ro, err) < 0)
        return -1;
    return ulog(UOP_RO, path, NULL, !ro) < 0 ? oom(err) : 0;
}

static int rename_logged(const char *from, const char *to, exhv_error *err)
{
    if (exhv_fs_rename(from, to, err) < 0)
        return -1;
    return ulog(UOP_RENAMED, from, to, 0) < 0 ? oom(err) : 0;
}

static int count_files(const char *path, uint64_t *files)
{
    exhv_fs_info fi;
    char **names = NULL;
    size_t n = 0;
    exhv_error ignored;
    if (exhv_fs_info_get(path, &fi, &ignored) < 0 || fi.kind == EXHV_FS_NONE)
        return 0;
    if (fi.kind != EXHV_FS_DIR) {
        (*files)++;
        return 0;
    }
    if (exhv_fs_list(path, &names, &n, &ignored) < 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        exhv_buf p = EXHV_BUF_INIT;
        exhv_buf_printf(&p, "%s/%s", path, names[i]);
        if (exhv_buf_ok(&p))
            count_files(exhv_buf_str(&p), files);
        exhv_buf_release(&p);
    }
    exhv_strv_free(names, n);
    return 0;
}

/* Move what is at path aside (logged), when there is an undo log. 1 when
 * it was moved, 0 when there is no log or nothing there, -1. */
static int stash(const char *path, uint64_t *files, exhv_error *err)
{
    exhv_drv_undo *u = cur_undo;
    exhv_fs_info fi;
    exhv_buf to = EXHV_BUF_INIT;
    int rc = -1;
    if (!u)
        return 0;
    if (exhv_fs_info_get(path, &fi, err) < 0)
        return -1;
    if (fi.kind == EXHV_FS_NONE)
        return 0;
    exhv_buf_printf(&to, "%s/%lu", u->root, ++u->next);
    if (!exhv_buf_ok(&to)) {
        oom(err);
        goto out;
    }
    if (files)
        count_files(path, files);
    if (exhv_fs_rename(path, exhv_buf_str(&to), err) < 0)
        goto out;
    if (ulog(UOP_STASHED, path, exhv_buf_str(&to), 0) < 0) {
        oom(err);
        goto out;
    }
    rc = 1;
out:
    exhv_buf_release(&to);
    return rc;
}

/* Whether this call made path (the undo removes it anyway). */
static int created_here(const char *path)
{
    exhv_drv_undo *u = cur_undo;
    for (size_t i = u ? u->n : 0; i-- > 0;)
        if (u->ops[i].kind == UOP_CREATED && strcmp(u->ops[i].path, path) == 0)
            return 1;
    return 0;
}

/* Before a file is written over: what was there is moved aside. */
static int before_write(const char *path, exhv_error *err)
{
    if (!cur_undo || created_here(path))
        return 0;
    return stash(path, NULL, err) < 0 ? -1 : 0;
}

static int after_write(const char *path, exhv_error *err)
{
    if (!cur_undo || created_here(path))
        return 0;
    return ulog(UOP_CREATED, path, NULL, 0) < 0 ? oom(err) : 0;
}

/* A single safe path component. */
static int safe_name(const char *s)
{
    return exhv_relpath_safe(s) && !strchr(s, '/') && !strchr(s, '\\');
}

/* A safe relative path, with '\' turned into '/' (new string or NULL). */
static char *norm_rel(const char *s)
{
    char *r;
    if (!exhv_relpath_safe(s) || !(r = exhv_strdup(s)))
        return NULL;
    for (char *p = r; *p; p++)
        if (*p == '\\')
            *p = '/';
    return r;
}

/* ---- manifest ---- */

static int has_pkg(char **v, size_t n, const char *name);

static int manifest_load(const char *hds, manifest *m, int *found, exhv_error *err)
{
    char *path = join(hds, MANIFEST_NAME), *data = NULL;
    size_t len;
    exhv_json *doc = NULL;
    exhv_fs_info fi;
    const exhv_json *a;
    int rc = -1;

    memset(m, 0, sizeof(*m));
    *found = 0;
    if (!path)
        return oom(err);
    if (exhv_fs_info_get(path, &fi, err) < 0)
        goto out;
    if (fi.kind == EXHV_FS_NONE) {
        rc = 0;
        goto out;
    }
    if (fi.kind != EXHV_FS_FILE) {
        exhv_error_set(err, EXHV_E_IO, "%s is not a file: exhv will not read or replace it", path);
        goto out;
    }
    if (exhv_fs_read_file(path, MANIFEST_MAX, &data, &len, err) < 0)
        goto out;
    if (exhv_json_parse(data, len, &doc, err) < 0 || doc->type != EXHV_JSON_OBJECT ||
        exhv_json_get_int(doc, "schema", 0) != 1) {
        exhv_error_set(err, EXHV_E_PARSE,
                       "%s is not a manifest exhv wrote: exhv does not know what in "
                       "HostDriverStore is its own. Remove the HostDriverStore folder from the "
                       "guest's disk by hand to start afresh", path);
        goto out;
    }
    *found = 1;
    if ((exhv_json_get_str(doc, "driver_version") &&
         !(m->driver_version = exhv_strdup(exhv_json_get_str(doc, "driver_version")))) ||
        (exhv_json_get_str(doc, "gpu") && !(m->gpu = exhv_strdup(exhv_json_get_str(doc, "gpu")))))
        goto nomem;
    a = exhv_json_get(doc, "packages");
    for (size_t i = 0; a && a->type == EXHV_JSON_ARRAY && i < a->count; i++) {
        size_t cap = m->npkgs;
        const char *n = a->items[i].type == EXHV_JSON_STRING ? a->items[i].str : NULL;
        /* A manifest is guest data: a name that would leave FileRepository
         * is not followed. */
        if (!n || !safe_name(n))
            goto bad;
        if (exhv_grow((void **)&m->pkgs, &cap, m->npkgs + 1, sizeof(char *)) < 0 ||
            !(m->pkgs[m->npkgs] = exhv_strdup(n)))
            goto nomem;
        m->npkgs++;
    }
    a = exhv_json_get(doc, "files");
    for (size_t i = 0; a && a->type == EXHV_JSON_ARRAY && i < a->count; i++) {
        const exhv_json *o = &a->items[i];
        const char *folder = exhv_json_get_str(o, "folder"), *name = exhv_json_get_str(o, "name");
        const char *backup = exhv_json_get_str(o, "backup");
        size_t cap = m->nfiles;
        mfile *f;
        const char *pkg = exhv_json_get_str(o, "package"), *src = exhv_json_get_str(o, "src");
        if (!folder || !name || !safe_name(name) ||
            (strcmp(folder, "System32") && strcmp(folder, "SysWOW64")))
            goto bad;
        /* Each file comes from a package the manifest lists, from a path
         * inside it: what a purge checks the guest's file against. */
        if (!pkg || !has_pkg(m->pkgs, m->npkgs, pkg) || !src || !exhv_relpath_safe(src))
            goto bad;
        if (backup && (!exhv_relpath_safe(backup) || !exhv_starts_with_ci(backup, HDS "/exhv-backup/")))
            goto bad;
        if (exhv_grow((void **)&m->files, &cap, m->nfiles + 1, sizeof(mfile)) < 0)
            goto nomem;
        f = &m->files[m->nfiles++];
        memset(f, 0, sizeof(*f));
        if (!(f->folder = exhv_strdup(folder)) || !(f->name = exhv_strdup(name)) ||
            !(f->pkg = exhv_strdup(pkg)) || !(f->src = exhv_strdup(src)) ||
            (backup && !(f->backup = exhv_strdup(backup))))
            goto nomem;
        f->backup_ro = backup && exhv_json_get_bool(o, "backup_readonly", 0);
    }
    rc = 0;
    goto out;
bad:
    exhv_error_set(err, EXHV_E_PARSE,
                   "%s names a path outside HostDriverStore or System32: exhv does not follow it. "
                   "Check the guest's HostDriverStore by hand", path);
    goto out;
nomem:
    oom(err);
out:
    if (rc < 0)
        manifest_release(m);
    exhv_json_free(doc);
    free(data);
    free(path);
    return rc;
}

static int manifest_write(const char *hds, const manifest *m, exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    char *path = join(hds, MANIFEST_NAME);
    exhv_fs_info fi;
    int rc = -1;

    if (!path)
        return oom(err);
    exhv_jw_init(&w, &b, 1);
    exhv_jw_obj_begin(&w);
    exhv_jw_kint(&w, "schema", 1);
    exhv_jw_kstr(&w, "tool", "exhv");
    exhv_jw_kstr(&w, "driver_version", m->driver_version);
    exhv_jw_kstr(&w, "gpu", m->gpu);
    exhv_jw_key(&w, "packages");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < m->npkgs; i++)
        exhv_jw_str(&w, m->pkgs[i]);
    exhv_jw_arr_end(&w);
    exhv_jw_key(&w, "files");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < m->nfiles; i++) {
        const mfile *f = &m->files[i];
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "folder", f->folder);
        exhv_jw_kstr(&w, "name", f->name);
        exhv_jw_kstr(&w, "package", f->pkg);
        exhv_jw_kstr(&w, "src", f->src);
        exhv_jw_kstr(&w, "backup", f->backup);
        if (f->backup && f->backup_ro)
            exhv_jw_kbool(&w, "backup_readonly", 1);
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
    if (!exhv_buf_ok(&b)) {
        oom(err);
        goto out;
    }
    if (exhv_fs_info_get(path, &fi, err) < 0)
        goto out;
    if (fi.kind != EXHV_FS_NONE && fi.kind != EXHV_FS_FILE) {
        exhv_error_set(err, EXHV_E_IO, "%s is not a file: exhv will not replace it", path);
        goto out;
    }
    if (fi.kind == EXHV_FS_FILE && fi.size == b.len) {
        /* The same manifest: not written again (a run with nothing to do
         * writes nothing). */
        char *data = NULL;
        size_t len = 0;
        exhv_error ignored;
        int same = exhv_fs_read_file(path, MANIFEST_MAX, &data, &len, &ignored) == 0 &&
                   len == b.len && memcmp(data, b.data, len) == 0;
        free(data);
        if (same) {
            rc = 0;
            goto out;
        }
    }
    if (fi.readonly && set_ro_logged(path, 0, err) < 0)
        goto out;
    if (before_write(path, err) < 0 || exhv_fs_write_atomic(path, exhv_buf_str(&b), b.len, err) < 0)
        goto out;
    rc = after_write(path, err);
out:
    free(path);
    exhv_buf_release(&b);
    return rc;
}

/* ---- trees ---- */

/* A folder exhv writes into must be a real folder: a link there could lead
 * anywhere. NONE is fine when may_create (it is made). */
static int require_dir(const char *path, int may_create, exhv_error *err)
{
    exhv_fs_info fi;
    if (exhv_fs_info_get(path, &fi, err) < 0)
        return -1;
    if (fi.kind == EXHV_FS_DIR)
        return 0;
    if (fi.kind == EXHV_FS_NONE && may_create)
        return fs_mkdir_logged(path, err);
    if (fi.kind == EXHV_FS_NONE)
        return exhv_error_set(err, EXHV_E_NOT_FOUND, "%s does not exist", path);
    return exhv_error_set(err, EXHV_E_IO,
                          "%s is a link or not a folder: exhv does not write through it", path);
}

/* Set or clear read-only on everything below dir (dir included). */
static int tree_readonly(const char *dir, int ro, exhv_error *err)
{
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    exhv_fs_info fi;
    if (exhv_fs_info_get(dir, &fi, err) < 0)
        return -1;
    if (fi.kind == EXHV_FS_NONE || fi.kind == EXHV_FS_OTHER)
        return 0;
    if (fi.kind == EXHV_FS_FILE)
        return fi.readonly == ro ? 0 : set_ro_logged(dir, ro, err);
    if (exhv_fs_list(dir, &names, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *p = join(dir, names[i]);
        rc = p ? tree_readonly(p, ro, err) : oom(err);
        free(p);
    }
    exhv_strv_free(names, n);
    if (rc == 0 && fi.readonly != ro)
        rc = set_ro_logged(dir, ro, err);
    return rc;
}

/* Remove path and everything below it, never following a link (a link is
 * removed itself). */
static int tree_remove(const char *path, uint64_t *files, exhv_error *err)
{
    exhv_fs_info fi;
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    if (cur_undo)
        return stash(path, files, err) < 0 ? -1 : 0;
    if (exhv_fs_info_get(path, &fi, err) < 0)
        return -1;
    if (fi.kind == EXHV_FS_NONE)
        return 0;
    if (fi.kind != EXHV_FS_DIR) {
        exhv_error e2;
        if (fi.readonly && exhv_fs_set_readonly(path, 0, err) < 0)
            return -1;
        if (exhv_fs_remove(path, err) < 0) {
            /* A link to a folder (a junction) goes with rmdir. */
            if (exhv_fs_rmdir(path, &e2) < 0)
                return -1;
        }
        if (files)
            (*files)++;
        return 0;
    }
    if (exhv_fs_list(path, &names, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *p = join(path, names[i]);
        rc = p ? tree_remove(p, files, err) : oom(err);
        free(p);
    }
    exhv_strv_free(names, n);
    if (rc == 0 && fi.readonly)
        rc = exhv_fs_set_readonly(path, 0, err);
    return rc == 0 ? exhv_fs_rmdir(path, err) : rc;
}

/* ---- mirroring a package ---- */

typedef struct job {
    const exhv_drv_request *r;
    exhv_drv_stats *st;
    exhv_drv_progress prog;
    int counting;    /* first pass: totals only */
    int stopped;
} job;

static int same_file(const exhv_fs_info *a, const exhv_fs_info *b)
{
    return a->kind == EXHV_FS_FILE && b->kind == EXHV_FS_FILE && a->size == b->size &&
           a->mtime == b->mtime;
}

static int copy_one(job *j, const char *src, const char *dst, const char *rel, exhv_error *err)
{
    uint64_t bytes = 0;
    exhv_fs_info si;
    if (exhv_fs_info_get(src, &si, err) < 0)
        return -1;
    if (j->counting) {
        j->prog.files_total++;
        j->prog.bytes_total += si.size;
        return 0;
    }
    if (j->r->dry_run) {
        j->st->files_copied++;
        j->st->bytes_copied += si.size;
        return 0;
    }
    if (before_write(dst, err) < 0 || exhv_fs_copy_file(src, dst, &bytes, err) < 0 ||
        after_write(dst, err) < 0)
        return -1;
    j->st->files_copied++;
    j->st->bytes_copied += bytes;
    j->prog.files_done++;
    j->prog.bytes_done += bytes;
    j->prog.path = rel;
    if (j->r->progress && j->r->progress(j->r->user, &j->prog)) {
        j->stopped = 1;
        return exhv_error_set(err, EXHV_E_FAILED, "stopped after %llu of %llu files",
                              (unsigned long long)j->prog.files_done,
                              (unsigned long long)j->prog.files_total);
    }
    return 0;
}

/* Mirror host dir src into guest dir dst (rel: dst relative to W). */
static int mirror(job *j, const char *src, const char *dst, const char *rel, exhv_error *err)
{
    char **sn = NULL, **dn = NULL;
    size_t ns = 0, nd = 0;
    int rc = -1;
    exhv_fs_info di;

    if (exhv_fs_list(src, &sn, &ns, err) < 0)
        return -1;
    if (exhv_fs_info_get(dst, &di, err) < 0)
        goto out;
    if (di.kind != EXHV_FS_DIR && di.kind != EXHV_FS_NONE) {
        if (j->counting || j->r->dry_run) {
            /* replaced by a folder when it runs */
        } else if (tree_remove(dst, &j->st->files_removed, err) < 0) {
            goto out;
        }
        di.kind = EXHV_FS_NONE;
    }
    if (di.kind == EXHV_FS_NONE && !j->counting && !j->r->dry_run && fs_mkdir_logged(dst, err) < 0)
        goto out;
    if (di.kind == EXHV_FS_DIR && exhv_fs_list(dst, &dn, &nd, err) < 0)
        goto out;
    for (size_t i = 0; i < ns; i++) {
        char *s = join(src, sn[i]), *d = join(dst, sn[i]), *r2 = join(rel, sn[i]);
        exhv_fs_info si, gi;
        int r = -1;
        if (!s || !d || !r2) {
            oom(err);
        } else if (exhv_fs_info_get(s, &si, err) == 0 && exhv_fs_info_get(d, &gi, err) == 0) {
            if (si.kind == EXHV_FS_DIR) {
                r = mirror(j, s, d, r2, err);
            } else if (si.kind != EXHV_FS_FILE) {
                r = 0;   /* a link in the host's package: not part of the payload */
            } else {
                if (!j->counting)
                    j->st->pkg_files++, j->st->pkg_bytes += si.size;
                if (same_file(&si, &gi)) {
                    if (!j->counting)
                        j->st->files_same++;
                    r = 0;
                } else if (gi.kind == EXHV_FS_DIR || gi.kind == EXHV_FS_OTHER) {
                    r = (j->counting || j->r->dry_run) ? 0 : tree_remove(d, &j->st->files_removed, err);
                    if (r == 0)
                        r = copy_one(j, s, d, r2, err);
                } else {
                    r = copy_one(j, s, d, r2, err);
                }
            }
        }
        free(s);
        free(d);
        free(r2);
        if (r < 0)
            goto out;
    }
    /* What the host's package no longer holds goes. */
    for (size_t i = 0; i < nd && !j->counting; i++) {
        int keep = 0;
        for (size_t k = 0; k < ns && !keep; k++)
            keep = strcmp(dn[i], sn[k]) == 0;
        if (!keep) {
            char *d = join(dst, dn[i]);
            int r = !d ? oom(err)
                       : j->r->dry_run ? (j->st->files_removed++, 0)
                                       : tree_remove(d, &j->st->files_removed, err);
            free(d);
            if (r < 0)
                goto out;
        }
    }
    rc = 0;
out:
    exhv_strv_free(sn, ns);
    exhv_strv_free(dn, nd);
    return rc;
}

/* ---- import ---- */

static const char *folder_of(int wow64)
{
    return wow64 ? "SysWOW64" : "System32";
}

static mfile *mfind(manifest *m, const char *folder, const char *name)
{
    for (size_t i = 0; i < m->nfiles; i++)
        if (exhv_strcaseeq(m->files[i].folder, folder) && exhv_strcaseeq(m->files[i].name, name))
            return &m->files[i];
    return NULL;
}

static int has_pkg(char **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (exhv_strcaseeq(v[i], name))
            return 1;
    return 0;
}

static int validate(const exhv_drv_request *r, exhv_error *err)
{
    for (size_t i = 0; i < r->npkgs; i++)
        if (!r->pkgs[i].name || !safe_name(r->pkgs[i].name) || !r->pkgs[i].host_dir)
            return exhv_error_set(err, EXHV_E_USAGE,
                                  "the package folder name '%s' is not a single folder name: "
                                  "exhv copies nothing", r->pkgs[i].name ? r->pkgs[i].name : "");
    for (size_t i = 0; i < r->nfiles; i++) {
        const exhv_drv_file *f = &r->files[i];
        int known = 0;
        for (size_t k = 0; k < r->npkgs && !known; k++)
            known = f->pkg && strcmp(f->pkg, r->pkgs[k].name) == 0;
        if (!known)
            return exhv_error_set(err, EXHV_E_USAGE, "the file '%s' comes from a package that "
                                  "is not copied: exhv copies nothing", f->dst ? f->dst : "");
        if (!f->src || !exhv_relpath_safe(f->src))
            return exhv_error_set(err, EXHV_E_USAGE,
                                  "'%s' is not a path inside the package %s: exhv copies nothing",
                                  f->src ? f->src : "", f->pkg);
        if (!f->dst || !exhv_win_filename_ok(f->dst))
            return exhv_error_set(err, EXHV_E_USAGE,
                                  "'%s' is not a file name in %s: exhv copies nothing",
                                  f->dst ? f->dst : "", folder_of(f->wow64));
    }
    return 0;
}

/* Put a manifest entry's file back as the guest had it: remove exhv's
 * copy, return the file set aside. */
static int unplace(const char *w, const mfile *f, int check, exhv_drv_stats *st, exhv_error *err)
{
    char *dst = join3(w, f->folder, f->name), *bak = f->backup ? join(w, f->backup) : NULL;
    char *srcrel = norm_rel(f->src), *repo = join(w, HDS "/FileRepository");
    char *pkgdir = repo ? join(repo, f->pkg) : NULL, *src = pkgdir && srcrel ? join(pkgdir, srcrel) : NULL;
    exhv_fs_info fi, bi, si;
    int rc = -1;
    if (!dst || (f->backup && !bak) || !src) {
        oom(err);
        goto out;
    }
    if (exhv_fs_info_get(dst, &fi, err) < 0 ||
        (bak ? exhv_fs_info_get(bak, &bi, err) : (bi.kind = EXHV_FS_NONE, 0)) < 0 ||
        exhv_fs_info_get(src, &si, err) < 0)
        goto out;
    /* The manifest is guest data: the guest's file is exhv's to remove
     * only when what it set aside is there to go back, or when it is
     * exhv's copy of its package's file. Any other is left alone. (A
     * purge checks; an update has pruned the old packages by then.) */
    if (check && bi.kind == EXHV_FS_NONE && !same_file(&si, &fi)) {
        rc = 0;
        goto out;
    }
    if (fi.kind == EXHV_FS_FILE || fi.kind == EXHV_FS_OTHER) {
        if (tree_remove(dst, NULL, err) < 0)
            goto out;
        st->files_removed++;
    }
    if (bak) {
        if (exhv_fs_info_get(bak, &fi, err) < 0)
            goto out;
        if (fi.kind != EXHV_FS_NONE) {
            if (fi.readonly && fi.kind == EXHV_FS_FILE && set_ro_logged(bak, 0, err) < 0)
                goto out;
            if (rename_logged(bak, dst, err) < 0)
                goto out;
            /* The guest's attribute, which the backup's read-only hid. */
            if (f->backup_ro && fi.kind == EXHV_FS_FILE && set_ro_logged(dst, 1, err) < 0)
                goto out;
            st->files_restored++;
        }
    }
    rc = 0;
out:
    free(dst);
    free(bak);
    free(srcrel);
    free(repo);
    free(pkgdir);
    free(src);
    return rc;
}

static int mfile_set(mfile *f, const char *folder, const exhv_drv_file *df, const char *backup,
                     int backup_ro)
{
    memset(f, 0, sizeof(*f));
    f->backup_ro = backup && backup_ro;
    return (f->folder = exhv_strdup(folder)) && (f->name = exhv_strdup(df->dst)) &&
                   (f->pkg = exhv_strdup(df->pkg)) && (f->src = exhv_strdup(df->src)) &&
                   (!backup || (f->backup = exhv_strdup(backup)))
               ? 0 : -1;
}

int exhv_drv_import(const exhv_drv_request *r, exhv_drv_stats *st, exhv_error *err)
{
    const char *w = r->windows_dir;
    char *hds = NULL, *repo = NULL, *sys32 = NULL, *wow = NULL;
    manifest old, next, pending;
    int found = 0, rc = -1, have_wow = 0;
    job j;
    exhv_fs_info fi;

    memset(st, 0, sizeof(*st));
    memset(&old, 0, sizeof(old));
    memset(&next, 0, sizeof(next));
    memset(&pending, 0, sizeof(pending));
    memset(&j, 0, sizeof(j));
    j.r = r;
    j.st = st;
    if (validate(r, err) < 0)
        return -1;
    cur_undo = r->dry_run ? NULL : r->undo;
    if (!(hds = join(w, HDS)) || !(repo = join(hds, "FileRepository")) ||
        !(sys32 = join(w, "System32")) || !(wow = join(w, "SysWOW64"))) {
        oom(err);
        goto out;
    }
    if (require_dir(w, 0, err) < 0 || require_dir(sys32, 0, err) < 0) {
        exhv_error_prefix(err, "the guest's Windows folder");
        goto out;
    }
    if (exhv_fs_info_get(wow, &fi, err) < 0)
        goto out;
    have_wow = fi.kind == EXHV_FS_DIR;
    if (exhv_fs_info_get(hds, &fi, err) < 0)
        goto out;
    if (fi.kind == EXHV_FS_DIR) {
        if (require_dir(repo, 1 - r->dry_run, err) < 0 && !r->dry_run)
            goto out;
        if (manifest_load(hds, &old, &found, err) < 0)
            goto out;
    } else if (fi.kind != EXHV_FS_NONE) {
        exhv_error_set(err, EXHV_E_IO, "%s is a link or not a folder: exhv does not write "
                       "through it", hds);
        goto out;
    }
    /* The totals first, for progress in files and bytes. */
    j.counting = 1;
    for (size_t i = 0; i < r->npkgs; i++) {
        char *d = join(repo, r->pkgs[i].name), *rel = join(HDS "/FileRepository", r->pkgs[i].name);
        int x = d && rel ? mirror(&j, r->pkgs[i].host_dir, d, rel, err) : oom(err);
        free(d);
        free(rel);
        if (x < 0)
            goto out;
    }
    /* And the System32 / SysWOW64 files (each destination once). */
    for (size_t i = 0; i < r->nfiles; i++) {
        const exhv_drv_file *f = &r->files[i];
        char *src = NULL, *srcrel = norm_rel(f->src);
        exhv_fs_info si;
        int dup = 0;
        for (size_t k = 0; k < i && !dup; k++)
            dup = r->files[k].wow64 == f->wow64 && exhv_strcaseeq(r->files[k].dst, f->dst);
        if (dup || (f->wow64 && !have_wow) || !srcrel) {
            free(srcrel);
            continue;
        }
        for (size_t k = 0; k < r->npkgs && !src; k++)
            if (strcmp(r->pkgs[k].name, f->pkg) == 0)
                src = join(r->pkgs[k].host_dir, srcrel);
        if (src && exhv_fs_info_get(src, &si, err) == 0 && si.kind == EXHV_FS_FILE) {
            j.prog.files_total++;
            j.prog.bytes_total += si.size;
        }
        free(src);
        free(srcrel);
    }
    j.counting = 0;

    /* The manifest says what will be there before anything is: packages
     * and files both old and new, so that an interrupted run is found and
     * undone by the next one or by a purge. */
    if (!(next.driver_version = exhv_strdup(r->driver_version ? r->driver_version : "")) ||
        !(next.gpu = exhv_strdup(r->gpu ? r->gpu : "")))
        goto nomem;
    for (size_t i = 0; i < r->npkgs; i++) {
        size_t cap = next.npkgs;
        if (exhv_grow((void **)&next.pkgs, &cap, next.npkgs + 1, sizeof(char *)) < 0 ||
            !(next.pkgs[next.npkgs] = exhv_strdup(r->pkgs[i].name)))
            goto nomem;
        next.npkgs++;
    }
    if (!r->dry_run) {
        if (require_dir(hds, 1, err) < 0 || require_dir(repo, 1, err) < 0)
            goto out;
        if (tree_readonly(hds, 0, err) < 0)
            goto out;
        if (!(pending.driver_version = exhv_strdup(next.driver_version)) ||
            !(pending.gpu = exhv_strdup(next.gpu)))
            goto nomem;
        for (size_t i = 0; i < old.npkgs + next.npkgs; i++) {
            const char *n = i < old.npkgs ? old.pkgs[i] : next.pkgs[i - old.npkgs];
            size_t cap = pending.npkgs;
            if (has_pkg(pending.pkgs, pending.npkgs, n))
                continue;
            if (exhv_grow((void **)&pending.pkgs, &cap, pending.npkgs + 1, sizeof(char *)) < 0 ||
                !(pending.pkgs[pending.npkgs] = exhv_strdup(n)))
                goto nomem;
            pending.npkgs++;
        }
        /* Old entries keep their set-aside files; a new entry is recorded
         * when it is placed (below). */
        for (size_t i = 0; i < old.nfiles; i++) {
            size_t cap = pending.nfiles;
            exhv_drv_file df = {old.files[i].pkg, old.files[i].src, old.files[i].name, 0, 0};
            if (exhv_grow((void **)&pending.files, &cap, pending.nfiles + 1, sizeof(mfile)) < 0 ||
                mfile_set(&pending.files[pending.nfiles], old.files[i].folder, &df,
                          old.files[i].backup, old.files[i].backup_ro) < 0)
                goto nomem;
            pending.nfiles++;
        }
        if (manifest_write(hds, &pending, err) < 0)
            goto out;
    }

    /* The packages. */
    for (size_t i = 0; i < r->npkgs; i++) {
        char *d = join(repo, r->pkgs[i].name), *rel = join(HDS "/FileRepository", r->pkgs[i].name);
        int x = d && rel ? mirror(&j, r->pkgs[i].host_dir, d, rel, err) : oom(err);
        free(d);
        free(rel);
        if (x < 0)
            goto out;
    }
    /* Older packages exhv put there and no longer wants. */
    for (size_t i = 0; i < old.npkgs; i++) {
        char *d;
        int x;
        if (has_pkg(next.pkgs, next.npkgs, old.pkgs[i]))
            continue;
        if (!(d = join(repo, old.pkgs[i])))
            goto nomem;
        x = r->dry_run ? 0 : tree_remove(d, NULL, err);
        free(d);
        if (x < 0)
            goto out;
        st->pkgs_pruned++;
    }

    /* System32 / SysWOW64: copies (see docs/scenario.md and README: a copy
     * does not depend on the guest's drive letter, on symbolic-link policy
     * or on the package staying where it is). */
    for (size_t i = 0; i < r->nfiles; i++) {
        const exhv_drv_file *f = &r->files[i];
        const char *folder = folder_of(f->wow64);
        char *src = NULL, *dst = NULL, *rel = NULL, *bakrel = NULL, *bak = NULL, *srcrel = NULL;
        exhv_fs_info si, gi;
        mfile *mine = mfind(&old, folder, f->dst), *dup = mfind(&next, folder, f->dst);
        int x = -1;
        size_t cap = next.nfiles;

        if (f->wow64 && !have_wow)
            continue;   /* a 64-bit-only guest: SysWOW64 files have no place */
        if (dup)
            continue;   /* the first value naming a destination wins */
        if (!(srcrel = norm_rel(f->src)))
            goto nomem;
        for (size_t k = 0; k < r->npkgs; k++)
            if (strcmp(r->pkgs[k].name, f->pkg) == 0)
                src = join(r->pkgs[k].host_dir, srcrel);
        dst = join3(w, folder, f->dst);
        rel = join(folder, f->dst);
        bakrel = join3(HDS "/exhv-backup", folder, f->dst);
        bak = bakrel ? join(w, bakrel) : NULL;
        if (!src || !dst || !rel || !bakrel || !bak) {
            oom(err);
            goto file_out;
        }
        if (exhv_fs_info_get(src, &si, err) < 0 || exhv_fs_info_get(dst, &gi, err) < 0)
            goto file_out;
        if (si.kind != EXHV_FS_FILE) {
            /* The value names a file the package does not have: nothing to
             * copy (the guest would not have it either). */
            x = 0;
            goto file_out;
        }
        if (gi.kind == EXHV_FS_DIR) {
            exhv_error_set(err, EXHV_E_IO, "%s is a folder in the guest: exhv does not replace it", dst);
            goto file_out;
        }
        if (mine) {
            /* exhv's own copy: brought up to date. */
            x = same_file(&si, &gi) ? (st->files_same++, 0) : copy_one(&j, src, dst, rel, err);
            if (x == 0 && (exhv_grow((void **)&next.files, &cap, next.nfiles + 1, sizeof(mfile)) < 0 ||
                           mfile_set(&next.files[next.nfiles++], folder, f, mine->backup,
                                     mine->backup_ro) < 0))
                x = oom(err);
            goto file_out;
        }
        if (gi.kind != EXHV_FS_NONE && f->when_newer && gi.kind == EXHV_FS_FILE && gi.mtime >= si.mtime) {
            /* CopyToVmWhenNewer: the guest's own file is as new: kept. */
            x = 0;
            goto file_out;
        }
        if (gi.kind != EXHV_FS_NONE && !r->dry_run) {
            exhv_fs_info bi;
            char *bakdir = join(hds, "exhv-backup"), *bakfolder = bakdir ? join(bakdir, folder) : NULL;
            int y = bakdir && bakfolder ? 0 : oom(err);
            if (y == 0)
                y = require_dir(bakdir, 1, err);
            if (y == 0)
                y = require_dir(bakfolder, 1, err);
            free(bakdir);
            free(bakfolder);
            if (y < 0 || exhv_fs_info_get(bak, &bi, err) < 0)
                goto file_out;
            if (bi.kind != EXHV_FS_NONE) {
                exhv_error_set(err, EXHV_E_IO, "%s already holds a file exhv did not record: "
                               "exhv does not overwrite it", bak);
                goto file_out;
            }
            /* Record first: if the move happens and the copy fails, the
             * manifest still says where the guest's file is. */
            {
                size_t pc = pending.nfiles;
                if (exhv_grow((void **)&pending.files, &pc, pending.nfiles + 1, sizeof(mfile)) < 0 ||
                    mfile_set(&pending.files[pending.nfiles++], folder, f, bakrel, gi.readonly) < 0) {
                    oom(err);
                    goto file_out;
                }
            }
            if (manifest_write(hds, &pending, err) < 0 || rename_logged(dst, bak, err) < 0)
                goto file_out;
            st->files_set_aside++;
        } else if (gi.kind != EXHV_FS_NONE) {
            st->files_set_aside++;
        } else if (!r->dry_run) {
            size_t pc = pending.nfiles;
            if (exhv_grow((void **)&pending.files, &pc, pending.nfiles + 1, sizeof(mfile)) < 0 ||
                mfile_set(&pending.files[pending.nfiles++], folder, f, NULL, 0) < 0) {
                oom(err);
                goto file_out;
            }
            if (manifest_write(hds, &pending, err) < 0)
                goto file_out;
        }
        x = copy_one(&j, src, dst, rel, err);
        if (x == 0 && (exhv_grow((void **)&next.files, &cap, next.nfiles + 1, sizeof(mfile)) < 0 ||
                       mfile_set(&next.files[next.nfiles++], folder, f,
                                 gi.kind != EXHV_FS_NONE ? bakrel : NULL, gi.readonly) < 0))
            x = oom(err);
    file_out:
        free(src);
        free(dst);
        free(rel);
        free(bakrel);
        free(bak);
        free(srcrel);
        if (x < 0)
            goto out;
    }
    /* exhv's files that are no longer wanted: removed, the guest's own
     * put back. */
    for (size_t i = 0; i < old.nfiles; i++) {
        if (mfind(&next, old.files[i].folder, old.files[i].name))
            continue;
        if (r->dry_run) {
            st->files_removed++;
            continue;
        }
        if (unplace(w, &old.files[i], 0, st, err) < 0)
            goto out;
    }
    if (!r->dry_run) {
        if (manifest_write(hds, &next, err) < 0 || tree_readonly(hds, 1, err) < 0)
            goto out;
    }
    rc = 0;
    goto out;
nomem:
    oom(err);
out:
    cur_undo = NULL;
    manifest_release(&old);
    manifest_release(&next);
    manifest_release(&pending);
    free(hds);
    free(repo);
    free(sys32);
    free(wow);
    return rc;
}

int exhv_drv_purge(const char *w, exhv_drv_stats *st, exhv_error *err)
{
    return exhv_drv_purge_undoable(w, NULL, st, err);
}

int exhv_drv_purge_undoable(const char *w, exhv_drv_undo *u, exhv_drv_stats *st, exhv_error *err)
{
    char *hds = join(w, HDS), *p = NULL;
    manifest m;
    int found = 0, rc = -1;
    exhv_fs_info fi;

    memset(st, 0, sizeof(*st));
    memset(&m, 0, sizeof(m));
    if (!hds)
        return oom(err);
    cur_undo = u;
    if (exhv_fs_info_get(hds, &fi, err) < 0)
        goto out;
    if (fi.kind == EXHV_FS_NONE) {
        rc = 0;
        goto out;
    }
    if (fi.kind != EXHV_FS_DIR) {
        exhv_error_set(err, EXHV_E_IO, "%s is a link or not a folder: exhv does not write "
                       "through it", hds);
        goto out;
    }
    if (manifest_load(hds, &m, &found, err) < 0)
        goto out;
    if (!found) {
        rc = 0;
        goto out;
    }
    if (tree_readonly(hds, 0, err) < 0)
        goto out;
    for (size_t i = 0; i < m.nfiles; i++)
        if (unplace(w, &m.files[i], 1, st, err) < 0)
            goto out;
    for (size_t i = 0; i < m.npkgs; i++) {
        if (!(p = join3(hds, "FileRepository", m.pkgs[i]))) {
            oom(err);
            goto out;
        }
        if (tree_remove(p, NULL, err) < 0)
            goto out;
        st->pkgs_pruned++;
        free(p);
        p = NULL;
    }
    if (!(p = join(hds, MANIFEST_NAME)) || (cur_undo ? stash(p, NULL, err) : exhv_fs_remove(p, err)) < 0) {
        if (!p)
            oom(err);
        goto out;
    }
    free(p);
    p = NULL;
    /* The folders exhv made, when nothing else is in them. */
    {
        static const char *const dirs[] = {"exhv-backup/System32", "exhv-backup/SysWOW64",
                                           "exhv-backup", "FileRepository", ""};
        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
            char **names = NULL;
            size_t n = 0;
            exhv_error ignored;
            char *d = dirs[i][0] ? join(hds, dirs[i]) : exhv_strdup(hds);
            if (!d) {
                oom(err);
                goto out;
            }
            if (exhv_fs_info_get(d, &fi, &ignored) == 0 && fi.kind == EXHV_FS_DIR &&
                exhv_fs_list(d, &names, &n, &ignored) == 0 && n == 0 &&
                exhv_fs_rmdir(d, &ignored) == 0 && ulog(UOP_RMDIR, d, NULL, fi.readonly) < 0) {
                exhv_strv_free(names, n);
                free(d);
                oom(err);
                goto out;
            }
            exhv_strv_free(names, n);
            free(d);
        }
    }
    rc = 0;
out:
    cur_undo = NULL;
    manifest_release(&m);
    free(hds);
    free(p);
    return rc;
}

int exhv_drv_manifest_read(const char *w, char **version, char **gpu, exhv_error *err)
{
    char *hds = join(w, HDS);
    manifest m;
    int found = 0, rc;
    if (!hds)
        return oom(err);
    rc = manifest_load(hds, &m, &found, err);
    free(hds);
    if (rc < 0)
        return -1;
    if (!found) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "exhv has imported no driver into this guest");
        return -2;
    }
    *version = m.driver_version;
    *gpu = m.gpu;
    m.driver_version = m.gpu = NULL;
    manifest_release(&m);
    return 0;
}

/* ---- undo ---- */

int exhv_drv_undo_begin(const char *w, exhv_drv_undo **out, exhv_error *err)
{
    exhv_drv_undo *u = calloc(1, sizeof(*u));
    exhv_fs_info fi;
    if (!u || !(u->root = join3(w, "System32", UNDO_NAME))) {
        free(u);
        return oom(err);
    }
    if (exhv_fs_info_get(u->root, &fi, err) < 0)
        goto fail;
    if (fi.kind != EXHV_FS_NONE) {
        exhv_error_set(err, EXHV_E_FAILED,
                       "%s is there already: it holds what an earlier driver import set aside "
                       "and was stopped by force before it could put back or drop. exhv does "
                       "not know whether the guest still needs it: start the VM; if it works, "
                       "delete that folder from the guest's disk, else move its items back by "
                       "hand (the names are in the order they were set aside)", u->root);
        goto fail;
    }
    if (exhv_fs_mkdir(u->root, err) < 0)
        goto fail;
    *out = u;
    return 0;
fail:
    free(u->root);
    free(u);
    return -1;
}

static int undo_one(const uop *o, exhv_error *err)
{
    exhv_fs_info fi;
    switch (o->kind) {
    case UOP_CREATED:
        return tree_remove(o->path, NULL, err);
    case UOP_STASHED:
        if (tree_remove(o->path, NULL, err) < 0)
            return -1;
        return exhv_fs_rename(o->path2, o->path, err);
    case UOP_RENAMED:
        if (exhv_fs_info_get(o->path2, &fi, err) < 0)
            return -1;
        return fi.kind == EXHV_FS_NONE ? 0 : exhv_fs_rename(o->path2, o->path, err);
    case UOP_RO:
        if (exhv_fs_info_get(o->path, &fi, err) < 0)
            return -1;
        return fi.kind == EXHV_FS_NONE || fi.readonly == o->ro
                   ? 0 : exhv_fs_set_readonly(o->path, o->ro, err);
    case UOP_RMDIR:
        if (exhv_fs_mkdir(o->path, err) < 0)
            return -1;
        return o->ro ? exhv_fs_set_readonly(o->path, 1, err) : 0;
    }
    return 0;
}

static void uop_release(uop *o)
{
    free(o->path);
    free(o->path2);
}

int exhv_drv_undo_rollback(exhv_drv_undo *u, exhv_error *err)
{
    exhv_drv_undo *saved = cur_undo;
    int rc = 0;
    if (!u)
        return 0;
    cur_undo = NULL;   /* the undo itself is not logged */
    while (u->n > 0) {
        if (undo_one(&u->ops[u->n - 1], err) < 0) {
            exhv_error_prefix(err, "putting the guest's driver folders back as they were");
            rc = -1;
            break;
        }
        uop_release(&u->ops[--u->n]);
    }
    if (rc == 0 && tree_remove(u->root, NULL, err) < 0)
        rc = -1;
    cur_undo = saved;
    return rc;
}

int exhv_drv_undo_commit(exhv_drv_undo *u, exhv_error *err)
{
    exhv_drv_undo *saved = cur_undo;
    int rc;
    if (!u)
        return 0;
    cur_undo = NULL;
    rc = tree_remove(u->root, NULL, err);
    cur_undo = saved;
    if (rc == 0) {
        while (u->n > 0)
            uop_release(&u->ops[--u->n]);
    }
    return rc;
}

size_t exhv_drv_undo_pending(const exhv_drv_undo *u)
{
    return u ? u->n : 0;
}

void exhv_drv_undo_free(exhv_drv_undo *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++)
        uop_release(&u->ops[i]);
    free(u->ops);
    free(u->root);
    free(u);
}
