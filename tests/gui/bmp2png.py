#!/usr/bin/env python3
"""Convert a 24-bit bottom-up BMP (what gui-probe shot writes) to a PNG:
bmp2png.py IN.bmp OUT.png. Only the standard library."""
import struct
import sys
import zlib


def main():
    d = open(sys.argv[1], "rb").read()
    off = struct.unpack("<I", d[10:14])[0]
    w, h = struct.unpack("<ii", d[18:26])
    bpp = struct.unpack("<H", d[28:30])[0]
    if bpp != 24 or h <= 0:
        sys.exit("bmp2png: only bottom-up 24-bit bitmaps")
    stride = (w * 3 + 3) & ~3
    raw = bytearray()
    for y in range(h):
        row = d[off + (h - 1 - y) * stride: off + (h - 1 - y) * stride + w * 3]
        raw.append(0)
        for i in range(0, len(row), 3):
            raw += bytes((row[i + 2], row[i + 1], row[i]))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")
    open(sys.argv[2], "wb").write(png)


if __name__ == "__main__":
    main()
