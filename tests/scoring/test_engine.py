"""The scoring engine: batches, the columnar cache, worker processes and Dask give the tables of the plain pandas
path."""
from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cogtrain.clinical import record_event
from cogtrain.errors import CogtrainError
from cogtrain.registry import all_tasks
from cogtrain.scoring.cache import StudyCache
from cogtrain.scoring.compute import compute_scores
from cogtrain.scoring.engine import Batch, _entries, score_batch, score_data
from cogtrain.scoring.processes import can_fork, process_runner
from cogtrain.scoring.read import read_study
from cogtrain.scoring.study import score_study, write_tables
from tests.conftest import load_script

ROOT = Path(__file__).parents[2]
TABLES = ("session_scores.csv", "participant_summary.csv", "curves.csv", "sessions.csv", "adherence.csv",
          "composite_components.csv", "events.csv")


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> list[Path]:
    """Two simulated sessions of the full battery (the real command line)."""
    bench = load_script("bench_scoring")
    return bench.simulate_templates(tmp_path_factory.mktemp("templates"), 2)


@pytest.fixture
def study(tmp_path, templates) -> Path:
    """Five participants with three sessions each: one log with a malformed line, one assessment visit and one
    clinical event."""
    bench = load_script("bench_scoring")
    data = tmp_path / "data"
    bench.synthesise(templates, data, participants=5, sessions=3)
    log = data / "sub-B0002" / "ses-002" / "tower.csv"
    log.write_bytes(log.read_bytes() + b"B0002,2,tower,1,99,oops\n")
    meta = data / "sub-B0004" / "ses-003" / "session.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "visit": "follow-up"}))
    record_event(data, "B0005", "2026-01-06", "relapse")
    return data


def pandas_tables(data: Path, out: Path) -> dict[str, pd.DataFrame]:
    """The reference: the whole folder read into frames and scored in one call."""
    tasks = all_tasks()
    write_tables(compute_scores(read_study(data, tasks), tasks), out)
    return tables(out)


def tables(out: Path) -> dict[str, pd.DataFrame]:
    """The written CSV tables, text as written (IDs, empty cells) and numbers as numbers."""
    return {name: pd.read_csv(out / name, dtype={"participant": str}, keep_default_na=False, na_values=[""])
            for name in TABLES}


def assert_same(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    """Equal tables; numbers equal to 1e-12 relative.

    pandas' grouped means of one participant can differ in the last bit when other
    participants are in the same call (docs/scaling.md), so bytes are not compared.
    """
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=False, rtol=1e-12, atol=0,
                                      obj=name)


def test_batches_and_cache_give_the_tables_of_the_pandas_path(study, tmp_path):
    expected = pandas_tables(study, tmp_path / "pandas")
    plain = score_study(study, tmp_path / "plain", reports=False)
    cold = score_study(study, tmp_path / "cold", reports=False, cache=tmp_path / "cache")
    warm = score_study(study, tmp_path / "warm", reports=False, cache=tmp_path / "cache")
    assert_same(tables(tmp_path / "plain"), expected)
    assert_same(tables(tmp_path / "cold"), expected)
    assert_same(tables(tmp_path / "warm"), expected)
    assert any("sub-B0002/ses-002/tower.csv: skipped malformed line" in w for w in plain.warnings)
    assert sorted(plain.warnings) == sorted(cold.warnings) == sorted(warm.warnings)
    assert f"cache: {tmp_path / 'cache'} (safe to delete" in warm.summary_text
    assert "cache: none" in plain.summary_text


def test_small_batches_give_the_same_tables(study, tmp_path):
    tasks = all_tasks()
    whole = score_data(study, tasks)
    batched = score_data(study, tasks, batch_bytes=1)
    write_tables(whole.scores, tmp_path / "whole")
    write_tables(batched.scores, tmp_path / "batched")
    assert_same(tables(tmp_path / "whole"), tables(tmp_path / "batched"))
    assert sorted(whole.warnings) == sorted(batched.warnings)


@pytest.mark.parametrize("change", ["add", "remove", "change", "remove participant", "clinical event"])
def test_incremental_scoring_equals_a_full_rescore(study, tmp_path, change):
    tasks = all_tasks()
    cache = tmp_path / "cache"
    score_data(study, tasks, cache=StudyCache(cache, study, tasks))
    person = study / "sub-B0003"
    if change == "add":
        shutil.copytree(person / "ses-002", person / "ses-004")
        for log in (person / "ses-004").glob("*.csv"):
            log.write_text(log.read_text().replace("\nB0003,2,", "\nB0003,4,"))
    elif change == "remove":
        shutil.rmtree(person / "ses-002")
    elif change == "change":
        log = person / "ses-001" / "nback.csv"
        lines = log.read_text().splitlines(keepends=True)
        log.write_text("".join(lines[:-5]))
    elif change == "clinical event":
        record_event(study, "B0003", "2026-01-07", "steroids", "five days")
    else:
        shutil.rmtree(person)
    incremental = score_data(study, tasks, cache=StudyCache(cache, study, tasks))
    full = score_data(study, tasks)
    assert incremental.rescored == ([] if change == "remove participant" else ["B0003"])
    write_tables(incremental.scores, tmp_path / "incremental")
    write_tables(full.scores, tmp_path / "full")
    assert_same(tables(tmp_path / "incremental"), tables(tmp_path / "full"))
    assert sorted(incremental.warnings) == sorted(full.warnings)
    assert incremental.rows_read == full.rows_read


def test_once_scored_again_a_participants_changed_session_is_read_and_the_others_come_from_the_cache(
        study, tmp_path, monkeypatch):
    tasks = all_tasks()
    cache = tmp_path / "cache"
    score_data(study, tasks, cache=StudyCache(cache, study, tasks))
    assert not any(entry.rows for entry in StudyCache(cache, study, tasks).participants.values())  # tables only
    from cogtrain.scoring import read as read_module

    read = []
    original = read_module.read_logs

    def spy(files, warnings, progress=None):
        read.extend(f.label for f in files)
        return original(files, warnings, progress)

    monkeypatch.setattr(read_module, "read_logs", spy)
    for session in ("ses-003", "ses-002"):
        read.clear()
        log = study / "sub-B0001" / session / "recall.csv"
        log.write_bytes(log.read_bytes() + b"\n")
        score_data(study, tasks, cache=StudyCache(cache, study, tasks))
    # the first change read all of B0001's logs and kept their rows; the second reads only its own session
    assert sorted(read) == sorted(f"sub-B0001/ses-002/{log.name}" for log in log.parent.glob("*.csv"))
    assert len(read) >= 3


def test_the_cache_is_never_inside_the_data_folder_nor_over_other_files(study, tmp_path):
    tasks = all_tasks()
    with pytest.raises(CogtrainError, match="must not be inside"):
        StudyCache(study / "cache", study, tasks)
    with pytest.raises(CogtrainError, match="must not be inside"):
        StudyCache(study.parent, study, tasks)
    other = tmp_path / "notes"
    other.mkdir()
    (other / "thesis.txt").write_text("keep me")
    with pytest.raises(CogtrainError, match="other files than a cogtrain cache"):
        StudyCache(other, study, tasks)
    assert (other / "thesis.txt").read_text() == "keep me"


def test_a_damaged_manifest_means_an_empty_cache(study, tmp_path):
    tasks = all_tasks()
    cache = tmp_path / "cache"
    score_data(study, tasks, cache=StudyCache(cache, study, tasks))
    (cache / "manifest.json").write_text("{not json")
    again = score_data(study, tasks, cache=StudyCache(cache, study, tasks))
    assert len(again.rescored) == 5


def test_dask_local_cluster_gives_the_tables_of_the_default_engine_and_fills_the_cache(study, tmp_path):
    expected = pandas_tables(study, tmp_path / "pandas")
    result = score_study(study, tmp_path / "dask", reports=False, workers=2, cache=tmp_path / "cache")
    assert_same(tables(tmp_path / "dask"), expected)
    assert any("malformed line" in w for w in result.warnings)
    entries = StudyCache(tmp_path / "cache", study, all_tasks()).participants
    assert len(entries) == 5 and all(entry.batch for entry in entries.values())


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_worker_processes_give_the_tables_and_fill_the_cache(study, tmp_path):
    tasks = all_tasks()
    expected = pandas_tables(study, tmp_path / "pandas")
    cache = tmp_path / "cache"
    cold = score_data(study, tasks, cache=StudyCache(cache, study, tasks), runner=process_runner(2), batch_bytes=1)
    write_tables(cold.scores, tmp_path / "cold")
    assert_same(tables(tmp_path / "cold"), expected)
    assert sorted(cold.rescored) == [f"B000{i}" for i in range(1, 6)]
    entries = StudyCache(cache, study, tasks).participants
    assert all(entry.batch for entry in entries.values())  # the workers stored every participant's tables
    log = study / "sub-B0003" / "ses-001" / "nback.csv"
    log.write_text("".join(log.read_text().splitlines(keepends=True)[:-5]))
    warm = score_data(study, tasks, cache=StudyCache(cache, study, tasks), runner=process_runner(2), batch_bytes=1)
    assert warm.rescored == ["B0003"]
    assert StudyCache(cache, study, tasks).participants["B0003"].rows  # scored again: its rows are kept now
    write_tables(warm.scores, tmp_path / "warm")
    assert_same(tables(tmp_path / "warm"), pandas_tables(study, tmp_path / "pandas-after"))


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_a_worker_process_that_dies_is_one_clear_error(study, monkeypatch):
    from cogtrain.scoring import processes

    monkeypatch.setattr(processes, "score_batch", lambda *args, **kwargs: os._exit(9))  # as if killed, out of memory
    with pytest.raises(CogtrainError, match="a worker process stopped before it finished .* --jobs 1"):
        score_data(study, all_tasks(), runner=process_runner(2), batch_bytes=1)


@pytest.mark.parametrize("address", ["notanaddress", "tcp://127.0.0.1:1"])
def test_an_unreachable_scheduler_is_one_clear_error(study, tmp_path, monkeypatch, address):
    from cogtrain.scoring import distributed

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(CogtrainError, match="cannot reach Dask scheduler"):
        score_study(study, tmp_path / "out", reports=False, scheduler=address)


def test_a_full_disk_under_the_cache_costs_only_the_shortcut(study, tmp_path, monkeypatch):
    from cogtrain.scoring import cache as cache_module

    def full_disk(frame, path, groups=None):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(cache_module, "write_parquet", full_disk)
    tasks = all_tasks()
    expected = score_data(study, tasks)
    result = score_data(study, tasks, cache=StudyCache(tmp_path / "cache", study, tasks))
    assert f"cache folder {tmp_path / 'cache'} cannot be written (No space left on device); " \
           "the next run reads everything again" in result.warnings
    write_tables(expected.scores, tmp_path / "expected")
    write_tables(result.scores, tmp_path / "result")
    assert_same(tables(tmp_path / "result"), tables(tmp_path / "expected"))
    monkeypatch.undo()  # the disk has room again: nothing was kept, so everyone is scored again
    again = score_data(study, tasks, cache=StudyCache(tmp_path / "cache", study, tasks))
    assert sorted(again.rescored) == [f"B000{i}" for i in range(1, 6)]
    write_tables(again.scores, tmp_path / "again")
    assert_same(tables(tmp_path / "again"), tables(tmp_path / "expected"))


def test_tables_scored_where_the_cache_is_out_of_reach_are_kept_by_the_caller(study, tmp_path):
    """As on a remote cluster, whose workers may not see the cache folder."""
    tasks = all_tasks()
    cache = tmp_path / "cache"

    def remote(data_dir, batches, tasks, cache):
        return (score_batch(data_dir, batch, tasks) for batch in batches)

    first = score_data(study, tasks, cache=StudyCache(cache, study, tasks), runner=remote, batch_bytes=1)
    again = score_data(study, tasks, cache=StudyCache(cache, study, tasks))
    assert sorted(first.rescored) == [f"B000{i}" for i in range(1, 6)] and again.rescored == []
    write_tables(again.scores, tmp_path / "again")
    assert_same(tables(tmp_path / "again"), pandas_tables(study, tmp_path / "pandas"))


def test_each_participant_keeps_the_warnings_naming_them_and_those_naming_nobody():
    batch = Batch(["A1", "B2"], [], {"A1": {"sub-A1/ses-001": "k1", "sub-A1/ses-002": "k2"},
                                     "B2": {"sub-B2/ses-001": "k3"}}, {"A1": "pa", "B2": "pb"})
    trials = {"nback": pd.DataFrame({"participant": ["A1", "A1", "B2"]}),
              "recall": pd.DataFrame({"participant": ["B2"]})}
    warnings = ["sub-A1/ses-001/nback.csv: line 3 malformed; skipped",
                "task tower failed; its scores are empty",
                "sub-B2/ses-001/session.json missing; date unknown",
                "sub-A1/ses-002/recall.csv: copied from sub-B2",
                "sub-A12/ses-001/nback.csv: line 2 malformed; skipped",
                "sub-A1/ses-001: session aborted"]
    entries = _entries(batch, trials, warnings)
    assert entries["A1"].warnings == [warnings[i] for i in (0, 1, 3, 5)]
    assert entries["A1"].log_warnings == {"sub-A1/ses-001": [warnings[0]], "sub-A1/ses-002": [warnings[3]]}
    assert entries["A1"].rows_read == {"nback": 2}
    assert entries["B2"].warnings == [warnings[i] for i in (1, 2, 3)]
    assert entries["B2"].log_warnings == {}
    assert entries["B2"].rows_read == {"nback": 1, "recall": 1}
    assert entries["B2"].sessions == {"sub-B2/ses-001": "k3"} and entries["B2"].key == "pb"
