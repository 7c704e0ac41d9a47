"""What the session runner asks of a frontend (a PsychoPy window or a simulated participant)."""
from __future__ import annotations

import abc
from datetime import datetime, timezone
from typing import Any

import numpy as np

from cogtrain.registry import load_object
from cogtrain.task import Clock, TaskSpec


class Frontend(abc.ABC):
    """Generic screens and the factory of task players.

    Every screen is self-paced unless stated otherwise; ``screen`` is a short
    stable name used for screenshots (``--screenshots``).
    """

    clock: Clock
    kind: str  # "window" or "simulated", recorded in session.json
    frame_rate: float  # Hz: durations in milliseconds are converted to frames at this rate
    #: The display's refresh measurement (cogtrain.refresh.Refresh); None without a display.
    refresh: Any = None
    #: Window size in pixels, recorded per run (None: no display).
    screen_size: list[int] | None = None
    #: Attribute of TaskSpec naming this frontend's player class ("view" or "simulator").
    player_attr: str

    @abc.abstractmethod
    def show_pages(self, pages: list[str], screen: str) -> None:
        """Show instruction pages; the participant moves forward (and back) at their own pace."""

    @abc.abstractmethod
    def show_message(self, text: str, screen: str, min_duration_s: float = 0.0) -> None:
        """Show a message until the continue key (not before ``min_duration_s``)."""

    @abc.abstractmethod
    def ask_rating(self, prompt: str, screen: str, low: int = 0, high: int = 10,
                   anchors: tuple[str, str] = ("", "")) -> int | None:
        """Ask for an integer rating on a ``low``–``high`` scale; ``anchors`` label its two ends.

        None when the participant skipped the question.
        """

    def display_problem(self) -> str | None:
        """Why the screens cannot be shown on this display (None: they can)."""
        return None

    @abc.abstractmethod
    def ask_choice(self, prompt: str, options: list[str], screen: str) -> int:
        """Ask the participant to choose one of ``options`` (nothing chosen beforehand); return its index."""

    def show_summary(self, text: str, screen: str) -> None:
        """Show the last screen of a session; nothing follows it (a window closes after it)."""
        self.show_message(text, screen=screen)

    def start_block(self, seed: np.random.SeedSequence) -> None:
        """Called before every block with a seed of that block (nothing to do by default)."""

    def wall_time(self) -> datetime:
        """Date and time of day (UTC) recorded in session.json."""
        return datetime.now(timezone.utc)

    def make_player(self, spec: TaskSpec, settings: Any) -> Any:
        """Build the task's player for this frontend (its view, or its simulator)."""
        return load_object(getattr(spec, self.player_attr))(self, settings)

    def close(self) -> None:
        """Release the display (nothing to do by default)."""
