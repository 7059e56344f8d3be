#!/usr/bin/env bash
# Golden tests of the exhv command line.
#   tests/cli/run.sh [--update] COMMAND...     e.g. build/native/exhv, or wine build/win/exhv.exe
# Each case of cases.tsv runs COMMAND with its arguments; stdout, stderr and
# the exit status must equal tests/cli/expected/NAME.txt. The repository's
# absolute path is written @ROOT@ there so that any checkout compares.
# Scenario files are read from a copy under a temporary folder whose path
# has the same length everywhere: output that fits paths into a column
# (status truncates its Host line) must not depend on where the checkout is.
# A case that changes a host names copy:FILE: FILE is copied to a private
# host.json first, which its arguments call @HOST@.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
[ $# -ge 1 ] || { echo "usage: $0 [--update] COMMAND..." >&2; exit 2; }
passed=0 failed=0
tmp=$(mktemp -d /tmp/exhv-cli.XXXXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp -R "$root/tests/data" "$tmp/data"
while IFS=$'\t' read -r name want args; do
    case "$name" in ''|'#'*) continue ;; esac
    args=${args//@DATA@/$tmp/data}
    args=${args//@HOST@/$tmp/host.json}
    envs=() argv=()
    rm -f "$tmp/host.json" "$tmp/host.json.lock" "$tmp/host.json.journal"
    for a in $args; do
        case "$a" in
            env:*) envs+=("${a#env:}") ;;
            copy:*) cp "$root/${a#copy:}" "$tmp/host.json" ;;
            *) argv+=("$a") ;;
        esac
    done
    (cd "$root" && env EXHV_CONNECT=test:///default "${envs[@]}" "$@" "${argv[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null)
    rc=$?
    { cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; echo "--- exit $rc"; } |
        sed -e "s|$tmp/data|@DATA@|g" -e "s|$tmp|@TMP@|g" -e "s|$root|@ROOT@|g" >"$tmp/got"
    exp="$here/expected/$name.txt"
    if [ $update = 1 ]; then
        mkdir -p "$here/expected"
        cp "$tmp/got" "$exp"
    fi
    # With --json, whatever the outcome (errors included), stdout is exactly
    # one JSON document with a schema, and an error carries a stable code.
    json_ok=1
    case " ${argv[*]} " in
        *" --json "*)
            python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, dict) and d.get("schema") == 1, "no schema"
rc = int(sys.argv[2])
if rc not in (0, 4, 5):
    e = d.get("error")
    assert isinstance(e, dict) and e.get("code") and e.get("exit_status") == rc, "no error code"
' "$tmp/out" "$rc" 2>"$tmp/jsonerr" || json_ok=0 ;;
    esac
    if [ $json_ok = 0 ]; then
        echo "FAIL cli/$name: --json did not print one JSON document: $(tail -1 "$tmp/jsonerr")" >&2
    fi
    if [ "$rc" = "$want" ] && [ $json_ok = 1 ] && cmp -s "$tmp/got" "$exp"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL cli/$name (exit $rc, expected $want)" >&2
        [ -f "$exp" ] && diff -u "$exp" "$tmp/got" | head -20 >&2
        # What the program said on stderr, whatever the diff above showed.
        sed -n '/^--- stderr$/,$p' "$tmp/got" | head -20 >&2
    fi
done <"$here/cases.tsv"
echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
