#!/usr/bin/env python3
"""A driver import as a user runs it, on a copy of scenarios/ (the built-in
host with its driver store and VM disks, kept in files):

  gpu add win11-gaming --gpu 0      copies only the RTX 4070's package and the
                                    vendor's extra files, writes the manifest,
                                    the nvlddmkm service in every control set
                                    Select names, leaves HostDriverStore
                                    read-only, and records the import;
  gpu drivers (again)               writes nothing, and says so;
  the host driver update            `vms` says the guest is stale;
  gpu drivers                       replaces the old package and prunes it;
  gpu drivers (again)               writes nothing;
  gpu remove --all --purge-drivers  gives the guest its files back and drops
                                    the record.

    tests/cli/import_flow.py EXHV
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

EXHV = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/native/exhv"
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CLS = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e968-e325-11ce-bfc1-08002be10318}\\0000"
OLD, NEW = "nv_dispx.inf_amd64_4c1e7a9d2b3f6e08", "nv_dispx.inf_amd64_9a8b7c6d5e4f3a21"
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL import_flow/{name}" + (f"\n{detail}" if detail else ""), file=sys.stderr)


def tree(top, skip=()):
    """Every entry below top: path, kind, read-only flag, contents."""
    out = {}
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for n in sorted(dirs) + sorted(files):
            p = os.path.join(d, n)
            rel = os.path.relpath(p, top)
            if rel in skip:
                continue
            ro = not os.stat(p).st_mode & 0o222
            if os.path.isdir(p):
                out[rel] = ("dir", ro)
            else:
                out[rel] = ("file", ro, open(p, "rb").read())
    return out


def main():
    tmp = tempfile.mkdtemp(prefix="exhv-import-flow.")
    try:
        shutil.copytree(os.path.join(ROOT, "scenarios"), os.path.join(tmp, "s"))
        host = os.path.join(tmp, "s", "default.json")
        guest = os.path.join(tmp, "s", "disks", "win11-gaming", "c")
        win = os.path.join(guest, "Windows")
        hds = os.path.join(win, "System32", "HostDriverStore")
        hive_rel = os.path.join("Windows", "System32", "config", "SYSTEM")

        def run(*args):
            r = subprocess.run([EXHV, "--connect", "test://" + host, *args], capture_output=True,
                               text=True, timeout=120)
            return r.returncode, r.stdout + r.stderr

        def guest_state():
            js = json.loads(run("--json", "vms")[1])
            for vm in js.get("vms", []):
                if vm.get("name") == "win11-gaming":
                    return (vm.get("guest_drivers") or {}).get("state")
            return None

        before = tree(guest)
        rc, out = run("gpu", "add", "win11-gaming", "--gpu", "0", "--yes")
        check("add/done", rc == 0 and "Done." in out, out)
        check("add/says_what_it_copied", "Copied 31 files (6,524 bytes)" in out, out)
        repo = os.listdir(os.path.join(hds, "FileRepository"))
        check("add/only_the_gpu_package", repo == [OLD], str(repo))
        # Files: a folder's read-only attribute means nothing to Windows.
        everything = [os.path.join(d, n) for d, ds, fs in os.walk(hds) for n in fs]
        check("add/host_driver_store_read_only",
              everything and all(not os.stat(p).st_mode & 0o222 for p in everything))
        check("add/manifest", os.path.isfile(os.path.join(hds, "exhv-manifest.json")))
        check("add/extra_files", os.path.isfile(os.path.join(win, "System32", "nvapi64.dll")) and
              os.path.isfile(os.path.join(win, "SysWOW64", "nvcuda.dll")))
        hive = json.load(open(os.path.join(guest, hive_rel)))["keys"]
        for cs in ("ControlSet001", "ControlSet002"):
            svc = hive.get(cs + "\\Services\\nvlddmkm", {})
            image = (svc.get("ImagePath") or {}).get("expand_sz", "")
            check(f"add/service_in_{cs}", svc.get("Start") == {"dword": 3} and
                  image.startswith("\\SystemRoot\\System32\\HostDriverStore\\FileRepository\\" + OLD),
                  json.dumps(svc))
        check("add/vms_current", guest_state() == "current", str(guest_state()))

        after_add = tree(guest)
        rc, out = run("gpu", "drivers", "win11-gaming", "--yes")
        check("again/writes_nothing", rc == 0 and "0 files copied, 0 bytes written" in out, out)
        check("again/guest_unchanged", tree(guest) == after_add)

        # The host driver update (docs/scenario.md, "Installing the host
        # driver update").
        doc = json.load(open(host))
        doc["registry"][CLS]["InfPath"] = {"sz": "oem36.inf"}
        doc["registry"][CLS]["DriverVersion"] = {"sz": "32.0.15.6603"}
        doc["registry"][CLS]["DriverDate"] = {"sz": "1-20-2026"}
        json.dump(doc, open(host, "w"), indent=1)
        check("update/vms_stale", guest_state() == "stale", str(guest_state()))
        rc, out = run("gpu", "drivers", "win11-gaming", "--yes")
        check("update/done", rc == 0 and "Removed 1 older package exhv had put there." in out, out)
        repo = os.listdir(os.path.join(hds, "FileRepository"))
        check("update/old_package_pruned", repo == [NEW], str(repo))
        check("update/vms_current", guest_state() == "current", str(guest_state()))
        rc, out = run("gpu", "drivers", "win11-gaming", "--yes")
        check("update/second_run_writes_nothing",
              rc == 0 and "0 files copied, 0 bytes written" in out, out)

        rc, out = run("gpu", "remove", "win11-gaming", "--all", "--purge-drivers", "--yes")
        check("purge/done", rc == 0 and "Done." in out, out)
        # The hive keeps the service values (the plan says so); everything
        # else is as it was.
        check("purge/guest_as_before", tree(guest, {hive_rel}) == {
            k: v for k, v in before.items() if k != hive_rel})
        check("purge/no_record", guest_state() in (None, "none"), str(guest_state()))

        # An import whose disk cannot be detached (docs/scenario.md,
        # "faults"), then recover with the fault gone: recover cannot undo
        # the copy or the record from its record, and says so; it detaches
        # the disk and claims nothing it did not do.
        shutil.rmtree(os.path.join(tmp, "s"))
        shutil.copytree(os.path.join(ROOT, "scenarios"), os.path.join(tmp, "s"))
        doc = json.load(open(host))
        doc["faults"] = [{"method": "vhd_detach", "call": n, "return": 5} for n in (1, 2, 3)]
        json.dump(doc, open(host, "w"), indent=1)
        rc, out = run("gpu", "drivers", "win11-gaming", "--yes")
        check("detach_fails/left_half_done", rc == 5 and os.path.exists(host + ".journal"), out)
        doc = json.load(open(host))
        del doc["faults"]
        json.dump(doc, open(host, "w"), indent=1)
        rc, out = run("recover", "--yes")
        flat = " ".join(out.split())
        check("detach_fails/recover_done", rc == 0 and "Done." in out, out)
        check("detach_fails/recover_claims_nothing_false",
              "Nothing was changed" not in out and "FAILED" not in out, out)
        check("detach_fails/recover_says_what_stays",
              "Windows\\System32\\exhv-undo" in flat and "stays as that run wrote it" in flat,
              out)
        rc, out = run("recover")
        check("detach_fails/nothing_left", rc == 0 and "Nothing to recover" in out, out)
        rc, out = run("gpu", "drivers", "win11-gaming", "--yes")
        check("detach_fails/disk_detached", rc == 0 and "Done." in out, out)
    finally:
        for d, ds, fs in os.walk(tmp):
            for n in ds + fs:
                os.chmod(os.path.join(d, n), 0o755)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"import_flow: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
