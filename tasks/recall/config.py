"""Typed settings of the word-list recall task, validated once when the battery is loaded.

``defaults.yaml`` beside this file documents every key for researchers.
"""
from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from cogtrain.adaptive import StaircaseSettings
from cogtrain.errors import CogtrainError
from cogtrain.keynames import KeyName
from cogtrain.strict import StrictModel
from cogtrain.task import TaskSettings
from cogtrain.tasks.recall.pool import load_pool, pool_path, shipped_pools

#: Shortest and longest lists the task supports (words).
LENGTH_MIN, LENGTH_MAX = 3, 30

#: Key names as PsychoPy reports them that cannot be confused with typing.
_CONTROL_KEY = re.compile(r"^(tab|end|home|insert|delete|pagedown|pageup|up|down|left|right|"
                          r"f[1-9]|f1[0-2]|lctrl|rctrl|num_enter)$")


class LengthSettings(StaircaseSettings):
    """List length (words) and its staircase, carried across sessions.

    With ``down: 1, up: 1`` and ``criterion: 0.5`` the length converges on the
    length at which the participant recalls half of the words (Levitt, 1971).
    """

    start: int = Field(8, ge=LENGTH_MIN, le=LENGTH_MAX, description="Words per list at the first session.")
    floor: int = Field(6, ge=LENGTH_MIN, le=LENGTH_MAX, description="Shortest list.")
    ceiling: int = Field(24, ge=LENGTH_MIN, le=LENGTH_MAX, description="Longest list.")
    down: int = Field(1, ge=1, description="Lists at criterion in a row before the list grows.")
    up: int = Field(1, ge=1, description="Lists below criterion in a row before the list shrinks.")
    criterion: float = Field(0.5, gt=0, le=1,
                             description="A list succeeds when this proportion is recalled at its first "
                                         "learning trial.")


class StudySettings(StrictModel):
    """How the words are shown (times in milliseconds; frames, in older configs, at any refresh rate)."""

    word_ms: float | None = Field(2000.0, ge=100, le=60000, description="Time each word stays on screen.")
    word_frames: int | None = Field(None, ge=6, le=3600, description="The same in frames (older configs).")
    isi_ms: float | None = Field(500.0, ge=0, le=60000, description="Blank time between words.")
    isi_frames: int | None = Field(None, ge=0, le=3600, description="The same in frames (older configs).")
    word_height: float = Field(0.12, ge=0.03, le=0.4, description="Word height, fraction of screen height.")


class DistractorSettings(StrictModel):
    """Simple additions between study and recall (stops rehearsal of the last words)."""

    enabled: bool = True
    duration_s: float = Field(15.0, ge=1, le=300, description="Length of the arithmetic interval.")
    max_operand: int = Field(9, ge=2, le=99, description="Problems are a + b with 1 <= a, b <= this.")


class RecallPeriodSettings(StrictModel):
    """The typed free-recall screen."""

    time_limit_s: float = Field(180.0, ge=10, le=1800, description="Recall ends by itself after this long.")
    done_key: str = Field("tab", description="Pressed twice, ends recall before the time limit (not a letter).")
    max_entry_length: int = Field(30, ge=5, le=80, description="Characters accepted per typed word.")
    typo_max_distance: int = Field(2, ge=0, le=3,
                                   description="Most edits a misspelling may have (1 per 4 letters, at least 1).")

    @field_validator("done_key")
    @classmethod
    def _control(cls, value: str) -> str:
        value = value.strip().lower() if isinstance(value, str) else value
        if not isinstance(value, str) or not _CONTROL_KEY.match(value):
            raise ValueError("expected a key that is not used for typing, such as 'tab', 'end', 'down' or 'f10'")
        return value


class DelayedSettings(StrictModel):
    """Delayed recall of the session's lists, after every other task of the battery."""

    enabled: bool = True
    min_delay_s: float = Field(600.0, ge=0, le=7200,
                               description="Shortest time from the last immediate recall; the participant "
                                           "waits if needed.")


class RecognitionSettings(StrictModel):
    """Old/new recognition after the delayed recall."""

    enabled: bool = False
    old_items: int = Field(12, ge=2, le=100, description="Studied words tested (at most all of them).")
    old_key: KeyName = Field("y", description="Key for 'I studied this word' (not the arrow that means "
                                               "'go back' on other screens).")
    new_key: KeyName = Field("n", description="Key for 'this word is new'.")
    time_limit_s: float = Field(30.0, ge=1, le=600, description="Longest wait for an answer (self-paced below it).")

    @model_validator(mode="after")
    def _two_keys(self) -> "RecognitionSettings":
        if self.old_key == self.new_key:
            raise ValueError(f"old_key and new_key are both {self.old_key!r}; they must differ")
        return self


class RecallSettings(TaskSettings):
    """All parameters of the word-list recall task.

    Examples
    --------
    >>> s = RecallSettings(lists=2, learning_trials=3)
    >>> s.lists * s.learning_trials
    6
    """

    pool: str = Field("en", min_length=1, description="Word pool: a shipped name (en) or a path to a .tsv file.")
    lists: int = Field(2, ge=1, le=12, description="Different word lists per session.")
    learning_trials: int = Field(1, ge=1, le=8,
                                 description="Study-recall repetitions of each list (CVLT-style learning).")
    practice_length: int = Field(4, ge=0, le=10, description="Words of the practice list (0: no practice).")
    length: LengthSettings = Field(default_factory=LengthSettings)
    study: StudySettings = Field(default_factory=StudySettings)
    distractor: DistractorSettings = Field(default_factory=DistractorSettings)
    recall: RecallPeriodSettings = Field(default_factory=RecallPeriodSettings)
    delayed: DelayedSettings = Field(default_factory=DelayedSettings)
    recognition: RecognitionSettings = Field(default_factory=RecognitionSettings)
    match_zipf: float = Field(0.15, gt=0, le=2,
                              description="Largest gap of a list's mean Zipf frequency to the pool's.")
    match_length: float = Field(0.5, gt=0, le=5,
                                description="Largest gap of a list's mean length to the pool's (letters).")
    feedback: bool = Field(True, description="Say after each list how many words were recalled.")

    @field_validator("pool")
    @classmethod
    def _pool_readable(cls, value: str) -> str:
        """Read the pool as a session will: a regular UTF-8 file, size capped, with its columns and numbers."""
        if not pool_path(value).exists():
            raise ValueError(f"no word pool {value!r}; expected one of {', '.join(shipped_pools())} "
                             "or the path of a .tsv file")
        try:
            load_pool(value)
        except CogtrainError as exc:
            raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "RecallSettings":
        if self.recognition.enabled and not self.delayed.enabled:
            raise ValueError("recognition.enabled needs delayed.enabled (recognition follows the delayed recall)")
        needed = self.practice_length + self.lists * self.length.ceiling
        words = len(load_pool(self.pool))
        if words < needed:
            raise ValueError(f"pool {self.pool!r} has {words} words; a session may need {needed} "
                             f"(practice_length + lists x length.ceiling): use a larger pool or fewer, shorter lists")
        return self
