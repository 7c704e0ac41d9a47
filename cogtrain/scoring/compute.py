"""From rows read to scores: per-task metrics and curves, composites, change, dose."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd

from cogtrain.errors import ConfigError
from cogtrain.scoring.adherence import active_seconds, adherence, session_table
from cogtrain.scoring.change import summarise_change
from cogtrain.scoring.composite import MIN_BASELINE_PARTICIPANTS, composite_components, domain_composites
from cogtrain.scoring.events import EVENT_COLUMNS, events_table
from cogtrain.scoring.labels import with_direction
from cogtrain.scoring.read import Study
from cogtrain.scoring.reliable import ReferenceValues, parse_reliable_change
from cogtrain.sessionkeys import stable_order
from cogtrain.task import TaskSpec

SCORE_COLUMNS = ["participant", "session", "task", "metric", "value"]
CURVE_COLUMNS = ["participant", "session", "task", "curve", "x", "value"]
SCORED_COLUMNS = ["participant", "task", "rows"]
#: The tables of :class:`Scores` computed per participant, each sorted by participant first (the summary and
#: the composites' components are computed over everyone by :func:`with_composites`).
TABLES = ("session_scores", "curves", "sessions", "adherence", "scored", "events")


@dataclass
class Scores:
    """All tables computed from a study.

    Attributes
    ----------
    session_scores : pandas.DataFrame
        participant, session, task, metric, value (domain composites as task ``composite``).
    summary : pandas.DataFrame
        Change across sessions (see :func:`cogtrain.scoring.change.summarise_change`).
    curves : pandas.DataFrame
        participant, session, task, curve, x, value.
    components : pandas.DataFrame
        The z-scores behind the composites.
    sessions : pandas.DataFrame
        One row per session: date, status, minutes, fatigue.
    adherence : pandas.DataFrame
        Dose against plan per participant.
    references : dict
        Participant → ``"task.metric"`` → RCI reference values used.
    reference_note : str
        Which SD the composites are z against, in words (for reports).
    scored : pandas.DataFrame
        participant, task, rows: the number of scored rows.
    events : pandas.DataFrame
        Clinical events and check-in answers (:func:`cogtrain.scoring.events.events_table`).
    """

    session_scores: pd.DataFrame
    summary: pd.DataFrame
    curves: pd.DataFrame
    components: pd.DataFrame
    sessions: pd.DataFrame
    adherence: pd.DataFrame
    references: dict[str, dict[str, ReferenceValues]]
    reference_note: str = ""
    scored: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SCORED_COLUMNS))
    events: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(EVENT_COLUMNS)))

    @property
    def rows_scored(self) -> dict[str, int]:
        """Scored rows per task."""
        return {str(t): int(n) for t, n in self.scored.groupby("task", sort=False)["rows"].sum().items()}


def compute_scores(study: Study, tasks: Mapping[str, TaskSpec]) -> Scores:
    """Score every task once over all sessions, then summarise across sessions.

    Each task's rows of all participants and sessions, without superseded and
    practice rows, go to ``spec.compute_metrics`` and ``spec.compute_curves`` in one call.
    A task whose functions fail adds a warning to ``study.warnings`` and is
    left out, so the other tasks are still scored.

    Parameters
    ----------
    study : Study
        What was read from the data folder.
    tasks : mapping of str to TaskSpec
        Registered tasks.

    Returns
    -------
    Scores
        All computed tables.
    """
    return with_composites(participant_scores(study, tasks), tasks)


def participant_scores(study: Study, tasks: Mapping[str, TaskSpec]) -> Scores:
    """The tables of :func:`compute_scores` that are computed per participant (no composites nor summary yet).

    Scores of disjoint groups of participants are joined by :func:`combine_scores`.
    """
    metric_parts, curve_parts, active_parts, scored = [], [], [], []
    for name, spec in tasks.items():
        rows = study.scored_rows(name)
        if rows.empty:
            continue
        scored.append(rows.groupby("participant", sort=True).size().rename("rows").reset_index()
                      .assign(task=name)[SCORED_COLUMNS])
        active_parts.append(active_seconds(rows))
        metric_parts.append(_call(spec.compute_metrics, rows, name, "metrics", SCORE_COLUMNS, study))
        if spec.compute_curves is not None:
            curve_parts.append(_call(spec.compute_curves, rows, name, "curves", CURVE_COLUMNS, study))
    active = (pd.concat(active_parts).groupby(["participant", "session"], as_index=False)["active_s"].sum()
              if active_parts else None)
    return Scores(
        session_scores=_concat(metric_parts, SCORE_COLUMNS),
        summary=pd.DataFrame(),
        curves=_concat(curve_parts, CURVE_COLUMNS),
        components=pd.DataFrame(),
        sessions=session_table(study.sessions, active),
        adherence=adherence(study.sessions, active),
        references=_references(study),
        scored=pd.concat(scored, ignore_index=True) if scored else pd.DataFrame(columns=SCORED_COLUMNS),
        events=events_table(study),
    )


def with_composites(scores: Scores, tasks: Mapping[str, TaskSpec]) -> Scores:
    """Add the domain composites and the change summary, which need every participant at once.

    The composites are z-scores against the study's baseline SD when no
    reference SD is configured, so they are computed over all participants
    (any composite rows already in ``scores.session_scores`` are replaced).
    """
    task_scores = scores.session_scores[scores.session_scores["task"] != "composite"].reset_index(drop=True)
    components = composite_components(_training_only(task_scores, scores.sessions), tasks, scores.references)
    session_scores = _concat([task_scores, domain_composites(components)], SCORE_COLUMNS)
    scores.session_scores = session_scores
    scores.components = components
    scores.summary = with_direction(summarise_change(session_scores, scores.references), tasks)
    scores.reference_note = reference_note(components)
    return scores


def combine_scores(parts: list[Scores], tasks: Mapping[str, TaskSpec]) -> Scores:
    """Join the scores of disjoint groups of participants into the scores of all of them.

    The per-participant tables are joined; the composites and the change
    summary are computed again over everyone (:func:`with_composites`).

    Parameters
    ----------
    parts : list of Scores
        Scores of disjoint sets of participants, in any order.
    tasks : mapping of str to TaskSpec
        The scored tasks.

    Returns
    -------
    Scores
        Every table sorted by participant as :func:`compute_scores` sorts it.
    """
    tables = {}
    for name in TABLES:
        frames = [getattr(p, name) for p in parts]
        filled = [f for f in frames if len(f)] or frames[:1]
        joined = pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0].reset_index(drop=True)
        tables[name] = joined.sort_values("participant", kind="stable", ignore_index=True)
    references = {p: refs for part in parts for p, refs in part.references.items()}
    return with_composites(Scores(**tables, summary=pd.DataFrame(), components=pd.DataFrame(),
                                  references=dict(sorted(references.items()))), tasks)


def _training_only(scores: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Scores of training sessions: assessment visits (fixed difficulty) do not enter the composites."""
    visits = sessions.loc[sessions["visit"].astype(bool), ["participant", "session"]]
    if visits.empty:
        return scores
    keys = pd.MultiIndex.from_frame(scores[["participant", "session"]])
    return scores[~keys.isin(pd.MultiIndex.from_frame(visits))]


def reference_note(components: pd.DataFrame) -> str:
    """Which SD the domain composites are z against, in words.

    Examples
    --------
    >>> reference_note(pd.DataFrame({"sd_source": ["reference", "reference"]}))
    'configured reference SD'
    """
    sources = set(components["sd_source"].unique())
    if not sources:
        return ("there is no reference SD: configure one per measure (reliable_change) or score at least "
                f"{MIN_BASELINE_PARTICIPANTS} participants together")
    if sources == {"reference"}:
        return "configured reference SD"
    if sources == {"study_baseline"}:
        return "the SD of all participants' first sessions"
    return "configured reference SD for some measures, the SD of all participants' first sessions for others"


def _call(function: Callable[[pd.DataFrame], pd.DataFrame], rows: pd.DataFrame, task: str, what: str,
          columns: list[str], study: Study) -> pd.DataFrame:
    """Call a task's function on all rows; if it fails, once per session log, leaving out the logs that fail."""
    try:
        return _checked(function(rows), columns)
    except Exception:  # noqa: BLE001 - an odd file must not cost the other files' scores
        pass
    labels = {(f.participant, f.session): f.label for f in study.files if f.task == task}
    parts = []
    for (participant, session), own in rows.groupby(["participant", "session"], sort=True):
        label = labels.get((participant, int(session)), f"task {task} of sub-{participant} session {session:g}")
        try:
            parts.append(_checked(function(own.reset_index(drop=True)), columns))
        except Exception as exc:  # noqa: BLE001 - a task's bug or an odd file: name it, score the rest
            study.warnings.append(f"{label}: {what} failed ({type(exc).__name__}: {exc}); skipped, other files scored")
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _checked(out: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in getattr(out, "columns", ())]
    if missing:
        raise ValueError(f"returned no {', '.join(missing)} column(s)")
    return out[columns]


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "x") else object) for c in columns})
    out = pd.concat(parts, ignore_index=True)
    out["participant"] = out["participant"].astype(str)
    out["session"] = out["session"].astype(int)
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return out.take(stable_order(out, [c for c in columns if c != "value"])).reset_index(drop=True)


def _references(study: Study) -> dict[str, dict[str, ReferenceValues]]:
    """RCI reference values of each participant, from the config of their latest session."""
    out: dict[str, dict[str, ReferenceValues]] = {}
    with_config = study.sessions[study.sessions["config"].map(bool)].sort_values("session")
    latest = with_config.drop_duplicates("participant", keep="last").sort_values("participant")
    for participant, config, label in zip(latest["participant"], latest["config"], latest["label"]):
        try:
            out[participant] = parse_reliable_change(config.get("reliable_change"), f"{label}/session.json")
        except ConfigError as exc:
            study.warnings.extend(f"{p}; no RCI for sub-{participant}" for p in exc.problems)
    return out
