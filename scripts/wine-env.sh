# Sourced: a private, quiet Wine prefix under build/, kept warm by a
# persistent wineserver so that each program starts in a fraction of a second.
export WINEPREFIX="${WINEPREFIX:-$PWD/build/wineprefix}"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    wineboot -u >/dev/null 2>&1 || true
fi
wineserver -p >/dev/null 2>&1 || true
