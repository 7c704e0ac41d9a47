"""What a task provides to the battery: its spec (registered once) and its part of each session.

A task folder ``tasks/<name>/`` defines a :class:`TaskSpec` called ``TASK`` in
its ``__init__.py``. The session runner only talks to tasks through this module.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping, Protocol, Sequence

import numpy as np

from cogtrain.strict import StrictModel
from cogtrain.text import REFERENCE, Catalogue
from cogtrain.text import load as load_catalogue
from cogtrain.triallog import TrialLog

if TYPE_CHECKING:  # pandas only in annotations: the window opens without importing it
    import pandas as pd


class TaskSettings(StrictModel):
    """Base of every task's typed settings: unknown keys are errors."""

    instructions: list[str] = []
    """Pages of self-paced instructions shown before the task (empty: the task's own)."""

    def variant(self) -> str | None:
        """The variant of the task these settings run; levels carry over within one variant only.

        None (the default) for a task with a single variant.
        """
        return None


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
    """What a task session may know about its session.

    ``frame_rate`` (Hz) converts durations in milliseconds to frames
    (:func:`cogtrain.timing.frames`); the session passes its frontend's.
    """

    participant: str
    session: int
    clock: Clock
    seed: int
    frame_rate: float = 60.0
    catalogue: Catalogue = field(default_factory=lambda: load_catalogue(REFERENCE))
    """The participant's texts (cogtrain/text/): tasks take every word they show from it."""


class TaskSession(abc.ABC):
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


Direction = Literal["higher", "lower", "neither"]
"""Which way a metric is better: ``"higher"``, ``"lower"`` or ``"neither"`` (e.g. a response bias)."""

SIGN: dict[str, int] = {"higher": +1, "lower": -1, "neither": 0}
"""Direction as a sign: +1 higher is better, -1 lower is better, 0 neither."""

DIRECTION_TEXT: dict[str, str] = {"higher": "higher is better", "lower": "lower is better",
                                  "neither": "no better direction"}
"""Direction in words, as reports, the group report and the codebook state it."""


@dataclass(frozen=True)
class Metric:
    """One per-session score a task reports (docs/data-format.md, ``session_scores.csv``).

    Attributes
    ----------
    name : str
        Value of the ``metric`` column (snake_case, unique within the task).
    label : str
        Display name in reports and the codebook ("Hit rate").
    unit : str
        Unit of the value ("proportion", "s", "count", "z units").
    direction : {"higher", "lower", "neither"}
        Which way is better; reports mark reliable change with it.
    description : str
        What the value means and how it is computed, for the codebook.
    composite : bool
        The metric leads its domain's composite (its direction gives the sign).
    progress : bool
        The metric is drawn in the task's progress figure of the report.
    only_when : str
        When the metric is reported ("learning trials are on"); empty: every scored session.
    domain : str
        Composite domain when it is not the task's own (empty: the task's domain).
    bounds : tuple of float, optional
        The value's whole range, e.g. an adaptive level's lowest and highest level; reports
        draw the metric over it so that small changes look small (proportions: 0-1 by default).
    integer : bool
        Whole-number values (levels, counts): reports use whole-number ticks.

    Examples
    --------
    >>> Metric("hit_rate", "Hit rate", "proportion", "higher", "Targets answered, over targets.").sign
    1
    """

    name: str
    label: str
    unit: str
    direction: Direction
    description: str
    composite: bool = False
    progress: bool = False
    only_when: str = ""
    domain: str = ""
    bounds: tuple[float, float] | None = None
    integer: bool = False

    def __post_init__(self) -> None:
        if self.direction not in SIGN:
            raise ValueError(f"metric {self.name!r}: direction {self.direction!r} is not one of {list(SIGN)}")
        if self.composite and self.direction == "neither":
            raise ValueError(f"metric {self.name!r}: a composite metric needs a direction (higher or lower)")

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better, 0 when neither."""
        return SIGN[self.direction]


@dataclass(frozen=True)
class Column:
    """One column of a task's trial log (docs/data-format.md), for BIDS sidecars and the codebook.

    Attributes
    ----------
    name : str
        Column name in ``<task>.csv``.
    label : str
        Short human name (the BIDS ``LongName``).
    description : str
        What the value means.
    unit : str
        Unit of a number ("s", "moves"); empty when it has none.
    levels : mapping of str to str
        Meaning of each value of a categorical column ("0" → "no"); empty when not categorical.
    """

    name: str
    label: str
    description: str
    unit: str = ""
    levels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Curve:
    """One curve a task computes per session (``curves.csv``: curve, x, value).

    Attributes
    ----------
    name : str
        Value of the ``curve`` column.
    label : str
        Title of the curve in reports ("n-back level by block").
    x_label, y_label : str
        Axis labels, with units.
    track : str
        What one x step is ("blocks", "problems") when the curve follows difficulty through a
        session: such curves are drawn across all sessions in order. Empty: drawn per session.
    bounds : tuple of float, optional
        The whole range of the curve's values (as :attr:`Metric.bounds`).
    integer : bool
        Whole-number values: reports use whole-number ticks.
    """

    name: str
    label: str
    x_label: str
    y_label: str
    track: str = ""
    bounds: tuple[float, float] | None = None
    integer: bool = False


@dataclass(frozen=True)
class Export:
    """An extra export format a task offers (``cogtrain export --format NAME``).

    Attributes
    ----------
    name : str
        Format name on the command line (unique across tasks; not ``bids``).
    description : str
        One line for ``cogtrain export --help``.
    write : callable
        ``write(rows, out_dir) -> (paths, message)``: from the task's scored rows of all
        participants and sessions (never empty), write the files into ``out_dir`` (which
        exists) and return them with one line saying what was written and left out.
    """

    name: str
    description: str
    write: Callable[[pd.DataFrame, Path], tuple[list[Path], str]]


@dataclass(frozen=True)
class TaskSpec:
    """Everything the battery needs to know about a task, declared in one place.

    The declarations (``metrics``, ``columns``, ``curves``, ``exports``) are all that
    scoring, reports, the codebook and exports know about the task: CONTRIBUTING.md.

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
    log_columns : callable
        ``log_columns(settings) -> list[str]``: task-specific log columns, fixed at open.
    session : type[TaskSession]
        The task's logic for one session.
    view : str
        ``"module:Class"`` of the PsychoPy player, imported only when a window is used.
    simulator : str
        ``"module:Class"`` of the simulated participant's player.
    compute_metrics : callable
        ``compute_metrics(df) -> DataFrame`` with columns participant, session, task, metric,
        value, from the task's scored rows of any number of sessions.
    compute_curves : callable or None
        ``compute_curves(df) -> DataFrame`` with participant, session, task, curve, x, value.
    metrics : tuple of Metric
        Every metric ``compute_metrics`` may report.
    columns : tuple of Column
        Every column ``log_columns`` may return, for any settings.
    curves : tuple of Curve
        Every curve ``compute_curves`` may return, in the order reports draw them.
    exports : tuple of Export
        Extra export formats of the task's rows.
    sim_ability : float
        Level at threshold of the simulated participant when the config gives none.
    """

    name: str
    title: str
    domain: str
    settings_model: type[TaskSettings]
    defaults: Path
    log_columns: Callable[[Any], Sequence[str]]
    session: type[TaskSession]
    view: str
    simulator: str
    compute_metrics: Callable[[pd.DataFrame], pd.DataFrame]
    compute_curves: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    metrics: tuple[Metric, ...] = ()
    columns: tuple[Column, ...] = ()
    curves: tuple[Curve, ...] = ()
    exports: tuple[Export, ...] = ()
    sim_ability: float = 3.0

    def __post_init__(self) -> None:
        for kind, items in (("metric", self.metrics), ("column", self.columns), ("curve", self.curves),
                            ("export", self.exports)):
            names = [item.name for item in items]
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"task {self.name!r} declares {kind}(s) {', '.join(twice)} more than once")

    @property
    def metric_names(self) -> tuple[str, ...]:
        """Metrics reported for every scored session (those without ``only_when``)."""
        return tuple(m.name for m in self.metrics if not m.only_when)

    def metric(self, name: str) -> Metric | None:
        """The declaration of metric ``name`` (None when undeclared)."""
        return next((m for m in self.metrics if m.name == name), None)

    def column(self, name: str) -> Column | None:
        """The declaration of log column ``name`` (None when undeclared)."""
        return next((c for c in self.columns if c.name == name), None)

    def curve(self, name: str) -> Curve | None:
        """The declaration of curve ``name`` (None when undeclared)."""
        return next((c for c in self.curves if c.name == name), None)
