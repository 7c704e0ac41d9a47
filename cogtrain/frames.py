"""Showing stimuli for a number of frames through a window frontend (used by the tasks' views)."""
from __future__ import annotations

from typing import Any, Sequence


def show_frames(frontend: Any, stims: Sequence[Any], frames: int, screen: str) -> float:
    """Draw ``stims`` on ``frames`` successive frames (at least one), polling the quit keys after each.

    The first frame is saved as screenshot ``screen`` (see ``screenshot_once``).
    Returns the session time of the first flip, when the stimuli appeared.
    """
    onset = None
    for i in range(max(frames, 1)):
        for stim in stims:
            stim.draw()
        if i == 0:
            frontend.screenshot_once(screen)
        t = frontend.flip()
        onset = t if onset is None else onset
        frontend.check_quit()
    return float(onset)
