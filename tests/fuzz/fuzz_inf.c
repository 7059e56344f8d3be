/* libFuzzer target: the INF reader, then everything driver import asks of a
 * parsed INF (models for several targets, each model's install section,
 * the CopyToVm path checks). */
#include <stddef.h>

#include "core/inf.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const exhv_inf_target targets[] = {{NULL, 0, 0, 0}, {"amd64", 10, 0, 17763},
                                              {"x86", 6, 3, 0}};
    exhv_inf *inf = NULL;
    exhv_error err;

    if (exhv_inf_parse(data, size, (size & 1) ? "0409" : NULL, &inf, &err) < 0)
        return 0;
    (void)exhv_inf_version(inf, "Class");
    (void)exhv_inf_driver_version(inf);
    for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
        exhv_inf_model *m = NULL;
        size_t n = 0;
        if (exhv_inf_models(inf, &targets[t], &m, &n, &err) < 0)
            continue;
        for (size_t i = 0; i < n && i < 64; i++) {
            exhv_inf_install in;
            if (m[i].nids && exhv_inf_install_for_hwid(inf, m[i].ids[0], &targets[t], &in, &err) == 0) {
                for (size_t k = 0; k < in.nctv; k++)
                    (void)exhv_inf_ctv_check(&in.ctv[k], &err);
                exhv_inf_install_release(&in);
            }
            if (exhv_inf_install_section(inf, m[i].install_section, &in, &err) == 0)
                exhv_inf_install_release(&in);
        }
        exhv_inf_models_free(m, n);
    }
    exhv_inf_free(inf);
    return 0;
}
