"""The session runner, driven by the simulated participant over a test-only task."""
import json

import pandas as pd
import pytest

from cogtrain.adaptive import Staircase
from cogtrain.cli import simulated_factory
from cogtrain.config import load_battery
from cogtrain.errors import CogtrainError, UsageError
from cogtrain.lock import ParticipantLock
from cogtrain.session import SessionRequest, run_session, williams_row

BATTERY = """
name: test battery
tasks:
  - task: fake
    settings: {blocks: 3}
"""


@pytest.fixture
def battery(fake_task, write_config):
    return load_battery(write_config(BATTERY))


def run(battery, tmp_path, **kw):
    request = SessionRequest(participant="P1", data_dir=tmp_path / "data", **kw)
    return run_session(battery, request, simulated_factory(battery, {}))


def read_log(outcome):
    return pd.read_csv(outcome.folder / "fake.csv")


def test_complete_session_writes_every_file(battery, tmp_path):
    outcome = run(battery, tmp_path, seed=7)
    assert outcome.status == "complete" and outcome.session == 1
    assert outcome.folder == tmp_path / "data" / "sub-P1" / "ses-001"
    record = json.loads((outcome.folder / "session.json").read_text())
    assert record["status"] == "complete" and record["seed"] == 7 and record["ended"]
    assert record["progress"]["done"] == ["fake:0", "fake:1", "fake:2", "fake:3"]
    assert record["fatigue"] and 0 <= record["fatigue"][0]["rating"] <= 10
    assert record["runs"][0]["frontend"] == "simulated" and record["runs"][0]["frame_rate_hz"] == 60
    log = read_log(outcome)
    assert list(log.columns[:9]) == ["participant", "session", "task", "block", "trial",
                                     "onset_s", "rt_s", "response", "correct"]
    assert len(log) == 20 and set(log["run"]) == {1} and log["practice"].tolist()[:5] == [1] * 5
    assert log["onset_s"].is_monotonic_increasing
    state = json.loads((tmp_path / "data" / "sub-P1" / "state.json").read_text())
    replay = Staircase(level=2, floor=1, ceiling=9)
    for correct in log.loc[log["practice"] == 0, "correct"]:
        replay.update(bool(correct))
    assert state["tasks"]["fake"]["level"] == replay.level


def test_level_carries_to_the_next_session(battery, tmp_path):
    first = run(battery, tmp_path, seed=1)
    level = json.loads((first.folder.parent / "state.json").read_text())["tasks"]["fake"]["level"]
    second = run(battery, tmp_path, seed=2)
    assert second.session == 2
    assert read_log(second)["level"].iloc[0] == level


def test_same_seed_regenerates_the_same_trials(battery, tmp_path):
    a = read_log(run(battery, tmp_path / "a", seed=3))
    b = read_log(run(battery, tmp_path / "b", seed=3))
    assert a["stimulus"].tolist() == b["stimulus"].tolist()


def test_abort_then_resume_continues_at_the_unfinished_block(battery, tmp_path, monkeypatch):
    from tests.fake_task import FakeSimulator

    monkeypatch.setattr(FakeSimulator, "abort_at", (2, 3))
    outcome = run(battery, tmp_path, seed=5)
    assert outcome.status == "aborted"
    record = json.loads((outcome.folder / "session.json").read_text())
    assert record["status"] == "aborted" and record["progress"]["done"] == ["fake:0", "fake:1"]
    partial = read_log(outcome)
    assert len(partial) == 5 + 5 + 2  # the trial in progress is not logged
    monkeypatch.setattr(FakeSimulator, "abort_at", None)
    resumed = run(battery, tmp_path, resume=True)
    assert resumed.status == "complete" and resumed.session == 1
    log = read_log(resumed)
    rerun = log[log["run"] == 2]
    assert rerun["block"].tolist() == [2] * 5 + [3] * 5
    # the re-run block is the same block (same stimuli) as the interrupted one
    first_try = log[(log["run"] == 1) & (log["block"] == 2)]
    assert first_try["stimulus"].tolist() == rerun["stimulus"].tolist()[:2]
    record = json.loads((outcome.folder / "session.json").read_text())
    assert [r["status"] for r in record["runs"]] == ["aborted", "complete"]


def test_resume_needs_an_unfinished_session(battery, tmp_path):
    with pytest.raises(UsageError, match="no session to resume"):
        run(battery, tmp_path, resume=True)
    run(battery, tmp_path, seed=1)
    with pytest.raises(UsageError, match="already complete"):
        run(battery, tmp_path, resume=True)


def test_existing_session_number_is_refused(battery, tmp_path):
    run(battery, tmp_path, seed=1)
    with pytest.raises(UsageError, match="already exists"):
        run(battery, tmp_path, session=1)


def test_second_concurrent_run_is_refused(battery, tmp_path):
    sub = tmp_path / "data" / "sub-P1"
    sub.mkdir(parents=True)
    with ParticipantLock(sub):
        with pytest.raises(CogtrainError, match="another cogtrain session is running"):
            run(battery, tmp_path)


def test_stale_lock_of_a_dead_process_is_taken_over(battery, tmp_path):
    sub = tmp_path / "data" / "sub-P1"
    sub.mkdir(parents=True)
    (sub / ".lock").write_text("999999999")
    assert run(battery, tmp_path).status == "complete"
    assert not (sub / ".lock").exists()


@pytest.mark.parametrize("bad", ["../x", "a b", "a.b", "", "x/y", "a\x00", "é", "a-b", "a" * 65])
def test_participant_ids_are_letters_and_digits(battery, tmp_path, bad):
    with pytest.raises(UsageError, match="letters"):
        run_session(battery, SessionRequest(participant=bad, data_dir=tmp_path),
                    simulated_factory(battery, {}))


def test_williams_rows_are_latin_and_balanced():
    n = 4
    square = [williams_row(n, r) for r in range(n)]
    assert all(sorted(row) == list(range(n)) for row in square)
    assert all(sorted(col) == list(range(n)) for col in zip(*square))
    pairs = {(row[i], row[i + 1]) for row in square for i in range(n - 1)}
    assert len(pairs) == n * (n - 1)  # every ordered pair follows each other exactly once
