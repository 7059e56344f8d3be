/* Folders and files for tests that work on real trees (driver store, guest
 * disks, the copy engine), under a base folder each test makes. */
#ifndef EXHV_T_FS_H
#define EXHV_T_FS_H

/* Remove p and everything in it, read-only files included (nothing links
 * out of a test's folder). */
void t_fs_rm_tree(const char *p);
/* Make the folder base/rel; write the file base/rel with text. Both CHECK. */
void t_fs_mk(const char *base, const char *rel);
void t_fs_put(const char *base, const char *rel, const char *text);

#endif
