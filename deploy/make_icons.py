"""Draws the app icons (icon-192.png, icon-512.png, maskable-512.png) in static/icons/, with no library: a green
square with a white heart, as static/favicon.svg. Run: python deploy/make_icons.py"""

import struct
import zlib
from pathlib import Path

GREEN, WHITE = (0x1F, 0x5C, 0x4A), (0xFF, 0xFF, 0xFF)


def heart(x: float, y: float) -> bool:
    """Inside the heart curve (x² + y² − 1)³ − x² y³ ≤ 0, x and y in about −1.3..1.3."""
    return (x * x + y * y - 1) ** 3 - x * x * y ** 3 <= 0


def draw(size: int, *, padding: float) -> bytes:
    rows = []
    for j in range(size):
        row = bytearray([0])  # filter: none
        for i in range(size):
            # Four samples a pixel, for a smooth edge.
            hits = 0
            for dx, dy in ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)):
                x = ((i + dx) / size - 0.5) * 2 * (1.35 + padding)
                y = -((j + dy) / size - 0.5) * 2 * (1.35 + padding) + 0.1
                hits += heart(x, y)
            share = hits / 4
            row += bytes(round(g + (w - g) * share) for g, w in zip(GREEN, WHITE))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent / "static" / "icons"
    (here / "icon-192.png").write_bytes(draw(192, padding=0.35))
    (here / "icon-512.png").write_bytes(draw(512, padding=0.35))
    (here / "maskable-512.png").write_bytes(draw(512, padding=1.0))  # the safe zone of a maskable icon
