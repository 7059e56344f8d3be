# Sourced by the GUI tests: an X server (Xvfb) of our own, the Wine prefix
# in a virtual desktop, with the fonts a Windows desktop has (Wine's Tahoma and Marlett for the
# window frames, a CJK font for Chinese) and DPI set per run.
#   gui_env_start W H     start Xvfb (W x H) and the prefix's wineserver
#   gui_dpi PERCENT       set the prefix's DPI (100, 150 ...)
#   gui_launch ARGS...    start exhv-gui in a Wine desktop of the screen's
#                         size; waits until its window answers
#   gui_shot OUT.png      capture the screen (the virtual desktop)
#   gui_quit              close exhv-gui and wait for its desktop to end
#   probe ARGS...         run tests/gui-probe.exe (see probe.c), \r removed
#   keys KEY...           type keys on the X server, each once the window settled
#   state FILE            every document of status, devices, gpus and vms
#   dev_row FILE NAME     a device's row on the DDA page (bridges are not shown)
#   vm_index FILE NAME    a VM's position in the snapshot
#   slow_host OUT DELAY_MS [QUERY_MS]  the default scenario, each change
#                         (and query) that slow
# BUILD (the Windows build directory) and EXHV (the native CLI) must be set.
. scripts/wine-env.sh

gui_env_start() {
    GUI_W=$1 GUI_H=$2
    # A display number of our own: the first free one from 90.
    local n=90
    while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
    Xvfb ":$n" -screen 0 "${GUI_W}x${GUI_H}x24" -nolisten tcp >/dev/null 2>&1 &
    GUI_XVFB=$!
    export DISPLAY=":$n"
    for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
    sleep 0.3
    local fonts="$WINEPREFIX/drive_c/windows/Fonts"
    mkdir -p "$fonts"
    for f in \
             /usr/share/wine/fonts/marlett.ttf /usr/share/fonts/truetype/wqy/wqy-microhei.ttc; do
        [ -f "$fonts/$(basename "$f")" ] || cp "$f" "$fonts/"
    done
    # Windows' UI fonts are not here: map them to look-alikes.
    cat >"$GUI_TMP/fonts.reg" <<REG
REGEDIT4

[HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\FontSubstitutes]
"Segoe UI"="DejaVu Sans"
"Microsoft YaHei UI"="WenQuanYi Micro Hei"

; Chinese in the frames' font (captions, menus): Windows links its UI fonts
; to its CJK fonts; here the frames' Tahoma is a CJK font with Latin letters.
[HKEY_CURRENT_USER\Software\Wine\Fonts\Replacements]
"Tahoma"="WenQuanYi Micro Hei"

[HKEY_CURRENT_USER\Software\Wine\Explorer]
"Desktop"="Default"
REG
    wine regedit /S "$GUI_TMP/fonts.reg" >/dev/null 2>&1
    trap gui_env_stop EXIT
}

gui_env_stop() {
    [ -n "${GUI_XVFB:-}" ] && kill "$GUI_XVFB" 2>/dev/null
    GUI_XVFB=
}

# The virtual desktop's size (for the next program started).
gui_desktop() {
    printf 'REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\Wine\\Explorer\\Desktops]\n"Default"="%sx%s"\n' "$1" "$2" >"$GUI_TMP/desk.reg"
    wine regedit /S "$GUI_TMP/desk.reg" >/dev/null 2>&1
    # The desktop takes its size when it starts: start anew (this prefix's
    # wineserver only).
    wineserver -k >/dev/null 2>&1
    wineserver -w >/dev/null 2>&1
    wineserver -p >/dev/null 2>&1
}

gui_dpi() {
    local dpi=$(( $1 * 96 / 100 ))
    printf 'REGEDIT4\n\n[HKEY_CURRENT_USER\\Control Panel\\Desktop]\n"LogPixels"=dword:%08x\n' "$dpi" >"$GUI_TMP/dpi.reg"
    wine regedit /S "$GUI_TMP/dpi.reg" >/dev/null 2>&1
}

gui_launch() {
    # Every program runs in the prefix's one virtual desktop (a window
    # with frames, of the screen's size), the probe too.
    wine "${GUI_EXE:-$BUILD/exhv-gui.exe}" "$@" >/dev/null 2>&1 &
    GUI_PID=$!
    wine "$BUILD/tests/gui-probe.exe" wait 30
}

# The X server's picture (xwd) shows the main window, not the windows it
# owns (they come out black); Wine's own screen DC has them all.
gui_shot() {
    wine "$BUILD/tests/gui-probe.exe" wait 10 >/dev/null && sleep 0.2
    wine "$BUILD/tests/gui-probe.exe" shot "$GUI_TMP/shot.bmp" >/dev/null 2>&1 &&
        python3 tests/gui/bmp2png.py "$GUI_TMP/shot.bmp" "$1"
}

gui_quit() {
    wine "$BUILD/tests/gui-probe.exe" close >/dev/null 2>&1
    for _ in $(seq 100); do kill -0 "$GUI_PID" 2>/dev/null || break; sleep 0.1; done
    kill "$GUI_PID" 2>/dev/null
    wait "$GUI_PID" 2>/dev/null
    GUI_PID=
}

# Its output without \r, and its exit status.
probe() {
    local out rc
    out=$(wine "$BUILD/tests/gui-probe.exe" "$@")
    rc=$?
    printf '%s\n' "${out//$'\r'/}"
    return "$rc"
}
keys() { for k in "$@"; do xdotool key "$k"; wine "$BUILD/tests/gui-probe.exe" wait 10 >/dev/null; done; }
state() {
    for c in status devices gpus vms; do "$EXHV" --connect "test://$1" --json "$c"; done
}

dev_row() { "$EXHV" --connect "test://$1" --json devices | python3 -c "
import json, sys
rows = [d for d in json.load(sys.stdin)['devices'] if not d['bridge']]
print([d['name'] for d in rows].index(sys.argv[1]))" "$2"; }
vm_index() { "$EXHV" --connect "test://$1" --json vms | python3 -c "
import json, sys
print([v['name'] for v in json.load(sys.stdin)['vms']].index(sys.argv[1]))" "$2"; }

slow_host() {
    python3 - "$1" "$2" "${3:-0}" <<'PY'
import json, sys
s = json.load(open("scenarios/default.json"))
s["sim"] = {"change_delay_ms": int(sys.argv[2]), "query_delay_ms": int(sys.argv[3])}
json.dump(s, open(sys.argv[1], "w"), indent=1)
PY
}
