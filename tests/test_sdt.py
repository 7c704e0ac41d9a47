"""d' and c with the log-linear correction, against scipy's norm.ppf on hand-computed rates."""
import pytest
from scipy.stats import norm

from cogtrain.sdt import dprime_criterion


@pytest.mark.parametrize("hits, targets, fas, nontargets", [(10, 10, 0, 30), (0, 5, 5, 5), (7, 10, 3, 20)])
def test_dprime_and_criterion(hits, targets, fas, nontargets):
    h = (hits + 0.5) / (targets + 1)
    f = (fas + 0.5) / (nontargets + 1)
    d, c = dprime_criterion(hits, targets, fas, nontargets)
    assert d == pytest.approx(norm.ppf(h) - norm.ppf(f))
    assert c == pytest.approx(-0.5 * (norm.ppf(h) + norm.ppf(f)))
