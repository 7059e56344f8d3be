#!/usr/bin/env bash
# Install what building and testing exhv needs on Debian 12, only what is
# missing. Idempotent and non-interactive.
set -eu
need=()
have() { command -v "$1" >/dev/null 2>&1; }
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

have cc || need+=(gcc)
have python3 || need+=(python3)
have meson || need+=(meson)
have ninja || need+=(ninja-build)
have x86_64-w64-mingw32-gcc || need+=(gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev binutils-mingw-w64-x86-64)
have wine || need+=(wine wine64)
pkg_installed wine64 || need+=(wine64)
have clang || need+=(clang)
# GUI tests: an X server, input events, screen captures, fonts for Wine
# (Tahoma and Marlett for window frames, a CJK font for Chinese).
have Xvfb || need+=(xvfb)
have xdotool || need+=(xdotool)
have xwd || need+=(x11-apps)
[ -f /usr/share/wine/fonts/tahoma.ttf ] || need+=(fonts-wine)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
# The reliability tests check the order of a save's system calls.
have strace || need+=(strace)
# libFuzzer's runtime
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || need+=(libclang-rt-14-dev)

[ ${#need[@]} -eq 0 ] && exit 0
echo "bootstrap: installing ${need[*]}" >&2
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
