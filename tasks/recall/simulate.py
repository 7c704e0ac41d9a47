"""Simulated participant for word-list recall: a small generative model of free recall.

How many words: each word of a list of length ``L`` is recalled with
probability ``1 / (1 + (L / A) ** 2)``, where ``A`` is the ability (the list
length recalled at 50 %, from ``--sim-ability recall=A``); each extra learning
trial raises ``A`` by :data:`LEARNING_GAIN`, a delayed recall multiplies it by
:data:`RETENTION`.

Which order: a SAM/CMR-like rule (Howard & Kahana, 2002; Polyn, Norman & Kahana,
2009, in spirit): the first recall is usually one of the last words
(recency) or the first word (primacy); each next recall favours near lags,
forward more than backward (temporal contiguity and asymmetry).

Errors, so that every scoring rule occurs: typos (transpositions, deletions),
plurals, upper case, repetitions, prior-list and extra-list intrusions and
non-words. Time only passes on the simulated clock (``frontend.clock.advance``).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from cogtrain.timing import frames
from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.tasks.recall.logic import RecallCue, RecognitionAnswer
from cogtrain.tasks.recall.pool import load_pool
from cogtrain.tasks.recall.scoring import plural_forms

#: Relative gain in ability per extra learning trial.
LEARNING_GAIN = 0.25
#: Ability multiplier at delayed recall.
RETENTION = 0.8
#: Per-recall probabilities of each kind of error.
P_TYPO, P_PLURAL, P_UPPER = 0.08, 0.04, 0.1
P_REPEAT, P_PRIOR, P_EXTRA, P_NONWORD = 0.05, 0.05, 0.03, 0.02
#: Contiguity: weight exp(-|lag| / TAU), forward transitions times FORWARD.
TAU, FORWARD = 1.5, 1.8
#: Recognition: P(old | studied), P(old | new).
P_HIT, P_FALSE_ALARM = 0.85, 0.1


def recall_probability(length: int, ability: float) -> float:
    """Chance of recalling each word of a list: 0.5 when ``length == ability``.

    Examples
    --------
    >>> recall_probability(10, 10.0)
    0.5
    """
    return 1.0 / (1.0 + (length / max(ability, 0.5)) ** 2)


def recall_order(n_items: int, n_recall: int, rng: np.random.Generator) -> list[int]:
    """Serial positions (0-based) recalled, in output order, by the contiguity rule."""
    if n_recall <= 0:
        return []
    u = rng.random()
    if u < 0.5:
        first = n_items - 1 - min(int(rng.geometric(0.6)) - 1, n_items - 1)
    elif u < 0.8:
        first = 0
    else:
        first = int(rng.integers(n_items))
    order = [first]
    left = [j for j in range(n_items) if j != first]
    while len(order) < n_recall and left:
        lags = np.array(left) - order[-1]
        w = np.exp(-np.abs(lags) / TAU) * np.where(lags > 0, FORWARD, 1.0) + 0.02
        pick = int(rng.choice(len(left), p=w / w.sum()))
        order.append(left.pop(pick))
    return order


def misspell(word: str, rng: np.random.Generator) -> str:
    """A transposition or a deletion inside the word (words of 4+ letters)."""
    if len(word) < 4:
        return word
    i = int(rng.integers(1, len(word) - 1))
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i + 1:]


class RecallSimulator:
    """The simulated participant's player (see :class:`~cogtrain.tasks.recall.logic.RecallPlayer`)."""

    def __init__(self, frontend: Any, settings: RecallSettings):
        self.frontend = frontend
        self.settings = settings
        self.clock = frontend.clock
        self.rng: np.random.Generator = frontend.rng
        self.model = frontend.model
        self.frame_s = 1.0 / frontend.frame_rate
        self.pool = load_pool(settings.pool)
        self.seen: set[str] = set()

    def announce(self, text: str, screen: str) -> None:
        self.frontend.show_message(text, screen=screen)

    def study(self, word: str, position: int, length: int) -> float:
        onset = self.clock.now()
        self.seen.add(word)
        s = self.settings.study
        hz = self.frontend.frame_rate
        self.clock.advance((frames(s, "word", hz) + frames(s, "isi", hz)) * self.frame_s)
        return onset

    def distractor(self, problems: Sequence[tuple[int, int]], duration_s: float) -> None:
        self.clock.advance(duration_s)

    def wait_until(self, t: float, text: str) -> None:
        self.clock.advance(max(0.0, t - self.clock.now()))

    def recall(self, cue: RecallCue, on_entry: Callable[[str, float], None]) -> None:
        ability = self.model.ability("recall") * (1 + LEARNING_GAIN * (cue.learning_trial - 1))
        if cue.phase == "delayed":
            ability *= RETENTION
        words = list(cue.studied)
        n = int(self.rng.binomial(len(words), recall_probability(len(words), ability)))
        typed = self._entries([words[i] for i in recall_order(len(words), n, self.rng)], cue)
        deadline = self.clock.now() + cue.time_limit_s
        for k, text in enumerate(typed):
            step = self.model.rt(scale=2.0 + 0.4 * k + 0.15 * len(text))
            if self.clock.now() + step > deadline:
                break
            self.clock.advance(step)
            on_entry(text, self.clock.now())
        self.clock.advance(min(self.model.rt(scale=3.0), max(0.0, deadline - self.clock.now())))

    def _entries(self, recalled: list[str], cue: RecallCue) -> list[str]:
        rng = self.rng
        prior = [w for lst in cue.other_lists for w in lst]
        out: list[str] = []
        for word in recalled:
            text = word
            if rng.random() < P_TYPO:
                text = misspell(word, rng)
            elif rng.random() < P_PLURAL:
                text = sorted(plural_forms(word))[0]
            if rng.random() < P_UPPER:
                text = text.upper()
            out.append(text)
            if out and rng.random() < P_REPEAT:
                out.append(out[int(rng.integers(len(out)))])
            if prior and rng.random() < P_PRIOR:
                out.append(prior[int(rng.integers(len(prior)))])
            if rng.random() < P_EXTRA:
                out.append(self.pool.words[int(rng.integers(len(self.pool)))])
            if rng.random() < P_NONWORD:
                out.append("".join(rng.choice(list("qxzjkvw"), size=5)))
        return out

    def recognise(self, word: str, position: int, total: int) -> RecognitionAnswer:
        onset = self.clock.now()
        rt = self.model.rt(scale=1.5)
        self.clock.advance(rt)
        r = self.settings.recognition
        old = self.rng.random() < (P_HIT if word in self.seen else P_FALSE_ALARM)
        return RecognitionAnswer(response="old" if old else "new", key=r.old_key if old else r.new_key,
                                 onset_s=onset, rt_s=rt)
