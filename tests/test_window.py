"""The PsychoPy window frontend: generic screens driven by key presses through the keyboard device."""
import pytest

from cogtrain.errors import SessionAborted

pytestmark = pytest.mark.gui


def test_pages_go_forward_and_back(window):
    t = window.clock.now()
    for i, key in enumerate(["space", "left", "space", "space"]):
        window.keys.schedule(key, t + 0.05 * (i + 1))
    window.show_pages(["one", "two"], screen="instructions_demo")
    shots = sorted(p.name for p in window.screenshots.glob("*.png"))
    assert shots == ["01_instructions_demo_1.png", "02_instructions_demo_2.png"]


def test_rating_by_arrows_and_digits(window):
    t = window.clock.now()
    for i, key in enumerate(["right", "right", "space"]):
        window.keys.schedule(key, t + 0.05 * (i + 1))
    assert window.ask_rating("How tired?", screen="fatigue") == 7
    t = window.clock.now()
    for i, key in enumerate(["2", "space"]):
        window.keys.schedule(key, t + 0.05 * (i + 1))
    assert window.ask_rating("How tired?", screen="fatigue") == 2


def test_escape_asks_then_aborts(window):
    t = window.clock.now()
    for i, key in enumerate(["escape", "n", "escape", "y"]):
        window.keys.schedule(key, t + 0.05 * (i + 1))
    with pytest.raises(SessionAborted):
        window.show_message("hello", screen="message")


def test_key_time_is_the_press_time_not_the_poll_time(window):
    t = window.clock.now() + 0.1
    window.keys.schedule("a", t)
    while window.clock.now() < t + 0.2:
        window.flip()
    (press,) = window.keys.get(["a"])
    assert press.name == "a" and press.t == pytest.approx(t, abs=1e-9)


def test_a_held_key_counts_when_pressed_and_only_once(window):
    kb = window.keys.kb
    t = window.clock.now()
    press = kb.device.makeResponse(code="a", tDown=t, name="a")
    press.rt = t - window.clock.start_s  # key down, not yet released
    assert [k.name for k in window.keys.get(["a"])] == ["a"]
    press.duration = 0.4  # the release arrives later: the device hands the same press back
    kb.device.receiveMessage(press)
    assert window.keys.get(["a"]) == []


def test_a_tap_between_two_polls_is_not_lost(window):
    t = window.clock.now()
    window.keys.schedule("l", t)  # press and release both before the next poll
    window.flip()
    assert [k.name for k in window.keys.get(["l"])] == ["l"]


def test_a_break_cannot_be_skipped_before_its_minimum(window):
    start = window.clock.now()
    window.keys.schedule("space", start + 0.05)  # too early: ignored
    window.keys.schedule("space", start + 0.4)
    window.show_message("Break", screen="break", min_duration_s=0.3)
    assert window.clock.now() - start >= 0.4


def test_rating_scale_has_labelled_ends(window):
    window.keys.schedule("space", window.clock.now() + 0.05)
    window.ask_rating("How tired?", screen="fatigue", anchors=("0 = not at all", "10 = extremely"))
    assert (window.screenshots / "01_fatigue.png").exists()


@pytest.mark.parametrize("text_height", [0.04, 0.05, 0.065, 0.08])
@pytest.mark.parametrize("screen_width", [1.0, 1.25, 1.6, 16 / 9])
def test_rating_scale_fits_the_screen_and_its_digits(text_height, screen_width):
    from cogtrain.window import scale_box_width

    width = scale_box_width(11, text_height, screen_width)
    assert 11 * width <= 0.92 * screen_width + 1e-9
    assert width >= min(0.11, 0.92 * screen_width / 11)


def test_choice_starts_with_nothing_chosen_and_takes_keys(window):
    t = window.clock.now()
    for i, key in enumerate(["space", "right", "right", "left", "space"]):
        window.keys.schedule(key, t + 0.1 * (i + 1))
    assert window.ask_choice("Any change?", ["No", "Yes"], screen="choice") == 0
    t = window.clock.now()
    for i, key in enumerate(["2", "space"]):
        window.keys.schedule(key, t + 0.1 * (i + 1))
    assert window.ask_choice("Any change?", ["No", "Yes"], screen="choice") == 1
