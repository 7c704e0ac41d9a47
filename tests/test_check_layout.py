"""The layout check over the screenshot tour: a fast subset of scripts/check_layout.py's sweep.

The whole sweep (six sizes x every preset and the example profile) takes about 20 minutes
and lives in scripts/; here the large-print look runs at a 16:9 and the smallest allowed
4:3 window (both fit the test's 1280x1024 X screen), and a portrait window is refused.
"""
import json

import pytest

from tests.conftest import CONFIGS, load_script

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def tour():
    return load_script("screenshot_tour")


@pytest.mark.parametrize("size", [(1280, 720), (800, 600)])
def test_every_screen_fits_in_large_print(tour, tmp_path, size, capsys):
    argv = [str(CONFIGS / "ms_training.yaml"), "--out", str(tmp_path), "--preset", "large_print",
            "--size", *map(str, size), "--check-layout"]
    assert tour.main(argv) == 0, capsys.readouterr().out
    report = json.loads((tmp_path / "layout.json").read_text(encoding="utf-8"))
    assert report["window"] == list(size) and report["problems"] == {}
    assert {"fatigue", "recall_typing_immediate", "nback_dual", "tower_plan"} <= set(report["screens"])


def test_a_portrait_window_is_refused_with_a_screen_for_the_researcher(tour, tmp_path, capsys):
    argv = [str(CONFIGS / "ms_training.yaml"), "--out", str(tmp_path), "--size", "600", "800"]
    assert tour.main(argv) == 1
    assert capsys.readouterr().out.startswith("session aborted;")
    report = json.loads((tmp_path / "layout.json").read_text(encoding="utf-8"))
    assert report["screens"] == ["display_refused"] and report["problems"] == {}
