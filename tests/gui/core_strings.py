#!/usr/bin/env python3
"""The Chinese catalogue of the text exhv's library writes for people
(src/core/i18n_zh.c) against the code.

Every string literal given as the format to a translating function (the
sinks below: adjacent literals and PRI* macros concatenated, each branch of
a ?: taken alone) must have a Chinese entry with the same printf
conversions in the same order; every entry must be used by some sink, and
hold Chinese. A sentence given to a function that does not translate
(exhv_buf_printf, snprintf ...) is refused. A sink whose format is not a literal is refused too, since
nothing could check it, unless it is one of the forwarding parameters
listed below. A sentence given as one of its other arguments must go
through exhv_tr first. A format with no letters ("%s", "\\n  %u  ") needs no entry.

The CLI (src/cli) speaks English only and is not part of the GUI, so its
own messages are not looked at; everything else under src/ is, but for the
GUI's resources, which tests/gui/strings.py checks.

    tests/gui/core_strings.py [--list]    --list: print each format's file:line
"""
import os
import re
import sys

CATALOGUE = "src/core/i18n_zh.c"
# Sink -> the format's argument index (0-based). Every file.
SINKS = {
    "exhv_tr": 0,
    "EXHV_N": 0,
    "exhv_error_set": 2,
    "exhv_error_prefix": 1,
    "exhv_plan_add_note": 1,
    "exhv_buf_tprintf": 1,
}
# Sinks private to one file (static functions that translate their text).
FILE_SINKS = {
    "src/core/checks.c": {"add": 3},
    "src/core/survey.c": {"reason": 2},
    "src/hyperv/planner.c": {"add": 7},
    "src/hyperv/snapshot.c": {"problem": 1},
    "src/core/json.c": {"perr": 1},
    "src/hyperv/sim/fields.c": {"refuse": 3},
    "src/platform/win32/fs_win32.c": {"fail_win32": 2},
    "src/platform/win32/tree_win32.c": {"fail": 2},
    "src/platform/win32/scratch_win32.c": {"fail_win32": 2},
    "src/platform/posix/fs_posix.c": {"fail_errno": 2},
    "src/platform/posix/tree_posix.c": {"fail": 2},
    "src/hyperv/actions.c": {"first_path": 2, "call": 5, "remove_setting": 2, "modify_one": 8},
}
SKIP_DIRS = ("src/cli/",)
# The parameter a forwarding function passes on (its callers' literals are
# the formats looked at).
FORWARDED = {"fmt", "en", "reason", "low_reason", "high_reason", "what", "cls", "words"}
# What may stand before a call (a type name before it makes a declaration).
KEYWORDS = {"return", "else", "do", "case", "sizeof"}
# printf length modifiers of the <inttypes.h> macros exhv uses.
PRI = {"PRId64": "lld", "PRIu64": "llu", "PRIx64": "llx", "PRIX64": "llX",
       "PRId32": "d", "PRIu32": "u", "PRIx32": "x", "PRIX32": "X"}

TOKEN = re.compile(r'''
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<pp>^[ \t]*\#(?:\\\n|[^\n])*)
  | (?P<str>(?:u8|L|u|U)?"(?:\\.|[^"\\\n])*")
  | (?P<chr>'(?:\\.|[^'\\\n])+')
  | (?P<id>[A-Za-z_]\w*)
  | (?P<num>\.?\d(?:[eEpP][+-]|[\w.])*)
  | (?P<op>->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^!~<>=?:;,.(){}\[\]#])
''', re.S | re.X | re.M)


def unescape(lit):
    body = lit[lit.index('"') + 1:-1]
    out = bytearray()
    i = 0
    simple = {"n": 10, "t": 9, "r": 13, "\\": 92, '"': 34, "'": 39, "0": 0, "a": 7, "b": 8,
              "f": 12, "v": 11, "?": 63}
    raw = body.encode("utf-8")
    while i < len(raw):
        c = raw[i]
        if c != 92:
            out.append(c)
            i += 1
            continue
        e = chr(raw[i + 1])
        if e == "x":
            m = re.match(rb"[0-9a-fA-F]+", raw[i + 2:])
            out.append(int(m.group(0), 16) & 0xFF)
            i += 2 + len(m.group(0))
        elif e in "01234567":
            m = re.match(rb"[0-7]{1,3}", raw[i + 1:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            out.append(simple[e])
            i += 2
    return out.decode("utf-8", "replace")


def tokens(text):
    line = 1
    pos = 0
    out = []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise SyntaxError("cannot read line %d: %r" % (line, text[pos:pos + 30]))
        kind = m.lastgroup
        if kind not in ("ws", "pp"):
            out.append((kind, m.group(kind), line))
        line += m.group(0).count("\n")
        pos = m.end()
    return out


def group_value(toks):
    """Adjacent string literals and PRI macros as one string."""
    return "".join(unescape(v) if k == "str" else PRI[v] for k, v, _ in toks)


def literal_groups(arg):
    """The formats an argument can be: each run of adjacent literals at
    parenthesis depth 0 (the branches of a ?:). None when it has none."""
    groups, run, depth = [], [], 0
    for t in arg:
        k, v, _ = t
        if depth == 0 and (k == "str" or (k == "id" and v in PRI and run)):
            run.append(t)
            continue
        if run:
            groups.append(run)
            run = []
        if v in "([{":
            depth += 1
        elif v in ")]}":
            depth -= 1
    if run:
        groups.append(run)
    return groups


def call_args(toks, i):
    """The arguments of the call whose '(' is toks[i]: lists of tokens,
    and the index after the ')'."""
    args, cur, depth = [], [], 0
    j = i + 1
    while j < len(toks):
        v = toks[j][1]
        if toks[j][0] == "op" and v in "([{":
            depth += 1
        elif toks[j][0] == "op" and v in ")]}":
            if depth == 0:
                args.append(cur)
                return args, j + 1
            depth -= 1
        elif toks[j][0] == "op" and v == "," and depth == 0:
            args.append(cur)
            cur = []
            j += 1
            continue
        cur.append(toks[j])
        j += 1
    return args, j


CONV = re.compile(r"%(?:%|[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|j|z|t|L)?[diouxXeEfgGaAcspn])")


def conversions(fmt):
    return [c for c in CONV.findall(fmt) if c != "%%"]


def has_words(fmt):
    return re.search(r"[A-Za-z]", CONV.sub("", fmt)) is not None


def source_files():
    for d, _, files in os.walk("src"):
        for f in sorted(files):
            p = os.path.join(d, f).replace(os.sep, "/")
            if p.endswith(".c") and p != CATALOGUE and not p.startswith(SKIP_DIRS):
                yield p


def formats(problems):
    """{format: [file:line, ...]} of every sink's literal format."""
    found = {}
    for path in source_files():
        toks = tokens(open(path, encoding="utf-8").read())
        sinks = dict(SINKS, **FILE_SINKS.get(path, {}))
        for i, (k, v, line) in enumerate(toks):
            if k != "id" or v not in sinks or i + 1 >= len(toks) or toks[i + 1][1] != "(":
                continue
            # A declaration or definition: its parameters, not a call.
            if i > 0 and ((toks[i - 1][0] == "id" and toks[i - 1][1] not in KEYWORDS)
                          or toks[i - 1][1] == "*"):
                continue
            args, _ = call_args(toks, i + 1)
            if len(args) <= sinks[v]:
                problems.append("%s:%d: %s has no format argument" % (path, line, v))
                continue
            arg = args[sinks[v]]
            groups = literal_groups(arg)
            if not groups:
                # exhv_tr on a variable translates text marked with EXHV_N
                # or formatted already.
                nested = any(t[1] == "exhv_tr" for t in arg)
                if not (v == "exhv_tr" or nested or (len(arg) == 1 and arg[0][1] in FORWARDED)):
                    problems.append("%s:%d: %s's format is not a string literal: %s"
                                    % (path, line, v, " ".join(t[1] for t in arg)))
                continue
            for g in groups:
                found.setdefault(group_value(g), []).append("%s:%d" % (path, g[0][2]))
            # A sentence given as an argument is words for people too: it
            # must be translated (exhv_tr) before it is filled in.
            for n, other in enumerate(args):
                if n <= sinks[v]:
                    continue
                for g in literal_groups(other):
                    text = group_value(g)
                    if re.search(r"[A-Za-z]{2,} [A-Za-z]", text):
                        problems.append("%s:%d: a sentence given to %s untranslated: %r"
                                        % (path, g[0][2], v, text))
    return found


# Functions that format text without translating it: a sentence there is
# words for people that no catalogue sees (use exhv_buf_tprintf or
# exhv_tr). Code (WQL, PowerShell and its # comments) is not a sentence.
PLAIN = {"exhv_buf_printf", "exhv_buf_puts", "snprintf", "exhv_buf_vprintf"}
CODE = re.compile(r"SELECT|WHERE|Get-|Remove-|New-|\$|#Requires|-Force|Where-Object|^# |attrib\.exe")
# The simulated host's refusals stand for Hyper-V's own ErrorDescription,
# which Windows writes in its own language, not exhv's.
PLAIN_OK = {"src/hyperv/sim/sim.c"}


def plain_sentences(problems):
    for path in source_files():
        if path in PLAIN_OK:
            continue
        toks = tokens(open(path, encoding="utf-8").read())
        for i, (k, v, line) in enumerate(toks):
            if k != "id" or v not in PLAIN or i + 1 >= len(toks) or toks[i + 1][1] != "(":
                continue
            if i > 0 and toks[i - 1][0] == "id" and toks[i - 1][1] not in KEYWORDS:
                continue
            args, _ = call_args(toks, i + 1)
            for arg in args:
                for g in literal_groups(arg):
                    text = group_value(g)
                    if re.search(r"[a-z]{2,} [a-z]{2,} [a-z]{2,}", text) and not CODE.search(text):
                        problems.append("%s:%d: a sentence formatted untranslated by %s: %r"
                                        % (path, g[0][2], v, text))


def catalogue(problems):
    toks = tokens(open(CATALOGUE, encoding="utf-8").read())
    entries = {}
    i = 0
    while i < len(toks):
        if toks[i][1] == "{" and i + 1 < len(toks) and toks[i + 1][0] == "str":
            j = i + 1
            en = []
            while toks[j][0] == "str" or (toks[j][0] == "id" and toks[j][1] in PRI):
                en.append(toks[j])
                j += 1
            if toks[j][1] != ",":
                problems.append("%s:%d: an entry is not {\"English\", \"中文\"}"
                                % (CATALOGUE, toks[i][2]))
                i = j
                continue
            j += 1
            zh = []
            while toks[j][0] == "str" or (toks[j][0] == "id" and toks[j][1] in PRI):
                zh.append(toks[j])
                j += 1
            key = group_value(en)
            if key in entries:
                problems.append("%s:%d: %r twice" % (CATALOGUE, toks[i][2], key))
            entries[key] = (group_value(zh), toks[i][2])
            i = j
        i += 1
    return entries


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    problems = []
    found = formats(problems)
    plain_sentences(problems)
    entries = catalogue(problems)
    wanted = {f: where for f, where in found.items() if has_words(f)}
    if "--list" in sys.argv:
        for f, where in sorted(wanted.items(), key=lambda x: x[1][0]):
            print("%s\t%r" % (where[0], f))
        return 0
    passed = 0
    for f, where in sorted(wanted.items(), key=lambda x: x[1][0]):
        if f not in entries:
            problems.append("%s: no Chinese for %r" % (where[0], f))
            continue
        zh, line = entries[f]
        if conversions(f) != conversions(zh):
            problems.append("%s:%d: conversions differ: %s in English, %s in Chinese (%r)"
                            % (CATALOGUE, line, conversions(f), conversions(zh), f))
        elif not re.search(r"[\u3400-\u9fff]", zh):
            problems.append("%s:%d: the Chinese for %r holds no Chinese" % (CATALOGUE, line, f))
        else:
            passed += 1
    for f, (_, line) in sorted(entries.items(), key=lambda x: x[1][1]):
        if f not in wanted:
            problems.append("%s:%d: entry not used by any sink: %r" % (CATALOGUE, line, f))
    for p in problems:
        print("FAIL:", p)
    print("%d formats translated, %d catalogue entries, %d problems"
          % (passed, len(entries), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
