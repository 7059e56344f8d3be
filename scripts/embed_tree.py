#!/usr/bin/env python3
"""Embed folders as a C table of files, for the built-in simulated host.

embed_tree.py --list ROOT SUBDIR...          print the files (for meson)
embed_tree.py OUTPUT SYMBOL ROOT SUBDIR... [--depfile FILE]
                                             write the table, and a depfile
                                             naming every file and folder read
                                             (a file added to a folder changes
                                             the folder's time: the table is
                                             made again)

Each entry is a path relative to ROOT ('/'-separated) with its bytes, or a
folder (data NULL), folders before what they hold, in sorted order."""
import os
import sys


def walk(root, subdirs):
    out = []
    for sub in subdirs:
        top = os.path.join(root, sub)
        out.append((sub, None))
        for d, dirs, files in os.walk(top):
            dirs.sort()
            rel = os.path.relpath(d, root).replace(os.sep, "/")
            if rel != sub:
                out.append((rel, None))
            for f in sorted(files):
                out.append((rel + "/" + f, os.path.join(d, f)))
    return out


def c_bytes(data):
    # Octal escapes of three digits: never taken as more than one byte,
    # and no trigraph can form ('?' is escaped too).
    parts, line = [], ""
    for b in data:
        ch = chr(b)
        if 32 <= b < 127 and ch not in '\\"?':
            line += ch
        else:
            line += "\\%03o" % b
        if len(line) >= 72 or b == 10:
            parts.append('"' + line + '"')
            line = ""
    if line or not parts:
        parts.append('"' + line + '"')
    return "\n        ".join(parts)


def main():
    if sys.argv[1] == "--list":
        root = sys.argv[2]
        for rel, path in walk(root, sys.argv[3:]):
            if path:
                print(path)
        return
    args = sys.argv[1:]
    depfile = None
    if "--depfile" in args:
        at = args.index("--depfile")
        depfile = args[at + 1]
        del args[at:at + 2]
    dst, sym, root, subdirs = args[0], args[1], args[2], args[3:]
    entries = walk(root, subdirs)
    with open(dst, "w") as out:
        out.write("/* Generated from scenarios/ by scripts/embed_tree.py. Do not edit. */\n")
        out.write('#include "hyperv/sim/sim.h"\n\n')
        out.write("const exhv_sim_file %s[] = {\n" % sym)
        for rel, path in entries:
            if path is None:
                out.write('    {"%s", NULL, 0},\n' % rel)
            else:
                data = open(path, "rb").read()
                out.write('    {"%s",\n        %s,\n        %d},\n' % (rel, c_bytes(data), len(data)))
        out.write("};\n")
        out.write("const size_t %s_count = %d;\n" % (sym, len(entries)))
    if depfile:
        deps = [path if path else os.path.join(root, rel) for rel, path in entries]
        with open(depfile, "w") as out:
            out.write(dst.replace(" ", "\\ ") + ":")
            for d in deps:
                out.write(" \\\n  " + d.replace(" ", "\\ "))
            out.write("\n")


main()
