"""Which characters a font cannot draw, found in the font file itself."""
from pathlib import Path

import pytest

from cogtrain.glyphs import describe, missing_glyphs, texts_in

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed")
def test_missing_glyphs_are_listed_once_in_order_and_spaces_need_none():
    assert missing_glyphs(DEJAVU, ["Hello wörld\n", "日本 日", "مرحبا"]) == ["日", "本"]


def test_every_string_of_a_nested_battery_is_a_text():
    data = {"name": "b", "tasks": [{"settings": {"instructions": ["p1", "p2"], "n": 3}}], "flag": True}
    assert sorted(texts_in(data)) == ["b", "p1", "p2"]


def test_describe_names_code_points_and_counts_the_rest():
    assert describe(["日"]) == "'日' (U+65E5)"
    assert describe(list("abc"), limit=2) == "'a' (U+0061), 'b' (U+0062) and 1 more"
