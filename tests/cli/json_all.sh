#!/usr/bin/env bash
# With --json, every outcome is one JSON document on stdout.
#   tests/cli/json_all.sh COMMAND...     e.g. build/native/exhv
# Runs every case of cases.tsv again with --json added in front: whatever
# the case does (help, usage errors, refusals, plans, failures), stdout must
# be exactly one JSON object with "schema": 1, and when the exit status is a
# failure (not 0, 4 or 5, whose documents carry their own outcome) an
# "error" with a "code" and the same "exit_status".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 COMMAND..." >&2; exit 2; }
passed=0 failed=0
tmp=$(mktemp -d /tmp/exhv-json.XXXXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp -R "$root/tests/data" "$tmp/data"
while IFS=$'\t' read -r name want args; do
    case "$name" in ''|'#'*) continue ;; esac
    args=${args//@DATA@/$tmp/data}
    args=${args//@HOST@/$tmp/host.json}
    envs=() argv=()
    rm -f "$tmp/host.json" "$tmp/host.json.lock"
    for a in $args; do
        case "$a" in
            env:*) envs+=("${a#env:}") ;;
            copy:*) cp "$root/${a#copy:}" "$tmp/host.json" ;;
            *) argv+=("$a") ;;
        esac
    done
    (cd "$root" && env EXHV_CONNECT=test:///default "${envs[@]}" "$@" --json "${argv[@]}" \
        >"$tmp/out" 2>/dev/null </dev/null)
    rc=$?
    if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, dict) and d.get("schema") == 1, "no schema"
rc = int(sys.argv[2])
if rc not in (0, 4, 5):
    e = d.get("error")
    assert isinstance(e, dict) and e.get("code") and e.get("exit_status") == rc, "no error code"
' "$tmp/out" "$rc" 2>"$tmp/why"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL json/$name (exit $rc): $(tail -1 "$tmp/why")" >&2
        head -c 200 "$tmp/out" >&2
        echo >&2
    fi
done <"$here/cases.tsv"
echo "json: $passed passed, $failed failed"
[ "$failed" = 0 ]
