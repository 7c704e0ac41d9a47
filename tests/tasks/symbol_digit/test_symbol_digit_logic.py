"""Symbol-digit logic with a scripted player: blocks, the 90-s block, time-outs, adaptation, forms."""
import itertools
from collections import Counter

import numpy as np
import pytest
import yaml

from cogtrain.errors import ConfigError
from cogtrain.simulate import SimClock
from cogtrain.task import TaskContext
from cogtrain.tasks.symbol_digit import TASK
from cogtrain.tasks.symbol_digit.config import SymbolDigitSettings
from cogtrain.tasks.symbol_digit.forms import balanced_order, session_form
from cogtrain.tasks.symbol_digit.logic import ASSESSMENT_S, ItemResponse, SymbolDigitSession


class MemoryLog:
    def __init__(self):
        self.rows = []

    def write(self, row):
        self.rows.append(dict(row))


class ScriptedPlayer:
    """Answers after ``rt`` seconds with ``answer(item)`` (None: lets the item time out)."""

    def __init__(self, clock, rt=1.0, answer=lambda item: item.answer):
        self.clock, self.rt, self.answer, self.items, self.feedback = clock, rt, answer, [], []

    def play(self, item, ends_at):
        self.items.append(item)
        onset = self.clock.now()
        digit = self.answer(item)
        limit = item.time_limit_ms / 1000
        if ends_at is not None and onset + min(self.rt, limit) >= ends_at:
            self.clock.advance(ends_at - onset)
            return ItemResponse(onset, ends_at, "block_time")
        if digit is None or self.rt >= limit:
            self.clock.advance(limit)
            return ItemResponse(onset, self.clock.now(), "time_out")
        self.clock.advance(self.rt)
        return ItemResponse(onset, self.clock.now(), "response", digit, "key")

    def item_feedback(self, text, ms):
        self.feedback.append(text)


def make_session(carried=None, session=1, seed=5, **settings):
    clock = SimClock()
    ctx = TaskContext(participant="P1", session=session, clock=clock, seed=seed)
    return SymbolDigitSession(ctx, SymbolDigitSettings(**settings), carried), clock


def run_blocks(task, player):
    log = MemoryLog()
    for block in task.blocks():
        task.run_block(block, player, log, np.random.default_rng(block.number))
    return log.rows


def test_defaults_yaml_equals_the_model():
    data = yaml.safe_load(TASK.defaults.read_text(encoding="utf-8"))
    assert SymbolDigitSettings(**data) == SymbolDigitSettings()


def test_training_session_plan_and_rows():
    task, clock = make_session(incidental={"enabled": True})
    assert [b.label for b in task.blocks()] == ["practice", "motor"] + ["training"] * 6 + ["incidental"]
    rows = run_blocks(task, ScriptedPlayer(clock))
    practice = [r for r in rows if r["practice"]]
    assert len(practice) == 6 and all(r["deadline_s"] is None for r in practice)
    motor = [r for r in rows if r["item_type"] == "digit"]
    assert len(motor) == 18 and all(r["stimulus"] == str(r["answer"]) and r["level"] is None for r in motor)
    training = [r for r in rows if r["item_type"] == "symbol" and not r["practice"]]
    assert len(training) == 120 and all(r["correct"] for r in training)
    # all right: the level rises after every block; the key grows from 3 pairs
    levels = [training[i]["level"] for i in range(0, 120, 20)]
    assert levels == [1, 2, 3, 4, 5, 6] and [training[i]["pairs"] for i in range(0, 120, 20)] == [3, 4, 5, 6, 7, 8]
    assert task.carried_state()["level"] == 7
    recall = [r for r in rows if r["item_type"] == "recall"]
    assert sorted(r["stimulus"] for r in recall) == sorted(task.form.key(8))  # every symbol shown, once


def test_symbols_are_balanced_within_a_block():
    task, clock = make_session(training={"blocks": 1, "items_per_block": 27}, level={"start": 7},
                          practice={"enabled": False}, motor_control={"enabled": False})
    rows = run_blocks(task, ScriptedPlayer(clock))
    assert set(Counter(r["stimulus"] for r in rows).values()) == {3}
    assert all(a["stimulus"] != b["stimulus"] for a, b in zip(rows, rows[1:]))


def test_balanced_order_never_repeats_across_rounds():
    for seed in range(50):
        seq = list(itertools.islice(balanced_order(np.random.default_rng(seed), 3), 30))
        assert all(a != b for a, b in zip(seq, seq[1:]))
        assert all(sorted(seq[i:i + 3]) == [0, 1, 2] for i in range(0, 30, 3))


def test_assessment_block_stops_at_90_s_and_cuts_the_last_item():
    task, clock = make_session(mode="assessment", practice={"enabled": False}, motor_control={"enabled": False})
    assert [b.label for b in task.blocks()] == ["assessment"]
    rows = run_blocks(task, ScriptedPlayer(clock, rt=1.6))
    first = rows[0]["onset_s"]
    assert all(r["onset_s"] < first + ASSESSMENT_S for r in rows)
    assert rows[-1]["end"] == "block_time" and rows[-1]["correct"] is None
    assert len(rows) == 57 and sum(bool(r["correct"]) for r in rows) == 56  # 56 x 1.6 s = 89.6 s
    assert all(r["pairs"] == 9 and r["deadline_s"] is None and r["level"] is None for r in rows)
    assert task.carried_state() == {}  # an assessment leaves the training level alone


def test_assessment_keeps_the_carried_training_level():
    carried = {"level": 9, "max_level": 9, "session": 3}
    task, clock = make_session(carried=carried, mode="assessment")
    run_blocks(task, ScriptedPlayer(clock))
    assert task.carried_state() == carried


def test_time_outs_and_wrong_keys_are_wrong_and_lower_the_level():
    answers = itertools.cycle([None, "wrong", "right", "right"])

    def answer(item):
        kind = next(answers)
        return None if kind is None else item.answer if kind == "right" else item.answer % len(item.key) + 1

    task, clock = make_session(carried={"level": 12}, training={"blocks": 2, "items_per_block": 8},
                          practice={"enabled": False}, motor_control={"enabled": False})
    rows = run_blocks(task, ScriptedPlayer(clock, rt=0.5, answer=answer))
    assert [r["end"] for r in rows[:4]] == ["time_out", "response", "response", "response"]
    assert [r["correct"] for r in rows[:4]] == [False, False, True, True]
    assert rows[0]["rt_s"] is None and rows[0]["response"] == "" and rows[0]["shown_s"] == pytest.approx(2.7)
    assert rows[1]["response"] != str(rows[1]["answer"])
    assert [rows[0]["level"], rows[8]["level"]] == [12, 11] and task.carried_state()["level"] == 10
    assert rows[0]["deadline_s"] == pytest.approx(2.7)  # level 12 of "both": 9 pairs, the 6th deadline


def test_alternate_forms_differ_between_sessions_and_repeat_within_one():
    forms = [session_form(seed, s) for seed, s in [(11, 1), (12, 2), (13, 3), (14, 4), (15, 5)]]
    assert len({f.symbols for f in forms}) == 5
    first, _ = make_session(seed=3, session=2)
    second, _ = make_session(seed=3, session=2)
    assert first.form == second.form  # a resumed session keeps its form


def test_resume_restores_the_staircase():
    task, clock = make_session(practice={"enabled": False}, motor_control={"enabled": False})
    player = ScriptedPlayer(clock)
    first = task.blocks()[0]
    task.run_block(first, player, MemoryLog(), np.random.default_rng(0))
    again = SymbolDigitSession(task.ctx, task.settings, None, task.snapshot())
    assert again.staircase.level == 2 and again.summaries == task.summaries


@pytest.mark.parametrize("settings, words", [
    ({"level": {"ceiling": 8}, "adaptive": {"rule": "key_size"}}, "has 7 levels"),
    ({"keys": {"digits": ["1"] * 9}}, "must all differ"),
    ({"adaptive": {"deadlines_ms": [1000, 2000]}}, "shorter"),
    ({"mode": "test"}, "mode"),
])
def test_bad_settings_are_config_errors(write_config, settings, words):
    from cogtrain.config import load_battery

    path = write_config(yaml.safe_dump({"name": "x", "tasks": [{"task": "symbol_digit", "settings": settings}]}))
    with pytest.raises(ConfigError, match=words):
        load_battery(path)
