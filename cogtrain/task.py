"""What a task provides to the battery: its spec (registered once) and a per-session run.

A task folder ``tasks/<name>/`` defines a :class:`TaskSpec` called ``TASK`` in
its ``__init__.py``. The session runner only talks to tasks through this module.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np
import pandas as pd

from cogtrain.strict import StrictModel
from cogtrain.triallog import TrialLog


class TaskSettings(StrictModel):
    """Base of every task's typed settings: unknown keys are errors."""

    instructions: list[str] = []
    """Pages of self-paced instructions shown before the task (empty: the task's own)."""


@dataclass(frozen=True)
class Block:
    """One block of a task within a session.

    Attributes
    ----------
    number : int
        Value written to the ``block`` column (practice blocks are numbered 0).
    practice : bool
        Practice rows are logged with ``practice=1`` and left out of scores.
    deferred : bool
        Runs after every task's regular blocks (e.g. delayed recall at the end).
    label : str
        Short name for screens and screenshots ("practice", "main", "delayed").
    """

    number: int
    practice: bool = False
    deferred: bool = False
    label: str = "main"


class Clock(Protocol):
    """Session time in seconds since the session started."""

    def now(self) -> float: ...


@dataclass
class TaskContext:
    """What a task run may know about its session.

    ``frame_rate`` (Hz) converts durations in milliseconds to frames
    (:func:`cogtrain.timing.frames`); the session passes its frontend's.
    """

    participant: str
    session: int
    clock: Clock
    seed: int
    frame_rate: float = 60.0


class TaskRun(abc.ABC):
    """One task inside one session: plans blocks and runs each through a player.

    Parameters
    ----------
    ctx : TaskContext
        Participant, session, clock and seed.
    settings : TaskSettings
        The task's validated settings.
    carried : dict or None
        This task's entry of ``state.json`` from earlier sessions (None at first).
    snapshot : dict or None
        Progress saved after the last finished block of this session, when resuming.
    """

    def __init__(self, ctx: TaskContext, settings: Any, carried: dict | None,
                 snapshot: dict | None = None):
        self.ctx = ctx
        self.settings = settings
        self.carried = carried or {}

    @abc.abstractmethod
    def blocks(self) -> list[Block]:
        """All blocks of this session, in order (deferred blocks run last)."""

    @abc.abstractmethod
    def run_block(self, block: Block, player: Any, log: TrialLog, rng: np.random.Generator) -> None:
        """Run one block through ``player`` (window view or simulator), one log row per trial."""

    def instructions(self) -> list[str]:
        """Pages shown before the first block (settings.instructions overrides them)."""
        return list(self.settings.instructions)

    def block_intro(self, block: Block) -> str | None:
        """Text shown before a block, e.g. "Practice" (None: straight into the block)."""
        return None

    def block_feedback(self, block: Block) -> str | None:
        """Text shown after a block (None: no feedback screen)."""
        return None

    @abc.abstractmethod
    def carried_state(self) -> dict:
        """This task's entry for ``state.json``, carried to the next session."""

    @abc.abstractmethod
    def snapshot(self) -> dict:
        """Within-session progress, saved after every block so ``--resume`` can continue."""


@dataclass(frozen=True)
class TaskSpec:
    """Everything the battery needs to know about a task, declared in one place.

    Attributes
    ----------
    name : str
        Identifier used in configs, file names (``<name>.csv``) and scores.
    title : str
        Human-readable name for screens and reports.
    domain : str
        Cognitive domain for composites ("working_memory", "planning", "verbal_memory").
    settings_model : type[TaskSettings]
        Pydantic model of the task's parameters (ranges, defaults).
    defaults : Path
        The task's documented ``defaults.yaml``.
    columns : callable
        ``columns(settings) -> list[str]``: task-specific log columns, fixed at open.
    run : type[TaskRun]
        The session logic.
    view : str
        ``"module:Class"`` of the PsychoPy player, imported only when a window is used.
    simulator : str
        ``"module:Class"`` of the simulated participant's player.
    metrics : callable
        ``metrics(df) -> DataFrame`` with columns participant, session, task, metric, value,
        from the task's scored rows of any number of sessions.
    curves : callable or None
        ``curves(df) -> DataFrame`` with participant, session, task, curve, x, value.
    metric_names : tuple of str
        Metrics the task always reports.
    sim_ability : float
        Level at threshold of the simulated participant when the config gives none.
    """

    name: str
    title: str
    domain: str
    settings_model: type[TaskSettings]
    defaults: Path
    columns: Callable[[Any], Sequence[str]]
    run: type[TaskRun]
    view: str
    simulator: str
    metrics: Callable[[pd.DataFrame], pd.DataFrame]
    curves: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    metric_names: tuple[str, ...] = field(default=())
    sim_ability: float = 3.0
