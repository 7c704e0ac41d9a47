"""Which settings the next session runs: enrolled, overridden, or as a study's schedule makes due."""
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from cogtrain.choice import choose
from cogtrain.cli import main
from cogtrain.errors import UsageError
from tests.conftest import CONFIGS

STUDY = Path(__file__).resolve().parent / "data" / "study" / "study.yaml"


def session_json(data: Path, number: int) -> dict:
    return json.loads((data / "sub-P1" / f"ses-{number:03d}" / "session.json").read_text())


@pytest.fixture
def study_data(tmp_path):
    data = tmp_path / "data"
    profile = tmp_path / "profile.yaml"
    profile.write_text("display: {text_height: 0.065}\n")
    assert main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=A", "--profile", str(profile),
                 "--data", str(data)]) == 0
    return data


def run(data: Path, *extra: str) -> int:
    return main(["run", "--participant", "P1", "--simulate", "--seed", "4", "--data", str(data), *extra])


def test_a_study_participant_gets_the_baseline_visit_then_training(study_data, capsys):
    assert run(study_data) == 0
    assert "study: baseline visit due" in capsys.readouterr().out
    baseline = session_json(study_data, 1)
    record = json.loads((study_data / "sub-P1" / "participant.json").read_text())
    assert baseline["visit"] == "baseline" and baseline["arm"] == record["arm"]
    assert baseline["config"]["name"] == "test assessment"
    assert baseline["config"]["display"]["text_height"] == 0.065  # the enrolled profile applies at visits too
    assert baseline["profile"]["sha256"] == record["profile"]["sha256"]
    assert run(study_data) == 0
    assert "training session 1 of 8 before the post visit" in capsys.readouterr().out
    training = session_json(study_data, 2)
    assert training["visit"] is None and training["config"]["name"] == f"test {record['arm']}"
    assert training["task_order"] == record["study"]["task_order"]


def test_an_unfinished_visit_is_continued_with_the_assessment_battery(study_data, capsys):
    assert run(study_data) == 0
    meta_path = study_data / "sub-P1" / "ses-001" / "session.json"
    meta = json.loads(meta_path.read_text())
    meta["status"] = "aborted"  # as a kill in the last block leaves it: every block still to be done again
    meta["progress"] = {"done": [], "snapshots": {}, "carried": {}}
    meta_path.write_text(json.dumps(meta))
    choice = choose(study_data, "P1")
    assert (choice.visit, choice.battery.config.name) == ("baseline", "test assessment")
    assert choice.due == "continuing session 1, the baseline visit"


def test_the_post_visit_comes_when_the_training_dose_is_done(study_data):
    today = date.today()
    assert choose(study_data, "P1", today=today).visit == "baseline"
    assert run(study_data) == 0
    for _ in range(8):
        assert choose(study_data, "P1", today=today).visit is None
        assert run(study_data) == 0
    post = choose(study_data, "P1", today=today)
    assert (post.visit, post.battery.config.name, post.task_order) == ("post", "test assessment", None)
    assert choose(study_data, "P1", today=today + timedelta(days=40)).due.endswith("LATE: past its window)")


def test_another_battery_at_a_visit_needs_an_override(study_data, capsys):
    training = STUDY.parent / "training.yaml"
    assert run(study_data, str(training)) == 2
    err = capsys.readouterr().err
    assert "differs from the baseline visit's assessment battery" in err and err.count("\n") == 1
    assert not (study_data / "sub-P1" / "ses-001").exists()


def test_a_withdrawn_participant_runs_no_more_sessions(study_data, capsys):
    assert main(["participant", "P1", "--withdraw", "--reason", "moved away", "--data", str(study_data)]) == 0
    assert run(study_data) == 2
    assert "withdrew on" in capsys.readouterr().err
    with pytest.raises(UsageError, match="withdrew"):
        choose(study_data, "P1")


def test_a_participant_outside_a_study_runs_the_enrolled_battery(tmp_path):
    data = tmp_path / "data"
    assert main(["enrol", "P1", "--battery", str(CONFIGS / "nback.yaml"), "--data", str(data)]) == 0
    choice = choose(data, "P1")
    assert (choice.visit, choice.arm, choice.due, choice.task_order) == (None, None, None, None)
    assert choice.settings["override"] is None and choice.settings["profile"] is None
    assert main(["participant", "P1", "--withdraw", "--reason", "moved away", "--data", str(data)]) == 0
    with pytest.raises(UsageError, match="withdrew"):
        choose(data, "P1")


def test_a_battery_without_a_plan_enrols_with_none_or_a_whole_one(tmp_path, capsys):
    data = tmp_path / "data"
    battery = str(CONFIGS / "nback.yaml")
    assert main(["enrol", "P2", "--battery", battery, "--weeks", "4", "--data", str(data)]) == 2
    assert "has no plan: give --sessions-per-week, --minutes-per-session as well" in capsys.readouterr().err
    assert main(["enrol", "P2", "--battery", battery, "--weeks", "4", "--sessions-per-week", "3",
                 "--minutes-per-session", "30", "--data", str(data)]) == 0
    assert json.loads((data / "sub-P2" / "participant.json").read_text())["plan"]["sessions"] == 12
    assert main(["participant", "P3", "--data", str(data)]) == 2
    capsys.readouterr()
    assert main(["enrol", "P3", "--battery", battery, "--data", str(data)]) == 0
    assert main(["participant", "P3", "--data", str(data)]) == 0
    assert "plan:        none configured" in capsys.readouterr().out


def test_the_start_screen_of_a_study_participant_states_no_of_n(study_data):
    from cogtrain.enrolment import require_enrolment
    from cogtrain.start import start_info

    assert run(study_data) == 0  # the baseline visit is session 1; the plan counts training only
    info = start_info(study_data, "P1", require_enrolment(study_data, "P1"))
    assert (info.session, info.planned, info.minutes) == (2, None, 5)
