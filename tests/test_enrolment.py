"""Enrolment: the participant's record, its resolved copies and the audit log."""
from __future__ import annotations

import hashlib
import json

import pytest

from cogtrain.cli import main
from cogtrain.config import load_battery
from cogtrain.enrolment import (enrol, enrolled_participants, first_difference, load_enrolment,
                                resolved_profile, set_profile, settings_hash)
from cogtrain.errors import ConfigError, UsageError
from tests.conftest import CONFIGS

BATTERY = CONFIGS / "ms_training.yaml"
PROFILE = CONFIGS / "profiles" / "example_low_vision_tremor.yaml"


def test_settings_hash_is_sha256_of_canonical_json():
    expected = hashlib.sha256(b'{"a":[1.5],"b":"\xc3\xa9"}').hexdigest()
    assert settings_hash({"b": "é", "a": [1.5]}) == expected
    assert settings_hash(None) is None


def test_enrol_writes_record_and_copies_that_keep_the_settings(tmp_path):
    record = enrol(tmp_path, "P1", BATTERY, profile_path=PROFILE, arm="training", language="en")
    sub = tmp_path / "sub-P1"
    stored = json.loads((sub / "participant.json").read_text())
    assert stored["arm"] == "training" and stored["language"] == "en"
    assert stored["plan"] == {"sessions_per_week": 3, "minutes_per_session": 35, "weeks": 8, "sessions": 24}
    assert stored["battery"]["sha256"] == settings_hash(load_battery(BATTERY).resolved())
    assert load_battery(sub / "battery.yaml").resolved() == load_battery(BATTERY).resolved()
    assert record.battery().resolved() == load_battery(BATTERY, profile=PROFILE).resolved()
    assert record.battery().task_settings["nback"].mode == "single"
    assert stored["created"].endswith("+00:00")
    assert [e["action"] for e in record.audit()] == ["enrol"]
    assert enrolled_participants(tmp_path) == ["P1"]


def test_plan_options_override_the_battery_plan(tmp_path):
    record = enrol(tmp_path, "P2", BATTERY, plan={"weeks": 4, "sessions_per_week": 2.5})
    assert record.plan.sessions == 10 and record.plan.minutes_per_session == 35
    assert record.profile_file is None and record.profile_hash is None


def test_enrolling_twice_is_refused(tmp_path):
    enrol(tmp_path, "P1", BATTERY)
    with pytest.raises(UsageError, match="already enrolled"):
        enrol(tmp_path, "P1", BATTERY, profile_path=PROFILE)


def test_invalid_profile_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("display: {text_heigth: 0.07}\n")
    with pytest.raises(ConfigError, match="text_heigth"):
        enrol(tmp_path / "data", "P1", BATTERY, profile_path=bad)
    assert not (tmp_path / "data" / "sub-P1").exists()


def test_set_profile_appends_to_the_audit_log(tmp_path):
    enrol(tmp_path, "P1", BATTERY)
    changed = set_profile(tmp_path, "P1", PROFILE, reason="blurred vision since March")
    copy = tmp_path / "sub-P1" / "profile.yaml"
    assert changed.profile_hash == settings_hash(resolved_profile(copy)) == settings_hash(resolved_profile(PROFILE))
    assert resolved_profile(copy)["breaks"] == {"between_tasks": True, "fatigue_rating": True, "min_duration_s": 60}
    log = [json.loads(line) for line in (tmp_path / "sub-P1" / "audit.jsonl").read_text().splitlines()]
    assert [e["action"] for e in log] == ["enrol", "set_profile"]
    assert log[1]["old_sha256"] is None and log[1]["new_sha256"] == changed.profile_hash
    assert log[1]["reason"] == "blurred vision since March" and log[1]["user"]
    assert load_enrolment(tmp_path, "P1").battery().config.display.text_height == 0.065


def test_set_profile_needs_a_reason_and_an_enrolment(tmp_path):
    with pytest.raises(UsageError, match="not enrolled"):
        set_profile(tmp_path, "P9", PROFILE, reason="x")
    enrol(tmp_path, "P1", BATTERY)
    with pytest.raises(UsageError, match="--reason"):
        set_profile(tmp_path, "P1", PROFILE, reason="  ")


def test_first_difference_names_the_key_and_both_values():
    assert first_difference({"tasks": [{"task": "nback"}]}, {"tasks": [{"task": "tower"}]}) == \
        'tasks[0].task: "nback" instead of "tower"'
    assert first_difference({"a": 1}, {"a": 1}) is None
    assert first_difference({"a": 1}, {}) == "a: 1 instead of (not set)"


def test_cli_enrol_and_participant(tmp_path, capsys):
    data = ["--data", str(tmp_path)]
    assert main(["enrol", "P1", "--battery", str(BATTERY), "--weeks", "4", *data]) == 0
    assert "12 sessions" in capsys.readouterr().out
    assert main(["participant", "P1", "--set-profile", str(PROFILE), *data]) == 2
    assert "--reason" in capsys.readouterr().err
    assert main(["participant", "P1", "--set-profile", str(PROFILE), "--reason", "tremor", *data]) == 0
    out = capsys.readouterr().out
    assert "set_profile" in out and ": tremor" in out
    assert main(["participant", "P2", *data]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not enrolled" in err
