"""Read each session's ``session.json`` defensively into one table row."""
from __future__ import annotations

import gc
import math
import os
from contextlib import contextmanager
from typing import Any, Iterator

import pandas as pd

from cogtrain.files import UnreadableFile, read_json
from cogtrain.scoring.folders import SessionFolder

#: Longest plausible session, in seconds; a longer or negative duration is a damaged record.
MAX_DURATION_S = 24 * 3600

#: Columns of the sessions table (one row per session folder).
SESSION_COLUMNS = (
    "participant", "session", "label", "status", "started", "ended", "duration_s",
    "fatigue", "checkin", "runs", "battery", "plan", "config", "frontend", "arm", "visit", "instructions",
    "flags",
)


def read_sessions(folders: list[SessionFolder], warnings: list[str]) -> pd.DataFrame:
    """Tabulate the session.json of every session folder.

    A missing or unreadable session.json, a session that was aborted or never
    ended, and IDs that disagree with the folder names each add a warning; the
    session is kept (its trials are still scored).

    Parameters
    ----------
    folders : list of SessionFolder
        Session folders found in the data folder.
    warnings : list of str
        Receives one line per problem.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SESSION_COLUMNS`; ``started``/``ended`` are UTC timestamps
        (NaT when unknown), ``duration_s`` seconds trained (NaN when unknown),
        ``fatigue`` a list of ``{after_task, rating, onset_s}``, ``checkin`` a list of
        ``{id, prompt, answer, onset_s}``, ``arm`` and ``visit`` a study
        session's arm and visit (empty outside a study and for training sessions), ``instructions``
        the pages shown before each task (task name → list of pages), ``flags`` the
        session's data-quality flags (names).
    """
    with _collector_paused():
        rows = [_session_row(folder, warnings) for folder in folders]
    table = pd.DataFrame(rows, columns=list(SESSION_COLUMNS))
    raw = table[["started", "ended"]].copy()
    table["started"] = _timestamps(raw["started"])
    table["ended"] = _timestamps(raw["ended"])
    elapsed = (table["ended"] - table["started"]).dt.total_seconds()
    table["duration_s"] = pd.to_numeric(table["duration_s"], errors="coerce").fillna(elapsed)
    _drop_impossible_dates(table, raw, warnings)
    return table


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while records are parsed.

    Parsed JSON holds no cycles, but thousands of records kept in rows would
    make the collector go over every object again and again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _timestamps(values: pd.Series) -> pd.Series:
    """UTC timestamps; text that is no date, or beyond pandas' range (year 9999 included), becomes NaT."""
    return pd.to_datetime(values.where(values.map(lambda v: isinstance(v, str))), utc=True, errors="coerce",
                          format="ISO8601")


def _drop_impossible_dates(table: pd.DataFrame, raw: pd.DataFrame, warnings: list[str]) -> None:
    """Warn about sessions with unreadable dates, ending before they start, in the future or impossibly long.

    Their dates and minutes are left empty, so they count in no dose or week.
    """
    soon = pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=1)
    unreadable = (raw["started"].notna() & table["started"].isna()) | (raw["ended"].notna() & table["ended"].isna())
    duration = table["duration_s"]
    bad = (unreadable | (table["ended"] < table["started"]) | (table["started"] > soon) | (table["ended"] > soon)
           | (duration < 0) | (duration > MAX_DURATION_S))
    for label, started, ended, seconds in zip(table.loc[bad, "label"], raw.loc[bad, "started"],
                                              raw.loc[bad, "ended"], duration[bad]):
        warnings.append(f"{label}/session.json: impossible dates or duration (started {started!r}, ended {ended!r}, "
                        f"{seconds:g} s); its date and minutes are left out of the training dose")
    table.loc[bad, ["started", "ended"]] = pd.NaT
    table.loc[bad, "duration_s"] = math.nan


def _session_row(folder: SessionFolder, warnings: list[str]) -> dict[str, Any]:
    meta = _load(folder, warnings)
    get = meta.get
    status = str(get("status") or "unknown")
    if meta:
        _check_ids(folder, meta, warnings)
        if status == "abandoned":
            warnings.append(f"{folder.label}: session abandoned for a new one; trials logged before are scored")
        elif status == "aborted":
            warnings.append(f"{folder.label}: session aborted; trials logged before the abort are scored")
        elif status != "complete" and not get("ended"):
            warnings.append(f"{folder.label}: session did not end (status {status!r}): interrupted, or "
                            "still running; trials logged so far are scored")
    config, fatigue, runs, checkin = get("config"), get("fatigue"), get("runs"), get("checkin")
    config = config if isinstance(config, dict) else {}
    runs = runs if isinstance(runs, list) else []
    plan, instructions = config.get("plan"), get("instructions")
    last_run = runs[-1] if runs and isinstance(runs[-1], dict) else {}
    return {
        "participant": folder.participant,
        "session": folder.session,
        "label": folder.label,
        "status": status,
        "started": get("started"),
        "ended": get("ended"),
        "duration_s": _number(get("duration_s")),
        "fatigue": [f for f in fatigue if isinstance(f, dict)] if isinstance(fatigue, list) else [],
        "checkin": [a for a in checkin if isinstance(a, dict)] if isinstance(checkin, list) else [],
        "runs": len(runs) or (1 if meta else 0),
        "battery": str(config.get("name") or ""),
        "plan": plan if isinstance(plan, dict) else None,
        "config": config,
        "frontend": str(get("frontend") or last_run.get("frontend") or ""),
        "arm": str(get("arm") or ""),
        "visit": str(get("visit") or ""),
        "instructions": instructions if isinstance(instructions, dict) else {},
        "flags": _flags(get("flags")),
    }


def _load(folder: SessionFolder, warnings: list[str]) -> dict[str, Any]:
    path = folder.path / "session.json"
    try:
        meta = read_json(path, what="session record")
    except UnreadableFile as exc:
        if not os.path.lexists(path):
            warnings.append(f"{folder.label}/session.json missing; trials are scored, date and minutes unknown")
            return {}
        warnings.append(f"{folder.label}/session.json unreadable ({exc.reason}); trials are scored, "
                        "date and minutes unknown")
        return {}
    if not isinstance(meta, dict):
        warnings.append(f"{folder.label}/session.json is not a JSON object; trials are scored, "
                        "date and minutes unknown")
        return {}
    return meta


def _check_ids(folder: SessionFolder, meta: dict[str, Any], warnings: list[str]) -> None:
    participant, session = meta.get("participant"), meta.get("session")
    if participant is not None and str(participant) != folder.participant:
        warnings.append(f"{folder.label}/session.json names participant {participant!r}; "
                        "the folder name is used")
    if session is not None and _number(session) != folder.session:
        warnings.append(f"{folder.label}/session.json names session {session!r}; the folder name is used")


def _flags(value: Any) -> list[str]:
    """Data-quality flag names from session.json: a list of names, or a mapping of name to detail."""
    if isinstance(value, dict):
        return sorted(str(k) for k, v in value.items() if v)
    if isinstance(value, list):  # names, or {"flag", "detail"} entries (cogtrain.quality)
        names = [v.get("flag") if isinstance(v, dict) else v for v in value]
        return sorted({str(v) for v in names if isinstance(v, str) and v})
    return []


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return math.nan
    return float(value)
