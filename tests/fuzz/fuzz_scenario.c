/* libFuzzer target: a scenario file through the simulated host, the
 * snapshot and the checks: every parser and join on the read path. */
#include <stdlib.h>
#include <string.h>

#include "core/checks.h"
#include "hyperv/planner.h"
#include "hyperv/ports.h"
#include "hyperv/sim/sim.h"
#include "hyperv/wmi.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

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
    if (exhv_sim_open_text(text, size, "fuzz", &c.ops, &c.ctx, &err) == 0) {
        if (exhv_snapshot_take(&c, &h, &err) == 0) {
            if (exhv_checks_run(h, &ck) == 0)
                exhv_checks_release(&ck);
            /* Plan moving each device to the first VM and to the host. */
            for (size_t i = 0; i < h->ndevices && i < 8; i++) {
                exhv_assign_opts o = {1, 0, 1};
                exhv_plan p;
                if (exhv_plan_assign(h, &h->devices[i], h->nvms ? &h->vms[0] : NULL, &o, &p,
                                     &err) == 0)
                    exhv_plan_release(&p);
                if (exhv_plan_assign(h, &h->devices[i], NULL, &o, &p, &err) == 0)
                    exhv_plan_release(&p);
            }
        }
        exhv_host_free(h);
        c.ops->close(c.ctx);
    }
    free(text);
    return 0;
}
