"""The symbols of the symbol-digit task: original abstract glyphs drawn from thick strokes.

Each glyph is a few polylines in a square from -1 to 1 (y up). They were
designed for this battery, not copied from any published test, and differ
in their coarse shape (closed or open, vertical or horizontal, crossing or
not) so that they stay apart when seen blurred: a participant with low
acuity or double vision still tells them apart. They avoid the shapes of
digits and of capital letters. ``tests/tasks/symbol_digit/test_glyphs.py``
measures how alike they are when blurred.

Examples
--------
>>> len(GLYPHS) >= 9
True
>>> GLYPHS["bowtie"][0][:2]
((-0.7, 0.8), (0.7, 0.8))
"""
from __future__ import annotations

import math

import numpy as np

Point = tuple[float, float]
Stroke = tuple[Point, ...]

def _octagon(radius: float) -> Stroke:
    """A closed regular octagon around the centre, flat at the top."""
    angles = [math.pi / 8 + k * math.pi / 4 for k in range(9)]
    return tuple((round(radius * math.cos(a), 3), round(radius * math.sin(a), 3)) for a in angles)


#: Name → strokes. Names are what the log records in ``stimulus``.
GLYPHS: dict[str, tuple[Stroke, ...]] = {
    # an arch with a post hanging from its middle
    "arch": (((-0.7, -0.8), (-0.7, 0.7), (0.7, 0.7), (0.7, -0.8)), ((0.0, 0.7), (0.0, -0.2))),
    # a square that turns inwards: one and a half turns of a square spiral
    "spiral": (((0.7, -0.2), (0.7, 0.8), (-0.7, 0.8), (-0.7, -0.8), (0.2, -0.8), (0.2, 0.2)),),
    # a bar with an arrow head, stopped by a short post on the left
    "arrow": (((-0.8, 0.0), (0.8, 0.0)), ((0.2, 0.6), (0.8, 0.0), (0.2, -0.6)), ((-0.8, 0.55), (-0.8, -0.55))),
    # two triangles meeting at their tips, closed top and bottom (an hourglass)
    "bowtie": (((-0.7, 0.8), (0.7, 0.8), (-0.7, -0.8), (0.7, -0.8), (-0.7, 0.8)),),
    # a diamond crossed by a long horizontal bar
    "kite": (((0.0, 0.75), (0.6, 0.0), (0.0, -0.75), (-0.6, 0.0), (0.0, 0.75)), ((-0.88, 0.0), (0.88, 0.0))),
    # three steps rising to the right
    "steps": (((-0.85, -0.8), (-0.85, -0.25), (-0.3, -0.25), (-0.3, 0.3), (0.25, 0.3), (0.25, 0.85),
               (0.85, 0.85)),),
    # a downward triangle with a post from its top edge to its middle
    "funnel": (((-0.8, 0.7), (0.8, 0.7), (0.0, -0.8), (-0.8, 0.7)), ((0.0, 0.7), (0.0, 0.0))),
    # a wave: up, across, down, across, up
    "wave": (((-0.88, -0.1), (-0.6, 0.45), (-0.3, 0.45), (0.0, -0.1), (0.3, -0.65), (0.6, -0.65),
              (0.88, -0.1)),),
    # two corners facing each other across the square
    "corners": (((-0.8, -0.2), (-0.8, 0.8), (0.2, 0.8)), ((0.8, 0.2), (0.8, -0.8), (-0.2, -0.8))),
    # a pole with a triangular flag at its top
    "flag": (((-0.6, -0.85), (-0.6, 0.85), (0.75, 0.4), (-0.6, -0.05)),),
    # an octagon with a short line leaving it towards the top right
    "ring": (_octagon(0.6), ((0.42, 0.42), (0.85, 0.85))),
    # two chevrons, the upper opening upwards, the lower opening downwards
    "chevrons": (((-0.8, 0.85), (0.0, 0.25), (0.8, 0.85)), ((-0.8, -0.85), (0.0, -0.25), (0.8, -0.85))),
}

#: Stroke thickness as a share of the glyph's half side (thick: legible when blurred).
STROKE = 0.16


def raster(name: str, pixels: int = 64) -> np.ndarray:
    """The glyph as a ``pixels`` × ``pixels`` image of ink coverage, 0 (paper) to 1 (ink); row 0 is the top.

    A pixel is ink when its centre lies within half the stroke thickness of a
    stroke (round caps and joins), with a one-pixel soft edge. The view draws
    exactly this image, so tests measure what participants see.

    Examples
    --------
    >>> img = raster("corners", 32)
    >>> img.shape, float(img[3, 3]), float(img[16, 16])
    ((32, 32), 1.0, 0.0)
    """
    centres = (np.arange(pixels) + 0.5) / pixels * 2 - 1
    x, y = np.meshgrid(centres, -centres)
    distance = np.full(x.shape, np.inf)
    for stroke in GLYPHS[name]:
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1)
            distance = np.minimum(distance, np.hypot(x - x0 - t * dx, y - y0 - t * dy))
    return np.clip((STROKE / 2 - distance) * pixels / 2 + 0.5, 0.0, 1.0)
