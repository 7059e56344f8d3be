#!/usr/bin/env python3
"""Embed a file as a C byte array: embed.py INPUT OUTPUT SYMBOL."""
import sys

src, dst, sym = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, "rb").read()
with open(dst, "w") as out:
    out.write("/* Generated from %s by scripts/embed.py. Do not edit. */\n" % src.split("/")[-1])
    out.write("#include <stddef.h>\n")
    out.write("const char %s[] = {\n" % sym)
    for i in range(0, len(data), 16):
        out.write("  " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
    out.write("  0x00\n};\n")
    out.write("const size_t %s_len = %d;\n" % (sym, len(data)))
