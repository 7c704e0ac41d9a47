"""Chart specifications for the HTML reports: honest axes, drawn by the browser.

A chart is a plain mapping (see :class:`Chart`) serialised to JSON inside the
report; one shared script (``assets/report.js`` beside this module) draws every chart as
SVG. All decisions about what is shown (axis ranges, ticks, which lines, the
"no change yet" note) are taken here, in Python, where they are tested; the
script only draws. Rules (docs/reports.md):

- a metric with known bounds (a proportion, an adaptive level from its floor
  to its ceiling) is drawn over those bounds;
- any other axis spans at least a minimum visible span around the data, so a
  tiny change never fills the plot;
- integer quantities get integer ticks;
- a single session is drawn as a point with a note, never as a trend.

Colours are the Okabe & Ito (2008) colour-blind-safe palette; series also
differ by marker so they are told apart in grey print.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

#: Okabe & Ito (2008), darkest first so the first lines contrast most on white.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "triangle", "diamond")
GREY = "#999999"
#: Smallest y span shown for a unit when the metric has no bounds: smaller changes look small.
MIN_SPAN = {"s": 0.5, "ms": 500.0, "count": 4.0, "moves": 4.0, "z units": 1.0, "words": 4.0}
#: Smallest span as a fraction of the largest absolute value, for units without an entry above.
MIN_RELATIVE_SPAN = 0.2
#: Most ticks on an axis.
MAX_TICKS = 7


@dataclass(frozen=True)
class Axis:
    """One axis: its range, tick positions and (optional) tick labels.

    Attributes
    ----------
    label : str
        Axis title with its unit.
    lo, hi : float
        The drawn range.
    ticks : tuple of float
        Tick positions inside ``[lo, hi]``.
    tick_labels : tuple of str
        Text of each tick (empty: the numbers, formatted by :func:`tick_text`).
    """

    label: str
    lo: float
    hi: float
    ticks: tuple[float, ...]
    tick_labels: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The mapping the report script reads."""
        labels = self.tick_labels or tuple(tick_text(t, self.ticks) for t in self.ticks)
        return {"label": self.label, "lo": self.lo, "hi": self.hi, "ticks": list(self.ticks),
                "labels": list(labels)}


@dataclass
class Chart:
    """A chart the report script draws.

    Attributes
    ----------
    title : str
        Shown above the chart.
    subtitle : str
        Shown under the title (a measure's direction: "higher is better").
    description : str
        Text alternative (read by screen readers; also the figure's caption).
    x, y : Axis
        The axes.
    series : list of dict
        ``{"kind": "line"|"step"|"points"|"bars", "xy": [[x, y], ...], "color", "marker",
        "label", "hollow"}``.
    hlines, vlines : list of dict
        Reference lines ``{"at", "label", "color", "dash"}``.
    bands : list of list
        Shaded x ranges ``[x0, x1]`` (alternate sessions of a track).
    note : str
        A sentence drawn inside the plot ("No change yet: one session").
    width, height : int
        Size in CSS pixels (the chart scales down on narrow screens).
    hide_y : bool
        No y axis (timelines).
    """

    title: str
    description: str
    x: Axis
    y: Axis
    series: list[dict[str, Any]] = field(default_factory=list)
    hlines: list[dict[str, Any]] = field(default_factory=list)
    vlines: list[dict[str, Any]] = field(default_factory=list)
    bands: list[list[float]] = field(default_factory=list)
    note: str = ""
    width: int = 360
    height: int = 280
    hide_y: bool = False
    subtitle: str = ""

    def to_json(self) -> dict[str, Any]:
        """The mapping the report script reads (finite numbers only)."""
        return {"title": self.title, "description": self.description, "x": self.x.to_json(),
                "y": self.y.to_json(), "series": self.series, "hlines": self.hlines, "vlines": self.vlines,
                "bands": self.bands, "note": self.note, "width": self.width, "height": self.height,
                "hideY": self.hide_y, "subtitle": self.subtitle}


def nice_step(span: float, max_ticks: int = MAX_TICKS) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten giving at most ``max_ticks`` ticks.

    Examples
    --------
    >>> nice_step(1.0)
    0.2
    >>> nice_step(37.0)
    10.0
    """
    if not span > 0:
        return 1.0
    raw = span / (max_ticks - 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        if multiple * power >= raw * (1 - 1e-9):
            return round(multiple * power, 12)
    return 10.0 * power


def ticks_between(lo: float, hi: float, integer: bool = False) -> tuple[float, ...]:
    """Evenly spaced round ticks inside ``[lo, hi]``.

    Examples
    --------
    >>> ticks_between(0.0, 1.0)
    (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    >>> ticks_between(1, 9, integer=True)
    (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0)
    """
    step = nice_step(hi - lo, max_ticks=10 if integer else MAX_TICKS)
    if integer:
        step = max(1.0, math.ceil(step))
    first = math.ceil(lo / step - 1e-9) * step
    count = int(math.floor((hi - first) / step + 1e-9)) + 1
    return tuple(round(first + i * step, 10) for i in range(max(count, 0)))


def value_axis(values: Iterable[float], label: str, unit: str = "", bounds: tuple[float, float] | None = None,
               integer: bool = False) -> Axis:
    """A y axis that never overstates change.

    Parameters
    ----------
    values : iterable of float
        The values drawn (NaN ignored).
    label : str
        Axis title.
    unit : str
        The values' unit; a proportion without bounds is drawn 0-1, and :data:`MIN_SPAN`
        gives the smallest span of other units.
    bounds : tuple of float, optional
        The metric's full range (for example an adaptive level's floor and ceiling); the axis
        covers it, and widens only if a value lies outside.
    integer : bool
        Integer ticks.

    Returns
    -------
    Axis

    Examples
    --------
    A change from 2.88 to 3.00 n-back levels is drawn on the 1-9 scale of the level:

    >>> value_axis([2.88, 3.0], "n", bounds=(1, 9), integer=True).lo
    1.0
    >>> axis = value_axis([0.76, 0.81], "RT (s)", unit="s")
    >>> round(axis.hi - axis.lo, 2) >= 0.5
    True
    """
    data = np.array([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if bounds is None and unit == "proportion":
        bounds = (0.0, 1.0)
    if bounds is not None:
        lo = min([float(bounds[0])] + list(data))
        hi = max([float(bounds[1])] + list(data))
        return Axis(label, lo, hi, ticks_between(lo, hi, integer))
    if data.size == 0:
        return Axis(label, 0.0, 1.0, ticks_between(0.0, 1.0))
    low, high = float(data.min()), float(data.max())
    span = max(high - low, MIN_SPAN.get(unit, MIN_RELATIVE_SPAN * max(abs(low), abs(high), 1e-9)),
               1.0 if integer else 0.0)
    middle = (low + high) / 2
    lo, hi = middle - span * 0.6, middle + span * 0.6
    if low >= 0 > lo:  # a quantity that is never negative is not drawn below zero
        lo, hi = 0.0, hi - lo
    step = nice_step(hi - lo)
    if integer:
        step = max(1.0, math.ceil(step))
    lo, hi = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    return Axis(label, lo, hi, ticks_between(lo, hi, integer))


def session_axis(sessions: Sequence[int]) -> Axis:
    """The x axis of a measure over sessions: integer session numbers, half a session of margin."""
    sessions = sorted({int(s) for s in sessions}) or [1]
    lo, hi = sessions[0] - 0.5, sessions[-1] + 0.5
    if len(sessions) <= 12:
        ticks = tuple(float(s) for s in sessions)
    else:
        ticks = tuple(t for t in ticks_between(sessions[0], sessions[-1], integer=True))
    return Axis("Session number", lo, hi, ticks)


def tick_text(value: float, ticks: Sequence[float]) -> str:
    """A tick's text with as many decimals as the ticks need (no "-0").

    Examples
    --------
    >>> tick_text(0.25, [0.0, 0.25, 0.5])
    '0.25'
    >>> tick_text(2.0, [1.0, 2.0, 3.0])
    '2'
    """
    decimals = 0
    for t in ticks:
        while decimals < 4 and abs(round(t, decimals) - t) > 1e-9:
            decimals += 1
    text = f"{value:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text.replace("-", "\u2212")


def points(x: Iterable[float], y: Iterable[float]) -> list[list[float]]:
    """``[[x, y], ...]`` for the finite pairs (the JSON a series holds)."""
    return [[float(a), float(b)] for a, b in zip(x, y)
            if a is not None and b is not None and math.isfinite(a) and math.isfinite(b)]


def series(kind: str, xy: list[list[float]], index: int = 0, label: str = "", **extra: Any) -> dict[str, Any]:
    """A series in the ``index``-th colour and marker of the palette."""
    return {"kind": kind, "xy": xy, "color": OKABE_ITO[index % len(OKABE_ITO)],
            "marker": MARKERS[index % len(MARKERS)], "label": label, **extra}
