"""state.json: checked when read, repaired from the session records, never trusted blindly."""
import json

import pytest

from cogtrain.errors import CogtrainError
from cogtrain.state import ParticipantState


def record(**carried):
    """A session record whose blocks committed ``carried`` = {task: (commit, level)}."""
    return {"progress": {"carried": {name: {"commit": c, "state": {"level": lvl}}
                                     for name, (c, lvl) in carried.items()}}}


def write_state(path, tasks, commits):
    path.write_text(json.dumps({"participant": "P1", "tasks": tasks, "commits": commits}))


def test_state_behind_the_session_record_is_brought_up_to_date(tmp_path):
    path = tmp_path / "state.json"
    write_state(path, {"nback": {"level": 2}, "tower": {"level": 4}}, {"nback": 3, "tower": 5})
    state = ParticipantState(path, "P1")
    state.reconcile([("ses-001/session.json", record(nback=(3, 2), tower=(5, 4))),
                     ("ses-002/session.json", record(nback=(8, 3)))])
    assert state.task("nback") == {"level": 3} and state.task("tower") == {"level": 4}
    assert state.notes == [f"{path}: brought up to date with the last finished block(s) (nback from "
                           "ses-002/session.json); the last run stopped before saving it"]
    saved = json.loads(path.read_text())
    assert saved["tasks"]["nback"] == {"level": 3} and saved["commits"] == {"nback": 8, "tower": 5}
    assert state.next_commit() == 9


def test_an_older_session_resumed_later_does_not_overwrite_newer_levels(tmp_path):
    """The commit number, not the session number, says which state is the latest."""
    path = tmp_path / "state.json"
    write_state(path, {"nback": {"level": 5}}, {"nback": 12})
    state = ParticipantState(path, "P1")
    state.reconcile([("ses-001/session.json", record(nback=(3, 2))), ("ses-004/session.json", record(nback=(12, 5)))])
    assert state.task("nback") == {"level": 5} and state.notes == []


@pytest.mark.parametrize("content, damage", [
    ("[1, 2]", "top level is a list, expected a mapping"),
    ('{"tasks": 3}', "key tasks: missing or not a mapping of task names to their state"),
    ('{"tasks": {"nback": [3]}}', "key tasks.nback: a list, expected a mapping"),
    ('{"tasks": {"nback": {"level": 1e400}}}', "key tasks.nback.level: 1e400 is not a finite number"),
    ('{"tasks": {}, "commits": {"nback": "7"}}', "key commits: expected a mapping of task names to whole numbers"),
    ("{", "not valid JSON"),
    ("", "not valid JSON"),
])
def test_damaged_state_is_rebuilt_from_the_session_records_and_kept_aside(tmp_path, content, damage):
    path = tmp_path / "state.json"
    path.write_text(content)
    state = ParticipantState(path, "P1")
    state.reconcile([("ses-001/session.json", record(nback=(3, 2), tower=(4, 6))),
                     ("ses-002/session.json", record(nback=(9, 4)))])
    assert state.task("nback") == {"level": 4} and state.task("tower") == {"level": 6}
    [note] = state.notes
    assert note.startswith(f"{path}: {damage}") and "rebuilt from the session records (ses-001/session.json, " \
        "ses-002/session.json); the damaged file is kept as state.damaged-" in note
    assert json.loads(path.read_text())["commits"] == {"nback": 9, "tower": 4}
    [kept] = tmp_path.glob("state.damaged-*.json")
    assert kept.read_text() == content


def test_damaged_state_without_records_to_rebuild_from_says_what_to_do(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"tasks": "x"}')
    with pytest.raises(CogtrainError) as caught:
        ParticipantState(path, "P1").reconcile([])
    assert str(caught.value) == (f"{path}: key tasks: missing or not a mapping of task names to their state; "
                                 "no session record holds a level to rebuild it from: restore the file from a "
                                 "backup, or delete it to start every task at its first-session level")
    assert path.read_text() == '{"tasks": "x"}'


def test_state_of_an_earlier_version_without_commits_is_read(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"participant": "P1", "updated": null, "tasks": {"nback": {"level": 3}}}')
    state = ParticipantState(path, "P1")
    state.reconcile([])
    assert state.task("nback") == {"level": 3} and state.next_commit() == 1


def test_damaged_entries_of_a_session_record_are_ignored(tmp_path):
    state = ParticipantState(tmp_path / "state.json", "P1")
    state.reconcile([("ses-001/session.json", {"progress": {"carried": {
        "nback": {"commit": True, "state": {"level": 9}}, "tower": {"commit": 2, "state": [1]},
        "recall": "x"}}}), ("ses-002/session.json", [1])])
    assert state.data["tasks"] == {} and state.notes == []
