"""The simulated symbol-digit participant: a searcher of the key with log-normal answer times.

Ability (``--sim-ability symbol_digit=A``) is the number of symbols the
simulated participant answers right in the 90-s assessment, the SDMT-style
count (about 55 for healthy adults, fewer with slowed processing). From it:

* a digit (motor block) takes a median of ``MOTOR_S``;
* a symbol with the full 9-pair key takes, on average, the time that gives
  ``A`` right answers in 90 s: ``90 (1 - ERROR_RATE) / A`` seconds, including
  the gap before the next symbol and the slow answers after lapses; with a
  key of ``k`` pairs the look-up part (beyond the motor time) shrinks to
  ``(k + 1) / 10`` of it;
* answer times are log-normal around that median (the battery's model, SD of
  log RT ``rt_sigma``); an answer later than the item's deadline is a
  time-out;
* ``ERROR_RATE`` of answers are a wrong digit; a lapse (the model's lapse
  rate) answers nothing when the item has a deadline (it times out) and
  ``LAPSE_SLOWING`` times later than usual when it has none;
* after the block, each symbol's digit is remembered with probability
  ``recall_probability(A)`` and guessed otherwise.

Training therefore settles at the level whose deadline lets about the
criterion's share of answers in: higher ability, shorter deadlines.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from cogtrain.timing import frames_for

from .config import DIGITS, SymbolDigitSettings
from .logic import Item, ItemResponse

#: Median time to give a digit that is shown (motor block), seconds.
MOTOR_S = 0.6
#: Shortest look-up time of the full key, seconds (bounds abilities above ~120).
MIN_LOOKUP_S = 0.1
#: Share of answers that are a wrong digit.
ERROR_RATE = 0.03
#: How much slower an answer is after a lapse, on items without a deadline.
LAPSE_SLOWING = 3.0


def recall_probability(ability: float) -> float:
    """Chance of remembering a symbol's digit without the key (rises with speed, at most 0.9).

    Examples
    --------
    >>> recall_probability(30), recall_probability(60), recall_probability(200)
    (0.4, 0.65, 0.9)
    """
    return round(min(0.9, 0.15 + ability / 120), 3)


class SymbolDigitSimulator:
    """Player for the simulated frontend (``frontend.model``, ``frontend.clock``)."""

    task = "symbol_digit"

    def __init__(self, frontend: Any, settings: SymbolDigitSettings):
        self.frontend = frontend
        self.settings = settings
        self.model = frontend.model
        self.rng: np.random.Generator = frontend.model.rng
        self.frame_s = 1.0 / frontend.frame_rate

    def median_rt(self, item: Item) -> float:
        """Median answer time of ``item`` in seconds."""
        if item.item_type == "digit":
            return MOTOR_S
        right_share = 1 - ERROR_RATE
        item_s = 90.0 * right_share / self.model.ability(self.task)  # time per item that makes A right in 90 s
        lapses = 1 + self.model.lapse_rate * (LAPSE_SLOWING - 1)
        mean_rt = (item_s - self.settings.gap_ms / 1000) / lapses
        median_9 = mean_rt / math.exp(self.model.rt_sigma ** 2 / 2)
        lookup = max(median_9 - MOTOR_S, MIN_LOOKUP_S)
        pairs = len(item.key) or len(DIGITS)
        return MOTOR_S + lookup * (pairs + 1) / 10

    def _answer(self, item: Item) -> int:
        if item.item_type == "recall" and self.rng.random() >= recall_probability(self.model.ability(self.task)):
            return int(self.rng.choice(item.digits))
        if self.rng.random() < ERROR_RATE:
            return int(self.rng.choice([d for d in item.digits if d != item.answer]))
        return item.answer

    def play(self, item: Item, ends_at: float | None) -> ItemResponse:
        """Answer (or not) within the item's limit and the block's time, then let the gap pass."""
        clock = self.frontend.clock
        onset = clock.now()
        limit = onset + self.frame_s * frames_for(item.time_limit_ms, self.frontend.frame_rate)
        if ends_at is not None:
            limit = min(limit, ends_at)
        rt = self.model.rt(scale=self.median_rt(item) / self.model.rt_median_s)
        if self.model.lapse():
            rt = math.inf if item.deadline_ms is not None else rt * LAPSE_SLOWING
        if onset + rt < limit:
            clock.advance(rt)
            response = ItemResponse(onset, clock.now(), "response", self._answer(item), "key")
        else:
            clock.advance(limit - onset)
            end = "block_time" if ends_at is not None and limit >= ends_at else "time_out"
            response = ItemResponse(onset, clock.now(), end)
        clock.advance(self.settings.gap_ms / 1000)
        return response

    def item_feedback(self, text: str, ms: int) -> None:
        """Reading the practice feedback takes its display time."""
        self.frontend.clock.advance(ms / 1000)
