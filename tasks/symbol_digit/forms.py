"""Alternate forms and item orders of the symbol-digit task (no psychopy).

A *form* pairs nine symbols of the pool with the digits 1 to 9. Each session
draws its own form from the session seed, so repeated sessions use different
pairings (alternate forms), as repeated SDMT administrations do (Benedict et
al., 2012, Mult Scler 18(9):1320-1325, showed alternate forms limit practice
effects). Within a block every symbol of the key appears equally often: the
items come in rounds, each round a fresh shuffle of the key, and no item
repeats the one before it.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .glyphs import GLYPHS

#: Distinguishes the form's random stream from the blocks' streams of the same seed.
FORM_STREAM = zlib.crc32(b"symbol_digit form")


@dataclass(frozen=True)
class Form:
    """Symbols answered by the digits 1, 2, ... (``symbols[0]`` is answered with 1).

    Examples
    --------
    >>> form = Form(("wave", "ring", "arch"))
    >>> form.digit("ring"), form.key(2), form.text()
    (2, ('wave', 'ring'), '1=wave 2=ring 3=arch')
    """

    symbols: tuple[str, ...]

    def digit(self, symbol: str) -> int:
        """The digit that answers ``symbol``."""
        return self.symbols.index(symbol) + 1

    def key(self, pairs: int) -> tuple[str, ...]:
        """The symbols of a key of ``pairs`` pairs (digits 1..pairs)."""
        return self.symbols[:pairs]

    def text(self) -> str:
        """The pairing as logged in the ``pairing`` column: ``1=wave 2=ring ...``."""
        return " ".join(f"{d}={s}" for d, s in enumerate(self.symbols, start=1))


def session_form(seed: int, session: int, size: int = 9) -> Form:
    """The form of one session: ``size`` symbols of the pool in a random order.

    The same seed and session always give the same form; a session re-run
    after a crash keeps its form.

    Examples
    --------
    >>> session_form(7, 1) == session_form(7, 1), session_form(7, 1) == session_form(7, 2)
    (True, False)
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(FORM_STREAM, session)))
    names = sorted(GLYPHS)
    return Form(tuple(names[i] for i in rng.choice(len(names), size=size, replace=False)))


def balanced_order(rng: np.random.Generator, options: int) -> Iterator[int]:
    """Endless item indices ``0..options-1`` in rounds: each round shows every option once.

    No index follows itself, also across rounds (the first of a round is
    swapped with another when it would repeat the last of the round before).

    Examples
    --------
    >>> import itertools
    >>> seq = list(itertools.islice(balanced_order(np.random.default_rng(1), 3), 9))
    >>> sorted(seq[:3]) == sorted(seq[3:6]) == [0, 1, 2], all(a != b for a, b in zip(seq, seq[1:]))
    (True, True)
    """
    last = -1
    while True:
        round_ = [int(i) for i in rng.permutation(options)]
        if round_[0] == last and options > 1:
            swap = 1 + int(rng.integers(options - 1))
            round_[0], round_[swap] = round_[swap], round_[0]
        yield from round_
        last = round_[-1]
