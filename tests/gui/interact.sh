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
#   policy        Compatibility page: Space on the policy switch, Enter on
#                 the plan; the CLI's status shows both values relaxed
#   gpu_remove    GPU partitions page: win11-gaming's adapter, Alt+M
#                 (Remove), Enter; the CLI shows no adapter left
#   share         the picker with a share of 25 (typed in its field): the
#                 host file ends exactly as `exhv gpu add --share 25` leaves
#                 it, and not as a share of 0 would
#   persist       Settings: Dark and 简体中文 chosen with the keyboard are in
#                 HKCU\Software\exhv\gui and a new start without options
#                 is dark and Chinese
#   accel         F5 shows a change the CLI made meanwhile; F6 puts the
#                 keyboard on the navigation; Ctrl+2 and Ctrl+5 choose pages
#   gpu_details   GPU partitions page: the details pane shows the selected
#                 GPU's instance ID, partition path and partition resources
#                 and the selected VM adapter's ID, GPU, path and guest
#                 driver state, each as the CLI's --json gives them
#   bars          at 150 %, dark, and at the narrowest the window goes: no
#                 list of the GPU and DDA pages has a horizontal scroll bar,
#                 and the DDA details (which fit) have no vertical one (Wine
#                 draws scroll bars light)
#   gpu_import    GPU partitions page: win11-gaming, Enter, Enter (the picker
#                 imports the driver unless Alt+D clears it), Enter: Done,
#                 the guest drivers are current, and host file and disk tree
#                 end exactly as `exhv gpu add --gpu 0` leaves a copy
#   drivers       GPU partitions page: win11-gaming, Alt+D (Update drivers),
#                 Enter: the result says Done, the CLI's vms --json says its
#                 guest drivers are current, and the host file and the VM's
#                 disk tree end exactly as `exhv gpu drivers` leaves a copy
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
    # Alt+D clears the driver import: this host file has no disks beside it.
    keys alt+d Return
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

t_policy() {
    local got
    cp scenarios/default.json "$HOST"
    gui_launch --connect "test://$HOST" --lang en --theme light --page status
    # The page's first control has the keyboard: the switch.
    keys ctrl+2 space
    got=$(probe text 135)
    [ -n "$got" ] && ok "the policy switch opens its plan: $got" || fail "no policy plan"
    keys Return
    probe wait-result 20 >/dev/null
    grep -q "Done: every step ran" <<<"$(probe text 115)" && ok "the policy plan says Done" \
        || fail "policy result: $(probe text 115)"
    keys Escape
    gui_quit
    "$EXHV" --connect "test://$HOST" --json status | python3 -c "
import json, sys
p = json.load(sys.stdin)['policy']
sys.exit(0 if p == {'require_secure_device_assignment': False, 'require_supported_device_assignment': False} else 1)" \
        && ok "exhv status --json: both policy values relaxed" \
        || fail "exhv status --json: policy not relaxed"
}

t_gpu_remove() {
    cp scenarios/default.json "$HOST"
    gui_launch --connect "test://$HOST" --lang en --theme light --page gpu
    gpu_vm win11-gaming
    keys alt+m
    grep -q "win11-gaming" <<<"$(probe text 135)" && ok "Remove opens its plan: $(probe text 135)" \
        || fail "remove plan title: '$(probe text 135)'"
    keys Return
    probe wait-result 20 >/dev/null
    grep -q "Done: every step ran" <<<"$(probe text 115)" && ok "the removal says Done" \
        || fail "removal result: $(probe text 115)"
    keys Escape
    gui_quit
    [ "$(adapters win11-gaming)" = 0 ] && ok "exhv vms --json: win11-gaming has no adapter left" \
        || fail "exhv vms --json: win11-gaming has $(adapters win11-gaming) adapters"
}

# The host file's document, whatever the spacing.
same_host() {
    python3 - "$1" "$2" <<'PY'
import json, sys
sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)
PY
}

t_share() {
    local cli=$GUI_TMP/cli.json zero=$GUI_TMP/zero.json
    cp scenarios/default.json "$HOST"
    cp scenarios/default.json "$cli"
    cp scenarios/default.json "$zero"
    "$EXHV" --connect "test://$cli" gpu add old-gaming --gpu 0 --share 25 --no-drivers --yes >/dev/null
    "$EXHV" --connect "test://$zero" gpu add old-gaming --gpu 0 --no-drivers --yes >/dev/null
    gui_launch --connect "test://$HOST" --lang en --theme light --page gpu
    gpu_vm old-gaming
    # The picker: its GPU list, then Tab to the share (its text selected), 25;
    # Alt+D clears the driver import (--no-drivers).
    keys Return Tab 2 5 alt+d Return
    grep -q "old-gaming" <<<"$(probe text 135)" && ok "a share of 25: the plan is shown" \
        || fail "share plan title: '$(probe text 135)'"
    keys Return
    probe wait-result 20 >/dev/null
    grep -q "Done: every step ran" <<<"$(probe text 115)" && ok "the GPU add with a share says Done" \
        || fail "share result: $(probe text 115)"
    keys Escape
    gui_quit
    same_host "$HOST" "$cli" && ok "the host is as exhv gpu add --share 25 leaves it" \
        || { fail "the host differs from the CLI's --share 25"; diff <(python3 -m json.tool "$cli") <(python3 -m json.tool "$HOST") | head -20; }
    same_host "$HOST" "$zero" && fail "the share made no difference (as a share of 0)" \
        || ok "a share of 25 is not a share of 0"
}

hkcu() { wine reg query 'HKCU\Software\exhv\gui' /v "$1" 2>/dev/null | tr -d '\r' | awk -v n="$1" '$1 == n {print $3}'; }

t_persist() {
    local line bg
    cp scenarios/default.json "$HOST"
    wine reg delete 'HKCU\Software\exhv\gui' /f >/dev/null 2>&1
    # No --lang or --theme: the choices made are remembered.
    gui_launch --connect "test://$HOST" --page settings
    # The theme's radio buttons, then the languages' (Tab).
    keys ctrl+5 Home Down Down
    keys Tab Down
    gui_quit
    [ "$(hkcu Theme)" = 0x2 ] && ok "HKCU Theme is 2 (dark)" || fail "HKCU Theme: '$(hkcu Theme)'"
    [ "$(hkcu Language)" = 0x1 ] && ok "HKCU Language is 1 (Chinese)" || fail "HKCU Language: '$(hkcu Language)'"
    gui_launch --connect "test://$HOST"
    line=$(probe main-text 112)
    grep -q "已连接" <<<"$line" && ok "started again: the status line is Chinese: $line" \
        || fail "started again: the status line is '$line'"
    bg=$(probe pixel 4 300)
    [ "$bg" = 1a1a1a ] && ok "started again: the navigation is dark ($bg)" \
        || fail "started again: the navigation is $bg, not dark"
    gui_quit
    wine reg delete 'HKCU\Software\exhv\gui' /f >/dev/null 2>&1
}

t_accel() {
    local before after
    cp scenarios/default.json "$HOST"
    gui_launch --connect "test://$HOST" --lang en --theme light --page home
    keys ctrl+4
    before=$(probe rows 114)
    "$EXHV" --connect "test://$HOST" gpu add win11-gaming --gpu 0 --no-drivers --yes >/dev/null
    [ "$(probe rows 114)" = "$before" ] || fail "the VM list changed before F5"
    keys F5
    probe wait 20 >/dev/null
    after=$(probe rows 114)
    [ "$after" = $((before + 1)) ] && ok "F5 shows the partition the CLI added ($before -> $after rows)" \
        || fail "after F5: $before -> $after rows"
    keys F6
    grep -q "^ListBox 111 in exhv.main" <<<"$(probe focus)" && ok "F6: the navigation has the keyboard" \
        || fail "F6: the keyboard is on $(probe focus)"
    keys ctrl+2
    [ "$(probe rows 111)" = 5 ] && grep -q "^Button 118" <<<"$(probe focus)" \
        && ok "Ctrl+2: the Compatibility page, its switch has the keyboard" \
        || fail "Ctrl+2: the keyboard is on $(probe focus)"
    keys ctrl+5
    grep -q "^Button 12[1-3]" <<<"$(probe focus)" && ok "Ctrl+5: Settings, a theme button has the keyboard" \
        || fail "Ctrl+5: the keyboard is on $(probe focus)"
    gui_quit
}

# Field F of the CLI's --json document CMD, by a Python expression on d.
cli_field() {
    "$EXHV" --connect "test://$HOST" --json "$1" | python3 -c "
import json, sys
d = json.load(sys.stdin)
print($2)"
}

has() { grep -qF -- "$2" <<<"$1"; }

t_gpu_details() {
    local det want
    cp tests/data/guest-drivers.json "$HOST"
    gui_launch --connect "test://$HOST" --lang en --theme light --page gpu
    # The page starts on the GPU list, its first GPU selected.
    keys ctrl+4 Home
    det=$(probe main-text 115)
    for want in "Instance ID:  $(cli_field gpus "d['gpus'][0]['instance_id']")" \
                "Partition path:  $(cli_field gpus "d['gpus'][0]['partition_path']")" \
                "Partitions:  $(cli_field gpus "d['gpus'][0]['partition']['count']") (valid counts: 32)" \
                "VRAM: total $(cli_field gpus "d['gpus'][0]['partition']['vram']['total']"), available"; do
        has "$det" "$want" && ok "GPU details: $want" || { fail "GPU details lack '$want'"; echo "$det" | sed 's/^/    /'; }
    done
    keys Down
    has "$(probe main-text 115)" "$(cli_field gpus "d['gpus'][1]['instance_id']")" \
        && ok "Down: the second GPU's details" || fail "Down: $(probe main-text 115)"
    # The VMs: win11-gaming's adapter, then dev-box.
    keys Tab Home
    for _ in $(seq "$(vm_index "$HOST" win11-gaming)"); do keys Down; done
    det=$(probe main-text 115)
    for want in "Adapter ID:  $(cli_field vms "[v for v in d['vms'] if v['name'] == 'win11-gaming'][0]['gpu_adapters'][0]['id']")" \
                "Host GPU:  AMD Radeon RX 7600" \
                "Partition path:  $(cli_field vms "[v for v in d['vms'] if v['name'] == 'win11-gaming'][0]['gpu_adapters'][0]['instance_path']")" \
                "Guest drivers:  stale: 32.0.15.6094, host now 32.0.15.6603"; do
        has "$det" "$want" && ok "VM details: $want" || { fail "VM details lack '$want'"; echo "$det" | sed 's/^/    /'; }
    done
    keys Home
    has "$(probe main-text 115)" "Guest drivers:  current (31.0.24027.1012)" \
        && ok "dev-box: guest drivers current" || fail "dev-box details: $(probe main-text 115)"
    gui_quit
}

t_drivers() {
    local keep=$HOST lab=$GUI_TMP/lab cli=$GUI_TMP/lab-cli state
    rm -rf "$lab" "$cli"
    cp -R scenarios "$lab"
    cp -R scenarios "$cli"
    HOST=$lab/default.json
    state=$(cli_field vms "[v for v in d['vms'] if v['name'] == 'win11-gaming'][0]['guest_drivers']['state']")
    [ "$state" = none ] && ok "before: win11-gaming's guest drivers are not imported" \
        || fail "before: win11-gaming's guest drivers are '$state'"
    gui_launch --connect "test://$HOST" --lang en --theme light --page gpu
    gpu_vm win11-gaming
    keys alt+d
    grep -q "win11-gaming" <<<"$(probe text 135)" && ok "Update drivers opens its plan: $(probe text 135)" \
        || fail "drivers plan title: '$(probe text 135)'"
    mkdir -p build/screenshots
    gui_shot build/screenshots/op-gpu-drivers-plan-en-light-100.png
    keys Return
    probe wait-result 60 >/dev/null
    gui_shot build/screenshots/op-gpu-drivers-result-en-light-100.png
    grep -q "Done: every step ran" <<<"$(probe text 115)" && ok "the driver update says Done" \
        || fail "driver update result: $(probe text 115)"
    grep -qE "^Copied [1-9][0-9]* files \([0-9]+ bytes\); 0 were up to date\." <<<"$(probe text 115)" \
        && ok "the result says what was copied: $(probe text 115 | grep ^Copied)" \
        || fail "the result does not say what was copied: $(probe text 115)"
    keys Escape
    gui_quit
    state=$(cli_field vms "[v for v in d['vms'] if v['name'] == 'win11-gaming'][0]['guest_drivers']['state']")
    [ "$state" = current ] && ok "exhv vms --json: win11-gaming's guest drivers are current" \
        || fail "exhv vms --json: win11-gaming's guest drivers are '$state'"
    "$EXHV" --connect "test://$cli/default.json" gpu drivers win11-gaming --yes >/dev/null
    same_host "$HOST" "$cli/default.json" && ok "the host is as exhv gpu drivers leaves it" \
        || { fail "the host differs from the CLI's gpu drivers"; diff <(python3 -m json.tool "$cli/default.json") <(python3 -m json.tool "$HOST") | head -20; }
    diff -r -x default.json -x "*.lock" "$lab" "$cli" >/dev/null && ok "the VM's disk tree is as exhv gpu drivers leaves it" \
        || { fail "the disk trees differ"; diff -r -x default.json -x "*.lock" "$lab" "$cli" | head -10; }
    HOST=$keep
}

t_gpu_import() {
    local keep=$HOST lab=$GUI_TMP/lab cli=$GUI_TMP/lab-cli state
    rm -rf "$lab" "$cli"
    cp -R scenarios "$lab"
    cp -R scenarios "$cli"
    HOST=$lab/default.json
    gui_launch --connect "test://$HOST" --lang en --theme light --page gpu
    gpu_vm win11-gaming
    # The picker imports the host's driver unless told not to: Enter is OK.
    keys Return Return
    grep -q "win11-gaming" <<<"$(probe text 135)" && ok "Add GPU with the driver import: the plan is shown" \
        || fail "import plan title: '$(probe text 135)'"
    keys Return
    probe wait-result 60 >/dev/null
    grep -q "Done: every step ran" <<<"$(probe text 115)" && ok "the GPU add with drivers says Done" \
        || fail "GPU add with drivers result: $(probe text 115)"
    grep -qE "^Copied [1-9][0-9]* files \([0-9]+ bytes\); 0 were up to date\." <<<"$(probe text 115)" \
        && ok "the result says what the import copied: $(probe text 115 | grep ^Copied)" \
        || fail "the result does not say what was copied: $(probe text 115)"
    keys Escape
    gui_quit
    state=$(cli_field vms "[v for v in d['vms'] if v['name'] == 'win11-gaming'][0]['guest_drivers']['state']")
    [ "$state" = current ] && ok "exhv vms --json: win11-gaming's guest drivers are current" \
        || fail "exhv vms --json: win11-gaming's guest drivers are '$state'"
    "$EXHV" --connect "test://$cli/default.json" gpu add win11-gaming --gpu 0 --yes >/dev/null
    same_host "$HOST" "$cli/default.json" && ok "the host is as exhv gpu add (with drivers) leaves it" \
        || { fail "the host differs from the CLI's gpu add"; diff <(python3 -m json.tool "$cli/default.json") <(python3 -m json.tool "$HOST") | head -20; }
    diff -r -x default.json -x "*.lock" "$lab" "$cli" >/dev/null && ok "the VM's disk tree is as exhv gpu add leaves it" \
        || { fail "the disk trees differ"; diff -r -x default.json -x "*.lock" "$lab" "$cli" | head -10; }
    HOST=$keep
}

# A style bit of control ID, as 1 or 0.
style_bit() {
    local st
    st=$(probe style "$1") || { echo "?"; return; }
    echo $(( (0x$st & $2) != 0 ))
}

t_bars() {
    local id
    gui_desktop 1650 1080
    gui_dpi 150
    cp scenarios/default.json "$HOST"
    gui_launch --connect "test://$HOST" --lang en --theme dark --page gpu
    keys ctrl+4
    for id in 113 114; do
        [ "$(style_bit $id 0x100000)" = 0 ] && ok "GPU page at 150 %: list $id has no horizontal scroll bar" \
            || fail "GPU page at 150 %: list $id has a horizontal scroll bar"
    done
    # The narrowest the window goes (760 x 480 at 96 DPI).
    probe size 1140 720 >/dev/null
    keys ctrl+4
    for id in 113 114; do
        [ "$(style_bit $id 0x100000)" = 0 ] && ok "GPU page at 150 %, narrowest: list $id has no horizontal scroll bar" \
            || fail "GPU page at 150 %, narrowest: list $id has a horizontal scroll bar"
    done
    keys ctrl+3
    [ "$(style_bit 113 0x100000)" = 0 ] && ok "DDA page at 150 %, narrowest: no horizontal scroll bar" \
        || fail "DDA page at 150 %, narrowest: the list has a horizontal scroll bar"
    probe size 1500 1020 >/dev/null
    echo "    this Wine: $(probe dwm)"
    [ "$(style_bit 115 0x200000)" = 0 ] && ok "DDA details that fit: no vertical scroll bar" \
        || fail "DDA details that fit show a vertical scroll bar"
    gui_quit
    gui_desktop 1100 720
    gui_dpi 100
}

# Screen room for the 150 % desktop of the bars case.
gui_env_start 1650 1080
gui_desktop 1100 720
gui_dpi 100
cases=("$@")
[ ${#cases[@]} = 0 ] && cases=(refresh_slow plan_slow gpu_enter policy gpu_remove share persist accel gpu_details bars drivers gpu_import)
for c in "${cases[@]}"; do
    echo "== $c"
    "t_$c"
done
rm -rf "$GUI_TMP"
echo "GUI interaction: $passed passed, $failed failed"
[ "$failed" = 0 ]
