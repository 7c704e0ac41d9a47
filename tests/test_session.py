"""The session runner, driven by the simulated participant over a test-only task."""
import json
import re

import pandas as pd
import pytest

from cogtrain.adaptive import Staircase
from cogtrain.cli import simulated_factory
from cogtrain.config import load_battery
from cogtrain.errors import CogtrainError, UsageError
from cogtrain.lock import ParticipantLock
from cogtrain.session import SessionRequest, run_session

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



# --- a finished block is one commit: session.json, then state.json repaired from it -------------------------
def test_kill_between_the_two_saves_of_the_last_block_keeps_the_level(battery, tmp_path, monkeypatch):
    """The run dies after session.json recorded the last block and before state.json was written."""
    reference = run(battery, tmp_path / "ref", seed=9)
    expected = json.loads((reference.folder.parent / "state.json").read_text())["tasks"]["fake"]

    from cogtrain.state import ParticipantState
    real_update = ParticipantState.update_task

    def die_at_the_last_block(self, name, carried, commit):
        if commit == 3:  # blocks 1..3 after practice block 0: the fourth commit never reaches state.json
            raise KeyboardInterrupt  # as SIGKILL would, between the two writes
        real_update(self, name, carried, commit)

    monkeypatch.setattr(ParticipantState, "update_task", die_at_the_last_block)
    with pytest.raises(KeyboardInterrupt):
        run(battery, tmp_path, seed=9)
    monkeypatch.setattr(ParticipantState, "update_task", real_update)
    resumed = run(battery, tmp_path, resume=True)
    state = json.loads((resumed.folder.parent / "state.json").read_text())
    assert state["tasks"]["fake"] == expected
    assert resumed.status == "complete" and any("brought up to date" in n for n in resumed.notes)


def test_next_session_starts_from_the_committed_level_after_a_kill(battery, tmp_path, monkeypatch):
    first = run(battery, tmp_path, seed=4)
    sub = first.folder.parent
    level = json.loads((sub / "state.json").read_text())["tasks"]["fake"]["level"]
    (sub / "state.json").write_text(json.dumps({"participant": "P1", "tasks": {"fake": {"level": 1}},
                                                "commits": {"fake": 1}}))  # a stale copy
    second = run(battery, tmp_path, seed=5)
    assert read_log(second)["level"].iloc[0] == level


def test_resume_takes_participant_and_session_from_the_folder(battery, tmp_path, monkeypatch):
    from tests.fake_task import FakeSimulator

    monkeypatch.setattr(FakeSimulator, "abort_at", (2, 3))
    outcome = run(battery, tmp_path, seed=5)
    path = outcome.folder / "session.json"
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "participant": "SOMEONEELSE", "session": 7}))
    monkeypatch.setattr(FakeSimulator, "abort_at", None)
    resumed = run(battery, tmp_path, resume=True)
    log = read_log(resumed)
    assert set(log["participant"]) == {"P1"} and set(log["session"]) == {1}
    assert f"{path}: key participant says 'SOMEONEELSE'; using participant P1 from the folder name" in resumed.notes
    assert not (tmp_path / "data" / "sub-SOMEONEELSE").exists()


def aborted_record(battery, tmp_path, monkeypatch):
    from tests.fake_task import FakeSimulator

    monkeypatch.setattr(FakeSimulator, "abort_at", (2, 3))
    outcome = run(battery, tmp_path, seed=5)
    monkeypatch.setattr(FakeSimulator, "abort_at", None)
    return outcome.folder / "session.json"


def set_key(data, dotted, value):
    *parents, last = dotted.split(".")
    for key in parents:
        data = data[key]
    if value is DELETE:
        del data[last]
    else:
        data[last] = value


DELETE = object()


@pytest.mark.parametrize("key, value, message", [
    ("seed", "7", "key seed: '7', expected a whole number from 0 to 2^63-1"),
    ("seed", 10**25, "key seed: 10000000000000000000000000, expected a whole number from 0 to 2^63-1"),
    ("status", None, "key status: None, expected one of running, aborted"),
    ("task_order", ["fake", "ghost"], "key task_order: ['fake', 'ghost'], expected each of fake once"),
    ("runs", {"a": 1}, "key runs: {'a': 1}, expected a list of mappings"),
    ("fatigue", "tired", "key fatigue: 'tired', expected a list of mappings"),
    ("duration_s", -5, "key duration_s: -5, expected seconds from 0 to 604800"),
    ("duration_s", 1e300, "key duration_s: 1e+300, expected seconds from 0 to 604800"),
    ("started", "2026-02-31T10:00:00", "key started: '2026-02-31T10:00:00', expected an ISO 8601 date and time"),
    ("started", "9999-01-01T00:00:00+00:00", "key started: '9999-01-01T00:00:00+00:00' is not a possible start"),
    ("carried_start", DELETE, "key carried_start: missing or not a mapping"),
    ("progress", [], "key progress: missing or not a mapping"),
    ("progress.done", "fake:0", "key progress.done: 'fake:0', expected a list of finished blocks"),
    ("progress.done", ["fake:0", 3], "key progress.done[1]: 3, expected TASK:BLOCK of a task of this battery"),
    ("progress.done", ["ghost:1"], "key progress.done[0]: 'ghost:1', expected TASK:BLOCK of a task"),
    ("progress.snapshots", {"ghost": {}}, "key progress.snapshots.ghost: a task that is not in this battery"),
    ("progress.snapshots.fake", 5, "key progress.snapshots.fake: 5, expected a mapping"),
    ("progress.carried.fake", {"commit": "2", "state": {}},
     "key progress.carried.fake: expected a commit number and a state mapping"),
    ("progress.snapshots.fake.stair", {"level": "high"},
     "key progress.snapshots.fake: cannot be used (ValueError: level: 'high' is not a whole number)"),
    ("progress.snapshots.fake.stair", None,
     "key progress.snapshots.fake: cannot be used (ValueError: staircase: NoneType, expected a mapping)"),
])
def test_tampered_session_record_is_one_line_naming_file_and_key(battery, tmp_path, monkeypatch, key, value,
                                                                 message):
    path = aborted_record(battery, tmp_path, monkeypatch)
    data = json.loads(path.read_text())
    set_key(data, key, value)
    path.write_text(json.dumps(data))
    with pytest.raises(CogtrainError) as caught:
        run(battery, tmp_path, resume=True)
    text = str(caught.value)
    assert text.startswith(f"{path}: {message}") and "\n" not in text
    assert "restore" in text and "leave out --resume to start a new session" in text


@pytest.mark.parametrize("content, message", [
    ("[]", "top level is a list, not a session record"),
    ('{"seed": NaN}', "key seed: NaN is not a finite number"),
    ('{"seed": ' + "1" * 5000 + "}", "key seed: 111111111111…(5000 characters) is not a finite number"),
])
def test_unreadable_session_record_is_one_line(battery, tmp_path, monkeypatch, content, message):
    path = aborted_record(battery, tmp_path, monkeypatch)
    path.write_text(content)
    with pytest.raises(CogtrainError) as caught:
        run(battery, tmp_path, resume=True)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_snapshot_levels_are_clamped_into_the_task_range(battery, tmp_path, monkeypatch):
    path = aborted_record(battery, tmp_path, monkeypatch)
    data = json.loads(path.read_text())
    data["progress"]["snapshots"]["fake"]["stair"].update(level=10**20, ceiling=10**20)
    path.write_text(json.dumps(data))
    resumed = run(battery, tmp_path, resume=True)
    assert read_log(resumed)["level"].max() <= 9


@pytest.mark.parametrize("entry, problem", [
    ({"level": "3"}, "ValueError: level: '3' is not a whole number"),
    ({"level": True}, "ValueError: level: True is not a whole number"),
    ({"level": [3]}, "ValueError: level: [3] is not a whole number"),
])
def test_tampered_state_entry_is_one_line_saying_what_to_do(battery, tmp_path, entry, problem):
    run(battery, tmp_path, seed=1)
    path = tmp_path / "data" / "sub-P1" / "state.json"
    state = json.loads(path.read_text())
    state["tasks"]["fake"] = entry
    path.write_text(json.dumps(state))
    with pytest.raises(CogtrainError) as caught:
        run(battery, tmp_path, seed=2)
    assert str(caught.value) == (f"{path}: key tasks.fake: cannot be used ({problem}); fix it, or delete the "
                                 "entry to start fake at its first-session level")


@pytest.mark.parametrize("level, first", [(10**29, 9), (-(10**29), 1), (0, 1), (12, 9)])
def test_state_levels_are_clamped_into_the_task_range(battery, tmp_path, level, first):
    run(battery, tmp_path, seed=1)
    path = tmp_path / "data" / "sub-P1" / "state.json"
    state = json.loads(path.read_text())
    state["tasks"]["fake"]["level"] = level
    path.write_text(json.dumps(state))
    assert read_log(run(battery, tmp_path, seed=2))["level"].iloc[0] == first


def test_unfinished_session_is_continued_by_default(battery, tmp_path, monkeypatch):
    from tests.fake_task import FakeSimulator

    monkeypatch.setattr(FakeSimulator, "abort_at", (2, 3))
    assert run(battery, tmp_path, seed=5).status == "aborted"
    monkeypatch.setattr(FakeSimulator, "abort_at", None)
    continued = run(battery, tmp_path)
    assert continued.session == 1 and continued.status == "complete"
    assert sorted(p.name for p in (tmp_path / "data" / "sub-P1").glob("ses-*")) == ["ses-001"]
    record = json.loads((continued.folder / "session.json").read_text())
    assert [f["flag"] for f in record["flags"]] == ["aborted", "resumed"]
    assert record["flags"][0]["detail"] == "run 1: test abort"
    assert run(battery, tmp_path).session == 2  # a complete session is not continued


def test_continuing_with_another_seed_is_refused(battery, tmp_path, monkeypatch):
    from tests.fake_task import FakeSimulator

    monkeypatch.setattr(FakeSimulator, "abort_at", (1, 1))
    run(battery, tmp_path, seed=5)
    with pytest.raises(UsageError, match="--seed 6: session 1 of P1 is continued with its own seed 5"):
        run(battery, tmp_path, seed=6)


def test_new_session_abandons_the_unfinished_one_with_the_reason(battery, tmp_path, monkeypatch):
    from tests.fake_task import FakeSimulator

    monkeypatch.setattr(FakeSimulator, "abort_at", (1, 2))
    first = run(battery, tmp_path, seed=5)
    monkeypatch.setattr(FakeSimulator, "abort_at", None)
    second = run(battery, tmp_path, new_session=True, reason="fire alarm; restarted next day")
    assert second.session == 2 and second.status == "complete"
    old = json.loads((first.folder / "session.json").read_text())
    assert old["status"] == "abandoned" and old["abandoned"]["reason"] == "fire alarm; restarted next day"
    assert [f["flag"] for f in old["flags"]] == ["aborted", "abandoned"]
    with pytest.raises(UsageError, match="already abandoned"):
        run(battery, tmp_path, resume=True, session=1)


def test_killed_run_is_flagged_when_continued(battery, tmp_path):
    from cogtrain.files import write_json_atomic

    first = run(battery, tmp_path, seed=5)
    path = first.folder / "session.json"
    record = json.loads(path.read_text())  # as a SIGKILL after block 1 leaves it
    record.update(status="running", ended=None)
    record["progress"]["done"] = record["progress"]["done"][:2]
    record["runs"][-1].update(status="running", ended=None)
    write_json_atomic(path, record)
    assert run(battery, tmp_path).session == 1
    record = json.loads(path.read_text())
    assert [r["status"] for r in record["runs"]] == ["killed", "complete"]
    assert [f["flag"] for f in record["flags"]] == ["aborted", "resumed"]


def test_continuing_with_other_settings_names_the_difference(battery, tmp_path, monkeypatch, write_config):
    from tests.fake_task import FakeSimulator

    monkeypatch.setattr(FakeSimulator, "abort_at", (1, 2))
    run(battery, tmp_path, seed=5)
    other = load_battery(write_config(BATTERY.replace("blocks: 3", "blocks: 4"), name="other.yaml"))
    with pytest.raises(UsageError, match=r"tasks\[0\]\.settings\.blocks: 4 instead of 3.*--new-session"):
        run(other, tmp_path)


def test_host_and_screen_changes_are_flagged(battery, tmp_path, monkeypatch):
    from cogtrain.simulate import SimulatedFrontend

    run(battery, tmp_path, seed=1)
    monkeypatch.setattr("cogtrain.session.platform.node", lambda: "another-computer")
    monkeypatch.setattr(SimulatedFrontend, "screen_size", [1366, 768])
    second = run(battery, tmp_path, seed=2)
    flags = json.loads((second.folder / "session.json").read_text())["flags"]
    assert [f["flag"] for f in flags] == ["host_changed"]  # no screen before: nothing to compare
    monkeypatch.setattr(SimulatedFrontend, "screen_size", [1920, 1080])
    third = run(battery, tmp_path, seed=3)
    flags = json.loads((third.folder / "session.json").read_text())["flags"]
    assert flags == [{"flag": "screen_changed", "detail": "window 1920x1080, before 1366x768"}]


def test_checkin_is_asked_once_per_session(fake_task, write_config, tmp_path, monkeypatch):
    from cogtrain.simulate import SimulatedFrontend
    from tests.fake_task import FakeSimulator

    battery = load_battery(write_config(BATTERY + "checkin: {enabled: true}\n"))
    monkeypatch.setattr(SimulatedFrontend, "ask_choice", lambda self, prompt, options, screen: options.index("Yes"))
    monkeypatch.setattr(FakeSimulator, "abort_at", (1, 1))
    first = run(battery, tmp_path, seed=5)
    record = json.loads((first.folder / "session.json").read_text())
    assert [(a["id"], type(a["answer"]).__name__) for a in record["checkin"]] == [
        ("hours_slept", "int"), ("fatigue_now", "int"), ("ms_change", "str")]
    assert record["checkin"][2]["answer"] == "yes"
    monkeypatch.setattr(FakeSimulator, "abort_at", None)
    screens = []
    monkeypatch.setattr(SimulatedFrontend, "ask_rating", lambda self, prompt, screen, **k: screens.append(screen) or 3)
    assert run(battery, tmp_path).status == "complete"
    assert screens == ["fatigue"]  # the end-of-session rating only: no second check-in
    assert json.loads((first.folder / "session.json").read_text())["checkin"] == record["checkin"]


@pytest.mark.parametrize("text, message", [
    ("checkin: {questions: [{id: a, prompt: x}, {id: a, prompt: y}]}", "used twice"),
    ("checkin: {questions: [{id: a, prompt: x, low: 5, high: 5}]}", "low 5 must be below high 5"),
    ("checkin: {questions: [{id: Sleep, prompt: x}]}", "checkin.questions[0].id"),
])
def test_bad_checkin_questions_are_config_errors(fake_task, write_config, text, message):
    with pytest.raises(CogtrainError, match=re.escape(message)):
        load_battery(write_config(BATTERY + text + "\n"))
