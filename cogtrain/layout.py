"""Does a screen fit? Checks of drawn text and shape bounds against the window and each other.

Pure geometry on pixel boxes (origin at the window's centre, y up), so the same
rules serve the window's own probe (:mod:`cogtrain.layoutview`), the tests and
``scripts/check_layout.py``. A screen passes when

* nothing reaches past the window's edges (``clipped``);
* no two texts overlap, and no text partly covers a shape (``overlap``); a
  label wholly inside a box or ball is drawn on it, and may cover the shapes
  under that one (a ball's letter over its peg);
* every text is at least :data:`MIN_TEXT_PX` high (``small_text``);
* every click target is at least :data:`MIN_TARGET_PX` in both directions
  (``small_target``, WCAG 2.1, 2.5.5).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Iterable

#: Smallest text height in pixels (the footer at 0.05 × 0.75 on a 600-line screen is 22 px).
MIN_TEXT_PX = 20.0
#: Smallest click target in pixels, both ways (WCAG 2.1, 2.5.5 Target Size).
MIN_TARGET_PX = 44.0
#: Pixels two boxes may share before they count as overlapping (anti-aliased edges, line spacing).
TOLERANCE_PX = 2.0


@dataclass(frozen=True)
class Item:
    """One drawn thing: a text or a shape, with its bounds in pixels.

    Attributes
    ----------
    kind : str
        ``"text"`` or ``"shape"``.
    label : str
        The text, or a short name of the shape (for messages).
    left, bottom, right, top : float
        Bounds in pixels from the window's centre.
    height_px : float
        Letter height (texts).
    target : bool
        Something the participant clicks.
    """

    kind: str
    label: str
    left: float
    bottom: float
    right: float
    top: float
    height_px: float = 0.0
    target: bool = False

    def overlaps(self, other: "Item") -> bool:
        """Whether the two boxes share more than :data:`TOLERANCE_PX` both ways."""
        return (min(self.right, other.right) - max(self.left, other.left) > TOLERANCE_PX
                and min(self.top, other.top) - max(self.bottom, other.bottom) > TOLERANCE_PX)

    def inside(self, other: "Item") -> bool:
        """Whether this box lies within ``other`` (to the tolerance)."""
        t = TOLERANCE_PX
        return (self.left >= other.left - t and self.right <= other.right + t
                and self.bottom >= other.bottom - t and self.top <= other.top + t)

    @property
    def name(self) -> str:
        """The label shortened for a message."""
        text = " ".join(self.label.split())
        return repr(text if len(text) <= 40 else text[:37] + "...")


@dataclass(frozen=True)
class Problem:
    """One way a screen does not fit: ``kind`` (clipped, overlap, small_text, small_target) and a description."""

    kind: str
    detail: str


def check_items(items: Iterable[Item], width_px: float, height_px: float) -> list[Problem]:
    """Every problem of one screen of ``items`` drawn in a ``width_px`` × ``height_px`` window."""
    items = list(items)
    problems = []
    half_w, half_h = width_px / 2, height_px / 2
    for item in items:
        outside = max(-half_w - item.left, item.right - half_w, -half_h - item.bottom, item.top - half_h)
        if outside > TOLERANCE_PX:
            problems.append(Problem("clipped", f"{item.kind} {item.name} reaches {outside:.0f} px past the "
                                               f"edge of the {width_px:.0f}x{height_px:.0f} window"))
        if item.kind == "text" and item.height_px < MIN_TEXT_PX - 0.5:
            problems.append(Problem("small_text", f"text {item.name} is {item.height_px:.0f} px high "
                                                  f"(at least {MIN_TEXT_PX:.0f})"))
        if item.target and min(item.right - item.left, item.top - item.bottom) < MIN_TARGET_PX - 0.5:
            problems.append(Problem("small_target", f"target {item.name} is {item.right - item.left:.0f}x"
                                                    f"{item.top - item.bottom:.0f} px (at least "
                                                    f"{MIN_TARGET_PX:.0f} both ways)"))
    shapes = [item for item in items if item.kind == "shape"]
    texts = [item for item in items if item.kind == "text"]
    labels = [any(text.inside(shape) for shape in shapes) for text in texts]
    for a, b in combinations(texts, 2):
        if a.overlaps(b):
            problems.append(Problem("overlap", f"text {a.name} overlaps text {b.name}"))
    for text, is_label in zip(texts, labels):
        for shape in shapes:
            if not is_label and text.overlaps(shape):
                problems.append(Problem("overlap", f"text {text.name} overlaps shape {shape.name}"))
    return problems
