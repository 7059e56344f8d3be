#include <stdlib.h>

#include "core/checks.h"
#include "t.h"

static void t_wddm_table(void)
{
    /* Each row of the seed's table, its boundary, and the gap before it. */
    static const struct {
        unsigned build;
        int major, minor;
    } cases[] = {{17134, 2, 4}, {17762, 2, 4}, {17763, 2, 5}, {18362, 2, 6}, {19041, 2, 7},
                 {19045, 2, 7}, {20348, 2, 9}, {22000, 3, 0}, {22621, 3, 1}, {22631, 3, 1},
                 {26100, 3, 2}, {27000, 3, 2}};
    size_t n;
    CHECK(exhv_wddm_for_build(17133) == NULL);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const exhv_wddm_row *r = exhv_wddm_for_build(cases[i].build);
        CHECK(r != NULL);
        if (!r)
            continue;
        CHECK_INT(r->major, cases[i].major);
        CHECK_INT(r->minor, cases[i].minor);
    }
    CHECK_INT(exhv_wddm_table(&n)[0].build, 17134);
    CHECK_INT(n, 8);
    CHECK(strstr(exhv_wddm_for_build(20348)->adds, "CASO") != NULL);
}

static void t_driver_versions(void)
{
    int ma = 0, mi = 0;
    CHECK(exhv_wddm_from_driver_version("32.0.15.6094", &ma, &mi) == 0);
    CHECK(ma == 3 && mi == 2);
    CHECK(exhv_wddm_from_driver_version("27.21.14.5671", &ma, &mi) == 0);
    CHECK(ma == 2 && mi == 7);
    CHECK(exhv_wddm_from_driver_version("31.0.24027.1012", &ma, &mi) == 0);
    CHECK(ma == 3 && mi == 1);
    CHECK(exhv_wddm_from_driver_version("10.18.13.5362", &ma, &mi) < 0);
    CHECK(exhv_wddm_from_driver_version("", &ma, &mi) < 0);
    CHECK(exhv_wddm_from_driver_version(NULL, &ma, &mi) < 0);
    CHECK(exhv_wddm_from_driver_version("320.1", &ma, &mi) < 0);
}

static const exhv_check *find(const exhv_checks *c, const char *id)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->items[i].id, id) == 0)
            return &c->items[i];
    return NULL;
}

static void t_verdicts(void)
{
    exhv_host h = {0};
    exhv_gpu g = {0};
    exhv_checks c;
    h.sys.build = 19045;
    h.sys.elevated = 0;
    h.sys.hypervisor_present = 0;
    h.sys.virt_firmware = 0;
    h.hyperv = 0;
    h.sys.server = 1;
    g.name = "Old GPU";
    g.driver_version = "23.21.13.8813";
    h.gpus = &g;
    h.ngpus = 1;
    CHECK(exhv_checks_run(&h, &c) == 0);
    CHECK_INT(find(&c, "host_build")->verdict, EXHV_WARN);
    CHECK(strstr(find(&c, "host_build")->message, "22000") != NULL);
    CHECK_INT(find(&c, "cpu_virtualization")->verdict, EXHV_FAIL);
    CHECK_INT(find(&c, "hyperv")->verdict, EXHV_FAIL);
    CHECK_INT(find(&c, "administrator")->verdict, EXHV_FAIL);
    CHECK_INT(find(&c, "sku")->verdict, EXHV_PASS);
    CHECK_INT(find(&c, "dda_policy")->verdict, EXHV_WARN);   /* server, default policy */
    CHECK_INT(find(&c, "gpu0_wddm")->verdict, EXHV_WARN);
    CHECK(find(&c, "gpu_pv") == NULL);                         /* no Hyper-V: not judged */
    CHECK_INT(exhv_checks_worst(&c), EXHV_FAIL);
    exhv_checks_release(&c);

    h.sys.build = 26100;
    h.sys.elevated = 1;
    h.sys.hypervisor_present = 1;
    h.hyperv = 1;
    h.sys.server = 0;
    h.policy.secure_relaxed = h.policy.supported_relaxed = 1;
    g.driver_version = "32.0.15.6094";
    g.wddm_major = 3;
    g.wddm_minor = 2;
    g.partitionable = 1;
    CHECK(exhv_checks_run(&h, &c) == 0);
    CHECK_INT(find(&c, "host_build")->verdict, EXHV_PASS);
    CHECK(strstr(find(&c, "host_wddm")->message, "WDDM 3.2") != NULL);
    CHECK_INT(find(&c, "sku")->verdict, EXHV_WARN);
    CHECK(strstr(find(&c, "sku")->message, "0xC035001E") != NULL);
    CHECK_INT(find(&c, "dda_policy")->verdict, EXHV_WARN);
    CHECK(strstr(find(&c, "dda_policy")->message, "exhv policy on") != NULL);
    CHECK_INT(find(&c, "gpu0_wddm")->verdict, EXHV_PASS);
    CHECK_INT(find(&c, "gpu_pv")->verdict, EXHV_PASS);
    CHECK(exhv_checks_worst(&c) == EXHV_WARN);
    exhv_checks_release(&c);

    h.sys.build = 17763;
    CHECK(exhv_checks_run(&h, &c) == 0);
    CHECK_INT(find(&c, "host_build")->verdict, EXHV_FAIL);
    CHECK(strstr(find(&c, "host_wddm")->message, "WDDM 2.5") != NULL);
    exhv_checks_release(&c);
}

T_CASES(checks_tests) = {
    {"checks/wddm_table", t_wddm_table},
    {"checks/driver_versions", t_driver_versions},
    {"checks/verdicts", t_verdicts},
    T_END,
};
