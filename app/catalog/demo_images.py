"""Pictures for the demo products, drawn here with no network: a pattern per category."""

from __future__ import annotations

import io
import zlib

from PIL import Image, ImageDraw

SIZE = (480, 360)
# Light, calm colours that read well on a phone: one per kind of material.
PALETTE = {"ceramic-tiles": "#e9e4da", "bricks": "#c8704f", "blocks": "#d9d6cf",
           "boards": "#e3dccd", "insulation": "#f3e7a8", "doors-windows": "#cfe3ef",
           "coatings": "#f4efe6", "sanitary-ceramics": "#eef3f6", "waterproofing": "#5d6d7e",
           "ready-mixed-concrete": "#b9b9b4", "ready-mixed-mortar": "#cbc6bb",
           "furniture": "#d8b68c", "integrated-bath-kitchen": "#e6eef0",
           "prefab-components": "#c9ccd1"}
INK = "#4a4a4a"


def _tiles(draw: ImageDraw.ImageDraw, w: int, h: int, step: int = 80) -> None:
    for x in range(0, w, step):
        draw.line([(x, 0), (x, h)], fill="#bdb6a8", width=3)
    for y in range(0, h, step):
        draw.line([(0, y), (w, y)], fill="#bdb6a8", width=3)


def _bricks(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    for row, y in enumerate(range(0, h, 45)):
        draw.line([(0, y), (w, y)], fill="#eadbd2", width=4)
        for x in range(-60 * (row % 2), w, 120):
            draw.line([(x, y), (x, y + 45)], fill="#eadbd2", width=4)


def _window(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    draw.rectangle([100, 40, w - 100, h - 40], outline="#6b7b86", width=14)
    draw.line([(w // 2, 40), (w // 2, h - 40)], fill="#6b7b86", width=10)
    draw.line([(100, h // 2), (w - 100, h // 2)], fill="#6b7b86", width=10)


def _swatches(draw: ImageDraw.ImageDraw, w: int, h: int, seed: int) -> None:
    colours = ["#f7f2e8", "#e8d8c3", "#cfe0d8", "#d9e3ef", "#efd6d2", "#e9e1c4"]
    band = h // 4
    for i in range(4):
        draw.rectangle([60, 30 + i * band, w - 60, 30 + i * band + band - 24],
                       fill=colours[(seed + i) % len(colours)], outline=INK)


def _layers(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    for i, y in enumerate(range(60, h - 40, 40)):
        draw.rectangle([40, y, w - 40, y + 28], fill="#f9f3cf" if i % 2 else "#e8d77a")


def _diagonals(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    for x in range(-h, w, 36):
        draw.line([(x, h), (x + h, 0)], fill="#7f8e9c", width=6)


def picture(category_slug: str, name: str) -> bytes:
    """A JPEG for a product of this category; the same name always gives the same picture."""
    seed = zlib.crc32(name.encode())
    image = Image.new("RGB", SIZE, PALETTE.get(category_slug, "#e5e5e0"))
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    pattern = {"ceramic-tiles": _tiles, "bricks": _bricks, "blocks": _bricks,
               "doors-windows": _window, "insulation": _layers, "boards": _layers,
               "waterproofing": _diagonals}.get(category_slug)
    if category_slug == "coatings":
        _swatches(draw, w, h, seed)
    elif pattern is not None:
        pattern(draw, w, h)
    else:
        draw.rounded_rectangle([120, 70, w - 120, h - 70], radius=40, outline=INK, width=8)
    # a small mark so two products of one category don't look the same
    x = 30 + seed % (w - 100)
    draw.ellipse([x, h - 60, x + 40, h - 20], fill="#3c8d5a")  # campaign green
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()
