/* The exhv command line: shared state and helpers of the commands. */
#ifndef EXHV_CLI_H
#define EXHV_CLI_H

#include <stdint.h>

#include "core/compiler.h"

#include "core/buf.h"
#include "core/error.h"
#include "core/model.h"

/* Exit codes (README, "Exit codes"). */
enum {
    EXHV_EXIT_OK = 0,
    EXHV_EXIT_FAILURE = 1,
    EXHV_EXIT_USAGE = 2,
    EXHV_EXIT_NO_HYPERV = 3,
    EXHV_EXIT_CHECKS = 4,
    EXHV_EXIT_INCOMPLETE = 5,   /* a change failed and could not be fully undone */
    EXHV_EXIT_CANCELLED = 6,    /* the user declined the plan */
};

typedef struct exhv_cli {
    const char *uri;   /* --connect, or NULL for the default */
    int json;          /* --json */
} exhv_cli;

typedef struct exhv_command {
    const char *name;
    int (*run)(exhv_cli *cli, int argc, char **argv);
    const char *summary;
    const char *help;   /* full text for `exhv COMMAND --help` */
} exhv_command;

extern const exhv_command exhv_commands[];

/* Write text to stdout / stderr (console-aware on Windows). */
void cli_out(const exhv_buf *b);
void cli_err(const char *fmt, ...)
    EXHV_PRINTF(1, 2)
    ;
/* The command line being run (main binds it once): with --json every
 * outcome, errors included, is one JSON document on stdout. */
void cli_bind(const exhv_cli *cli);
int cli_json(void);
/* The connection URI in use: --connect, else the default. */
const char *cli_uri(void);
/* The exit status that fits an error code (README, "Exit status"). */
int cli_exit_for(exhv_errcode code);
/* Print an error the way every command does; returns the exit code that
 * fits it. With --json, also writes {"schema", "connection", "error"} on
 * stdout. */
int cli_fail(const exhv_error *err);
/* Only the text on stderr (for documents that carry the error themselves). */
void cli_fail_text(const exhv_error *err);
/* "error": {"code", "message", "exit_status", platform_*} into an open object. */
struct exhv_jw;
void json_error(struct exhv_jw *w, const exhv_error *err, int exit_status);
/* A usage error about `cmd`: prints it (arguments escaped for the terminal)
 * and the pointer to --help; with --json also an error document. */
int cli_usage(const char *cmd, const char *fmt, ...)
    EXHV_PRINTF(2, 3)
    ;
/* True when arg is -h or --help. */
int cli_is_help(const char *arg);
/* Print a command's help (with --json, {"schema", "command", "help"}). */
int cli_help(const char *cmd);
/* Print help text for `cmd` (NULL: exhv itself), as cli_help does. */
void cli_out_help(const char *cmd, const exhv_buf *text);

/* Connect and take a snapshot; on failure prints the error and returns an
 * exit code (> 0); on success 0 and *out. */
int cli_snapshot(exhv_cli *cli, exhv_host **out);
/* Print the snapshot's warnings (parts it could not read) on stderr. */
void cli_warnings(const exhv_host *h);

/* Formatting */
/* "(HRESULT 0x8004100E: text)" for an error's platform code; nothing if none. */
void fmt_platform(exhv_buf *b, const exhv_error *err);
void fmt_bytes(char *out, size_t n, uint64_t bytes);
/* Append text wrapped to `width` columns, continuation lines indented by
 * `indent` spaces (the first line is assumed to start at `first_col`). */
void fmt_wrap(exhv_buf *b, const char *text, int first_col, int indent, int width);
/* JSON document header: {"schema": 1, "connection": ..., "simulated": ...,
 * leaving the object open. */
struct exhv_jw;
void json_header(struct exhv_jw *w, const exhv_host *h);

/* Guest driver states (guestdrv.c) */
/* `exhv [--connect URI] CMD VM` as a person runs it: the VM by its name
 * when no other VM has it, else by its ID; words quoted for the shell. */
void cli_vm_command(exhv_buf *b, const exhv_cli *cli, const exhv_host *h, const exhv_vm *vm,
                    const char *cmd);
/* fmt_wrap, but a `command` in backquotes stays on one line. */
void cli_wrap_commands(exhv_buf *b, const char *text, int first_col, int indent, int width);
/* Stale, GPU missing or malformed: something the person should act on. */
int cli_guest_drivers_attention(const exhv_vm *vm);
/* The VM's guest driver state in a sentence (nothing when it has none). */
void cli_guest_drivers_text(exhv_buf *b, const exhv_cli *cli, const exhv_host *h,
                            const exhv_vm *vm);
/* The VM's "guest_drivers" value: null, or its state and record. */
void cli_guest_drivers_json(struct exhv_jw *w, const exhv_cli *cli, const exhv_host *h,
                            const exhv_vm *vm);

/* Plans (plan_run.c) */
struct exhv_plan;
struct exhv_conn;
typedef struct plan_flags {
    int dry_run, script, yes;
} plan_flags;
/* Recognize --dry-run, --script, --yes; 1 when arg was one. */
int plan_flag(const char *arg, plan_flags *f);
void plan_render_text(exhv_buf *b, const struct exhv_plan *p);
/* Show the plan, confirm, run it with progress, report. Returns an exit code. */
int plan_run(exhv_cli *cli, struct exhv_conn *conn, const struct exhv_plan *p, const plan_flags *f);
/* The end every planning command shares: report the planning error when
 * planned < 0, else run the plan and release it; then free the host and
 * close the connection. Returns the exit code. */
int plan_finish(exhv_cli *cli, struct exhv_conn *conn, exhv_host *h, int planned,
                struct exhv_plan *plan, const plan_flags *f, const exhv_error *err);
/* Connect and snapshot, keeping the connection for changes. With `change`
 * the host's lock is taken first and kept until the connection closes, and
 * a change left half-done by an earlier run is refused. 0 or an exit code. */
int cli_connect(exhv_cli *cli, struct exhv_conn **conn, exhv_host **host, int change);
/* Whether the plan flags allow a change (not --dry-run or --script). */
#define PLAN_CHANGES(f) (!(f)->dry_run && !(f)->script)

int cmd_status(exhv_cli *cli, int argc, char **argv);
int cmd_diag(exhv_cli *cli, int argc, char **argv);
int cmd_survey(exhv_cli *cli, int argc, char **argv);
int cmd_assign(exhv_cli *cli, int argc, char **argv);
int cmd_policy(exhv_cli *cli, int argc, char **argv);
int cmd_gpu(exhv_cli *cli, int argc, char **argv);
int cmd_devices(exhv_cli *cli, int argc, char **argv);
int cmd_gpus(exhv_cli *cli, int argc, char **argv);
int cmd_vms(exhv_cli *cli, int argc, char **argv);
int cmd_recover(exhv_cli *cli, int argc, char **argv);
int cmd_inf(exhv_cli *cli, int argc, char **argv);
int cmd_version(exhv_cli *cli, int argc, char **argv);
int cmd_help(exhv_cli *cli, int argc, char **argv);

#endif
