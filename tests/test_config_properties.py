"""Property-based tests of the config loader: anything raises ConfigError or loads, never anything else."""
from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cogtrain.config import load_battery
from cogtrain.contrast import contrast_ratio
from cogtrain.errors import ConfigError

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = ["name", "description", "display", "keys", "order", "tasks", "breaks", "simulation", "plan", "task",
        "settings", "text_height", "background", "foreground", "preset", "blocks", "level", "start", "continue"]
scalars = (st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=True)
           | st.text(max_size=30) | st.sampled_from(["nback", "tower", "recall", "#FFFFFF", "#000000", "fixed"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5),
                      max_leaves=25)
yaml_chars = st.sampled_from(list(string.printable) + list(":-[]{}&*!|>'\"%@`#,?\t\n") + ["é", "\x00", "\ufeff"])


def load_or_config_error(path) -> None:
    try:
        load_battery(path)
    except ConfigError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert all("\n" not in p for p in exc.problems), "each problem is one line"


@FAST
@given(st.text(yaml_chars, max_size=300))
def test_any_text_loads_or_gives_config_errors(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    load_or_config_error(path)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_load_or_give_config_errors(tmp_path, data):
    path = tmp_path / "c.yaml"
    path.write_bytes(data)
    load_or_config_error(path)


@FAST
@given(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), values, max_size=6))
def test_any_nested_mapping_loads_or_gives_config_errors(tmp_path, data):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_or_config_error(path)


grey = st.integers(0, 255).map(lambda v: f"#{v:02X}{v:02X}{v:02X}")


@st.composite
def valid_batteries(draw):
    """Batteries a researcher could write: valid values for a sample of the keys."""
    background = draw(st.sampled_from(["#000000", "#101010", "#FFFFFF", "#F5F5DC"]))
    foreground = draw(grey.filter(lambda c: contrast_ratio(c, background) >= 7))
    accent = draw(grey.filter(lambda c: contrast_ratio(c, background) >= 3))
    tasks = draw(st.lists(st.sampled_from(["nback", "tower", "recall"]), min_size=1, max_size=3, unique=True))
    entries = []
    for task in tasks:
        entry = {"task": task}
        if task == "nback":
            entry["settings"] = draw(st.fixed_dictionaries({}, optional={
                "blocks": st.integers(1, 40), "mode": st.sampled_from(["single", "dual"]),
                "stimulus_frames": st.integers(1, 600), "isi_frames": st.integers(1, 3600)}))
        elif task == "tower":
            entry["settings"] = draw(st.fixed_dictionaries({}, optional={
                "puzzle": st.sampled_from(["tol", "hanoi"]), "problems_per_block": st.integers(1, 20)}))
        entries.append(entry)
    return {
        "name": draw(st.text(string.ascii_letters + " ", min_size=1, max_size=40)),
        "display": draw(st.fixed_dictionaries({"background": st.just(background), "foreground": st.just(foreground),
                                               "accent": st.just(accent)}, optional={
            "preset": st.just("large_print"), "text_height": st.floats(0.02, 0.065), "fullscreen": st.booleans(),
            "speak_instructions": st.booleans()})),
        "order": draw(st.sampled_from(["fixed", "random", "latin_square"])),
        "breaks": draw(st.fixed_dictionaries({}, optional={"min_duration_s": st.floats(0, 3600),
                                                           "fatigue_rating": st.booleans()})),
        "tasks": entries,
    }


@FAST
@given(valid_batteries())
def test_valid_generated_batteries_load(tmp_path, data):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    battery = load_battery(path)
    assert battery.task_names == [entry["task"] for entry in data["tasks"]]
    assert contrast_ratio(battery.config.display.foreground, battery.config.display.background) >= 7
