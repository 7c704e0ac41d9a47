"""scripts/check_contrast.py: measured contrast of screenshots, text and shapes told apart."""
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import load_script


@pytest.fixture(scope="module")
def check():
    return load_script("check_contrast")


def screen(path: Path, text_colour: str, shape_colour: str | None = None) -> Path:
    """A 400x300 black screen with anti-aliased text and optionally a filled disc."""
    img = Image.new("RGB", (400, 300), "#000000")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=28)
    draw.text((20, 20), "Press SPACE to continue", fill=text_colour, font=font)
    draw.text((20, 60), "How tired do you feel?", fill=text_colour, font=font)
    if shape_colour:
        draw.ellipse((150, 120, 270, 240), fill=shape_colour)
    img.save(path)
    return path


def test_white_text_and_a_bright_shape_pass(check, tmp_path, capsys):
    screen(tmp_path / "ok.png", "#FFFFFF", "#E8383D")
    assert check.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "#FFFFFF  text" in out and "#E8383D  shape" in out and "PASS" in out
    assert "#7F7F7F" not in out  # anti-aliasing shades are not reported as colours


def test_grey_text_fails_at_7_to_1(check, tmp_path, capsys):
    screen(tmp_path / "grey.png", "#707070")  # 4.2:1 on black
    assert check.main([str(tmp_path / "grey.png")]) == 1
    assert "TOO LOW" in capsys.readouterr().out


def test_dark_blue_shape_fails_at_3_to_1(check, tmp_path, capsys):
    screen(tmp_path / "blue.png", "#FFFFFF", "#0000C0")  # 1.7:1 on black
    assert check.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "#0000C0  shape" in out and "TOO LOW" in out


def test_no_screenshots_is_exit_2(check, tmp_path):
    assert check.main([str(tmp_path)]) == 2


@pytest.mark.gui
def test_real_window_screens_pass(check, window, capsys):
    t = window.clock.now()
    for i, key in enumerate(["space", "right", "space"]):
        window.keys.schedule(key, t + 0.05 * (i + 1))
    window.show_pages(["Word lists\n\nWords will appear one at a time."], screen="instructions_demo")
    window.ask_rating("How tired do you feel right now?", screen="fatigue")
    assert check.main([str(window.screenshots)]) == 0
    out = capsys.readouterr().out
    assert "2 screenshots" in out and "#FFFFFF  text" in out
