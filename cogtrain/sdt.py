"""Signal-detection scores with the log-linear correction (no psychopy)."""
from __future__ import annotations

import numpy as np
from scipy.stats import norm


def loglinear_rates(hits, targets, false_alarms, nontargets) -> tuple[np.ndarray, np.ndarray]:
    """Hit and false-alarm rates with the log-linear correction.

    Hautus (1995), Behav Res Methods Instrum Comput 27:46-51: add 0.5 to the
    hits and to the false alarms, and 1 to the numbers of targets and of
    non-targets, so that rates of 0 and 1 give finite z-scores.

    Examples
    --------
    >>> h, f = loglinear_rates(10, 10, 0, 30)
    >>> float(h), float(f)
    (0.9545454545454546, 0.016129032258064516)
    """
    h = (np.asarray(hits, dtype=float) + 0.5) / (np.asarray(targets, dtype=float) + 1)
    f = (np.asarray(false_alarms, dtype=float) + 0.5) / (np.asarray(nontargets, dtype=float) + 1)
    return h, f


def dprime_criterion(hits, targets, false_alarms, nontargets) -> tuple[np.ndarray, np.ndarray]:
    """Sensitivity d' = z(H) − z(F) and criterion c = −(z(H) + z(F)) / 2 on log-linear rates.

    Examples
    --------
    >>> d, c = dprime_criterion(10, 10, 0, 30)
    >>> round(float(d), 3), round(float(c), 3)
    (3.832, 0.225)
    """
    zh, zf = (norm.ppf(rate) for rate in loglinear_rates(hits, targets, false_alarms, nontargets))
    return zh - zf, -(zh + zf) / 2
