#!/usr/bin/env bash
# Build and run the libFuzzer targets, one after the other.
#   scripts/fuzz.sh SECONDS [TARGET...]     (default: every tests/fuzz/fuzz_TARGET.c)
# Prints, per target: executions, coverage (edges), corpus size and crashes.
# `make fuzz` runs each for $EXHV_FUZZ_SECONDS (default 600); make check runs
# a short pass.
set -u
cd "$(dirname "$0")/.."
seconds=${1:-600}; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in tests/fuzz/fuzz_*.c; do t=${f#tests/fuzz/fuzz_}; targets+=("${t%.c}"); done
fi
out=build/fuzz
mkdir -p "$out"
[ -f build/native/default_scenario.c ] && [ -f build/native/default_tree.c ] || { [ -f build/native/build.ninja ] || meson setup build/native >/dev/null; ninja -C build/native >/dev/null; }
status=0
for target in "${targets[@]}"; do
    mkdir -p "$out/corpus-$target" tests/fuzz/corpus/"$target"
    # -O2 with line tables: the sanitizers and the coverage are the same as
    # at -O1, reports still name file and line, and each input runs faster.
    clang -std=c17 -gline-tables-only -O2 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc \
        -Ibuild/native -D_DEFAULT_SOURCE \
        tests/fuzz/fuzz_"$target".c src/core/*.c src/hyperv/*.c src/hyperv/sim/*.c \
        src/platform/*.c src/platform/posix/*.c build/native/default_scenario.c \
        build/native/default_tree.c -o "$out/fuzz_$target" || { status=1; continue; }
    log="$out/fuzz_$target.log"
    touch "$out/.start-$target"
    "$out/fuzz_$target" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$out/$target-" "$out/corpus-$target" tests/fuzz/corpus/"$target" \
        >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    corpus=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    # Only what this run found: older artifacts stay for whoever looks.
    crashes=$(find "$out" -maxdepth 1 -newer "$out/.start-$target" \( -name "$target-crash-*" \
              -o -name "$target-leak-*" -o -name "$target-timeout-*" \) | wc -l)
    [ "$rc" = 0 ] || crashes=$((crashes > 0 ? crashes : 1))
    echo "fuzz $target: up to ${seconds}s, ${execs:-0} executions (${rate:-0}/s), coverage ${cov:-0} edges, corpus ${corpus:-0}, crashes $crashes"
    if [ "$rc" != 0 ]; then
        tail -30 "$log"
        status=1
    fi
done
exit $status
