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

# Driver import: a generated host driver store (one display package of about
# 20 MB among 120 unrelated packages), imported into an empty guest folder.
#   - files and bytes copied for the GPU's package, next to what copying the
#     whole FileRepository (the seed, ExHyperV) would write;
#   - a second run with nothing changed: bytes written;
#   - the copy engine on a fresh guest against `cp -a` of the same package
#     folder, alternated, medians of 7 runs each (page cache warm for both).
echo
drv=build/native/bench/exhv-drvbench
d="$out/drivers"
rm -rf "$d"; mkdir -p "$d"
"$drv" gen "$d/host"
pkg=$(ls "$d/host/FileRepository" | grep '^nv_dispx')
one=$("$drv" import "$d/host" "$d/g1")
again=$("$drv" import "$d/host" "$d/g1")
all=$("$drv" import "$d/host" "$d/gall" all)
field() { sed -n "s/.* $1 \([0-9.]*\).*/\1/p" <<<" $2"; }
printf '%-44s %8s %12s\n' "driver import" files bytes
printf '%-44s %8s %12s\n' "one GPU (its package)" "$(field files_copied "$one")" "$(field bytes_copied "$one")"
printf '%-44s %8s %12s\n' "whole FileRepository (what the seed copies)" "$(field files_copied "$all")" "$(field bytes_copied "$all")"
printf '%-44s %8s %12s\n' "second run, nothing changed" "$(field files_copied "$again")" "$(field bytes_copied "$again")"
te=() tc=()
for _ in 1 2 3 4 5 6 7; do
    rm -rf "$d/g2" "$d/cp"; mkdir -p "$d/cp"
    t0=$(date +%s%N); "$drv" import "$d/host" "$d/g2" >/dev/null; t1=$(date +%s%N)
    te+=($(awk -v n=$((t1 - t0)) 'BEGIN {printf "%.3f", n / 1e9}'))
    t0=$(date +%s%N); cp -a "$d/host/FileRepository/$pkg" "$d/cp/"; t1=$(date +%s%N)
    tc+=($(awk -v n=$((t1 - t0)) 'BEGIN {printf "%.3f", n / 1e9}'))
done
me=$(printf '%s\n' "${te[@]}" | sort -n | sed -n 4p)
mc=$(printf '%s\n' "${tc[@]}" | sort -n | sed -n 4p)
echo "copy of the package, median of 7: exhv engine ${me} s (manifest and read-only pass included), cp -a ${mc} s; speed exhv/cp = $(awk -v a="$me" -v b="$mc" 'BEGIN {printf "%.2f", b / a}')x"
rm -rf "$d"

# The same on the built-in host's fixture store (test:///default,
# scenarios/store): the packages the resolver gives each GPU against the
# whole FileRepository, counted as an import would copy them.
echo
mkdir -p "$d"
fix=$("$drv" default "$d/gdef")
row() { grep "^$1 " <<<"$fix"; }
printf '%-44s %8s %8s %12s\n' "driver import, test:///default's store" packages files bytes
for who in NVIDIA AMD; do
    r=$(row "$who")
    printf '%-44s %8s %8s %12s\n' "$who GPU (its package and companions)" "$(field packages "$r")" \
        "$(field files_copied "$r")" "$(field bytes_copied "$r")"
done
r=$(row all)
printf '%-44s %8s %8s %12s\n' "whole FileRepository (what the seed copies)" "$(field packages "$r")" \
    "$(field files_copied "$r")" "$(field bytes_copied "$r")"
rm -rf "$d"
