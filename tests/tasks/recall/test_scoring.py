"""Scoring of typed recall: a table of tricky inputs, each with the rule and word it must get."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogtrain.tasks.recall.pool import load_pool
from cogtrain.tasks.recall.scoring import (RULES, RecallScorer, nearest_unique, normalise,
                                           number_variants, typo_tolerance)

CURRENT = ["cat", "table", "elephant", "knife", "mouse", "cherry", "cake", "cane", "piano", "glass"]
OTHERS = {1: ["zebra", "pillow"], 2: ["violin"]}


def scorer() -> RecallScorer:
    return RecallScorer(CURRENT, 3, OTHERS, load_pool("en").lexicon, max_distance=2)


CASES = [
    # typed, rule, item, list_lag
    ("cat", "exact", "cat", None),
    ("  CAT  ", "exact", "cat", None),
    ("\tcat\n", "exact", "cat", None),
    ("\uff23\uff41\uff54", "exact", "cat", None),          # full-width "Ｃａｔ" (NFKC)
    ("tabel", "typo", "table", None),                      # transposition = 1 edit
    ("tble", "typo", "table", None),                       # deletion
    ("elefant", "typo", "elephant", None),                 # 2 edits, 8 letters
    ("elphnt", "typo", "elephant", None),
    ("pian\u00f6", "typo", "piano", None),                 # non-ASCII substitution
    ("ca t", "typo", "cat", None),                         # stray space
    ("tbl", "invalid", "", None),                          # 2 edits from a 5-letter word: too far
    ("cats", "plural", "cat", None),
    ("knives", "plural", "knife", None),
    ("mice", "plural", "mouse", None),                     # irregular
    ("Cherries", "plural", "cherry", None),
    ("glasses", "plural", "glass", None),
    ("zebra", "prior_list_intrusion", "zebra", 2),
    ("violins", "prior_list_intrusion", "violin", 1),      # plural of an earlier list's word
    ("pilow", "prior_list_intrusion", "pillow", 2),        # misspelt earlier list's word
    ("cot", "extra_list_intrusion", "cot", None),          # real word 1 edit from "cat": not a typo
    ("dog", "extra_list_intrusion", "dog", None),
    ("\ufb01sh", "extra_list_intrusion", "fish", None),     # ligature "ﬁ" (NFKC)
    ("cabe", "invalid", "", None),                         # 1 edit from both "cake" and "cane": ambiguous
    ("", "invalid", "", None),
    ("    ", "invalid", "", None),
    ("123", "invalid", "", None),
    ("!!!", "invalid", "", None),
    ("xqzt", "invalid", "", None),
]


@pytest.mark.parametrize("typed, rule, item, lag", CASES)
def test_tricky_inputs(typed: str, rule: str, item: str, lag: int | None) -> None:
    entry = scorer().score(typed)
    assert (entry.rule, entry.item, entry.list_lag) == (rule, item, lag)
    assert entry.rule in RULES


def test_repetitions_whatever_matched_first() -> None:
    s = scorer()
    rules = [s.score(t).rule for t in ["cat", "CAT", "cats", "tabel", "table", "dog", "dog", "xqzt", "xqzt",
                                      "zebra", "zebra"]]
    assert rules == ["exact", "repetition", "repetition", "typo", "repetition", "extra_list_intrusion",
                     "repetition", "invalid", "invalid", "prior_list_intrusion", "repetition"]


def test_entry_keeps_text_and_distance() -> None:
    entry = scorer().score("  ELEFANT ")
    assert (entry.text, entry.distance, entry.correct) == ("elefant", 2, True)
    assert scorer().score("zebra").source_list == 1


def test_delayed_recall_lag_to_a_later_list_is_negative() -> None:
    s = RecallScorer(["cat"], 1, {3: ["zebra"]}, {"cat", "zebra"}, 2)
    assert s.score("zebra").list_lag == -2


def test_normalise_and_helpers() -> None:
    assert normalise(" Ice \u00a0 CREAM ") == "ice cream"
    assert normalise("STRASSE") == normalise("Stra\u00dfe")
    assert {"boxes"} <= number_variants("box") and "box" in number_variants("boxes")
    assert [typo_tolerance(w, 2) for w in ("ox", "cat", "table", "elephant")] == [1, 1, 1, 2]
    assert typo_tolerance("elephant", 1) == 1
    assert nearest_unique("tabel", ["table", "cable"], 2) == "table"
    assert nearest_unique("zzzzz", ["table"], 2) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gets_one_rule_and_a_consistent_item(text: str) -> None:
    entry = scorer().score(text)
    assert entry.rule in RULES
    assert (entry.item == "") == (entry.rule == "invalid")
    assert entry.text == normalise(entry.text) == normalise(text)
    if entry.rule in ("exact", "typo", "plural"):
        assert entry.item in CURRENT


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CURRENT), st.integers(min_value=0, max_value=20))
def test_one_transposition_is_a_typo_of_its_word_unless_a_real_word(word: str, i: int) -> None:
    i = i % (len(word) - 1)
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    entry = scorer().score(swapped)
    if swapped == word:
        assert entry.rule == "exact"
    elif swapped in load_pool("en").lexicon:
        assert entry.rule in ("exact", "plural", "prior_list_intrusion", "extra_list_intrusion")
    else:
        assert (entry.rule, entry.item, entry.distance) == ("typo", word, 1)
