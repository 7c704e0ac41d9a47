"""Session logic: blocks, resume, delayed recall wait, empty recall periods, adaptive list length."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from cogtrain.simulate import ParticipantModel, SimClock, SimulatedFrontend
from cogtrain.task import TaskContext
from cogtrain.tasks.recall import TASK
from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.tasks.recall.logic import FormRecord, RecallSession
from cogtrain.triallog import TrialLog


def _frontend(ability: float = 10.0, seed: int = 0) -> SimulatedFrontend:
    return SimulatedFrontend(ParticipantModel({"recall": ability}, np.random.default_rng(seed)), SimClock())


def _run(settings: RecallSettings, frontend, path: Path, carried=None, snapshot=None, blocks=None) -> RecallSession:
    task_session = RecallSession(TaskContext("P1", 1, frontend.clock, 9), settings, carried, snapshot)
    player = frontend.make_player(TASK, settings)
    fixed = {"participant": "P1", "session": 1, "task": "recall", "run": 1}
    with TrialLog(path, TASK.log_columns(settings), fixed) as log:
        for block in task_session.blocks():
            if blocks is None or block.number in blocks:
                task_session.run_block(block, player, log, np.random.default_rng([9, block.number]))
    return task_session


def _studied(path: Path) -> list[list[str]]:
    df = pd.read_csv(path)
    study = df.loc[df["trial_type"].eq("study")]
    return [list(g["item"]) for _, g in study.groupby("list", sort=True)]


def test_defaults_yaml_documents_every_setting() -> None:
    raw = yaml.safe_load(TASK.defaults.read_text(encoding="utf-8"))
    assert RecallSettings(**raw) == RecallSettings()
    assert set(raw) == set(RecallSettings.model_fields)


def test_blocks_practice_lists_then_deferred_delayed() -> None:
    task_session = RecallSession(TaskContext("P1", 1, SimClock(), 1), RecallSettings(lists=3), None)
    assert [(b.number, b.practice, b.deferred) for b in task_session.blocks()] == [
        (0, True, False), (1, False, False), (2, False, False), (3, False, False), (4, False, True)]
    no_extras = RecallSession(TaskContext("P1", 1, SimClock(), 1),
                              RecallSettings(practice_length=0, delayed={"enabled": False}), None)
    assert [b.number for b in no_extras.blocks()] == [1, 2]


def test_resume_from_snapshot_gives_the_same_session(tmp_path: Path) -> None:
    settings = RecallSettings(lists=3, learning_trials=2)
    whole = _run(settings, _frontend(), tmp_path / "whole.csv")
    first = _run(settings, _frontend(), tmp_path / "part1.csv", blocks={0, 1})
    snapshot = first.snapshot()
    rest = _run(settings, _frontend(), tmp_path / "part2.csv", snapshot=snapshot, blocks={2, 3})
    assert _studied(tmp_path / "part1.csv") + _studied(tmp_path / "part2.csv") == _studied(tmp_path / "whole.csv")
    assert rest.carried_state()["used_words"] == whole.carried_state()["used_words"]
    lists = pd.read_csv(tmp_path / "part2.csv")["list"]
    assert lists.min() == 3                      # list numbers continue after the resumed blocks (1-2)


def test_delayed_recall_waits_for_the_minimum_delay(tmp_path: Path) -> None:
    settings = RecallSettings(lists=1, practice_length=0, delayed={"min_delay_s": 900})
    frontend = _frontend()
    task_session = _run(settings, frontend, tmp_path / "r.csv")
    df = pd.read_csv(tmp_path / "r.csv")
    immediate_end = task_session.forms[-1].ended_s
    delayed = df.loc[df["phase"].eq("delayed")]
    assert len(delayed) and (delayed["onset_s"] >= immediate_end + 900 - 1e-6).all()
    assert (delayed["delay_s"] >= 900 - 1e-3).all() and delayed["list"].eq(1).all()


class Silent:
    """A player that studies and never types anything."""

    def __init__(self, clock):
        self.clock = clock

    def announce(self, text, screen):
        pass

    def study(self, word, position, length):
        self.clock.advance(2.5)
        return self.clock.now()

    def distractor(self, problems, duration_s):
        self.clock.advance(duration_s)

    def recall(self, cue, on_entry):
        self.clock.advance(cue.time_limit_s)

    def wait_until(self, t, text):
        self.clock.advance(max(0.0, t - self.clock.now()))

    def recognise(self, word, position, total):
        raise AssertionError("recognition is off")


def test_a_recall_period_with_nothing_typed_leaves_one_empty_invalid_row(tmp_path: Path) -> None:
    clock = SimClock()
    settings = RecallSettings(lists=1, practice_length=0, delayed={"min_delay_s": 0})
    task_session = RecallSession(TaskContext("P1", 1, clock, 1), settings, None)
    path = tmp_path / "r.csv"
    fixed = {"participant": "P1", "session": 1, "task": "recall", "run": 1}
    with TrialLog(path, TASK.log_columns(settings), fixed) as log:
        for block in task_session.blocks():
            task_session.run_block(block, Silent(clock), log, np.random.default_rng(1))
    df = pd.read_csv(path, keep_default_na=False)
    recall = df.loc[df["trial_type"].eq("recall")]
    assert list(recall["phase"]) == ["immediate", "delayed"]
    assert (recall["scoring_rule"] == "invalid").all() and (recall["raw_response"] == "").all()
    assert task_session.carried_state()["level"] == settings.length.start - 1     # nothing recalled: shorter list
    assert task_session.block_feedback(task_session.blocks()[0]) == "You remembered 0 of 8 words."  # no praise that was not earned


@pytest.mark.parametrize("ability, direction", [(20.0, 1), (3.0, -1)])
def test_list_length_follows_ability_across_sessions(tmp_path: Path, ability: float, direction: int,
                                                     run_sessions) -> None:
    df, states = run_sessions(tmp_path, RecallSettings(lists=4, delayed={"enabled": False}),
                                   sessions=3, ability=ability)
    lengths = df.loc[df["trial_type"].eq("study") & df["practice"].eq(0)].groupby(["session", "list"])[
        "list_length"].first()
    assert lengths.iloc[0] == 8
    assert np.sign(states[-1]["level"] - 8) == direction
    if direction < 0:
        assert states[-1]["level"] == 6                          # the floor


def test_feedback_names_each_learning_trial(learning_data) -> None:
    df, _ = learning_data
    assert set(df.loc[df["trial_type"].eq("study") & df["practice"].eq(0), "learning_trial"]) == {1, 2}
    task_session = RecallSession(TaskContext("P1", 1, SimClock(), 1), RecallSettings(learning_trials=3), None)
    assert task_session.block_feedback(task_session.blocks()[0]) == "Practice done. Now the real lists."
    task_session.forms.append(FormRecord(form=1, words=["a"] * 10, lists=[1, 2, 3], recalled=[4, 6, 8], ended_s=0.0))
    feedback = task_session.block_feedback(task_session.blocks()[1])
    assert feedback == "Words remembered on each try: 4, 6, 8 (of 10)."


@pytest.mark.parametrize("settings, message", [
    ({"pool": "klingon"}, "no word pool 'klingon'"),
    ({"recall": {"done_key": "a"}}, "not used for typing"),
    ({"recognition": {"enabled": True}, "delayed": {"enabled": False}}, "needs delayed.enabled"),
    ({"recognition": {"old_key": "left", "new_key": "left"}}, "must differ"),
    ({"length": {"start": 30}}, "less than or equal to 24|floor <= start <= ceiling"),
    ({"lists": 0}, "greater than or equal to 1"),
    ({"shuffle": True}, "Extra inputs are not permitted"),
])
def test_bad_settings_are_rejected_with_the_reason(settings: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RecallSettings(**settings)


def test_ten_sessions_never_show_a_word_twice(tmp_path: Path, run_sessions) -> None:
    settings = RecallSettings(lists=3, learning_trials=2, recognition={"enabled": True}, distractor={"enabled": False})
    df, states = run_sessions(tmp_path, settings, sessions=10, ability=12.0, seed=3)
    shown = df.loc[df["trial_type"].eq("study") | df["test"].eq("recognition")]
    first_seen = shown.drop_duplicates(["session", "item"])
    new_items = first_seen.loc[~(first_seen["test"].eq("recognition") & first_seen["probe"].eq("old"))]
    assert not new_items.duplicated("item").any()
    assert states[-1]["pool_cycle"] == 0 and len(states[-1]["used_words"]) == new_items["item"].nunique()
