"""cogtrain enrol --study and participant --withdraw, through the real command line."""
import json
from datetime import date
from pathlib import Path

import pytest

from cogtrain.cli import main
from cogtrain.enrolment import require_enrolment
from cogtrain.study.enrol import study_session

STUDY = Path(__file__).resolve().parent.parent / "data" / "study" / "study.yaml"


def test_enrol_allocates_and_records_the_arm_and_order(tmp_path, capsys):
    assert main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=B", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    record = json.loads((tmp_path / "sub-P1" / "participant.json").read_text())
    log = json.loads((tmp_path / "allocation" / "allocation.json").read_text())["allocations"]
    assert [entry["participant"] for entry in log] == ["P1"]
    assert record["arm"] == log[0]["arm"] in ("training", "control")
    assert record["study"]["stratum"] == "site=B" and record["study"]["task_order"] == ["nback"]
    assert record["battery"]["name"] == f"test {record['arm']}"
    assert f"arm {record['arm']}" in out and (tmp_path / "allocation" / "seed").read_text().strip() not in out


def test_a_refused_enrolment_uses_no_place_in_a_block(tmp_path, capsys):
    bad_profile = tmp_path / "profile.yaml"
    bad_profile.write_text("display: {text_height: 9}\n")
    assert main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=A", "--profile", str(bad_profile),
                 "--data", str(tmp_path / "data")]) == 2
    assert main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=C", "--data", str(tmp_path / "data")]) == 2
    assert not (tmp_path / "data" / "allocation" / "allocation.json").exists()
    assert main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=A", "--data", str(tmp_path / "data")]) == 0
    assert main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=A", "--data", str(tmp_path / "data")]) == 2
    assert "already enrolled" in capsys.readouterr().err


@pytest.mark.parametrize("extra, message", [
    (["--battery", "x.yaml"], "leave out --battery"),
    (["--arm", "control"], "leave out --arm"),
    (["--weeks", "3"], "leave out the plan options"),
])
def test_study_enrolment_refuses_what_the_allocation_decides(tmp_path, capsys, extra, message):
    assert main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=A", "--data", str(tmp_path), *extra]) == 2
    assert message in capsys.readouterr().err


def test_strata_need_a_study(tmp_path, capsys):
    config = STUDY.parent / "training.yaml"
    assert main(["enrol", "P1", "--battery", str(config), "--strata", "site=A", "--data", str(tmp_path)]) == 2
    assert "--strata goes with --study" in capsys.readouterr().err


def test_withdrawal_is_recorded_audited_and_stops_sessions(tmp_path, capsys):
    main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=A", "--data", str(tmp_path)])
    assert main(["participant", "P1", "--withdraw", "--data", str(tmp_path)]) == 2
    assert main(["participant", "P1", "--withdraw", "--reason", "moved away", "--data", str(tmp_path)]) == 0
    record = require_enrolment(tmp_path, "P1")
    assert record.data["withdrawn"]["reason"] == "moved away"
    assert [e["action"] for e in record.audit()] == ["enrol", "withdraw"]
    assert main(["participant", "P1", "--withdraw", "--reason", "again", "--data", str(tmp_path)]) == 2
    assert "already withdrew" in capsys.readouterr().err
    with pytest.raises(Exception, match="withdrew on"):
        study_session(tmp_path, record, date.today())


def test_the_first_session_due_is_the_baseline_visit_then_training(tmp_path):
    main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=A", "--data", str(tmp_path)])
    record = require_enrolment(tmp_path, "P1")
    first = study_session(tmp_path, record, date.today())
    assert (first.due.kind, first.due.visit, first.battery.config.name) == ("visit", "baseline", "test assessment")




def test_a_profile_that_does_not_fit_a_study_battery_is_refused_at_enrolment_naming_it(tmp_path, capsys):
    profile = tmp_path / "profile.yaml"
    profile.write_text("task_settings:\n  nback: {level: {start: 2}}\n")  # the control arm's n-back is fixed at 1
    assert main(["enrol", "P1", "--study", str(STUDY), "--strata", "site=A", "--profile", str(profile),
                 "--data", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert "with the study's battery" in err and "control.yaml" in err and "Traceback" not in err
    assert not (tmp_path / "data" / "allocation" / "allocation.json").exists()
