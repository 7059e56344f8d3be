#!/usr/bin/env python3
"""Draw exhv's icon and write it as a Windows .ico (16, 24, 32, 48, 64 px,
32-bit BGRA bitmaps). The picture: a rounded blue tile holding a card with
two chips, a device handed to a machine. Usage: make_icon.py OUT.ico"""
import struct
import sys

SIZES = (16, 24, 32, 48, 64)
SUPER = 4  # supersampling per axis, for smooth edges


def inside_round_rect(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def colour_at(u, v):
    """Colour (r, g, b, a) of the point (u, v) in the unit square."""
    if not inside_round_rect(u, v, 0.03, 0.03, 0.97, 0.97, 0.2):
        return (0, 0, 0, 0)
    # The card: white, with a bracket tab at the bottom left.
    if inside_round_rect(u, v, 0.17, 0.28, 0.83, 0.68, 0.05) or (0.25 <= u <= 0.45 and 0.66 <= v <= 0.78):
        if 0.27 <= u <= 0.47 and 0.37 <= v <= 0.59:
            return (0x1f, 0xa3, 0x5b, 255)   # chip, green
        if 0.53 <= u <= 0.73 and 0.37 <= v <= 0.59:
            return (0x1f, 0xa3, 0x5b, 255)
        return (255, 255, 255, 255)
    # Tile: blue, lighter at the top.
    t = v
    return (int(0x2b + 0x20 * (1 - t)), int(0x6c + 0x30 * (1 - t)), int(0xd4 + 0x20 * (1 - t)), 255)


def render(n):
    rows = []
    for y in range(n):
        row = []
        for x in range(n):
            acc = [0, 0, 0, 0]
            for sy in range(SUPER):
                for sx in range(SUPER):
                    r, g, b, a = colour_at((x + (sx + 0.5) / SUPER) / n, (y + (sy + 0.5) / SUPER) / n)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            a = acc[3]
            if a:
                px = (acc[0] // a, acc[1] // a, acc[2] // a, a // (SUPER * SUPER))
            else:
                px = (0, 0, 0, 0)
            row.append(px)
        rows.append(row)
    return rows


def dib(n):
    pixels = render(n)
    head = struct.pack("<IiiHHIIiiII", 40, n, 2 * n, 1, 32, 0, 0, 0, 0, 0, 0)
    body = bytearray()
    for row in reversed(pixels):  # bottom-up
        for r, g, b, a in row:
            body += bytes((b, g, r, a))
    mask_stride = ((n + 31) // 32) * 4
    body += bytes(mask_stride * n)  # AND mask: alpha decides
    return head + bytes(body)


def main():
    images = [dib(n) for n in SIZES]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for n, img in zip(SIZES, images):
        out += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(img), offset)
        offset += len(img)
    for img in images:
        out += img
    with open(sys.argv[1], "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
