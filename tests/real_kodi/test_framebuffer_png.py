"""Xvfb framebuffer (XWD) to PNG, with the standard library only."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from fake_kodi.real.screenshot import capture_framebuffer, distinct_colours, rgb_to_png, xwd_to_rgb


def xwd_image(width: int, height: int, pixels_bgrx: bytes, version: int = 7) -> bytes:
    """A TrueColor 32-bit LSBFirst XWD file as Xvfb writes it (header, name, no colormap)."""
    name = b"Xvfb\0"
    header_size = 100 + len(name)
    fields = [header_size, version, 2, 24, width, height, 0, 0, 32, 0, 32, 32, width * 4, 4,
              0xFF0000, 0x00FF00, 0x0000FF, 8, 256, 0, width, height, 0, 0, 0]  # fmt: skip
    return struct.pack(">25I", *fields) + name + pixels_bgrx


def png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and raw RGB of a PNG written by rgb_to_png (filter 0 rows)."""
    width, height = struct.unpack(">II", png[16:24])
    idat_length = struct.unpack(">I", png[33:37])[0]
    raw = zlib.decompress(png[41 : 41 + idat_length])
    stride = width * 3 + 1
    return width, height, b"".join(raw[y * stride + 1 : (y + 1) * stride] for y in range(height))


def test_xwd_pixels_become_rgb_in_order() -> None:
    red, green = bytes([0, 0, 255, 0]), bytes([0, 255, 0, 0])
    assert xwd_to_rgb(xwd_image(2, 1, red + green)) == (2, 1, bytes([255, 0, 0, 0, 255, 0]))


def test_png_round_trips_the_pixels() -> None:
    rgb = bytes(range(18))
    assert png_pixels(rgb_to_png(3, 2, rgb)) == (3, 2, rgb)


def test_unsupported_xwd_version_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^unsupported XWD image \(version 6, 32 bits per pixel\)$"):
        xwd_to_rgb(xwd_image(1, 1, bytes(4), version=6))


def test_single_colour_picture_counts_one_colour() -> None:
    assert distinct_colours(bytes([9, 9, 9]) * 500) == 1


def test_capture_writes_a_png_of_the_framebuffer(tmp_path: Path) -> None:
    (tmp_path / "Xvfb_screen0").write_bytes(xwd_image(2, 1, bytes([0, 0, 255, 0, 255, 0, 0, 0])))
    colours = capture_framebuffer(tmp_path, tmp_path / "out" / "shot.png")
    assert colours == 2
    assert png_pixels((tmp_path / "out" / "shot.png").read_bytes()) == (2, 1, bytes([255, 0, 0, 0, 0, 255]))
