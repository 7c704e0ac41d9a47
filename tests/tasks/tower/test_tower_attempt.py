"""The rules every player goes through: legal and refused moves, limits, plan-first, copy problems."""
import pytest

from cogtrain.tasks.tower.attempt import Attempt, TowerTrial, refusal_texts
from cogtrain.tasks.tower.generator import ProblemGenerator
from cogtrain.tasks.tower.puzzle import Puzzle
from cogtrain.text import available, load

GEN = ProblemGenerator(Puzzle.tower_of_london())
PROBLEM = GEN.fixed_problem("RG|B|", "R|GB|")  # B 1>2, G 0>1, B 2>1


def attempt(**kw) -> Attempt:
    a = Attempt(TowerTrial(GEN.puzzle, PROBLEM, **kw))
    a.begin(10.0)
    return a


def test_solving_in_the_minimum():
    a = attempt()
    assert a.try_move(1, 2, 12.0, 12.5) is None
    assert a.try_move(0, 1, 13.0, 13.4) is None
    assert not a.finished
    assert a.try_move(2, 1, 14.0, 14.3) is None
    assert a.solved and a.end_time == 14.3 and a.first_action == 12.0
    assert a.moves == [(1, 2), (0, 1), (2, 1)] and a.move_times == [12.5, 13.4, 14.3]


def test_illegal_moves_are_refused_and_counted_slips_are_not():
    a = attempt()
    a.try_move(1, 2, 11.0, 11.2)
    assert a.try_move(0, 2, 12.0, 12.2) == "peg full"
    assert a.try_move(1, 1, 12.0, 12.2) == "same peg"
    assert a.try_move(1, 0, 12.0, 12.2) == "empty peg"
    assert a.violations == [(0, 2)] and a.moves == [(1, 2)] and a.state == ("RG", "", "B")
    assert all(reason in refusal_texts(load("en"), "P") for reason in ("peg full", "same peg", "empty peg"))


def test_hanoi_larger_on_smaller_is_a_violation():
    gen = ProblemGenerator(Puzzle.tower_of_hanoi(3))
    a = Attempt(TowerTrial(gen.puzzle, gen.fixed_problem("321||", "||321")))
    a.begin(0.0)
    a.try_move(0, 2, 1.0, 1.1)
    assert a.try_move(0, 2, 2.0, 2.1) == "larger on smaller"
    assert len(a.violations) == 1 and a.first_action == 1.0


def test_time_limit_ends_at_the_limit_and_ignores_late_moves():
    a = attempt(time_limit_s=5.0)
    a.try_move(1, 2, 11.0, 11.5)
    assert a.try_move(0, 1, 15.5, 16.0) is None
    assert a.end_reason == "time_limit" and a.end_time == 15.0 and a.moves == [(1, 2)]


def test_move_limit_and_give_up():
    a = attempt(move_limit=2)
    a.try_move(1, 2, 11.0, 11.5)
    a.try_move(2, 1, 12.0, 12.5)
    assert a.end_reason == "move_limit" and not a.solved
    b = attempt()
    b.give_up(20.0)
    assert b.end_reason == "gave_up" and b.end_time == 20.0 and b.first_action is None


def test_plan_first_refuses_moves_until_confirmed():
    a = attempt(plan_first=True)
    assert a.try_move(1, 2, 11.0, 11.5) == "plan first"
    a.confirm_plan(12.0)
    assert a.try_move(1, 2, 13.0, 13.5) is None
    assert a.plan_confirmed == 12.0 and a.first_action == 13.0


def test_motor_copy_problem_accepts_only_the_shown_move():
    copy = GEN.make(PROBLEM.start, PROBLEM.goal, "x#motor")
    a = Attempt(TowerTrial(GEN.puzzle, copy, problem_type="motor", guide=((1, 2), (0, 1), (2, 1))))
    a.begin(0.0)
    assert a.expected_move == (1, 2) and a.guide_state == ("RG", "", "B")
    assert a.try_move(0, 2, 1.0, 1.2) == "off guide"
    assert a.guide_errors == 1 and not a.violations
    for i, move in enumerate([(1, 2), (0, 1), (2, 1)]):
        assert a.try_move(*move, 2.0 + i, 2.5 + i) is None
    assert a.solved and a.expected_move is None


@pytest.mark.parametrize("language", available())
@pytest.mark.parametrize("reason", ["peg full", "larger on smaller", "off guide", "plan first"])
def test_refusal_texts_are_short_and_neutral(reason, language):
    text = refusal_texts(load(language), "SPACE")[reason]
    assert len(text) < 70 and "wrong" not in text.lower() and "!" not in text


def test_pick_refusal():
    a = attempt(plan_first=True)
    assert a.pick_refusal(1) == "plan first"
    a.confirm_plan(11.0)
    assert a.pick_refusal(1) is None and a.pick_refusal(2) == "empty peg" and a.pick_refusal(7) == "no such peg"
