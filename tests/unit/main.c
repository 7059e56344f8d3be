#include <stdio.h>
#include <string.h>

#include "t.h"

int t_current_failed;

extern const t_case json_tests[], text_tests[], wmi_tests[], checks_tests[], snapshot_tests[],
    dda_tests[], gpu_tests[], fidelity_tests[], policy_tests[], rollback_tests[], scenario_tests[],
    inf_tests[], drvcopy_tests[], hive_tests[], guestports_tests[], resolve_tests[],
    guestdrv_tests[], guesthive_tests[], i18n_tests[],
    default_tree_tests[], import_tests[];

int main(int argc, char **argv)
{
    const t_case *suites[] = {json_tests, text_tests, wmi_tests, checks_tests, snapshot_tests,
                             dda_tests, gpu_tests, fidelity_tests, policy_tests, rollback_tests, scenario_tests,
                             inf_tests, drvcopy_tests, hive_tests, guestports_tests,
                             resolve_tests, guestdrv_tests, guesthive_tests, i18n_tests,
                             default_tree_tests, import_tests};
    int passed = 0, failed = 0;
    const char *only = argc > 1 ? argv[1] : NULL;

    for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++)
        for (const t_case *c = suites[s]; c->name; c++) {
            if (only && !strstr(c->name, only))
                continue;
            t_current_failed = 0;
            c->fn();
            if (t_current_failed) {
                failed++;
                fprintf(stderr, "FAIL %s\n", c->name);
            } else {
                passed++;
            }
        }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
