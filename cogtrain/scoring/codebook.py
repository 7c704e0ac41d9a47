"""``cogtrain codebook``: the data dictionary of every file cogtrain writes (docs/data-format.md).

One row per file, column, metric, curve and export format, with unit, direction
and meaning. Trial-log columns, metrics, curves and exports come from the tasks'
declarations (:mod:`cogtrain.task`); the columns of the score tables are declared
here, beside the modules that write them (a test checks that they match).
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import pandas as pd

from cogtrain.columns import COMMON, EXPORTED
from cogtrain.errors import CogtrainError
from cogtrain.quality import FLAGS
from cogtrain.scoring.labels import COMPOSITE, domain_label
from cogtrain.scoring.tables import output_folder, write_table
from cogtrain.task import DIRECTION_TEXT, Column, TaskSpec

CODEBOOK_COLUMNS = ["file", "kind", "task", "name", "label", "unit", "direction", "levels", "description"]
LOG = "sub-<ID>/ses-<NNN>/<task>.csv"
BIDS_LOG = "sub-<ID>/ses-<NNN>/beh/sub-<ID>_ses-<NNN>_task-<label>_beh.tsv"
_KEYS = (Column("participant", "Participant", "Participant ID (without the sub- prefix)."),
         Column("session", "Session", "Session number."))
_TASK = Column("task", "Task", f"Task name, or {COMPOSITE!r} for the domain composites.")
_METRIC = Column("metric", "Metric", "Metric name (task metrics and composites: kind metric in this codebook).")

#: Files in the data folder and their meaning.
DATA_FILES: dict[str, str] = {
    "sub-<ID>/state.json": "Adaptive state of each task, carried to the participant's next session "
                           "(written atomically).",
    "sub-<ID>/ses-<NNN>/session.json": "The session's resolved configuration, seed, software versions, start "
                                       "and end, status, fatigue ratings and progress for resuming.",
    LOG: "Trial log of one task in one session: one row per trial, flushed to disk before the next trial.",
    "sub-<ID>/participant.json": "The participant's record: enrolled battery and profile (source and SHA-256), "
                                 "arm, language, plan and created date.",
    "sub-<ID>/battery.yaml": "Resolved copy of the enrolled battery.",
    "sub-<ID>/profile.yaml": "Resolved copy of the enrolled profile.",
    "sub-<ID>/audit.jsonl": "Append-only log of changes to the record: date, OS user, old and new hash, reason.",
    "sub-<ID>/events.jsonl": "Clinical events (relapse, steroids, treatment changes), one JSON line each.",
}

#: Columns of each table ``cogtrain score`` writes, in file order.
SCORE_FILES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "session_scores.csv": ("Every metric of every session, one metric a row (tidy).", (
        *_KEYS, _TASK, _METRIC, Column("value", "Value", "The metric's value (unit: see the metric)."))),
    "participant_summary.csv": ("Change of every metric across each participant's sessions.", (
        _KEYS[0], _TASK, _METRIC,
        Column("n_sessions", "Sessions", "Sessions with a value of the metric."),
        Column("first_session", "First session", "Session number of the first value."),
        Column("last_session", "Last session", "Session number of the last value."),
        Column("first", "First", "Value in the first session."),
        Column("last", "Last", "Value in the last session."),
        Column("gain", "Gain", "last - first (better or worse: see direction)."),
        Column("slope", "Slope", "Least-squares slope of value on session number; empty with one session.",
               "units per session"),
        Column("rci", "Reliable Change Index", "(last - first - practice effect) / S_diff (Jacobson & Truax, "
               "1991); |RCI| > 1.96 is reliable; empty without reference values."),
        Column("rci_variant", "RCI variant", "Which RCI formula was used (with or without practice effect)."),
        Column("reference_sd", "Reference SD", "Between-person SD from the battery's reliable_change values."),
        Column("reliability", "Reliability", "Test-retest reliability from the battery's reliable_change."),
        Column("practice_effect", "Practice effect", "Expected retest gain from the battery's reliable_change."),
        Column("rci_source", "RCI source", "Where the reference values come from (as configured)."),
        Column("direction", "Direction", "Which way the metric is better.",
               levels=DIRECTION_TEXT))),
    "curves.csv": ("Curves of each session (e.g. level by block), one point a row.", (
        *_KEYS, _TASK, Column("curve", "Curve", "Curve name (kind curve in this codebook)."),
        Column("x", "x", "x value (axis: see the curve)."), Column("value", "Value", "y value (see the curve)."))),
    "sessions.csv": ("One row per session folder: date, status, minutes and fatigue.", (
        *_KEYS, Column("battery", "Battery", "Name of the battery config."),
        Column("visit", "Visit", "The assessment visit the session was (baseline, post, ...); empty for training."),
        Column("started", "Started", "Start time (ISO 8601, UTC)."),
        Column("ended", "Ended", "End time (ISO 8601, UTC); empty when the session did not end."),
        Column("status", "Status", "How the session ended.",
               levels={"complete": "all blocks done", "aborted": "ended early", "running": "did not end "
                       "(interrupted)", "abandoned": "left unfinished for a new session",
                       "unknown": "no readable session.json"}),
        Column("runs", "Starts", "Times the session was started (1 + resumes)."),
        Column("flags", "Flags", "Data-quality flags of the session, separated by ';' (docs/data-format.md).",
               levels=FLAGS),
        Column("minutes", "Minutes", "Time in the session, from start to end (waits and breaks included).", "min"),
        Column("active_minutes", "Active minutes", "Task time: from the first to the last trial of each scored "
               "block, summed (instructions, breaks and waits left out).", "min"),
        Column("week", "Week", "Week of training (1 = the week of the participant's first session)."),
        Column("fatigue_mean", "Mean fatigue", "Mean of the session's fatigue ratings.", "0-10 scale"),
        Column("fatigue_max", "Highest fatigue", "Highest fatigue rating of the session.", "0-10 scale"),
        Column("fatigue_last", "Last fatigue", "The session's last fatigue rating.", "0-10 scale"),
        Column("fatigue_ratings", "Fatigue ratings", "Each rating with when it was given (after a task, or "
               "the end of the session)."))),
    "adherence.csv": ("Training dose of each participant against the battery's plan.", (
        _KEYS[0], Column("sessions_started", "Sessions started", "Training session folders (assessment visits "
                                                                     "are not training)."),
        Column("sessions_complete", "Sessions completed", "Training sessions with status complete."),
        Column("visits_complete", "Visits completed", "A study's assessment visits with status complete."),
        Column("minutes_trained", "Minutes trained", "Active minutes of every training session, aborted ones "
               "included.", "min"),
        Column("first_date", "First date", "Date of the first training session (YYYY-MM-DD)."),
        Column("last_date", "Last date", "Date of the last training session (YYYY-MM-DD)."),
        Column("weeks_elapsed", "Weeks", "Weeks from the first to the last training session, counting the "
               "current one."),
        Column("planned_sessions_per_week", "Planned sessions a week", "From the battery's plan."),
        Column("planned_minutes_per_session", "Planned minutes a session", "From the battery's plan.", "min"),
        Column("planned_weeks", "Planned weeks", "From the battery's plan."),
        Column("planned_sessions", "Planned sessions", "planned_sessions_per_week x planned_weeks."),
        Column("planned_minutes", "Planned minutes", "planned_sessions x planned_minutes_per_session.", "min"),
        Column("sessions_pct_of_plan", "Sessions done", "sessions_complete / planned_sessions.", "%"),
        Column("minutes_pct_of_plan", "Minutes done", "minutes_trained / planned_minutes.", "%"),
        Column("sessions_due_by_last_date", "Sessions due", "Planned sessions a week x weeks elapsed, at most "
               "planned_sessions."),
        Column("sessions_pct_of_due", "Sessions done of due", "sessions_complete / sessions_due_by_last_date.",
               "%"),
        Column("fatigue_mean", "Mean fatigue", "Mean of the sessions' mean fatigue ratings.", "0-10 scale"))),
    "events.csv": ("Clinical events and session check-in answers, one a row, by date.", (
        _KEYS[0], Column("date", "Date", "Day of the event, or of the session (YYYY-MM-DD)."),
        Column("session", "Session", "Session number of a check-in answer; empty for clinical events."),
        Column("source", "Source", "Where the row comes from.",
               levels={"clinical": "cogtrain event", "checkin": "the check-in at session start"}),
        Column("type", "Type", "Event type (relapse, steroids, dmt_start, dmt_change, other) or check-in question id."),
        Column("value", "Value", "The check-in answer; empty for clinical events."),
        Column("note", "Note", "The event's note."))),
    "composite_components.csv": ("The z-scores behind the domain composites, one metric of one session a row.", (
        *_KEYS, Column("domain", "Domain", "Cognitive domain of the composite."), _TASK, _METRIC,
        Column("sign", "Sign", "1 when higher is better, -1 when lower is better."),
        Column("value", "Value", "The metric's value in this session."),
        Column("baseline", "Baseline", "The metric's value in the participant's first session with one."),
        Column("sd", "SD", "SD the difference is divided by."),
        Column("sd_source", "SD source", "Where sd comes from.",
               levels={"reference": "the battery's reliable_change reference SD",
                       "study_baseline": "SD of the first-session values of all participants scored together"}),
        Column("z", "z", "sign x (value - baseline) / sd.", "z units"))),
}


def codebook(tasks: Mapping[str, TaskSpec]) -> pd.DataFrame:
    """The data dictionary of ``tasks``' files and of every score table.

    Parameters
    ----------
    tasks : mapping of str to TaskSpec
        The tasks whose logs, metrics, curves and exports are described.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CODEBOOK_COLUMNS`; ``kind`` is file, column, metric, curve or export;
        ``levels`` reads ``value=meaning; ...``.
    """
    rows = [_row(name, "file", description=text) for name, text in DATA_FILES.items()]
    rows += [_column(LOG, c) for c in COMMON]
    for name, spec in tasks.items():
        log = LOG.replace("<task>", name)
        rows.append(_row(log, "file", name, description=f"Trial log of the task {spec.title!r}."))
        rows += [_column(log, c, name) for c in spec.columns]
    rows.append(_row(BIDS_LOG, "file", description="cogtrain export --format bids: a trial log as BIDS TSV "
                     "(n/a for empty cells), its columns described in the JSON sidecar beside it."))
    rows += [_column(BIDS_LOG, c) for c in EXPORTED]
    for file, (text, columns) in SCORE_FILES.items():
        rows.append(_row(file, "file", description=text))
        rows += [_column(file, c) for c in columns]
    for name, spec in tasks.items():
        rows += [_row("session_scores.csv", "metric", name, m.name, m.label, m.unit, m.direction,
                      description=" ".join(filter(None, [m.description, m.only_when and f"Only when {m.only_when}.",
                                                         m.composite and "Enters the domain composite."])))
                 for m in spec.metrics]
    domains = sorted({m.domain or spec.domain for spec in tasks.values() for m in spec.metrics if m.composite})
    rows += [_row("session_scores.csv", "metric", COMPOSITE, d, f"{domain_label(d)} composite", "z units",
                  "higher", description="Mean of the domain's signed z-scores against the first session "
                  "(composite_components.csv).") for d in domains]
    for name, spec in tasks.items():
        rows += [_row("curves.csv", "curve", name, c.name, c.label, description=f"x: {c.x_label}; value: "
                      f"{c.y_label}" + (f"; follows difficulty through the session ({c.track})" if c.track else ""))
                 for c in spec.curves]
        rows += [_row(f"cogtrain export --format {e.name}", "export", name, e.name, description=e.description)
                 for e in spec.exports]
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


def write_codebook(tasks: Mapping[str, TaskSpec], path: Path) -> Path:
    """Write :func:`codebook` as CSV to ``path`` (its folder is created).

    Raises
    ------
    CogtrainError
        When ``path`` cannot be written (one line naming it).
    """
    output_folder(path.parent)
    try:
        return write_table(codebook(tasks), path)
    except OSError as exc:
        raise CogtrainError(f"{path}: cannot write the codebook ({exc.strerror or exc})") from None


def _column(file: str, column: Column, task: str = "") -> dict[str, str]:
    levels = "; ".join(f"{value}={meaning}" for value, meaning in column.levels.items())
    return _row(file, "column", task, column.name, column.label, column.unit, levels=levels,
                description=column.description)


def _row(file: str, kind: str, task: str = "", name: str = "", label: str = "", unit: str = "",
         direction: str = "", levels: str = "", description: str = "") -> dict[str, str]:
    return {"file": file, "kind": kind, "task": task, "name": name, "label": label, "unit": unit,
            "direction": direction, "levels": levels, "description": description}
