"""Shared fixtures: a real PsychoPy window (gui tests) and a temporary data folder."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONFIGS = REPO / "configs"
#: A short single n-back battery (two blocks, no practice, no breaks) for fast end-to-end runs.
SMALL_NBACK = """
name: short n-back
tasks:
  - task: nback
    settings: {blocks: 2, mode: single, practice: {enabled: false}}
breaks: {between_tasks: false, fatigue_rating: false}
"""


def load_script(name: str):
    """Import ``scripts/<name>.py`` as a module (scripts are not part of the package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """``cogtrain score`` keeps its columnar cache under XDG_CACHE_HOME: a temporary one in tests."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


def pytest_collection_modifyitems(config, items):
    """Skip window tests, with the reason, where no X server can be had."""
    if os.environ.get("DISPLAY"):
        return
    skip = pytest.mark.skip(reason="no X display: run the suite under xvfb-run (see README)")
    for item in items:
        if "gui" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def window_frontend(tmp_path_factory):
    """One windowed PsychoPy frontend for the whole test run (opening one takes ~1 s)."""
    from cogtrain.config import DisplaySettings, KeySettings
    from cogtrain.window import WindowFrontend

    shots = tmp_path_factory.mktemp("screenshots")
    frontend = WindowFrontend(DisplaySettings(fullscreen=False, size=(1280, 800)), KeySettings(),
                              windowed=True, screenshots=shots)
    yield frontend
    frontend.close()


@pytest.fixture
def window(window_frontend):
    """The shared window frontend, with no pending key presses or remembered screenshots."""
    window_frontend.keys._scheduled.clear()
    window_frontend.keys.clear()
    window_frontend._shot_names.clear()
    for png in window_frontend.screenshots.glob("*.png"):
        png.unlink()
    return window_frontend


@pytest.fixture
def fake_task():
    """Register the test-only task ``fake`` for the duration of a test."""
    from cogtrain.registry import all_tasks
    from tests.fake_task import SPEC

    tasks = all_tasks()
    tasks["fake"] = SPEC
    yield SPEC
    tasks.pop("fake", None)


@pytest.fixture
def write_config(tmp_path):
    """Write a YAML text to a file and return its path."""
    def write(text: str, name: str = "battery.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write
