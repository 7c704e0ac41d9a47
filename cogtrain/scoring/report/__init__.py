"""HTML reports: one page per participant and an index, with charts drawn by the browser.

Pages are written from the score tables in a few milliseconds each: a chart is
a small JSON specification (axes decided in Python, see :mod:`.charts`) drawn
as SVG by one shared script, ``report.js``. A participant's page is rebuilt
only when their tables, their warnings or the report code changed: the
digest of each page's inputs is kept in ``digests.json`` beside the pages.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Iterator, Mapping

import numpy as np
import pandas as pd

from cogtrain.scoring.adherence import completed_visits, sessions_due, training_sessions
from cogtrain.scoring.compute import Scores
from cogtrain.scoring.progress import track
from cogtrain.scoring.report.index import index_page
from cogtrain.scoring.report.participant import ParticipantTables, participant_page
from cogtrain.task import TaskSpec

ASSETS = Path(__file__).with_name("assets")
DIGESTS = "digests.json"


def write_reports(scores: Scores, tasks: Mapping[str, TaskSpec], warnings: list[str], folder: Path,
                  progress: bool | None = None, previous: Path | None = None,
                  as_of: pd.Timestamp | None = None) -> list[Path]:
    """Write ``sub-<ID>.html`` for every participant, ``index.html``, ``report.js`` and ``report.css``.

    Parameters
    ----------
    scores : Scores
        Computed tables.
    tasks : mapping of str to TaskSpec
        Registered tasks (titles, declarations, order).
    warnings : list of str
        Reading and scoring warnings; each page lists those about its participant.
    folder : Path
        The report folder (created).
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    previous : Path, optional
        An earlier report folder whose unchanged pages are reused (default: ``folder`` itself).
    as_of : pandas.Timestamp, optional
        The day adherence is judged on (default: now).

    Returns
    -------
    list of Path
        The participant pages, then the index.
    """
    folder.mkdir(parents=True, exist_ok=True)
    previous = folder if previous is None else previous
    old = _read_digests(previous)
    version = _code_version(tasks)
    digests, paths, doses = {}, [], []
    as_of = pd.Timestamp.now(tz="UTC") if as_of is None else as_of
    for data in track(_by_participant(scores, warnings, as_of), progress, "writing reports",
                      total=len(scores.adherence)):
        name = f"sub-{data.participant}.html"
        digest = _digest(data, version)
        digests[data.participant] = digest
        doses.append(data.adherence)
        path = folder / name
        if old.get(data.participant) == digest and (previous / name).is_file():
            if previous != folder:
                shutil.copyfile(previous / name, path)
        else:
            path.write_text(participant_page(data, tasks), encoding="utf-8")
        paths.append(path)
    for asset in ("report.js", "report.css"):
        shutil.copyfile(ASSETS / asset, folder / asset)
    index = folder / "index.html"
    index.write_text(index_page(scores, pd.DataFrame(doses), warnings), encoding="utf-8")
    (folder / DIGESTS).write_text(json.dumps(digests, indent=0, sort_keys=True), encoding="utf-8")
    return paths + [index]


def _by_participant(scores: Scores, warnings: list[str], as_of: pd.Timestamp) -> Iterator[ParticipantTables]:
    """Each participant's slice of every table, split once (not one scan per participant)."""
    tables = {"scores": scores.session_scores, "curves": scores.curves, "sessions": scores.sessions,
              "summary": scores.summary, "events": scores.events}
    rows = {name: table.groupby("participant", sort=False).indices for name, table in tables.items()}
    hashes = {name: _row_hashes(table) for name, table in tables.items()}
    own_warnings: dict[str, list[str]] = {}
    for w in warnings:
        for part in w.replace("/", " ").split():
            if part.startswith("sub-"):
                own_warnings.setdefault(part[4:].rstrip(":;,."), []).append(w)
                break
    for dose in scores.adherence.sort_values("participant").itertuples(index=False):
        p = dose.participant
        index = {name: rows[name].get(p, []) for name in tables}
        own = {name: tables[name].iloc[index[name]] for name in tables}
        content = b"".join(hashes[name][index[name]].tobytes() for name in tables)
        yield ParticipantTables(
            participant=p, adherence=_with_due(pd.Series(dose._asdict()), own["sessions"], as_of), **own,
            references=scores.references.get(p, {}), reference_note=scores.reference_note,
            warnings=tuple(own_warnings.get(p, ())), content=hashlib.sha256(content).hexdigest())


def _row_hashes(table: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row (list cells, such as session flags, hashed as text)."""
    listed = [c for c in table.columns if table[c].map(lambda v: isinstance(v, (list, dict))).any()]
    table = table.astype({c: str for c in listed}) if listed else table
    return pd.util.hash_pandas_object(table, index=False).to_numpy()


def _with_due(dose: pd.Series, sessions: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Add ``sessions_due`` (by ``as_of``) and ``as_of`` to a participant's adherence row.

    A study visit completed after the last training session ends the training
    phase: sessions are then due by that visit's date, not by ``as_of``.
    """
    training = training_sessions(sessions)
    first, last = training["started"].min(), training["started"].max()
    visits = completed_visits(sessions)
    later_visits = visits.loc[visits["started"] > last, "started"]
    as_of = min(as_of, later_visits.min()) if len(later_visits) else as_of
    due = (sessions_due(first, dose["planned_sessions_per_week"], dose["planned_sessions"], as_of)
           if dose["planned_sessions"] == dose["planned_sessions"] and first == first else float("nan"))
    return pd.concat([dose, pd.Series({"sessions_due": due, "as_of": as_of.strftime("%Y-%m-%d")})])


def _digest(data: ParticipantTables, version: str) -> str:
    h = hashlib.sha256(f"{version}\n{data.content}".encode())
    h.update(repr(data.adherence.to_dict()).encode())
    h.update("\n".join(data.warnings).encode())
    h.update(data.reference_note.encode())
    h.update(repr(sorted((k, repr(v)) for k, v in data.references.items())).encode())
    return h.hexdigest()


def _code_version(tasks: Mapping[str, TaskSpec]) -> str:
    """Digest of the report code, its assets and the tasks' declarations: a change rebuilds every page."""
    h = hashlib.sha256(repr([(s.name, s.title, s.domain, s.metrics, s.curves) for s in tasks.values()]).encode())
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.suffix in (".py", ".js", ".css"):
            h.update(path.read_bytes())
    return h.hexdigest()


def _read_digests(folder: Path) -> dict[str, str]:
    try:
        digests = json.loads((folder / DIGESTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in digests.items()} if isinstance(digests, dict) else {}
