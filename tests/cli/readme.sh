#!/usr/bin/env bash
# Every example in README.md runs as written against test:///default.
#   tests/cli/readme.sh COMMAND...     e.g. build/native/exhv, or wine build/win/exhv.exe
# The examples are the lines of the README's ```sh blocks that run exhv. Each
# runs in bash, in a scratch folder holding a copy of scenarios/, with `exhv`
# being COMMAND; a prompt is answered "y" as a user would. An example passes
# when it exits 0 and, when it names a VM or a device, exhv did not say that
# the name matches nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 COMMAND..." >&2; exit 2; }
tmp=$(mktemp -d /tmp/exhv-readme.XXXXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp -R "$root/scenarios" "$tmp/scenarios"
# `exhv` in the examples is the command under test.
mkdir "$tmp/bin"
{
    echo '#!/usr/bin/env bash'
    printf 'exec'
    for a in "$@"; do
        case "$a" in /*) printf ' %q' "$a" ;; *) if [ -e "$root/$a" ]; then printf ' %q' "$root/$a"; else printf ' %q' "$a"; fi ;; esac
    done
    echo ' "$@"'
} >"$tmp/bin/exhv"
chmod +x "$tmp/bin/exhv"
passed=0 failed=0 n=0
while IFS= read -r line; do
    n=$((n + 1))
    (cd "$tmp" && printf 'y\n' | env PATH="$tmp/bin:$PATH" EXHV_CONNECT=test:///default \
        bash -c "$line" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ $rc = 0 ] && ! grep -q -e "no VM is named" -e "no device matches" -e "no GPU matches" "$tmp/err"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL readme: $line (exit $rc)" >&2
        head -5 "$tmp/err" >&2
    fi
done < <(awk '/^```sh$/ {on = 1; next} /^```/ {on = 0}
              on { sub(/[ \t]+#.*/, "") }
              on && /(^|(&&|;|\|) *)([A-Z_]+=[^ ]* )*exhv( |$)/' "$root/README.md")
[ $n -gt 0 ] || { echo "readme: no examples found" >&2; exit 1; }
echo "readme: $passed passed, $failed failed"
[ "$failed" = 0 ]
