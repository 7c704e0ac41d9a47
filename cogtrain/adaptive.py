"""Display-free adaptive difficulty: a k-down/1-up staircase and the carry-over rule.

The staircase follows Levitt (1971): after ``down`` consecutive successes the
level rises by ``step`` (harder), after ``up`` consecutive failures it falls by
``step``; a change of direction is a reversal. A 2-down/1-up rule converges on
the level at which the participant succeeds ~70.7 % of the time.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from pydantic import Field, model_validator

from cogtrain.strict import StrictModel


class StaircaseSettings(StrictModel):
    """Settings of a staircase, as written in a config file."""

    start: int = Field(description="Level of a participant's first session.")
    floor: int = Field(description="Easiest level allowed.")
    ceiling: int = Field(description="Hardest level allowed.")
    step: int = Field(1, ge=1, description="Levels moved per change.")
    down: int = Field(2, ge=1, description="Consecutive successes before the level rises.")
    up: int = Field(1, ge=1, description="Consecutive failures before the level falls.")
    carryover: Literal["continue", "warmup"] = Field(
        "continue",
        description="Next session starts at the level reached (continue) or one step lower (warmup).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> "StaircaseSettings":
        if not self.floor <= self.start <= self.ceiling:
            raise ValueError(
                f"needs floor <= start <= ceiling, got floor={self.floor}, "
                f"start={self.start}, ceiling={self.ceiling}"
            )
        return self


@dataclass
class Staircase:
    """A k-down/1-up staircase over integer difficulty levels.

    Examples
    --------
    >>> s = Staircase(level=2, floor=1, ceiling=9, down=2, up=1)
    >>> s.update(True)    # one success of the two needed to step up
    2
    >>> s.update(True)
    3
    >>> s.update(False), s.reversals
    (2, 1)
    """

    level: int
    floor: int
    ceiling: int
    step: int = 1
    down: int = 2
    up: int = 1
    successes: int = 0
    failures: int = 0
    reversals: int = 0
    last_direction: int = 0
    history: list[int] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: StaircaseSettings, carried: dict | None = None) -> "Staircase":
        """Start a session's staircase at the level carried from the last session, if any."""
        level = settings.start
        if carried and "level" in carried:
            level = _whole(carried["level"], "level")
            if settings.carryover == "warmup":
                level -= settings.step
        level = min(max(level, settings.floor), settings.ceiling)
        return cls(level=level, floor=settings.floor, ceiling=settings.ceiling,
                   step=settings.step, down=settings.down, up=settings.up)

    def update(self, success: bool) -> int:
        """Record one outcome and return the (possibly changed) level."""
        self.history.append(self.level)
        if success:
            self.successes, self.failures = self.successes + 1, 0
            if self.successes >= self.down:
                self.successes = 0
                self._move(+1)
        else:
            self.failures, self.successes = self.failures + 1, 0
            if self.failures >= self.up:
                self.failures = 0
                self._move(-1)
        return self.level

    def move(self, direction: int) -> int:
        """Apply a task-specific decision directly: +1 harder, -1 easier, 0 stay."""
        self.history.append(self.level)
        if direction:
            self._move(1 if direction > 0 else -1)
        return self.level

    def _move(self, direction: int) -> None:
        new = min(max(self.level + direction * self.step, self.floor), self.ceiling)
        if self.last_direction and direction != self.last_direction:
            self.reversals += 1
        self.last_direction = direction
        self.level = new

    def to_dict(self) -> dict:
        """Serialisable state (for session snapshots and state.json)."""
        return asdict(self)

    @classmethod
    def restore(cls, data: dict, settings: StaircaseSettings) -> "Staircase":
        """Inverse of :meth:`to_dict` for a staircase of ``settings``.

        The rule (floor, ceiling, step, down, up) comes from the settings and the
        level is kept within floor and ceiling, whatever the saved data say.
        ValueError names the first key that is not what :meth:`to_dict` writes.
        """
        if not isinstance(data, dict):
            raise ValueError(f"staircase: {type(data).__name__}, expected a mapping")
        counts = {key: _whole(data.get(key, 0), key) for key in ("successes", "failures", "reversals")}
        direction = _whole(data.get("last_direction", 0), "last_direction")
        history = data.get("history", [])
        if not isinstance(history, list):
            raise ValueError(f"history: {type(history).__name__}, expected a list of levels")
        level = min(max(_whole(data.get("level"), "level"), settings.floor), settings.ceiling)
        return cls(level=level, floor=settings.floor, ceiling=settings.ceiling, step=settings.step,
                   down=settings.down, up=settings.up, last_direction=max(-1, min(1, direction)),
                   history=[_whole(h, "history") for h in history],
                   **{key: max(0, value) for key, value in counts.items()})


def _whole(value: object, key: str) -> int:
    """``value`` if it is a whole number (not a boolean), else ValueError naming ``key``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key}: {value!r} is not a whole number")
    return value
