"""Word pools and alternate forms: no word reused across sessions, lists matched on frequency and length."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rapidfuzz.distance import DamerauLevenshtein

from cogtrain.errors import CogtrainError
from cogtrain.tasks.recall.forms import FormBuilder, Matching
from cogtrain.tasks.recall.pool import POOL_DIR, load_pool, shipped_pools
from cogtrain.tasks.recall.scoring import number_variants, typo_tolerance


def test_shipped_english_pool_is_large_documented_and_clean() -> None:
    pool = load_pool("en")
    assert "en" in shipped_pools() and len(pool) >= 600
    assert len(set(pool.words)) == len(pool) and all(w.isalpha() and w.islower() for w in pool.words)
    assert np.all((pool.zipf > 0) & (pool.zipf < 8)) and np.all(pool.length == [len(w) for w in pool.words])
    words = set(pool.words)
    assert not any(v in words for w in pool.words for v in number_variants(w))
    readme = (POOL_DIR / "README.md").read_text(encoding="utf-8")
    for needed in ("en.tsv", "GPL-3.0-or-later", "CC-BY-SA 4.0", "wordfreq", "psifr", "PEERS"):
        assert needed in readme
    assert words <= pool.lexicon and len(pool.lexicon) > 10 * len(pool)


def test_a_language_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "xx.tsv"
    path.write_text("word\tlength\tzipf\nGato\t4\t4.1\nperro\t5\t4.5\n", encoding="utf-8")
    (tmp_path / "xx_lexicon.txt").write_text("casa\n", encoding="utf-8")
    pool = load_pool(str(path))
    assert pool.words == ("gato", "perro") and pool.lexicon == {"gato", "perro", "casa"}


@pytest.mark.parametrize("text, message", [
    ("word\tzipf\ncat\t4\n", r"missing column\(s\) length"),
    ("word\tlength\tzipf\ncat\t3\tmany\n", "line 2: zipf 'many' is not a number"),
    ("word\tlength\tzipf\ncat\t3\t4\nCat\t3\t4\n", "line 3: word 'Cat' is empty or repeated"),
])
def test_bad_pool_files_name_file_line_and_value(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CogtrainError, match=message):
        load_pool(str(path))
    with pytest.raises(CogtrainError, match="not found"):
        load_pool("klingon")


def _sessions(n_sessions: int, lengths: list[int], seed: int = 7) -> list[list[list[str]]]:
    pool = load_pool("en")
    used, cycle, out = set(), 0, []
    rng = np.random.default_rng(seed)
    for _ in range(n_sessions):
        builder = FormBuilder(pool, used=set(used), cycle=cycle)
        out.append([builder.draw(n, rng) for n in lengths])
        used, cycle = builder.used, builder.cycle
    return out


def test_no_word_repeats_across_ten_sessions_and_lists_are_matched() -> None:
    pool = load_pool("en")
    sessions = _sessions(10, [24, 16, 12, 8, 12])   # 72 words a session, 720 in all
    words = [w for s in sessions for lst in s for w in lst]
    assert len(words) == 720 and len(set(words)) == len(words)
    index = pool.index()
    m = Matching()
    for lst in (lst for s in sessions for lst in s):
        zipf = np.mean([pool.zipf[index[w]] for w in lst])
        length = np.mean([len(w) for w in lst])
        assert abs(zipf - pool.zipf.mean()) <= m.zipf
        assert abs(length - pool.length.mean()) <= m.length
        for i, a in enumerate(lst):          # no two words of a list one typo apart
            for b in lst[i + 1:]:
                limit = max(typo_tolerance(a, 2), typo_tolerance(b, 2))
                assert DamerauLevenshtein.distance(a, b) > limit


def test_pool_reused_only_when_exhausted_and_never_within_a_session() -> None:
    pool = load_pool("en")
    rng = np.random.default_rng(1)
    almost_all = set(pool.words[:-20])
    builder = FormBuilder(pool, used=set(almost_all))
    first = builder.draw(12, rng)
    assert set(first) <= set(pool.words[-20:]) and builder.cycle == 0
    second = builder.draw(12, rng)                   # only 8 unused words left: a new cycle starts
    assert builder.cycle == 1 and not set(first) & set(second)
    assert builder.state()["pool_cycle"] == 1 and set(second) <= set(builder.state()["used_words"])


def test_same_generator_same_lists() -> None:
    assert _sessions(2, [10, 10], seed=3) == _sessions(2, [10, 10], seed=3)
    assert _sessions(1, [10], seed=3) != _sessions(1, [10], seed=4)


def test_too_small_pool_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "tiny.tsv"
    path.write_text("word\tlength\tzipf\ncat\t3\t4\ndog\t3\t4\n", encoding="utf-8")
    with pytest.raises(CogtrainError, match="too few"):
        FormBuilder(load_pool(str(path))).draw(5, np.random.default_rng(0))
