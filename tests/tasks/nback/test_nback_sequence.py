"""Trial generation: exact target and lure counts, lures never targets, seeded."""
import numpy as np
import pytest

from cogtrain.tasks.nback.config import NbackSettings
from cogtrain.tasks.nback.logic import make_block
from cogtrain.tasks.nback.sequence import (GRID_CELLS, GenerationError, classify,
                                           generate_stream)


def expected_count(rate, scorable):
    # rate * scorable rounded half up, written out independently of the helper
    x = rate * scorable
    return int(x) + (1 if x - int(x) >= 0.5 - 1e-12 else 0)


def brute_roles(codes, n):
    """Target/lure flags by a plain loop over the definition."""
    tgt, lure = [], []
    for i, c in enumerate(codes):
        t = i >= n and codes[i - n] == c
        near = (n >= 2 and i - (n - 1) >= 0 and codes[i - (n - 1)] == c) or \
               (i - (n + 1) >= 0 and codes[i - (n + 1)] == c)
        tgt.append(t)
        lure.append(near and not t)
    return np.array(tgt), np.array(lure)


@pytest.mark.parametrize("n", range(1, 10))
@pytest.mark.parametrize("mode", ["single", "dual"])
def test_exact_counts_for_many_seeds(n, mode):
    settings = NbackSettings(mode=mode)
    trials_n = 20 + n ** 2
    scorable = trials_n - n
    for seed in range(40):
        block = make_block(np.random.default_rng(seed), settings, n, block=1)
        assert len(block) == trials_n  # Brain Workshop: 20 + n^2
        assert [t.number for t in block] == list(range(1, trials_n + 1))
        for m in settings.modalities():
            codes = [t.stimuli[m] for t in block]
            tgt, lure = brute_roles(codes, n)
            assert tgt.sum() == expected_count(0.3, scorable)
            assert lure.sum() == expected_count(0.1, scorable)
            assert not (tgt & lure).any()
            # the flags handed to the player are the true roles
            assert [t.is_target[m] for t in block] == tgt.tolist()
            assert [t.is_lure[m] for t in block] == lure.tolist()
            # nothing in the first n trials can be a target or a lure
            assert not tgt[:n].any() and not lure[:n].any()


@pytest.mark.parametrize("n", range(1, 10))
@pytest.mark.parametrize("target_rate,lure_rate", [(0.5, 0.1), (0.0, 0.5), (0.3, 0.3), (0.25, 0.0)])
def test_extreme_rates_still_exact(n, target_rate, lure_rate):
    settings = NbackSettings(mode="single", modality="letter", target_rate=target_rate,
                             lure_rate=lure_rate)
    scorable = 20 + n ** 2 - n
    for seed in range(15):
        block = make_block(np.random.default_rng(seed), settings, n, block=1)
        tgt, lure = brute_roles([t.stimuli["letter"] for t in block], n)
        assert tgt.sum() == expected_count(target_rate, scorable)
        assert lure.sum() == expected_count(lure_rate, scorable)
        assert not (tgt & lure).any()


def test_both_lure_kinds_appear():
    n, lags = 3, {2: 0, 4: 0}
    for seed in range(30):
        s = generate_stream(np.random.default_rng(seed), n, 29, 8, 8, 3)
        for i in np.flatnonzero(s.is_lure):
            for lag in (2, 4):
                if i - lag >= 0 and s.codes[i - lag] == s.codes[i]:
                    lags[lag] += 1
    assert lags[2] > 20 and lags[4] > 20


def test_configured_trial_count_and_stimulus_sets():
    settings = NbackSettings(trials_per_block=40)
    block = make_block(np.random.default_rng(0), settings, 4, block=2)
    assert len(block) == 40
    assert {t.stimuli["letter"] for t in block} <= set("CHKLQRST")
    assert {t.stimuli["position"] for t in block} <= set(GRID_CELLS)
    assert 4 not in GRID_CELLS  # the centre holds the fixation cross
    assert all(t.block == 2 and t.n == 4 for t in block)


def test_same_seed_same_block_and_other_seed_differs():
    settings = NbackSettings()
    a = make_block(np.random.default_rng(123), settings, 3, block=1)
    b = make_block(np.random.default_rng(123), settings, 3, block=1)
    c = make_block(np.random.default_rng(124), settings, 3, block=1)
    assert a == b
    assert [t.stimuli for t in a] != [t.stimuli for t in c]


def test_targets_independent_across_modalities():
    settings = NbackSettings(mode="dual")
    both, pos_only, n_blocks = 0, 0, 300
    for seed in range(n_blocks):
        block = make_block(np.random.default_rng(seed), settings, 2, block=1)
        both += sum(t.is_target["letter"] and t.is_target["position"] for t in block)
        pos_only += sum(t.is_target["position"] for t in block)
    # 7 targets among 22 scorable trials per modality, drawn independently:
    # P(letter target | position target) = 7/22
    assert both / pos_only == pytest.approx(7 / 22, abs=0.03)


def test_impossible_counts_raise_a_clear_error():
    with pytest.raises(GenerationError, match="cannot place"):
        generate_stream(np.random.default_rng(0), 3, 10, 8, 6, 3)


def test_classify_matches_brute_force_on_random_streams():
    rng = np.random.default_rng(5)
    for _ in range(200):
        n = int(rng.integers(1, 6))
        codes = rng.integers(0, 3, size=20)
        t, lure = classify(codes, n)
        bt, bl = brute_roles(codes.tolist(), n)
        assert t.tolist() == bt.tolist() and lure.tolist() == bl.tolist()
