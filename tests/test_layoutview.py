"""The layout probe measures what a real window draws."""
import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def LayoutProbe():  # noqa: N802 - the class, imported only where a display is (psychopy needs one at import)
    from cogtrain.layoutview import LayoutProbe

    return LayoutProbe


def test_the_probe_sees_overlapping_clipped_and_fitting_text(window, LayoutProbe):
    with LayoutProbe(window) as probe:
        window.screenshot_once("overlapping")
        window.text("first line of text", pos=(0, 0)).draw()
        window.text("second line of text", pos=(0, 0.01)).draw()
        window.flip()
        window.screenshot_once("clipped")
        window.text("near the top", pos=(0, 0.49)).draw()
        window.flip()
        window.screenshot_once("fine")
        window.text("a line", pos=(0, 0.1)).draw()
        window.text("another line", pos=(0, -0.1)).draw()
        window.flip()
    assert probe.screens == {"overlapping", "clipped", "fine"}
    assert [line.split(": ")[:2] for line in probe.report()] == [["clipped", "clipped"],
                                                                ["overlapping", "overlap"]]


def test_the_probe_restores_drawing_when_it_ends(window, LayoutProbe):
    from psychopy import visual

    draw, flip = visual.TextStim.draw, vars(window).get("flip")  # the window's own probe (it takes screenshots)
    with LayoutProbe(window):
        assert visual.TextStim.draw is not draw and vars(window)["flip"] is not flip
    assert visual.TextStim.draw is draw and vars(window).get("flip") is flip


def test_a_window_that_takes_screenshots_saves_its_layout_report(window, answer):
    import json

    answer(("fits", ["space"]))
    window.show_message("Short", screen="fits")
    report = json.loads((window.screenshots / "layout.json").read_text(encoding="utf-8"))
    assert "fits" in report["screens"] and "fits" not in report["problems"]
