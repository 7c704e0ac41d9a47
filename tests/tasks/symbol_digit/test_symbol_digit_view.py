"""The symbol-digit view in a real PsychoPy window: injected keys, real (xdotool) clicks, limits."""
import shutil
import subprocess
from dataclasses import replace

import pytest

from cogtrain.tasks.symbol_digit.config import SymbolDigitSettings
from cogtrain.tasks.symbol_digit.forms import Form
from cogtrain.tasks.symbol_digit.logic import Item

pytestmark = pytest.mark.gui

FORM = Form(("wave", "ring", "arch", "kite", "steps", "flag", "bowtie", "spiral", "funnel"))


def symbol_item(pairs=9, symbol="kite", deadline_ms=None, practice=False):
    key = FORM.key(pairs)
    return Item(2, 1, "symbol", symbol, FORM.digit(symbol), key, deadline_ms, 30000,
                tuple(range(1, pairs + 1)), practice=practice)


def make_view(window, **settings):
    from cogtrain.tasks.symbol_digit.view import SymbolDigitView

    return SymbolDigitView(window, SymbolDigitSettings(**settings))


def press(window, *keys, start=0.6, gap=0.3):
    now = window.clock.now()
    for i, key in enumerate(keys):
        window.keys.schedule(key, now + start + i * gap)
    return [now + start + i * gap for i in range(len(keys))]


def test_a_digit_key_answers_with_its_hardware_time(window):
    view = make_view(window)
    item = symbol_item()
    view._item_stims(item)  # build the key before timing starts
    (t,) = press(window, "4")
    response = view.play(item, None)
    assert (response.end, response.digit, response.via) == ("response", 4, "key")
    assert response.offset_s == pytest.approx(t, abs=0.002)
    assert response.onset_s < t
    shots = sorted(p.name for p in window.screenshots.glob("*.png"))
    assert any("symbol_digit_key9" in s for s in shots) and any("symbol_digit_gap" in s for s in shots)


def test_item_screens_draw_only_their_own_item(window):
    view = make_view(window)
    first, second = symbol_item(symbol="kite"), symbol_item(symbol="ring")
    assert len(view._item_stims(first)) == len(view._item_stims(second)) == len(view._item_stims(first))
    three = view._item_stims(symbol_item(pairs=3, symbol="wave"))
    assert len(three) < len(view._item_stims(first))


def test_digits_outside_the_key_and_other_keys_are_ignored(window):
    view = make_view(window)
    item = symbol_item(pairs=3, symbol="arch")
    view._item_stims(item)
    times = press(window, "7", "a", "2")
    response = view.play(item, None)
    assert (response.digit, response.offset_s) == (2, pytest.approx(times[2], abs=0.002))


def test_configured_keys_answer(window):
    view = make_view(window, keys={"digits": ["num_1", "num_2", "num_3", "num_4", "num_5", "num_6", "num_7",
                                              "num_8", "num_9"]})
    item = symbol_item(symbol="flag")
    view._item_stims(item)
    press(window, "6", "num_6")
    assert view.play(item, None).digit == 6


def test_deadline_times_out_and_block_end_cuts_short(window):
    view = make_view(window)
    timed = view.play(symbol_item(deadline_ms=300), None)
    assert timed.end == "time_out" and timed.digit is None and timed.offset_s > timed.onset_s
    cut = view.play(symbol_item(), window.clock.now() + 0.4)
    assert cut.end == "block_time" and cut.digit is None and cut.offset_s >= cut.onset_s


def test_motor_and_recall_items_show_no_key_and_feedback_shows_words(window):
    view = make_view(window, buttons="keypad")
    press(window, "3")
    digit = view.play(Item(1, 1, "digit", "3", 3, (), None, 30000, tuple(range(1, 10))), None)
    assert digit.digit == 3
    press(window, "9")
    recall = view.play(Item(9, 1, "recall", "ring", 2, (), None, 30000, tuple(range(1, 10))), None)
    assert recall.digit == 9
    view.item_feedback("This symbol is 2 (you answered 9).", 100)
    shots = sorted(p.name for p in window.screenshots.glob("*.png"))
    assert any("symbol_digit_motor" in s for s in shots) and any("symbol_digit_incidental" in s for s in shots)
    assert any("symbol_digit_feedback" in s for s in shots)


def click_driver(window, view, digits):
    """xdotool clicks on the buttons of ``digits``, from another process (as a real mouse).

    The clicks are 1.5 s apart: a click while the next item is not yet shown (its
    first frame is being saved as a screenshot) rightly does not count.
    """
    width, height = window.win.size
    wid = window.win.winHandle._window
    commands = []
    for d in digits:
        box = view.layout.buttons[d]
        x, y = int(width / 2 + box.x * height), int(height / 2 - box.y * height)
        commands.append(f"xdotool mousemove --window {wid} {x} {y} click 1; sleep 1.5")
    return subprocess.Popen(["bash", "-c", "sleep 1.0; " + "; ".join(commands)])


@pytest.mark.parametrize("buttons", ["row", "keypad"])
def test_clicking_a_button_answers(window, buttons):
    if not shutil.which("xdotool"):
        pytest.skip("xdotool not installed")
    view = make_view(window, buttons=buttons)
    # Limits are counted in frames, and Xvfb flips without vsync (about 1 ms a frame): generous limits
    # keep each item on screen until the driver's click, however fast the machine.
    items = [replace(symbol_item(symbol="steps"), limit_ms=600_000),
             Item(1, 1, "digit", "8", 8, (), None, 600_000, tuple(range(1, 10)))]
    view._item_stims(items[0])
    driver = click_driver(window, view, [5, 8])
    try:
        responses = [view.play(item, None) for item in items]
    finally:
        driver.wait(timeout=20)
    assert [(r.digit, r.via) for r in responses] == [(5, "click"), (8, "click")]
