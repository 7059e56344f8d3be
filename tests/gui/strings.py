#!/usr/bin/env python3
"""exhv-gui's string tables: every ID of ids.h has a string in English and
in Chinese, both take the same placeholders in the same order (the code
fills them in that order), and every Chinese string is Chinese (holds CJK
characters) but for names that are the same in both languages."""
import re
import sys

RES = "src/gui/res/"
SAME = {"IDS_APP_NAME", "IDS_OS", "IDS_COL_WDDM"}  # "exhv", "Windows", "WDDM"


def table(path):
    out = {}
    for m in re.finditer(r'^\s+(IDS_\w+)\s+"((?:[^"]|"")*)"\s*$', open(path, encoding="utf-8").read(), re.M):
        if m.group(1) in out:
            sys.exit("%s: %s twice" % (path, m.group(1)))
        out[m.group(1)] = m.group(2).replace('""', '"')
    return out


def main():
    ids = {m.group(1) for m in re.finditer(r"^#define (IDS_\w+) \d+", open(RES + "ids.h").read(), re.M)}
    ids.discard("IDS__COUNT")
    en, zh = table(RES + "strings_en.rc"), table(RES + "strings_zh.rc")
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    for i in sorted(ids):
        check(i in en, "%s has no English string" % i)
        check(i in zh, "%s has no Chinese string" % i)
        if i in en and i in zh:
            check(re.findall(r"%[su]", en[i]) == re.findall(r"%[su]", zh[i]),
                  "%s: placeholders differ: %r / %r" % (i, en[i], zh[i]))
            if i not in SAME:
                check(re.search(r"[\u4e00-\u9fff]", zh[i]) is not None,
                      "%s is not translated: %r" % (i, zh[i]))
    for extra in (set(en) | set(zh)) - ids:
        check(False, "%s is in a table but not in ids.h" % extra)
    print("string tables: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
