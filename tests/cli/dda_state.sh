#!/usr/bin/env bash
# Each DDA transition and GPU-PV change, run on a scenario file, leaves
# exactly the expected state, as a following `exhv devices --json` (or
# `vms --json`) sees it.
#   tests/cli/dda_state.sh COMMAND...     (build/native/exhv, or wine build/win/exhv.exe)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
host="$tmp/host.json"
passed=0 failed=0
cp "$root/scenarios/default.json" "$host"

exhv() { (cd "$root" && "${CMD[@]}" --connect "test://$host" "$@") </dev/null; }
CMD=("$@")

# expect LOCATION STATE VM(or -) PROBLEM
expect() {
    local loc=$1 state=$2 vm=$3 problem=$4 got
    got=$(exhv --json devices | python3 -c '
import json, sys
loc = sys.argv[1]
for d in json.load(sys.stdin)["devices"]:
    if d["location_path"] == loc:
        print(d["state"], d["vm"] or "-", d["problem"])
        break
else:
    print("absent")' "$loc")
    local want="$state${vm:+ $vm}${problem:+ $problem}"
    if [ "$got" = "$want" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL dda_state/$step: $loc is '$got', expected '$want'" >&2
    fi
}
run() {
    step=$1; shift
    if ! exhv "$@" --yes >"$tmp/out" 2>&1; then
        failed=$((failed + 1))
        echo "FAIL dda_state/$step: exhv $* failed:" >&2
        cat "$tmp/out" >&2
    fi
}
GPU='PCIROOT(0)#PCI(0101)#PCI(0000)'
AUDIO='PCIROOT(0)#PCI(0101)#PCI(0001)'
NIC='PCIROOT(0)#PCI(0102)#PCI(0000)#PCI(0200)#PCI(0000)'
USB='PCIROOT(0)#PCI(0102)#PCI(0000)#PCI(0400)#PCI(0000)'
GONE='PCIROOT(0)#PCI(0104)#PCI(0000)'

run host_to_vm assign "$GPU" --to win11-gaming --with-functions
expect "$GPU" assigned win11-gaming 0
expect "$AUDIO" assigned win11-gaming 0
run vm_to_vm assign "$GPU" --to dev-box --stop
expect "$GPU" assigned dev-box 0
expect "$AUDIO" assigned win11-gaming 0
run vm_to_host assign "$GPU" --to host
expect "$GPU" host - 0
run vm_to_host_audio assign "$AUDIO" --to host
expect "$AUDIO" host - 0
run dismounted_to_vm assign "$USB" --to router
expect "$USB" assigned router 0
expect "$NIC" assigned router 0
run vm_to_host_nic assign "$NIC" --to host
expect "$NIC" host - 0
run missing_to_host assign "$GONE" --to host
expect "$GONE" absent "" ""
run dismounted_to_host_prep assign "$USB" --to host
expect "$USB" host - 0
run policy_off policy off
got=$(exhv --json policy | python3 -c 'import json,sys; print(json.load(sys.stdin)["security_policy"])')
[ "$got" = off ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL dda_state/policy_off: $got" >&2; }
run policy_on policy on
got=$(exhv --json policy | python3 -c 'import json,sys; print(json.load(sys.stdin)["security_policy"])')
[ "$got" = on ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL dda_state/policy_on: $got" >&2; }
# The VMs the moves changed keep the settings they were given.
got=$(exhv --json vms | python3 -c '
import json, sys
v = {x["name"]: x for x in json.load(sys.stdin)["vms"]}["dev-box"]
print(v["state"], v["automatic_stop_action"], v["guest_controlled_cache"], v["low_mmio_mb"], v["high_mmio_mb"], v["dynamic_memory"])')
[ "$got" = "off turn_off True 528 16928 False" ] && passed=$((passed + 1)) ||
    { failed=$((failed + 1)); echo "FAIL dda_state/vm_settings: $got" >&2; }

# GPU-PV: add then remove leaves no adapter; the adapter names the GPU chosen.
adapters() {
    exhv --json vms | python3 -c '
import json, sys
v = {x["name"]: x for x in json.load(sys.stdin)["vms"]}[sys.argv[1]]
print(len(v["gpu_adapters"]), *[a["instance_path"].lower() for a in v["gpu_adapters"]])' "$1"
}
amd=$(exhv --json gpus | python3 -c 'import json,sys; print(json.load(sys.stdin)["gpus"][1]["partition_path"].lower())')
run gpu_add gpu add router --gpu 1 --no-drivers
got=$(adapters router)
[ "$got" = "1 $amd" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL dda_state/gpu_add: $got" >&2; }
run gpu_remove gpu remove router --all
got=$(adapters router)
[ "$got" = "0" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL dda_state/gpu_remove: $got" >&2; }
run gpu_remove_stale gpu remove render-node --stale
got=$(adapters render-node)
[ "$got" = "0" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL dda_state/gpu_remove_stale: $got" >&2; }

# Two exhv processes never change one host at once: while another process
# holds the host's lock, a change is refused and nothing happens. (POSIX
# flock; the Windows build uses a named mutex.)
if [ "${CMD[0]}" != wine ]; then
    python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "w"); fcntl.flock(f, fcntl.LOCK_EX); open(sys.argv[2], "w").close(); time.sleep(5)' \
        "$host.lock" "$tmp/locked" &
    holder=$!
    for _ in $(seq 50); do [ -e "$tmp/locked" ] && break; sleep 0.1; done
    before=$(md5sum <"$host")
    out=$(exhv policy off --yes 2>&1); rc=$?
    after=$(md5sum <"$host")
    kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
    if [ $rc = 1 ] && grep -q "another exhv is changing this host" <<<"$out" && [ "$before" = "$after" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "FAIL dda_state/lock: rc=$rc $out" >&2
    fi
fi

echo "dda_state: $passed passed, $failed failed"
[ "$failed" = 0 ]
