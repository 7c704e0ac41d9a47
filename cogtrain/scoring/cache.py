"""The columnar cache of a data folder: trial rows and scores as Parquet, reused while files are unchanged.

Layout of a cache folder (see docs/scaling.md)::

    CACHEDIR.TAG                     marks the folder as a cache (backup tools skip it)
    manifest.json                    what is cached, for which data folder and cogtrain code
    rows/<task>/<key>.parquet        readable trial rows of one task for a batch of participants scored again
    scores/<table>/<key>.parquet     a per-participant score table of a batch of participants

A session is known by the size and modification time of its trial logs and
``session.json``; a participant by the keys of their sessions; a batch of
participants scored together by their keys. Files are named by these keys
and ``manifest.json`` is replaced atomically last, so a run killed half-way
leaves the previous cache valid. A run writes the files of the batches it
scores, and no others: DuckDB joins every participant's tables from the
files of the batch that last scored them (:meth:`StudyCache.assemble`). Any change of cogtrain's
code (or of the registered tasks) starts a new, empty cache: scores computed
by other code are never reused.

The cache never lives inside the data folder and the data folder never
inside it, so neither can be read as the other.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import cogtrain
from cogtrain.clinical import EVENTS_FILE
from cogtrain.errors import CogtrainError
from cogtrain.files import write_json_atomic
from cogtrain.scoring.compute import TABLES, Scores
from cogtrain.scoring.folders import SessionFolder
from cogtrain.scoring.reliable import ReferenceValues
from cogtrain.scoring.triallogs import FILE
from cogtrain.task import TaskSpec

FORMAT = 2
MANIFEST = "manifest.json"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This folder is a cache of cogtrain scores (cogtrain score --cache); it is not data.\n")


def default_cache_dir(data_dir: Path) -> Path:
    """The cache folder of a data folder: ``$XDG_CACHE_HOME/cogtrain/<hash of its path>``.

    Parameters
    ----------
    data_dir : Path
        The study's data folder.

    Returns
    -------
    Path
        A folder under the user's cache folder (``~/.cache`` unless
        ``XDG_CACHE_HOME`` is set), one per data folder.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return base / "cogtrain" / "studies" / key


@dataclass(frozen=True)
class SessionStamp:
    """What a session folder's files are now.

    Attributes
    ----------
    key : str
        Its label and the name, size and mtime of its logs and session.json, hashed.
    log_bytes : int
        Size of its trial logs (0 for a log that cannot be read).
    """

    key: str
    log_bytes: int


def session_stamp(folder: SessionFolder) -> SessionStamp:
    """Key and trial-log bytes of a session folder, from one ``stat`` of each file."""
    files = sorted([(log.path.name, log.path) for log in folder.logs]
                   + [("session.json", folder.path / "session.json")])
    stats = [(name, _stat(path)) for name, path in files]
    keys = [_stat_key(name, stat) for name, stat in stats]
    log_bytes = sum(stat.st_size for name, stat in stats if stat and name != "session.json")
    return SessionStamp(combined_key([folder.label, *keys]), log_bytes)


def participant_key(sub_dir: Path, session_keys: Iterable[str]) -> str:
    """Key of a participant: the keys of all their sessions and the size and mtime of their events log."""
    events = Path(sub_dir) / EVENTS_FILE
    return combined_key([*session_keys, _file_key(events.name, events)])


def combined_key(keys: Iterable[str]) -> str:
    """One key for several keys (a batch of participants, a set of cached scores)."""
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:24]


def _file_key(name: str, path: Path) -> str:
    """``name:size:mtime`` of the file at ``path`` (``name:-`` if it cannot be read)."""
    return _stat_key(name, _stat(path))


def _stat_key(name: str, stat: os.stat_result | None) -> str:
    return f"{name}:{stat.st_size}:{stat.st_mtime_ns}" if stat else f"{name}:-"


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


@dataclass
class CachedParticipant:
    """What the cache holds about one participant.

    Attributes
    ----------
    key : str
        :func:`participant_key` when the participant was scored.
    sessions : dict of str to str
        Session label → its key (:func:`session_stamp`).
    log_warnings : dict of str to list of str
        Session label → warnings from reading its trial logs.
    warnings : list of str
        Every warning of scoring the participant.
    references : dict
        ``"task.metric"`` → RCI reference values used.
    rows : dict of str to str
        Task → file of the participant's trial rows under ``rows/<task>/``.
    rows_read : dict of str to int
        Task → readable trial rows.
    batch : str
        Key of the batch whose files under ``scores/`` hold the participant's
        score tables (empty when they were not stored).
    """

    key: str
    sessions: dict[str, str]
    log_warnings: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    references: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    batch: str = ""


class StudyCache:
    """The cache folder of one data folder (see the module docstring).

    Parameters
    ----------
    root : Path
        The cache folder (created).
    data_dir : Path
        The data folder it caches.
    tasks : mapping of str to TaskSpec
        The registered tasks (part of the code the cache is valid for).

    Raises
    ------
    CogtrainError
        If ``root`` is inside ``data_dir`` (or the reverse), or is a folder
        with other content than a cogtrain cache.
    """

    def __init__(self, root: Path, data_dir: Path, tasks: Mapping[str, TaskSpec]):
        self.root = Path(root)
        self.code = code_fingerprint(tasks)
        _check_place(self.root, Path(data_dir))
        manifest = self._load_manifest()
        self.participants: dict[str, CachedParticipant] = {}
        if (manifest.get("format"), manifest.get("code")) == (FORMAT, self.code):
            try:
                self.participants = {p: CachedParticipant(**entry) for p, entry in manifest["participants"].items()}
            except (KeyError, TypeError, AttributeError):
                self.participants = {}
        self._data_dir = str(Path(data_dir).resolve())

    def _tag(self) -> None:
        """Create the folder with its CACHEDIR.TAG first, so a run killed later leaves a folder known as a cache."""
        self.root.mkdir(parents=True, exist_ok=True)
        tag = self.root / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(_TAG, encoding="utf-8")

    def _load_manifest(self) -> dict:
        try:
            manifest = json.loads((self.root / MANIFEST).read_bytes())
        except (OSError, ValueError):
            return {}
        return manifest if isinstance(manifest, dict) else {}

    def rows(self, participant: str, labels: Iterable[str]) -> dict[str, pd.DataFrame]:
        """Cached trial rows of a participant's sessions ``labels``, by task.

        Rows carry the ``_file`` column as -1 (they come from no file of this run).
        """
        entry = self.participants.get(participant)
        if entry is None:
            return {}
        sessions = sorted({int(label.rpartition("ses-")[2]) for label in labels})
        out = {}
        for task, name in entry.rows.items():
            path = self.root / "rows" / task / name
            wanted = [("participant", "=", participant), ("session", "in", sessions)]
            frame = pq.read_table(path, filters=wanted).to_pandas()
            if len(frame):
                out[task] = frame.assign(**{FILE: -1})
        return out

    def put_rows(self, key: str, trials: Mapping[str, pd.DataFrame]) -> dict[str, str]:
        """Store the trial rows of a batch of participants by task; return task → file name.

        One file per task and batch: a file per participant and session would
        make reading and writing slower than the CSV files (Parquet has a fixed
        cost per file). Each participant's rows are a row group of their own,
        so that reading one participant skips the others' by the row groups'
        statistics.
        """
        self._tag()
        names = {}
        for task, frame in trials.items():
            names[task] = f"{key}.parquet"
            write_parquet(frame.drop(columns=[FILE]), self.root / "rows" / task / names[task], groups="participant")
        return names

    def put_scores(self, key: str, scores: Scores) -> None:
        """Store the per-participant score tables of a batch of participants (one file per table)."""
        self._tag()
        for name in TABLES:
            write_parquet(getattr(scores, name), self.root / "scores" / name / f"{key}.parquet")

    def assemble(self, participants: Mapping[str, CachedParticipant]) -> Scores:
        """The per-participant score tables of ``participants``, joined in DuckDB from their batches' files.

        Each participant's rows come from the files of the batch named by their
        entry (:attr:`CachedParticipant.batch`); rows are sorted by participant,
        each participant's in the order they were stored.
        """
        owners = pd.DataFrame({"participant": list(participants),
                               "batch": [entry.batch for entry in participants.values()]})
        tables = {}
        with duckdb.connect() as db:
            db.execute("SET TimeZone = 'UTC'")
            db.register("owners", owners)
            for name in TABLES:
                folder = self.root / "scores" / name
                files = [str(folder / f"{batch}.parquet") for batch in sorted(set(owners["batch"]))]
                arrow = db.sql(
                    "SELECT t.* EXCLUDE (filename, file_row_number) FROM read_parquet(?, filename = true, "
                    "file_row_number = true, union_by_name = true) t JOIN owners o ON t.participant = o.participant "
                    "AND t.filename = ? || '/' || o.batch || '.parquet' ORDER BY t.participant, t.file_row_number",
                    params=[files, str(folder)]).to_arrow_table()
                tables[name] = _from_arrow(arrow)
        references = {p: {k: ReferenceValues(**v) for k, v in entry.references.items()}
                      for p, entry in participants.items() if entry.references}
        return Scores(**tables, summary=pd.DataFrame(), components=pd.DataFrame(), references=references)

    def save(self, participants: dict[str, CachedParticipant]) -> None:
        """Make ``participants`` the cache's index (files no longer named are removed)."""
        self._tag()
        write_json_atomic(self.root / MANIFEST, {
            "format": FORMAT, "code": self.code, "data_dir": self._data_dir,
            "participants": {p: vars(e) for p, e in sorted(participants.items())}})
        self.participants = participants
        self._remove_unlisted()

    def _remove_unlisted(self) -> None:
        keep = {self.root / MANIFEST, self.root / "CACHEDIR.TAG", self.root / "rows", self.root / "scores"}
        for entry in self.root.iterdir():
            if entry not in keep:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        named = {(task, name) for e in self.participants.values() for task, name in e.rows.items()}
        named |= {(table, f"{e.batch}.parquet") for e in self.participants.values() if e.batch for table in TABLES}
        for path in [*self.root.glob("rows/*/*"), *self.root.glob("scores/*/*")]:
            if (path.parent.name, path.name) not in named:
                path.unlink()


def _from_arrow(table: pa.Table) -> pd.DataFrame:
    """A pandas frame of an Arrow table read back from the cache: lists as lists, times in nanoseconds."""
    frame = table.to_pandas()
    for column in frame.columns:
        if pa.types.is_list(table.schema.field(column).type):
            frame[column] = frame[column].map(lambda v: v.tolist() if isinstance(v, np.ndarray) else v)
        elif isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].astype("datetime64[ns, UTC]")
    return frame


def code_fingerprint(tasks: Mapping[str, TaskSpec]) -> str:
    """Hash of cogtrain's source files, the task packages' and the registered task names."""
    digest = hashlib.sha256(f"{FORMAT}:{cogtrain.__version__}:{sorted(tasks)}".encode())
    folders = {Path(cogtrain.__file__).parent}
    folders |= {Path(spec.defaults).parent for spec in tasks.values()}
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def _check_place(root: Path, data_dir: Path) -> None:
    cache, data = root.resolve(), data_dir.resolve()
    if cache == data or data in cache.parents or cache in data.parents:
        raise CogtrainError(f"cache folder {root} must not be inside data folder {data_dir} (or the reverse); "
                            "choose another --cache folder")
    if cache.is_dir() and any(cache.iterdir()) and not (cache / "CACHEDIR.TAG").is_file():
        raise CogtrainError(f"cache folder {root} holds other files than a cogtrain cache; "
                            "choose an empty or new --cache folder")


def write_parquet(frame: pd.DataFrame, path: Path, groups: str | None = None) -> None:
    """Write ``frame`` to ``path`` as Parquet, atomically (temporary file, then rename).

    Columns holding both numbers and text (a hand-edited log) are written as text.
    With ``groups``, the name of a column by which ``frame`` is sorted, each of its
    values gets a row group of its own, and the file is written for speed (trial rows,
    written on every first scoring): LZ4 without dictionaries, statistics only of
    ``groups`` and ``session``, which reading one participant's sessions filters on.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(_arrow_safe(frame), preserve_index=False)
    tmp = path.with_name(f".{path.name}.tmp")
    if groups is None or not len(frame):
        pq.write_table(table, tmp)
    else:
        values = frame[groups].to_numpy()
        starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
        ends = np.r_[starts[1:], len(values)]
        with pq.ParquetWriter(tmp, table.schema, compression="lz4", use_dictionary=False,
                              write_statistics=[groups, "session"]) as writer:
            for start, end in zip(starts.tolist(), ends.tolist()):
                writer.write_table(table.slice(start, end - start))
    os.replace(tmp, path)


def _arrow_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text for columns holding both numbers and text (a hand-edited log), so Arrow can store them."""
    mixed = [c for c in frame.columns if frame[c].dtype == object
             and pd.api.types.infer_dtype(frame[c], skipna=True) not in ("string", "empty", "floating",
                                                                         "integer", "mixed-integer-float",
                                                                         "boolean", "datetime", "date")
             and not frame[c].map(lambda v: isinstance(v, list)).all()]  # lists (e.g. flags) stay lists
    if not mixed:
        return frame
    out = frame.copy()
    for column in mixed:
        values = out[column]
        out[column] = values.where(values.isna(), values.astype(str))
    return out

