#!/usr/bin/env bash
# Screenshots of every page of exhv-gui, in English and Chinese, light and
# dark, at 100 % and 150 %, under Xvfb and Wine against test:///default,
# plus one of a host without Hyper-V. Each is checked to be a picture of
# the window (not blank) and written to build/screenshots/.
# Usage: tests/gui/screenshots.sh WINDOWS_BUILD_DIR
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build/win}
OUT=build/screenshots
GUI_TMP=$(mktemp -d)
. tests/gui/env.sh
rm -rf "$OUT"
mkdir -p "$OUT"
passed=0 failed=0
pages=(home status dda gpu settings)

# A screenshot is a picture of the window when it has many colours, not
# the desktop's one.
check_png() {
    python3 - "$1" <<'PY'
import sys, zlib, struct
d = open(sys.argv[1], "rb").read()
w, h = struct.unpack(">II", d[16:24])
raw = b"".join(d[i + 8:i + 8 + struct.unpack(">I", d[i:i + 4])[0]]
               for i in range(8, len(d)) if d[i + 4:i + 8] == b"IDAT")
px = zlib.decompress(raw)
colours = {px[i:i + 3] for i in range(1, len(px), 3 * 7)}
sys.exit(0 if len(colours) > 40 else 1)
PY
}

gui_env_start 1650 1080
for scale in 100 150; do
    GUI_W=$((1100 * scale / 100)) GUI_H=$((720 * scale / 100))
    gui_desktop "$GUI_W" "$GUI_H"
    gui_dpi "$scale"
    for lang in en zh; do
        for theme in light dark; do
            if ! gui_launch --connect test:///default --lang "$lang" --theme "$theme"; then
                echo "FAIL: exhv-gui did not start ($lang $theme $scale %)"
                failed=$((failed + 1))
                continue
            fi
            for i in "${!pages[@]}"; do
                f="$OUT/${pages[$i]}-$lang-$theme-$scale.png"
                # Ctrl+1..5: the pages' accelerators, typed on the X server.
                xdotool key "ctrl+$((i + 1))"
                if gui_shot "$f" && check_png "$f"; then
                    passed=$((passed + 1))
                else
                    echo "FAIL: $f"
                    failed=$((failed + 1))
                fi
            done
            gui_quit
        done
    done
done

# No Hyper-V: the window starts and says what is missing.
GUI_W=1100 GUI_H=720
gui_desktop "$GUI_W" "$GUI_H"
gui_dpi 100
sed 's/"hyperv": true/"hyperv": false/' scenarios/default.json >"$GUI_TMP/nohv.json"
for page in status home; do
    f="$OUT/no-hyperv-$page-en-light-100.png"
    if gui_launch --connect "test://$GUI_TMP/nohv.json" --lang en --theme light --page "$page" &&
        gui_shot "$f" && check_png "$f"; then
        passed=$((passed + 1))
    else
        echo "FAIL: $f"
        failed=$((failed + 1))
    fi
    gui_quit
done
rm -rf "$GUI_TMP"
echo "screenshots in $OUT: $passed passed, $failed failed"
[ "$failed" = 0 ]
