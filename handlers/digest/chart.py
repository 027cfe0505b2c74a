"""The digest's chart as a PNG, drawn with numpy and written with zlib: no plotting library.

Bars: questions (blue) and tickets (orange) per day or week; a line: the share of tickets
answered within the deadline (green, right axis 0–100 %). The legend lives in the message
next to the picture (coloured squares and catalogue text), so the image itself carries only
numbers and dates, drawn with a 3×5 pixel font. A palette PNG of flat colours compresses to a
few kilobytes, small enough for a Teams card's data URI.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 14, 28

WHITE, AXIS, GRID, BLUE, ORANGE, GREEN, INK = range(7)
PALETTE = (
    (255, 255, 255), (120, 120, 120), (228, 228, 228), (59, 110, 165), (232, 137, 58), (46, 139, 87), (60, 60, 60),
)

_GLYPHS = {
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111", "3": "111001111001111",
    "4": "101101111001001", "5": "111100111001111", "6": "111100111101111", "7": "111001001001001",
    "8": "111101111101111", "9": "111101111001111", ".": "000000000000010", "%": "101001010100101",
    " ": "000000000000000", "-": "000000111000000",
}
SCALE = 2
GLYPH_W, GLYPH_H = 3 * SCALE, 5 * SCALE


@dataclass(frozen=True)
class Point:
    label: str  # digits and dots only ("23.11")
    questions: int
    tickets: int
    share: float | None  # 0..1, or None when no ticket was due


def render(points: Sequence[Point], width: int = WIDTH, height: int = HEIGHT) -> bytes:
    canvas = np.full((height, width), WHITE, dtype=np.uint8)
    x0, x1, y0, y1 = LEFT, width - RIGHT, TOP, height - BOTTOM
    plot_h = y1 - y0
    top_value = nice_ceiling(max([p.questions for p in points] + [p.tickets for p in points] + [1]))

    for fraction in (0.25, 0.5, 0.75, 1.0):
        canvas[y1 - round(plot_h * fraction), x0:x1] = GRID
    for value, fraction in ((0, 0.0), (top_value // 2, 0.5), (top_value, 1.0)):
        label = str(value)
        _text(canvas, label, x0 - 6 - text_width(label), y1 - round(plot_h * fraction) - GLYPH_H // 2)
    for percent, fraction in ((0, 0.0), (50, 0.5), (100, 1.0)):
        _text(canvas, f"{percent} %", x1 + 6, y1 - round(plot_h * fraction) - GLYPH_H // 2)

    n = max(1, len(points))
    slot = (x1 - x0) / n
    bar = max(1, int(slot * 0.36))
    every = max(1, math.ceil((max((text_width(p.label) for p in points), default=0) + 8) / slot))
    centres: list[tuple[int, int]] = []
    for i, point in enumerate(points):
        left = x0 + i * slot
        centre = int(left + slot / 2)
        _bar(canvas, centre - bar, bar, point.questions / top_value, y1, plot_h, BLUE)
        _bar(canvas, centre, bar, point.tickets / top_value, y1, plot_h, ORANGE)
        if point.share is not None:
            centres.append((centre, y1 - round(plot_h * min(1.0, max(0.0, point.share)))))
        if i % every == 0:
            _text(canvas, point.label, centre - text_width(point.label) // 2, y1 + 8)
    for (xa, ya), (xb, yb) in zip(centres, centres[1:]):
        _line(canvas, xa, ya, xb, yb, GREEN)
    for x, y in centres:
        canvas[max(0, y - 3) : y + 4, max(0, x - 3) : x + 4] = GREEN

    canvas[y0:y1 + 1, x0] = AXIS
    canvas[y0:y1 + 1, x1] = AXIS
    canvas[y1, x0:x1 + 1] = AXIS
    return encode_png(canvas, PALETTE)


def nice_ceiling(value: float) -> int:
    """The smallest 1, 2 or 5 × 10^k at or above value (an even number, so its half is whole)."""
    if value <= 2:
        return 2
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value and (step * power) % 2 == 0:
            return int(step * power)
    return int(10 * power)


def text_width(text: str) -> int:
    return len(text) * (GLYPH_W + SCALE) - SCALE if text else 0


def _text(canvas: np.ndarray, text: str, x: int, y: int) -> None:
    for char in text:
        bits = _GLYPHS.get(char)
        if bits is not None:
            glyph = np.array([int(b) for b in bits], dtype=bool).reshape(5, 3)
            glyph = glyph.repeat(SCALE, axis=0).repeat(SCALE, axis=1)
            region = canvas[y : y + GLYPH_H, x : x + GLYPH_W]
            if region.shape == glyph.shape and x >= 0 and y >= 0:
                region[glyph] = INK
        x += GLYPH_W + SCALE


def _bar(canvas: np.ndarray, x: int, width: int, fraction: float, y1: int, plot_h: int, colour: int) -> None:
    height = round(plot_h * min(1.0, fraction))
    if height > 0:
        canvas[y1 - height : y1, x : x + width] = colour


def _line(canvas: np.ndarray, xa: int, ya: int, xb: int, yb: int, colour: int, thickness: int = 3) -> None:
    steps = max(abs(xb - xa), abs(yb - ya), 1)
    xs = np.rint(np.linspace(xa, xb, steps + 1)).astype(int)
    ys = np.rint(np.linspace(ya, yb, steps + 1)).astype(int)
    half = thickness // 2
    h, w = canvas.shape
    for dy in range(-half, half + 1):
        for dx in range(-half, half + 1):
            canvas[np.clip(ys + dy, 0, h - 1), np.clip(xs + dx, 0, w - 1)] = colour


def encode_png(pixels: np.ndarray, palette: Sequence[tuple[int, int, int]]) -> bytes:
    """An 8-bit palette PNG (colour type 3) of a 2-D array of palette indices."""
    height, width = pixels.shape
    raw = np.zeros((height, width + 1), dtype=np.uint8)  # each scanline: filter type 0, then pixels
    raw[:, 1:] = pixels

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", bytes(c for rgb in palette for c in rgb))
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 9))
        + chunk(b"IEND", b"")
    )
