"""The n-back player in a PsychoPy window (the only n-back module that imports psychopy).

Layout, in the window's ``height`` units (1 = screen height):

* position (and dual) mode: a 3×3 grid of outlined squares, centred, with
  the active square filled solid. Outlines are the battery's foreground
  colour (at least 7:1 against the background, 21:1 by default), the fill its
  accent colour (at least 3:1; gold on black by default, 14:1): the active
  square differs by being filled, not by colour alone;
* dual mode: the letter appears in the centre square, which is never a
  position stimulus; a ``+`` holds the centre between stimuli;
* letter mode: the letter alone, large (``letter_height``), in the centre.

Timing is counted in frames: ``stimulus_frames`` with the stimulus, then
``isi_frames`` with the empty grid. Keys are read after every flip over both
parts, with the keyboard's own timestamps on the session clock, and the RT is
taken from the flip that showed the stimulus.
"""
from __future__ import annotations

from typing import Any

from psychopy import visual

from .config import NbackSettings
from .logic import KeyPress, NbackTrial, TrialResponse

#: Gap between neighbouring squares, as a share of a cell.
CELL_GAP = 0.08
#: Outline thickness as a share of the window height in pixels (>= 3 px).
LINE_SHARE = 0.005


class NbackView:
    """Draws n-back trials and collects their keys through a window frontend.

    Parameters
    ----------
    frontend : cogtrain.window.WindowFrontend
        Provides ``win``, ``display``, ``text()``, ``flip()``, ``keys`` and
        ``screenshot_once()``.
    settings : NbackSettings
        The task's validated settings.
    """

    def __init__(self, frontend: Any, settings: NbackSettings):
        self.frontend = frontend
        self.settings = settings
        self.win = frontend.win
        colours = frontend.display
        self.fg, self.fill = colours.foreground, colours.accent
        self.modalities = settings.modalities()
        self.kind = "dual" if len(self.modalities) == 2 else self.modalities[0]
        self.cell = settings.grid_size / 3
        line_px = max(3.0, round(LINE_SHARE * self.win.size[1]))
        side = self.cell * (1 - CELL_GAP)
        self.cells = []
        for index in range(9):
            row, col = divmod(index, 3)
            pos = ((col - 1) * self.cell, (1 - row) * self.cell)
            self.cells.append(visual.Rect(self.win, width=side, height=side, pos=pos, lineWidth=line_px,
                                          lineColor=self.fg, fillColor=None, colorSpace="hex"))
        self.active = visual.Rect(self.win, width=side, height=side, lineWidth=line_px,
                                  lineColor=self.fg, fillColor=self.fill, colorSpace="hex")
        letter_height = settings.letter_height if self.kind == "letter" else min(settings.letter_height,
                                                                                self.cell * 0.8)
        self.letter = frontend.text("", height=letter_height, bold=True)
        self.fixation = frontend.text("+", height=min(0.06, self.cell * 0.4))

    # -- drawing ----------------------------------------------------------
    def _place(self, trial: NbackTrial) -> None:
        """Put the trial's stimuli in place, once before its frames."""
        if "position" in self.modalities:
            self.active.pos = self.cells[int(trial.stimuli["position"])].pos
        if "letter" in self.modalities:
            self.letter.text = str(trial.stimuli["letter"])

    def _draw(self, trial: NbackTrial | None) -> None:
        """One frame: the grid (position modes), then the stimulus (set by :meth:`_place`) or the fixation cross."""
        if "position" in self.modalities:
            for cell in self.cells:
                cell.draw()
            if trial is not None:
                self.active.draw()
        if trial is not None and "letter" in self.modalities:
            self.letter.draw()
        elif trial is None or self.kind == "position":
            self.fixation.draw()

    # -- the player interface ------------------------------------------------
    def play(self, trial: NbackTrial) -> TrialResponse:
        """Show one trial for its frames and return the onset and the keys pressed."""
        keys = self.frontend.keys
        names = list(trial.keys.values())
        if trial.number == 1:
            keys.clear()  # nothing pressed before the block counts
        presses: list[KeyPress] = []
        onset = None
        self._place(trial)
        for frame in range(trial.stimulus_frames + trial.isi_frames):
            self._draw(trial if frame < trial.stimulus_frames else None)
            if frame == 0:
                self.frontend.screenshot_once(f"nback_{self.kind}" + ("_practice" if trial.practice else ""))
            t = self.frontend.flip()
            if onset is None:
                onset = t
            presses.extend(KeyPress(k.name, k.t) for k in keys.get(names))
        return TrialResponse(onset_s=float(onset), presses=tuple(presses))

    def trial_feedback(self, text: str, frames: int) -> None:
        """Practice feedback in words, for ``frames`` frames (quit keys still work)."""
        stim = self.frontend.text(text, height=self.frontend.display.text_height * 1.2)
        self.frontend.show_frames([stim], frames, "nback_trial_feedback")
