"""The simulated n-back participant: a signal-detection observer on a simulated clock.

Per modality and trial the observer decides "match" or not, with a
sensitivity d′ that depends on how far the block's n is from its ability:

    d′(n) = D_AT_ABILITY · 2 ** (ability - n)      (capped at D_MAX)

so d′ halves with every level above the ability and doubles below it. Hits
happen with probability Φ(d′/2 − c), false alarms on plain trials with
Φ(−d′/2 − c), and on lures (n±1 matches, which feel familiar) with
Φ(−LURE_SHARE·d′/2 − c). On a lapse the observer presses nothing.

The constants put the observer *at threshold* at n = ability in the sense of
the Jaeggi rule with Brain Workshop blocks. At ability 3 the expected errors
per modality (misses + false alarms, lapses included) are 0.5 at 2-back
(24 trials: n rises), 3.1 at 3-back (29 trials) and 8.7 at 4-back (36 trials:
n falls). 3-back sits at the lower edge of the "stay" band (3 to 5 errors)
because, with two modalities, a rise needs *both* below 3 while a fall needs
only *one* above 5: this is where rises and falls balance. Simulated over 8
sessions, n settles at 3.0 on average at ability 3, and within one level of
the ability for abilities 1 to 9 (lower by up to 0.6 at 9, where blocks are
101 trials long); tests/tasks/nback/test_nback_simulation.py checks it.

Reaction times come from the battery's model (log-normal); nothing here
sleeps: time passes only through ``frontend.clock.advance``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import norm

from .config import NbackSettings
from .logic import KeyPress, NbackTrial, TrialResponse

#: d′ of the observer at n = ability (see the module docstring for the calibration).
D_AT_ABILITY = 2.5
#: Upper bound of d′ far below the ability (a near-perfect but not flawless observer).
D_MAX = 5.0
#: Decision criterion c (> 0: slightly conservative, as is typical in n-back).
CRITERION = 0.3
#: Share of d′ left on lure trials (an n±1 match is easily taken for a target).
LURE_SHARE = 0.5
#: Reaction times grow by this share of the median per level of n above 1.
RT_SLOWING_PER_LEVEL = 0.08


def sensitivity(n: int, ability: float) -> float:
    """d′ of the observer at level ``n``.

    Examples
    --------
    >>> sensitivity(3, 3), sensitivity(4, 3), sensitivity(1, 3)
    (2.5, 1.25, 5.0)
    """
    return float(min(D_MAX, D_AT_ABILITY * 2.0 ** (ability - n)))


def response_probability(n: int, ability: float, is_target: bool, is_lure: bool) -> float:
    """Probability of pressing a modality's key on one trial (lapses aside)."""
    d = sensitivity(n, ability)
    if is_target:
        return float(norm.cdf(d / 2 - CRITERION))
    if is_lure:
        return float(norm.cdf(-LURE_SHARE * d / 2 - CRITERION))
    return float(norm.cdf(-d / 2 - CRITERION))


class NbackSimulator:
    """Player for the simulated frontend (``frontend.model``, ``frontend.clock``)."""

    task = "nback"

    def __init__(self, frontend: Any, settings: NbackSettings):
        self.frontend = frontend
        self.settings = settings
        self.model = frontend.model
        self.rng: np.random.Generator = frontend.model.rng
        self.frame_s = 1.0 / frontend.frame_rate

    @property
    def ability(self) -> float:
        """The n at which this participant is at threshold."""
        return self.model.ability(self.task)

    def play(self, trial: NbackTrial) -> TrialResponse:
        """Decide per modality, draw RTs, and let the trial's time pass."""
        clock = self.frontend.clock
        onset = clock.now()
        window = (trial.stimulus_frames + trial.isi_frames) * self.frame_s
        presses = []
        if not self.model.lapse():
            scale = 1.0 + RT_SLOWING_PER_LEVEL * (trial.n - 1)
            for m, key in trial.keys.items():
                p = response_probability(trial.n, self.ability, trial.is_target[m], trial.is_lure[m])
                if self.rng.random() < p:
                    rt = self.model.rt(scale=scale)
                    if rt < window:  # a press after the next stimulus appeared belongs to no trial
                        presses.append(KeyPress(key, onset + rt))
        clock.advance(window)
        return TrialResponse(onset_s=onset, presses=tuple(sorted(presses, key=lambda p: p.t)))

    def trial_feedback(self, text: str, frames: int) -> None:
        """Reading the practice feedback takes its display time."""
        self.frontend.clock.advance(frames * self.frame_s)
