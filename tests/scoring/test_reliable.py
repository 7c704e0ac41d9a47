import math

import pytest

from cogtrain.errors import ConfigError
from cogtrain.scoring.reliable import (parse_reliable_change, reliable_change_index, rci_variant,
                                       standard_error_of_difference)


def test_rci_is_jacobson_truax_formula():
    # Jacobson & Truax (1991): SE = SD * sqrt(1 - r); S_diff = sqrt(2 * SE**2); RCI = (x2 - x1) / S_diff
    sd, r, x1, x2 = 15.0, 0.9, 100.0, 112.0
    se = sd * math.sqrt(1 - r)
    s_diff = math.sqrt(2 * se**2)
    assert standard_error_of_difference(sd, r) == pytest.approx(s_diff)
    assert reliable_change_index(x1, x2, sd, r) == pytest.approx((x2 - x1) / s_diff)
    assert reliable_change_index(x1, x2, sd, r) == pytest.approx(12 / 6.708203932)


def test_practice_adjusted_rci_subtracts_mean_practice_effect():
    # Chelune et al. (1993): RCI = ((x2 - x1) - practice) / S_diff
    s_diff = math.sqrt(2 * (10 * math.sqrt(1 - 0.8)) ** 2)
    assert reliable_change_index(50, 60, 10, 0.8, 4) == pytest.approx((60 - 50 - 4) / s_diff)


def test_settings_parse_and_name_the_variant():
    refs = parse_reliable_change({"nback.dprime": {"sd": 0.9, "reliability": 0.7, "source": "pilot"},
                                  "tower.prop_solved": {"sd": 0.1, "reliability": 0.6, "practice_effect": 0.02,
                                                        "source": "pilot"}}, "s.json")
    assert rci_variant(refs["nback.dprime"]) == "jacobson_truax1991"
    assert rci_variant(refs["tower.prop_solved"]) == "chelune1993_practice_adjusted"
    assert parse_reliable_change(None, "s.json") == {}


@pytest.mark.parametrize("raw, fragment", [
    ({"dprime": {"sd": 1, "reliability": 0.5, "source": "x"}}, "'task.metric'"),
    ({"nback.dprime": {"sd": -1, "reliability": 0.5, "source": "x"}}, "reliable_change.nback.dprime.sd"),
    ({"nback.dprime": {"sd": 1, "reliability": 1.0, "source": "x"}}, "reliability"),
    ({"nback.dprime": {"sd": 1, "reliability": 0.5}}, "source"),
    ({"nback.dprime": {"sd": 1, "reliability": 0.5, "source": "x", "extra": 1}}, "extra"),
])
def test_bad_settings_name_file_and_key(raw, fragment):
    with pytest.raises(ConfigError) as err:
        parse_reliable_change(raw, "sub-P/ses-001/session.json")
    assert "sub-P/ses-001/session.json" in str(err.value)
    assert fragment in str(err.value)


def test_settings_survive_a_dump_into_session_json():
    from cogtrain.scoring.reliable import ReliableChangeSettings

    raw = {"nback.dprime": {"sd": 0.9, "reliability": 0.7, "source": "pilot"}}
    dumped = ReliableChangeSettings.model_validate(raw).model_dump(mode="json")
    assert parse_reliable_change(dumped, "s.json")["nback.dprime"].sd == 0.9
    assert ReliableChangeSettings().model_dump() == {}
