#!/usr/bin/env bash
# exhv-gui.exe imports only DLLs every Windows 10/11 has (a hard import of
# anything else stops the program before its window, on a machine without
# it), as objdump -p lists its import table. The same check is first shown
# to refuse a program that imports a MinGW runtime DLL.
# Usage: tests/gui/imports.sh WINDOWS_BUILD_DIR
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build/win}
passed=0 failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
SYSTEM='advapi32|cfgmgr32|comctl32|dwmapi|gdi32|kernel32|msimg32|msvcrt|ole32|oleaut32|setupapi|shell32|user32|uxtheme|ntdll|version|virtdisk'

# The DLLs EXE imports that are not Windows' own, one per line.
not_system() {
    x86_64-w64-mingw32-objdump -p "$1" | sed -n 's/.*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u |
        grep -vxE "($SYSTEM)\.dll"
}

tmp=$(mktemp -d)
printf '#include <pthread.h>\nint main(void) { return (int)pthread_self() == 0; }\n' >"$tmp/t.c"
if x86_64-w64-mingw32-gcc "$tmp/t.c" -o "$tmp/t.exe" -Wl,-Bdynamic -lwinpthread 2>/dev/null; then
    extra=$(not_system "$tmp/t.exe")
    grep -q "libwinpthread" <<<"$extra" && ok "the check refuses a program importing $extra" \
        || fail "the check lets libwinpthread through: '$extra'"
else
    fail "could not build the control program"
fi
rm -rf "$tmp"

dlls=$(x86_64-w64-mingw32-objdump -p "$BUILD/exhv-gui.exe" | sed -n 's/.*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u | tr '\n' ' ')
[ -n "$dlls" ] && extra=$(not_system "$BUILD/exhv-gui.exe")
if [ -z "$dlls" ]; then
    fail "no import table read from $BUILD/exhv-gui.exe"
elif [ -z "$extra" ]; then
    ok "exhv-gui.exe imports system DLLs only: $dlls"
else
    fail "exhv-gui.exe imports $extra"
fi
echo "GUI imports: $passed passed, $failed failed"
[ "$failed" = 0 ]
