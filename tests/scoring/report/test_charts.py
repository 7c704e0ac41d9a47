"""Chart axes never overstate change (docs/reports.md)."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogtrain.scoring.report.charts import nice_step, session_axis, tick_text, ticks_between, value_axis


def test_a_level_is_drawn_over_its_whole_range_with_integer_ticks():
    axis = value_axis([2.88, 3.0], "n-back level", "n", bounds=(1, 9), integer=True)
    assert (axis.lo, axis.hi) == (1, 9)
    assert axis.ticks == (1, 2, 3, 4, 5, 6, 7, 8, 9)


def test_a_value_outside_the_declared_bounds_widens_the_axis_instead_of_being_cut():
    axis = value_axis([0.5, 12.0], "level", bounds=(1, 9), integer=True)
    assert axis.lo == 0.5 and axis.hi == 12


def test_proportions_are_drawn_from_zero_to_one():
    axis = value_axis([0.81, 0.83], "Hit rate", "proportion")
    assert (axis.lo, axis.hi) == (0, 1)
    assert axis.ticks == (0, 0.2, 0.4, 0.6, 0.8, 1.0)


def test_a_small_change_in_seconds_gets_at_least_the_minimum_span():
    axis = value_axis([0.76, 0.81], "RT (s)", "s")
    assert axis.hi - axis.lo >= 0.5
    assert axis.lo <= 0.76 and axis.hi >= 0.81


def test_one_integer_value_does_not_get_ticks_like_1_9_to_2_1():
    axis = value_axis([2.0], "Problems", integer=True)
    assert all(t == int(t) for t in axis.ticks)
    assert axis.hi - axis.lo >= 1


def test_a_quantity_that_is_never_negative_is_not_drawn_below_zero():
    assert value_axis([0.1, 0.2], "Excess moves", "moves").lo == 0


def test_session_axis_has_one_tick_per_session_and_half_a_session_margin():
    axis = session_axis([1, 2, 3])
    assert axis.ticks == (1, 2, 3) and (axis.lo, axis.hi) == (0.5, 3.5)
    assert all(t == int(t) for t in session_axis(range(1, 41)).ticks)


def test_nice_steps_and_tick_text():
    assert [nice_step(s) for s in (1, 6, 0.03, 370)] == [0.2, 1, 0.005, 100]
    assert ticks_between(0.05, 0.95) == (0.2, 0.4, 0.6, 0.8)
    assert tick_text(-0.0, [0.0, 1.0]) == "0"
    assert tick_text(-1.5, [-1.5, 0.0]) == "\u22121.5"


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30), st.booleans(), st.booleans())
def test_every_value_and_tick_lies_on_the_axis(values, integer, proportion):
    axis = value_axis(values, "y", "proportion" if proportion else "", integer=integer)
    assert axis.lo < axis.hi
    assert axis.lo <= min(values) and max(values) <= axis.hi
    assert 2 <= len(axis.ticks) <= 12
    assert all(axis.lo - 1e-9 <= t <= axis.hi + 1e-9 for t in axis.ticks)
    assert list(axis.ticks) == sorted(axis.ticks)
    if integer:
        assert all(math.isclose(t, round(t)) for t in axis.ticks)
    spread = max(values) - min(values)
    assert axis.hi - axis.lo >= spread


@pytest.mark.parametrize("values", [[5.0, 5.0], [1e-9], [-3.0, -2.9]])
def test_flat_or_tiny_values_still_get_a_visible_span(values):
    axis = value_axis(values, "y")
    assert axis.hi - axis.lo > 0 and len(axis.ticks) >= 2
