"""What the start screen and the end summary say, from a participant's real session records."""
import json
from datetime import date

import numpy as np

from cogtrain.cli import main, simulated_factory
from cogtrain.config import load_battery
from cogtrain.enrolment import require_enrolment
from cogtrain.programme import StartInfo
from cogtrain.registry import get_task
from cogtrain.session import SessionRequest, run_session
from cogtrain.simulate import ParticipantModel, SimClock, SimulatedFrontend
from cogtrain.start import start_info
from cogtrain.text import load
from tests.conftest import CONFIGS

BATTERY = CONFIGS / "ms_training.yaml"


def summaries_of(battery, data, participant="P1", sessions=1):
    """Run simulated sessions; return the end summary each one showed."""
    shown = []

    class Recording(SimulatedFrontend):
        def show_summary(self, text, screen):
            shown.append(text)
            super().show_summary(text, screen)

    def make(seed, start_s, session):
        model = ParticipantModel(abilities={"nback": 2.5}, rng=np.random.default_rng([seed, session]))
        return Recording(model, SimClock(start_s))

    for number in range(sessions):
        run_session(battery, SessionRequest(participant=participant, data_dir=data, seed=number), make)
    return shown


def test_start_info_counts_sessions_and_states_the_plan(tmp_path):
    data = tmp_path / "data"
    assert main(["enrol", "P1", "--battery", str(BATTERY), "--data", str(data)]) == 0
    enrolment = require_enrolment(data, "P1")
    assert start_info(data, "P1", enrolment) == StartInfo(1, 24, 35, None, False)
    battery = load_battery(BATTERY)
    run_session(battery, SessionRequest(participant="P1", data_dir=data, seed=1), simulated_factory(battery, {}))
    info = start_info(data, "P1", enrolment)
    assert (info.session, info.planned, info.continuing, info.last) == (2, 24, False, date.today())
    assert info.text(date.today(), load("en")) == "Session 2 of 24\nAbout 35 minutes\nLast session today"


def test_an_unfinished_session_is_announced_as_continued_with_its_own_number(tmp_path):
    data = tmp_path / "data"
    assert main(["enrol", "P1", "--battery", str(BATTERY), "--data", str(data)]) == 0
    battery = load_battery(BATTERY)
    run_session(battery, SessionRequest(participant="P1", data_dir=data, seed=1), simulated_factory(battery, {}))
    path = data / "sub-P1" / "ses-001" / "session.json"
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "status": "aborted"}))
    info = start_info(data, "P1", require_enrolment(data, "P1"))
    assert (info.session, info.continuing) == (1, True)
    assert "About" not in info.text(date.today(), load("en"))  # what is left is shorter than a session: no length is stated


def test_without_a_plan_the_start_screen_names_no_total(tmp_path):
    battery = tmp_path / "b.yaml"
    battery.write_text("name: no plan\ntasks:\n  - task: nback\n")
    data = tmp_path / "data"
    assert main(["enrol", "P1", "--battery", str(battery), "--data", str(data)]) == 0
    enrolment = require_enrolment(data, "P1")
    assert enrolment.plan is None
    assert start_info(data, "P1", enrolment).text(date.today(), load("en")) == "Session 1\nYour first session"


def test_end_summary_states_levels_against_last_time_and_sessions_against_the_plan(tmp_path):
    data = tmp_path / "data"
    assert main(["enrol", "P1", "--battery", str(BATTERY), "--data", str(data)]) == 0
    first, second = summaries_of(require_enrolment(data, "P1").battery(), data, sessions=2)
    assert first.startswith("Session 1 is complete.")
    assert "N-back: level 2 today." in first  # the first session has no "last time"
    assert "Sessions done: 1 of 24." in first and "Sessions done: 2 of 24." in second
    ses1 = json.loads((data / "sub-P1" / "ses-001" / "session.json").read_text())
    ses2 = json.loads((data / "sub-P1" / "ses-002" / "session.json").read_text())
    before = ses2["carried_start"]["tower"]["level"]
    assert before == ses1["progress"]["carried"]["tower"]["state"]["variants"]["tol"]["level"]
    today = json.loads((data / "sub-P1" / "state.json").read_text())["tasks"]["tower"]["variants"]["tol"]["level"]
    title = get_task("tower").title
    expected = (f"{title}: level {today} today, up from level {before} last time." if today > before else
                f"{title}: level {today} today, the same as last time." if today == before else
                f"{title}: level {today} today, level {before} last time. Levels go up and down from day to day.")
    assert expected in second.splitlines()
    assert "well done" not in (first + second).lower()


def test_without_enrolment_the_summary_names_no_plan(tmp_path, fake_task, write_config):
    battery = load_battery(write_config("name: t\ntasks:\n  - task: fake\n    settings: {blocks: 2}\n"))
    (summary,) = summaries_of(battery, tmp_path / "data")
    assert "Sessions done: 1." in summary and " of " not in summary


def test_an_assessment_visit_states_no_levels_and_does_not_count_as_training(tmp_path, fake_task, write_config):
    battery = load_battery(write_config("name: t\npurpose: assessment\ntasks:\n  - task: fake\n    settings: {blocks: 2}\n"))
    (summary,) = summaries_of(battery, tmp_path / "data")
    assert summary.splitlines() == ["Session 1 is complete.", "", "Sessions done: 0.", "Thank you for doing the tests today."]
