"""An assessment visit keeps its own carried state: it never moves a training level."""
import json
from pathlib import Path

from cogtrain.carry import carried_for
from cogtrain.cli import simulated_factory
from cogtrain.config import load_battery
from cogtrain.session import SessionRequest, run_session

DATA = Path(__file__).resolve().parent.parent / "data" / "study"


def nback_level(path, battery):
    """The n-back level carried in a state file for the variant ``battery`` runs."""
    return carried_for(json.loads(path.read_text())["tasks"]["nback"], battery.task_settings["nback"])["level"]


def run(battery, data, session, **request):
    factory = simulated_factory(battery, {"nback": 4.0})
    return run_session(battery, SessionRequest("P1", data, session=session, seed=session, **request), factory)


def test_visits_and_training_carry_separate_states(tmp_path):
    training, assessment = load_battery(DATA / "training.yaml"), load_battery(DATA / "assessment.yaml")
    sub = tmp_path / "sub-P1"
    run(training, tmp_path, 1)
    level = nback_level(sub / "state.json", training)
    assert level > 2  # an able participant climbs from the start level
    visit = run(assessment, tmp_path, 2, visit="post", arm="training")
    assert nback_level(sub / "state.json", training) == level
    assert nback_level(sub / "assessment_state.json", assessment) == 2
    record = json.loads((visit.folder / "session.json").read_text())
    assert (record["visit"], record["arm"], record["config"]["purpose"]) == ("post", "training", "assessment")
    third = run(training, tmp_path, 3)
    first_level = json.loads((third.folder / "session.json").read_text())["carried_start"]["nback"]["level"]
    assert first_level == level  # the visit's fixed 2-back did not reach the training state


def test_a_lost_state_file_is_rebuilt_from_its_own_kind_of_sessions(tmp_path):
    training, assessment = load_battery(DATA / "training.yaml"), load_battery(DATA / "assessment.yaml")
    sub = tmp_path / "sub-P1"
    run(training, tmp_path, 1)
    level = nback_level(sub / "state.json", training)
    run(assessment, tmp_path, 2, visit="baseline")
    (sub / "state.json").write_text("{damaged")
    third = run(training, tmp_path, 3)
    assert json.loads((third.folder / "session.json").read_text())["carried_start"]["nback"]["level"] == level
