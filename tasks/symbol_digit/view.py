"""The symbol-digit player in a PsychoPy window (the only symbol-digit module that imports psychopy).

The key (symbols over their digits, in outlined cells) runs along the top;
the item — a symbol, or a digit in the motor-control block — sits in a box
in the middle; the digit buttons lie under it in a row or beside it as a 3×3
keypad (:mod:`.layout`). Symbols are drawn from :func:`.glyphs.raster` as a
mask in the battery's foreground colour, so what tests measure is what is
shown. A digit key or a click on a button answers; only the digits of the
current key count (other digits are ignored). Durations are counted in
frames at the measured refresh rate; the answer time is the key's hardware
timestamp (or the click's time) minus the time of the flip that showed the
item.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from psychopy import visual

from cogtrain.layoutview import TARGET
from cogtrain.timing import frames_for
from cogtrain.window import ClickReader

from .config import SymbolDigitSettings
from .glyphs import GLYPHS, raster
from .layout import Layout, screen_layout
from .logic import Item, ItemResponse

#: Texture side of the symbols (pixels; a power of two).
TEXTURE_PX = 256
#: Outline width of the key cells, the item box and the buttons (pixels).
LINE_PX = 3


class SymbolDigitView:
    """Window player of the symbol-digit task (implements ``SymbolDigitPlayer``).

    Parameters
    ----------
    frontend : cogtrain.window.WindowFrontend
    settings : SymbolDigitSettings
    """

    def __init__(self, frontend: Any, settings: SymbolDigitSettings):
        self.frontend = frontend
        self.settings = settings
        win = frontend.win
        display = frontend.display
        self.fg = display.foreground
        self.layout: Layout = screen_layout(win.size[0] / win.size[1], settings.buttons, display.text_height)
        lay = self.layout
        mask = {name: np.flipud(raster(name, TEXTURE_PX)) * 2 - 1 for name in GLYPHS}
        self.key_glyphs = {name: self._glyph(m, 0.78 * lay.cell) for name, m in mask.items()}
        self.centre_glyphs = {name: self._glyph(m, lay.centre_size) for name, m in mask.items()}
        box = lay.centre_size * 1.25
        self.centre_box = visual.Rect(win, width=box, height=box, pos=(lay.centre_x, lay.centre_y),
                                      lineColor=self.fg, lineWidth=LINE_PX, fillColor=None, colorSpace="hex")
        self.centre_digit = frontend.text("", pos=(lay.centre_x, lay.centre_y), height=lay.centre_size * 0.8,
                                          bold=True)
        self._button_sets: dict[int, list] = {}
        self.feedback = frontend.text("", pos=(0.0, lay.feedback_y))
        self.key_of = {key: d for d, key in enumerate(settings.keys.digits, start=1)}
        self.clicks = ClickReader(frontend)
        self._keys: dict[tuple[str, ...], list] = {}
        self._shown: list = []

    def _glyph(self, mask: np.ndarray, size: float) -> visual.GratingStim:
        return visual.GratingStim(self.frontend.win, tex=None, mask=mask, size=(size, size), color=self.fg,
                                  colorSpace="hex", interpolate=True)

    # -- drawing ----------------------------------------------------------
    def _key_stims(self, key: tuple[str, ...]) -> list:
        """Cells of the key, each a symbol over its digit, with the line between the rows (built once per key)."""
        if key not in self._keys:
            self._keys[key] = self._build_key(key)
        return self._keys[key]

    def _build_key(self, key: tuple[str, ...]) -> list:
        lay = self.layout
        stims: list = []
        xs = lay.key_xs(len(key))
        for digit, (symbol, x) in enumerate(zip(key, xs), start=1):
            cell = visual.Rect(self.frontend.win, width=lay.cell, height=1.75 * lay.cell,
                               pos=(x, (lay.key_symbol_y + lay.key_digit_y) / 2 + 0.06 * lay.cell),
                               lineColor=self.fg, lineWidth=LINE_PX, fillColor=None, colorSpace="hex")
            glyph = self.key_glyphs[symbol]
            label = self.frontend.text(str(digit), pos=(x, lay.key_digit_y), height=lay.digit_height, bold=True)
            stims += [cell, _At(glyph, (x, lay.key_symbol_y)), label]
        if xs:
            half = lay.cell / 2
            y = lay.key_symbol_y - half
            line = LINE_PX / self.frontend.win.size[1]
            stims.append(visual.Rect(self.frontend.win, width=xs[-1] - xs[0] + lay.cell, height=line,
                                     pos=((xs[0] + xs[-1]) / 2, y), fillColor=self.fg, lineColor=None,
                                     colorSpace="hex"))
        return stims

    def _buttons(self, digits: int) -> list:
        """Frames and labels of the buttons 1..``digits`` (built once per count)."""
        if digits not in self._button_sets:
            win = self.frontend.win
            self._button_sets[digits] = [
                (visual.Rect(win, width=b.w, height=b.h, pos=(b.x, b.y), lineColor=self.fg, lineWidth=LINE_PX + 1,
                             fillColor=None, colorSpace="hex", name=f"{TARGET}_digit_{d}"),
                 self.frontend.text(str(d), pos=(b.x, b.y), height=0.55 * b.h, bold=True))
                for d, b in self.layout.button_boxes(digits).items()]
        return self._button_sets[digits]

    def _item_stims(self, item: Item) -> list:
        """The key (if any), the item in its box, and the buttons of the item's digits."""
        stims = [*self._key_stims(item.key)] if item.key else []
        stims.append(self.centre_box)
        if item.item_type == "digit":
            self.centre_digit.text = item.stimulus
            stims.append(self.centre_digit)
        else:
            stims.append(_At(self.centre_glyphs[item.stimulus], (self.layout.centre_x, self.layout.centre_y)))
        for box, label in self._buttons(len(item.digits)):
            stims += [box, label]
        return stims

    @staticmethod
    def _screen(item: Item) -> str:
        if item.practice:
            return "symbol_digit_practice"
        return {"digit": "symbol_digit_motor", "recall": "symbol_digit_incidental"}.get(
            item.item_type, f"symbol_digit_key{len(item.key)}")

    # -- the player interface ------------------------------------------------
    def play(self, item: Item, ends_at: float | None) -> ItemResponse:
        """Show the item until an answer, its limit or the block's end; then the blank gap."""
        fe = self.frontend
        stims = self._item_stims(item)
        limit = frames_for(item.time_limit_ms, fe.frame_rate)
        names = [self.settings.keys.digits[d - 1] for d in item.digits]
        fe.keys.clear()
        self.clicks.reset()
        onset = None
        response = None
        for frame in range(limit):
            for stim in stims:
                stim.draw()
            if frame == 0:
                fe.screenshot_once(self._screen(item))
            t = fe.flip()
            onset = t if onset is None else onset
            answer = self._answer(fe.keys.get(names), item, onset)
            if answer:
                response = ItemResponse(onset, answer[1], "response", answer[0], answer[2])
                break
            if ends_at is not None and t >= ends_at:
                response = ItemResponse(onset, t, "block_time")
                break
        self._shown = stims
        removed = self._gap(stims, frames_for(self.settings.gap_ms, fe.frame_rate))
        return response or ItemResponse(float(onset), removed, "time_out")

    def _gap(self, stims: list, frames: int) -> float:
        """Show the screen without the item (key, box and buttons stay) for ``frames`` (at least one).

        Returns the time of its first flip: when the item left the screen.
        """
        keep = [s for s in stims if s is not self.centre_digit
                and not (isinstance(s, _At) and s.stim in self.centre_glyphs.values())]
        return self.frontend.show_frames(keep, max(frames, 1), "symbol_digit_gap")

    def _answer(self, keys: list, item: Item, onset: float) -> tuple[int, float, str] | None:
        """The first digit of the item's key given at or after ``onset``: (digit, time, "key"/"click")."""
        found = [(self.key_of[k.name], k.t, "key") for k in keys if k.name in self.key_of]
        click = self.clicks.poll()
        if click:
            x, y, t = click
            found += [(d, t, "click") for d, box in self.layout.button_boxes(len(item.digits)).items()
                      if box.contains(x, y)]
        valid = sorted((a for a in found if a[0] in item.digits and a[1] >= onset), key=lambda a: a[1])
        return valid[0] if valid else None

    def item_feedback(self, text: str, ms: int) -> None:
        """The practice feedback line under the item, in words, for ``ms`` (quit keys still work)."""
        self.feedback.text = text
        self.frontend.show_frames([*self._shown, self.feedback], frames_for(ms, self.frontend.frame_rate),
                                  "symbol_digit_feedback")


class _At:
    """A shared stimulus drawn at a given position (one texture serves every place it appears)."""

    def __init__(self, stim: visual.GratingStim, pos: tuple[float, float]):
        self.stim, self.pos = stim, pos

    def draw(self) -> None:
        self.stim.pos = self.pos
        self.stim.draw()
