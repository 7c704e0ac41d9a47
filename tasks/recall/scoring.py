"""Scoring of typed recall: one typed entry → the word it stands for and the rule that matched.

Pure functions, no display, no randomness. The rules are applied in this order
to the normalised text (Unicode NFKC, case-folded, whitespace stripped and
collapsed):

1. ``invalid`` — empty, or no letter at all.
2. ``exact`` — a word of the list being recalled.
3. ``plural`` — the plural or singular of a word of that list (``cats`` for ``cat``).
4. ``prior_list_intrusion`` — exactly (or as plural/singular) a word of another
   list studied earlier in the session; the list lag is recorded.
5. ``extra_list_intrusion`` — a real word (in the pool or the lexicon) that was
   not studied. A real word is never read as a misspelling of a list word
   (``cot`` typed for ``cat`` is an intrusion, not a typo).
6. ``typo`` — within the Damerau–Levenshtein tolerance of exactly one list word
   (transpositions count as one edit). Refused when two list words are equally
   near. Then the same test against earlier lists (→ ``prior_list_intrusion``).
7. ``invalid`` — anything else (a non-word).

Finally, an entry whose scored word was already entered in the same recall
period becomes ``repetition`` (whatever rule matched it first).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Collection, Iterable, Mapping, Sequence

from rapidfuzz.distance import DamerauLevenshtein

#: Rules written to the ``scoring_rule`` column (docs/data-format.md, recall.csv).
RULES: tuple[str, ...] = ("exact", "typo", "plural", "repetition",
                          "prior_list_intrusion", "extra_list_intrusion", "invalid")
#: Rules that count as a correct recall of a word of the current list.
CORRECT_RULES: frozenset[str] = frozenset({"exact", "typo", "plural"})

#: Irregular English plurals of words likely in concrete-noun pools.
IRREGULAR_PLURALS: Mapping[str, str] = {
    "man": "men", "woman": "women", "child": "children", "foot": "feet",
    "tooth": "teeth", "goose": "geese", "mouse": "mice", "louse": "lice",
    "person": "people", "ox": "oxen", "die": "dice", "cactus": "cacti",
    "fungus": "fungi", "nucleus": "nuclei", "criterion": "criteria",
}
_IRREGULAR_SINGULARS = {v: k for k, v in IRREGULAR_PLURALS.items()}
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
_VOWELS = frozenset("aeiou")


def normalise(text: str) -> str:
    """Normalise typed text for matching.

    Unicode NFKC (full-width letters and ligatures become plain letters), case
    folding (``ß`` → ``ss``), whitespace stripped and runs of whitespace
    collapsed to one space.

    Examples
    --------
    >>> normalise("  Ｃａｔ ")
    'cat'
    >>> normalise("ICE\\tcream")
    'ice cream'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split())


def plural_forms(word: str) -> set[str]:
    """Regular and irregular plurals of an English noun.

    Examples
    --------
    >>> sorted(plural_forms("box"))
    ['boxes']
    >>> sorted(plural_forms("knife"))
    ['knifes', 'knives']
    >>> sorted(plural_forms("mouse"))
    ['mice', 'mouses']
    """
    forms: set[str] = set()
    if word in IRREGULAR_PLURALS:
        forms.add(IRREGULAR_PLURALS[word])
    if word.endswith(_SIBILANT_ENDINGS):
        forms.add(word + "es")
        return forms
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        forms.add(word[:-1] + "ies")
        return forms
    if word.endswith("fe"):
        forms.add(word[:-2] + "ves")
    elif word.endswith("f"):
        forms.add(word[:-1] + "ves")
    if word.endswith("o"):
        forms.add(word + "es")
    forms.add(word + "s")
    return forms


def singular_forms(word: str) -> set[str]:
    """Candidate singulars of an English plural (over-generates; used only for matching).

    Examples
    --------
    >>> sorted(singular_forms("cherries"))
    ['cherri', 'cherrie', 'cherry']
    >>> "wolf" in singular_forms("wolves")
    True
    """
    forms: set[str] = set()
    if word in _IRREGULAR_SINGULARS:
        forms.add(_IRREGULAR_SINGULARS[word])
    if word.endswith("ies") and len(word) > 3:
        forms.add(word[:-3] + "y")
    if word.endswith("ves") and len(word) > 3:
        forms.update({word[:-3] + "f", word[:-3] + "fe"})
    if word.endswith("es") and len(word) > 2:
        forms.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 1:
        forms.add(word[:-1])
    return forms


def number_variants(word: str) -> set[str]:
    """Words that differ from ``word`` only in grammatical number (plural or singular)."""
    return {w for w in plural_forms(word) | singular_forms(word) if w and w != word}


def typo_tolerance(word: str, max_distance: int) -> int:
    """Edits tolerated for a misspelling of ``word``: one per 4 letters, at least 1, at most ``max_distance``.

    Short words get one edit (``cta`` for ``cat``), words of 8+ letters two
    (``elefant`` for ``elephant``), bounded by the configured maximum.
    """
    return max(1, min(max_distance, len(word) // 4))


@dataclass(frozen=True)
class ScoredEntry:
    """The outcome of scoring one typed entry.

    Attributes
    ----------
    item : str
        The word the entry stands for (a list word for correct recalls and
        prior-list intrusions, the normalised text for extra-list intrusions,
        empty for invalid entries).
    rule : str
        One of :data:`RULES`.
    text : str
        The normalised typed text.
    distance : int or None
        Damerau–Levenshtein distance from ``text`` to ``item`` (None for invalid entries).
    list_lag : int or None
        For prior-list intrusions: current list minus the list the word came from.
    source_list : int or None
        For prior-list intrusions: the list the word came from.
    """

    item: str
    rule: str
    text: str
    distance: int | None = None
    list_lag: int | None = None
    source_list: int | None = None

    @property
    def correct(self) -> bool:
        """True for a first recall of a word of the current list."""
        return self.rule in CORRECT_RULES


@dataclass
class RecallScorer:
    """Scores the entries of one recall period, remembering what was already entered.

    Parameters
    ----------
    current : sequence of str
        The studied words being recalled (normalised, lower case).
    list_number : int
        Number of the list being recalled (for list lags).
    other_lists : mapping of int to sequence of str
        Earlier lists of the session, by list number; their words are
        prior-list intrusions.
    lexicon : collection of str
        Real words (pool and lexicon) that are never read as misspellings.
    max_distance : int
        Upper bound of the typo tolerance (see :func:`typo_tolerance`).

    Examples
    --------
    >>> s = RecallScorer(["cat", "table"], 2, {1: ["piano"]}, {"cat", "table", "piano", "cot"}, 2)
    >>> [s.score(t).rule for t in ["Cat", "tabel", "cats", "piano", "cot", "xqzt"]]
    ['exact', 'typo', 'repetition', 'prior_list_intrusion', 'extra_list_intrusion', 'invalid']
    """

    current: Sequence[str]
    list_number: int
    other_lists: Mapping[int, Sequence[str]]
    lexicon: Collection[str]
    max_distance: int = 2
    recalled: set[str] = field(default_factory=set)

    def score(self, raw: str) -> ScoredEntry:
        """Score one typed entry and remember its word for repetitions."""
        entry = self._match(normalise(raw))
        if entry.rule == "invalid":
            return entry
        if entry.item in self.recalled:
            entry = ScoredEntry(entry.item, "repetition", entry.text, entry.distance,
                                entry.list_lag, entry.source_list)
        self.recalled.add(entry.item)
        return entry

    def _match(self, text: str) -> ScoredEntry:
        if not any(ch.isalpha() for ch in text):
            return ScoredEntry("", "invalid", text)
        current = set(self.current)
        if text in current:
            return ScoredEntry(text, "exact", text, 0)
        variants = number_variants(text)
        plural = sorted(variants & current)
        if plural:
            return ScoredEntry(plural[0], "plural", text, _distance(text, plural[0]))
        prior = self._prior_exact(text, variants)
        if prior is not None:
            return prior
        if text in self.lexicon:
            return ScoredEntry(text, "extra_list_intrusion", text, 0)
        near = nearest_unique(text, self.current, self.max_distance)
        if near is not None:
            return ScoredEntry(near, "typo", text, _distance(text, near))
        return self._prior_typo(text) or ScoredEntry("", "invalid", text)

    def _prior_lists_recent_first(self) -> list[tuple[int, Sequence[str]]]:
        return sorted(self.other_lists.items(), key=lambda kv: abs(self.list_number - kv[0]))

    def _prior_exact(self, text: str, variants: set[str]) -> ScoredEntry | None:
        for number, words in self._prior_lists_recent_first():
            hits = sorted(({text} | variants) & set(words))
            if hits:
                return self._intrusion(text, hits[0], number)
        return None

    def _prior_typo(self, text: str) -> ScoredEntry | None:
        words = {w: n for n, ws in self._prior_lists_recent_first()[::-1] for w in ws}
        near = nearest_unique(text, list(words), self.max_distance)
        return None if near is None else self._intrusion(text, near, words[near])

    def _intrusion(self, text: str, word: str, number: int) -> ScoredEntry:
        return ScoredEntry(word, "prior_list_intrusion", text, _distance(text, word),
                           self.list_number - number, number)


def _distance(a: str, b: str) -> int:
    return int(DamerauLevenshtein.distance(a, b))


def nearest_unique(text: str, words: Iterable[str], max_distance: int) -> str | None:
    """The one word within its typo tolerance of ``text``, or None when none or several are nearest.

    Examples
    --------
    >>> nearest_unique("tabel", ["table", "cable"], 2)
    'table'
    >>> nearest_unique("cabe", ["cake", "cane"], 2) is None   # equally near: ambiguous
    True
    """
    best: list[str] = []
    best_d = None
    for word in words:
        d = _distance(text, word)
        if d > typo_tolerance(word, max_distance):
            continue
        if best_d is None or d < best_d:
            best, best_d = [word], d
        elif d == best_d:
            best.append(word)
    return best[0] if len(best) == 1 else None
