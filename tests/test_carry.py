"""Progress carried per task variant, and the migration of state files from before variants."""
import doctest
import json

import cogtrain.carry
from cogtrain.carry import migrate
from cogtrain.config import load_battery
from cogtrain.files import write_json_atomic
from cogtrain.state import ParticipantState
from cogtrain.tasks.nback.config import NbackSettings
from cogtrain.tasks.tower.config import TowerSettings


def test_docstring_examples_run():
    assert doctest.testmod(cogtrain.carry).failed == 0


def test_each_variant_has_its_own_name():
    assert NbackSettings(mode="dual").variant() == "dual"
    assert NbackSettings(mode="single", modality="letter").variant() == "single_letter"
    assert TowerSettings(puzzle="hanoi", capacities=[3, 3, 3]).variant() == "hanoi"


def _session(sub, number, tasks):
    folder = sub / f"ses-{number:03d}"
    folder.mkdir(parents=True)
    write_json_atomic(folder / "session.json", {"config": {"tasks": tasks}, "progress": {}})


def test_old_entries_move_to_the_variant_that_last_ran(tmp_path):
    sub = tmp_path / "sub-P1"
    _session(sub, 1, [{"task": "nback", "settings": {"mode": "dual"}}])
    _session(sub, 2, [{"task": "nback", "settings": {"mode": "single", "modality": "letter"}}])
    write_json_atomic(sub / "state.json", {"participant": "P1", "updated": None,
                                           "tasks": {"nback": {"level": 4}, "tower": {"level": 5},
                                                     "recall": {"level": 8}}})
    state = ParticipantState(sub / "state.json", "P1")
    assert migrate(state, sub, "P1") == ["nback -> nback (single_letter)", "tower -> tower (tol)"]
    on_disk = json.loads((sub / "state.json").read_text())["tasks"]
    assert on_disk == {"nback": {"variants": {"single_letter": {"level": 4}}},
                       "tower": {"variants": {"tol": {"level": 5}}}, "recall": {"level": 8}}
    assert migrate(ParticipantState(sub / "state.json", "P1"), sub, "P1") == []


def test_a_level_from_dual_never_starts_single(tmp_path, write_config):
    from cogtrain.cli import simulated_factory
    from cogtrain.session import SessionRequest, run_session

    def session(mode):
        text = ("name: b\ntasks:\n  - task: nback\n    settings: {blocks: 1, mode: %s, practice: {enabled: false}}\n"
                "breaks: {between_tasks: false, fatigue_rating: false}\n" % mode)
        battery = load_battery(write_config(text))
        outcome = run_session(battery, SessionRequest("P1", tmp_path / "data"), simulated_factory(battery, {}))
        return json.loads((outcome.folder / "session.json").read_text())["carried_start"]["nback"]

    assert session("dual") is None
    state = json.loads((tmp_path / "data" / "sub-P1" / "state.json").read_text())["tasks"]["nback"]
    assert list(state["variants"]) == ["dual"]
    assert session("single") is None  # the dual level does not start single n-back
    assert session("dual") == state["variants"]["dual"]
    state = json.loads((tmp_path / "data" / "sub-P1" / "state.json").read_text())["tasks"]["nback"]
    assert sorted(state["variants"]) == ["dual", "single_position"]
