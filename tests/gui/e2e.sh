#!/usr/bin/env bash
# exhv-gui end to end under Xvfb and Wine, driven by keys typed through the
# X server, each checked afterwards with the CLI on the same host file:
#   1. a DDA move: a NIC from the host to a VM (Device assignment page,
#      Enter on the row, the VM in the menu, Run);
#   2. a GPU partition added to a VM (GPU partitions page, Enter on the VM,
#      the picker's first GPU, Space on Run);
#   3. a move whose third Hyper-V call fails (an injected fault): the result
#      says the steps done were undone, and the host is as before (every
#      document of status, devices, gpus and vms compared whole);
#   4. Recover (Alt+C) on the stuck, dismounted USB controller, in Chinese:
#      it is the host's again;
#   5. on a slow simulated host (each change takes 1 s), the windows answer
#      messages within 100 ms while the plan runs (gui-probe ping);
#   6. Stop during the first step of a slow move: the result says it
#      stopped and undid, and the host is as before;
#   7. the operation windows in Chinese: the confirmation, the progress,
#      the result of a move whose last step fails (rolled back, the host as
#      before) and a plan that cannot be made (a running VM): every
#      sentence the planner and executor write is Chinese too; the GPU
#      plan's notes name the window's choices, not the CLI's flags.
# Usage: tests/gui/e2e.sh WINDOWS_BUILD_DIR NATIVE_EXHV
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build/win}
EXHV=${2:-build/native/exhv}
GUI_TMP=$(mktemp -d)
. tests/gui/env.sh
passed=0 failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

gui_env_start 1100 720
gui_desktop 1100 720
gui_dpi 100


# Select device NAME on the DDA page and choose VM in its menu; the plan's
# title must be TITLE.
dda_move() {
    local host=$1 name=$2 vm=$3 title=$4 row idx
    row=$(dev_row "$host" "$name")
    idx=$(vm_index "$host" "$vm")
    gui_launch --connect "test://$host" --lang "${GUI_LANG:-en}" --theme light --page dda
    keys ctrl+3 Home
    for _ in $(seq "$row"); do keys Down; done
    # Enter opens the menu: Host (greyed, it is the host's: Wine's menus
    # still highlight it), a separator, the VMs.
    keys Return
    for _ in $(seq $((idx + 2))); do keys Down; done
    keys Return
    got=$(probe text 135)
    [ "$got" = "$title" ] || { echo "plan title: '$got', wanted '$title'"; return 1; }
    [ -n "${SHOT:-}" ] && gui_shot "build/screenshots/$SHOT-plan.png"
    if [ "${5:-}" = nowait ]; then
        # Not waiting for the window to settle: the plan is running.
        xdotool key Return
    else
        keys Return
        probe wait-result 60 >/dev/null
    fi
}

# 1. A DDA move.
mkdir -p build/screenshots
cp scenarios/default.json "$GUI_TMP/host.json"
if SHOT=op-dda-move-en-light-100 dda_move "$GUI_TMP/host.json" "Intel(R) Ethernet Controller I225-V" win11-gaming \
        "Move Intel(R) Ethernet Controller I225-V from the host to VM win11-gaming"; then
    result=$(probe text 115)
    gui_shot build/screenshots/op-dda-move-result-en-light-100.png
    grep -q "Done: every step ran" <<<"$result" && ok "the move's result says Done" || fail "move result: $result"
    keys Escape
    gui_quit
    "$EXHV" --connect "test://$GUI_TMP/host.json" --json devices | python3 -c "
import json, sys
d = [d for d in json.load(sys.stdin)['devices'] if d['name'] == 'Intel(R) Ethernet Controller I225-V'][0]
sys.exit(0 if d['state'] == 'assigned' and d['vm'] == 'win11-gaming' else 1)" \
        && ok "exhv devices --json: the NIC is assigned to win11-gaming" \
        || fail "exhv devices --json does not show the NIC on win11-gaming"
else
    fail "DDA move through the window"
    gui_quit
fi

# 2. A GPU partition.
cp scenarios/default.json "$GUI_TMP/host.json"
idx=$(vm_index "$GUI_TMP/host.json" old-gaming)
gui_launch --connect "test://$GUI_TMP/host.json" --lang en --theme dark --page gpu
# The page starts on the GPU list; Tab goes to the VMs.
keys ctrl+4 Tab Home
for _ in $(seq "$idx"); do keys Down; done
# The picker: Alt+D clears "Import the host's GPU driver" (this host file has
# no disks beside it; tests/gui/interact.sh's gpu_import imports), Enter is OK.
keys Return alt+d Return
got=$(probe text 135)
if [ "$got" = "Add a GPU partition of NVIDIA GeForce RTX 4070 to VM old-gaming" ]; then
    gui_shot build/screenshots/op-gpu-add-plan-en-dark-100.png
    # Run has the keyboard: Space presses it (Enter is tests/gui/interact.sh's
    # gpu_enter).
    [ "$(probe focus | cut -d' ' -f1-2)" = "Button 126" ] || fail "Run does not have the keyboard: $(probe focus)"
    keys space
    probe wait-result 60 >/dev/null
    gui_shot build/screenshots/op-gpu-add-result-en-dark-100.png
    grep -q "Done: every step ran" <<<"$(probe text 115)" && ok "the GPU add's result says Done" || fail "GPU add result: $(probe text 115)"
    keys Escape
else
    fail "GPU add plan title: '$got'"
fi
gui_quit
"$EXHV" --connect "test://$GUI_TMP/host.json" --json vms | python3 -c "
import json, sys
v = [v for v in json.load(sys.stdin)['vms'] if v['name'] == 'old-gaming'][0]
ads = v['gpu_adapters']
sys.exit(0 if len(ads) == 1 else 1)" \
    && ok "exhv vms --json: old-gaming has one GPU partition" \
    || fail "exhv vms --json does not show a partition on old-gaming"

# 3. An injected fault: the first AddResourceSettings (the move's last
# step, giving the device to the VM) fails; the steps before are undone.
python3 - "$GUI_TMP/host.json" <<'PY'
import json, sys
s = json.load(open("scenarios/default.json"))
s["faults"] = [{"method": "AddResourceSettings", "call": 1, "return": 32775}]
json.dump(s, open(sys.argv[1], "w"), indent=1)
PY
state "$GUI_TMP/host.json" >"$GUI_TMP/before.json"
if dda_move "$GUI_TMP/host.json" "Intel(R) Ethernet Controller I225-V" win11-gaming \
        "Move Intel(R) Ethernet Controller I225-V from the host to VM win11-gaming"; then
    result=$(probe text 115)
    echo "$result" | sed 's/^/    /'
    grep -q "every step done before it was undone" <<<"$result" && grep -q "Nothing was changed" <<<"$result" \
        && ok "the failed move's result says what was undone" || fail "fault result: $result"
    gui_shot build/screenshots/op-fault-result-en-light-100.png
    keys Escape
else
    fail "DDA move with a fault through the window"
fi
gui_quit
state "$GUI_TMP/host.json" >"$GUI_TMP/after.json"
cmp -s "$GUI_TMP/before.json" "$GUI_TMP/after.json" \
    && ok "after the rollback, status, devices, gpus and vms are as before" \
    || { fail "the host differs after the rollback"; diff "$GUI_TMP/before.json" "$GUI_TMP/after.json" | head -20; }

# 4. Recovery: the stuck (dismounted) USB controller, Recover (Alt+C),
# Space on Run: it is the host's again.
cp scenarios/default.json "$GUI_TMP/host.json"
usb="ASMedia USB 3.1 eXtensible Host Controller"
row=$(dev_row "$GUI_TMP/host.json" "$usb")
gui_launch --connect "test://$GUI_TMP/host.json" --lang zh --theme dark --page dda
keys ctrl+3 Home
for _ in $(seq "$row"); do keys Down; done
keys alt+c
got=$(probe text 135)
if [ "$got" = "将 $usb 还给主机" ]; then
    gui_shot build/screenshots/op-recover-plan-zh-dark-100.png
    keys space
    probe wait-result 60 >/dev/null
    gui_shot build/screenshots/op-recover-result-zh-dark-100.png
    grep -q "完成：所有步骤均已运行" <<<"$(probe text 115)" && ok "the recovery's result says Done (in Chinese)" \
        || fail "recovery result: $(probe text 115)"
    keys Escape
else
    fail "recovery plan title: '$got'"
fi
gui_quit
"$EXHV" --connect "test://$GUI_TMP/host.json" --json devices | python3 -c "
import json, sys
d = [d for d in json.load(sys.stdin)['devices'] if d['name'] == sys.argv[1]][0]
sys.exit(0 if d['state'] == 'host' and not d['disabled'] else 1)" "$usb" \
    && ok "exhv devices --json: the USB controller is the host's, enabled" \
    || fail "exhv devices --json: the USB controller was not recovered"


# 5. Responsiveness: while the plan's steps take a second each on the
# worker thread, the main window and the operation window answer every
# message within 100 ms.
slow_host "$GUI_TMP/host.json" 1000
if dda_move "$GUI_TMP/host.json" "Intel(R) Ethernet Controller I225-V" win11-gaming \
        "Move Intel(R) Ethernet Controller I225-V from the host to VM win11-gaming" nowait; then
    line=$(probe ping 3)
    rc=$?
    echo "    $line"
    [ "$rc" = 0 ] && grep -q "to the operation window" <<<"$line" \
        && ok "responsive while steps run: $line" || fail "not responsive: $line"
    probe wait-result 60 >/dev/null
    grep -q "Done: every step ran" <<<"$(probe text 115)" && ok "the slow move's result says Done" \
        || fail "slow move result: $(probe text 115)"
    keys Escape
else
    fail "slow DDA move through the window"
fi
gui_quit

# 6. Stop: Space on "Stop and undo" (it has the keyboard while the plan
# runs) during the first step; the step finishes, is undone, and the host
# is as before.
slow_host "$GUI_TMP/host.json" 1500
state "$GUI_TMP/host.json" >"$GUI_TMP/before.json"
if dda_move "$GUI_TMP/host.json" "Intel(R) Ethernet Controller I225-V" win11-gaming \
        "Move Intel(R) Ethernet Controller I225-V from the host to VM win11-gaming" nowait; then
    sleep 0.8
    keys space
    probe wait-result 60 >/dev/null
    result=$(probe text 115)
    echo "$result" | sed 's/^/    /'
    gui_shot build/screenshots/op-stopped-result-en-light-100.png
    grep -q "Stopped as asked" <<<"$result" && grep -q "Nothing was changed" <<<"$result" \
        && ok "Stop: the result says the steps done were undone" || fail "stop result: $result"
    keys Escape
else
    fail "DDA move to stop through the window"
fi
gui_quit
state "$GUI_TMP/host.json" >"$GUI_TMP/after.json"
cmp -s "$GUI_TMP/before.json" "$GUI_TMP/after.json" \
    && ok "after Stop, status, devices, gpus and vms are as before" \
    || { fail "the host differs after Stop"; diff "$GUI_TMP/before.json" "$GUI_TMP/after.json" | head -20; }

# 7. The operation windows in Chinese. No sentence of the library is left
# in English: the texts hold none of its English words.
english() { grep -E "[a-z]{2,} [a-z]{2,} [a-z]{2,}|Nothing|failed|Step [0-9]|Move |VM [a-z]" <<<"$1"; }
nic="Intel(R) Ethernet Controller I225-V"
python3 - "$GUI_TMP/host.json" <<'PY'
import json, sys
s = json.load(open("scenarios/default.json"))
s["faults"] = [{"method": "AddResourceSettings", "call": 1, "return": 32775}]
json.dump(s, open(sys.argv[1], "w"), indent=1)
PY
state "$GUI_TMP/host.json" >"$GUI_TMP/before.json"
if GUI_LANG=zh SHOT=op-fault-zh-light-100 dda_move "$GUI_TMP/host.json" "$nic" win11-gaming \
        "将 $nic 从主机移到虚拟机 win11-gaming"; then
    result=$(probe text 115)
    echo "$result" | sed 's/^/    /'
    gui_shot build/screenshots/op-fault-result-zh-light-100.png
    grep -q "第 [0-9] 步失败；之前的 [0-9] 步均已撤销。未做任何更改。" <<<"$result" && ! english "$result" \
        && ok "in Chinese, the failed move's result says what was undone" || fail "Chinese fault result: $result"
    keys Escape
else
    fail "DDA move with a fault in Chinese"
fi
gui_quit
state "$GUI_TMP/host.json" >"$GUI_TMP/after.json"
cmp -s "$GUI_TMP/before.json" "$GUI_TMP/after.json" \
    && ok "after the Chinese rollback, the host is as before" || fail "the host differs after the Chinese rollback"
slow_host "$GUI_TMP/host.json" 1000
if GUI_LANG=zh dda_move "$GUI_TMP/host.json" "$nic" win11-gaming "将 $nic 从主机移到虚拟机 win11-gaming" nowait; then
    sleep 2.5
    gui_shot build/screenshots/op-progress-zh-light-100.png
    probe wait-result 60 >/dev/null
    result=$(probe text 115)
    gui_shot build/screenshots/op-done-result-zh-light-100.png
    grep -q "完成：所有步骤均已运行" <<<"$result" && ! english "$result" \
        && ok "in Chinese, the slow move's result says Done" || fail "Chinese slow move result: $result"
    keys Escape
else
    fail "slow DDA move in Chinese"
fi
gui_quit
cp scenarios/default.json "$GUI_TMP/host.json"
row=$(dev_row "$GUI_TMP/host.json" "$nic")
idx=$(vm_index "$GUI_TMP/host.json" dev-box)
gui_launch --connect "test://$GUI_TMP/host.json" --lang zh --theme dark --page dda
keys ctrl+3 Home
for _ in $(seq "$row"); do keys Down; done
keys Return
for _ in $(seq $((idx + 2))); do keys Down; done
keys Return
result=$(probe text 115)
gui_shot build/screenshots/op-error-zh-dark-100.png
echo "$result" | sed 's/^/    /'
grep -q "虚拟机 dev-box 正在运行：请先将其关机，或勾选“关闭正在运行的虚拟机”" <<<"$result" && ! english "$result" \
    && ok "in Chinese, a plan that cannot be made says why, naming the window's check box" \
    || fail "Chinese planning error: $result"
keys Escape
gui_quit
# The GPU plan's notes name the window's choices (the share, no driver
# import), not the CLI's flags, in Chinese.
cp scenarios/default.json "$GUI_TMP/host.json"
idx=$(vm_index "$GUI_TMP/host.json" old-gaming)
gui_launch --connect "test://$GUI_TMP/host.json" --lang zh --theme light --page gpu
keys ctrl+4 Tab Home
for _ in $(seq "$idx"); do keys Down; done
keys Return alt+d Return
result=$(probe text 115)
gui_shot build/screenshots/op-gpu-add-plan-zh-light-100.png
echo "$result" | sed 's/^/    /'
grep -q "份额大于 0 时" <<<"$result" && grep -q "未导入驱动程序：" <<<"$result" && ! grep -q -- "--" <<<"$result" \
    && ! english "$result" && ok "in Chinese, the GPU plan's notes name the window's choices, no CLI flag" \
    || fail "Chinese GPU plan notes: $result"
keys Escape
gui_quit

rm -rf "$GUI_TMP"
echo "GUI end to end: $passed passed, $failed failed"
[ "$failed" = 0 ]
