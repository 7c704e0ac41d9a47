"""Where the symbol-digit screen puts things, in the window's height units (no psychopy).

The key runs along the top (one cell per pair: the symbol above its digit),
the item sits in the middle, and the digit buttons either run in a row under
it or form a 3×3 keypad (1 2 3 / 4 5 6 / 7 8 9, as on a telephone) beside it,
whose larger, well-spaced targets suit shaky hands. Every button is at least
``cogtrain.layout.MIN_TARGET_PX`` pixels on a screen of ``MIN_SCREEN_PX`` lines or more.

Examples
--------
>>> lay = screen_layout(16 / 9, "row", 0.05)
>>> round(lay.buttons[1].w, 3), lay.buttons[1].y < lay.centre_y < lay.key_digit_y
(0.11, True)
"""
from __future__ import annotations

from dataclasses import dataclass

#: Fewest screen lines the layout is meant for (buttons of 0.11 are 44 px at 400 lines).
MIN_SCREEN_PX = 400
#: Top edge of the key and the gap kept at the screen's edges.
TOP, EDGE = 0.47, 0.02


@dataclass(frozen=True)
class Box:
    """A rectangle by its centre and size."""

    x: float
    y: float
    w: float
    h: float

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies on the box (edges included)."""
        return abs(x - self.x) <= self.w / 2 and abs(y - self.y) <= self.h / 2


@dataclass(frozen=True)
class Layout:
    """Positions and sizes of one screen shape.

    ``cell`` is the width of one pair of the key; ``key_symbol_y`` and
    ``key_digit_y`` the centres of its two rows; ``centre_x, centre_y`` and
    ``centre_size`` place the item; ``buttons`` maps each digit to its button;
    ``feedback_y`` is the practice feedback line; ``keypad`` says the buttons form a 3×3 keypad.
    """

    cell: float
    key_symbol_y: float
    key_digit_y: float
    digit_height: float
    centre_x: float
    centre_y: float
    centre_size: float
    buttons: dict[int, Box]
    feedback_y: float
    keypad: bool = False

    @property
    def key_bottom(self) -> float:
        """Lower edge of the key."""
        return TOP - 1.75 * self.cell

    def button_boxes(self, digits: int) -> dict[int, Box]:
        """The buttons of the digits 1..``digits``: a row is centred on the screen, a keypad keeps its places.

        Examples
        --------
        >>> lay = screen_layout(16 / 9, "row", 0.05)
        >>> [round(b.x, 3) for b in lay.button_boxes(3).values()]
        [-0.125, 0.0, 0.125]
        """
        chosen = {d: b for d, b in self.buttons.items() if d <= digits}
        if not chosen or self.keypad:
            return chosen
        shift = -(chosen[1].x + chosen[digits].x) / 2
        return {d: Box(b.x + shift, b.y, b.w, b.h) for d, b in chosen.items()}

    def key_xs(self, pairs: int) -> list[float]:
        """Centres of the cells of a key of ``pairs`` pairs (centred on the screen)."""
        return [(i - (pairs - 1) / 2) * self.cell for i in range(pairs)]


def screen_layout(aspect: float, buttons: str, text_height: float) -> Layout:
    """The layout of a window ``aspect`` (width / height) wide, with ``buttons`` (row, keypad or none)."""
    width = aspect - 2 * EDGE
    cell = min(0.12, width / 9)
    digit_height = min(max(text_height, 0.5 * cell), 0.6 * cell)
    key_symbol_y, key_digit_y = TOP - cell / 2, TOP - 1.375 * cell
    found: dict[int, Box] = {}
    if buttons == "row":
        side = min(0.11, width / 9 - 0.015)
        step = side + 0.015
        found = {d: Box((d - 5) * step, -0.35, side, side) for d in range(1, 10)}
        return Layout(cell, key_symbol_y, key_digit_y, digit_height, 0.0, 0.03, 0.22, found, -0.19)
    if buttons == "keypad":
        side, step = 0.12, 0.14
        left = min(0.14, width / 2 - 2 * step - side / 2)
        found = {d: Box(left + ((d - 1) % 3) * step, 0.08 - ((d - 1) // 3) * step, side, side) for d in range(1, 10)}
        centre_x = -min(0.28, width / 2 - 0.15)
        return Layout(cell, key_symbol_y, key_digit_y, digit_height, centre_x, -0.06, 0.22, found, -0.36, keypad=True)
    return Layout(cell, key_symbol_y, key_digit_y, digit_height, 0.0, -0.02, 0.24, found, -0.3)
