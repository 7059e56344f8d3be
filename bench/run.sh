#!/usr/bin/env bash
# make bench: what a snapshot costs as the host grows, from 1,000 devices /
# 100 VMs to 20,000 devices / 2,000 VMs:
#   - WMI queries per snapshot (a constant: each class is queried once);
#   - instructions per device of `exhv --json devices` (callgrind, or
#     `perf stat` where the CPU counters are readable): flat when every join
#     is O(n log n) or better;
#   - the median wall time of `exhv --json devices` and of `jq . FILE` on the
#     same scenario file, side by side in one run.
# Tools it needs and lacks (valgrind, jq) are installed with apt-get.
set -eu
cd "$(dirname "$0")/.."
exe=build/native/exhv gen=build/native/bench/exhv-gen
out=build/bench
mkdir -p "$out"

need=()
command -v valgrind >/dev/null || need+=(valgrind)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
    sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get install -y "${need[@]}" >/dev/null
fi

# Instructions of one run: perf when it can count them, else callgrind.
instructions() {
    local n
    n=$(perf stat -x, -e instructions:u "$@" 2>&1 >/dev/null | awk -F, '/instructions/ && $1 ~ /^[0-9]+$/ {print $1}') || true
    if [ -n "${n:-}" ]; then
        echo "$n perf"
        return
    fi
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d , | sed 's/$/ callgrind/'
}

# Median wall time in microseconds of `runs` runs of a command.
median_us() {
    local runs=$1 t0 t1
    shift
    local times=()
    for _ in $(seq "$runs"); do
        t0=$(date +%s%N)
        "$@" >/dev/null
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$((runs / 2 + 1))p"
}

ms() { printf '%d.%01d' $(($1 / 1000)) $((($1 % 1000) / 100)); }

printf '%-24s %7s %6s %12s %10s %9s %9s %6s\n' host "file MB" WMI "instructions" "per device" "exhv ms" "jq ms" "ratio"
for shape in "1000 100" "2000 200" "5000 500" "10000 1000" "20000 2000"; do
    set -- $shape
    f="$out/host-$1-$2.json"
    "$gen" "$1" "$2" >"$f"
    uri="test://$PWD/$f"
    q=$("$exe" --connect "$uri" --json devices | sed -n 's/.*"wmi_queries": \([0-9]*\).*/\1/p')
    read -r ins how < <(instructions "$exe" --connect "$uri" --json devices)
    runs=$((${EXHV_BENCH_RUNS:-21} * 1000 / $1)); [ $runs -ge 5 ] || runs=5
    te=$(median_us "$runs" "$exe" --connect "$uri" --json devices)
    tj=$(median_us "$runs" jq . "$f")
    size=$(wc -c <"$f")
    printf '%-24s %7s %6s %12s %10s %9s %9s %5s%%\n' "$1 devices, $2 VMs" \
        "$(awk -v s="$size" 'BEGIN {printf "%.1f", s / 1e6}')" "$q" "$ins" "$((ins / $1))" \
        "$(ms "$te")" "$(ms "$tj")" "$((te * 100 / tj))"
done
echo
echo "instructions counted with $how; ratio = exhv time / jq time on the same file"
