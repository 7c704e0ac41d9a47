"""Typed n-back settings, validated once when the battery is loaded.

Defaults follow Jaeggi et al. (2008, PNAS 105:6829) for timing and the
adaptive rule, and Brain Workshop for the block length (20 + n² trials).
``defaults.yaml`` beside this file documents every key for researchers.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from cogtrain.adaptive import StaircaseSettings
from cogtrain.keynames import KeyName
from cogtrain.strict import StrictModel
from cogtrain.task import TaskSettings

#: Lowest and highest n the task supports.
N_MIN, N_MAX = 1, 9

#: Modalities in the order their log columns are written.
MODALITIES: tuple[str, ...] = ("letter", "position")

#: Brain Workshop's default letter set: eight consonants, as many as Jaeggi et al.
#: (2008) used, distinct in shape in a plain sans-serif font and mostly distinct in
#: sound when rehearsed (no vowels, no B/D/P/V/G/Z group). Replace them in the config
#: for another language.
DEFAULT_LETTERS: tuple[str, ...] = ("C", "H", "K", "L", "Q", "R", "S", "T")


class LevelSettings(StaircaseSettings):
    """Where n starts, its limits, and how it carries over between sessions.

    ``step``, ``down`` and ``up`` are used by the ``staircase`` rule; ``step``
    also sets how far ``carryover: warmup`` drops the level.
    """

    start: int = Field(2, ge=N_MIN, le=N_MAX, description="n of a participant's first session.")
    floor: int = Field(1, ge=N_MIN, le=N_MAX, description="Lowest n the rule may reach.")
    ceiling: int = Field(N_MAX, ge=N_MIN, le=N_MAX, description="Highest n the rule may reach.")


class AdaptiveSettings(StrictModel):
    """How n changes from block to block."""

    rule: Literal["jaeggi", "staircase", "fixed"] = Field(
        "jaeggi", description="jaeggi: error counts per modality; staircase: k-down/1-up on "
                              "block accuracy; fixed: n never changes.")
    advance_below: int = Field(3, ge=1, le=50,
                               description="jaeggi: n+1 when every modality has fewer errors than this.")
    fallback_above: int = Field(5, ge=0, le=50,
                                description="jaeggi: n-1 when any modality has more errors than this.")
    criterion: float = Field(0.8, gt=0, le=1,
                             description="staircase: a block succeeds when its accuracy reaches this.")

    @model_validator(mode="after")
    def _band(self) -> "AdaptiveSettings":
        if self.fallback_above < self.advance_below - 1:
            raise ValueError(
                f"fallback_above ({self.fallback_above}) must be at least advance_below - 1 "
                f"({self.advance_below - 1}), otherwise one block could both raise and lower n")
        return self


class KeySettings(StrictModel):
    """Response key per modality (single mode uses the key of its modality)."""

    position: KeyName = Field("a", description="Pressed when the square is where it was n steps back.")
    letter: KeyName = Field("l", description="Pressed when the letter is the one n steps back.")


class PracticeSettings(StrictModel):
    """The practice block (block 0) at the start of every session."""

    enabled: bool = True
    n: int = Field(1, ge=N_MIN, le=N_MAX,
                   description="n of the practice block (at most the session's start level).")
    trials: int = Field(12, ge=4, le=200, description="Trials in the practice block.")
    feedback: bool = Field(True, description="Say after each practice trial whether it was right.")
    feedback_ms: float | None = Field(1000.0, gt=0, le=60000, description="Time the per-trial feedback stays up.")
    feedback_frames: int | None = Field(None, ge=1, le=3600, description="The same in frames (older configs).")


class NbackSettings(TaskSettings):
    """All parameters of the n-back task.

    Examples
    --------
    >>> s = NbackSettings(mode="single", modality="letter")
    >>> s.modalities()
    ('letter',)
    >>> s.trials_for(3)
    29
    """

    mode: Literal["single", "dual"] = Field("dual", description="One stream or position + letter.")
    modality: Literal["letter", "position"] = Field("position", description="The stream in single mode.")
    blocks: int = Field(6, ge=1, le=40, description="Training blocks per session (practice not counted).")
    trials_per_block: int | None = Field(
        None, ge=5, le=400, description="Trials per block; null: Brain Workshop's 20 + n².")
    target_rate: float = Field(0.3, ge=0, le=0.5,
                               description="Share of scorable trials that are targets, per modality.")
    lure_rate: float = Field(0.1, ge=0, le=0.5,
                             description="Share of scorable trials that are n-1/n+1 lures, per modality.")
    stimulus_ms: float | None = Field(500.0, gt=0, le=60000, description="Time the stimulus is shown.")
    stimulus_frames: int | None = Field(None, ge=1, le=3600, description="The same in frames (older configs).")
    isi_ms: float | None = Field(2500.0, gt=0, le=60000, description="Blank time after the stimulus.")
    isi_frames: int | None = Field(None, ge=1, le=3600, description="The same in frames (older configs).")
    letters: list[str] = Field(list(DEFAULT_LETTERS), min_length=6, max_length=26,
                               description="Letters shown (at least 6: plain trials avoid every match).")
    keys: KeySettings = Field(default_factory=KeySettings)
    level: LevelSettings = Field(default_factory=LevelSettings)
    adaptive: AdaptiveSettings = Field(default_factory=AdaptiveSettings)
    practice: PracticeSettings = Field(default_factory=PracticeSettings)
    letter_height: float = Field(0.3, ge=0.05, le=0.6,
                                 description="Letter height, fraction of screen height.")
    grid_size: float = Field(0.75, ge=0.3, le=0.95, description="Grid side, fraction of screen height.")

    @field_validator("letters")
    @classmethod
    def _letters(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not (isinstance(v, str) and len(v) == 1 and v.isalpha()
                                        and len(v.upper()) == 1)]  # 'ß' upper-cases to 'SS'
        if bad:
            raise ValueError(f"letters must be single letters that stay one letter in upper case, got {bad}")
        upper = [v.upper() for v in value]
        if len(set(upper)) != len(upper):
            raise ValueError("letters must all differ")
        return upper

    @model_validator(mode="after")
    def _consistent(self) -> "NbackSettings":
        if self.mode == "dual" and self.keys.position == self.keys.letter:
            raise ValueError(f"keys.position and keys.letter are both {self.keys.letter!r}; "
                             "dual mode needs two different keys")
        if self.target_rate + self.lure_rate > 0.6:
            raise ValueError(f"target_rate + lure_rate is {self.target_rate + self.lure_rate:.2f}; "
                             "at most 0.6 leaves room for plain trials")
        n = self.level.ceiling
        if self.trials_for(n) - n < 4:
            raise ValueError(f"trials_per_block={self.trials_per_block} leaves fewer than 4 "
                             f"scorable trials at n={n} (level.ceiling); use at least {n + 4}")
        n = self.practice.n
        if self.practice.enabled and self.practice.trials - n < 4:
            raise ValueError(f"practice.trials={self.practice.trials} leaves fewer than 4 "
                             f"scorable trials at practice.n={n}; use at least {n + 4}")
        return self

    def modalities(self) -> tuple[str, ...]:
        """The modalities of this task, in log-column order."""
        return MODALITIES if self.mode == "dual" else (self.modality,)

    def variant(self) -> str:
        """``dual``, ``single_letter`` or ``single_position``: the n reached carries over within one."""
        return "dual" if self.mode == "dual" else f"single_{self.modality}"

    def trials_for(self, n: int, practice: bool = False) -> int:
        """Trials in a block at level ``n``.

        Brain Workshop's default: 20 + n² trials per block (its config.ini,
        NUM_TRIALS = 20, NUM_TRIALS_FACTOR = 1, NUM_TRIALS_EXPONENT = 2).
        """
        if practice:
            return self.practice.trials
        if self.trials_per_block is not None:
            return self.trials_per_block
        return 20 + n ** 2
