"""The layout probe measures what a real window draws."""
import pytest

from cogtrain.layoutprobe import LayoutProbe

pytestmark = pytest.mark.gui


def test_the_probe_sees_overlapping_clipped_and_fitting_text(window):
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


def test_the_probe_restores_drawing_when_it_ends(window):
    from psychopy import visual

    draw = visual.TextStim.draw
    with LayoutProbe(window):
        assert visual.TextStim.draw is not draw
    assert visual.TextStim.draw is draw and "flip" not in vars(window)
