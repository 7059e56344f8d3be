#!/usr/bin/env bash
# Windows smoke tests under Wine: exhv.exe on the real ports (hyperv:///).
#   tests/win/smoke.sh BUILD_WIN_DIR
set -u
dir=$1
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL smoke/$1" >&2; }

# status on Wine: the system facts, Hyper-V plainly absent, exit 3.
out=$(env -u EXHV_CONNECT wine "$dir/exhv.exe" status 2>&1); rc=$?
[ $rc = 3 ] && ok || bad "status exit $rc (want 3)"
grep -q "^Hyper-V         not available" <<<"$out" && ok || bad "status says Hyper-V is not available"
grep -q "^Runs under      Wine" <<<"$out" && ok || bad "status names Wine"
grep -q "ROOT\\\\virtualization\\\\v2 does not" <<<"$out" && ok || bad "status says why"

out=$(env -u EXHV_CONNECT wine "$dir/exhv.exe" --json status 2>&1); rc=$?
[ $rc = 3 ] && grep -q '"hyperv": false' <<<"$out" && grep -q '"connection": "hyperv:///"' <<<"$out" \
    && ok || bad "json status"

out=$(env -u EXHV_CONNECT wine "$dir/exhv.exe" vms 2>&1); rc=$?
[ $rc = 3 ] && grep -q "Hyper-V is not available" <<<"$out" && ok || bad "vms exit $rc (want 3)"

out=$(env -u EXHV_CONNECT wine "$dir/exhv.exe" --json devices 2>&1); rc=$?
[ $rc = 0 ] && grep -q '"devices"' <<<"$out" && ok || bad "devices on the real PnP port (exit $rc)"

# diag under Wine: the CIMV2 facts and the devices are recorded, Hyper-V is
# said to be absent, and the file replays on the simulated host.
dtmp=$(mktemp -d /tmp/exhv-smoke.XXXXXXXX)
out=$(env -u EXHV_CONNECT wine "$dir/exhv.exe" diag -o "Z:$dtmp/wine.json" 2>&1); rc=$?
[ $rc = 0 ] && grep -q "Hyper-V is absent" <<<"$out" && ok || bad "diag under Wine (exit $rc): $out"
grep -q '"hyperv": false' "$dtmp/wine.json" 2>/dev/null && grep -q '"caption": "Microsoft Windows' "$dtmp/wine.json" \
    && grep -q '"wine": "' "$dtmp/wine.json" && ok || bad "diag file lacks the Wine host's facts"
native=${EXHV_NATIVE:-$(dirname "$dir")/native/exhv}
if [ -x "$native" ]; then
    out=$("$native" --connect "test://$dtmp/wine.json" status 2>&1)
    grep -q "^Runs under      Wine" <<<"$out" && grep -q "^Hyper-V         not available" <<<"$out" \
        && ok || bad "the Wine host's diag does not replay"
fi
rm -rf "$dtmp"

# Only Windows system DLLs: a hard import of anything else would stop the
# program before main on a machine without it.
dlls=$(x86_64-w64-mingw32-objdump -p "$dir/exhv.exe" | sed -n 's/.*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
extra=$(grep -vxE 'advapi32\.dll|kernel32\.dll|msvcrt\.dll|ole32\.dll|oleaut32\.dll|setupapi\.dll|cfgmgr32\.dll|user32\.dll|gdi32\.dll|comctl32\.dll|shell32\.dll|virtdisk\.dll|ntdll\.dll' <<<"$dlls")
[ -z "$extra" ] && ok || bad "imports non-system DLLs: $extra"

# A real Windows executable: a manifest (resource type 24) and a version
# resource (type 16), as `objdump -p` lists them; the manifest asks for the
# caller's token, names Windows 10/11, allows long paths; no debug
# information; the CM_* functions come from cfgmgr32.
pe=$(x86_64-w64-mingw32-objdump -p "$dir/exhv.exe")
grep -q "Entry: ID: 0x000018" <<<"$pe" && ok || bad "no manifest resource"
grep -q "Entry: ID: 0x000010" <<<"$pe" && ok || bad "no version resource"
strings -e l "$dir/exhv.exe" | grep -q "FileVersion" && ok || bad "version resource has no FileVersion"
man=$(strings "$dir/exhv.exe" | tr -d '\r')
grep -q 'requestedExecutionLevel level="asInvoker"' <<<"$man" && \
    grep -q 'supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"' <<<"$man" && \
    grep -q '<longPathAware[^>]*>true<' <<<"$man" && ok || bad "manifest lacks asInvoker, supportedOS or longPathAware"
x86_64-w64-mingw32-objdump -h "$dir/exhv.exe" | grep -q '\.debug' && bad "debug information in exhv.exe" || ok
cm=$(awk '/DLL Name/{dll=$3} /CM_Get_DevNode_Status/{print dll}' <<<"$pe" | tr 'a-z' 'A-Z')
[ "$cm" = CFGMGR32.DLL ] && ok || bad "CM_* imported from '$cm', not cfgmgr32"

echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
