"""Accessibility for people with MS: contrast, text size, presets and per-participant profiles."""
from pathlib import Path

import pytest

from cogtrain.config import PRESETS, DisplaySettings, load_battery
from cogtrain.contrast import (
    MIN_SHAPE_CONTRAST,
    MIN_TEXT_CONTRAST,
    contrast_ratio,
    relative_luminance,
)
from cogtrain.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent
PROFILE = REPO / "configs" / "profiles" / "example_low_vision_tremor.yaml"
BATTERY = REPO / "configs" / "ms_training.yaml"
PIXELS_AT_1080 = 1080


def test_wcag_reference_values():
    # WCAG 2.x: white on black is 21:1; #767676 is the darkest grey passing 4.5:1 on white.
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#595959", "#FFFFFF") == pytest.approx(7.0, abs=0.01)
    assert relative_luminance((255, 0, 0)) == pytest.approx(0.2126)
    assert contrast_ratio((0, 0, 0), "#000000") == 1.0


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_meets_the_ms_defaults(preset):
    display = DisplaySettings(preset=preset)
    assert contrast_ratio(display.foreground, display.background) >= MIN_TEXT_CONTRAST
    assert contrast_ratio(display.accent, display.background) >= MIN_SHAPE_CONTRAST
    assert display.text_height * PIXELS_AT_1080 >= 32
    assert display.text_height * 0.75 * PIXELS_AT_1080 >= 32  # footer prompts are 0.75 of the text height
    assert display.speak_instructions is False


def test_preset_fills_only_keys_not_written():
    display = DisplaySettings.model_validate({"preset": "large_print", "text_height": 0.06})
    assert display.text_height == 0.06 and DisplaySettings(preset="large_print").text_height == 0.065
    assert DisplaySettings(preset="high_contrast").accent == "#FFFF00"


def test_low_text_contrast_is_a_config_error(write_config):
    path = write_config('name: t\ndisplay: {background: "#000000", foreground: "#595959"}\ntasks: [{task: nback}]\n')
    with pytest.raises(ConfigError) as info:
        load_battery(path)
    (problem,) = info.value.problems
    assert problem.startswith(f"{path}: display.foreground: '#595959' is not valid (contrast with background")
    assert "at least 7:1" in problem


def test_dim_but_sufficient_contrast_is_accepted():
    assert DisplaySettings(background="#1A1A1A", foreground="#C8C8C8", accent="#808000").foreground == "#C8C8C8"


@pytest.mark.parametrize("size", [(0, 800), (1280, 10**9), (-5, -5)])
def test_window_size_is_bounded(size):
    with pytest.raises(ValueError, match="each 200 to 16384"):
        DisplaySettings(size=size)


def test_example_profile_sets_display_keys_breaks_and_task_timing():
    battery = load_battery(BATTERY, profile=PROFILE)
    display = battery.config.display
    assert (display.preset, display.background, display.foreground, display.text_height) == (
        "high_contrast", "#000000", "#FFFFFF", 0.065)
    assert battery.config.breaks.min_duration_s == 60
    nback = battery.task_settings["nback"]
    assert (nback.mode, nback.stimulus_ms, nback.isi_ms, nback.keys.letter) == ("single", 1000, 3000, "return")
    assert battery.task_settings["tower"].keys.pegs == ["z", "v", "m"]  # none a ball letter (R G B)
    assert battery.task_settings["recall"].recall.time_limit_s == 300


def test_profile_preset_outranks_battery_colours(write_config):
    path = write_config('name: t\ndisplay: {background: "#202020", foreground: "#F0F0F0", accent: "#00C0FF"}\n'
                        'tasks: [{task: nback}]\n')
    profile = write_config("display: {preset: high_contrast}\n", name="profile.yaml")
    display = load_battery(path, profile=profile).config.display
    assert (display.background, display.foreground, display.accent) == ("#000000", "#FFFFFF", "#FFFF00")


@pytest.mark.parametrize("text, problem", [
    ("display: {foreground: '#111111'}\n",
     ("display.foreground: '#111111' is not valid (contrast with background #000000 is 1.1:1; "
     "at least 7:1 is needed (WCAG 2) — choose a lighter or darker colour, or preset: high_contrast)")),
    ("task_settings: {nback: {isi_frames: 0}}\n",
     "task_settings.nback.isi_frames: 0 is not valid (Input should be greater than or equal to 1)"),
])
def test_profile_errors_name_the_profile_and_its_key(write_config, text, problem):
    profile = write_config(text, name="profile.yaml")
    with pytest.raises(ConfigError) as info:
        load_battery(BATTERY, profile=profile)
    assert info.value.problems == [f"{profile}: {problem}"]


def test_shipped_battery_is_self_paced_by_default():
    battery = load_battery(BATTERY)
    assert battery.config.breaks.min_duration_s == 0
    assert battery.task_settings["tower"].time_limit_s is None


def test_example_profile_runs_a_whole_simulated_session(tmp_path, capsys):
    from cogtrain.cli import main

    assert main(["run", str(BATTERY), "--participant", "P07", "--profile", str(PROFILE), "--simulate",
                 "--data", str(tmp_path), "--seed", "3"]) == 0
    assert "session 1 complete" in capsys.readouterr().out
