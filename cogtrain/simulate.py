"""The simulated participant: a frontend with no display, running on a simulated clock.

The model has, per task, an ability (the difficulty level at which it performs
at threshold), log-normally distributed reaction times and a lapse rate. Task
simulators (``tasks/<name>/simulate.py``) turn these into responses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from cogtrain.frontend import Frontend


class SimClock:
    """A clock that only moves when told to: simulated sessions take no real time."""

    def __init__(self, start: float = 0.0):
        self._t = float(start)

    def now(self) -> float:
        """Session seconds."""
        return self._t

    def advance(self, seconds: float) -> float:
        """Let ``seconds`` pass and return the new time."""
        if seconds < 0:
            raise ValueError(f"cannot go back in time ({seconds} s)")
        self._t += seconds
        return self._t


@dataclass
class ParticipantModel:
    """Ability, reaction-time distribution and lapse rate of a simulated participant.

    Parameters
    ----------
    abilities : dict
        Per task, the level at which it performs at threshold.
    rng : numpy.random.Generator
        Source of all randomness.
    rt_median_s, rt_sigma : float
        Reaction times are log-normal with this median and SD of log RT.
    lapse_rate : float
        Probability of a lapse (no response, or a random one) on any trial.
    defaults : dict
        Ability used for tasks missing from ``abilities``.
    learning_rate : float
        Learning model: relative gain in ability per training session done
        (0.04: +4 % of the starting ability per session; 0: no learning).
    practice : int
        Training sessions done before this session.
    """

    abilities: dict[str, float]
    rng: np.random.Generator
    rt_median_s: float = 0.65
    rt_sigma: float = 0.3
    lapse_rate: float = 0.03
    defaults: dict[str, float] = field(default_factory=dict)
    learning_rate: float = 0.0
    practice: int = 0

    def ability(self, task: str) -> float:
        """The task's level at threshold: the starting ability grown linearly with practice.

        Examples
        --------
        >>> model = ParticipantModel({"nback": 3.0}, np.random.default_rng(0), learning_rate=0.05, practice=4)
        >>> round(model.ability("nback"), 6)
        3.6
        """
        start = float(self.abilities.get(task, self.defaults.get(task, 3.0)))
        return start * (1.0 + self.learning_rate * self.practice)

    def rt(self, scale: float = 1.0) -> float:
        """Draw one reaction time in seconds (``scale`` multiplies the median)."""
        return float(self.rt_median_s * scale * math.exp(self.rt_sigma * self.rng.standard_normal()))

    def lapse(self) -> bool:
        """Whether this trial is a lapse."""
        return bool(self.rng.random() < self.lapse_rate)


class SimulatedFrontend(Frontend):
    """Runs a session with the simulated participant and no display.

    Screens take the time a participant would plausibly spend on them; the
    fatigue rating rises slowly with time on task.
    """

    kind = "simulated"
    player_attr = "simulator"
    #: Nominal refresh rate: frame-counted durations pass as on a 60 Hz display.
    frame_rate = 60.0

    def __init__(self, model: ParticipantModel, clock: SimClock, reading_s: float = 4.0,
                 start_wall: datetime | None = None):
        self.model = model
        self.clock = clock
        self._start_wall = start_wall
        self._start_s = clock.now()
        self.rng = model.rng
        self.reading_s = reading_s
        self.screens: list[str] = []

    def start_block(self, seed: np.random.SeedSequence) -> None:
        """Reseed the participant's draws, so a block run again after ``--resume`` gets the same responses."""
        self.rng.bit_generator.state = type(self.rng.bit_generator)(seed).state

    def wall_time(self) -> datetime:
        """Real time, or ``start_wall`` plus simulated time (for back-dated demo sessions)."""
        if self._start_wall is None:
            return super().wall_time()
        return self._start_wall + timedelta(seconds=self.clock.now() - self._start_s)

    def show_pages(self, pages: list[str], screen: str) -> None:
        for i, _ in enumerate(pages):
            self.screens.append(f"{screen}_{i + 1}")
            self.clock.advance(self.reading_s * (0.5 + self.rng.random()))

    def show_message(self, text: str, screen: str, min_duration_s: float = 0.0) -> None:
        self.screens.append(screen)
        self.clock.advance(max(min_duration_s, self.model.rt(scale=3.0)))

    def ask_rating(self, prompt: str, screen: str, low: int = 0, high: int = 10,
                   anchors: tuple[str, str] = ("", "")) -> int:
        self.screens.append(screen)
        self.clock.advance(self.model.rt(scale=4.0))
        fatigue = 2.0 + self.clock.now() / 900.0 + self.rng.normal(0.0, 1.0)
        return int(min(max(round(fatigue), low), high))

    def ask_choice(self, prompt: str, options: list[str], screen: str) -> int:
        self.screens.append(screen)
        self.clock.advance(self.model.rt(scale=4.0))
        return int(self.rng.integers(len(options)))
