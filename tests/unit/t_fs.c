#include "t_fs.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "platform/fs.h"
#include "platform/tree.h"
#include "t.h"

void t_fs_rm_tree(const char *p)
{
    char **names = NULL;
    size_t n = 0;
    exhv_error err;
    exhv_fs_info fi;
    if (exhv_fs_info_get(p, &fi, &err) < 0 || fi.kind == EXHV_FS_NONE)
        return;
    if (fi.kind != EXHV_FS_DIR) {
        exhv_fs_set_readonly(p, 0, &err);
        exhv_fs_remove(p, &err);
        return;
    }
    exhv_fs_list(p, &names, &n, &err);
    for (size_t i = 0; i < n; i++) {
        char q[1024];
        snprintf(q, sizeof(q), "%s/%s", p, names[i]);
        t_fs_rm_tree(q);
    }
    exhv_strv_free(names, n);
    exhv_fs_set_readonly(p, 0, &err);
    exhv_fs_rmdir(p, &err);
}

void t_fs_mk(const char *base, const char *rel)
{
    char p[1024];
    exhv_error err;
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    CHECK(exhv_fs_mkdir(p, &err) == 0);
}

void t_fs_put(const char *base, const char *rel, const char *text)
{
    char p[1024];
    exhv_error err;
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    CHECK(exhv_fs_write_atomic(p, text, strlen(text), &err) == 0);
}
