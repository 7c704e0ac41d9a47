"""The PsychoPy window frontend: generic screens driven by key presses through the keyboard device."""
import shutil
import subprocess

import pytest

from cogtrain.errors import CogtrainError, SessionAborted

pytestmark = pytest.mark.gui


def test_pages_go_forward_and_back(window, answer):
    answer(("instructions_demo_1", ["space"]), ("instructions_demo_2", ["left"]),
           ("instructions_demo_1", ["space"]), ("instructions_demo_2", ["space"]))
    window.show_pages(["one", "two"], screen="instructions_demo")
    shots = sorted(p.name for p in window.screenshots.glob("*.png"))
    assert shots == ["01_instructions_demo_1.png", "02_instructions_demo_2.png"]


def test_rating_by_arrows_and_digits(window, answer):
    answer(("fatigue", ["right", "right", "space"]), ("fatigue", ["3", "space"]))
    assert window.ask_rating("How tired?", screen="fatigue") == 6  # the first arrow picks the middle
    assert window.ask_rating("How tired?", screen="fatigue") == 3  # a digit alone is itself


def test_typing_1_then_0_gives_10(window, answer):
    answer(("fatigue", ["1", "0", "space"]))
    assert window.ask_rating("How tired?", screen="fatigue") == 10


def test_nothing_is_preselected_and_space_without_a_choice_asks_then_skips(window, answer):
    answer(("fatigue", ["space"]), ("fatigue_ask", ["space"]))
    assert window.ask_rating("How tired?", screen="fatigue") is None
    shots = sorted(p.name for p in window.screenshots.glob("*.png"))
    assert shots == ["01_fatigue.png", "02_fatigue_ask.png"]


def test_escape_asks_then_aborts(window, answer):
    answer(("message", ["escape"]), ("confirm_quit", ["y"]))
    with pytest.raises(SessionAborted):
        window.show_message("hello", screen="message")


def test_no_to_the_quit_question_carries_on_after_a_countdown(window, answer):
    answer(("message", ["escape"]), ("confirm_quit", ["n"]), ("message", ["space"]))
    window.show_message("hello", screen="message")
    shots = [p.name for p in sorted(window.screenshots.glob("*.png"))]
    assert shots == ["01_message.png", "02_confirm_quit.png", "03_resume_countdown.png"]


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


def test_rating_scale_has_labelled_ends(window, answer):
    answer(("fatigue", ["5", "space"]))
    window.ask_rating("How tired?", screen="fatigue", anchors=("0 = not at all", "10 = extremely"))
    assert (window.screenshots / "01_fatigue.png").exists()


@pytest.mark.parametrize("text_height", [0.04, 0.05, 0.065, 0.08])
@pytest.mark.parametrize("screen_width", [1.0, 1.25, 1.6, 16 / 9])
def test_rating_scale_fits_the_screen_and_its_digits(text_height, screen_width):
    from cogtrain.window import scale_box_width

    width = scale_box_width(11, text_height, screen_width)
    assert 11 * width <= 0.92 * screen_width + 1e-9
    assert width >= min(0.11, 0.92 * screen_width / 11)


def test_choice_starts_with_nothing_chosen_and_takes_keys(window, answer):
    answer(("choice", ["space", "right", "right", "left", "space"]), ("choice", ["2", "space"]))
    assert window.ask_choice("Any change?", ["No", "Yes"], screen="choice") == 0
    assert window.ask_choice("Any change?", ["No", "Yes"], screen="choice") == 1


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool is not installed")
def test_a_quick_click_on_a_box_counts(window, answer):
    """A real X click (press and release between two polls) on the box of 8, then SPACE."""
    from cogtrain.window import scale_box_width

    w, h = (int(v) for v in window.win.size)
    step = scale_box_width(11, window.display.text_height, window.aspect) * h
    x, y = w / 2 + 3 * step, h / 2 + 0.05 * h  # 3 boxes right of 5; the scale is 0.05 below the centre
    origin = window.win.winHandle.get_location()
    answer(("fatigue", ["space"]), gap=0.5)
    shoot, clicked = window.screenshot_once, []

    def click_once(name):
        if not clicked:
            clicked.append(name)
            subprocess.run(["xdotool", "mousemove", str(int(origin[0] + x)), str(int(origin[1] + y)),
                            "click", "1"], check=True)
        shoot(name)

    window.screenshot_once = click_once
    assert window.ask_rating("How tired?", screen="fatigue") == 8


def test_a_long_page_is_shown_as_pages_that_fit(window, answer):
    from cogtrain.layoutview import LayoutProbe

    long_page = "\n\n".join(f"Paragraph {i}: " + "words that take room on the screen " * 4 for i in range(8))
    answer(*[(f"instructions_long_{i}", ["space"]) for i in range(1, 10)])
    with LayoutProbe(window) as probe:
        window.show_pages([long_page], screen="instructions_long")
    shots = sorted(p.name for p in window.screenshots.glob("*.png"))
    assert len(shots) >= 2 and probe.report() == []


def test_window_title_is_cogtrain(window):
    assert window.win.title == "cogtrain"


def test_a_missing_font_and_missing_letters_are_refused():
    from cogtrain.window import check_font

    with pytest.raises(CogtrainError, match="'No Such Font' is not installed"):
        check_font("No Such Font", ["hello"])
    with pytest.raises(CogtrainError, match=r"cannot draw '日' \(U\+65E5\)"):
        check_font("DejaVu Sans", ["日本語"])
    check_font("DejaVu Sans", ["Hello ←→ · é ñ", "مرحبا", "שלום"])


def test_right_to_left_text_uses_psychopys_language_style():
    from cogtrain.window import language_style

    assert [language_style(t) for t in ("hello", "مرحبا", "שלום")] == ["LTR", "Arabic", "RTL"]


@pytest.mark.parametrize("size, problem", [
    ((600, 800), "taller than wide"), ((700, 500), "at least 800x600"), ((1280, 800), None)])
def test_portrait_and_small_windows_are_named(size, problem):
    from cogtrain.config import DisplaySettings, KeySettings
    from cogtrain.window import WindowFrontend

    fe = WindowFrontend(DisplaySettings(fullscreen=False, size=size), KeySettings(), windowed=True,
                        refresh_probe=lambda win: [])
    try:
        found = fe.display_problem()
        assert (found is None) if problem is None else (problem in found)
    finally:
        fe.close()


def test_a_window_larger_than_the_screen_is_shrunk_to_fit():
    from cogtrain.window import fit_window

    assert fit_window((1280, 800), (1366, 768)) == (1105, 691)  # 0.9 x min(1366/1280, 768/800) = 0.864, floored
    assert fit_window((1280, 800), (1920, 1080)) == (1280, 800)
    assert fit_window((1280, 800), None) == (1280, 800)
