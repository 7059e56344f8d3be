#!/usr/bin/env bash
# exhv-gui under Xvfb and Wine, driven by keys typed through the X server,
# each checked with the CLI on the same host file. One function per case;
# arguments name the cases to run (all by default):
#   refresh_slow  F5 on a host whose every query takes 500 ms: the window
#                 says it is busy and answers messages within 100 ms while
#                 it reads, then shows the host again
#   plan_slow     a move planned on a host whose queries take 600 ms: the operation window
#                 says it is planning and both windows answer within 100 ms
#   gpu_enter     GPU partitions page: Enter on a VM opens one picker, Enter
#                 there is OK, Enter in the plan runs it; the CLI then shows
#                 the VM's partition
# Usage: tests/gui/interact.sh WINDOWS_BUILD_DIR NATIVE_EXHV [CASE...]
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build/win}
EXHV=${2:-build/native/exhv}
shift 2 2>/dev/null
GUI_TMP=$(mktemp -d)
. tests/gui/env.sh
passed=0 failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
HOST=$GUI_TMP/host.json
NIC="Intel(R) Ethernet Controller I225-V"

t_refresh_slow() {
    local line rc
    slow_host "$HOST" 0 500
    gui_launch --connect "test://$HOST" --lang en --theme light --page dda
    xdotool key F5
    sleep 0.3
    line=$(probe ping 1.5)
    rc=$?
    [ "$rc" = 0 ] && ok "responsive during a slow refresh: $line" \
        || fail "not responsive during a slow refresh: $line"
    [ "$(probe busy)" = 1 ] && ok "F5: the window says it is reading the host" \
        || fail "F5: the window does not say it is busy"
    probe wait 30 >/dev/null
    [ "$(probe busy)" = 0 ] && ok "the refresh ends: the window is no longer busy" \
        || fail "still busy after the refresh"
    gui_quit
}

t_plan_slow() {
    local row idx line rc got
    slow_host "$HOST" 0 600
    row=$(dev_row "$HOST" "$NIC")
    idx=$(vm_index "$HOST" win11-gaming)
    gui_launch --connect "test://$HOST" --lang en --theme light --page dda
    keys ctrl+3 Home
    for _ in $(seq "$row"); do keys Down; done
    keys Return
    for _ in $(seq $((idx + 2))); do keys Down; done
    # The last key without waiting: the plan is being made.
    xdotool key Return
    sleep 0.3
    line=$(probe ping 1.5)
    rc=$?
    [ "$rc" = 0 ] && grep -q "to the operation window" <<<"$line" \
        && ok "responsive while planning on a slow host: $line" \
        || fail "not responsive while planning: $line"
    [ "$(probe busy)" = 1 ] && ok "the operation window says it is planning" \
        || fail "the operation window does not say it is planning"
    probe wait 30 >/dev/null
    got=$(probe text 135)
    [ "$got" = "Move $NIC from the host to VM win11-gaming" ] && ok "the plan arrives: $got" \
        || fail "plan title after planning: '$got'"
    keys Escape
    gui_quit
}

# Select VM NAME in the GPU page's VM list (the page starts on the GPUs).
gpu_vm() {
    local idx
    idx=$(vm_index "$HOST" "$1")
    keys ctrl+4 Tab Home
    for _ in $(seq "$idx"); do keys Down; done
}

# The number of GPU partition adapters of VM NAME, by the CLI.
adapters() {
    "$EXHV" --connect "test://$HOST" --json vms | python3 -c "
import json, sys
print(len([v for v in json.load(sys.stdin)['vms'] if v['name'] == sys.argv[1]][0]['gpu_adapters']))" "$1"
}

t_gpu_enter() {
    local got n
    cp scenarios/default.json "$HOST"
    gui_launch --connect "test://$HOST" --lang en --theme dark --page gpu
    gpu_vm old-gaming
    keys Return
    n=$(probe count exhv.picker)
    [ "$n" = 1 ] && ok "Enter on the VM opens one picker" || fail "Enter on the VM opened $n pickers"
    keys Return
    got=$(probe text 135)
    [ "$got" = "Add a GPU partition of NVIDIA GeForce RTX 4070 to VM old-gaming" ] \
        && ok "Enter in the picker is OK: the plan is shown" || fail "plan title: '$got'"
    [ "$(probe count exhv.picker)" = 0 ] && ok "no picker is left open" \
        || fail "a picker is still open under the plan"
    keys Return
    probe wait-result 20 >/dev/null
    grep -q "Done: every step ran" <<<"$(probe text 115)" && ok "Enter runs the GPU plan: Done" \
        || fail "after Enter in the GPU plan: $(probe text 115)"
    keys Escape
    gui_quit
    [ "$(adapters old-gaming)" = 1 ] && ok "exhv vms --json: old-gaming has one GPU partition" \
        || fail "exhv vms --json: old-gaming has $(adapters old-gaming) partitions"
}

gui_env_start 1100 720
gui_desktop 1100 720
gui_dpi 100
cases=("$@")
[ ${#cases[@]} = 0 ] && cases=(refresh_slow plan_slow gpu_enter)
for c in "${cases[@]}"; do
    echo "== $c"
    "t_$c"
done
rm -rf "$GUI_TMP"
echo "GUI interaction: $passed passed, $failed failed"
[ "$failed" = 0 ]
