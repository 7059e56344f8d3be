/* The simulated Hyper-V host: the port operations over a scenario file
 * (docs/scenario.md). The Hyper-V logic above the ports is the same code that
 * runs against a real host. */
#ifndef EXHV_SIM_H
#define EXHV_SIM_H

#include <stddef.h>

#include "core/buf.h"
#include "hyperv/ports.h"

/* The built-in host (scenarios/default.json, embedded at build time). */
int exhv_sim_open_default(const exhv_ports_ops **ops, void **ctx, exhv_error *err);
/* A host kept in a scenario file. */
int exhv_sim_open_file(const char *path, const exhv_ports_ops **ops, void **ctx,
                       exhv_error *err);
/* A host from scenario text (tests); `origin` names it in errors. */
int exhv_sim_open_text(const char *text, size_t len, const char *origin,
                       const exhv_ports_ops **ops, void **ctx, exhv_error *err);

/* Fault injection (tests): the `call`-th call (from 1) of `method` fails
 * with `code`, at once as its ReturnValue or, with via_job, through a job
 * that ends in an exception. Methods are Msvm method names, or "pnp_disable",
 * "pnp_enable", "reg_set", "reg_delete". A scenario can carry the same in
 * "faults". */
void exhv_sim_inject_fault(void *ctx, const char *method, unsigned call, unsigned long code,
                           int via_job);
/* The `call`-th call of `method` answers with a job that ends in `state`
 * (above 7: terminated, killed, exception, service, ...) and ErrorCode 0. */
void exhv_sim_inject_job_state(void *ctx, const char *method, unsigned call, int state);
/* How many times `method` was called (tests). */
unsigned exhv_sim_call_count(void *ctx, const char *method);
/* The host as its scenario file would be written back (tests, fuzzing). */
int exhv_sim_write_text(void *ctx, exhv_buf *out);

/* Forget injected faults and call counts. */
void exhv_sim_reset_faults(void *ctx);

/* The whole simulated host (WMI objects, devnodes, registry values, host
 * facts) as canonical text (a scenario in JSON): two hosts are in the same state exactly when
 * their texts are equal. Objects of a WMI class are sorted, since WMI
 * promises no order. Replaces out's contents; 0 or -1 (no memory). */
int exhv_sim_state(void *ctx, exhv_buf *out);

/* Every field exhv reads checked against its type and range
 * (docs/scenario.md); refused with its place. (fields.c) */
struct exhv_json;
int exhv_sim_check_fields(const struct exhv_json *doc, const char *origin, exhv_error *err);

/* The embedded default scenario (generated from scenarios/default.json). */
extern const char exhv_sim_default_json[];
extern const size_t exhv_sim_default_json_len;

/* The built-in host's folders (generated from scenarios/store and
 * scenarios/disks): each file's path below scenarios/ and bytes, or a
 * folder (data NULL), folders first. */
typedef struct exhv_sim_file {
    const char *path;
    const char *data;
    size_t len;
} exhv_sim_file;
extern const exhv_sim_file exhv_sim_default_tree[];
extern const size_t exhv_sim_default_tree_count;

#endif
