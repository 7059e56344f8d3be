#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/text.h"
#include "hyperv/ports.h"
#include "platform/console.h"

void cli_out(const exhv_buf *b)
{
    exhv_console_write(1, exhv_buf_str(b), strlen(exhv_buf_str(b)));
}

void cli_err(const char *fmt, ...)
{
    exhv_buf b = EXHV_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    exhv_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    exhv_console_write(2, exhv_buf_str(&b), b.len);
    exhv_buf_release(&b);
}

static const char *plat_kind_name(exhv_platkind k)
{
    switch (k) {
    case EXHV_PLAT_HRESULT: return "HRESULT";
    case EXHV_PLAT_WIN32: return "Win32 error";
    case EXHV_PLAT_CONFIGRET: return "CONFIGRET";
    case EXHV_PLAT_MSVM: return "Hyper-V return value";
    case EXHV_PLAT_ERRNO: return "errno";
    default: return "";
    }
}

void fmt_platform(exhv_buf *b, const exhv_error *err)
{
    if (err->plat_kind == EXHV_PLAT_NONE)
        return;
    /* HRESULTs read as hex (0x8004100E); the other codes as decimal. */
    if (err->plat_kind == EXHV_PLAT_HRESULT)
        exhv_buf_printf(b, "(%s 0x%08lX", plat_kind_name(err->plat_kind), err->plat_code);
    else
        exhv_buf_printf(b, "(%s %lu", plat_kind_name(err->plat_kind), err->plat_code);
    if (err->plat_text[0]) {
        exhv_buf_puts(b, ": ");
        exhv_text_cell(b, err->plat_text, -1, 0);
    }
    exhv_buf_putc(b, ')');
}

/* The command line being run: --json and --connect decide how errors are
 * reported. Set once by main. */
static const exhv_cli *cur_cli;

void cli_bind(const exhv_cli *cli)
{
    cur_cli = cli;
}

int cli_json(void)
{
    return cur_cli && cur_cli->json;
}

const char *cli_uri(void)
{
    return cur_cli && cur_cli->uri ? cur_cli->uri : exhv_conn_default_uri();
}

int cli_exit_for(exhv_errcode code)
{
    switch (code) {
    case EXHV_OK: return EXHV_EXIT_OK;
    case EXHV_E_USAGE:
    case EXHV_E_AMBIGUOUS: return EXHV_EXIT_USAGE;
    case EXHV_E_NO_HYPERV: return EXHV_EXIT_NO_HYPERV;
    default: return EXHV_EXIT_FAILURE;
    }
}

void json_error(exhv_jw *w, const exhv_error *err, int exit_status)
{
    exhv_jw_key(w, "error");
    exhv_jw_obj_begin(w);
    exhv_jw_kstr(w, "code", exhv_errcode_name(err->code));
    exhv_jw_kstr(w, "message", err->message);
    exhv_jw_kint(w, "exit_status", exit_status);
    if (err->plat_kind != EXHV_PLAT_NONE) {
        exhv_jw_kstr(w, "platform_kind", plat_kind_name(err->plat_kind));
        exhv_jw_kuint(w, "platform_code", err->plat_code);
        exhv_jw_kstr(w, "platform_text", err->plat_text);
    }
    exhv_jw_obj_end(w);
}

/* With --json, an error is also one document on stdout, so that a script
 * reading stdout always gets JSON. */
static void json_error_doc(const exhv_error *err, int exit_status)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    exhv_jw_init(&w, &b, 1);
    exhv_jw_obj_begin(&w);
    exhv_jw_kint(&w, "schema", 1);
    exhv_jw_kstr(&w, "connection", cli_uri());
    json_error(&w, err, exit_status);
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
    cli_out(&b);
    exhv_buf_release(&b);
}

void cli_fail_text(const exhv_error *err)
{
    exhv_buf b = EXHV_BUF_INIT;

    exhv_buf_puts(&b, "exhv: error: ");
    /* Messages that list candidates put each on a line of its own ("\n  "):
     * those breaks are kept, every other control character is escaped. */
    for (const char *p = err->message;;) {
        const char *e = strstr(p, "\n  ");
        char *part = e ? exhv_strndup(p, (size_t)(e - p)) : NULL;
        exhv_text_cell(&b, e ? (part ? part : "") : p, -1, 0);
        free(part);
        if (!e)
            break;
        exhv_buf_puts(&b, "\n  ");
        p = e + 3;
    }
    if (err->plat_kind != EXHV_PLAT_NONE) {
        exhv_buf_puts(&b, "\n  ");
        fmt_platform(&b, err);
    }
    exhv_buf_putc(&b, '\n');
    exhv_console_write(2, exhv_buf_str(&b), b.len);
    exhv_buf_release(&b);
}

int cli_fail(const exhv_error *err)
{
    int rc = cli_exit_for(err->code);
    cli_fail_text(err);
    if (cli_json())
        json_error_doc(err, rc);
    return rc;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_error err;
    va_list ap;
    exhv_error_clear(&err);
    va_start(ap, fmt);
    exhv_error_setv(&err, EXHV_E_USAGE, fmt, ap);
    va_end(ap);
    /* Arguments are echoed in the message: escape what a terminal would
     * act on (escape sequences) and invalid UTF-8. */
    exhv_buf_puts(&b, "exhv: ");
    exhv_text_cell(&b, err.message, -1, 0);
    exhv_buf_printf(&b, "\nRun 'exhv %s%s--help' for usage.\n", cmd ? cmd : "", cmd ? " " : "");
    exhv_console_write(2, exhv_buf_str(&b), b.len);
    exhv_buf_release(&b);
    if (cli_json())
        json_error_doc(&err, EXHV_EXIT_USAGE);
    return EXHV_EXIT_USAGE;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

void cli_out_help(const char *cmd, const exhv_buf *text)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    if (!cli_json()) {
        cli_out(text);
        return;
    }
    /* Help is an outcome too: with --json, a document that carries it. */
    exhv_jw_init(&w, &b, 1);
    exhv_jw_obj_begin(&w);
    exhv_jw_kint(&w, "schema", 1);
    exhv_jw_kstr(&w, "command", cmd);
    exhv_jw_kstr(&w, "help", exhv_buf_str(text));
    exhv_jw_obj_end(&w);
    exhv_jw_end(&w);
    cli_out(&b);
    exhv_buf_release(&b);
}

int cli_help(const char *cmd)
{
    for (const exhv_command *c = exhv_commands; c->name; c++)
        if (strcmp(c->name, cmd) == 0) {
            exhv_buf b = EXHV_BUF_INIT;
            exhv_buf_puts(&b, c->help);
            cli_out_help(c->name, &b);
            exhv_buf_release(&b);
            return EXHV_EXIT_OK;
        }
    return cli_usage(NULL, "unknown command '%s'", cmd);
}

int cli_snapshot(exhv_cli *cli, exhv_host **out)
{
    exhv_error err;
    exhv_conn *c = NULL;
    int rc;

    exhv_error_clear(&err);
    if (exhv_conn_open(cli->uri, &c, &err) < 0)
        return cli_fail(&err);
    rc = exhv_snapshot_take(c, out, &err);
    exhv_conn_close(c);
    if (rc == 0)
        cli_warnings(*out);
    return rc < 0 ? cli_fail(&err) : 0;
}

void fmt_bytes(char *out, size_t n, uint64_t bytes)
{
    const uint64_t gib = 1ull << 30, mib = 1ull << 20;
    if (bytes == 0)
        snprintf(out, n, "-");
    else if (bytes >= gib && bytes % gib == 0)
        snprintf(out, n, "%llu GiB", (unsigned long long)(bytes / gib));
    else if (bytes >= gib)
        snprintf(out, n, "%.1f GiB", (double)bytes / (double)gib);
    else if (bytes >= mib)
        snprintf(out, n, "%llu MiB", (unsigned long long)(bytes / mib));
    else
        snprintf(out, n, "%llu B", (unsigned long long)bytes);
}

/* A unit that must stay on the line of the number before it ("32 GB"). */
static size_t unit_after(const char *p)
{
    static const char *const units[] = {"MB", "GB", "TB", "KB", "MiB", "GiB", "TiB", "KiB",
                                        "bytes"};
    if (*p != ' ')
        return 0;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        size_t n = strlen(units[i]);
        if (strncmp(p + 1, units[i], n) == 0 &&
            (!p[1 + n] || p[1 + n] == ' ' || p[1 + n] == ',' || p[1 + n] == '.' ||
             p[1 + n] == ';' || p[1 + n] == ')' || p[1 + n] == ':' || p[1 + n] == '/'))
            return 1 + n;
    }
    return 0;
}

/* fmt_wrap and cli_wrap_commands: with commands_whole, a `command` in
 * backquotes is one word (a person copies it whole). */
static void wrap(exhv_buf *b, const char *text, int first_col, int indent, int width,
                 int commands_whole)
{
    int col = first_col, first = 1;
    const char *p = text;

    for (;;) {
        const char *w;
        char *word;
        int wcols;
        exhv_buf tmp = EXHV_BUF_INIT;

        while (*p == ' ')
            p++;
        if (!*p)
            break;
        w = p;
        while (*p && *p != ' ')
            p = commands_whole && *p == '`' && strchr(p + 1, '`') ? strchr(p + 1, '`') + 1
                                                                 : p + 1;
        /* A value and its unit wrap together: never "32" / "GB". */
        if (p > w && p[-1] >= '0' && p[-1] <= '9') {
            size_t u = unit_after(p);
            p += u;
            if (u)
                while (*p && *p != ' ')
                    p++;
        }
        if (!(word = exhv_strndup(w, (size_t)(p - w))))
            return;
        wcols = exhv_text_cell(&tmp, word, -1, 0);
        free(word);
        if (!first && col + 1 + wcols > width) {
            exhv_buf_putc(b, '\n');
            for (col = 0; col < indent; col++)
                exhv_buf_putc(b, ' ');
        } else if (!first) {
            exhv_buf_putc(b, ' ');
            col++;
        }
        exhv_buf_add(b, exhv_buf_str(&tmp), tmp.len);
        exhv_buf_release(&tmp);
        col += wcols;
        first = 0;
    }
}

void fmt_wrap(exhv_buf *b, const char *text, int first_col, int indent, int width)
{
    wrap(b, text, first_col, indent, width, 0);
}

void cli_wrap_commands(exhv_buf *b, const char *text, int first_col, int indent, int width)
{
    wrap(b, text, first_col, indent, width, 1);
}

void json_header(exhv_jw *w, const exhv_host *h)
{
    exhv_jw_obj_begin(w);
    exhv_jw_kint(w, "schema", 1);
    exhv_jw_kstr(w, "connection", h->uri);
    exhv_jw_kbool(w, "simulated", h->simulated);
    exhv_jw_kuint(w, "wmi_queries", h->wmi_queries);
    if (h->nwarnings) {
        exhv_jw_key(w, "warnings");
        exhv_jw_arr_begin(w);
        for (size_t i = 0; i < h->nwarnings; i++)
            exhv_jw_str(w, h->warnings[i]);
        exhv_jw_arr_end(w);
    }
}

void cli_warnings(const exhv_host *h)
{
    for (size_t i = 0; h && i < h->nwarnings; i++) {
        exhv_buf b = EXHV_BUF_INIT;
        exhv_buf_puts(&b, "exhv: warning: ");
        exhv_text_cell(&b, h->warnings[i], -1, 0);
        exhv_buf_putc(&b, '\n');
        exhv_console_write(2, exhv_buf_str(&b), b.len);
        exhv_buf_release(&b);
    }
}
