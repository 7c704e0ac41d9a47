"""Shared fixtures: a real PsychoPy window (gui tests) and a temporary data folder."""
from __future__ import annotations

import importlib.util
import os
import stat
import sys
import time
from dataclasses import dataclass
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


#: Seconds a screen may wait for keys the test never gives before the test fails (instead of hanging).
STUCK_S = 30.0


class ScreenKeys:
    """Presses keys on screens as they appear, as a participant would (no race with the window's loop).

    ``steps`` are ``(screen, keys)``: when a screen whose name starts with ``screen``
    appears (a new name, or the same name after the window cleared its keys), its keys
    are pressed 50 ms apart from that moment. Keys scheduled before a screen appears
    could be cleared by it or answer the screen before; this cannot. A screen that
    waits :data:`STUCK_S` seconds with no step left fails the test.
    """

    def __init__(self, frontend, steps, gap: float = 0.05):
        self.frontend, self.steps, self.gap = frontend, list(steps), gap
        self.last_name, self.fresh = None, True
        self.since = frontend.clock.now()
        self._shoot, self._clear = frontend.screenshot_once, frontend.keys.clear
        frontend.screenshot_once, frontend.keys.clear = self.screenshot_once, self.clear

    def clear(self) -> None:
        self.fresh = True
        self._clear()

    def screenshot_once(self, name: str) -> None:
        now = self.frontend.clock.now()
        if self.fresh or name != self.last_name:
            self.fresh, self.last_name = False, name
            if self.steps and name.startswith(self.steps[0][0]):
                _, keys = self.steps.pop(0)
                for i, key in enumerate(keys):
                    self.frontend.keys.schedule(key, now + self.gap * (i + 1))
                self.since = now
        if now - self.since > STUCK_S and not self.frontend.keys._scheduled:
            raise AssertionError(f"screen {name!r} waited {STUCK_S:.0f} s for keys; steps left: {self.steps}")
        self._shoot(name)

    def restore(self) -> None:
        """Put the window's own methods back."""
        del self.frontend.screenshot_once, self.frontend.keys.clear


@pytest.fixture
def answer(window):
    """``answer(("fatigue", ["1", "0", "space"]), ...)``: keys pressed when each screen appears."""
    drivers = []

    def drive(*steps, gap: float = 0.05) -> ScreenKeys:
        if drivers:
            drivers.pop().restore()
        drivers.append(ScreenKeys(window, steps, gap))
        return drivers[-1]

    yield drive
    for driver in drivers:
        driver.restore()


@dataclass(frozen=True)
class FakeSpeech:
    """A stand-in for espeak-ng: it writes its arguments, then the text it was asked to say, to files."""

    script: Path
    said: Path

    def heard(self, timeout: float = 5.0) -> str:
        """The text read aloud (empty if nothing was within ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.said.exists():
            time.sleep(0.01)
        return self.said.read_text(encoding="utf-8") if self.said.exists() else ""

    def arguments(self) -> list[str]:
        """The arguments the program was started with (call after :meth:`heard`)."""
        return self.said.with_suffix(".args").read_text(encoding="utf-8").split()


@pytest.fixture
def speech_engine(tmp_path) -> FakeSpeech:
    """A fake speech program (see :class:`FakeSpeech`)."""
    said, script = tmp_path / "said.txt", tmp_path / "fake-espeak"
    script.write_text(f'#!/bin/sh\necho "$@" > {said.with_suffix(".args")}\n'
                      f"cat > {said}.part && mv {said}.part {said}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return FakeSpeech(script, said)
