"""Group statistics of a study: means with confidence intervals, Hedges' g, mixed models.

Every function states its formula; tests compare them with hand computations
and with statsmodels fits written separately.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: Two-sided confidence level of every interval in the analysis.
CONFIDENCE = 0.95


def mean_ci(values: np.ndarray) -> tuple[int, float, float, float, float]:
    """n, mean, SD and the t-based 95 % CI of the mean: mean ± t(.975, n-1) · SD / √n.

    Returns NaN for the SD and CI with fewer than two values.

    Examples
    --------
    >>> n, m, sd, lo, hi = mean_ci(np.array([1.0, 2.0, 3.0]))
    >>> n, m, sd, round(lo, 4), round(hi, 4)
    (3, 2.0, 1.0, -0.4841, 4.4841)
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    n = len(values)
    if n == 0:
        return 0, math.nan, math.nan, math.nan, math.nan
    mean = float(values.mean())
    if n < 2:
        return n, mean, math.nan, math.nan, math.nan
    sd = float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1)) * sd / math.sqrt(n)
    return n, mean, sd, mean - half, mean + half


@dataclass(frozen=True)
class EffectSize:
    """Between-group standardised difference ``a`` − ``b`` and the raw difference with its test.

    Attributes
    ----------
    n_a, n_b : int
        Group sizes.
    difference : float
        mean(a) − mean(b).
    diff_ci_low, diff_ci_high, p : float
        Welch's 95 % CI of the difference and its two-sided p.
    g, g_ci_low, g_ci_high : float
        Hedges' g and its 95 % CI.
    """

    n_a: int
    n_b: int
    difference: float
    diff_ci_low: float
    diff_ci_high: float
    p: float
    g: float
    g_ci_low: float
    g_ci_high: float


def hedges_g(a: np.ndarray, b: np.ndarray) -> EffectSize:
    """Hedges' g of ``a`` versus ``b`` with its 95 % CI, and Welch's test of the raw difference.

    d = (mean_a − mean_b) / s_pooled, s_pooled² = ((n_a−1)s_a² + (n_b−1)s_b²) / (n_a+n_b−2);
    g = J·d with J = 1 − 3 / (4(n_a+n_b) − 9) (Hedges, 1981). Its standard error
    SE_g = J·√((n_a+n_b)/(n_a·n_b) + d²/(2(n_a+n_b))) and the CI g ± z(.975)·SE_g
    (Hedges & Olkin, 1985; Borenstein et al., 2009, eq. 4.20-4.24).

    Examples
    --------
    >>> e = hedges_g(np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0]))
    >>> round(e.g, 4), round(e.difference, 4)
    (1.0119, 2.0)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    n_a, n_b = len(a), len(b)
    if n_a < 2 or n_b < 2:
        nan = math.nan
        return EffectSize(n_a, n_b, nan, nan, nan, nan, nan, nan, nan)
    var_a, var_b = a.var(ddof=1), b.var(ddof=1)
    difference = float(a.mean() - b.mean())
    pooled = math.sqrt(((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2))
    d = difference / pooled if pooled > 0 else math.nan
    j = 1 - 3 / (4 * (n_a + n_b) - 9)
    se = j * math.sqrt((n_a + n_b) / (n_a * n_b) + d**2 / (2 * (n_a + n_b)))
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    welch = stats.ttest_ind(a, b, equal_var=False)
    ci = welch.confidence_interval(CONFIDENCE)
    return EffectSize(n_a, n_b, difference, float(ci.low), float(ci.high), float(welch.pvalue),
                      j * d, j * d - z * se, j * d + z * se)


@dataclass(frozen=True)
class MixedFit:
    """A fitted linear mixed model, as reported.

    Attributes
    ----------
    formula : str
        The fixed-effects formula (statsmodels/patsy notation).
    random : str
        The random effects, in words.
    table : pandas.DataFrame
        term, estimate, se, ci_low, ci_high, p (one row per fixed effect).
    n_participants, n_observations : int
        Sample sizes.
    converged : bool
        Whether the optimiser converged without warnings.
    note : str
        What was done if the model had to be simplified, else empty.
    """

    formula: str
    random: str
    table: pd.DataFrame
    n_participants: int
    n_observations: int
    converged: bool
    note: str = ""


def fit_mixed(data: pd.DataFrame, formula: str, re_formula: str | None, group: str = "participant") -> MixedFit:
    """Fit ``formula`` by REML with random effects ``re_formula`` per ``group`` (statsmodels MixedLM).

    A random-slope model that does not converge, or whose random-effects
    covariance is singular, is refitted with a random intercept only, and the
    note says so.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data with the formula's columns and ``group``.
    formula : str
        Fixed effects, e.g. ``"value ~ session * C(arm, Treatment('control'))"``.
    re_formula : str or None
        Random effects, e.g. ``"~session"`` (intercept and slope); None: intercept only.
    group : str
        Column identifying participants.

    Returns
    -------
    MixedFit
    """
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    def fit(random: str | None):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = smf.mixedlm(formula, data, groups=data[group], re_formula=random).fit(reml=True)
        trouble = [w for w in caught if issubclass(w.category, (ConvergenceWarning, RuntimeWarning, UserWarning))]
        return result, bool(result.converged) and not trouble

    note = ""
    result, converged = fit(re_formula)
    if re_formula and not converged:
        result, converged = fit(None)
        note = (f"the model with random slopes ({re_formula}) did not converge; refitted with a random "
                "intercept per participant only")
    ci = result.conf_int(alpha=1 - CONFIDENCE)
    names = list(result.fe_params.index)
    table = pd.DataFrame({
        "term": names,
        "estimate": result.fe_params.to_numpy(),
        "se": result.bse_fe.to_numpy(),
        "ci_low": ci.loc[names, 0].to_numpy(),
        "ci_high": ci.loc[names, 1].to_numpy(),
        "p": result.pvalues.loc[names].to_numpy(),
    })
    random = ("random intercept and slope per participant" if re_formula and not note
              else "random intercept per participant")
    return MixedFit(formula, random, table, int(data[group].nunique()), len(data), converged, note)


def sample_reliability(baseline: np.ndarray, retest: np.ndarray) -> float:
    """Test-retest reliability as the Pearson correlation of paired scores (NaN if undefined).

    Examples
    --------
    >>> round(sample_reliability(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.5, 1.9, 3.2, 4.1])), 4)
    0.9827
    """
    x, y = np.asarray(baseline, dtype=float), np.asarray(retest, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    if keep.sum() < 3 or np.std(x[keep]) == 0 or np.std(y[keep]) == 0:
        return math.nan
    return float(np.corrcoef(x[keep], y[keep])[0, 1])
