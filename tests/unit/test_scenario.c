/* The scenario reader is strict: every field exhv reads has a type and a
 * range (docs/scenario.md), and a value of another type, out of range, or
 * given twice is refused with its place instead of being read as a default
 * or wrapped. */
#include <stdlib.h>

#include "core/json.h"
#include "hyperv/sim/sim.h"
#include "platform/lock.h"
#include "t.h"
#if defined(_WIN32)
#include <windows.h>
#else
#include <unistd.h>
#endif

/* Set the member at `path` ("pnp.0.pci.acs": dots, array indexes as
 * numbers; missing objects are made) of the default scenario to the JSON
 * `value`, and open the result. Returns the open's error message, or NULL
 * when it opened. */
static char msg[800];

static const char *open_variant(const char *path, const char *value)
{
    exhv_json *doc = NULL, *v = NULL, *at;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    char p[200], *tok, *next;
    const exhv_ports_ops *ops;
    void *ctx;
    const char *rc = NULL;

    if (exhv_json_parse(exhv_sim_default_json, exhv_sim_default_json_len, &doc, &err) < 0 ||
        exhv_json_parse(value, strlen(value), &v, &err) < 0)
        goto out;
    snprintf(p, sizeof(p), "%s", path);
    at = doc;
    for (tok = p; tok; tok = next) {
        if ((next = strchr(tok, '.')))
            *next++ = '\0';
        if (at->type == EXHV_JSON_ARRAY) {
            at = &at->items[atoi(tok)];
        } else if (next) {
            exhv_json *child = (exhv_json *)exhv_json_get(at, tok);
            at = child ? child : exhv_json_obj_set(at, tok, EXHV_JSON_OBJECT);
        } else {
            exhv_json_copy(exhv_json_obj_set(at, tok, EXHV_JSON_NULL), v);
        }
    }
    exhv_jw_init(&w, &b, 1);
    exhv_jw_value(&w, doc);
    exhv_jw_end(&w);
    if (exhv_sim_open_text(b.data, b.len, "t.json", &ops, &ctx, &err) == 0) {
        ops->close(ctx);
    } else {
        snprintf(msg, sizeof(msg), "%s", err.message);
        rc = msg;
    }
out:
    exhv_json_free(doc);
    exhv_json_free(v);
    exhv_buf_release(&b);
    return rc;
}

static void refused(const char *path, const char *value, const char *want)
{
    const char *got = open_variant(path, value);
    if (!got || !strstr(got, want))
        fprintf(stderr, "  %s = %s: %s\n", path, value, got ? got : "accepted");
    CHECK(got && strstr(got, want));
}

static void t_wrong_types(void)
{
    refused("host.hyperv", "\"false\"", "scenario t.json: host.hyperv: must be true or false");
    refused("host.elevated", "0", "host.elevated: must be true or false (not a number)");
    refused("host.server", "null", "host.server: must be true or false");
    refused("host.computer_name", "7", "host.computer_name: must be a string");
    refused("host.guest_shutdown", "\"sometimes\"", "host.guest_shutdown: must be one of: ok, slow");
    refused("pnp.0.present", "\"false\"", "pnp[0].present: must be true or false");
    refused("pnp.1.pci.reserved_memory", "\"true\"", "pnp[1].pci.reserved_memory: must be true");
    refused("pnp.1.pci.interrupts", "[\"msi\", 5]", "pnp[1].pci.interrupts[1]: must be a string");
    refused("pnp.1.pci.interrupts", "[\"msi\", \"msx\"]", "pnp[1].pci.interrupts[1]: must be one of");
    refused("pnp.2.problem", "\"22\"", "pnp[2].problem: must be a whole number");
    refused("pnp.0.location_paths", "\"PCIROOT(0)\"", "pnp[0].location_paths: must be an array");
    refused("registry.HKLM\\Test.Value", "{\"dword\": \"1\"}",
            "registry[\"HKLM\\Test\"][\"Value\"]: must be a whole number");
    refused("registry.HKLM\\Test.Value", "{\"binary\": \"0g\"}", "must be hex digits");
    refused("registry.HKLM\\Test.Value", "{\"word\": 1}", "has the unknown type \"word\"");
    refused("wmi.Msvm_VirtualSystemSettingData.1.GuestControlledCacheTypes", "\"yes\"",
            "wmi.Msvm_VirtualSystemSettingData[1].GuestControlledCacheTypes: must be true or false");
    refused("wmi.Msvm_ComputerSystem.1.EnabledState", "\"2\"",
            "wmi.Msvm_ComputerSystem[1].EnabledState: must be a whole number");
    refused("faults", "{}", "faults: must be an array");
    refused("faults", "[{\"call\": 1}]", "faults[0]: needs \"method\"");
    refused("sim.change_delay_ms", "\"50\"", "sim.change_delay_ms: must be a whole number");
    refused("description", "[]", "description: must be a string");
}

static void t_out_of_range(void)
{
    refused("host.build", "9223372036854775807",
            "host.build: must be a whole number from 0 to 4294967295 (not a number out of range)");
    refused("host.build", "-1", "host.build");
    refused("host.cpu_mhz", "4294967296", "host.cpu_mhz: must be a whole number from 0 to 4294967295");
    refused("host.memory_bytes", "-5", "host.memory_bytes: must be a whole number from 0");
    refused("wmi.Msvm_VirtualSystemSettingData.1.LowMmioGapSize", "-1",
            "wmi.Msvm_VirtualSystemSettingData[1].LowMmioGapSize: must be a whole number from 0 to "
            "9223372036854775807");
    refused("wmi.Msvm_VirtualSystemSettingData.1.AutomaticShutdownAction", "65536",
            "AutomaticShutdownAction: must be a whole number from 0 to 65535");
    refused("pnp.1.pci.acs", "4", "pnp[1].pci.acs: must be a whole number from 0 to 3");
    refused("pnp.1.pci.memory", "[{\"start\": 9223372036854775807, \"length\": 1}]",
            "pnp[1].pci.memory[0]: the range ends beyond 2^63 bytes");
    refused("pnp.1.pci.memory", "[{\"start\": 0, \"length\": 6917529027641081856}, "
                                "{\"start\": 0, \"length\": 6917529027641081856}]",
            "pnp[1].pci.memory[1]: the device's ranges add up to more than 2^63 bytes");
    refused("pnp.1.pci.memory", "[{\"start\": 0, \"length\": -1}]",
            "pnp[1].pci.memory[0].length: must be a whole number from 0");
    refused("registry.HKLM\\Test.Value", "{\"dword\": 4294967296}", "from 0 to 4294967295");
    refused("registry.HKLM\\Test.Value", "{\"qword\": -1}", "from 0 to 9223372036854775807");
    refused("faults", "[{\"method\": \"save\", \"call\": 0}]", "faults[0].call: must be a whole "
                                                            "number from 1");
    refused("sim.change_delay_ms", "600001", "sim.change_delay_ms: must be a whole number from 0 "
                                             "to 600000");
    /* The default scenario itself, and values at the ends of their ranges, open. */
    CHECK(open_variant("host.build", "4294967295") == NULL);
    CHECK(open_variant("pnp.1.pci.acs", "3") == NULL);
    CHECK(open_variant("sim.change_delay_ms", "0") == NULL);
    CHECK(open_variant("wmi.Msvm_VirtualSystemSettingData.1.LowMmioGapSize", "null") == NULL);
}

/* The driver store and class keys hold together: a device's driver version
 * is its class key's DriverVersion, a string; a published INF is one file
 * inside one package folder. */
static void t_driver_store_rules(void)
{
    static const char *const bad_published[] = {"\"a.inf\"", "\"../pkg/a.inf\"",
                                                "\"pkg/sub/a.inf\"", "\"pkg\\\\a.inf\"",
                                                "\"pkg/a.sys\"", "\"/a.inf\"", "\"pkg/.inf\""};
    char v[200];
    refused("pnp.2.driver_version", "\"32.0.15.5555\"",
            "pnp[2].driver_version: differs from the DriverVersion of the device's class key "
            "(32.0.15.6094)");
    CHECK(open_variant("pnp.2.driver_version", "\"32.0.15.6094\"") == NULL);
    refused("registry.HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\"
            "{4d36e968-e325-11ce-bfc1-08002be10318}\\0000.DriverVersion",
            "{\"dword\": 6094}", "[\"DriverVersion\"]: must be {\"sz\": \"a.b.c.d\"}");
    for (size_t i = 0; i < sizeof(bad_published) / sizeof(bad_published[0]); i++) {
        snprintf(v, sizeof(v), "{\"oem1.inf\": %s}", bad_published[i]);
        refused("drivers.published", v,
                "drivers.published[\"oem1.inf\"]: must be \"<package folder>/<name>.inf\"");
    }
    CHECK(open_variant("drivers.published", "{\"oem1.inf\": \"pkg_amd64_1/a.INF\"}") == NULL);
}

/* A member given twice is refused with its place, wherever it is. */
static void t_duplicates(void)
{
    const exhv_ports_ops *ops;
    void *ctx;
    exhv_error err;
    static const char twice[] = "{\"schema\": 1, \"host\": {\"build\": 26100},\n"
                                " \"wmi\": {\"Msvm_VirtualSystemSettingData\": [{\"InstanceID\": "
                                "\"Microsoft:X\", \"LowMmioGapSize\": 128,\n \"LowMmioGapSize\": 512}]}}";
    static const char top[] = "{\"schema\": 1, \"host\": {\"build\": 26100}, \"wmi\": {},\n"
                              "\"wmi\": {\"Msvm_ComputerSystem\": []}}";
    CHECK(exhv_sim_open_text(twice, strlen(twice), "t.json", &ops, &ctx, &err) < 0);
    CHECK(strstr(err.message, "line 3, column 2: duplicate member \"LowMmioGapSize\"") != NULL);
    CHECK(exhv_sim_open_text(top, strlen(top), "t.json", &ops, &ctx, &err) < 0);
    CHECK(strstr(err.message, "line 2, column 1: duplicate member \"wmi\"") != NULL);
}

#if defined(_WIN32)
static int other_result;
static exhv_error other_err;

static DWORD WINAPI other_thread(LPVOID arg)
{
    exhv_lock *l = NULL;
    (void)arg;
    other_result = exhv_lock_acquire("c:\\lab\\HOST.JSON.lock", &l, &other_err);
    exhv_lock_release(l);
    return 0;
}
#endif

/* One lock per host, however it is named: on Windows a machine-wide mutex
 * whose name ignores case (as paths do); elsewhere a file beside the
 * scenario's real path, which a symbolic link shares. */
static void t_lock_identity(void)
{
    exhv_lock *a = NULL, *b = NULL;
    exhv_error err;
#if defined(_WIN32)
    /* A mutex is its owner thread's again: the second try is another
     * thread's, as another process's would be. */
    HANDLE t;
    (void)b;
    CHECK(exhv_lock_acquire("C:\\Lab\\Host.json.lock", &a, &err) == 0);
    t = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    CHECK(t != NULL);
    if (t) {
        WaitForSingleObject(t, INFINITE);
        CloseHandle(t);
    }
    CHECK(other_result < 0);
    CHECK(strstr(other_err.message, "another exhv") != NULL);
    CHECK(other_err.code == EXHV_E_BUSY);
    exhv_lock_release(a);
#else
    char dir[] = "/tmp/exhv-lock.XXXXXX", path[96], link[96];
    const exhv_ports_ops *ops1, *ops2;
    void *c1 = NULL, *c2 = NULL;
    FILE *fp;
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    snprintf(path, sizeof(path), "%s/host.json", dir);
    snprintf(link, sizeof(link), "%s/alias.json", dir);
    fp = fopen(path, "wb");
    CHECK(fp && fwrite(exhv_sim_default_json, 1, exhv_sim_default_json_len, fp) ==
                    exhv_sim_default_json_len);
    if (fp)
        fclose(fp);
    CHECK(symlink(path, link) == 0);
    CHECK(exhv_sim_open_file(path, &ops1, &c1, &err) == 0);
    CHECK(exhv_sim_open_file(link, &ops2, &c2, &err) == 0);
    if (c1 && c2) {
        CHECK_STR(ops1->lock_name(c1), ops2->lock_name(c2));
        CHECK(exhv_lock_acquire(ops1->lock_name(c1), &a, &err) == 0);
        CHECK(exhv_lock_acquire(ops2->lock_name(c2), &b, &err) < 0);
        exhv_lock_release(b);
        exhv_lock_release(a);
    }
    if (c1)
        ops1->close(c1);
    if (c2)
        ops2->close(c2);
    {
        char lock[128];
        snprintf(lock, sizeof(lock), "%s.lock", path);
        unlink(lock);
    }
    unlink(link);
    unlink(path);
    CHECK(rmdir(dir) == 0);
#endif
}

T_CASES(scenario_tests) = {
    {"scenario/lock_identity", t_lock_identity},
    {"scenario/wrong_types", t_wrong_types},
    {"scenario/driver_store_rules", t_driver_store_rules},
    {"scenario/out_of_range", t_out_of_range},
    {"scenario/duplicates", t_duplicates},
    T_END,
};
