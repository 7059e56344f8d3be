/* libFuzzer target: a scenario file through the simulated host, the
 * snapshot and the checks, a plan run by the executor, and the host written
 * back: every parser and join on the read path, and the write path's. A
 * scenario the reader accepts must be written back as one it accepts again
 * (else the next change would destroy the host file). */
#include <stdlib.h>
#include <string.h>

#include "core/checks.h"
#include "hyperv/executor.h"
#include "hyperv/planner.h"
#include "hyperv/ports.h"
#include "hyperv/sim/sim.h"
#include "hyperv/wmi.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void write_back(exhv_conn *c)
{
    exhv_buf b = EXHV_BUF_INIT;
    const exhv_ports_ops *ops;
    void *ctx;
    exhv_error err;
    if (exhv_sim_write_text(c->ctx, &b) < 0) {
        exhv_buf_release(&b);
        return;   /* out of memory */
    }
    if (exhv_sim_open_text(b.data, b.len, "fuzz-again", &ops, &ctx, &err) < 0)
        abort();   /* the host was written back as a scenario the reader refuses */
    ops->close(ctx);
    exhv_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    exhv_conn c = {0};
    exhv_host *h = NULL;
    exhv_checks ck;
    exhv_error err;
    char *text = malloc(size + 1), *key;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* The object path parser sees the raw bytes as well. */
    key = exhv_wmi_path_key(text, "DeviceID");
    free(key);
    c.uri = "test:///fuzz";
    c.simulated = 1;
    if (exhv_sim_open_text(text, size, "fuzz", &c.ops, &c.ctx, &err) == 0) {
        if (exhv_snapshot_take(&c, &h, &err) == 0) {
            int ran = 0;
            if (exhv_checks_run(h, &ck) == 0)
                exhv_checks_release(&ck);
            /* Plan moving each device to the first VM and to the host; run
             * the first plan that can be made. */
            for (size_t i = 0; i < h->ndevices && i < 8; i++) {
                exhv_assign_opts o = {1, 0, 1};
                exhv_plan p;
                if (exhv_plan_assign(h, &h->devices[i], h->nvms ? &h->vms[0] : NULL, &o, &p,
                                     &err) == 0) {
                    if (!ran && p.count) {
                        exhv_report r;
                        exhv_plan_execute(&c, &p, NULL, NULL, &r);
                        exhv_report_release(&r);
                        ran = 1;
                    }
                    exhv_plan_release(&p);
                }
                if (exhv_plan_assign(h, &h->devices[i], NULL, &o, &p, &err) == 0)
                    exhv_plan_release(&p);
            }
            if (!ran && h->nvms) {
                exhv_gpu_opts g = {0};
                exhv_plan p;
                if (exhv_plan_gpu_add(h, &h->vms[0], NULL, &g, &p, &err) == 0) {
                    exhv_report r;
                    exhv_plan_execute(&c, &p, NULL, NULL, &r);
                    exhv_report_release(&r);
                    exhv_plan_release(&p);
                }
            }
        }
        write_back(&c);
        exhv_host_free(h);
        c.ops->close(c.ctx);
    }
    free(text);
    return 0;
}
