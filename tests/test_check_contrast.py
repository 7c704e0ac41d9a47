"""scripts/check_contrast.py: measured contrast of screenshots, text and shapes told apart."""
import json
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
    assert check.main([str(tmp_path), "--no-layout"]) == 0
    out = capsys.readouterr().out
    assert "#FFFFFF  text" in out and "#E8383D  shape" in out and "PASS" in out
    assert "#7F7F7F" not in out  # anti-aliasing shades are not reported as colours


def test_grey_text_fails_at_7_to_1(check, tmp_path, capsys):
    screen(tmp_path / "grey.png", "#707070")  # 4.2:1 on black
    assert check.main([str(tmp_path / "grey.png"), "--no-layout"]) == 1
    assert "TOO LOW" in capsys.readouterr().out


def test_dark_blue_shape_fails_at_3_to_1(check, tmp_path, capsys):
    screen(tmp_path / "blue.png", "#FFFFFF", "#0000C0")  # 1.7:1 on black
    assert check.main([str(tmp_path), "--no-layout"]) == 1
    out = capsys.readouterr().out
    assert "#0000C0  shape" in out and "TOO LOW" in out


def test_no_screenshots_is_exit_2(check, tmp_path):
    assert check.main([str(tmp_path)]) == 2


@pytest.mark.gui
def test_real_window_screens_pass(check, window, answer, capsys):
    answer(("instructions_demo", ["space"]), ("fatigue", ["right", "space"]))
    window.show_pages(["Word lists\n\nWords will appear one at a time."], screen="instructions_demo")
    window.ask_rating("How tired do you feel right now?", screen="fatigue")
    assert check.main([str(window.screenshots)]) == 0
    out = capsys.readouterr().out
    assert "2 screenshots" in out and "#FFFFFF  text" in out


def layout_report(folder: Path, problems: dict) -> None:
    (folder / "layout.json").write_text(json.dumps({"window": [400, 300], "screens": sorted(problems),
                                                    "problems": problems}), encoding="utf-8")


def test_a_clipped_screen_fails_however_good_its_contrast(check, tmp_path, capsys):
    screen(tmp_path / "01_instructions_1.png", "#FFFFFF")
    screen(tmp_path / "02_fatigue.png", "#FFFFFF")
    layout_report(tmp_path, {"instructions_1": [{"kind": "clipped", "detail": "text 'Memory' reaches 30 px "
                                                                             "past the edge"}]})
    assert check.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "CLIPPED: text 'Memory' reaches 30 px past the edge" in out and out.count("CLIPPED") == 1


def test_screenshots_without_a_layout_report_fail_unless_asked_for_contrast_only(check, tmp_path, capsys):
    screen(tmp_path / "01_fatigue.png", "#FFFFFF")
    assert check.main([str(tmp_path)]) == 1
    assert "NO LAYOUT REPORT" in capsys.readouterr().out
    layout_report(tmp_path, {})
    assert check.main([str(tmp_path)]) == 0
