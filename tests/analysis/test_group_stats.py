"""Statistics of the group analysis against hand computations and a statsmodels fit written here."""
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from cogtrain.analysis.stats import fit_mixed, hedges_g, mean_ci, sample_reliability


def test_mean_ci_by_hand():
    # t(.975, 2) = 4.302653; half width = 4.302653 * 1 / sqrt(3) = 2.484138
    n, mean, sd, low, high = mean_ci(np.array([1.0, 2.0, 3.0, np.nan]))
    assert (n, mean, sd) == (3, 2.0, 1.0)
    assert low == pytest.approx(-0.484138, abs=1e-6)
    assert high == pytest.approx(4.484138, abs=1e-6)
    assert mean_ci(np.array([5.0]))[1:3] == (5.0, pytest.approx(math.nan, nan_ok=True))


def test_hedges_g_and_its_ci_by_hand():
    # a = 2, 4, 6 (mean 4, var 4); b = 1, 2, 3 (mean 2, var 1); pooled SD = sqrt((2*4 + 2*1) / 4) = 1.581139
    # d = 2 / 1.581139 = 1.264911; J = 1 - 3 / (4*6 - 9) = 0.8; g = 1.011929
    # var(d) = 6/9 + d^2 / 12 = 0.8; SE(g) = 0.8 * sqrt(0.8) = 0.715542; CI = g -+ 1.959964 * SE
    e = hedges_g(np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0]))
    assert e.g == pytest.approx(1.011929, abs=1e-6)
    assert e.g_ci_low == pytest.approx(1.011929 - 1.402438, abs=1e-5)
    assert e.g_ci_high == pytest.approx(1.011929 + 1.402438, abs=1e-5)
    # Welch: SE = sqrt(4/3 + 1/3) = 1.290994; df = (5/3)^2 / ((4/3)^2/2 + (1/3)^2/2) = 2.941176
    half = stats.t.ppf(0.975, 2.941176) * 1.290994
    assert (e.difference, e.diff_ci_low, e.diff_ci_high) == pytest.approx((2.0, 2.0 - half, 2.0 + half), abs=1e-5)
    assert e.p == pytest.approx(2 * stats.t.sf(2.0 / 1.290994, 2.941176), abs=1e-6)


def test_hedges_g_sign_follows_the_order_and_small_groups_give_nan():
    a, b = np.array([1.0, 2.0, 3.5]), np.array([3.0, 4.0, 6.0, 5.0])
    assert hedges_g(a, b).g == pytest.approx(-hedges_g(b, a).g)
    assert math.isnan(hedges_g(np.array([1.0]), b).g)


def test_sample_reliability_is_pearson_r():
    x, y = np.array([1.0, 2.0, 3.0, 4.0, 5.0]), np.array([2.0, 1.0, 4.0, 3.0, 5.0])
    assert sample_reliability(x, y) == pytest.approx(0.8)  # Σdxdy = 8, Σdx² = Σdy² = 10
    assert math.isnan(sample_reliability(np.array([1.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0])))


def test_mixed_model_equals_statsmodels_fit():
    rng = np.random.default_rng(3)
    rows = []
    for p in range(20):
        arm = "training" if p % 2 else "control"
        intercept, slope = rng.normal(2, 0.5), rng.normal(0.15 if arm == "training" else 0.0, 0.1)
        rows += [{"participant": f"P{p}", "arm": arm, "session": s,
                  "value": intercept + slope * s + rng.normal(0, 0.15)} for s in range(8)]
    data = pd.DataFrame(rows)
    fit = fit_mixed(data, "value ~ session * C(arm, Treatment('control'))", "~session")
    reference = smf.mixedlm("value ~ session * C(arm, Treatment('control'))", data, groups=data["participant"],
                            re_formula="~session").fit(reml=True)
    assert fit.converged and fit.note == "" and fit.random == "random intercept and slope per participant"
    assert fit.table["estimate"].to_numpy() == pytest.approx(reference.fe_params.to_numpy())
    assert fit.table["ci_low"].to_numpy() == pytest.approx(reference.conf_int().iloc[:4, 0].to_numpy())
    assert fit.table["ci_high"].to_numpy() == pytest.approx(reference.conf_int().iloc[:4, 1].to_numpy())
    assert fit.table["p"].to_numpy() == pytest.approx(reference.pvalues.iloc[:4].to_numpy())
    interaction = fit.table.set_index("term").loc["session:C(arm, Treatment('control'))[T.training]"]
    assert interaction["ci_low"] > 0 and interaction["estimate"] == pytest.approx(0.15, abs=0.05)
