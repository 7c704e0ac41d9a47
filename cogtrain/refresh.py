"""The display's refresh rate, measured from flip intervals when the window opens — or why it was not.

Frame-counted durations are right only at a known, steady refresh rate. A
measurement is ``measured`` when the intervals agree with their median and the
rate lies within :data:`MIN_HZ`–:data:`MAX_HZ`; otherwise it is recorded as
``unmeasured`` (no intervals), ``unstable`` or ``out_of_range``, never as an
assumed 60 Hz (see docs/timing.md).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Sequence

#: Plausible refresh rates of a participant's monitor.
MIN_HZ, MAX_HZ = 50.0, 240.0
#: Intervals needed for a measurement.
MIN_INTERVALS = 20
#: Share of intervals that must lie within :data:`TOLERANCE` of the median.
STEADY_SHARE = 0.8
TOLERANCE = 0.1
#: A measured rate this far (relative) from an earlier run's is a changed display.
CHANGE_TOLERANCE = 0.03


@dataclass(frozen=True)
class Refresh:
    """One refresh-rate measurement.

    Attributes
    ----------
    status : str
        ``measured``, ``unmeasured``, ``unstable`` or ``out_of_range``.
    measured_hz : float or None
        1 / median interval (None when nothing was measured).
    detail : str
        What was found, in words for the researcher.
    """

    status: str
    measured_hz: float | None
    detail: str

    @property
    def ok(self) -> bool:
        """Whether frame counts can be trusted at this rate."""
        return self.status == "measured"

    def record(self, converted_at_hz: float) -> dict:
        """The entry of ``session.json``: the measurement and the rate durations were converted at."""
        return {"status": self.status,
                "measured_hz": None if self.measured_hz is None else round(self.measured_hz, 2),
                "detail": self.detail, "converted_at_hz": round(converted_at_hz, 2),
                "assumed": not self.ok}


def classify(intervals_s: Sequence[float]) -> Refresh:
    """Judge flip intervals (seconds) measured at window opening."""
    intervals = [float(t) for t in intervals_s if t > 0]
    if len(intervals) < MIN_INTERVALS:
        return Refresh("unmeasured", None, f"only {len(intervals)} frame intervals could be measured "
                                           f"(at least {MIN_INTERVALS} are needed)")
    median = statistics.median(intervals)
    hz = 1.0 / median
    steady = sum(abs(t - median) <= TOLERANCE * median for t in intervals) / len(intervals)
    if steady < STEADY_SHARE:
        return Refresh("unstable", hz, f"only {100 * steady:.0f} % of {len(intervals)} frame intervals lie "
                                       f"within {100 * TOLERANCE:.0f} % of their median ({1000 * median:.2f} ms)")
    if not MIN_HZ <= hz <= MAX_HZ:
        return Refresh("out_of_range", hz, f"the display flips at {hz:.0f} Hz, outside {MIN_HZ:.0f}-{MAX_HZ:.0f} Hz "
                                           "(no vsync, or a virtual display)")
    return Refresh("measured", hz, f"{hz:.2f} Hz from {len(intervals)} frame intervals")


def changed(previous: dict | None, current: dict) -> bool:
    """Whether a run's refresh record differs from an earlier run's (status, or rate by > 3 %)."""
    if not previous:
        return False
    if previous.get("status") != current.get("status"):
        return True
    before, now = previous.get("measured_hz"), current.get("measured_hz")
    return before is not None and now is not None and abs(now - before) > CHANGE_TOLERANCE * before
