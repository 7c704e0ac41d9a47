"""Colour contrast as WCAG 2.x defines it (no psychopy: used by the config and by scripts).

References
----------
W3C (2018). Web Content Accessibility Guidelines 2.1: relative luminance and
contrast ratio (definitions), success criteria 1.4.6 Contrast (Enhanced, 7:1
for text) and 1.4.11 Non-text Contrast (3:1 for shapes that carry meaning).
"""
from __future__ import annotations

from collections.abc import Sequence

#: WCAG 2.x level AAA contrast for text (criterion 1.4.6).
MIN_TEXT_CONTRAST = 7.0
#: WCAG 2.x contrast for shapes the participant must see (criterion 1.4.11).
MIN_SHAPE_CONTRAST = 3.0


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """``'#RRGGBB'`` → (r, g, b) in 0..255."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"expected a colour like '#FFFFFF', got {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def relative_luminance(rgb: Sequence[float]) -> float:
    """Relative luminance of an sRGB colour given as 0..255 channels (WCAG 2.x definition)."""
    def linear(channel: float) -> float:
        c = channel / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | Sequence[float], b: str | Sequence[float]) -> float:
    """Contrast ratio (1 to 21) between two colours, hex strings or 0..255 RGB triples.

    Examples
    --------
    >>> round(contrast_ratio("#FFFFFF", "#000000"), 1)
    21.0
    >>> round(contrast_ratio("#767676", "#FFFFFF"), 2)
    4.54
    """
    la, lb = (relative_luminance(hex_to_rgb(c) if isinstance(c, str) else c) for c in (a, b))
    high, low = max(la, lb), min(la, lb)
    return (high + 0.05) / (low + 0.05)
