"""Score a data folder participant by participant: bounded memory, on every core, incremental, or on Dask.

Every score table is computed per participant (see :func:`cogtrain.scoring.compute.combine_scores`),
so participants are read and scored in batches of bounded size, by this process,
worker processes (:mod:`cogtrain.scoring.processes`) or a Dask cluster
(:mod:`cogtrain.scoring.distributed`), and the batches joined. With a
:class:`~cogtrain.scoring.cache.StudyCache`, each batch's tables are stored in
the cache and DuckDB joins every participant's tables from there; a participant
whose sessions are unchanged is not read nor scored again, and once a
participant is scored again their trial rows are kept, so that later only their
changed sessions' CSV files are read.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

import duckdb
import pandas as pd
import pyarrow as pa

from cogtrain.scoring.cache import CachedParticipant, StudyCache, combined_key, participant_key, session_stamp
from cogtrain.scoring.compute import Scores, combine_scores, participant_scores
from cogtrain.scoring.folders import SessionFolder, find_sessions
from cogtrain.scoring.progress import track
from cogtrain.scoring.read import read_folders
from cogtrain.task import TaskSpec

#: Trial-log bytes read and scored at once; bounds the memory of a batch (a few hundred MB).
BATCH_BYTES = 96 * 2**20
#: Smallest batch cut to spread work over workers: a batch has a fixed cost (a call of each task's functions).
MIN_SPREAD_BYTES = 4 * 2**20


@dataclass
class ScoredStudy:
    """Scores of a data folder and what was read.

    Attributes
    ----------
    data_dir : Path
        The folder read.
    scores : Scores
        Every table.
    warnings : list of str
        One line per file, line or session skipped or suspect (each once).
    sessions : int
        Session folders found.
    logs : int
        Trial logs found.
    rows_read : dict of str to int
        Readable trial rows per task.
    rescored : list of str
        Participants read and scored in this run (the others came from the cache).
    """

    data_dir: Path
    scores: Scores
    warnings: list[str]
    sessions: int
    logs: int
    rows_read: dict[str, int]
    rescored: list[str]

    def summary(self, shown_warnings: int = 20) -> str:
        """Lines for the user: participants, sessions, rows, rescored participants and first warnings."""
        table = self.scores.sessions
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(table["status"].value_counts().items()))
        lines = [f"read {self.data_dir}: {table['participant'].nunique()} participant(s), {self.sessions} "
                 f"session(s) ({statuses}), {self.logs} trial log(s), {sum(self.rows_read.values())} trial rows"]
        lines += [f"  {task}: {n} rows" for task, n in sorted(self.rows_read.items())]
        unchanged = table["participant"].nunique() - len(self.rescored)
        if unchanged:
            lines.append(f"{len(self.rescored)} participant(s) read and scored; {unchanged} unchanged since "
                         "the last run, taken from the cache")
        lines.append(f"{len(self.warnings)} warning(s)")
        lines += [f"  warning: {w}" for w in self.warnings[:shown_warnings]]
        if len(self.warnings) > shown_warnings:
            lines.append(f"  ... and {len(self.warnings) - shown_warnings} more")
        return "\n".join(lines)


@dataclass
class Batch:
    """Participants read and scored together, with their session folders, session keys and own keys."""

    participants: list[str]
    folders: list[SessionFolder]
    keys: dict[str, dict[str, str]]
    participant_keys: dict[str, str]


@dataclass
class BatchResult:
    """What scoring a batch of participants gives back.

    Attributes
    ----------
    scores : Scores or None
        The batch's scores, or None when they were stored in the cache (where
        :meth:`StudyCache.assemble` finds them).
    entries : dict of str to CachedParticipant
        A cache entry per participant: warnings, session keys, files stored.
    cache_error : str
        Why the cache could not be written (empty if it could, or there is none).
    """

    scores: Scores | None
    entries: dict[str, CachedParticipant]
    cache_error: str = ""


#: Receives the trial rows of a batch by task (helper columns dropped).
RowsSink = Callable[[dict[str, pd.DataFrame]], None]
#: Runs ``score_batch`` over batches and yields results in any order (in worker processes, or on Dask).
Runner = Callable[[Path, list[Batch], Mapping[str, TaskSpec], StudyCache | None], Iterable[BatchResult]]


def score_data(data_dir: Path, tasks: Mapping[str, TaskSpec], *, cache: StudyCache | None = None,
               progress: bool | None = None, runner: Runner | None = None,
               batch_bytes: int = BATCH_BYTES, spread: int = 1, rows_sink: RowsSink | None = None) -> ScoredStudy:
    """Read and score ``data_dir`` participant by participant.

    Parameters
    ----------
    data_dir : Path
        Folder of ``sub-<ID>/ses-<NNN>/`` session folders.
    tasks : mapping of str to TaskSpec
        Tasks to score.
    cache : StudyCache, optional
        Reuse and update this cache (default: none, everything is read).
    progress : bool or None, optional
        Show a progress bar (None: only on a terminal).
    runner : callable, optional
        Scores batches elsewhere (worker processes, :mod:`cogtrain.scoring.processes`,
        or a Dask cluster, :mod:`cogtrain.scoring.distributed`); default: one
        after the other in this process.
    batch_bytes : int, optional
        Trial-log bytes per batch, at most.
    spread : int, optional
        Workers the runner has: batches are cut smaller, so that there are at
        least this many (a batch has a fixed cost, so no smaller than that).
    rows_sink : callable, optional
        Called with each batch's trial rows by task (e.g. to export them);
        batches are then scored in this process, whatever ``runner`` is given.

    Returns
    -------
    ScoredStudy
        Scores, warnings and counts.

    Raises
    ------
    CogtrainError
        If the folder is missing or holds no session folder.
    """
    if cache is not None:
        try:
            return _score_data(Path(data_dir), tasks, cache, progress, runner, batch_bytes, spread, rows_sink)
        except (OSError, pa.ArrowException, duckdb.Error) as exc:  # e.g. another run replaced the cache meanwhile
            scored = _score_data(Path(data_dir), tasks, None, progress, runner, batch_bytes, spread, rows_sink)
            scored.warnings.append(f"cache folder {cache.root} could not be read ({exc}); everything was "
                                   "read again")
            return scored
    return _score_data(Path(data_dir), tasks, None, progress, runner, batch_bytes, spread, rows_sink)


def _score_data(data_dir: Path, tasks: Mapping[str, TaskSpec], cache: StudyCache | None,
                progress: bool | None, runner: Runner | None, batch_bytes: int, spread: int,
                rows_sink: RowsSink | None) -> ScoredStudy:
    warnings: list[str] = []
    folders = find_sessions(data_dir, set(tasks), warnings)
    groups: dict[str, list[SessionFolder]] = defaultdict(list)
    for folder in folders:
        groups[folder.participant].append(folder)
    stamps = {p: {f.label: session_stamp(f) for f in own} for p, own in groups.items()}
    keys = {p: {label: stamp.key for label, stamp in own.items()} for p, own in stamps.items()}
    sizes = {p: sum(stamp.log_bytes for stamp in own.values()) for p, own in stamps.items()}
    participant_keys = {p: participant_key(own[0].path.parent, keys[p].values()) for p, own in groups.items()}
    known = cache.participants if cache else {}
    todo = [p for p in groups if p not in known or known[p].key != participant_keys[p] or not known[p].batch]
    kept = [p for p in groups if p not in todo]
    parts: list[Scores] = []
    entries = {p: known[p] for p in kept}
    batches = plan_batches(todo, groups, keys, participant_keys, sizes, batch_bytes, spread)
    if runner is None or rows_sink is not None:
        results = (score_batch(data_dir, batch, tasks, cache, rows_sink) for batch in batches)
    else:
        results = runner(data_dir, batches, tasks, cache)
    cache_errors = []
    for result in track(results, progress, "scoring participants", total=len(batches)):
        entries.update(result.entries)
        error = result.cache_error
        if cache is not None and result.scores is not None and not error:  # scored out of the cache's reach
            error = keep_batch(cache, result.scores, result.entries)
        if result.scores is not None and (cache is None or error):
            parts.append(result.scores)
        cache_errors += [error] if error else []
    if cache is not None:
        stored = {p: entry for p, entry in entries.items() if entry.batch}
        if stored:
            parts.append(cache.assemble(stored))
        try:
            cache.save(entries)
        except OSError as exc:
            cache_errors.append(exc.strerror or str(exc))
        if cache_errors:  # the scores stand; only the next run's shortcut is lost
            warnings.append(f"cache folder {cache.root} cannot be written ({cache_errors[0]}); the next run "
                            "reads everything again")
    scores = combine_scores(parts, tasks)
    warnings += [w for p in groups for w in entries[p].warnings]
    rows_read: dict[str, int] = defaultdict(int)
    for entry in entries.values():
        for task, n in entry.rows_read.items():
            rows_read[task] += n
    return ScoredStudy(data_dir, scores, list(dict.fromkeys(warnings)), len(folders),
                       sum(len(f.logs) for f in folders), dict(rows_read), todo)


def plan_batches(participants: list[str], groups: Mapping[str, list[SessionFolder]],
                 keys: Mapping[str, dict[str, str]], participant_keys: Mapping[str, str],
                 sizes: Mapping[str, int], batch_bytes: int, spread: int = 1) -> list[Batch]:
    """Cut ``participants`` into batches of trial logs (a participant is never split).

    Batches hold at most about ``batch_bytes`` of trial logs (``sizes``: each
    participant's), and at most a ``spread``-th of all (but no less than
    :data:`MIN_SPREAD_BYTES`), so that ``spread`` workers each get one.
    """
    sizes = {p: sizes[p] for p in participants}
    if spread > 1:
        batch_bytes = min(batch_bytes, max(-(-sum(sizes.values()) // spread), MIN_SPREAD_BYTES))
    batches: list[Batch] = []
    size = batch_bytes
    for p in participants:
        if size >= batch_bytes:
            batches.append(Batch([], [], {}, {}))
            size = 0
        batch = batches[-1]
        batch.participants.append(p)
        batch.folders += groups[p]
        batch.keys[p] = keys[p]
        batch.participant_keys[p] = participant_keys[p]
        size += sizes[p]
    return batches


def score_batch(data_dir: Path, batch: Batch, tasks: Mapping[str, TaskSpec], cache: StudyCache | None = None,
                rows_sink: RowsSink | None = None) -> BatchResult:
    """Read and score one batch of participants (unchanged sessions' rows from ``cache``).

    The batch's scores are stored in ``cache``, and its trial rows when one of
    its participants was in the cache already. ``rows_sink``, when given,
    receives the batch's trial rows by task.
    """
    reused = _reusable_sessions(batch, cache)
    study = read_folders(Path(data_dir), batch.folders, [], progress=False, logs_known=set(reused))
    read_warnings = len(study.warnings)
    for task, frames in _cached_rows(batch, reused, cache).items():
        own = study.trials.get(task)
        joined = pd.concat(frames + ([own] if own is not None else []), ignore_index=True)
        study.trials[task] = joined.sort_values(["participant", "session"], kind="stable", ignore_index=True)
    if rows_sink is not None:
        rows_sink({task: study.task_rows(task) for task in study.trials})
    scores = participant_scores(study, tasks)
    study.warnings[read_warnings:read_warnings] = [w for label in reused for w in reused[label]]
    entries = _entries(batch, study.trials, study.warnings)
    if cache is None:
        return BatchResult(scores, entries)
    # Trial rows are kept for participants scored again (still training, so likely to be scored
    # again); a study's first scoring keeps only tables, as writing every row costs more than
    # reading a changed participant's logs again later.
    again = any(p in cache.participants for p in batch.participants)
    error = keep_batch(cache, scores, entries, study.trials if again else None)
    return BatchResult(scores if error else None, entries, error)


def keep_batch(cache: StudyCache, scores: Scores, entries: dict[str, CachedParticipant],
               trials: Mapping[str, pd.DataFrame] | None = None) -> str:
    """Store a batch's score tables (and trial rows, when given) in ``cache``; name them in its entries.

    Returns
    -------
    str
        Why the cache could not be written, or ``""`` when it was (the entries
        then name the batch's files; otherwise they name none, and the
        participants are scored again by the next run).
    """
    key = combined_key(entry.key for entry in entries.values())
    try:
        names = cache.put_rows(key, trials) if trials is not None else {}
        cache.put_scores(key, scores)
    except OSError as exc:
        return exc.strerror or str(exc)
    for p, entry in entries.items():
        entry.batch = key
        entry.rows = {task: name for task, name in names.items() if task in entry.rows_read}
        entry.references = {k: r.model_dump() for k, r in scores.references.get(p, {}).items()}
    return ""


def _reusable_sessions(batch: Batch, cache: StudyCache | None) -> dict[str, list[str]]:
    """Session label → its cached log warnings, for sessions whose rows the cache holds unchanged."""
    if cache is None:
        return {}
    out = {}
    for p in batch.participants:
        entry = cache.participants.get(p)
        if entry is not None and (entry.rows or not entry.rows_read):  # rows kept, or none to keep
            out.update({label: entry.log_warnings.get(label, []) for label, key in batch.keys[p].items()
                        if entry.sessions.get(label) == key})
    return out


def _cached_rows(batch: Batch, reused: Mapping[str, list[str]], cache: StudyCache | None
                 ) -> dict[str, list[pd.DataFrame]]:
    out: dict[str, list[pd.DataFrame]] = defaultdict(list)
    if cache is None or not reused:
        return out
    for p in batch.participants:
        labels = [label for label in batch.keys[p] if label in reused]
        if labels:
            for task, frame in cache.rows(p, labels).items():
                out[task].append(frame)
    return out


def _entries(batch: Batch, trials: Mapping[str, pd.DataFrame], warnings: list[str]) -> dict[str, CachedParticipant]:
    """Cache entries of the batch's participants (the files they are stored in are named by :func:`keep_batch`).

    Each warning is looked at once: it goes to the participants it names, or
    to every participant when it names none (e.g. a task's failure).
    """
    counts = {task: frame["participant"].value_counts().to_dict() for task, frame in trials.items()}
    own: dict[str, list[int]] = {p: [] for p in batch.participants}
    general: list[int] = []
    for i, warning in enumerate(warnings):
        named = _named(warning)
        for p in named & own.keys():
            own[p].append(i)
        if not named:
            general.append(i)
    entries = {}
    for p in batch.participants:
        own_warnings = [warnings[i] for i in sorted(own[p] + general)]
        log_warnings: dict[str, list[str]] = {label: [] for label in batch.keys[p]}
        for w in own_warnings:
            parts = w.split("/", 2)
            label = f"{parts[0]}/{parts[1]}" if len(parts) == 3 else None
            if label in log_warnings and w.partition(":")[0].endswith(".csv"):
                log_warnings[label].append(w)
        rows_read = {task: int(n[p]) for task, n in counts.items() if p in n}
        entries[p] = CachedParticipant(
            key=batch.participant_keys[p], sessions=dict(batch.keys[p]),
            log_warnings={label: found for label, found in log_warnings.items() if found},
            warnings=own_warnings, rows_read=rows_read)
    return entries


def _named(warning: str) -> set[str]:
    """IDs of the participants whose folders ``warning`` names."""
    return set(re.findall(r"sub-([A-Za-z0-9]+)", warning))
