"""Screenshots from Xvfb's framebuffer file (-fbdir): what the X display shows, even while Kodi is blocked.

Xvfb keeps screen 0 as an XWD image in `<fbdir>/Xvfb_screen0`; this module turns it into a PNG with the
standard library only (no ImageMagick, no xwd), and tells a blank picture from a real one.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

XWD_HEADER_FIELDS = 25  # 25 big-endian CARD32 fields, then the window name
XWD_COLOR_ENTRY_SIZE = 12


def xwd_to_rgb(data: bytes) -> tuple[int, int, bytes]:
    """Decode a 24/32-bit TrueColor XWD image into (width, height, packed RGB bytes)."""
    fields = struct.unpack(">25I", data[: 4 * XWD_HEADER_FIELDS])
    header_size, version = fields[0], fields[1]
    width, height, byte_order = fields[4], fields[5], fields[7]
    bits_per_pixel, bytes_per_line = fields[11], fields[12]
    red_mask, green_mask, blue_mask = fields[14], fields[15], fields[16]
    color_count = fields[19]
    if version != 7 or bits_per_pixel != 32:
        raise ValueError(f"unsupported XWD image (version {version}, {bits_per_pixel} bits per pixel)")
    if (red_mask, green_mask, blue_mask) != (0xFF0000, 0x00FF00, 0x0000FF):
        raise ValueError(f"unsupported XWD colour masks {red_mask:#x}/{green_mask:#x}/{blue_mask:#x}")
    offset = header_size + color_count * XWD_COLOR_ENTRY_SIZE
    pixels = data[offset : offset + bytes_per_line * height]
    # byte_order 0 (LSBFirst): each pixel is B, G, R, X in memory; 1 (MSBFirst): X, R, G, B.
    red, green, blue = (2, 1, 0) if byte_order == 0 else (1, 2, 3)
    rows = []
    for y in range(height):
        row = pixels[y * bytes_per_line : y * bytes_per_line + width * 4]
        rgb = bytearray(width * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = row[red::4], row[green::4], row[blue::4]
        rows.append(bytes(rgb))
    return width, height, b"".join(rows)


def rgb_to_png(width: int, height: int, rgb: bytes) -> bytes:
    """Encode packed 8-bit RGB rows as a PNG file."""
    stride = width * 3
    raw = b"".join(b"\0" + rgb[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def distinct_colours(rgb: bytes, samples: int = 10000) -> int:
    """Count distinct colours in about `samples` evenly spread pixels: 1 means a blank picture."""
    pixel_count = len(rgb) // 3
    step = max(1, pixel_count // samples)
    seen = {rgb[i * 3 : i * 3 + 3] for i in range(0, pixel_count, step)}
    return len(seen)


def capture_framebuffer(fbdir: Path, target: Path) -> int:
    """Write the display's current picture to `target` (PNG); return its sampled distinct-colour count."""
    width, height, rgb = xwd_to_rgb((fbdir / "Xvfb_screen0").read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(rgb_to_png(width, height, rgb))
    return distinct_colours(rgb)
