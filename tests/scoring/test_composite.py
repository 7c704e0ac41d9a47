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


def test_composite_is_mean_signed_z_against_first_session_in_reference_sd():
    refs = {"P": {"nback.dprime": ReferenceValues(sd=0.5, reliability=0.7, source="t"),
                  "nback.mean_n_level": ReferenceValues(sd=2.0, reliability=0.7, source="t"),
                  "nback.mean_rt_hits_s": ReferenceValues(sd=0.25, reliability=0.7, source="t"),
                  "tower.max_min_moves": ReferenceValues(sd=1.0, reliability=0.7, source="t")}}
    components = composite_components(_scores(), TASKS, refs)
    z = components.set_index(["session", "metric"])["z"]
    assert z[(3, "mean_n_level")] == pytest.approx((4 - 2) / 2.0)
    assert z[(3, "dprime")] == pytest.approx((2.0 - 1.0) / 0.5)
    assert z[(3, "mean_rt_hits_s")] == pytest.approx(-(0.6 - 0.8) / 0.25)  # faster is better
    composites = domain_composites(components).set_index(["session", "metric"])["value"]
    assert composites[(1, "working_memory")] == 0
    assert composites[(3, "working_memory")] == pytest.approx((1.0 + 2.0 + 0.8) / 3)
    assert composites[(3, "planning")] == pytest.approx(2.0)
    assert set(components["sd_source"]) == {"reference"}


def test_without_reference_the_sd_is_the_studys_baseline_sd_never_the_participants_own():
    """57 ms slower over three sessions is not -1.8 z: the SD is between participants at baseline."""
    first_rts = [0.60, 0.70, 0.80, 0.90, 1.00]  # five participants' first sessions: SD = 0.158
    rows = [(f"P{i}", 1, "nback", "mean_rt_hits_s", rt) for i, rt in enumerate(first_rts)]
    rows += [("P0", 2, "nback", "mean_rt_hits_s", 0.63), ("P0", 3, "nback", "mean_rt_hits_s", 0.657)]
    components = composite_components(pd.DataFrame(rows, columns=["participant", "session", "task", "metric",
                                                                  "value"]), TASKS)
    z = components.set_index(["participant", "session"])["z"]
    assert z[("P0", 3)] == pytest.approx(-0.057 / 0.15811388, rel=1e-6)  # about -0.36 z, not -1.8
    assert set(components["sd_source"]) == {"study_baseline"}


def test_fewer_than_five_participants_and_no_reference_give_no_composite():
    assert composite_components(_scores(), TASKS).empty


def test_metrics_without_spread_are_left_out():
    same_baseline = pd.concat([_scores().assign(participant=f"P{i}", value=1.0) for i in range(5)])
    assert len(same_baseline) and composite_components(same_baseline, TASKS).empty


def test_a_first_session_value_most_participants_share_gives_no_study_sd():
    """Everyone starts at the battery's level 1: its spread is not a difference between people."""
    rows = [(f"P{i}", 1, "nback", "mean_n_level", 1.5 if i < 4 else 2.0) for i in range(6)]
    rows += [("P0", 2, "nback", "mean_n_level", 9.0)]
    frame = pd.DataFrame(rows, columns=["participant", "session", "task", "metric", "value"])
    assert composite_components(frame, TASKS).empty

