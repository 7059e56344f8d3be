#!/usr/bin/env bash
# exhv diag turns a host into a scenario that replays it: for every test
# scenario, the JSON of devices, vms, gpus, status and survey read from the
# diag file is byte-identical to the original's (the connection aside), and
# --anonymize hides the computer name, VM names and instance serials.
#   tests/cli/diag_roundtrip.sh [wine] EXHV
set -u
run=("$@")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/exhv-diag.XXXXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL diag/$1" >&2; }

views=("devices" "devices --all" "vms" "gpus" "status" "survey")
for src in "$root"/scenarios/default.json "$root"/tests/data/*.json; do
    name=$(basename "$src" .json)
    case $name in bad-*) continue ;; esac
    cp "$src" "$tmp/$name.json"
    if ! "${run[@]}" --connect "test://$tmp/$name.json" diag -o "$tmp/$name.diag.json" 2>"$tmp/err"; then
        bad "$name: diag failed: $(cat "$tmp/err")"
        continue
    fi
    for v in "${views[@]}"; do
        # shellcheck disable=SC2086
        a=$("${run[@]}" --connect "test://$tmp/$name.json" --json $v 2>&1; echo "exit $?")
        # shellcheck disable=SC2086
        b=$("${run[@]}" --connect "test://$tmp/$name.diag.json" --json $v 2>&1; echo "exit $?")
        # The connection aside, also where a suggested command names it.
        a=$(grep -v '"connection"' <<<"$a" | sed "s|test://$tmp/$name.json|URI|g")
        b=$(grep -v '"connection"' <<<"$b" | sed "s|test://$tmp/$name.diag.json|URI|g")
        if [ "$a" == "$b" ]; then ok; else
            bad "$name: $v differs after diag"
            diff <(echo "$a") <(echo "$b") | head -10 >&2
        fi
    done
done

# --anonymize: nothing that names the host, its VMs or its devices' serials,
# and the replay shows the same devices in the same states.
cp "$root/scenarios/default.json" "$tmp/anon-src.json"
"${run[@]}" --connect "test://$tmp/anon-src.json" diag --anonymize -o "$tmp/anon.json" 2>/dev/null
if grep -qiE 'LAB-HV01|win11-gaming|dev-box|old-gaming|render-node|4&1A2B3C4D|5&2E6B1C3|4&0BADC0DE' "$tmp/anon.json"; then
    bad "anonymize leaves names or serials"
else ok; fi
states() { "${run[@]}" --connect "test://$1" --json devices --all | grep -E '"(state|location_path)"'; }
[ "$(states "$tmp/anon-src.json")" == "$(states "$tmp/anon.json")" ] && ok || bad "anonymized replay differs in devices"
n1=$("${run[@]}" --connect "test://$tmp/anon-src.json" --json vms | grep -c '"generation"')
n2=$("${run[@]}" --connect "test://$tmp/anon.json" --json vms | grep -c '"generation"')
[ "$n1" = "$n2" ] && [ "$n1" -gt 0 ] && ok || bad "anonymized replay has $n2 VMs, not $n1"

# The guest driver records keep their states, and lose the VM names and
# the GPUs' serials, a GPU gone from the host's too.
cp "$root/tests/data/guest-drivers.json" "$tmp/anon-gd.json"
"${run[@]}" --connect "test://$tmp/anon-gd.json" diag --anonymize -o "$tmp/anon-gd.diag.json" 2>/dev/null
if grep -qiE 'win11-gaming|dev-box|old-gaming|legacy-xp|router|4&1A2B3C4D|6&3F0E2A11' "$tmp/anon-gd.diag.json"; then
    bad "anonymize leaves names or serials in guest driver records"
else ok; fi
gd() { "${run[@]}" --connect "test://$1" --json vms | grep -E '"(state|version|host_version|problem)"' | sort; }
[ "$(gd "$tmp/anon-gd.json")" == "$(gd "$tmp/anon-gd.diag.json")" ] && ok ||
    bad "anonymized replay differs in guest driver states"

# Read-only: the host's file is unchanged by diag.
cmp -s "$root/scenarios/default.json" "$tmp/anon-src.json" && ok || bad "diag changed the host"

echo "diag: $passed passed, $failed failed"
[ "$failed" = 0 ]
