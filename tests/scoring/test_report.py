import pandas as pd
import pytest

from cogtrain.registry import all_tasks
from cogtrain.scoring.report import _metrics_table


def _summary(metric, rci):
    return pd.DataFrame([{"participant": "P", "task": "nback", "metric": metric, "n_sessions": 5, "first": 1.0,
                          "last": 2.0, "gain": 1.0, "slope": 0.25, "rci": rci}])


@pytest.mark.parametrize("metric, rci, verdict", [
    ("dprime", 2.5, "reliable improvement"),       # higher is better
    ("dprime", -2.5, "reliable decline"),
    ("mean_rt_hits_s", -2.5, "reliable improvement"),  # lower is better
    ("mean_rt_hits_s", 2.5, "reliable decline"),
    ("criterion", 2.5, "reliable change"),         # no better direction
])
def test_reliable_changes_are_flagged_in_words_with_direction(metric, rci, verdict):
    assert verdict in _metrics_table(_summary(metric, rci), all_tasks())


@pytest.mark.parametrize("rci", [1.96, -1.5, float("nan")])
def test_changes_within_the_critical_value_are_not_flagged(rci):
    assert "reliable" not in _metrics_table(_summary("dprime", rci), all_tasks())
