import pandas as pd
import pytest

from cogtrain.scoring.composite import composite_components, domain_composites
from cogtrain.registry import get_task
from cogtrain.scoring.reliable import ReferenceValues

TASKS = {name: get_task(name) for name in ("nback", "tower")}


def _scores():
    rows = [("P", s, "nback", m, v) for s, vals in {1: (2.0, 1.0, 0.8), 2: (3.0, 1.5, 0.7), 3: (4.0, 2.0, 0.6)}.items()
            for m, v in zip(("mean_n_level", "dprime", "mean_rt_hits_s"), vals)]
    rows += [("P", s, "tower", "max_min_moves", v) for s, v in ((1, 3.0), (2, 3.0), (3, 5.0))]
    rows += [("P", 1, "tower", "problems", 16.0)]  # not a composite metric
    return pd.DataFrame(rows, columns=["participant", "session", "task", "metric", "value"])


def test_composite_is_mean_signed_z_against_first_session():
    refs = {"P": {"nback.dprime": ReferenceValues(sd=0.5, reliability=0.7, source="t")}}
    components = composite_components(_scores(), TASKS, refs)
    z = components.set_index(["session", "metric"])["z"]
    # own-session SD (ddof=1) where no reference SD: mean_n_level values 2, 3, 4 -> SD 1
    assert z[(3, "mean_n_level")] == pytest.approx((4 - 2) / 1.0)
    assert z[(3, "dprime")] == pytest.approx((2.0 - 1.0) / 0.5)  # reference SD
    rt_sd = pd.Series([0.8, 0.7, 0.6]).std()
    assert z[(3, "mean_rt_hits_s")] == pytest.approx(-(0.6 - 0.8) / rt_sd)  # faster is better
    composites = domain_composites(components).set_index(["session", "metric"])["value"]
    assert composites[(1, "working_memory")] == 0
    assert composites[(3, "working_memory")] == pytest.approx((2 + 2 + 2) / 3)
    tower_sd = pd.Series([3.0, 3.0, 5.0]).std()
    assert composites[(3, "planning")] == pytest.approx(2 / tower_sd)
    assert set(components["sd_source"]) == {"reference", "own_sessions"}


def test_metrics_without_spread_are_left_out():
    flat = _scores().assign(value=1.0)
    assert composite_components(flat, TASKS).empty
