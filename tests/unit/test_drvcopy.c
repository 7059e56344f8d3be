/* The driver copy engine on real directory trees in a private temporary
 * folder: what it copies, that a second run writes nothing, that an update
 * prunes, that a purge gives the guest back exactly, and that nothing
 * outside the guest's Windows folder is touched. Every comparison is of the
 * whole tree (names, kinds, contents, read-only flags). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <unistd.h>
#else
#include <process.h>
#endif

#include "core/buf.h"
#include "platform/drvcopy.h"
#include "platform/fs.h"
#include "platform/tree.h"
#include "t.h"
#include "t_fs.h"

#define rm_tree t_fs_rm_tree
#define mk(rel) t_fs_mk(root, rel)
#define put(rel, text) t_fs_put(root, rel, text)

static char root[512];

static char *path(const char *rel)
{
    static char p[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof(p[k]), "%s/%s", root, rel);
    return p[k];
}

/* The whole tree below dir as text: one line per entry, sorted. */
static void dump(exhv_buf *b, const char *dir, const char *rel)
{
    char **names = NULL;
    size_t n = 0;
    exhv_error err;
    if (exhv_fs_list(dir, &names, &n, &err) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char p[1024], r[1024], *data = NULL;
        size_t len = 0;
        exhv_fs_info fi;
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        snprintf(r, sizeof(r), "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        exhv_fs_info_get(p, &fi, &err);
        if (fi.kind == EXHV_FS_DIR) {
            exhv_buf_printf(b, "%s/\n", r);
            dump(b, p, r);
        } else if (fi.kind == EXHV_FS_FILE) {
            exhv_fs_read_file(p, 1 << 20, &data, &len, &err);
            exhv_buf_printf(b, "%s %s %lld [%s]\n", r, fi.readonly ? "ro" : "rw",
                            (long long)fi.mtime, data ? data : "?");
            free(data);
        } else {
            exhv_buf_printf(b, "%s other\n", r);
        }
    }
    exhv_strv_free(names, n);
}

static char *snap(const char *rel)
{
    exhv_buf b = EXHV_BUF_INIT;
    dump(&b, path(rel), "");
    exhv_buf_putc(&b, '\n');
    return exhv_buf_detach(&b);
}

/* A host driver store with two NVIDIA-like package versions, an unrelated
 * package, and a guest with a real vulkan-1.dll of its own. */
static void setup(void)
{
    static unsigned seq;
    const char *t = getenv("TMPDIR");
    exhv_error err;
#ifdef _WIN32
    if (!t)
        t = getenv("TEMP");
    snprintf(root, sizeof(root), "%s/exhv-drvcopy-%d-%u", t ? t : ".", _getpid(), seq++);
#else
    snprintf(root, sizeof(root), "%s/exhv-drvcopy-%d-%u", t ? t : "/tmp", (int)getpid(), seq++);
#endif
    rm_tree(root);
    CHECK(exhv_fs_mkdir(root, &err) == 0);
    mk("host");
    mk("host/nv_dispx.inf_amd64_aaaa");
    put("host/nv_dispx.inf_amd64_aaaa/nv_dispx.inf", "inf v1");
    put("host/nv_dispx.inf_amd64_aaaa/nvldumdx.dll", "umd v1");
    put("host/nv_dispx.inf_amd64_aaaa/nvcuda_loader64.dll", "cuda64 v1");
    put("host/nv_dispx.inf_amd64_aaaa/nvcuda_loader32.dll", "cuda32 v1");
    put("host/nv_dispx.inf_amd64_aaaa/vulkan-1-x64.dll", "vk v1");
    mk("host/nv_dispx.inf_amd64_aaaa/B123456");
    put("host/nv_dispx.inf_amd64_aaaa/B123456/nvEncodeAPI64.dll", "enc v1");
    mk("host/nv_dispx.inf_amd64_bbbb");
    put("host/nv_dispx.inf_amd64_bbbb/nv_dispx.inf", "inf v2");
    put("host/nv_dispx.inf_amd64_bbbb/nvldumdx.dll", "umd v2 longer");
    put("host/nv_dispx.inf_amd64_bbbb/nvcuda_loader64.dll", "cuda64 v2 longer");
    put("host/nv_dispx.inf_amd64_bbbb/vulkan-1-x64.dll", "vk v2 longer");
    mk("host/netrtl.inf_amd64_cccc");
    put("host/netrtl.inf_amd64_cccc/rtl.sys", "unrelated network driver");
    mk("outside");
    put("outside/keep.txt", "not the guest's");
    mk("guest");
    mk("guest/Windows");
    mk("guest/Windows/System32");
    mk("guest/Windows/SysWOW64");
    put("guest/Windows/System32/vulkan-1.dll", "the guest's own vulkan");
    put("guest/Windows/System32/kernel32.dll", "kernel");
}

static exhv_drv_pkg pkg_a[1], pkg_b[1];
static const exhv_drv_file files_a[] = {
    {"nv_dispx.inf_amd64_aaaa", "nvcuda_loader64.dll", "nvcuda.dll", 0, 1},
    {"nv_dispx.inf_amd64_aaaa", "nvcuda_loader32.dll", "nvcuda.dll", 1, 1},
    {"nv_dispx.inf_amd64_aaaa", "vulkan-1-x64.dll", "vulkan-1.dll", 0, 0},
    {"nv_dispx.inf_amd64_aaaa", "B123456\\nvEncodeAPI64.dll", "nvEncodeAPI64.dll", 0, 1},
};
static const exhv_drv_file files_b[] = {
    {"nv_dispx.inf_amd64_bbbb", "nvcuda_loader64.dll", "nvcuda.dll", 0, 1},
    {"nv_dispx.inf_amd64_bbbb", "vulkan-1-x64.dll", "vulkan-1.dll", 0, 0},
};

static exhv_drv_request req(int which)
{
    exhv_drv_request r;
    memset(&r, 0, sizeof(r));
    static char a[1024], b[1024], w[1024];
    snprintf(a, sizeof(a), "%s/host/nv_dispx.inf_amd64_aaaa", root);
    snprintf(b, sizeof(b), "%s/host/nv_dispx.inf_amd64_bbbb", root);
    snprintf(w, sizeof(w), "%s/guest/Windows", root);
    pkg_a[0].name = "nv_dispx.inf_amd64_aaaa";
    pkg_a[0].host_dir = a;
    pkg_b[0].name = "nv_dispx.inf_amd64_bbbb";
    pkg_b[0].host_dir = b;
    r.windows_dir = w;
    r.pkgs = which ? pkg_b : pkg_a;
    r.npkgs = 1;
    r.files = which ? files_b : files_a;
    r.nfiles = which ? 2 : 4;
    r.driver_version = which ? "32.0.15.6603" : "32.0.15.6094";
    r.gpu = "Example GPU 4090";
    return r;
}

static void read_into(const char *rel, char *out, size_t n)
{
    char *data = NULL;
    size_t len;
    exhv_error err;
    out[0] = '\0';
    if (exhv_fs_read_file(path(rel), 1 << 20, &data, &len, &err) == 0)
        snprintf(out, n, "%s", data);
    free(data);
}

#define HDS "guest/Windows/System32/HostDriverStore"

static void test_drvcopy_import_copies_only_the_package(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    exhv_fs_info fi;
    char buf[256], *ver = NULL, *gpu = NULL;
    setup();
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    /* The package under its exact name, subfolders included; nothing of
     * the other packages. */
    read_into(HDS "/FileRepository/nv_dispx.inf_amd64_aaaa/B123456/nvEncodeAPI64.dll", buf, sizeof(buf));
    CHECK_STR(buf, "enc v1");
    exhv_fs_info_get(path(HDS "/FileRepository/netrtl.inf_amd64_cccc"), &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    exhv_fs_info_get(path(HDS "/FileRepository/nv_dispx.inf_amd64_bbbb"), &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    /* System32 and SysWOW64 copies under their destination names. */
    read_into("guest/Windows/System32/nvcuda.dll", buf, sizeof(buf));
    CHECK_STR(buf, "cuda64 v1");
    read_into("guest/Windows/SysWOW64/nvcuda.dll", buf, sizeof(buf));
    CHECK_STR(buf, "cuda32 v1");
    read_into("guest/Windows/System32/vulkan-1.dll", buf, sizeof(buf));
    CHECK_STR(buf, "vk v1");
    /* The guest's own file, set aside. */
    read_into(HDS "/exhv-backup/System32/vulkan-1.dll", buf, sizeof(buf));
    CHECK_STR(buf, "the guest's own vulkan");
    CHECK_INT(st.files_set_aside, 1);
    /* 6 package files + 4 System32/SysWOW64 files. */
    CHECK_INT(st.pkg_files, 6);
    CHECK_INT(st.files_copied, 10);
    /* Everything under HostDriverStore read-only, System32 copies not. */
    exhv_fs_info_get(path(HDS "/FileRepository/nv_dispx.inf_amd64_aaaa/nvldumdx.dll"), &fi, &err);
    CHECK(fi.readonly);
    exhv_fs_info_get(path(HDS "/exhv-manifest.json"), &fi, &err);
    CHECK(fi.readonly);
    exhv_fs_info_get(path("guest/Windows/System32/nvcuda.dll"), &fi, &err);
    CHECK(!fi.readonly);
    CHECK(exhv_drv_manifest_read(path("guest/Windows"), &ver, &gpu, &err) == 0);
    CHECK_STR(ver, "32.0.15.6094");
    CHECK_STR(gpu, "Example GPU 4090");
    free(ver);
    free(gpu);
    rm_tree(root);
}

static void test_drvcopy_second_run_writes_nothing(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    char *before, *after;
    setup();
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    before = snap("guest");
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    after = snap("guest");
    CHECK_INT(st.files_copied, 0);
    CHECK_INT(st.bytes_copied, 0);
    CHECK_INT(st.files_same, 10);
    CHECK_STR(after, before);
    free(before);
    free(after);
    rm_tree(root);
}

static void test_drvcopy_update_replaces_and_prunes(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    exhv_fs_info fi;
    char buf[256], *ver = NULL, *gpu = NULL;
    setup();
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    /* A file the guest-side copy of the package should not keep. */
    r = req(1);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK_INT(st.pkgs_pruned, 1);
    exhv_fs_info_get(path(HDS "/FileRepository/nv_dispx.inf_amd64_aaaa"), &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    read_into(HDS "/FileRepository/nv_dispx.inf_amd64_bbbb/nvldumdx.dll", buf, sizeof(buf));
    CHECK_STR(buf, "umd v2 longer");
    read_into("guest/Windows/System32/nvcuda.dll", buf, sizeof(buf));
    CHECK_STR(buf, "cuda64 v2 longer");
    /* No longer declared: exhv's SysWOW64 and encoder copies removed ... */
    exhv_fs_info_get(path("guest/Windows/SysWOW64/nvcuda.dll"), &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    exhv_fs_info_get(path("guest/Windows/System32/nvEncodeAPI64.dll"), &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    /* ... and the guest's own vulkan still set aside while exhv's is there. */
    read_into(HDS "/exhv-backup/System32/vulkan-1.dll", buf, sizeof(buf));
    CHECK_STR(buf, "the guest's own vulkan");
    CHECK(exhv_drv_manifest_read(path("guest/Windows"), &ver, &gpu, &err) == 0);
    CHECK_STR(ver, "32.0.15.6603");
    free(ver);
    free(gpu);
    /* And again: nothing to write. */
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK_INT(st.bytes_copied, 0);
    rm_tree(root);
}

static void test_drvcopy_purge_restores_the_guest(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    char *before, *after, *outside;
    setup();
    before = snap("guest");
    outside = snap("outside");
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    r = req(1);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK(exhv_drv_purge(path("guest/Windows"), &st, &err) == 0);
    CHECK_INT(st.files_restored, 1);
    after = snap("guest");
    CHECK_STR(after, before);
    free(after);
    after = snap("outside");
    CHECK_STR(after, outside);
    free(after);
    /* A guest without a manifest: nothing to do. */
    CHECK(exhv_drv_purge(path("guest/Windows"), &st, &err) == 0);
    after = snap("guest");
    CHECK_STR(after, before);
    free(before);
    free(after);
    free(outside);
    rm_tree(root);
}

static void test_drvcopy_escaping_names_refused(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    char *before, *after;
    exhv_drv_pkg bad_pkg[1];
    exhv_drv_file bad_src[1] = {{"nv_dispx.inf_amd64_aaaa", "..\\..\\..\\outside\\keep.txt", "x.dll", 0, 0}};
    exhv_drv_file bad_dst[1] = {{"nv_dispx.inf_amd64_aaaa", "nvldumdx.dll", "..\\drivers\\x.sys", 0, 0}};
    setup();
    before = snap("");
    r = req(0);
    bad_pkg[0].name = "..";
    bad_pkg[0].host_dir = pkg_a[0].host_dir;
    r.pkgs = bad_pkg;
    r.files = NULL;
    r.nfiles = 0;
    CHECK(exhv_drv_import(&r, &st, &err) < 0);
    CHECK(strstr(err.message, "not a single folder name") != NULL);
    r = req(0);
    r.files = bad_src;
    r.nfiles = 1;
    CHECK(exhv_drv_import(&r, &st, &err) < 0);
    CHECK(strstr(err.message, "not a path inside the package") != NULL);
    r.files = bad_dst;
    CHECK(exhv_drv_import(&r, &st, &err) < 0);
    CHECK(strstr(err.message, "not a file name in System32") != NULL);
    after = snap("");
    CHECK_STR(after, before);
    free(before);
    free(after);
    rm_tree(root);
}

/* The manifest is guest data: an entry for a System32 file exhv did not
 * put there (no backup, not exhv's copy of its package's file) is not
 * removed by a purge, and a package named "" is not a package. */
static void edit_manifest(const char *find, const char *insert)
{
    char *data = NULL, *at;
    size_t len = 0;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    CHECK(exhv_fs_set_readonly(path(HDS "/exhv-manifest.json"), 0, &err) == 0);
    CHECK(exhv_fs_read_file(path(HDS "/exhv-manifest.json"), 1 << 20, &data, &len, &err) == 0);
    at = data ? strstr(data, find) : NULL;
    CHECK(at != NULL);
    if (at) {
        at = strchr(at, '[') + 1;
        exhv_buf_add(&b, data, (size_t)(at - data));
        exhv_buf_puts(&b, insert);
        exhv_buf_puts(&b, at);
        CHECK(exhv_fs_write_atomic(path(HDS "/exhv-manifest.json"), exhv_buf_str(&b), b.len,
                                   &err) == 0);
    }
    exhv_buf_release(&b);
    free(data);
}

static void test_drvcopy_purge_trusts_no_manifest_name(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    char *before, *after;
    char buf[64];
    setup();
    before = snap("guest");
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    edit_manifest("\"files\"", "{\"folder\":\"System32\",\"name\":\"kernel32.dll\","
                  "\"package\":\"nv_dispx.inf_amd64_aaaa\",\"src\":\"nvldumdx.dll\"},");
    CHECK(exhv_drv_purge(path("guest/Windows"), &st, &err) == 0);
    read_into("guest/Windows/System32/kernel32.dll", buf, sizeof(buf));
    CHECK_STR(buf, "kernel");
    CHECK_INT(st.pkgs_pruned, 1);
    after = snap("guest");
    CHECK_STR(after, before);
    free(after);
    /* A package named "": refused, nothing changed. */
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    after = snap("guest");
    edit_manifest("\"packages\"", "\"\",");
    free(after);
    after = snap("guest");
    CHECK(exhv_drv_purge(path("guest/Windows"), &st, &err) < 0);
    {
        char *now = snap("guest");
        CHECK_STR(now, after);
        free(now);
    }
    free(after);
    free(before);
    rm_tree(root);
}

/* A read-only guest file the copy replaces comes back read-only. */
static void test_drvcopy_purge_keeps_read_only(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    char *before, *after;
    setup();
    CHECK(exhv_fs_set_readonly(path("guest/Windows/System32/vulkan-1.dll"), 1, &err) == 0);
    before = snap("guest");
    CHECK(strstr(before, "vulkan-1.dll ro") != NULL);
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK(exhv_drv_purge(path("guest/Windows"), &st, &err) == 0);
    CHECK_INT(st.files_restored, 1);
    after = snap("guest");
    CHECK_STR(after, before);
    free(after);
    free(before);
    rm_tree(root);
}

#ifndef _WIN32
static void test_drvcopy_links_not_followed(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    char *before, *after;
    setup();
    /* HostDriverStore planted as a link to a folder outside the guest. */
    CHECK(symlink(path("outside"), path(HDS)) == 0);
    before = snap("outside");
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) < 0);
    CHECK(strstr(err.message, "link or not a folder") != NULL);
    CHECK(exhv_drv_purge(path("guest/Windows"), &st, &err) < 0);
    after = snap("outside");
    CHECK_STR(after, before);
    free(before);
    free(after);
    rm_tree(root);
}
#endif

static int stop_after_three(void *user, const exhv_drv_progress *p)
{
    int *calls = user;
    (*calls)++;
    CHECK(p->files_done <= p->files_total);
    CHECK(p->bytes_done <= p->bytes_total);
    return p->files_done >= 3;
}

static void test_drvcopy_stopped_copy_is_undone_by_purge(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    char *before, *after;
    int calls = 0;
    setup();
    before = snap("guest");
    r = req(0);
    r.progress = stop_after_three;
    r.user = &calls;
    CHECK(exhv_drv_import(&r, &st, &err) < 0);
    CHECK_INT(calls, 3);
    CHECK(exhv_drv_purge(path("guest/Windows"), &st, &err) == 0);
    after = snap("guest");
    CHECK_STR(after, before);
    free(after);
    /* Stopped while System32 files were being placed: still undone. */
    calls = 0;
    r.progress = NULL;
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK(exhv_drv_purge(path("guest/Windows"), &st, &err) == 0);
    after = snap("guest");
    CHECK_STR(after, before);
    free(before);
    free(after);
    rm_tree(root);
}

static void test_drvcopy_dry_run_changes_nothing(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    char *before, *after;
    setup();
    before = snap("guest");
    r = req(0);
    r.dry_run = 1;
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK_INT(st.files_copied, 10);
    CHECK_INT(st.bytes_copied, 6 + 6 + 9 + 9 + 5 + 6 + 9 + 9 + 5 + 6);
    after = snap("guest");
    CHECK_STR(after, before);
    free(before);
    free(after);
    rm_tree(root);
}

static int stop_after_two(void *user, const exhv_drv_progress *p)
{
    (void)user;
    return p->files_done >= 2;
}

/* With an undo log, every change an import or a purge makes is put back
 * exactly (contents, names, times, read-only flags): a first import, an
 * update that prunes, a purge, and an import stopped in mid-copy. A commit
 * keeps the change and drops what was set aside. */
static void test_drvcopy_undo_puts_back_exactly(void)
{
    exhv_drv_request r;
    exhv_drv_stats st;
    exhv_error err;
    exhv_drv_undo *u = NULL;
    exhv_fs_info fi;
    char *pristine, *base, *after, *outside;
    setup();
    pristine = snap("guest");
    outside = snap("outside");
    /* A first import, undone. */
    CHECK(exhv_drv_undo_begin(path("guest/Windows"), &u, &err) == 0);
    r = req(0);
    r.undo = u;
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK_INT(st.files_copied, 10);
    CHECK(exhv_drv_undo_pending(u) > 0);
    CHECK(exhv_drv_undo_rollback(u, &err) == 0);
    exhv_drv_undo_free(u);
    after = snap("guest");
    CHECK_STR(after, pristine);
    free(after);
    /* An update over an import: pruned and replaced, then undone. */
    r = req(0);
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    base = snap("guest");
    CHECK(exhv_drv_undo_begin(path("guest/Windows"), &u, &err) == 0);
    r = req(1);
    r.undo = u;
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK_INT(st.pkgs_pruned, 1);
    exhv_fs_info_get(path(HDS "/FileRepository/nv_dispx.inf_amd64_aaaa"), &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    CHECK(exhv_drv_undo_rollback(u, &err) == 0);
    exhv_drv_undo_free(u);
    after = snap("guest");
    CHECK_STR(after, base);
    free(after);
    /* A purge, undone. */
    CHECK(exhv_drv_undo_begin(path("guest/Windows"), &u, &err) == 0);
    CHECK(exhv_drv_purge_undoable(path("guest/Windows"), u, &st, &err) == 0);
    CHECK_INT(st.files_restored, 1);
    CHECK(exhv_drv_undo_rollback(u, &err) == 0);
    exhv_drv_undo_free(u);
    after = snap("guest");
    CHECK_STR(after, base);
    free(after);
    /* Stopped after two files: the failed import undone. */
    CHECK(exhv_drv_undo_begin(path("guest/Windows"), &u, &err) == 0);
    r = req(1);
    r.undo = u;
    r.progress = stop_after_two;
    CHECK(exhv_drv_import(&r, &st, &err) < 0);
    CHECK(exhv_drv_undo_rollback(u, &err) == 0);
    exhv_drv_undo_free(u);
    after = snap("guest");
    CHECK_STR(after, base);
    free(after);
    /* Committed: the update stays, nothing set aside is left, and a new
     * log can begin. */
    CHECK(exhv_drv_undo_begin(path("guest/Windows"), &u, &err) == 0);
    {
        exhv_drv_undo *u2 = NULL;
        CHECK(exhv_drv_undo_begin(path("guest/Windows"), &u2, &err) < 0);
        CHECK(strstr(err.message, "exhv-undo") != NULL);
    }
    r = req(1);
    r.undo = u;
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK(exhv_drv_undo_commit(u, &err) == 0);
    exhv_drv_undo_free(u);
    exhv_fs_info_get(path("guest/Windows/System32/exhv-undo"), &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    exhv_fs_info_get(path(HDS "/FileRepository/nv_dispx.inf_amd64_aaaa"), &fi, &err);
    CHECK(fi.kind == EXHV_FS_NONE);
    r.undo = NULL;
    CHECK(exhv_drv_import(&r, &st, &err) == 0);
    CHECK_INT(st.bytes_copied, 0);
    after = snap("outside");
    CHECK_STR(after, outside);
    free(after);
    free(pristine);
    free(base);
    free(outside);
    rm_tree(root);
}

T_CASES(drvcopy_tests) = {
    {"drvcopy_import_copies_only_the_package", test_drvcopy_import_copies_only_the_package},
    {"drvcopy_second_run_writes_nothing", test_drvcopy_second_run_writes_nothing},
    {"drvcopy_update_replaces_and_prunes", test_drvcopy_update_replaces_and_prunes},
    {"drvcopy_purge_restores_the_guest", test_drvcopy_purge_restores_the_guest},
    {"drvcopy_purge_trusts_no_manifest_name", test_drvcopy_purge_trusts_no_manifest_name},
    {"drvcopy_purge_keeps_read_only", test_drvcopy_purge_keeps_read_only},
    {"drvcopy_escaping_names_refused", test_drvcopy_escaping_names_refused},
#ifndef _WIN32
    {"drvcopy_links_not_followed", test_drvcopy_links_not_followed},
#endif
    {"drvcopy_stopped_copy_is_undone_by_purge", test_drvcopy_stopped_copy_is_undone_by_purge},
    {"drvcopy_dry_run_changes_nothing", test_drvcopy_dry_run_changes_nothing},
    {"drvcopy_undo_puts_back_exactly", test_drvcopy_undo_puts_back_exactly},
    T_END,
};
