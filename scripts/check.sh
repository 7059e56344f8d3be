#!/usr/bin/env bash
# make check: every test stage, then one line "N passed, N failed".
#   native unit tests; the same under ASan+UBSan, with the CLI goldens;
#   Windows build: unit tests, port tests and CLI goldens under Wine, smoke
#   tests; a short libFuzzer run of each fuzz target.
set -u
cd "$(dirname "$0")/.."
scripts/bootstrap.sh || { echo "check: could not install the build tools"; echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"; wineserver -k >/dev/null 2>&1 || true' EXIT

# Run a stage; its own "N passed, N failed" line is added to the totals, a
# stage that fails without one counts as one failure.
stage() {
    local name=$1; shift
    echo "== $name"
    "$@" >"$log.raw" 2>&1
    local rc=$? line
    # Windows programs under Wine end their lines with \r\n.
    tr -d '\r' <"$log.raw" >"$log"
    rm -f "$log.raw"
    line=$(grep -E '(^|: )[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
    if [ -n "$line" ]; then
        local p f
        p=$(sed -E 's/.*(^|: )([0-9]+) passed.*/\2/' <<<"$line")
        f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
        passed=$((passed + p)); failed=$((failed + f))
        [ "$rc" != 0 ] && [ "$f" = 0 ] && failed=$((failed + 1))
    elif [ "$rc" = 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
    if [ "$rc" != 0 ]; then
        tail -40 "$log"
        echo "   $name FAILED (exit $rc)"
    else
        echo "   ${line:-ok}"
    fi
    return "$rc"
}

setup() { [ -f "$1/build.ninja" ] || meson setup "$@" >/dev/null; }

stage "native build" bash -c 'set -e; [ -f build/native/build.ninja ] || meson setup build/native >/dev/null; ninja -C build/native >/dev/null' || true
stage "native unit tests" build/native/tests/unit-tests
stage "native CLI goldens" tests/cli/run.sh build/native/exhv
stage "native DDA state" tests/cli/dda_state.sh build/native/exhv
stage "native driver import, as a user runs it" python3 tests/cli/import_flow.py build/native/exhv
stage "diag round trip" tests/cli/diag_roundtrip.sh build/native/exhv
stage "README examples" tests/cli/readme.sh build/native/exhv
stage "--json documents for every case" tests/cli/json_all.sh build/native/exhv

stage "sanitizer build" bash -c 'set -e; [ -f build/asan/build.ninja ] || meson setup build/asan -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all >/dev/null; ninja -C build/asan >/dev/null' || true
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
stage "unit tests under ASan+UBSan" build/asan/tests/unit-tests
stage "CLI goldens under ASan+UBSan" tests/cli/run.sh build/asan/exhv
stage "DDA state under ASan+UBSan" tests/cli/dda_state.sh build/asan/exhv
stage "diag round trip under ASan+UBSan" tests/cli/diag_roundtrip.sh build/asan/exhv

stage "windows build" bash -c 'set -e; [ -f build/win/build.ninja ] || meson setup build/win --cross-file scripts/mingw-w64.ini >/dev/null; ninja -C build/win >/dev/null' || true
. scripts/wine-env.sh
stage "unit tests under Wine" wine build/win/tests/unit-tests.exe
stage "windows ports under Wine" wine build/win/tests/win-tests.exe
stage "CLI goldens under Wine" tests/cli/run.sh wine build/win/exhv.exe
stage "DDA state under Wine" tests/cli/dda_state.sh wine build/win/exhv.exe
stage "windows smoke under Wine" tests/win/smoke.sh build/win
stage "GUI string tables (English, Chinese)" python3 tests/gui/strings.py
stage "GUI imports system DLLs only" tests/gui/imports.sh build/win
stage "Chinese catalogue of what the library writes" python3 tests/gui/core_strings.py
stage "GUI screenshots under Xvfb and Wine" tests/gui/screenshots.sh build/win
stage "GUI end to end under Xvfb and Wine" tests/gui/e2e.sh build/win build/native/exhv
stage "GUI interaction under Xvfb and Wine" tests/gui/interact.sh build/win build/native/exhv

stage "native reliability (races, signals, files)" python3 tests/cli/reliability.py build/native/exhv --races "${EXHV_RACES:-1000}"
stage "fuzz JSON reader" scripts/fuzz.sh "${EXHV_FUZZ_SECONDS:-15}" json
stage "fuzz scenario + snapshot + planner + executor" scripts/fuzz.sh "${EXHV_FUZZ_SECONDS:-15}" scenario
stage "fuzz embedded-instance reader" scripts/fuzz.sh "${EXHV_FUZZ_SECONDS:-15}" cimxml
stage "fuzz INF reader" scripts/fuzz.sh "${EXHV_FUZZ_SECONDS:-15}" inf

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
