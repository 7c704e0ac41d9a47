"""Scoring, the adaptive rules fed scripted errors, carry-over, resume, settings."""
import numpy as np
import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from cogtrain.task import Block, TaskContext
from cogtrain.tasks.nback import TASK
from cogtrain.tasks.nback.config import NbackSettings
from cogtrain.tasks.nback.logic import (KeyPress, NbackSession, NbackTrial, TrialResponse,
                                        jaeggi_step, score_trial)
from cogtrain.triallog import TrialLog


class FakeClock:
    def now(self):
        return 0.0


class ScriptedPlayer:
    """Makes exactly the scripted number of errors per modality in each block.

    Errors are misses on the first targets, then false alarms on the first
    non-targets; everything else is answered right, 0.6 s after onset.
    """

    def __init__(self, errors_by_block):
        self.errors_by_block = errors_by_block
        self.t = 0.0
        self.made = {}
        self.feedback = []

    def play(self, trial: NbackTrial) -> TrialResponse:
        onset, self.t = self.t, self.t + 3.0
        want = self.errors_by_block.get(trial.block, {})
        presses = []
        for m, key in trial.keys.items():
            made = self.made.setdefault((trial.block, m), {"miss": 0, "fa": 0})
            budget = want.get(m, 0) - made["miss"] - made["fa"]
            respond = trial.is_target[m]
            if budget > 0:
                if trial.is_target[m] and made["miss"] < 6:
                    respond, made["miss"] = False, made["miss"] + 1
                elif not trial.is_target[m] and trial.number > trial.n:
                    respond, made["fa"] = True, made["fa"] + 1
            if respond:
                presses.append(KeyPress(key, onset + 0.6))
        return TrialResponse(onset_s=onset, presses=tuple(presses))

    def trial_feedback(self, text, frames):
        self.feedback.append(text)


def settings(**over):
    base = yaml.safe_load(TASK.defaults.read_text())
    base.update(over)
    return NbackSettings.model_validate(base)


def run_session(s, errors_by_block, carried=None, tmp_path=None, seed=0):
    task_session = NbackSession(TaskContext("P1", 1, FakeClock(), seed), s, carried)
    player = ScriptedPlayer(errors_by_block)
    path = tmp_path / f"nback_{seed}.csv"
    log = TrialLog(path, TASK.log_columns(s), {"participant": "P1", "session": 1, "task": "nback", "run": 1})
    rng = np.random.default_rng(seed)
    levels = []
    for block in task_session.blocks():
        levels.append(task_session.practice_n if block.practice else task_session.staircase.level)
        task_session.run_block(block, player, log, rng)
    log.close()
    return task_session, levels, pd.read_csv(path), player


# -- Jaeggi rule ------------------------------------------------------------

@pytest.mark.parametrize("errors,step", [
    ({"position": 0, "letter": 0}, +1),
    ({"position": 2, "letter": 2}, +1),   # fewer than 3 in every modality
    ({"position": 3, "letter": 0}, 0),    # one modality at 3: no rise
    ({"position": 5, "letter": 5}, 0),    # 5 is not "more than five"
    ({"position": 6, "letter": 0}, -1),   # more than 5 in any modality
    ({"position": 0, "letter": 9}, -1),
    ({"letter": 2}, +1),                  # single mode
    ({"letter": 6}, -1),
])
def test_jaeggi_step(errors, step):
    assert jaeggi_step(errors) == step


def test_jaeggi_rule_drives_n_through_a_session(tmp_path):
    s = settings(blocks=6, practice={"enabled": False})
    script = {1: {"position": 0, "letter": 1},   # 2 -> 3
              2: {"position": 2, "letter": 2},   # 3 -> 4
              3: {"position": 4, "letter": 1},   # stay 4
              4: {"position": 1, "letter": 6},   # 4 -> 3
              5: {"position": 7, "letter": 7},   # 3 -> 2
              6: {"position": 0, "letter": 0}}   # 2 -> 3
    task_session, levels, df, _ = run_session(s, script, tmp_path=tmp_path)
    assert levels == [2, 3, 4, 4, 3, 2]
    assert task_session.carried_state()["level"] == 3
    # the log holds the n of each block and the scripted numbers of errors
    for block, errs in script.items():
        rows = df[df.block == block]
        assert rows.n_level.nunique() == 1 and rows.n_level.iloc[0] == levels[block - 1]
        for m, e in errs.items():
            wrong = (rows[f"{m}_is_target"] != rows[f"{m}_responded"]).sum()
            assert wrong == e


def test_jaeggi_rule_respects_floor_and_ceiling(tmp_path):
    s = settings(blocks=3, practice={"enabled": False},
                 level={"start": 2, "floor": 2, "ceiling": 3})
    _, levels, _, _ = run_session(s, {1: {"letter": 9}, 2: {}, 3: {}}, tmp_path=tmp_path)
    assert levels == [2, 2, 3]
    task_session, levels, _, _ = run_session(s, {}, tmp_path=tmp_path, seed=1)
    assert levels == [2, 3, 3] and task_session.staircase.level == 3


def test_staircase_rule_on_block_accuracy(tmp_path):
    # 2-down/1-up on "accuracy >= 0.9"; a 24-trial dual block has 48 decisions
    s = settings(blocks=5, practice={"enabled": False},
                 adaptive={"rule": "staircase", "criterion": 0.9},
                 level={"start": 2, "down": 2, "up": 1})
    script = {1: {}, 2: {},                              # two successes: 2 -> 3
              3: {"position": 6, "letter": 6},           # 12/58 wrong: 3 -> 2
              4: {"position": 1}, 5: {}}                 # success, success: 2 -> 3
    task_session, levels, _, _ = run_session(s, script, tmp_path=tmp_path)
    assert levels == [2, 2, 3, 2, 2]
    assert task_session.staircase.level == 3


def test_fixed_rule_never_moves(tmp_path):
    s = settings(blocks=3, practice={"enabled": False}, adaptive={"rule": "fixed"})
    task_session, levels, _, _ = run_session(s, {}, tmp_path=tmp_path)
    assert levels == [2, 2, 2] and task_session.carried_state()["level"] == 2


# -- carry-over -------------------------------------------------------------

@pytest.mark.parametrize("carryover,carried,start", [
    ("continue", None, 2), ("continue", {"level": 5}, 5), ("warmup", {"level": 5}, 4),
    ("warmup", {"level": 1}, 1), ("continue", {"level": 12}, 9),
])
def test_carried_level_starts_the_next_session(carryover, carried, start):
    s = settings(level={"start": 2, "carryover": carryover})
    task_session = NbackSession(TaskContext("P1", 2, FakeClock(), 0), s, carried)
    assert task_session.staircase.level == start
    assert task_session.start_level == start


def test_next_session_message_and_state_round_trip(tmp_path):
    s = settings(blocks=2, practice={"enabled": False}, level={"start": 3, "carryover": "warmup"})
    task_session, levels, _, _ = run_session(s, {}, tmp_path=tmp_path)
    assert levels == [3, 4]
    assert task_session.carried_state()["level"] == 5
    text = task_session.block_feedback(Block(2))
    assert "Next session starts at 4-back" in text and "warm-up" in text
    following = NbackSession(TaskContext("P1", 2, FakeClock(), 0), s, task_session.carried_state())
    assert following.staircase.level == 4


def test_snapshot_resumes_at_the_level_reached(tmp_path):
    s = settings(blocks=4, practice={"enabled": False})
    task_session = NbackSession(TaskContext("P1", 1, FakeClock(), 0), s, None)
    log = TrialLog(tmp_path / "n.csv", TASK.log_columns(s), {})
    rng = np.random.default_rng(0)
    task_session.run_block(Block(1), ScriptedPlayer({}), log, rng)
    snap = task_session.snapshot()
    resumed = NbackSession(TaskContext("P1", 1, FakeClock(), 0), s, None, snapshot=snap)
    assert resumed.staircase.level == 3 == task_session.staircase.level
    assert resumed.start_level == 2
    assert resumed.block_feedback(Block(1)) == task_session.block_feedback(Block(1))


# -- practice and feedback ------------------------------------------------------

def test_practice_block_is_low_n_marked_and_gives_feedback(tmp_path):
    s = settings(blocks=1)
    task_session, levels, df, player = run_session(s, {0: {"letter": 1}}, tmp_path=tmp_path)
    assert [b.number for b in task_session.blocks()] == [0, 1]
    assert task_session.blocks()[0].practice
    assert levels == [1, 2]
    practice = df[df.block == 0]
    assert len(practice) == 12 and (practice.practice == 1).all() and (df[df.block == 1].practice == 0).all()
    assert len(player.feedback) == 12
    assert sum("Letter: not a match, no key needed" in f for f in player.feedback) == 1
    assert sum("Letter: a match, well spotted!" in f for f in player.feedback) == 3
    assert task_session.staircase.level == 3  # the practice block did not move n; block 1 did
    text = task_session.block_feedback(Block(0, practice=True))
    assert "Practice finished" in text and "start at 2-back" in text


@pytest.mark.parametrize("script,phrase,letter", [
    ({1: {}}, "Next block: 3-back, one step up", "Letter: 22 of 22 correct"),
    ({1: {"letter": 4}}, "Next block stays at 2-back", "Letter: 18 of 22 correct"),
    ({1: {"letter": 8}}, "Next block: 1-back, one step easier", "Letter: 14 of 22 correct"),
])
def test_block_feedback_names_the_next_level(tmp_path, script, phrase, letter):
    """24 trials at 2-back: the first 2 have nothing to match, so 22 are counted."""
    s = settings(blocks=2, practice={"enabled": False})
    task_session = NbackSession(TaskContext("P1", 1, FakeClock(), 0), s, None)
    log = TrialLog(tmp_path / "n.csv", TASK.log_columns(s), {})
    task_session.run_block(Block(1), ScriptedPlayer(script), log, np.random.default_rng(0))
    text = task_session.block_feedback(Block(1))
    assert phrase in text and "Block 1 of 2 done" in text
    assert letter in text and "Position: 22 of 22 correct" in text


class PressFirstTrials(ScriptedPlayer):
    """Answers right, but presses both keys on the first two trials (nothing to match there yet)."""

    def play(self, trial: NbackTrial) -> TrialResponse:
        right = super().play(trial)
        if trial.number > trial.n:
            return right
        return TrialResponse(onset_s=right.onset_s,
                             presses=tuple(KeyPress(key, right.onset_s + 0.6) for key in trial.keys.values()))


def test_block_feedback_counts_only_the_trials_that_can_be_scored(tmp_path):
    s = settings(blocks=2, practice={"enabled": False})
    task_session = NbackSession(TaskContext("P1", 1, FakeClock(), 0), s, None)
    log = TrialLog(tmp_path / "n.csv", TASK.log_columns(s), {})
    task_session.run_block(Block(1), PressFirstTrials({}), log, np.random.default_rng(0))
    text = task_session.block_feedback(Block(1))
    assert "Position: 22 of 22 correct" in text and "Letter: 22 of 22 correct" in text


def test_instructions_name_the_configured_keys():
    s = settings(keys={"position": "d", "letter": "k"})
    pages = NbackSession(TaskContext("P1", 1, FakeClock(), 0), s, None).instructions()
    assert "Press D" in pages[0] and "Press K" in pages[0]
    single = settings(mode="single", modality="letter", keys={"letter": "space"})
    pages = NbackSession(TaskContext("P1", 1, FakeClock(), 0), single, None).instructions()
    assert "Press SPACE" in pages[0] and "square" not in pages[0]
    custom = settings(instructions=["Hello"])
    assert NbackSession(TaskContext("P1", 1, FakeClock(), 0), custom, None).instructions() == ["Hello"]


# -- scoring one trial --------------------------------------------------------

def trial(is_target, keys=None):
    keys = keys or {"letter": "l", "position": "a"}
    return NbackTrial(block=1, number=5, n=2, stimuli={"letter": "K", "position": 3},
                      is_target=is_target, is_lure={m: False for m in keys}, keys=keys,
                      stimulus_frames=30, isi_frames=150)


def test_score_trial_dual_both_pressed():
    out = score_trial(trial({"letter": True, "position": True}),
                      TrialResponse(10.0, (KeyPress("l", 10.8), KeyPress("a", 10.5), KeyPress("a", 10.9))))
    r = out.row
    assert r["response"] == "a+l" and r["correct"] is True
    assert r["rt_s"] == pytest.approx(0.5)
    assert r["position_rt_s"] == pytest.approx(0.5) and r["letter_rt_s"] == pytest.approx(0.8)
    assert r["letter_responded"] and r["position_responded"]
    assert r["n_level"] == 2 and r["onset_s"] == 10.0


def test_score_trial_no_response_and_other_keys():
    out = score_trial(trial({"letter": False, "position": True}),
                      TrialResponse(4.0, (KeyPress("x", 4.2), KeyPress("l", 3.9))))
    r = out.row
    assert r["response"] == "" and r["rt_s"] is None and r["correct"] is False
    assert out.correct == {"letter": True, "position": False}
    assert r["letter_rt_s"] is None and not r["letter_responded"]


def test_score_trial_false_alarm_single_mode():
    out = score_trial(trial({"letter": False}, keys={"letter": "space"}),
                      TrialResponse(1.0, (KeyPress("space", 1.7),)))
    assert out.row["response"] == "space" and out.row["correct"] is False
    assert "position_stimulus" not in out.row


def test_columns_are_declared_per_mode():
    dual = TASK.log_columns(settings())
    assert dual[0] == "n_level" and len(dual) == 11
    for m in ("letter", "position"):
        for f in ("stimulus", "is_target", "is_lure", "responded", "rt_s"):
            assert f"{m}_{f}" in dual
    assert TASK.log_columns(settings(mode="single", modality="position")) == [
        "n_level", "position_stimulus", "position_is_target", "position_is_lure",
        "position_responded", "position_rt_s"]


# -- settings ---------------------------------------------------------------

def test_defaults_yaml_validates_and_matches_model_defaults():
    from_yaml = NbackSettings.model_validate(yaml.safe_load(TASK.defaults.read_text()))
    assert from_yaml == NbackSettings()


@pytest.mark.parametrize("over,where", [
    ({"level": {"start": 10}}, "level.start"),
    ({"level": {"floor": 0}}, "level.floor"),
    ({"target_rate": 0.7}, "target_rate"),
    ({"lure_rate": -0.1}, "lure_rate"),
    ({"stimulus_frames": 0}, "stimulus_frames"),
    ({"keys": {"letter": "a"}}, "keys"),
    ({"keys": {"letter": "??"}}, "keys.letter"),
    ({"letters": ["A", "B", "C"]}, "letters"),
    ({"nbak": 2}, "nbak"),
    ({"adaptive": {"rule": "quest"}}, "adaptive.rule"),
    ({"trials_per_block": 10}, "trials_per_block"),
])
def test_bad_settings_name_the_key(over, where):
    with pytest.raises(ValidationError) as err:
        settings(**over)
    text = str(err.value)
    assert where.split(".")[-1] in text or where in text


@pytest.mark.parametrize("letter", ["ß", "ŉ", "ǰ"])
def test_letters_that_change_length_when_upper_cased_are_refused(letter):
    with pytest.raises(ValidationError, match="stay one letter in upper case"):
        settings(letters=["B", "C", "D", "F", "G", letter])
