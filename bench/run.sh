#!/usr/bin/env bash
# make bench: the snapshot's cost in WMI queries as the host grows, and the
# latency of `exhv devices --json` on 1000 devices and 100 VMs.
set -eu
cd "$(dirname "$0")/.."
exe=build/native/exhv gen=build/native/bench/exhv-gen
out=build/bench
mkdir -p "$out"
queries() { "$exe" --connect "test://$PWD/$1" --json devices | sed -n 's/.*"wmi_queries": \([0-9]*\).*/\1/p'; }

printf '%-34s %s\n' "host" "WMI queries per snapshot"
for shape in "1000 10" "1000 100" "2000 400"; do
    set -- $shape
    "$gen" "$1" "$2" >"$out/host-$1-$2.json"
    printf '%-34s %s\n' "$1 devices, $2 VMs" "$(queries "$out/host-$1-$2.json")"
done

runs=${EXHV_BENCH_RUNS:-31}
times=()
for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    "$exe" --connect "test://$PWD/$out/host-1000-100.json" --json devices >/dev/null
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo
echo "exhv --json devices, 1000 devices / 100 VMs, $runs runs:"
echo "  median $((sorted[runs / 2] / 1000)).$(printf '%03d' $((sorted[runs / 2] % 1000))) ms," \
     "min $((sorted[0] / 1000)).$(printf '%03d' $((sorted[0] % 1000))) ms," \
     "max $((sorted[runs - 1] / 1000)).$(printf '%03d' $((sorted[runs - 1] % 1000))) ms"
