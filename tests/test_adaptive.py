"""The staircase, fed scripted outcomes (as PsychoPy's StairHandler is tested)."""
import pytest
from pydantic import ValidationError

from cogtrain.adaptive import Staircase, StaircaseSettings


def test_two_down_one_up_with_reversals():
    s = Staircase(level=3, floor=1, ceiling=5, down=2, up=1)
    levels = [s.update(ok) for ok in [True, True, True, True, False, True, True, False, False]]
    assert levels == [3, 4, 4, 5, 4, 4, 5, 4, 3]
    assert s.reversals == 3  # up→down, down→up, up→down


def test_floor_and_ceiling_hold():
    s = Staircase(level=1, floor=1, ceiling=2, down=1, up=1)
    assert [s.update(ok) for ok in [False, True, True, True]] == [1, 2, 2, 2]


def test_round_trip_keeps_counters():
    s = Staircase(level=3, floor=1, ceiling=9)
    s.update(True)
    t = Staircase.restore(s.to_dict(), StaircaseSettings(start=2, floor=1, ceiling=9))
    assert t == s and t.update(True) == 4


def test_restore_takes_the_rule_from_the_settings_and_clamps_the_level():
    saved = {**Staircase(level=3, floor=1, ceiling=9).to_dict(), "level": 10**30, "ceiling": 10**30, "step": 0}
    t = Staircase.restore(saved, StaircaseSettings(start=2, floor=1, ceiling=9))
    assert (t.level, t.ceiling, t.step) == (9, 9, 1)


@pytest.mark.parametrize("saved, problem", [
    ({"level": 2.5}, "level: 2.5 is not a whole number"),
    ({"level": None}, "level: None is not a whole number"),
    ({"level": 2, "successes": "1"}, "successes: '1' is not a whole number"),
    ({"level": 2, "history": "123"}, "history: str, expected a list of levels"),
    ({"level": 2, "history": [1, True]}, "history: True is not a whole number"),
    ([2], "staircase: list, expected a mapping"),
])
def test_restore_names_the_damaged_key(saved, problem):
    with pytest.raises(ValueError, match=problem):
        Staircase.restore(saved, StaircaseSettings(start=2, floor=1, ceiling=9))


@pytest.mark.parametrize("level", ["3", 3.0, True, None, [3]])
def test_carried_level_must_be_a_whole_number(level):
    with pytest.raises(ValueError, match="level: .* is not a whole number"):
        Staircase.from_settings(StaircaseSettings(start=2, floor=1, ceiling=9), {"level": level})


@pytest.mark.parametrize("rule, carried, start", [("continue", {"level": 6}, 6), ("warmup", {"level": 6}, 5),
                                                  ("warmup", {"level": 1}, 1), ("continue", None, 2)])
def test_carryover(rule, carried, start):
    settings = StaircaseSettings(start=2, floor=1, ceiling=9, carryover=rule)
    assert Staircase.from_settings(settings, carried).level == start


def test_settings_must_be_ordered():
    with pytest.raises(ValidationError, match="floor <= start <= ceiling"):
        StaircaseSettings(start=0, floor=1, ceiling=9)
