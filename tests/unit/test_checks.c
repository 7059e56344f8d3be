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
    CHECK(exhv_wddm_from_driver_version("", &ma, &mi) < 0);
    CHECK(exhv_wddm_from_driver_version(NULL, &ma, &mi) < 0);
    CHECK(exhv_wddm_from_driver_version("320.1", &ma, &mi) < 0);
}

/* WDDM 2.0..2.3 drivers (20.x..23.x) and WDDM 1.x drivers (7.x..10.x) are
 * known levels, too old for GPU-PV; not "cannot tell". */
static void t_driver_versions_old(void)
{
    static const struct {
        const char *v;
        int major, minor;
    } cases[] = {{"20.19.15.4531", 2, 0}, {"21.21.13.7653", 2, 1}, {"22.21.13.8476", 2, 2},
                 {"23.21.13.8813", 2, 3}, {"10.18.13.5362", 1, 3}, {"9.18.13.4192", 1, 2},
                 {"8.17.12.9573", 1, 1}, {"7.15.11.7800", 1, 0}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int ma = -1, mi = -1;
        CHECK(exhv_wddm_from_driver_version(cases[i].v, &ma, &mi) == 0);
        CHECK_INT(ma, cases[i].major);
        CHECK_INT(mi, cases[i].minor);
    }
    {
        int ma, mi;
        CHECK(exhv_wddm_from_driver_version("15.1.2.3", &ma, &mi) < 0);
        CHECK(exhv_wddm_from_driver_version("6.1.7600.16385", &ma, &mi) < 0);
    }
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
    CHECK(exhv_wddm_from_driver_version(g.driver_version, &g.wddm_major, &g.wddm_minor) == 0);
    h.gpus = &g;
    h.ngpus = 1;
    CHECK(exhv_checks_run(&h, &c) == 0);
    CHECK_INT(find(&c, "dda_build")->verdict, EXHV_PASS);
    CHECK_INT(find(&c, "gpu_pv_build")->verdict, EXHV_WARN);
    CHECK(strstr(find(&c, "gpu_pv_build")->message, "22000") != NULL);
    CHECK_INT(find(&c, "cpu_virtualization")->verdict, EXHV_FAIL);
    CHECK_INT(find(&c, "hyperv")->verdict, EXHV_FAIL);
    CHECK_INT(find(&c, "administrator")->verdict, EXHV_FAIL);
    CHECK_INT(find(&c, "sku")->verdict, EXHV_PASS);
    CHECK_INT(find(&c, "dda_policy")->verdict, EXHV_WARN);   /* server, default policy */
    /* 23.x is WDDM 2.3: a known level, too old for GPU-PV. */
    CHECK_INT(find(&c, "gpu0_wddm")->verdict, EXHV_FAIL);
    CHECK(strstr(find(&c, "gpu0_wddm")->message, "WDDM 2.3") != NULL);
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
    CHECK_INT(find(&c, "dda_build")->verdict, EXHV_PASS);
    CHECK_INT(find(&c, "gpu_pv_build")->verdict, EXHV_PASS);
    CHECK(strstr(find(&c, "host_wddm")->message, "WDDM 3.2") != NULL);
    CHECK_INT(find(&c, "sku")->verdict, EXHV_WARN);
    CHECK(strstr(find(&c, "sku")->message, "0xC035001E") != NULL);
    CHECK_INT(find(&c, "dda_policy")->verdict, EXHV_WARN);
    CHECK(strstr(find(&c, "dda_policy")->message, "exhv policy on") != NULL);
    CHECK_INT(find(&c, "gpu0_wddm")->verdict, EXHV_PASS);
    CHECK(strstr(find(&c, "gpu0_wddm")->message, "newer") == NULL);
    CHECK_INT(find(&c, "gpu_pv")->verdict, EXHV_PASS);
    CHECK(exhv_checks_worst(&c) == EXHV_WARN);
    exhv_checks_release(&c);
}

/* Each feature has its own floor: DDA from Server 2016 (14393), GPU-PV from
 * 19041, choosing the GPU from 22000. No build where DDA works fails status
 * for GPU-PV's sake, and no message contradicts itself. */
static void t_builds_per_feature(void)
{
    static const struct {
        unsigned build;
        int server;
        exhv_verdict dda, gpupv;
    } cases[] = {
        {10586, 1, EXHV_FAIL, EXHV_WARN}, {14393, 1, EXHV_PASS, EXHV_WARN},
        {17134, 0, EXHV_PASS, EXHV_WARN}, {17763, 1, EXHV_PASS, EXHV_WARN},
        {18362, 0, EXHV_PASS, EXHV_WARN}, {19041, 0, EXHV_PASS, EXHV_WARN},
        {20348, 1, EXHV_PASS, EXHV_WARN}, {20349, 1, EXHV_PASS, EXHV_WARN},
        {22000, 0, EXHV_PASS, EXHV_PASS}, {26100, 1, EXHV_PASS, EXHV_PASS},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        exhv_host h = {0};
        exhv_gpu g = {0};
        exhv_checks c;
        const exhv_check *k;
        h.sys.build = cases[i].build;
        h.sys.server = cases[i].server;
        h.sys.elevated = h.sys.hypervisor_present = 1;
        h.hyperv = 1;
        h.policy.secure_relaxed = h.policy.supported_relaxed = 1;
        g.name = "GPU";
        g.driver_version = "27.21.14.5671";
        g.wddm_major = 2;
        g.wddm_minor = 7;
        g.partitionable = 1;
        h.gpus = &g;
        h.ngpus = 1;
        CHECK(exhv_checks_run(&h, &c) == 0);
        if (!find(&c, "dda_build") || !(k = find(&c, "gpu_pv_build"))) {
            CHECK(!"dda_build and gpu_pv_build checks");
            exhv_checks_release(&c);
            continue;
        }
        CHECK_INT(find(&c, "dda_build")->verdict, cases[i].dda);
        CHECK_INT(k->verdict, cases[i].gpupv);
        if (cases[i].build < 19041)
            CHECK(strstr(k->message, "19041") != NULL);
        else if (cases[i].build < 22000)
            CHECK(strstr(k->message, "22000") != NULL && strstr(k->message, "2022 or") == NULL);
        if (cases[i].build == 20348 || cases[i].build == 20349)
            CHECK(strstr(k->message, "not on Windows Server 2022") != NULL);
        /* Status fails only when DDA itself cannot work. */
        CHECK_INT(exhv_checks_worst(&c) == EXHV_FAIL, cases[i].dda == EXHV_FAIL);
        exhv_checks_release(&c);
    }
}

/* A driver newer than the host build's WDDM level is worth a remark. */
static void t_driver_newer_than_host(void)
{
    exhv_host h = {0};
    exhv_gpu g = {0};
    exhv_checks c;
    h.sys.build = 19045;
    h.sys.elevated = h.sys.hypervisor_present = 1;
    h.hyperv = 1;
    g.name = "GPU";
    g.driver_version = "32.0.15.6094";
    g.wddm_major = 3;
    g.wddm_minor = 2;
    g.partitionable = 1;
    h.gpus = &g;
    h.ngpus = 1;
    CHECK(exhv_checks_run(&h, &c) == 0);
    CHECK_INT(find(&c, "gpu0_wddm")->verdict, EXHV_PASS);
    CHECK(strstr(find(&c, "gpu0_wddm")->message, "newer than this host's build (WDDM 2.7)"));
    exhv_checks_release(&c);
}

T_CASES(checks_tests) = {
    {"checks/wddm_table", t_wddm_table},
    {"checks/driver_versions", t_driver_versions},
    {"checks/verdicts", t_verdicts},
    {"checks/driver_versions_old", t_driver_versions_old},
    {"checks/builds_per_feature", t_builds_per_feature},
    {"checks/driver_newer_than_host", t_driver_newer_than_host},
    T_END,
};
