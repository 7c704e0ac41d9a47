"""Alternate forms: word lists drawn from a pool, never repeating a word, matched on frequency and length.

A participant's used words are carried across sessions (``state.json``); a word
comes back only once every word of the pool was used (a new *cycle*), and never
twice in the same session. Each list is drawn by stratified sampling on Zipf
frequency (one word from each of ``n`` frequency strata of the available words),
then improved by swaps until its mean Zipf frequency and mean length are within
tolerance of the whole pool's means — so lists are matched to each other and
across sessions. No two words of a list are within typing-error distance of each
other, so a typo can only point to one word.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein

from cogtrain.errors import CogtrainError
from cogtrain.tasks.recall.pool import WordPool
from cogtrain.tasks.recall.scoring import typo_tolerance

#: Swaps tried per list before accepting the best list found.
MAX_SWAPS = 400
#: Candidates evaluated per swap.
CANDIDATES_PER_SWAP = 64


@dataclass(frozen=True)
class Matching:
    """How closely list means must match the pool's means.

    Attributes
    ----------
    zipf : float
        Largest allowed |list mean Zipf − pool mean Zipf|.
    length : float
        Largest allowed |list mean length − pool mean length| (letters).
    max_typo_distance : int
        Typo tolerance of scoring; list words must be further apart than it.
    """

    zipf: float = 0.15
    length: float = 0.5
    max_typo_distance: int = 2


@dataclass
class FormBuilder:
    """Draws lists for one participant's session.

    Parameters
    ----------
    pool : WordPool
        The word pool.
    used : set of str
        Words used in earlier sessions of the current cycle (from ``state.json``).
    cycle : int
        How many times the pool was used up (starts at 0).
    matching : Matching
        Tolerances.
    session_words : set of str
        Words used in this session so far (never reused within a session).
    """

    pool: WordPool
    used: set[str] = field(default_factory=set)
    cycle: int = 0
    matching: Matching = field(default_factory=Matching)
    session_words: set[str] = field(default_factory=set)

    def draw(self, n: int, rng: np.random.Generator) -> list[str]:
        """Draw a list of ``n`` new words, in presentation order, and mark them used.

        Raises
        ------
        CogtrainError
            When the pool has fewer than ``n`` words not yet used in this session.
        """
        available = self._available(n)
        chosen = self._stratified(available, n, rng)
        chosen = self._match(chosen, available, rng)
        order = rng.permutation(len(chosen))
        words = [self.pool.words[chosen[i]] for i in order]
        self.used.update(words)
        self.session_words.update(words)
        return words

    def _available(self, n: int) -> np.ndarray:
        taken = self.used | self.session_words
        idx = np.array([i for i, w in enumerate(self.pool.words) if w not in taken], dtype=int)
        if len(idx) >= n:
            return idx
        self.cycle += 1
        self.used = set()
        idx = np.array([i for i, w in enumerate(self.pool.words) if w not in self.session_words], dtype=int)
        if len(idx) < n:
            raise CogtrainError(f"recall pool {self.pool.name!r} has {len(self.pool)} words, too few for "
                                f"this session's lists; use a larger pool or shorter/fewer lists")
        return idx

    def _confusable(self, i: int, chosen: list[int]) -> bool:
        word = self.pool.words[i]
        for j in chosen:
            other = self.pool.words[j]
            limit = max(typo_tolerance(word, self.matching.max_typo_distance),
                        typo_tolerance(other, self.matching.max_typo_distance))
            if DamerauLevenshtein.distance(word, other, score_cutoff=limit) <= limit:
                return True
        return False

    def _stratified(self, available: np.ndarray, n: int, rng: np.random.Generator) -> list[int]:
        by_zipf = available[np.argsort(self.pool.zipf[available], kind="stable")]
        chosen: list[int] = []
        for stratum in np.array_split(by_zipf, n):
            for i in rng.permutation(stratum):
                if not self._confusable(int(i), chosen):
                    chosen.append(int(i))
                    break
        leftovers = rng.permutation(available)
        for i in leftovers:  # a stratum of only confusable words: fill from anywhere
            if len(chosen) == n:
                break
            if int(i) not in chosen and not self._confusable(int(i), chosen):
                chosen.append(int(i))
        if len(chosen) < n:
            raise CogtrainError(f"recall pool {self.pool.name!r}: cannot find {n} distinct, "
                                "non-confusable words; use a larger pool or shorter lists")
        return chosen

    def _objective(self, zipf_sum: np.ndarray, length_sum: np.ndarray, n: int) -> np.ndarray:
        m = self.matching
        dz = np.abs(zipf_sum / n - self.pool.zipf.mean()) / m.zipf
        dl = np.abs(length_sum / n - self.pool.length.mean()) / m.length
        return np.maximum(dz, dl)

    def _match(self, chosen: list[int], available: np.ndarray, rng: np.random.Generator) -> list[int]:
        n = len(chosen)
        zipf, length = self.pool.zipf, self.pool.length
        current = float(self._objective(zipf[chosen].sum(), length[chosen].sum(), n))
        for _ in range(MAX_SWAPS):
            if current <= 1.0:
                break
            pos = int(rng.integers(n))
            pool_cands = rng.choice(available, size=min(CANDIDATES_PER_SWAP, len(available)), replace=False)
            cands = np.array([c for c in pool_cands if c not in chosen], dtype=int)
            if not len(cands):
                continue
            old = chosen[pos]
            scores = self._objective(zipf[chosen].sum() - zipf[old] + zipf[cands],
                                     length[chosen].sum() - length[old] + length[cands], n)
            others = chosen[:pos] + chosen[pos + 1:]
            for k in np.argsort(scores, kind="stable"):
                if scores[k] >= current:
                    break
                if not self._confusable(int(cands[k]), others):
                    chosen[pos] = int(cands[k])
                    current = float(scores[k])
                    break
        return chosen

    def state(self) -> dict:
        """The part carried across sessions: used words of this cycle, and the cycle count."""
        return {"used_words": sorted(self.used), "pool_cycle": self.cycle}
