"""Measure what a PsychoPy window actually draws and check each screen with :mod:`cogtrain.layout`.

:class:`LayoutProbe` records the bounds of every text and shape drawn between
two flips (from PsychoPy's own measures: the laid-out text's size and the
shapes' vertices in pixels) and checks the frame when it is flipped. Problems
are collected per screen (the name last given to ``frontend.screenshot_once``).
Click targets are shapes whose PsychoPy ``name`` starts with :data:`TARGET`.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from psychopy import visual

from cogtrain.layout import Item, Problem, check_items

#: Prefix of the PsychoPy ``name`` of a shape the participant can click.
TARGET = "target"
#: File name of the layout report saved beside a window's screenshots.
REPORT = "layout.json"


def text_item(stim: visual.TextStim) -> Item | None:
    """Bounds of a drawn text (None for an empty one)."""
    if not str(stim.text or "").strip():
        return None
    w, h = (float(v) for v in stim.boundingBox)
    x, y = (float(v) for v in stim.posPix)
    left = {"left": x, "right": x - w}.get(stim.anchorHoriz, x - w / 2)
    bottom = {"bottom": y, "top": y - h}.get(stim.anchorVert, y - h / 2)
    height_px = float(stim.height) * float(stim.win.size[1])
    return Item("text", str(stim.text), left, bottom, left + w, bottom + h, height_px)


def shape_item(stim: Any) -> Item | None:
    """Bounds of a drawn shape, its outline included."""
    verts = np.asarray(stim.verticesPix, dtype=float)
    if verts.size == 0:
        return None
    pad = float(stim.lineWidth or 0) / 2 if stim.lineColor is not None else 0.0
    name = str(stim.name or type(stim).__name__)
    return Item("shape", name, float(verts[:, 0].min()) - pad, float(verts[:, 1].min()) - pad,
                float(verts[:, 0].max()) + pad, float(verts[:, 1].max()) + pad, target=name.startswith(TARGET))


class LayoutProbe:
    """Checks every frame a window frontend flips; problems by screen.

    With ``report``, the findings are saved there (:meth:`save`) whenever a new
    screen or problem is found.

    Use as a context manager around the code that draws (it patches the draw
    methods of PsychoPy's text and shape classes while active; probes nest, and
    leave in the reverse order).
    """

    def __init__(self, frontend: Any, report: Path | None = None):
        self.frontend = frontend
        self.report_path = report
        self.frame: list[Item] = []
        self.problems: dict[str, dict[str, Problem]] = defaultdict(dict)
        self.screens: set[str] = set()
        self._last: tuple | None = None
        self._saved: list[tuple[type, Any]] = []

    def __enter__(self) -> "LayoutProbe":
        for cls, measure in ((visual.TextStim, text_item), (visual.BaseShapeStim, shape_item),
                             (visual.ShapeStim, shape_item)):
            original = cls.__dict__["draw"]
            self._saved.append((cls, original))
            cls.draw = self._recording(original, measure)
        flip = self.frontend.flip
        self._saved.append((None, vars(self.frontend).get("flip")))  # an outer probe's flip, or None

        def checked_flip() -> float:
            self.check_frame()
            return flip()

        self.frontend.flip = checked_flip
        return self

    def __exit__(self, *exc: Any) -> None:
        for cls, original in self._saved:
            if cls is None and original is None:
                del self.frontend.flip
            elif cls is None:
                self.frontend.flip = original
            else:
                cls.draw = original
        self._saved.clear()

    def _recording(self, original: Any, measure: Any) -> Any:
        probe = self

        def draw(stim: Any, *args: Any, **kwargs: Any) -> Any:
            if stim.win is probe.frontend.win:
                item = measure(stim)
                if item is not None:
                    probe.frame.append(item)
            return original(stim, *args, **kwargs)

        return draw

    def check_frame(self) -> None:
        """Check the items drawn since the last flip (a frame equal to the last one is not checked again)."""
        screen = self.frontend.current_screen or "(unnamed)"
        key = (screen, tuple(self.frame))
        if self.frame and key != self._last:
            before = (len(self.screens), sum(map(len, self.problems.values())))
            self.screens.add(screen)
            width, height = (float(v) for v in self.frontend.win.size)
            for problem in check_items(self.frame, width, height):
                self.problems[screen].setdefault(problem.detail, problem)
            if self.report_path and before != (len(self.screens), sum(map(len, self.problems.values()))):
                self.save(self.report_path)
        self._last = key
        self.frame = []

    def save(self, path: Path) -> None:
        """Write the window size, the screens checked and each screen's problems as JSON."""
        report = {"window": [int(v) for v in self.frontend.win.size], "screens": sorted(self.screens),
                  "problems": {screen: [{"kind": p.kind, "detail": p.detail} for p in found.values()]
                               for screen, found in sorted(self.problems.items())}}
        Path(path).write_text(json.dumps(report, indent=1), encoding="utf-8")

    def report(self) -> list[str]:
        """One line per problem: ``screen: kind: detail``."""
        return [f"{screen}: {p.kind}: {p.detail}" for screen in sorted(self.problems)
                for p in self.problems[screen].values()]
