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
    t = Staircase.from_dict(s.to_dict())
    assert t.update(True) == 4


@pytest.mark.parametrize("rule, carried, start", [("continue", {"level": 6}, 6), ("warmup", {"level": 6}, 5),
                                                  ("warmup", {"level": 1}, 1), ("continue", None, 2)])
def test_carryover(rule, carried, start):
    settings = StaircaseSettings(start=2, floor=1, ceiling=9, carryover=rule)
    assert Staircase.from_settings(settings, carried).level == start


def test_settings_must_be_ordered():
    with pytest.raises(ValidationError, match="floor <= start <= ceiling"):
        StaircaseSettings(start=0, floor=1, ceiling=9)
