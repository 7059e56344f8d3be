/* exhv inf: what a driver INF installs for a device, as driver import reads
 * it. A tool for drivers exhv does not know: it needs no host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/inf.h"
#include "core/json.h"
#include "core/text.h"
#include "platform/fs.h"

typedef struct inf_view {
    const char *file;
    const exhv_inf *inf;
    const exhv_inf_install *in;   /* NULL: no device chosen */
    const exhv_inf_model *models;
    size_t nmodels;
} inf_view;

static const char *ctv_mode(const exhv_inf_ctv *c)
{
    return c->when_newer ? "when_newer" : "overwrite";
}

static void render_json(exhv_buf *b, const inf_view *v)
{
    exhv_jw w;
    const exhv_inf_install *in = v->in;

    exhv_jw_init(&w, b, 1);
    exhv_jw_obj_begin(&w);
    exhv_jw_kint(&w, "schema", 1);
    exhv_jw_kstr(&w, "file", v->file);
    exhv_jw_kstr(&w, "class", exhv_inf_version(v->inf, "Class"));
    exhv_jw_kstr(&w, "provider", exhv_inf_version(v->inf, "Provider"));
    exhv_jw_kstr(&w, "driver_ver", exhv_inf_driver_version(v->inf));
    exhv_jw_kstr(&w, "driver_date", exhv_inf_driver_date(v->inf));
    exhv_jw_kstr(&w, "catalog_file", exhv_inf_version(v->inf, "CatalogFile"));
    exhv_jw_kstr(&w, "hwid", in ? in->hwid : NULL);
    exhv_jw_kstr(&w, "description", in ? in->description : NULL);
    exhv_jw_kstr(&w, "section", in ? in->section : NULL);
    exhv_jw_key(&w, "copy_inf");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; in && i < in->ncopy_inf; i++)
        exhv_jw_str(&w, in->copy_inf[i]);
    exhv_jw_arr_end(&w);
    exhv_jw_key(&w, "copy_files");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; in && i < in->ncopy_files; i++)
        exhv_jw_str(&w, in->copy_files[i]);
    exhv_jw_arr_end(&w);
    exhv_jw_key(&w, "copy_to_vm");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; in && i < in->nctv; i++) {
        const exhv_inf_ctv *c = &in->ctv[i];
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "name", c->name);
        exhv_jw_kstr(&w, "src", c->src);
        exhv_jw_kstr(&w, "dst", c->dst);
        exhv_jw_kstr(&w, "mode", ctv_mode(c));
        exhv_jw_kbool(&w, "wow64", c->wow64);
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);
    exhv_jw_key(&w, "models");
    exhv_jw_arr_begin(&w);
    for (size_t i = 0; i < v->nmodels; i++) {
        const exhv_inf_model *m = &v->models[i];
        exhv_jw_obj_begin(&w);
        exhv_jw_kstr(&w, "hwid", m->nids ? m->ids[0] : NULL);
        exhv_jw_kstr(&w, "description", m->description);
        exhv_jw_kstr(&w, "section", m->install_section);
        exhv_jw_kstr(&w, "models_section", m->models_section);
        exhv_jw_obj_end(&w);
    }
    exhv_jw_arr_end(&w);
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
}

static void render_text(exhv_buf *b, const inf_view *v)
{
    const exhv_inf_install *in = v->in;
    const char *cls = exhv_inf_version(v->inf, "Class"), *prov = exhv_inf_version(v->inf, "Provider");
    const char *ver = exhv_inf_driver_version(v->inf), *date = exhv_inf_driver_date(v->inf);

    exhv_buf_puts(b, "Class:     ");
    exhv_text_cell(b, cls ? cls : "-", -1, 0);
    exhv_buf_puts(b, "\nProvider:  ");
    exhv_text_cell(b, prov ? prov : "-", -1, 0);
    exhv_buf_puts(b, "\nDriverVer: ");
    exhv_text_cell(b, ver ? ver : "-", -1, 0);
    if (date) {
        exhv_buf_puts(b, " (");
        exhv_text_cell(b, date, -1, 0);
        exhv_buf_putc(b, ')');
    }
    exhv_buf_putc(b, '\n');
    if (!in) {
        exhv_buf_printf(b, "\n%zu device%s (give one to --hwid to see what it installs):\n",
                        v->nmodels, v->nmodels == 1 ? "" : "s");
        for (size_t i = 0; i < v->nmodels; i++) {
            const exhv_inf_model *m = &v->models[i];
            exhv_buf_puts(b, "  ");
            exhv_text_cell(b, m->nids ? m->ids[0] : "-", 44, 45);
            exhv_text_cell(b, m->install_section, 20, 21);
            exhv_text_cell(b, m->description, -1, 0);
            exhv_buf_putc(b, '\n');
        }
        return;
    }
    exhv_buf_putc(b, '\n');
    if (in->hwid) {
        exhv_buf_puts(b, "Device:    ");
        exhv_text_cell(b, in->hwid, -1, 0);
        exhv_buf_puts(b, "\n           ");
        exhv_text_cell(b, in->description, -1, 0);
        exhv_buf_putc(b, '\n');
    }
    exhv_buf_puts(b, "Section:   ");
    exhv_text_cell(b, in->section, -1, 0);
    exhv_buf_puts(b, "\nCopyINF:   ");
    for (size_t i = 0; i < in->ncopy_inf; i++) {
        if (i)
            exhv_buf_puts(b, ", ");
        exhv_text_cell(b, in->copy_inf[i], -1, 0);
    }
    if (!in->ncopy_inf)
        exhv_buf_puts(b, "-");
    exhv_buf_printf(b, "\nCopyFiles: %zu list%s\n", in->ncopy_files, in->ncopy_files == 1 ? "" : "s");
    if (!in->nctv) {
        exhv_buf_puts(b, "\nNo CopyToVm* values: the guest needs only the package folder.\n");
        return;
    }
    exhv_buf_printf(b, "\n%zu file%s for the guest's System32 / SysWOW64 (CopyToVm*):\n", in->nctv,
                    in->nctv == 1 ? "" : "s");
    exhv_buf_puts(b, "  MODE        FOLDER    FILE                  FROM THE PACKAGE\n");
    for (size_t i = 0; i < in->nctv; i++) {
        const exhv_inf_ctv *c = &in->ctv[i];
        exhv_buf_puts(b, "  ");
        exhv_text_cell(b, c->when_newer ? "when newer" : "overwrite", 11, 12);
        exhv_text_cell(b, c->wow64 ? "SysWOW64" : "System32", 9, 10);
        exhv_text_cell(b, c->dst, 21, 22);
        exhv_text_cell(b, c->src, -1, 0);
        exhv_buf_putc(b, '\n');
    }
}

/* Parse "10.0.22631" (or "10.0"). 0 or -1. */
static int parse_os(const char *s, exhv_inf_target *t)
{
    unsigned v[3] = {0, 0, 0};
    int n = 0;
    const char *p = s;
    while (n < 3) {
        unsigned long x = 0;
        const char *start = p;
        while (*p >= '0' && *p <= '9' && x < 1000000)
            x = x * 10 + (unsigned long)(*p++ - '0');
        if (p == start)
            return -1;
        v[n++] = (unsigned)x;
        if (!*p)
            break;
        if (*p++ != '.')
            return -1;
    }
    if (*p || n < 2)
        return -1;
    t->major = v[0], t->minor = v[1], t->build = v[2];
    return 0;
}

int cmd_inf(exhv_cli *cli, int argc, char **argv)
{
    const char *file = NULL, *hwid = NULL, *section = NULL, *locale = "0409";
    exhv_inf_target target = {"amd64", 0, 0, 0};
    exhv_inf *inf = NULL;
    exhv_inf_install in;
    exhv_inf_model *models = NULL;
    size_t nmodels = 0, len;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    char *data = NULL;
    int rc = EXHV_EXIT_FAILURE, have_in = 0;
    inf_view v;

    (void)cli;
    memset(&in, 0, sizeof(in));
    exhv_error_clear(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a))
            return cli_help("inf");
        if (strcmp(a, "--hwid") == 0 || strcmp(a, "--section") == 0 || strcmp(a, "--os") == 0 ||
            strcmp(a, "--locale") == 0) {
            if (i + 1 >= argc)
                return cli_usage("inf", "%s needs a value", a);
            if (strcmp(a, "--hwid") == 0)
                hwid = argv[++i];
            else if (strcmp(a, "--section") == 0)
                section = argv[++i];
            else if (strcmp(a, "--locale") == 0)
                locale = argv[++i];
            else if (parse_os(argv[++i], &target) < 0)
                return cli_usage("inf", "--os takes a Windows version such as 10.0.22631, "
                                        "not '%s'", argv[i]);
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("inf", "unknown option '%s'", a);
        } else if (!file) {
            file = a;
        } else {
            return cli_usage("inf", "unexpected argument '%s' (one INF file at a time)", a);
        }
    }
    if (!file)
        return cli_usage("inf", "name an INF file");
    if (hwid && section)
        return cli_usage("inf", "give --hwid or --section, not both");
    if (exhv_fs_read_file(file, EXHV_INF_MAX_BYTES, &data, &len, &err) < 0 ||
        exhv_inf_parse(data, len, locale, &inf, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (exhv_inf_models(inf, &target, &models, &nmodels, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (hwid || section) {
        int r = hwid ? exhv_inf_install_for_hwid(inf, hwid, &target, &in, &err)
                     : exhv_inf_install_section(inf, section, &in, &err);
        if (r < 0) {
            rc = cli_fail(&err);
            goto out;
        }
        have_in = 1;
        /* A value that leaves the package or System32 is refused here as
         * the import refuses it. */
        for (size_t i = 0; i < in.nctv; i++)
            if (exhv_inf_ctv_check(&in.ctv[i], &err) < 0) {
                exhv_error_prefix(&err, "%s, section %s", file, in.section);
                rc = cli_fail(&err);
                goto out;
            }
    }
    v.file = file;
    v.inf = inf;
    v.in = have_in ? &in : NULL;
    v.models = models;
    v.nmodels = nmodels;
    if (cli_json())
        render_json(&b, &v);
    else
        render_text(&b, &v);
    cli_out(&b);
    rc = EXHV_EXIT_OK;
out:
    exhv_buf_release(&b);
    exhv_inf_install_release(&in);
    exhv_inf_models_free(models, nmodels);
    exhv_inf_free(inf);
    free(data);
    return rc;
}
