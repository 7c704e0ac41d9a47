"""Typed symbol-digit settings, validated once when the battery is loaded.

``defaults.yaml`` beside this file documents every key for researchers.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from cogtrain.adaptive import StaircaseSettings
from cogtrain.keynames import KeyName
from cogtrain.strict import StrictModel
from cogtrain.task import TaskSettings

#: Digits answered with, in order: a key of ``k`` pairs uses the digits 1..k.
DIGITS: tuple[int, ...] = tuple(range(1, 10))
#: Fewest pairs of a key (the first levels of the ``key_size`` and ``both`` rules).
MIN_PAIRS = 3
#: Per-item deadlines of the default ladder, in ms: each about 15 % shorter than the one before.
DEFAULT_DEADLINES_MS: tuple[int, ...] = (6000, 5000, 4200, 3600, 3100, 2700, 2300, 2000, 1700, 1450, 1250,
                                         1100, 950, 800)


class Level(StrictModel):
    """One rung of the adaptive ladder: key size and per-item deadline (None: no deadline)."""

    pairs: int
    deadline_ms: int | None


class LevelSettings(StaircaseSettings):
    """Where the level starts, its limits and how it carries over (levels count from 1)."""

    start: int = Field(1, ge=1, description="Level of a participant's first training session.")
    floor: int = Field(1, ge=1, description="Easiest level the rule may reach.")
    ceiling: int = Field(20, ge=1, description="Hardest level the rule may reach (at most the rule's number of levels).")
    down: int = Field(1, ge=1, description="Successful blocks in a row before the level rises.")
    up: int = Field(1, ge=1, description="Failed blocks in a row before the level falls.")


class AdaptiveSettings(StrictModel):
    """How training blocks get harder or easier."""

    rule: Literal["deadline", "key_size", "both", "fixed"] = Field(
        "both", description="deadline: shorter time per symbol; key_size: more pairs (3 to 9); both: the key "
                            "grows first, then the time shortens; fixed: the start level stays.")
    criterion: float = Field(0.85, gt=0, le=1,
                             description="A block succeeds when this share of its symbols was answered right.")
    deadlines_ms: list[int] = Field(list(DEFAULT_DEADLINES_MS), min_length=1, max_length=40,
                                    description="Per-item deadlines of the ladder, longest first, in ms.")
    key_size_deadline_ms: int | None = Field(
        None, ge=300, le=60000, description="key_size rule: the per-item deadline (null: none).")

    @field_validator("deadlines_ms")
    @classmethod
    def _decreasing(cls, value: list[int]) -> list[int]:
        if any(not 300 <= v <= 60000 for v in value):
            raise ValueError(f"deadlines must be 300 to 60000 ms, got {value}")
        if any(b >= a for a, b in zip(value, value[1:])):
            raise ValueError(f"deadlines must get shorter from one level to the next, got {value}")
        return value

    def ladder(self) -> list[Level]:
        """Every level of this rule, easiest first (level 1 is ``ladder()[0]``).

        Examples
        --------
        >>> rungs = AdaptiveSettings(rule="both", deadlines_ms=[5000, 4000]).ladder()
        >>> [(r.pairs, r.deadline_ms) for r in rungs]
        [(3, 5000), (4, 5000), (5, 5000), (6, 5000), (7, 5000), (8, 5000), (9, 5000), (9, 4000)]
        """
        grow = [Level(pairs=p, deadline_ms=self.deadlines_ms[0]) for p in range(MIN_PAIRS, len(DIGITS) + 1)]
        speed = [Level(pairs=len(DIGITS), deadline_ms=d) for d in self.deadlines_ms]
        if self.rule == "key_size":
            return [Level(pairs=p, deadline_ms=self.key_size_deadline_ms) for p in range(MIN_PAIRS, len(DIGITS) + 1)]
        if self.rule == "both":
            return grow + speed[1:]
        return speed


class KeySettings(StrictModel):
    """Response keys: one per digit 1 to 9."""

    digits: list[KeyName] = Field([str(d) for d in DIGITS], min_length=9, max_length=9,
                                  description="Keys answering 1, 2, ... 9, in that order.")

    @field_validator("digits")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError(f"the nine digit keys must all differ, got {value}")
        return value


class TrainingSettings(StrictModel):
    """Training mode: adaptive blocks of a fixed number of symbols."""

    blocks: int = Field(6, ge=1, le=40, description="Training blocks per session.")
    items_per_block: int = Field(20, ge=5, le=200, description="Symbols per training block.")


class MotorSettings(StrictModel):
    """The motor-control block: a digit is shown and the same digit is answered."""

    enabled: bool = True
    items: int = Field(18, ge=5, le=200, description="Digits in the block.")


class PracticeSettings(StrictModel):
    """The practice block before the symbol blocks, with feedback after each answer."""

    enabled: bool = True
    items: int = Field(6, ge=2, le=50, description="Symbols in the practice block.")
    feedback_ms: int = Field(1200, ge=100, le=10000, description="How long the feedback line stays, in ms.")


class IncidentalSettings(StrictModel):
    """Incidental learning: after the last block, each symbol of the key without the key."""

    enabled: bool = False


class SymbolDigitSettings(TaskSettings):
    """All parameters of the symbol-digit task.

    Examples
    --------
    >>> s = SymbolDigitSettings(mode="assessment")
    >>> s.mode, s.keys.digits[0]
    ('assessment', '1')
    """

    mode: Literal["training", "assessment"] = Field(
        "training", description="training: adaptive blocks; assessment: one fixed 90-s block, 9 pairs, no deadline.")
    training: TrainingSettings = Field(default_factory=TrainingSettings)
    level: LevelSettings = Field(default_factory=LevelSettings)
    adaptive: AdaptiveSettings = Field(default_factory=AdaptiveSettings)
    motor_control: MotorSettings = Field(default_factory=MotorSettings)
    practice: PracticeSettings = Field(default_factory=PracticeSettings)
    incidental: IncidentalSettings = Field(default_factory=IncidentalSettings)
    keys: KeySettings = Field(default_factory=KeySettings)
    buttons: Literal["row", "keypad", "none"] = Field(
        "row", description="On-screen digit buttons: a row under the symbol, a 3x3 keypad beside it, or none.")
    gap_ms: int = Field(150, ge=0, le=5000, description="Blank time between two items, in ms.")
    item_limit_ms: int = Field(30000, ge=1000, le=600000,
                               description="Items without a deadline (assessment, motor, recall) end after this.")

    @model_validator(mode="after")
    def _ladder_fits(self) -> "SymbolDigitSettings":
        rungs = len(self.adaptive.ladder())
        if self.level.ceiling > rungs:
            raise ValueError(f"level.ceiling is {self.level.ceiling} but the {self.adaptive.rule!r} rule has "
                             f"{rungs} levels; use at most {rungs}")
        return self
