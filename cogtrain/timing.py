"""Durations in configs: milliseconds (or, in older configs, frames), shown as whole frames.

A duration ``X`` of a settings model is a pair of fields ``X_ms`` and ``X_frames``;
a config gives one of them. Milliseconds are converted to whole frames at the
refresh rate measured when the window opens (:func:`frames`), so a 500 ms
stimulus is 30 frames at 60 Hz and 72 at 144 Hz. Frames are shown as written,
whatever the refresh rate (see docs/timing.md).
"""
from __future__ import annotations

import math
from typing import Any

MS, FRAMES = "_ms", "_frames"


def frames_for(ms: float, hz: float) -> int:
    """Whole frames closest to ``ms`` milliseconds at ``hz`` (halves round up; a positive time is at least 1).

    Examples
    --------
    >>> [frames_for(500, hz) for hz in (60, 75, 120, 144)]
    [30, 38, 60, 72]
    """
    if ms <= 0:
        return 0
    return max(1, math.floor(ms * hz / 1000 + 0.5 + 1e-9))


def duration_names(fields: Any) -> list[str]:
    """Names ``X`` of the durations among ``fields`` (those with both ``X_ms`` and ``X_frames``)."""
    return [f[:-len(MS)] for f in fields if f.endswith(MS) and f"{f[:-len(MS)]}{FRAMES}" in fields]


def one_unit(data: Any, fields: Any) -> Any:
    """Before validation: a duration given in frames leaves its milliseconds unset; both is an error."""
    if not isinstance(data, dict):
        return data
    for name in duration_names(fields):
        ms, fr = name + MS, name + FRAMES
        if data.get(fr) is not None:
            if data.get(ms) is not None:
                raise ValueError(f"{ms} and {fr} are both given; give the duration once, in milliseconds "
                                 f"({ms}) or frames ({fr})")
            data = {**data, ms: None}
    return data


def other_unit(key: str) -> str | None:
    """The key of the same duration in the other unit (``stimulus_ms`` ↔ ``stimulus_frames``), or None."""
    if key.endswith(MS):
        return key[:-len(MS)] + FRAMES
    if key.endswith(FRAMES):
        return key[:-len(FRAMES)] + MS
    return None


def frames(settings: Any, name: str, hz: float) -> int:
    """Frames of duration ``name`` of ``settings``: its milliseconds at ``hz``, or its frames as written."""
    ms = getattr(settings, name + MS)
    return frames_for(ms, hz) if ms is not None else int(getattr(settings, name + FRAMES))


def durations(settings: dict, hz: float, prefix: str = "") -> dict[str, dict[str, float | int | None]]:
    """Every duration in a settings dump (nested), requested and as shown at ``hz``.

    Returns ``{"study.word": {"requested_ms": 2000, "requested_frames": None,
    "frames": 120, "shown_ms": 2000.0}}``; ``shown_ms`` is frames × the frame period.
    """
    found: dict[str, dict[str, float | int | None]] = {}
    for name in duration_names(settings):
        ms, fr = settings[name + MS], settings[name + FRAMES]
        if ms is None and fr is None:
            continue
        n = frames_for(ms, hz) if ms is not None else int(fr)
        found[prefix + name] = {"requested_ms": ms, "requested_frames": fr, "frames": n,
                                "shown_ms": round(1000 * n / hz, 3)}
    for key, value in settings.items():
        if isinstance(value, dict):
            found.update(durations(value, hz, f"{prefix}{key}."))
    return found
