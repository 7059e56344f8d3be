/* INF files: the reader and what driver import needs from them.
 *
 * Syntax (MSD install/general-syntax-rules-for-inf-files.md): sections in
 * brackets, `key = value, value` lines, `;` comments outside quotes, `"..."`
 * with `""` for a quote, a trailing `\` joining the next line, `%strkey%`
 * from [Strings.<locale>] then [Strings] (`%%` is a percent sign). Sections
 * of the same name are one section. UTF-16LE (with a BOM, or recognisably
 * without), UTF-8 with or without a BOM, and other 8-bit text read as
 * Windows-1252's Latin-1 subset. */
#ifndef EXHV_INF_H
#define EXHV_INF_H

#include <stddef.h>

#include "core/error.h"

typedef struct exhv_inf exhv_inf;

/* Largest INF read (real display INFs are a few MB). */
#define EXHV_INF_MAX_BYTES (32u * 1024u * 1024u)

/* Parse len bytes. locale picks [Strings.<locale>] before [Strings] ("0409";
 * NULL for [Strings] only). On success *out owns the parsed file. */
int exhv_inf_parse(const void *data, size_t len, const char *locale, exhv_inf **out,
                   exhv_error *err);
void exhv_inf_free(exhv_inf *inf);

/* The first field of `key` in [Version] (Class, Provider, CatalogFile ...),
 * strings substituted; NULL when absent. */
const char *exhv_inf_version(const exhv_inf *inf, const char *key);
/* DriverVer split into its date and version ("01/02/2024", "32.0.15.6094");
 * either may be NULL. */
const char *exhv_inf_driver_date(const exhv_inf *inf);
const char *exhv_inf_driver_version(const exhv_inf *inf);

/* Raw access, for tests and the fuzz target. Section names are matched
 * without regard to ASCII case. -1 when there is no such section. */
long exhv_inf_section_find(const exhv_inf *inf, const char *name);
size_t exhv_inf_section_lines(const exhv_inf *inf, long section);
/* Line i of a section: its key (NULL for a line without '='), its fields. */
const char *exhv_inf_line_key(const exhv_inf *inf, long section, size_t i);
size_t exhv_inf_line_nfields(const exhv_inf *inf, long section, size_t i);
const char *exhv_inf_line_field(const exhv_inf *inf, long section, size_t i, size_t f);

/* The OS a models section is chosen for (MSD
 * install/combining-platform-extensions-with-operating-system-versions.md).
 * Zero parts mean "any": the highest decoration for the architecture wins. */
typedef struct exhv_inf_target {
    const char *arch;   /* "amd64" (NULL: amd64) */
    unsigned major, minor, build;
} exhv_inf_target;

/* One device line of a models section. */
typedef struct exhv_inf_model {
    char *manufacturer;     /* the [Manufacturer] entry's name, substituted */
    char *models_section;   /* as chosen for the target, decorated */
    char *description;
    char *install_section;  /* undecorated, as the models line names it */
    char **ids;             /* hardware ID then compatible IDs */
    size_t nids;
} exhv_inf_model;

/* Every device of the models sections chosen for target, in file order. */
int exhv_inf_models(const exhv_inf *inf, const exhv_inf_target *target, exhv_inf_model **out,
                    size_t *n, exhv_error *err);
void exhv_inf_models_free(exhv_inf_model *m, size_t n);

/* A CopyToVm* value of the adapter's software key, as the install section's
 * AddReg lines leave it (MSD display/gpu-paravirtualization.md). */
typedef struct exhv_inf_ctv {
    char *name;       /* the registry value's name */
    char *src;        /* inside the package folder; may hold subfolders */
    char *dst;        /* a bare file name in System32 / SysWOW64 */
    int when_newer;   /* CopyToVmWhenNewer*: else CopyToVmOverwrite* */
    int wow64;        /* SysWOW64: else System32 */
} exhv_inf_ctv;

/* What one install section does, as far as driver import is concerned. */
typedef struct exhv_inf_install {
    char *hwid;           /* the ID that matched (NULL when a section was named) */
    char *description;
    char *section;        /* the DDInstall section read, as decorated in the file */
    char **copy_inf;      /* CopyINF names, in order, each once */
    size_t ncopy_inf;
    char **copy_files;    /* CopyFiles lists (file-list sections and @files) */
    size_t ncopy_files;
    char **add_reg;       /* AddReg sections, in order */
    size_t nadd_reg;
    exhv_inf_ctv *ctv;
    size_t nctv;
} exhv_inf_install;

/* The install section for a device. hwid is a device's most specific
 * hardware ID: for PCI IDs the more specific IDs Windows derives from it
 * come first (SUBSYS and REV, SUBSYS, REV, VEN&DEV), so that a SUBSYS model
 * wins over the generic one. Returns -2 (err set, EXHV_E_NOT_FOUND) when no
 * model names the device. */
int exhv_inf_install_for_hwid(const exhv_inf *inf, const char *hwid,
                              const exhv_inf_target *target, exhv_inf_install *out,
                              exhv_error *err);
/* The same for an install section named by the host (the adapter's
 * InfSection). -2 when the INF has no such section. */
int exhv_inf_install_section(const exhv_inf *inf, const char *section, exhv_inf_install *out,
                             exhv_error *err);
void exhv_inf_install_release(exhv_inf_install *in);

/* Whether a CopyToVm source stays inside its package folder and its
 * destination is a bare file name: a value naming "..\..\x.dll", an absolute
 * path, a drive or a stream is refused (err says which and why). 0 or -1. */
int exhv_inf_ctv_check(const exhv_inf_ctv *c, exhv_error *err);
/* A relative path that stays below its root: no empty, "." or ".."
 * component, no drive, no leading separator, no ':' (streams), no control
 * characters. Separators '\' and '/'. 1 when safe. */
int exhv_relpath_safe(const char *path);
/* A name Windows creates as a normal file in a folder: a safe single
 * component, not ending in a blank or dot, not a device name (CON, PRN,
 * AUX, NUL, COM1-9, LPT1-9) with or without an extension. 1 when so. */
int exhv_win_filename_ok(const char *name);

#endif
