/* The hive step of a driver import, over hyperv/guesthive.h: planned (with
 * the PowerShell a person could run instead), applied and undone. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/pwsh.h"
#include "hyperv/guesthive.h"
#include "hyperv/import.h"
#include "hyperv/resolve.h"

int exhv_import_hive_plan_step(const exhv_vm *vm, const exhv_drv_need *need, const char *hive,
                               const exhv_step *copy, exhv_plan *p, exhv_error *err);
int exhv_import_hive_edit(exhv_conn *c, const char *hive_root, const exhv_step *s,
                          void **edits, size_t *nedits, exhv_error *err);
int exhv_import_hive_unedit(exhv_conn *c, void *edits, size_t nedits, exhv_error *err);
void exhv_import_hive_release(void *edits, size_t nedits);

static const char *const intel_names =
    "'OpenCLDriverName', 'OpenCLDriverNameWow', 'LevelZeroDriverPath', "
    "'DriverStorePathForComputeRuntime', 'DriverStorePathForMediaSDK', 'DriverStorePathForVPL', "
    "'DriverStorePathForMDF', 'VulkanDriverName', 'VulkanDriverNameWow', 'OpenGLDriverName', "
    "'OpenGLDriverNameWow', 'OpenGLFlags', 'OpenGLFlagsWow', 'OpenGLInstalled', "
    "'OpenGLVersion', 'OpenGLVersionWow', 'ContentProtectionDriverName', 'ControlApiPath', "
    "'ControlApiPath32'";

/* The control sets the hive's Select names, in PowerShell. */
static void sets_loop(exhv_buf *b, const char *hive)
{
    exhv_buf_printf(b, "$exhvHive = 'HKLM:\\%s'\n", hive);
    exhv_buf_puts(b, "$exhvSel = Get-ItemProperty -LiteralPath \"$exhvHive\\Select\"\n"
                     "$exhvSets = @($exhvSel.Current, $exhvSel.Default, $exhvSel.Failed, "
                     "$exhvSel.LastKnownGood) | Where-Object { $_ -gt 0 } | Sort-Object -Unique\n");
}

static void nvidia_script(exhv_buf *b, const exhv_drv_need *n, const char *hive)
{
    exhv_buf pkg = EXHV_BUF_INIT, svc = EXHV_BUF_INIT;
    exhv_buf_printf(&pkg, "System32\\HostDriverStore\\FileRepository\\%s", n->pkgs[0].name);
    exhv_buf_printf(&svc, "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\%s", n->service);
    sets_loop(b, hive);
    exhv_buf_puts(b, "$exhvPkg = Join-Path $exhvWindows ");
    exhv_pwsh_quote(b, exhv_buf_str(&pkg));
    exhv_buf_puts(b, "\n$exhvSys = @(Get-ChildItem -LiteralPath $exhvPkg -Recurse -Filter ");
    {
        exhv_buf f = EXHV_BUF_INIT;
        exhv_buf_printf(&f, "%s.sys", n->service);
        exhv_pwsh_quote(b, exhv_buf_str(&f));
        exhv_buf_release(&f);
    }
    exhv_buf_puts(b, ")\nif ($exhvSys.Count -ne 1) { throw 'The package must hold exactly one "
                     "copy of the driver file' }\n$exhvImage = ");
    {
        exhv_buf img = EXHV_BUF_INIT;
        exhv_buf_printf(&img, "\\SystemRoot\\%s", exhv_buf_str(&pkg));
        exhv_pwsh_quote(b, exhv_buf_str(&img));
        exhv_buf_release(&img);
    }
    exhv_buf_puts(b, " + $exhvSys[0].FullName.Substring($exhvPkg.Length)\n$exhvHost = Get-Item "
                     "-LiteralPath ");
    exhv_pwsh_quote(b, exhv_buf_str(&svc));
    exhv_buf_puts(b, "\nforeach ($n in $exhvSets) {\n    $k = \"$exhvHive\\ControlSet{0:d3}"
                     "\\Services\\");
    /* The service name is a registry key name from the host: quoted as a
     * PowerShell string of its own. */
    exhv_buf_puts(b, "\" -f $n\n    $k = $k + ");
    exhv_pwsh_quote(b, n->service);
    exhv_buf_puts(b, "\n    if (-not (Test-Path -LiteralPath $k)) { New-Item -Path $k -Force | "
                     "Out-Null }\n"
                     "    foreach ($v in 'Type', 'Start', 'ErrorControl', 'Group') { $x = "
                     "$exhvHost.GetValue($v, $null, 'DoNotExpandEnvironmentNames'); if ($null "
                     "-ne $x) { New-ItemProperty -LiteralPath $k -Name $v -Value $x "
                     "-PropertyType $exhvHost.GetValueKind($v) -Force | Out-Null } }\n"
                     "    New-ItemProperty -LiteralPath $k -Name ImagePath -Value $exhvImage "
                     "-PropertyType ExpandString -Force | Out-Null\n}");
    exhv_buf_release(&pkg);
    exhv_buf_release(&svc);
}

static void intel_script(exhv_buf *b, const exhv_drv_need *n, const char *hive)
{
    const char *num = strrchr(n->class_key, '\\');
    exhv_buf host = EXHV_BUF_INIT;
    exhv_buf_printf(&host, "HKLM:%s", n->class_key + 4);   /* HKLM\... -> HKLM:\... */
    sets_loop(b, hive);
    exhv_buf_puts(b, "$exhvHost = Get-Item -LiteralPath ");
    exhv_pwsh_quote(b, exhv_buf_str(&host));
    exhv_buf_puts(b, "\nforeach ($n in $exhvSets) {\n    $k = \"$exhvHive\\ControlSet{0:d3}"
                     "\\Control\\Class\\" EXHV_DISPLAY_CLASS_GUID "\" -f $n\n    $k = $k + ");
    exhv_pwsh_quote(b, num ? num : "");
    exhv_buf_printf(b, "\n    if (-not (Test-Path -LiteralPath $k)) { New-Item -Path $k -Force | "
                       "Out-Null }\n"
                       "    foreach ($v in %s) { $x = $exhvHost.GetValue($v, $null, "
                       "'DoNotExpandEnvironmentNames'); if ($null -eq $x) { continue }; if ($x "
                       "-is [string]) { $x = $x -replace '\\\\System32\\\\DriverStore\\\\', "
                       "'\\System32\\HostDriverStore\\' } elseif ($x -is [string[]]) { $x = $x | "
                       "ForEach-Object { $_ -replace '\\\\System32\\\\DriverStore\\\\', "
                       "'\\System32\\HostDriverStore\\' } }; New-ItemProperty -LiteralPath $k "
                       "-Name $v -Value $x -PropertyType $exhvHost.GetValueKind($v) -Force | "
                       "Out-Null }\n}", intel_names);
    exhv_buf_release(&host);
}

int exhv_import_hive_plan_step(const exhv_vm *vm, const exhv_drv_need *need, const char *hive,
                               const exhv_step *copy, exhv_plan *p, exhv_error *err)
{
    exhv_step s;
    exhv_buf script = EXHV_BUF_INIT;
    int nvidia = exhv_strcaseeq(need->vendor, "nvidia") && need->service && need->npkgs;
    int intel = exhv_strcaseeq(need->vendor, "intel") && need->class_key;
    exhv_step *added, e = *copy;   /* its strings stay where they are when p grows */
    if (!nvidia && !intel)
        return 0;   /* AMD and others need no registry edit (reference §1.6) */
    if (nvidia)
        nvidia_script(&script, need, hive);
    else
        intel_script(&script, need, hive);
    if (!exhv_buf_ok(&script)) {
        exhv_buf_release(&script);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    memset(&s, 0, sizeof(s));
    s.kind = EXHV_STEP_HIVE_LOAD;
    s.vm_id = vm->id;
    s.vm_name = vm->name;
    s.prop = (char *)hive;
    s.reason = (char *)exhv_tr("The driver's values go into the guest's registry, which is a file on "
                       "its disk.");
    if (!exhv_plan_add_step(p, &s))
        goto nomem;
    s.kind = EXHV_STEP_HIVE_EDIT;
    s.prop = NULL;
    s.driver_key = e.driver_key;
    s.gpu_name = e.gpu_name;
    s.instance_id = e.instance_id;
    s.version = e.version;
    s.packages = e.packages;
    s.script = (char *)exhv_buf_str(&script);
    s.reason = (char *)(nvidia ? exhv_tr("CUDA and some games need the NVIDIA service in the guest's "
                                 "registry, its ImagePath in HostDriverStore.")
                               : exhv_tr("Intel's OpenCL, Level Zero and media runtimes read these "
                                 "class values, with HostDriverStore paths."));
    if (!(added = exhv_plan_add_step(p, &s)))
        goto nomem;
    exhv_buf_release(&script);
    return 1;
nomem:
    exhv_buf_release(&script);
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
}

int exhv_import_hive_edit(exhv_conn *c, const char *hive_root, const exhv_step *s,
                          void **edits, size_t *nedits, exhv_error *err)
{
    exhv_drv_need need;
    exhv_hive_edit *e = NULL;
    size_t n = 0;
    int rc = -1;
    memset(&need, 0, sizeof(need));
    if (exhv_drv_resolve(c, s->driver_key, s->gpu_name, &need, err) < 0)
        return -1;
    if (!exhv_strcaseeq(need.driver_version, s->version)) {
        exhv_error_set(err, EXHV_E_FAILED, "the host's driver changed since exhv planned this "
                       "(driver %s, now %s): run the command again", s->version,
                       need.driver_version);
        goto out;
    }
    if (exhv_guesthive_plan(c, hive_root, &need, &e, &n, err) < 0)
        goto out;
    if (exhv_guesthive_apply(c, e, n, err) < 0) {
        exhv_guesthive_release(e, n);
        goto out;
    }
    *edits = e;
    *nedits = n;
    rc = 0;
out:
    exhv_drv_need_release(&need);
    return rc;
}

int exhv_import_hive_unedit(exhv_conn *c, void *edits, size_t nedits, exhv_error *err)
{
    return exhv_guesthive_undo(c, edits, nedits, err);
}

void exhv_import_hive_release(void *edits, size_t nedits)
{
    exhv_guesthive_release(edits, nedits);
}
